#!/bin/bash
# End-to-end tests of the live dashboard: the real binary (ASan+UBSan
# build) in tmux, reading a "board" that is a socat pty pair behind stable
# links (the test writes records into one end; killing socat is pulling the
# cable) or standard input. Asserts on the screen (capture-pane), on the
# session file it records, and on what it says when it exits. TAP-style.
. "$(dirname "$0")/lib/tap.bash"
need tmux socat || exit 0
SOCAT=
at_exit '[ -n "$SOCAT" ] && kill $SOCAT 2>/dev/null'
REF=$ROOT/samples/har-reference.csv
SES=$ROOT/samples/har-session.csv
. tests/e2e/lib/screen.bash
# more_records N: within 10 s the header counts more than N records
more_records() {
  local i k
  for i in $(seq 100); do
    k=$(screen | head -1 | grep -oE '[0-9]+ records' | grep -oE '[0-9]+')
    [ "${k:-0}" -gt "$1" ] && return 0
    sleep 0.1
  done
  echo "the header still counts ${k:-no} records" >&2
  return 1
}
# rows FILE: data rows in a session file (header and # lines aside)
rows() { grep -v '^#' "$1" | tail -n +2 | wc -l; }
# board: a pty pair; the test writes into $T/board, driftscope reads $T/host
board_up() {
  socat pty,raw,echo=0,link="$T/board" pty,raw,echo=0,link="$T/host" 2>/dev/null & SOCAT=$!
  local i
  for i in $(seq 50); do [ -e "$T/host" ] && [ -e "$T/board" ] && return 0; sleep 0.1; done
  return 1
}
board_down() { kill $SOCAT; wait $SOCAT 2>/dev/null; SOCAT=; }
dash_pid() { pgrep -f -n "driftscope -r $REF"; }

# --- a CSV board on a pty: live records, pause, cable pulled and back ---
board_up
start 100 30 "$BIN" -r $REF "$T/host" --window 30 --stride 5
check "opens LIVE on the device, recording to the default file" \
  wait_for "driftscope +LIVE +host +0 records .*rec driftscope-[0-9]{8}-[0-9]{6}\\.csv"
head -31 $SES > "$T/board"
check "live records reach the screen: 30 records" wait_for " 30 records +[0-9]+/s"
check "the Overview compares them: 28 records of the reference's subject, no dataset drift" \
  wait_for "no dataset drift +6/14 features drifted"
REC=$(ls "$RUN"/driftscope-*.csv 2>/dev/null | head -1)
check "the session file is written as records arrive (30 rows)" test "$(rows "$REC")" = 30
keys Space
check "Space pauses the display" wait_for "PAUSED .*record 30 of 30"
sed -n '32,61p' $SES > "$T/board"
check "paused: records keep arriving (record 30 of 60)" wait_for "PAUSED .*record 30 of 60"
sleep 0.3
check "paused: recording goes on (60 rows in the file)" test "$(rows "$REC")" = 60
keys End
check "End: back to live, 60 records" wait_for "LIVE .* 60 records"
check "live, after the subject change: DATASET DRIFT" wait_for "DATASET DRIFT"
board_down
check "cable pulled: DISCONNECTED with the time since" wait_for "DISCONNECTED [0-9]+ s .*60 records" 5
check "the footer says it is retrying" wait_for "disconnected \\(hang-up\\); retrying every 0.1 s" 5
board_up
check "plugged back: reconnected, LIVE again" wait_for "reconnected after [0-9.]+ s" 5
sed -n '62,91p' $SES > "$T/board"
check "the same session goes on: 90 records" wait_for "LIVE .* 90 records"
printf 'x\377\376garbage at the wrong baud\001\002\n\377\377\n' > "$T/board"
sed -n '92,101p' $SES > "$T/board"
check "garbage is counted as bad lines, the stream recovers: 100 records" wait_for "LIVE .* 100 records .*bad lines 2"
keys q
check "q quits with status 0" wait_for "^EXIT=0"
check "on exit: where the recording is and how to replay it, with the options used" \
  grep -q 'driftscope-[0-9-]*\.csv: 100 records recorded' "$T/stderr" \
  --and grep -qE "replay it: driftscope -r $REF driftscope-[0-9-]+\\.csv --window 30 --stride 5\$" "$T/stderr"
