// SPDX-License-Identifier: MIT
/* libFuzzer harness for test suite files (--tests): any bytes are parsed
 * as a suite and, when one parses, run on a small report and its
 * reference; nothing may crash, leak or read out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "driftscope/suite.h"

static const char report[] =
   "{\"status\": \"drift\", \"problems\": [], \"input\": {\"rows\": 10}, \"list\": [1, 2],"
   " \"columns\": {\"x\": {\"kind\": \"numeric\", \"role\": \"feature\", \"reference_column\": \"x\", \"scored\": true,"
   " \"drifted\": true, \"quality\": {\"missing_share\": 0.1, \"out_of_range_share\": 0, \"mean\": 2, \"stuck\": "
   "false}},"
   " \"p\": {\"kind\": \"categorical\", \"role\": \"prediction\", \"reference_column\": \"p\", \"scored\": true,"
   " \"drifted\": false, \"quality\": {\"missing_share\": 0, \"mean\": null, \"new_categories\": []}}},"
   " \"dataset\": {\"share\": 1, \"drift_share_threshold\": 0.5}, \"data_quality\": {\"duplicated_share\": 0},"
   " \"classification\": {\"accuracy\": 0.5, \"confusion\": [[1, 2], [3, 4]]}}";
static const char reference[] = "{\"input\": {\"rows\": 8}, \"columns\": {\"x\": {\"quality\": {\"mean\": 1.9,"
                                " \"missing_share\": 0}}}, \"data_quality\": {\"duplicated_share\": 0}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
   char *text = malloc(size + 1);
   if (!text)
      return 0;
   memcpy(text, data, size);
   text[size] = '\0';
   Suite s;
   Suite_init(&s);
   char err[400];
   if (Suite_parse(&s, text, err, sizeof err)) {
      SuiteResults r;
      if (Suite_run(&s, report, reference, &r)) {
         StrBuf b;
         StrBuf_init(&b);
         ds_junit(&b, &r, "fuzz", "2026-01-01T00:00:00", 0);
         ds_suite_json(&b, &r, "fuzz");
         StrBuf_done(&b);
      }
      SuiteResults_done(&r);
   }
   Suite_done(&s);
   free(text);
   return 0;
}
