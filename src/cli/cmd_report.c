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
   const char *json, *markdown, *html;
   const char *tests, *junit; /* check: the suite file (NULL: derived), JUnit XML out */
   bool again;                /* the reference read again for its own figures: its bad lines said already */
   size_t stuck;              /* --stuck N (0: from the reference's runs) */
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
   {"html", required_argument, NULL, 1052},
   {"stuck", required_argument, NULL, 1053},
   {"tests", required_argument, NULL, 1050},
   {"junit", required_argument, NULL, 1051},
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
           "                           the last N (all there were in warm-up windows)\n" CLI_STATTEST_HELP
           "      --adwin COL[,COL]    ADWIN on these numeric columns too (the anomaly\n"
           "                           score always; at most 8)\n"
           "      --drift-share X      dataset drift when this share of features drifts\n"
           "                           (default 0.5)\n"
           "      --format FMT         current format: auto csv numeric ei plotter json\n"
           "                           (auto)\n"
           "      --reference-format FMT\n" CLI_READ_HELP CLI_ASSESS_HELP
           "      --json FILE          write the JSON report ('-' = stdout)\n"
           "      --markdown FILE      write a Markdown report ('-' = stdout)\n"
           "      --stuck N            a sensor holding one value for N records is stuck\n"
           "                           (default: 10, or twice the reference's longest run)\n"
           "      --html FILE          write one self-contained HTML page: histograms,\n"
           "                           drift over time, prediction mix, confusion\n"
           "                           matrix, data quality (and the tests)\n"
           "      --spectrum           each numeric feature's spectrum against the\n"
           "                           reference's (Welch, kissfft): dominant frequency,\n"
           "                           octave band powers, Jensen-Shannon distance; on\n"
           "                           by itself for raw samples (no prediction, score\n"
           "                           or truth column)\n" CLI_SPECTRUM_HELP "%s"
           "  -q, --quiet              no summary on stdout\n"
           "  -h, --help\n"
           "\n"
           "%s",
           cmd,
           strcmp(cmd, "check") == 0 ? "      --tests FILE         run the tests FILE gives (JSON: conditions on the\n"
                                       "                           report's figures; see the man page); without it,\n"
                                       "                           the tests derived from the reference: missing\n"
                                       "                           share, range, mean, new categories, drift share,\n"
                                       "                           prediction drift, accuracy\n"
                                       "      --junit FILE         write the tests' results as JUnit XML\n"
                                     : "",
           strcmp(cmd, "check") == 0 ? "Exit status: 0 every test passed; 1 a test failed (drift, a data-quality\n"
                                       "test, reference features missing from the stream, bad lines over\n"
                                       "--max-bad-lines); 2 error: a test could not be computed, no records, no\n"
                                       "feature compared, a file that cannot be read, a bad --tests file.\n"
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
   case 1050: ra->tests = arg; return true;
   case 1051: ra->junit = arg; return true;
   case 1052: ra->html = arg; return true;
   case 1053: return cli_parse_size(arg, 2, &ra->stuck) || cli_bad_value("stuck", arg, "a number of records >= 2");
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
   if ((ra->tests || ra->junit) && strcmp(cmd, "check") != 0) {
      fprintf(stderr, "driftscope %s: --%s: test suites are run by `driftscope check`\n", cmd,
              ra->tests ? "tests" : "junit");
      return EXIT_ERROR;
   }
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
/* quiet: its bad lines were said already (the reference read again for its own figures). */
static bool load(const char *path, Ingest *in, Table *t, DsFormat f, ReadOptions *ro, const Table *ref, Pipeline *pl,
                 bool quiet) {
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
   for (int i = 0; !quiet && i < in->nfirst_bad && i < 3; i++)
      fprintf(stderr, "driftscope: %s:%ld: %s\n", path, in->first_bad[i].lineno, in->first_bad[i].reason);
   if (!quiet && in->bad_lines + in->bad_fields > 3)
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
   /* the stream keeps its class scores: ROC AUC and log loss are computed from them */
   if (!Table_init(&l->ref, &l->classes, false) || !Table_init(&l->cur, &l->classes, true))
      return false;
   if (!load(ra->reference, &l->ref_in, &l->ref, ra->ref_format, (ReadOptions *)&ra->read, NULL, NULL, ra->again))
      return false;
   if (l->ref.nrows == 0) {
      fprintf(stderr, "driftscope: %s: no records in the reference\n", ra->reference);
      return false;
   }
   if (l->ref.nrows == 1 && !ra->again)
      fprintf(stderr, "driftscope: %s: the reference has a single record; tests will say little\n", ra->reference);
   phase("reference", &t0);
   Pipeline pl;
   Pipeline_start(&pl, &l->a, &l->ref, &l->cur, &ra->opt);
   bool ok = true;
   for (int i = 0; ok && i < ra->nsessions; i++) {
      l->ncur++;
      ok = load(ra->sessions[i], &l->cur_in[i], &l->cur, ra->format, (ReadOptions *)&ra->read, &l->ref, &pl, ra->again);
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
   if (!Analysis_data_quality(&l->a, &l->ref, &l->cur, ra->stuck)) {
      fprintf(stderr, "driftscope: out of memory computing the data quality\n");
      return false;
   }
   phase("quality", &t0);
   return true;
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

/* Read --tests FILE, or take the tests derived from the reference. */
static bool suite_load(Suite *s, const char *path) {
   Suite_init(s);
   if (!path) {
      s->derived = true;
      return true;
   }
   FILE *f = fopen(path, "r");
   if (!f) {
      fprintf(stderr, "driftscope: --tests %s: cannot open: %s\n", path, strerror(errno));
      return false;
   }
   StrBuf text;
   StrBuf_init(&text);
   char chunk[4096];
   size_t n;
   while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && text.len < (16u << 20))
      StrBuf_append(&text, chunk, n);
   bool read_ok = !ferror(f) && !text.oom && text.len < (16u << 20);
   fclose(f);
   char err[400];
   bool ok = read_ok && text.data && Suite_parse(s, text.data, err, sizeof err);
   if (!ok) {
      fprintf(stderr, "driftscope: --tests %s: %s\n", path,
              !read_ok    ? "cannot read it (or it is over 16 MB)"
              : text.data ? err
                          : "the file is empty");
      Suite_done(s);
   }
   StrBuf_done(&text);
   return ok;
}

/* The reference compared with itself: its own figures, the "reference"
 * of a test's condition. Returns the JSON (malloc'd), NULL after a message. */
static char *reference_report(const ReportArgs *ra) {
   ReportArgs rr = *ra;
   rr.sessions[0] = ra->reference;
   rr.nsessions = 1;
   rr.format = ra->ref_format;
   rr.opt.window = rr.opt.stride = 0;
   rr.opt.change_points = false;
   rr.again = true;
   Loaded *l = calloc(1, sizeof *l);
   char *json = NULL;
   if (l && load_and_analyse(l, &rr)) {
      const Ingest *streams[1] = {&l->cur_in[0]};
      ds_assess(&l->as, &l->a, &l->ref, &l->ref_in, streams, 1, &rr.limits);
      ReportContext ctx = {&l->a, &l->cur, &l->classes, rr.reference, &l->ref_in, l->sources, 1, DS_VERSION, &l->as};
      StrBuf b;
      StrBuf_init(&b);
      ds_report_json(&b, &ctx);
      if (!b.oom)
         json = b.data; /* the buffer's memory becomes the caller's */
      else
         StrBuf_done(&b);
   }
   if (!json)
      fprintf(stderr, "driftscope: the reference's own figures (for the tests) could not be computed\n");
   if (l)
      loaded_done(l);
   free(l);
   return json;
}

/* check: run the suite on the report (ctx without tests yet). */
static bool run_suite(const Suite *suite, const ReportArgs *ra, const ReportContext *ctx, SuiteResults *res) {
   char *refjson = NULL;
   bool judgeable = ctx->assess->status != ASSESS_ERROR;
   Suite assessment_only;
   Suite_init(&assessment_only);
   if (judgeable && Suite_needs_reference(suite) && !(refjson = reference_report(ra)))
      return false;
   StrBuf b;
   StrBuf_init(&b);
   ds_report_json(&b, ctx);
   bool ok = !b.oom && Suite_run(judgeable ? suite : &assessment_only, b.data, refjson, res);
   if (!ok)
      fprintf(stderr, "driftscope: out of memory running the tests\n");
   StrBuf_done(&b);
   free(refjson);
   return ok;
}

static bool write_junit(const char *path, const SuiteResults *res, const ReportArgs *ra, double seconds) {
   char name[1024], stamp[32];
   snprintf(name, sizeof name, "driftscope check: %s%s against %s", ra->sessions[0],
            ra->nsessions > 1 ? " and more" : "", ra->reference);
   time_t t = time(NULL);
   struct tm tm;
   strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", localtime_r(&t, &tm));
   StrBuf b;
   StrBuf_init(&b);
   ds_junit(&b, res, name, stamp, seconds);
   bool ok = !b.oom && write_out(path, &b);
   StrBuf_done(&b);
   return ok;
}

/* check with tests: 2 when a test could not be computed, 1 when one failed. */
static int suite_status(const SuiteResults *r) {
   return r->errors ? EXIT_ERROR : r->failed ? EXIT_DRIFT : EXIT_NO_DRIFT;
}

static void suite_summary(const SuiteResults *r) {
   printf("\ncheck: %s (%d of %d tests passed", r->errors ? "ERROR" : r->failed ? "FAIL" : "PASS", r->passed, r->n);
   if (r->failed)
      printf(", %d failed", r->failed);
   if (r->errors)
      printf(", %d could not be computed", r->errors);
   printf(")\n");
}

static int run(int argc, char **argv, const char *cmd) {
   double started = now_s();
   ReportArgs ra;
   int st = parse_args(&ra, argc, argv, cmd);
   if (st) {
      cli_read_done(&ra.read);
      return st < 0 ? 0 : st;
   }
   bool check = !strcmp(cmd, "check");
   Suite suite;
   Suite_init(&suite);
   char err[400];
   if (check && !suite_load(&suite, ra.tests)) {
      cli_read_done(&ra.read);
      return EXIT_ERROR;
   }
   if (!Suite_apply(&suite, &ra.opt, err, sizeof err)) {
      fprintf(stderr, "driftscope: --tests %s: %s\n", ra.tests, err);
      Suite_done(&suite);
      cli_read_done(&ra.read);
      return EXIT_ERROR;
   }
   Loaded *l = calloc(1, sizeof *l);
   if (!l) {
      fprintf(stderr, "driftscope: out of memory\n");
      Suite_done(&suite);
      cli_read_done(&ra.read);
      return EXIT_ERROR;
   }
   int status = EXIT_ERROR;
   SuiteResults results = {0};
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
   const char *unknown = Analysis_choice_missing(&l->a, &ra.opt);
   if (unknown) {
      fprintf(stderr,
              "driftscope: %s: no column of that name is compared with the reference (--stattest, "
              "--threshold or the suite's \"columns\")\n",
              unknown);
      goto out;
   }
   bool spectra = ra.spectrum || (l->cur.nrows && ds_raw_samples(&l->cur));
   if (spectra && !Analysis_spectra(&l->a, &l->ref, &l->cur, &ra.spec)) {
      fprintf(stderr, "driftscope: out of memory computing spectra\n");
      goto out;
   }
   ReportContext ctx = {&l->a,      &l->cur,      &l->classes, ra.reference, &l->ref_in,
                        l->sources, ra.nsessions, DS_VERSION,  &l->as};
   if (check) {
      if (!run_suite(&suite, &ra, &ctx, &results))
         goto out;
      ctx.tests = &results;
      ctx.tests_source = ra.tests ? ra.tests : "derived";
   }
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
   if (ok && ra.html) {
      ds_report_html(&b, &ctx);
      ok = !b.oom && write_out(ra.html, &b);
      StrBuf_clear(&b);
   }
   bool to_stdout = (ra.json && !strcmp(ra.json, "-")) || (ra.markdown && !strcmp(ra.markdown, "-")) ||
                    (ra.junit && !strcmp(ra.junit, "-")) || (ra.html && !strcmp(ra.html, "-"));
   if (ok && !ra.quiet && !to_stdout) {
      static const TextMarks ansi = {"\033[1;31m", "\033[1;32m", "\033[0m"}; /* bold red, bold green, off */
      bool color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
      ds_report_text(&b, &ctx, color ? &ansi : &ds_marks_plain);
      fwrite(b.data, 1, b.len, stdout);
   }
   StrBuf_done(&b);
   if (ok && ra.junit)
      ok = write_junit(ra.junit, &results, &ra, now_s() - started);
   if (!ok)
      goto out;
   status = l->as.status == ASSESS_ERROR ? EXIT_ERROR : check ? suite_status(&results) : 0;
   if (check && !ra.quiet && !to_stdout)
      suite_summary(&results);
out:
   SuiteResults_done(&results);
   Suite_done(&suite);
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
