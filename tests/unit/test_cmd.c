// SPDX-License-Identifier: MIT
/*
 * The pure helpers of the command layer (cmd.c): cmd_args, the option
 * parser every command uses, and cmd_show, which keeps control bytes of
 * kernel-supplied names off the terminal.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cmd.h"
#include "plan.h"

struct opts {
	bool prune, quiet;
	const char *junit;
	const char *pos[2];
};

/* ARGS, NULL-ended, through cmd_args with --prune, -q/--quiet, --junit F and 1..2 arguments. */
static int parse(struct opts *o, ...)
{
	const struct cmd_opt table[] = {
		{ .name = "prune", .flag = &o->prune },
		{ .name = "quiet", .letter = 'q', .flag = &o->quiet },
		{ .name = "junit", .value = &o->junit },
		{ 0 },
	};
	char *argv[16] = { "cmd" };
	int argc = 1;
	va_list ap;

	memset(o, 0, sizeof(*o));
	va_start(ap, o);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	return cmd_args(argc, argv, table, o->pos, 1, 2, "FILE [X] [--prune] [-q] [--junit F]");
}

static void test_args(void **unused)
{
	struct opts o;

	assert_int_equal(parse(&o, "f", "--prune", "-q", "--junit", "j.xml", NULL), 0);
	assert_true(o.prune && o.quiet);
	assert_string_equal(o.junit, "j.xml");
	assert_string_equal(o.pos[0], "f");
	assert_null(o.pos[1]);

	assert_int_equal(parse(&o, "--quiet", "a", "b", NULL), 0);
	assert_true(o.quiet && !o.prune);
	assert_string_equal(o.pos[1], "b");
	/* after --, a dash starts an argument, not an option */
	assert_int_equal(parse(&o, "--", "-f", NULL), 0);
	assert_string_equal(o.pos[0], "-f");
	/* "-" alone is an argument */
	assert_int_equal(parse(&o, "-", NULL), 0);

	assert_int_equal(parse(&o, "f", "--bogus", NULL), -1);
	assert_int_equal(parse(&o, "f", "-x", NULL), -1);
	assert_int_equal(parse(&o, "f", "-qq", NULL), -1);
	assert_int_equal(parse(&o, "f", "---prune", NULL), -1);
	assert_int_equal(parse(&o, "f", "--prune=1", NULL), -1);
	assert_int_equal(parse(&o, "f", "--junit", NULL), -1);	/* no value */
	assert_int_equal(parse(&o, NULL), -1);			/* too few */
	assert_int_equal(parse(&o, "a", "b", "c", NULL), -1);	/* too many */
}

static void test_show(void **unused)
{
	char buf[16], big[CMD_SHOW_MAX];

	assert_string_equal(CMD_SHOW("eth0"), "eth0");
	assert_string_equal(CMD_SHOW("e\033[31m"), "e\\x1b[31m");
	assert_string_equal(CMD_SHOW("a\tb\nc\x7f"), "a\\x09b\\x0ac\\x7f");
	/* UTF-8 stays as it is */
	assert_string_equal(CMD_SHOW("caf\xc3\xa9"), "caf\xc3\xa9");
	assert_string_equal(CMD_SHOW(""), "");

	/* cut only at the buffer, and then visibly */
	assert_string_equal(cmd_show("0123456789a", buf, sizeof(buf)), "0123456789a");
	assert_string_equal(cmd_show("0123456789abcdefgh", buf, sizeof(buf)), "0123456789ab...");
	assert_string_equal(cmd_show("0123456\033\033", buf, sizeof(buf)), "0123456\\x1b...");
	/* a whole sentence of plan_text.c, every byte a control byte, fits */
	memset(big, '\033', ACT_TEXT_MAX - 1);
	big[ACT_TEXT_MAX - 1] = '\0';
	assert_int_equal(strlen(CMD_SHOW(big)), 4 * (ACT_TEXT_MAX - 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_args),
	    cmocka_unit_test(test_show),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
