"""What the benchmarks that run the dashboard in tmux share."""
import json, os, subprocess, time


def tmux(sock, *args, **kw):
    return subprocess.run(["tmux", "-S", sock] + list(args), stdout=subprocess.PIPE, text=True, **kw).stdout


def quit_and_stats(sock, stats):
    """The screen as it is, then q, then the figures --stats wrote on exit."""
    screen = tmux(sock, "capture-pane", "-p")
    tmux(sock, "send-keys", "q")
    for _ in range(200):
        if os.path.exists(stats) and os.path.getsize(stats) > 0:
            break
        time.sleep(0.05)
    tmux(sock, "kill-server", stderr=subprocess.DEVNULL)
    return screen, json.load(open(stats))
