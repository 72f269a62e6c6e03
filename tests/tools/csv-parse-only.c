// SPDX-License-Identifier: MIT
/* csv-parse-only: the benchmark's baseline — libcsv parsing a file and
 * nothing else (field and row callbacks only count), read in the same
 * 256 KiB chunks driftscope reads. Prints "rows seconds". */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (256 * 1024)

typedef struct Counts {
   unsigned long fields, rows;
} Counts;

static void on_field(void *s, size_t len, void *data) {
   (void)s;
   (void)len;
   ((Counts *)data)->fields++;
}

static void on_row(int c, void *data) {
   (void)c;
   ((Counts *)data)->rows++;
}

int main(int argc, char **argv) {
   if (argc != 2) {
      fprintf(stderr, "usage: %s FILE\n", argv[0]);
      return 2;
   }
   struct timespec t0, t1;
   clock_gettime(CLOCK_MONOTONIC, &t0);
   int fd = open(argv[1], O_RDONLY);
   struct csv_parser p;
   char *buf = malloc(CHUNK);
   if (fd < 0 || !buf || csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0) {
      perror(argv[1]);
      return 1;
   }
   Counts c = {0, 0};
   ssize_t n;
   while ((n = read(fd, buf, CHUNK)) > 0)
      if (csv_parse(&p, buf, (size_t)n, on_field, on_row, &c) != (size_t)n) {
         fprintf(stderr, "%s: %s\n", argv[1], csv_strerror(csv_error(&p)));
         return 1;
      }
   csv_fini(&p, on_field, on_row, &c);
   clock_gettime(CLOCK_MONOTONIC, &t1);
   csv_free(&p);
   free(buf);
   close(fd);
   double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
   printf("%lu %.6f\n", c.rows - 1, s); /* data rows: the header is not one */
   return 0;
}
