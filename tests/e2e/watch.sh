#!/bin/bash
# `driftscope watch`: three simulated boards (simulate --link) watched at
# once. One is pulled and comes back while the others stream on; a flood
# of bad HTTP requests comes meanwhile. The metrics pass promtool; a real
# Prometheus server (Debian's, on a loopback port, with the shipped config)
# scrapes them and its query API gives each board's drift share; every
# query of the shipped Grafana dashboard runs on it; the hooks run once per
# onset per board; SIGHUP reopens the log, SIGTERM stops cleanly; the
# recordings hold every record their board printed.
. "$(dirname "$0")/lib/tap.bash"
need prometheus promtool || exit 0
. tests/e2e/lib/sim.bash
REF=samples/har-reference.csv
SES=samples/har-session.csv
free_port() { $PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
MP=$(free_port)
PP=$(free_port)
steady_csv "$T/steady.csv"
# the shipped Prometheus config, pointed at this port, scraping every second
sed -e "s/127.0.0.1:9464/127.0.0.1:$MP/" -e "s/scrape_interval: 5s/scrape_interval: 1s/" \
  examples/prometheus/prometheus.yml > "$T/prometheus.yml"
prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" --web.listen-address=127.0.0.1:$PP \
  --log.level=warn > "$T/prometheus.log" 2>&1 &
PIDS+=($!)
prom_ready() {
  $PY -c "
import sys, time, urllib.request
for i in range(300):
    try:
        urllib.request.urlopen('http://127.0.0.1:$PP/-/ready', timeout=1); sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)"
}
check "Prometheus (Debian's) starts on a loopback port with the shipped config" prom_ready
mkdir "$T/rec" "$T/hooks"
cat > "$T/hook.sh" <<EOF
#!/bin/sh
env | grep ^DRIFTSCOPE_ > "$T/hooks/\$DRIFTSCOPE_BOARD.\$(date +%s%N)"
echo "retraining \$DRIFTSCOPE_BOARD"
EOF
chmod +x "$T/hook.sh"
"$BIN" watch -r $REF --board one="$T/one" --board two="$T/two" --board three="$T/three" --window 30 --stride 3 \
  --record-dir "$T/rec" --metrics 127.0.0.1:$MP --metrics-file "$T/watch.prom" --on-drift "$T/hook.sh" \
  --hook-cooldown 0 --status 1 --log "$T/watch.log" 2> "$T/watch.err" &
WATCH=$!
PIDS+=($WATCH)

check "watch starts before its boards are there: it waits for them and serves the metrics" \
  wait_file "$T/watch.log" "metrics at http://127.0.0.1:$MP/metrics" 5 \
  --and grep -q "one: waiting for $T/one against $REF; recording $T/rec/one-" "$T/watch.log" \
  --and grep -q "three: .*$T/three.*; waiting for it (tried every 0.1 s)" "$T/watch.log"
check "Prometheus scrapes watch: up is 1" $PY -c "
import json, sys, time, urllib.request
for i in range(100):
    d = json.load(urllib.request.urlopen('http://127.0.0.1:$PP/api/v1/query?query=up', timeout=2))
    if [s for s in d['data']['result'] if s['value'][1] == '1']:
        sys.exit(0)
    time.sleep(0.1)
sys.exit(1)"
sim one $SES
sim two $SES
SIM2=${PIDS[-1]}
sim three "$T/steady.csv"
links one two three
check "the boards come: each is said connected" wait_file "$T/watch.log" "three: .*: connected after" 5 \
  --and wait_file "$T/watch.log" "one: .*: connected after" 1
check "a status line per board every second" wait_file "$T/watch.log" "three: LIVE, [0-9.]+ records/s" 5 \
  --and grep -qE "one: LIVE, [0-9.]+ records/s, [0-9]+ records, 0 bad lines" "$T/watch.log"

# --- board two is pulled for 2 s; the others stream on ---
sleep 1
kill $SIM2
check "the pulled board is said disconnected" wait_file "$T/watch.log" "two: $T/two: disconnected" 5
sleep 2
n1=$(grep -c "one: LIVE" "$T/watch.log")
sim two $SES
check "it is back: reconnected" wait_file "$T/watch.log" "two: .*reconnected after" 5
check "the other boards streamed on meanwhile (status lines: LIVE)" test "$n1" -ge 3
BACK=$($PY -c 'import time; print(time.time() + 1.5)') # Prometheus has scraped it back by then

# --- a flood of bad requests while the boards stream ---
$PY - $MP > "$T/flood.out" 2>&1 <<'EOS' &
import socket, sys, time, http.client
port = int(sys.argv[1])
# well-formed requests for what is not there: each answered
codes = {}
t0 = time.time()
while time.time() - t0 < 1.5:
    for method, path, body, headers in (("GET", "/", None, {}), ("POST", "/metrics", b"x" * 5000, {}),
                                        ("GET", "/metrics/../etc/passwd", None, {}), ("DELETE", "/metrics", None, {}),
                                        ("GET", "/nope", None, {"X-Big": "y" * 40000})):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request(method, path, body=body, headers=headers)
            r = c.getresponse(); r.read()
            codes[r.status] = codes.get(r.status, 0) + 1
            c.close()
        except (OSError, http.client.HTTPException) as e:
            codes[type(e).__name__] = codes.get(type(e).__name__, 0) + 1
