// SPDX-License-Identifier: MIT
#include "pty.h"

#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

bool ds_open_pty(int *master, int *slave, char *name, size_t len) {
   char path[256];
   if (openpty(master, slave, path, NULL, NULL) != 0)
      return false;
   struct termios t;
   if (tcgetattr(*slave, &t) == 0) {
      cfmakeraw(&t);
      tcsetattr(*slave, TCSANOW, &t);
   }
   fcntl(*master, F_SETFD, FD_CLOEXEC);
   fcntl(*slave, F_SETFD, FD_CLOEXEC);
   snprintf(name, len, "%s", path);
   return true;
}
