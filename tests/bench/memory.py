#!/usr/bin/python3
"""Benchmark a day at the bench (make bench): the live dashboard, at 200x60 in tmux, reads
TOTAL records of build/bench/session.csv (8 features, 4 scores, prediction, label; the file
repeated) through standard input as fast as it takes them, against a reference of REF_ROWS rows.
The dashboard keeps its default last 360,000 records in memory (--keep).

Figures:
  RSS      the dashboard's resident memory (/proc/PID/status VmRSS) after each million records
           written; the growth from the first million to the last (target <= 16 MB) and the
           peak (target < 64 MB)
  rate     records a second the dashboard read, over the whole run
  lost     records written minus records the dashboard read (--stats live_records; target 0)
"""
import os, subprocess, sys, tempfile, time

from dashlib import quit_and_stats, tmux

TOTAL = int(os.environ.get("MEMORY_RECORDS", "20000000"))
REF_ROWS = 10000
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(root, "driftscope")
BENCH = os.path.join(root, "build", "bench")
SES, REF = os.path.join(BENCH, "session.csv"), os.path.join(BENCH, "ref-%d.csv" % REF_ROWS)
CHUNK = 10000  # records a write


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def main():
    if not os.path.exists(SES) or not os.path.exists(REF):
        sys.exit("memory benchmark: %s or %s is missing (make bench generates them)" % (SES, REF))
    with open(SES, "rb") as f:
        header = f.readline()
        rows = f.read().splitlines(keepends=True)
    chunks = [b"".join(rows[i:i + CHUNK]) for i in range(0, len(rows) - CHUNK + 1, CHUNK)]
    del rows
    d = tempfile.mkdtemp()
    sock, stats, fifo = os.path.join(d, "s"), os.path.join(d, "stats.json"), os.path.join(d, "in")
    os.mkfifo(fifo)
    cmd = "LC_ALL=C.UTF-8 %s -r %s - --no-record --stats %s %s < %s; sleep 30" % (BIN, REF, stats, os.environ.get("MEMORY_OPTS", ""), fifo)
    tmux(sock, "new-session", "-d", "-x", "200", "-y", "60", cmd, check=True)
    out = open(fifo, "wb")
    pid = int(subprocess.run(["pgrep", "-f", "-n", "driftscope -r .*" + stats], stdout=subprocess.PIPE,
                             text=True).stdout.split()[0])
    out.write(header)
    sent, samples, start = 0, [], time.monotonic()
    while sent < TOTAL:
        try:
            out.write(chunks[(sent // CHUNK) % len(chunks)])
        except BrokenPipeError:
            time.sleep(1)
            sys.exit("memory benchmark: the dashboard stopped reading at %d records:\n%s" % (sent, tmux(sock, "capture-pane", "-p", "-S", "-100")))
        sent += CHUNK
        if sent % 1000000 == 0:
            out.flush()
            samples.append((sent, rss_mb(pid)))
    out.close()  # standard input ends: the dashboard says so and stays up
    for _ in range(600):
        if "standard input ended" in tmux(sock, "capture-pane", "-p"):
            break
        time.sleep(0.1)
    wall = time.monotonic() - start
    samples.append((sent, rss_mb(pid)))
    screen, st = quit_and_stats(sock, stats)
    screen = screen.splitlines()
    first = next(r for n, r in samples if n >= 1000000)
    peak = max(r for _, r in samples)
    print("a day at the bench: %d records through standard input into the dashboard at 200x60, reference %d rows"
          % (sent, REF_ROWS))
    print("  RSS after each million: " + " ".join("%.1f" % r for _, r in samples[:-1]) + " MB")
    print("  RSS growth from 1M to %dM records: %.1f MB (target <= 16)   peak %.1f MB (target < 64),"
          " max_rss %.1f MB" % (sent // 1000000, samples[-1][1] - first, peak, st["max_rss_kb"] / 1024.0))
    print("  read %d of %d records: %d lost (target 0); %.0f records/s over %.1f s"
          % (st["live_records"], sent, sent - st["live_records"], st["live_records"] / wall, wall))
    print("  header at the end: %s" % (screen[0].strip() if screen else ""))


main()
