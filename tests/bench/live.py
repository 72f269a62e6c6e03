#!/usr/bin/python3
"""Benchmark live input (make bench): a writer on a pseudo-terminal's master
side prints RATE records a second for SECONDS, like a board; the dashboard
reads the pty at 200x60 in tmux and records the session. Two streams:

  ei   Edge Impulse blocks with 4 class scores (the scores of build/bench/session.csv)
  csv  CSV rows with 8 features, 4 scores, prediction and label (build/bench/session.csv)

against a reference of REF_ROWS rows (the first of build/bench/ref.csv: a training set of
a typical TinyML size); then the CSV stream once more against the whole 100,000-row
reference, whose prepared columns alone take about 40 MB (as in `report`).

Figures, for each stream:
  CPU      the dashboard's user+system time while the writer runs (/proc), as a share
           of one core
  RSS      the dashboard's peak resident memory (--stats max_rss_kb)
  lost     records written minus records in the session file
  latency  from the writer's write() to the record's receive time: the session file's
           rx_ms plus the dashboard's clock at rx_ms 0 (--stats rx_start_ms), both on
           CLOCK_MONOTONIC (Python's time.monotonic), p50 and p99
"""
import os, subprocess, sys, tempfile, threading, time, tty

from dashlib import quit_and_stats, tmux

RATE, SECONDS = 1000, 30
REF_ROWS = 10000
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(root, "driftscope")
BENCH = os.path.join(root, "build", "bench")
REF_ALL, SES = os.path.join(BENCH, "ref.csv"), os.path.join(BENCH, "session.csv")
REF = os.path.join(BENCH, "ref-%d.csv" % REF_ROWS)
CLK_TCK = os.sysconf("SC_CLK_TCK")


def session_rows(n):
    with open(SES) as f:
        header = f.readline().rstrip("\n").split(",")
        rows = [f.readline().rstrip("\n") for _ in range(n)]
    return header, rows


def records(fmt, n):
    """The header bytes (CSV) and each record's bytes."""
    header, rows = session_rows(n)
    if fmt == "csv":
        return (",".join(header) + "\n").encode(), [(r + "\n").encode() for r in rows]
    classes = [h[len("score_"):] for h in header if h.startswith("score_")]
    idx = [header.index("score_" + c) for c in classes]
    out = []
    for r in rows:
        v = r.split(",")
        block = "Predictions (DSP: 2 ms., Classification: 1 ms., Anomaly: 0 ms.): \n"
        block += "".join("    %s: %.5f\n" % (c, float(v[i])) for c, i in zip(classes, idx))
        out.append((block + "\n").encode())
    return b"", out


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def label_keys(sock, stop):
    """While the writer runs: label segments on the timeline (select, pick the
    first class), note, undo, redo, every 2 s, as an engineer would."""
    time.sleep(5)
    tmux(sock, "send-keys", "6")
    while not stop.is_set():
        tmux(sock, "send-keys", "v", *(["h"] * 20), "Enter", "Enter")
        time.sleep(0.3)
        tmux(sock, "send-keys", "a", "x", "Enter", "u", "C-r")
        stop.wait(2)


