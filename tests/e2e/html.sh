#!/bin/bash
# End-to-end tests of the HTML report (report/check --html): one
# self-contained page (nothing fetched, no script) rendered by a real browser,
# headless Chromium (Debian's), at a phone's width and a laptop's: no console
# error, every section laid out with its charts drawn, no sideways scrolling on
# the phone, and screenshots taken. TAP-style output.
. "$(dirname "$0")/lib/tap.bash"
need chromium || { echo "1..0"; exit 0; }
REF=samples/har-reference.csv SES=samples/har-session.csv

"$BIN" check -r $REF $SES --window 30 --html "$T/har.html" --json "$T/har.json" -q; rc=$?
check "check --html writes the page and keeps its exit status (1: tests failed)" test $rc = 1 --and test -s "$T/har.html"
"$BIN" report -r samples/fan-reference.csv samples/fan-session.csv --html "$T/fan.html" -q; rc=$?
check "report --html on the fan (no model output, larger reference): exit 0" test $rc = 0 --and test -s "$T/fan.html"
check "self-contained: no script, no external reference (src, href, url(), @import)" $PY -c "
import re
for p in ('$T/har.html', '$T/fan.html'):
    h = open(p).read()
    assert '<script' not in h.lower(), p
    bad = re.findall(r'(?:src|href)\s*=|url\(|@import', h, re.I)
    assert not bad, (p, bad)
"

# render in Chromium through a harness page that measures each section
# (the report itself carries no script)
render() { # render PAGE WIDTH OUT: the harness's measurements into OUT, the browser's log into OUT.log
  cat > "$T/harness.html" <<HTML
<!DOCTYPE html><html><body><iframe id="f" src="$1" style="width:$2px;height:900px;border:0"></iframe><pre id="out"></pre>
<script>
document.getElementById('f').onload = function () {
  var d = this.contentDocument, w = this.contentWindow, r = {};
  ['summary', 'tests', 'columns', 'histograms', 'overtime', 'mix', 'confusion', 'quality', 'detectors'].forEach(function (id) {
    var s = d.getElementById(id);
    if (!s) { r[id] = null; return; }
    var b = s.getBoundingClientRect(), svgs = Array.prototype.slice.call(s.querySelectorAll('svg'));
    r[id] = {h: b.height, w: b.width, svgs: svgs.length, drawn: svgs.filter(function (g) {
      var bb = g.getBoundingClientRect();
      return bb.width > 100 && bb.height > 30 && g.querySelectorAll('rect, polyline').length > 0;
    }).length, text: s.innerText.length};
  });
  r.overflow = d.documentElement.scrollWidth - w.innerWidth;
  document.getElementById('out').textContent = JSON.stringify(r);
};
</script></body></html>
HTML
  timeout 120 chromium --headless --no-sandbox --disable-gpu --allow-file-access-from-files --enable-logging=stderr \
    --v=0 --virtual-time-budget=10000 --dump-dom "file://$T/harness.html" > "$3" 2> "$3.log"
}
cat > "$T/broken.html" <<'HTML'
<!DOCTYPE html><html><body><section id="summary"><p>x</p></section><script>undefined_function();</script></body></html>
HTML
render broken.html 412 "$T/broken.dom"
check "the harness sees a console error when a page has one (the check below can fail)" \
  grep -q "INFO:CONSOLE.*Uncaught ReferenceError: undefined_function is not defined" "$T/broken.dom.log"

for w in 412 1280; do
  render har.html $w "$T/har-$w.dom"
  check "HAR at ${w}px: no console error" sh -c "! grep -q 'CONSOLE' '$T/har-$w.dom.log'"
  check "HAR at ${w}px: every section shown, each feature's histogram, drift over time, the mix drawn" $PY -c "
import json, re
m = json.loads(re.search(r'<pre id=\"out\">(.*?)</pre>', open('$T/har-$w.dom').read(), re.S).group(1).replace('&quot;', '\"'))
d = json.load(open('$T/har.json'))
for s in ('summary', 'tests', 'columns', 'histograms', 'overtime', 'mix', 'confusion', 'quality', 'detectors'):
    assert m[s] and m[s]['h'] > 20 and m[s]['text'] > 20, (s, m[s])
compared = [c for c, v in d['columns'].items() if v['reference_column'] and c != 'pred']  # the mix has its own section
assert m['histograms']['drawn'] == len(compared) == 15, (m['histograms'], compared)
assert m['overtime']['drawn'] == 2 and m['mix']['drawn'] == 1, m   # the windows' share and the features
assert m['overflow'] <= 0, m   # no sideways scrolling: wide tables scroll in their own box
"
done
render fan.html 412 "$T/fan-412.dom"
check "fan at 412px: no console error; no mix or confusion (no model output), the rest shown" $PY -c "
import json, re
assert 'CONSOLE' not in open('$T/fan-412.dom.log').read()
m = json.loads(re.search(r'<pre id=\"out\">(.*?)</pre>', open('$T/fan-412.dom').read(), re.S).group(1).replace('&quot;', '\"'))
assert m['mix'] is None and m['confusion'] is None and m['tests'] is None, m
assert m['histograms']['drawn'] == 3 and m['overtime']['drawn'] == 1 and m['quality']['h'] > 20, m
assert m['overflow'] <= 0, m
"
(cd "$T" && timeout 120 chromium --headless --no-sandbox --disable-gpu --window-size=412,2400 \
  --screenshot="$T/phone.png" "file://$T/har.html" >/dev/null 2>&1)
check "a phone-sized screenshot is rendered (PNG, 412 wide, not blank)" $PY -c "
import struct, zlib
data = open('$T/phone.png', 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n'
w, h = struct.unpack('>II', data[16:24])
assert (w, h) == (412, 2400), (w, h)
idat = b''.join(data[i + 8:i + 8 + struct.unpack('>I', data[i:i + 4])[0]] for i in range(8, len(data)) if data[i + 4:i + 8] == b'IDAT')
raw = zlib.decompress(idat)
assert len(set(raw[::97])) > 20, 'a blank page'   # many colours: text and charts drawn
"
(cd "$T" && timeout 120 chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
  --print-to-pdf="$T/har.pdf" "file://$T/har.html" >/dev/null 2>&1)
check "printed (Chromium's print to PDF): a PDF of several pages" $PY -c "
import re
d = open('$T/har.pdf', 'rb').read()
pages = len(re.findall(rb'/Type\s*/Page[^s]', d))
assert d[:5] == b'%PDF-' and pages >= 3, (d[:8], pages)
"
echo "1..$n"
