#!/bin/bash
# Prometheus metrics from the dashboard (--metrics-file): the text format
# as promtool checks it, the figures as report computes them, and a file a
# collector can read at any moment (never half of one).
. "$(dirname "$0")/lib/tap.bash"
need tmux || exit 0
REF=samples/har-reference.csv
SES=samples/har-session.csv
. tests/e2e/lib/screen.bash

# --- a replay to its end: the metrics file against report's JSON ---
fresh
tm new-session -d -s s -x 100 -y 30 \
  "LC_ALL=C.UTF-8 $BIN -r $REF $SES --window 30 --stride 5 --speed max --metrics-file $T/har.prom --board 'bench \"1\"'; echo EXIT=\$?; sleep 60"
check "the replay reaches its end" wait_for "END +har-session.csv +record 219/219" 20
keys q
check "q exits 0" wait_for "EXIT=0"
if command -v promtool >/dev/null; then
  check "promtool check metrics: the file is valid Prometheus text, its names as the conventions want" \
    sh -c "promtool check metrics < '$T/har.prom' > '$T/promtool.out' 2>&1"
else
  echo "skip - promtool (Debian's prometheus package) is not installed"
fi
"$BIN" report -r $REF $SES --window 30 --stride 5 --json "$T/har.json" -q
check "every feature's score, threshold and verdict, the drifted share and the dataset verdict are report's" \
  /usr/bin/python3 -c "
import json, re
r = json.load(open('$T/har.json'))
m = {}
for line in open('$T/har.prom'):
    if line.startswith('#'):
        continue
    name, labels, v = re.match(r'(\w+)\{(.*)\} (\S+)$', line).groups()
    m[(name, labels)] = float(v)
board = 'board=\"bench \\\\\"1\\\\\"\"'
feats = [c for c, v in r['columns'].items() if v['role'] == 'feature']
assert len(feats) == 14, feats
for c in feats:
    d = r['columns'][c]
    lab = '%s,feature=\"%s\",method=\"%s\"' % (board, c, d['method'])
    assert abs(m[('driftscope_feature_drift_score', lab)] - d['score']) <= 1e-12 * max(1, abs(d['score'])), (c, d)
    assert m[('driftscope_feature_drift_threshold', lab)] == d['threshold'], (c, d)
    assert m[('driftscope_feature_drifted', '%s,feature=\"%s\"' % (board, c))] == d['drifted'], (c, d)
ds = r['dataset']
assert abs(m[('driftscope_drifted_features_ratio', board)] - ds['share']) < 1e-12, ds
assert m[('driftscope_dataset_drifted', board)] == ds['dataset_drift'], ds
assert m[('driftscope_records_total', board)] == 219 and m[('driftscope_bad_lines_total', board)] == 0, m
assert m[('driftscope_window_records', board)] == 30, m"

# --- a live stream: the file is rewritten every second, atomically ---
mkfifo "$T/feed"
fresh
tm new-session -d -s s -x 100 -y 30 \
  "cd $T && LC_ALL=C.UTF-8 $BIN -r $ROOT/$REF - --window 30 --record live.csv --metrics-file $T/live.prom < $T/feed; echo EXIT=\$?; sleep 60"
exec 9>"$T/feed"
head -1 $SES >&9
/usr/bin/python3 - "$SES" "$T/live.prom" "$T/reads" <<'EOS' 9>&- &
import os, sys, time
ses, prom, out = sys.argv[1:]
reads = bad = 0
t0 = time.time()
while time.time() - t0 < 4:
    try:
        text = open(prom).read()
    except FileNotFoundError:
        continue
    reads += 1
    # whole: every family's TYPE, the last line ended, the counter there
    if not (text.endswith('\n') and '# TYPE driftscope_records_total counter' in text
            and 'driftscope_connected{board="stdin"} 1' in text):
        bad += 1
open(out, 'w').write('%d %d\n' % (reads, bad))
EOS
READER=$!
for i in $(seq 2 120); do sed -n "${i}p" $SES >&9; sleep 0.03; done
wait $READER
check "a reader polling the metrics file for 4 s while records stream never sees half a file" \
  sh -c "read reads bad < '$T/reads' && test \$reads -ge 100 && test \$bad = 0"
