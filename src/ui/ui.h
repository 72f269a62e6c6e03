/* SPDX-License-Identifier: MIT */
/* The dashboard (DESIGN §7): an App draws a Monitor's state (the core's
 * snapshot of the stream at the replay position) in ncurses and turns keys
 * into actions. It never reads the source or parses: the command line's
 * event loop feeds it keys, resizes and the ticks that move the replay.
 * The App moves the Replay; it reads the Monitor and never changes it: its
 * owner brings it to the Replay's cursor and the detail the App wants
 * (App_wants_detail), between App_pin and App_repin.
 *
 * Call order: App_init, App_start (takes the terminal), then any of
 * App_key / App_tick / App_resize / App_draw, and App_stop (gives the
 * terminal back; safe to call twice, and before printing a fatal error). */
#ifndef DRIFTSCOPE_UI_H
#define DRIFTSCOPE_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/assess.h"
#include "driftscope/labels.h"
#include "driftscope/monitor.h"
#include "driftscope/replay.h"
#include "theme.h"

#define DS_MIN_COLS 60 /* smaller terminals get "enlarge the terminal" */
#define DS_MIN_ROWS 16
#define DS_FRAME_MS 50        /* redraw at most 20 times a second */
#define DS_FRAME_SAMPLES 4096 /* frame times kept for the p99 */
#define DS_MAX_VIEWS 9        /* hotkeys 1-9 */

typedef struct Glyphs {
   const char *spark[8];  /* ▁ … █ */
   const char *eighth[9]; /* vertical bar parts: "", ▁ … █ */
   const char *full, *hline, *vline, *cursor;
   const char *shade;    /* ░ (ASCII :): the reference's bars beside the window's full ones */
   const char *ellipsis; /* … (ASCII: ~) where a name was shortened */
   bool braille;
} Glyphs;

/* A live source's state, as the command line's loop sees it (the UI
 * never reads the source): the header shows it. */
typedef struct LiveInfo {
   bool on;               /* a live source (else a recorded session) */
   bool connected, ended; /* ended: standard input closed */
   double down_ms;        /* disconnected for this long */
   double rate;           /* records a second, lately */
   const char *recording; /* the session file; NULL: not recording */
   bool write_failed;     /* the session file cannot be written now */
} LiveInfo;

/* One of several boards (the dashboard's caller fills them each frame):
 * the board bar under the header shows each one's state and verdict. */
#define UI_MAX_BOARDS 16
typedef struct BoardInfo {
   char name[64];
   bool connected, ended;
   double rate;   /* records a second, lately */
   bool compared; /* a verdict (a reference, features compared) */
   bool warming;  /* its window not full yet */
   bool drift;    /* dataset drift in its current window */
   double share;  /* drifted features' share */
} BoardInfo;

/* Labelling (DESIGN §7, §8): the segments and what the command line does
 * with an operation; the UI never writes files. */
typedef struct LabelHooks {
   LabelStore *store;    /* NULL: labelling is off */
   const char *readonly; /* set: why labels cannot change here (shown) */
   const char *journal;  /* the journal file, for messages */
   /* an operation's journal row: write and fsync it, ground truth follows;
    * false with msg when it could not be written (it is retried) */
   bool (*commit)(void *ctx, const StrBuf *row, char *msg, size_t n);
   /* export (ExportFormat) to a new directory; msg says what was written */
   bool (*export)(void *ctx, int format, bool unlabelled, char *msg, size_t n);
   void *ctx;
   size_t labelled;   /* records labelled (truth from labels) */
   bool stream_truth; /* the stream has its own truth: labels do not override it */
} LabelHooks;

/* A modal box of the labelling keys. */
typedef enum { MODAL_NONE, MODAL_PICKER, MODAL_NEW_LABEL, MODAL_NOTE, MODAL_SEGMENTS, MODAL_EXPORT } Modal;

