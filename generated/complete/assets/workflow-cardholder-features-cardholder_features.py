"""Spark step cardholder-features: spend and velocity per card from the checkout sessions.

Run by the nightly workflow on EMR (spark-submit --deploy-mode cluster). Writes one row per
card with the features of the cardholder feature group.
"""
import argparse
from datetime import datetime, timedelta, timezone

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

parser = argparse.ArgumentParser()
parser.add_argument("--sessions", required=True, help="s3:// prefix of the checkout sessions")
parser.add_argument("--output", required=True, help="s3:// prefix to write the features to")
parser.add_argument("--window-days", type=int, default=28)
args = parser.parse_args()

spark = SparkSession.builder.appName("cardholder-features").getOrCreate()
now = datetime.now(timezone.utc)
sessions = spark.read.parquet(args.sessions).where(
    F.col("day") >= F.lit((now - timedelta(days=args.window_days)).date())
)


def since(delta: timedelta):
    return F.col("session_end") >= F.lit(now - delta)


features = sessions.groupBy("card_id").agg(
    F.sum(F.when(since(timedelta(hours=24)), F.col("amount")).otherwise(0.0)).alias("spend_24h"),
    F.sum(F.when(since(timedelta(hours=1)), F.col("transactions")).otherwise(0)).alias("transactions_1h"),
    F.sum(F.when(since(timedelta(days=7)), F.col("merchants")).otherwise(0)).alias("distinct_merchants_7d"),
)
features = features.withColumn("event_time", F.lit(now.timestamp()))

features.write.mode("overwrite").parquet(f"{args.output.rstrip('/')}/{now:%Y-%m-%d}/")
spark.stop()
