// SPDX-License-Identifier: MIT
/* Edge Impulse inference output (DESIGN §2), in every form the SDK, its
 * examples and the CLI print today (read from edgeimpulse/inferencing-sdk-cpp
 * classifier/ei_print_results.h and ei_run_classifier.h display_results,
 * the Arduino and Linux examples, and edge-impulse-run-impulse):
 *
 *   Predictions (DSP: 16 ms., Classification: 1 ms., Anomaly: 2 ms.):   the first generation
 *       idle: 0.91016                                                     scores right under it
 *       anomaly score: -0.067
 *
 *   Timing: DSP 16 ms, inference 1 ms, anomaly 0 ms, postprocessing 120 us
 *   Classification predictions:      or #Classification predictions:, #Classification results:, Predictions:
 *     idle: 0.910156                 indented or not
 *   Anomaly prediction: 0.123
 *   Regression prediction: 12.5      or #Regression prediction: 12.5, or #Regression results: then "  value: 12.5"
 *   Object detection bounding boxes: or #Object detection results:, Object tracking results:
 *     person (0.91) [ x: 8, y: 16, width: 8, height: 8 ]    person (ID 3) [ ... ]    No objects found
 *   Visual anomalies:                or #Visual anomaly grid results:
 *     anomaly (0.87) [ x: 0, y: 0, width: 32, height: 32 ]
 *   Visual anomaly mean: 0.12, max: 0.87                    or Visual anomaly values: Mean 0.12 Max 0.87
 *
 * One inference (a block) is one record: score_<label> per class (the
 * prediction is their argmax), anomaly, dsp_ms / inference_ms / anomaly_ms /
 * postprocessing_ms ("us" converted to ms), a regression's number as a
 * numeric pred, and for object detection: objects (boxes), objects_<label>
 * (boxes of that label, 0 when none), object_confidence (the top box's)
 * and object_area (mean box area, px²); for visual anomaly detection
 * visual_anomaly_mean and visual_anomaly_max.
 *
 * A block starts at a timing line (or at a results header when the
 * firmware prints none, or a header for a part the open block has
 * already) and ends at a blank line, at the next block, at a line that is
 * not part of it once it has results, or at the end of input. A block is
 * complete when it has everything the first complete block had (every
 * class's score, the anomaly line...). An incomplete block - cut by a
 * pulled cable or an unreadable line, a score that is not a number, a
 * class or the anomaly missing - is one bad line, never completed by
 * guessing. Lines inside a block that are not part of it (a log line from
 * another task) are noise.
 *
 * An Edge Impulse multi-impulse build (its deployment block's main.cpp)
 * prints "process_impulse for project P returned: R" before each
 * impulse's block. One inference of every impulse is then one record: each
 * impulse is a model named P (models.h) and its block's columns carry it
 * (score_P_<label>, dsp_ms_P, inference_ms_P, anomaly_P...). The record
 * ends when an impulse comes round again, at the end of input, or, once the
 * first record told which impulses there are, when the last of them has
 * printed its block. An impulse's block that is incomplete, an impulse
 * that returned an error or printed nothing makes the record one bad line.
 *
 * Not handled: freeform outputs ("Freeform output index=N") and "Could not
 * determine how to print" are noise (a block with no other result is a bad
 * line); the first complete block is trusted to have every class, so a
 * first block that silently lost a score line sets too small a schema
 * (the next full block widens it); labels containing "(" read as boxes. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "driftscope/ingest.h"
#include "driftscope/numparse.h"

/* The part of a block the next item lines belong to. */
typedef enum Section { SEC_NONE, SEC_SCORES, SEC_REGRESSION, SEC_OBJECTS, SEC_VISUAL } Section;

/* What a block has (bits): a complete block has what the schema has. */
enum { HAS_SCORES = 1, HAS_ANOMALY = 2, HAS_REGRESSION = 4, HAS_OBJECTS = 8, HAS_VISUAL = 16 };

#define EI_LABELS 256 /* labels remembered with their columns (a class cap's worth) */
#define EI_OBJECTS 64 /* object labels with a count column */

typedef struct Label {
   char name[DS_NAME_MAX]; /* as printed */
   size_t len;
   int impulse; /* of a multi-impulse build, -1: none */
   int col;     /* its score column */
} Label;

