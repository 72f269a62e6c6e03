// SPDX-License-Identifier: MIT
/* The App: terminal setup, themes, the key table, header, function bar,
 * help overlay, and the dispatch to the views. */
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "driftscope/clock.h"
#include "driftscope/version.h"
#include "ui.h"
#include "widgets.h"

static const Glyphs utf8_glyphs = {
   {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"},
   {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"},
   "█",
   "─",
   "│",
   "▲",
   "░",
   "…",
   true,
};
static const Glyphs ascii_glyphs = {
   {"_", "_", ".", ".", "-", "-", "=", "#"},
   {" ", "_", "_", ".", ".", "-", "-", "=", "#"},
   "#",
   "-",
   "|",
   "^",
   ":",
   "~",
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

void App_init(App *app, const Monitor *m, Replay *r, const char *source, long bad_lines, const char *theme, char *err,
              size_t errlen) {
   memset(app, 0, sizeof *app);
   app->m = m;
   app->r = r;
   app->source = source;
   app->bad_lines = bad_lines;
   app->theme_index = 0;
   app->pin = SIZE_MAX;
   app->layout.on = getenv("DRIFTSCOPE_CHECK_LAYOUT") != NULL;
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
   for (int v = 0; v < ds_nviews && v < DS_MAX_VIEWS; v++)
      if (ds_views[v]->state_size) /* NULL when memory ran out: the view says so */
         app->view_state[v] = calloc(1, ds_views[v]->state_size);
   App_monitor_reset(app);
}

void App_done(App *app) {
   for (int v = 0; v < ds_nviews && v < DS_MAX_VIEWS; v++) {
      if (app->view_state[v] && ds_views[v]->done)
         ds_views[v]->done(app->view_state[v]);
      free(app->view_state[v]);
      app->view_state[v] = NULL;
   }
   free(app->layout.owner);
   app->layout.owner = NULL;
}

void *ui_view_state(const App *app) {
   return app->view_state[app->view];
}

void App_show(App *app, const Monitor *m, Replay *r, const char *source) {
   app->m = m;
   app->r = r;
   app->source = source;
   app->selecting = false;
   app->modal = MODAL_NONE;
   app->tl_back = 0;
   app->sugg_at = 0;
   app->pin = SIZE_MAX;
   app->assessed = 0;
   app->drawn = 0;
   for (int v = 0; v < ds_nviews && v < DS_MAX_VIEWS; v++)
      if (app->view_state[v]) { /* its caches were the other board's */
         if (ds_views[v]->done)
            ds_views[v]->done(app->view_state[v]);
         memset(app->view_state[v], 0, ds_views[v]->state_size);
      }
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

/* A speed change is said, paused too (the header shows it only while playing). */
static void say_speed(App *app) {
   double v = Replay_speed(app->r);
   char speed[16];
   if (isinf(v))
      snprintf(speed, sizeof speed, "max");
   else
      snprintf(speed, sizeof speed, "%gx", v);
   snprintf(app->status, sizeof app->status, "replay speed %s%s", speed,
            app->r->paused ? " (paused: Space plays)" : "");
}

static void do_faster(App *app) {
   if (!live_speed(app)) {
      Replay_faster(app->r);
      say_speed(app);
   }
}

static void do_slower(App *app) {
   if (!live_speed(app)) {
      Replay_slower(app->r);
      say_speed(app);
   }
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
bool App_wants_detail(const App *app) {
   return app->zoom;
}

static void switch_view(App *app, int v) {
   app->view = (v + ds_nviews) % ds_nviews;
   app->zoom = false;
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
   int f[DS_MAX_COLUMNS], n = ui_shown_columns(app, f, false), at = 0;
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

/* The selection follows its feature through a new order; when the filter
 * hides it, the first one shown is selected. */
static void keep_selection(App *app) {
   int f[DS_MAX_COLUMNS], n = ui_shown_columns(app, f, false);
   for (int i = 0; i < n; i++)
      if (f[i] == app->sel)
         return;
   if (n)
      app->sel = f[0];
}

static void do_sort(App *app) {
   app->sort = (app->sort + 1) % SORT_COUNT;
   keep_selection(app);
   snprintf(app->status, sizeof app->status, "features by %s%s; s: by %s", ui_sort_names[app->sort],
            app->sort == SORT_DRIFT     ? ", worst first"
            : app->sort == SORT_MISSING ? " share, most first"
                                        : "",
            ui_sort_names[(app->sort + 1) % SORT_COUNT]);
}

/* The filter line in the status bar, with what it lets through. */
static void filter_status(App *app) {
   int f[DS_MAX_COLUMNS], all[DS_MAX_COLUMNS];
   int n = ui_shown_columns(app, f, false), of = ui_features(app, all);
   if (app->filtering)
      snprintf(app->status, sizeof app->status, "filter: %s_   %d of %d features (Enter keeps, Esc clears)",
               app->filter, n, of);
   else if (app->filter[0])
      snprintf(app->status, sizeof app->status, "filter '%s': %d of %d features (/ changes, Esc clears)", app->filter,
               n, of);
   else
      snprintf(app->status, sizeof app->status, "no filter: all %d features", of);
}

static void do_filter(App *app) {
   app->filtering = true;
   filter_status(app);
}

/* Esc clears a filter (after the view's and the labels' uses of it). */
static bool clear_filter(App *app, int ch) {
   (void)ch;
   if (!app->filter[0])
      return false;
   app->filter[0] = '\0';
   keep_selection(app);
   filter_status(app);
   return true;
}

/* Typing the filter: letters add, Backspace takes back, Enter keeps it,
 * Esc clears it; the table follows each key. */
static void filter_key(App *app, int ch) {
   size_t len = strlen(app->filter);
   if (ch == 27) {
      app->filter[0] = '\0';
      app->filtering = false;
   } else if (ch == '\r' || ch == '\n' || ch == KEY_ENTER) {
      app->filtering = false;
   } else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
      if (len)
         app->filter[len - 1] = '\0';
   } else if (ch >= 32 && ch < 127 && len + 1 < sizeof app->filter) {
      app->filter[len] = (char)ch;
      app->filter[len + 1] = '\0';
   }
   keep_selection(app);
   filter_status(app);
}

static void do_baseline(App *app) {
   app->want_baseline = true;
}

static void do_board(App *app) {
   if (app->nboards > 1)
      app->switch_board++;
   else
      snprintf(app->status, sizeof app->status,
               "one board here: b switches between several (driftscope -r REF PORT1 PORT2 ...)");
   app->dirty = true;
}

static const KeyBinding keys[] = {
   {' ', "Space", "pause / resume (live: recording goes on)", do_pause, NULL, "Spc", "Pause"},
   {'+', "+ -", "replay faster / slower (0.25x ... 64x, max)", do_faster, NULL, NULL, NULL},
   {'=', NULL, NULL, do_faster, NULL, NULL, NULL},
   {'-', NULL, NULL, do_slower, NULL, NULL, NULL},
   {'.', ".", "one record forward (pauses)", do_step, NULL, NULL, NULL},
   {KEY_LEFT, "Left", "back 10 s (Right: forward)", do_back, NULL, NULL, NULL},
   {KEY_RIGHT, NULL, NULL, do_forward, NULL, NULL, NULL},
   {KEY_HOME, "Home", "to the start", do_home, NULL, NULL, NULL},
   {KEY_END, "End", "to the end (live: back to the newest record)", do_end, NULL, NULL, NULL},
   {'\t', "Tab", "next view (S-Tab: previous)", do_next_view, NULL, NULL, NULL},
   {KEY_BTAB, NULL, NULL, do_prev_view, NULL, NULL, NULL},
   {'k', "j k", "select the next / previous feature (Down, Up)", do_up, NULL, NULL, NULL},
   {KEY_UP, NULL, NULL, do_up, NULL, NULL, NULL},
   {'j', NULL, NULL, do_down, NULL, NULL, NULL},
   {KEY_DOWN, NULL, NULL, do_down, NULL, NULL, NULL},
   {'m', "m", "select the feature that drifted most", do_top, NULL, NULL, NULL},
   {'s', "s", "sort the features: file order, drift (worst first), name, missing share", do_sort, NULL, NULL, NULL},
   {'/', "/", "filter the features by name (Enter keeps, Esc clears)", do_filter, NULL, NULL, NULL},
   {27, NULL, NULL, NULL, clear_filter, NULL, NULL},
   {'t', "t", "next theme (default, light, high-contrast, mono)", do_theme, NULL, NULL, NULL},
   {'B', "B", "the current window becomes the reference (a baseline: drift from here on)", do_baseline, NULL, NULL,
    NULL},
   {'b', "b", "several boards: show the next one (the board bar under the header)", do_board, NULL, NULL, NULL},
   {'?', "?", "this help (F1)", do_help, NULL, "?", "Help"},
   {'q', "q", "quit (F10)", do_quit, NULL, "q", "Quit"},
   {KEY_F(1), NULL, NULL, do_help, NULL, NULL, NULL},
   {KEY_F(10), NULL, NULL, do_quit, NULL, NULL, NULL},
   {0, NULL, NULL, NULL, NULL, NULL, NULL},
};

#define NKEYS ((int)(sizeof keys / sizeof keys[0]) - 1) /* the end mark aside */

/* Give ch to the first binding of it in table t; false when none used it. */
static bool dispatch(const KeyBinding *t, App *app, int ch) {
   for (; t && t->key; t++)
      if (t->key == ch) {
         if (t->use)
            return t->use(app, ch);
         t->act(app);
         return true;
      }
   return false;
}

#define HELP_LINES 160

/* While the help shows: arrows and j/k scroll it, ? F1 and q act, any
 * other key closes it. True when the key was the help's. */
static bool help_key(App *app, int ch) {
   switch (ch) {
   case KEY_DOWN:
   case 'j': app->help_top++; return true;
   case KEY_UP:
   case 'k': app->help_top -= app->help_top > 0; return true;
   case KEY_NPAGE: app->help_top += (size_t)(app->rows / 2); return true;
   case KEY_HOME: app->help_top = 0; return true;
   case KEY_END: app->help_top = HELP_LINES; return true; /* drawing clamps it */
   case KEY_PPAGE:
      app->help_top = app->help_top > (size_t)(app->rows / 2) ? app->help_top - (size_t)(app->rows / 2) : 0;
      return true;
   case '?':
   case 'q': return false;
   }
   if (ch == KEY_F(1))
      return false;
   app->help = false;
   return true;
}

void App_key(App *app, int ch) {
   app->dirty = true;
   if (app->halted[0]) { /* nothing is shown: only quitting is left */
      if (ch == 'q' || ch == KEY_F(10))
         app->quit = true;
      return;
   }
   app->status[0] = '\0';
   if (app->loading) { /* q quits; other keys wait for the views (End pressed while loading goes to the end) */
      if (ch == 'q' || ch == KEY_F(10))
         app->quit = true;
      else if (ch != KEY_RESIZE && app->npending < (int)(sizeof app->pending / sizeof *app->pending))
         app->pending[app->npending++] = ch;
      return;
   }
   if (app->modal != MODAL_NONE) { /* a labelling box takes every key */
      ui_label_modal_key(app, ch);
      return;
   }
   if (app->help && help_key(app, ch))
      return;
   if (app->filtering) {
      filter_key(app, ch);
      return;
   }
   if (ch >= '1' && ch <= '9') {
      for (int v = 0; v < ds_nviews; v++)
         if (ds_views[v]->hotkey == ch) {
            switch_view(app, v);
            return;
         }
      snprintf(app->status, sizeof app->status, "no view %c: views are %c-%c", ch, ds_views[0]->hotkey,
               ds_views[ds_nviews - 1]->hotkey);
      return;
   }
   if (!dispatch(ds_views[app->view]->keys, app, ch) && !dispatch(ui_label_keys, app, ch))
      dispatch(keys, app, ch);
}

void App_loaded(App *app) {
   app->loading = false;
   app->working[0] = '\0';
   int n = app->npending;
   app->npending = 0;
   for (int i = 0; i < n && !app->quit; i++)
      App_key(app, app->pending[i]);
   app->dirty = true;
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

void App_tick(App *app, double elapsed_ms) {
   long tenth = (long)(app->r->pos / 100);
   Replay_advance(app->r, elapsed_ms);
   if ((long)(app->r->pos / 100) != tenth)
      app->dirty = true; /* the header's clock moved */
   if (app->r->cursor != app->m->cursor)
      app->dirty = true;
}

/* A selection being made (or labelled in a box) stays on its records
 * while a live stream or a replay moves on; a jump asked for its record. */
size_t App_pin(const App *app) {
   if (app->pin != SIZE_MAX)
      return app->pin;
   return app->selecting || app->modal != MODAL_NONE ? ui_cursor_record(app) : SIZE_MAX;
}

void App_repin(App *app, size_t at) {
   app->pin = SIZE_MAX;
   if (at != SIZE_MAX)
      ui_set_cursor(app, at);
}

double App_next_due(const App *app) {
   double due = Replay_next_due(app->r);
   if (due > 0) { /* also when the header's clock ticks over a tenth of a second */
      double tick = (100 - fmod(app->r->pos, 100)) / Replay_speed(app->r);
      due = tick < due ? tick : due;
   }
   return due;
}

/* --- frame --------------------------------------------------------------- */

/* A live source's header: state, source, records, rate, clock, bad lines,
 * and where it records (DESIGN §7). */
static void draw_live_header(App *app, int width) {
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
   ui_fmt_time(clock, sizeof clock, r->paused ? r->pos : Replay_duration(r));
   if (!l->recording)
      snprintf(rec, sizeof rec, "not recording");
   else
      snprintf(rec, sizeof rec, "%s %s", l->write_failed ? "NOT WRITING" : "rec", l->recording);
   ui_fill(app, 0, 0, width, ROLE_C_HEADER);
   const char *base = !strncmp(app->source, "/dev/", 5) ? app->source + 5 /* ttyACM0, pts/3 */
                      : strrchr(app->source, '/')       ? strrchr(app->source, '/') + 1
                                                        : app->source;
   /* the first that fits of: "bad lines" or "bad" or without the clock,
    * the brand or not, the recording's path or its name; else the shortest
    * with the recording's name shortened by the middle, never cut */
   char rests[3][640], recs[2][340];
   snprintf(rests[0], sizeof rests[0], " %s  %s  %s  bad lines %ld  ", base, count, clock, app->bad_lines);
   snprintf(rests[1], sizeof rests[1], " %s  %s  %s  bad %ld  ", base, count, clock, app->bad_lines);
   snprintf(rests[2], sizeof rests[2], " %s  %s  bad %ld  ", base, count, app->bad_lines);
   snprintf(recs[0], sizeof recs[0], "%s", rec);
   const char *slash = l->recording ? strrchr(l->recording, '/') : NULL;
   snprintf(recs[1], sizeof recs[1], "%s %s", l->write_failed ? "NOT WRITING" : "rec", slash ? slash + 1 : "");
   if (!slash)
      snprintf(recs[1], sizeof recs[1], "%s", rec);
   int brand = 0, ri = 2, ci = 1, st = (int)strlen(state) + 2;
   for (int k = 0; k < 2 * 3 * 2; k++) {
      int rk = k / 4, b = k % 4 < 2 ? 12 : 0, c = k % 2; /* the words first, then the brand, then the path */
      if (b + st + ds_cells(rests[rk]) + ds_cells(recs[c]) <= width) {
         brand = b;
         ri = rk;
         ci = c;
         break;
      }
   }
   int x = 0;
   if (brand) {
      ui_put(app, 0, 0, ROLE_C_HEADER, " driftscope ");
      x = 12;
   }
   ui_put_clip(app, 0, x, width - x, state_role, state[0] ? " " : "");
   ui_put_clip(app, 0, x + 1, width - x - 1, state_role, state);
   ui_put_clip(app, 0, x + 1 + (int)strlen(state), 1, state_role, " ");
   x += st;
   ui_put_name(app, 0, x, width - x, ROLE_C_HEADER, rests[ri], false);
   x += ds_cells(rests[ri]);
   if (x < width - 4)
      ui_put_name(app, 0, x, width - x, !l->recording || l->write_failed ? ROLE_C_HEADER_ALERT : ROLE_C_HEADER,
                  recs[ci], false);
}

/* The assessment of what is shown, made again when the window or the
 * input's counters moved; none before the first record is shown. */
static void update_assessment(App *app) {
   if (!app->in || app->m->cursor == 0 || app->no_reference) { /* nothing to compare yet: said in the Overview */
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

/* The problems, short, at the right of the header in the alert colour;
 * returns the cells it took. */
static int draw_alarm(App *app) {
   if (!app->assessed || !app->assess.nproblems)
      return 0;
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
   ui_panel(app, "alarm");
   ui_fill(app, 0, app->cols - w, w, ROLE_C_HEADER_ALERT);
   ui_put_clip(app, 0, app->cols - w, w, ROLE_C_HEADER_ALERT, text);
   ui_panel(app, "header");
   return w;
}

/* The first of the forms (printf formats of the same facts, longest
 * first) that fits width cells, the source's name where the %s is; the
 * last with the name shortened by the middle when none does. */
static void fit_line(const App *app, char *out, size_t n, int width, const char *name, int nforms,
                     const char *const *forms, const char *state, size_t at, size_t of, const char *pos,
                     const char *dur, long bad) {
   for (int f = 0; f < nforms; f++) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      snprintf(out, n, forms[f], state, name, at, of, pos, dur, bad);
      if (ds_cells(out) <= width)
         return;
      if (f == nforms - 1) {
         char shortname[256];
         int over = ds_cells(out) - width;
         ds_ellipsize(shortname, sizeof shortname, name, ds_cells(name) - over, app->g->ellipsis);
         snprintf(out, n, forms[f], state, shortname, at, of, pos, dur, bad);
      }
#pragma GCC diagnostic pop
   }
}

static void draw_header(App *app) {
   update_assessment(app);
   int alarm = draw_alarm(app), width = app->cols - alarm;
   if (app->live.on) {
      draw_live_header(app, width);
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
   ui_fmt_time(pos, sizeof pos, r->pos);
   ui_fmt_time(dur, sizeof dur, Replay_duration(r));
   ui_fill(app, 0, 0, width, ROLE_C_HEADER);
   const char *base = strrchr(app->source, '/') ? strrchr(app->source, '/') + 1 : app->source;
   /* narrower terminals get the same facts in fewer words, never a word cut at the edge */
   static const char *const forms[] = {
      " driftscope  %-10s %s  record %zu/%zu  %s/%s  bad lines %ld", " %s  %s  record %zu/%zu  %s/%s  bad lines %ld",
      " %s  %s  %zu/%zu  %s/%s  bad %ld",
      " %s  %s  %zu/%zu  %s%.0s  bad %ld", /* the position without the whole's length */
   };
   char line[512];
   fit_line(app, line, sizeof line, width - 1, base, 4, forms, state, app->m->cursor, r->n, pos, dur, app->bad_lines);
   ui_put_clip(app, 0, 0, width, ROLE_C_HEADER, line);
}

/* The function bar: the views, then the keys that have a place there.
 * When that is wider than the terminal, the bar's first key (Space, the
 * least needed: ? lists it) goes; then only the current view keeps its
 * name (the others their hotkeys); what still does not fit is left out
 * whole, never cut. */
static void draw_footer(App *app) {
   int y = app->rows - 1;
   ui_fill(app, y, 0, app->cols, ROLE_C_KEY_LABEL);
   if (app->working[0] || app->status[0]) {
      char line[sizeof app->status + 2];
      snprintf(line, sizeof line, " %s", app->working[0] ? app->working : app->status);
      ui_put_words(app, y, 0, app->cols, ROLE_C_WARN, line);
      return;
   }
   for (int form = 0; form < 3; form++) {
      int width = 0, brief = form == 2, first_key = -1;
      for (int pass = 0; pass < 2; pass++) {
         int x = 0;
         for (int i = 0; i < ds_nviews + NKEYS; i++) {
            char k[8];
            const char *label;
            bool on = i == app->view;
            if (i < ds_nviews) {
               snprintf(k, sizeof k, "%c", ds_views[i]->hotkey);
               label = brief && !on ? "" : ds_views[i]->name;
            } else if (keys[i - ds_nviews].bar) {
               if (first_key < 0)
                  first_key = i;
               if (form == 1 && i == first_key)
                  continue;
               snprintf(k, sizeof k, "%s", keys[i - ds_nviews].bar_key);
               label = keys[i - ds_nviews].bar;
            } else {
               continue;
            }
            int w = (int)strlen(k) + (int)strlen(label) + 1;
            if (pass && x + w - 1 <= app->cols) {
               ui_put(app, y, x, ROLE_C_KEY, "%s", k);
               ui_put(app, y, x + (int)strlen(k), on ? ROLE_C_SELECTION : ROLE_C_KEY_LABEL, "%s", label);
            }
            x += w;
         }
         width = x - 1;
         if (!pass && width > app->cols && !brief)
            break; /* too wide: the next, briefer form */
      }
      if (width <= app->cols || brief)
         return;
   }
}

#define HELP_W 240

/* The help as lines of the screen's width: headings, and keys with their
 * text wrapped at words (continuation lines have no key). */
typedef struct HelpText {
   struct {
      bool heading;
      char key[12];
      char text[HELP_W + 1];
   } line[HELP_LINES];
   int n, width; /* width: of the text column */
} HelpText;

static void help_heading(HelpText *h, const char *text) {
   if (h->n < HELP_LINES) {
      h->line[h->n].heading = true;
      h->line[h->n].key[0] = '\0';
      snprintf(h->line[h->n++].text, HELP_W + 1, "%s", text);
   }
}

/* A key and its text, wrapped at blanks to the text column's width. */
static void help_entry(HelpText *h, const char *key, const char *text) {
   const char *p = text;
   bool first = true;
   while (*p && h->n < HELP_LINES) {
      int len = (int)strlen(p), take = len;
      if (ds_cells(p) > h->width) {
         take = 0;
         for (int i = 0, cells = 0; p[i] && cells <= h->width; i++) {
            if (p[i] == ' ')
               take = i;
            if (((unsigned char)p[i] & 0xc0) != 0x80)
               cells++;
         }
         if (!take) /* one word longer than the column: cut it there */
            take = h->width;
      }
      h->line[h->n].heading = false;
      snprintf(h->line[h->n].key, sizeof h->line[h->n].key, "%s", first ? key : "");
      snprintf(h->line[h->n++].text, HELP_W + 1, "%.*s", take, p);
      p += take;
      while (*p == ' ')
         p++;
      first = false;
   }
}

static void help_keys(HelpText *h, const KeyBinding *t) {
   for (; t && t->key; t++)
      if (t->label)
         help_entry(h, t->label, t->help);
}

/* The help, from the key tables: the views, the dashboard's keys, each
 * view's own, the labelling keys. */
static void help_text(HelpText *h, int width) {
   h->n = 0;
   h->width = width < 20 ? 20 : width > HELP_W ? HELP_W : width;
   help_heading(h, "Views (a key shows one; Tab cycles)");
   for (int v = 0; v < ds_nviews; v++) {
      char k[4] = {(char)ds_views[v]->hotkey, 0};
      help_entry(h, k, ds_views[v]->name);
   }
   help_heading(h, "Everywhere");
   help_keys(h, keys);
   for (int v = 0; v < ds_nviews; v++)
      if (ds_views[v]->keys) {
         char head[64];
         snprintf(head, sizeof head, "In %s (%c)", ds_views[v]->name, ds_views[v]->hotkey);
         help_heading(h, head);
         help_keys(h, ds_views[v]->keys);
      }
   help_heading(h, "Labels (at the Timeline's cursor, in any view)");
   help_keys(h, ui_label_keys);
}

/* The help, full screen (htop's F1): a title, as many lines as fit,
 * scrolled by the arrows, and how to leave it. */
static void draw_help(App *app) {
   static HelpText h;
   help_text(&h, app->cols - 14);
   erase();
   ui_layout_frame(app);
   ui_panel(app, "help");
   ui_fill(app, 0, 0, app->cols, ROLE_C_HEADER);
   char title[128];
   snprintf(title, sizeof title, " driftscope %s help: every key (man driftscope for the rest)", DS_VERSION);
   if (ds_cells(title) > app->cols)
      snprintf(title, sizeof title, " driftscope %s help: every key", DS_VERSION);
   ui_put_clip(app, 0, 0, app->cols, ROLE_C_HEADER, title);
   int rows = app->rows - 2, shown = h.n < rows ? h.n : rows;
   int top = app->help_top > (size_t)(h.n - shown) ? h.n - shown : (int)app->help_top;
   app->help_top = (size_t)top;
   for (int i = 0; i < shown; i++) {
      int y = 1 + i;
      if (h.line[top + i].heading) {
         ui_put_clip(app, y, 1, app->cols - 2, ROLE_C_TITLE, h.line[top + i].text);
         continue;
      }
      ui_put_clip(app, y, 3, 10, ROLE_C_CURRENT, h.line[top + i].key);
      ui_put_clip(app, y, 13, app->cols - 14, ROLE_C_NORMAL, h.line[top + i].text);
   }
   ui_fill(app, app->rows - 1, 0, app->cols, ROLE_C_KEY_LABEL);
   char foot[128];
   if (shown >= h.n)
      snprintf(foot, sizeof foot, " any key returns");
   else if (snprintf(foot, sizeof foot, " Up/Down PgUp/PgDn scroll, any other key returns   lines %d-%d of %d", top + 1,
                     top + shown, h.n) > app->cols)
      snprintf(foot, sizeof foot, " Up/Down scroll, other keys return  lines %d-%d of %d", top + 1, top + shown, h.n);
   ui_put_clip(app, app->rows - 1, 0, app->cols, ROLE_C_KEY_LABEL, foot);
}

/* A session still being read: its name, how far, a bar; q quits. */
static void draw_loading(App *app) {
   ui_panel(app, "header");
   ui_fill(app, 0, 0, app->cols, ROLE_C_HEADER);
   const char *base = strrchr(app->source, '/') ? strrchr(app->source, '/') + 1 : app->source;
   char line[256], pct[16] = "";
   if (!isnan(app->load_share))
      snprintf(pct, sizeof pct, "%.0f%%  ", 100 * app->load_share);
   snprintf(line, sizeof line, " LOADING  %s  %s%zu records", base, pct, app->load_records);
   ui_put_name(app, 0, 0, app->cols, ROLE_C_HEADER, line, false);
   ui_panel(app, "progress");
   int w = app->cols - 4 < 60 ? app->cols - 4 : 60, y = app->rows / 2, x = (app->cols - w) / 2;
   int filled = isnan(app->load_share) ? 0 : (int)lround(app->load_share * w);
   for (int i = 0; i < w; i++)
      ui_put_clip(app, y, x + i, 1, i < filled ? ROLE_C_OK : ROLE_C_DIM, i < filled ? app->g->full : app->g->hline);
   ui_put_name(app, y - 2, x, w, ROLE_C_NORMAL, app->working, false);
   ui_panel(app, "footer");
   ui_fill(app, app->rows - 1, 0, app->cols, ROLE_C_KEY_LABEL);
   ui_put_clip(app, app->rows - 1, 0, app->cols, ROLE_C_KEY_LABEL,
               " the views open when it is read (keys act then); q quits");
}

void App_draw(App *app) {
   if (!app->dirty && app->drawn == app->m->version)
      return;
   double t0 = ds_now_ms();
   erase();
   ui_layout_frame(app);
   if (app->halted[0]) {
      ui_put_clip(app, 0, 0, app->cols, ROLE_C_HEADER_ALERT, " driftscope  the display stopped");
      ui_put_clip(app, 2, 1, app->cols - 2, ROLE_C_ALERT, app->halted);
      ui_put_clip(app, app->rows - 1, 0, app->cols, ROLE_C_KEY_LABEL, " q quits");
   } else if (app->loading) {
      draw_loading(app);
   } else if (app->cols < DS_MIN_COLS || app->rows < DS_MIN_ROWS) {
      char need[32];
      snprintf(need, sizeof need, "(need %dx%d)", DS_MIN_COLS, DS_MIN_ROWS);
      ui_put_clip(app, app->rows / 2 - (app->rows > 1), 0, app->cols, ROLE_C_WARN, "enlarge the terminal");
      ui_put_clip(app, app->rows / 2 + (app->rows <= 1), 0, app->cols, ROLE_C_WARN, need);
   } else {
      ui_panel(app, "header");
      draw_header(app);
      int bar = app->nboards > 1;
      if (bar) {
         ui_panel(app, "boards");
         ui_draw_board_bar(app, 1);
      }
      ui_panel(app, ds_views[app->view]->name);
      const View *v = ds_views[app->view];
      void *st = app->view_state[app->view];
      if (v->state_size && !st) {
         ui_put(app, 2, 1, ROLE_C_ALERT, "out of memory: the %s view cannot be shown", v->name);
      } else {
         if (v->update)
            v->update(app, st);
         v->draw(app, st, 1 + bar, app->rows - 2 - bar);
      }
      ui_panel(app, "footer");
      draw_footer(app);
      ui_panel(app, NULL);
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
