// SPDX-License-Identifier: MIT
/* The App: terminal setup, themes, the key table, header, function bar,
 * help overlay, and the dispatch to the views. */
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "driftscope/clock.h"
#include "ui.h"

static const Glyphs utf8_glyphs = {
   {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"},
   {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"},
   "█",
   "─",
   "│",
   "▲",
   "▔",
   true,
};
static const Glyphs ascii_glyphs = {
   {"_", "_", ".", ".", "-", "-", "=", "#"},
   {" ", "_", "_", ".", ".", "-", "-", "=", "#"},
   "#",
   "-",
   "|",
   "^",
   "-",
   false,
};

/* The themes `t` cycles through; each is themes/NAME.theme over the default. */
static const char *const builtin_themes[] = {"default", "light", "high-contrast", "mono"};
#define NTHEMES ((int)(sizeof builtin_themes / sizeof builtin_themes[0]))

/* --- themes -------------------------------------------------------------- */

/* How the UI reads a theme file (cli gives it io's reader). */
static char *(*read_file)(const char *path, size_t *n);

void ui_set_file_reader(char *(*reader)(const char *path, size_t *n)) {
   read_file = reader;
}

/* Find theme NAME (or a path) and read it whole; the path used in path. */
static char *find_theme(const char *name, char *path, size_t pathlen) {
   size_t n;
   if (!read_file)
      return NULL;
   if (strchr(name, '/')) {
      snprintf(path, pathlen, "%s", name);
      return read_file(path, &n);
   }
   const char *dirs[] = {getenv("DRIFTSCOPE_THEMES"), "themes", "/usr/local/share/driftscope/themes"};
   for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
      char *text;
      if (!dirs[i])
         continue;
      snprintf(path, pathlen, "%s/%s.theme", dirs[i], name);
      if ((text = read_file(path, &n)))
         return text;
   }
   return NULL;
}

/* Load theme name over the default into t; false with err set when it
 * cannot be found or has a bad line (t is then the default). */
static bool load_theme(Theme *t, const char *name, char *err, size_t errlen) {
   Theme_default(t);
   if (!name || !strcmp(name, "default"))
      return true;
   char path[512], why[160];
   char *text = find_theme(name, path, sizeof path);
   if (!text) {
      snprintf(err, errlen, "theme '%s' not found (themes/%s.theme); the default stands", name, name);
      return false;
   }
   bool ok = Theme_parse(t, text, why, sizeof why);
   free(text);
   if (!ok) {
      snprintf(err, errlen, "%s: %s; the default stands", path, why);
      return false;
   }
   const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
   snprintf(t->name, sizeof t->name, "%.*s", (int)strcspn(base, "."), base);
   t->color = strcmp(t->name, "mono") != 0;
   return true;
}

static int curses_attrs(int a) {
   return (a & DS_ATTR_BOLD ? A_BOLD : 0) | (a & DS_ATTR_DIM ? A_DIM : 0) | (a & DS_ATTR_UNDERLINE ? A_UNDERLINE : 0) |
          (a & DS_ATTR_REVERSE ? A_REVERSE : 0);
}

/* Give each role its colour pair. A pair the terminal refuses, or one
 * whose colours come out the same, falls back to the default colours, so
 * nothing is drawn invisible. Without colour, roles keep their attributes
 * and selection-like roles are reversed. */
static void apply_theme(App *app) {
   bool color = app->color && app->theme.color;
   for (int i = 0; i < ROLE_C_COUNT; i++) {
      RoleStyle st = app->theme.role[i];
      int attrs = curses_attrs(st.attrs);
      if (!color) {
         bool filled = (st.bg >= 0 && i != ROLE_C_HEADER_ALERT) || i == ROLE_C_SELECTION || i == ROLE_C_HEADER ||
                       i == ROLE_C_KEY; /* the alert stands out of the reversed header */
         app->attr[i] = attrs | (filled ? A_REVERSE : 0);
         continue;
      }
      int fg = ds_map_color(st.fg, COLORS), bg = ds_map_color(st.bg, COLORS);
      if (fg == bg && fg != -1)
         fg = -1;
      if (init_pair((short)(i + 1), (short)fg, (short)bg) == ERR)
         app->attr[i] = attrs | (st.bg >= 0 ? A_REVERSE : 0);
      else
         app->attr[i] = attrs | (int)COLOR_PAIR(i + 1);
   }
}

/* --- lifecycle ----------------------------------------------------------- */

void App_init(App *app, Monitor *m, Replay *r, const char *source, long bad_lines, const char *theme, char *err,
              size_t errlen) {
   memset(app, 0, sizeof *app);
   app->m = m;
   app->r = r;
   app->source = source;
   app->bad_lines = bad_lines;
   app->theme_index = 0;
   AssessLimits_default(&app->limits);
   SpectrumOptions_default(&app->spec);
   err[0] = '\0';
   if (!load_theme(&app->theme, theme, err, errlen))
      snprintf(app->status, sizeof app->status, "%s", err);
   for (int i = 0; theme && i < NTHEMES; i++)
      if (!strcmp(theme, builtin_themes[i]))
         app->theme_index = i;
   if (theme && strchr(theme, '/'))
      app->theme_index = -1;
   App_monitor_reset(app);
}

void App_monitor_reset(App *app) {
   int f[DS_MAX_COLUMNS], top = Monitor_top_feature(app->m);
   app->sel = top >= 0 ? top : ui_features(app, f) ? f[0] : 0;
   app->zoom = false; /* the columns may have changed */
   app->dirty = true;
}

bool App_start(App *app, bool keys_from_tty) {
   setlocale(LC_ALL, "");
   bool utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
   app->g = utf8 ? &utf8_glyphs : &ascii_glyphs;
   if (keys_from_tty) {
      FILE *tty = fopen("/dev/tty", "r");
      SCREEN *scr = tty ? newterm(NULL, stdout, tty) : NULL;
      if (!scr) {
         if (tty)
            fclose(tty);
         return false;
      }
      app->tty = tty;
      app->screen = scr;
   } else if (!initscr()) {
      return false;
   }
   app->started = true;
   cbreak();
   noecho();
   nonl();
   keypad(stdscr, TRUE);
   nodelay(stdscr, TRUE);
   curs_set(0);
   set_escdelay(25);
   mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED, NULL); /* drag on the timeline to select */
   mouseinterval(0);
   app->color = has_colors() && !getenv("NO_COLOR");
   if (app->color) {
      start_color();
      use_default_colors();
   }
   apply_theme(app);
   App_resize(app);
   return true;
}

