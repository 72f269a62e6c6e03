// SPDX-License-Identifier: MIT
/* Drift in one line: see ds_explain in analysis.h. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "driftscope/analysis.h"
#include "driftscope/clock.h"
#include "driftscope/strbuf.h"

/* The test's figure: "KS p 2.0e-24", "Wasserstein 0.83". */
static void statistic(char *out, size_t n, const ColumnDrift *d) {
   const char *l = ds_drift_methods[d->method].label;
   snprintf(out, n, ds_drift_methods[d->method].p_value ? "%s %.2g" : "%s %.3g", l, d->score);
}

/* " since 0:00:41.0 (record 4,100 ± 16)" where column c left the
 * reference, as far as the records consumed so far tell (a dashboard's:
 * up to its cursor); "" when no onset is found. */
static void since_text(char *out, size_t n, const ColumnReport *c, bool ascii) {
   ChangePoint cp;
   out[0] = '\0';
   if (!c->track)
      return;
   ChangeTrack_onset(c->track, &cp);
   if (!cp.found)
      return;
   size_t u = cp.record - cp.record_lo > cp.record_hi - cp.record ? cp.record - cp.record_lo : cp.record_hi - cp.record;
   char t[32], rec[32], uu[32];
   ds_thousands(rec, sizeof rec, cp.record);
   ds_thousands(uu, sizeof uu, u);
   if (isnan(cp.since_ms)) {
      snprintf(out, n, " since record %s %s %s", rec, ascii ? "+-" : "±", uu);
   } else {
      ds_fmt_hms(t, sizeof t, cp.since_ms);
      snprintf(out, n, " since %s (record %s %s %s)", t, rec, ascii ? "+-" : "±", uu);
   }
}

/* The prediction mix's drift: since when, the class that gained most and the one that lost most. */
static bool explain_mix(char *buf, size_t n, const Analysis *a, const Classes *cl, bool ascii) {
   for (int i = 0; i < a->ncols; i++) {
      const ColumnReport *c = &a->cols[i];
      if (c->role != ROLE_PRED || c->kind != KIND_CATEGORICAL || ColumnReport_why_not(c) || !c->drift.drifted)
         continue;
      const char *arrow = ascii ? "->" : "→";
      char how[200] = "", stat[48];
      size_t k = 0;
      if (c->gained >= 0 && c->gained < cl->n)
         k += (size_t)snprintf(how, sizeof how, "%s %.0f%% %s %.0f%%", cl->name[c->gained], 100 * c->gained_ref, arrow,
                               100 * c->gained_cur);
      if (c->lost >= 0 && c->lost < cl->n && k < sizeof how)
         snprintf(how + k, sizeof how - k, "%s%s %.0f%% %s %.0f%%", k ? ", " : "", cl->name[c->lost], 100 * c->lost_ref,
                  arrow, 100 * c->lost_cur);
      statistic(stat, sizeof stat, &c->drift);
      char since[160];
      since_text(since, sizeof since, c, ascii);
      if (a->models)
         snprintf(buf, n, "the prediction mix of %s drifted%s%s%s; %s", c->name, since, how[0] ? ": " : "", how, stat);
      else
         snprintf(buf, n, "the prediction mix drifted%s%s%s; %s", since, how[0] ? ": " : "", how, stat);
      return true;
   }
   return false;
}

bool ds_explain(char *buf, size_t n, const Analysis *a, const Classes *classes, bool ascii) {
   buf[0] = '\0';
   int i = Analysis_top_feature(a);
   if (i < 0 || !a->cols[i].drift.drifted)
      return explain_mix(buf, n, a, classes, ascii);
   const ColumnReport *c = &a->cols[i];
   const char *sigma = ascii ? "sd" : "σ";
   char since[160], how[160] = "", stat[48];
   since_text(since, sizeof since, c, ascii);
   size_t k = 0;
   if (c->kind == KIND_NUMERIC && !isnan(c->cur_mean) && !isnan(c->ref_mean)) {
      k += (size_t)snprintf(how, sizeof how, ": mean %+.3g", c->cur_mean - c->ref_mean);
      if (!isnan(c->mean_shift_sigma) && k < sizeof how)
         k += (size_t)snprintf(how + k, sizeof how - k, " (%+.1f%s)", c->mean_shift_sigma, sigma);
      if (!isnan(c->std_ratio) && (c->std_ratio > 1.25 || c->std_ratio < 0.8) && k < sizeof how)
         k += (size_t)snprintf(how + k, sizeof how - k, ", spread x%.2f", c->std_ratio);
      if (c->out_of_range_share > 0 && k < sizeof how)
         k += (size_t)snprintf(how + k, sizeof how - k, ", %.0f%% outside the reference range",
                               100 * c->out_of_range_share);
   }
   statistic(stat, sizeof stat, &c->drift);
   snprintf(buf, n, "%s drifted%s%s; %s", c->name, since, how, stat);
   return true;
}
