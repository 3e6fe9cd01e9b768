/* SPDX-License-Identifier: MIT */
#ifndef TOPO_JSON_H
#define TOPO_JSON_H

#include <stdio.h>

/*
 * json_str - S as a JSON string into F (RFC 8259 section 7): quote,
 * backslash and control bytes escaped, the rest (UTF-8 included) as is.
 * NULL writes "".
 */
void json_str(FILE *f, const char *s);

#endif
