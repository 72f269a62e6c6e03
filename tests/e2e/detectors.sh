#!/bin/bash
# Streaming detectors against River's own docstring examples (the same
# streams, made by Python's random and numpy with the same seeds: River's
# printed indices are the expected ones), and ADWIN on the model's
# confidence, no labels needed, on a stream whose confidence collapses at a
# known record.
. "$(dirname "$0")/lib/tap.bash"
DETECT=$ROOT/build/detect
$PY -c "
import random
rng = random.Random(12345)
s = rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
print('\n'.join(map(str, s)))" > "$T/river12345.txt"
$PY -c "
import numpy as np
np.random.seed(12345)
s = np.concatenate((np.random.randint(2, size=1000), np.random.randint(4, high=8, size=1000)))
print('\n'.join(map(str, s)))" > "$T/np12345.txt"
check "ADWIN (River's defaults) on river.drift.ADWIN's docstring stream: one change, at index 1023, as River prints" \
  sh -c "'$DETECT' adwin < '$T/river12345.txt' | tr '\n' ' ' | grep -qx '1023 '"
check "ADWIN's window going on (River's AdaptiveWindowing, the older ADWIN docstring's numpy stream): 1023, 1055, 1087, 1119" \
  sh -c "'$DETECT' adwin-window < '$T/np12345.txt' | tr '\n' ' ' | grep -qx '1023 1055 1087 1119 '"
check "Page-Hinkley (River's defaults) on river.drift.PageHinkley's docstring stream: index 1006, as River prints" \
  sh -c "'$DETECT' page_hinkley < '$T/river12345.txt' | tr '\n' ' ' | grep -qx '1006 '"

$PY -c "
import random
rng = random.Random(42)
s = rng.choices([0, 1], k=1000)
s = s + rng.choices([0, 1], k=1000, weights=[0.3, 0.7])
print('\n'.join(map(str, s)))" > "$T/river42.txt"
check "EDDM (alpha 0.8, beta 0.75) on river.drift.binary.EDDM's docstring stream: warning at 1059, change at 1278, as River prints" \
  sh -c "'$DETECT' eddm 0.8 0.75 < '$T/river42.txt' | tr '\n' ' ' | grep -qx 'warning 1059 drift 1278 '"
check "HDDM_A (River's defaults) on river.drift.binary.HDDMA's docstring stream: warning at 451, change at 1206, as River prints" \
  sh -c "'$DETECT' hddm_a < '$T/river42.txt' | tr '\n' ' ' | grep -qx 'warning 451 drift 1206 '"
check "HDDM_W (River's defaults, its EWMean) on river.drift.binary.HDDMW's docstring stream: warning at 451, change at 1077, as River prints" \
  sh -c "'$DETECT' hddm_w < '$T/river42.txt' | tr '\n' ' ' | grep -qx 'warning 451 drift 1077 '"
$PY -c "
import random
rng = random.Random(12345)
s = rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
print('\n'.join(map(str, s)))" > "$T/kswin.txt"
check "KSWIN (alpha 0.0001, seed 42: Python's random.sample, scipy's ks_2samp) on river.drift.KSWIN's docstring stream: index 1016, as River prints" \
  sh -c "'$DETECT' kswin 0.0001 42 < '$T/kswin.txt' | tr '\n' ' ' | grep -qx '1016 '"
# where the draw matters: a steady stream at alpha 0.05, whose alarms depend
# on which values random.sample picks; River's KSWIN.update, as kswin.py has
# it, run here on Python's random and scipy
$PY -c "
import random
rng = random.Random(5)
print('\n'.join('%.6f' % rng.gauss(0, 1) for _ in range(3000)))" > "$T/steady.txt"
check "KSWIN (alpha 0.05, seed 7) on a steady stream: its false alarms at the records River's algorithm gives with Python's random.sample and scipy's ks_2samp" $PY -c "
import collections, itertools, random, subprocess
from scipy import stats
xs = [float(l) for l in open('$T/steady.txt')]
def fresh():
    return collections.deque(maxlen=100), random.Random(7)
window, rng = fresh()
drift, want = False, []
for i, x in enumerate(xs):
    if drift:
        window, rng = fresh()
    window.append(x)
    drift = False
    if len(window) >= 100:
        drawn = [window[r] for r in rng.sample(range(70), 30)]
        recent = list(itertools.islice(window, 70, 100))
        st, p = stats.ks_2samp(drawn, recent)
        if p <= 0.05 and st > 0.1:
            drift = True
            want.append(i)
out = subprocess.run(['$DETECT', 'kswin', '0.05', '7'], stdin=open('$T/steady.txt'), capture_output=True, text=True).stdout
got = [int(l) for l in out.split()]
assert got == want and len(want) >= 5, (got, want)"

