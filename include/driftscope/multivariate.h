/* SPDX-License-Identifier: MIT */
/* All features at once (DESIGN §4): a change in how features move
 * together (a sensor remounted, an axis swapped) that per-feature tests
 * miss. The reference's numeric features, standardised by its own means
 * and standard deviations (ddof 0), are clustered with k-means: k =
 * min(DS_KMEANS_K, complete rows / 10), at least 2; k-means++ seeded with
 * DS_KMEANS_SEED (splitmix64) picks the initial centroids, then Lloyd's
 * iterations as scikit-learn's KMeans(algorithm="lloyd", tol=0) run them
 * from the same centroids, until no assignment changes (at most
 * DS_KMEANS_MAX_ITER). The compared records, standardised the same way,
 * go to their nearest centroid; the clusters' occupancy is compared with
 * the reference's as a categorical column by Evidently's rules
 * (chi-square p under 0.05 up to 1,000 reference rows, else
 * Jensen-Shannon from 0.1), and the mean distance to the nearest centroid
 * is said beside the reference's (the figure Edge Impulse's K-means
 * anomaly block scores by). Rows missing a feature are left out. */
#ifndef DRIFTSCOPE_MULTIVARIATE_H
#define DRIFTSCOPE_MULTIVARIATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "driftscope/drift.h"
#include "driftscope/table.h"

#define DS_KMEANS_K 8
#define DS_KMEANS_SEED 42
#define DS_KMEANS_MAX_ITER 300
#define DS_KMEANS_SAMPLE 5000 /* reference rows clustered at most, evenly spread */

typedef struct Multivariate {
   const char *why; /* not computed: why (fewer than two numeric features...) */
   int d, k;
   int ref_col[DS_MAX_COLUMNS]; /* the features, by reference column */
   char name[DS_MAX_COLUMNS][DS_NAME_MAX];
   double *mu, *sd;     /* d: the reference's means and standard deviations (ddof 0) */
   double *init, *cent; /* k * d: initial and final centroids (standardised units) */
   int iterations;
   bool converged;
   size_t n_ref;        /* reference rows clustered */
   double inertia;      /* their squared distances to their centroids, summed */
   double ref_distance; /* their mean distance to the nearest centroid */
   double *ref_share;   /* k: their shares of the clusters */
   RefColumn occupancy; /* their cluster ids, as a categorical column */
   /* over the compared records (Multivariate_compare) */
   size_t n_cur, n_left_out; /* rows assigned, rows missing a feature */
   double *cur_share;        /* k */
   double cur_distance;
   ColumnDrift drift;
} Multivariate;

/* Cluster the reference's columns ref_cols[0..d) (numeric features with a
 * spread). Sets mv->why (and returns true) when there is nothing to
 * cluster; false on no memory. */
bool Multivariate_fit(Multivariate *mv, const Table *ref, const int *ref_cols, int d);
void Multivariate_done(Multivariate *mv);
/* Assign records [first, first + rows) of cur (its columns cur_cols[0..d),
 * the features' in the fit's order) and compare the occupancy. False on
 * no memory. */
bool Multivariate_compare(Multivariate *mv, const Table *cur, const int *cur_cols, size_t first, size_t rows,
                          DriftScratch *scratch);

/* The verdict in words: "DRIFT: 8 clusters of x, y, z (k-means); their
 * occupancy's jensenshannon 0.129 (threshold 0.1); mean distance to the
 * nearest centroid 1.03 (reference 0.696) over 4,000 records", or why
 * there is none. */
void Multivariate_line(char *buf, size_t n, const Multivariate *mv);

#endif