void App_stop(App *app) {
   if (!app->started)
      return;
   app->started = false;
   endwin();
   if (app->screen)
      delscreen(app->screen);
   if (app->tty)
      fclose(app->tty);
   app->screen = app->tty = NULL;
}

int App_key_fd(const App *app) {
   return app->tty ? fileno(app->tty) : STDIN_FILENO;
}

void App_resize(App *app) {
   getmaxyx(stdscr, app->rows, app->cols);
   app->dirty = true;
}

void App_resize_to(App *app, int rows, int cols) {
   resizeterm(rows, cols);
   App_resize(app);
}

/* --- keys ---------------------------------------------------------------- */

typedef void (*Action)(App *app);

typedef struct KeyBinding {
   int key;
   const char *label; /* as help and the function bar show it */
   const char *help;
   Action act;
} KeyBinding;

static void do_quit(App *app) {
   app->quit = true;
}

static void do_pause(App *app) {
   if (app->r->live && app->r->paused)
      Replay_go_live(app->r); /* a live display resumes at the newest record */
   else
      app->r->paused = !app->r->paused;
   if (app->r->live && app->r->paused)
      snprintf(app->status, sizeof app->status, "display paused; recording goes on. Space or End: back to live");
}

static bool live_speed(App *app) {
   if (app->r->live)
      snprintf(app->status, sizeof app->status, "live: the board sets the pace (+ and - change a replay's speed)");
   return app->r->live;
}

static void do_faster(App *app) {
   if (!live_speed(app))
      Replay_faster(app->r);
}

static void do_slower(App *app) {
   if (!live_speed(app))
      Replay_slower(app->r);
}

static void do_step(App *app) {
   if (!app->r->paused)
      app->r->paused = true;
   Replay_step(app->r);
}

/* A move that asked for records no longer held says where they are. */
static void said_before_kept(App *app) {
   const Replay *r = app->r;
   if (!r->before_kept)
      return;
   const char *rec = app->live.recording;
   snprintf(app->status, sizeof app->status, "records before %zu are no longer in memory (--keep); %s%s",
            Replay_first(r), rec ? "the recording has them: " : "they were not recorded", rec ? rec : "");
   app->dirty = true;
}

