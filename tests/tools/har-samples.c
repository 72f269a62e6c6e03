// SPDX-License-Identifier: MIT
/* har-samples: build driftscope's bundled samples from the sp-sw-har
 * recordings (Matey-Sanz, Casteleyn & Granell 2023, CC-BY-4.0).
 *
 *   har-samples DATA_DIR OUT_DIR
 *
 * Deterministic: the same input always gives byte-identical files.
 * Each smartphone recording (about 100 Hz, accelerometer in m/s²) is cut into
 * 2 s windows every 1 s (by its own timestamps). Per window: mean, std,
 * min and max of each accelerometer axis and the mean and std of the
 * magnitude (14 features), and the majority label. A nearest-centroid
 * classifier on z-scored features is trained on the reference windows
 * (subject s03, executions 01-07); its class scores are a softmax of the
 * negative distances, printed with 5 decimals, and the prediction is their
 * argmax. Outputs:
 *   har-reference.csv       s03 executions 01-07
 *   har-session.csv         s03 08-10, then s10 01-10, then s16 01-10
 *   har-session.ei.log      the same session as Edge Impulse firmware prints it
 *   har-raw.plotter.txt     raw IMU samples of s03 execution 08, plotter format */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 20000 /* one recording: about 1,000-1,500 rows */
#define MAX_WINDOWS 4096
#define NFEAT 14
#define NCLASS 5
#define WINDOW_MS 2000
#define HOP_MS 1000
#define GAP_MS 3000 /* pause between recordings in the session's time axis */

static const char *const class_names[NCLASS] = {"SEATED", "STANDING_UP", "WALKING", "TURNING", "SITTING_DOWN"};
static const char *const feat_names[NFEAT] = {
   "ax_mean", "ax_std",  "ax_min", "ax_max", "ay_mean", "ay_std",   "ay_min",
   "ay_max",  "az_mean", "az_std", "az_min", "az_max",  "mag_mean", "mag_std",
};

typedef struct Row {
   double acc[3], gyro[3];
   long long ts;
   int label;
} Row;

typedef struct Window {
   double f[NFEAT];
   int label;
   long long t_ms; /* end of window, session time */
} Window;

static Row rows[MAX_ROWS];

static int class_of(const char *s) {
   for (int i = 0; i < NCLASS; i++)
      if (strcmp(s, class_names[i]) == 0)
         return i;
   return -1;
}

/* Return the number of rows read from one recording, or -1. */
static int read_recording(const char *path) {
   FILE *f = fopen(path, "r");
   if (!f) {
      perror(path);
      return -1;
   }
   char line[512];
   int n = 0;
   if (!fgets(line, sizeof line, f)) {
      fclose(f);
      return -1;
   }
   while (n < MAX_ROWS && fgets(line, sizeof line, f)) {
      Row *r = &rows[n];
      char label[64];
      if (sscanf(line, "%lf,%lf,%lf,%lf,%lf,%lf,%lld,%63s", &r->acc[0], &r->acc[1], &r->acc[2], &r->gyro[0],
                 &r->gyro[1], &r->gyro[2], &r->ts, label) != 8 ||
          (r->label = class_of(label)) < 0) {
         fprintf(stderr, "%s: bad row %d\n", path, n + 2);
         fclose(f);
         return -1;
      }
      n++;
   }
   fclose(f);
   return n;
}

