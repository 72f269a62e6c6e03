#!/bin/bash
# make fuzz: build a libFuzzer harness per parser with clang (ASan + UBSan)
# and run each for FUZZ_SECONDS (default 30), seeded from samples/ and
# tests/data. Exits non-zero on the first crash; the input is kept in build/fuzz.
set -eu
cd "$(dirname "$0")/../.."
SECONDS_EACH=${FUZZ_SECONDS:-30}
command -v clang >/dev/null || { echo "make fuzz needs clang (apt-get install clang)"; exit 1; }
OUT=build/fuzz
mkdir -p "$OUT"
CORE=$(ls src/core/*.c)
for fmt in CSV NUMERIC EI PLOTTER AUTO; do
  name=$(echo "$fmt" | tr 'A-Z' 'a-z')
  bin="$OUT/fuzz_$name"
  clang -std=c11 -D_DEFAULT_SOURCE -O1 -g -Iinclude -fsanitize=fuzzer,address,undefined \
    -DFUZZ_FORMAT=DS_FORMAT_$fmt tests/fuzz/fuzz_parser.c $CORE -o "$bin" -lcsv -lm
  corpus="$OUT/corpus_$name"
  mkdir -p "$corpus"
  for f in samples/* tests/data/*; do head -c 4096 "$f" > "$corpus/seed_$(basename "$f")"; done
  echo "fuzz $name: ${SECONDS_EACH}s"
  if ! (cd "$OUT" && "./fuzz_$name" -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 "corpus_$name" \
        >"fuzz_$name.log" 2>&1); then
    tail -40 "$OUT/fuzz_$name.log"; echo "fuzz $name: FAILED (input saved in $OUT)"; exit 1
  fi
  tail -1 "$OUT/fuzz_$name.log"
done
echo "fuzz: no crash in $((SECONDS_EACH * 5)) s over 5 harnesses"
