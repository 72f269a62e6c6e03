/* SPDX-License-Identifier: MIT */
/* Records printed the way boards print them (for `driftscope simulate`):
 * CSV with a header, Edge Impulse inference blocks, Arduino Serial
 * Plotter name:value lines, or headerless numbers (the numeric features,
 * as boards feeding Edge Impulse's data forwarder print them). Reading the text back gives the same records
 * to the precision printed (EI prints scores with 5 decimals, as the
 * Edge Impulse SDK does). */
#ifndef DRIFTSCOPE_RENDER_H
#define DRIFTSCOPE_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "driftscope/ingest.h"
#include "driftscope/strbuf.h"
#include "driftscope/table.h"

/* Whether t has what format f prints (EI needs class scores, plotter
 * numeric columns, numeric numeric features); when not, why in *why. */
bool ds_render_can(const Table *t, DsFormat f, const char **why);
/* Append what a board prints before the first record (the CSV header). */
void ds_render_start(StrBuf *b, const Table *t, DsFormat f);
/* Append record row in format f. */
void ds_render_record(StrBuf *b, const Table *t, size_t row, DsFormat f);

#endif
