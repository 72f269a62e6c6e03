#!/bin/sh
# SPDX-License-Identifier: MIT
# Close the loop on drift: the drifted window's records into a CSV of their
# own, then your retraining command with that file as its last argument.
#   driftscope -r ref.csv /dev/ttyACM0 --on-drift 'examples/on-drift.sh ./retrain.sh'
# driftscope runs it once at each onset of dataset drift, with the facts in
# DRIFTSCOPE_* variables (man driftscope: --on-drift).
set -eu
[ $# -ge 1 ] || { echo "usage: $0 COMMAND [ARGS...] (given the window's CSV last)" >&2; exit 2; }
out="drift-${DRIFTSCOPE_BOARD:-board}-$(date +%Y%m%d-%H%M%S).csv"
# the session file's header, then records FIRST..LAST (0-based; # lines are not records)
grep -v '^#' "$DRIFTSCOPE_SESSION" |
  awk -v a="$DRIFTSCOPE_WINDOW_FIRST" -v b="$DRIFTSCOPE_WINDOW_LAST" 'NR == 1 || (NR - 2 >= a && NR - 2 <= b)' >"$out"
echo "$DRIFTSCOPE_BOARD: records $DRIFTSCOPE_WINDOW_FIRST-$DRIFTSCOPE_WINDOW_LAST drifted" \
  "($DRIFTSCOPE_DRIFTED_FEATURES) -> $out"
exec "$@" "$out"
