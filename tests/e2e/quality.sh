#!/bin/bash
# End-to-end tests of the data quality report (duplicated and repeated rows,
# stuck sensors, almost-constant columns, correlation changes, class
# balance, new and missing categories) against pandas, and of the model
# figures against scikit-learn: ROC AUC and log loss from the class scores
# (several classes and two), MAE, RMSE, MAPE, R² and the mean error of a
# regression. TAP-style output.
. "$(dirname "$0")/lib/tap.bash"
$PY - "$T" <<'PYEOF'
import sys
import numpy as np
T = sys.argv[1]
rng = np.random.default_rng(11)
CLS = ['idle', 'walk', 'run']
def frame(n, shift, stuck_at=None, dups=0, new_cat=False, balance=(.5, .3, .2), corr=0.9):
    a = rng.normal(0, 1, n)
    b = corr * a + np.sqrt(1 - corr**2) * rng.normal(0, 1, n)
    c = rng.normal(5, 2, n).round(3)
    d = np.where(rng.random(n) < 0.985, 0.0, rng.integers(1, 4, n))  # almost constant
    if stuck_at is not None:
        c[stuck_at:stuck_at + 40] = 7.25  # the sensor sticks for 40 records (from 103 after the 3 copies before)
    cat = rng.choice(['x', 'y'] + (['z'] if new_cat else []), n)
    label = rng.choice(CLS, n, p=balance)
    logits = rng.normal(0, 1, (n, 3)) + 1.5 * (np.array(CLS)[None, :] == label[:, None]) + shift
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    rows = [[a[i], b[i], c[i], d[i], cat[i], label[i], CLS[int(p[i].argmax())]] + list(p[i]) for i in range(n)]
    for k in range(dups):                      # copies of earlier rows; the first 3 right after their original
        src = rows[10 + 7 * k]
        rows.insert(11 + 7 * k if k < 3 else len(rows), list(src))
    return rows
def write(path, rows):
    with open(path, 'w') as f:
        f.write('a,b,c,d,cat,label,pred,' + ','.join('score_' + c for c in CLS) + '\n')
        for r in rows:
            f.write(','.join(v if isinstance(v, str) else repr(float(v)) for v in r) + '\n')
write(T + '/ref.csv', frame(400, 0))
write(T + '/cur.csv', frame(300, 0.3, stuck_at=100, dups=6, new_cat=True, balance=(.2, .3, .5), corr=0.1))
# two classes
with open(T + '/bin-ref.csv', 'w') as f, open(T + '/bin-cur.csv', 'w') as g:
    for h, n in ((f, 200), (g, 150)):
        h.write('x,label,pred,score_no,score_yes\n')
        y = rng.choice(['no', 'yes'], n)
        s = np.clip(0.5 + 0.3 * (y == 'yes') * rng.random(n) - 0.2 * rng.random(n), 0, 1)
        for i in range(n):
            h.write('%r,%s,%s,%r,%r\n' % (float(rng.normal()), y[i], 'yes' if s[i] > 0.5 else 'no', float(1 - s[i]), float(s[i])))
# regression
with open(T + '/reg-ref.csv', 'w') as f, open(T + '/reg-cur.csv', 'w') as g:
    for h, n, bias in ((f, 200, 0), (g, 150, 0.4)):
        h.write('x,target,prediction\n')
        for i in range(n):
            t = float(rng.normal(3, 1))
            h.write('%r,%r,%r\n' % (float(rng.normal()), t, t + bias + float(rng.normal(0, 0.3))))
PYEOF
"$BIN" report -r "$T/ref.csv" "$T/cur.csv" --json "$T/q.json" > "$T/q.txt" 2>&1; rc=$?
check "report with the data quality figures: exit 0" test $rc = 0
check "duplicated rows (pandas' duplicated() over the features) and rows that repeat the one before" $PY -c "
import json, pandas as pd
d = json.load(open('$T/q.json')); q = d['data_quality']
df = pd.read_csv('$T/cur.csv')
feats = [c for c, v in d['columns'].items() if v['role'] == 'feature']
assert feats == ['a', 'b', 'c', 'd', 'cat'], feats
dup = int(df[feats].duplicated().sum()); rep = int((df[feats] == df[feats].shift()).all(axis=1).sum())
assert (q['duplicated_rows'], q['repeated_rows'], q['duplicate_features']) == (dup, rep, 5) == (6, 3, 5), (q, dup, rep)
assert abs(q['duplicated_share'] - dup / len(df)) < 1e-15, q
"
check "most common value's share, almost constant (>= 0.95) and the longest run per column, as pandas" $PY -c "
import json, pandas as pd
d = json.load(open('$T/q.json'))
cur, ref = pd.read_csv('$T/cur.csv'), pd.read_csv('$T/ref.csv')
def run(s):
    g = (s != s.shift()).cumsum(); r = s.groupby(g).size(); k = r.idxmax()
    return int(r.max()), int(g[g == k].index[0]), s[g == k].iloc[0]
