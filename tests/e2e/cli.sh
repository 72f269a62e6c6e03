#!/bin/bash
# End-to-end tests of `driftscope report` and `check` on the real binary
# (the ASan+UBSan build). TAP-style output: "ok - ..." / "not ok - ...".
. "$(dirname "$0")/lib/tap.bash"
REF=samples/har-reference.csv
SES=samples/har-session.csv
json() { $PY -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }

# report: exit 0, valid JSON, the contract's sections
check "report writes JSON and exits 0" "$BIN" report -r $REF $SES --window 30 --stride 15 --json "$T/r.json" --markdown "$T/r.md" -q
check "JSON has columns, dataset, classification, windows, input" json "$T/r.json" \
  "all(k in d for k in ('columns','dataset','classification','windows','input')) and d['input']['format']=='csv'"
check "every numeric feature reports all four statistics" json "$T/r.json" \
  "all(all(c['stats'][s] is not None for s in ('ks_statistic','ks_pvalue','wasserstein_norm','psi','jensenshannon')) for c in d['columns'].values() if c['role']=='feature')"
check "no drift in the first window (subject s03), drift after the subject change" json "$T/r.json" \
  "not d['windows'][0]['dataset_drift'] and all(w['dataset_drift'] for w in d['windows'][2:])"
check "prediction compared with the reference's prediction column" json "$T/r.json" \
  "d['columns']['pred']['reference_column']=='pred' and d['columns']['pred']['kind']=='categorical'"
check "time column is not a feature" json "$T/r.json" "'time_ms' not in d['columns']"
check "markdown report written" grep -q "## Dataset drift: \*\*DETECTED\*\*" "$T/r.md"

# the same session as Edge Impulse output gives the same prediction drift
check "EI log report" "$BIN" report -r $REF samples/har-session.ei.log --json "$T/ei.json" -q
check "EI log detected as edge-impulse with 219 records" json "$T/ei.json" \
  "d['input']['format']=='edge-impulse' and d['input']['rows']==219 and d['input']['noise_lines']>0"
check "EI log: same prediction drift as the CSV" /usr/bin/python3 -c "
import json; a=json.load(open('$T/r.json'))['columns']['pred']; b=json.load(open('$T/ei.json'))['columns']['pred']
assert a['method']==b['method'] and a['drifted']==b['drifted'] and abs(a['score']-b['score'])<=1e-12*max(1,abs(a['score'])), (a,b)"

# the issue's own command: --window 60 --stride 30. The s03 part is 28 records, so only the
# warm-up window (records 0-29, as a live dashboard has after 30 records) is before the change
check "window 60/30: warm-up window (s03) no drift, every window after the subject change drifts" sh -c "
  '$BIN' report -r $REF $SES --window 60 --stride 30 --json '$T/w60.json' -q &&
  '$BIN' report -r $REF samples/har-session.ei.log --window 60 --stride 30 --json '$T/w60ei.json' -q &&
  /usr/bin/python3 -c \"
import json; a=json.load(open('$T/w60.json')); b=json.load(open('$T/w60ei.json'))
w=a['windows']
assert [(x['first_record'], x['last_record']) for x in w] == [(0, 29)] + [(30 * k, 30 * k + 59) for k in range(6)], w
assert a['warmup_windows'] == 1 and not w[0]['dataset_drift'] and all(x['dataset_drift'] for x in w[1:])
assert a['first_drifted_window'] == 1 and a['windows_drifted'] == 6
assert [x['columns']['pred'] for x in b['windows']] == [x['columns']['pred'] for x in w]
assert b['input']['bad_lines'] == 0, b['input']
\""

# warm-up windows (fewer records than the window) are marked and never counted as drift: the
# first 35 records of the session, window 30 stride 5: windows 0-4 are warm-ups, two of them
# over the share on 15-25 records, windows 5 and 6 (full) are not
{ head -36 $SES; } > "$T/h35.csv"
printf '{"tests": [{"name": "no window drifted", "figure": "windows_drifted", "eq": 0}]}' > "$T/windows.json"
status 0 "check: drift only in warm-up windows is not a verdict: exit 0 (the windows' test passes)" \
  "$BIN" check -r $REF "$T/h35.csv" --window 30 --stride 5 --tests "$T/windows.json"
