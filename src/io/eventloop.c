// SPDX-License-Identifier: MIT
#include "io/eventloop.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static int signal_fd = -1; /* the pipe's write end, for the handler */
volatile sig_atomic_t ds_loop_stop;
static volatile sig_atomic_t hup_reopens;
static const int handled[] = {SIGINT, SIGTERM, SIGHUP, SIGWINCH};
#define NHANDLED ((int)(sizeof handled / sizeof handled[0]))

static void on_signal(int sig) {
   int saved = errno;
   if (sig != SIGWINCH && !(sig == SIGHUP && hup_reopens))
      ds_loop_stop = 1;
   unsigned char b = (unsigned char)sig;
   if (signal_fd >= 0 && write(signal_fd, &b, 1) < 0) {
      /* the pipe is full: signals already wait there */
   }
   errno = saved;
}

bool EventLoop_init(EventLoop *l) {
   if (pipe(l->pipe) != 0)
      return false;
   for (int i = 0; i < 2; i++) {
      fcntl(l->pipe[i], F_SETFL, fcntl(l->pipe[i], F_GETFL) | O_NONBLOCK);
      fcntl(l->pipe[i], F_SETFD, FD_CLOEXEC);
   }
   signal_fd = l->pipe[1];
   ds_loop_stop = 0;
   hup_reopens = 0;
   struct sigaction sa;
   memset(&sa, 0, sizeof sa);
   sa.sa_handler = on_signal;
   sigemptyset(&sa.sa_mask);
   for (int i = 0; i < NHANDLED; i++)
      sigaction(handled[i], &sa, NULL);
   return true;
}

void EventLoop_hup_reopens(EventLoop *l) {
   (void)l;
   hup_reopens = 1;
}

void EventLoop_done(EventLoop *l) {
   for (int i = 0; i < NHANDLED; i++)
      signal(handled[i], SIG_DFL);
   signal_fd = -1;
   close(l->pipe[0]);
   close(l->pipe[1]);
}

#define MAX_FDS LOOP_MAX

int EventLoop_poll(EventLoop *l, const int *fds, int *ev, int n, int timeout_ms, int *sig) {
   struct pollfd p[MAX_FDS + 1];
   n = n < MAX_FDS ? n : MAX_FDS;
   for (int i = 0; i < n; i++) {
      p[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
      ev[i] = 0;
   }
   p[n] = (struct pollfd){.fd = l->pipe[0], .events = POLLIN};
   int got = poll(p, (nfds_t)n + 1, timeout_ms);
   if (got == 0)
      ds_clock_waited(timeout_ms);
   if (got <= 0)
      return 0; /* timeout, or EINTR: the pipe has the signal for the next call */
   int all = 0;
   for (int i = 0; i < n; i++) {
      if (p[i].revents & (POLLIN | POLLHUP | POLLERR))
         ev[i] |= EV_INPUT;
      if (p[i].revents & (POLLHUP | POLLERR | POLLNVAL))
         ev[i] |= EV_HANGUP;
      all |= ev[i];
   }
   unsigned char b;
   if ((p[n].revents & POLLIN) && read(l->pipe[0], &b, 1) == 1) {
      *sig = b;
      all |= EV_SIGNAL;
   }
   return all;
}

int EventLoop_wait(EventLoop *l, int fd, int timeout_ms, int *sig) {
   int ev;
   return EventLoop_poll(l, &fd, &ev, 1, timeout_ms, sig);
}

bool ds_term_size(int fd, int *rows, int *cols) {
   struct winsize ws;
   if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0)
      return false;
   *rows = ws.ws_row;
   *cols = ws.ws_col;
   return true;
}

/* The earliest timer's due time, < 0 when none is. */
static double next_due(const LoopSpec *spec, double now) {
   double next = -1;
   for (int i = 0; i < spec->ntimer; i++) {
      const LoopTimer *t = &spec->timer[i];
      double due = t->due(t->ctx ? t->ctx : spec->ctx, now);
      if (due >= 0 && (next < 0 || due < next))
         next = due;
   }
   return next;
}

#define WATCH_CTX(spec, i) ((spec)->watch[i].ctx ? (spec)->watch[i].ctx : (spec)->ctx)

int EventLoop_run(EventLoop *l, const LoopSpec *spec) {
   int fds[LOOP_MAX], ev[LOOP_MAX], st = LOOP_GO;
   while (st == LOOP_GO) {
      double now = ds_now_ms(), due = next_due(spec, now);
      for (int i = 0; i < spec->nwatch; i++)
         fds[i] = spec->watch[i].fd(WATCH_CTX(spec, i));
      int sig = 0, timeout = due < 0 ? -1 : due <= now ? 0 : (int)ceil(due - now);
      int any = EventLoop_poll(l, fds, ev, spec->nwatch, timeout, &sig);
      if (any & EV_SIGNAL)
         st = spec->signal(spec->ctx, sig);
      now = ds_now_ms();
      for (int i = 0; i < spec->nwatch && st == LOOP_GO; i++)
         if (ev[i] & EV_INPUT)
            st = spec->watch[i].ready(WATCH_CTX(spec, i), now, ev[i]);
      for (int i = 0; i < spec->ntimer && st == LOOP_GO; i++) {
         const LoopTimer *t = &spec->timer[i];
         void *ctx = t->ctx ? t->ctx : spec->ctx;
         double d = t->due(ctx, now);
         if (d >= 0 && d <= now)
            st = t->run(ctx, now);
      }
      if (st == LOOP_GO && spec->after)
         st = spec->after(spec->ctx, now);
   }
   return st;
}
