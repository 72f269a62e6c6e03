#!/bin/bash
# The dashboard's layout at the sizes it promises (60x16, the minimum; 80x24;
# 200x60), in colour, with NO_COLOR and in LC_ALL=C: every view, the zoom, the
# help, sorted and filtered, with the layout check on (DRIFTSCOPE_CHECK_LAYOUT:
# the dashboard counts a panel writing a cell another panel wrote, and a text
# longer than its room). Also sort and filter, the full-screen help, and the
# minimum being what the layout needs.
. "$(dirname "$0")/lib/tap.bash"
need tmux || exit 0
. tests/e2e/lib/screen.bash

# visit COLS ROWS ENV REF SESSION ARGS...: every view and mode (REF none: without -r); the layout
# check's line (on stderr at exit) in $T/layout.err
visit() {
  local cols=$1 rows=$2 env=$3 ref=$4 ses=$5; shift 5
  fresh
  cat > "$T/run.sh" <<EOS
env $env DRIFTSCOPE_CHECK_LAYOUT=1 $BIN $([ "$ref" = none ] || echo "-r $ref") $ses --paused $* 2> "$T/layout.err"
echo EXIT=\$?
sleep 60
EOS
  tm new-session -d -s s -x "$cols" -y "$rows" "bash $T/run.sh"
  wait_for "PAUSED" 10 || return 1
  # the first frames (no window yet), then the end; each view; the zoom;
  # the confusion matrix's modes; the timeline's cursor; sorted, filtered;
  # the help at its start and end
  local k
  for k in 1 2 3 4 5 6 7 End 1 2 Enter Escape 3 4 w % 5 f F g 6 h h h 7 s 1 s 2 s / m a Enter 1 Escape '?' End; do
    keys "$k"
    sleep 0.12
  done
  keys Escape q
  wait_for "EXIT=0" 10
}
# clean: no overlap and no text cut, by the dashboard's own count
clean() { grep -q "layout check: 0 overlaps, 0 cut texts" "$T/layout.err" || { cat "$T/layout.err" >&2; return 1; }; }

HAR="samples/har-reference.csv samples/har-session.csv --window 30"
FAN="samples/fan-reference.csv samples/fan-session.csv"
$PY tests/e2e/lib/challenger.py samples/har-reference.csv samples/har-session.csv "$T/two.csv"
TWO="samples/har-reference.csv $T/two.csv --window 30"
for size in "60 16" "80 24" "120 40" "200 60"; do
  set -- $size
  visit "$1" "$2" "LC_ALL=C.UTF-8 TERM=xterm-256color" $HAR
  check "${1}x${2}, the HAR sample, colour: no panel over another, no text cut" clean
  visit "$1" "$2" "LC_ALL=C NO_COLOR=1 TERM=xterm" $FAN
  check "${1}x${2}, the fan sample, NO_COLOR and LC_ALL=C: no panel over another, no text cut" clean
  visit "$1" "$2" "LC_ALL=C.UTF-8 TERM=xterm-256color" $TWO
  check "${1}x${2}, the HAR sample with a challenger (Models view): no panel over another, no text cut" clean
done

# a live stream (standard input, keys from the terminal): the live header, recording named
for size in "60 16" "80 24"; do
  set -- $size
  fresh
  cat > "$T/run.sh" <<EOS
cd "$T"
head -150 $ROOT/samples/har-session.csv | LC_ALL=C.UTF-8 DRIFTSCOPE_CHECK_LAYOUT=1 $BIN -r $ROOT/samples/har-reference.csv - --window 30 --record "$T/live-$1.csv" 2> "$T/layout.err"
echo EXIT=\$?
sleep 60
EOS
  tm new-session -d -s s -x "$1" -y "$2" "bash $T/run.sh"
  wait_for "ENDED" 10
  for k in 1 2 3 4 5 6 Space 1 '?' Escape; do keys "$k"; sleep 0.12; done
  keys q
  wait_for "EXIT=0" 10
  check "${1}x${2}, live from standard input, recording: no panel over another, no text cut" clean
done

# no reference yet (the stream against itself), then B
for size in "60 16" "200 60"; do
  set -- $size
  visit "$1" "$2" "LC_ALL=C NO_COLOR=1" none samples/har-session.csv --window 30
  check "${1}x${2}, no reference, NO_COLOR and LC_ALL=C: no panel over another, no text cut" clean
done

