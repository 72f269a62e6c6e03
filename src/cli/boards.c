// SPDX-License-Identifier: MIT
/* Several boards on the command line (the dashboard, `watch`): see
 * BoardArgs and RefFiles in cli.h. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

bool BoardArgs_add(BoardArgs *b, const char *name, const char *source) {
   if (b->n == b->max) {
      fprintf(stderr, "driftscope: at most %d boards%s\n", b->max,
              b->max < CLI_MAX_BOARDS ? " in one dashboard ('driftscope watch' takes more)" : "");
      return false;
   }
   b->names[b->n] = name;
   b->sources[b->n++] = source;
   return true;
}

bool BoardArgs_board(BoardArgs *b, const char *arg) {
   const char *port;
   char *name = b->name_buf[b->n < CLI_MAX_BOARDS ? b->n : 0];
   if (!cli_split_board(arg, name, sizeof b->name_buf[0], &port))
      return cli_bad_value("board", arg, "NAME=PORT (bench1=/dev/ttyACM0)");
   return BoardArgs_add(b, name, port);
}

bool BoardArgs_reference(BoardArgs *b, const char *arg) {
   if (b->nrefs == CLI_MAX_BOARDS)
      return cli_bad_value("reference", arg, "one reference per board");
   char *name = b->ref_buf[b->nrefs];
   const char *file;
   cli_split_reference(arg, name, sizeof b->ref_buf[0], &file);
   if (!name[0]) {
      b->reference = arg;
      return true;
   }
   b->ref_for[b->nrefs] = name;
   b->ref_path[b->nrefs++] = file;
   return true;
}

/* The board named name, -1: none. */
static int board_index(const BoardArgs *b, const char *name) {
   for (int i = 0; i < b->n; i++)
      if (b->names[i] && !strcmp(b->names[i], name))
         return i;
   return -1;
}

bool BoardArgs_check(BoardArgs *b, const char *one_name) {
   for (int i = 0; i < b->n; i++) {
      b->names[i] = cli_board_name(b->names[i] ? b->names[i] : b->n == 1 ? one_name : NULL, b->sources[i]);
      for (int j = 0; j < i; j++)
         if (!strcmp(b->names[i], b->names[j])) {
            fprintf(stderr, "driftscope: two boards are named %s: name them (--board NAME=%s)\n", b->names[i],
                    b->sources[i]);
            return false;
         }
   }
   for (int k = 0; k < b->nrefs; k++)
      if (board_index(b, b->ref_for[k]) < 0) {
         fprintf(stderr, "driftscope: -r %s=%s: no board is named %s (the boards:", b->ref_for[k], b->ref_path[k],
                 b->ref_for[k]);
         for (int i = 0; i < b->n; i++)
            fprintf(stderr, " %s", b->names[i]);
         fprintf(stderr, ")\n");
         return false;
      }
   return true;
}

const char *BoardArgs_reference_of(const BoardArgs *b, const char *name) {
   if (board_index(b, name) < 0)
      return NULL;
   for (int k = b->nrefs - 1; k >= 0; k--) /* the last one given wins */
      if (!strcmp(b->ref_for[k], name))
         return b->ref_path[k];
   return b->reference;
}

const Table *RefFiles_load(RefFiles *r, const char *path, Classes *cl, DsFormat format, ReadOptions *ro) {
   for (int i = 0; i < r->n; i++)
      if (!strcmp(r->path[i], path))
         return &r->t[i];
   if (r->n == CLI_MAX_BOARDS)
      return NULL;
   int i = r->n++;
   r->path[i] = path;
   if (!Table_init(&r->t[i], cl, false) || !RefCache_init(&r->cache[i], &r->t[i])) {
      fprintf(stderr, "driftscope: out of memory\n");
      return NULL;
   }
   if (!cli_load(path, &r->in[i], &r->t[i], format, ro, NULL))
      return NULL;
   if (r->t[i].nrows == 0) {
      fprintf(stderr, "driftscope: %s: no records in the reference\n", path);
      return NULL;
   }
   return &r->t[i];
}

RefCache *RefFiles_cache(RefFiles *r, const Table *t) {
   return t >= r->t && t < r->t + r->n ? &r->cache[t - r->t] : NULL;
}

const Ingest *RefFiles_ingest(const RefFiles *r, const Table *t) {
   return t >= r->t && t < r->t + r->n ? &r->in[t - r->t] : NULL;
}

void RefFiles_done(RefFiles *r) {
   for (int i = 0; i < r->n; i++) {
      RefCache_done(&r->cache[i]);
      Ingest_done(&r->in[i]);
      Table_done(&r->t[i]);
   }
   r->n = 0;
}
