// SPDX-License-Identifier: MIT
/* `driftscope export SESSION --out DIR [--format dataset|ei|labelstudio]`:
 * the labelled segments of a session (its label journal) as training data
 * (DESIGN §8). Every file is checked before any is written, so a refused
 * export leaves nothing half done; existing files are only replaced with
 * --force. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "driftscope/export.h"
#include "driftscope/hash.h"
#include "io/filesource.h"
#include "driftscope/labels.h"
#include "driftscope/replay.h"

typedef struct ExportArgs {
   const char *session, *labels, *out;
   ExportFormat format;
   bool unlabelled, force, dvc;
} ExportArgs;

static void usage(FILE *f) {
   fprintf(f, "usage: driftscope export SESSION --out DIR [options]\n"
              "\n"
              "Write the labelled segments of SESSION (its label journal, made in the\n"
              "dashboard) as training data.\n"
              "\n"
              "  -o, --out DIR            where to write (made when missing)\n"
              "      --format FMT         dataset (default): DIR/dataset.csv, segment_id,\n"
              "                             segment_label, segment_note and the record\n"
              "                             columns (pandas reads it);\n"
              "                           ei: one Edge Impulse CSV per segment,\n"
              "                             <label>.<session>.<id>.csv, info.labels, and\n"
              "                             all of them in ei-labelled.csv (a label column);\n"
              "                           labelstudio: a Label Studio task with the series and\n"
              "                             the segments (labelstudio.json, labelstudio.xml)\n"
              "      --labels FILE        the journal (default SESSION.labels.csv)\n"
              "      --include-unlabelled also the records in no segment\n"
              "      --force              replace files that exist (never, without it)\n"
              "      --dvc                also DIR/dvc.yaml: a DVC stage whose command is this\n"
              "                           export, the session and journal its deps, the files\n"
              "                           its outs (dvc repro redoes it when they change),\n"
              "                           and DIR/dvc.lock with their MD5s (dvc status: up\n"
              "                           to date)\n"
              "  -h, --help\n"
              "\n"
              "Every export also writes manifest.json (the files' SHA-256 and sizes, the\n"
              "session's and the journal's, the version, options and segments) and\n"
              "manifest.sha256 (sha256sum -c manifest.sha256 verifies the files).\n");
}

static int parse(ExportArgs *ea, int argc, char **argv) {
   static const struct option opts[] = {
      {"out", required_argument, NULL, 'o'},    {"format", required_argument, NULL, 'f'},
      {"labels", required_argument, NULL, 'l'}, {"include-unlabelled", no_argument, NULL, 'u'},
      {"force", no_argument, NULL, 'F'},        {"dvc", no_argument, NULL, 'D'},
      {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
   memset(ea, 0, sizeof *ea);
   optind = 1;
   int c, f;
   while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
      switch (c) {
      case 'h': usage(stdout); return -1;
      case 'o': ea->out = optarg; break;
      case 'l': ea->labels = optarg; break;
      case 'u': ea->unlabelled = true; break;
      case 'F': ea->force = true; break;
      case 'D': ea->dvc = true; break;
      case 'f':
         if ((f = ds_export_format_parse(optarg)) < 0) {
            cli_bad_value("format", optarg, "dataset, ei or labelstudio");
            return EXIT_ERROR;
         }
         ea->format = (ExportFormat)f;
         break;
      default: return EXIT_ERROR;
      }
   }
   if (optind != argc - 1 || !ea->out) {
      fprintf(stderr, "driftscope export: %s\n", optind != argc - 1 ? "give one SESSION" : "missing --out DIR");
      usage(stderr);
      return EXIT_ERROR;
   }
   ea->session = argv[optind];
   return 0;
}

/* mkdir -p: the directory and any missing parents. */
static bool make_dirs(const char *dir) {
   char p[PATH_MAX];
   snprintf(p, sizeof p, "%s", dir);
   for (char *s = p + 1; *s; s++)
      if (*s == '/') {
         *s = '\0';
         if (mkdir(p, 0755) != 0 && errno != EEXIST)
            return false;
         *s = '/';
      }
   return mkdir(p, 0755) == 0 || errno == EEXIST;
}

