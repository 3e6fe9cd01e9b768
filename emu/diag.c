// SPDX-License-Identifier: MIT
/*
 * Diagnostics collected by the stages and printed once by the command layer.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

void diag_add(struct diag *d, enum diag_level level, struct pos pos, const char *fmt, ...)
{
	struct diag_msg *m;
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);

	m = VEC_PUSH(&d->msgs, &d->n_msgs);
	m->level = level;
	m->pos = pos;
	m->text = text;
	if (level == DIAG_ERROR)
		d->n_errors++;
}

static const char *level_name(enum diag_level level)
{
	switch (level) {
	case DIAG_ERROR:
		return "error";
	case DIAG_WARNING:
		return "warning";
	case DIAG_NOTE:
		return "note";
	}
	return "error";
}

char *diag_format(const struct diag *d, size_t i)
{
	const struct diag_msg *m = &d->msgs[i];
	const char *file = d->file ? d->file : "topo";

	if (m->pos.line > 0)
		return xasprintf("%s:%d:%d: %s: %s", file, m->pos.line, m->pos.col,
				 level_name(m->level), m->text);
	return xasprintf("%s: %s: %s", file, level_name(m->level), m->text);
}

void diag_free(struct diag *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n_msgs; i++)
		free(d->msgs[i].text);
	free(d->msgs);
	d->msgs = NULL;
	d->n_msgs = 0;
	d->n_errors = 0;
}

static bool pos_before(struct pos a, struct pos b)
{
	return a.line < b.line || (a.line == b.line && a.col < b.col);
}

void diag_sort(struct diag *d, size_t from)
{
	size_t i, j;
	struct diag_msg m;

	/* Insertion sort: stable, and the lists are short (stages cap their errors). */
	for (i = from + 1; i < d->n_msgs; i++) {
		m = d->msgs[i];
		for (j = i; j > from && pos_before(m.pos, d->msgs[j - 1].pos); j--)
			d->msgs[j] = d->msgs[j - 1];
		d->msgs[j] = m;
	}
}

const char *diag_show_cut(const char *s, size_t max, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i;

	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		bool control = c < 0x20 || c == 0x7f;

		/* past MAX, or no room for this byte and for "..." and the NUL */
		if (i >= max || o + (control ? 4 : 1) + 4 > size) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (control) {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		} else {
			buf[o++] = (char)c;
		}
	}
	buf[o] = '\0';
	return buf;
}

const char *diag_show(const char *s, char *buf, size_t size)
{
	return diag_show_cut(s, 64, buf, size);
}
