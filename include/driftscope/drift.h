/* SPDX-License-Identifier: MIT */
/* Drift tests, as Evidently's defaults (DESIGN §4).
 *
 * A RefColumn is one reference column prepared once: cleaned (NaN/inf
 * dropped), sorted, with prefix sums and its distinct values. ColumnDrift
 * compares a current sample with it: all statistics that apply are
 * computed, and the method Evidently would pick (or the one forced) gives
 * the score and the verdict.
 *
 * Methods form a const table (DriftMethod); adding one is one entry. */
#ifndef DRIFTSCOPE_DRIFT_H
#define DRIFTSCOPE_DRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "driftscope/stats.h"
#include "driftscope/table.h"

typedef enum DriftMethodId {
   DRIFT_AUTO = -1,
   DRIFT_KS,
   DRIFT_WASSERSTEIN,
   DRIFT_CHISQUARE,
   DRIFT_Z,
   DRIFT_JS,
   DRIFT_PSI,
   /* Evidently's further tests, computed only when chosen */
   DRIFT_HELLINGER,
   DRIFT_KL_DIV,
   DRIFT_TVD,
   DRIFT_ENERGY,
   DRIFT_T_TEST,
   DRIFT_MANNW,
   DRIFT_ANDERSON,
   DRIFT_CVM,
   DRIFT_G_TEST,
   DRIFT_FISHER,
   DRIFT_ES,
   DRIFT_METHOD_COUNT,
} DriftMethodId;

typedef struct DriftMethod {
   const char *name;  /* JSON and --stattest name (Evidently's) */
   const char *label; /* in a sentence: "KS p", "Wasserstein" */
   const char *brief; /* at most 4 characters, for a narrow column */
   double threshold;  /* Evidently's default */
   bool p_value;      /* drift when score (<=|<) threshold; else when score >= threshold */
   bool inclusive;    /* p-value tests: KS drifts at p <= t, chi-square and z at p < t;
                         distances: drift at >= t, or > t when false (energy distance) */
   /* the column kinds a forced test applies to (Evidently's allowed_feature_types:
    * ks and wasserstein numbers only, chisquare and z categories only) */
   bool numeric, categorical;
} DriftMethod;

extern const DriftMethod ds_drift_methods[DRIFT_METHOD_COUNT];

/* Return the method named s, or DRIFT_AUTO if unknown. */
DriftMethodId ds_drift_method_parse(const char *s);
bool ds_drift_is_drift(DriftMethodId m, double score, double threshold);

#define DS_SMALL_REF 1000    /* Evidently: n_ref <= 1000 uses p-value tests */
#define DS_BINNING_UNIQUE 20 /* more distinct reference values → Sturges bins */

typedef struct RefColumn {
   char name[DS_NAME_MAX];
   ColumnRole role;
   ColumnKind kind;
   const Classes *classes; /* categorical: the names of the ids (the z-test orders keys by name); may be NULL */
   double *sorted;         /* cleaned, ascending */
   long double *prefix;    /* n + 1 running sums of sorted */
   size_t n;
   size_t n_missing; /* dropped NaN/inf */
   size_t n_unique;
   double *keys; /* distinct values (n_unique) */
   double *key_counts;
   double std; /* population std */
   double min, max;
   /* bucket index for ranking: index[b] = #{sorted < min + b/scale}, b <= nbuckets */
   uint32_t *index;
   size_t nbuckets;
   double scale;
   bool lent; /* the arrays are another RefColumn's (RefColumn_lend): not freed here */
} RefColumn;

/* Prepare from raw values (NaN = missing). Returns false on no memory. */
bool RefColumn_init(RefColumn *rc, const char *name, ColumnRole role, ColumnKind kind, const double *values, size_t n);
void RefColumn_done(RefColumn *rc);
/* dst uses src's prepared arrays (src must outlive it); RefColumn_done(dst)
 * leaves them to src. */
void RefColumn_lend(RefColumn *dst, const RefColumn *src);

typedef struct DriftOptions {
   DriftMethodId method; /* DRIFT_AUTO: Evidently's choice */
   double threshold;     /* NAN: the method's default */
   bool all_stats;       /* compute every statistic, not only the verdict's */
   bool exact_unique;    /* count n_unique exactly (else only up to DS_BINNING_UNIQUE + 1) */
} DriftOptions;

typedef struct ColumnDrift {
   DriftMethodId method;
   double score, threshold;
   bool drifted;
   size_t n_ref, n_cur, n_unique; /* capped at DS_BINNING_UNIQUE + 1 unless exact_unique */
   /* every statistic that applies; NAN when it does not */
   double ks_statistic, ks_pvalue, wasserstein_norm, psi, jensenshannon, chisquare_pvalue, z_pvalue;
   double statistic; /* a further test's own statistic (t, U, A2, ...), NAN otherwise */
   bool scored;      /* false when the current sample is empty, or the test cannot give a score */
   const char *why;  /* not scored: why (a static string) */
} ColumnDrift;

/* Scratch memory reused across calls (avoids an allocation per window). */
/* KS p-values already computed, by (n_ref, n_cur, D numerator): a sliding
 * window's D takes few values, and an exact p-value costs O(n_ref * n_cur). */
#define DS_KS_MEMO 8192
typedef struct KsMemo {
   uint64_t n1, n2, dnum;
   double p, d;
} KsMemo;

typedef struct DriftScratch {
   double *buf;
   size_t cap;
   SortScratch sort;
   KsMemo *ks_memo; /* DS_KS_MEMO entries, allocated at first use */
} DriftScratch;

void DriftScratch_done(DriftScratch *s);

/* Compare cur (sorted, cleaned, n_cur values) with the reference column.
 * A forced method that does not apply to the column's kind, or whose
 * score cannot be computed where numpy cannot (a range too wide to bin,
 * a standard deviation that overflows), leaves the column not scored with
 * the reason in out->why. Returns false only on memory exhaustion. */
bool ds_column_drift(const RefColumn *ref, const double *cur, size_t n_cur, const DriftOptions *opt,
                     DriftScratch *scratch, ColumnDrift *out);

/* #{reference < x}, through the bucket index when there is one. */
size_t RefColumn_rank(const RefColumn *rc, double x);
/* ranks[j] = #{reference < cur[j]} for sorted cur (as ds_ranks), using the
 * reference's bucket index when cur is sparse in it. */
void RefColumn_ranks(const RefColumn *rc, const double *cur, size_t n_cur, size_t *ranks);

/* Copy the non-missing (finite) values of v[0..n) into out (capacity n);
 * returns how many there are. */
size_t ds_clean(const double *v, size_t n, double *out);
/* ds_clean, then sort ascending. */
size_t ds_clean_sorted(const double *v, size_t n, double *out);
/* The same, reusing the scratch's sort memory. */
size_t ds_clean_sorted_with(const double *v, size_t n, double *out, DriftScratch *s);

#endif