exec 9>&-
check "the stream ends: the dashboard says ENDED" wait_for "ENDED +stdin +119 records"
sleep 1.3 # the next write (every second)
check "the live figures: records, connected, the recording's size, the last record's time" /usr/bin/python3 -c "
import os, re, time
t = open('$T/live.prom').read()
m = dict((n, float(v)) for n, v in re.findall(r'^(\w+)\{board=\"stdin\"\} (\S+)$', t, re.M))
assert m['driftscope_records_total'] == 119, m
assert m['driftscope_recording_bytes'] == os.path.getsize('$T/live.csv'), m
assert abs(m['driftscope_last_record_timestamp_seconds'] - time.time()) < 30, m"
keys q
check "q exits 0 (live)" wait_for "EXIT=0"
check "no temporary file is left beside the metrics file" sh -c "! ls '$T'/live.prom.tmp.* 2>/dev/null"

# --- --on-drift: run once at the drift's onset, with the facts in its environment ---
cat > "$T/retrain.sh" <<'EOS'
#!/bin/sh
env | grep '^DRIFTSCOPE_' | sort > "$1/hook.$DRIFTSCOPE_EVENT.$$"
echo "retraining on $DRIFTSCOPE_DRIFTED_FEATURES"
EOS
chmod +x "$T/retrain.sh"
mkdir "$T/hooks"
fresh
tm new-session -d -s s -x 100 -y 30 \
  "LC_ALL=C.UTF-8 $BIN -r $REF $SES --window 30 --stride 5 --paused --hook-cooldown 0 --on-drift '$T/retrain.sh $T/hooks' 2>$T/hook.err; echo EXIT=\$?; sleep 60"
wait_for "PAUSED +har-session.csv"
for i in $(seq 80); do keys .; done
check "stepped into the subject change: record 80, dataset drift" wait_for "record 80/219" --and wait_for "DATASET DRIFT"
sleep 1 # the hook ends (not waited for at q: a running one is said to be running)
keys q
check "q exits 0 with hooks" wait_for "EXIT=0"
# the onsets report finds over its windows (stride 5) up to record 80, warm-ups aside
"$BIN" report -r $REF $SES --window 30 --stride 5 --json "$T/win.json" -q
/usr/bin/python3 -c "
import json
w = [x for x in json.load(open('$T/win.json'))['windows'] if not x['warmup'] and x['last_record'] < 80]
state, onsets = False, 0
for x in w:
    onsets += x['dataset_drift'] and not state
    state = x['dataset_drift']
print(onsets)" > "$T/onsets"
check "the hook ran once per onset of dataset drift over the windows, as report counts them ($(cat "$T/onsets"))" \
  sh -c "test \$(ls '$T/hooks' | grep -c '^hook\.drift\.') = \$(cat '$T/onsets') && test \$(cat '$T/onsets') -ge 1"
check "the log says what the hooks did" \
  grep -Eq "^driftscope: hooks ran $(cat "$T/onsets") times?; the last on drift: exited 0: retraining on" "$T/hook.err"
check "the hook's environment: board, session, a full window, the drifted features and share as report finds them" \
  /usr/bin/python3 -c "
import glob, json, os, subprocess
env = dict(l.rstrip('\n').split('=', 1) for l in open(sorted(glob.glob('$T/hooks/hook.drift.*'), key=os.path.getmtime)[0]))
assert env['DRIFTSCOPE_EVENT'] == 'drift' and env['DRIFTSCOPE_BOARD'] == 'har-session.csv', env
assert env['DRIFTSCOPE_SESSION'] == '$SES' and env['DRIFTSCOPE_REFERENCE'] == '$REF', env
a, b = int(env['DRIFTSCOPE_WINDOW_FIRST']), int(env['DRIFTSCOPE_WINDOW_LAST'])
assert b - a == 29 and (b + 1) % 5 == 0, env  # a full window, ending at a stride
lines = open('$SES').read().splitlines()
open('$T/onset.csv', 'w').write('\n'.join([lines[0]] + lines[1 + a:2 + b]) + '\n')
subprocess.run(['$BIN', 'report', '-r', '$REF', '$T/onset.csv', '--json', '$T/onset.json', '-q'])
r = json.load(open('$T/onset.json'))
want = [c for c, v in r['columns'].items() if v['role'] == 'feature' and v['drifted']]
assert r['dataset']['dataset_drift'], r['dataset']
assert env['DRIFTSCOPE_DRIFTED_FEATURES'].split(',') == want, (env, want)
assert abs(float(env['DRIFTSCOPE_DRIFT_SHARE']) - r['dataset']['share']) < 1e-5, env"

