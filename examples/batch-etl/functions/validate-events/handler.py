"""Validates clickstream files as they land: well-formed events move on, the rest is quarantined."""
import json
import os
import urllib.parse

import boto3

s3 = boto3.client("s3")
REQUIRED = ("event_id", "customer_id", "event_type", "event_time")


def handler(event, context):
    target = os.environ["TARGET_PREFIX"]
    quarantine = os.environ["QUARANTINE_PREFIX"]
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")
        good, bad = [], []
        for line in body.splitlines():
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                bad.append(line)
                continue
            (good if all(item.get(k) for k in REQUIRED) else bad).append(line)
        name = key.rsplit("/", 1)[-1]
        if good:
            s3.put_object(Bucket=bucket, Key=f"{target}{name}", Body="\n".join(good).encode("utf-8"))
        if bad:
            s3.put_object(Bucket=bucket, Key=f"{quarantine}{name}", Body="\n".join(bad).encode("utf-8"))
    return {"files": len(event["Records"])}
