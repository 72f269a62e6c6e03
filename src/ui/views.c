// SPDX-License-Identifier: MIT
/* The views, in Tab order. Adding one is a file and a line here. */
#include "ui.h"

extern const View ds_view_overview, ds_view_features, ds_view_drift, ds_view_confusion, ds_view_spectrum,
   ds_view_timeline, ds_view_models;

const View *const ds_views[] = {&ds_view_overview, &ds_view_features, &ds_view_drift, &ds_view_confusion,
                                &ds_view_spectrum, &ds_view_timeline, &ds_view_models};
const int ds_nviews = sizeof ds_views / sizeof ds_views[0];
