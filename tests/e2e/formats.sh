#!/bin/bash
# End-to-end tests of what boards and tools print today, and of the loud
# failures: the real binary (ASan+UBSan) on files made from the samples by
# pandas and small Python writers that follow the printing code of the Edge
# Impulse SDK, ArduinoJson sketches and SensiML; expected values from the
# same data read as plain CSV, or computed in Python. TAP-style output.
. "$(dirname "$0")/lib/tap.bash"
REF=samples/har-reference.csv
SES=samples/har-session.csv
json() { $PY -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }
# same_columns A.json B.json: the two reports' per-column results are identical
same_columns() {
  $PY -c "
import json,sys
a=json.load(open(sys.argv[1]))['columns']; b=json.load(open(sys.argv[2]))['columns']
keys=sys.argv[3].split(',') if len(sys.argv) > 3 else sorted(a)
for k in keys:
    x={f: a[k][f] for f in ('method','score','drifted','n_current')}; y={f: b[k][f] for f in ('method','score','drifted','n_current')}
    assert x == y, (k, x, y)
" "$@"
}

"$BIN" report -r $REF $SES --json "$T/csv.json" -q

# --- CSV edges ----------------------------------------------------------------
$PY -c "
import pandas as pd
d=pd.read_csv('$SES')
d.to_csv('$T/eu.csv', sep=';', decimal=',', index=False)
d[['pred']].to_csv('$T/pred.csv', index=False)
d[['ax_mean']].to_csv('$T/ax.csv', index=False)
d.drop(columns=['ax_std','ay_std']).to_csv('$T/minus2.csv', index=False)
d.iloc[:0].to_csv('$T/header-only.csv', index=False)
feats=[c for c in d.columns if c not in ('time_ms','pred','label') and not c.startswith('score_')]
d[feats].to_csv('$T/headerless.csv', index=False, header=False)
d[feats[:-1]].to_csv('$T/headerless13.csv', index=False, header=False)
"
"$BIN" report -r $REF "$T/eu.csv" --json "$T/eu.json" >"$T/eu.txt"
check "European CSV (';', decimal comma): every row read, numbers as numbers" json "$T/eu.json" \
  "d['input']['rows']==219 and d['input']['bad_lines']==0 and d['input']['bad_fields']==0 and d['columns']['ax_mean']['kind']=='numeric'"
check "European CSV: the same results as the plain CSV, column by column" same_columns "$T/eu.json" "$T/csv.json"
check "European CSV: the decimal commas are counted and said" sh -c "
  grep -q 'numbers written with a decimal comma' '$T/eu.txt' &&
  $PY -c \"import json; d=json.load(open('$T/eu.json')); assert d['input']['sources'][0]['decimal_commas'] > 2000\""
"$BIN" report -r $REF "$T/pred.csv" --json "$T/pred.json" -q
check "one-column CSV with a header (pred alone): 219 predictions, compared" json "$T/pred.json" \
  "d['input']['rows']==219 and d['input']['format']=='csv' and d['columns']['pred']['scored']"
check "one-column pred: the prediction drift of the whole file's" same_columns "$T/pred.json" "$T/csv.json" pred
"$BIN" report -r $REF "$T/ax.csv" --allow-missing --json "$T/ax.json" -q
check "one-column CSV (a feature alone): the feature's drift as in the whole file" same_columns "$T/ax.json" "$T/csv.json" ax_mean

# --- check never passes a run that compared nothing -----------------------------
status 2 "check: a wrong reference (no feature in common) exits 2" "$BIN" check -r samples/fan-reference.csv $SES -q
check "wrong reference: the reason names both sides' features" \
  grep -q "no feature compared: no column of the stream is in the reference (stream: ax_mean, .*; reference: x, y, z)" "$T/last"
status 1 "check: reference features missing from the stream exit 1" "$BIN" check -r $REF "$T/minus2.csv"
check "missing features are listed, first" sh -c "grep -q '^PROBLEM  missing in stream: ax_std, ay_std' '$T/last' &&
  grep -q '^  FAIL  The data can be judged: missing_features: missing in stream: ax_std,' '$T/last' &&
  grep -q '^check: FAIL ([0-9]* of [0-9]* tests passed, [0-9]* failed)' '$T/last'"