# --- the report runs them on its error stream (1: the prediction is not the label) ---
"$BIN" report -r samples/har-reference.csv samples/har-session.csv -q --json "$T/har.json"
$PY -c "
import pandas as pd
s = pd.read_csv('samples/har-session.csv')
print('\n'.join(str(int(p != l)) for p, l in zip(s['pred'], s['label'])))" > "$T/har-errors.txt"
# a model whose error rate goes from 10% to 60% at record 1000, predicting two classes
$PY -c "
import random
rng = random.Random(3)
print('time_ms,f0,label,pred')
for i in range(2000):
    t = rng.choice('ab')
    wrong = rng.random() < (0.1 if i < 1000 else 0.6)
    print('%d,%.4f,%s,%s' % (i * 10, rng.gauss(0, 1), t, ('b' if t == 'a' else 'a') if wrong else t))" > "$T/errors.csv"
head -501 "$T/errors.csv" > "$T/errors-ref.csv"
"$BIN" report -r "$T/errors-ref.csv" "$T/errors.csv" -q --json "$T/errors.json"
check "the report's EDDM, HDDM_A, HDDM_W and KSWIN (River's defaults, seed 42) fire where they do run alone on the error bits (the HAR session's, and a stream whose error rate rises at record 1000)" $PY -c "
import json, subprocess, pandas as pd
for js, csv in (('har', 'samples/har-session.csv'), ('errors', '$T/errors.csv')):
    d = json.load(open('$T/' + js + '.json'))['detectors']
    s = pd.read_csv(csv)
    bits = '\n'.join(str(int(p != l)) for p, l in zip(s['pred'], s['label'])) + '\n'
    for name in ('eddm', 'hddm_a', 'hddm_w', 'kswin'):
        out = subprocess.run(['$DETECT', name], input=bits, capture_output=True, text=True).stdout
        want = [int(l.split()[-1]) for l in out.splitlines() if not l.startswith('warning')]
        assert d[name]['drift_records'][:16] == want[:16] and d[name]['drifts'] == len(want), (js, name, d[name], want)
        assert want or js == 'har', (js, name)  # the rising error rate fires them all: an empty list would assert little
        if js == 'errors':
            assert any(w >= 1000 for w in want), (name, want)"

# --- no labels: the model's confidence collapses at record 1500 ---
$PY -c "
import random
rng = random.Random(7)
print('time_ms,f0,f1,score_a,score_b,pred')
for i in range(3000):
    top = rng.gauss(0.92 if i < 1500 else 0.58, 0.03)
    a = rng.random() < 0.5
    print('%d,%.4f,%.4f,%.4f,%.4f,%s' % (i * 10, rng.gauss(0, 1), rng.gauss(0, 1),
          top if a else 1 - top, 1 - top if a else top, 'a' if a else 'b'))" > "$T/collapse.csv"
head -1001 "$T/collapse.csv" > "$T/collapse-ref.csv"
"$BIN" report -r "$T/collapse-ref.csv" "$T/collapse.csv" --json "$T/collapse.json" > "$T/collapse.txt"
check "a stream without labels: ADWIN on the confidence fires after the collapse at record 1500 (within 100 records), never before" \
  $PY -c "
import json
d = json.load(open('$T/collapse.json'))['detectors']
assert set(d) == {'adwin_confidence'}, d  # no truth: no DDM, no Page-Hinkley
at = d['adwin_confidence']['drift_records']
assert at and 1500 < at[0] <= 1600, at"
check "the text report says it" grep -qE "change in the model's confidence \\(ADWIN, no labels needed\\): [0-9]+, first at record 1[56][0-9][0-9]" "$T/collapse.txt"
# --- ADWIN on the anomaly score (always) and on the columns --adwin names ---
$PY -c "
import random
rng = random.Random(9)
print('time_ms,f0,anomaly,score_a,score_b')
for i in range(3000):
    a = rng.random()
    print('%d,%.4f,%.4f,%.3f,%.3f' % (i * 10, rng.gauss(0 if i < 2000 else 0.8, 1), rng.gauss(-0.5 if i < 1200 else 0.4, 0.2), a, 1 - a))" > "$T/anomaly.csv"
head -801 "$T/anomaly.csv" > "$T/anomaly-ref.csv"
"$BIN" report -r "$T/anomaly-ref.csv" "$T/anomaly.csv" --adwin f0 -q --json "$T/anomaly.json"
check "ADWIN on the anomaly score (unasked) and on f0 (--adwin f0) fires where it does run alone on each column's values" $PY -c "
import json, subprocess, pandas as pd
d = json.load(open('$T/anomaly.json'))['detectors']
s = pd.read_csv('$T/anomaly.csv')
for col, after in (('anomaly', 1200), ('f0', 2000)):
    out = subprocess.run(['$DETECT', 'adwin'], input='\n'.join(map(repr, s[col])) + '\n', capture_output=True, text=True).stdout
    want = [int(l) for l in out.split()]
    k = 'adwin_' + col
    assert d[k]['drift_records'][:16] == want[:16] and d[k]['drifts'] == len(want), (k, d[k], want)
    assert any(after <= w < after + 200 for w in want), (k, want)"
status 2 "--adwin naming no compared numeric column: said, exit 2, no report" \
  "$BIN" report -r "$T/anomaly-ref.csv" "$T/anomaly.csv" --adwin nothere
check "the message names it" grep -q "adwin nothere: no numeric column" "$T/last"
exit 0
