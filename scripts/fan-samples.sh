#!/bin/bash
# samples/fan-reference.csv and samples/fan-session.csv from the ceiling-fan
# recordings in ../shared/data/ceiling-fan (see samples/README.md): raw
# 200 Hz accelerometer samples (g), 1 s files put end to end, time_ms 5 ms apart.
#   reference: low speed, no coin (the first 20 files)
#   session:   low speed, no coin (the next 20), then a coin on a blade at low
#              speed (20 files), then high speed without the coin (20 files)
set -eu
SRC=${1:-../shared/data/ceiling-fan/ceiling-fan}
OUT=${2:-samples}
files() { ls "$SRC/$1"/*.csv | sort | sed -n "$2"; }
emit() { # emit FILE...: time_ms,x,y,z rows, from t=0
  awk 'BEGIN { print "time_ms,x,y,z" } { gsub(/ /, ""); printf "%d,%s\n", (n++) * 5, $0 }' "$@"
}
emit $(files fan_0_low_0_weight 1,20p) > "$OUT/fan-reference.csv"
emit $(files fan_0_low_0_weight 21,40p) $(files fan_0_low_1_weight 1,20p) $(files fan_0_high_0_weight 1,20p) \
  > "$OUT/fan-session.csv"
