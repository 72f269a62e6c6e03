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

# --- the report runs them on its error stream (1: the prediction is not the label) ---
"$BIN" report -r samples/har-reference.csv samples/har-session.csv -q --json "$T/har.json"
$PY -c "
import pandas as pd
s = pd.read_csv('samples/har-session.csv')
print('\n'.join(str(int(p != l)) for p, l in zip(s['pred'], s['label'])))" > "$T/har-errors.txt"
check "the report's EDDM and HDDM_A (River's defaults) fire where they do on the session's error bits" $PY -c "
import json, subprocess
d = json.load(open('$T/har.json'))['detectors']
for name in ('eddm', 'hddm_a'):
    out = subprocess.run(['$DETECT', name], stdin=open('$T/har-errors.txt'), capture_output=True, text=True).stdout
    want = [int(l.split()[1]) for l in out.splitlines() if l.startswith('drift')]
    assert d[name]['drift_records'] == want and d[name]['drifts'] == len(want), (name, d[name], want)
    assert want, name  # this session's model does drift: an empty list would assert little"

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
exit 0
