# Evidently's further drift tests as Evidently computes them (its
# legacy/calculations/stattests modules, over scipy and numpy), for
# tests/e2e/stattests.sh to compare driftscope's JSON with. Usage:
#   evidently_tests.py CASES
# CASES has a line per case, tab-separated: TAG REPORT.json REF.csv CUR.csv
# COLUMN [ORDER]; it prints "ok TAG: ..." or "BAD TAG: why" per case (one
# python for all: scipy loads once). ORDER (TVD only) is "first-seen": the
# values ordered as driftscope holds a category's ids (by first appearance,
# reference first), which Evidently's permutation test depends on.
import json, sys, warnings
from collections import Counter

import numpy as np
import pandas as pd
from scipy import stats

warnings.simplefilter('ignore')
DEFAULTS = {'hellinger': 0.1, 'kl_div': 0.1, 'TVD': 0.1, 'ed': 0.1, 't_test': 0.05, 'mannw': 0.05,
            'anderson': 0.1, 'cramer_von_mises': 0.1, 'g_test': 0.1, 'fisher_exact': 0.1, 'es': 0.05}
# drift when: p-values below (cramer_von_mises: at or below) the threshold, distances at or above (ed: above)
DRIFT = {'hellinger': lambda s, t: s >= t, 'kl_div': lambda s, t: s >= t, 'TVD': lambda s, t: s < t,
         'ed': lambda s, t: s > t, 't_test': lambda s, t: s < t, 'mannw': lambda s, t: s < t,
         'anderson': lambda s, t: s < t, 'cramer_von_mises': lambda s, t: s <= t, 'g_test': lambda s, t: s < t,
         'fisher_exact': lambda s, t: s < t, 'es': lambda s, t: s < t}