/* A file the export writes. */
typedef struct Target {
   char path[PATH_MAX];
} Target;

static bool check_targets(const Target *t, size_t n, bool force, FILE *err) {
   for (size_t i = 0; i < n && !force; i++)
      if (access(t[i].path, F_OK) == 0) {
         fprintf(err, "driftscope export: %s exists; nothing written (--force replaces)\n", t[i].path);
         return false;
      }
   return true;
}

/* Write b to path and note it (its name in the directory, SHA-256, size) in rec. */
static bool write_noted(const char *path, const StrBuf *b, bool force, FILE *err, ExportFile *rec);

static bool write_file(const char *path, const StrBuf *b, bool force, FILE *err) {
   int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), 0644);
   size_t done = ds_write_all(fd, b->data, b->len);
   int e = errno;
   if (fd >= 0 && close(fd) != 0 && done == b->len)
      done = 0, e = errno;
   if (done < b->len) {
      fprintf(err, "driftscope export: %s: cannot write: %s\n", path, strerror(e));
      return false;
   }
   return true;
}

static bool write_noted(const char *path, const StrBuf *b, bool force, FILE *err, ExportFile *rec) {
   const char *slash = strrchr(path, '/');
   snprintf(rec->name, sizeof rec->name, "%s", slash ? slash + 1 : path);
   ds_sha256_hex(b->data ? b->data : "", b->len, rec->sha256);
   rec->bytes = b->len;
   return write_file(path, b, force, err);
}

/* path relative to the directory dir (both as the file system has them):
 * "../samples/x.csv"; false when either cannot be resolved. */
static bool relative_to(char *out, size_t n, const char *path, const char *dir) {
   char rp[PATH_MAX], rd[PATH_MAX];
   if (!realpath(path, rp) || !realpath(dir, rd))
      return false;
   size_t common = 0; /* the longest shared leading run of whole components */
   for (size_t i = 0; rp[i] && rp[i] == rd[i]; i++)
      if (rp[i] == '/')
         common = i;
   size_t rl = strlen(rd);
   if (!strncmp(rp, rd, rl) && (rp[rl] == '/' || rl == 1))
      common = rl == 1 ? 0 : rl;
   size_t k = 0;
   out[0] = '\0';
   for (const char *p = rd + common; *p; p++) /* one ".." a component of dir past the shared part */
      if (*p == '/' && k + 4 < n)
         k += (size_t)snprintf(out + k, n - k, "../");
   snprintf(out + k, n - k, "%s", rp + common + (rp[common] == '/'));
   return true;
}

/* YAML's single-quoted scalar: ' doubled. */
static void yaml_quoted(StrBuf *b, const char *s) {
   StrBuf_putc(b, '\'');
   for (; *s; s++) {
      if (*s == '\'')
         StrBuf_putc(b, '\'');
      StrBuf_putc(b, *s);
   }
   StrBuf_putc(b, '\'');
}

/* s as one shell word: as it is when it is only safe characters, else in single quotes. */
static void shell_word(StrBuf *b, const char *s) {
   if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/-+=,") == strlen(s)) {
      StrBuf_puts(b, s);
      return;
   }
   StrBuf_putc(b, '\'');
   for (; *s; s++) {
      if (*s == '\'')
         StrBuf_puts(b, "'\\''");
      else
         StrBuf_putc(b, *s);
   }
   StrBuf_putc(b, '\'');
}

/* dvc.yaml: one stage, "export", that redoes this export from the export's
 * directory (DVC's working directory for it). */
