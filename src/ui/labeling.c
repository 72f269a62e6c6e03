// SPDX-License-Identifier: MIT
/* Labelling from the dashboard (DESIGN §7): a selection on the timeline
 * cursor, the label picker, notes, delete, undo/redo, the segment list and
 * the export box. Operations go to the core's LabelStore, which gives each
 * its journal row; the command line's commit hook writes and fsyncs it and
 * makes the labels ground truth. Every key here works from any view; the
 * cursor is the Timeline's. */
#include <curses.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "driftscope/clock.h"
#include "driftscope/export.h"
#include "driftscope/stats.h"
#include "driftscope/suggest.h"
#include "ui.h"

#define TEN_S 10000.0

size_t ui_cursor_record(const App *app) {
   size_t end = app->m->cursor, base = app->m->cur->base;
   if (end <= base)
      return SIZE_MAX;
   size_t back = app->tl_back < end - base ? app->tl_back : end - base - 1;
   return end - 1 - back;
}

void ui_set_cursor(App *app, size_t r) {
   size_t end = app->m->cursor, base = app->m->cur->base;
   if (end > base)
      app->tl_back = end - 1 - (r < base ? base : r < end ? r : end - 1);
}

/* Stream time of record r (the replay's clock). */
static double t_of(const App *app, size_t r) {
   return r >= Replay_first(app->r) && r < app->r->n ? Replay_time(app->r, r) : 0;
}

static void now_text(char *buf, size_t n) {
   ds_wall_iso(buf, n);
}

