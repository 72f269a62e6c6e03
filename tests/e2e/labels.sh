#!/bin/bash
# End-to-end tests of labelling in the dashboard: the real binary (ASan+UBSan)
# in tmux, keys sent, the screen, the journal file and the exports read.
# TAP-style output.
. "$(dirname "$0")/lib/tap.bash"
need tmux || exit 0
. tests/e2e/lib/screen.bash
cp samples/har-reference.csv samples/har-session.csv samples/har-session.ei.log "$T/"
cd "$T"
# start [SESSION] [ARGS...]: a dashboard in tmux session s (a fresh server each time)
start() {
  local ses=${1:-har-session.csv}; shift
  fresh
  tm new-session -d -s s -x 120 -y 36 "LC_ALL=C.UTF-8 $BIN -r har-reference.csv $ses --window 30 --stride 5 --speed max $* 2> $T/stderr; echo EXIT=\$?; sleep 60"
  wait_for "END " 10
}
# second [SESSION]: another dashboard on the same session, in session s2
second() {
  tm new-session -d -s s2 -x 120 -y 36 "LC_ALL=C.UTF-8 $BIN -r har-reference.csv ${1:-har-session.csv} --speed max 2> $T/stderr2; sleep 60"
}
screen2() { tm capture-pane -p -t s2; }
back() { local i; for ((i = 0; i < $1; i++)); do keys h; done; }
J=har-session.csv.labels.csv

# --- select, label, note, undo/redo on the sample (it has its own truth) ---
start
keys 6
back 10
keys v
back 20
check "v starts a selection: the labels band shows it" wait_for "^labels +=+ *$"
keys Enter
check "Enter opens the label picker with the known classes" wait_for "label the selection: .*" --and wait_for "W +WALKING"
keys Down Down Enter
check "picking WALKING labels the records: the band shows W" wait_for "^labels +W+ *$"
check "the status says which records" wait_for "segment 1: records 188-208 labelled WALKING"
check "the journal has its row, fsynced before the key returned" grep -qE '^add,1,[0-9.]+,[0-9.]+,WALKING,,' $J
keys a
keys -l "model says SEATED"
keys Enter
check "a: a note on the segment under the cursor" wait_for "segment 1 WALKING: model says SEATED"
keys u
wait_for "undone" 5
check "u undoes the note" absent "model says"
keys C-r
check "Ctrl-R redoes it" wait_for "segment 1 WALKING: model says SEATED"
check "journal rows: add, edit, undo, redo" sh -c "cut -d, -f1 $J | tr '\n' ' ' | grep -q '^op add edit undo redo '"
keys 1
check "the Overview counts the labelled records (the stream's truth stays)" wait_for "labelled 21 rec, 1 seg" --and wait_for "truth: the stream's own"
keys 6
back 40
keys '[' ; back 9 ; keys L
wait_for "label the selection"
keys -l "CARRY"
keys Enter
check "[ and L: a second segment, with a new label typed in the picker" wait_for "labelled CARRY"
keys S
check "S lists the segments (label, span, records)" wait_for ">? +1 WALKING .* 21 rec +model says SEATED" --and wait_for " 2 CARRY .* 10 rec"
keys Escape
keys d
check "d deletes the segment under the cursor" wait_for "segment 2 \\(CARRY\\) deleted"
keys u
check "u brings it back" wait_for "undone"
keys q
wait_for "^EXIT=0" 5

# --- kill -9 right after labelling: every label is there on restart ---
start
keys 6
back 60
keys v
back 5
keys Enter Down Down Down Enter
wait_for "labelled TURNING" 5
kill -9 "$(pgrep -f -n "driftscope -r har-reference.csv har-session.csv")"
check "kill -9 right after labelling: the row is in the journal" grep -qE '^add,3,.*,TURNING,' $J
start
check "restart: the labels are loaded (3 segments)" wait_for "labels: 3 segments from $J"
keys S
check "restart: all three in the list, with the note" wait_for "1 WALKING .*model says SEATED" --and wait_for "2 CARRY" --and wait_for "3 TURNING"
keys Escape

# --- a second dashboard on the same session: read-only, and says so ---
second
for i in $(seq 50); do screen2 | grep -q "END " && break; sleep 0.1; done
check "a second dashboard: the journal is read-only there, said" sh -c "tmux -S $SOCK capture-pane -p -t s2 | grep -q 'is open in another driftscope; labels are read-only here'"
tm send-keys -t s2 6 v h h Enter
sleep 0.5
check "a second dashboard: a label is refused, the journal untouched" sh -c "tmux -S $SOCK capture-pane -p -t s2 | grep -q 'read-only here' && test \$(grep -c '^add' $J) = 3"
tm kill-session -t s2
keys q
wait_for "^EXIT=0" 5

