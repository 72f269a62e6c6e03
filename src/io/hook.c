// SPDX-License-Identifier: MIT
#include "io/hook.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wordexp.h>

extern char **environ;

void Hook_init(Hook *h) {
   memset(h, 0, sizeof *h);
   h->out = -1;
}

bool Hook_start(Hook *h, const char *cmd, char *const *env, int n, char *err, size_t errlen) {
   if (h->pid > 0) {
      snprintf(err, errlen, "the last one is still running");
      return false;
   }
   wordexp_t w;
   int rc = wordexp(cmd, &w, WRDE_NOCMD | WRDE_UNDEF);
   if (rc != 0) {
      snprintf(err, errlen, "cannot split '%s' into words%s", cmd,
               rc == WRDE_CMDSUB    ? " ($(...) and `...` are not run: write sh -c '...')"
               : rc == WRDE_BADCHAR ? " (an unquoted | & ; < > ( ) { }: write sh -c '...')"
                                    : "");
      if (rc == WRDE_NOSPACE)
         wordfree(&w);
      return false;
   }
   if (w.we_wordc == 0) {
      snprintf(err, errlen, "an empty command");
      wordfree(&w);
      return false;
   }
   size_t nenv = 0;
   while (environ[nenv])
      nenv++;
   char **envp = calloc(nenv + (size_t)n + 1, sizeof *envp);
   int fds[2] = {-1, -1};
   bool ok = envp && pipe(fds) == 0;
   if (ok) {
      fcntl(fds[0], F_SETFD, FD_CLOEXEC);
      fcntl(fds[1], F_SETFD, FD_CLOEXEC);
   }
   posix_spawn_file_actions_t fa;
   if (ok) {
      size_t k = 0;
      for (int i = 0; i < n; i++)
         envp[k++] = env[i];
      for (size_t i = 0; i < nenv; i++) { /* the hook's own variables win */
         size_t eq = strcspn(environ[i], "=");
         bool ours = false;
         for (int j = 0; j < n && !ours; j++)
            ours = !strncmp(env[j], environ[i], eq + 1);
         if (!ours)
            envp[k++] = environ[i];
      }
      posix_spawn_file_actions_init(&fa);
      posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
      posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
      posix_spawn_file_actions_adddup2(&fa, fds[1], STDERR_FILENO);
      rc = posix_spawnp(&h->pid, w.we_wordv[0], &fa, NULL, w.we_wordv, envp);
      posix_spawn_file_actions_destroy(&fa);
      if (rc != 0) {
         snprintf(err, errlen, "cannot run %s: %s", w.we_wordv[0], strerror(rc));
         h->pid = 0;
         ok = false;
      }
   } else {
      snprintf(err, errlen, "cannot start a command: %s", strerror(errno));
   }
   if (fds[1] >= 0)
      close(fds[1]);
   if (!ok && fds[0] >= 0)
      close(fds[0]);
   free(envp);
   wordfree(&w);
   if (!ok)
      return false;
   h->out = fds[0];
   fcntl(h->out, F_SETFL, fcntl(h->out, F_GETFL) | O_NONBLOCK);
   h->nfirst = 0;
   h->first[0] = '\0';
   h->status = 0;
   h->runs++;
   return true;
}

int Hook_fd(const Hook *h) {
   return h->out;
}

bool Hook_read(Hook *h) {
   char buf[4096];
   for (;;) {
      ssize_t n = read(h->out, buf, sizeof buf);
      if (n > 0) {
         size_t keep = sizeof h->first - 1 - h->nfirst;
         keep = (size_t)n < keep ? (size_t)n : keep;
         memcpy(h->first + h->nfirst, buf, keep);
         h->nfirst += keep;
         h->first[h->nfirst] = '\0';
         continue;
      }
      if (n < 0 && errno == EINTR)
         continue;
      if (n < 0 && errno == EAGAIN)
         return false; /* more to come */
      break;           /* its output ended (or failed): it is ending */
   }
   close(h->out);
   h->out = -1;
   return Hook_reap(h);
}

bool Hook_reap(Hook *h) {
   if (h->pid <= 0)
      return true;
   int st = 0;
   pid_t r;
   while ((r = waitpid(h->pid, &st, WNOHANG)) < 0 && errno == EINTR)
      ;
   if (r == 0)
      return false; /* its output closed, it runs on: asked again later */
   h->status = r < 0 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
   h->pid = 0;
   return true;
}

void Hook_done(Hook *h) {
   if (h->out >= 0)
      close(h->out);
   h->out = -1;
}
