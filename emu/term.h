/* SPDX-License-Identifier: MIT */
#ifndef TOPO_TERM_H
#define TOPO_TERM_H

/*
 * Terminal manners for the command layer: colour only on a terminal that
 * can show it and only when the user has not said NO_COLOR
 * (https://no-color.org); a progress line rewritten in place only on a
 * terminal, so that logs and pipes get clean lines.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum term_colour { TERM_RESET, TERM_RED, TERM_GREEN, TERM_YELLOW };

/* term_colour_wanted - colour on a TTY, NO_COLOR unset or empty, TERM set and not "dumb". Pure. */
bool term_colour_wanted(bool tty, const char *no_color, const char *term);

/* term_is_tty - is F a terminal? (false for a memory stream) */
bool term_is_tty(FILE *f);

/* term_colour_for - term_colour_wanted for stream F, from the environment. */
bool term_colour_for(FILE *f);

/* term_sgr - the escape sequence that starts colour C (TERM_RESET ends one) when ON, else "". */
const char *term_sgr(bool on, enum term_colour c);

/* A line on a terminal that says how far a long step is, rewritten in place. */
struct term_progress {
	FILE *f;
	bool on;
	uint64_t last_us;	/* when the line was last written; 0: never */
	size_t len;		/* characters of it on the screen, to blank them */
};

/* term_progress_init - a progress line on F, shown only when ON (the caller's rule). */
void term_progress_init(struct term_progress *p, FILE *f, bool on);

/*
 * term_progress_update - write the line FMT... in place of the last one: the first
 * time, then at most every 100 ms (FORCE: now), so that a 10,000-change
 * `up` does not spend its time on the terminal.
 */
__attribute__((format(printf, 3, 4))) void term_progress_update(struct term_progress *p, bool force,
								const char *fmt, ...);

/* term_progress_clear - blank the line, cursor at its start: before other output, at the end. */
void term_progress_clear(struct term_progress *p);

/*
 * term_progress_count - "topo: WHAT DONE/TOTAL" on the struct term_progress
 * at P, a void * to serve as a callback (probe_opts.progress); the line is
 * cleared when DONE reaches TOTAL.
 */
void term_progress_count(size_t done, size_t total, const char *what, void *p);

#endif
