// SPDX-License-Identifier: MIT
/* `driftscope report` and `driftscope check`: the headless comparison. */
#include <errno.h>
#include <signal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "driftscope/analysis.h"
#include "driftscope/clock.h"
#include "io/filesource.h"
#include "driftscope/report.h"
#include "pipeline.h"

#define MAX_SESSIONS 64

typedef struct ReportArgs {
   const char *reference;
   const char *json, *markdown;
   const char *sessions[MAX_SESSIONS];
   int nsessions;
   DsFormat format, ref_format;
   ReadOptions read;    /* --names, --classes */
   AssessLimits limits; /* --allow-missing, --max-bad-lines */
   AnalysisOptions opt;
   bool quiet, spectrum;
   SpectrumOptions spec; /* --rate, --band */
} ReportArgs;

static const struct option report_options[] = {
   {"reference", required_argument, NULL, 'r'},
   {"json", required_argument, NULL, 'j'},
   {"markdown", required_argument, NULL, 'm'},
   CLI_ANALYSIS_OPTIONS,
   CLI_READ_OPTIONS,
   CLI_ASSESS_OPTIONS,
   {"quiet", no_argument, NULL, 'q'},
   {"spectrum", no_argument, NULL, 'P'},
   CLI_SPECTRUM_OPTIONS,
   {"help", no_argument, NULL, 'h'},
   {NULL, 0, NULL, 0},
};

static void usage(FILE *f, const char *cmd) {
   fprintf(f,
           "usage: driftscope %s -r REF SESSION... [options]\n"
           "\n"
           "Compare recorded sessions (CSV, Edge Impulse output, numbers or name:value\n"
           "lines; '-' reads standard input) with a reference CSV, with Evidently's\n"
           "default tests.\n"
           "\n"
           "  -r, --reference FILE     reference (training) data, CSV with a header\n"
           "      --window N           compare sliding windows of N records, as the stream\n"
           "                           is read (memory stays bounded); the columns then\n"
           "                           show the last window, quality and accuracy the\n"
           "                           whole session\n"
           "      --stride M           a window ends every M records (default N) and holds\n"
           "                           the last N (all there were in warm-up windows)\n"
           "      --stattest NAME      force a test: ks wasserstein chisquare z\n"
           "                           jensenshannon psi\n"
           "      --threshold X        force the drift threshold of the test\n"
           "      --adwin COL[,COL]    ADWIN on these numeric columns too (the anomaly\n"
           "                           score always; at most 8)\n"
           "      --drift-share X      dataset drift when this share of features drifts\n"
           "                           (default 0.5)\n"
           "      --format FMT         current format: auto csv numeric ei plotter json\n"
           "                           (auto)\n"
           "      --reference-format FMT\n" CLI_READ_HELP CLI_ASSESS_HELP
           "      --json FILE          write the JSON report ('-' = stdout)\n"
           "      --markdown FILE      write a Markdown report ('-' = stdout)\n"
           "      --spectrum           each numeric feature's spectrum against the\n"
           "                           reference's (Welch, kissfft): dominant frequency,\n"
           "                           octave band powers, Jensen-Shannon distance; on\n"
           "                           by itself for raw samples (no prediction, score\n"
           "                           or truth column)\n" CLI_SPECTRUM_HELP
           "  -q, --quiet              no summary on stdout\n"
           "  -h, --help\n"
           "\n"
           "%s",
           cmd,
           strcmp(cmd, "check") == 0 ? "Exit status: 0 no dataset drift and nothing wrong; 1 dataset drift (with\n"
                                       "--window: in any window or the last records), or a failure: reference\n"
                                       "features missing from the stream, bad lines over --max-bad-lines, a\n"
                                       "column mostly unreadable; 2 error: no records, no feature compared, a\n"
                                       "file that cannot be read.\n"
                                     : "Exit status: 0 report written; 2 error: no records, no feature compared,\n"
                                       "a file that cannot be read.\n");
}

