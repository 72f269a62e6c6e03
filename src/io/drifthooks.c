// SPDX-License-Identifier: MIT
/* A board's drift hooks: see drifthooks.h. */
#include "io/drifthooks.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "driftscope/clock.h"

void DriftHooks_init(DriftHooks *d, const char *on_drift, const char *on_recover, double cooldown_s) {
   memset(d, 0, sizeof *d);
   Hook_init(&d->hook);
   d->on_drift = on_drift;
   d->on_recover = on_recover;
   d->cooldown_ms = cooldown_s * 1000;
}

bool DriftHooks_on(const DriftHooks *d) {
   return d->on_drift || d->on_recover;
}

static void say(DriftHooks *d, const char *msg) {
   if (d->note)
      d->note(d->note_ctx, msg);
}

/* Start the hook for the oldest event waiting. */
static void start_next(DriftHooks *d) {
   while (d->qlen && d->hook.pid <= 0) {
      int slot = d->qhead;
      d->qhead = (d->qhead + 1) % DRIFT_HOOK_QUEUE;
      d->qlen--;
      const char *event = d->queue[slot].event, *cmd = d->queue[slot].cmd;
      char *envp[DRIFT_HOOK_ENV];
      for (int i = 0; i < DRIFT_HOOK_ENV; i++)
         envp[i] = d->queue[slot].env[i];
      char err[512], msg[400];
      if (Hook_start(&d->hook, cmd, envp, DRIFT_HOOK_ENV, err, sizeof err)) {
         d->event = event;
         snprintf(msg, sizeof msg, "on %s: %.280s started", event, cmd);
         say(d, msg);
         return;
      }
      snprintf(d->said, sizeof d->said, "on %s: %.280s", event, err);
      say(d, d->said);
   }
}

/* Queue the command of event with the facts of window w; started now
 * when none runs. */
static void queue(DriftHooks *d, const char *event, const char *cmd, const Analysis *a, const WindowReport *w,
                  const Replay *r, const DriftFacts *f) {
   if (d->qlen == DRIFT_HOOK_QUEUE) {
      char msg[120];
      snprintf(msg, sizeof msg, "on %s: not run, %d events wait for the hook", event, d->qlen);
      say(d, msg);
      return;
   }
   char drifted[1024] = "", when[40], st[32];
   size_t k = 0;
   for (int i = 0; i < a->ncols && k < sizeof drifted; i++)
      if (a->cols[i].role == ROLE_FEATURE && w->cols[i].scored && w->cols[i].drifted)
         k += (size_t)snprintf(drifted + k, sizeof drifted - k, "%s%s", k ? "," : "", a->cols[i].name);
   ds_wall_iso(when, sizeof when);
   ds_fmt_hms(st, sizeof st, w->last >= Replay_first(r) && w->last < r->n ? Replay_time(r, w->last) : NAN);
   int slot = (d->qhead + d->qlen++) % DRIFT_HOOK_QUEUE;
   d->queue[slot].event = event;
   d->queue[slot].cmd = cmd;
   char(*env)[1100] = d->queue[slot].env;
   snprintf(env[0], sizeof env[0], "DRIFTSCOPE_EVENT=%s", event);
   snprintf(env[1], sizeof env[1], "DRIFTSCOPE_BOARD=%s", f->board);
   snprintf(env[2], sizeof env[2], "DRIFTSCOPE_SESSION=%s", f->session ? f->session : "");
   snprintf(env[3], sizeof env[3], "DRIFTSCOPE_WINDOW_FIRST=%zu", w->first);
   snprintf(env[4], sizeof env[4], "DRIFTSCOPE_WINDOW_LAST=%zu", w->last);
   snprintf(env[5], sizeof env[5], "DRIFTSCOPE_DRIFTED_FEATURES=%s", drifted);
   snprintf(env[6], sizeof env[6], "DRIFTSCOPE_DRIFT_SHARE=%.6g", w->share);
   snprintf(env[7], sizeof env[7], "DRIFTSCOPE_TIME=%s", when);
   snprintf(env[8], sizeof env[8], "DRIFTSCOPE_STREAM_TIME=%s", st);
   snprintf(env[9], sizeof env[9], "DRIFTSCOPE_REFERENCE=%s", f->reference ? f->reference : "");
   if (d->hook.pid <= 0) /* else when the one running ends */
      start_next(d);
}

