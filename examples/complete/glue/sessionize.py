"""Glue job sessionize: groups raw card payment events into checkout sessions per card.

A checkout session ends after --session_gap_minutes without an event from the card. Job
bookmarks (on by default in pipeform) make each run read only the newly landed files.
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

payments = glue.create_dynamic_frame.from_options(
    connection_type="s3",
    connection_options={"paths": [args["source_path"]], "recurse": True},
    format="json",
    transformation_ctx="payments",
).toDF()

gap_seconds = int(args["session_gap_minutes"]) * 60
by_card = Window.partitionBy("card_id").orderBy("event_ts")
sessions = (
    payments.withColumn("event_ts", F.to_timestamp("event_time"))
    .withColumn("gap", F.col("event_ts").cast("long") - F.lag(F.col("event_ts").cast("long")).over(by_card))
    .withColumn("new_session", F.when(F.col("gap").isNull() | (F.col("gap") > gap_seconds), 1).otherwise(0))
    .withColumn("session_seq", F.sum("new_session").over(by_card))
    .groupBy("card_id", "session_seq")
    .agg(
        F.min("event_ts").alias("session_start"),
        F.max("event_ts").alias("session_end"),
        F.sum("amount").alias("amount"),
        F.count("*").alias("transactions"),
        F.countDistinct("merchant_id").alias("merchants"),
    )
    .withColumn("day", F.to_date("session_start"))
    .drop("session_seq")
)

sessions.write.mode("append").partitionBy("day").parquet(args["target_path"])
job.commit()
