// SPDX-License-Identifier: MIT
#include "driftscope/labels.h"

#include <csv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/numparse.h"
#include "driftscope/recorder.h"
#include "driftscope/stats.h"

void LabelStore_init(LabelStore *s) {
   memset(s, 0, sizeof *s);
   s->next_id = 1;
}

void LabelStore_done(LabelStore *s) {
   free(s->seg);
   free(s->undo);
   free(s->redo);
   memset(s, 0, sizeof *s);
}

/* Copy text into a fixed buffer, cut at a character boundary. */
static void copy_text(char *dst, size_t cap, const char *src) {
   size_t n = src ? strlen(src) : 0;
   if (n >= cap) {
      n = cap - 1;
      while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
         n--; /* not inside a UTF-8 sequence */
   }
   if (n)
      memcpy(dst, src, n);
   dst[n] = '\0';
}

static int by_start(const void *a, const void *b) {
   const Segment *x = a, *y = b;
   if (x->start_ms != y->start_ms)
      return x->start_ms < y->start_ms ? -1 : 1;
   return (x->id > y->id) - (x->id < y->id);
}

static Segment *find(const LabelStore *s, long id) {
   for (size_t i = 0; i < s->n; i++)
      if (s->seg[i].id == id)
         return &s->seg[i];
   return NULL;
}

const Segment *LabelStore_find(const LabelStore *s, long id) {
   return find(s, id);
}

static bool grow(void **p, size_t *cap, size_t need, size_t size) {
   if (need <= *cap)
      return true;
   size_t c = *cap ? *cap * 2 : 16;
   while (c < need)
      c *= 2;
   void *q = realloc(*p, c * size);
   if (!q)
      return false;
   *p = q;
   *cap = c;
   return true;
}

static bool insert(LabelStore *s, const Segment *g) {
   if (!grow((void **)&s->seg, &s->cap, s->n + 1, sizeof *s->seg))
      return false;
   s->seg[s->n++] = *g;
   qsort(s->seg, s->n, sizeof *s->seg, by_start);
   return true;
}

static void remove_id(LabelStore *s, long id) {
   Segment *g = find(s, id);
   if (!g)
      return;
   size_t i = (size_t)(g - s->seg);
   memmove(g, g + 1, (s->n - i - 1) * sizeof *g);
   s->n--;
}

/* Apply c forwards (before -> after) or backwards. Room for an insert is
 * made first, so a change either happens whole or not at all. */
static bool apply(LabelStore *s, const LabelChange *c, bool forward) {
   bool had_old = forward ? c->had_before : c->had_after, has_new = forward ? c->had_after : c->had_before;
   const Segment *old = forward ? &c->before : &c->after, *new = forward ? &c->after : &c->before;
   if (has_new && !grow((void **)&s->seg, &s->cap, s->n + 1, sizeof *s->seg))
      return false;
   if (had_old)
      remove_id(s, old->id);
   if (has_new)
      insert(s, new);
   if (has_new && new->id >= s->next_id)
      s->next_id = new->id + 1;
   s->version++;
   return true;
}

static bool push(LabelChange **stack, size_t *n, size_t *cap, const LabelChange *c) {
   if (!grow((void **)stack, cap, *n + 1, sizeof **stack))
      return false;
   (*stack)[(*n)++] = *c;
   return true;
}

/* A new operation: applied, undoable, and the redo history is gone. */
static bool change(LabelStore *s, const LabelChange *c) {
   if (!grow((void **)&s->undo, &s->capundo, s->nundo + 1, sizeof *s->undo) || !apply(s, c, true))
      return false;
   push(&s->undo, &s->nundo, &s->capundo, c);
   s->nredo = 0;
   return true;
}

/* --- journal rows ---------------------------------------------------------- */

/* op, then the segment it leaves (add, edit) or removes (delete), then when. */
static void row(StrBuf *out, const char *op, const Segment *g, const char *when) {
   if (!out)
      return;
   StrBuf_puts(out, op);
   StrBuf_putc(out, ',');
   if (g) {
      StrBuf_printf(out, "%ld,", g->id);
      ds_put_double(out, g->start_ms);
      StrBuf_putc(out, ',');
      ds_put_double(out, g->end_ms);
      StrBuf_putc(out, ',');
      ds_put_csv_field(out, g->label);
      StrBuf_putc(out, ',');
      ds_put_csv_field(out, g->note);
   } else {
      StrBuf_puts(out, ",,,,");
   }
   StrBuf_putc(out, ',');
   ds_put_csv_field(out, when ? when : "");
   StrBuf_putc(out, '\n');
}