"$BIN" check -r "$T/minus2.csv" "$T/minus2.csv" -q; a=$?
"$BIN" check -r $REF "$REF" -q --allow-missing; b=$?
check "--allow-missing: a reference against itself minus nothing passes; minus features it passes too" \
  sh -c "test $a = 0 && '$BIN' check -r '$REF' '$T/minus2.csv' -q --allow-missing; test \$? = 1 && test $b = 0"
$PY -c "
import pandas as pd
d=pd.read_csv('$REF'); d.drop(columns=['ax_std','ay_std']).to_csv('$T/ref-minus2.csv', index=False)"
status 0 "--allow-missing: the reference's own rows without two features pass" \
  "$BIN" check -r $REF "$T/ref-minus2.csv" -q --allow-missing
status 1 "... and fail without it" "$BIN" check -r $REF "$T/ref-minus2.csv" -q
status 2 "check: a header-only session exits 2" "$BIN" check -r $REF "$T/header-only.csv"
check "header-only: 'no records', and no column reads ok" sh -c "grep -q 'no records in' '$T/last' && ! grep -qE ' ok\$' '$T/last'"
"$BIN" report -r $REF "$T/headerless.csv" --json "$T/hl.json" >"$T/hl.txt"
check "headerless stream with as many columns as the reference's features: matched by position" json "$T/hl.json" \
  "d['input']['sources'][0]['matched_by_position'] and d['input']['sources'][0]['headerless_names']['f0']=='ax_mean'"
check "headerless, matched: the same feature results as the CSV" same_columns "$T/hl.json" "$T/csv.json" \
  ax_mean,ay_std,mag_std
check "headerless, matched: the report says so, f0→ax_mean" grep -q "matched by position (f0→ax_mean, f1→ax_std" "$T/hl.txt"
status 2 "check: a headerless stream of another width exits 2" "$BIN" check -r $REF "$T/headerless13.csv" -q
check "... saying why and what to do (--names)" grep -q "its 13 columns are not matched to the reference's 14 features .* name them with --names" "$T/last"
names=$(head -1 $REF | tr ',' '\n' | grep -vE '^(time_ms|pred|label|score_.*)$' | head -13 | paste -sd,)
"$BIN" report -r $REF "$T/headerless13.csv" --names "$names" --json "$T/hl13.json" -q
check "--names names a headerless stream's columns" json "$T/hl13.json" \
  "d['columns']['ax_mean']['scored'] and d['missing_features']==['mag_std']"

# --- data quality ---------------------------------------------------------------
$PY -c "
lines=open('$SES').read().splitlines()
out=[lines[0]]
for i,l in enumerate(lines[1:]):
    out.append(l)
    if i % 5 == 0: out.append('\x00\x01garbage from a wrong baud rate')
open('$T/noisy.csv','w').write('\n'.join(out)+'\n')"
status 1 "check: bad lines over 5% fail" "$BIN" check -r $REF "$T/noisy.csv" --json "$T/noisy.json"
check "bad lines: the share, first in the report and in the JSON; the verdict not judged" sh -c "
  grep -q '^PROBLEM  stream $T/noisy.csv: 44 of 264' '$T/last' &&
  grep -q 'dataset drift: not judged' '$T/last' && ! grep -q 'dataset drift: YES' '$T/last' &&
  $PY -c \"import json; d=json.load(open('$T/noisy.json')); p=d['problems'][0]
assert p['message'].startswith('stream $T/noisy.csv: 44 of 264 lines (16.7%) could not be read, more than 5%'), p
assert not d['data_quality']['passed'] and not d['dataset']['judged'] and d['status']=='fail'\""
status 0 "--max-bad-lines 20% lets that through (the subject change is drift: report exits 0)" \
  "$BIN" report -r $REF "$T/noisy.csv" --max-bad-lines 20% -q
head -c 2000000 /dev/urandom >"$T/random.bin"
"$BIN" check -r $REF "$T/random.bin" >"$T/last" 2>&1; rc=$?
check "2 MB of random bytes: check fails loudly, no confident verdict" sh -c "test $rc != 0 && grep -q 'could not be read' '$T/last' && ! grep -q 'dataset drift: YES' '$T/last'"