void DriftHooks_follow(DriftHooks *d, const Analysis *a, const Replay *r, const DriftFacts *f, double now) {
   if ((!DriftHooks_on(d) && !d->verdict) || !a->features)
      return;
   size_t n = a->nwindows, k = d->next, warm = Analysis_warmup_windows(a);
   if (n < k)
      return;
   k = k > warm ? k : warm;
   k = k > a->first_window ? k : a->first_window;
   for (; k < n; k++) {
      const WindowReport *w = Analysis_win(a, k);
      if (!w->done || w->dataset_drift == d->drifting)
         continue;
      d->drifting = w->dataset_drift;
      if (d->verdict)
         d->verdict(d->note_ctx, d->drifting, a, w);
      double *at = d->drifting ? &d->onset_at : &d->recover_at;
      const char *cmd = d->drifting ? d->on_drift : d->on_recover;
      if (!cmd || (*at > 0 && now - *at < d->cooldown_ms))
         continue;
      *at = now;
      queue(d, d->drifting ? "drift" : "recover", cmd, a, w, r, f);
   }
   d->next = n;
}

int DriftHooks_fd(const DriftHooks *d) {
   return Hook_fd(&d->hook);
}

/* It ended: how, and its first line of output; the next one waiting starts. */
static void ended(DriftHooks *d) {
   size_t n = strcspn(d->hook.first, "\n");
   snprintf(d->said, sizeof d->said, "on %s: exited %d%s%.*s", d->event, d->hook.status, n ? ": " : "",
            (int)(n < 150 ? n : 150), d->hook.first);
   say(d, d->said);
   start_next(d);
}

#define REAP_FIRST_MS 5.0 /* its output closed: it is exiting */
#define REAP_AGAIN_MS 100.0

void DriftHooks_ready(DriftHooks *d) {
   if (Hook_read(&d->hook))
      ended(d);
   else if (d->hook.out < 0)
      d->reap_at = ds_now_ms() + REAP_FIRST_MS;
}

double DriftHooks_due(const DriftHooks *d, double now) {
   (void)now;
   return d->hook.pid > 0 && d->hook.out < 0 ? d->reap_at : -1;
}

void DriftHooks_tick(DriftHooks *d) {
   if (Hook_reap(&d->hook))
      ended(d);
   else
      d->reap_at = ds_now_ms() + REAP_AGAIN_MS;
}

static int loop_fd(void *ctx) {
   return DriftHooks_fd(ctx);
}

static int loop_ready(void *ctx, double now, int ev) {
   (void)now;
   (void)ev;
   DriftHooks_ready(ctx);
   return LOOP_GO;
}

static double loop_due(void *ctx, double now) {
   return DriftHooks_due(ctx, now);
}

static int loop_tick(void *ctx, double now) {
   (void)now;
   DriftHooks_tick(ctx);
   return LOOP_GO;
}

LoopWatch DriftHooks_watch(DriftHooks *d) {
   return (LoopWatch){loop_fd, loop_ready, d};
}

LoopTimer DriftHooks_timer(DriftHooks *d) {
   return (LoopTimer){loop_due, loop_tick, d};
}

bool DriftHooks_finish(DriftHooks *d, char *buf, size_t n) {
   if (!d->hook.runs)
      return false;
   d->qlen = 0; /* no new one is started at exit */
   for (int i = 0; i < 10 && d->hook.pid > 0; i++) {
      if (d->hook.out >= 0 ? Hook_read(&d->hook) : Hook_reap(&d->hook)) {
         ended(d);
         break;
      }
      usleep(50000);
   }
   snprintf(buf, n, "hooks ran %ld time%s; the last %s", d->hook.runs, d->hook.runs == 1 ? "" : "s",
            d->hook.pid > 0 ? "was still running" : d->said);
   return true;
}

void DriftHooks_done(DriftHooks *d) {
   Hook_done(&d->hook);
}