check "session file: 100 rows, a gap marker, nothing lost" \
  sh -c "test \$(grep -v '^#' '$REC' | tail -n +2 | wc -l) = 100 && grep -q '^# gap: disconnected from rx_ms' '$REC'"
# the rows are the board's rows, in order, values intact
grep -v '^#' "$REC" | cut -d, -f2- > "$T/rec-rows.csv"
{ head -1 $SES; sed -n '2,101p' $SES; } > "$T/sent.csv"
check "recorded rows equal the rows sent (rx_ms aside)" \
  /usr/bin/python3 -c "
import csv
a = list(csv.reader(open('$T/rec-rows.csv'))); b = list(csv.reader(open('$T/sent.csv')))
assert len(a) == len(b) == 101, (len(a), len(b))
assert a[0] == b[0], (a[0], b[0])
for x, y in zip(a[1:], b[1:]):
    assert [float(v) if v.replace('.','',1).replace('-','',1).replace('e','',1).isdigit() else v for v in x] == \
           [float(v) if v.replace('.','',1).replace('-','',1).replace('e','',1).isdigit() else v for v in y], (x, y)"
check "the recording replays with the live session's pacing (rx_ms, never decreasing)" \
  /usr/bin/python3 -c "
import csv
r = [float(x[0]) for x in list(csv.reader(l for l in open('$REC') if not l.startswith('#')))[1:]]
assert all(b >= a for a, b in zip(r, r[1:])), 'rx_ms decreases'
assert r[-1] - r[0] > 500, r  # the cable was out for more than 0.5 s"
# the replay's clock runs from the first record to the last, as they were received
FIRST=$(grep -v '^#' "$REC" | sed -n 2p | cut -d, -f1)
LAST=$(grep -v '^#' "$REC" | tail -1 | cut -d, -f1)
DUR=$(/usr/bin/python3 -c "t=round((float('$LAST')-float('$FIRST'))/100); print('%d:%02d:%02d.%d' % (t//36000, t//600%60, t//10%60, t%10))")
start 100 30 "$BIN" -r $REF "$REC" --window 30 --stride 5 --speed max
check "the recording replays in the dashboard: 100 records, over the live session's time ($DUR)" \
  wait_for "END .*record 100/100 +${DUR//./\\.}/${DUR//./\\.}"
check "the replay ends with the live verdict: dataset drift" wait_for "DATASET DRIFT"
keys q
wait_for "^EXIT=0" 5
"$BIN" report -r $REF "$REC" --window 30 --stride 5 --json "$T/rec.json" -q
"$BIN" report -r $REF "$T/sent.csv" --window 30 --stride 5 --json "$T/sent.json" -q
check "the recording reports exactly like the rows sent" /usr/bin/python3 -c "
import json
a, b = (json.load(open(f)) for f in ('$T/rec.json', '$T/sent.json'))
for d in (a, b):
    for w in d.get('windows', []):
        w.pop('start_ms'); w.pop('end_ms')
assert a['columns'] == b['columns'] and a['windows'] == b['windows'] and a['input']['rows'] == 100"
board_down

# --- labelling live: the display paused, the stream still recorded ---
board_up
start 100 30 "$BIN" -r $REF "$T/host" --record lab.csv
wait_for "LIVE" 5
head -31 $SES > "$T/board"
wait_for " 30 records" 5
keys Space 6 v h h h h h Enter
wait_for "label the selection" 5
keys -l LIVE1
keys Enter
check "live: a segment labelled while paused, its row in lab.csv.labels.csv" \
  sh -c "sleep 0.5 && grep -q '^add,1,.*,LIVE1,' '$RUN/lab.csv.labels.csv'"
sed -n '32,41p' $SES > "$T/board"
check "live: records keep being recorded meanwhile (40 rows)" sh -c "sleep 1 && test \$(grep -v '^#' '$RUN/lab.csv' | tail -n +2 | wc -l) = 40"
# labelling without pausing: the selection stays on its records while
# more arrive, the picker open; a name typed there keeps its j and k
keys End
wait_for "LIVE" 5
keys v h h h h h
sed -n '42,46p' $SES > "$T/board"
wait_for " 45 records" 5
keys Enter
wait_for "label the selection" 5
sed -n '47,51p' $SES > "$T/board"
wait_for " 50 records" 5
keys -l jk-live
keys Enter
check "live, not paused: the records selected are labelled, not the live edge" \
  wait_for "records 29-34 labelled jk-live" --and grep -q '^add,2,.*,jk-live,' "$RUN/lab.csv.labels.csv"
