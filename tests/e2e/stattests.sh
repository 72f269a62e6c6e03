#!/bin/bash
# End-to-end tests of Evidently's further drift tests (--stattest hellinger
# kl_div TVD ed t_test mannw anderson cramer_von_mises g_test fisher_exact es):
# each score, statistic, default threshold and verdict against Evidently's
# own code run with scipy and numpy on the same data (lib/evidently_tests.py;
# 1e-9 relative), on large samples (the asymptotic paths), small ones (the
# exact paths), ties, categories and two-valued columns. TAP-style output.
. "$(dirname "$0")/lib/tap.bash"
$PY - "$T" <<'PYEOF'
import sys
import numpy as np
T = sys.argv[1]
rng = np.random.default_rng(7)
def write(path, cols):
    names = list(cols)
    with open(path, 'w') as f:
        f.write(','.join(names) + '\n')
        for i in range(len(cols[names[0]])):
            f.write(','.join(v if isinstance(v, str) else repr(float(v)) for v in (cols[c][i] for c in names)) + '\n')
# x continuous, k integers (ties), c three categories, bin two
write(T + '/ref.csv', {'x': rng.normal(0, 1, 300), 'k': rng.integers(0, 6, 300), 'c': rng.choice(['A', 'B', 'C'], 300, p=[.5, .3, .2]),
                       'bin': rng.choice(['yes', 'no'], 300, p=[.6, .4])})
write(T + '/cur.csv', {'x': rng.normal(0.2, 1.1, 200), 'k': rng.integers(0, 7, 200), 'c': rng.choice(['A', 'B', 'C'], 200, p=[.4, .35, .25]),
                       'bin': rng.choice(['yes', 'no'], 200, p=[.5, .5])})
write(T + '/sref.csv', {'x': rng.normal(0, 1, 7)})     # 7 against 15, no tie: Mann-Whitney's exact law
write(T + '/scur.csv', {'x': rng.normal(0.8, 1, 15)})
write(T + '/mref.csv', {'x': rng.normal(0, 1, 12)})    # 12 against 16: Cramér-von Mises' exact law
write(T + '/mcur.csv', {'x': rng.normal(0.5, 1, 16)})
write(T + '/same.csv', {'x': rng.normal(0, 1, 300)})   # drawn like the reference: no drift expected
PYEOF
# each case: driftscope's report, then one python compares them all (lib/evidently_tests.py)
k=0
case_() { # case_ NAME REF CUR COLUMN METHOD [ORDER]
  k=$((k + 1))
  "$BIN" report -r "$T/$2" "$T/$3" --stattest "$4=$5" --json "$T/r$k.json" -q 2>>"$T/stderr"
  printf 'case%d\t%s\t%s\t%s\t%s\t%s\n' $k "$T/r$k.json" "$T/$2" "$T/$3" "$4" "${6:-}" >> "$T/cases"
  names[$k]=$1
}
for m in hellinger kl_div ed t_test mannw anderson cramer_von_mises es; do
  case_ "$m on 300 against 200 values (continuous) as Evidently/scipy" ref.csv cur.csv x $m
  case_ "$m on integers (ties) as Evidently/scipy" ref.csv cur.csv k $m
done
for m in TVD g_test hellinger kl_div; do
  case_ "$m on three categories as Evidently/scipy" ref.csv cur.csv c $m first-seen
done
case_ "fisher_exact on a two-valued column as scipy" ref.csv cur.csv bin fisher_exact
for m in mannw t_test anderson es cramer_von_mises; do
  case_ "$m on 7 against 15 values as scipy (Mann-Whitney: the exact law)" sref.csv scur.csv x $m
done
case_ "cramer_von_mises on 12 against 16 values: the exact law, as scipy" mref.csv mcur.csv x cramer_von_mises
case_ "ed with no drift: the distance under the threshold, as scipy" ref.csv same.csv x ed
case_ "t_test with no drift, as scipy" ref.csv same.csv x t_test
$PY tests/e2e/lib/evidently_tests.py "$T/cases" > "$T/results" 2>&1
for i in $(seq 1 $k); do
  check "${names[$i]}" awk -v c="case$i:" '$2 == c { print; found = 1; bad = $1 != "ok" } END { exit !found || bad }' "$T/results"
done

"$BIN" report -r "$T/ref.csv" "$T/cur.csv" --stattest ed --json "$T/cat.json" -q
check "ed forced on every column: numeric ones scored, categories not (Evidently: numerical only), said why" $PY -c "
import json; c = json.load(open('$T/cat.json'))['columns']
assert c['x']['method'] == 'ed' and c['x']['scored'], c['x']
assert not c['c']['scored'] and c['c']['not_scored'] == 'ed needs numbers; this column holds categories', c['c']
"
"$BIN" report -r "$T/ref.csv" "$T/cur.csv" --stattest c=fisher_exact,x=g_test --json "$T/fe.json" -q
check "fisher_exact on three categories, g_test on numbers: not scored, with why" $PY -c "
import json; c = json.load(open('$T/fe.json'))['columns']
assert not c['c']['scored'] and 'two categories at most' in c['c']['not_scored'], c['c']
assert not c['x']['scored'] and c['x']['not_scored'].startswith('g_test applies to categorical columns'), c['x']
"
status 2 "an unknown test name: exit 2, the names listed" "$BIN" report -r "$T/ref.csv" "$T/cur.csv" --stattest x=nope
check "... every test named in the message" grep -q "ks, wasserstein, chisquare, z, jensenshannon, psi, hellinger, kl_div, TVD, ed, t_test, mannw, anderson, cramer_von_mises, g_test, fisher_exact or es" "$T/last"
echo "1..$n"
