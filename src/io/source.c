// SPDX-License-Identifier: MIT
#include "io/source.h"

#include <string.h>

/* Asked in this order: the first that claims a path opens it. */
const SourceOps *const ds_sources[] = {&ds_source_stdin, &ds_source_paced, &ds_source_serial, NULL};

const SourceOps *ds_source_for(const char *path) {
   for (int i = 0; ds_sources[i]; i++)
      if (ds_sources[i]->claims(path))
         return ds_sources[i];
   return NULL;
}

void Source_init(Source *s, const char *path, const SerialConfig *c) {
   memset(s, 0, sizeof *s);
   s->ops = ds_source_for(path);
   s->path = path;
   s->serial = *c;
   s->port.fd = s->port.sp_fd = -1;
   s->fd = -1;
}