keys q
wait_for "^EXIT=0" 5
board_down

# --- a label made live is the same records on replay (stream time runs
# from the first record, live as on replay): the first record comes a
# second after the start, then one every 0.1 s ---
board_up
start 100 30 "$BIN" -r $REF "$T/host" --record align.csv
wait_for "LIVE" 5
sleep 1
head -1 $SES > "$T/board"
for i in $(seq 2 21); do sed -n "${i}p" $SES > "$T/board"; sleep 0.1; done
wait_for " 20 records" 5
keys Space 6 v h h h Enter
wait_for "label the selection" 5
keys -l ALIGN
keys Enter
check "live: records 16-19 labelled" wait_for "records 16-19 labelled ALIGN"
keys q
wait_for "^EXIT=0" 5
board_down
check "replayed, the live label holds the same records: export gives records 16-19" \
  sh -c "'$BIN' export '$RUN/align.csv' --out '$T/align' > '$T/align.out' 2>&1 && $PY -c \"
import pandas as pd
rec = pd.read_csv('$RUN/align.csv', comment='#')
ds = pd.read_csv('$T/align/dataset.csv')
got = ds[ds.segment_label == 'ALIGN']
assert len(got) == 4, got
assert list(got.ax_mean) == list(rec.ax_mean[16:20]), (list(got.ax_mean), list(rec.ax_mean[16:20]))
\""

# --- memory runs out (the release build, with an allocator that fails on
# cue): the display stops and says so, the recording goes on, q quits ---
if [ -e "$ROOT/build/fail_alloc.so" ]; then
  board_up
  start 100 30 "DS_FAIL_ALLOC_FILE=$T/oom DS_FAIL_ALLOC_MIN=262144 LD_PRELOAD=$ROOT/build/fail_alloc.so $ROOT/driftscope" \
    -r $REF "$T/host" --keep 100 --window 10 --stride 1 --record oom.csv
  wait_for "LIVE" 5
  head -51 $SES > "$T/board"
  wait_for " 50 records" 5
  touch "$T/oom"
  sed -n '52,220p' $SES > "$T/board"
  check "out of memory: the display stops and says the recording goes on" \
    wait_for "OUT OF MEMORY at record [0-9]+: the display stopped there; the recording goes on in oom.csv"
  sleep 0.5
  keys q
  check "out of memory: q quits, exit 2, said on exit" wait_for "^EXIT=2" 5 \
    --and grep -q "out of memory at record [0-9]*: the display stopped there, the recording went on" "$T/stderr"
  check "out of memory: the recording has every record (219)" test "$(rows "$RUN/oom.csv")" = 219
  board_down
else
  echo "skip - out of memory: build/fail_alloc.so is not built"
fi

# --- kill -9 loses nothing received more than a moment before ---
board_up
start 100 30 "$BIN" -r $REF "$T/host" --record k9.csv
wait_for "LIVE" 5
head -61 $SES > "$T/board"
wait_for " 60 records" 5
sleep 1
kill -9 "$(dash_pid)"
check "kill -9: the session file holds every record shown (60)" test "$(rows "$RUN/k9.csv")" = 60
check "kill -9: the file still replays (report reads 60 records)" \
  sh -c "'$BIN' report -r $REF '$RUN/k9.csv' --json '$T/k9.json' -q && grep -q '\"rows\": *60' '$T/k9.json'"

# --- SIGTERM flushes everything and says so ---
start 100 30 "$BIN" -r $REF "$T/host" --record term.csv
wait_for "LIVE" 5
sed -n '1p;62,161p' $SES > "$T/board"
wait_for " 100 records" 5
kill -TERM "$(dash_pid)"
check "SIGTERM: exit 143, terminal given back" wait_for "^EXIT=143" 5
check "SIGTERM: 100 records recorded, all in the file" \
  sh -c "grep -q 'term.csv: 100 records recorded' '$T/stderr' && test \$(grep -v '^#' '$RUN/term.csv' | tail -n +2 | wc -l) = 100"
board_down

