#!/bin/bash
# End-to-end tests of check's test suites (--tests, the derived tests,
# --junit): every condition on hand-made data whose outcome was worked out by
# hand (tests/data/suite: ten records; f's mean 5.5 in the reference, 5.7
# when moved; g misses 1 value of 10 in the reference, 2 when moved; c gains
# a category C), the exit statuses, and the JUnit XML validated against its
# schema by xmllint. TAP-style output.
. "$(dirname "$0")/lib/tap.bash"
D=tests/data/suite

# the conditions: expected statuses by test name, worked by hand
"$BIN" check -r $D/ref.csv $D/moved.csv --tests $D/conditions.json --json "$T/moved.json" > "$T/moved.out" 2>&1; rc=$?
check "a suite with failures and no error: exit 1" test $rc = 1
check "each condition on the moved stream gives the hand-worked result" $PY -c "
import json
r = {t['name']: t['status'] for t in json.load(open('$T/moved.json'))['tests']['results']}
want = {'eq 10': 'pass', 'eq 9': 'fail', 'not_eq 10': 'fail', 'gt 9': 'pass', 'gt 10': 'fail',
        'gte 10': 'pass', 'gte 11': 'fail', 'lt 11': 'pass', 'lt 10': 'fail', 'lte 10': 'pass', 'lte 9': 'fail',
        'gt 9 and lt 11': 'pass', 'gt 9 and lt 10': 'fail', 'is_in 9 10': 'pass', 'is_in 1 2': 'fail',
        'not_in 1 2': 'pass', 'not_in 10': 'fail', 'string eq': 'pass', 'string not_eq': 'fail',
        'string is_in': 'fail', 'bool eq': 'pass',
        'mean 5 +-10%': 'fail', 'mean 5 +-9%': 'fail', 'mean 5 +-0.6': 'fail',   # 5.7
        'mean reference +-3%': 'fail', 'mean reference +-4%': 'pass',            # 5.5 +- 0.165, +- 0.22
        'missing twice the reference': 'pass', 'missing under the reference': 'fail',  # 0.2 against 0.1
        'missing: f': 'pass', 'missing: g': 'fail', 'missing: c': 'pass', 'no feature missing': 'pass',
        'The data can be judged': 'pass'}
assert r == want, {k: (r.get(k), want.get(k)) for k in set(r) | set(want) if r.get(k) != want.get(k)}
"
"$BIN" check -r $D/ref.csv $D/ref.csv --tests $D/conditions.json --json "$T/same.json" > /dev/null 2>&1
check "on the reference itself: the boundaries (5.5 is within 5 ± 10%, not 5 ± 9%)" $PY -c "
import json
r = {t['name']: t['status'] for t in json.load(open('$T/same.json'))['tests']['results']}
want = {'mean 5 +-10%': 'pass', 'mean 5 +-9%': 'fail', 'mean 5 +-0.6': 'pass', 'mean reference +-3%': 'pass',
        'missing twice the reference': 'pass', 'missing under the reference': 'fail', 'missing: g': 'pass'}
assert {k: r[k] for k in want} == want, r
"
check "the text report lists what failed, with the value and the condition" \
  sh -c "tr -s ' \n' ' ' < '$T/moved.out' | grep -q \"FAIL mean reference +-3%: columns.f.quality.mean = 5.7, expected = the reference's 5.5 ± 3%\"" \
  --and grep -q "^check: FAIL (16 of 33 tests passed, 17 failed)" "$T/moved.out"

# errors: a figure that is not there, not computed, or not comparable
"$BIN" check -r $D/ref.csv $D/ref.csv --tests $D/errors.json --json "$T/err.json" > "$T/err.out" 2>&1; rc=$?
check "a test that cannot be computed: exit 2" test $rc = 2
check "each such test is an error, with why" $PY -c "
import json
r = {t['name']: (t['status'], t['detail']) for t in json.load(open('$T/err.json'))['tests']['results']}
assert r['ok'][0] == 'pass', r
assert r['no such figure'] == ('error', 'nothere: no such figure in the report'), r
assert r['wildcard without a match'] == ('error', 'columns.*.nothing: no figure in the report matches'), r
assert r['an object'][0] == 'error' and 'is an object' in r['an object'][1], r
assert r['null figure'] == ('error', 'columns.c.quality.mean: not computed (null in the report)'), r
assert r['a string compared as a number'][0] == 'error' and 'compares numbers' in r['a string compared as a number'][1], r
"

