"""Fails the ETL run when the sessionized data for the day is missing or too small."""
import os

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    bucket = os.environ["CURATED_BUCKET"]
    prefix = os.environ["SESSIONS_PREFIX"]
    minimum = int(os.environ.get("MIN_OBJECTS", "1"))
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=minimum)
    count = listed.get("KeyCount", 0)
    if count < minimum:
        raise RuntimeError(f"only {count} objects under s3://{bucket}/{prefix}; expected at least {minimum}")
    return {"objects": count}