print("answered:", " ".join("%s=%s" % kv for kv in sorted(codes.items(), key=str)))
# garbage, half requests and idle connections: they hold the connections (bounded) until the timeout
held, n = [], 0
for i in range(4):
    s = socket.create_connection(("127.0.0.1", port)); s.send(b"GET /metr"); held.append(s)
t0 = time.time()
while time.time() - t0 < 1.5:
    try:
        s = socket.create_connection(("127.0.0.1", port)); s.send(b"\x00\xff garbage \r\n" * 50); s.close(); n += 1
    except OSError:
        pass
for s in held:
    s.close()
print("garbage:", n)
EOS
FLOOD=$!
wait $FLOOD
check "the flood's requests for what is not there were each answered: 404 (paths, methods), 431 (a 40 kB header)" \
  grep -qE "^answered: 404=[0-9]{3,} 431=[0-9]{2,}$" "$T/flood.out" --and grep -qE "^garbage: [0-9]{3,}$" "$T/flood.out"
$PY -c "
import time, urllib.request
for i in range(80): # the garbage's connections are dropped by the timeout (5 s)
    try:
        r = urllib.request.urlopen('http://127.0.0.1:$MP/metrics', timeout=5)
        break
    except OSError:
        time.sleep(0.1)
open('$T/scrape.txt', 'wb').write(r.read())
print(r.headers['Content-Type'])
r = urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:$MP/metrics',
      headers={'Accept': 'application/openmetrics-text; version=1.0.0,text/plain;q=0.5'}), timeout=5)
open('$T/scrape.om', 'wb').write(r.read())
print(r.headers['Content-Type'])" > "$T/types"
check "within the timeout after the flood /metrics answers, in the Prometheus text format, and promtool accepts it" \
  grep -qx "text/plain; version=0.0.4; charset=utf-8" "$T/types" \
  --and sh -c "promtool check metrics < '$T/scrape.txt'" \
  --and grep -q 'driftscope_connected{board="two"}' "$T/scrape.txt"
check "OpenMetrics when the scraper asks for it: its content type, counters without _total in TYPE, # EOF last" \
  grep -qx "application/openmetrics-text; version=1.0.0; charset=utf-8" "$T/types" \
  --and grep -q "^# TYPE driftscope_records counter" "$T/scrape.om" --and sh -c "tail -1 '$T/scrape.om' | grep -qx '# EOF'"

# --- Prometheus: each board's drift share, queried from its HTTP API ---
query() { # PROMQL [TIME] -> JSON of the result
  $PY -c "
import json, sys, time, urllib.parse, urllib.request
q = urllib.parse.urlencode({'query': sys.argv[1], 'time': sys.argv[2] if len(sys.argv) > 2 else time.time()})
d = json.load(urllib.request.urlopen('http://127.0.0.1:$PP/api/v1/query?' + q, timeout=5))
assert d['status'] == 'success', d
print(json.dumps(d['data']['result']))" "$@"
}
wait_file "$T/sim-one.err" "played 219" 15
sleep 2
query 'max_over_time(driftscope_drifted_features_ratio[5m])' > "$T/share.json"
check "Prometheus scraped all three boards: its query API gives each board's drift share, one and two drifted (>= 0.5), three (the reference's own records) not" \
  $PY -c "
import json
r = {s['metric']['board']: float(s['value'][1]) for s in json.load(open('$T/share.json'))}
assert set(r) == {'one', 'two', 'three'}, r
assert r['one'] >= 0.5 and r['two'] >= 0.5 and r['three'] < 0.5, r
for s in json.load(open('$T/share.json')):
    assert s['metric']['job'] == 'driftscope', s"
query 'sum by (board) (resets(driftscope_connected[5m]))' "$BACK" > "$T/resets.json"
check "Prometheus saw board two disconnect once, the others never (when two was back)" $PY -c "
import json
r = {s['metric']['board']: float(s['value'][1]) for s in json.load(open('$T/resets.json'))}
assert r == {'one': 0, 'two': 1, 'three': 0}, r"
check "every query of the shipped Grafana dashboard runs on Prometheus; the drift share, records/s, connected and worst-feature panels have data" \
  $PY -c "
import json, urllib.parse, urllib.request
d = json.load(open('examples/grafana/driftscope.json'))
must = {'Drift share per board', 'Records/s', 'Connected', 'Worst features', 'Dataset drift', 'Disconnects'}
seen = set()
for p in d['panels']:
    for t in p['targets']:
        q = t['expr'].replace('\$board', '.*').replace('\$__range', '5m').replace('\$__rate_interval', '5s')
        r = json.load(urllib.request.urlopen('http://127.0.0.1:$PP/api/v1/query?' + urllib.parse.urlencode({'query': q}), timeout=5))
        assert r['status'] == 'success', (p['title'], q, r)
        if r['data']['result']:
            seen.add(p['title'])
