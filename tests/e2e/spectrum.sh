#!/bin/bash
# End-to-end test of the Spectrum view (5) on the ceiling-fan sample: the
# real binary (ASan+UBSan) in tmux. TAP-style output.
set -u
cd "$(dirname "$0")/../.."
BIN=${DRIFTSCOPE:-build/asan/driftscope}
if ! command -v tmux >/dev/null 2>&1; then echo "skip - spectrum tests: tmux is not installed"; exit 0; fi
T=$(mktemp -d)
SOCK="$T/tmux.sock"
tm() { tmux -S "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1
. tests/e2e/lib/screen.bash
tm new-session -d -s s -x 120 -y 36 "LC_ALL=C.UTF-8 $BIN -r samples/fan-reference.csv samples/fan-session.csv --window 2000 --stride 200 --paused; echo EXIT=\$?; sleep 60"
wait_for "PAUSED" 10
keys 5
check "view 5 before any record: says there are too few samples" wait_for "too few samples for a spectrum: 0 in the window"
keys End
check "view 5: the window's spectrum against the reference's, the axis in Hz" \
  wait_for "Spectrum of x, window 4000-5999" && wait_for "128-point segments at 200 Hz" && wait_for "0 Hz .* 50 Hz .* 100 Hz"
check "view 5 reads the dominant frequency (the fan's 79.69 Hz line) and the reference's" \
  wait_for "dominant 79\\.69 Hz \\(reference 79\\.69 Hz\\)"
check "high speed: the spectral drift score is over its threshold" wait_for "Jensen-Shannon distance 0\\.[1-9][0-9]* >= 0\\.1: SPECTRAL DRIFT"
check "the peaks are marked with their frequencies" wait_for "peaks: 79\\.69 Hz 93\\.75 Hz"
keys g
check "g: a log (dB) scale" wait_for "power density \\(dB\\)"
keys j
check "j: the next feature" wait_for "Spectrum of y"
keys q
check "q exits 0" wait_for "^EXIT=0" 5

# the issue's check on the fan sample, per stretch of the session (x axis, 128-point segments):
# the low-speed stretch stays under the spectral drift threshold, the coin and high speed cross it
for part in "low 2,2001p <" "coin 2002,4001p >=" "high 4002,6001p >="; do
  set -- $part
  { head -1 samples/fan-session.csv; sed -n "$2" samples/fan-session.csv; } > "$T/$1.csv"
  "$BIN" report -r samples/fan-reference.csv "$T/$1.csv" --spectrum --json "$T/$1.json" -q
  check "fan, $1 stretch: x's spectral JS distance $3 0.1" /usr/bin/python3 -c "
import json
s = json.load(open('$T/$1.json'))['columns']['x']['spectrum']
assert s['sample_rate_hz'] == 200 and s['nfft'] == 128, s
assert (s['js_distance'] >= 0.1) == ('$3' == '>=') and s['drifted'] == ('$3' == '>='), s"
done

# raw-signal streams: headerless numbers (the fan's own files) and plotter lines need --rate
SHARED=${DRIFTSCOPE_SHARED:-../shared}
if [ -d "$SHARED/data/ceiling-fan/ceiling-fan" ]; then
  cat "$SHARED"/data/ceiling-fan/ceiling-fan/fan_0_low_0_weight/00[0-4]*.csv > "$T/raw-ref.txt"
  cat "$SHARED"/data/ceiling-fan/ceiling-fan/fan_0_high_0_weight/00[0-4]*.csv > "$T/raw-high.txt"
  "$BIN" report -r "$T/raw-ref.txt" "$T/raw-high.txt" --spectrum --rate 200 --json "$T/raw.json" -q
  check "headerless raw samples (x, y, z) with --rate 200: spectra, the 79.69 Hz line, drift at high speed" /usr/bin/python3 -c "
import json
c = json.load(open('$T/raw.json'))['columns']
assert sorted(c) == ['f0', 'f1', 'f2'], sorted(c)
assert all(c[k]['spectrum']['dominant_hz'] == 79.6875 and c[k]['spectrum']['drifted'] for k in c), c"
else
  echo "skip - raw fan files ($SHARED/data/ceiling-fan not found)"
fi
"$BIN" report -r samples/har-raw.plotter.txt samples/har-raw.plotter.txt --spectrum --rate 100 --json "$T/plot.json" -q
check "plotter lines (about 100 Hz) with --rate 100: a spectrum per series, the same signal not drifted" /usr/bin/python3 -c "
import json
c = json.load(open('$T/plot.json'))['columns']
assert len(c) == 6 and all(v['spectrum']['sample_rate_hz'] == 100 and not v['spectrum']['drifted'] for v in c.values()), c"

# live: the fan played by a simulated board at 200 records/s, view 5 in the dashboard
"$BIN" simulate samples/fan-session.csv --rate 200 --link "$T/fan" > /dev/null 2>&1 & SIM=$!
for i in $(seq 50); do [ -L "$T/fan" ] && break; sleep 0.1; done
tm kill-server 2>/dev/null
SOCK="$T/tmux2.sock"
tm new-session -d -s s -x 120 -y 36 "cd $T && LC_ALL=C.UTF-8 $OLDPWD/$BIN -r $OLDPWD/samples/fan-reference.csv $T/fan --window 1000 --stride 200 --no-record; sleep 60"
keys 5
check "live raw stream: view 5 shows the spectrum at the stream's 200 Hz (time_ms)" wait_for "segments at 200 Hz" 15
check "live raw stream: the dominant frequency is read" wait_for "dominant [0-9.]+ Hz \\(reference [0-9.]+ Hz\\)" 5
kill $SIM 2>/dev/null
