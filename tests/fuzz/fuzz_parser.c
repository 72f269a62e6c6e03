// SPDX-License-Identifier: MIT
/* libFuzzer harness for one parser, chosen at build time with
 * -DFUZZ_FORMAT=DS_FORMAT_CSV (or _NUMERIC, _EI, _PLOTTER, _AUTO for the
 * detector). The input is fed in two pieces split at its first byte's value,
 * so the line splitter's carry-over is fuzzed too; every record then goes
 * through an Analysis against a fixed reference, so hostile tables reach the
 * statistics. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "driftscope/analysis.h"
#include "driftscope/ingest.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT DS_FORMAT_AUTO
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
   static const char reference[] = "f0,f1,x,label,pred\n1,2,3,a,a\n2,3,4,b,a\n3,4,5,a,b\n";
   Classes cl;
   Table ref, cur;
   Ingest rin, in;
   Classes_init(&cl);
   if (!Table_init(&ref, &cl, false) || !Table_init(&cur, &cl, false))
      return 0;
   Ingest_init(&rin, &ref, DS_FORMAT_CSV, "ref");
   Ingest_feed(&rin, reference, sizeof reference - 1);
   Ingest_finish(&rin);
   Ingest_init(&in, &cur, FUZZ_FORMAT, "fuzz");
   size_t cut = size ? data[0] % (size + 1) : 0;
   Ingest_feed(&in, (const char *)data, cut);
   Ingest_feed(&in, (const char *)data + cut, size - cut);
   Ingest_finish(&in);
   AnalysisOptions opt;
   AnalysisOptions_default(&opt);
   opt.window = 2;
   Analysis a;
   if (!Analysis_run(&a, &ref, &cur, &opt, NULL) && cur.nrows < 1000)
      __builtin_trap(); /* only memory exhaustion may fail, and this is tiny */
   Analysis_done(&a);
   Ingest_done(&in);
   Ingest_done(&rin);
   Table_done(&cur);
   Table_done(&ref);
   Classes_done(&cl);
   return 0;
}
