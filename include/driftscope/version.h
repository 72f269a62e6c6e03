/* SPDX-License-Identifier: MIT */
#ifndef DRIFTSCOPE_VERSION_H
#define DRIFTSCOPE_VERSION_H

#define DS_VERSION "0.1.0" /* the Makefile's VERSION */

#endif
