// SPDX-License-Identifier: MIT
/* Champion vs challenger: see models.h. */
#include "driftscope/models.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "driftscope/strbuf.h"

/* The column of model (-1: the stream's own) with role whose name is
 * one of names, alone or with "_<model>". */
static int model_column(const Table *t, int model, ColumnRole role, const char *const *names) {
   for (int i = 0; i < t->ncols; i++) {
      const Column *c = t->cols[i];
      if (c->role != role || c->model != model || !c->stored)
         continue;
      for (const char *const *n = names; *n; n++) {
         size_t k = strlen(*n);
         if (strncasecmp(c->name, *n, k) == 0 && (c->name[k] == '\0' || (model >= 0 && c->name[k] == '_')))
            return i;
      }
   }
   return -1;
}

/* The columns of model m of the figures, as the table has them now (a
 * derived confidence appears with the first record's scores). */
static void find_columns(ModelFigures *f, const Table *t, int model) {
   static const char *const latency[] = {"inference_ms", "latency_ms", NULL};
   f->pred_col = Table_model_column(t, model, ROLE_PRED);
   f->conf_col = Table_model_column(t, model, ROLE_CONFIDENCE);
   f->latency_col = model_column(t, model, ROLE_TELEMETRY, latency);
}

Models *Models_new(const Table *cur, bool *oom) {
   *oom = false;
   if (cur->pred_col < 0 || cur->nmodels == 0)
      return NULL;
   int order[DS_MAX_MODELS + 1], n = 0, champion = cur->cols[cur->pred_col]->model;
   order[n++] = champion;
   for (int m = -1; m < cur->nmodels; m++) {
      if (m != champion && Table_model_column(cur, m, ROLE_PRED) >= 0)
         order[n++] = m;
   }
   if (n < 2)
      return NULL;
   Models *ms = calloc(1, sizeof *ms);
   if (!ms) {
      *oom = true;
      return NULL;
   }
   ms->n = n;
   for (int i = 0; i < n; i++) {
      ModelFigures *f = &ms->m[i];
      find_columns(f, cur, order[i]);
      ds_copy_name(f->name, order[i] >= 0 ? cur->model[order[i]] : cur->cols[f->pred_col]->name);
      f->model = order[i];
      if (cur->cols[f->pred_col]->kind == KIND_NUMERIC)
         ms->regression = true;
      if (!(f->confusion = malloc(sizeof *f->confusion))) {
         Models_free(ms);
         *oom = true;
         return NULL;
      }
   }
   for (int i = 0; i + 1 < n; i++) {
      ms->pair[i].champion = 0;
      ms->pair[i].challenger = i + 1;
   }
   Models_clear(ms);
   return ms;
}

void Models_free(Models *ms) {
   if (!ms)
      return;
   for (int i = 0; i < ms->n; i++)
      free(ms->m[i].confusion);
   free(ms);
}

void Models_clear(Models *ms) {
   for (int i = 0; i < ms->n; i++) {
      ModelFigures *f = &ms->m[i];
      Confusion_clear(f->confusion);
      f->predicted = f->labelled = f->latency_n = f->conf_n = 0;
      f->latency_sum = f->conf_sum = 0;
      f->accuracy = f->macro_f1 = f->latency_ms = f->confidence = NAN;
   }
   for (int i = 0; i + 1 < ms->n; i++) {
      ModelPair *p = &ms->pair[i];
      int a = p->champion, b = p->challenger;
      memset(p, 0, sizeof *p);
      p->champion = a;
      p->challenger = b;
      p->agreement = p->kappa = p->statistic = p->p_value = NAN;
      p->better = -1;
   }
}

Models *Models_clone(const Models *src) {
   Models *ms = calloc(1, sizeof *ms);
   if (!ms)
      return NULL;
   ms->n = src->n;
   for (int i = 0; i < src->n; i++)
      if (!(ms->m[i].confusion = malloc(sizeof *ms->m[i].confusion))) {
         Models_free(ms);
         return NULL;
      }
   Models_copy(ms, src);
   return ms;
}

bool Models_same(const Models *a, const Models *b) {
   if (a->n != b->n)
      return false;
   for (int i = 0; i < a->n; i++)
      if (strcmp(a->m[i].name, b->m[i].name) != 0)
         return false;
   return true;
}

void Models_copy(Models *dst, const Models *src) {
   Confusion *keep[DS_MAX_MODELS + 1];
   for (int i = 0; i < dst->n; i++)
      keep[i] = dst->m[i].confusion;
   int n = dst->n;
   *dst = *src;
   for (int i = 0; i < n; i++) {
      dst->m[i].confusion = keep[i];
      *keep[i] = *src->m[i].confusion;
   }
}

static bool is_class(double v) {
   return !isnan(v) && v >= 0 && v < DS_MAX_CLASSES;
}

static void pair_consume(ModelPair *p, double a, double b, double truth) {
   if (!is_class(a) || !is_class(b))
      return;
   p->both++;
   p->agree += a == b;
   p->count_a[(int)a]++;
   p->count_b[(int)b]++;
   if (!is_class(truth))
      return;
   bool ra = a == truth, rb = b == truth;
   p->labelled++;
   p->a_right += ra;
   p->b_right += rb;
   p->a_only += ra && !rb;
   p->b_only += rb && !ra;
}

