"""Preprocessing step: subscriptions in, train/validation/test splits out.

Reads every CSV under /opt/ml/processing/input/data (one row per subscriber, a header row,
the label column 'churned'), one-hot encodes the plan, and writes the splits as header-less
CSV with the label first, as the built-in XGBoost algorithm expects.
"""
import argparse
import glob
import os

import numpy as np
import pandas as pd

parser = argparse.ArgumentParser()
parser.add_argument("--test-share", type=float, default=0.2)
parser.add_argument("--validation-share", type=float, default=0.1)
parser.add_argument("--label", default="churned")
parser.add_argument("--seed", type=int, default=42)
args = parser.parse_args()

files = sorted(glob.glob("/opt/ml/processing/input/data/**/*.csv", recursive=True))
if not files:
    raise SystemExit("no CSV files under /opt/ml/processing/input/data")
frame = pd.concat((pd.read_csv(f) for f in files), ignore_index=True)
frame = frame.drop(columns=[c for c in ("subscriber_id", "snapshot_date") if c in frame.columns])
frame = pd.get_dummies(frame, columns=[c for c in ("plan",) if c in frame.columns], dtype=float)
frame = frame.fillna(0.0)
label = frame.pop(args.label).astype(int)
frame.insert(0, args.label, label)

shuffled = frame.sample(frac=1.0, random_state=args.seed).reset_index(drop=True)
n = len(shuffled)
n_test = int(n * args.test_share)
n_validation = int(n * args.validation_share)
splits = {
    "test": shuffled.iloc[:n_test],
    "validation": shuffled.iloc[n_test : n_test + n_validation],
    "train": shuffled.iloc[n_test + n_validation :],
}
for name, part in splits.items():
    out = f"/opt/ml/processing/{name}"
    os.makedirs(out, exist_ok=True)
    part.to_csv(f"{out}/{name}.csv", header=False, index=False)
    print(f"{name}: {len(part)} rows, {int(part[args.label].sum())} churned ({np.mean(part[args.label]):.3f})")