typedef struct App {
   const Monitor *m; /* read only: its owner moves it (see above) */
   Replay *r;
   const char *source; /* shown in the header */
   long bad_lines;
   LiveInfo live; /* set by the caller each tick */
   Theme theme;
   int theme_index; /* into the built-in list `t` cycles through; -1: from a file */
   bool color;      /* colours allowed (not NO_COLOR, terminal has them) */
   const Glyphs *g;
   int attr[ROLE_C_COUNT]; /* curses attributes of each role */
   int rows, cols;
   int view; /* index into ds_views */
   int sel;  /* selected feature: index into m->a.cols */
   bool zoom, help;
   int sort;                       /* the feature table's order (SortOrder) */
   char filter[64];                /* shown: columns whose name holds this ("" all) */
   bool filtering;                 /* typing the filter (after /) */
   size_t help_top;                /* the first help line shown */
   SpectrumOptions spec;           /* --rate (the sample rate of a stream without times), --band */
   void *view_state[DS_MAX_VIEWS]; /* each view's own (View.state_size) */
   size_t tl_back;                 /* timeline cursor: records before the newest shown */
   /* where the timeline drew records [tl_from, tl_from + tl_n): two a cell
    * from column tl_x, rows tl_y0..tl_y1 (for the mouse) */
   size_t tl_from, tl_n;
   int tl_x, tl_y0, tl_y1;
   int tl_cells; /* cells the tl_n records take: the width (a short session is stretched); up to two records a cell */
   LabelHooks labels;
   /* what is wrong besides drift (ds_assess over the Monitor's window and
    * the Ingests' counters), in the header and the Overview; the caller
    * sets the Ingests (NULL: not assessed) and the limits */
   const Ingest *in, *ref_in;
   AssessLimits limits;
   Assessment assess;
   unsigned long assessed; /* 1 + the monitor version it was made at; 0: none yet */
   long assessed_lines;
   bool selecting;    /* a selection from sel_anchor to the cursor */
   size_t sel_anchor; /* record */
   size_t pin;        /* a record the cursor goes to once the Monitor has moved (SIZE_MAX: none) */
   Modal modal;
   int modal_sel; /* picker / list / export choice */
   bool export_unlabelled;
   char input[DS_NOTE_MAX];
   long note_id;        /* the segment a note edits */
   size_t sugg_at;      /* suggestions: the last one shown (1-based, 0 none) */
   char status[320];    /* one-line message at the bottom */
   char working[160];   /* set: what takes long now (a seek, a load), at the bottom until done */
   bool loading;        /* the session is still being read: no view yet, the progress instead */
   bool no_reference;   /* nothing to compare with yet (no -r, no baseline taken) */
   bool want_baseline;  /* B: the owner takes the current window as the reference */
   char reference[160]; /* what the reference is (a file, records of the stream) */
   double load_share;   /* how much of it (0..1, NaN unknown) */
   size_t load_records;
   int pending[16]; /* keys pressed while loading, acted on once the views open (App_loaded) */
   int npending;
   char halted[320]; /* set: the display stopped (its owner could not go on); only this is shown, q quits */
   BoardInfo boards[UI_MAX_BOARDS]; /* several boards (nboards > 1): the board bar */
   int nboards, shown_board;
   int switch_board; /* b pressed: the owner shows the board this many further on */
   bool started, quit, dirty;
   void *screen, *tty;  /* newterm's SCREEN and /dev/tty, when keys come from there */
   unsigned long drawn; /* monitor version last drawn */
   /* the layout check (DRIFTSCOPE_CHECK_LAYOUT set): which panel wrote
    * each cell this frame; a panel writing a cell another wrote is an
    * overlap, text longer than its room a cut */
   struct {
      bool on;
      unsigned char *owner; /* rows×cols panel numbers, 0: not written */
      int rows, cols, panel, npanels;
      const char *names[64];
      long overlaps, cuts;
      /* the distinct ones (by panels and size; by text), first seen first */
      char overlap[8][200], cut[8][200];
      int noverlap, ncut;
   } layout;
   /* frame draw times, ms */
   double frame_ms[DS_FRAME_SAMPLES];
   long frames;
} App;

/* A key, and how the help and the function bar name it. use(app, ch)
 * returns whether it used the key (one it does not use goes on to the
 * next table: the view's, the labelling layer's, the dashboard's); act is
 * the same for a key always used. label NULL: not listed (another binding
 * of the same action is). bar_key and bar: its place in the function bar,
 * NULL when it has none. A table ends with a key of 0. */
typedef struct KeyBinding {
   int key;
   const char *label, *help;
   void (*act)(App *app);
   bool (*use)(App *app, int ch);
   const char *bar_key, *bar;
} KeyBinding;

/* A view (htop's Panel): its own state (state_size bytes, zeroed at
 * App_init; done frees what it holds), an update step that computes what
 * is shown from the Monitor (histograms, spectra; cached, so each frame
 * does only what changed), a draw step that puts it on the screen and
 * computes nothing, and its keys. A view that needs no state has
 * state_size 0 and gets NULL. */
