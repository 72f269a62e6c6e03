#!/usr/bin/python3
"""Benchmark ADWIN (make bench): build/detect runs River's ADWIN (its defaults)
over 1,000,000 values (a stream whose mean steps every 100,000), timed as a
whole and with an empty pass over the same input (parsing only); the
difference per value, times 3 columns x 1,000 records/s, is the share of a
core ADWIN takes on three live columns (target <= 1%). Then the detectors of
the error stream, each over 1,000,000 error bits (a rate that steps every
100,000): their cost a record beyond parsing (KSWIN draws 30 values a record
with Python's own random.sample)."""
import os, random, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DETECT = os.path.join(root, "build", "detect")
N = 1000000
rng = random.Random(5)
path = os.path.join(tempfile.mkdtemp(), "values.txt")
with open(path, "w") as f:
    for i in range(N):
        f.write("%.4f\n" % rng.gauss((i // 100000) % 3, 1))


def best(args):
    times = []
    for _ in range(5):
        with open(path) as f:
            t = time.perf_counter()
            out = subprocess.run([DETECT] + args, stdin=f, stdout=subprocess.PIPE, text=True, check=True).stdout
            times.append(time.perf_counter() - t)
    return min(times), out


t_adwin, out = best(["adwin"])
t_none, _ = best(["page_hinkley"])  # the same parse, a detector of a few operations
per = max(t_adwin - t_none, 0) / N
share = 100 * per * 3 * 1000
print("ADWIN over %d values: %.1f ns a value beyond parsing (Page-Hinkley's pass: %.3f s, ADWIN's %.3f s);"
      " %d changes found" % (N, per * 1e9, t_none, t_adwin, len(out.split())))
print("  three live columns at 1,000 records/s: %.4f%% of one core (target <= 1%%)" % share)
with open(path, "w") as f:
    for i in range(N):
        f.write("%d\n" % (rng.random() < (0.1, 0.3)[(i // 100000) % 2]))
t_base = best(["page_hinkley"])[0]
for name in ("ddm", "eddm", "hddm_a", "hddm_w", "kswin"):
    t, out = best([name])
    print("  %-7s over %d error bits: %.1f ns a record beyond parsing" % (name, N, max(t - t_base, 0) / N * 1e9))
os.remove(path)
sys.exit(0 if share <= 1 else "detectors benchmark: a target was missed")
