// SPDX-License-Identifier: MIT
#include "serial.h"

#include <errno.h>
#include <fcntl.h>
#include <libserialport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

void SerialConfig_default(SerialConfig *c) {
   c->baud = 115200;
   c->parity = 'n';
   c->stop_bits = 1;
   c->flow = FLOW_NONE;
}

bool ds_parse_parity(const char *s, char *out) {
   static const char *const names[] = {"none", "odd", "even"};
   for (int i = 0; i < 3; i++)
      if (!strcmp(s, names[i]) || (s[0] == names[i][0] && !s[1])) {
         *out = names[i][0];
         return true;
      }
   return false;
}

bool ds_parse_flow(const char *s, SerialFlow *out) {
   static const char *const names[] = {"none", "xonxoff", "rtscts"};
   for (int i = 0; i < 3; i++)
      if (!strcmp(s, names[i])) {
         *out = (SerialFlow)i;
         return true;
      }
   return false;
}

static speed_t speed_of(int baud) {
   static const struct {
      int baud;
      speed_t speed;
   } speeds[] = {{1200, B1200},     {2400, B2400},     {4800, B4800},       {9600, B9600},      {19200, B19200},
                 {38400, B38400},   {57600, B57600},   {115200, B115200},   {230400, B230400},  {460800, B460800},
                 {500000, B500000}, {921600, B921600}, {1000000, B1000000}, {2000000, B2000000}};
   for (size_t i = 0; i < sizeof speeds / sizeof speeds[0]; i++)
      if (speeds[i].baud == baud)
         return speeds[i].speed;
   return B0;
}

/* Raw 8-bit, the parity, stop bits and flow control of c, on fd. */
static bool termios_setup(int fd, const SerialConfig *c, char *err, size_t errlen, const char *path) {
   struct termios t;
   speed_t sp = speed_of(c->baud);
   if (sp == B0) {
      snprintf(err, errlen, "%s: baud rate %d is not one termios knows", path, c->baud);
      return false;
   }
   if (tcgetattr(fd, &t) != 0) {
      snprintf(err, errlen, "%s: not a terminal device: %s", path, strerror(errno));
      return false;
   }
   cfmakeraw(&t);
   cfsetspeed(&t, sp);
   t.c_cflag |= CLOCAL | CREAD;
   t.c_cflag &= ~(PARENB | PARODD | CSTOPB | CRTSCTS);
   if (c->parity != 'n')
      t.c_cflag |= PARENB | (c->parity == 'o' ? PARODD : 0);
   if (c->stop_bits == 2)
      t.c_cflag |= CSTOPB;
   if (c->flow == FLOW_RTSCTS)
      t.c_cflag |= CRTSCTS;
   t.c_iflag &= ~(IXON | IXOFF | IXANY);
   if (c->flow == FLOW_XONXOFF)
      t.c_iflag |= IXON | IXOFF;
   t.c_cc[VMIN] = 0;
   t.c_cc[VTIME] = 0;
   if (tcsetattr(fd, TCSANOW, &t) != 0) {
      snprintf(err, errlen, "%s: cannot configure the port: %s", path, strerror(errno));
      return false;
   }
   return true;
}

/* Open with libserialport (USB and other real ports), setting each field
 * with its own call (sp_set_config with a partial config fails in 0.1.1).
 * Returns false when it refuses the port (a pty): then termios does. */
static bool sp_setup(SerialPort *p, const SerialConfig *c) {
   struct sp_port *port;
   if (sp_get_port_by_name(p->path, &port) != SP_OK)
      return false;
   enum sp_parity par = c->parity == 'o' ? SP_PARITY_ODD : c->parity == 'e' ? SP_PARITY_EVEN : SP_PARITY_NONE;
   enum sp_flowcontrol flow = c->flow == FLOW_RTSCTS    ? SP_FLOWCONTROL_RTSCTS
                              : c->flow == FLOW_XONXOFF ? SP_FLOWCONTROL_XONXOFF
                                                        : SP_FLOWCONTROL_NONE;
   int fd = -1;
   if (sp_open(port, SP_MODE_READ_WRITE) != SP_OK) {
      sp_free_port(port);
      return false;
   }
   if (sp_set_baudrate(port, c->baud) != SP_OK || sp_set_bits(port, 8) != SP_OK || sp_set_parity(port, par) != SP_OK ||
       sp_set_stopbits(port, c->stop_bits) != SP_OK || sp_set_flowcontrol(port, flow) != SP_OK ||
       sp_get_port_handle(port, &fd) != SP_OK) {
      sp_close(port);
      sp_free_port(port);
      return false;
   }
   /* libserialport 0.1.1 puts CRTSCTS in c_iflag, where it means nothing:
    * hardware flow control is set here, where termios has it (c_cflag) */
   struct termios t;
   if (c->flow == FLOW_RTSCTS && (tcgetattr(fd, &t) != 0 || (t.c_cflag |= CRTSCTS, tcsetattr(fd, TCSANOW, &t)) != 0)) {
      sp_close(port);
      sp_free_port(port);
      return false;
   }
   fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
   const char *sn = sp_get_port_transport(port) == SP_TRANSPORT_USB ? sp_get_port_usb_serial(port) : NULL;
   snprintf(p->usb_serial, sizeof p->usb_serial, "%s", sn ? sn : "");
   p->sp = port;
   p->sp_fd = fd;
   return true;
}

static void open_error(const char *path, int e, char *err, size_t errlen) {
   if (e == EACCES)
      snprintf(err, errlen,
               "%s: permission denied; add yourself to the dialout group (sudo usermod -aG dialout $USER, then "
               "log in again)",
               path);
   else
      snprintf(err, errlen, "%s: cannot open: %s", path, strerror(e));
}

