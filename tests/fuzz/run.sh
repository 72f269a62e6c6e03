#!/bin/bash
# make fuzz: build a libFuzzer harness per parser (and one for format
# detection) with clang (ASan + UBSan) and run each for FUZZ_SECONDS
# (default 30), seeded from samples/, tests/data and the dictionary's
# words. `make check` runs it for a few seconds each (the smoke), so it
# cannot rot. Exits non-zero on the first crash; the input is kept in
# build/fuzz.
set -eu
cd "$(dirname "$0")/../.."
SECONDS_EACH=${FUZZ_SECONDS:-30}
command -v clang >/dev/null || { echo "make fuzz needs clang (apt-get install clang libclang-rt-dev)"; exit 1; }
OUT=${FUZZ_OUT:-build/fuzz} # FUZZ_OUT: elsewhere (a long run beside make check)
DICT=$(pwd)/tests/fuzz/parsers.dict
mkdir -p "$OUT/obj"
PKGS="kissfft-float yajl libmd"
CFLAGS="-std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -O1 -g -Iinclude $(pkg-config --cflags $PKGS)"
SAN=-fsanitize=address,undefined
LIBS="$(pkg-config --libs $PKGS) -lcsv -lm -lpthread"
# the core once (on every core), instrumented for coverage; each harness links it
objs=()
for c in src/core/*.c; do objs+=("$OUT/obj/$(basename "$c" .c).o"); done
export CFLAGS SAN OUT
ls src/core/*.c | xargs -P "$(nproc)" -I{} sh -c '
  o="$OUT/obj/$(basename {} .c).o"
  if [ ! -e "$o" ] || [ {} -nt "$o" ] || [ -n "$(find include -newer "$o" -print -quit)" ]; then
    clang $CFLAGS $SAN -fsanitize=fuzzer-no-link -c {} -o "$o" || exit 255
  fi'

harnesses=0
for fmt in CSV NUMERIC EI PLOTTER JSON AUTO; do
  name=$(echo "$fmt" | tr 'A-Z' 'a-z')
  bin="$OUT/fuzz_$name"
  clang $CFLAGS $SAN -fsanitize=fuzzer -DFUZZ_FORMAT=DS_FORMAT_$fmt tests/fuzz/fuzz_parser.c "${objs[@]}" -o "$bin" $LIBS
  corpus="$OUT/corpus_$name"
  mkdir -p "$corpus"
  find samples tests/data tests/fuzz/seeds -type f 2>/dev/null | while read -r f; do
    head -c 4096 "$f" > "$corpus/seed_$(echo "$f" | tr '/' '_')"
  done
  echo "fuzz $name: ${SECONDS_EACH}s"
  if ! (cd "$OUT" && "./fuzz_$name" -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 \
        -dict="$DICT" "corpus_$name" >"fuzz_$name.log" 2>&1); then
    tail -40 "$OUT/fuzz_$name.log"; echo "fuzz $name: FAILED (input saved in $OUT)"; exit 1
  fi
  tail -1 "$OUT/fuzz_$name.log"
  harnesses=$((harnesses + 1))
done
# test suite files (check --tests): parsed, then run on a small report
bin="$OUT/fuzz_suite"
clang $CFLAGS $SAN -fsanitize=fuzzer tests/fuzz/fuzz_suite.c "${objs[@]}" -o "$bin" $LIBS
corpus="$OUT/corpus_suite"
mkdir -p "$corpus"
find tests/data/suite tests/fuzz/seeds -name '*.json' 2>/dev/null | while read -r f; do
  head -c 4096 "$f" > "$corpus/seed_$(echo "$f" | tr '/' '_')"
done
echo "fuzz suite: ${SECONDS_EACH}s"
if ! (cd "$OUT" && ./fuzz_suite -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 -dict="$DICT" \
      corpus_suite >fuzz_suite.log 2>&1); then
  tail -40 "$OUT/fuzz_suite.log"; echo "fuzz suite: FAILED (input saved in $OUT)"; exit 1
fi
tail -1 "$OUT/fuzz_suite.log"
harnesses=$((harnesses + 1))
echo "fuzz: no crash in $((SECONDS_EACH * harnesses)) s over $harnesses harnesses"
