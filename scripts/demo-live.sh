#!/bin/bash
# `make demo-live`: a simulated board (driftscope simulate, a pty playing the
# sample at 20 records/s) watched live in the dashboard, which records it
# under build/. Kill the simulator from another terminal to see
# DISCONNECTED, start it again (same --link) to see the session go on; q quits. Without a terminal, `driftscope record` captures
# the board for a few seconds and the recording is reported instead.
set -eu
cd "$(dirname "$0")/.."
mkdir -p build
REF=samples/har-reference.csv
REC=build/driftscope-$(date +%Y%m%d-%H%M%S).csv
OUT=$(mktemp)
BOARD=build/board
./driftscope simulate samples/har-session.csv --rate 20 --link "$BOARD" > "$OUT" 2>/dev/null &
SIM=$!
trap 'kill $SIM 2>/dev/null || true; rm -f "$OUT"' EXIT
for _ in $(seq 50); do [ -s "$OUT" ] && break; sleep 0.1; done
PTY=$(head -1 "$OUT")
echo "simulated board on $PTY, linked as $BOARD (pid $SIM: kill it to pull the cable;"
echo "plug it back with: ./driftscope simulate samples/har-session.csv --rate 20 --link $BOARD)"
if [ -t 0 ] && [ -t 1 ]; then
  ./driftscope -r "$REF" "$BOARD" --window 30 --stride 5 --record "$REC"
else
  echo "no terminal: recording the board for 5 s, then the report of the recording"
  timeout -s INT 5 ./driftscope record "$PTY" -o "$REC" 2>&1 | tail -1 || true
  ./driftscope report -r "$REF" "$REC" --window 30 --stride 15
fi
