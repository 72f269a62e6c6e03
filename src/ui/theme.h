/* SPDX-License-Identifier: MIT */
/* Colour roles and themes (DESIGN §7). Code asks for a role, never for a
 * colour; a theme sets roles by name. Parsing and colour mapping are pure
 * (no curses), so they are tested headless; app.c applies a theme.
 *
 * Theme file: one "role = fg bg [attr...]" a line; lines starting with '#'
 * are comments. Colours:
 * default, black red green yellow blue magenta cyan white (bright-NAME for
 * 8..15), 0..255, or #rrggbb. Attributes: bold dim underline reverse.
 * Roles a file leaves out keep the built-in default's. */
#ifndef DRIFTSCOPE_UI_THEME_H
#define DRIFTSCOPE_UI_THEME_H

#include <stdbool.h>
#include <stddef.h>

#define DS_ROLES(X)                                                                                                    \
   X(NORMAL, "normal")                                                                                                 \
   X(HEADER, "header")                                                                                                 \
   X(HEADER_ALERT, "header_alert")                                                                                     \
   X(TITLE, "title")                                                                                                   \
   X(DIM, "dim")                                                                                                       \
   X(KEY, "key")                                                                                                       \
   X(KEY_LABEL, "key_label")                                                                                           \
   X(REFERENCE, "reference")                                                                                           \
   X(CURRENT, "current")                                                                                               \
   X(OK, "ok")                                                                                                         \
   X(WARN, "warn")                                                                                                     \
   X(ALERT, "alert")                                                                                                   \
   X(SELECTION, "selection")                                                                                           \
   X(THRESHOLD, "threshold")                                                                                           \
   X(HEAT1, "heat1")                                                                                                   \
   X(HEAT2, "heat2")                                                                                                   \
   X(HEAT3, "heat3")                                                                                                   \
   X(HEAT4, "heat4")                                                                                                   \
   X(HEAT5, "heat5")                                                                                                   \
   X(CLASS0, "class0")                                                                                                 \
   X(CLASS1, "class1")                                                                                                 \
   X(CLASS2, "class2")                                                                                                 \
   X(CLASS3, "class3")                                                                                                 \
   X(CLASS4, "class4")                                                                                                 \
   X(CLASS5, "class5")                                                                                                 \
   X(CLASS6, "class6")                                                                                                 \
   X(CLASS7, "class7")

typedef enum ColorRole {
#define X(id, name) ROLE_C_##id,
   DS_ROLES(X)
#undef X
      ROLE_C_COUNT
} ColorRole;

#define DS_CLASS_COLORS 8
#define DS_HEAT_LEVELS 5

extern const char *const ds_role_names[ROLE_C_COUNT];

/* A colour: -1 terminal default, 0..255 a palette index, or
 * DS_RGB | 0xrrggbb. */
#define DS_RGB 0x1000000
enum { DS_ATTR_BOLD = 1, DS_ATTR_DIM = 2, DS_ATTR_UNDERLINE = 4, DS_ATTR_REVERSE = 8 };

typedef struct RoleStyle {
   int fg, bg;
   int attrs;
} RoleStyle;

typedef struct Theme {
   char name[64];
   RoleStyle role[ROLE_C_COUNT];
   bool color; /* false: attributes only (mono, NO_COLOR) */
} Theme;

/* The built-in dark default. */
void Theme_default(Theme *t);
/* Apply theme text (a file's contents) over t. Returns false at the first
 * bad line and writes "line N: reason" into err; t is then unchanged. */
bool Theme_parse(Theme *t, const char *text, char *err, size_t errlen);

/* Parse one colour word; returns false when it is none of the forms. */
bool ds_parse_color(const char *s, int *out);
/* The colour a terminal with ncolors colours shows for c (-1 stays -1):
 * 256+ colours take RGB to the xterm cube; 8 or 16 take the nearest of
 * their palette. */
int ds_map_color(int c, int ncolors);

#endif