# the derived tests, as Evidently derives them from the reference
"$BIN" check -r $D/ref.csv $D/ref.csv -q; rc=$?
check "derived tests: the reference against itself passes, exit 0" test $rc = 0
"$BIN" check -r $D/ref.csv $D/moved.csv --json "$T/derived.json" > "$T/derived.out" 2>&1; rc=$?
check "derived tests on the moved stream: exit 1" test $rc = 1
check "derived tests: missing share, range, mean, new categories, drift share, each as worked by hand" $PY -c "
import json
d = json.load(open('$T/derived.json'))
r = {t['name']: t['status'] for t in d['tests']['results']}
share = d['dataset']['share']
want = {'The data can be judged': 'pass',
        \"Share of missing values within +10% of the reference's: f\": 'pass',
        \"Values within the reference's range: f\": 'fail',             # 12 > 10: 1 of 10
        \"Mean within ±10% of the reference's: f\": 'pass',             # 5.7 in 5.5 +- 0.55
        \"Share of missing values within +10% of the reference's: g\": 'fail',  # 0.2 > 0.11
        \"Values within the reference's range: g\": 'pass',
        \"Mean within ±10% of the reference's: g\": 'pass',             # 50/8 = 6.25 in 53/9 +- 0.589
        \"Share of missing values within +10% of the reference's: c\": 'pass',
        'No new categories: c': 'fail',                                  # C
        'Share of drifted features below 0.5': 'pass' if share < 0.5 else 'fail',
        'No stuck sensor: f': 'pass', 'No stuck sensor: g': 'pass',      # no value twice in a row
        \"Share of duplicated rows within +10% of the reference's\": 'pass'}  # none in either
assert r == want, {k: (r.get(k), want.get(k)) for k in set(r) | set(want) if r.get(k) != want.get(k)}
assert d['columns']['c']['quality']['new_categories'] == ['C'] and d['columns']['c']['quality']['new_category_share'] == 0.1, d['columns']['c']
assert d['columns']['c']['quality']['missing_categories'] == [], d['columns']['c']
"
awk -F, 'BEGIN { OFS = "," } NR > 1 { $2 = "" } { print }' $D/ref.csv > "$T/no-g.csv"
"$BIN" check -r $D/ref.csv "$T/no-g.csv" --json "$T/no-g.json" -q; rc=$?
check "a feature without a value in the stream: its missing share fails (exit 1); no range or mean test to err on" $PY -c "
import json
r = {t['name']: t['status'] for t in json.load(open('$T/no-g.json'))['tests']['results']}
assert r[\"Share of missing values within +10% of the reference's: g\"] == 'fail', r
assert not any(k.endswith(': g') and k.startswith(('Values within', 'Mean within')) for k in r), r
assert 'error' not in r.values(), r
" --and test $rc = 1
REF=samples/har-reference.csv SES=samples/har-session.csv
"$BIN" check -r $REF $SES --json "$T/har.json" -q; rc=$?
check "derived tests with truth: accuracy within ±20% of the reference's own (scikit-learn's on both)" $PY -c "
import json, pandas as pd
from sklearn.metrics import accuracy_score
d = json.load(open('$T/har.json'))
t = [x for x in d['tests']['results'] if x['figure'] == 'classification.accuracy']
ref, cur = pd.read_csv('$REF'), pd.read_csv('$SES')
a_ref, a_cur = accuracy_score(ref['label'], ref['pred']), accuracy_score(cur['label'], cur['pred'])
assert len(t) == 1 and t[0]['status'] == ('pass' if abs(a_cur - a_ref) <= 0.2 * a_ref else 'fail'), (t, a_ref, a_cur)
assert ('%.6g' % a_ref) in t[0]['detail'] and ('%.6g' % a_cur) in t[0]['detail'], t
"

# the reference is read again for its own figures; its bad lines are said once
{ cat $D/ref.csv; echo "garbage,,"; echo "1,2"; } > "$T/noisy-ref.csv"
"$BIN" check -r "$T/noisy-ref.csv" $D/ref.csv -q 2> "$T/noisy.err"
check "a reference's bad lines are said once, though the derived tests read it again" \
  test "$(grep -c 'noisy-ref.csv:12: ' "$T/noisy.err")" = 1 --and test "$(grep -c 'noisy-ref.csv:' "$T/noisy.err")" = 2

# per-column drift tests: from the suite, and from the command line
printf '{"derived": true, "columns": {"f": {"stattest": "wasserstein", "threshold": 0.3}}}' > "$T/cols.json"
"$BIN" check -r $D/ref.csv $D/moved.csv --tests "$T/cols.json" --json "$T/cols.out.json" -q
"$BIN" check -r $D/ref.csv $D/moved.csv --stattest f=wasserstein --threshold f=0.3 --json "$T/cli.json" -q
check "a column's own test and threshold (suite \"columns\", --stattest COL=NAME --threshold COL=X); others keep theirs" $PY -c "
import json
for p in ('$T/cols.out.json', '$T/cli.json'):
    c = json.load(open(p))['columns']
    assert (c['f']['method'], c['f']['threshold']) == ('wasserstein', 0.3), c['f']
    assert (c['g']['method'], c['g']['threshold']) == ('ks', 0.05), c['g']
"
printf '{"columns": {"nothere": {"stattest": "ks"}}, "derived": true}' > "$T/bad-col.json"
status 2 "a column's own test on a column not compared: exit 2, named" "$BIN" check -r $D/ref.csv $D/moved.csv --tests "$T/bad-col.json" -q
check "... the message names it" grep -q "nothere: no column of that name is compared" "$T/last"
for bad in '{"tests": [{"figure": "input.rows", "gt": "ten"}]}' '{"tests": [{"figure": "input.rows"}]}' \
           '{"tests": [], "deriv": true}' 'not json' '{"tests": [{"figure": "x", "is_in": 3}]}'; do
  printf '%s' "$bad" > "$T/bad.json"
  status 2 "a bad suite file is refused with why: $bad" "$BIN" check -r $D/ref.csv $D/moved.csv --tests "$T/bad.json" -q
  check "... said on stderr, naming the file" grep -q "^driftscope: --tests $T/bad.json: " "$T/last"
done
status 2 "report does not take --tests (check runs suites)" "$BIN" report -r $D/ref.csv $D/moved.csv --junit "$T/x.xml"

# JUnit XML
if need xmllint; then
  "$BIN" check -r $D/ref.csv $D/moved.csv --tests $D/conditions.json --junit "$T/moved.xml" -q
  "$BIN" check -r $D/ref.csv $D/ref.csv --tests $D/errors.json --junit "$T/err.xml" -q
  "$BIN" check -r $REF $SES --junit "$T/har.xml" -q
  check "JUnit XML validates against the schema (failures, errors, passes)" \
    xmllint --noout --schema tests/data/junit.xsd "$T/moved.xml" "$T/err.xml" "$T/har.xml"
  check "JUnit: a testcase per test, by name; failures and errors where the JSON has them" $PY -c "
import json, xml.etree.ElementTree as ET
for x, j in (('$T/moved.xml', '$T/moved.json'), ('$T/err.xml', '$T/err.json')):
    res = json.load(open(j))['tests']['results']
    suite = ET.parse(x).getroot().find('testsuite')
    cases = suite.findall('testcase')
    assert [c.get('name') for c in cases] == [t['name'] for t in res]
    got = ['failure' if c.find('failure') is not None else 'error' if c.find('error') is not None else 'pass' for c in cases]
    assert got == [{'pass': 'pass', 'fail': 'failure', 'error': 'error'}[t['status']] for t in res], got
    assert int(suite.get('failures')) == got.count('failure') and int(suite.get('errors')) == got.count('error')
    assert int(suite.get('tests')) == len(res)
"
fi
echo "1..$n"