static void do_back(App *app) {
   Replay_seek(app->r, -DS_REPLAY_SEEK_MS);
   said_before_kept(app);
}

static void do_forward(App *app) {
   Replay_seek(app->r, DS_REPLAY_SEEK_MS);
}

static void do_home(App *app) {
   Replay_home(app->r);
   said_before_kept(app);
}

static void do_end(App *app) {
   if (app->r->live)
      Replay_go_live(app->r);
   else
      Replay_end(app->r);
}

static void do_help(App *app) {
   app->help = !app->help;
}

/* A zoomed feature shows every statistic: only then are they computed. */
static void sync_detail(App *app) {
   if (!Monitor_set_detail(app->m, app->zoom))
      snprintf(app->status, sizeof app->status, "out of memory computing every statistic");
}

static void switch_view(App *app, int v) {
   app->view = (v + ds_nviews) % ds_nviews;
   app->zoom = false;
   sync_detail(app);
}

static void do_next_view(App *app) {
   switch_view(app, app->view + 1);
}

static void do_prev_view(App *app) {
   switch_view(app, app->view - 1);
}

static void do_theme(App *app) {
   char err[256];
   int next = app->theme_index < 0 ? 0 : (app->theme_index + 1) % NTHEMES;
   if (!load_theme(&app->theme, builtin_themes[next], err, sizeof err)) {
      snprintf(app->status, sizeof app->status, "%s", err);
      return;
   }
   app->theme_index = next;
   apply_theme(app);
   snprintf(app->status, sizeof app->status, "theme: %s", app->theme.name);
}

static void select_feature(App *app, int delta) {
   int f[DS_MAX_COLUMNS], n = ui_features(app, f), at = 0;
   if (!n)
      return;
   for (int i = 0; i < n; i++)
      if (f[i] == app->sel)
         at = i;
   at = (at + delta + n) % n;
   app->sel = f[at];
}

static void do_up(App *app) {
   select_feature(app, -1);
}

static void do_down(App *app) {
   select_feature(app, 1);
}

static void do_top(App *app) {
   int top = Monitor_top_feature(app->m);
   if (top >= 0)
      app->sel = top;
   snprintf(app->status, sizeof app->status, "selected the feature that drifted most: %s",
            top >= 0 ? app->m->a.cols[top].name : "none scored");
}

static const KeyBinding keys[] = {
   {'q', "q", "quit", do_quit},
   {' ', "Space", "pause / resume (live: recording goes on)", do_pause},
   {'+', "+", "replay faster (0.25x ... 64x, max)", do_faster},
   {'=', "=", "replay faster", do_faster},
   {'-', "-", "replay slower", do_slower},
   {'.', ".", "one record forward (pauses)", do_step},
   {KEY_LEFT, "Left", "back 10 s", do_back},
   {KEY_RIGHT, "Right", "forward 10 s", do_forward},
   {KEY_HOME, "Home", "to the start", do_home},
   {KEY_END, "End", "to the end (live: back to the newest record)", do_end},
   {'\t', "Tab", "next view", do_next_view},
   {KEY_BTAB, "S-Tab", "previous view", do_prev_view},
   {'k', "k/Up", "select the previous feature", do_up},
   {KEY_UP, NULL, NULL, do_up},
   {'j', "j/Down", "select the next feature", do_down},
   {KEY_DOWN, NULL, NULL, do_down},
   {'m', "m", "select the feature that drifted most", do_top},
   {'t', "t", "next theme (default, light, high-contrast, mono)", do_theme},
   {'?', "?", "this help", do_help},
   {KEY_F(1), "F1", "this help", do_help},
   {KEY_F(10), "F10", "quit", do_quit},
};
#define NKEYS ((int)(sizeof keys / sizeof keys[0]))

void App_key(App *app, int ch) {
   app->dirty = true;
   app->status[0] = '\0';
   if (app->modal != MODAL_NONE) { /* a labelling box takes every key */
      ui_label_key(app, ch);
      return;
   }
   if (app->help && ch != '?' && ch != KEY_F(1) && ch != 'q') {
      app->help = false; /* any other key closes the help */
      return;
   }
   if (ch >= '1' && ch <= '9') {
      for (int v = 0; v < ds_nviews; v++)
         if (ds_views[v]->hotkey == ch) {
            switch_view(app, v);
            return;
         }
      snprintf(app->status, sizeof app->status, "no view %c: views are 1-6", ch);
      return;
   }
   if (!(ds_views[app->view]->key && ds_views[app->view]->key(app, ch)) && !ui_label_key(app, ch))
      for (int i = 0; i < NKEYS; i++)
         if (keys[i].key == ch) {
            keys[i].act(app);
            break;
         }
   sync_detail(app);
}

