// SPDX-License-Identifier: MIT
/* A lab's name and prefix with a run's suffix, in its topology and its file's text. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "runname.h"
#include "util.h"

/* The offset in TEXT (LEN bytes) just after scalar VALUE written at POS, or -1. */
static long value_end(const char *text, size_t len, struct pos pos, const char *value)
{
	size_t off = 0, n = strlen(value);
	int line;

	if (pos.line < 1 || pos.col < 1)
		return -1;
	for (line = 1; line < pos.line && off < len; off++)
		if (text[off] == '\n')
			line++;
	if (line < pos.line)
		return -1;
	off += (size_t)pos.col - 1;
	if (off < len && (text[off] == '"' || text[off] == '\''))
		off++;
	if (off > len || n > len - off || memcmp(text + off, value, n))
		return -1;
	return (long)(off + n);
}

int runname_text(const char *text, size_t len, const struct topology *t, const char *suffix,
		 char **out, size_t *out_len)
{
	/* No prefix in the file: the loader gives it the name's position. */
	bool own_prefix = t->prefix_pos.line != t->name_pos.line ||
			  t->prefix_pos.col != t->name_pos.col;
	long at[2] = { value_end(text, len, t->name_pos, t->name), -1 }, x;
	size_t n = strlen(suffix), from = 0, i;
	char *s, *p;

	if (own_prefix)
		at[1] = value_end(text, len, t->prefix_pos, t->prefix);
	if (at[0] < 0 || (own_prefix && at[1] < 0))
		return -EINVAL;
	/* `{prefix: x, name: y}` on one line: the earlier first. */
	if (own_prefix && at[1] < at[0])
		x = at[0], at[0] = at[1], at[1] = x;
	p = s = xmalloc(len + 2 * n + 1);
	for (i = 0; i < 2; i++) {
		if (at[i] < 0)
			continue;
		memcpy(p, text + from, (size_t)at[i] - from);
		p += (size_t)at[i] - from;
		memcpy(p, suffix, n);
		p += n;
		from = (size_t)at[i];
	}
	memcpy(p, text + from, len - from);
	p += len - from;
	*p = '\0';
	*out = s;
	*out_len = (size_t)(p - s);
	return 0;
}

void runname_apply(struct topology *t, const char *suffix)
{
	char *name = xasprintf("%s%s", t->name, suffix);
	char *prefix = xasprintf("%s%s", t->prefix ? t->prefix : t->name, suffix);

	free(t->name);
	free(t->prefix);
	t->name = name;
	t->prefix = prefix;
}
