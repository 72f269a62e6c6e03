// SPDX-License-Identifier: MIT
/* The board bar (several boards in one dashboard): a row under the header
 * with each board's number, name, state (LIVE, DISCONNECTED, ENDED),
 * records a second and verdict, side by side; the board the views show
 * stands out. Each cell says as much as its width allows: the rate goes
 * first, then the state's and verdict's long words, then the name is
 * shortened in the middle. */
#include <stdio.h>
#include <string.h>

#include "ui.h"
#include "widgets.h"

/* The verdict: long ("DRIFT 64%") or short ("DRIFT"), and its colour. */
static ColorRole verdict(const BoardInfo *b, bool lng, char *out, size_t n) {
   if (!b->compared) {
      snprintf(out, n, "%s", lng ? "no verdict" : "-");
      return ROLE_C_DIM;
   }
   if (b->warming) {
      snprintf(out, n, "%s", lng ? "warming up" : "warm");
      return ROLE_C_DIM;
   }
   if (lng)
      snprintf(out, n, "%s %.0f%%", b->drift ? "DRIFT" : "ok", 100 * b->share);
   else
      snprintf(out, n, "%s", b->drift ? "DRIFT" : "ok");
   return b->drift ? ROLE_C_ALERT : ROLE_C_OK;
}

static const char *state(const BoardInfo *b, bool lng) {
   if (b->ended)
      return lng ? "ENDED" : "END";
   if (!b->connected)
      return lng ? "DISCONNECTED" : "DISC";
   return lng ? "LIVE" : "";
}

/* Board i in [x, x + w). */
static void cell(App *app, int y, int x, int w, int i) {
   const BoardInfo *b = &app->boards[i];
   char num[16], rate[32], v[32], name[64];
   snprintf(num, sizeof num, "%d ", i + 1);
   snprintf(rate, sizeof rate, "%.0f/s", b->rate);
   for (int level = 0; level < 4; level++) {
      bool lng = level < 2, with_rate = level == 0;
      ColorRole vr = verdict(b, lng, v, sizeof v);
      const char *st = state(b, lng);
      int fixed =
             ds_cells(num) + (st[0] ? ds_cells(st) + 1 : 0) + (with_rate ? ds_cells(rate) + 1 : 0) + 1 + ds_cells(v),
          room = w - 1 - fixed; /* a blank between cells */
      if (level < 3 && ds_cells(b->name) > room)
         continue;
      if (room < 1)
         return; /* not even a letter of the name: the number and verdict would mislead */
      ds_ellipsize(name, sizeof name, b->name, room, app->g->ellipsis);
      bool shown = i == app->shown_board;
      int cx = x;
      ui_put_clip(app, y, cx, w, shown ? ROLE_C_SELECTION : ROLE_C_DIM, num);
      cx += ds_cells(num);
      ui_put_clip(app, y, cx, ds_cells(name), shown ? ROLE_C_SELECTION : ROLE_C_TITLE, name);
      cx += ds_cells(name) + 1;
      if (st[0]) {
         ui_put_clip(app, y, cx, ds_cells(st), b->connected && !b->ended ? ROLE_C_OK : ROLE_C_WARN, st);
         cx += ds_cells(st) + 1;
      }
      if (with_rate) {
         ui_put_clip(app, y, cx, ds_cells(rate), ROLE_C_DIM, rate);
         cx += ds_cells(rate) + 1;
      }
      ui_put_clip(app, y, cx, ds_cells(v), vr, v);
      return;
   }
}

void ui_draw_board_bar(App *app, int y) {
   int n = app->nboards, w = app->cols / n;
   for (int i = 0; i < n; i++)
      cell(app, y, i * w, i == n - 1 ? app->cols - i * w : w, i);
}
