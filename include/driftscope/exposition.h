/* SPDX-License-Identifier: MIT */
/* Prometheus metrics (DESIGN §9): boards' figures in the Prometheus text
 * exposition format 0.0.4, or OpenMetrics 1.0 (# EOF at the end, counter
 * families named without _total). Names follow Prometheus's conventions:
 * snake_case, a driftscope_ prefix, base units, _total counters, a board
 * label on every sample, a feature label per feature. The core renders;
 * io serves or writes the text. */
#ifndef DRIFTSCOPE_EXPOSITION_H
#define DRIFTSCOPE_EXPOSITION_H

#include <stdbool.h>

#include "driftscope/monitor.h"
#include "driftscope/strbuf.h"

/* One board's figures: its counters, and its Monitor's current window. */
typedef struct MetricsBoard {
   const char *name;       /* the board label's value */
   const Monitor *m;       /* NULL: nothing analysed yet (the drift families have no sample for it) */
   bool reference;         /* m compares with a reference (without one, no drift samples) */
   double records;         /* records read (a counter) */
   double bad_lines;       /* lines that were not records (a counter) */
   bool connected;         /* the source is open */
   double last_record_s;   /* Unix time of the last record, NaN: none */
   double recording_bytes; /* the session file's size, NaN: not recording */
} MetricsBoard;

/* Append the exposition of boards[0..n) to b. */
void ds_metrics_render(StrBuf *b, const MetricsBoard *boards, int n, bool openmetrics);

/* The content types a scrape asks for (Accept) and gets. */
#define DS_METRICS_TEXT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define DS_METRICS_OPENMETRICS_TYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"

#endif
