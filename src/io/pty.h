/* SPDX-License-Identifier: MIT */
/* A pseudo-terminal that plays a board (`driftscope simulate`, tests). */
#ifndef DRIFTSCOPE_IO_PTY_H
#define DRIFTSCOPE_IO_PTY_H

#include <stdbool.h>
#include <stddef.h>

/* Open a pty pair; the slave side (its path in name) is raw, like a USB
 * serial port. Returns false with errno set. */
bool ds_open_pty(int *master, int *slave, char *name, size_t len);

#endif