static bool make(Segment *g, long id, double start, double end, const char *label, const char *note) {
   if (!label || !label[0] || isnan(start) || isnan(end))
      return false;
   memset(g, 0, sizeof *g);
   g->id = id;
   g->start_ms = start < end ? start : end;
   g->end_ms = start < end ? end : start;
   copy_text(g->label, sizeof g->label, label);
   copy_text(g->note, sizeof g->note, note);
   return true;
}

static long add_with_id(LabelStore *s, long id, double start, double end, const char *label, const char *note,
                        const char *when, StrBuf *out) {
   LabelChange c = {.had_after = true};
   if (id <= 0 || find(s, id) || !make(&c.after, id, start, end, label, note) || !change(s, &c))
      return 0;
   row(out, "add", &c.after, when);
   return id;
}

long LabelStore_add(LabelStore *s, double start_ms, double end_ms, const char *label, const char *note,
                    const char *when, StrBuf *out) {
   return add_with_id(s, s->next_id, start_ms, end_ms, label, note, when, out);
}

bool LabelStore_edit(LabelStore *s, long id, double start_ms, double end_ms, const char *label, const char *note,
                     const char *when, StrBuf *out) {
   Segment *old = find(s, id);
   LabelChange c = {.had_before = true, .had_after = true};
   if (!old)
      return false;
   c.before = *old;
   if (!make(&c.after, id, start_ms, end_ms, label, note) || !change(s, &c))
      return false;
   row(out, "edit", &c.after, when);
   return true;
}

bool LabelStore_delete(LabelStore *s, long id, const char *when, StrBuf *out) {
   Segment *old = find(s, id);
   LabelChange c = {.had_before = true};
   if (!old)
      return false;
   c.before = *old;
   if (!change(s, &c))
      return false;
   row(out, "delete", &c.before, when);
   return true;
}

/* Undo (forward false) or redo: move the newest change of one history to
 * the other, applying it the way that history goes. */
static bool step(LabelStore *s, bool forward, const char *when, StrBuf *out) {
   LabelChange **from = forward ? &s->redo : &s->undo, **to = forward ? &s->undo : &s->redo;
   size_t *nfrom = forward ? &s->nredo : &s->nundo, *nto = forward ? &s->nundo : &s->nredo;
   size_t *capto = forward ? &s->capundo : &s->capredo;
   if (!*nfrom || !grow((void **)to, capto, *nto + 1, sizeof **to) || !apply(s, &(*from)[*nfrom - 1], forward))
      return false;
   (*nfrom)--;
   push(to, nto, capto, &(*from)[*nfrom]);
   row(out, forward ? "redo" : "undo", NULL, when);
   return true;
}

bool LabelStore_undo(LabelStore *s, const char *when, StrBuf *out) {
   return step(s, false, when, out);
}

bool LabelStore_redo(LabelStore *s, const char *when, StrBuf *out) {
   return step(s, true, when, out);
}

const Segment *LabelStore_at(const LabelStore *s, double t_ms) {
   const Segment *best = NULL;
   for (size_t i = 0; i < s->n && s->seg[i].start_ms <= t_ms; i++)
      if (s->seg[i].end_ms >= t_ms && (!best || s->seg[i].id > best->id))
         best = &s->seg[i];
   return best;
}

/* --- loading --------------------------------------------------------------- */

#define JOURNAL_FIELDS 7

typedef struct Loader {
   LabelStore *s;
   LabelLoad *info;
   char field[JOURNAL_FIELDS][DS_NOTE_MAX];
   int nfield;
   long line;
   bool oom;
} Loader;

static void on_field(void *data, size_t len, void *ctx) {
   Loader *l = ctx;
   if (l->nfield < JOURNAL_FIELDS) {
      size_t n = len < DS_NOTE_MAX - 1 ? len : DS_NOTE_MAX - 1;
      char tmp[DS_NOTE_MAX];
      memcpy(tmp, data, n);
      tmp[n] = '\0';
      copy_text(l->field[l->nfield], DS_NOTE_MAX, tmp);
   }
   l->nfield++;
}

static bool field_number(const char *s, double *v) {
   return ds_parse_number(s, strlen(s), v) == NUM_OK;
}

static bool field_id(const char *s, long *id) {
   char *end;
   long v = strtol(s, &end, 10);
   if (end == s || *end || v <= 0)
      return false;
   *id = v;
   return true;
}

/* Replay one journal row; false when it is not an operation that applies. */
static bool replay_row(Loader *l) {
   LabelStore *s = l->s;
   char(*f)[DS_NOTE_MAX] = l->field;
   const char *op = f[0];
   long id = 0;
   double a, b;
   if (!strcmp(op, "undo"))
      return LabelStore_undo(s, NULL, NULL);
   if (!strcmp(op, "redo"))
      return LabelStore_redo(s, NULL, NULL);
   if (!field_id(f[1], &id))
      return false;
   if (!strcmp(op, "delete"))
      return LabelStore_delete(s, id, NULL, NULL);
   if (!field_number(f[2], &a) || !field_number(f[3], &b))
      return false;
   if (!strcmp(op, "add"))
      return add_with_id(s, id, a, b, f[4], f[5], NULL, NULL) == id;
   if (!strcmp(op, "edit"))
      return LabelStore_edit(s, id, a, b, f[4], f[5], NULL, NULL);
   return false;
}

