#!/usr/bin/python3
"""Benchmark the dashboard (make bench): the real binary in tmux at 200x60.

1. samples/har-session.csv replayed at max speed: records/s from the start of
   loading to the last record shown, against the headless report's rate on the
   same file (its reference + sessions + analysis phases, DRIFTSCOPE_TIMING).
2. the same file at 64x: frame draw times at 200x60 (mean, p99).
3. the same file at 1x for CPU_SECONDS: CPU time as a share of one core.
Each figure is the median of RUNS runs where it says so.
"""
import json, os, statistics, subprocess, sys, tempfile, time

RUNS = 5
CPU_SECONDS = 20
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(root, "driftscope")
REF, SES = os.path.join(root, "samples/har-reference.csv"), os.path.join(root, "samples/har-session.csv")
ARGS = ["-r", REF, SES, "--window", "30", "--stride", "5"]


def dashboard(extra, seconds_or_pattern):
    """Run the dashboard in a detached 200x60 tmux; quit when the header shows the pattern
    (or after that many seconds); return its --stats figures."""
    d = tempfile.mkdtemp()
    sock, stats = os.path.join(d, "s"), os.path.join(d, "stats.json")
    cmd = "LC_ALL=C.UTF-8 %s %s --stats %s" % (BIN, " ".join(ARGS + extra), stats)
    tm = ["tmux", "-S", sock]
    subprocess.run(tm + ["new-session", "-d", "-x", "200", "-y", "60", cmd], check=True)
    t0 = time.time()
    while True:
        time.sleep(0.1)
        screen = subprocess.run(tm + ["capture-pane", "-p"], stdout=subprocess.PIPE, text=True).stdout
        if isinstance(seconds_or_pattern, str) and seconds_or_pattern in screen:
            break
        if not isinstance(seconds_or_pattern, str) and time.time() - t0 >= seconds_or_pattern:
            break
        if time.time() - t0 > 120:
            sys.exit("dashboard benchmark: timed out\n" + screen)
    subprocess.run(tm + ["send-keys", "q"], check=True)
    for _ in range(100):
        if os.path.exists(stats) and os.path.getsize(stats) > 0:
            break
        time.sleep(0.05)
    subprocess.run(tm + ["kill-server"], stderr=subprocess.DEVNULL)
    return json.load(open(stats))


def headless_rate():
    env = dict(os.environ, DRIFTSCOPE_TIMING="1")
    p = subprocess.run([BIN, "report"] + ARGS + ["-q"], stderr=subprocess.PIPE, text=True, env=env, check=True)
    secs = sum(float(l.split()[2]) for l in p.stderr.splitlines() if l.startswith("timing:"))
    rows = sum(1 for _ in open(SES)) - 1
    return rows / secs


tui = statistics.median(dashboard(["--speed", "max"], "END")["records_per_s"] for _ in range(RUNS))
head = statistics.median(headless_rate() for _ in range(RUNS))
frames = dashboard(["--speed", "64"], "END")
cpu = dashboard(["--speed", "1"], CPU_SECONDS)
print("dashboard, samples/har-session.csv in tmux 200x60 (%d runs, median where it says)" % RUNS)
print("records/s at max speed (load + replay)  %10.0f   headless report %10.0f   ratio %.2f (target >= 0.50)"
      % (tui, head, tui / head))
print("frame draw time at 64x                  mean %.3f ms, p99 %.3f ms over %d frames (target p99 <= 8 ms)"
      % (frames["frame_mean_ms"], frames["frame_p99_ms"], frames["frames"]))
print("CPU at 1x over %d s                      %.2f%% of one core (target <= 5%%)"
      % (CPU_SECONDS, 100 * cpu["cpu_ms"] / cpu["wall_ms"]))
