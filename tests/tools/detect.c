// SPDX-License-Identifier: MIT
/* detect DETECTOR < values: run one of the core's streaming detectors
 * (adwin, adwin-window: ADWIN whose window goes on after a detection,
 * page_hinkley, ddm) over the numbers on standard input, one a
 * line, and print the 0-based index of each detection, one a line. The
 * e2e tests feed it River's docstring streams (Python's own random, same
 * seed) and compare with the indices River's docstrings print. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/detectors.h"

int main(int argc, char **argv) {
   if (argc != 2 || (strcmp(argv[1], "adwin") && strcmp(argv[1], "adwin-window") && strcmp(argv[1], "page_hinkley") &&
                     strcmp(argv[1], "ddm"))) {
      fprintf(stderr, "usage: detect adwin|adwin-window|page_hinkley|ddm < values\n");
      return 2;
   }
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
      bool drift;
      if (argv[1][0] == 'a') {
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
