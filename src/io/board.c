// SPDX-License-Identifier: MIT
/* A board watched without a screen: see board.h. */
#include "io/board.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "driftscope/clock.h"

static void say(Board *b, const char *msg) {
   if (b->note)
      b->note(b->note_ctx, b, msg);
}

static void live_note(void *ctx, const char *msg) {
   say(ctx, msg);
}

/* The verdict flipped: said with the drifted features. */
static void verdict(void *ctx, bool drifting, const Analysis *a, const WindowReport *w) {
   Board *b = ctx;
   char msg[700];
   if (!drifting) {
      b->recoveries++;
      snprintf(msg, sizeof msg, "dataset drift ended: %d of %d features drifted (%.2f) in records %zu-%zu", w->drifted,
               w->features, w->share, w->first, w->last);
      say(b, msg);
      return;
   }
   b->onsets++;
   int k = snprintf(msg, sizeof msg, "DATASET DRIFT: %d of %d features drifted (%.2f) in records %zu-%zu:", w->drifted,
                    w->features, w->share, w->first, w->last);
   for (int i = 0; i < a->ncols && k > 0 && (size_t)k < sizeof msg; i++)
      if (a->cols[i].role == ROLE_FEATURE && w->cols[i].scored && w->cols[i].drifted)
         k += snprintf(msg + k, sizeof msg - (size_t)k, " %s", a->cols[i].name);
   say(b, msg);
}

bool Board_open(Board *b, const BoardConfig *c, Classes *cl, char *err, size_t errlen) {
   memset(b, 0, sizeof *b);
   b->ls.out = b->ls.raw = -1; /* closable before it is opened */
   snprintf(b->name, sizeof b->name, "%s", c->name);
   b->ref_name = c->ref_name;
   b->opt = *c->opt;
   b->opt.refs = c->ref ? c->ref_cache : NULL;
   b->keep = c->keep;
   DriftHooks_init(&b->hooks, c->ref ? c->on_drift : NULL, c->ref ? c->on_recover : NULL, c->hook_cooldown_s);
   b->hooks.note = live_note;
   b->hooks.note_ctx = b;
   b->hooks.verdict = verdict;
   if (!Table_init(&b->cur, cl, false) || !Table_init(&b->none, cl, false) ||
       !Table_reserve(&b->cur, b->keep + b->keep / 16 + 1)) {
      snprintf(err, errlen, "out of memory");
      return false;
   }
   b->ref = c->ref ? c->ref : &b->none;
   if (!LiveSource_open(&b->ls, c->device, c->serial, c->format, &b->cur, true, err, errlen))
      return false;
   b->ls.keep_rows = true;
   b->ls.note = live_note;
   b->ls.note_ctx = b;
   if (c->record) {
      snprintf(b->record, sizeof b->record, "%s", c->record);
      if (!LiveSource_record(&b->ls, b->record, NULL, err, errlen))
         return false;
   }
   DsError e;
   if (!Replay_init_live(&b->r, &b->cur) || !Monitor_init(&b->m, b->ref, &b->cur, &b->opt, &e)) {
      snprintf(err, errlen, "out of memory");
      return false;
   }
   b->rate_at = b->synced_at = b->ls.start;
   return true;
}

int Board_fd(const Board *b) {
   return LiveSource_fd(&b->ls);
}

void Board_read(Board *b, double now, bool hangup) {
   LiveSource_read(&b->ls, now, hangup);
}

double Board_due(const Board *b) {
   return LiveSource_next_due(&b->ls);
}

void Board_tick(Board *b, double now) {
   LiveSource_tick(&b->ls, now);
}

/* Memory ran out: the records are no longer kept, the recording goes on. */
static bool halt(Board *b) {
   if (!b->halted) {
      b->halted = true;
      b->ls.keep_rows = false;
      char msg[PATH_MAX + 160];
      snprintf(msg, sizeof msg, "OUT OF MEMORY at record %zu: drift is no longer measured; %s", b->r.n,
               b->ls.out >= 0 ? "the recording goes on" : "this board is not recorded");
      say(b, msg);
   }
   return false;
}

double Board_sync_due(const Board *b) {
   long stride = (long)AnalysisOptions_stride(&b->opt);
   return b->ls.in.records - b->synced_n >= stride ? b->synced_at : b->synced_at + BOARD_SYNC_MAX_MS;
}

bool Board_sync(Board *b, double now) {
   LiveSource *ls = &b->ls;
   b->synced_n = ls->in.records;
   b->synced_at = now;
   char msg[400];
   if (LiveSource_failure(ls, msg, sizeof msg)) /* the stream cannot be read on (its header needs too many columns) */
      say(b, msg);
   if (b->halted)
      return false;
   Replay_sync(&b->r, now - ls->start);
   DsError e;
   if (Monitor_stale(&b->m) && !Monitor_renew(&b->m, &b->opt, &e))
      return halt(b);
   Table *t = &b->cur;
   if (t->nrows - t->base > b->keep + b->keep / 16) { /* the oldest go (the recording has them) */
      size_t upto = t->nrows - b->keep;
      if (!Monitor_release(&b->m, upto))
         return halt(b);
      Table_discard(t, upto);
      Replay_sync(&b->r, now - ls->start);
   }
   if (!Monitor_seek(&b->m, t->nrows))
      return halt(b);
   if (b->ref != &b->none) {
      if (DriftHooks_on(&b->hooks)) /* a hook reads the window's records from the file */
         LiveSource_flush(ls, now);
      DriftFacts f = {.board = b->name, .session = ls->out >= 0 ? b->record : "", .reference = b->ref_name};
      DriftHooks_follow(&b->hooks, &b->m.a, &b->r, &f, now);
   }
   return true;
}

void Board_metrics(const Board *b, MetricsBoard *mb) {
   LiveSource_metrics(&b->ls, mb);
   mb->name = b->name;
   mb->m = b->halted ? NULL : &b->m;
   mb->reference = b->ref != &b->none;
}

void Board_rate(Board *b, double now) {
   long n = b->ls.in.records;
   b->rate = now > b->rate_at ? (double)(n - b->rate_n) * 1000 / (now - b->rate_at) : 0;
   b->rate_n = n;
   b->rate_at = now;
}

void Board_finish(Board *b, double now) {
   LiveSource_finish(&b->ls, now);
}

void Board_close(Board *b) {
   DriftHooks_done(&b->hooks);
   Monitor_done(&b->m);
   Replay_done(&b->r);
   LiveSource_close(&b->ls);
   Table_done(&b->cur);
   Table_done(&b->none);
}
