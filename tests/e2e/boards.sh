#!/bin/bash
# Several boards in one dashboard: three simulated boards (simulate
# --link), each recorded, labelled and analysed on its own; the board bar
# shows all three; b switches; one is pulled and comes back while the others
# stream on with no loss; per-board references and label journals; the
# metrics of all three; the layout check at 80x24 and 200x60.
. "$(dirname "$0")/lib/tap.bash"
need tmux || exit 0
. tests/e2e/lib/screen.bash
REF=samples/har-reference.csv
SES=samples/har-session.csv
. tests/e2e/lib/sim.bash
steady_csv "$T/steady.csv"
# records N in the header: the shown board's count
records() { screen | head -1 | grep -oE '[0-9]+ records' | grep -oE '[0-9]+'; }
more_records() { # BEFORE: the shown board's count grows past it within 3 s
  local i
  for i in $(seq 30); do [ "$(records)" -gt "$1" ] 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

sim one $SES
sim two $SES
SIM2=${PIDS[-1]}
sim steady "$T/steady.csv"
links one two steady
start 100 30 "$BIN" -r $ROOT/$REF --board one="$T/one" --board two="$T/two" -r steady=$ROOT/$REF \
  --board steady="$T/steady" --window 30 --stride 3 --metrics-file "$T/boards.prom"
check "the board bar shows the three boards, LIVE, with their records/s" \
  wait_for "^1 one LIVE [0-9]+/s .* 2 two LIVE [0-9]+/s .* 3 steady LIVE [0-9]+/s" 10
check "the views show board one first, its recording named after it" \
  wait_for "LIVE +one +[0-9]+ records .*rec driftscope-[0-9]{8}-[0-9]{6}-one\\.csv" 5
check "each board's verdict side by side: one and two drift, steady (the reference's own records) does not" \
  wait_for "1 one LIVE [0-9]+/s DRIFT [0-9]+% .*2 two LIVE [0-9]+/s DRIFT [0-9]+% .*3 steady LIVE [0-9]+/s ok [0-9]+%" 10
keys b
check "b: the views show board two" wait_for "LIVE +two +[0-9]+ records .*-two\\.csv" 3 \
  --and wait_for "showing two \\(2 of 3; b: the next board\\)" 1
keys b
check "b again: steady, and its Overview says no dataset drift" wait_for "LIVE +steady +[0-9]+ records" 3 \
  --and wait_for "no dataset drift" 3
keys b
check "b again: back to one" wait_for "LIVE +one +[0-9]+ records" 3

# --- board two is pulled and comes back; the others stream on ---
kill $SIM2
wait $SIM2 2>/dev/null
check "the pulled board shows DISCONNECTED in the bar, and says so with its name" \
  wait_for "2 two DISCONNECTED" 5 --and wait_for "two: .*disconnected" 2
before=$(records)
check "meanwhile the shown board (one) keeps streaming" more_records "$before"
keys b
check "board two's own view says DISCONNECTED" wait_for "DISCONNECTED [0-9]+ s +two" 3
sim two $SES
check "it comes back: LIVE again in the bar" wait_for "2 two LIVE" 10
# --- a label on board two goes to board two's journal only ---
keys 6
sleep 0.3
keys v h h h h h Enter
sleep 0.3
keys Enter
check "a label on board two" wait_for "labelled|segment" 5
for i in $(seq 150); do grep -q "played 300" "$T/sim-steady.err" 2>/dev/null && grep -q "played 219" "$T/sim-two.err" 2>/dev/null && break; sleep 0.1; done
sleep 0.5
keys q
check "q exits 0" wait_for "^EXIT=0" 5
check "each board's recording and its replay command are said" \
  grep -qE "driftscope-[0-9]{8}-[0-9]{6}-one\\.csv: 219 records recorded" "$T/stderr" \
  --and grep -qE "driftscope-[0-9]{8}-[0-9]{6}-steady\\.csv: 300 records recorded" "$T/stderr" \
  --and grep -qE "replay it: driftscope -r $ROOT/$REF driftscope-[0-9]{8}-[0-9]{6}-two\\.csv --window 30 --stride 3" "$T/stderr"
check "no loss: every record each board printed is in its recording, in order; the pulled one has its gap" \
  no_loss "$RUN/driftscope-*-%s.csv" one=$SES steady="$T/steady.csv" two=$SES
check "the label went to board two's journal, beside its recording; the others' have none" \
  sh -c "grep -q '^add,' '$RUN'/driftscope-*-two.csv.labels.csv" \
  --and sh -c "! cat '$RUN'/driftscope-*-one.csv.labels.csv '$RUN'/driftscope-*-steady.csv.labels.csv 2>/dev/null | grep -q '^add,'"
check "the metrics file has the three boards, steady not drifting" \
  grep -q 'driftscope_records_total{board="one"} 219' "$T/boards.prom" \
  --and grep -q 'driftscope_records_total{board="steady"} 300' "$T/boards.prom" \
  --and grep -q 'driftscope_dataset_drifted{board="steady"} 0' "$T/boards.prom" \
  --and grep -q 'driftscope_connected{board="two"}' "$T/boards.prom"

# --- the layout with a board bar: nothing overlaps, nothing is cut ---
for size in "80 24" "200 60" "60 16"; do
  set -- $size
  sim a $SES
  sim b "$T/steady.csv"
  links a b
  start "$1" "$2" DRIFTSCOPE_CHECK_LAYOUT=1 "$BIN" -r $ROOT/$REF --board first-board-name="$T/a" \
    --board second-board-with-a-long-name="$T/b" --window 30 --no-record
  wait_for "LIVE" 5
  sleep 1
  for k in 1 2 3 4 5 6 b 1 2 3 6 '?'; do keys "$k"; sleep 0.2; done
  keys q
  wait_for "^EXIT=" 5
  check "layout at $1x$2 with two boards: 0 overlaps, 0 cut texts" grep -q "layout check: 0 overlaps, 0 cut texts" "$T/stderr"
done

# --- what several boards refuse ---
status 2 "two recorded files: one replay at a time" "$BIN" -r $REF $SES samples/fan-session.csv
check "... said" grep -q "is a recorded file: the dashboard replays one at a time" "$T/last"
status 2 "--record with several boards" "$BIN" -r $REF --board a=/dev/null --board b=/dev/zero --record x.csv
check "... said: each board gets its own file" grep -q "with several boards each is recorded to" "$T/last"
status 2 "two boards of one name" "$BIN" -r $REF --board a=/dev/null --board a=/dev/zero
check "... said" grep -q "two boards are named a" "$T/last"
status 2 "-r NAME=FILE for no such board" "$BIN" -r nine=$REF --board a=/dev/null --board b=/dev/zero
check "... said" grep -q "no board is named nine" "$T/last"
exit 0
