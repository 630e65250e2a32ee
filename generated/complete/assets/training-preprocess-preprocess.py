"""Preprocessing step: labelled cardholder features in, train/validation/test splits out.

Reads the Parquet files under /opt/ml/processing/input/data (the cardholder features with
the chargeback label 'is_fraud'), keeps the newest snapshot per card, and writes the splits
as header-less CSV with the label first, as the built-in XGBoost algorithm expects. The test
split is the most recent days, so evaluation measures the model on data it has not seen.
"""
import argparse
import glob
import os

import pandas as pd

FEATURES = ["spend_24h", "transactions_1h", "distinct_merchants_7d"]

parser = argparse.ArgumentParser()
parser.add_argument("--label", default="is_fraud")
parser.add_argument("--test-days", type=int, default=7)
parser.add_argument("--validation-share", type=float, default=0.1)
args = parser.parse_args()

files = sorted(glob.glob("/opt/ml/processing/input/data/**/*.parquet", recursive=True))
if not files:
    raise SystemExit("no Parquet files under /opt/ml/processing/input/data")
frame = pd.concat((pd.read_parquet(f) for f in files), ignore_index=True)
frame["event_time"] = pd.to_datetime(frame["event_time"], unit="s", utc=True)
frame = frame.sort_values("event_time").drop_duplicates(["card_id", "event_time"], keep="last")

cutoff = frame["event_time"].max() - pd.Timedelta(days=args.test_days)
rows = frame[[args.label, *FEATURES]].fillna(0.0).astype({args.label: int})
test = rows[frame["event_time"] > cutoff]
rest = rows[frame["event_time"] <= cutoff].sample(frac=1.0, random_state=7)
n_validation = int(len(rest) * args.validation_share)
splits = {"test": test, "validation": rest.iloc[:n_validation], "train": rest.iloc[n_validation:]}

for name, part in splits.items():
    out = f"/opt/ml/processing/{name}"
    os.makedirs(out, exist_ok=True)
    part.to_csv(f"{out}/{name}.csv", header=False, index=False)
    print(f"{name}: {len(part)} rows, {int(part[args.label].sum())} fraudulent")
