# Sourced first by every e2e script (. "$(dirname "$0")/lib/tap.bash"):
# the one preamble and the one TAP helper.
#
# Preamble: strict mode, the repo root as working directory ($ROOT), the
# binary under test ($BIN: $DRIFTSCOPE or the ASan+UBSan build), python with
# scipy and pandas ($PY), a scratch directory ($T) removed on exit after the
# commands given to at_exit, sanitizer options.
#
# TAP: "ok - NAME", or "not ok - NAME" followed by the evidence (the failed
# condition, its output, the dashboard's screen and stderr when there is one).
#   check NAME CMD... [--and CMD...]   ok when every command succeeds
#   status WANT NAME CMD...            ok when CMD exits WANT ($T/last keeps its output)
# A check's conditions all go inside it: `check NAME A && B` would run B
# outside, unasserted. Sourcing this lints the calling script
# (lib/lint_checks.py) and reports each such shape as a failure.
set -u
_TAP_SCRIPT=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
ROOT=$PWD
case "${DRIFTSCOPE:-}" in
  /*) BIN=$DRIFTSCOPE ;;
  "") BIN=$ROOT/build/asan/driftscope ;;
  *) BIN=$ROOT/$DRIFTSCOPE ;;
esac
PY=/usr/bin/python3
T=$(mktemp -d)
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1
_TAP_AT_EXIT=()
at_exit() { _TAP_AT_EXIT+=("$1"); }
_tap_exit() {
  local c
  for c in ${_TAP_AT_EXIT[@]+"${_TAP_AT_EXIT[@]}"}; do eval "$c"; done
  rm -rf "$T"
}
trap _tap_exit EXIT
n=0

# need TOOL...: true when every tool is installed, else one skip line
need() {
  local t
  for t in "$@"; do
    if ! command -v "$t" >/dev/null 2>&1; then
      echo "skip - $(basename "$_TAP_SCRIPT" .sh): $t is not installed"
      return 1
    fi
  done
}

ok() { n=$((n + 1)); echo "ok - $1"; }
# notok NAME: the failure and its evidence
notok() {
  n=$((n + 1)); echo "not ok - $1"
  [ -s "$T/out" ] && head -20 "$T/out" | sed 's/^/#   /'
  if declare -F screen >/dev/null && [ -n "${SOCK:-}" ] && [ -S "$SOCK" ]; then
    screen 2>/dev/null | awk 'NF { for (; e > 0; e--) print "#   screen: "; print "#   screen: " $0; next } { e++ }'
  fi
  [ -s "$T/stderr" ] && sed 's/^/#   stderr: /' "$T/stderr"
  return 0
}

check() {
  local name=$1; shift
  : >"$T/out"
  if [ $# = 0 ]; then echo "a check with no command asserts nothing" >"$T/out"; notok "$name"; return 0; fi
  local cmd=() last=0
  while [ $# -gt 0 ] || [ $last = 0 ]; do
    if [ $# = 0 ] || [ "$1" = --and ]; then
      [ $# = 0 ] && last=1 || shift
      if [ ${#cmd[@]} = 0 ]; then
        echo "an empty condition around --and asserts nothing" >>"$T/out"; notok "$name"; return 0
      fi
      if ! "${cmd[@]}" >>"$T/out" 2>&1; then
        echo "failed: ${cmd[*]}" >>"$T/out"; notok "$name"; return 0
      fi
      cmd=()
      continue
    fi
    cmd+=("$1"); shift
  done
  ok "$name"
}

status() {
  local want=$1 name=$2; shift 2
  "$@" >"$T/last" 2>&1
  local rc=$?
  cp "$T/last" "$T/out"
  if [ "$rc" = "$want" ]; then ok "$name"; else echo "exit $rc, expected $want" >>"$T/out"; notok "$name"; fi
}

if ! _tap_lint=$("$PY" "$ROOT/tests/e2e/lib/lint_checks.py" "$_TAP_SCRIPT" 2>&1); then
  while IFS= read -r _tap_l; do
    n=$((n + 1)); echo "not ok - a check that cannot fail: ${_tap_l#"$ROOT"/}"
  done <<<"$_tap_lint"
fi
