// SPDX-License-Identifier: MIT
/* runname.c: a lab file's name and prefix with topo test's run suffix. */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "runname.h"
#include "topology.h"

static struct topology *load(const char *text)
{
	struct diag d = { .file = "lab.yaml" };
	struct topology *t = NULL;

	assert_int_equal(topo_load_buf("lab.yaml", text, strlen(text), &t, &d), 0);
	assert_int_equal(d.n_errors, 0);
	diag_free(&d);
	return t;
}

/* TEXT renamed with "-abc123": the new text into WANT, and it loads with the
 * run's name and prefix. */
static void renamed(const char *text, const char *want, const char *name, const char *prefix)
{
	struct topology *t = load(text), *again;
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(runname_text(text, strlen(text), t, "-abc123", &out, &len), 0);
	assert_int_equal(len, strlen(out));
	assert_string_equal(out, want);
	again = load(out);
	assert_string_equal(again->name, name);
	assert_string_equal(again->prefix, prefix);
	runname_apply(t, "-abc123");
	assert_string_equal(t->name, name);
	assert_string_equal(t->prefix, prefix);
	topo_free(again);
	topo_free(t);
	free(out);
}

static void test_plain_name(void **unused)
{
	renamed("# lab, named lab\nname: lab   # a comment\nnodes:\n  a: {}\n",
		"# lab, named lab\nname: lab-abc123   # a comment\nnodes:\n  a: {}\n",
		"lab-abc123", "lab-abc123");
}

static void test_quoted_name_and_prefix(void **unused)
{
	renamed("nodes:\n  a: {}\nprefix: 'p'\nname: \"lab\"\n",
		"nodes:\n  a: {}\nprefix: 'p-abc123'\nname: \"lab-abc123\"\n",
		"lab-abc123", "p-abc123");
}

/* Both on one line, the prefix first: each in its place. */
static void test_flow_one_line(void **unused)
{
	renamed("{prefix: pp, name: lab, nodes: {a: {}}}\n",
		"{prefix: pp-abc123, name: lab-abc123, nodes: {a: {}}}\n",
		"lab-abc123", "pp-abc123");
}

/* A value the loader read through an escape is not at its position as written. */
static void test_escape_refused(void **unused)
{
	const char *text = "name: \"l\\x61b\"\nnodes:\n  a: {}\n";
	struct topology *t = load(text);
	char *out = NULL;
	size_t len = 0;

	assert_string_equal(t->name, "lab");
	assert_int_equal(runname_text(text, strlen(text), t, "-abc123", &out, &len), -EINVAL);
	assert_null(out);
	topo_free(t);
}

/* The text changed since the load (the file was edited meanwhile). */
static void test_text_changed(void **unused)
{
	struct topology *t = load("name: lab\nnodes:\n  a: {}\n");
	const char *now = "name: lbb\nnodes:\n  a: {}\n";
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(runname_text(now, strlen(now), t, "-x", &out, &len), -EINVAL);
	assert_int_equal(runname_text(now, 3, t, "-x", &out, &len), -EINVAL);
	topo_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_name),
		cmocka_unit_test(test_quoted_name_and_prefix),
		cmocka_unit_test(test_flow_one_line),
		cmocka_unit_test(test_escape_refused),
		cmocka_unit_test(test_text_changed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