typedef struct View {
   const char *name;
   int hotkey; /* '1'… */
   size_t state_size;
   void (*update)(App *app, void *state); /* NULL: nothing to compute */
   void (*draw)(App *app, const void *state, int top, int height);
   void (*done)(void *state); /* NULL: the state holds nothing to free */
   const KeyBinding *keys;    /* the view's own; NULL: none */
} View;

/* The current view's state (for its keys). */
void *ui_view_state(const App *app);

/* The labelling layer's keys (any view; a labelling box takes every key). */
extern const KeyBinding ui_label_keys[];

extern const View *const ds_views[];
extern const int ds_nviews;

/* Set up (no terminal yet). theme: a name or path, NULL for the default;
 * on a bad theme err says why and the default stands. */
/* The function themes are read with (io's ds_read_file); set before App_init. */
void ui_set_file_reader(char *(*reader)(const char *path, size_t *n));
void App_init(App *app, const Monitor *m, Replay *r, const char *source, long bad_lines, const char *theme, char *err,
              size_t errlen);
/* Take the terminal. keys_from_tty: read keys from /dev/tty (standard
 * input carries the data). App_key_fd is then the fd to poll for keys. */
bool App_start(App *app, bool keys_from_tty);
int App_key_fd(const App *app);
/* The Monitor was prepared again (new columns): select a feature again. */
void App_monitor_reset(App *app);
/* Show another board: its Monitor, replay and name; the views start
 * afresh (selection, zoom, cursor, a labelling selection dropped). */
void App_show(App *app, const Monitor *m, Replay *r, const char *source);
/* The board bar at row y (several boards). */
void ui_draw_board_bar(App *app, int y);
void App_stop(App *app);
/* Free the views' states (after App_stop). */
void App_done(App *app);
/* The session is read: the views open and the keys pressed meanwhile act. */
void App_loaded(App *app);
/* Read and handle every key waiting on the terminal. */
void App_input(App *app);
/* Handle one key (curses code); sets app->quit when it was q. */
void App_key(App *app, int ch);
/* The terminal changed size (curses knows: KEY_RESIZE), or is now
 * rows×cols (after SIGWINCH). */
void App_resize(App *app);
void App_resize_to(App *app, int rows, int cols);
/* Move the replay by elapsed ms. */
void App_tick(App *app, double elapsed_ms);
/* Whether the Monitor should compute every statistic (a zoomed feature). */
bool App_wants_detail(const App *app);
/* Before the owner moves the Monitor: the record the cursor must stay on
 * (a selection being made, a labelling box open, a jump), SIZE_MAX when
 * none; after it moved, App_repin puts the cursor back on it. */
size_t App_pin(const App *app);
void App_repin(App *app, size_t at);
/* Draw when something changed. */
void App_draw(App *app);
/* Wall ms until the app needs a tick (replay pacing), -1 for never. */
double App_next_due(const App *app);
/* Mean and 99th percentile of frame draw times (ms). */
void App_frame_stats(const App *app, double *mean, double *p99);

/* --- labelling (labeling.c) --- */
/* The timeline cursor's record (< m->cursor), or SIZE_MAX with no record. */
size_t ui_cursor_record(const App *app);
/* Put the Timeline cursor on record r (clamped to the records shown). */
void ui_set_cursor(App *app, size_t r);
/* Keys of labelling and of its boxes; true when used. */
void ui_label_modal_key(App *app, int ch);
/* The box of the open modal, over the view. */
void ui_label_draw_modal(App *app);
/* The record under screen cell (y, x) of the timeline, or SIZE_MAX. */
size_t ui_timeline_record_at(const App *app, int y, int x);
/* A mouse event: on the timeline, pressing starts a selection at the
 * record under it and releasing (after a drag) ends it there. */
void ui_label_mouse(App *app, int y, int x, bool press, bool release);
/* The Timeline's cells: cell k holds records [ui_cell_first(k), ui_cell_first(k + 1)) of
 * the tl_n from tl_from; record r is in cell ui_record_cell(r). */
size_t ui_cell_first(const App *app, int k);
size_t ui_cell_last(const App *app, int k); /* its last record (its only one when records are stretched) */
int ui_record_cell(const App *app, size_t r);
/* The band of labelled segments for records [from, from + n) (the
 * Timeline's cells); the selection shown reversed. */
void ui_label_band(App *app, size_t from, size_t n, int y, int x);

/* --- drawing helpers shared by the views (draw.c) --- */
/* What follows is drawn by panel name (for the layout check); NULL: an
 * overlay (the help, a labelling box) that may cover any panel. */