/* The columns of one impulse's results, found once (-1 until then). */
typedef struct Slots {
   int dsp, inf, anom_ms, post, anomaly, pred, objects, conf, area, vmean, vmax;
} Slots;

#define EI_IMPULSES DS_MAX_MODELS

typedef struct EiParser {
   bool open; /* inside a block */
   Section sec;
   long start, last; /* its first and last line */
   unsigned has;
   bool seen[EI_LABELS]; /* labels scored in this block */
   const char *broken;   /* why the block is incomplete, NULL while it is not */
   char why[DS_REASON_MAX];
   /* object detection in this block */
   int boxes, box_conf_n;
   double top_conf, area_sum;
   double obj_n[EI_OBJECTS];
   /* the schema: what a complete block has (of the current impulse) */
   bool schema;
   unsigned want;
   bool want_label[EI_LABELS];
   /* a multi-impulse build: its impulses (models), the current one, each
    * one's schema while another's block is read, the record that gathers
    * one block of each */
   bool multi;
   int impulse; /* -1: none yet */
   char imp_name[EI_IMPULSES][DS_NAME_MAX];
   int nimp;
   bool imp_schema[EI_IMPULSES];
   unsigned imp_want[EI_IMPULSES];
   bool rec_open, known;        /* known: the impulses a record has (the first record's) */
   unsigned rec_imps, all_imps; /* bits: impulses in this record, in every record */
   unsigned rec_blocks;         /* bits: impulses whose block this record has */
   long rec_start;
   char rec_why[DS_REASON_MAX]; /* why the record is bad, "" while it is not */
   /* columns, found once */
   Label labels[EI_LABELS];
   int nlabels;
   char obj_name[EI_OBJECTS][DS_NAME_MAX];
   int obj_col[EI_OBJECTS], obj_imp[EI_OBJECTS], nobj;
   Slots slots[EI_IMPULSES + 1]; /* [impulse + 1] */
   Slots *col;                   /* the current impulse's */
} EiParser;

