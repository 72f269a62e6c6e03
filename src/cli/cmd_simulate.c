// SPDX-License-Identifier: MIT
/* `driftscope simulate FILE`: a pseudo-terminal that plays FILE's records
 * the way a board prints them, for demos without hardware and for tests.
 * Prints the pty's path on the first line of standard output. */
#include <errno.h>
#include <poll.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "io/pty.h"
#include "cli.h"
#include "driftscope/clock.h"
#include "io/eventloop.h"
#include "io/filesource.h"
#include "driftscope/render.h"
#include "driftscope/replay.h"

#define READER_SETTLE_MS 200 /* after a reader opened the pty, before the first byte */

static void usage(FILE *f) {
   fprintf(f, "usage: driftscope simulate FILE [--format FMT] [--rate HZ|--realtime]\n"
              "                                [--link PATH]\n"
              "\n"
              "Open a pseudo-terminal and play FILE's records into it as a board prints them;\n"
              "its path is the first line printed. Point driftscope (or anything) at it.\n"
              "\n"
              "      --format FMT   how to print records: csv, ei (Edge Impulse), plotter\n"
              "                     or numeric (headerless numbers, data-forwarder style:\n"
              "                     the numeric features only); default: FILE's own format\n"
              "      --rate HZ      records a second (default 10)\n"
              "      --realtime     the pacing of FILE's time column instead\n"
              "      --link PATH    also make PATH a link to the pty (replacing an older\n"
              "                     link, removed at exit): a stable name for a reader\n"
              "                     to reopen when the simulator is restarted\n"
              "  -h, --help\n");
}

static void sleep_ms(double ms) {
   if (ms <= 0)
      return;
   struct timespec ts = {(time_t)(ms / 1000), (long)(fmod(ms, 1000) * 1e6)};
   while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !ds_loop_stop) {
   }
}

typedef struct SimArgs {
   const char *file, *link;
   DsFormat format;
   bool format_given, realtime;
   double rate;
} SimArgs;

