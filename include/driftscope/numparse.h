/* SPDX-License-Identifier: MIT */
/* Number parsing for stream fields.
 * Plain decimals ("-12.5", "3", "0.000125", "1e-3") with at most 19
 * significant digits and a small exponent take an exact fast path
 * (Clinger: an integer and a power of ten that are both exact doubles give
 * a correctly rounded quotient/product); everything else goes to strtod.
 * The result is always what strtod would give. */
#ifndef DRIFTSCOPE_NUMPARSE_H
#define DRIFTSCOPE_NUMPARSE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum NumParse {
   NUM_OK,      /* *out is a finite number */
   NUM_MISSING, /* empty, NaN or an infinity: DESIGN §2 calls these "missing" */
   NUM_TEXT,    /* not a number at all */
} NumParse;

/* Parse s[0..len) (surrounding spaces allowed). */
NumParse ds_parse_number(const char *s, size_t len, double *out);

/* Narrow s[0..*n) past leading and trailing spaces, tabs, CR and LF. */
void ds_trim(const char **s, size_t *n);

/* Return whether a text field means "missing": empty, NaN or infinity
 * words (as ds_parse_number's NUM_MISSING), without parsing a number. */
bool ds_is_missing_text(const char *s, size_t len);

#endif