check "check: the warm-ups are said, with how many were over the share, and marked ~ in the strip" \
  grep -q "windows 0-4 are warm-ups, not judged: fewer records, all there were (2 over the share, not counted)" "$T/last" \
  --and grep -Eq "^  ~~~~~\.\.   \('#' dataset drift, '\.' none, '~' warm-up" "$T/last"
"$BIN" report -r $REF $SES --window 30 --stride 5 --json "$T/warm.json" --markdown "$T/warm.md" -q
check "report JSON: each window says whether it is a warm-up; drifted counts only full windows" /usr/bin/python3 -c "
import json
a = json.load(open('$T/warm.json')); w = a['windows']
assert [x['warmup'] for x in w] == [x['records'] < 30 for x in w] == [True] * 5 + [False] * (len(w) - 5), w
assert a['warmup_windows'] == 5 and a['warmup_windows_drifted'] == sum(x['dataset_drift'] for x in w[:5]) == 2, a
assert a['windows_drifted'] == sum(x['dataset_drift'] for x in w[5:]), a
assert a['first_drifted_window'] == min(k for k, x in enumerate(w) if x['dataset_drift'] and not x['warmup']), a"
check "report Markdown: warm-up windows read 'warming up N/W', not a verdict" \
  grep -q "^| 0–4 | 2000 | 6000 | 0.4286 | \*warming up 5/30\* |" "$T/warm.md"

# check: exit codes
"$BIN" check -r $REF $REF -q; rc=$?
check "check: reference against itself exits 0" test $rc = 0
"$BIN" check -r $REF $SES -q; rc=$?
check "check: drifted session exits 1" test $rc = 1
"$BIN" check -r $REF /nonexistent.csv -q 2>"$T/err"; rc=$?
check "check: missing file exits 2" test $rc = 2
check "check: missing file message names the file" grep -q "/nonexistent.csv: cannot open" "$T/err"
"$BIN" check -r $REF tests/data/empty.csv -q 2>"$T/err"; rc=$?
check "check: empty session exits 2 with a message" sh -c "test $rc = 2 && grep -q 'no records in tests/data/empty.csv' '$T/err'"
check "empty session: report explains, no bogus out-of-memory" sh -c "'$BIN' report -r $REF tests/data/empty.csv -q 2>&1 | grep -q 'no records' && ! '$BIN' report -r $REF tests/data/empty.csv -q 2>&1 | grep -q 'out of memory'"
"$BIN" report -r tests/data/empty.csv $SES -q 2>"$T/err"; rc=$?
check "empty reference: exit 2, named" sh -c "test $rc = 2 && grep -q 'tests/data/empty.csv: no records in the reference' '$T/err'"
"$BIN" $SES 2>"$T/err"; rc=$?
check "no -r and no terminal: exit 2 and one line that says the dashboard needs one (no help dump)" \
  test $rc = 2 --and test "$(wc -l < "$T/err")" = 1 --and grep -q "the dashboard needs a terminal" "$T/err"
"$BIN" record - 2>"$T/err" < /dev/null; rc=$?
check "record without -o: exit 2, one line" test $rc = 2 --and test "$(wc -l < "$T/err")" = 1 --and grep -q "missing -o FILE" "$T/err"
"$BIN" report --window 0 -r $REF $SES 2>"$T/err"; rc=$?
check "bad option value: exit 2 with the reason" sh -c "test $rc = 2 && grep -q -- '--window .0.: expected' '$T/err'"

# bad input: every case counted with its line, nothing fatal
# (ax, ay are not the reference's features: nothing is compared, so report exits 2, but it still writes the JSON)
check "bad input file: report still runs, writes the JSON and exits 2 (nothing compared)" sh -c \
  "'$BIN' report -r $REF tests/data/bad-input.csv --json '$T/bad.json' -q; test \$? = 2"
check "bad input: the JSON says why it is an error" json "$T/bad.json" \
  "d['status']=='error' and [p['kind'] for p in d['problems']]==['bad_lines','nothing_compared']"
check "bad input: bad lines counted with line numbers" json "$T/bad.json" \
  "d['input']['bad_lines']==5 and [b['line'] for b in d['input']['first_bad_lines']]==[4,5,6,7,9,11] and d['input']['rows']==6"
check "bad input: NaN/inf/text are missing values" json "$T/bad.json" \
  "abs(d['columns']['ay']['quality']['missing_share']-2/6)<1e-12 and d['input']['bad_fields']==1"
check "bad input: features missing from the reference are reported, not scored" json "$T/bad.json" \
  "d['columns']['ax']['scored'] is False and d['columns']['ax']['not_scored']=='not in the reference'"