static void window_features(const Row *r, int n, Window *w) {
   int votes[NCLASS] = {0};
   for (int a = 0; a < 3; a++) {
      double s = 0, ss = 0, mn = INFINITY, mx = -INFINITY;
      for (int i = 0; i < n; i++) {
         double v = r[i].acc[a];
         s += v;
         mn = fmin(mn, v);
         mx = fmax(mx, v);
      }
      double mean = s / n;
      for (int i = 0; i < n; i++)
         ss += (r[i].acc[a] - mean) * (r[i].acc[a] - mean);
      w->f[a * 4 + 0] = mean;
      w->f[a * 4 + 1] = sqrt(ss / n);
      w->f[a * 4 + 2] = mn;
      w->f[a * 4 + 3] = mx;
   }
   double s = 0, ss = 0;
   for (int i = 0; i < n; i++)
      s += sqrt(r[i].acc[0] * r[i].acc[0] + r[i].acc[1] * r[i].acc[1] + r[i].acc[2] * r[i].acc[2]);
   double mean = s / n;
   for (int i = 0; i < n; i++) {
      double m = sqrt(r[i].acc[0] * r[i].acc[0] + r[i].acc[1] * r[i].acc[1] + r[i].acc[2] * r[i].acc[2]);
      ss += (m - mean) * (m - mean);
      votes[r[i].label]++;
   }
   w->f[12] = mean;
   w->f[13] = sqrt(ss / n);
   int best = 0;
   for (int c = 1; c < NCLASS; c++)
      if (votes[c] > votes[best])
         best = c;
   w->label = best;
   /* features are printed with 5 decimals: compute with what is printed */
   for (int k = 0; k < NFEAT; k++) {
      char buf[64];
      snprintf(buf, sizeof buf, "%.5f", w->f[k]);
      w->f[k] = strtod(buf, NULL);
   }
}

/* Append the windows of one recording; *clock is the session time at its start. */
static int window_recording(const char *path, Window *out, int nout, long long *clock) {
   int n = read_recording(path);
   if (n <= 0)
      return -1;
   long long t0 = rows[0].ts;
   int start = 0;
   for (long long ws = t0; ws + WINDOW_MS <= rows[n - 1].ts && nout < MAX_WINDOWS; ws += HOP_MS) {
      while (start < n && rows[start].ts < ws)
         start++;
      int end = start;
      while (end < n && rows[end].ts < ws + WINDOW_MS)
         end++;
      if (end - start < 10)
         continue;
      window_features(rows + start, end - start, &out[nout]);
      out[nout].t_ms = *clock + (ws - t0) + WINDOW_MS;
      nout++;
   }
   *clock += rows[n - 1].ts - t0 + GAP_MS;
   return nout;
}

typedef struct Model {
   double mean[NFEAT], std[NFEAT];
   double centroid[NCLASS][NFEAT];
} Model;

static void train(const Window *w, int n, Model *m) {
   for (int k = 0; k < NFEAT; k++) {
      double s = 0, ss = 0;
      for (int i = 0; i < n; i++)
         s += w[i].f[k];
      m->mean[k] = s / n;
      for (int i = 0; i < n; i++)
         ss += (w[i].f[k] - m->mean[k]) * (w[i].f[k] - m->mean[k]);
      m->std[k] = sqrt(ss / n);
      if (m->std[k] == 0)
         m->std[k] = 1;
   }
   int count[NCLASS] = {0};
   memset(m->centroid, 0, sizeof m->centroid);
   for (int i = 0; i < n; i++) {
      count[w[i].label]++;
      for (int k = 0; k < NFEAT; k++)
         m->centroid[w[i].label][k] += (w[i].f[k] - m->mean[k]) / m->std[k];
   }
   for (int c = 0; c < NCLASS; c++)
      for (int k = 0; k < NFEAT; k++)
         m->centroid[c][k] /= count[c] ? count[c] : 1;
}

/* Scores (rounded to 5 decimals as printed) and the argmax prediction. */
static int classify(const Model *m, const Window *w, double *score) {
   double d[NCLASS], dmin = INFINITY, sum = 0;
   for (int c = 0; c < NCLASS; c++) {
      double s = 0;
      for (int k = 0; k < NFEAT; k++) {
         double z = (w->f[k] - m->mean[k]) / m->std[k] - m->centroid[c][k];
         s += z * z;
      }
      d[c] = sqrt(s);
      dmin = fmin(dmin, d[c]);
   }
   for (int c = 0; c < NCLASS; c++)
      sum += exp(-(d[c] - dmin));
   int best = 0;
   for (int c = 0; c < NCLASS; c++) {
      char buf[32];
      snprintf(buf, sizeof buf, "%.5f", exp(-(d[c] - dmin)) / sum);
      score[c] = strtod(buf, NULL);
      if (score[c] > score[best])
         best = c;
   }
   return best;
}

