#!/bin/bash
# End-to-end tests of `driftscope export`: each format against files written
# by hand from the documented formats (Edge Impulse info.labels and uploader
# naming, Label Studio timeserieslabels), pandas reading the dataset, and
# the refusals. TAP-style output.
. "$(dirname "$0")/lib/tap.bash"
D=tests/data/labels
E=$D/expected
cp $D/session.csv $D/session.csv.labels.csv "$T/"
S=$T/session.csv

"$BIN" export "$S" --out "$T/ds" > "$T/ds.out" 2>&1; rc=$?
check "dataset (the default format): exit 0" test $rc = 0
check "dataset.csv equals the hand-written file" diff "$T/ds/dataset.csv" $E/dataset.csv
check "it says what it wrote: files, segments per label, records, and the empty segment" \
  sh -c "grep -q 'wrote 1 file to $T/ds: 2 segments (WALKING 1, SEATED 1), 4 records' '$T/ds.out' && grep -q '1 segment holds no record of this session and was left out' '$T/ds.out'"
"$BIN" export "$S" --out "$T/dsu" --include-unlabelled > /dev/null 2>&1
check "--include-unlabelled: the records in no segment follow, segment fields empty" diff "$T/dsu/dataset.csv" $E/dataset-unlabelled.csv
check "pandas reads dataset.csv: 6 rows, numbers as numbers, unlabelled ids as NaN" /usr/bin/python3 -c "
import pandas as pd
d = pd.read_csv('$T/dsu/dataset.csv')
assert list(d.columns) == ['segment_id', 'segment_label', 'segment_note', 'time_ms', 'ax', 'ay', 'pred'], list(d.columns)
assert len(d) == 6 and d['ax'].dtype.kind == 'f' and d['segment_id'].isna().sum() == 2
assert d.groupby('segment_label').size().to_dict() == {'SEATED': 1, 'WALKING': 3}"

"$BIN" export "$S" --out "$T/ei" --format ei > /dev/null 2>&1
check "ei: the per-segment CSVs and info.labels equal the hand-written files" diff -r -x manifest.json -x manifest.sha256 -x ei-labelled.csv "$T/ei" $E/ei
check "ei: names follow the uploader's rule (label = the name before the first dot) and info.labels" /usr/bin/python3 -c "
import json, os, re
info = json.load(open('$T/ei/info.labels'))
assert info['version'] == 1
for f in info['files']:
    assert os.path.exists(os.path.join('$T/ei', f['path'])), f['path']
    label = f['path'].split('.')[0]
    assert re.fullmatch(r'[a-zA-Z0-9\s_-]+', label), label
    assert f['label'] == {'type': 'label', 'label': label}, f
    assert f['category'] == 'training'
    with open(os.path.join('$T/ei', f['path'])) as c:
        assert c.readline().startswith('timestamp,')"

"$BIN" export "$S" --out "$T/ls" --format labelstudio > /dev/null 2>&1
check "labelstudio: the task JSON equals the hand-written file" diff "$T/ls/labelstudio.json" $E/labelstudio.json
check "labelstudio: the labelling config names the labels used, the stream's other classes (TURNING) and the channels" diff "$T/ls/labelstudio.xml" $E/labelstudio.xml
check "labelstudio: valid JSON with timeserieslabels start/end in time_ms units" /usr/bin/python3 -c "
import json
t = json.load(open('$T/ls/labelstudio.json'))[0]
r = t['annotations'][0]['result']
assert [x['value']['timeserieslabels'] for x in r] == [['WALKING'], ['SEATED']]
assert (r[0]['value']['start'], r[0]['value']['end']) == (1100, 1300)
assert t['data']['ts']['time'][0] == 1000"

touch "$T/ei/info.labels.keep"
cp "$T/ei/WALKING.session.1.csv" "$T/before.csv"
echo "changed" > "$T/ei/SEATED.session.2.csv"
"$BIN" export "$S" --out "$T/ei" --format ei > "$T/again.out" 2>&1; rc=$?
check "existing files are never overwritten: exit 2, named, nothing written" \
  sh -c "test $rc = 2 && grep -q 'exists; nothing written (--force replaces)' '$T/again.out' && grep -qx changed '$T/ei/SEATED.session.2.csv'"
"$BIN" export "$S" --out "$T/ei" --format ei --force > /dev/null 2>&1; rc=$?
check "--force replaces them" sh -c "test $rc = 0 && diff -r -x info.labels.keep -x manifest.json -x manifest.sha256 -x ei-labelled.csv '$T/ei' $E/ei"

