#!/usr/bin/python3
"""Time driftscope's report on the same 1,000,000 records as JSON Lines and as
Edge Impulse output in its first generation's form and in the SDK's today.

Usage: formats.py DATA_DIR   (ref.csv from tests/tools/gen-bench; session.jsonl,
ei-old.log and ei-sdk.log from gen-bench --formats, made here when missing)

Each figure is the median of RUNS runs of the whole command (reading the
reference, parsing, comparing, writing the JSON), as records per second.
Targets (issue 13): JSON Lines >= 300,000 records/s; the SDK's form as fast
as the first generation's.
"""
import os, statistics, subprocess, sys, time

RUNS = 3
ROWS = 1000000
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
data = sys.argv[1]
ref = os.path.join(data, "ref.csv")
files = {name: os.path.join(data, name) for name in ("session.jsonl", "ei-old.log", "ei-sdk.log")}
if not all(os.path.exists(f) for f in files.values()):
    print("generating %s/session.jsonl, ei-old.log, ei-sdk.log (%d records each)..." % (data, ROWS))
    subprocess.run([os.path.join(root, "build/gen-bench"), "--formats", data, str(ROWS)], check=True)


def median_seconds(args):
    cmd = [os.path.join(root, "driftscope"), "report", "-r", ref] + args + ["--json", os.devnull, "-q"]
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - t0)
        if p.returncode not in (0, 1):
            sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr))
    return statistics.median(times)


print("workload: %d records (8 features, 4 scores, a prediction), reference 100,000 rows, %d runs each (median)"
      % (ROWS, RUNS))
rate = {}
for name, args in (("JSON Lines, whole session", [files["session.jsonl"]]),
                   ("JSON Lines, window 1000", [files["session.jsonl"], "--window", "1000", "--stride", "1000"]),
                   ("Edge Impulse, first generation", [files["ei-old.log"], "--window", "1000", "--stride", "1000"]),
                   ("Edge Impulse, SDK today", [files["ei-sdk.log"], "--window", "1000", "--stride", "1000"])):
    s = median_seconds(args)
    rate[name] = ROWS / s
    print("%-32s %7.3f s  %10.0f records/s" % (name, s, rate[name]))
print()
json_rps = min(rate["JSON Lines, whole session"], rate["JSON Lines, window 1000"])
print("JSON Lines records/s (the slower):  %.0f   (target >= 300,000)" % json_rps)
print("Edge Impulse SDK / first generation: %.2f   (target >= 1.00, within noise)"
      % (rate["Edge Impulse, SDK today"] / rate["Edge Impulse, first generation"]))
