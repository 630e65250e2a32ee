"""Validates card payment files as they land: well-formed payments move on, the rest is quarantined."""
import json
import os
import urllib.parse

import boto3

s3 = boto3.client("s3")
REQUIRED = ("payment_id", "card_id", "merchant_id", "amount", "currency", "event_time")


def well_formed(item):
    if not all(item.get(k) not in (None, "") for k in REQUIRED):
        return False
    try:
        return float(item["amount"]) > 0 and len(item["currency"]) == 3
    except (TypeError, ValueError):
        return False


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
            (good if well_formed(item) else bad).append(line)
        name = key.rsplit("/", 1)[-1]
        if good:
            s3.put_object(Bucket=bucket, Key=f"{target}{name}", Body="\n".join(good).encode("utf-8"))
        if bad:
            s3.put_object(Bucket=bucket, Key=f"{quarantine}{name}", Body="\n".join(bad).encode("utf-8"))
    return {"files": len(event["Records"])}
