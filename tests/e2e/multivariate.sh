#!/bin/bash
# All features at once: the reference's standardised features clustered by
# k-means (k-means++, seed 42), checked against scikit-learn's KMeans
# (Lloyd, tol 0) started from the same initial centroids: iterations,
# centroids, inertia, each record's cluster; the occupancy compared by
# Evidently's rule for a categorical column (Jensen-Shannon over 1,000
# reference rows, chi-square under), against scipy; and a stream whose
# axes keep their values but no longer move together, which every
# per-feature test passes and the multivariate row flags.
. "$(dirname "$0")/lib/tap.bash"
FAN=samples/fan-reference.csv
$PY -c "
import numpy as np, pandas as pd
s = pd.read_csv('samples/fan-session.csv').head(4000)
s.to_csv('$T/plain.csv', index=False)
s = s.copy()
s['y'] = np.random.default_rng(1).permutation(s['y'].values)   # y's values, no longer moving with x and z
s.to_csv('$T/shuffled.csv', index=False)
"
for f in plain shuffled; do
  "$BIN" report -r $FAN "$T/$f.csv" -q --json "$T/$f.json" >/dev/null 2>&1
done
"$BIN" report -r samples/har-reference.csv samples/har-session.csv -q --json "$T/har.json" >/dev/null 2>&1
KM="
import json, numpy as np, pandas as pd
from sklearn.cluster import KMeans
from scipy.spatial.distance import jensenshannon
from scipy.stats import chisquare
def close(x, y, what, tol=1e-9):
    assert np.allclose(x, y, rtol=tol, atol=tol), (what, x, y)
def fit(ref, m):
    X = ref[m['features']].dropna().values
    mu, sd = X.mean(axis=0), X.std(axis=0)
    close(m['reference_mean'][0], mu, 'mean')
    close(m['reference_std'][0], sd, 'std')
    Z = (X - mu) / sd
    km = KMeans(n_clusters=m['k'], init=np.array(m['initial_centroids']), n_init=1, max_iter=300, tol=0,
                algorithm='lloyd').fit(Z)
    return km, mu, sd, Z
"
check "k-means on the fan reference (4,000 rows, 3 axes, k 8) equals scikit-learn's from the same initial centroids: iterations, centroids, inertia, occupancy" $PY -c "$KM
m = json.load(open('$T/plain.json'))['multivariate']
km, mu, sd, Z = fit(pd.read_csv('$FAN'), m)
assert m['k'] == 8 and m['seed'] == 42 and m['converged'] and m['reference_rows'] == 4000, m
assert km.n_iter_ == m['iterations'], (km.n_iter_, m['iterations'])
close(m['centroids'], km.cluster_centers_, 'centroids')
close(m['inertia'], km.inertia_, 'inertia')
close(m['reference_occupancy'][0], np.bincount(km.labels_, minlength=8) / len(Z), 'reference occupancy')
close(m['reference_mean_distance'], np.sqrt(((Z - km.cluster_centers_[km.labels_]) ** 2).sum(axis=1)).mean(), 'distance')"
check "each compared record goes to scikit-learn's nearest centroid; the occupancy's drift is scipy's Jensen-Shannon distance (over 1,000 reference rows), the mean distance numpy's" $PY -c "$KM
for f in ('plain', 'shuffled'):
    m = json.load(open('$T/' + f + '.json'))['multivariate']
    km, mu, sd, Z = fit(pd.read_csv('$FAN'), m)
    C = (pd.read_csv('$T/' + f + '.csv')[m['features']].values - mu) / sd
    lab = km.predict(C)
    occ = np.bincount(lab, minlength=m['k']) / len(C)
    close(m['occupancy'][0], occ, f + ' occupancy')
    close(m['mean_distance'], np.sqrt(((C - km.cluster_centers_[lab]) ** 2).sum(axis=1)).mean(), f + ' distance')
    assert m['method'] == 'jensenshannon', m['method']
    close(m['score'], jensenshannon(m['reference_occupancy'][0], occ), f + ' JS')"
check "the axes' values kept but their joint movement broken: every per-feature test passes, the multivariate row flags; the stream as it was passes both" $PY -c "
import json
for f, want in (('plain', False), ('shuffled', True)):
    r = json.load(open('$T/' + f + '.json'))
    assert not any(c['drifted'] for c in r['columns'].values()), (f, r['columns'])
    assert r['multivariate']['drifted'] == want, (f, r['multivariate']['score'])"
check "61 reference rows (HAR, 14 features): k 6, the occupancy compared by scipy's chi-square (Evidently's rule up to 1,000 rows)" $PY -c "$KM
m = json.load(open('$T/har.json'))['multivariate']
km, mu, sd, Z = fit(pd.read_csv('samples/har-reference.csv'), m)
assert m['k'] == 6 and len(m['features']) == 14, m
close(m['inertia'], km.inertia_, 'inertia')
C = (pd.read_csv('samples/har-session.csv')[m['features']].values - mu) / sd
counts = np.bincount(km.predict(C), minlength=m['k'])
assert m['method'] == 'chisquare', m['method']
close(m['score'], chisquare(counts, np.array(m['reference_occupancy'][0]) * counts.sum()).pvalue, 'chi-square p')"
