#!/bin/bash
# Champion vs challenger: the HAR session's own model (pred, score_<class>)
# against a challenger trained here with scikit-learn on the reference
# (pred_lr, score_lr_<class>, inference_ms_lr); every figure of the JSON
# report's "models" against scikit-learn and scipy on the same records:
# accuracy, macro-F1, agreement, Cohen's kappa (cohen_kappa_score),
# McNemar's test (scipy.stats.binomtest under 25 discordant records, the
# continuity-corrected chi-square from 25, as statsmodels' mcnemar).
. "$(dirname "$0")/lib/tap.bash"
REF=samples/har-reference.csv
SES=samples/har-session.csv
# the challenger: a logistic regression trained on the reference
$PY tests/e2e/lib/challenger.py $REF $SES "$T/two.csv" 60 "$T/two-head.csv"
"$BIN" report -r $REF "$T/two.csv" -q --json "$T/two.json" >"$T/out" 2>&1
"$BIN" report -r $REF "$T/two-head.csv" -q --json "$T/head.json" >/dev/null 2>&1
FIGS="
import json, pandas as pd, numpy as np
from sklearn.metrics import accuracy_score, f1_score, cohen_kappa_score
from scipy.stats import binomtest, chi2
def close(x, y, what):
    assert abs(x - y) <= 1e-9 * max(1, abs(y)), (what, x, y)
"
check "each model's accuracy and macro-F1 equal scikit-learn's; the session's own model is the champion; latency and confidence are the columns' means" $PY -c "$FIGS
for f in ('two', 'head'):
    r = json.load(open('$T/' + f + '.json'))['models']
    s = pd.read_csv('$T/' + ('two.csv' if f == 'two' else 'two-head.csv'))
    assert r['champion'] == 'pred' and [m['name'] for m in r['models']] == ['pred', 'lr'], r
    for m, col in zip(r['models'], ('pred', 'pred_lr')):
        assert m['records'] == len(s) and m['labelled'] == len(s), m
        close(m['accuracy'], accuracy_score(s['label'], s[col]), col)
        close(m['macro_f1'], f1_score(s['label'], s[col], average='macro'), col)
    lr = r['models'][1]
    close(lr['latency_ms'], s['inference_ms_lr'].mean(), 'latency')
    close(lr['confidence'], s[[c for c in s.columns if c.startswith('score_lr_')]].max(axis=1).mean(), 'confidence')
    close(r['models'][0]['confidence'], s[[c for c in s.columns if c.startswith('score_') and not c.startswith('score_lr_')]].max(axis=1).mean(), 'own confidence')"
check "agreement, Cohen's kappa and McNemar's test equal scikit-learn's and scipy's: the exact binomial under 25 discordant records, the chi-square from 25" $PY -c "$FIGS
tests = set()
for f in ('two', 'head'):
    c = json.load(open('$T/' + f + '.json'))['models']['comparisons'][0]
    s = pd.read_csv('$T/' + ('two.csv' if f == 'two' else 'two-head.csv'))
    a, b, t = s['pred'], s['pred_lr'], s['label']
    close(c['agreement'], (a == b).mean(), 'agreement')
    close(c['kappa'], cohen_kappa_score(a, b), 'kappa')
    n01, n10 = int(((a == t) & (b != t)).sum()), int(((a != t) & (b == t)).sum())
    assert (c['champion_only_right'], c['challenger_only_right']) == (n01, n10), (c, n01, n10)
    if n01 + n10 < 25:
        want, test = binomtest(min(n01, n10), n01 + n10, 0.5).pvalue, 'exact binomial'
        close(c['mcnemar']['statistic'], min(n01, n10), 'statistic')
    else:
        st = (abs(n01 - n10) - 1) ** 2 / (n01 + n10)
        want, test = chi2.sf(st, 1), 'chi-square, continuity corrected'
        close(c['mcnemar']['statistic'], st, 'statistic')
    close(c['mcnemar']['p_value'], want, 'p')
    assert c['mcnemar']['test'] == test, c
    tests.add(test)
    better = None if want >= 0.05 else ('pred' if n01 > n10 else 'lr')
    assert c['better'] == better, (c, better)
assert len(tests) == 2, tests"
"$BIN" report -r $REF "$T/two.csv" >"$T/text.txt" 2>&1
check "the text report says which model is better, with McNemar's p, in lines of 80 at most" $PY -c "
import json
c = json.load(open('$T/two.json'))['models']['comparisons'][0]
text = ' '.join(open('$T/text.txt').read().split())  # wrapped at 80
assert c['summary'] in text, (c['summary'], text[-800:])
assert ('is better than' in c['summary']) == (c['better'] is not None) and 'McNemar p = ' in c['summary'], c
models = open('$T/text.txt').read().split('models (the first is the champion)')[1]
assert max(len(l) for l in models.splitlines()) <= 80, models"

# the long format: a model column, one line per model and input, the
# lines of one input together; the same figures as the wide format
$PY -c "
import pandas as pd
s = pd.read_csv('$T/two.csv')
own = [c for c in s.columns if c.startswith('score_') and not c.startswith('score_lr_')]
wide = s.rename(columns={'pred': 'pred_fw', **{c: 'score_fw_' + c[6:] for c in own}})
wide.to_csv('$T/wide.csv', index=False)
feat = [c for c in s.columns if c not in ('pred', 'pred_lr', 'inference_ms_lr') and not c.startswith('score_')]
rows = []
for _, r in s.iterrows():
    a = {**{c: r[c] for c in feat}, 'model': 'fw', 'pred': r['pred'], **{c: r[c] for c in own}}
    b = {**{c: r[c] for c in feat}, 'model': 'lr', 'pred': r['pred_lr'], 'inference_ms': r['inference_ms_lr'],
         **{'score_' + c[6:]: r['score_lr_' + c[6:]] for c in own}}
    rows += [a, b]
pd.DataFrame(rows).to_csv('$T/long.csv', index=False)
"
"$BIN" report -r $REF "$T/wide.csv" -q --json "$T/wide.json" >/dev/null 2>&1
"$BIN" report -r $REF "$T/long.csv" -q --json "$T/long.json" >/dev/null 2>&1
check "a model column (long format, 438 lines): 219 records, and the models' figures equal the wide format's; the first named model is the champion" $PY -c "
import json
w, l = json.load(open('$T/wide.json')), json.load(open('$T/long.json'))
assert l['input']['rows'] == 219 and l['input']['bad_lines'] == 0, l['input']
assert w['models']['champion'] == 'fw' and w['models'] == l['models'], (w['models'], l['models'])
assert w['models']['comparisons'][0]['better'] == 'lr', w['models']"