# --- Edge Impulse, as the SDK prints it today (ei_print_results.h) -----------------
ei_log() { # ei_log OUT [DROP]: the session as the SDK prints it, CRLF, with the CLI's coloured lines and an ESP-IDF log;
  # DROP: a block whose score line for SITTING_DOWN is lost
  $PY - "$1" "${2:-}" <<'PYEOF'
import csv, sys
out, drop = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open('samples/har-session.csv')))
classes = [c[6:] for c in rows[0] if c.startswith('score_')]
w = ['Edge Impulse impulse runner v1.30.0', '\x1b[33m[SER]\x1b[0m Started inferencing, press CTRL+C to stop...']
for i, r in enumerate(rows):
    w.append('Timing: DSP %d ms, inference %d us, anomaly 0 ms' % (i % 3 + 10, 600 + i))
    w.append('Classification predictions:' if i % 2 else '#Classification predictions:')
    for c in classes:
        if drop and i == 100 and c == 'SITTING_DOWN':
            continue
        w.append('  %s: %.5f' % (c, float(r['score_' + c])))
    if i == 50:
        w.append('I (25907) wifi: connected to ap SSID:lab')
open(out, 'w', newline='').write('\r\n'.join(w) + '\r\n')
PYEOF
}
ei_log "$T/sdk.log"
"$BIN" report -r $REF "$T/sdk.log" --json "$T/sdk.json" >"$T/sdk.txt"
check "SDK log (Timing:, Classification predictions: with and without '#'): 219 records, none bad" json "$T/sdk.json" \
  "d['input']['format']=='edge-impulse' and d['input']['rows']==219 and d['input']['bad_lines']==0"
check "SDK log: the same prediction drift as the CSV" same_columns "$T/sdk.json" "$T/csv.json" pred
check "SDK log: inference us read as ms (600 us = 0.6 ms)" $PY -c "
import json; d=json.load(open('$T/sdk.json')); m=d['columns']['inference_ms']['quality']['mean']
assert abs(m - (600 + 218 / 2) / 1000) < 1e-9, m"
status 1 "check on the SDK log exits 1: the prediction drifted (no features: its verdict)" "$BIN" check -r $REF "$T/sdk.log" -q
ei_log "$T/cut.log" drop
"$BIN" report -r $REF "$T/cut.log" --json "$T/cut.json" -q 2>"$T/err"
check "a block that lost a score line is one bad line, not a record with a made-up prediction" json "$T/cut.json" \
  "d['input']['rows']==218 and d['input']['bad_lines']==1 and 'no score for \\'SITTING_DOWN\\'' in d['input']['first_bad_lines'][0]['reason']"

# --- JSON Lines and SensiML -----------------------------------------------------
$PY -c "
import pandas as pd
pd.read_csv('$SES').to_json('$T/ses.jsonl', orient='records', lines=True)"
"$BIN" report -r $REF "$T/ses.jsonl" --json "$T/jsonl.json" -q
check "JSON Lines (pandas orient=records): 219 records" json "$T/jsonl.json" \
  "d['input']['format']=='json' and d['input']['rows']==219 and d['input']['bad_lines']==0"
check "JSON Lines: the same results as the CSV, every column" same_columns "$T/jsonl.json" "$T/csv.json"
$PY - "$T" <<'PYEOF'
import csv, json, sys
t = sys.argv[1]
rows = list(csv.DictReader(open('samples/har-session.csv')))
classes = [c[6:] for c in rows[0] if c.startswith('score_')]
feats = [c for c in rows[0] if c not in ('time_ms', 'pred', 'label') and not c.startswith('score_')]
with open(t + '/sensiml.jsonl', 'w') as f:
    for r in rows:  # SensiML prints class ids (0: Unknown) and the features as strings
        f.write(json.dumps({'ModelNumber': 0, 'Classification': classes.index(r['pred']) + 1,
                            'FeatureLength': len(feats), 'FeatureVector': [r[c] for c in feats]},
                           separators=(',', ':')) + '\n')
