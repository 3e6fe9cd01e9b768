// SPDX-License-Identifier: MIT
/*
 * topo place's writer (place_write.c): the user's file comes back as
 * written, with `hosts:` and a `host:` on every node whatever form the
 * node takes (flow, block, empty, null, quoted, already placed), an old
 * `hosts:` replaced with the comments around it kept; what it cannot edit
 * (a flow-style top level, an anchor) is refused with its position, and a
 * result the checker refuses is refused with the checker's words.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "place.h"
#include "unit.h"

static const struct place_host two[] = {
	{ .name = "x", .address = "192.0.2.1", .vxlan_port = 14789, .placeholder = true },
	{ .name = "y", .address = "192.0.2.2", .vxlan_port = 14789 },
};

/* IN placed with HOSTS, node i of the file on host PART[i]: the result
 * (NULL when refused: *RC, *WHERE, the messages into *MSGS). */
static char *place(const char *in, const struct place_host *hosts, size_t n_hosts,
		   const size_t *part, int *rc, struct pos *where, char **msgs)
{
	struct diag d = { .file = "in.yaml" }, d2 = { .file = "out.yaml" };
	struct topology *t = NULL;
	char *out = NULL;

	assert_int_equal(topo_load_buf("in.yaml", in, strlen(in), &t, &d), 0);
	assert_int_equal(topo_check(t, &d), 0);
	*rc = place_text("in.yaml", in, strlen(in), t, hosts, n_hosts, part, &out, where, &d2);
	*msgs = messages(&d2);
	topo_free(t);
	diag_free(&d);
	diag_free(&d2);
	return out;
}

static void test_every_node_form(void **state)
{
	static const char in[] = "# every form a node takes\n"
				 "name: shapes\n"
				 "defaults:\n"
				 "  kind: router\n"
				 "nodes:\n"
				 "  a: {}\n"
				 "  b: { kind: host }\n"
				 "  c: {kind: host}\n"
				 "  d:\n"
				 "  e: ~   # nothing\n"
				 "  \"f\":\n"
				 "    # the router f\n"
				 "    routes: []\n"
				 "  g: { }\n"
				 "  h:\n"
				 "    kind: host\n"
				 "  i: null\n"
				 "links:\n"
				 "  - endpoints: [a:e0, b:e0]\n";
	static const char want[] =
		"# every form a node takes\n"
		"name: shapes\n"
		"defaults:\n"
		"  kind: router\n"
		"hosts:\n"
		"  x: { address: 192.0.2.1, vxlan_port: 14789 }   # a placeholder: x's underlay "
		"address goes here\n"
		"  \"y\": { address: 192.0.2.2, vxlan_port: 14789 }\n"
		"nodes:\n"
		"  a: { host: x }\n"
		"  b: { host: \"y\", kind: host }\n"
		"  c: {host: x, kind: host}\n"
		"  d: { host: \"y\" }\n"
		"  e: { host: x }   # nothing\n"
		"  \"f\":\n"
		"    # the router f\n"
		"    host: \"y\"\n"
		"    routes: []\n"
		"  g: { host: x }\n"
		"  h:\n"
		"    host: \"y\"\n"
		"    kind: host\n"
		"  i: { host: x }\n"
		"links:\n"
		"  - endpoints: [a:e0, b:e0]\n";
	static const size_t part[] = { 0, 1, 0, 1, 0, 1, 0, 1, 0 };
	struct pos where;
	char *out, *msgs;
	int rc;

	out = place(in, two, 2, part, &rc, &where, &msgs);
	assert_string_equal(msgs, "");
	assert_int_equal(where.line, 0);
	assert_int_equal(rc, 0);
	assert_string_equal(out, want);
	free(out);
	free(msgs);
}

static void test_hosts_replaced(void **state)
{
	static const char in[] = "name: h\n"
				 "# the hosts\n"
				 "hosts:\n"
				 "  a: { address: 10.0.0.1 }\n"
				 "  b:\n"
				 "    address: 10.0.0.2\n"
				 "\n"
				 "# the nodes\n"
				 "defaults: { host: b }\n"
				 "nodes:\n"
				 "  n1: { host: 'a' }\n"
				 "  n2:\n"
				 "    host: a\n"
				 "  n3: {}";	/* no newline at the end */
	static const char want[] = "name: h\n"
				   "# the hosts\n"
				   "hosts:\n"
				   "  x: { address: 192.0.2.1, vxlan_port: 14789 }   # a "
				   "placeholder: x's underlay "
				   "address goes here\n"
				   "  \"y\": { address: 192.0.2.2, vxlan_port: 14789 }\n"
				   "\n"
				   "# the nodes\n"
				   "defaults: { host: x }\n"
				   "nodes:\n"
				   "  n1: { host: \"y\" }\n"
				   "  n2:\n"
				   "    host: x\n"
				   "  n3: { host: \"y\" }";
	static const size_t part[] = { 1, 0, 1 };
	struct pos where;
	char *out, *msgs;
	int rc;

	out = place(in, two, 2, part, &rc, &where, &msgs);
	assert_int_equal(rc, 0);
	assert_string_equal(out, want);
	free(out);
	free(msgs);
}

/* hosts: last in the file: the comments after it stay */
static void test_hosts_last(void **state)
{
	static const char in[] = "name: e\nnodes: { a: {}, b: {} }\n"
				 "hosts:\n  old: { address: 10.0.0.9 }\n\n# the end\n...\n";
	static const char want[] = "name: e\nnodes: { a: { host: x }, b: { host: \"y\" } }\n"
				   "hosts:\n  x: { address: 192.0.2.1, vxlan_port: 14789 }   # a "
				   "placeholder: x's underlay address goes here\n"
				   "  \"y\": { address: 192.0.2.2, vxlan_port: 14789 }\n"
				   "\n# the end\n...\n";
	static const size_t part[] = { 0, 1 };
	struct pos where;
	char *out, *msgs;
	int rc;

	out = place(in, two, 2, part, &rc, &where, &msgs);
	assert_int_equal(rc, 0);
	assert_string_equal(out, want);
	free(out);
	free(msgs);
}

static void test_refused(void **state)
{
	static const char flow[] = "{ name: f, nodes: { a: {}, b: {} } }\n";
	static const char anchor[] = "name: a\nnodes:\n  a: &n { kind: router }\n  b: {}\n";
	static const char linked[] = "name: l\nnodes: { a: {}, b: {} }\n"
				     "links:\n  - endpoints: [a:e0, b:e0]\n";
	static const struct place_host mixed[] = { { .name = "p", .address = "10.0.0.1" },
						   { .name = "q", .address = "2001:db8::1" } };
	static const size_t part[] = { 0, 1 };
	struct pos where;
	char *out, *msgs;
	int rc;

	out = place(flow, two, 2, part, &rc, &where, &msgs);
	assert_int_equal(rc, -EINVAL);
	assert_null(out);
	assert_string_equal(msgs, "");
	assert_int_equal(where.line, 1);
	assert_int_equal(where.col, 1);
	free(msgs);

	out = place(anchor, two, 2, part, &rc, &where, &msgs);
	assert_int_equal(rc, -EINVAL);
	assert_null(out);
	assert_int_equal(where.line, 3);
	free(msgs);

	/* the checker's word on what the placement makes */
	out = place(linked, mixed, 2, part, &rc, &where, &msgs);
	assert_int_equal(rc, -EINVAL);
	assert_null(out);
	assert_non_null(strstr(msgs, "a VXLAN tunnel needs one address family"));
	free(msgs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_node_form),
		cmocka_unit_test(test_hosts_replaced),
		cmocka_unit_test(test_hosts_last),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
