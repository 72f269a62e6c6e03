#!/usr/bin/python3
"""Time driftscope's windowed report against libcsv parse-only and the numpy/scipy peer.

Usage: bench.py DATA_DIR   (ref.csv and session.csv from tests/tools/gen-bench)

Each driftscope figure is the median of RUNS runs; peak RSS is the child's
ru_maxrss. The numpy/scipy peer does the same per-window computation (KS
statistic and p-value, normalised Wasserstein, PSI and JS on Sturges bins) on
arrays already in memory, for PEER_WINDOWS windows: rows/s is what it reports.
"""
import json, os, resource, statistics, subprocess, sys, time

RUNS = 5
PEER_WINDOWS = 20
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
data = sys.argv[1]
ref, ses = os.path.join(data, "ref.csv"), os.path.join(data, "session.csv")
rows = sum(1 for _ in open(ses)) - 1


def timed(cmd):
    """Return (seconds, peak RSS in MB, stdout) of one run of cmd."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    t = time.perf_counter() - t0
    if p.returncode not in (0, 1):
        sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr))
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return t, max(rss, before) / 1024.0, p.stdout


libcsv = []
for _ in range(RUNS):
    out = subprocess.run([os.path.join(root, "build/csv-parse-only"), ses], stdout=subprocess.PIPE, text=True,
                         check=True).stdout.split()
    libcsv.append(float(out[1]))
libcsv_s = statistics.median(libcsv)

report = [os.path.join(root, "driftscope"), "report", "-r", ref, ses, "--window", "1000", "--stride", "1000",
          "--json", os.devnull, "-q"]
ds_times, ds_rss = [], 0.0
for _ in range(RUNS):
    t, rss, _ = timed(report)
    ds_times.append(t)
ds_s = statistics.median(ds_times)
# peak RSS of one run on its own (ru_maxrss of children is the max over all of them)
ds_rss = timed(report)[1]

peer = subprocess.run(["/usr/bin/python3", os.path.join(root, "../shared/bench/py_peer_bench.py"), "--mode", "memory",
                       "--windows", str(PEER_WINDOWS)], stdout=subprocess.PIPE, text=True, check=True)
peer_rps = json.loads(peer.stdout)["a_memory"]["stream_rows_per_second"]

ds_rps, lib_rps = rows / ds_s, rows / libcsv_s
print("workload: reference 100,000 rows, session %d rows (8 features, 4 scores, pred, truth), "
      "window 1000 stride 1000, %d runs each (median)" % (rows, RUNS))
print("libcsv parse-only        %8.3f s  %12.0f rows/s" % (libcsv_s, lib_rps))
print("driftscope report        %8.3f s  %12.0f rows/s   peak RSS %.1f MB" % (ds_s, ds_rps, ds_rss))
print("numpy/scipy peer         %21.0f rows/s   (%d windows, arrays in memory)" % (peer_rps, PEER_WINDOWS))
print()
print("driftscope / libcsv parse-only: %.2f   (target >= 0.70)" % (ds_rps / lib_rps))
print("driftscope rows/s:              %.0f   (target >= 1,000,000)" % ds_rps)
print("driftscope / numpy-scipy peer:  %.0fx  (target >= 200x)" % (ds_rps / peer_rps))
print("peak RSS:                       %.1f MB (target <= 64 MB)" % ds_rss)