open(t + '/classes', 'w').write(','.join(['Unknown'] + classes))
PYEOF
"$BIN" report -r $REF "$T/sensiml.jsonl" --classes "$(cat "$T/classes")" --json "$T/sensiml.json" -q
check "SensiML lines with --classes: the class ids are the reference's classes" json "$T/sensiml.json" \
  "d['columns']['Classification']['reference_column']=='pred' and d['input']['bad_fields']==0"
check "SensiML: the prediction drift as the CSV's, the feature vector matched by position" \
  sh -c "$PY -c \"
import json; a=json.load(open('$T/sensiml.json'))['columns']; b=json.load(open('$T/csv.json'))['columns']
assert a['Classification']['score'] == b['pred']['score'], (a['Classification'], b['pred'])
for k in ('ax_mean', 'mag_std'):
    assert a[k]['score'] == b[k]['score'], k
\""

# --- statistics at the edges ------------------------------------------------------
"$BIN" report -r $REF $SES --stattest z --json "$T/z.json" -q 2>"$T/err"
check "--stattest z on the 5-class prediction: Evidently's z-test (first class by name against the rest), as numpy/scipy" \
  $PY -c "
import csv, json, math
from scipy.stats import norm
ref=[r['pred'] for r in csv.DictReader(open('$REF'))]; cur=[r['pred'] for r in csv.DictReader(open('$SES'))]
first=sorted(set(ref)|set(cur))[0]
p1=sum(x!=first for x in ref)/len(ref); p2=sum(x!=first for x in cur)/len(cur)
P=(p1*len(ref)+p2*len(cur))/(len(ref)+len(cur))
z=(p1-p2)/math.sqrt(P*(1-P)*(1/len(ref)+1/len(cur))); want=2*(1-norm.cdf(abs(z)))
got=json.load(open('$T/z.json'))['columns']['pred']['score']
assert abs(got-want) <= 1e-12*max(1,want), (got, want)"
check "--stattest z on numeric features: not scored (Evidently: categorical only), out of the share" json "$T/z.json" \
  "d['columns']['ax_mean']['not_scored'].startswith('z applies to categorical columns') and d['dataset']['columns']==0"