void App_input(App *app) {
   for (int ch; (ch = getch()) != ERR;) {
      MEVENT ev;
      if (ch == KEY_RESIZE)
         App_resize(app);
      else if (ch == KEY_MOUSE && getmouse(&ev) == OK) {
         ui_label_mouse(app, ev.y, ev.x, ev.bstate & BUTTON1_PRESSED, ev.bstate & BUTTON1_RELEASED);
         app->dirty = true;
      } else
         App_key(app, ch);
   }
}

/* --- replay -------------------------------------------------------------- */

bool App_tick(App *app, double elapsed_ms) {
   long second = (long)(app->r->pos / 1000);
   Replay_advance(app->r, elapsed_ms);
   if ((long)(app->r->pos / 1000) != second)
      app->dirty = true; /* the header's clock moved */
   if (app->r->cursor == app->m->cursor)
      return true;
   app->dirty = true;
   /* a selection being made (or labelled in a box) stays on its records
    * while a live stream or a replay moves on */
   bool pin = app->selecting || app->modal != MODAL_NONE;
   size_t at = ui_cursor_record(app);
   if (!Monitor_seek(app->m, app->r->cursor))
      return false;
   if (pin && at != SIZE_MAX)
      ui_set_cursor(app, at);
   return true;
}

double App_next_due(const App *app) {
   double due = Replay_next_due(app->r);
   if (due > 0) { /* also when the header's clock ticks over a second */
      double tick = (1000 - fmod(app->r->pos, 1000)) / Replay_speed(app->r);
      due = tick < due ? tick : due;
   }
   return due;
}

/* --- frame --------------------------------------------------------------- */

static void fmt_clock(char *buf, size_t n, double ms) {
   long s = (long)(ms / 1000);
   snprintf(buf, n, "%ld:%02ld", s / 60, s % 60);
}

/* A live source's header: state, source, records, rate, clock, bad lines,
 * and where it records (DESIGN §7). */
static void draw_live_header(App *app) {
   const Replay *r = app->r;
   const LiveInfo *l = &app->live;
   char state[48], count[64], clock[32], rec[320];
   ColorRole state_role = ROLE_C_HEADER;
   if (!l->connected && !l->ended) {
      snprintf(state, sizeof state, "DISCONNECTED %.0f s", l->down_ms / 1000);
      state_role = ROLE_C_HEADER_ALERT;
   } else if (r->paused) {
      snprintf(state, sizeof state, "PAUSED");
   } else {
      snprintf(state, sizeof state, "%s", l->ended ? "ENDED" : "LIVE");
   }
   if (r->paused)
      snprintf(count, sizeof count, "record %zu of %zu", app->m->cursor, r->n);
   else
      snprintf(count, sizeof count, "%zu records  %.0f/s", r->n, l->rate);
   fmt_clock(clock, sizeof clock, r->paused ? r->pos : Replay_duration(r));
   if (!l->recording)
      snprintf(rec, sizeof rec, "not recording");
   else
      snprintf(rec, sizeof rec, "%s %s", l->write_failed ? "NOT WRITING" : "rec", l->recording);
   ui_fill(app, 0, 0, app->cols, ROLE_C_HEADER);
   const char *base = !strncmp(app->source, "/dev/", 5) ? app->source + 5 /* ttyACM0, pts/3 */
                      : strrchr(app->source, '/')       ? strrchr(app->source, '/') + 1
                                                        : app->source;
   ui_put(app, 0, 0, ROLE_C_HEADER, " driftscope ");
   ui_put(app, 0, 12, state_role, " %s ", state);
   int x = 12 + (int)strlen(state) + 2;
   char rest[640];
   snprintf(rest, sizeof rest, " %s  %s  %s  bad lines %ld  ", base, count, clock, app->bad_lines);
   ui_put_clip(app, 0, x, app->cols - x, ROLE_C_HEADER, rest);
   x += (int)strlen(rest);
   if (x < app->cols)
      ui_put_clip(app, 0, x, app->cols - x, !l->recording || l->write_failed ? ROLE_C_HEADER_ALERT : ROLE_C_HEADER,
                  rec);
}