# --- an Edge Impulse board with log noise between its blocks ---
board_up
start 100 30 "$BIN" -r $REF "$T/host" --no-record
check "--no-record: the header says not recording" wait_for "LIVE .*not recording"
awk '/^Predictions/ { print "[wifi] rssi -67 dBm, reconnecting..." } { print } END { print "" }' \
  $ROOT/samples/har-session.ei.log > "$T/board"
check "EI stream with interleaved log noise: 219 records, 0 bad lines" wait_for "LIVE .* 219 records .*bad lines 0"
check "EI stream: the prediction mix is shown" wait_for "predicted +now +ref"
keys q
wait_for "^EXIT=0" 5
check "--no-record: no session file written" sh -c "! ls '$RUN'/*.csv 2>/dev/null"
check "--no-record: says the records were not recorded" grep -q "219 records received, not recorded" "$T/stderr"

# --- a session file that cannot be written: monitoring goes on ---
start 100 30 "$BIN" -r $REF "$T/host" --record /nonexistent/dir/s.csv
check "unwritable --record: NOT RECORDING on screen, named" wait_for "NOT RECORDING: /nonexistent/dir/s.csv: No such file"
head -11 $SES > "$T/board"
check "unwritable --record: monitoring goes on (10 records, header: not recording)" wait_for "LIVE .* 10 records .*not recording"
keys q
wait_for "^EXIT=0" 5
touch "$T/exists.csv"
start 100 30 "$BIN" -r $REF "$T/host" --record "$T/exists.csv"
check "an existing --record file is refused, exit 2" wait_for "^EXIT=2" 5
check "an existing --record file: the reason" grep -q "exists.csv: exists; recordings are never overwritten" "$T/stderr"
board_down

# --- standard input: keys come from the terminal, the data from the pipe ---
start 100 30 "head -61 $SES | $BIN -r $REF - --record in.csv"
check "stdin (-): 60 records, ENDED when the pipe ends" wait_for "ENDED +stdin +60 records"
keys 2
check "stdin (-): keys still work (2: Features)" wait_for "Features, window"
keys q
check "stdin (-): q quits, status 0" wait_for "^EXIT=0" 5
check "stdin (-): 60 records recorded from standard input" \
  sh -c "test \$(grep -v '^#' '$RUN/in.csv' | tail -n +2 | wc -l) = 60 && grep -q '^# source: standard input' '$RUN/in.csv'"

# --- a long session keeps its last --keep records in memory; the
# recording has them all, and going back further says so ---
# --- a new board has no reference yet: watch, record, label; --baseline N takes the first N ---
start 100 30 "head -120 $SES | $BIN - --record nore.csv --window 30 --stride 5"
check "no -r: the live dashboard runs, says drift needs a reference and how to take one" \
  wait_for "ENDED +stdin +119 records" --and wait_for "NO REFERENCE +drift needs one: B takes the current window"
check "no -r: the stream's features in the window (mean, std, min, max, missing)" \
  wait_for "^ column +mean +std +min +max +missing" --and wait_for "^ ax_mean +-?[0-9.]+ "
keys q
check "no -r: q exits 0, and says how to replay the recording (no -r in it)" \
  wait_for "^EXIT=0" 5 --and grep -q "^replay it: driftscope nore.csv --window 30 --stride 5" "$T/stderr"
check "no -r: every record recorded" sh -c "test \$(grep -vc '^#' '$RUN/nore.csv') = 120"
start 100 30 "head -120 $SES | $BIN - --no-record --baseline 30 --window 30 --stride 5"
check "--baseline 30, live: once 30 records came, they are the reference; drift after the subject change" \
  wait_for "ENDED +stdin +119 records" --and wait_for "DATASET DRIFT" --and wait_for "vs records 0-29 of the stream"
keys q
wait_for "^EXIT=0" 5

start 100 30 "$BIN -r $REF - --keep 150 --window 30 --stride 5 --record keep.csv < $SES"
check "--keep 150: all 219 records counted" wait_for "ENDED +stdin +219 records"
keys 6
check "--keep 150: the Timeline shows the records kept, 69-218" wait_for "Timeline of .*, records 69-218"
keys Home
check "--keep 150: Home says the records before 69 are in the recording" \
  wait_for "records before 69 are no longer in memory \(--keep\); the recording has them: keep.csv"
