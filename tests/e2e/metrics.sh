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