void ui_panel(App *app, const char *name);
/* A new frame: no cell written yet. */
void ui_layout_frame(App *app);
void ui_put(App *app, int y, int x, ColorRole role, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Print s clipped to width cells (s is UTF-8; one cell a code point). */
void ui_put_clip(App *app, int y, int x, int width, ColorRole role, const char *s);
void ui_fill(App *app, int y, int x, int width, ColorRole role);
/* A name in width cells, shortened by the middle when longer (padded
 * with blanks to width when pad). */
void ui_put_name(App *app, int y, int x, int width, ColorRole role, const char *name, bool pad);
/* A sentence in width cells, shortened after a whole word when longer. */
void ui_put_words(App *app, int y, int x, int width, ColorRole role, const char *text);
/* The onset of drifted column c's present state, as far as the records
 * so far tell (changepoint.h): false when it did not drift, or none is
 * found. */
bool ui_onset(const ColumnReport *c, ChangePoint *cp);
/* The onset's marker: a vertical line h rows down from (y, x). */
void ui_onset_mark(App *app, int y, int x, int h);
/* text word-wrapped at width on up to rows rows from (y, x), the last one
 * shortened (ellipsis) if it still does not fit; returns the rows used. */
int ui_put_wrapped(App *app, int y, int x, int width, int rows, ColorRole role, const char *text);
/* Session time (ms since the first record) as h:mm:ss.s. */
void ui_fmt_time(char *buf, size_t n, double ms);
void ui_title(App *app, int y, int x, int width, const char *title);
/* A view's title and, when the whole fits, "; " and its key hint; a title
 * too long for width is shortened by the middle. */
void ui_title_hint(App *app, int y, int x, int width, const char *title, const char *hint);
void ui_braille(App *app, int y, int x, const void *canvas, ColorRole role);
/* Whether a feature is shown: compared with the reference, or, before
 * there is one, any numeric feature of the stream. */
bool ui_shows_column(const App *app, const ColumnReport *c);
/* Columns a feature list shows: indices into m->a.cols of compared features. */
int ui_features(const App *app, int *out);
/* The orders of the feature table (s cycles). */
typedef enum { SORT_FILE, SORT_DRIFT, SORT_NAME, SORT_MISSING, SORT_COUNT } SortOrder;
extern const char *const ui_sort_names[SORT_COUNT];
/* The compared columns the tables show, in the chosen order, those the
 * filter lets through: the features, then (outputs) the model's outputs
 * and the other compared columns. */
int ui_shown_columns(const App *app, int *out, bool outputs);
/* How a column ranks by drift: its score over its threshold on the
 * charts' scale (>= 1 drifted), -1 when not scored. */
double ui_drift_ratio(const ColumnReport *c);
ColorRole ui_class_role(int cls);
const char *ui_class_name(const App *app, int cls);
/* A letter for class cls in bands: the first of its name's letters that no
 * class before it took (legends spell them out). */
char ui_class_letter(const App *app, int cls);
#define DS_AXIS_W 8 /* a chart's y-axis labels, left of it */
/* Plot v[0..n) (NaN skipped) scaled to [lo, hi] on a braille canvas of
 * w×h cells at (y, x), with a dashed line at thr labelled thr_label (when
 * thr is finite), and the scale's ends to the left. */
void ui_chart(App *app, const double *v, size_t n, double lo, double hi, double thr, const char *thr_label, int y,
              int x, int w, int h, ColorRole role);
/* The same, as a dotted line (a second curve on the same chart that
 * stays distinct without colours: NO_COLOR, mono). */
void ui_chart_dotted(App *app, const double *v, size_t n, double lo, double hi, int y, int x, int w, int h,
                     ColorRole role);
/* Under a chart: the records (and times) of windows [from, from + n). */
void ui_time_axis(App *app, size_t from, size_t n, int y, int x, int w);
/* v right-aligned in width cells (at most 15): three significant digits,
 * whole numbers from 1000 up to a million as they are, the exponent short
 * (5.13e-4), fewer digits when still too wide; never cut. */
void ui_axis_label(char *l, size_t n, double v, int width);
/* A score (or threshold) on the scale charts draw, where up is more drift
 * for every test: -log10 p for p-values (p floored at 1e-300), else the
 * distance itself; NaN (not scored) stays NaN. */
double ui_drift_height(bool p_value, double score);
/* Format a score as its method shows it (p-values in %.3g, distances %.3f). */
void ui_fmt_score(char *buf, size_t n, double score);

#endif
