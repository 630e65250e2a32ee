"""Evaluation step: scores the trained XGBoost model on the test split.

Writes /opt/ml/processing/evaluation/evaluation.json with the metric paths the KPI gate reads
(goals.kpis): binary_classification_metrics.auc.value and .recall.value.
"""
import glob
import json
import os
import tarfile

import numpy as np
import pandas as pd
import xgboost

with tarfile.open("/opt/ml/processing/model/model.tar.gz") as archive:
    archive.extractall("/tmp/model")
booster = xgboost.Booster()
booster.load_model("/tmp/model/xgboost-model")

test = pd.concat(
    (pd.read_csv(f, header=None) for f in sorted(glob.glob("/opt/ml/processing/test/*.csv"))), ignore_index=True
)
labels = test.iloc[:, 0].to_numpy()
scores = booster.predict(xgboost.DMatrix(test.iloc[:, 1:].to_numpy()))


def auc(y, p):
    """Area under the ROC curve from ranks (Mann-Whitney U), ties averaged."""
    ranks = pd.Series(p).rank(method="average").to_numpy()
    positives = y == 1
    n_pos, n_neg = positives.sum(), (~positives).sum()
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


predicted = scores >= 0.5
true_positives = np.sum(predicted & (labels == 1))
report = {
    "binary_classification_metrics": {
        "auc": {"value": auc(labels, scores)},
        "recall": {"value": float(true_positives / max(1, np.sum(labels == 1)))},
        "precision": {"value": float(true_positives / max(1, np.sum(predicted)))},
    }
}
os.makedirs("/opt/ml/processing/evaluation", exist_ok=True)
with open("/opt/ml/processing/evaluation/evaluation.json", "w") as f:
    json.dump(report, f)
print(json.dumps(report))
