#!/bin/bash
# Drift explained: how far each numeric column moved (the report's JSON
# columns.NAME.effect) against numpy on the same records: the mean's shift
# and in the reference's standard deviations, the ratio of standard
# deviations, the share outside the reference's range, the decile that
# moved most (numpy's linear quantiles); and the text report's first line.
. "$(dirname "$0")/lib/tap.bash"
REF=samples/har-reference.csv
SES=samples/har-session.csv
for w in 30 219; do
  "$BIN" report -r $REF $SES --window $w -q --json "$T/w$w.json"
  check "effect sizes over the last $w records equal numpy's (1e-9 relative)" $PY -c "
import json, numpy as np, pandas as pd
r = json.load(open('$T/w$w.json'))
ref, ses = pd.read_csv('$REF'), pd.read_csv('$SES')
cur = ses.tail($w)
n = 0
for c, col in r['columns'].items():
    if col['role'] != 'feature':
        continue
    e = col['effect']
    a, b = ref[c].dropna().values, cur[c].dropna().values
    def close(x, y):
        assert abs(x - y) <= 1e-9 * max(1, abs(y)), (c, x, y)
    close(e['mean_shift'], b.mean() - a.mean())
    close(e['mean_shift_sigma'], (b.mean() - a.mean()) / a.std())
    close(e['std'], b.std())
    close(e['reference_std'], a.std())
    close(e['std_ratio'], b.std() / a.std())
    close(e['outside_reference_range'], ((b < a.min()) | (b > a.max())).mean())
    qs = np.arange(1, 10) / 10
    d = np.abs(np.quantile(b, qs) - np.quantile(a, qs))
    k = int(np.argmax(d))
    close(e['quantile_moved_most']['q'], qs[k])
    close(e['quantile_moved_most']['reference'], np.quantile(a, qs[k]))
    close(e['quantile_moved_most']['current'], np.quantile(b, qs[k]))
    n += 1
assert n == 14, n"
done

# --- since when: onsets at known records ---
FAN=samples/fan-reference.csv
"$BIN" report -r $FAN samples/fan-session.csv -q --json "$T/fan.json"
check "a real recording joined from three (low speed like the reference, a coin taped to a blade from record 4000, high speed from 8000): x and z left the reference at 8000, y at the coin, 4000, each within its 95% interval (a block: 16 records)" \
  $PY -c "
import json
r = json.load(open('$T/fan.json'))['columns']
for c, at in (('x', 8000), ('y', 4000), ('z', 8000)):
    ch = r[c]['change']
    assert ch['found'] and abs(ch['record'] - at) <= 16 and ch['record_low'] <= at <= ch['record_high'], (c, ch)
    assert abs(ch['since_ms'] - at * 5) <= 100, (c, ch)"