void Models_consume(Models *ms, const Table *cur, size_t from, size_t upto) {
   if (ms->regression)
      return;
   for (int i = 0; i < ms->n; i++)
      find_columns(&ms->m[i], cur, ms->m[i].model);
   double pred[DS_MAX_MODELS + 1];
   for (size_t r = from; r < upto; r++) {
      double truth = Table_value(cur, cur->truth_col, r);
      for (int i = 0; i < ms->n; i++) {
         ModelFigures *f = &ms->m[i];
         double p = pred[i] = Table_value(cur, f->pred_col, r);
         double c = Table_value(cur, f->conf_col, r), l = Table_value(cur, f->latency_col, r);
         if (is_class(p)) {
            f->predicted++;
            if (is_class(truth)) {
               f->labelled++;
               Confusion_add(f->confusion, (int)truth, (int)p);
            }
         }
         if (isfinite(c)) {
            f->conf_sum += c;
            f->conf_n++;
         }
         if (isfinite(l)) {
            f->latency_sum += l;
            f->latency_n++;
         }
      }
      for (int i = 0; i + 1 < ms->n; i++)
         pair_consume(&ms->pair[i], pred[0], pred[i + 1], truth);
   }
}

double ds_mcnemar(long b, long c, double *statistic, bool *exact) {
   long n = b + c, k = b < c ? b : c;
   if (n < DS_MCNEMAR_EXACT_BELOW) {
      /* two-sided binomial test at 1/2: twice the lower tail, at most 1 */
      double tail = 0, term = ldexp(1.0, (int)-n); /* C(n, 0) / 2^n */
      for (long i = 0; i <= k; i++) {
         tail += term;
         term = term * (double)(n - i) / (double)(i + 1);
      }
      *exact = true;
      *statistic = (double)k;
      return fmin(1.0, 2 * tail);
   }
   double d = fabs((double)(b - c)) - 1;
   *exact = false;
   *statistic = d * d / (double)n;
   return erfc(sqrt(*statistic / 2)); /* the chi-square's survival function, 1 degree of freedom */
}

void Models_conclude(Models *ms, int nclasses) {
   for (int i = 0; i < ms->n; i++) {
      ModelFigures *f = &ms->m[i];
      if (f->labelled) {
         f->accuracy = Confusion_accuracy(f->confusion);
         f->macro_f1 = Confusion_macro_f1(f->confusion, nclasses);
      }
      f->latency_ms = f->latency_n ? f->latency_sum / (double)f->latency_n : NAN;
      f->confidence = f->conf_n ? f->conf_sum / (double)f->conf_n : NAN;
   }
   for (int i = 0; i + 1 < ms->n; i++) {
      ModelPair *p = &ms->pair[i];
      p->better = -1;
      if (p->both) {
         /* Cohen's kappa as scikit-learn: (po - pe) / (1 - pe), pe from the two models' class shares */
         double n = (double)p->both, po = (double)p->agree / n, pe = 0;
         for (int k = 0; k < DS_MAX_CLASSES; k++)
            pe += (double)p->count_a[k] * (double)p->count_b[k];
         pe /= n * n;
         p->agreement = po;
         p->kappa = pe < 1 ? (po - pe) / (1 - pe) : NAN;
      }
      if (p->labelled) {
         p->p_value = ds_mcnemar(p->a_only, p->b_only, &p->statistic, &p->exact);
         if (p->p_value < DS_MODELS_ALPHA)
            p->better = p->a_only > p->b_only ? p->champion : p->challenger;
      }
   }
}

bool Models_line(char *buf, size_t n, const Models *ms, int pair) {
   if (!ms || pair < 0 || pair + 1 >= ms->n) {
      if (n)
         buf[0] = '\0';
      return false;
   }
   const ModelPair *p = &ms->pair[pair];
   const char *a = ms->m[p->champion].name, *b = ms->m[p->challenger].name;
   char both[32], lab[32];
   ds_thousands(both, sizeof both, (size_t)p->both);
   ds_thousands(lab, sizeof lab, (size_t)p->labelled);
   if (ms->regression) {
      snprintf(buf, n, "%s and %s not compared: their predictions are numbers (regression)", a, b);
   } else if (!p->both) {
      snprintf(buf, n, "%s and %s: no record has both predictions yet", a, b);
   } else if (!p->labelled) {
      snprintf(buf, n, "%s and %s agree on %.1f%% of %s records (kappa %.2f); no ground truth says which is better", a,
               b, 100 * p->agreement, both, p->kappa);
   } else {
      double ra = (double)p->a_right / (double)p->labelled, rb = (double)p->b_right / (double)p->labelled;
      const char *test = p->exact ? "exact binomial" : "chi-square";
      if (p->better >= 0) {
         bool champ = p->better == p->champion;
         snprintf(buf, n,
                  "%s is better than %s: accuracy %.3f against %.3f on %s labelled records; McNemar p = %.2g (%s)",
                  champ ? a : b, champ ? b : a, champ ? ra : rb, champ ? rb : ra, lab, p->p_value, test);
      } else {
         snprintf(buf, n,
                  "no significant difference between %s and %s: accuracy %.3f against %.3f on %s labelled records; "
                  "McNemar p = %.2g (%s)",
                  a, b, ra, rb, lab, p->p_value, test);
      }
   }
   return true;
}
