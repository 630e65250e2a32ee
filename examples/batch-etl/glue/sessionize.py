"""Glue job sessionize: groups raw clickstream events into sessions per customer.

A session ends after --session-gap-minutes without an event. Job bookmarks (on by default
in pipeform) make each run read only the files that landed since the last one. Each session
carries the customer's plan from the CRM database (PostgreSQL at --crm_db_host); its
password is never in the job's arguments: pipeform passes the secret's name as
--crm_db_password_secret_id, and the job's role may read exactly that secret.
"""
import sys

import boto3

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from pyspark.sql import Window
from pyspark.sql import functions as F

args = getResolvedOptions(
    sys.argv,
    ["JOB_NAME", "source_path", "target_path", "session_gap_minutes", "crm_db_host", "crm_db_password_secret_id"],
)
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

# Read at run time, through the secretsmanager interface endpoint pipeform derives for the job.
crm_password = boto3.client("secretsmanager").get_secret_value(SecretId=args["crm_db_password_secret_id"])[
    "SecretString"
]
plans = (
    glue.spark_session.read.format("jdbc")
    .option("url", f"jdbc:postgresql://{args['crm_db_host']}:5432/crm")
    .option("dbtable", "public.customer_plans")
    .option("user", "sessionize")
    .option("password", crm_password)
    .load()
    .select("customer_id", "plan")
)
sessions = sessions.join(plans, "customer_id", "left")

sessions.write.mode("append").partitionBy("day").parquet(args["target_path"])
job.commit()
