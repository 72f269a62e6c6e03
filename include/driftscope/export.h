/* SPDX-License-Identifier: MIT */
/* Export of labelled segments as training data (DESIGN §8), as text; the
 * caller writes the files (src/cli). A segment's records are those whose
 * stream time (replay.h) lies in it, ends included (ds_segment_records).
 *
 *  dataset     dataset.csv: segment_id,label,note, then the record's columns
 *              (as in the session file), one row per record of each segment
 *              (unlabelled records after them, with empty segment fields, on
 *              request); it opens in pandas.
 *  ei          Edge Impulse uploader files: one CSV per segment,
 *              <label>.<session>.<id>.csv, a "timestamp" column (ms from the
 *              segment's first record) then the numeric features; and
 *              info.labels (version 1: path, name, category, label {type,
 *              label}, metadata).
 *  labelstudio a Label Studio task (labelstudio.json): the series as JSON
 *              arrays under data.ts, each segment a timeserieslabels result
 *              with start/end in the time column's units; and the labelling
 *              config that shows it (labelstudio.xml). */
#ifndef DRIFTSCOPE_EXPORT_H
#define DRIFTSCOPE_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/labels.h"
#include "driftscope/strbuf.h"
#include "driftscope/table.h"

typedef enum { EXPORT_DATASET, EXPORT_EI, EXPORT_LABELSTUDIO, EXPORT_FORMAT_COUNT } ExportFormat;

extern const char *const ds_export_format_names[EXPORT_FORMAT_COUNT];
/* "dataset", "ei", "labelstudio" -> the format, or -1. */
int ds_export_format_parse(const char *s);

/* What an export holds. */
typedef struct ExportSummary {
   size_t segments;       /* segments with at least one record */
   size_t empty_segments; /* segments no record falls in (left out) */
   size_t records;        /* record rows written */
   size_t unlabelled;     /* of those, records in no segment */
} ExportSummary;

/* t: the session (store_scores), tms: its records' stream times. */
void ds_export_dataset(StrBuf *out, const Table *t, const double *tms, const LabelStore *ls, bool include_unlabelled,
                       ExportSummary *sum);

/* One Edge Impulse sample per segment, and (include_unlabelled) one per
 * run of records in no segment, labelled as unlabelled. */
typedef struct EiSample {
   char name[DS_NAME_MAX * 2 + 64]; /* <label>.<session>.<id>, no extension */
   const char *label;               /* NULL: unlabelled */
   const char *note;
   long segment_id;     /* 0: unlabelled */
   size_t first, count; /* its records */
} EiSample;

/* The samples (allocated; free() them), *n set. session: the session
 * file's name (its base name without extension is used). NULL on no memory. */
EiSample *ds_export_ei_samples(const Table *t, const double *tms, const LabelStore *ls, const char *session,
                               bool include_unlabelled, size_t *n);
void ds_export_ei_csv(StrBuf *out, const Table *t, const double *tms, const EiSample *s);
void ds_export_ei_info(StrBuf *out, const EiSample *s, size_t n, const char *session);
/* Every sample in one CSV, as Edge Impulse's CSV Wizard takes a labelled
 * file: the per-sample columns (timestamp from the sample's start, the
 * features), then label (empty for an unlabelled sample) and sample (its
 * name, as its own file is named). */
void ds_export_ei_labelled(StrBuf *out, const Table *t, const double *tms, const EiSample *s, size_t n);

/* The time column Label Studio's x axis uses: the device time column, else
 * rx_ms, else -1 (then the record number). */
int ds_export_time_column(const Table *t);
void ds_export_labelstudio(StrBuf *out, const Table *t, const double *tms, const LabelStore *ls, const char *session,
                           ExportSummary *sum);
void ds_export_labelstudio_config(StrBuf *out, const Table *t, const LabelStore *ls);

/* A file an export wrote: its name in the export's directory, SHA-256
 * (hex, as sha256sum prints it) and size. */
typedef struct ExportFile {
   char name[256];
   char sha256[65];
   size_t bytes;
} ExportFile;

/* What the manifest says besides the files: the source session and its
 * label journal (paths as given, SHA-256, sizes), driftscope's version and
 * the export's options, and the session's records' stream times (tms,
 * nrec) for each segment's span. */
typedef struct ExportManifest {
   const char *version, *format;
   bool include_unlabelled;
   const char *session, *session_sha256, *journal, *journal_sha256;
   size_t session_bytes, journal_bytes, session_records;
   const ExportFile *files;
   size_t nfiles;
   const LabelStore *ls;
   const double *tms;
   size_t nrec;
   const ExportSummary *sum;
} ExportManifest;

/* manifest.json: every file's SHA-256 and size, the session's and the
 * journal's, the version and options, each segment's label, note, span
 * (stream ms) and records. */
void ds_export_manifest(StrBuf *out, const ExportManifest *m);
/* The files as sha256sum prints them ("HASH  NAME" lines): `sha256sum -c`
 * in the export's directory verifies them. */
void ds_export_checksums(StrBuf *out, const ExportFile *files, size_t n);

#endif