/* Apply one option; return false (after a message) on a bad value. */
static bool report_option(ReportArgs *ra, int c, const char *arg) {
   switch (c) {
   case 'r': ra->reference = arg; return true;
   case 'j': ra->json = arg; return true;
   case 'm': ra->markdown = arg; return true;
   case 'q': ra->quiet = true; return true;
   case 'P': ra->spectrum = true; return true;
   }
   int done = cli_spectrum_option(&ra->spec, c, arg);
   if (done < 0)
      done = cli_read_option(&ra->read, c, arg);
   if (done < 0)
      done = cli_assess_option(&ra->limits, c, arg);
   return done >= 0 ? done == 1 : cli_analysis_option(&ra->opt, &ra->format, &ra->ref_format, c, arg) == 1;
}

/* Parse argv; returns 0 to go on, -1 when --help was printed, or an exit status. */
static int parse_args(ReportArgs *ra, int argc, char **argv, const char *cmd) {
   memset(ra, 0, sizeof *ra);
   AssessLimits_default(&ra->limits);
   SpectrumOptions_default(&ra->spec);
   AnalysisOptions_default(&ra->opt);
   ConfigArgs ca;
   if (!config_apply(&ca, argc, argv, report_options))
      return EXIT_ERROR;
   optind = 1;
   int c, status = 0;
   while (!status && (c = getopt_long(ca.argc, ca.argv, "r:qh", report_options, NULL)) != -1) {
      if (c == 'h') {
         usage(stdout, cmd);
         status = -1;
      } else if (c == '?' || !report_option(ra, c, optarg)) {
         status = EXIT_ERROR;
      }
   }
   for (int i = optind; !status && i < ca.argc; i++) {
      if (ra->nsessions == MAX_SESSIONS) {
         fprintf(stderr, "driftscope: more than %d sessions\n", MAX_SESSIONS);
         status = EXIT_ERROR;
      } else {
         ra->sessions[ra->nsessions++] = ca.argv[i];
      }
   }
   config_free(&ca);
   if (status)
      return status; /* -1: --help was answered */
   if (!ra->reference || !ra->nsessions) {
      fprintf(stderr, "driftscope %s: %s\n", cmd, !ra->reference ? "missing -r REF" : "missing SESSION");
      usage(stderr, cmd);
      return EXIT_ERROR;
   }
   return 0;
}

static void rows_added(void *ctx) {
   Pipeline_rows_added(ctx);
}

/* Read path into t; ref: the reference it is compared with (NULL: path
 * is the reference). */
static bool load(const char *path, Ingest *in, Table *t, DsFormat f, ReadOptions *ro, const Table *ref, Pipeline *pl) {
   DsError e;
   if (!Ingest_init(in, t, f, path)) {
      fprintf(stderr, "driftscope: out of memory\n");
      return false;
   }
   cli_read_apply(ro, in, ref);
   bool split = !pl || !pl->streaming; /* two parser threads, unless windows are compared while parsing */
   if (!(split ? ds_ingest_file_split(path, in, &e) : ds_ingest_file_notify(path, in, &e, rows_added, pl))) {
      cli_print_error(&e);
      return false;
   }
   for (int i = 0; i < in->nfirst_bad && i < 3; i++)
      fprintf(stderr, "driftscope: %s:%ld: %s\n", path, in->first_bad[i].lineno, in->first_bad[i].reason);
   if (in->bad_lines + in->bad_fields > 3)
      fprintf(stderr, "driftscope: %s: %ld bad lines, %ld bad values in all\n", path, in->bad_lines, in->bad_fields);
   return true;
}

static bool write_out(const char *path, const StrBuf *b) {
   if (strcmp(path, "-") == 0) {
      fwrite(b->data, 1, b->len, stdout);
      return true;
   }
   FILE *f = fopen(path, "w");
   if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
      fprintf(stderr, "driftscope: %s: cannot write: %s\n", path, strerror(errno));
      if (f)
         fclose(f);
      return false;
   }
   return true;
}

typedef struct Loaded {
   Assessment as;
   Classes classes;
   Table ref, cur;
   Ingest ref_in;
   Ingest cur_in[MAX_SESSIONS];
   int ncur;
   ReportSource sources[MAX_SESSIONS];
   Analysis a;
   bool analysed;
} Loaded;