# a real recording that is not a sample: the ai-nose gas sensors, the office
# (the reference) then the kitchen, 2-second windows joined file by file
SHARED=${DRIFTSCOPE_SHARED:-../shared}
if [ -d "$SHARED/data/ai-nose/datasets/office" ]; then
  for d in office kitchen; do
    { head -1 "$(ls "$SHARED/data/ai-nose/datasets/$d"/*.csv | head -1)"
      for f in "$SHARED/data/ai-nose/datasets/$d"/*.csv; do tail -n +2 "$f"; echo; done; } | grep -v '^$' > "$T/$d.csv"
  done
  { cat "$T/office.csv"; tail -n +2 "$T/kitchen.csv"; } > "$T/nose.csv"
  "$BIN" report -r "$T/office.csv" "$T/nose.csv" >"$T/nose.txt" 2>&1
  check "ai-nose, the office then the kitchen from record 3,168: the line names humidity, drifted since record 3,168 (± a block)" \
    grep -q "^humd drifted since [0-9:.]* (record 3,168 ± 16)" "$T/nose.txt"
else
  echo "skip - ai-nose recordings ($SHARED/data/ai-nose not found)"
fi
# the low-speed session (like the reference) with a change written in at a known record
$PY -c "
import numpy as np, pandas as pd
ref = pd.read_csv('$FAN')
s = pd.read_csv('samples/fan-session.csv').head(4000).copy()
s.loc[2500:, 'z'] += ref['z'].std(ddof=0)                       # an offset of one reference sd
s.loc[3000:, 'x'] = s.loc[3000:, 'x'] * 1.3 + 0.05             # a gain change (and its offset)
n = np.arange(len(s))
s['y'] += np.clip((n - 1500) / 1000, 0, 1) * 2 * ref['y'].std(ddof=0)  # a ramp of 2 sd over 1500-2500
s.to_csv('$T/injected.csv', index=False)"
"$BIN" report -r $FAN "$T/injected.csv" -q --json "$T/injected.json"
check "an offset injected at record 2500 (z), a gain change at 3000 (x): found within 16 records, inside the interval; a ramp over 1500-2500 (y): found inside the ramp" \
  $PY -c "
import json
r = json.load(open('$T/injected.json'))['columns']
for c, at in (('z', 2500), ('x', 3000)):
    ch = r[c]['change']
    assert ch['found'] and abs(ch['record'] - at) <= 16 and ch['record_low'] <= at <= ch['record_high'], (c, ch)
ch = r['y']['change']
assert ch['found'] and 1500 <= ch['record'] <= 2500, ch"
$PY -c "
import numpy as np, pandas as pd
rng = np.random.default_rng(11)
for name, n in (('steady-ref', 3000), ('steady', 8000)):
    pd.DataFrame({'time_ms': np.arange(n) * 10, 'a': rng.normal(0, 1, n), 'b': rng.normal(3, 0.5, n)}).to_csv('$T/%s.csv' % name, index=False)"
"$BIN" report -r "$T/steady-ref.csv" "$T/steady.csv" -q --json "$T/steady.json"
check "a stationary stream: no onset found" $PY -c "
import json
r = json.load(open('$T/steady.json'))['columns']
assert not r['a']['change']['found'] and not r['b']['change']['found'], r"

# --- drift in one line, first ---
"$BIN" report -r $FAN "$T/injected.csv" > "$T/injected.txt"
"$BIN" report -r $FAN "$T/injected.csv" --markdown "$T/injected.md" -q
# the first paragraph, its lines joined
sed '/^$/q' "$T/injected.txt" | sed 's/^  //' | tr '\n' ' ' | sed 's/ *$//' > "$T/line.txt"
check "the text report's first paragraph names the feature that moved most, since when (time, record ± interval), by how much, and its test, in lines of 80 at most" \
  grep -qE '^[xyz] drifted since 0:00:[0-9]{2}\.[0-9] \(record [0-9],?[0-9]{3} ± [0-9]+\): mean [-+][0-9.e-]+ \([-+][0-9.]+σ\).*; (Wasserstein|KS p) [0-9.e-]+$' "$T/line.txt" \
  --and sh -c "test \$(sed '/^$/q' '$T/injected.txt' | wc -L) -le 80"
check "the Markdown report's first paragraph is the same line, in bold" \
  sh -c "sed -n 3p '$T/injected.md' | grep -qxF \"**\$(cat '$T/line.txt')**\""
# --- the prediction mix: which class gained and which lost ---
$PY -c "
import pandas as pd
s = pd.read_csv('$REF')
s.loc[s.index % 2 == 0, 'pred'] = 'SEATED'    # the reference's features, half the predictions moved to SEATED
s.to_csv('$T/mix.csv', index=False)
"
"$BIN" report -r $REF "$T/mix.csv" -q --json "$T/mix.json" >/dev/null 2>&1
"$BIN" report -r $REF "$T/mix.csv" >"$T/mix.txt" 2>&1
check "a prediction mix that moved (no feature did): the class that gained most and the one that lost most, with their shares as pandas counts them, first in the text report" $PY -c "
import json, pandas as pd
ref, cur = pd.read_csv('$REF')['pred'], pd.read_csv('$T/mix.csv')['pred']
r, c = ref.value_counts(normalize=True), cur.value_counts(normalize=True)
d = c.reindex(r.index.union(c.index), fill_value=0) - r.reindex(r.index.union(c.index), fill_value=0)
e = json.load(open('$T/mix.json'))['columns']['pred']['effect']
assert e['gained_most']['class'] == d.idxmax() and e['lost_most']['class'] == d.idxmin(), (e, d)
for k, cls in (('gained_most', d.idxmax()), ('lost_most', d.idxmin())):
    assert abs(e[k]['reference_share'] - r.get(cls, 0)) < 1e-12 and abs(e[k]['share'] - c.get(cls, 0)) < 1e-12, (k, e[k])
text = ' '.join(open('$T/mix.txt').read().split('\n\n')[0].split())
want = ': %s %.0f%% → %.0f%%, %s %.0f%% → %.0f%%' % (d.idxmax(), 100 * r.get(d.idxmax(), 0), 100 * c[d.idxmax()], d.idxmin(), 100 * r[d.idxmin()], 100 * c.get(d.idxmin(), 0))
assert text.startswith('the prediction mix drifted since 0:00:00.0 (record 0 ± 16)' + want), (text, want)"
# the mix moved at a known record: the reference's rows ten times over, SEATED predicted from record 400 on
$PY -c "
import pandas as pd
s = pd.concat([pd.read_csv('$REF')] * 10, ignore_index=True)
s['time_ms'] = range(0, 100 * len(s), 100)
s.loc[400:, 'pred'] = 'SEATED'
s.to_csv('$T/mix400.csv', index=False)"
"$BIN" report -r $REF "$T/mix400.csv" -q --json "$T/mix400.json" >/dev/null 2>&1
"$BIN" report -r $REF "$T/mix400.csv" >"$T/mix400.txt" 2>&1
check "the prediction mix moved at record 400: its onset found there (within a block of 16, inside its interval) and said first in the text report" $PY -c "
import json
ch = json.load(open('$T/mix400.json'))['columns']['pred']['change']
assert ch['found'] and abs(ch['record'] - 400) <= 16 and ch['record_low'] <= 400 <= ch['record_high'], ch
text = ' '.join(open('$T/mix400.txt').read().split('\n\n')[0].split())
import re
m = re.match(r'the prediction mix drifted since 0:00:(\d+\.\d) \(record (\d+) ± 16\): SEATED 8% → ', text)
assert m and abs(int(m.group(2)) - 400) <= 16 and abs(float(m.group(1)) - 40) <= 1.6, text"
# --- the dashboard: the Overview's first line on a replay with an offset injected at a known moment ---
if need tmux; then
  . tests/e2e/lib/screen.bash
  $PY -c "
import pandas as pd
ref = pd.read_csv('$FAN')
s = pd.read_csv('samples/fan-session.csv').head(4000).copy()
s.loc[2500:, 'z'] += 2 * ref['z'].std(ddof=0)   # two reference sd from record 2500 (12.5 s)
s.to_csv('$T/z2.csv', index=False)"
  start 80 24 "$BIN" -r "$ROOT/$FAN" "$T/z2.csv" --window 1000 --paused
  wait_for PAUSED 10 >/dev/null
  keys End
  # the line under the verdict (screen row 4), read as a user reads it
  line_says() {
    wait_for 'END +z2.csv' 10 >/dev/null && screen | sed -n 4p > "$T/line4" && $PY -c "
import re
line = open('$T/line4').read()
m = re.match(r' z drifted since 0:00:(\d+\.\d) \(record (\d),(\d{3}) ± (\d+)\): mean \+[0-9.]+ \(\+([0-9.]+)σ\)', line)
assert m, line
sec, rec, sd = float(m.group(1)), int(m.group(2) + m.group(3)), float(m.group(5))
assert abs(rec - 2500) <= 16 and abs(sec - 12.5) <= 0.1 and abs(sd - 2) <= 0.2, line"
  }
  check "replayed to its end, the Overview's first line under the verdict names z, since 0:00:12.5 (record 2,500 within a block of 16), and the shift, +2σ (within 0.2)" line_says
fi
exit 0