for col in ['a', 'b', 'c', 'd']:
    q = d['columns'][col]['quality']
    share = cur[col].value_counts(normalize=True).max()
    assert abs(q['most_common_share'] - share) < 1e-12 and q['almost_constant'] == (share >= 0.95), (col, q, share)
    n, first, value = run(cur[col]); rn = run(ref[col])[0]
    lr = q['longest_run']
    assert (lr['records'], lr['first_record'], lr['value'], lr['reference_records']) == (n, first, value, rn), (col, lr, n, first, value, rn)
    assert lr['stuck_at'] == max(10, 2 * rn) and q['stuck'] == (n >= max(10, 2 * rn)), (col, q)
assert d['data_quality']['stuck_columns'] == ['c'] and d['columns']['c']['quality']['longest_run']['records'] == 40, d['data_quality']
assert d['data_quality']['almost_constant_columns'] == ['d'], d['data_quality']
"
check "feature pairs whose Pearson correlation moved by more than 0.25 (pandas' corr), listed" $PY -c "
import json, itertools, pandas as pd
d = json.load(open('$T/q.json')); c = d['data_quality']['correlation']
cur, ref = pd.read_csv('$T/cur.csv'), pd.read_csv('$T/ref.csv')
num = ['a', 'b', 'c', 'd']
rc, cc = ref[num].corr(), cur[num].corr()
want = [(x, y) for x, y in itertools.combinations(num, 2) if abs(cc.loc[x, y] - rc.loc[x, y]) > 0.25]
assert c['pairs'] == 6 and c['changed'] == len(want) and [(e['a'], e['b']) for e in c['changes']] == want, (c, want)
assert ('a', 'b') in want   # a and b: 0.9 in the reference, 0.1 in the stream
for e in c['changes']:
    assert abs(e['reference'] - rc.loc[e['a'], e['b']]) < 1e-12 and abs(e['current'] - cc.loc[e['a'], e['b']]) < 1e-12, e
"
check "class balance of the truth, and new and missing categories, as pandas" $PY -c "
import json, pandas as pd
d = json.load(open('$T/q.json'))
cur, ref = pd.read_csv('$T/cur.csv'), pd.read_csv('$T/ref.csv')
cb = d['data_quality']['class_balance']
rs, cs = ref['label'].value_counts(normalize=True), cur['label'].value_counts(normalize=True)
assert sorted(cb) == sorted(rs.index), cb
for k, v in cb.items():
    assert abs(v['reference_share'] - rs[k]) < 1e-12 and abs(v['share'] - cs[k]) < 1e-12, (k, v)