static void *ei_create(Ingest *in) {
   (void)in;
   EiParser *ep = calloc(1, sizeof *ep);
   if (!ep)
      return NULL;
   for (int i = 0; i <= EI_IMPULSES; i++)
      ep->slots[i] = (Slots){-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
   ep->impulse = -1;
   ep->col = &ep->slots[0];
   return ep;
}

static void ei_destroy(void *self) {
   free(self);
}

static bool has_prefix(const char *s, size_t n, const char *p) {
   size_t k = strlen(p);
   return n >= k && memcmp(s, p, k) == 0;
}

/* The same, ignoring case (firmware spells "No objects found" both ways). */
static bool has_prefix_nocase(const char *s, size_t n, const char *p) {
   size_t k = strlen(p);
   return n >= k && strncasecmp(s, p, k) == 0;
}

/* The column named name (with "_<impulse>" in a multi-impulse build: the
 * impulse's own) with role, created when missing; -1 when the table has
 * no room (cached in *slot once found). */
static int column(EiParser *ep, Ingest *in, int *slot, const char *name, ColumnRole role, ColumnKind kind) {
   if (*slot >= 0)
      return *slot;
   char own[DS_NAME_MAX * 2 + 2];
   if (ep->impulse >= 0)
      snprintf(own, sizeof own, "%s_%s", name, ep->imp_name[ep->impulse]);
   else
      snprintf(own, sizeof own, "%s", name);
   Table *t = in->table;
   int c = Table_find(t, own);
   if (c < 0 && ep->impulse >= 0 && (c = Table_add_named(t, own)) >= 0 && t->cols[c]->kind != kind)
      Table_set_kind(t, c, kind); /* a regression's numeric prediction */
   else if (c < 0 && ep->impulse < 0)
      c = Table_add_column(t, own, role, kind, -1);
   if (c < 0)
      Ingest_bad(in, in->line_no, "too many columns: '%s' not kept", own);
   return *slot = c < 0 ? -1 : c;
}

static void set(EiParser *ep, Ingest *in, int *slot, const char *name, double v) {
   int c = column(ep, in, slot, name, ROLE_TELEMETRY, KIND_NUMERIC);
   if (c >= 0)
      Table_row_set(in->table, c, v);
}

static void mark_broken(EiParser *ep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The block is incomplete: why (the first reason is kept). */
static void mark_broken(EiParser *ep, const char *fmt, ...) {
   if (ep->broken)
      return;
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(ep->why, sizeof ep->why, fmt, ap);
   va_end(ap);
   ep->broken = ep->why;
}

/* What a block lacks against the schema, written to out; false when nothing. */
static bool missing(const EiParser *ep, char *out, size_t n) {
   unsigned lack = ep->want & ~ep->has;
   size_t k = 0;
   out[0] = '\0';
   for (int i = 0; i < ep->nlabels && k + 1 < n; i++)
      if (ep->want_label[i] && !ep->seen[i] && ep->labels[i].impulse == ep->impulse)
         k += (size_t)snprintf(out + k, n - k, "%s'%s'", k ? ", " : "no score for ", ep->labels[i].name);
   static const struct {
      unsigned bit;
      const char *what;
   } parts[] = {{HAS_ANOMALY, "no anomaly line"},
                {HAS_REGRESSION, "no regression value"},
                {HAS_OBJECTS, "no object detection"},
                {HAS_VISUAL, "no visual anomaly values"},
                {HAS_SCORES, "no class scores"}};
   for (size_t i = 0; i < sizeof parts / sizeof parts[0] && k + 1 < n; i++)
      if (lack & parts[i].bit && !(parts[i].bit == HAS_SCORES && k))
         k += (size_t)snprintf(out + k, n - k, "%s%s", k ? "; " : "", parts[i].what);
   return out[0] != '\0';
}

/* Object detection: every label's count (0 for labels absent from this
 * block), the total, the top confidence and the mean area. */
static void object_columns(EiParser *ep, Ingest *in) {
   Table *t = in->table;
   for (int i = 0; i < ep->nobj; i++)
      if (ep->obj_col[i] >= 0 && ep->obj_imp[i] == ep->impulse)
         Table_row_set(t, ep->obj_col[i], ep->obj_n[i]);
   set(ep, in, &ep->col->objects, "objects", ep->boxes);
   if (ep->box_conf_n)
      set(ep, in, &ep->col->conf, "object_confidence", ep->top_conf);
   if (ep->boxes)
      set(ep, in, &ep->col->area, "object_area", ep->area_sum / ep->boxes);
}

/* Take what a complete block has as the schema (the first), or widen it
 * (a later block with a class the first lacked). */
static void learn(EiParser *ep) {
   ep->schema = true;
   ep->want |= ep->has;
   for (int i = 0; i < ep->nlabels; i++)
      ep->want_label[i] |= ep->seen[i];
}

static void reset_block(EiParser *ep) {
   ep->open = false;
   ep->sec = SEC_NONE;
   ep->has = 0;
   ep->broken = NULL;
   ep->boxes = ep->box_conf_n = 0;
   ep->top_conf = ep->area_sum = 0;
   memset(ep->seen, 0, sizeof ep->seen);
   memset(ep->obj_n, 0, sizeof ep->obj_n);
}

/* A multi-impulse record: from the first impulse's line, one block of each. */
static void begin_record(EiParser *ep, Ingest *in, long lineno) {
   Ingest_row_begin(in);
   ep->rec_open = true;
   ep->rec_imps = 0;
   ep->rec_start = lineno;
   ep->rec_why[0] = '\0';
}

/* End the multi-impulse record: a record when every impulse gave a
 * complete block, else one bad line. The first record tells which
 * impulses there are. */
static void end_record(EiParser *ep, Ingest *in) {
   if (!ep->rec_open)
      return;
   if (!ep->known) {
      ep->known = true;
      ep->all_imps = ep->rec_imps;
   }
   for (int k = 0; k < ep->nimp && !ep->rec_why[0]; k++)
      if (ep->all_imps & ~ep->rec_imps & 1u << k)
         snprintf(ep->rec_why, sizeof ep->rec_why, "nothing from impulse %s", ep->imp_name[k]);
   if (ep->rec_why[0]) {
      in->table->in_row = false;
      Ingest_bad(in, ep->rec_start, "incomplete Edge Impulse multi-impulse record (from line %ld): %s", ep->rec_start,
                 ep->rec_why);
   } else {
      Ingest_commit(in);
   }
   ep->rec_open = false;
   ep->rec_imps = 0;
}

/* Read impulse k's block next: its schema and columns. */
static void switch_impulse(EiParser *ep, int k) {
   if (ep->impulse >= 0) {
      ep->imp_schema[ep->impulse] = ep->schema;
      ep->imp_want[ep->impulse] = ep->want;
   }
   ep->impulse = k;
   ep->schema = ep->imp_schema[k];
   ep->want = ep->imp_want[k];
   ep->col = &ep->slots[k + 1];
}

/* End the open block: a record when complete, else one bad line; in a
 * multi-impulse build, a part of the record (which ends once it has a
 * block of every impulse). */
static void flush(EiParser *ep, Ingest *in) {
   if (!ep->open)
      return;
   char lack[DS_REASON_MAX];
   if (!ep->broken && ep->schema && missing(ep, lack, sizeof lack))
      mark_broken(ep, "%s", lack);
   if (!ep->broken && !ep->has)
      mark_broken(ep, "no results after its header");
   if (ep->multi) {
      if (ep->broken && !ep->rec_why[0])
         snprintf(ep->rec_why, sizeof ep->rec_why, "impulse %s's block (lines %ld-%ld): %s", ep->imp_name[ep->impulse],
                  ep->start, ep->last, ep->broken);
      if (!ep->broken) {
         if (ep->has & HAS_OBJECTS)
            object_columns(ep, in);
         learn(ep);
      }
      reset_block(ep);
      if (ep->known && (ep->rec_imps & ep->all_imps) == ep->all_imps)
         end_record(ep, in);
      return;
   }
   if (ep->broken) {
      in->table->in_row = false;
      Ingest_bad(in, ep->start, "incomplete Edge Impulse block (lines %ld-%ld): %s", ep->start, ep->last, ep->broken);
   } else {
      if (ep->has & HAS_OBJECTS)
         object_columns(ep, in);
      learn(ep);
      Ingest_commit(in);
   }
   reset_block(ep);
}

static void open_block(EiParser *ep, Ingest *in, long lineno) {
   flush(ep, in);
   if (ep->multi) {
      unsigned bit = 1u << ep->impulse;
      if (ep->rec_open && ep->rec_blocks & bit) /* the impulse again, unannounced: the next record */
         end_record(ep, in);
      if (!ep->rec_open) {
         begin_record(ep, in, lineno);
         ep->rec_blocks = 0;
      }
      ep->rec_imps |= bit;
      ep->rec_blocks |= bit;
   } else {
      Ingest_row_begin(in);
   }
   ep->open = true;
   ep->start = ep->last = lineno;
}

/* Read "<number> ms" or "<number> us" after the word key; return ms or NAN. */
static double timing_after(const char *s, size_t n, const char *key) {
   const char *end = s + n;
   size_t k = strlen(key);
   for (const char *p = s; p + k <= end; p++) {
      if (memcmp(p, key, k) != 0)
         continue;
      p += k;
      while (p < end && (*p == ' ' || *p == ':'))
         p++;
      const char *b = p;
      while (p < end && (isdigit((unsigned char)*p) || *p == '.' || *p == '-'))
         p++;
      double v;
      if (ds_parse_number(b, (size_t)(p - b), &v) != NUM_OK)
         return NAN;
      while (p < end && *p == ' ')
         p++;
      return (p + 1 < end && p[0] == 'u' && p[1] == 's') ? v / 1000.0 : v;
   }
   return NAN;
}

static void set_timings(EiParser *ep, Ingest *in, const char *s, size_t n, const char *inference) {
   double v;
   if (!isnan(v = timing_after(s, n, "DSP")))
      set(ep, in, &ep->col->dsp, "dsp_ms", v);
   if (!isnan(v = timing_after(s, n, inference)))
      set(ep, in, &ep->col->inf, "inference_ms", v);
   if (!isnan(v = timing_after(s, n, inference[0] == 'C' ? "Anomaly" : "anomaly")))
      set(ep, in, &ep->col->anom_ms, "anomaly_ms", v);
   if (!isnan(v = timing_after(s, n, "postprocessing")))
      set(ep, in, &ep->col->post, "postprocessing_ms", v);
}

/* Split "label: value" at the last colon: the label's length (0 when the
 * line is no such pair) and the value's text. */
static size_t split_pair(const char *s, size_t n, const char **value, size_t *vlen) {
   const char *colon = NULL;
   for (size_t i = n; i > 0; i--)
      if (s[i - 1] == ':') {
         colon = s + i - 1;
         break;
      }
   if (!colon || colon == s)
      return 0;
   size_t k = (size_t)(colon - s);
   while (k && isspace((unsigned char)s[k - 1]))
      k--;
   *value = colon + 1;
   *vlen = n - (size_t)(*value - s);
   return k;
}

/* The label's slot (its class and score column), made at first sight; -1
 * when there is no room. */
static int known_label(const EiParser *ep, const char *name, size_t len);

static int label_slot(EiParser *ep, Ingest *in, const char *name, size_t len) {
   int known = known_label(ep, name, len);
   if (known >= 0)
      return known;
   Table *t = in->table;
   int cls = Classes_intern(t->classes, name, len);
   if (cls < 0 || ep->nlabels == EI_LABELS) {
      Ingest_bad(in, in->line_no, "more than %d classes: '%.*s' ignored", DS_MAX_CLASSES, (int)(len > 40 ? 40 : len),
                 name);
      return -1;
   }
   char col[DS_NAME_MAX * 2 + 8];
   if (ep->impulse >= 0)
      snprintf(col, sizeof col, "score_%s_%s", ep->imp_name[ep->impulse], t->classes->name[cls]);
   else
      snprintf(col, sizeof col, "score_%s", t->classes->name[cls]);
   int c = Table_find(t, col);
   if (c < 0)
      c = ep->impulse >= 0 ? Table_add_named(t, col) : Table_add_column(t, col, ROLE_SCORE, KIND_NUMERIC, cls);
   if (c < 0) {
      Ingest_bad(in, in->line_no, "too many columns: '%s' ignored", col);
      return -1;
   }
   Label *l = &ep->labels[ep->nlabels];
   l->len = len < DS_NAME_MAX ? len : DS_NAME_MAX - 1;
   memcpy(l->name, name, l->len);
   l->name[l->len] = '\0';
   l->col = c < 0 ? -1 : c;
   l->impulse = ep->impulse;
   return ep->nlabels++;
}

/* The slot of a label seen before, or -1. */
static int known_label(const EiParser *ep, const char *name, size_t len) {
   for (int i = 0; i < ep->nlabels; i++)
      if (ep->labels[i].len == len && memcmp(ep->labels[i].name, name, len) == 0 &&
          ep->labels[i].impulse == ep->impulse)
         return i;
   return -1;
}

/* "label: value" in a scores part: the class's score. Returns false when
 * the line is no score: a value that is not a number after a label never
 * seen ("ERR: ..." after the scores); after a known label it is a score
 * gone bad, and the block is incomplete. */
static bool score(EiParser *ep, Ingest *in, const char *s, size_t k, const char *v, size_t vn) {
   double x;
   if (ds_parse_number(v, vn, &x) != NUM_OK) {
      if (known_label(ep, s, k) < 0)
         return false;
      ds_trim(&v, &vn);
      mark_broken(ep, "the score of '%.*s' is not a number: '%.*s'", (int)(k > 40 ? 40 : k), s,
                  (int)(vn > 20 ? 20 : vn), v);
      return true;
   }
   int i = label_slot(ep, in, s, k);
   if (i < 0)
      return true;
   if (ep->seen[i]) {
      mark_broken(ep, "two scores for '%s'", ep->labels[i].name);
      return true;
   }
   ep->seen[i] = true;
   ep->has |= HAS_SCORES;
   Table_row_set(in->table, ep->labels[i].col, x);
   return true;
}

/* A regression's number: the prediction (a numeric pred column). */
static void regression(EiParser *ep, Ingest *in, const char *v, size_t vn) {
   double x;
   if (ds_parse_number(v, vn, &x) != NUM_OK) {
      mark_broken(ep, "the regression value is not a number");
      return;
   }
   int c = column(ep, in, &ep->col->pred, "pred", ROLE_PRED, KIND_NUMERIC);
   if (c < 0)
      return;
   if (in->table->cols[c]->kind != KIND_NUMERIC) {
      mark_broken(ep, "a regression value in a stream of class predictions");
      return;
   }
   Table_row_set(in->table, c, x);
   ep->has |= HAS_REGRESSION;
}

/* The number after key ("Mean", "max:"...) in s, or NAN. */
static double number_after(const char *s, size_t n, const char *key) {
   const char *p = s, *end = s + n;
   size_t k = strlen(key);
   for (; p + k <= end; p++)
      if (memcmp(p, key, k) == 0)
         break;
   if (p + k > end)
      return NAN;
   p += k;
   while (p < end && (*p == ' ' || *p == ':'))
      p++;
   const char *b = p;
   while (p < end && *p != ',' && *p != ' ')
      p++;
   double v;
   return ds_parse_number(b, (size_t)(p - b), &v) == NUM_OK ? v : NAN;
}

/* "Visual anomaly mean: m, max: M" or "Visual anomaly values: Mean m Max M". */
static void visual_values(EiParser *ep, Ingest *in, const char *s, size_t n) {
   bool old = has_prefix(s, n, "Visual anomaly values:");
   double mean = number_after(s, n, old ? "Mean" : "mean:"), max = number_after(s, n, old ? "Max" : "max:");
   if (isnan(mean) || isnan(max)) {
      mark_broken(ep, "unreadable visual anomaly values");
      return;
   }
   set(ep, in, &ep->col->vmean, "visual_anomaly_mean", mean);
   set(ep, in, &ep->col->vmax, "visual_anomaly_max", max);
   ep->has |= HAS_VISUAL;
   ep->sec = SEC_NONE;
}

/* The count slot of object label name, made at first sight (-1: no room).
 * A new label's column reads 0 in the earlier object records: none of
 * them had such a box. */
static int object_slot(EiParser *ep, Ingest *in, const char *name, size_t len) {
   if (len >= DS_NAME_MAX - 8)
      len = DS_NAME_MAX - 9;
   for (int i = 0; i < ep->nobj; i++)
      if (strlen(ep->obj_name[i]) == len && memcmp(ep->obj_name[i], name, len) == 0 && ep->obj_imp[i] == ep->impulse)
         return i;
   if (ep->nobj == EI_OBJECTS)
      return -1;
   int i = ep->nobj++;
   memcpy(ep->obj_name[i], name, len);
   ep->obj_name[i][len] = '\0';
   ep->obj_imp[i] = ep->impulse;
   char col[DS_NAME_MAX * 2 + 16];
   if (ep->impulse >= 0)
      snprintf(col, sizeof col, "objects_%s_%s", ep->obj_name[i], ep->imp_name[ep->impulse]);
   else
      snprintf(col, sizeof col, "objects_%s", ep->obj_name[i]);
   Table *t = in->table;
   int c = Table_find(t, col);
   if (c < 0 && (c = Table_add_column(t, col, ROLE_TELEMETRY, KIND_NUMERIC, -1)) >= 0)
      Table_backfill(t, c, ep->col->objects, 0);
   ep->obj_col[i] = c;
   return i;
}

/* A box line: "label (0.91) [ x: 8, y: 16, width: 8, height: 8 ]" (object
 * detection, visual anomaly cells) or "label (ID 3) [ ... ]" (tracking).
 * Returns false when the line is not one. */
static bool box(EiParser *ep, Ingest *in, const char *s, size_t n) {
   const char *open = memchr(s, '(', n), *bracket = memchr(s, '[', n);
   if (!open || !bracket || bracket < open || open == s)
      return false;
   size_t len = (size_t)(open - s);
   while (len && s[len - 1] == ' ')
      len--;
   const char *close = memchr(open, ')', (size_t)(bracket - open));
   if (!close || !len)
      return false;
   double w = number_after(bracket, n - (size_t)(bracket - s), "width:");
   double h = number_after(bracket, n - (size_t)(bracket - s), "height:");
   if (ep->sec == SEC_VISUAL)
      return true; /* a cell over the threshold: the mean and max line says it all */
   double conf;
   bool tracked = has_prefix(open + 1, (size_t)(close - open - 1), "ID");
   if (!tracked && ds_parse_number(open + 1, (size_t)(close - open - 1), &conf) != NUM_OK) {
      mark_broken(ep, "unreadable box confidence");
      return true;
   }
   if (isnan(w) || isnan(h)) {
      mark_broken(ep, "unreadable box size");
      return true;
   }
   int i = object_slot(ep, in, s, len);
   if (i >= 0)
      ep->obj_n[i]++;
   ep->boxes++;
   ep->area_sum += w * h;
   if (!tracked) {
      ep->top_conf = ep->box_conf_n++ ? fmax(ep->top_conf, conf) : conf;
   }
   in->object_detections++;
   return true;
}

/* A header that starts a part of a block: its section, or SEC_NONE. The
 * '#' some firmware prints first is optional. */
static Section section_header(const char *s, size_t n) {
   if (n && s[0] == '#') {
      s++;
      n--;
   }
   if (has_prefix(s, n, "Classification predictions:") || has_prefix(s, n, "Classification results:") ||
       has_prefix(s, n, "Predictions:"))
      return SEC_SCORES;
   if (has_prefix(s, n, "Regression results:"))
      return SEC_REGRESSION;
   if (has_prefix(s, n, "Object detection bounding boxes:") || has_prefix(s, n, "Object detection results:") ||
       has_prefix(s, n, "Object tracking results:"))
      return SEC_OBJECTS;
   if (has_prefix(s, n, "Visual anomalies:") || has_prefix(s, n, "Visual anomaly grid results:"))
      return SEC_VISUAL;
   return SEC_NONE;
}

static unsigned section_bit(Section sec) {
   return sec == SEC_SCORES       ? HAS_SCORES
          : sec == SEC_REGRESSION ? HAS_REGRESSION
          : sec == SEC_OBJECTS    ? HAS_OBJECTS
                                  : HAS_VISUAL;
}

/* A results header: in the open block when it is new there, else it
 * starts a block of its own (firmware that prints no timing line). */
static void start_section(EiParser *ep, Ingest *in, Section sec, long lineno) {
   unsigned bit = section_bit(sec);
   if (!ep->open || ep->has & bit)
      open_block(ep, in, lineno);
   ep->sec = sec;
   if (sec == SEC_OBJECTS)
      ep->has |= HAS_OBJECTS; /* no box is a result too: no objects found */
}

/* Lines that open a block or a part of one; true when s was one. */
static bool header(EiParser *ep, Ingest *in, const char *s, size_t n, long lineno) {
   if (has_prefix(s, n, "Timing:")) {
      open_block(ep, in, lineno);
      set_timings(ep, in, s, n, "inference");
      return true;
   }
   if (has_prefix(s, n, "Predictions (")) {
      open_block(ep, in, lineno);
      set_timings(ep, in, s, n, "Classification");
      ep->sec = SEC_SCORES; /* the first generation's scores follow at once */
      return true;
   }
   const char *r = n && s[0] == '#' ? s + 1 : s;
   size_t rn = n - (size_t)(r - s);
   if (has_prefix(r, rn, "Regression prediction:")) {
      if (!ep->open || ep->has & HAS_REGRESSION)
         open_block(ep, in, lineno);
      regression(ep, in, r + 22, rn - 22);
      ep->sec = SEC_NONE;
      return true;
   }
   Section sec = section_header(s, n);
   if (sec == SEC_NONE)
      return false;
   start_section(ep, in, sec, lineno);
   return true;
}

/* The anomaly score, in any part of an open block (outside one it is a
 * leftover of a block begun before the stream was: noise). */
static bool anomaly(EiParser *ep, Ingest *in, const char *s, size_t n) {
   const char *v;
   size_t vn;
   if (!ep->open || (!has_prefix(s, n, "anomaly score:") && !has_prefix(s, n, "Anomaly prediction:")))
      return false;
   split_pair(s, n, &v, &vn);
   double x;
   if (ds_parse_number(v, vn, &x) != NUM_OK)
      mark_broken(ep, "the anomaly is not a number");
   else if (ep->has & HAS_ANOMALY)
      mark_broken(ep, "two anomaly lines");
   else {
      set(ep, in, &ep->col->anomaly, "anomaly", x);
      ep->has |= HAS_ANOMALY;
   }
   return true;
}

/* An item line of the open block's current part; true when s was one. */
static bool item(EiParser *ep, Ingest *in, const char *s, size_t n) {
   const char *v;
   size_t vn, k;
   switch (ep->sec) {
   case SEC_SCORES: return (k = split_pair(s, n, &v, &vn)) && score(ep, in, s, k, v, vn);
   case SEC_REGRESSION:
      if (!split_pair(s, n, &v, &vn))
         return false;
      regression(ep, in, v, vn);
      ep->sec = SEC_NONE;
      return true;
   case SEC_OBJECTS:
   case SEC_VISUAL:
      if (has_prefix_nocase(s, n, "No objects found"))
         return true;
      return box(ep, in, s, n);
   case SEC_NONE: break;
   }
   return false;
}

/* A line of the open block's parts, besides headers; true when s was one. */
static bool part(EiParser *ep, Ingest *in, const char *s, size_t n) {
   if (!ep->open)
      return false;
   if (anomaly(ep, in, s, n))
      return true;
   if (has_prefix(s, n, "Visual anomaly mean:") || has_prefix(s, n, "Visual anomaly values:")) {
      visual_values(ep, in, s, n);
      return true;
   }
   return item(ep, in, s, n);
}

/* "process_impulse for project P returned: R": impulse P's block follows
 * (a multi-impulse build). True when s was such a line. */
static bool impulse_line(EiParser *ep, Ingest *in, const char *s, size_t n, long lineno) {
   static const char prefix[] = "process_impulse for project ";
   if (!has_prefix(s, n, prefix))
      return false;
   const char *p = s + sizeof prefix - 1, *end = s + n, *b = p;
   while (p < end && *p != ' ')
      p++;
   size_t len = (size_t)(p - b);
   const char *v;
   size_t vn;
   double ret = NAN;
   if (split_pair(p, (size_t)(end - p), &v, &vn) && ds_parse_number(v, vn, &ret) != NUM_OK)
      ret = NAN;
   flush(ep, in);
   if (!len || len >= DS_NAME_MAX) {
      Ingest_bad(in, lineno, "no project name in '%.60s'", s);
      return true;
   }
   int k = 0;
   while (k < ep->nimp && (strlen(ep->imp_name[k]) != len || memcmp(ep->imp_name[k], b, len) != 0))
      k++;
   if (k == ep->nimp) {
      char name[DS_NAME_MAX];
      memcpy(name, b, len);
      name[len] = '\0';
      if (k == EI_IMPULSES || Table_model(in->table, name) < 0) {
         Ingest_bad(in, lineno, "more than %d impulses: project %s ignored", EI_IMPULSES, name);
         return true;
      }
      memcpy(ep->imp_name[k], name, len + 1);
      ep->nimp++;
   }
   ep->multi = true;
   if (ep->rec_open && ep->rec_imps & 1u << k)
      end_record(ep, in);
   if (!ep->rec_open) {
      begin_record(ep, in, lineno);
      ep->rec_blocks = 0;
   }
   switch_impulse(ep, k);
   ep->rec_imps |= 1u << k;
   if (ret != 0 && !ep->rec_why[0]) {
      if (isnan(ret))
         snprintf(ep->rec_why, sizeof ep->rec_why, "impulse %s returned no code", ep->imp_name[k]);
      else
         snprintf(ep->rec_why, sizeof ep->rec_why, "impulse %s returned %g (an EI_IMPULSE_ERROR)", ep->imp_name[k],
                  ret);
   }
   return true;
}

static void ei_line(void *self, Ingest *in, const char *line, size_t len, long lineno) {
   EiParser *ep = self;
   const char *s = line;
   size_t n = len;
   ds_trim(&s, &n);
   if (impulse_line(ep, in, s, n, lineno) || header(ep, in, s, n, lineno) || part(ep, in, s, n)) {
      ep->last = lineno;
      return;
   }
   /* not part of a block: it ends one that has its results, and is noise */
   if (ep->open && (ep->has || ep->broken))
      flush(ep, in);
   Ingest_noise(in);
}

static void ei_finish(void *self, Ingest *in) {
   flush(self, in);
   end_record(self, in);
}

/* A blank line ends a block: the examples print one before the next
 * "Starting inferencing", so a live record is complete at once. */
static void ei_blank(void *self, Ingest *in) {
   flush(self, in);
}

/* A line of the open block was lost (unreadable, or the cable was
 * pulled); lineno 0: the stream broke off between two lines, and a block
 * that has all the schema asks for may well be whole. */
static void ei_lost(void *self, Ingest *in, long lineno, const char *why) {
   EiParser *ep = self;
   (void)in;
   char lack[DS_REASON_MAX];
   if (!ep->open || (lineno == 0 && ep->schema && !missing(ep, lack, sizeof lack)))
      return;
   if (lineno == 0) {
      mark_broken(ep, "the stream broke off (%s) before it ended", why);
      return;
   }
   ep->last = lineno;
   mark_broken(ep, "line %ld %s", lineno, why);
}

const ParserClass EiParser_class = {
   .format = DS_FORMAT_EI,
   .create = ei_create,
   .line = ei_line,
   .finish = ei_finish,
   .blank = ei_blank,
   .lost = ei_lost,
   .destroy = ei_destroy,
};