/* The assessment of what is shown, made again when the window or the
 * input's counters moved; none before the first record is shown. */
static void update_assessment(App *app) {
   if (!app->in || app->m->cursor == 0) {
      app->assessed = 0;
      return;
   }
   if (app->assessed == app->m->version + 1 && app->assessed_lines == app->in->lines)
      return;
   const Ingest *streams[] = {app->in};
   ds_assess(&app->assess, &app->m->a, app->m->ref, app->ref_in, streams, 1, &app->limits);
   app->assessed = app->m->version + 1;
   app->assessed_lines = app->in->lines;
}

/* The problems, short, at the right of the header in the alert colour. */
static void draw_alarm(App *app) {
   if (!app->assessed || !app->assess.nproblems)
      return;
   const Assessment *as = &app->assess;
   char text[160] = " ";
   size_t n = 1;
   for (int i = 0; i < as->nproblems && n < sizeof text; i++) {
      const Problem *p = &as->problems[i];
      const char *sep = n > 1 ? " | " : "";
      switch (p->kind) {
      case PROBLEM_MISSING_FEATURES:
         n += (size_t)snprintf(text + n, sizeof text - n, "%sMISSING", sep);
         for (int k = 0; k < as->nmissing && n < sizeof text; k++)
            n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", k ? "," : " ", as->missing[k]);
         break;
      case PROBLEM_BAD_LINES:
         n += (size_t)snprintf(text + n, sizeof text - n, "%sBAD LINES %.0f%%", sep, 100 * as->bad_share);
         break;
      default:
         n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", sep,
                               p->kind == PROBLEM_NO_RECORDS         ? "NO RECORDS"
                               : p->kind == PROBLEM_NOTHING_COMPARED ? "NOTHING COMPARED"
                                                                     : "UNREADABLE COLUMN");
      }
   }
   if (n >= sizeof text)
      n = sizeof text - 1;
   int w = (int)n + 1, max = app->cols * 2 / 5;
   if (w > max)
      w = max;
   ui_fill(app, 0, app->cols - w, w, ROLE_C_HEADER_ALERT);
   ui_put_clip(app, 0, app->cols - w, w, ROLE_C_HEADER_ALERT, text);
}

static void draw_header(App *app) {
   update_assessment(app);
   if (app->live.on) {
      draw_live_header(app);
      draw_alarm(app);
      return;
   }
   const Replay *r = app->r;
   char state[32], pos[48], dur[48];
   if (r->cursor >= r->n && r->n)
      snprintf(state, sizeof state, "END");
   else if (r->paused)
      snprintf(state, sizeof state, "PAUSED");
   else if (Replay_at_max(r))
      snprintf(state, sizeof state, "REPLAY max");
   else
      snprintf(state, sizeof state, "REPLAY %gx", Replay_speed(r));
   fmt_clock(pos, sizeof pos, r->pos);
   fmt_clock(dur, sizeof dur, Replay_duration(r));
   ui_fill(app, 0, 0, app->cols, ROLE_C_HEADER);
   const char *base = strrchr(app->source, '/') ? strrchr(app->source, '/') + 1 : app->source;
   char line[512];
   int n = snprintf(line, sizeof line, " driftscope  %-10s %s  record %zu/%zu  %s/%s  bad lines %ld", state, base,
                    app->m->cursor, r->n, pos, dur, app->bad_lines);
   if (n >= app->cols) /* narrow: the same facts, shorter, rather than a word cut at the edge */
      snprintf(line, sizeof line, " %s  %s  %zu/%zu  %s/%s  bad %ld", state, base, app->m->cursor, r->n, pos, dur,
               app->bad_lines);
   ui_put(app, 0, 0, ROLE_C_HEADER, "%s", line);
   draw_alarm(app);
}