# --- a torn last line (power lost mid-write) ---
cp $J "$T/j.bak"
printf 'add,9,1000,20' >> $J
start
check "a torn journal line: said on opening, the rest loaded" wait_for "last line was cut off \\(13 bytes, a crash\\?\\); kept, skipped; 3 segments loaded"
keys 6 v h h Enter Down Enter
wait_for "labelled" 5
check "after a torn line, new rows start on their own line" sh -c "tail -2 $J | head -1 | grep -qx 'add,9,1000,20' && tail -1 $J | grep -q '^add,4,'"
keys q
wait_for "^EXIT=0" 5

# --- labels are ground truth where the stream has none (the EI log) ---
start har-session.ei.log
keys 4
check "EI log: no ground truth before labels" wait_for "no ground truth"
keys 6 v
back 30
keys Enter
keys -l SEATED
keys Enter
wait_for "labelled SEATED" 5
keys 4
check "a label is ground truth at once: the confusion matrix appears" wait_for "accuracy 0\\.9333 +macro-F1 0\\.4828 +over 30 records"
keys 6 n
check "n: the top suggestion, selected (low confidence over the rest)" wait_for "suggestion 1 of [0-9]+: low confidence, mean 0\\.[0-9]+, records"
keys e
check "e: the export box with the three formats" wait_for "export the labelled segments" --and wait_for "labelstudio +Label Studio"
keys Enter
check "e, Enter: dataset written next to the session, said" wait_for "export: wrote 1 file to har-session.ei-dataset: 1 segment \\(SEATED 1\\), 31 records"
check "the export opens in pandas with the label" /usr/bin/python3 -c "
import pandas as pd
d = pd.read_csv('$T/har-session.ei-dataset/dataset.csv')
assert len(d) == 31 and set(d['segment_label']) == {'SEATED'}, d.head()"
keys q
wait_for "^EXIT=0" 5

# --- the issue's scenario: three segments, kill -9, reopen, export each format ---
rm -f $J
start
keys 6
back 10; keys v; back 15; keys Enter; keys -l WALKING; keys Enter; wait_for "labelled WALKING" 5
back 30; keys v; back 15; keys Enter; keys -l TURNING; keys Enter; wait_for "labelled TURNING" 5
back 60; keys v; back 15; keys Enter; keys -l SEATED; keys Enter; wait_for "labelled SEATED" 5
kill -9 "$(pgrep -f -n "driftscope -r har-reference.csv har-session.csv")"
start
check "three segments, kill -9, reopen: all three" wait_for "labels: 3 segments from $J"
keys q
wait_for "^EXIT=0" 5
start har-session.csv --theme nosuch
check "a theme that is not found is said at the start, not hidden by the labels' line" \
  wait_for "theme 'nosuch' not found \\(themes/nosuch.theme\\); the default stands"
keys q
wait_for "^EXIT=0" 5
for f in dataset ei labelstudio; do "$BIN" export har-session.csv --out "exp-$f" --format $f > "$T/exp-$f.out" 2>&1; done
check "export, each format: 3 segments (SEATED 1, TURNING 1, WALKING 1)" sh -c "grep -c '3 segments' $T/exp-*.out | grep -c ':1' | grep -qx 3"
check "dataset.csv loads in pandas: 48 records in 3 segments" /usr/bin/python3 -c "
import pandas as pd
d = pd.read_csv('$T/exp-dataset/dataset.csv')
assert d.groupby('segment_id').size().tolist() == [16, 16, 16], d.groupby('segment_id').size()
assert sorted(set(d['segment_label'])) == ['SEATED', 'TURNING', 'WALKING']
assert 'label' in d.columns and 'label.1' not in d.columns, list(d.columns)  # the stream's own truth, named once"
check "ei: three samples named <label>.har-session.<id>.csv, as the uploader labels them" /usr/bin/python3 -c "
import json, re
info = json.load(open('$T/exp-ei/info.labels'))
names = sorted(f['path'] for f in info['files'])
assert [n.split('.')[0] for n in names] == ['SEATED', 'TURNING', 'WALKING'], names
assert all(re.fullmatch(r'[A-Z]+\.har-session\.[0-9]+\.csv', n) for n in names), names"
check "labelstudio: three timeserieslabels results in time_ms units" /usr/bin/python3 -c "
import json
r = json.load(open('$T/exp-labelstudio/labelstudio.json'))[0]['annotations'][0]['result']
assert len(r) == 3 and all(x['type'] == 'timeserieslabels' and x['value']['end'] > x['value']['start'] for x in r)"

# --- the mouse: drag on the timeline selects (X10 mouse reports, as a terminal sends them) ---
start
keys 6
wait_for "^ Timeline of" # the timeline is on screen before the mouse is used on it
keys -l $'\e[M I+'   # button 1 pressed at column 40, row 10
keys -l $'\e[M#\\+'  # released at column 59
check "mouse drag on the timeline selects those records" wait_for "selected by dragging: Enter labels it" --and wait_for "^labels {34}[=A-Z]{20}( |$)"
keys Enter
keys -l kick
keys Enter
check "the dragged selection is labelled with the name typed, its leading k kept" wait_for "labelled kick" \
  --and grep -qE '^add,[0-9]+,.*,kick,' $J
keys q
wait_for "^EXIT=0" 5
