// SPDX-License-Identifier: MIT
/* Colour and progress decisions for the command layer (term.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "term.h"
#include "util.h"

bool term_colour_wanted(bool tty, const char *no_color, const char *term)
{
	/* no-color.org: present and not empty disables colour, whatever its value. */
	if (!tty || (no_color && no_color[0]))
		return false;
	return term && term[0] && strcmp(term, "dumb") != 0;
}

bool term_is_tty(FILE *f)
{
	int fd = fileno(f);

	return fd >= 0 && isatty(fd);
}

bool term_colour_for(FILE *f)
{
	return term_colour_wanted(term_is_tty(f), getenv("NO_COLOR"), getenv("TERM"));
}

const char *term_sgr(bool on, enum term_colour c)
{
	static const char *const sgr[] = {
		[TERM_RESET] = "\033[0m",
		[TERM_RED] = "\033[31m",
		[TERM_GREEN] = "\033[32m",
		[TERM_YELLOW] = "\033[33m",
	};

	if (!on || (unsigned)c >= ARRAY_SIZE(sgr))
		return "";
	return sgr[c];
}

void term_progress_init(struct term_progress *p, FILE *f, bool on)
{
	memset(p, 0, sizeof(*p));
	p->f = f;
	p->on = on;
}

/* Back to the start of the line, over what is there with blanks: a
 * carriage return and spaces work on every terminal, TERM=dumb included. */
static void blank(struct term_progress *p)
{
	fprintf(p->f, "\r%*s\r", (int)p->len, "");
}

void term_progress_update(struct term_progress *p, bool force, const char *fmt, ...)
{
	uint64_t now;
	char line[160];
	va_list ap;
	int n;

	if (!p->on)
		return;
	now = now_us();
	if (!force && p->last_us && now < p->last_us + 100000)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (p->len)
		blank(p);
	fputs(line, p->f);
	fflush(p->f);
	p->len = strlen(line);
	p->last_us = now ? now : 1;
}

void term_progress_count(size_t done, size_t total, const char *what, void *arg)
{
	struct term_progress *p = arg;

	if (done >= total)
		term_progress_clear(p);
	else
		term_progress_update(p, false, "topo: %s %zu/%zu", what, done, total);
}

void term_progress_clear(struct term_progress *p)
{
	if (!p->on || !p->len)
		return;
	blank(p);
	fflush(p->f);
	p->len = 0;
}