static bool dvc_stage(StrBuf *b, const ExportArgs *ea, const char *journal, const ExportFile *files, size_t n,
                      char *cmdline, size_t cmdcap, FILE *err) {
   char session[PATH_MAX], labels[PATH_MAX];
   if (!relative_to(session, sizeof session, ea->session, ea->out) ||
       !relative_to(labels, sizeof labels, journal, ea->out)) {
      fprintf(err, "driftscope export: --dvc: cannot resolve the session's or the journal's path: %s\n",
              strerror(errno));
      return false;
   }
   StrBuf cmd;
   StrBuf_init(&cmd);
   StrBuf_puts(&cmd, "driftscope export ");
   shell_word(&cmd, session);
   StrBuf_puts(&cmd, " --labels ");
   shell_word(&cmd, labels);
   StrBuf_printf(&cmd, " --out . --format %s --force%s", ds_export_format_names[ea->format],
                 ea->unlabelled ? " --include-unlabelled" : "");
   StrBuf_puts(b, "# Written by driftscope export --dvc: `dvc repro` redoes the export when the\n"
                  "# session or its label journal changes.\nstages:\n  export:\n    cmd: ");
   yaml_quoted(b, cmd.data ? cmd.data : "");
   snprintf(cmdline, cmdcap, "%s", cmd.data ? cmd.data : "");
   bool oom = cmd.oom || cmd.len >= cmdcap;
   StrBuf_done(&cmd);
   StrBuf_putc(b, '\n');
   StrBuf_puts(b, "    deps:\n      - ");
   yaml_quoted(b, session);
   StrBuf_puts(b, "\n      - ");
   yaml_quoted(b, labels);
   StrBuf_puts(b, "\n    outs:\n");
   for (size_t i = 0; i < n; i++) {
      StrBuf_puts(b, "      - ");
      yaml_quoted(b, files[i].name);
      StrBuf_putc(b, '\n');
   }
   StrBuf_puts(b, "      - 'manifest.sha256'\n");
   return !b->oom && !oom;
}

/* One "- path/hash/md5/size" entry of dvc.lock; path relative to DIR. */
static bool lock_entry(StrBuf *b, const char *dir, const char *rel, const char *abs, FILE *err) {
   char full[PATH_MAX + 256], md5[33];
   size_t bytes;
   if (abs)
      snprintf(full, sizeof full, "%s", abs);
   else
      snprintf(full, sizeof full, "%s/%s", dir, rel);
   if (!ds_file_md5(full, md5, &bytes)) {
      fprintf(err, "driftscope export: --dvc: %s: cannot read it to hash it: %s\n", full, strerror(errno));
      return false;
   }
   StrBuf_puts(b, "    - path: ");
   yaml_quoted(b, rel);
   StrBuf_printf(b, "\n      hash: md5\n      md5: %s\n      size: %zu\n", md5, bytes);
   return true;
}

/* dvc.lock (DVC 3, schema 2.0): the stage's command, and the MD5 and size of
 * its deps and outs as they are now, so that `dvc status` finds the stage
 * up to date and `dvc repro` redoes it only when the session or the journal
 * changes. */
static bool dvc_lock(StrBuf *b, const ExportArgs *ea, const char *journal, const ExportFile *files, size_t n,
                     const char *cmdline, FILE *err) {
   char session[PATH_MAX], labels[PATH_MAX];
   if (!relative_to(session, sizeof session, ea->session, ea->out) ||
       !relative_to(labels, sizeof labels, journal, ea->out))
      return false;
   StrBuf_puts(b, "# Written by driftscope export --dvc: the hashes DVC compares to decide whether\n"
                  "# the export stage in dvc.yaml is up to date.\nschema: '2.0'\nstages:\n  export:\n    cmd: ");
   yaml_quoted(b, cmdline);
   StrBuf_puts(b, "\n    deps:\n");
   bool ok = lock_entry(b, ea->out, session, ea->session, err) && lock_entry(b, ea->out, labels, journal, err);
   StrBuf_puts(b, "    outs:\n");
   for (size_t i = 0; ok && i < n; i++)
      ok = lock_entry(b, ea->out, files[i].name, NULL, err);
   return ok && lock_entry(b, ea->out, "manifest.sha256", NULL, err) && !b->oom;
}