static int parse(SimArgs *sa, int argc, char **argv) {
   static const struct option opts[] = {
      {"format", required_argument, NULL, 'f'}, {"rate", required_argument, NULL, 'R'},
      {"realtime", no_argument, NULL, 'T'},     {"link", required_argument, NULL, 'L'},
      {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
   memset(sa, 0, sizeof *sa);
   sa->rate = 10;
   optind = 1;
   int c, f;
   while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
      if (c == 'h') {
         usage(stdout);
         return -1;
      }
      if (c == 'f' && ((f = ds_format_parse(optarg)) == DS_FORMAT_CSV || f == DS_FORMAT_EI || f == DS_FORMAT_PLOTTER ||
                       f == DS_FORMAT_NUMERIC)) {
         sa->format = (DsFormat)f;
         sa->format_given = true;
      } else if (c == 'R' && cli_parse_real(optarg, &sa->rate) && sa->rate > 0) {
      } else if (c == 'T') {
         sa->realtime = true;
      } else if (c == 'L') {
         sa->link = optarg;
      } else {
         if (c == 'f' || c == 'R')
            cli_bad_value(c == 'f' ? "format" : "rate", optarg,
                          c == 'f' ? "csv, ei, plotter or numeric" : "a rate > 0");
         return EXIT_ERROR;
      }
   }
   if (optind != argc - 1) {
      usage(stderr);
      return EXIT_ERROR;
   }
   sa->file = argv[optind];
   return 0;
}

/* Point link at the pty name; an older symbolic link there is replaced,
 * anything else is left alone. */
static bool make_link(const char *link, const char *name) {
   struct stat st;
   if (lstat(link, &st) == 0 && !S_ISLNK(st.st_mode)) {
      fprintf(stderr, "driftscope: --link %s: exists and is not a link; left alone\n", link);
      return false;
   }
   if ((unlink(link) != 0 && errno != ENOENT) || symlink(name, link) != 0) {
      fprintf(stderr, "driftscope: --link %s: %s\n", link, strerror(errno));
      return false;
   }
   return true;
}

/* Remove link if it still points at our pty (a newer simulator may own it). */
static void remove_link(const char *link, const char *name) {
   char target[256];
   ssize_t n = readlink(link, target, sizeof target - 1);
   if (n > 0 && (target[n] = '\0', !strcmp(target, name)))
      unlink(link);
}

/* Playing t's records into the pty, on the one loop: a timer waits for a
 * reader, then one sends the records due. The schedule is absolute
 * (record i is due i / rate after the start, or at its own time with
 * --realtime), so time spent writing is not added to every record's gap;
 * the records already due go out in one write. */
typedef struct Player {
   int fd;
   const Table *t;
   const SimArgs *sa;
   const Replay *r;
   StrBuf b;
   bool reader;       /* something opened the pty's other end */
   double next_check; /* when to look for one again */
   double start;      /* when record 0 is due */
   size_t i, sent;    /* records rendered, and written */
} Player;

/* While nothing has the pty's other end open, the master sees a hang-up.
 * A reader flushes stale input when it opens a port, so the first record
 * waits a moment more, as a board starts printing after it boots. */
static double reader_due(void *ctx, double now) {
   (void)now;
   const Player *p = ctx;
   return p->reader ? -1 : p->next_check;
}

static int reader_check(void *ctx, double now) {
   Player *p = ctx;
   struct pollfd q = {.fd = p->fd, .events = POLLIN};
   if (poll(&q, 1, 0) >= 0 && !(q.revents & POLLHUP)) {
      p->reader = true;
      p->start = now + READER_SETTLE_MS;
   } else {
      p->next_check = now + 50;
   }
   return LOOP_GO;
}

static double record_due(const Player *p, size_t i) {
   const SimArgs *sa = p->sa;
   return p->start + (sa->realtime ? p->r->t[i] - p->r->t[0] : (double)i * 1000.0 / sa->rate);
}

static double play_due(void *ctx, double now) {
   (void)now;
   const Player *p = ctx;
   return p->reader ? record_due(p, p->i) : -1;
}

/* The records due now, in one write; the end (or a reader gone, or a
 * signal during a write the reader does not take) stops the loop. */
static int play(void *ctx, double now) {
   Player *p = ctx;
   while (p->i < p->t->nrows && record_due(p, p->i) <= now && p->b.len < 65536)
      ds_render_record(&p->b, p->t, p->i++, p->sa->format);
   if (ds_write_all_until(p->fd, p->b.data, p->b.len, &ds_loop_stop) != p->b.len)
      return 0;
   p->sent = p->i;
   StrBuf_clear(&p->b);
   return p->i < p->t->nrows ? LOOP_GO : 0;
}

/* Ctrl-C, SIGTERM, SIGHUP stop; a resize does not matter here. */
static int on_signal(void *ctx, int sig) {
   (void)ctx;
   return sig == SIGWINCH ? LOOP_GO : 0;
}

/* Returns how many records were played. */
static size_t run_player(int fd, const Table *t, const SimArgs *sa, const Replay *r) {
   EventLoop l;
   Player p = {.fd = fd, .t = t, .sa = sa, .r = r, .next_check = ds_now_ms()};
   if (!t->nrows || !EventLoop_init(&l))
      return 0;
   StrBuf_init(&p.b);
   ds_render_start(&p.b, t, sa->format);
   LoopSpec spec = {
      .timer = {{reader_due, reader_check}, {play_due, play}},
      .ntimer = 2,
      .signal = on_signal,
      .ctx = &p,
   };
   EventLoop_run(&l, &spec);
   EventLoop_done(&l);
   StrBuf_done(&p.b);
   return p.sent;
}

int cmd_simulate(int argc, char **argv) {
   SimArgs sa;
   int st = parse(&sa, argc, argv);
   if (st)
      return st < 0 ? 0 : st;
   Classes cl;
   Table t;
   Ingest in;
   Replay r = {0};
   const char *why;
   int status = EXIT_ERROR, master = -1, slave = -1;
   bool linked = false;
   char name[256];
   Classes_init(&cl);
   if (!Table_init(&t, &cl, true)) {
      memset(&in, 0, sizeof in);
      goto done;
   }
   if (!cli_load(sa.file, &in, &t, DS_FORMAT_AUTO, NULL, NULL))
      goto done;
   if (!sa.format_given)
      sa.format = in.format == DS_FORMAT_AUTO ? DS_FORMAT_CSV : in.format;
   if (!ds_render_can(&t, sa.format, &why)) {
      fprintf(stderr, "driftscope: %s: %s\n", sa.file, why);
      goto done;
   }
   if (!Replay_init(&r, &t) || !ds_open_pty(&master, &slave, name, sizeof name)) {
      fprintf(stderr, "driftscope: cannot open a pseudo-terminal: %s\n", strerror(errno));
      goto done;
   }
   signal(SIGPIPE, SIG_IGN);
   close(slave); /* the reader opens it; its raw settings stay with the pty */
   slave = -1;
   if (sa.link && !make_link(sa.link, name))
      goto done;
   linked = sa.link != NULL;
   printf("%s\n", name);
   fflush(stdout);
   fprintf(stderr,
           "driftscope simulate: %s%s%s%s: waiting for a reader, then playing %zu records of %s (%s); Ctrl-C stops\n",
           name, linked ? " (link " : "", linked ? sa.link : "", linked ? ")" : "", t.nrows, sa.file,
           ds_format_name(sa.format));
   size_t n = run_player(master, &t, &sa, &r);
   sleep_ms(300); /* let the reader drain before the line hangs up */
   fprintf(stderr, "driftscope simulate: played %zu records\n", n);
   status = 0;
done:
   if (linked)
      remove_link(sa.link, name);
   Ingest_done(&in);
   if (master >= 0)
      close(master);
   if (slave >= 0)
      close(slave);
   Replay_done(&r);
   Table_done(&t);
   Classes_done(&cl);
   return status;
}