"$BIN" report -r tests/data/one-row.csv tests/data/one-row.csv -q 2>"$T/err"; rc=$?
check "one-row reference: runs with a warning" sh -c "test $rc = 0 && grep -q 'single record' '$T/err'"

# stdin, plotter format, help, version, config
check "stdin source" sh -c "'$BIN' report -r $REF - --json '$T/in.json' -q < $SES && grep -q '\"rows\":219' '$T/in.json'"
check "plotter file" "$BIN" report -r samples/har-raw.plotter.txt samples/har-raw.plotter.txt --json "$T/p.json" -q
check "plotter: six series, no drift against itself" json "$T/p.json" \
  "d['input']['format']=='plotter' and d['dataset']['columns']==6 and not d['dataset']['dataset_drift']"
check "--stattest psi forces the method" sh -c "'$BIN' report -r $REF $SES --stattest psi --json - | grep -q '\"method\":\"psi\"'"
check "--help" sh -c "'$BIN' report --help | grep -q -- '--window N'"
check "--help fits 80 columns" sh -c "for c in '' report check '-r x' record watch simulate ports; do '$BIN' \$c --help; done |
  /usr/bin/python3 -c 'import sys; sys.exit(max(len(l.rstrip(chr(10))) for l in sys.stdin) > 80)'"
check "--version" sh -c "'$BIN' --version | grep -q '^driftscope '"
mkdir -p "$T/cfg/driftscope"; echo "stattest = wasserstein" > "$T/cfg/driftscope/config"
check "config file sets options" sh -c "XDG_CONFIG_HOME='$T/cfg' '$BIN' report -r $REF $SES --json - | grep -q '\"method\":\"wasserstein\"'"

# committed samples are exactly what the generator makes
SHARED=${DRIFTSCOPE_SHARED:-../shared}
if [ -d "$SHARED/data/sp-sw-har/DATA" ]; then
  check "samples regenerate identically" sh -c "build/har-samples '$SHARED/data/sp-sw-har/DATA' '$T' 2>/dev/null && \
    for f in har-reference.csv har-session.csv har-session.ei.log har-raw.plotter.txt; do cmp samples/\$f '$T'/\$f || exit 1; done"
else
  echo "skip - samples regenerate identically ($SHARED/data/sp-sw-har not found; set DRIFTSCOPE_SHARED)"
fi
if [ -d "$SHARED/data/ceiling-fan/ceiling-fan" ]; then
  check "fan samples regenerate identically" sh -c "scripts/fan-samples.sh '$SHARED/data/ceiling-fan/ceiling-fan' '$T' && \
    cmp samples/fan-reference.csv '$T/fan-reference.csv' && cmp samples/fan-session.csv '$T/fan-session.csv'"
else
  echo "skip - fan samples regenerate identically ($SHARED/data/ceiling-fan not found)"
fi

# a large file read from disk and the same bytes from a pipe give the same report
build/gen-bench "$T" 20000 120000 >/dev/null 2>&1
check "large file reports like the same bytes from stdin" sh -c "
  '$BIN' report -r '$T/ref.csv' '$T/session.csv' --window 1000 --stride 500 --json '$T/big1.json' -q &&
  '$BIN' report -r '$T/ref.csv' - --window 1000 --stride 500 --json '$T/big2.json' -q < '$T/session.csv' &&
  /usr/bin/python3 -c \"
import json; a=json.load(open('$T/big1.json')); b=json.load(open('$T/big2.json'))
for d in (a, b):
    d['input'].pop('sources'); d.pop('reference')
assert a == b, 'reports differ'
assert a['input']['rows'] == 120000 and len(a['windows']) == 240 and a['warmup_windows'] == 1
\""

check "large file without windows (two parser threads) reports like stdin (one)" sh -c "
  '$BIN' report -r '$T/ref.csv' '$T/session.csv' --json '$T/split1.json' -q &&
  '$BIN' report -r '$T/ref.csv' - --json '$T/split2.json' -q < '$T/session.csv' &&
  /usr/bin/python3 -c \"
import json; a=json.load(open('$T/split1.json')); b=json.load(open('$T/split2.json'))
for d in (a, b):
    d['input'].pop('sources'); d.pop('reference')
assert a == b, 'reports differ'
assert a['input']['rows'] == 120000 and a['scope']['rows'] == 120000
\""