/* "WALKING 2, SEATED 1": segments with records, per label. */
static void per_label(char *buf, size_t cap, const LabelStore *ls, const double *tms, size_t nrec) {
   size_t k = 0;
   buf[0] = '\0';
   for (size_t i = 0; i < ls->n; i++) {
      size_t first, count = 0, dup = 0;
      for (size_t j = 0; j < i; j++)
         dup += !strcmp(ls->seg[j].label, ls->seg[i].label);
      if (dup)
         continue;
      for (size_t j = i; j < ls->n; j++)
         if (!strcmp(ls->seg[j].label, ls->seg[i].label) &&
             ds_segment_records(tms, nrec, ls->seg[j].start_ms, ls->seg[j].end_ms, &first))
            count++;
      if (count && k < cap)
         k += (size_t)snprintf(buf + k, cap - k, "%s%s %zu", k ? ", " : "", ls->seg[i].label, count);
   }
}

static int run(const ExportArgs *ea, Table *t, Ingest *in, Replay *r, LabelStore *ls, FILE *out, FILE *err) {
   char jpath[PATH_MAX];
   if (ea->labels)
      snprintf(jpath, sizeof jpath, "%s", ea->labels);
   else
      ds_labels_path(jpath, sizeof jpath, ea->session);
   size_t jn;
   char *text = ds_read_file(jpath, &jn);
   if (!text) {
      fprintf(err, "driftscope export: %s: %s%s\n", jpath, strerror(errno),
              errno == ENOENT ? " (label segments in the dashboard first, or give --labels FILE)" : "");
      return EXIT_ERROR;
   }
   LabelLoad info;
   char journal_sha[DS_SHA256_HEX], session_sha[DS_SHA256_HEX];
   size_t session_bytes;
   ds_sha256_hex(text, jn, journal_sha);
   bool ok = LabelStore_load(ls, text, jn, &info);
   free(text);
   if (!ok) {
      fprintf(err, "driftscope export: out of memory reading %s\n", jpath);
      return EXIT_ERROR;
   }
   if (info.torn)
      fprintf(err, "driftscope export: %s: the last line was cut off (%zu bytes, a crash mid-write); left out\n", jpath,
              info.torn_bytes);
   if (info.bad_rows)
      fprintf(err, "driftscope export: %s: %ld rows are not label operations (first at line %ld); skipped\n", jpath,
              info.bad_rows, info.first_bad_line);
   if (!cli_load(ea->session, in, t, DS_FORMAT_AUTO, NULL, NULL))
      return EXIT_ERROR;
   if (!ds_file_sha256(ea->session, session_sha, &session_bytes)) {
      fprintf(err, "driftscope export: %s: cannot read it again to hash it: %s\n", ea->session, strerror(errno));
      return EXIT_ERROR;
   }
   if (!Replay_init(r, t)) {
      fprintf(err, "driftscope export: out of memory\n");
      return EXIT_ERROR;
   }
   if (!make_dirs(ea->out)) {
      fprintf(err, "driftscope export: %s: cannot make the directory: %s\n", ea->out, strerror(errno));
      return EXIT_ERROR;
   }
   StrBuf b;
   StrBuf_init(&b);
   ExportSummary sum = {0};
   size_t nfiles = 0;
   int status = 0;
   ExportFile *noted = NULL; /* the files written, for the manifest */
   Target meta[4];           /* manifest.json, manifest.sha256, dvc.yaml, dvc.lock */
   snprintf(meta[0].path, sizeof meta[0].path, "%s/manifest.json", ea->out);
   snprintf(meta[1].path, sizeof meta[1].path, "%s/manifest.sha256", ea->out);
   snprintf(meta[2].path, sizeof meta[2].path, "%s/dvc.yaml", ea->out);
   snprintf(meta[3].path, sizeof meta[3].path, "%s/dvc.lock", ea->out);
   size_t nmeta = ea->dvc ? 4 : 2;
   if (ea->format == EXPORT_DATASET || ea->format == EXPORT_LABELSTUDIO) {
      Target tg[2];
      static ExportFile files[3];
      noted = files;
      bool ds = ea->format == EXPORT_DATASET;
      snprintf(tg[0].path, sizeof tg[0].path, "%s/%s", ea->out, ds ? "dataset.csv" : "labelstudio.json");
      snprintf(tg[1].path, sizeof tg[1].path, "%s/labelstudio.xml", ea->out);
      nfiles = ds ? 1 : 2;
      if (!check_targets(tg, nfiles, ea->force, err) || !check_targets(meta, nmeta, ea->force, err)) {
         status = EXIT_ERROR;
      } else if (ds) {
         ds_export_dataset(&b, t, r->t, ls, ea->unlabelled, &sum);
         status = write_noted(tg[0].path, &b, ea->force, err, &files[0]) ? 0 : EXIT_ERROR;
      } else {
         ds_export_labelstudio(&b, t, r->t, ls, ea->session, &sum);
         bool w = write_noted(tg[0].path, &b, ea->force, err, &files[0]);
         StrBuf_clear(&b);
         ds_export_labelstudio_config(&b, t, ls);
         status = w && write_noted(tg[1].path, &b, ea->force, err, &files[1]) ? 0 : EXIT_ERROR;
      }
   } else {
      size_t n;
      EiSample *s = ds_export_ei_samples(t, r->t, ls, ea->session, ea->unlabelled, &n);
      Target *tg = s ? calloc(n + 2, sizeof *tg) : NULL;
      noted = tg ? calloc(n + 3, sizeof *noted) : NULL;
      if (!noted) {
         fprintf(err, "driftscope export: out of memory\n");
         free(tg);
         free(s);
         StrBuf_done(&b);
         return EXIT_ERROR;
      }
      for (size_t i = 0; i < n; i++)
         snprintf(tg[i].path, sizeof tg[i].path, "%s/%s.csv", ea->out, s[i].name);
      snprintf(tg[n].path, sizeof tg[n].path, "%s/info.labels", ea->out);
      snprintf(tg[n + 1].path, sizeof tg[n + 1].path, "%s/ei-labelled.csv", ea->out);
      nfiles = n + 2;
      if (!check_targets(tg, nfiles, ea->force, err) || !check_targets(meta, nmeta, ea->force, err))
         status = EXIT_ERROR;
      for (size_t i = 0; i < n && !status; i++) {
         StrBuf_clear(&b);
         ds_export_ei_csv(&b, t, r->t, &s[i]);
         status = write_noted(tg[i].path, &b, ea->force, err, &noted[i]) ? 0 : EXIT_ERROR;
         sum.records += s[i].count;
         sum.segments += s[i].segment_id != 0;
         sum.unlabelled += s[i].segment_id ? 0 : s[i].count;
      }
      if (!status) {
         StrBuf_clear(&b);
         ds_export_ei_info(&b, s, n, ea->session);
         status = write_noted(tg[n].path, &b, ea->force, err, &noted[n]) ? 0 : EXIT_ERROR;
      }
      if (!status) { /* the same samples in one labelled CSV */
         StrBuf_clear(&b);
         ds_export_ei_labelled(&b, t, r->t, s, n);
         status = write_noted(tg[n + 1].path, &b, ea->force, err, &noted[n + 1]) ? 0 : EXIT_ERROR;
      }
      free(tg);
      free(s);
   }
   if (!status) { /* the manifest: the files' hashes, the source's, the options; then the checksums */
      ExportManifest man = {DS_VERSION,
                            ds_export_format_names[ea->format],
                            ea->unlabelled,
                            ea->session,
                            session_sha,
                            jpath,
                            journal_sha,
                            session_bytes,
                            jn,
                            t->nrows,
                            noted,
                            nfiles,
                            ls,
                            r->t,
                            r->n,
                            &sum};
      StrBuf_clear(&b);
      ds_export_manifest(&b, &man);
      status = !b.oom && write_noted(meta[0].path, &b, ea->force, err, &noted[nfiles]) ? 0 : EXIT_ERROR;
      if (!status) {
         StrBuf_clear(&b);
         ds_export_checksums(&b, noted, nfiles + 1);
         status = !b.oom && write_file(meta[1].path, &b, ea->force, err) ? 0 : EXIT_ERROR;
      }
      if (!status && ea->dvc) {
         static char cmdline[3 * PATH_MAX];
         StrBuf_clear(&b);
         status = dvc_stage(&b, ea, jpath, noted, nfiles + 1, cmdline, sizeof cmdline, err) &&
                        write_file(meta[2].path, &b, ea->force, err)
                     ? 0
                     : EXIT_ERROR;
         if (!status) {
            StrBuf_clear(&b);
            status =
               dvc_lock(&b, ea, jpath, noted, nfiles + 1, cmdline, err) && write_file(meta[3].path, &b, ea->force, err)
                  ? 0
                  : EXIT_ERROR;
         }
      }
   }
   if (noted && ea->format == EXPORT_EI)
      free(noted);
   StrBuf_done(&b);
   if (status)
      return status;
   char labels[512];
   per_label(labels, sizeof labels, ls, r->t, r->n);
   fprintf(out, "driftscope export: wrote %zu file%s to %s: %zu segment%s (%s), %zu records", nfiles,
           nfiles == 1 ? "" : "s", ea->out, sum.segments, sum.segments == 1 ? "" : "s", labels[0] ? labels : "none",
           sum.records);
   if (sum.unlabelled)
      fprintf(out, " (%zu unlabelled)", sum.unlabelled);
   fprintf(out, "; manifest.json and manifest.sha256 give their SHA-256 (sha256sum -c manifest.sha256)\n");
   size_t empty = 0, first;
   for (size_t i = 0; i < ls->n; i++)
      empty += !ds_segment_records(r->t, r->n, ls->seg[i].start_ms, ls->seg[i].end_ms, &first);
   if (empty)
      fprintf(out, "driftscope export: %zu segment%s no record of this session and %s left out\n", empty,
              empty == 1 ? " holds" : "s hold", empty == 1 ? "was" : "were");
   return 0;
}