assert must <= seen, must - seen
assert d['templating']['list'][0]['query']['query'] == 'label_values(driftscope_records_total, board)'"

# --- SIGHUP reopens the log (logrotate), SIGTERM stops cleanly ---
mv "$T/watch.log" "$T/watch.log.1"
kill -HUP $WATCH
check "SIGHUP: the log is opened again at its path, the watch goes on" wait_file "$T/watch.log" "SIGHUP: $T/watch.log reopened" 5 \
  --and wait_file "$T/watch.log" "one: (LIVE|DISCONNECTED)" 3
wait_file "$T/sim-three.err" "played 300" 15
wait_file "$T/sim-two.err" "played 219" 15
sleep 0.5
kill -TERM $WATCH
wait $WATCH
rc=$?
cat "$T/watch.log.1" "$T/watch.log" > "$T/all.log"
check "SIGTERM: exit 0, each board's recording said, 'stopped by a signal'" test $rc = 0 \
  --and grep -qE "one: $T/rec/one-[0-9-]+\.csv: 219 records recorded" "$T/all.log" \
  --and grep -qE "three: $T/rec/three-[0-9-]+\.csv: 300 records recorded" "$T/all.log" \
  --and grep -q "stopped by a signal" "$T/all.log"
check "no loss: the recordings hold every record their board printed, in order, the pulled one with its gap" \
  no_loss "$T/rec/%s-*.csv" one=$SES three="$T/steady.csv" two=$SES
check "the hooks: once per drift onset of each board (cooldown 0), never for the steady one, each with its board's facts" \
  $PY -c "
import glob, os, re
log = open('$T/all.log').read()
for b in ('one', 'two', 'three'):
    onsets = len(re.findall(r' %s: DATASET DRIFT' % b, log))
    runs = sorted(glob.glob('$T/hooks/%s.*' % b))
    assert len(runs) == onsets, (b, len(runs), onsets)
    for f in runs:
        env = dict(l.rstrip('\n').split('=', 1) for l in open(f))
        assert env['DRIFTSCOPE_EVENT'] == 'drift' and env['DRIFTSCOPE_BOARD'] == b, env
        assert re.fullmatch(r'$T/rec/%s-[0-9-]+\.csv' % b, env['DRIFTSCOPE_SESSION']), env
        assert env['DRIFTSCOPE_REFERENCE'] == '$REF' and float(env['DRIFTSCOPE_DRIFT_SHARE']) >= 0.5, env
assert len(glob.glob('$T/hooks/one.*')) >= 1
assert re.search(r' one: on drift: exited 0: retraining one', log), 'the hook exit not logged'"
check "the metrics file's last write has the final counts and passes promtool" \
  grep -q 'driftscope_records_total{board="one"} 219' "$T/watch.prom" \
  --and sh -c "promtool check metrics < '$T/watch.prom'"

# --- the shipped systemd unit ---
check "the systemd unit's ExecStart runs watch with options watch has" $PY -c "
import re, subprocess
unit = open('examples/systemd/driftscope-watch.service').read().replace('\\\\\n', ' ')
cmd = re.search(r'^ExecStart=(.*)$', unit, re.M).group(1).split()
assert cmd[0].endswith('/driftscope') and cmd[1] == 'watch', cmd
helptext = subprocess.run(['$BIN', 'watch', '--help'], capture_output=True, text=True).stdout
opts = [a.split('=')[0] for a in cmd[2:] if a.startswith('-')]
assert opts and all(re.search(r'(^|[ ,])' + re.escape(o) + r'\b', helptext, re.M) for o in opts), opts
assert re.search(r'^ExecReload=/bin/kill -HUP \\\$MAINPID$', unit, re.M) and 'KillSignal=SIGTERM' in unit"
if command -v systemd-analyze >/dev/null; then
  sed "s|/usr/local/bin/driftscope|$BIN|" examples/systemd/driftscope-watch.service > "$T/driftscope-watch.service"
  check "systemd-analyze verify accepts the unit" systemd-analyze verify "$T/driftscope-watch.service"
else
  echo "skip - systemd-analyze is not installed"
fi

# --- what watch refuses ---
status 2 "two boards of one name are refused" "$BIN" watch "$T/one" --board one=/dev/null --no-record
check "... and the message says how to name them" grep -q "two boards are named one" "$T/last"
status 2 "-r NAME=FILE for a board that is not there is refused" "$BIN" watch -r nine=$REF "$T/one" --no-record
check "... naming the boards there are" grep -q "no board is named nine (the boards: one)" "$T/last"
status 2 "--metrics on a port in use (Prometheus's) is refused" "$BIN" watch "$T/one" --no-record --metrics 127.0.0.1:$PP
check "... with the reason" grep -q "cannot listen there" "$T/last"
status 2 "--metrics with a host name, not an address" "$BIN" watch "$T/one" --no-record --metrics localhost:9464
status 2 "--metrics with no port" "$BIN" watch "$T/one" --no-record --metrics 127.0.0.1:
exit 0