# windows are compared while the file streams in, and records no window needs are dropped:
# each window must equal a plain report of the same records, the session figures a plain
# report of the whole file, and the columns the last window
check "streamed windows equal plain reports of the same records; session figures of the whole" sh -c "
  '$BIN' report -r '$T/ref.csv' '$T/session.csv' --json '$T/whole.json' -q &&
  /usr/bin/python3 -c \"
lines = open('$T/session.csv').read().splitlines(True)
for k in (0, 1, 120, 239):  # window k: the 1000 records before 500 (k + 1), window 0 the first 500
    end = 500 * (k + 1)
    open('$T/slice%d.csv' % k, 'w').writelines([lines[0]] + lines[1 + max(0, end - 1000):1 + end])
\" &&
  for k in 0 1 120 239; do '$BIN' report -r '$T/ref.csv' '$T/slice'\$k.csv --json '$T/slice'\$k.json -q || exit 1; done &&
  /usr/bin/python3 -c \"
import json
w = json.load(open('$T/big1.json')); whole = json.load(open('$T/whole.json'))
assert [(w['windows'][k]['first_record'], w['windows'][k]['records']) for k in (0, 1, 239)] == [(0, 500), (0, 1000), (119000, 1000)]
for k in (0, 1, 120, 239):
    s = json.load(open('$T/slice%d.json' % k))
    for name, c in w['windows'][k]['columns'].items():
        assert c['score'] == s['columns'][name]['score'], (k, name, c['score'], s['columns'][name]['score'])
        assert c['drifted'] == s['columns'][name]['drifted'], (k, name)
    assert w['windows'][k]['dataset_drift'] == s['dataset']['dataset_drift'], k
last = json.load(open('$T/slice239.json'))
assert w['scope'] == {'records': 'last_window', 'first_record': 119000, 'last_record': 119999, 'rows': 1000}, w['scope']
for name, c in w['columns'].items():
    assert c['score'] == last['columns'][name]['score'], name
    assert c['session_quality'] == whole['columns'][name]['session_quality'], name
    assert c['session_quality']['missing_share'] == whole['columns'][name]['quality']['missing_share'], name
fs = w['classification'].pop('from_scores'); whole['classification'].pop('from_scores')
assert w['classification'] == whole['classification'] and w['detectors'] == whole['detectors']
assert fs['records'] == 'last_window' and fs == dict(last['classification']['from_scores'], records='last_window'), fs  # ROC AUC, log loss: the last window's
assert w['dataset'] == last['dataset'] and whole['scope']['records'] == 'session'
\""

# several sessions are one stream: each file's header maps to the same columns
/usr/bin/python3 -c "
lines = open('$T/session.csv').read().splitlines(True)
open('$T/part1.csv', 'w').writelines(lines[:60001])
open('$T/part2.csv', 'w').writelines([lines[0]] + lines[60001:])"
check "two session files report like the one file they were cut from" sh -c "
  for w in '' '--window 1000 --stride 700'; do
    '$BIN' report -r '$T/ref.csv' '$T/part1.csv' '$T/part2.csv' \$w --json '$T/parts.json' -q 2>'$T/parts.err' &&
    '$BIN' report -r '$T/ref.csv' '$T/session.csv' \$w --json '$T/one.json' -q &&
    test ! -s '$T/parts.err' &&
    /usr/bin/python3 -c \"
import json; a=json.load(open('$T/parts.json')); b=json.load(open('$T/one.json'))
assert a['input']['rows'] == b['input']['rows'] == 120000, a['input']
for k in ('columns', 'dataset', 'classification', 'detectors', 'windows', 'scope'):
    assert a.get(k) == b.get(k), k
\" || exit 1
  done"

# a column whose kind is settled only after the first window (empty, then text)
/usr/bin/python3 -c "
with open('$T/late.csv','w') as f:
    f.write('x,tag,label\n')
    for i in range(3000): f.write('%d,%s,%s\n' % (i % 50, '' if i < 1500 else ('on' if i % 2 else 'off'), 'a' if i % 3 else 'b'))"
check "late-settled column kind: windows redone, column categorical" sh -c "
  '$BIN' report -r '$T/late.csv' '$T/late.csv' --window 1000 --json '$T/late.json' -q &&
  /usr/bin/python3 -c \"
import json; d=json.load(open('$T/late.json'))
assert d['columns']['tag']['kind'] == 'categorical' and len(d['windows']) == 3
assert 'tag' in d['windows'][2]['columns'] and not d['dataset']['dataset_drift']
\""