static int export_with(const ExportArgs *ea, FILE *out, FILE *err) {
   Classes cl;
   Table t;
   Ingest in;
   Replay r = {0};
   LabelStore ls;
   memset(&in, 0, sizeof in);
   Classes_init(&cl);
   LabelStore_init(&ls);
   int status = Table_init(&t, &cl, true) ? run(ea, &t, &in, &r, &ls, out, err) : EXIT_ERROR;
   LabelStore_done(&ls);
   Replay_done(&r);
   Ingest_done(&in);
   Table_done(&t);
   Classes_done(&cl);
   return status;
}

bool cli_export(const char *session, const char *labels, const char *out, int format, bool unlabelled, char *msg,
                size_t n) {
   ExportArgs ea = {session, labels, out, (ExportFormat)format, unlabelled, false};
   char *text = NULL;
   size_t len = 0;
   FILE *f = open_memstream(&text, &len);
   if (!f) {
      snprintf(msg, n, "export: out of memory");
      return false;
   }
   int status = export_with(&ea, f, f);
   fclose(f);
   /* the first line says what was written, or why not */
   size_t k = strcspn(text, "\n");
   const char *s = !strncmp(text, "driftscope ", 11) ? text + 11 : text;
   snprintf(msg, n, "%.*s", (int)(k - (size_t)(s - text)), s);
   free(text);
   return status == 0;
}

int cmd_export(int argc, char **argv) {
   ExportArgs ea;
   int st = parse(&ea, argc, argv);
   if (st)
      return st < 0 ? 0 : st;
   return export_with(&ea, stdout, stderr);
}