def run(fmt, ref, labels=False, rate=RATE, seconds=SECONDS):
    total = rate * seconds
    header, recs = records(fmt, total)
    d = tempfile.mkdtemp()
    sock, stats, rec = os.path.join(d, "s"), os.path.join(d, "stats.json"), os.path.join(d, "session.csv")
    master, slave = os.openpty()
    tty.setraw(slave)
    path = os.ttyname(slave)
    cmd = "LC_ALL=C.UTF-8 %s -r %s %s --record %s --stats %s" % (BIN, ref, path, rec, stats)
    tmux(sock, "new-session", "-d", "-x", "200", "-y", "60", cmd, check=True)
    for _ in range(200):
        if " LIVE " in tmux(sock, "capture-pane", "-p"):
            break
        time.sleep(0.05)
    else:
        sys.exit("live benchmark: the dashboard did not start\n" + tmux(sock, "capture-pane", "-p"))
    pid = int(subprocess.run(["pgrep", "-f", "-n", "driftscope -r .*" + stats], stdout=subprocess.PIPE,
                             text=True).stdout.split()[0])
    if header:
        os.write(master, header)
    stop = threading.Event()
    keys = threading.Thread(target=label_keys, args=(sock, stop)) if labels else None
    if keys:
        keys.start()
    written = [0.0] * total
    start = time.monotonic()
    ticks0 = cpu_ticks(pid)
    sent = 0
    while sent < total:
        due = min(total, int((time.monotonic() - start) * rate) + 1)
        if due > sent:
            chunk = b"".join(recs[sent:due])
            t = time.monotonic()
            for i in range(sent, due):
                written[i] = t * 1000.0
            while chunk:
                chunk = chunk[os.write(master, chunk):]
            sent = due
        else:
            time.sleep(max(0.0, start + sent / rate - time.monotonic()))
    busy = (cpu_ticks(pid) - ticks0) / CLK_TCK
    wall = time.monotonic() - start
    if keys:
        stop.set()
        keys.join()
    time.sleep(1.5)  # the last records arrive and are drawn
    screen, st = quit_and_stats(sock, stats)
    os.close(master)
    os.close(slave)
    with open(rec) as f:
        lines = [l for l in f if not l.startswith("#")][1:]
    rx = [float(l.split(",", 1)[0]) for l in lines]
    lat = sorted(st["rx_start_ms"] + r - w for r, w in zip(rx, written))
    return {
        "screen": screen.splitlines()[0] if screen else "",
        "cpu": 100.0 * busy / wall,
        "rss_mb": st["max_rss_kb"] / 1024.0,
        "written": total,
        "recorded": len(lines),
        "bad": st.get("bad_lines", -1),
        "p50": lat[len(lat) // 2] if lat else float("nan"),
        "p99": lat[int(0.99 * (len(lat) - 1))] if lat else float("nan"),
        "max": lat[-1] if lat else float("nan"),
        "label_ops": st.get("label_ops", 0),
        "label_max": st.get("label_op_max_ms", float("nan")),
    }


if not os.path.exists(SES):
    sys.exit("live benchmark: %s is missing (make bench generates it)" % SES)
with open(REF_ALL) as f, open(REF, "w") as out:
    for _ in range(REF_ROWS + 1):
        out.write(f.readline())


def report(what, r):
    print("%-26s CPU %5.2f%% of one core (target <= 10%%)   peak RSS %5.1f MB (target <= 32)" %
          (what, r["cpu"], r["rss_mb"]))
    print("%-26s records written %d, recorded %d: %d lost (target 0), %d bad lines" %
          ("", r["written"], r["recorded"], r["written"] - r["recorded"], r["bad"]))
    print("%-26s latency write -> session state: p50 %.2f ms, p99 %.2f ms, max %.2f ms (target p99 <= 50)" %
          ("", r["p50"], r["p99"], r["max"]))


print("live input: a pty writer at %d records/s for %d s, the dashboard at 200x60 in tmux, recording" % (RATE, SECONDS))
print("reference: %d rows" % REF_ROWS)
report("Edge Impulse, 4 classes", run("ei", REF))
r = run("csv", REF, labels=True)
report("CSV, 8 features", r)
print("%-26s while labelling: %d label operations, the longest (write + fsync + truth) %.2f ms; latency max %.2f ms"
      " (target: no delay past one frame, 50 ms)" % ("", r["label_ops"], r["label_max"], r["max"]))
print("reference: all 100,000 rows")
report("CSV, 8 features", run("csv", REF_ALL))
print("a flood: 20,000 records/s for 10 s (target: none lost), reference %d rows" % REF_ROWS)
report("CSV, 8 features", run("csv", REF, rate=20000, seconds=10))