{ cat $D/session.csv.labels.csv; printf 'add,9,0,10'; } > "$T/torn.csv"
"$BIN" export "$S" --labels "$T/torn.csv" --out "$T/torn" > "$T/torn.out" 2>&1; rc=$?
check "a torn last journal line (power loss): said, left out, the rest exported" \
  sh -c "test $rc = 0 && grep -q 'the last line was cut off (10 bytes' '$T/torn.out' && diff '$T/torn/dataset.csv' $E/dataset.csv"
"$BIN" export "$T/nosuch.csv" --out "$T/x" > "$T/missing.out" 2>&1; rc=$?
check "no journal: exit 2, says how to make one" sh -c "test $rc = 2 && grep -q 'label segments in the dashboard first' '$T/missing.out'"
"$BIN" export "$S" --out "$T/x" --format parquet > "$T/fmt.out" 2>&1; rc=$?
check "an unknown format: exit 2, the choices named" sh -c "test $rc = 2 && grep -q 'dataset, ei or labelstudio' '$T/fmt.out'"
# --- Label Studio pre-annotation: the model's predictions, a region a run of one class, its mean confidence ---
cp samples/har-session.csv "$T/har.csv"
printf 'op,id,start_ms,end_ms,label,note,time\nadd,1,0,60000,WALKING,,2026-11-23T10:00:00+0000\n' > "$T/har.csv.labels.csv"
"$BIN" export "$T/har.csv" --out "$T/lsh" --format labelstudio > /dev/null 2>&1
check "labelstudio predictions: the model's runs of one class as regions (start, end in time_ms), each scored by its mean confidence, as pandas finds them" /usr/bin/python3 -c "
import json, pandas as pd
t = json.load(open('$T/lsh/labelstudio.json'))[0]
s = pd.read_csv('$T/har.csv')
conf = s[[c for c in s.columns if c.startswith('score_')]].max(axis=1)
run = (s['pred'] != s['pred'].shift()).cumsum()
want = [(g['time_ms'].iloc[0], g['time_ms'].iloc[-1], g['pred'].iloc[0], conf[g.index].mean()) for _, g in s.groupby(run)]
p = t['predictions']
assert len(p) == 1 and p[0]['model_version'] == 'pred', p
got = [(r['value']['start'], r['value']['end'], r['value']['timeserieslabels'][0], r['score']) for r in p[0]['result']]
assert len(got) == len(want) > 10, (len(got), len(want))
for g, w in zip(got, want):
    assert g[:3] == w[:3] and abs(g[3] - w[3]) < 1e-12, (g, w)
assert all(r['from_name'] == 'label' and r['to_name'] == 'ts' and r['type'] == 'timeserieslabels' for r in p[0]['result'])"

# --- Edge Impulse's single labelled CSV: the hand-written per-segment files, one after the other ---
"$BIN" export "$S" --out "$T/eim" --format ei > /dev/null 2>&1
check "ei-labelled.csv: each sample's rows as its hand-written file has them, then its label (info.labels') and its name" /usr/bin/python3 -c "
import json, pandas as pd
got = pd.read_csv('$T/eim/ei-labelled.csv', keep_default_na=False)
info = json.load(open('$E/ei/info.labels'))['files']
parts = []
for f in info:
    p = pd.read_csv('$E/ei/' + f['path'], keep_default_na=False)
    p['label'] = f['label'].get('label', '')
    p['sample'] = f['name']
    parts.append(p)
want = pd.concat(parts, ignore_index=True)
assert list(got.columns) == list(want.columns), (list(got.columns), list(want.columns))
pd.testing.assert_frame_equal(got, want, check_dtype=False)
assert len(got) > 0 and set(got['label']) == {'WALKING', 'SEATED'}, got"

