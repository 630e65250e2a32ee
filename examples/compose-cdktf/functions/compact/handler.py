"""Concatenates the newline-delimited JSON files of one hour of raw events into one curated object."""
import os

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    hour = event["hour"]  # e.g. "2026/12/02/01"
    source = os.environ["RAW_BUCKET"]
    target = os.environ["CURATED_BUCKET"]
    listed = s3.list_objects_v2(Bucket=source, Prefix=f"events/{hour}/")
    parts = [s3.get_object(Bucket=source, Key=o["Key"])["Body"].read() for o in listed.get("Contents", [])]
    s3.put_object(Bucket=target, Key=f"events/{hour}.json", Body=b"".join(parts))
    return {"objects": len(parts)}