static void say(App *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(App *app, const char *fmt, ...) {
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(app->status, sizeof app->status, fmt, ap);
   va_end(ap);
}

static bool can_change(App *app) {
   if (!app->labels.store) {
      say(app, "labelling is off");
      return false;
   }
   if (app->labels.readonly) {
      say(app, "%s", app->labels.readonly);
      return false;
   }
   return true;
}

/* Write an operation's row; say what happened. */
static void commit(App *app, StrBuf *row, const char *done) {
   char msg[256] = "";
   if (app->labels.commit(app->labels.ctx, row, msg, sizeof msg))
      say(app, "%s", done);
   else
      say(app, "%s", msg);
}

static const Segment *under_cursor(const App *app) {
   size_t r = ui_cursor_record(app);
   return r == SIZE_MAX || !app->labels.store ? NULL : LabelStore_at(app->labels.store, t_of(app, r));
}

/* The selection's records [*lo, *hi]; false without one. */
static bool selection(const App *app, size_t *lo, size_t *hi) {
   size_t r = ui_cursor_record(app);
   if (!app->selecting || r == SIZE_MAX)
      return false;
   *lo = app->sel_anchor < r ? app->sel_anchor : r;
   *hi = app->sel_anchor < r ? r : app->sel_anchor;
   if (*lo < Replay_first(app->r)) /* the records before are no longer held */
      *lo = Replay_first(app->r);
   return *lo <= *hi;
}

static void label_selection(App *app, const char *label) {
   size_t lo, hi;
   if (!selection(app, &lo, &hi) || !can_change(app))
      return;
   char when[40], done[160];
   now_text(when, sizeof when);
   StrBuf row;
   StrBuf_init(&row);
   long id = LabelStore_add(app->labels.store, t_of(app, lo), t_of(app, hi), label, "", when, &row);
   if (id) {
      snprintf(done, sizeof done, "segment %ld: records %zu-%zu labelled %.40s (a adds a note, u undoes)", id, lo, hi,
               label);
      commit(app, &row, done);
      app->selecting = false;
   } else {
      say(app, "could not label the selection (an empty name?)");
   }
   StrBuf_done(&row);
}

static void set_note(App *app, const char *note) {
   const Segment *g = LabelStore_find(app->labels.store, app->note_id);
   if (!g || !can_change(app))
      return;
   Segment s = *g;
   char when[40];
   now_text(when, sizeof when);
   StrBuf row;
   StrBuf_init(&row);
   if (LabelStore_edit(app->labels.store, s.id, s.start_ms, s.end_ms, s.label, note, when, &row))
      commit(app, &row, note[0] ? "note saved" : "note removed");
   StrBuf_done(&row);
}

static void delete_under_cursor(App *app) {
   const Segment *g = under_cursor(app);
   if (!g) {
      say(app, "no segment under the cursor");
      return;
   }
   if (!can_change(app))
      return;
   char when[40], done[120];
   now_text(when, sizeof when);
   snprintf(done, sizeof done, "segment %ld (%.40s) deleted; u brings it back", g->id, g->label);
   StrBuf row;
   StrBuf_init(&row);
   if (LabelStore_delete(app->labels.store, g->id, when, &row))
      commit(app, &row, done);
   StrBuf_done(&row);
}

static void undo_redo(App *app, bool redo) {
   if (!can_change(app))
      return;
   char when[40];
   now_text(when, sizeof when);
   StrBuf row;
   StrBuf_init(&row);
   if (redo ? LabelStore_redo(app->labels.store, when, &row) : LabelStore_undo(app->labels.store, when, &row))
      commit(app, &row, redo ? "redone" : "undone");
   else
      say(app, "nothing to %s", redo ? "redo" : "undo");
   StrBuf_done(&row);
}

/* Move the cursor by ms of stream time. */
static void move_time(App *app, double ms) {
   size_t r = ui_cursor_record(app);
   if (r == SIZE_MAX)
      return;
   double target = t_of(app, r) + ms;
   size_t to = ms < 0 ? Replay_lower(app->r, target) : Replay_upper(app->r, target);
   if (to > app->m->cursor)
      to = app->m->cursor;
   ui_set_cursor(app, ms > 0 && to > 0 ? to - 1 : to);
}

/* Show segment g: the replay goes to its end if it is not there yet. */
static void jump_to(App *app, const Segment *g) {
   size_t first, n = Replay_segment(app->r, g->start_ms, g->end_ms, &first);
   if (!n) {
      say(app, "that segment holds no record of this stream");
      return;
   }
   if (first + n > app->m->cursor) { /* the cursor goes there once the Monitor has moved */
      Replay_seek(app->r, Replay_time(app->r, first + n - 1) - app->r->pos);
      app->r->paused = true;
      app->pin = first;
      return;
   }
   ui_set_cursor(app, first);
}

/* n / N: the next (previous) suggestion in rank order, selected, so Enter
 * labels it. Over the records shown so far. */
static void suggestion(App *app, bool next) {
   size_t base = app->m->cur->base, n = app->m->cursor - base, count = 0;
   bool *labelled = calloc(n ? n : 1, sizeof *labelled);
   const LabelStore *ls = app->labels.store;
   for (size_t r = base; labelled && ls && r < base + n && r < app->r->n; r++)
      labelled[r - base] = LabelStore_at(ls, Replay_time(app->r, r)) != NULL;
   Suggestion *s = labelled ? ds_suggest(app->m->cur, &app->m->a, labelled, n, &count) : NULL;
   free(labelled);
   if (!s) {
      say(app, "out of memory");
      return;
   }
   if (!count) {
      say(app, "no suggestion: nothing disagrees, nothing under 0.6 confidence, no flapping, no drift");
      free(s);
      return;
   }
   app->sugg_at = next ? app->sugg_at % count + 1 : (app->sugg_at + count - 2) % count + 1;
   const Suggestion *g = &s[app->sugg_at - 1];
   ui_set_cursor(app, g->first);
   app->selecting = true;
   app->sel_anchor = g->first + g->count - 1;
   char what[64] = "";
   if (g->kind == SUGGEST_LOW_CONFIDENCE)
      snprintf(what, sizeof what, ", mean %.2f", g->value);
   else if (g->kind == SUGGEST_FLAPPING)
      snprintf(what, sizeof what, ", %.0f changes", g->value);
   else if (g->kind == SUGGEST_DRIFT)
      snprintf(what, sizeof what, ", share up to %.0f%%", 100 * g->value);
   say(app, "suggestion %zu of %zu: %s%s, records %zu-%zu (score %.1f); Enter labels it", app->sugg_at, count,
       ds_suggest_names[g->kind], what, g->first, g->first + g->count - 1, g->score);
   free(s);
}

/* --- modal boxes ------------------------------------------------------------ */

static int picker_items(const App *app) {
   return app->m->cur->classes->n + 1; /* the classes, then "new label" */
}

static bool text_key(App *app, int ch) {
   size_t len = strlen(app->input);
   if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
      if (len) {
         while (len > 1 && ((unsigned char)app->input[len - 1] & 0xC0) == 0x80)
            len--; /* a whole UTF-8 character */
         app->input[len - 1] = '\0';
      }
      return true;
   }
   if (ch >= 32 && ch < 256 && ch != 127 && len + 1 < sizeof app->input) {
      app->input[len] = (char)ch;
      app->input[len + 1] = '\0';
      return true;
   }
   return false;
}

