/* SPDX-License-Identifier: MIT */
/* Subcommands and shared helpers of the command line. */
#ifndef DRIFTSCOPE_CLI_H
#define DRIFTSCOPE_CLI_H

#include <getopt.h>
#include <stdbool.h>

#define DS_VERSION "0.1.0"

/* Exit codes of `check` (DESIGN §9), also used for errors elsewhere. */
enum { EXIT_NO_DRIFT = 0, EXIT_DRIFT = 1, EXIT_ERROR = 2 };

int cmd_report(int argc, char **argv);
int cmd_check(int argc, char **argv);
/* The dashboard: driftscope [options] SESSION */
int cmd_tui(int argc, char **argv);

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
