/* SPDX-License-Identifier: MIT */
#ifndef TOPO_TESTS_UNIT_H
#define TOPO_TESTS_UNIT_H

/* What the unit tests share. */

#include <stdlib.h>

#include "diag.h"
#include "util.h"

/* All messages of D as the command layer prints them, one per line. */
static inline char *messages(const struct diag *d)
{
	char *all = xstrdup(""), *m, *next;
	size_t i;

	for (i = 0; i < d->n_msgs; i++) {
		m = diag_format(d, i);
		next = xasprintf("%s%s%s", all, i ? "\n" : "", m);
		free(m);
		free(all);
		all = next;
	}
	return all;
}

#endif