static void modal_key(App *app, int ch) {
   /* the picker takes letters as the start of a new name ("kick"), so
    * only the arrows choose there; the other boxes take j/k too */
   bool letters = app->modal != MODAL_PICKER;
   bool up = ch == KEY_UP || (letters && ch == 'k'), down = ch == KEY_DOWN || (letters && ch == 'j');
   bool enter = ch == '\r' || ch == '\n' || ch == KEY_ENTER;
   if (ch == 27) {
      app->modal = MODAL_NONE;
      return;
   }
   switch (app->modal) {
   case MODAL_PICKER: {
      int n = picker_items(app);
      if (up || down)
         app->modal_sel = (app->modal_sel + (up ? n - 1 : 1)) % n;
      else if (enter && app->modal_sel < n - 1) {
         app->modal = MODAL_NONE;
         label_selection(app, app->m->cur->classes->name[app->modal_sel]);
      } else if (enter || (ch >= 32 && ch < 256)) {
         app->modal = MODAL_NEW_LABEL; /* typing starts a new name */
         app->input[0] = '\0';
         if (!enter)
            text_key(app, ch);
      }
      return;
   }
   case MODAL_NEW_LABEL:
   case MODAL_NOTE:
      if (enter) {
         Modal m = app->modal;
         app->modal = MODAL_NONE;
         if (m == MODAL_NOTE)
            set_note(app, app->input);
         else if (app->input[0])
            label_selection(app, app->input);
      } else {
         text_key(app, ch);
      }
      return;
   case MODAL_SEGMENTS: {
      int n = (int)app->labels.store->n;
      if (n && (up || down))
         app->modal_sel = (app->modal_sel + (up ? n - 1 : 1)) % n;
      else if (n && enter) {
         app->modal = MODAL_NONE;
         jump_to(app, &app->labels.store->seg[app->modal_sel]);
      }
      return;
   }
   case MODAL_EXPORT:
      if (up || down)
         app->modal_sel = (app->modal_sel + (up ? EXPORT_FORMAT_COUNT - 1 : 1)) % EXPORT_FORMAT_COUNT;
      else if (ch == 'u')
         app->export_unlabelled = !app->export_unlabelled;
      else if (enter) {
         char msg[300] = "";
         app->modal = MODAL_NONE;
         app->labels.export(app->labels.ctx, app->modal_sel, app->export_unlabelled, msg, sizeof msg);
         say(app, "%s", msg);
      }
      return;
   case MODAL_NONE: return;
   }
}

static void open_modal(App *app, Modal m) {
   app->modal = m;
   app->modal_sel = 0;
}

void ui_label_modal_key(App *app, int ch) {
   modal_key(app, ch);
}