# the same with the default cooldown (60 s): the onsets after the first within it do not run it again
rm -f "$T/hooks"/*
fresh
tm new-session -d -s s -x 100 -y 30 \
  "LC_ALL=C.UTF-8 $BIN -r $REF $SES --window 30 --stride 5 --paused --on-drift '$T/retrain.sh $T/hooks' 2>$T/hook2.err; echo EXIT=\$?; sleep 60"
wait_for "PAUSED +har-session.csv"
for i in $(seq 80); do keys .; done
wait_for "record 80/219"
keys q
wait_for "EXIT=0"
check "--hook-cooldown (60 s by default): one run for the $(cat "$T/onsets") onsets within a minute" \
  sh -c "test \$(ls '$T/hooks' | grep -c '^hook\.drift\.') = 1"

# examples/on-drift.sh: the drifted window's records to a CSV, then the retrain command with it
mkdir "$T/ex"
printf '#!/bin/sh\ncp "$1" "%s/retrained-on.csv"\n' "$T/ex" > "$T/ex/retrain.sh"
chmod +x "$T/ex/retrain.sh"
fresh
tm new-session -d -s s -x 100 -y 30 \
  "cd $T/ex && LC_ALL=C.UTF-8 $BIN -r $ROOT/$REF $ROOT/$SES --window 30 --stride 5 --speed max --on-drift '$ROOT/examples/on-drift.sh ./retrain.sh' 2>$T/ex.err; echo EXIT=\$?; sleep 60"
wait_for "END +har-session.csv" 20
sleep 1
keys q
wait_for "EXIT=0"
check "examples/on-drift.sh: the retrain command got the drifted window's records, header first" /usr/bin/python3 -c "
import glob
env = open('$T/ex.err').read()
got = open('$T/ex/retrained-on.csv').read().splitlines()
lines = open('$ROOT/$SES').read().splitlines()
assert got[0] == lines[0] and len(got) == 31, (len(got), env)
first = lines.index(got[1]) - 1
assert got[1:] == lines[1 + first:31 + first] and (first + 30) % 5 == 0, first"

# --- champion vs challenger: each model's accuracy, agreement and McNemar's p, as report's ---
$PY tests/e2e/lib/challenger.py $REF $SES "$T/two.csv"
fresh
tm new-session -d -s s -x 100 -y 30 \
  "LC_ALL=C.UTF-8 $BIN -r $REF $T/two.csv --window 30 --speed max --metrics-file $T/two.prom; echo EXIT=\$?; sleep 60"
check "the two-model replay reaches its end" wait_for "END +two.csv +record 219/219" 20
keys q
wait_for "EXIT=0" >/dev/null
"$BIN" report -r $REF "$T/two.csv" --window 30 --json "$T/two.json" -q
check "the models' metrics (accuracy of each, the challenger's agreement and McNemar's p) are report's, promtool-valid" \
  /usr/bin/python3 -c "
import json, re
r = json.load(open('$T/two.json'))['models']
m = {}
for line in open('$T/two.prom'):
    if not line.startswith('#'):
        name, labels, v = re.match(r'(\w+)\{(.*)\} (\S+)$', line).groups()
        m[(name, labels)] = float(v)
b = 'board=\"two.csv\"'
def near(x, y):
    return abs(x - y) <= 1e-9 * max(1, abs(y))
for mod, role in (('pred', 'champion'), ('lr', 'challenger')):
    want = [x for x in r['models'] if x['name'] == mod][0]['accuracy']
    assert near(m[('driftscope_model_accuracy_ratio', '%s,model=\"%s\",role=\"%s\"' % (b, mod, role))], want), mod
c = r['comparisons'][0]
assert near(m[('driftscope_model_agreement_ratio', b + ',model=\"lr\"')], c['agreement'])
assert near(m[('driftscope_model_mcnemar_p', b + ',model=\"lr\"')], c['mcnemar']['p_value'])" \
  --and sh -c "! command -v promtool >/dev/null || promtool check metrics < '$T/two.prom' >/dev/null 2>&1"