keys q
check "--keep 150: q quits, status 0" wait_for "^EXIT=0" 5
check "--keep 150: the recording has every record (219)" test "$(rows "$RUN/keep.csv")" = 219
check "--keep shorter than a window and a stride is refused" \
  sh -c "'$BIN' -r $REF - --keep 30 --window 30 2>&1 < /dev/null | grep -q 'keep 30 is too few: the window and a stride need 33 records'"

# --- a recording replayed at its pace (paced:FILE): the live dashboard, as with a board ---
$PY -c "
import pandas as pd
d = pd.read_csv('$SES').head(40)
d.insert(0, 'rx_ms', [50 * i for i in range(40)])
d.to_csv('$T/paced-har.csv', index=False)"
start 100 30 "$BIN -r $REF paced:$T/paced-har.csv --record replayed.csv"
check "paced:FILE: LIVE, then ENDED with its 40 records" wait_for "LIVE" 5 --and wait_for "ENDED .* 40 records" 10
keys q
check "paced:FILE: q quits, status 0" wait_for "^EXIT=0" 5
check "paced:FILE: all 40 recorded again" test "$(rows "$RUN/replayed.csv")" = 40

# --- a source that is never empty: q and SIGTERM are still served ---
start 100 30 "$BIN -r $REF - --no-record < /dev/zero"
check "stdin is /dev/zero: the dashboard draws" wait_for "LIVE +stdin"
keys q
check "stdin is /dev/zero: q quits within a second" wait_for "^EXIT=0" 1
yes "$(sed -n 2p $SES)" | head -c 200000000 > "$T/flood.csv.body"
{ head -1 $SES; cat "$T/flood.csv.body"; } > "$T/flood.csv"
start 100 30 "$BIN -r $REF - --no-record < $T/flood.csv"
check "a 200 MB file on stdin: the dashboard draws while it reads" wait_for "LIVE +stdin +[0-9]+ records"
kill -TERM "$(dash_pid)"
check "a 200 MB file on stdin: SIGTERM ends it within a second" wait_for "^EXIT=" 1
rm -f "$T/flood.csv" "$T/flood.csv.body"

# --- the issue's scenario: simulate behind a stable link, killed and restarted ---
SIMS=()
sim() { "$BIN" simulate $ROOT/samples/har-session.ei.log --rate 20 --link "$T/sim" > /dev/null 2> "$T/sim.err" & SIMS+=($!); }
sim
for i in $(seq 50); do [ -L "$T/sim" ] && break; sleep 0.1; done
start 100 30 "$BIN" -r $REF "$T/sim" --record sim.csv
check "simulate --link: the dashboard shows the board's records live" wait_for "LIVE +sim +[1-9][0-9]* records" 10
kill -TERM ${SIMS[0]} 2>/dev/null; wait ${SIMS[0]} 2>/dev/null
check "simulate killed: DISCONNECTED" wait_for "DISCONNECTED [0-9]+ s" 5
check "simulate killed: its link is gone" test ! -e "$T/sim"
before=$(screen | head -1 | grep -oE '[0-9]+ records' | grep -oE '[0-9]+')
sim
check "simulate restarted: reconnected through the link, the session goes on" wait_for "reconnected after" 10
check "simulate restarted: more records than before ($before)" \
  more_records "$before"
keys q
wait_for "^EXIT=0" 5
kill ${SIMS[1]} 2>/dev/null; wait ${SIMS[1]} 2>/dev/null
N=$(grep -oE 'sim.csv: [0-9]+ records recorded' "$T/stderr" | grep -oE '[0-9]+ records' | grep -oE '[0-9]+')
"$BIN" report -r $REF "$RUN/sim.csv" --json "$T/sim.json" -q
check "quit and replay: the recording reports all $N records, with a gap marker" \
  sh -c "grep -q '\"rows\": *$N,' '$T/sim.json' && grep -q '^# gap: ' '$RUN/sim.csv'"

# --- refusals ---
"$BIN" -r $REF $SES --record x.csv 2> "$T/err.rec" < /dev/null; rc=$?
check "--record with a recorded file: exit 2, explained" sh -c "test $rc = 2 && grep -q 'is a recorded file: --record' '$T/err.rec'"
"$BIN" -r $REF 2> "$T/err.none" < /dev/null; rc=$?
check "no SOURCE: the one USB port, else exit 2 naming what to give" \
  sh -c "test $rc = 2 && grep -qE 'no USB serial port found|USB serial ports found|needs a terminal' '$T/err.none'"