static void key_select(App *app) {
   size_t r = ui_cursor_record(app);
   app->selecting = !app->selecting && r != SIZE_MAX;
   app->sel_anchor = r;
   if (app->selecting)
      say(app, "selecting: move the cursor (h/l, H/L 10 s), then Enter or L to label, Esc to drop");
}

/* [ starts a selection at the cursor; ] ends it there (starting one if there is none). */
static void key_bracket(App *app, int ch) {
   size_t r = ui_cursor_record(app);
   if (r == SIZE_MAX)
      return;
   if (!app->selecting || ch == '[') {
      app->selecting = true;
      app->sel_anchor = r;
   }
}

static bool key_begin(App *app, int ch) {
   key_bracket(app, ch);
   return true;
}

static bool key_drop(App *app, int ch) {
   (void)ch;
   if (!app->selecting)
      return false; /* Esc has other uses without a selection */
   app->selecting = false;
   return true;
}

/* Enter (or L) labels the selection; without one, L moves 10 s on and
 * Enter is left to others. */
static bool key_label(App *app, int ch) {
   size_t lo, hi;
   if (!selection(app, &lo, &hi)) {
      if (ch != 'L')
         return false;
      move_time(app, TEN_S);
      return true;
   }
   if (can_change(app))
      open_modal(app, MODAL_PICKER);
   return true;
}

static void key_back(App *app) {
   move_time(app, -TEN_S);
}

static void key_on(App *app) {
   move_time(app, TEN_S);
}

static void key_note(App *app) {
   const Segment *g = under_cursor(app);
   if (!g) {
      say(app, "no segment under the cursor: select (v) and label (Enter) one first");
   } else if (can_change(app)) {
      app->note_id = g->id;
      snprintf(app->input, sizeof app->input, "%s", g->note);
      open_modal(app, MODAL_NOTE);
   }
}

static void key_next(App *app) {
   suggestion(app, true);
}

static void key_previous(App *app) {
   suggestion(app, false);
}

static void key_undo(App *app) {
   undo_redo(app, false);
}

static void key_redo(App *app) {
   undo_redo(app, true);
}

static void key_list(App *app) {
   if (!app->labels.store || !app->labels.store->n)
      say(app, "no segment yet");
   else
      open_modal(app, MODAL_SEGMENTS);
}

static void key_export(App *app) {
   if (!app->labels.export || !app->labels.store)
      say(app, "export needs a recorded session and its labels");
   else
      open_modal(app, MODAL_EXPORT);
}

const KeyBinding ui_label_keys[] = {
   {'v', "v", "select from the timeline cursor (again: drop)", key_select, NULL, NULL, NULL},
   {'[', "[ ]", "start / end a selection at the cursor", NULL, key_begin, NULL, NULL},
   {']', NULL, NULL, NULL, key_begin, NULL, NULL},
   {27, "Esc", "drop the selection", NULL, key_drop, NULL, NULL},
   {'\r', "Enter", "label the selection", NULL, key_label, NULL, NULL},
   {'\n', NULL, NULL, NULL, key_label, NULL, NULL},
   {KEY_ENTER, NULL, NULL, NULL, key_label, NULL, NULL},
   {'L', "L", "label the selection (none: the cursor 10 s on)", NULL, key_label, NULL, NULL},
   {'H', "H", "the cursor 10 s back (S-Left, S-Right)", key_back, NULL, NULL, NULL},
   {KEY_SLEFT, NULL, NULL, key_back, NULL, NULL, NULL},
   {KEY_SRIGHT, NULL, NULL, key_on, NULL, NULL, NULL},
   {'a', "a", "a note on the segment under the cursor", key_note, NULL, NULL, NULL},
   {'d', "d", "delete the segment under the cursor", delete_under_cursor, NULL, NULL, NULL},
   {'u', "u", "undo", key_undo, NULL, NULL, NULL},
   {18, "^R", "redo", key_redo, NULL, NULL, NULL},
   {'n', "n N", "next / previous suggestion to label", key_next, NULL, NULL, NULL},
   {'N', NULL, NULL, key_previous, NULL, NULL, NULL},
   {'S', "S", "the segments, to jump to one", key_list, NULL, NULL, NULL},
   {'e', "e", "export the labelled segments", key_export, NULL, NULL, NULL},
   {0, NULL, NULL, NULL, NULL, NULL, NULL},
};

