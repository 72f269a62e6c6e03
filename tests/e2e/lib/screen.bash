# Sourced after tap.bash by the tmux end-to-end tests: reading and driving
# the dashboard in the tmux session "s", on the socket $SOCK.
SOCK="$T/tmux0.sock"
tm() { tmux -S "$SOCK" "$@"; }
at_exit 'tm kill-server 2>/dev/null'
# fresh: a new tmux server, on its own socket, for the next dashboard, so
# the one going away cannot race it
NSOCK=0
fresh() {
  tm kill-server 2>/dev/null
  NSOCK=$((NSOCK + 1))
  SOCK="$T/tmux$NSOCK.sock"
}
screen() { tm capture-pane -p -t s; }
# wait_for PATTERN [SECONDS]: until the screen shows the (grep -E) pattern
wait_for() {
  local i
  for ((i = 0; i < ${2:-10} * 10; i++)); do
    screen | grep -qE -- "$1" && return 0
    sleep 0.1
  done
  echo "the screen never showed: $1" >&2
  return 1
}
# absent PATTERN: the screen does not show it now
absent() { ! screen | grep -qE -- "$1"; }
keys() { tm send-keys -t s "$@"; }
# start COLS ROWS ARGS...: the dashboard in tmux, in a new directory $RUN,
# its stderr in $T/stderr; the pane prints EXIT=<status> when it ends
NRUN=0
start() {
  local cols=$1 rows=$2; shift 2
  fresh
  NRUN=$((NRUN + 1)); RUN=$T/run$NRUN; mkdir -p "$RUN"
  cat > "$T/run.sh" <<EOS
cd "$RUN"
LC_ALL=C.UTF-8 $*  2> "$T/stderr"
echo EXIT=\$?
sleep 60
EOS
  tm new-session -d -s s -x "$cols" -y "$rows" "bash $T/run.sh"
}
