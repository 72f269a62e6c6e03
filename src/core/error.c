// SPDX-License-Identifier: MIT
#include "driftscope/error.h"

#include <stdio.h>
#include <string.h>

void DsError_set(DsError *e, const char *file, long line, long column, const char *fmt, ...) {
   if (!e)
      return;
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(e->msg, sizeof e->msg, fmt, ap);
   va_end(ap);
   snprintf(e->file, sizeof e->file, "%s", file ? file : "");
   e->line = line;
   e->column = column;
}

void DsError_format(const DsError *e, char *out, unsigned long outsz) {
   if (e->file[0] && e->line > 0 && e->column > 0)
      snprintf(out, outsz, "%s:%ld:%ld: %s", e->file, e->line, e->column, e->msg);
   else if (e->file[0] && e->line > 0)
      snprintf(out, outsz, "%s:%ld: %s", e->file, e->line, e->msg);
   else if (e->file[0])
      snprintf(out, outsz, "%s: %s", e->file, e->msg);
   else
      snprintf(out, outsz, "%s", e->msg);
}
