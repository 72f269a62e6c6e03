/* SPDX-License-Identifier: MIT */
/* Subcommands and shared helpers of the command line. */
#ifndef DRIFTSCOPE_CLI_H
#define DRIFTSCOPE_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "driftscope/analysis.h"
#include "driftscope/assess.h"
#include "driftscope/ingest.h"
#include "io/serial.h"

#include "driftscope/version.h"

/* Exit codes of `check` (DESIGN §9), also used for errors elsewhere. */
enum { EXIT_NO_DRIFT = 0, EXIT_DRIFT = 1, EXIT_ERROR = 2 };

int cmd_report(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_ports(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_export(int argc, char **argv);
/* Export session's labelled segments (journal labels, NULL: next to it) to
 * directory out, never replacing a file; msg gets what was written or why
 * not. */
bool cli_export(const char *session, const char *labels, const char *out, int format, bool unlabelled, char *msg,
                size_t n);
/* The dashboard: driftscope [options] SESSION */
int cmd_tui(int argc, char **argv);

/* A board's name, for the metrics' board label, the hooks and `watch`'s
 * lines: the one given (--board), else the source's: ttyACM0 for
 * /dev/ttyACM0, a file's base name, stdin for "-". */
const char *cli_board_name(const char *given, const char *source);
/* --board NAME=PORT: the name (at most n - 1 bytes) and the port; false
 * when arg is not of that form. */
bool cli_split_board(const char *arg, char *name, size_t n, const char **port);
/* -r [NAME=]FILE: the board's name ("" when the whole of arg is the file:
 * no '=', or a file of that whole name exists) and the file. */
void cli_split_reference(const char *arg, char *name, size_t n, const char **file);

/* Return whether s is a whole number >= min (stored in *out). */
bool cli_parse_size(const char *s, size_t min, size_t *out);
/* Return whether s is a finite number (stored in *out). */
bool cli_parse_real(const char *s, double *out);
/* Print "driftscope: --opt 'val': expected want"; returns false. */
bool cli_bad_value(const char *opt, const char *val, const char *want);

/* The comparison options every subcommand takes, as long options with
 * these codes: --window w, --stride s, --stattest T, --threshold t,
 * --drift-share D, --format f, --reference-format F, --adwin 1040. */
#define CLI_ANALYSIS_OPTIONS                                                                                           \
   {"window", required_argument, NULL, 'w'}, {"stride", required_argument, NULL, 's'},                                 \
      {"stattest", required_argument, NULL, 'T'}, {"threshold", required_argument, NULL, 't'},                         \
      {"drift-share", required_argument, NULL, 'D'}, {"format", required_argument, NULL, 'f'},                         \
      {"reference-format", required_argument, NULL, 'F'}, {                                                            \
      "adwin", required_argument, NULL, 1040                                                                           \
   }
/* --stattest and --threshold in --help (report, check, the dashboard, watch). */
#define CLI_STATTEST_HELP                                                                                              \
   "      --stattest NAME      force a test (Evidently's names): ks wasserstein\n"                                     \
   "                           chisquare z jensenshannon psi hellinger kl_div TVD\n"                                   \
   "                           ed t_test mannw anderson cramer_von_mises g_test\n"                                     \
   "                           fisher_exact es; COL=NAME[,COL=NAME] for those\n"                                       \
   "                           columns only\n"                                                                         \
   "      --threshold X        force the drift threshold (COL=X[,...]: per column)\n"
/* Apply option c if it is one of those: 1 done, 0 bad value (a message
 * was printed), -1 not one of them. */
int cli_analysis_option(AnalysisOptions *o, DsFormat *format, DsFormat *ref_format, int c, const char *arg);

/* When a comparison fails besides drift (report, check, the dashboard):
 * --allow-missing (reference features the stream lacks are a note),
 * --max-bad-lines SHARE (0.05 or 5%; codes 1031-1032). */
#define CLI_ASSESS_OPTIONS                                                                                             \
   {"allow-missing", no_argument, NULL, 1031}, {                                                                       \
      "max-bad-lines", required_argument, NULL, 1032                                                                   \
   }
#define CLI_ASSESS_HELP                                                                                                \
   "      --max-bad-lines X    a stream with more bad lines than this share\n"                                         \
   "                           (0.05 or 5%%, the default) fails its data quality\n"                                    \
   "      --allow-missing      reference features missing from the stream are a\n"                                     \
   "                           note, not a failure\n"
/* Apply option c if it is one of those: 1 done, 0 bad value (a message
 * was printed), -1 not one of them. */
int cli_assess_option(AssessLimits *l, int c, const char *arg);

/* The serial port options of `record` and the dashboard: --baud, --parity,
 * --stop-bits, --flow (codes 1001-1004). */
#define CLI_SERIAL_OPTIONS                                                                                             \
   {"baud", required_argument, NULL, 1001}, {"parity", required_argument, NULL, 1002},                                 \
      {"stop-bits", required_argument, NULL, 1003}, {                                                                  \
      "flow", required_argument, NULL, 1004                                                                            \
   }
/* The same lines for --help. */
#define CLI_SERIAL_HELP                                                                                                \
   "      --baud N             115200 by default\n"                                                                    \
   "      --parity P           none, odd or even\n"                                                                    \
   "      --stop-bits N        1 or 2\n"                                                                               \
   "      --flow F             none, xonxoff or rtscts\n"
/* Apply option c if it is one of those: 1 done, 0 bad value (a message
 * was printed), -1 not one of them. */
int cli_serial_option(SerialConfig *s, int c, const char *arg);

/* The spectrum options of `report` and the dashboard: --rate HZ and
 * --band LO-HI (codes 1011-1012). */
#define CLI_SPECTRUM_OPTIONS                                                                                           \
   {"rate", required_argument, NULL, 1011}, {                                                                          \
      "band", required_argument, NULL, 1012                                                                            \
   }
/* The same lines for --help. */
#define CLI_SPECTRUM_HELP                                                                                              \
   "      --rate HZ            sample rate when the stream has no time column\n"                                       \
   "      --band LO-HI         look for the dominant frequency (and peaks) in\n"                                       \
   "                           LO-HI Hz only, e.g. 0-25 below a mains or motor\n"                                      \
   "                           line (default: the whole spectrum)\n"
/* Apply option c if it is one of those: 1 done, 0 bad value (a message
 * was printed), -1 not one of them. */
int cli_spectrum_option(SpectrumOptions *o, int c, const char *arg);

/* How streams are read beyond their format: --names a,b,c names
 * headerless columns (numbers, a JSON feature vector) instead of f0, f1...;
 * --classes a,b,c names integer class ids 0, 1, 2 (codes 1021-1022).
 * Without --names a headerless stream with as many columns as the
 * reference has features is matched to them by position. */
typedef struct ReadOptions {
   char *names_text, *classes_text; /* the option values, split in place */
   const char *names[DS_MAX_COLUMNS];
   int nnames;
   const char *classes[DS_MAX_CLASSES];
   int nclasses;
   const char *ref_names[DS_MAX_COLUMNS]; /* the reference's features, in its order */
   int nref_names;
} ReadOptions;

#define CLI_READ_OPTIONS                                                                                               \
   {"names", required_argument, NULL, 1021}, {                                                                         \
      "classes", required_argument, NULL, 1022                                                                         \
   }
#define CLI_READ_HELP                                                                                                  \
   "      --names A,B,...      names of headerless columns (else f0, f1, ...; a\n"                                     \
   "                           stream with as many as the reference has features\n"                                    \
   "                           is matched to them by position)\n"                                                      \
   "      --classes A,B,...    names of integer class ids 0, 1, ... (SensiML)\n"
/* Apply option c if it is one of those: 1 done, 0 bad value (a message
 * was printed), -1 not one of them. */
int cli_read_option(ReadOptions *o, int c, const char *arg);
void cli_read_done(ReadOptions *o);
/* Set in's read options (Ingest_init done, nothing fed yet): --classes;
 * --names; for a stream compared with ref (NULL: in reads the reference)
 * without --names, ref's features to match a headerless stream by
 * position. o may be NULL. */
void cli_read_apply(ReadOptions *o, Ingest *in, const Table *ref);

/* Print e as "driftscope: FILE:LINE: reason" on standard error. */
void cli_print_error(const DsError *e);
/* Read the file at path ("-": standard input) into t through in
 * (Ingest_init, the read options as cli_read_apply sets them, then
 * ds_ingest_file); false after printing why. in is zeroed first, so
 * Ingest_done is safe either way. */
bool cli_load(const char *path, Ingest *in, Table *t, DsFormat format, ReadOptions *ro, const Table *ref);

/* Several boards on the command line (the dashboard, `watch`): each
 * one's source and name (--board NAME=SOURCE, else the source's), and the
 * references: -r FILE for every board, -r NAME=FILE for one. */
#define CLI_MAX_BOARDS 32
typedef struct BoardArgs {
   const char *sources[CLI_MAX_BOARDS], *names[CLI_MAX_BOARDS]; /* names[i] NULL: the source's */
   int n, max;                                                  /* max: the command's limit (<= CLI_MAX_BOARDS) */
   const char *reference;                                       /* -r FILE */
   const char *ref_for[CLI_MAX_BOARDS], *ref_path[CLI_MAX_BOARDS];
   int nrefs;
   char name_buf[CLI_MAX_BOARDS][64], ref_buf[CLI_MAX_BOARDS][64];
} BoardArgs;
/* A board (name NULL: the source's); false (said) past max. */
bool BoardArgs_add(BoardArgs *b, const char *name, const char *source);
/* --board NAME=SOURCE. */
bool BoardArgs_board(BoardArgs *b, const char *arg);
/* -r [NAME=]FILE. */
bool BoardArgs_reference(BoardArgs *b, const char *arg);
/* Name the boards (one_name: the name of a single board given without one,
 * NULL: the source's) and check that no two share a name and that each -r
 * NAME=FILE names a board; false after saying what is wrong. */
bool BoardArgs_check(BoardArgs *b, const char *one_name);
/* Board name's reference file (NULL: none, or no such board). */
const char *BoardArgs_reference_of(const BoardArgs *b, const char *name);

/* The reference files, each read once; their prepared columns (RefCache)
 * shared by the boards that use them. */
typedef struct RefFiles {
   Table t[CLI_MAX_BOARDS];
   Ingest in[CLI_MAX_BOARDS];
   RefCache cache[CLI_MAX_BOARDS];
   const char *path[CLI_MAX_BOARDS];
   int n;
} RefFiles;
/* The reference at path (read now, or before); NULL after saying why. */
const Table *RefFiles_load(RefFiles *r, const char *path, Classes *cl, DsFormat format, ReadOptions *ro);
/* t's shared columns and read counters (NULL: t is not one of them). */
RefCache *RefFiles_cache(RefFiles *r, const Table *t);
const Ingest *RefFiles_ingest(const RefFiles *r, const Table *t);
void RefFiles_done(RefFiles *r);

/* argv with the config file's options in front of the command line's. */
typedef struct ConfigArgs {
   char **argv;
   int argc;
   int nconfig; /* argv[1..nconfig] were allocated from the config file */
} ConfigArgs;

/* Put "--key=value" options from $XDG_CONFIG_HOME/driftscope/config (or
 * ~/.config/driftscope/config) that `longopts` knows in front of the
 * command line's, so the command line wins. Returns false after printing
 * the file, line and reason. Free with config_free. */
bool config_apply(ConfigArgs *out, int argc, char **argv, const struct option *longopts);
void config_free(ConfigArgs *c);

#endif
