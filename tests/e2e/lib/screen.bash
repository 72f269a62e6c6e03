# Sourced by the tmux end-to-end tests: reading and driving the dashboard in
# the tmux session "s" (the caller defines tm, its tmux command).
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