static void loaded_done(Loaded *l) {
   if (l->analysed)
      Analysis_done(&l->a);
   for (int i = 0; i < l->ncur; i++)
      Ingest_done(&l->cur_in[i]);
   Ingest_done(&l->ref_in);
   Table_done(&l->cur);
   Table_done(&l->ref);
   Classes_done(&l->classes);
}

static double now_s(void) {
   return ds_now_ms() / 1000;
}

/* DRIFTSCOPE_TIMING=1 prints how long each phase took (for `make bench`). */
static void phase(const char *what, double *t0) {
   static int on = -1;
   if (on < 0)
      on = getenv("DRIFTSCOPE_TIMING") != NULL;
   double t = now_s();
   if (on)
      fprintf(stderr, "timing: %-10s %.3f s\n", what, t - *t0);
   *t0 = t;
}

/* Load the reference and the sessions and compare them. */
static bool load_and_analyse(Loaded *l, const ReportArgs *ra) {
   double t0 = now_s();
   Classes_init(&l->classes);
   if (!Table_init(&l->ref, &l->classes, false) || !Table_init(&l->cur, &l->classes, false))
      return false;
   if (!load(ra->reference, &l->ref_in, &l->ref, ra->ref_format, (ReadOptions *)&ra->read, NULL, NULL))
      return false;
   if (l->ref.nrows == 0) {
      fprintf(stderr, "driftscope: %s: no records in the reference\n", ra->reference);
      return false;
   }
   if (l->ref.nrows == 1)
      fprintf(stderr, "driftscope: %s: the reference has a single record; tests will say little\n", ra->reference);
   phase("reference", &t0);
   Pipeline pl;
   Pipeline_start(&pl, &l->a, &l->ref, &l->cur, &ra->opt);
   bool ok = true;
   for (int i = 0; ok && i < ra->nsessions; i++) {
      l->ncur++;
      ok = load(ra->sessions[i], &l->cur_in[i], &l->cur, ra->format, (ReadOptions *)&ra->read, &l->ref, &pl);
      l->sources[i] = (ReportSource){ra->sessions[i], &l->cur_in[i]};
   }
   phase("sessions", &t0);
   if (!Pipeline_finish(&pl)) {
      l->analysed = true;
      if (ok)
         fprintf(stderr, "driftscope: %s\n", pl.error.msg);
      return false;
   }
   l->analysed = true;
   phase("analysis", &t0);
   if (!ok)
      return false;
   return true;
}

/* check: 0 pass, 1 drift or a failure, 2 nothing to judge; report: 0
 * written, 2 nothing to judge. */
static int exit_status(const Assessment *as, bool check) {
   if (as->status == ASSESS_ERROR)
      return EXIT_ERROR;
   if (!check)
      return 0;
   return as->status == ASSESS_PASS ? EXIT_NO_DRIFT : EXIT_DRIFT;
}

/* check's last line: its verdict and why, for a CI log. */
static void check_summary(const Assessment *as, const Analysis *a) {
   static const char *const verdict[] = {"PASS", "DRIFT", "FAIL", "ERROR"};
   printf("\ncheck: %s", verdict[as->status]);
   for (int i = 0; i < as->nproblems; i++)
      printf("%s%s", i ? ", " : " (", ds_problem_name(as->problems[i].kind));
   if (as->status == ASSESS_FAIL && as->judged && (a->dataset_drift || (a->window && a->windows_drifted)))
      printf("; dataset drift too");
   printf("%s\n", as->nproblems ? ")" : "");
}

/* A read that takes long (a pipe that does not end, /dev/zero) says how
 * far it got each second, and Ctrl-C (or SIGTERM) stops it cleanly. */
static volatile sig_atomic_t stop_reading;

static void on_stop(int sig) {
   (void)sig;
   stop_reading = 1;
}

static void read_progress(void *ctx, const Ingest *in) {
   (void)ctx;
   fprintf(stderr, "driftscope: reading %s: %.1f MB, %zu records, %ld lines so far; Ctrl-C stops\n",
           in->source ? in->source : "input", (double)in->ls.bytes / 1e6, in->table->nrows, in->ls.lineno);
}

