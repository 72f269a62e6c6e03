#!/bin/bash
# Run the unit test binaries given as arguments (cmocka), then the end-to-end
# tests in tests/e2e/*.sh, and print one closing line: "N passed, M failed".
set -u
cd "$(dirname "$0")/.."
unit_only=0
[ "${1:-}" = "--unit-only" ] && { unit_only=1; shift; }
passed=0; failed=0; skipped=0
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in "$@"; do
  out=$("$t" 2>&1); rc=$?
  p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi   # crashed or sanitizer report
  passed=$((passed + p)); failed=$((failed + f))
  if [ "$f" != 0 ]; then printf '%s\n' "$out"; fi
  echo "unit $(basename "$t"): $p passed, $f failed"
done
if [ $unit_only = 0 ]; then
  for t in tests/e2e/*.sh; do
    out=$(bash "$t" 2>&1); rc=$?
    p=$(printf '%s\n' "$out" | grep -c '^ok ')
    f=$(printf '%s\n' "$out" | grep -c '^not ok ')
    k=$(printf '%s\n' "$out" | grep -c '^skip ')
    skipped=$((skipped + k))
    printf '%s\n' "$out" | grep '^skip '
    if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$f" != 0 ]; then printf '%s\n' "$out"; fi
    echo "e2e $(basename "$t" .sh): $p passed, $f failed"
  done
fi
# the fuzz smoke: every parser's libFuzzer harness built and run a few
# seconds (make fuzz runs them longer), so the harnesses cannot rot
if [ $unit_only = 0 ]; then
  if command -v clang >/dev/null 2>&1; then
    out=$(FUZZ_SECONDS=${FUZZ_SMOKE_SECONDS:-3} tests/fuzz/run.sh 2>&1); rc=$?
    p=$(printf '%s\n' "$out" | grep -c '^Done [0-9]* runs')
    f=0
    if [ $rc -ne 0 ]; then f=1; printf '%s\n' "$out"; fi
    passed=$((passed + p)); failed=$((failed + f))
    echo "fuzz smoke: $p passed, $f failed"
  else
    echo "skip - fuzz smoke: clang is not installed"; skipped=$((skipped + 1))
  fi
fi
echo
if [ "$skipped" = 0 ]; then echo "$passed passed, $failed failed"; else echo "$passed passed, $failed failed, $skipped skipped"; fi
[ "$failed" = 0 ]
