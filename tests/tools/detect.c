// SPDX-License-Identifier: MIT
/* detect DETECTOR [ALPHA BETA] < values: run one of the core's streaming
 * detectors (adwin, adwin-window: ADWIN whose window goes on after a
 * detection, page_hinkley, ddm, eddm with its alpha and beta, hddm_a,
 * hddm_w, kswin with its alpha and seed) over
 * the numbers on standard input, one a line, and print the 0-based index
 * of each detection, one a line; eddm, hddm_a and hddm_w print "warning I" for
 * the first warning since the start or the last drift and "drift I", as
 * River's docstrings do. The e2e tests feed it River's docstring streams
 * (Python's own random, same seed) and compare with River's printed
 * indices. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/detectors.h"

int main(int argc, char **argv) {
   static const char *const names[] = {"adwin", "adwin-window", "page_hinkley", "ddm",
                                       "eddm",  "hddm_a",       "hddm_w",       "kswin"};
   int which = -1;
   for (int i = 0; argc >= 2 && i < (int)(sizeof names / sizeof *names); i++)
      if (!strcmp(argv[1], names[i]))
         which = i;
   if (which < 0 || (argc != 2 && !((which == 4 || which == 7) && argc == 4))) {
      fprintf(stderr,
              "usage: detect adwin|adwin-window|page_hinkley|ddm|eddm [ALPHA BETA]|hddm_a|hddm_w|kswin [ALPHA SEED] "
              "< values\n");
      return 2;
   }
   HddmW hddm_w;
   HddmW_init(&hddm_w);
   static Kswin kswin;
   Kswin_init(&kswin);
   if (which == 7 && argc == 4)
      Kswin_set(&kswin, strtod(argv[2], NULL), 100, 30, (uint32_t)strtoul(argv[3], NULL, 10));
   Eddm eddm;
   HddmA hddm;
   Eddm_init(&eddm);
   HddmA_init(&hddm);
   if (which == 4 && argc == 4) {
      eddm.alpha = strtod(argv[2], NULL);
      eddm.beta = strtod(argv[3], NULL);
   }
   bool say_warning = true;
   Adwin ad;
   PageHinkley ph;
   Ddm ddm;
   Adwin_init(&ad);
   ad.keep_window = !strcmp(argv[1], "adwin-window");
   PageHinkley_init(&ph);
   Ddm_init(&ddm);
   char line[64];
   for (long i = 0; fgets(line, sizeof line, stdin); i++) {
      double x = strtod(line, NULL);
      bool drift, warning = false;
      if (which == 4 || which == 5 || which == 6) {
         if (which == 4)
            Eddm_update(&eddm, x);
         else if (which == 5)
            HddmA_update(&hddm, x);
         else
            HddmW_update(&hddm_w, x);
         warning = which == 4 ? eddm.warning : which == 5 ? hddm.warning : hddm_w.warning;
         drift = which == 4 ? eddm.drift : which == 5 ? hddm.drift : hddm_w.drift;
         if (warning && say_warning) {
            printf("warning %ld\n", i);
            say_warning = false;
         }
         if (drift) {
            printf("drift %ld\n", i);
            say_warning = true;
         }
         continue;
      }
      if (which == 7) {
         Kswin_update(&kswin, x);
         drift = kswin.drift;
      } else if (argv[1][0] == 'a') {
         Adwin_update(&ad, x);
         drift = ad.drift;
      } else if (argv[1][0] == 'p') {
         PageHinkley_update(&ph, x);
         drift = ph.drift;
      } else {
         Ddm_update(&ddm, x);
         drift = ddm.drift;
      }
      if (drift)
         printf("%ld\n", i);
   }
   return 0;
}
