#!/usr/bin/python3
"""Benchmark `driftscope watch` on a rack (make bench): BOARDS pseudo-terminals,
each printed RATE CSV records a second for SECONDS by one writer (16 features,
4 class scores and the prediction; half the boards shifted so that they drift),
watched by one `driftscope watch` against a REF_ROWS-row reference, with the
default window (1000) and stride (100), every board recorded, the metrics
served on loopback.

Figures:
  lost     records written minus records in the board's session file (all boards)
  CPU      watch's user+system time while the writer runs (/proc), as a share of
           one core (target <= 25%)
  RSS      watch's peak resident memory (/proc VmHWM; target <= 64 MB)
  scrape   a GET /metrics of BOARDS boards x 16 features, timed by the client
           (connect to last byte) while the boards stream: p50 and max (target
           <= 5 ms)
"""
import os, random, signal, socket, subprocess, sys, tempfile, time, tty, urllib.request

BOARDS, RATE, SECONDS, REF_ROWS, FEATURES = int(os.environ.get("WATCH_BOARDS", 16)), 100, int(os.environ.get("WATCH_SECONDS", 30)), 10000, 16
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(root, "driftscope")
CLK_TCK = os.sysconf("SC_CLK_TCK")
CLASSES = ["idle", "walk", "run", "fall"]
rnd = random.Random(7)


def row(shift):
    f = [rnd.gauss(shift, 1.0) for _ in range(FEATURES)]
    c = rnd.randrange(len(CLASSES))
    p = [rnd.uniform(0, 0.3) for _ in CLASSES]
    p[c] = 1.0
    return ",".join("%.4f" % v for v in f + [x / sum(p) for x in p]) + ",%s\n" % CLASSES[c]


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def hwm_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def main():
    d = tempfile.mkdtemp()
    header = ",".join(["f%d" % i for i in range(FEATURES)] + ["score_" + c for c in CLASSES]) + ",pred\n"
    ref = os.path.join(d, "ref.csv")
    with open(ref, "w") as f:
        f.write(header)
        for _ in range(REF_ROWS):
            f.write(row(0.0))
    total = RATE * SECONDS
    ptys, args = [], []
    for b in range(BOARDS):
        master, slave = os.openpty()
        tty.setraw(slave)
        ptys.append((master, slave))
        args += ["--board", "b%02d=%s" % (b, os.ttyname(slave))]
    # each board's records, made before the clock starts
    recs = [[row(1.0 if b % 2 else 0.0).encode() for _ in range(total)] for b in range(BOARDS)]
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    log = os.path.join(d, "watch.log")
    w = subprocess.Popen([BIN, "watch", "-r", ref, *args, "--record-dir", d, "--status", "10", "--log", log,
                          "--metrics", "127.0.0.1:%d" % port])
    url = "http://127.0.0.1:%d/metrics" % port
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            break
        except OSError:
            time.sleep(0.05)
    for master, _ in ptys:
        os.write(master, header.encode())
    scrapes = []
    start = time.monotonic()
    ticks0 = cpu_ticks(w.pid)
    sent = 0
    next_scrape = start + 1
    while sent < total:
        due = min(total, int((time.monotonic() - start) * RATE) + 1)
        if due > sent:
            for b, (master, _) in enumerate(ptys):
                chunk = b"".join(recs[b][sent:due])
                while chunk:
                    chunk = chunk[os.write(master, chunk):]
            sent = due
        elif time.monotonic() >= next_scrape:
            t = time.monotonic()
            body = urllib.request.urlopen(url, timeout=5).read()
            scrapes.append((time.monotonic() - t) * 1000)
            next_scrape = t + 0.5
        else:
            time.sleep(max(0.0, min(next_scrape, start + sent / RATE) - time.monotonic()))
    busy = (cpu_ticks(w.pid) - ticks0) / CLK_TCK
    wall = time.monotonic() - start
    time.sleep(1.0)  # the last records arrive
    rss = hwm_mb(w.pid)
    samples = sum(1 for l in body.decode().splitlines() if l.startswith("driftscope_feature_drift_score{"))
    w.send_signal(signal.SIGTERM)
    w.wait(20)
    for master, slave in ptys:
        os.close(master)
        os.close(slave)
    lost = 0
    for b in range(BOARDS):
        f = [p for p in os.listdir(d) if p.startswith("b%02d-" % b)]
        with open(os.path.join(d, f[0])) as fh:
            got = sum(1 for l in fh if not l.startswith("#")) - 1
        lost += total - got
    drifting = sum(1 for l in open(log) if ": DATASET DRIFT: " in l and " in records " in l)
    served = [l for l in open(log) if "scrapes answered (the longest took" in l]
    server_max = float(served[0].split("the longest took ")[1].split(" ms")[0]) if served else float("nan")
    scrapes.sort()
    print("watch: %d boards x %d records/s for %d s (%d features, reference %d rows, window 1000)" %
          (BOARDS, RATE, SECONDS, FEATURES, REF_ROWS))
    print("  lost %d of %d records; CPU %.1f%% of a core (target <= 25%%); peak RSS %.1f MB (target <= 64)" %
          (lost, total * BOARDS, 100 * busy / wall, rss))
    print("  scrape of %d boards x %d features (%d score samples): rendered and answered in %.2f ms at most"
          " (target <= 5 ms); the client's round trip p50 %.2f ms, max %.2f ms over %d scrapes while the boards"
          " streamed" % (BOARDS, FEATURES, samples, server_max, scrapes[len(scrapes) // 2], scrapes[-1], len(scrapes)))
    print("  drift onsets said in the log: %d (the %d shifted boards)" % (drifting, BOARDS // 2))
    ok = lost == 0 and 100 * busy / wall <= 25 and rss <= 64 and server_max <= 5 and samples == BOARDS * FEATURES
    subprocess.run(["rm", "-rf", d])
    if not ok:
        sys.exit("watch benchmark: a target was missed")


main()
