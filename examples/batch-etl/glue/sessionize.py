"""Glue job sessionize: groups raw clickstream events into sessions per customer.

A session ends after --session-gap-minutes without an event. Job bookmarks (on by default
in pipeform) make each run read only the files that landed since the last one.
"""
import sys

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from pyspark.sql import Window
from pyspark.sql import functions as F

args = getResolvedOptions(sys.argv, ["JOB_NAME", "source_path", "target_path", "session_gap_minutes"])
glue = GlueContext(SparkContext.getOrCreate())
job = Job(glue)
job.init(args["JOB_NAME"], args)

events = glue.create_dynamic_frame.from_options(
    connection_type="s3",
    connection_options={"paths": [args["source_path"]], "recurse": True},
    format="json",
    transformation_ctx="clickstream",
).toDF()

gap_seconds = int(args["session_gap_minutes"]) * 60
by_customer = Window.partitionBy("customer_id").orderBy("event_ts")
sessions = (
    events.withColumn("event_ts", F.to_timestamp("event_time"))
    .withColumn("gap", F.col("event_ts").cast("long") - F.lag(F.col("event_ts").cast("long")).over(by_customer))
    .withColumn("new_session", F.when(F.col("gap").isNull() | (F.col("gap") > gap_seconds), 1).otherwise(0))
    .withColumn("session_seq", F.sum("new_session").over(by_customer))
    .groupBy("customer_id", "session_seq")
    .agg(
        F.min("event_ts").alias("session_start"),
        F.max("event_ts").alias("session_end"),
        F.count("*").alias("events"),
    )
    .withColumn("session_id", F.concat_ws("-", "customer_id", F.col("session_start").cast("long")))
    .withColumn("session_minutes", (F.col("session_end").cast("long") - F.col("session_start").cast("long")) / 60.0)
    .withColumn("day", F.to_date("session_start"))
    .drop("session_seq")
)

sessions.write.mode("append").partitionBy("day").parquet(args["target_path"])
job.commit()
