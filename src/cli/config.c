// SPDX-License-Identifier: MIT
/* The config file: `key = value` lines, the keys being long option names
 * (DESIGN §9); '#' starts a comment. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CONFIG_LINE_MAX 1024
#define CONFIG_MAX_OPTIONS 64

static bool config_path(char *out, size_t n) {
   const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
   if (xdg && *xdg)
      snprintf(out, n, "%s/driftscope/config", xdg);
   else if (home && *home)
      snprintf(out, n, "%s/.config/driftscope/config", home);
   else
      return false;
   return true;
}

static char *trim(char *s) {
   while (isspace((unsigned char)*s))
      s++;
   char *e = s + strlen(s);
   while (e > s && isspace((unsigned char)e[-1]))
      *--e = '\0';
   return s;
}

static const struct option *find_option(const struct option *o, const char *name) {
   for (; o->name; o++)
      if (strcmp(o->name, name) == 0)
         return o;
   return NULL;
}

bool config_apply(ConfigArgs *c, int argc, char **argv, const struct option *longopts) {
   char path[1024];
   c->argv = calloc((size_t)argc + CONFIG_MAX_OPTIONS + 1, sizeof *c->argv);
   c->nconfig = 0;
   c->argc = 0;
   if (!c->argv)
      return false;
   c->argv[c->argc++] = argv[0];
   bool have_path = config_path(path, sizeof path);
   FILE *f = have_path ? fopen(path, "r") : NULL;
   if (!f && have_path && errno != ENOENT)
      fprintf(stderr, "driftscope: %s: cannot read config: %s\n", path, strerror(errno));
   char line[CONFIG_LINE_MAX];
   long lineno = 0;
   bool ok = true;
   while (ok && f && fgets(line, sizeof line, f)) {
      lineno++;
      char *s = trim(line);
      if (!*s || *s == '#')
         continue;
      char *eq = strchr(s, '=');
      if (!eq) {
         fprintf(stderr, "driftscope: %s:%ld: expected 'key = value'\n", path, lineno);
         ok = false;
         break;
      }
      *eq = '\0';
      char *key = trim(s), *val = trim(eq + 1);
      const struct option *o = find_option(longopts, key);
      if (!o) /* options of other subcommands are fine in a shared file */
         continue;
      if (c->nconfig >= CONFIG_MAX_OPTIONS) {
         fprintf(stderr, "driftscope: %s:%ld: more than %d options\n", path, lineno, CONFIG_MAX_OPTIONS);
         ok = false;
         break;
      }
      size_t len = strlen(key) + strlen(val) + 4;
      char *opt = malloc(len);
      if (!opt) {
         ok = false;
         break;
      }
      snprintf(opt, len, o->has_arg == no_argument ? "--%s" : "--%s=%s", key, val);
      c->argv[c->argc++] = opt;
      c->nconfig++;
   }
   if (f)
      fclose(f);
   for (int i = 1; i < argc; i++)
      c->argv[c->argc++] = argv[i];
   c->argv[c->argc] = NULL;
   if (!ok)
      config_free(c);
   return ok;
}

void config_free(ConfigArgs *c) {
   if (!c->argv)
      return;
   for (int i = 1; i <= c->nconfig; i++)
      free(c->argv[i]);
   free(c->argv);
   c->argv = NULL;
}