static void watch_reads(bool on) {
   struct sigaction sa;
   memset(&sa, 0, sizeof sa);
   sa.sa_handler = on ? on_stop : SIG_DFL;
   sigemptyset(&sa.sa_mask); /* no SA_RESTART: a blocked read returns to look at the flag */
   sigaction(SIGINT, &sa, NULL);
   sigaction(SIGTERM, &sa, NULL);
   DsReadWatch w = {read_progress, NULL, &stop_reading};
   ds_ingest_watch(on ? &w : NULL);
}

static int run(int argc, char **argv, const char *cmd) {
   ReportArgs ra;
   int st = parse_args(&ra, argc, argv, cmd);
   if (st) {
      cli_read_done(&ra.read);
      return st < 0 ? 0 : st;
   }
   Loaded *l = calloc(1, sizeof *l);
   if (!l) {
      fprintf(stderr, "driftscope: out of memory\n");
      cli_read_done(&ra.read);
      return EXIT_ERROR;
   }
   int status = EXIT_ERROR;
   watch_reads(true);
   bool loaded = load_and_analyse(l, &ra);
   watch_reads(false);
   if (!loaded)
      goto out;
   const Ingest *streams[MAX_SESSIONS];
   for (int i = 0; i < ra.nsessions; i++)
      streams[i] = &l->cur_in[i];
   ds_assess(&l->as, &l->a, &l->ref, &l->ref_in, streams, ra.nsessions, &ra.limits);
   for (int i = 0; i < l->as.nproblems; i++) /* what cannot be judged, also where scripts look */
      if (l->as.problems[i].error)
         fprintf(stderr, "driftscope: %s\n", l->as.problems[i].text);
   const char *unfollowed = Analysis_adwin_missing(&l->a);
   if (unfollowed) { /* asked for and not computed: said, and no verdict */
      fprintf(stderr, "driftscope: --adwin %s: no numeric column of that name is compared with the reference\n",
              unfollowed);
      goto out;
   }
   bool spectra = ra.spectrum || (l->cur.nrows && ds_raw_samples(&l->cur));
   if (spectra && !Analysis_spectra(&l->a, &l->ref, &l->cur, &ra.spec)) {
      fprintf(stderr, "driftscope: out of memory computing spectra\n");
      goto out;
   }
   ReportContext ctx = {&l->a,      &l->cur,      &l->classes, ra.reference, &l->ref_in,
                        l->sources, ra.nsessions, DS_VERSION,  &l->as};
   StrBuf b;
   StrBuf_init(&b);
   bool ok = true;
   if (ra.json) {
      ds_report_json(&b, &ctx);
      ok = !b.oom && write_out(ra.json, &b);
      StrBuf_clear(&b);
   }
   if (ok && ra.markdown) {
      ds_report_markdown(&b, &ctx);
      ok = !b.oom && write_out(ra.markdown, &b);
      StrBuf_clear(&b);
   }
   bool to_stdout = (ra.json && !strcmp(ra.json, "-")) || (ra.markdown && !strcmp(ra.markdown, "-"));
   if (ok && !ra.quiet && !to_stdout) {
      static const TextMarks ansi = {"\033[1;31m", "\033[1;32m", "\033[0m"}; /* bold red, bold green, off */
      bool color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
      ds_report_text(&b, &ctx, color ? &ansi : &ds_marks_plain);
      fwrite(b.data, 1, b.len, stdout);
   }
   StrBuf_done(&b);
   if (!ok)
      goto out;
   status = exit_status(&l->as, !strcmp(cmd, "check"));
   if (!strcmp(cmd, "check") && !ra.quiet && !to_stdout)
      check_summary(&l->as, &l->a);
out:
   loaded_done(l);
   free(l);
   cli_read_done(&ra.read);
   return status;
}

int cmd_report(int argc, char **argv) {
   return run(argc, argv, "report");
}

int cmd_check(int argc, char **argv) {
   return run(argc, argv, "check");
}
