/* SPDX-License-Identifier: MIT */
/* Rendering an Analysis: the JSON document (its keys are a contract: add,
 * never rename), a Markdown report, and the plain-text summary `report`
 * prints. Writers append to a StrBuf; they never print. */
#ifndef DRIFTSCOPE_REPORT_H
#define DRIFTSCOPE_REPORT_H

#include "driftscope/analysis.h"
#include "driftscope/assess.h"
#include "driftscope/ingest.h"
#include "driftscope/strbuf.h"
#include "driftscope/suite.h"

typedef struct ReportSource {
   const char *path;
   const Ingest *ingest;
} ReportSource;

typedef struct ReportContext {
   const Analysis *a;
   const Table *cur;
   const Classes *classes;
   const char *reference_path;
   const Ingest *reference;
   const ReportSource *sources;
   int nsources;
   const char *version;
   const Assessment *assess;  /* what the reports state first (ds_assess) */
   const SuiteResults *tests; /* check's test suite (NULL: none run) */
   const char *tests_source;  /* its file, or "derived" */
} ReportContext;

void ds_report_json(StrBuf *out, const ReportContext *ctx);
void ds_report_markdown(StrBuf *out, const ReportContext *ctx);
/* One self-contained HTML page (inline CSS and SVG, no script): the verdict,
 * the tests, each feature's histogram against the reference's, drift over
 * time, the prediction mix, the confusion matrix, data quality. */
void ds_report_html(StrBuf *out, const ReportContext *ctx);
/* Plain text for a terminal; color adds ANSI colours to verdicts. */
/* How the text report marks verdicts: bad (drift, a problem) and good
 * before them, off after; ds_marks_plain is all "" (a terminal's colours
 * are the caller's). */
typedef struct TextMarks {
   const char *bad, *good, *off;
} TextMarks;
extern const TextMarks ds_marks_plain;

void ds_report_text(StrBuf *out, const ReportContext *ctx, const TextMarks *marks);

#endif
