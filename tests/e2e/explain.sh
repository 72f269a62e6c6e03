#!/bin/bash
# Drift explained: how far each numeric column moved (the report's JSON
# columns.NAME.effect) against numpy on the same records: the mean's shift
# and in the reference's standard deviations, the ratio of standard
# deviations, the share outside the reference's range, the decile that
# moved most (numpy's linear quantiles); and the text report's first line.
. "$(dirname "$0")/lib/tap.bash"
REF=samples/har-reference.csv
SES=samples/har-session.csv
for w in 30 219; do
  "$BIN" report -r $REF $SES --window $w -q --json "$T/w$w.json"
  check "effect sizes over the last $w records equal numpy's (1e-9 relative)" $PY -c "
import json, numpy as np, pandas as pd
r = json.load(open('$T/w$w.json'))
ref, ses = pd.read_csv('$REF'), pd.read_csv('$SES')
cur = ses.tail($w)
n = 0
for c, col in r['columns'].items():
    if col['role'] != 'feature':
        continue
    e = col['effect']
    a, b = ref[c].dropna().values, cur[c].dropna().values
    def close(x, y):
        assert abs(x - y) <= 1e-9 * max(1, abs(y)), (c, x, y)
    close(e['mean_shift'], b.mean() - a.mean())
    close(e['mean_shift_sigma'], (b.mean() - a.mean()) / a.std())
    close(e['std'], b.std())
    close(e['reference_std'], a.std())
    close(e['std_ratio'], b.std() / a.std())
    close(e['outside_reference_range'], ((b < a.min()) | (b > a.max())).mean())
    qs = np.arange(1, 10) / 10
    d = np.abs(np.quantile(b, qs) - np.quantile(a, qs))
    k = int(np.argmax(d))
    close(e['quantile_moved_most']['q'], qs[k])
    close(e['quantile_moved_most']['reference'], np.quantile(a, qs[k]))
    close(e['quantile_moved_most']['current'], np.quantile(b, qs[k]))
    n += 1
assert n == 14, n"
done
exit 0
