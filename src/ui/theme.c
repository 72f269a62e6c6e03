// SPDX-License-Identifier: MIT
#include "theme.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const ds_role_names[ROLE_C_COUNT] = {
#define X(id, name) name,
   DS_ROLES(X)
#undef X
};

static const char *const base_names[8] = {"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"};

/* xterm's 16 base colours, for mapping RGB down */
static const int base_rgb[16] = {0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
                                 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff};

static const RoleStyle dark[ROLE_C_COUNT] = {
   [ROLE_C_NORMAL] = {-1, -1, 0},
   [ROLE_C_HEADER] = {0, 6, 0},
   [ROLE_C_HEADER_ALERT] = {15, 1, DS_ATTR_BOLD},
   [ROLE_C_TITLE] = {6, -1, DS_ATTR_BOLD},
   [ROLE_C_DIM] = {8, -1, 0},
   [ROLE_C_KEY] = {0, 6, DS_ATTR_BOLD},
   [ROLE_C_KEY_LABEL] = {-1, -1, 0},
   [ROLE_C_REFERENCE] = {4, -1, 0},
   [ROLE_C_CURRENT] = {3, -1, 0},
   [ROLE_C_OK] = {2, -1, DS_ATTR_BOLD},
   [ROLE_C_WARN] = {3, -1, DS_ATTR_BOLD},
   [ROLE_C_ALERT] = {1, -1, DS_ATTR_BOLD},
   [ROLE_C_SELECTION] = {0, 6, 0},
   [ROLE_C_THRESHOLD] = {1, -1, 0},
   [ROLE_C_HEAT1] = {-1, 4, 0},
   [ROLE_C_HEAT2] = {0, 6, 0},
   [ROLE_C_HEAT3] = {0, 2, 0},
   [ROLE_C_HEAT4] = {0, 3, 0},
   [ROLE_C_HEAT5] = {7, 1, DS_ATTR_BOLD},
   [ROLE_C_CLASS0] = {6, -1, 0},
   [ROLE_C_CLASS1] = {3, -1, 0},
   [ROLE_C_CLASS2] = {2, -1, 0},
   [ROLE_C_CLASS3] = {5, -1, 0},
   [ROLE_C_CLASS4] = {4, -1, 0},
   [ROLE_C_CLASS5] = {1, -1, 0},
   [ROLE_C_CLASS6] = {7, -1, 0},
   [ROLE_C_CLASS7] = {14, -1, 0},
};

void Theme_default(Theme *t) {
   memset(t, 0, sizeof *t);
   snprintf(t->name, sizeof t->name, "default");
   memcpy(t->role, dark, sizeof dark);
   t->color = true;
}

bool ds_parse_color(const char *s, int *out) {
   if (!strcasecmp(s, "default")) {
      *out = -1;
      return true;
   }
   if (s[0] == '#') {
      if (strlen(s) != 7)
         return false;
      for (int i = 1; i < 7; i++)
         if (!isxdigit((unsigned char)s[i]))
            return false;
      *out = DS_RGB | (int)strtol(s + 1, NULL, 16);
      return true;
   }
   if (isdigit((unsigned char)s[0])) {
      char *end;
      long v = strtol(s, &end, 10);
      if (*end || v > 255)
         return false;
      *out = (int)v;
      return true;
   }
   bool bright = !strncasecmp(s, "bright-", 7);
   for (int i = 0; i < 8; i++)
      if (!strcasecmp(bright ? s + 7 : s, base_names[i])) {
         *out = i + (bright ? 8 : 0);
         return true;
      }
   return false;
}

static int rgb_of_index(int c) {
   if (c < 16)
      return base_rgb[c];
   if (c >= 232) {
      int g = 8 + 10 * (c - 232);
      return g << 16 | g << 8 | g;
   }
   static const int level[6] = {0, 95, 135, 175, 215, 255};
   c -= 16;
   return level[c / 36] << 16 | level[c / 6 % 6] << 8 | level[c % 6];
}

