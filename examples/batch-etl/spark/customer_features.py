"""Spark step customer-features: rolling activity per customer from the sessionized data.

Run by the nightly workflow on EMR (spark-submit --deploy-mode cluster). Writes one row per
customer with the features of the customer-activity feature group.
"""
import argparse
from datetime import datetime, timezone

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

parser = argparse.ArgumentParser()
parser.add_argument("--sessions", required=True, help="s3:// prefix of the sessionized data")
parser.add_argument("--output", required=True, help="s3:// prefix to write the features to")
parser.add_argument("--window-days", type=int, default=28)
args = parser.parse_args()

spark = SparkSession.builder.appName("customer-features").getOrCreate()
now = datetime.now(timezone.utc)
since = F.date_sub(F.lit(now.date()), args.window_days)

sessions = spark.read.parquet(args.sessions).where(F.col("day") >= since)
features = sessions.groupBy("customer_id").agg(
    F.count("*").alias(f"sessions_{args.window_days}d"),
    F.avg("session_minutes").alias(f"avg_session_minutes_{args.window_days}d"),
    F.datediff(F.lit(now.date()), F.max("day")).alias("days_since_last_visit"),
)
features = features.withColumn("event_time", F.lit(now.timestamp()))

features.write.mode("overwrite").parquet(f"{args.output.rstrip('/')}/{now:%Y-%m-%d}/")
spark.stop()