/* Another process with path's device open (its name and pid in who), or
 * false when none is found. A program that reads the port without a lock
 * (cat, a serial monitor left open) would split the data with us. Read
 * from /proc: the fds of the processes we may look at. */
bool ds_port_holder(const char *path, char *who, size_t n) {
   struct stat dev;
   if (stat(path, &dev) != 0 || !S_ISCHR(dev.st_mode))
      return false;
   bool pty = major(dev.st_rdev) >= 136 && major(dev.st_rdev) <= 143; /* Unix98 pty slaves */
   DIR *proc = opendir("/proc");
   if (!proc)
      return false;
   struct dirent *d;
   bool found = false;
   long self = (long)getpid();
   while (!found && (d = readdir(proc))) {
      char *end;
      long pid = strtol(d->d_name, &end, 10);
      if (*end || pid <= 0 || pid == self)
         continue;
      char dir[64];
      snprintf(dir, sizeof dir, "/proc/%ld/fd", pid);
      DIR *fds = opendir(dir);
      if (!fds)
         continue;
      struct dirent *f;
      bool holds = false, master = false;
      while ((f = readdir(fds))) {
         char fd_path[384];
         struct stat st;
         snprintf(fd_path, sizeof fd_path, "%s/%s", dir, f->d_name);
         if (f->d_name[0] == '.' || stat(fd_path, &st) != 0 || !S_ISCHR(st.st_mode))
            continue;
         holds |= st.st_rdev == dev.st_rdev;
         master |= major(st.st_rdev) == 5 && minor(st.st_rdev) == 2; /* /dev/ptmx */
      }
      closedir(fds);
      /* the program that made a pseudo-terminal (socat, simulate) keeps its
       * other end: it is the board, not a second reader */
      found = holds && !(pty && master);
      if (found) {
         char comm_path[64], comm[64] = "?";
         snprintf(comm_path, sizeof comm_path, "/proc/%ld/comm", pid);
         FILE *cf = fopen(comm_path, "r");
         if (cf) {
            if (fgets(comm, sizeof comm, cf))
               comm[strcspn(comm, "\n")] = '\0';
            fclose(cf);
         }
         snprintf(who, n, "%s (pid %ld)", comm, pid);
      }
   }
   closedir(proc);
   return found;
}

bool SerialPort_open(SerialPort *p, const char *path, const SerialConfig *c, bool flush, char *err, size_t errlen) {
   memset(p, 0, sizeof *p);
   p->fd = p->sp_fd = -1;
   if (!realpath(path, p->path)) {
      open_error(path, errno, err, errlen);
      return false;
   }
   /* our own fd first: it saves the settings as found and holds the lock */
   p->fd = open(p->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
   if (p->fd < 0) {
      open_error(p->path, errno, err, errlen);
      return false;
   }
   if (!isatty(p->fd) || tcgetattr(p->fd, &p->saved) != 0) {
      snprintf(err, errlen, "%s: not a serial port or terminal", p->path);
      close(p->fd);
      p->fd = -1;
      return false;
   }
   char who[96];
   bool locked = flock(p->fd, LOCK_EX | LOCK_NB) != 0;
   if (locked || ds_port_holder(p->path, who, sizeof who)) {
      if (locked)
         snprintf(err, errlen, "%s: in use by another program (it holds a lock on the port)", p->path);
      else
         snprintf(err, errlen, "%s: %s has it open too; the two would split what the board prints: close it first",
                  p->path, who);
      close(p->fd);
      p->fd = -1;
      return false;
   }
   if (!sp_setup(p, c)) {
      p->via_termios = true;
      p->sp_fd = p->fd;
      if (!termios_setup(p->fd, c, err, errlen, p->path)) {
         SerialPort_close(p);
         return false;
      }
   }
   /* stale bytes from before we came; a reopen keeps what the board
    * printed since it came back */
   if (flush)
      tcflush(p->sp_fd, TCIFLUSH);
   return true;
}

int SerialPort_fd(const SerialPort *p) {
   return p->sp_fd;
}

void SerialPort_close(SerialPort *p) {
   if (p->sp) {
      sp_close(p->sp);
      sp_free_port(p->sp);
      p->sp = NULL;
   }
   if (p->fd >= 0) {
      tcsetattr(p->fd, TCSANOW, &p->saved);
      flock(p->fd, LOCK_UN);
      close(p->fd);
   }
   p->fd = p->sp_fd = -1;
}

bool ds_find_usb_serial(const char *sn, char *path, size_t len) {
   struct sp_port **ports;
   bool found = false;
   if (!sn[0] || sp_list_ports(&ports) != SP_OK)
      return false;
   for (int i = 0; ports[i] && !found; i++) {
      const char *s = sp_get_port_transport(ports[i]) == SP_TRANSPORT_USB ? sp_get_port_usb_serial(ports[i]) : NULL;
      if (s && !strcmp(s, sn)) {
         snprintf(path, len, "%s", sp_get_port_name(ports[i]));
         found = true;
      }
   }
   sp_free_port_list(ports);
   return found;
}

int ds_usb_ports(char paths[][PATH_MAX], int max) {
   struct sp_port **ports;
   int n = 0;
   if (sp_list_ports(&ports) != SP_OK)
      return 0;
   for (int i = 0; ports[i]; i++)
      if (sp_get_port_transport(ports[i]) == SP_TRANSPORT_USB) {
         if (n < max)
            snprintf(paths[n], PATH_MAX, "%s", sp_get_port_name(ports[i]));
         n++;
      }
   sp_free_port_list(ports);
   return n;
}