size_t ui_cell_first(const App *app, int k) {
   int cells = app->tl_cells > 0 ? app->tl_cells : 1;
   return app->tl_from + (size_t)k * app->tl_n / (size_t)cells;
}

size_t ui_cell_last(const App *app, int k) {
   size_t first = ui_cell_first(app, k), next = ui_cell_first(app, k + 1);
   return next > first ? next - 1 : first;
}

int ui_record_cell(const App *app, size_t r) {
   int cells = app->tl_cells > 0 ? app->tl_cells : 1;
   return app->tl_n ? (int)((r - app->tl_from) * (size_t)cells / app->tl_n) : 0;
}

size_t ui_timeline_record_at(const App *app, int y, int x) {
   if (ds_views[app->view]->hotkey != '6' || !app->tl_n || y < app->tl_y0 || y > app->tl_y1 || x < app->tl_x)
      return SIZE_MAX;
   size_t r = ui_cell_first(app, x - app->tl_x);
   return r < app->tl_from + app->tl_n ? r : app->tl_from + app->tl_n - 1;
}

void ui_label_mouse(App *app, int y, int x, bool press, bool release) {
   size_t r = ui_timeline_record_at(app, y, x);
   if (r == SIZE_MAX || app->modal != MODAL_NONE)
      return;
   ui_set_cursor(app, r);
   if (press) {
      app->selecting = true;
      app->sel_anchor = r;
   } else if (release && app->selecting && app->sel_anchor == r) {
      app->selecting = false; /* a click only moves the cursor */
   } else if (release) {
      say(app, "selected by dragging: Enter labels it");
   }
}

/* --- drawing ---------------------------------------------------------------- */

static void modal_box(App *app, int h, int w, int *y, int *x, const char *title) {
   w = w < app->cols - 4 ? w : app->cols - 4;
   h = h < app->rows - 2 ? h : app->rows - 2;
   *y = (app->rows - h) / 2;
   *x = (app->cols - w) / 2;
   for (int i = 0; i < h; i++)
      ui_fill(app, *y + i, *x, w, ROLE_C_SELECTION);
   ui_put_clip(app, *y, *x + 2, w - 4, ROLE_C_SELECTION, title);
}

static void fmt_ms(char *buf, size_t n, double ms) {
   ui_fmt_time(buf, n, ms); /* the one time base: the header's, the cursor's */
}

