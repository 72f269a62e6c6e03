// SPDX-License-Identifier: MIT
/* gen-bench: the benchmark's input files (untimed).
 *
 *   gen-bench OUT_DIR [REF_ROWS [SESSION_ROWS]]
 *   gen-bench --formats OUT_DIR ROWS
 *
 * The second form writes the same records (features, scores, prediction)
 * as JSON Lines (session.jsonl, ArduinoJson-style) and as Edge Impulse
 * output in the first generation's form (ei-old.log: "Predictions (...)")
 * and the SDK's today (ei-sdk.log: "Timing:", "Classification
 * predictions:", "Anomaly prediction:"), for the parsers' throughput.
 *
 * Writes OUT_DIR/ref.csv (100,000 rows) and OUT_DIR/session.csv (1,000,000
 * rows): 8 float features (normal, exponential, uniform, gamma, as
 * ../shared/bench/py_peer_bench.py draws them; the odd columns shift by half a
 * standard deviation in the second half of the session), 4 class scores, a
 * prediction and the truth; about 130 bytes a row. Deterministic
 * (xorshift64*), so every run times the same bytes. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NFEAT 8
#define NCLASS 4

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static double uniform01(void) {
   rng_state ^= rng_state >> 12;
   rng_state ^= rng_state << 25;
   rng_state ^= rng_state >> 27;
   return (double)((rng_state * 2685821657736338717ULL) >> 11) * 0x1p-53;
}

static double normal(void) {
   double u = uniform01(), v = uniform01();
   return sqrt(-2.0 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

/* gamma(k = 2, θ) as the sum of two exponentials */
static double sample(int j) {
   switch (j % 4) {
   case 0: return normal();
   case 1: return -2.0 * log(1 - uniform01());
   case 2: return -3 + 6 * uniform01();
   default: return -1.5 * (log(1 - uniform01()) + log(1 - uniform01()));
   }
}

static const double feature_std[4] = {1.0, 2.0, 1.7320508075688772, 2.1213203435596424};
static const char *const classes[NCLASS] = {"idle", "walk", "run", "fall"};

static void write_file(const char *path, long rows, int drift) {
   FILE *f = fopen(path, "w");
   if (!f) {
      perror(path);
      exit(1);
   }
   fprintf(f, "f0,f1,f2,f3,f4,f5,f6,f7,score_idle,score_walk,score_run,score_fall,pred,label\n");
   for (long r = 0; r < rows; r++) {
      for (int j = 0; j < NFEAT; j++) {
         double v = sample(j);
         if (drift && j % 2 == 1 && r >= rows / 2)
            v += 0.5 * feature_std[j % 4];
         fprintf(f, "%.6f,", v);
      }
      double s[NCLASS], sum = 0;
      int best = 0;
      for (int c = 0; c < NCLASS; c++) {
         s[c] = uniform01() + (c == 0 ? 0.5 : 0);
         sum += s[c];
      }
      for (int c = 0; c < NCLASS; c++) {
         s[c] /= sum;
         fprintf(f, "%.4f,", s[c]);
         if (s[c] > s[best])
            best = c;
      }
      int truth = uniform01() < 0.8 ? best : (int)(uniform01() * NCLASS);
      fprintf(f, "%s,%s\n", classes[best], classes[truth]);
   }
   if (fclose(f) != 0) {
      perror(path);
      exit(1);
   }
}

static FILE *open_out(const char *dir, const char *name) {
   char path[4096];
   snprintf(path, sizeof path, "%s/%s", dir, name);
   FILE *f = fopen(path, "w");
   if (!f) {
      perror(path);
      exit(1);
   }
   return f;
}

/* One record in the three forms. */
static void write_formats(FILE *json, FILE *old, FILE *sdk, long r) {
   double f[NFEAT], s[NCLASS], sum = 0;
   int best = 0;
   for (int j = 0; j < NFEAT; j++)
      f[j] = sample(j);
   for (int c = 0; c < NCLASS; c++)
      sum += s[c] = uniform01() + (c == 0 ? 0.5 : 0);
   for (int c = 0; c < NCLASS; c++)
      if ((s[c] /= sum) > s[best])
         best = c;
   double anomaly = normal() * 0.3;
   fprintf(json, "{\"t\":%ld", r * 10);
   for (int j = 0; j < NFEAT; j++)
      fprintf(json, ",\"f%d\":%.6f", j, f[j]);
   for (int c = 0; c < NCLASS; c++)
      fprintf(json, ",\"score_%s\":%.5f", classes[c], s[c]);
   fprintf(json, ",\"pred\":\"%s\"}\n", classes[best]);
   fprintf(old, "Predictions (DSP: %ld ms., Classification: 1 ms., Anomaly: 0 ms.): \n", 10 + r % 3);
   for (int c = 0; c < NCLASS; c++)
      fprintf(old, "    %s: %.5f\n", classes[c], s[c]);
   fprintf(old, "    anomaly score: %.3f\n\n", anomaly);
   fprintf(sdk, "Timing: DSP %ld ms, inference 812 us, anomaly 0 ms\r\nClassification predictions:\r\n", 10 + r % 3);
   for (int c = 0; c < NCLASS; c++)
      fprintf(sdk, "  %s: %.5f\r\n", classes[c], s[c]);
   fprintf(sdk, "Anomaly prediction: %.5f\r\n", anomaly);
}

static int formats(const char *dir, long rows) {
   FILE *json = open_out(dir, "session.jsonl"), *old = open_out(dir, "ei-old.log"), *sdk = open_out(dir, "ei-sdk.log");
   for (long r = 0; r < rows; r++)
      write_formats(json, old, sdk, r);
   if (fclose(json) || fclose(old) || fclose(sdk)) {
      perror(dir);
      return 1;
   }
   return 0;
}

int main(int argc, char **argv) {
   if (argc == 4 && !strcmp(argv[1], "--formats"))
      return formats(argv[2], atol(argv[3]));
   if (argc < 2) {
      fprintf(stderr, "usage: %s OUT_DIR [REF_ROWS [SESSION_ROWS]]\n", argv[0]);
      return 2;
   }
   long nref = argc > 2 ? atol(argv[2]) : 100000, nses = argc > 3 ? atol(argv[3]) : 1000000;
   char path[4096];
   snprintf(path, sizeof path, "%s/ref.csv", argv[1]);
   write_file(path, nref, 0);
   snprintf(path, sizeof path, "%s/session.csv", argv[1]);
   write_file(path, nses, 1);
   return 0;
}
