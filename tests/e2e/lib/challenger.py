"""A challenger for the HAR session's own model: a logistic regression
trained here (scikit-learn, deterministic) on the reference's features,
written beside the session's columns as pred_lr, score_lr_<class> (before
its prediction column: the model is named by it) and inference_ms_lr.

usage: challenger.py REFERENCE SESSION OUT [HEAD_ROWS HEAD_OUT]"""
import sys

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ref, ses = pd.read_csv(sys.argv[1]), pd.read_csv(sys.argv[2])
feat = [c for c in ref.columns if c not in ("time_ms", "pred", "label") and not c.startswith("score_")]
m = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, C=0.01)).fit(ref[feat], ref["label"])
p = m.predict_proba(ses[feat])
for i, c in enumerate(m.classes_):
    ses["score_lr_" + c] = p[:, i].round(5)
ses["pred_lr"] = m.predict(ses[feat])
ses["inference_ms_lr"] = 3.5 + (np.arange(len(ses)) % 4) * 0.5
ses.to_csv(sys.argv[3], index=False)
if len(sys.argv) > 5:
    ses.head(int(sys.argv[4])).to_csv(sys.argv[5], index=False)
