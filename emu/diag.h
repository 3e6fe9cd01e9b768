/* SPDX-License-Identifier: MIT */
#ifndef TOPO_DIAG_H
#define TOPO_DIAG_H

/*
 * Diagnostics: library code never prints. Stages append messages here and
 * the command layer prints them once, in order, as
 * "FILE:LINE:COL: error: MESSAGE".
 */

#include <stddef.h>

#include "topology.h"

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag_msg {
	enum diag_level level;
	struct pos pos;		/* line 0: no position, print "FILE: error: ..." */
	char *text;
};

struct diag {
	const char *file;
	struct diag_msg *msgs;
	size_t n_msgs;
	size_t n_errors;
};

/* diag_add - append a message at POS (printf format). */
void diag_add(struct diag *d, enum diag_level level, struct pos pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define diag_error(d, pos, ...) diag_add((d), DIAG_ERROR, (pos), __VA_ARGS__)
#define diag_warn(d, pos, ...) diag_add((d), DIAG_WARNING, (pos), __VA_ARGS__)

/* diag_format - message I as "FILE:LINE:COL: error: TEXT" into a new string. */
char *diag_format(const struct diag *d, size_t i);

void diag_free(struct diag *d);

/*
 * diag_show - VALUE as it may appear in a message: control bytes escaped,
 * long values cut, so that a hostile file cannot flood or garble the
 * terminal. SHOW() does it into a temporary buffer.
 */
const char *diag_show(const char *s, char *buf, size_t size);
/* diag_show_cut - the same, cut after MAX bytes of S (SIZE_MAX: only at SIZE). */
const char *diag_show_cut(const char *s, size_t max, char *buf, size_t size);
#define SHOW(s) diag_show((s), (char[300]){ 0 }, 300)

/* diag_sort - order messages FROM.. by position (stable; no position first). */
void diag_sort(struct diag *d, size_t from);

#endif
