// SPDX-License-Identifier: MIT
/* JSON text for the command layer's --json output. */

#include "json.h"

void json_str(FILE *f, const char *s)
{
	/* the short escapes RFC 8259 has; other control bytes take \u00XX */
	static const char short_esc[0x20] = {
	    ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't',
	};

	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 && short_esc[c])
			fprintf(f, "\\%c", short_esc[c]);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void json_str_or_null(FILE *f, const char *s)
{
	if (s && s[0])
		json_str(f, s);
	else
		fputs("null", f);
}

void json_member(FILE *f, const char *key, const char *s)
{
	fprintf(f, ",\"%s\":", key);
	json_str_or_null(f, s);
}
