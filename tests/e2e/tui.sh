#!/bin/bash
# End-to-end tests of the dashboard: the real binary (ASan+UBSan build) in
# tmux at fixed sizes, driven with send-keys and read with capture-pane.
# Deterministic: replays start paused or run at max speed. TAP-style output.
. "$(dirname "$0")/lib/tap.bash"
need tmux || exit 0
REF=samples/har-reference.csv
SES=samples/har-session.csv
. tests/e2e/lib/screen.bash
# start COLS ROWS ARGS...: the dashboard in a fresh tmux session; the pane
# prints EXIT=<status> and SANE when stty settings came back unchanged
start() {
  local cols=$1 rows=$2; shift 2
  fresh
  cat > "$T/run.sh" <<EOS
stty -g > "$T/stty.before"
LC_ALL=C.UTF-8 $BIN -r $REF $SES $* 2> "$T/stderr"
echo EXIT=\$?
stty -g > "$T/stty.after"
cmp -s "$T/stty.before" "$T/stty.after" && echo SANE
sleep 60
EOS
  tm new-session -d -s s -x "$cols" -y "$rows" "bash $T/run.sh"
}

# --- 80x24, paused at the start, stepped through the no-drift part ---
start 80 24 --window 30 --stride 5 --paused
check "opens on the Overview, paused, with the header and the session clock h:mm:ss.s" \
  wait_for "PAUSED +har-session.csv +record 0/219 +0:00:00.0/0:05:17.7 +bad lines 0"
check "function bar lists the views" wait_for "1Overview 2Features 3Drift 4Confusion 5Spectrum 6Timeline"
for i in $(seq 8); do keys .; done
check "the window still filling (8 of 30 records): warming up, not a red verdict" \
  wait_for "warming up 8/30 +[0-9]+/14 features drifted" --and absent "DATASET DRIFT"
for i in $(seq 22); do keys .; done
check "stepping: record 30 of 219" wait_for "record 30/219"
check "subject s03 only, the window full: no dataset drift" wait_for "no dataset drift"
check "feature table names a feature" wait_for "ax_mean +ks "
keys Space
check "Space resumes the replay at 1x" wait_for "REPLAY 1x +har-session.csv"
keys Space +
check "Space pauses again; + makes it 2x" wait_for "PAUSED +har-session.csv"
check "+ while paused says the new speed" wait_for "replay speed 2x \\(paused: Space plays\\)"
keys Space
check "+ made the replay 2x" wait_for "REPLAY 2x"
keys Space
keys End
check "End: the whole session" wait_for "END +har-session.csv +record 219/219"
check "after the subject change: DATASET DRIFT" wait_for "DATASET DRIFT +1[0-9]/14 features drifted .* worst: [a-z_]+"
keys m
check "m selects the feature that drifted most" wait_for "drifted most: [a-z_]+"
keys 2
check "view 2: histograms with the legend" wait_for "Features, window 189-218"
check "view 2: a feature's cell with its verdict" wait_for "ax_mean +[0-9.e+-]+ DRIFT"
keys Enter
check "view 2 zoom: summary statistics and all four tests" wait_for "KS D [0-9.]+ +p [0-9.e+-]+ +Wasserstein"
zoom_rows() { screen | grep -qE '^ reference +61 ' && screen | grep -qE '^ window +30 '; }
check "view 2 zoom: reference and window rows" zoom_rows
keys Escape 3
check "view 3: score history chart with its threshold" wait_for "p 0.05"
check "view 3: dataset share chart" wait_for "Dataset: share of features drifted per window"
keys 4
check "view 4: confusion matrix with class names" wait_for "WALKING +[0-9]+ +[0-9]+"
check "view 4: per-class metrics and accuracy" wait_for "accuracy 0\\.[0-9]{4} +macro-F1"
keys w
check "view 4: w switches to all records" wait_for "Confusion, all records 0-218"
keys %
check "view 4: % shows row shares" wait_for "[0-9]+% +[0-9]+%"
keys 6
bands() { wait_for '^pred +[A-Z]+' && wait_for '^truth +[A-Z]+' && wait_for '(cursor: )?record 218 '; }
check "view 6: timeline with prediction and truth bands" bands
keys 5
check "view 5: the window's spectrum (the sample's 1 s steps: 1 Hz)" wait_for "segments, 1 Hz"
keys 6
keys '?'
check "? opens the full-screen help, from the key table" \
  wait_for "driftscope [0-9.]+ help: every key" --and wait_for "^ +Space +pause / resume \\(live: recording goes on\\)"
