# Sourced by the tmux end-to-end tests: TAP lines, and reading and driving
# the dashboard in the tmux session "s" (the caller defines tm, its tmux
# command, and T, its scratch directory).
n=0
# fresh: a new tmux server, on its own socket, for the next dashboard (tm
# uses $SOCK), so the one going away cannot race it
NSOCK=0
fresh() {
  tm kill-server 2>/dev/null
  NSOCK=$((NSOCK + 1))
  SOCK="$T/tmux$NSOCK.sock"
}
ok() { n=$((n + 1)); echo "ok - $1"; }
# notok NAME: the failure, with the screen and the dashboard's stderr ($T/stderr) when there is one
notok() {
  n=$((n + 1)); echo "not ok - $1"
  tm capture-pane -p -t s 2>/dev/null | sed 's/^/#   /'
  [ -s "$T/stderr" ] && sed 's/^/#   stderr: /' "$T/stderr"
  return 0
}
check() { # check NAME COMMAND...
  local name=$1; shift
  if "$@"; then ok "$name"; else notok "$name"; fi
}
screen() { tm capture-pane -p -t s; }
# wait_for PATTERN [SECONDS]: until the screen shows the (grep -E) pattern
wait_for() {
  local i
  for ((i = 0; i < ${2:-10} * 10; i++)); do
    screen | grep -qE -- "$1" && return 0
    sleep 0.1
  done
  return 1
}
keys() { tm send-keys -t s "$@"; }
