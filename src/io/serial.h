/* SPDX-License-Identifier: MIT */
/* Serial ports (src/io, DESIGN §2 Sources): opening a board's USB serial
 * port with libserialport, or any other tty (pseudo-terminals of emulators,
 * socat, `driftscope simulate`) through plain termios; and listing ports.
 *
 * A port is left as it was found: its termios settings are saved when it
 * is opened and restored when it is closed. An advisory lock (flock) keeps
 * a second driftscope, or another tool that locks, off a port in use. The
 * fd is non-blocking, for the caller's poll(); nothing here ever blocks. */
#ifndef DRIFTSCOPE_SERIAL_H
#define DRIFTSCOPE_SERIAL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <termios.h>

typedef enum { FLOW_NONE, FLOW_XONXOFF, FLOW_RTSCTS } SerialFlow;

typedef struct SerialConfig {
   int baud;      /* 115200 */
   char parity;   /* 'n', 'o' or 'e' */
   int stop_bits; /* 1 or 2 */
   SerialFlow flow;
} SerialConfig;

void SerialConfig_default(SerialConfig *c);
/* Parse --parity, --stop-bits, --flow values; false when s is not one. */
bool ds_parse_parity(const char *s, char *out);
bool ds_parse_flow(const char *s, SerialFlow *out);

typedef struct SerialPort {
   char path[PATH_MAX];  /* the device, links resolved */
   char usb_serial[128]; /* USB serial number, "" when not USB */
   int fd;               /* -1 when closed */
   void *sp;             /* libserialport's port, when it opened it */
   int sp_fd;            /* its fd (the one read), else fd */
   struct termios saved; /* as found */
   bool via_termios;     /* opened without libserialport */
} SerialPort;

/* Open path (a device or a link to one) with config c. Returns false and a
 * message naming the path and the fix (permission: the dialout group; in
 * use: which lock) in err. */
bool SerialPort_open(SerialPort *p, const char *path, const SerialConfig *c, bool flush, char *err, size_t errlen);
/* Another process that has path open ("cat (pid 1234)" in who), if any. */
bool ds_port_holder(const char *path, char *who, size_t n);
/* The fd to poll and read (non-blocking). */
int SerialPort_fd(const SerialPort *p);
/* Restore the settings as found, unlock and close. Safe when closed. */
void SerialPort_close(SerialPort *p);
/* The device path of the USB port with serial number sn (after it was
 * unplugged it may come back under another name); false when none. */
bool ds_find_usb_serial(const char *sn, char *path, size_t len);

/* The USB serial ports present: writes up to max paths, returns how many
 * there are (0 when they cannot be listed). */
int ds_usb_ports(char paths[][PATH_MAX], int max);

#endif