# a real recording that is not a sample: the ai-nose gas sensors, office
# (reference) against kitchen, co2 with its outliers
SHARED=${DRIFTSCOPE_SHARED:-../shared}
if [ -d "$SHARED/data/ai-nose/datasets/office" ]; then
  nose() { # nose DIR OUT: the directory's files as one stream
    { head -1 "$(ls "$SHARED/data/ai-nose/datasets/$1"/*.csv | head -1)"
      for f in "$SHARED/data/ai-nose/datasets/$1"/*.csv; do tail -n +2 "$f"; echo; done; } | grep -v '^$' > "$2"
  }
  nose office "$T/office.csv"
  nose kitchen "$T/kitchen.csv"
  for size in "60 16" "200 60"; do
    set -- $size
    visit "$1" "$2" "LC_ALL=C.UTF-8" "$T/office.csv" "$T/kitchen.csv" --window 80
    check "${1}x${2}, ai-nose office against kitchen: no panel over another, no text cut" clean
  done
else
  echo "skip - ai-nose recordings ($SHARED/data/ai-nose not found)"
fi
# the ST phone-free HAR board: headerless mg integers at 26 Hz, walking against walking + running
ST="$SHARED/data/st-har/dataset"
if [ -d "$ST/walking" ]; then
  cat "$ST"/walking/walking_0[1-3]*.csv > "$T/st-ref.csv"
  cat "$ST"/walking/walking_0[4-6]*.csv "$ST"/running/running_0[1-2]*.csv > "$T/st-ses.csv"
  for size in "60 16" "80 24"; do
    set -- $size
    visit "$1" "$2" "LC_ALL=C NO_COLOR=1" "$T/st-ref.csv" "$T/st-ses.csv" --rate 26
    check "${1}x${2}, st-har (headerless, mg, 26 Hz), NO_COLOR, LC_ALL=C: no panel over another, no text cut" clean
  done
else
  echo "skip - st-har recordings ($ST not found)"
fi

# --- sort and filter (80x24, HAR at its end) ---
fresh
tm new-session -d -s s -x 80 -y 24 "LC_ALL=C.UTF-8 $BIN -r $HAR --paused 2>$T/err; echo EXIT=\$?; sleep 60"
wait_for "PAUSED" 10
keys End
wait_for "record 219/219"
keys s
check "s: the features by drift, worst first, and the table's head says so" \
  wait_for "features by drift, worst first" --and wait_for "^ by drift +test +score|history +by drift"
# the table's rows (screen lines 6-19: the 14 features): field N of each
rows() { screen | sed -n '6,19p' | awk "{print \$$1}"; }
worst_first() { # p-values, as the chart scale ranks them: -log10 p over -log10 0.05
  rows 3 > "$T/scores" && /usr/bin/python3 -c "
import math
v = [float(x) for x in open('$T/scores').read().split()]
r = [-math.log10(x) / -math.log10(0.05) for x in v]
assert len(v) == 14 and r == sorted(r, reverse=True), v"
}
a_to_z() { rows 1 > "$T/names" && [ "$(wc -l < "$T/names")" = 14 ] && sort -c "$T/names"; }
check "by drift: the rows run from the most drifted (score over threshold) down" worst_first
keys s
check "s again: by name, a to z" wait_for "^ by name +test|history +by name" --and a_to_z
keys s s
check "s cycles back to the file's order" wait_for "^ column +test +score" --and wait_for "^ ax_mean +ks"
keys 3
keys m
check "m selects the worst feature" wait_for "drifted most: ay_mean"
keys 1 s
keys 3
check "the selection follows its feature through a new order" wait_for "Drift of ay_mean"
keys 1 / m a g
check "/ and letters: the filter as it is typed, what it lets through" \
  wait_for "filter: mag_ +2 of 14 features" --and wait_for "^ /mag.* +test +score|history +/mag by drift"
check "the filtered table: only the matching features (and the model's outputs)" \
  wait_for "^ mag_mean " --and wait_for "^ mag_std " --and absent "^ ax_mean "
keys Enter
check "Enter keeps the filter" wait_for "filter 'mag': 2 of 14 features"
keys 2
check "the Features grid honours the filter" wait_for "Features, window 189-218, by drift, /mag: 2" --and absent "ax_mean"
keys 3
check "the selection moved to a feature the filter shows" wait_for "Drift of mag_"
keys 1 Escape
check "Esc clears the filter: all 14 again" wait_for "no filter: all 14 features" --and wait_for "^ ax_mean "
keys / z z z Enter
check "a filter that matches nothing says so" wait_for "no column matches the filter"
keys Escape q
check "q exits 0 after sorting and filtering" wait_for "EXIT=0"

# --- the help: every key of every table, as the source declares it ---
fresh
tm new-session -d -s s -x 200 -y 60 "LC_ALL=C.UTF-8 $BIN -r $HAR --paused; sleep 60"
wait_for "PAUSED" 10
keys '?'
wait_for "help: every key"
screen > "$T/help.txt"
keys End
screen >> "$T/help.txt"
check "the full-screen help lists every key binding with a label in src/ui (key and text)" /usr/bin/python3 -c "
import glob, re
help = open('$T/help.txt').read()
want = []
for f in glob.glob('src/ui/*.c'):
    for t in re.finditer(r'KeyBinding \\w+\\[\\] = \\{(.*?)\\n\\};', open(f).read(), re.S):
        for m in re.finditer(r'\{\s*[^,{}]+,\s*\"([^\"]+)\",\s*\"((?:[^\"\\\\]|\\\\.)*)\"', t.group(1)):
            want.append(m.groups())
assert len(want) >= 30, want
missing = [k for k in want if not re.search(r'^ +' + re.escape(k[0]) + r' +' + re.escape(k[1]), help, re.M)]
assert not missing, missing"
keys q

# --- the minimum is what the layout needs: one column fewer asks for more ---
fresh
tm new-session -d -s s -x 59 -y 16 "LC_ALL=C.UTF-8 $BIN -r $HAR --paused; sleep 60"
check "59x16: asks to enlarge the terminal (the minimum is 60x16)" wait_for "enlarge the terminal" --and wait_for "need 60x16"
tm resize-window -t s -x 60 -y 15
check "60x15: asks too" wait_for "enlarge the terminal"
tm resize-window -t s -x 60 -y 16
keys End
check "60x16: the dashboard, the drift column beside the prediction mix" \
  wait_for "^ column +score drift +predicted" --and wait_for "^ ax_mean +[0-9.e-]+ (ok|DRIFT) +[A-Z]"