static void draw_footer(App *app) {
   int y = app->rows - 1, x = 0;
   ui_fill(app, y, 0, app->cols, ROLE_C_KEY_LABEL);
   if (app->status[0]) {
      ui_put(app, y, 0, ROLE_C_WARN, " %s", app->status);
      return;
   }
   static const struct {
      const char *key, *label;
   } bar[] = {{"1", "Overview"}, {"2", "Features"}, {"3", "Drift"}, {"4", "Confusion"}, {"5", "Spectrum"},
              {"6", "Timeline"}, {"Spc", "Pause"},  {"?", "Help"},  {"q", "Quit"}};
   for (size_t i = 0; i < sizeof bar / sizeof bar[0] && x < app->cols; i++) {
      bool on = bar[i].key[0] == ds_views[app->view]->hotkey && !bar[i].key[1];
      ui_put(app, y, x, ROLE_C_KEY, "%s", bar[i].key);
      x += (int)strlen(bar[i].key);
      ui_put(app, y, x, on ? ROLE_C_SELECTION : ROLE_C_KEY_LABEL, "%-*s", (int)strlen(bar[i].label) + 1, bar[i].label);
      x += (int)strlen(bar[i].label) + 1;
   }
}

static void draw_help(App *app) {
   int w = 64 < app->cols - 4 ? 64 : app->cols - 4, lines = 0;
   for (int i = 0; i < NKEYS; i++)
      lines += keys[i].label != NULL;
   int h = lines + 8 < app->rows - 2 ? lines + 8 : app->rows - 2, x = (app->cols - w) / 2, y = 1;
   for (int i = 0; i < h; i++)
      ui_fill(app, y + i, x, w, ROLE_C_SELECTION);
   ui_put_clip(app, y, x + 2, w - 4, ROLE_C_SELECTION, "driftscope keys (any key closes)");
   ui_put_clip(app, y + 1, x + 2, w - 4, ROLE_C_SELECTION,
               "1-6: views (Overview Features Drift Confusion Spectrum Timeline)");
   int row = y + 2;
   for (int i = 0; i < NKEYS && row < y + h; i++) {
      if (!keys[i].label)
         continue;
      char line[128];
      snprintf(line, sizeof line, "%-8s %s", keys[i].label, keys[i].help);
      ui_put_clip(app, row++, x + 2, w - 4, ROLE_C_SELECTION, line);
   }
   static const char *const more[] = {"in views: 2 Enter zoom, 4 % and w, 5 g dB, f/F zoom in/out,", "  6 h/l cursor",
                                      "labels (timeline cursor, any view): v or [ ] select, H/L 10 s,",
                                      "  Enter/L label, a note, d delete, u undo, ^R redo, S list, e export,",
                                      "  n/N next/previous suggestion (low confidence, flapping, drift...)"};
   for (size_t i = 0; i < sizeof more / sizeof more[0] && row < y + h + 2; i++)
      ui_put_clip(app, row++, x + 2, w - 4, ROLE_C_SELECTION, more[i]);
}

void App_draw(App *app) {
   if (!app->dirty && app->drawn == app->m->version)
      return;
   double t0 = ds_now_ms();
   erase();
   if (app->cols < DS_MIN_COLS || app->rows < DS_MIN_ROWS) {
      char need[32];
      snprintf(need, sizeof need, "(need %dx%d)", DS_MIN_COLS, DS_MIN_ROWS);
      ui_put_clip(app, app->rows / 2 - (app->rows > 1), 0, app->cols, ROLE_C_WARN, "enlarge the terminal");
      ui_put_clip(app, app->rows / 2 + (app->rows <= 1), 0, app->cols, ROLE_C_WARN, need);
   } else {
      draw_header(app);
      ds_views[app->view]->draw(app, 1, app->rows - 2);
      draw_footer(app);
      if (app->modal != MODAL_NONE)
         ui_label_draw_modal(app);
      if (app->help)
         draw_help(app);
   }
   refresh();
   app->frame_ms[app->frames++ % DS_FRAME_SAMPLES] = ds_now_ms() - t0;
   app->dirty = false;
   app->drawn = app->m->version;
}

static int cmp_double(const void *a, const void *b) {
   double x = *(const double *)a, y = *(const double *)b;
   return (x > y) - (x < y);
}

void App_frame_stats(const App *app, double *mean, double *p99) {
   long n = app->frames < DS_FRAME_SAMPLES ? app->frames : DS_FRAME_SAMPLES;
   static double sorted[DS_FRAME_SAMPLES];
   double sum = 0;
   for (long i = 0; i < n; i++)
      sum += sorted[i] = app->frame_ms[i];
   qsort(sorted, (size_t)n, sizeof *sorted, cmp_double);
   *mean = n ? sum / (double)n : NAN;
   *p99 = n ? sorted[(long)((double)(n - 1) * 0.99)] : NAN;
}