static void on_row(int c, void *ctx) {
   (void)c;
   Loader *l = ctx;
   l->line++;
   int n = l->nfield;
   l->nfield = 0;
   for (int i = n; i < JOURNAL_FIELDS; i++)
      l->field[i][0] = '\0';
   if (l->line == 1 && !strcmp(l->field[0], "op"))
      return; /* the header */
   if (n == JOURNAL_FIELDS && replay_row(l)) {
      l->info->rows++;
      return;
   }
   l->info->bad_rows++;
   if (!l->info->first_bad_line)
      l->info->first_bad_line = l->line;
}

bool LabelStore_load(LabelStore *s, const char *text, size_t n, LabelLoad *info) {
   memset(info, 0, sizeof *info);
   size_t whole = n;
   while (whole > 0 && text[whole - 1] != '\n')
      whole--; /* a last line without its end was cut off mid-write */
   info->torn = whole < n;
   info->torn_bytes = n - whole;
   Loader *l = calloc(1, sizeof *l);
   struct csv_parser p;
   if (!l || csv_init(&p, CSV_APPEND_NULL) != 0) {
      free(l);
      return false;
   }
   l->s = s;
   l->info = info;
   bool ok = csv_parse(&p, text, whole, on_field, on_row, l) == whole;
   csv_fini(&p, on_field, on_row, l);
   csv_free(&p);
   free(l);
   return ok;
}

/* --- records and paths ----------------------------------------------------- */

size_t ds_segment_records(const double *t, size_t n, double start_ms, double end_ms, size_t *first) {
   size_t lo = ds_lower_bound(t, n, start_ms), hi = ds_upper_bound(t, n, end_ms);
   *first = lo;
   return hi > lo ? hi - lo : 0;
}

void LabelTruth_init(LabelTruth *lt) {
   lt->col = -1;
   lt->stream_truth = false;
   lt->labelled = 0;
}

/* Records of [from, to) a segment covers; with col >= 0, set their truth. */
static size_t cover(const LabelStore *ls, Table *t, int col, const Replay *r, size_t from, size_t to) {
   size_t labelled = 0;
   for (size_t i = from; i < to; i++) {
      const Segment *g = ls->n ? LabelStore_at(ls, Replay_time(r, i)) : NULL;
      labelled += g != NULL;
      if (col >= 0) {
         int cls = g ? Classes_intern(t->classes, g->label, strlen(g->label)) : -1;
         Table_set(t, col, i, cls >= 0 ? (double)cls : (double)NAN);
      }
   }
   return labelled;
}

bool LabelTruth_apply(LabelTruth *lt, const LabelStore *ls, Table *t, const Replay *r, Monitor *m,
                      const AnalysisOptions *opt, size_t from, DsError *e) {
   size_t first = Replay_first(r), upto = t->nrows < r->n ? t->nrows : r->n;
   lt->stream_truth = t->truth_col >= 0 && t->truth_col != lt->col;
   bool made = false;
   if (!lt->stream_truth && lt->col < 0) {
      if (!ls->n)
         return true;
      lt->col = Table_add_column(t, "label", ROLE_TRUTH, KIND_CATEGORICAL, -1);
      if (lt->col < 0) {
         DsError_set(e, NULL, 0, 0, "out of memory applying the labels");
         return false;
      }
      made = true;
   }
   if (made || from < first)
      from = first;
   if (from == first)
      lt->labelled = 0;
   if (from < upto)
      lt->labelled += cover(ls, t, lt->stream_truth ? -1 : lt->col, r, from, upto);
   if (lt->stream_truth || (from >= m->cursor && !made))
      return true; /* records not shown yet: the Monitor counts them as it goes */
   if (made)
      return Monitor_renew(m, opt, e);
   if (Monitor_recount(m))
      return true;
   DsError_set(e, NULL, 0, 0, "out of memory applying the labels");
   return false;
}

void LabelTruth_release(LabelTruth *lt, const LabelStore *ls, const Replay *r, size_t upto) {
   size_t first = Replay_first(r), n = 0;
   if (upto > r->n)
      upto = r->n;
   if (ls->n && upto > first)
      n = cover(ls, NULL, -1, r, first, upto);
   lt->labelled -= n < lt->labelled ? n : lt->labelled;
}

void ds_labels_path(char *buf, size_t n, const char *session) {
   snprintf(buf, n, "%s.labels.csv", session);
}