static long dist2(int a, int b) {
   long dr = (a >> 16 & 255) - (b >> 16 & 255), dg = (a >> 8 & 255) - (b >> 8 & 255), db = (a & 255) - (b & 255);
   return dr * dr + dg * dg + db * db;
}

/* The nearest of palette entries [0, n) to rgb. */
static int nearest_base(int rgb, int n) {
   int best = 0;
   for (int i = 1; i < n; i++)
      if (dist2(rgb, base_rgb[i]) < dist2(rgb, base_rgb[best]))
         best = i;
   return best;
}

static int cube(int v) {
   return v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40;
}

int ds_map_color(int c, int ncolors) {
   if (c < 0)
      return -1;
   if (c & DS_RGB) {
      int rgb = c & 0xffffff;
      if (ncolors >= 256)
         return 16 + 36 * cube(rgb >> 16 & 255) + 6 * cube(rgb >> 8 & 255) + cube(rgb & 255);
      return nearest_base(rgb, ncolors >= 16 ? 16 : 8);
   }
   if (c < ncolors)
      return c;
   if (c < 16) /* a bright colour on an 8-colour terminal; bright black (grey) as white: black vanishes */
      return c == 8 ? 7 : c - 8;
   return nearest_base(rgb_of_index(c), ncolors >= 16 ? 16 : 8);
}

static bool parse_attr(const char *w, int *attrs) {
   static const struct {
      const char *name;
      int bit;
   } names[] = {
      {"bold", DS_ATTR_BOLD}, {"dim", DS_ATTR_DIM}, {"underline", DS_ATTR_UNDERLINE}, {"reverse", DS_ATTR_REVERSE}};
   for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
      if (!strcasecmp(w, names[i].name)) {
         *attrs |= names[i].bit;
         return true;
      }
   return false;
}

static int role_named(const char *s) {
   for (int i = 0; i < ROLE_C_COUNT; i++)
      if (!strcasecmp(s, ds_role_names[i]))
         return i;
   return -1;
}

/* Parse "role = fg bg [attrs]" (trimmed, not blank or comment) into t. */
static bool parse_line(Theme *t, char *line, char *why, size_t whylen) {
   char *eq = strchr(line, '=');
   if (!eq) {
      snprintf(why, whylen, "expected 'role = fg bg [attributes]'");
      return false;
   }
   *eq = '\0';
   char *name = strtok(line, " \t");
   int r = name ? role_named(name) : -1;
   if (r < 0) {
      snprintf(why, whylen, "unknown role '%s'", name ? name : "");
      return false;
   }
   RoleStyle st = {-1, -1, 0};
   int nwords = 0;
   for (char *w = strtok(eq + 1, " \t"); w; w = strtok(NULL, " \t"), nwords++) {
      int *slot = nwords == 0 ? &st.fg : nwords == 1 ? &st.bg : NULL;
      if (slot ? !ds_parse_color(w, slot) : !parse_attr(w, &st.attrs)) {
         snprintf(why, whylen, "bad %s '%s'", slot ? "colour" : "attribute", w);
         return false;
      }
   }
   if (nwords < 2) {
      snprintf(why, whylen, "role %s needs a foreground and a background colour", ds_role_names[r]);
      return false;
   }
   t->role[r] = st;
   return true;
}

bool Theme_parse(Theme *t, const char *text, char *err, size_t errlen) {
   Theme next = *t;
   int lineno = 0;
   for (const char *p = text; *p;) {
      const char *nl = strchr(p, '\n');
      size_t len = nl ? (size_t)(nl - p) : strlen(p);
      char line[256];
      lineno++;
      if (len >= sizeof line) {
         snprintf(err, errlen, "line %d: too long", lineno);
         return false;
      }
      memcpy(line, p, len);
      line[len] = '\0';
      p += len + (nl != NULL);
      char *s = line;
      while (isspace((unsigned char)*s))
         s++;
      if (!*s || *s == '#') /* a comment is a whole line: '#rrggbb' is a colour */
         continue;
      char why[128];
      if (!parse_line(&next, s, why, sizeof why)) {
         snprintf(err, errlen, "line %d: %s", lineno, why);
         return false;
      }
   }
   *t = next;
   return true;
}