q = d['columns']['cat']['quality']
assert q['new_categories'] == ['z'] and q['missing_categories'] == [], q
assert abs(q['new_category_share'] - (cur['cat'] == 'z').mean()) < 1e-12, q
"
check "ROC AUC (one-vs-rest, macro) and log loss from the class scores, as scikit-learn" $PY -c "
import json, pandas as pd
from sklearn.metrics import roc_auc_score, log_loss
d = json.load(open('$T/q.json'))['classification']['from_scores']
df = pd.read_csv('$T/cur.csv'); cls = sorted(['idle', 'walk', 'run'])
S = df[['score_' + c for c in cls]].values
auc = roc_auc_score(df['label'], S, multi_class='ovr', average='macro', labels=cls)
ll = log_loss(df['label'], S, labels=cls)
assert abs(d['roc_auc'] - auc) <= 1e-12 * auc and abs(d['log_loss'] - ll) <= 1e-12 * ll, (d['roc_auc'], auc, d['log_loss'], ll)
assert d['rows'] == len(df) and d['records'] == 'session', d
"
"$BIN" report -r "$T/bin-ref.csv" "$T/bin-cur.csv" --json "$T/bin.json" -q
check "two classes: ROC AUC of the second class's scores, log loss, as scikit-learn" $PY -c "
import json, pandas as pd
from sklearn.metrics import roc_auc_score, log_loss
d = json.load(open('$T/bin.json'))['classification']['from_scores']
df = pd.read_csv('$T/bin-cur.csv')
auc = roc_auc_score(df['label'], df['score_yes']); ll = log_loss(df['label'], df[['score_no', 'score_yes']].values, labels=['no', 'yes'])
assert abs(d['roc_auc'] - auc) <= 1e-12 * auc and abs(d['log_loss'] - ll) <= 1e-12 * ll, (d, auc, ll)
"
"$BIN" report -r "$T/reg-ref.csv" "$T/reg-cur.csv" --json "$T/reg.json" > "$T/reg.txt"
check "regression: MAE, RMSE, MAPE, R² and the mean error (prediction - truth), as scikit-learn and numpy" $PY -c "
import json, numpy as np, pandas as pd
from sklearn.metrics import mean_absolute_error, mean_squared_error, mean_absolute_percentage_error, r2_score
r = json.load(open('$T/reg.json'))['regression']
df = pd.read_csv('$T/reg-cur.csv'); y, p = df['target'], df['prediction']
want = {'mae': mean_absolute_error(y, p), 'rmse': mean_squared_error(y, p) ** 0.5, 'mape': mean_absolute_percentage_error(y, p),
        'r2': r2_score(y, p), 'mean_error': float(np.mean(p - y))}
for k, v in want.items():
    assert abs(r[k] - v) <= 1e-12 * abs(v), (k, r[k], v)
assert r['n'] == len(df) and r['mean_error'] > 0.3, r
" --and grep -q "MAPE .*, R² .*, mean error +0.4" "$T/reg.txt"
check "the text report names the stuck sensor, the almost-constant column, the duplicates and the correlations" \
  sh -c "tr -s ' \n' ' ' < '$T/q.txt' | grep -q 'c stuck at 7.25 for 40 records from 103' && grep -q 'd is 9[0-9]% one value' '$T/q.txt' &&
         tr -s ' \n' ' ' < '$T/q.txt' | grep -q '6 duplicated rows (3 repeat the one before)' && grep -q 'feature pairs correlate differently' '$T/q.txt'"
"$BIN" report -r "$T/ref.csv" "$T/cur.csv" --stuck 50 --json "$T/s50.json" -q
check "--stuck 50: stuck is a run of 50 records or more (pandas' runs): c's 40 no longer, d's long runs are" $PY -c "
import json, pandas as pd
d = json.load(open('$T/s50.json')); cur = pd.read_csv('$T/cur.csv')
runs = {c: int(cur[c].groupby((cur[c] != cur[c].shift()).cumsum()).size().max()) for c in ['a', 'b', 'c', 'd']}
assert d['data_quality']['stuck_columns'] == [c for c in runs if runs[c] >= 50] and runs['c'] == 40, (d['data_quality'], runs)
assert all(d['columns'][c]['quality']['longest_run']['stuck_at'] == 50 for c in runs), d['columns']['a']
"
status 2 "--stuck 1: refused (a run is two records at least)" "$BIN" report -r "$T/ref.csv" "$T/cur.csv" --stuck 1 -q
"$BIN" report -r "$T/ref.csv" "$T/cur.csv" --markdown "$T/q.md" -q
check "the Markdown report's data quality section: the stuck sensor, the duplicates, the changed pair" \
  grep -q '^- \*\*Stuck sensor\*\*: c held 7.25 for 40 records from record 103' "$T/q.md" \
  --and grep -q '^- 6 duplicated rows over the 5 features (3 repeat the one before), of 306.' "$T/q.md" \
  --and grep -q '^| a · b | +0.89[0-9] | +0.1[0-9][0-9] |' "$T/q.md"
"$BIN" check -r "$T/ref.csv" "$T/cur.csv" --json "$T/chk.json" -q
check "derived tests: the stuck sensor fails, the duplicated rows fail (6 against none in the reference)" $PY -c "
import json
r = {t['name']: t['status'] for t in json.load(open('$T/chk.json'))['tests']['results']}
assert r['No stuck sensor: c'] == 'fail' and r['No stuck sensor: a'] == 'pass', r
assert r[\"Share of duplicated rows within +10% of the reference's\"] == 'fail', r
"
echo "1..$n"
