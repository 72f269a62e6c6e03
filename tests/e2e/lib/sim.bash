# Sourced after tap.bash by the tests of several boards: simulated boards
# behind stable links, each killed at exit.
PIDS=()
at_exit 'for p in ${PIDS[@]+"${PIDS[@]}"}; do kill "$p" 2>/dev/null; done; wait 2>/dev/null'
# sim NAME FILE: a board playing FILE at 25 records/s, linked as $T/NAME,
# its stderr in $T/sim-NAME.err ("played N records" at its end)
sim() {
  "$BIN" simulate "$2" --rate 25 --link "$T/$1" > /dev/null 2> "$T/sim-$1.err" & PIDS+=($!)
}
# links NAME...: until each board's link is there (5 s at most)
links() { local b i; for b in "$@"; do for i in $(seq 50); do [ -L "$T/$b" ] && break; sleep 0.1; done; done; }
# wait_file FILE PATTERN [SECONDS]: until FILE has a line matching (grep -E)
wait_file() {
  local i
  for ((i = 0; i < ${3:-10} * 10; i++)); do grep -qE -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
# steady_csv OUT: 300 of the HAR reference's own records (drawn with
# replacement, 100 ms apart): a board that never drifts
steady_csv() {
  $PY -c "
import pandas as pd
r = pd.read_csv('$ROOT/samples/har-reference.csv')
s = r.sample(n=300, replace=True, random_state=7).reset_index(drop=True)
s['time_ms'] = [i * 100 for i in range(300)]
s.to_csv('$1', index=False)"
}
# no_loss FMT BOARD=FILE... PULLED=FILE: each board's recording (FMT, a glob
# with %s for the board) holds every record of the FILE it played, in order,
# none lost or doubled, never more than 250 ms apart; the last board was
# pulled and played FILE again when back: its recording ends with all of
# FILE and has a gap line
no_loss() {
  $PY - "$@" <<'EOS'
import glob, sys, pandas as pd
fmt, boards = sys.argv[1], [a.split("=", 1) for a in sys.argv[2:]]
def rec(b):
    return glob.glob(fmt % b)[0]
for i, (b, src) in enumerate(boards):
    want = pd.read_csv(src)["ax_mean"].round(5).values
    got = pd.read_csv(rec(b), comment="#")
    have = got["ax_mean"].round(5).values
    if i < len(boards) - 1:
        assert len(have) == len(want) and (have == want).all(), (b, len(have), len(want))
        assert got["rx_ms"].diff().max() < 250, (b, "a stall of", got["rx_ms"].diff().max())
    else:
        assert len(have) > len(want) and (have[-len(want):] == want).all(), (b, len(have))
        assert any(l.startswith("# gap") for l in open(rec(b))), (b, "no gap line")
EOS
}
