// SPDX-License-Identifier: MIT
/* libFuzzer harness for one parser, chosen at build time with
 * -DFUZZ_FORMAT=DS_FORMAT_CSV (or _NUMERIC, _EI, _PLOTTER, _JSON, _AUTO for
 * the detector). The input is fed in two pieces split at its first byte's
 * value, with a broken stream between them when the second byte is odd (a
 * pulled cable), so the line splitter's carry-over and the parsers' cut
 * records are fuzzed too; the first byte's low bit gives the headerless
 * names and --classes. Every record then goes through an Analysis against
 * a fixed reference, the assessment and the three reports, so hostile
 * tables reach the statistics and the writers. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "driftscope/analysis.h"
#include "driftscope/assess.h"
#include "driftscope/ingest.h"
#include "driftscope/report.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT DS_FORMAT_AUTO
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
   static const char reference[] = "f0,f1,x,label,pred\n1,2,3,a,a\n2,3,4,b,a\n3,4,5,a,b\n";
   static const char *const names[] = {"f0", "f1", "x"}, *const classes[] = {"a", "b", "c"};
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
   if (size && data[0] & 1) {
      in.names = names;
      in.nnames = 3;
      in.class_names = classes;
      in.nclass_names = 3;
   }
   size_t cut = size ? data[0] % (size + 1) : 0;
   Ingest_feed(&in, (const char *)data, cut);
   if (size > 1 && data[1] & 1)
      Ingest_break(&in, "the fuzzer");
   Ingest_feed(&in, (const char *)data + cut, size - cut);
   Ingest_finish(&in);
   AnalysisOptions opt;
   AnalysisOptions_default(&opt);
   opt.window = 2;
   Analysis a;
   if (!Analysis_run(&a, &ref, &cur, &opt, NULL) && cur.nrows < 1000)
      __builtin_trap(); /* only memory exhaustion may fail, and this is tiny */
   AssessLimits lim;
   AssessLimits_default(&lim);
   Assessment as;
   const Ingest *streams[] = {&in};
   ds_assess(&as, &a, &ref, &rin, streams, 1, &lim);
   ReportSource src = {"fuzz", &in};
   ReportContext ctx = {&a, &cur, &cl, "ref", &rin, &src, 1, "fuzz", &as};
   StrBuf b;
   StrBuf_init(&b);
   ds_report_json(&b, &ctx);
   ds_report_markdown(&b, &ctx);
   static const TextMarks marks = {"<bad>", "<good>", "<off>"};
   ds_report_text(&b, &ctx, &marks);
   StrBuf_done(&b);
   Analysis_done(&a);
   Ingest_done(&in);
   Ingest_done(&rin);
   Table_done(&cur);
   Table_done(&ref);
   Classes_done(&cl);
   return 0;
}