static void write_csv(const char *path, const Model *m, const Window *w, int n) {
   FILE *f = fopen(path, "w");
   if (!f) {
      perror(path);
      exit(1);
   }
   fprintf(f, "time_ms");
   for (int k = 0; k < NFEAT; k++)
      fprintf(f, ",%s", feat_names[k]);
   for (int c = 0; c < NCLASS; c++)
      fprintf(f, ",score_%s", class_names[c]);
   fprintf(f, ",pred,label\n");
   for (int i = 0; i < n; i++) {
      double score[NCLASS];
      int p = classify(m, &w[i], score);
      fprintf(f, "%lld", w[i].t_ms);
      for (int k = 0; k < NFEAT; k++)
         fprintf(f, ",%.5f", w[i].f[k]);
      for (int c = 0; c < NCLASS; c++)
         fprintf(f, ",%.5f", score[c]);
      fprintf(f, ",%s,%s\n", class_names[p], class_names[w[i].label]);
   }
   fclose(f);
}

/* What the Edge Impulse Arduino examples print around each inference. */
static void write_ei(const char *path, const Model *m, const Window *w, int n) {
   FILE *f = fopen(path, "w");
   if (!f) {
      perror(path);
      exit(1);
   }
   fprintf(f,
           "Edge Impulse Inferencing Demo\nInferencing settings:\n\tInterval: 10.00 ms.\n\tFrame size: 600\n"
           "\tSample length: 2000 ms.\n\tNo. of classes: %d\n",
           NCLASS);
   for (int i = 0; i < n; i++) {
      double score[NCLASS];
      classify(m, &w[i], score);
      fprintf(f, "\nStarting inferencing in 2 seconds...\nSampling...\n");
      fprintf(f, "Predictions (DSP: 0 ms., Classification: 0 ms., Anomaly: 0 ms.): \n");
      for (int c = 0; c < NCLASS; c++)
         fprintf(f, "    %s: %.5f\n", class_names[c], score[c]);
   }
   fclose(f);
}

static void write_plotter(const char *dir, const char *out) {
   char path[1024];
   snprintf(path, sizeof path, "%s/s03/s03_08_sp.csv", dir);
   int n = read_recording(path);
   FILE *f = fopen(out, "w");
   if (n <= 0 || !f) {
      perror(out);
      exit(1);
   }
   for (int i = 0; i < n; i++)
      fprintf(f, "ax:%.4f,ay:%.4f,az:%.4f,gx:%.4f,gy:%.4f,gz:%.4f\n", rows[i].acc[0], rows[i].acc[1], rows[i].acc[2],
              rows[i].gyro[0], rows[i].gyro[1], rows[i].gyro[2]);
   fclose(f);
}

static int add(const char *dir, const char *subject, int from, int to, Window *w, int n, long long *clock) {
   for (int e = from; e <= to; e++) {
      char path[1024];
      snprintf(path, sizeof path, "%s/%s/%s_%02d_sp.csv", dir, subject, subject, e);
      n = window_recording(path, w, n, clock);
      if (n < 0)
         exit(1);
   }
   return n;
}

int main(int argc, char **argv) {
   if (argc != 3) {
      fprintf(stderr, "usage: %s DATA_DIR OUT_DIR\n", argv[0]);
      return 2;
   }
   static Window ref[MAX_WINDOWS], ses[MAX_WINDOWS];
   static Model model;
   char out[1024];
   long long clock = 0;
   int nref = add(argv[1], "s03", 1, 7, ref, 0, &clock);
   clock = 0;
   int nses = add(argv[1], "s03", 8, 10, ses, 0, &clock);
   nses = add(argv[1], "s10", 1, 10, ses, nses, &clock);
   nses = add(argv[1], "s16", 1, 10, ses, nses, &clock);
   train(ref, nref, &model);
   snprintf(out, sizeof out, "%s/har-reference.csv", argv[2]);
   write_csv(out, &model, ref, nref);
   snprintf(out, sizeof out, "%s/har-session.csv", argv[2]);
   write_csv(out, &model, ses, nses);
   snprintf(out, sizeof out, "%s/har-session.ei.log", argv[2]);
   write_ei(out, &model, ses, nses);
   snprintf(out, sizeof out, "%s/har-raw.plotter.txt", argv[2]);
   write_plotter(argv[1], out);
   fprintf(stderr, "har-samples: %d reference windows, %d session windows\n", nref, nses);
   return 0;
}