# --- --dvc: a DVC stage whose command redoes the export from its directory ---
mkdir -p "$T/it's here"
cp "$S" "$T/it's here/s s.csv"
cp "$S.labels.csv" "$T/it's here/s s.csv.labels.csv"
"$BIN" export "$T/it's here/s s.csv" --out "$T/dvc/out" --dvc > /dev/null 2>&1
mkdir -p "$T/bin"
ln -sf "$BIN" "$T/bin/driftscope"
check "--dvc: dvc.yaml is YAML with one stage: its deps (relative to it) are the session and journal, its outs the files written; its command, run there as dvc repro runs it, redoes the same dataset" /usr/bin/python3 -c "
import os, subprocess, yaml
out = '$T/dvc/out'
st = yaml.safe_load(open(out + '/dvc.yaml'))['stages']['export']
deps = [os.path.realpath(os.path.join(out, d)) for d in st['deps']]
assert deps == [os.path.realpath(\"$T/it's here/s s.csv\"), os.path.realpath(\"$T/it's here/s s.csv.labels.csv\")], deps
assert sorted(st['outs']) == sorted(n for n in os.listdir(out) if n not in ('dvc.yaml', 'dvc.lock')), (st['outs'], os.listdir(out))
before = open(out + '/dataset.csv', 'rb').read()
os.remove(out + '/dataset.csv')
env = dict(os.environ, PATH='$T/bin:' + os.environ['PATH'])
subprocess.run(st['cmd'], shell=True, cwd=out, env=env, check=True, capture_output=True)
assert open(out + '/dataset.csv', 'rb').read() == before
subprocess.run(['sha256sum', '-c', '--strict', 'manifest.sha256'], cwd=out, check=True, capture_output=True)"

"$BIN" export "$T/it's here/s s.csv" --out "$T/dvc/out2" --dvc > /dev/null 2>&1
check "--dvc: dvc.lock (DVC 3, schema 2.0) holds the stage's command and the MD5 and size of each dep and out, as hashlib and stat give them; a changed session no longer matches" /usr/bin/python3 -c "
import hashlib, os, yaml
out = '$T/dvc/out2'
st = yaml.safe_load(open(out + '/dvc.yaml'))['stages']['export']
lock = yaml.safe_load(open(out + '/dvc.lock'))
assert lock['schema'] == '2.0' and list(lock['stages']) == ['export'], lock
lk = lock['stages']['export']
assert lk['cmd'] == st['cmd'], (lk['cmd'], st['cmd'])
assert [d['path'] for d in lk['deps']] == st['deps'] and [o['path'] for o in lk['outs']] == st['outs'], lk
for e in lk['deps'] + lk['outs']:
    data = open(os.path.join(out, e['path']), 'rb').read()
    assert e['hash'] == 'md5' and e['md5'] == hashlib.md5(data).hexdigest() and e['size'] == len(data), e
session = os.path.join(out, lk['deps'][0]['path'])
open(session, 'a').write('\\n')
assert hashlib.md5(open(session, 'rb').read()).hexdigest() != lk['deps'][0]['md5']"

# --- the manifest: every file's SHA-256 and size, the source's, the segments ---
for f in ds dsu eim; do
  check "$f: sha256sum -c manifest.sha256 verifies every file written, manifest.json included" \
    sh -c "cd '$T/$f' && sha256sum -c --strict manifest.sha256 > '$T/$f.sums' && test \$(ls | grep -vc '^manifest.sha256\$') = \$(wc -l < manifest.sha256)"
done
check "manifest.json: each file's SHA-256 and size as sha256sum and stat give them; the session's and the journal's; version and options" \
  /usr/bin/python3 -c "
import hashlib, json, os
for d, fmt, unl in (('ds', 'dataset', False), ('dsu', 'dataset', True), ('eim', 'ei', False)):
    m = json.load(open('$T/%s/manifest.json' % d))
    names = sorted(f['name'] for f in m['files'])
    assert names == sorted(n for n in os.listdir('$T/' + d) if not n.startswith('manifest.')), (d, names)
    for f in m['files']:
        data = open('$T/%s/%s' % (d, f['name']), 'rb').read()
        assert f['sha256'] == hashlib.sha256(data).hexdigest() and f['bytes'] == len(data), (d, f)
    src = open('$S', 'rb').read()
    assert m['source']['sha256'] == hashlib.sha256(src).hexdigest() and m['source']['bytes'] == len(src), m['source']
    j = open('$S.labels.csv', 'rb').read()
    assert m['labels']['sha256'] == hashlib.sha256(j).hexdigest() and m['labels']['bytes'] == len(j), m['labels']
    assert m['options'] == {'format': fmt, 'include_unlabelled': unl} and m['driftscope'], m['options']"
check "manifest.json: each segment's label, span and records, as dataset.csv has them" /usr/bin/python3 -c "
import json, pandas as pd
m = json.load(open('$T/ds/manifest.json'))
d = pd.read_csv('$T/ds/dataset.csv')
got = {s['id']: s['records'] for s in m['segments']}
want = d.groupby('segment_id').size().to_dict()
assert {k: v for k, v in got.items() if v} == want and 0 in got.values(), (got, want)  # the empty one listed, 0 records
for s in m['segments']:
    rows = d[d['segment_id'] == s['id']]
    assert (rows['segment_label'] == s['label']).all() and len(rows) == s['records'], s
assert m['records'] == len(d) and m['source']['records'] == len(pd.read_csv('$S', comment='#'))"
