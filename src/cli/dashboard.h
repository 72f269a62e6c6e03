/* SPDX-License-Identifier: MIT */
/* The dashboard's runtime (DESIGN §7, §9): the reference loaded, the
 * session replayed or watched live (recorded, labelled), one event loop
 * serving keys, signals, the source and the frames. cmd_tui.c parses the
 * options into a DashboardConfig and calls dashboard_run. */
#ifndef DRIFTSCOPE_CLI_DASHBOARD_H
#define DRIFTSCOPE_CLI_DASHBOARD_H

#include "cli.h"

#define DS_MAX_BOARDS 16 /* boards in one dashboard */

typedef struct DashboardConfig {
   /* the boards (live sources; a recorded session is one) and their
    * references (-r FILE, -r NAME=FILE) */
   BoardArgs boards;
   const char *session, *theme, *stats; /* session: the first board's source */
   DsFormat format, ref_format;
   ReadOptions read;    /* --names, --classes */
   AssessLimits limits; /* --allow-missing, --max-bad-lines */
   AnalysisOptions opt;
   int speed; /* index into ds_replay_speeds */
   bool paused;
   SpectrumOptions spec; /* --rate HZ (NaN), --band LO-HI */
   /* live sources */
   bool live; /* session is a device or "-" */
   SerialConfig serial;
   const char *record, *raw_log, *labels;
   bool no_record;
   size_t keep;                       /* live: records kept in memory */
   size_t baseline;                   /* --baseline N: the first N records become the reference (0: -r or none) */
   const char *metrics;               /* --metrics ADDR: /metrics served there */
   const char *metrics_file;          /* --metrics-file PATH: Prometheus text, rewritten every second */
   const char *board;                 /* --board NAME: the metrics' board label (NULL: the source's name) */
   const char *on_drift, *on_recover; /* commands run when dataset drift starts and ends */
   double hook_cooldown;              /* seconds between two runs of the same hook */
   char device[PATH_MAX];             /* the USB port found when no SOURCE was given */
} DashboardConfig;

#define DEFAULT_WINDOW 1000 /* records compared, without --window */

/* Run the dashboard until q or a signal; returns the exit status. */
int dashboard_run(const DashboardConfig *c);

#endif
