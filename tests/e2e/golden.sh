#!/bin/bash
# Golden screens: every view of the dashboard at 60x16, 80x24 and 200x60, on the
# HAR sample paused at record 120 (after the subject change), compared line
# by line with the screens checked in under tests/golden/. The fake clock
# (DRIFTSCOPE_FAKE_CLOCK) makes them the same on every run, so any change of
# layout fails here. After a deliberate change of layout, look at the new
# screens and take them with: UPDATE_GOLDEN=1 bash tests/e2e/golden.sh
. "$(dirname "$0")/lib/tap.bash"
need tmux || exit 0
. tests/e2e/lib/screen.bash
G=tests/golden
VIEWS=(x overview features drift confusion spectrum timeline models)
# settled: the screen is the same twice 0.3 s apart (within 5 s)
settled() {
  local a b i
  a=$(screen)
  for ((i = 0; i < 17; i++)); do
    sleep 0.3
    b=$(screen)
    [ "$a" = "$b" ] && return 0
    a=$b
  done
  return 1
}
# same_as FILE: the screen now equals FILE (or becomes it, with UPDATE_GOLDEN=1)
same_as() {
  screen >"$T/screen"
  if [ -n "${UPDATE_GOLDEN:-}" ]; then cp "$T/screen" "$1" && echo "# written: $1"; return; fi
  diff -u "$1" "$T/screen"
}
for size in 60x16 80x24 200x60; do
  fresh
  tm new-session -d -s s -x "${size%x*}" -y "${size#*x}" \
    "DRIFTSCOPE_FAKE_CLOCK=1764583200 LC_ALL=C.UTF-8 $BIN -r samples/har-reference.csv samples/har-session.csv --window 30 --stride 5 --paused 2>'$T/stderr'; sleep 60"
  wait_for "PAUSED" 10 2>/dev/null
  for ((i = 0; i < 120; i++)); do keys .; done
  wait_for "record 120/219" 10 2>/dev/null
  for v in 1 2 3 4 5 6 7; do
    keys $v
    settled
    check "golden: view $v (${VIEWS[$v]}) at $size" same_as "$G/${VIEWS[$v]}-$size.txt"
  done
done
