/* SPDX-License-Identifier: MIT */
#ifndef TOPO_TESTS_UNIT_H
#define TOPO_TESTS_UNIT_H

/* What the unit tests share. Include it after <cmocka.h>. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "topology.h"
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

/* YAML loaded as lab file FILE; a test failure naming the messages if it does not load. */
static inline struct topology *unit_load(const char *file, const char *yaml)
{
	struct diag d = { .file = file };
	struct topology *t = NULL;
	char *m;

	if (topo_load_buf(file, yaml, strlen(yaml), &t, &d)) {
		m = messages(&d);
		fail_msg("does not load:\n%s", m);
	}
	diag_free(&d);
	return t;
}

/* Check T, loaded as FILE: its messages must be EXPECTED exactly ("" for a clean lab). */
static inline void unit_check(const struct topology *t, const char *file, const char *expected)
{
	struct diag d = { .file = file };
	int r = topo_check(t, &d);
	char *m = messages(&d);

	assert_string_equal(m, expected);
	assert_int_equal(r, d.n_errors ? -EINVAL : 0);
	free(m);
	diag_free(&d);
}

#endif
