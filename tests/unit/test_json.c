// SPDX-License-Identifier: MIT
/* json.c: strings escaped as RFC 8259 asks, and nothing more. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

/* json_of - what json_str() writes for S; the caller frees it. */
static char *json_of(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	json_str(f, s);
	fclose(f);
	return buf;
}

static void assert_json(const char *s, const char *want)
{
	char *got = json_of(s);

	assert_string_equal(got, want);
	free(got);
}

static void test_plain_and_null(void **unused)
{
	assert_json("tri-r1: add route default", "\"tri-r1: add route default\"");
	assert_json("", "\"\"");
	assert_json(NULL, "\"\"");
	/* '/' may be escaped but need not be; DEL is not a control character to JSON */
	assert_json("a/b\x7f", "\"a/b\x7f\"");
}

static void test_quote_backslash(void **unused)
{
	assert_json("say \"hi\"", "\"say \\\"hi\\\"\"");
	assert_json("C:\\dir\\", "\"C:\\\\dir\\\\\"");
}

static void test_control_bytes(void **unused)
{
	assert_json("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"");
	assert_json("\b\f", "\"\\b\\f\"");
	assert_json("\x01\x1f", "\"\\u0001\\u001f\"");
	assert_json("\x1b[0m", "\"\\u001b[0m\"");
}

static void test_utf8_kept(void **unused)
{
	/* "é", "→" and an emoji: 2, 3 and 4 bytes, none below 0x80 escaped */
	assert_json("caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80",
		    "\"caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_and_null),
	    cmocka_unit_test(test_quote_backslash),
	    cmocka_unit_test(test_control_bytes),
	    cmocka_unit_test(test_utf8_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