$PY -c "
lines=open('$SES').read().splitlines()
out=[lines[0]]+[l.replace(l.split(',')[1], ('1e308' if i//10%2 else '-1e308'), 1) if i%10==0 else l for i,l in enumerate(lines[1:])]
open('$T/huge.csv','w').write('\n'.join(out)+'\n')"
status 0 "values near ±1e308: no crash" "$BIN" report -r "$T/huge.csv" "$T/huge.csv" --stattest psi --json "$T/huge.json" -q
check "values near ±1e308: PSI not scored, numpy's reason given" json "$T/huge.json" \
  "not d['columns']['ax_mean']['scored'] and 'too wide to bin' in d['columns']['ax_mean']['not_scored'] and d['columns']['ay_mean']['scored']"
"$BIN" report -r $REF $SES --window 100 --stride 100 --json "$T/scope.json" -q
check "the final scope of a windowed report is the last --window records, the newest included" json "$T/scope.json" \
  "d['scope']=={'records':'last_window','first_record':119,'last_record':218,'rows':100} and d['windows'][-1]['last_record']==199"
printf 'x,target,pred\n' >"$T/reg.csv"
for i in $(seq 0 199); do echo "$((i % 7)),10.5,$([ $i -lt 100 ] && echo 10.5 || echo 15.5)" >>"$T/reg.csv"; done
"$BIN" report -r "$T/reg.csv" "$T/reg.csv" --json "$T/reg.json" -q
check "regression: DDM not run on |error| (null), Page-Hinkley at River's index 110" json "$T/reg.json" \
  "d['detectors']['ddm'] is None and d['detectors']['page_hinkley']['drift_records']==[110] and d['regression']['mae']==2.5"

# --- bytes at the front door --------------------------------------------------------
{ printf '\xef\xbb\xbf'; cat $SES; } >"$T/bom.csv"
"$BIN" report -r $REF "$T/bom.csv" --window 219 --json "$T/bom.json" -q
check "a UTF-8 BOM does not rename the first column (time_ms keeps its role)" json "$T/bom.json" \
  "not any('time_ms' in k for k in d['columns']) and d['windows'][0]['start_ms']==2000 and d['input']['rows']==219"
awk -F, 'BEGIN{OFS=","} NR==1 {$1=""; print "I (5) data: " substr($0,2); next} {t=$1; $1=""; print "I (" 25000+t ") data: " substr($0,2)}' $SES >"$T/esp.log"
"$BIN" report -r $REF "$T/esp.log" --window 219 --json "$T/esp.json" -q
check "ESP-IDF log lines: the prefix stripped, its time the record's time_ms" $PY -c "
import csv, json; d=json.load(open('$T/esp.json')); s=d['input']['sources'][0]
t=[float(r['time_ms']) for r in csv.DictReader(open('$SES'))]
assert d['input']['rows']==219 and s['log_prefixed_lines']==220 and d['input']['bad_lines']==0, s
w=d['windows'][0]; assert (w['start_ms'], w['end_ms'])==(25000+t[0], 25000+t[-1]), w
assert 'time_ms' not in d['columns'] and d['columns']['ax_mean']['scored']"
cols=$(seq 0 253 | sed 's/^/c/' | paste -sd,)
{ echo "$cols,score_a"; for i in 1 2 3; do seq 0 254 | paste -sd,; done; } >"$T/wide.csv"
status 2 "255 columns with class scores: report exits 2" "$BIN" report -r "$T/wide.csv" "$T/wide.csv" -q
check "... with the true reason, not 'out of memory'" sh -c "grep -q 'keeps at most 256, counting the prediction and confidence' '$T/last' && ! grep -q 'memory' '$T/last'"
status 2 "record exits non-zero having saved nothing of what it read" sh -c "'$BIN' record - -o '$T/wide-rec.csv' < '$T/wide.csv'"
check "record: says why" grep -q "recording stopped: .*keeps at most 256" "$T/last"
printf 'Sampling...\nno data here\n' | "$BIN" record - -o "$T/nothing.csv" >"$T/last" 2>&1; rc=$?
check "record: lines but no record is no success" sh -c "test $rc = 2 && grep -q 'none of them a record' '$T/last'"

# --- the dashboard says the same, in the header and under the verdict -----------
if need tmux; then
  . tests/e2e/lib/screen.bash
  dash() { # dash SESSION ARGS...: the dashboard at 80x24 replaying SESSION at max speed
    local s=$1; shift
    fresh
    tm new-session -d -s s -x 80 -y 24 "LC_ALL=C.UTF-8 $BIN -r $REF $s --speed max $* 2>'$T/stderr'; sleep 60"
  }
  dash "$T/minus2.csv"
  check "dashboard: missing features in the header, in the alert colour's place" wait_for "END .*MISSING ax_std,ay_std"
  check "dashboard: the problem in full under the verdict" wait_for "^ missing in stream: ax_std, ay_std"
  dash "$T/sdk.log"
  check "dashboard, an SDK log (model outputs only): its prediction drift is the verdict" \
    wait_for "PREDICTION DRIFT +no features in this stream: pred chisquare"
  check "dashboard, SDK log: no empty share-of-features chart" absent "share of features drifted"
  $PY -c "
import pandas as pd
d=pd.read_csv('$SES'); d.drop(columns=['pred']+[c for c in d.columns if c.startswith('score_')]).to_csv('$T/truth-only.csv', index=False)"
  dash "$T/truth-only.csv"
  check "dashboard, truth without prediction: the label mix (target), no prediction panel" \
    wait_for "label \\(target\\) +now +ref" --and wait_for "no prediction: target drift"
  check "dashboard, truth without prediction: no 'no ground truth'" absent "no ground truth"
  keys 4
  check "dashboard, truth without prediction: the Confusion view says a matrix needs a prediction" \
    wait_for "no prediction in this stream: a confusion matrix needs one"
  dash "$T/noisy.csv"
  check "dashboard: bad lines over the limit, and the verdict not judged" wait_for "BAD LINES 17%" --and wait_for "NOT JUDGED"
fi