def binned(r, c, numeric):  # get_binned_data, feel_zeroes
    if numeric and r.nunique() > 20:
        bins = np.histogram_bin_edges(pd.concat([r, c], axis=0).values, bins='sturges')
        rp, cp = np.histogram(r, bins)[0] / len(r), np.histogram(c, bins)[0] / len(c)
    else:
        keys = list(set(r.dropna().unique()) | set(c.dropna().unique()))
        rd = {**dict.fromkeys(keys, 0), **dict(r.value_counts())}
        cd = {**dict.fromkeys(keys, 0), **dict(c.value_counts())}
        rp = np.array([rd[k] / len(r) for k in keys]); cp = np.array([cd[k] / len(c) for k in keys])
    for a in (rp, cp):
        m = min(a[a != 0]); np.place(a, a == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return rp, cp


def hellinger(r, c, numeric):
    keys = list(set(r.unique()) | set(c.unique()))
    if not numeric:
        rv, cv = r.value_counts() / len(r), c.value_counts() / len(c)
        h = sum(np.sqrt(rv.get(k, 0) * cv.get(k, 0)) for k in keys)
    else:
        bins = np.histogram_bin_edges(keys, bins='sturges')
        h1 = np.histogram(r.to_numpy(), bins=bins, density=True)[0]
        h2 = np.histogram(c.to_numpy(), bins=bins, density=True)[0]
        bw = (max(bins) - min(bins)) / (len(bins) - 1)
        h = sum(np.sqrt(h1[i] * h2[i]) * bw for i in range(len(h1)))
    return np.sqrt(1 - np.clip(h, 0, 1))


def tvd(r, c):
    keys = list(set(r.dropna().unique()) | set(c.dropna().unique()))
    rd = {**dict.fromkeys(keys, 0), **dict(r.value_counts())}
    cd = {**dict.fromkeys(keys, 0), **dict(c.value_counts())}
    a, b = np.array(list(rd.values())), np.array(list(cd.values()))
    return 0.5 * np.sum(np.abs(a / sum(a) - b / sum(b)))


def tvd_p(r, c):  # utils.permutation_test, 1000 iterations
    obs = tvd(r, c)
    np.random.seed(0)
    hold = []
    for _ in range(1000):
        comb = r.tolist() + c.tolist()
        nr = np.random.choice(comb, len(r), replace=False).tolist()
        nc = list((Counter(comb) - Counter(nr)).elements())
        hold.append(tvd(pd.Series(nr), pd.Series(nc)))
    return sum(obs <= abs(np.array(hold))) / len(hold), obs


def expected(m, r, c, numeric):
    """(score, statistic or None) as Evidently/scipy give them"""
    if m == 'hellinger': return hellinger(r, c, numeric), None
    if m == 'kl_div': return stats.entropy(*binned(r, c, numeric)), None
    if m == 'ed': return stats.energy_distance(r, c), None
    if m == 't_test': s = stats.ttest_ind(r, c); return s.pvalue, s.statistic
    if m == 'mannw': s = stats.mannwhitneyu(x=r, y=c, alternative='less'); return s.pvalue, s.statistic
    if m == 'anderson': s = stats.anderson_ksamp([r.values, c.values]); return s.significance_level, s.statistic
    if m == 'cramer_von_mises': s = stats.cramervonmises_2samp(r.to_numpy(), c.to_numpy()); return s.pvalue, s.statistic
    if m == 'es': s = stats.epps_singleton_2samp(r, c); return s.pvalue, s.statistic
    if m == 'TVD': return tvd_p(r, c)
    if m == 'g_test':
        keys = list(set(r.unique()) | set(c.unique())); rv, cv = r.value_counts(), c.value_counts()
        s = stats.power_divergence([cv.get(k, 0) for k in keys], [rv.get(k, 0) * len(c) / len(r) for k in keys],
                                   lambda_='log-likelihood')
        return s.pvalue, s.statistic
    if m == 'fisher_exact':
        u = sorted(set(r) | set(c))
        return stats.fisher_exact([[(c == u[0]).sum(), (c == u[-1]).sum()], [(r == u[0]).sum(), (r == u[-1]).sum()]])[1], None
    raise SystemExit('unknown method ' + m)


def close(a, b):
    return a is not None and b is not None and abs(a - b) <= 1e-9 * abs(b) + 1e-15


def compare(report, reff, curf, col, order=None):
    d = json.load(open(report))['columns'][col]
    r, c = pd.read_csv(reff)[col].dropna(), pd.read_csv(curf)[col].dropna()
    if order:  # TVD: the values in driftscope's order, ids by first appearance
        ids = {k: i for i, k in enumerate(dict.fromkeys(list(r) + list(c)))}
        r = r.iloc[r.map(ids).argsort(kind='stable')].reset_index(drop=True)
        c = c.iloc[c.map(ids).argsort(kind='stable')].reset_index(drop=True)
    m = d['method']
    score, stat = expected(m, r, c, d['kind'] == 'numeric')
    bad = []
    if not close(d['score'], score) or not close(d['stats'][m], score):
        bad.append('score %r, Evidently/scipy %r' % (d['score'], score))
    if stat is not None and not close(d['stats'][m + '_statistic'], stat):
        bad.append('statistic %r, scipy %r' % (d['stats'][m + '_statistic'], stat))
    if d['threshold'] != DEFAULTS[m]:
        bad.append('threshold %r, Evidently %r' % (d['threshold'], DEFAULTS[m]))
    if d['drifted'] != DRIFT[m](score, d['threshold']):
        bad.append('drifted %r' % d['drifted'])
    return bad, d['score']


# each line of the list file: TAG REPORT REF CUR COLUMN [ORDER]; one result line per case
for line in open(sys.argv[1]):
    tag, *args = line.split('\t')
    args = [a.strip() for a in args]
    try:
        bad, score = compare(*args)
    except Exception as e:  # a report without the column, a test that raised: a failure, said
        bad, score = ['%s: %s' % (type(e).__name__, e)], None
    print('%s %s: %s' % ('BAD' if bad else 'ok', tag, '; '.join(bad) or 'score %r' % score), flush=True)
