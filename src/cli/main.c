// SPDX-License-Identifier: MIT
/* driftscope: watch a model's inputs and outputs drift (DESIGN §9). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "driftscope/clock.h"

typedef struct Command {
   const char *name;
   int (*run)(int argc, char **argv);
   const char *summary;
} Command;

static const Command commands[] = {
   {"report", cmd_report, "compare sessions with a reference; text, JSON or Markdown"},
   {"check", cmd_check, "same comparison for CI: exit 0 no drift, 1 drift, 2 error"},
   {"record", cmd_record, "capture a board's stream into a session file"},
   {"watch", cmd_watch, "watch several boards without a screen: recordings, metrics, hooks"},
   {"simulate", cmd_simulate, "play a file into a pseudo-terminal as a board would"},
   {"ports", cmd_ports, "list serial ports (USB VID:PID, manufacturer, product, serial)"},
   {"export", cmd_export, "write labelled segments as a dataset, Edge Impulse or Label Studio"},
};

static void usage(FILE *f) {
   fprintf(f, "usage: driftscope [-r REF] [SOURCE] [options]   the dashboard: live or a replay\n"
              "       driftscope COMMAND [options]\n\ncommands:\n");
   for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
      fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
   fprintf(f, "\n'driftscope COMMAND --help' describes a command, 'driftscope -r x --help' the\n"
              "dashboard; 'man driftscope' has the rest.\n"
              "Options can also be set in $XDG_CONFIG_HOME/driftscope/config as 'key = value'.\n");
}

/* DRIFTSCOPE_FAKE_CLOCK=EPOCH_SECONDS: the tests' fake clock (clock.h), so
 * golden screens and file stamps are the same on every run. */
static void fake_clock(void) {
   const char *v = getenv("DRIFTSCOPE_FAKE_CLOCK");
   char *end;
   if (!v || !*v)
      return;
   long long s = strtoll(v, &end, 10);
   if (*end || s < 0)
      fprintf(stderr, "driftscope: DRIFTSCOPE_FAKE_CLOCK '%s': expected seconds since the epoch; ignored\n", v);
   else
      ds_clock_fake((time_t)s);
}

int main(int argc, char **argv) {
   fake_clock();
   if (argc < 2) {
      usage(stderr);
      return EXIT_ERROR;
   }
   if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
      usage(stdout);
      return 0;
   }
   if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
      printf("driftscope %s\n", DS_VERSION);
      return 0;
   }
   for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
      if (!strcmp(argv[1], commands[i].name))
         return commands[i].run(argc - 1, argv + 1);
   return cmd_tui(argc, argv); /* options and a session: the dashboard */
}