# the same, once records have been dropped: the column cannot be compared again, and the report says so
/usr/bin/python3 -c "
with open('$T/late2.csv','w') as f:
    f.write('x,tag,label\n')
    for i in range(70000): f.write('%d,%s,%s\n' % (i % 50, '' if i < 66000 else ('on' if i % 2 else 'off'), 'a' if i % 3 else 'b'))"
check "column settled after records were dropped: left out, with a note" sh -c "
  '$BIN' report -r '$T/late.csv' '$T/late2.csv' --window 1000 --json '$T/late2.json' > '$T/late2.txt' &&
  grep -q 'note: some columns appeared or changed type after windowing began' '$T/late2.txt' &&
  /usr/bin/python3 -c \"
import json; d=json.load(open('$T/late2.json'))
assert d['columns']['tag']['not_scored'] == 'its type changed after windowing began', d['columns']['tag']
assert 'run without --window' in d['warning'] and len(d['windows']) == 70
assert d['columns']['x']['scored'] and d['input']['rows'] == 70000
\""

# what a user reads: the summary's per-window strip and quality columns
check "summary: window strip shows no drift first, drift after the subject change" sh -c "
  '$BIN' report -r $REF $SES --window 30 --stride 15 > '$T/summary.txt' &&
  grep -q '^  ~\.############ ' '$T/summary.txt' && grep -q 'first drift in records 15-44' '$T/summary.txt' &&
  grep -q '^  window 0 is a warm-up, not judged: records 0-14' '$T/summary.txt' &&
  grep -q 'missing outside  drift' '$T/summary.txt' && test \$(awk '{ if (length(\$0) > m) m = length(\$0) } END { print m }' '$T/summary.txt') -le 80"

# --- spectra (--spectrum): 2048 samples at 200 Hz give 256-point segments; a sine at bin 15
# (11.71875 Hz) against one at bin 6 (4.6875 Hz) ---
/usr/bin/python3 -c "
import math
def write(path, k, n=2048, fs=200.0):
    with open(path, 'w') as f:
        f.write('time_ms,x\n')
        for i in range(n):
            f.write('%.1f,%.9f\n' % (i * 1000.0 / fs, math.sin(2 * math.pi * k * fs / 256 * i / fs)))
write('$T/sine61.csv', 15); write('$T/sine26.csv', 6)"
check "--spectrum: dominant frequencies in their bins, the rate from time_ms, JS drift" sh -c "
  '$BIN' report -r '$T/sine26.csv' '$T/sine61.csv' --spectrum --json '$T/sp.json' -q &&
  /usr/bin/python3 -c \"
import json, math
s = json.load(open('$T/sp.json'))['columns']['x']['spectrum']
assert s['sample_rate_hz'] == 200 and s['nfft'] == 256, s
assert s['dominant_hz'] == 15 * 200 / 256 and s['reference_dominant_hz'] == 6 * 200 / 256, s
assert s['drifted'] and abs(s['js_distance'] - math.sqrt(math.log(2))) < 0.05, s\""
check "--spectrum: the same signal has JS 0, no spectral drift" sh -c "
  '$BIN' report -r '$T/sine61.csv' '$T/sine61.csv' --spectrum --json '$T/sp2.json' -q &&
  /usr/bin/python3 -c \"
import json
s = json.load(open('$T/sp2.json'))['columns']['x']['spectrum']
assert s['js_distance'] < 1e-6 and not s['drifted'], s\""
awk -F, 'NR == 1 { print "x,y"; next } { print $2 "," $2 }' "$T/sine61.csv" > "$T/notime.csv"
check "--spectrum without times: says to give --rate; with --rate it is computed" sh -c "
  '$BIN' report -r '$T/notime.csv' '$T/notime.csv' --spectrum --json '$T/sp3.json' -q &&
  grep -q 'unknown sample rate: no time column or rx_ms; give --rate HZ' '$T/sp3.json' &&
  '$BIN' report -r '$T/notime.csv' '$T/notime.csv' --spectrum --rate 200 --json '$T/sp4.json' -q &&
  /usr/bin/python3 -c \"
import json
s = json.load(open('$T/sp4.json'))['columns']['x']['spectrum']
assert s['sample_rate_hz'] == 200 and s['dominant_hz'] == 15 * 200 / 256, s\""