check "the help lists every view from their table" \
  wait_for "^ +1 +Overview" --and wait_for "^ +6 +Timeline"
check "the help covers the screen: nothing of the view shows through" absent "Timeline of"
keys End
check "End in the help: its last lines, the labelling keys, from their table" \
  wait_for "^ +S +the segments, to jump to one" --and wait_for "lines [0-9]+-([0-9]+) of \\1 *\$"
check "the help lists each view's own keys, from its table" wait_for "In Spectrum \\(5\\)|In Timeline \\(6\\)"
check "the export key is in the help" wait_for "^ +e +export the labelled segments"
keys Home
check "Home in the help: back to its first line" wait_for "lines 1-[0-9]+ of [0-9]+"
keys x
keys Home
check "Home: back to record 0" wait_for "record 0/219"
keys 1 Right # (on the Timeline the arrows move its cursor instead)
check "Right seeks 10 s" wait_for "record [1-9][0-9]?/219"
keys 6
keys t
check "t switches the theme" wait_for "theme: light"
tm resize-window -t s -x 20 -y 5
check "20x5: asks to enlarge the terminal" wait_for "enlarge the terminal"
tm resize-window -t s -x 80 -y 24
check "back to 80x24: the dashboard again" wait_for "Timeline of [a-z_]+, records 0-"
keys q
check "q exits 0" wait_for "EXIT=0"
check "the terminal is left as it was" wait_for "SANE"

# --- 200x60 at max speed: runs to the end, uses the space ---
start 200 60 --window 30 --stride 5 --speed max
check "200x60, max speed: reaches the end" wait_for "END +har-session.csv +record 219/219" 20
check "200x60: the history sparklines are drawn" wait_for "ax_mean +ks .* DRIFT [▁▂▃▄▅▆▇█]{8}"
keys 2
check "200x60: all 14 feature histograms fit" wait_for "mag_std +[0-9.e+-]+ "
keys 6
band_width() { screen | grep -E "^pred +[A-Z]" | awk '{ exit !(length($0) >= 195) }'; }
check "200x60: the Timeline's bands span the width (219 records over 191 cells)" band_width
keys q
check "q exits 0 (200x60)" wait_for "EXIT=0"

# --- a large file: the first frame at once (its progress), the views when it is read; a
# long seek says it is working (the dashboard's own figures, --stats) ---
/usr/bin/python3 -c "
lines = open('$SES').read().splitlines()
rows = [l.split(',', 1)[1] for l in lines[1:]]
with open('$T/big.csv', 'w') as f:
    f.write(lines[0] + '\\n')
    for i in range(200000):
        f.write('%d,%s\\n' % (20 * i, rows[i % len(rows)]))"
fresh
tm new-session -d -s s -x 100 -y 30 "LC_ALL=C.UTF-8 $BIN -r $REF $T/big.csv --paused --stats $T/big.json; echo EXIT=\$?; sleep 60"
check "a 200,000-record file: the views open once it is read" wait_for "PAUSED +big.csv +record 0/200000" 60
keys End
check "End over 2,000 windows: the last record, at the end" wait_for "END +big.csv +record 200000/200000" 60
keys q
check "q exits 0 after the large file" wait_for "EXIT=0"
fresh
tm new-session -d -s s -x 100 -y 30 "LC_ALL=C.UTF-8 $BIN -r $REF $T/big.csv --paused; echo EXIT=\$?; sleep 60"
wait_for "LOADING +big.csv|PAUSED +big.csv" 10
keys End 2
check "keys pressed while the file loads act once it is read: End, then view 2" \
  wait_for "END +big.csv +record 200000/200000" 60 --and wait_for "Features, window 199000-199999"
