#!/usr/bin/python3
"""Benchmark `driftscope export` (make bench): 1,000 labelled segments of 100
records each (every 1,000th record starts one) from the 1,000,000-record
build/bench/session.csv, in each format; wall time from start to exit,
including reading the session and the journal. Median of RUNS."""
import os, shutil, statistics, subprocess, sys, tempfile, time

RUNS = 3
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(root, "driftscope")
SES = os.path.join(root, "build", "bench", "session.csv")
if not os.path.exists(SES):
    sys.exit("export benchmark: %s is missing (make bench generates it)" % SES)
d = tempfile.mkdtemp()
journal = os.path.join(d, "labels.csv")
with open(journal, "w") as f:
    f.write("op,id,start_ms,end_ms,label,note,time\n")
    for k in range(1000):  # no time column: one record every 100 ms of stream time
        start = k * 1000 * 100.0
        f.write("add,%d,%g,%g,%s,,2026-11-23T10:00:00+0000\n" % (k + 1, start, start + 99 * 100, "idle walk run fall".split()[k % 4]))
print("export: 1,000 segments x 100 records from a 1,000,000-record session (median of %d)" % RUNS)
for fmt in ("dataset", "ei", "labelstudio"):
    times = []
    for _ in range(RUNS):
        out = os.path.join(d, "out")
        shutil.rmtree(out, ignore_errors=True)
        t0 = time.monotonic()
        p = subprocess.run([BIN, "export", SES, "--labels", journal, "--out", out, "--format", fmt],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        times.append(time.monotonic() - t0)
        if p.returncode != 0:
            sys.exit("export benchmark: " + p.stdout)
    print("  %-12s %5.2f s (target <= 2 s)   %s" % (fmt, statistics.median(times), p.stdout.strip().split(": ", 1)[1]))
shutil.rmtree(d)
