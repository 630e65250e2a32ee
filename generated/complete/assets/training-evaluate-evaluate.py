"""Evaluation step: scores the best tuned fraud model on the most recent days.

Writes /opt/ml/processing/evaluation/evaluation.json with the metric paths the KPI gate
reads (goals.kpis): binary_classification_metrics.auc.value and .recall.value. Recall is
taken at the threshold the endpoint's consumers use (0.5).
"""
import glob
import json
import os
import tarfile

import numpy as np
import pandas as pd
import xgboost

THRESHOLD = 0.5

with tarfile.open("/opt/ml/processing/model/model.tar.gz") as archive:
    archive.extractall("/tmp/model")
booster = xgboost.Booster()
booster.load_model("/tmp/model/xgboost-model")

parts = [pd.read_csv(f, header=None) for f in sorted(glob.glob("/opt/ml/processing/test/*.csv"))]
test = pd.concat(parts, ignore_index=True)
y = test.iloc[:, 0].to_numpy().astype(int)
p = booster.predict(xgboost.DMatrix(test.iloc[:, 1:].to_numpy()))

# ROC AUC as the probability that a fraudulent payment outscores a legitimate one.
order = np.argsort(p, kind="mergesort")
ranks = np.empty(len(p))
ranks[order] = np.arange(1, len(p) + 1)
for value in np.unique(p):
    tied = p == value
    ranks[tied] = ranks[tied].mean()
n_fraud, n_legit = int((y == 1).sum()), int((y == 0).sum())
auc = (ranks[y == 1].sum() - n_fraud * (n_fraud + 1) / 2) / max(1, n_fraud * n_legit)
caught = int(((p >= THRESHOLD) & (y == 1)).sum())

report = {
    "binary_classification_metrics": {
        "auc": {"value": float(auc)},
        "recall": {"value": caught / max(1, n_fraud)},
    }
}
os.makedirs("/opt/ml/processing/evaluation", exist_ok=True)
with open("/opt/ml/processing/evaluation/evaluation.json", "w") as f:
    json.dump(report, f)
print(json.dumps(report))