void ui_label_draw_modal(App *app) {
   int y, x, w = 64;
   char line[DS_NOTE_MAX + 160];
   switch (app->modal) {
   case MODAL_PICKER: {
      const Classes *cl = app->m->cur->classes;
      int n = picker_items(app);
      modal_box(app, n + 3, w, &y, &x, "label the selection: Up/Down choose, Enter; or type a new name");
      for (int i = 0; i < n && y + 1 + i < app->rows - 2; i++) {
         bool on = i == app->modal_sel;
         if (i < cl->n) {
            ui_put(app, y + 1 + i, x + 2, on ? ROLE_C_HEADER : ROLE_C_SELECTION, "%s", on ? ">" : " ");
            ui_put(app, y + 1 + i, x + 4, ui_class_role(i), " %c ", ui_class_letter(app, i));
            ui_put_clip(app, y + 1 + i, x + 8, w - 10, on ? ROLE_C_HEADER : ROLE_C_SELECTION, cl->name[i]);
         } else {
            ui_put_clip(app, y + 1 + i, x + 2, w - 4, on ? ROLE_C_HEADER : ROLE_C_SELECTION, "+ new label...");
         }
      }
      return;
   }
   case MODAL_NEW_LABEL:
   case MODAL_NOTE:
      modal_box(app, 4, w, &y, &x,
                app->modal == MODAL_NOTE ? "note for the segment (Enter saves, Esc cancels)"
                                         : "new label (Enter labels the selection, Esc cancels)");
      snprintf(line, sizeof line, "> %s_", app->input);
      ui_put_clip(app, y + 2, x + 2, w - 4, ROLE_C_HEADER, line);
      return;
   case MODAL_SEGMENTS: {
      const LabelStore *ls = app->labels.store;
      int n = (int)ls->n, h = n + 3 < app->rows - 4 ? n + 3 : app->rows - 4, first = 0;
      w = 76;
      modal_box(app, h, w, &y, &x, "segments: j/k choose, Enter jumps to it, Esc closes");
      if (app->modal_sel >= h - 2)
         first = app->modal_sel - (h - 3);
      for (int i = first; i < n && i - first < h - 2; i++) {
         const Segment *g = &ls->seg[i];
         char a[24], b[24];
         size_t r0, cnt = Replay_segment(app->r, g->start_ms, g->end_ms, &r0);
         fmt_ms(a, sizeof a, g->start_ms);
         fmt_ms(b, sizeof b, g->end_ms);
         snprintf(line, sizeof line, "%s%3ld %-14.14s %9s-%-9s %5zu rec  %s", i == app->modal_sel ? ">" : " ", g->id,
                  g->label, a, b, cnt, g->note);
         ui_put_clip(app, y + 1 + i - first, x + 2, w - 4, i == app->modal_sel ? ROLE_C_HEADER : ROLE_C_SELECTION,
                     line);
      }
      return;
   }
   case MODAL_EXPORT: {
      static const char *const what[EXPORT_FORMAT_COUNT] = {
         "dataset      dataset.csv: segment_id,segment_label,... + record columns",
         "ei           Edge Impulse: <label>.<session>.<id>.csv + info.labels",
         "labelstudio  Label Studio task JSON + labelling config"};
      modal_box(app, EXPORT_FORMAT_COUNT + 5, 72, &y, &x, "export the labelled segments: j/k, Enter writes, Esc");
      for (int i = 0; i < EXPORT_FORMAT_COUNT; i++) {
         snprintf(line, sizeof line, "%s %s", i == app->modal_sel ? ">" : " ", what[i]);
         ui_put_clip(app, y + 1 + i, x + 2, 68, i == app->modal_sel ? ROLE_C_HEADER : ROLE_C_SELECTION, line);
      }
      snprintf(line, sizeof line, "u: include the unlabelled records [%c]", app->export_unlabelled ? 'x' : ' ');
      ui_put_clip(app, y + 2 + EXPORT_FORMAT_COUNT, x + 2, 68, ROLE_C_SELECTION, line);
      return;
   }
   case MODAL_NONE: return;
   }
}

void ui_label_band(App *app, size_t from, size_t n, int y, int x) {
   const LabelStore *ls = app->labels.store;
   size_t lo = 0, hi = 0;
   bool sel = selection(app, &lo, &hi);
   (void)from;
   (void)n;
   for (int k = 0; k < app->tl_cells; k++) {
      size_t first = ui_cell_first(app, k), r = ui_cell_last(app, k);
      const Segment *g = ls ? LabelStore_at(ls, t_of(app, r)) : NULL;
      bool in_sel = sel && r >= lo && first <= hi;
      int cls = g ? Classes_find(app->m->cur->classes, g->label) : -1;
      char s[2] = {cls >= 0 ? ui_class_letter(app, cls) : g ? '#' : in_sel ? '=' : ' ', 0};
      if (g || in_sel)
         ui_put_clip(app, y, x + k, 1, in_sel ? ROLE_C_SELECTION : cls >= 0 ? ui_class_role(cls) : ROLE_C_NORMAL, s);
   }
}
