/* SPDX-License-Identifier: MIT */
#ifndef TOPO_JSON_H
#define TOPO_JSON_H

#include <stdio.h>

/*
 * TOPO_JSON_VERSION - the "version" of every `--json` output's shape
 * (docs/json.md). Adding a key keeps it; renaming or removing one, or
 * changing what one means, takes the next number.
 */
#define TOPO_JSON_VERSION 1

/*
 * json_str - S as a JSON string into F (RFC 8259 section 7): quote,
 * backslash and control bytes escaped, the rest (UTF-8 included) as is.
 * NULL writes "".
 */
void json_str(FILE *f, const char *s);

/* json_str_or_null - json_str(F, S), or null when S is NULL or empty. */
void json_str_or_null(FILE *f, const char *s);

/* json_member - ",\"KEY\":" and S as json_str_or_null writes it, into F. */
void json_member(FILE *f, const char *key, const char *s);

#endif
