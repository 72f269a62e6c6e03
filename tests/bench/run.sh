#!/bin/bash
# make bench: the core engine's throughput against libcsv parse-only and the
# numpy/scipy peer (../shared/bench/py_peer_bench.py), measured in one run;
# JSON Lines and Edge Impulse throughput (tests/bench/formats.py).
# Inputs are generated (untimed) into build/bench by tests/tools/gen-bench.
set -eu
cd "$(dirname "$0")/../.."
D=build/bench
mkdir -p "$D"
if [ ! -s "$D/session.csv" ] || [ ! -s "$D/ref.csv" ]; then
  echo "generating $D/ref.csv (100,000 rows) and $D/session.csv (1,000,000 rows)..."
  build/gen-bench "$D"
fi
/usr/bin/python3 tests/bench/bench.py "$D"
echo
/usr/bin/python3 tests/bench/formats.py "$D"
echo
/usr/bin/python3 tests/bench/tui.py
echo
/usr/bin/python3 tests/bench/bigfile.py
echo
/usr/bin/python3 tests/bench/live.py
echo
/usr/bin/python3 tests/bench/simulate.py
echo
/usr/bin/python3 tests/bench/memory.py
echo
/usr/bin/python3 tests/bench/export.py
echo
/usr/bin/python3 tests/bench/watch.py
echo
/usr/bin/python3 tests/bench/detectors.py
echo
exec build/spectrum-bench
