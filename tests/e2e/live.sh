#!/bin/bash
# End-to-end tests of live input through pseudo-terminals: `simulate`
# plays a file like a board, `record` captures it; socat's pty pairs stand
# in for a cable that is pulled and plugged back. TAP-style output.
. "$(dirname "$0")/lib/tap.bash"
PIDS=()
at_exit 'for p in ${PIDS[@]+"${PIDS[@]}"}; do kill "$p" 2>/dev/null; done'
REF=samples/har-reference.csv
SES=samples/har-session.csv
# wait_file FILE PATTERN [SECONDS]
wait_file() {
  local i
  for ((i = 0; i < ${3:-10} * 10; i++)); do grep -qE -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
# same_report A.json B.json: the same columns, classification and windows (receive times aside)
same_report() {
  /usr/bin/python3 -c "
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for d in (a, b):
    for w in d.get('windows', []):
        w.pop('start_ms'); w.pop('end_ms')
assert a['columns'] == b['columns'], 'columns differ'
assert a.get('classification') == b.get('classification'), 'classification differs'
assert a['windows'] == b['windows'], 'windows differ'
assert a['input']['rows'] == b['input']['rows'] == 219, (a['input']['rows'], b['input']['rows'])
" "$@"
}

# --- a CSV board: simulate -> record -> the recording reports like the file ---
"$BIN" simulate $SES --rate 400 > "$T/sim1.out" 2> "$T/sim1.err" & PIDS+=($!)
wait_file "$T/sim1.out" "^/dev/" 5
PTY=$(head -1 "$T/sim1.out")
"$BIN" record "$PTY" -o "$T/rec1.csv" 2> "$T/rec1.err" & REC=$!; PIDS+=($REC)
check "simulate plays all records into its pty" wait_file "$T/sim1.err" "played 219 records" 15
check "record sees the hang-up when the board goes" wait_file "$T/rec1.err" "disconnected \\(hang-up\\)" 5
kill -INT $REC; wait $REC; rc=$?
check "record stops on Ctrl-C, exit 0" test $rc = 0
check "record's last word: 219 records" grep -q "rec1.csv: 219 records" "$T/rec1.err"
check "session file: metadata, then rx_ms first" sh -c "grep -q '^# source: /dev/pts/' '$T/rec1.csv' && grep -q '^# format: csv' '$T/rec1.csv' && grep -q '^# baud: 115200 8N1' '$T/rec1.csv' && grep -q '^rx_ms,time_ms,ax_mean,' '$T/rec1.csv'"
"$BIN" report -r $REF "$T/rec1.csv" --window 30 --stride 15 --json "$T/rec1.json" -q
"$BIN" report -r $REF $SES --window 30 --stride 15 --json "$T/orig.json" -q
check "the recording reports exactly like the file it came from" same_report "$T/rec1.json" "$T/orig.json"

# --- an Edge Impulse board ---
"$BIN" simulate $SES --format ei --rate 400 > "$T/sim2.out" 2> "$T/sim2.err" & PIDS+=($!)
wait_file "$T/sim2.out" "^/dev/" 5
"$BIN" record "$(head -1 "$T/sim2.out")" -o "$T/rec2.csv" 2> "$T/rec2.err" & REC=$!; PIDS+=($REC)
wait_file "$T/sim2.err" "played 219 records" 15
wait_file "$T/rec2.err" "disconnected" 5
kill -INT $REC; wait $REC
"$BIN" report -r $REF "$T/rec2.csv" --json "$T/rec2.json" -q
"$BIN" report -r $REF samples/har-session.ei.log --json "$T/ei.json" -q
check "EI board: recorded as edge-impulse, same prediction drift as the EI log" /usr/bin/python3 -c "
import json; a=json.load(open('$T/rec2.json')); b=json.load(open('$T/ei.json'))
assert a['input']['rows'] == 219 and a['input']['bad_lines'] == 0, a['input']
for c in (a, b):  # the recording has receive times, the log none: the onset's times differ, its records not
    for k in ('time_ms', 'time_ms_low', 'time_ms_high', 'since_ms'):
        c['columns']['pred']['change'].pop(k)
assert a['columns']['pred'] == b['columns']['pred'], (a['columns']['pred'], b['columns']['pred'])
assert open('$T/rec2.csv').read().count('# format: edge-impulse') == 1"

# --- a cable pulled and plugged back (socat pty pair behind stable links) ---
if command -v socat >/dev/null 2>&1; then
  socat pty,raw,echo=0,link="$T/board" pty,raw,echo=0,link="$T/host" 2>/dev/null & SOCAT=$!; PIDS+=($SOCAT)
  for i in $(seq 50); do [ -e "$T/host" ] && [ -e "$T/board" ] && break; sleep 0.1; done
  "$BIN" record "$T/host" -o "$T/rec3.csv" 2> "$T/rec3.err" & REC=$!; PIDS+=($REC)
  sleep 0.5
  head -31 $SES > "$T/board"
  check "through a link to a pty (termios path): records arrive" wait_file "$T/rec3.err" " 30 records" 5
  kill $SOCAT; wait $SOCAT 2>/dev/null
  check "cable pulled: DISCONNECTED, retrying" wait_file "$T/rec3.err" "disconnected" 5
  socat pty,raw,echo=0,link="$T/board" pty,raw,echo=0,link="$T/host" 2>/dev/null & SOCAT=$!; PIDS+=($SOCAT)
  check "plugged back: reconnected" wait_file "$T/rec3.err" "reconnected after" 5
  sed -n '32,61p' $SES > "$T/board"
  check "the same session goes on after the gap" wait_file "$T/rec3.err" " 60 records" 5
  "$BIN" record "$T/host" -o "$T/rec4.csv" 2> "$T/rec4.err"; rc=$?
  check "a second recorder on the same port is refused (exit 2, named)" sh -c "test $rc = 2 && grep -q 'in use by another program' '$T/rec4.err'"
  kill -INT $REC; wait $REC
  check "gap marker in the session file, nothing lost: 60 records" sh -c "grep -q '^# gap: disconnected from rx_ms' '$T/rec3.csv' && test \$(grep -vc '^#' '$T/rec3.csv') = 61"
  # ten replugs, the board printing the moment its port is back: what it
  # printed before we reopened is kept (no flush on a reopen)
  "$BIN" record "$T/host" -o "$T/rec5.csv" 2> "$T/rec5.err" & REC=$!; PIDS+=($REC)
  sleep 0.3
  sed -n '1,31p' $SES > "$T/board"
  wait_file "$T/rec5.err" " 30 records" 5
  for k in $(seq 0 9); do
    kill $SOCAT; wait $SOCAT 2>/dev/null
    wait_file "$T/rec5.err" "disconnected" 5
    socat pty,raw,echo=0,link="$T/board" pty,raw,echo=0,link="$T/host" 2>/dev/null & SOCAT=$!; PIDS+=($SOCAT)
    for i in $(seq 50); do [ -e "$T/board" ] && break; sleep 0.02; done
    sed -n "$((32 + 18 * k)),$((49 + 18 * k))p" $SES > "$T/board"
    sleep 0.4
  done
  kill -INT $REC; wait $REC
  check "ten replugs, records printed as the port came back: all 210 kept, ten gap markers" \
    test "$(grep -vc '^#' "$T/rec5.csv")" = 211 --and test "$(grep -c '^# gap: ' "$T/rec5.csv")" = 10
  # the release build too (ASan's memmove hid this): a first read that holds
  # no whole record writes nothing, then the records come
  "$ROOT/driftscope" record "$T/host" -o "$T/rec7.csv" 2> "$T/rec7.err" & REC=$!; PIDS+=($REC)
  sleep 0.3
  printf 'time_ms,ax' > "$T/board"
  sleep 0.3
  printf '\n1,2\n2,3\n' > "$T/board"
  wait_file "$T/rec7.err" " 2 records" 5
  kill -INT $REC; wait $REC; rc=$?
  check "release build: a first read with no whole record, then two: exit 0, both recorded" \
    test $rc = 0 --and test "$(grep -vc '^#' "$T/rec7.csv")" = 3
  # a program reading the port without a lock would split the data: named, refused
  cat "$T/host" > /dev/null & CAT=$!; PIDS+=($CAT)
  sleep 0.3
  "$BIN" record "$T/host" -o "$T/rec6.csv" 2> "$T/rec6.err"; rc=$?
  check "a port another program has open (cat, no lock): refused, the program named" \
    test $rc = 2 --and grep -q "cat (pid $CAT) has it open too; the two would split what the board prints" "$T/rec6.err"
  kill $CAT $SOCAT 2>/dev/null
else
  echo "skip - socat tests: socat is not installed"
fi

# --- the libserialport path itself, on a pty: an LD_PRELOAD shim (tests/shim)
# answers the two things libserialport 0.1.1 refuses ptys for ---
SHIM=$PWD/build/sp_pty.so
if command -v socat >/dev/null 2>&1 && [ -e "$SHIM" ]; then
  socat pty,raw,echo=0,link="$T/spb" pty,raw,echo=0,link="$T/sph" 2>/dev/null & SOCAT=$!; PIDS+=($SOCAT)
  for i in $(seq 50); do [ -e "$T/sph" ] && [ -e "$T/spb" ] && break; sleep 0.1; done
  before=$(stty -F "$T/sph" -g)
  LD_PRELOAD=$SHIM ASAN_OPTIONS=detect_leaks=1:verify_asan_link_order=0 \
    "$BIN" record "$T/sph" -o "$T/sp.csv" --baud 9600 --stop-bits 2 --flow rtscts 2> "$T/sp.err" & REC=$!; PIDS+=($REC)
  check "libserialport opens the pty (its real sp_* calls, through the shim)" wait_file "$T/sp.err" "opened with libserialport" 5
  # (a pty keeps no parity bits, so --parity is not checked here)
  stty -F "$T/sph" -a | tr ' ' '\n' > "$T/sp.stty"
  check "libserialport set each field: 9600 baud, 2 stop bits, RTS/CTS, 8 bits, raw" \
    sh -c "grep -qx 9600 '$T/sp.stty' && grep -qx cstopb '$T/sp.stty' && grep -qx crtscts '$T/sp.stty' && grep -qx cs8 '$T/sp.stty' && grep -qx -- -icanon '$T/sp.stty'"
  head -11 $SES > "$T/spb"
  check "records arrive through libserialport's fd: 10 records" wait_file "$T/sp.err" " 10 records" 5
  kill -INT $REC; wait $REC; rc=$?
  check "libserialport path: Ctrl-C stops cleanly, 10 records in the file" sh -c "test $rc = 0 && test \$(grep -vc '^#' '$T/sp.csv') = 11"
  check "libserialport path: the port's settings are back as found" test "$(stty -F "$T/sph" -g)" = "$before"
  "$BIN" record "$T/sph" -o "$T/tio.csv" 2> "$T/tio.err" & REC=$!; PIDS+=($REC)
  check "without the shim the same pty opens through termios" wait_file "$T/tio.err" "opened with termios" 5
  kill -INT $REC; wait $REC
  kill $SOCAT 2>/dev/null
else
  echo "skip - libserialport shim tests: socat or build/sp_pty.so missing"
fi

# --- standard input: ends when the pipe does ---
head -11 $SES | "$BIN" record - -o "$T/stdin.csv" 2> "$T/stdin.err"; rc=$?
check "record - : a pipe's records, stops at its end, exit 0" sh -c "test $rc = 0 && grep -q 'standard input ended' '$T/stdin.err' && test \$(grep -vc '^#' '$T/stdin.csv') = 11 && grep -q '^# source: standard input' '$T/stdin.csv'"

# --- a recording replayed at its pace (paced:FILE), as a board printed it ---
$PY -c "
print('# driftscope session')
print('rx_ms,time_ms,ax_mean,label')
for i in range(20):
    print('%d,%d,%.1f,%s' % (500 + 100 * i, 1000 * i, i / 2, 'A' if i < 10 else 'B'))" > "$T/paced-in.csv"
t0=$EPOCHREALTIME
"$BIN" record "paced:$T/paced-in.csv" -o "$T/paced.csv" 2> "$T/paced.err"; rc=$?
t1=$EPOCHREALTIME
check "record paced:FILE: every record, its columns as they were, then it ends (exit 0)" \
  test $rc = 0 --and grep -q "paced-in.csv (replayed at its pace) ended" "$T/paced.err" --and $PY -c "
import pandas as pd
a, b = pd.read_csv('$T/paced-in.csv', comment='#'), pd.read_csv('$T/paced.csv', comment='#')
assert len(b) == 20 and (a.drop(columns='rx_ms') == b.drop(columns='rx_ms')).all().all(), b"
check "paced: at the recording's pace (1.9 s from the first record to the last, 0.1 s apart)" $PY -c "
import pandas as pd, numpy as np
b = pd.read_csv('$T/paced.csv', comment='#')
d = np.diff(b.rx_ms.values)
took = $t1 - $t0
assert 1.75 <= took <= 3, took
assert abs(np.median(d[d > 0]) - 100) < 15, d"

# --- sources that never end: stopped cleanly, what was read said ---
"$BIN" record - -o "$T/zero.csv" < /dev/zero 2> "$T/zero.err" & z=$!
sleep 1.5
kill -TERM $z
t0=$(date +%s%N); wait $z; rc=$?; t1=$(date +%s%N)
check "record - < /dev/zero: SIGTERM stops it within a second, exit 2, and it says what came" \
  test $(((t1 - t0) / 1000000)) -lt 1000 --and test $rc = 2 \
  --and grep -q 'bytes and 1 lines received, none of them a record (first bad line: line longer than 64 KiB)' "$T/zero.err"
"$BIN" report -r $REF /dev/zero 2> "$T/rz.err" & z=$!
sleep 2.5
kill -INT $z
wait $z; rc=$?
check "report on /dev/zero: progress each second, Ctrl-C stops it with what was read, exit 2" \
  grep -q '^driftscope: reading /dev/zero: [0-9.]* MB, 0 records, 0 lines so far; Ctrl-C stops' "$T/rz.err" \
  --and grep -q '^driftscope: /dev/zero: interrupted after [0-9]* bytes, 0 records' "$T/rz.err" --and test $rc = 2

# --- refusals and listings ---
touch "$T/exists.csv"
"$BIN" record /dev/null -o "$T/x.csv" 2> "$T/err1"; rc=$?
check "record: a device that is not a tty, exit 2 with the reason" sh -c "test $rc = 2 && grep -q '/dev/null: not a serial port or terminal' '$T/err1'"
"$BIN" simulate $SES --rate 400 > "$T/sim5.out" 2>/dev/null & PIDS+=($!)
wait_file "$T/sim5.out" "^/dev/" 5
"$BIN" record "$(head -1 "$T/sim5.out")" -o "$T/exists.csv" 2> "$T/err2"; rc=$?
check "record never overwrites a file" sh -c "test $rc = 2 && grep -q 'exists; recordings are never overwritten' '$T/err2'"
"$BIN" record /nonexistent/ttyUSB9 -o "$T/y.csv" 2> "$T/err3"; rc=$?
check "record: a missing device, exit 2, named" sh -c "test $rc = 2 && grep -q '/nonexistent/ttyUSB9: cannot open' '$T/err3'"
check "ports lists or says there is none, exit 0" sh -c "'$BIN' ports | grep -qE 'PORT|no USB serial port found'"