keys q
wait_for "EXIT=0"
check "--stats: the first frame came before the file was read, within 0.5 s; End said it was working" \
  /usr/bin/python3 -c "
import json
s = json.load(open('$T/big.json'))
assert s['first_frame_ms'] <= 500 and s['first_frame_ms'] < s['load_ms'], s
assert s['long_seeks'] >= 1 and 0 < s['seek_said_ms'] <= 1000, s"

# --- no reference: the stream, its histograms against the session so far; B takes the window ---
fresh
tm new-session -d -s s -x 100 -y 30 "LC_ALL=C.UTF-8 $BIN $SES --window 30 --stride 5 --paused; echo EXIT=\$?; sleep 60"
check "no -r: the dashboard opens, no verdict, says drift needs a reference" \
  wait_for "PAUSED +har-session.csv" --and wait_for "NO REFERENCE +drift needs one: B takes the current window"
for i in $(seq 30); do keys .; done
check "no -r: the window's features (mean, std, min, max)" wait_for "^ column +mean +std +min +max +missing"
keys 2
check "no -r, view 2: the window's histograms against the session so far" wait_for "now .* so far"
keys 3
check "no -r, view 3: drift needs a reference, and how" wait_for "no reference: drift needs one" --and wait_for "B: the current window becomes the reference"
keys 1 B
check "B at record 30: records 0-29 are the reference" wait_for "reference: records 0-29 of the stream"
keys End
wait_for "END +har-session.csv +record 219/219"
# what report says with those 30 records as the reference file
{ head -31 $SES; } > "$T/first30.csv"
"$BIN" report -r "$T/first30.csv" $SES --window 30 --stride 5 --json "$T/first30.json" -q
WANT=$(/usr/bin/python3 -c "
import json; d = json.load(open('$T/first30.json'))['dataset']
print('%d/%d features drifted' % (d['drifted_columns'], d['columns']))")
check "B: the verdict at the end is report's with those 30 records as the reference ($WANT)" \
  wait_for "DATASET DRIFT +$WANT"
keys q
check "no -r: q exits 0" wait_for "EXIT=0"
fresh
tm new-session -d -s s -x 100 -y 30 "LC_ALL=C.UTF-8 $BIN $SES --window 30 --stride 5 --baseline 30 --paused; echo EXIT=\$?; sleep 60"
wait_for "PAUSED +har-session.csv"
keys End
check "--baseline 30 on a file: the same reference, the same verdict ($WANT)" \
  wait_for "DATASET DRIFT +$WANT" --and wait_for "vs records 0-29 of the stream"
keys q
wait_for "EXIT=0"
status 2 "-r and --baseline together: exit 2" "$BIN" -r $REF $SES --baseline 30
check "-r and --baseline together: one line that says to choose" \
  grep -q "^driftscope: -r and --baseline both give the reference: one of them" "$T/last"

# --- an epoch time column: session time everywhere, the wall-clock date at the cursor ---
/usr/bin/python3 -c "
lines = open('$SES').read().splitlines()
with open('$T/epoch.csv', 'w') as f:
    f.write(lines[0] + '\\n')
    for i, l in enumerate(lines[1:]):
        f.write('%d,%s\\n' % (1657625230000 + 1000 * i, l.split(',', 1)[1]))"
fresh
tm new-session -d -s s -x 120 -y 30 "LC_ALL=C.UTF-8 TZ=UTC $BIN -r $REF $T/epoch.csv --window 30 --paused; sleep 60"
wait_for "PAUSED +epoch.csv"
for i in $(seq 9); do keys .; done
keys 6
check "epoch times (ms): the header's clock runs from the session's start, h:mm:ss.s" \
  wait_for "record 9/219 +0:00:08.0/0:03:38.0"
check "epoch times: the cursor at its session time and its UTC date" \
  wait_for "cursor: record 8 at 0:00:08.0 \\(2022-07-12 11:27:18 UTC\\)"

# --- a theme file with a bad line: message with the line, default stands ---
printf 'ok = green default\nbogus = red blue\n' > "$T/bad.theme"
start 80 24 --window 30 --stride 5 --paused --theme "$T/bad.theme"
check "bad theme: dashboard still opens" wait_for "PAUSED"
check "bad theme: message names the file and line" wait_for "bad.theme: line 2: unknown role 'bogus'"
keys q
check "bad theme: q exits 0" wait_for "EXIT=0"

# --- a theme longer than 16 KiB is read whole (its bad line 601 is found) ---
{ for i in $(seq 600); do echo "# comment line $i, padding the theme file past sixteen KiB"; done
  echo "bogus = red blue"; } > "$T/long.theme"
start 80 24 --window 30 --stride 5 --paused --theme "$T/long.theme"
check "a 35 KB theme is read to its end: line 601 named" wait_for "long.theme: line 601: unknown role 'bogus'"
keys q
wait_for "EXIT=0"

# --- the drift-share line is labelled with the threshold it is drawn at ---
start 100 30 --window 30 --stride 5 --speed max --drift-share 0.3
wait_for "END " 10
keys 3
check "--drift-share 0.3: the title and the chart's line both say 30%" \
  wait_for "drift at 30%" --and wait_for "^ +30% .*─" --and absent "50%"
keys q
wait_for "EXIT=0"

# --- ASCII glyphs when the locale is not UTF-8; NO_COLOR ---
fresh
tm new-session -d -s s -x 80 -y 24 "LC_ALL=C NO_COLOR=1 $BIN -r $REF $SES --window 30 --stride 5 --speed max; echo EXIT=\$?; sleep 60"
ascii() { wait_for 'END' 20 && wait_for '#####' && ! screen | grep -q '█'; }
check "C locale: ASCII bars, no UTF-8" ascii
keys q
check "C locale: q exits 0" wait_for "EXIT=0"

# --- signals restore the terminal ---
start 80 24 --window 30 --stride 5 --paused
wait_for "PAUSED" >/dev/null
# --- --rate paces a stream without times (200 a second, not 10) ---
$PY -c "
print('x,y')
for i in range(2000): print('%d,%d' % (i % 17, i % 5))" > "$T/norate.csv"
fresh
tm new-session -d -s s -x 80 -y 24 "LC_ALL=C.UTF-8 $BIN -r $T/norate.csv $T/norate.csv --rate 200; sleep 30"
check "--rate 200 paces a stream without times: hundreds of records within 3 s (10 a second without)" \
  wait_for "REPLAY 1x +norate.csv +record [1-9][0-9][0-9]+/2000" 3

# --- pause keeps the position: 3 s paused, then the replay goes on from there ---
start 80 24 --window 30 --stride 5 --paused
wait_for "PAUSED +har-session.csv +record 0/219"
keys .
wait_for "PAUSED +har-session.csv +record 1/219"
sleep 3
keys Space
sleep 0.6 # the screen as it settles (a first frame can still show where it was)
shows_now() { screen | grep -qE -- "$1"; }
check "resumed after 3 s paused: on from record 1 (0.6 s later: 1 or 2), not 3 s further (4)" \
  shows_now "REPLAY 1x +har-session.csv +record [12]/219"
keys Space

# the dashboard is the pane's shell's child (no pkill: procps is not in a base image)
shell=$(tm list-panes -t s -F '#{pane_pid}')
kill -TERM $(cat /proc/"$shell"/task/"$shell"/children) 2>/dev/null
term_restored() { wait_for 'EXIT=143' && wait_for SANE; }
check "SIGTERM: exits 143 with the terminal restored" term_restored

# --- make demo replays a copy: a label made in it never goes into samples/ ---
fresh
tm new-session -d -s s -x 100 -y 30 "cd $ROOT && make -s demo; echo EXIT=\$?; sleep 30"
wait_for "REPLAY 4x" 30
keys Space 6
wait_for "Timeline of" 5
keys v h h h Enter
wait_for "label the selection" 5
keys -l DEMO
keys Enter
check "make demo: a label goes into build/demo's journal" \
  wait_for "labelled DEMO" --and grep -q ',DEMO,' "$ROOT/build/demo/har-session.csv.labels.csv"
check "make demo: nothing of it in samples/" sh -c "! grep -qs DEMO '$ROOT'/samples/*.labels.csv"
keys q
wait_for "^EXIT=0" 5
