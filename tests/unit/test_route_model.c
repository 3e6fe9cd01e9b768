// SPDX-License-Identifier: MIT
/*
 * The route model of issue 13: route types, tables, multipath, src,
 * onlink and mtu through the loader (each form, each error, exact text),
 * the checker, the desired state, the words that show a route, the
 * planner (an edit in place is one change) and the reading of a kernel
 * RTM_NEWROUTE with RTA_MULTIPATH.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "diag.h"
#include "cmd.h"
#include "observe_parse.h"
#include "plan.h"
#include "state.h"
#include "topology.h"
#include "util.h"
#include "want.h"
#include "unit.h"

#define L "lab.yaml:"

/* A lab: r1 between h1 (eth1, 10.0.1.0/24) and h2 (eth2, 10.0.2.0/24), r1's own lines after. */
#define LAB_HEAD                                                                                \
	"name: rt\n"                                                                            \
	"links:\n"                                                                              \
	"  - endpoints: [\"r1:eth1 10.0.1.1/24 2001:db8:1::1/64\", \"h1:eth0 10.0.1.2/24\"]\n" \
	"  - endpoints: [\"r1:eth2 10.0.2.1/24\", \"h2:eth0 10.0.2.2/24\"]\n"                   \
	"nodes:\n"                                                                              \
	"  h1: {}\n"                                                                            \
	"  h2: {}\n"                                                                            \
	"  r1:\n"
/* line of the first route under LAB_HEAD "    routes:\n" */
#define FIRST_ROUTE_LINE 10

static struct topology *load_ok(const char *yaml)
{
	return unit_load("lab.yaml", yaml);
}

static void load_err(const char *yaml, const char *expected)
{
	struct diag d = { 0 };
	struct topology *t = NULL;
	int r = topo_load_buf("lab.yaml", yaml, strlen(yaml), &t, &d);
	char *m = messages(&d);

	assert_true(r < 0);
	assert_string_equal(m, expected);
	free(m);
	diag_free(&d);
}

static void check_yaml(const char *yaml, const char *expected)
{
	struct topology *t = load_ok(yaml);

	unit_check(t, "lab.yaml", expected);
	topo_free(t);
}

static const struct route_spec *r1_route(const struct topology *t, size_t i)
{
	const struct node *n = topo_node_find(t, "r1");

	assert_non_null(n);
	assert_true(i < n->n_routes);
	return &n->routes[i];
}

/* The words a route of r1 shows in plans and status, through the desired state. */
static void assert_route_words(const char *yaml, size_t i, const char *words)
{
	struct topology *t = load_ok(yaml);
	struct st_route r;
	char buf[512];

	assert_int_equal(want_route_fill(topo_node_find(t, "r1"), r1_route(t, i), &r), 0);
	assert_string_equal(st_route_fmt(&r, buf, sizeof(buf)), words);
	topo_free(t);
}

/* ---- the loader: each form ---- */

static void test_load_types(void **unused)
{
	const char *yaml = LAB_HEAD
		"    routes:\n"
		"      - blackhole 10.50.3.0/24\n"
		"      - unreachable default\n"
		"      - { to: 10.50.5.0/24, type: prohibit, metric: 7 }\n"
		"      - throw 10.50.6.0/24 table 100\n"
		"      - \"prohibit 2001:db8:50::/64\"\n"
		"      - { to: 10.50.7.0/24, type: unicast, via: 10.0.1.2 }\n";
	struct topology *t = load_ok(yaml);

	assert_int_equal(r1_route(t, 0)->type, ROUTE_BLACKHOLE);
	assert_int_equal(r1_route(t, 0)->dst_len, 24);
	assert_int_equal(r1_route(t, 1)->type, ROUTE_UNREACHABLE);
	assert_int_equal(r1_route(t, 1)->family, AF_INET);
	assert_int_equal(r1_route(t, 1)->dst_len, 0);
	assert_int_equal(r1_route(t, 2)->type, ROUTE_PROHIBIT);
	assert_int_equal(r1_route(t, 2)->metric, 7);
	assert_int_equal(r1_route(t, 3)->type, ROUTE_THROW);
	assert_string_equal(r1_route(t, 3)->table, "100");
	assert_int_equal(r1_route(t, 4)->family, AF_INET6);
	assert_int_equal(r1_route(t, 5)->type, ROUTE_UNICAST);
	topo_free(t);
	assert_route_words(yaml, 0, "blackhole 10.50.3.0/24");
	assert_route_words(yaml, 1, "unreachable default");
	assert_route_words(yaml, 2, "prohibit 10.50.5.0/24 metric 7");
	assert_route_words(yaml, 3, "throw 10.50.6.0/24 table 100");
	assert_route_words(yaml, 4, "prohibit 2001:db8:50::/64");
}

static void test_load_nexthops(void **unused)
{
	const char *yaml = LAB_HEAD
		"    routes:\n"
		"      - 10.9.0.0/24 nexthops: [via 10.0.1.2, via 10.0.2.2 weight 2]\n"
		"      - \"10.8.0.0/24 metric 5 nexthops: [via 10.0.1.2 dev eth1 onlink, dev eth2 weight 256]\"\n"
		"      - { to: 10.7.0.0/24, nexthops: [{via: 10.0.1.2}, {via: 10.0.2.2, weight: 3, dev: eth2}] }\n"
		"      - default nexthops: [via 10.0.1.2, via 10.0.2.2]\n"
		"      - { to: 10.6.0.0/24, nexthops: [via 10.0.1.2, \"via 10.0.2.2 weight 4\"] }\n";
	struct topology *t = load_ok(yaml);
	const struct route_spec *r = r1_route(t, 0);

	assert_int_equal(r->n_nh, 2);
	assert_true(r->nh[0].has_via);
	assert_int_equal(r->nh[0].weight, 1);
	assert_int_equal(r->nh[1].weight, 2);
	assert_int_equal(r->nh[1].via[3], 2);
	assert_int_equal(r->nh[1].pos.line, FIRST_ROUTE_LINE);
	r = r1_route(t, 1);
	assert_int_equal(r->n_nh, 2);
	assert_true(r->nh[0].onlink);
	assert_string_equal(r->nh[0].dev, "eth1");
	assert_false(r->nh[1].has_via);
	assert_int_equal(r->nh[1].weight, 256);
	assert_int_equal(r->metric, 5);
	assert_int_equal(r1_route(t, 2)->nh[1].weight, 3);
	assert_int_equal(r1_route(t, 3)->dst_len, 0);
	assert_int_equal(r1_route(t, 4)->nh[1].weight, 4);
	topo_free(t);
	assert_route_words(yaml, 0, "10.9.0.0/24 nexthops: [via 10.0.1.2, via 10.0.2.2 weight 2]");
	assert_route_words(yaml, 1,
			   "10.8.0.0/24 metric 5 nexthops: [via 10.0.1.2 dev eth1 onlink, dev eth2 weight 256]");
	assert_route_words(yaml, 2, "10.7.0.0/24 nexthops: [via 10.0.1.2, via 10.0.2.2 dev eth2 weight 3]");
}

static void test_load_attrs(void **unused)
{
	const char *yaml = LAB_HEAD
		"    tables: { isp2: 100 }\n"
		"    addresses: { lo: [10.255.0.1/32] }\n"
		"    routes:\n"
		"      - 10.11.0.0/24 via 10.0.1.2 table isp2 src 10.255.0.1 mtu 1400 metric 3\n"
		"      - { to: 10.12.0.0/24, via: 10.99.0.1, dev: eth1, onlink: true, table: 7, mtu: 1300, src: 10.255.0.1 }\n"
		"      - 10.13.0.0/24 via 10.99.0.1 dev eth1 onlink\n"
		"      - { to: 10.14.0.0/24, via: 10.0.1.2, onlink: false }\n";
	struct topology *t = load_ok(yaml);
	const struct route_spec *r = r1_route(t, 0);
	const struct node *n = topo_node_find(t, "r1");

	assert_int_equal(n->n_tables, 1);
	assert_string_equal(n->tables[0].name, "isp2");
	assert_int_equal(n->tables[0].id, 100);
	assert_string_equal(r->table, "isp2");
	assert_true(r->has_src);
	assert_int_equal(r->mtu, 1400);
	assert_int_equal(r->metric, 3);
	r = r1_route(t, 1);
	assert_true(r->onlink);
	assert_int_equal(r->mtu, 1300);
	assert_string_equal(r->table, "7");
	assert_true(r1_route(t, 2)->onlink);
	assert_false(r1_route(t, 3)->onlink);
	topo_free(t);
	assert_route_words(yaml, 0, "10.11.0.0/24 via 10.0.1.2 metric 3 table 100 src 10.255.0.1 mtu 1400");
	assert_route_words(yaml, 1, "10.12.0.0/24 via 10.99.0.1 dev eth1 table 7 src 10.255.0.1 onlink mtu 1300");
	check_yaml(yaml, "");
}

/* Tables of defaults: under each node's, a name the node gives is the node's. */
static void test_load_tables_defaults(void **unused)
{
	struct topology *t = load_ok("name: rt\n"
				     "defaults: { tables: { isp1: 10, isp2: 20 } }\n"
				     "nodes:\n"
				     "  a: { tables: { isp2: 30, isp3: 40 } }\n"
				     "  b: {}\n");
	const struct node *a = topo_node_find(t, "a"), *b = topo_node_find(t, "b");
	uint32_t id;

	assert_int_equal(a->n_tables, 3);
	assert_true(topo_table_id(a, "isp1", &id));
	assert_int_equal(id, 10);
	assert_true(topo_table_id(a, "isp2", &id));
	assert_int_equal(id, 30);
	assert_true(topo_table_id(a, "isp3", &id));
	assert_int_equal(id, 40);
	assert_int_equal(b->n_tables, 2);
	assert_true(topo_table_id(b, "isp2", &id));
	assert_int_equal(id, 20);
	assert_false(topo_table_id(b, "isp3", &id));
	topo_free(t);
}

/* ---- the loader: each error ---- */

struct err_case {
	const char *name;
	const char *lines;	/* r1's lines after LAB_HEAD */
	const char *expected;
};

static const struct err_case load_errors[] = {
	{ "a blackhole route takes no via", "    routes: [blackhole 10.50.0.0/24 via 10.0.1.2]\n",
	  L "9:37: error: a blackhole route takes no 'via' (route 'blackhole 10.50.0.0/24 via 10.0.1.2')" },
	{ "a typed map route takes no dev", "    routes: [{ to: 10.50.0.0/24, type: throw, dev: eth1 }]\n",
	  L "9:47: error: a throw route takes no 'dev' (route 'throw 10.50.0.0/24 dev eth1')" },
	{ "a typed route takes no nexthops", "    routes:\n      - unreachable 10.5.0.0/24 nexthops: [via 10.0.1.2, via 10.0.2.2]\n",
	  L "10:33: error: an unreachable route takes no 'nexthops' (route 'unreachable 10.5.0.0/24 nexthops: [via 10.0.1.2, via 10.0.2.2]')" },
	{ "bad type in a map", "    routes: [{ to: 10.50.0.0/24, type: drop }]\n",
	  L "9:40: error: invalid route type 'drop' (expected unicast, blackhole, unreachable, prohibit or throw)" },
	{ "two types", "    routes: [blackhole unreachable 10.50.0.0/24]\n",
	  L "9:24: error: a second route type 'unreachable' in 'blackhole unreachable 10.50.0.0/24'" },
	{ "nexthops and via", "    routes:\n      - 10.9.0.0/24 via 10.0.1.2 nexthops: [via 10.0.1.2, via 10.0.2.2]\n",
	  L "10:9: error: route '10.9.0.0/24 via 10.0.1.2 nexthops: [via 10.0.1.2, via 10.0.2.2]' has 'nexthops': give 'via', 'dev' and 'onlink' in each nexthop" },
	{ "one nexthop", "    routes:\n      - 10.9.0.0/24 nexthops: [via 10.0.1.2]\n",
	  L "10:32: error: one nexthop is a plain route: write 'via' (route '10.9.0.0/24 nexthops: [via 10.0.1.2]')" },
	{ "nine nexthops", "    routes:\n      - \"10.9.0.0/24 nexthops: [dev eth1, dev eth1, dev eth1, dev eth1, dev eth1, dev eth1, dev eth1, dev eth1, dev eth2]\"\n",
	  L "10:113: error: too many nexthops (at most 8)" },
	{ "weight 0", "    routes:\n      - 10.9.0.0/24 nexthops: [via 10.0.1.2 weight 0, via 10.0.2.2]\n",
	  L "10:52: error: weight 0 out of range (1..256)" },
	{ "weight 257", "    routes: [{ to: 10.9.0.0/24, nexthops: [{ via: 10.0.1.2, weight: 257 }, { dev: eth2 }] }]\n",
	  L "9:69: error: weight 257 out of range (1..256)" },
	{ "unknown nexthop keyword", "    routes:\n      - \"10.9.0.0/24 nexthops: [via 10.0.1.2 gw 1, dev eth2]\"\n",
	  L "10:46: error: unknown nexthop keyword 'gw' (expected via, dev, weight or onlink)" },
	{ "a nexthop with no way out", "    routes:\n      - \"10.9.0.0/24 nexthops: [weight 2, dev eth2]\"\n",
	  L "10:33: error: a nexthop needs 'via' or 'dev' (route '10.9.0.0/24 nexthops: [weight 2, dev eth2]')" },
	{ "a nexthop of the other family", "    routes:\n      - 10.9.0.0/24 nexthops: [via 2001:db8:1::2, dev eth2]\n",
	  L "10:32: error: gateway 2001:db8:1::2 is IPv6 but the route '10.9.0.0/24 nexthops: [via 2001:db8:1::2, dev eth2]' is IPv4" },
	{ "no bracket", "    routes: [\"10.9.0.0/24 nexthops via 10.0.1.2\"]\n",
	  L "9:36: error: expected '[via ADDR, ...]' after 'nexthops' in '10.9.0.0/24 nexthops via 10.0.1.2'" },
	{ "a route key ending in a colon", "    routes:\n      - 10.9.0.0/24 via: [10.0.1.2]\n",
	  L "10:9: error: unknown key '10.9.0.0/24 via' (expected one of: to, via, dev, metric, type, table, src, onlink, mtu, nexthops)" "\n"
	  L "10:9: error: missing required key 'to'" },
	{ "source of the other family", "    routes: [10.9.0.0/24 via 10.0.1.2 src 2001:db8:1::1]\n",
	  L "9:43: error: source 2001:db8:1::1 is not of the family of route '10.9.0.0/24 via 10.0.1.2 src 2001:db8:1::1'" },
	{ "bad source", "    routes: [10.9.0.0/24 via 10.0.1.2 src nowhere]\n",
	  L "9:43: error: invalid source address 'nowhere'" },
	{ "mtu too small", "    routes: [10.9.0.0/24 via 10.0.1.2 mtu 20]\n",
	  L "9:43: error: mtu 20 out of range (68..65535)" },
	{ "onlink not a bool", "    routes: [{ to: 10.9.0.0/24, via: 10.0.1.2, onlink: yes please }]\n",
	  L "9:56: error: invalid onlink 'yes please' (expected true or false)" },
	{ "missing table value", "    routes: [10.9.0.0/24 via 10.0.1.2 table]\n",
	  L "9:39: error: missing value after 'table' in route '10.9.0.0/24 via 10.0.1.2 table'" },
	{ "duplicate table", "    routes: [10.9.0.0/24 via 10.0.1.2 table 5 table 6]\n",
	  L "9:47: error: duplicate 'table' in route '10.9.0.0/24 via 10.0.1.2 table 5 table 6'" },
	{ "table name of digits", "    tables: { 100x: 100 }\n",
	  L "9:15: error: table name '100x' starts with a digit (a number is a table id)" },
	{ "table name of the kernel's", "    tables: { main: 100 }\n",
	  L "9:15: error: table name 'main' is the kernel's own" },
	{ "table id of the kernel's", "    tables: { isp: 254 }\n",
	  L "9:20: error: table id 254 is the kernel's own (main)" },
	{ "table id 0", "    tables: { isp: 0 }\n",
	  L "9:20: error: table id 0 out of range (1..4294967295)" },
	{ "table id too large", "    tables: { isp: 4294967296 }\n",
	  L "9:20: error: table id 4294967296 out of range (1..4294967295)" },
	{ "duplicate table name", "    tables: { isp: 1, isp: 2 }\n",
	  L "9:23: error: duplicate key 'isp'" },
};

static void test_load_errors(void **unused)
{
	size_t i;

	for (i = 0; i < sizeof(load_errors) / sizeof(load_errors[0]); i++) {
		char *yaml = xasprintf("%s%s", LAB_HEAD, load_errors[i].lines);

		print_message("case: %s\n", load_errors[i].name);
		load_err(yaml, load_errors[i].expected);
		free(yaml);
	}
}

/* ---- the checker ---- */

static const struct err_case check_cases[] = {
	{ "unknown table name", "    routes: [10.9.0.0/24 via 10.0.1.2 table isp9]\n",
	  L "9:45: error: unknown table 'isp9' in route '10.9.0.0/24 via 10.0.1.2 table isp9' (a number 1-4294967295, main, default, or a name from the node's tables:)" },
	{ "the local table", "    routes: [blackhole 10.9.0.0/24 table local]\n",
	  L "9:42: error: table 'local' is the kernel's local table: topo leaves it alone (route 'blackhole 10.9.0.0/24 table local')" },
	{ "a table by name, main and a number", "    tables: { isp2: 100 }\n    routes: [throw 10.9.0.0/24 table isp2, blackhole 10.9.0.0/24 table main, blackhole 10.9.0.0/24 table 101]\n",
	  "" },
	{ "the same route in two tables", "    routes: [10.9.0.0/24 via 10.0.1.2, 10.9.0.0/24 via 10.0.1.2 table 100]\n",
	  "" },
	{ "the same route twice in one table", "    tables: { isp2: 100 }\n    routes: [10.9.0.0/24 via 10.0.1.2 table 100, blackhole 10.9.0.0/24 table isp2]\n",
	  L "10:50: error: duplicate route to 10.9.0.0/24 on node 'r1' (first at line 10)" },
	{ "source not of the node", "    routes: [10.9.0.0/24 via 10.0.1.2 src 10.0.1.2]\n",
	  L "9:43: error: source 10.0.1.2 is not an address of node 'r1' (route '10.9.0.0/24 via 10.0.1.2 src 10.0.1.2')" },
	{ "source of the node", "    routes: [10.9.0.0/24 via 10.0.1.2 src 10.0.2.1]\n",
	  "" },
	{ "onlink without dev", "    routes: [10.9.0.0/24 via 10.99.0.1 onlink]\n",
	  L "9:14: error: gateway 10.99.0.1 is 'onlink' but names no 'dev' to find it on (route '10.9.0.0/24 via 10.99.0.1 onlink')" },
	{ "onlink without a gateway", "    routes: [10.9.0.0/24 dev eth1 onlink]\n",
	  L "9:14: error: 'onlink' needs a gateway ('via') (route '10.9.0.0/24 dev eth1 onlink')" },
	{ "gateway off-subnet without onlink", "    routes: [10.9.0.0/24 via 10.99.0.1 dev eth1]\n",
	  L "9:14: error: gateway 10.99.0.1 is not on any subnet of 'r1:eth1' (route '10.9.0.0/24 via 10.99.0.1 dev eth1')" },
	{ "a nexthop off-subnet", "    routes:\n      - 10.9.0.0/24 nexthops: [via 10.0.1.2, via 10.0.3.2]\n",
	  L "10:9: error: gateway 10.0.3.2 is not on any subnet of node 'r1' (route '10.9.0.0/24 nexthops: [via 10.0.1.2, via 10.0.3.2]')" },
	{ "a nexthop onlink", "    routes:\n      - 10.9.0.0/24 nexthops: [via 10.0.1.2, via 10.0.3.2 dev eth2 onlink]\n",
	  "" },
	{ "a nexthop on a device the node lacks", "    routes:\n      - 10.9.0.0/24 nexthops: [via 10.0.1.2, dev eth7]\n",
	  L "10:9: error: node 'r1' has no interface 'eth7' (its interfaces: lo, eth1, eth2)" },
	{ "a nexthop on the wrong device", "    routes:\n      - 10.9.0.0/24 nexthops: [via 10.0.1.2 dev eth2, dev eth1]\n",
	  L "10:9: error: gateway 10.0.1.2 is not on any subnet of 'r1:eth2' (route '10.9.0.0/24 nexthops: [via 10.0.1.2 dev eth2, dev eth1]')" },
	{ "IPv6 via a link-local gateway with dev", "    routes: [\"2001:db8:9::/64 via fe80::2 dev eth1\"]\n",
	  "" },
	{ "IPv6 link-local nexthops with dev", "    routes:\n      - \"2001:db8:9::/64 nexthops: [via fe80::2 dev eth1, via fe80::3 dev eth2]\"\n",
	  "" },
	{ "IPv6 link-local nexthop without dev", "    routes:\n      - \"2001:db8:9::/64 nexthops: [via fe80::2, via fe80::3 dev eth2]\"\n",
	  L "10:9: error: link-local gateway fe80::2 needs 'dev', the interface to reach it on: every interface has its own fe80::/64 (route '2001:db8:9::/64 nexthops: [via fe80::2, via fe80::3 dev eth2]')" },
	{ "typed routes need nothing", "    routes:\n      - blackhole 10.9.0.0/24\n      - unreachable default\n      - prohibit ::/0\n      - throw 10.8.0.0/24 table 5\n",
	  "" },
};

static void test_check(void **unused)
{
	size_t i;

	for (i = 0; i < sizeof(check_cases) / sizeof(check_cases[0]); i++) {
		char *yaml = xasprintf("%s%s", LAB_HEAD, check_cases[i].lines);

		print_message("case: %s\n", check_cases[i].name);
		check_yaml(yaml, check_cases[i].expected);
		free(yaml);
	}
}

/* ---- the planner: an edit in place is one change ---- */

/* The desired state of YAML (r1's LINES after LAB_HEAD), checked. */
static void want_of(const char *lines, struct state *s)
{
	char *yaml = xasprintf("%s%s", LAB_HEAD, lines);
	struct topology *t = load_ok(yaml);
	struct diag d = { .file = "lab.yaml" };

	assert_int_equal(topo_check(t, &d), 0);
	assert_int_equal(want_build(t, s), 0);
	diag_free(&d);
	topo_free(t);
	free(yaml);
}

/*
 * Plan the step from r1 with BEFORE's lines (as the kernel has them, with
 * the devices it fills in) to AFTER's: N_CHANGE changes and nothing else;
 * LINE, when given, is a line of the plan.
 */
static void plan_step(const char *before, const char *after, size_t n_change, const char *line)
{
	struct state want, have;
	struct plan p;
	size_t i, j, k;

	want_of(before, &have);
	want_of(after, &want);
	for (i = 0; i < have.n_ns; i++) {
		have.ns[i].owned = true;
		for (j = 0; j < have.ns[i].n_routes; j++) {
			struct st_route *r = &have.ns[i].routes[j];

			/* the kernel names the devices the file leaves to it */
			for (k = 0; k < r->n_nh; k++)
				if (!r->nh[k].dev[0])
					snprintf(r->nh[k].dev, sizeof(r->nh[k].dev), "eth%zu", k + 1);
		}
	}
	assert_int_equal(plan_diff(&want, &have, false, &p), 0);
	for (i = 0; i < p.n_acts; i++) {
		char buf[ACT_TEXT_MAX * 2];

		print_message("  %s\n", action_describe(&p.acts[i], buf, sizeof(buf)));
	}
	assert_int_equal(p.n_change, n_change);
	assert_int_equal(p.n_add + p.n_destroy, 0);
	assert_int_equal(p.n_acts, n_change * 2);
	if (line) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		plan_print(&p, f);
		fclose(f);
		if (!strstr(buf, line))
			fail_msg("no '%s' in:\n%s", line, buf);
		free(buf);
	}
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

#define ECMP(w) "    routes:\n      - 10.9.0.0/24 nexthops: [via 10.0.1.2, via 10.0.2.2 weight " w "]\n"

static void test_plan_in_place(void **unused)
{
	/* nothing changed, nexthops in another order: nothing to do */
	plan_step(ECMP("2"), ECMP("2"), 0, NULL);
	plan_step(ECMP("2"), "    routes:\n      - 10.9.0.0/24 nexthops: [via 10.0.2.2 weight 2, via 10.0.1.2]\n",
		  0, NULL);
	plan_step(ECMP("2"), ECMP("3"), 1,
		  "~ route rt-r1 10.9.0.0/24 nexthops: [via 10.0.1.2, via 10.0.2.2 weight 3] (was nexthops: [via 10.0.1.2 dev eth1, via 10.0.2.2 dev eth2 weight 2])");
	/* another table */
	plan_step("    tables: { isp2: 100 }\n    routes: [10.11.0.0/24 via 10.0.1.2 table isp2]\n",
		  "    tables: { isp2: 101 }\n    routes: [10.11.0.0/24 via 10.0.1.2 table isp2]\n", 1,
		  "~ route rt-r1 10.11.0.0/24 via 10.0.1.2 table 101 (was via 10.0.1.2 table 100)");
	plan_step("    routes: [10.11.0.0/24 via 10.0.1.2]\n",
		  "    routes: [10.11.0.0/24 via 10.0.1.2 table 7]\n", 1, NULL);
	/* another type, mtu, src, onlink */
	plan_step("    routes: [blackhole 10.50.0.0/24]\n", "    routes: [prohibit 10.50.0.0/24]\n", 1,
		  "~ route rt-r1 prohibit 10.50.0.0/24 (was blackhole)");
	plan_step("    routes: [blackhole 10.50.0.0/24]\n", "    routes: [10.50.0.0/24 via 10.0.1.2]\n", 1,
		  NULL);
	plan_step("    routes: [10.11.0.0/24 via 10.0.1.2 mtu 1400]\n",
		  "    routes: [10.11.0.0/24 via 10.0.1.2 mtu 1300]\n", 1,
		  "~ route rt-r1 10.11.0.0/24 via 10.0.1.2 mtu 1300 (was via 10.0.1.2 mtu 1400)");
	plan_step("    routes: [10.11.0.0/24 via 10.0.1.2]\n",
		  "    routes: [10.11.0.0/24 via 10.0.1.2 src 10.0.2.1]\n", 1, NULL);
	plan_step("    routes: [10.11.0.0/24 via 10.0.1.2 dev eth1]\n",
		  "    routes: [10.11.0.0/24 via 10.0.1.2 dev eth1 onlink]\n", 1, NULL);
	/* a single path becomes two */
	plan_step("    routes: [10.9.0.0/24 via 10.0.1.2]\n", ECMP("1"), 1, NULL);
}

/* A route of topo's in another table that the file no longer has is deleted; a hand-made one is drift. */
static void test_plan_other_table(void **unused)
{
	struct state want, have;
	struct plan p;
	struct st_route *r;

	want_of("    routes: []\n", &want);
	want_of("    routes: [throw 10.60.0.0/24 table 100, blackhole 10.61.0.0/24 table 100]\n", &have);
	for (size_t i = 0; i < have.n_ns; i++)
		have.ns[i].owned = true;
	r = &have.ns[2].routes[1];
	r->proto = RTPROT_BOOT;
	assert_int_equal(plan_diff(&want, &have, false, &p), 0);
	for (size_t i = 0; i < p.n_acts; i++) {
		char buf[ACT_TEXT_MAX * 2];

		print_message("  %s\n", action_describe(&p.acts[i], buf, sizeof(buf)));
	}
	assert_int_equal(p.n_destroy, 1);
	assert_int_equal(p.n_drift_acts, 1);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

/* ---- reading the kernel's multipath route ---- */

/* One struct rtnexthop with its gateway into NLH's open RTA_MULTIPATH nest. */
static void put_nexthop(struct nlmsghdr *nlh, const uint8_t gw[4], int ifindex, uint8_t hops,
			uint8_t flags)
{
	struct rtnexthop *rtnh = mnl_nlmsg_get_payload_tail(nlh);

	nlh->nlmsg_len += MNL_ALIGN(sizeof(*rtnh));
	memset(rtnh, 0, sizeof(*rtnh));
	rtnh->rtnh_ifindex = ifindex;
	rtnh->rtnh_hops = hops;
	rtnh->rtnh_flags = flags;
	mnl_attr_put(nlh, RTA_GATEWAY, 4, gw);
	rtnh->rtnh_len = (unsigned short)((char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)rtnh);
}

static void test_observe_multipath(void **unused)
{
	char buf[1024];
	struct st_iface ifcs[2] = { { .name = "eth1", .ifindex = 2 }, { .name = "eth2", .ifindex = 3 } };
	struct st_ns ns = { .ifaces = ifcs, .n_ifaces = 2 };
	struct obs_ns o = { .ns = &ns };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	uint8_t dst[4] = { 10, 9, 0, 0 }, gw1[4] = { 10, 0, 1, 2 }, gw2[4] = { 10, 0, 2, 2 };
	struct nlattr *nest, *mx;
	char words[512];

	nlh->nlmsg_type = RTM_NEWROUTE;
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 24;
	rtm->rtm_type = RTN_UNICAST;
	rtm->rtm_table = RT_TABLE_UNSPEC;
	rtm->rtm_protocol = TOPO_RTPROT;
	mnl_attr_put_u32(nlh, RTA_TABLE, 1000);
	mnl_attr_put(nlh, RTA_DST, 4, dst);
	mx = mnl_attr_nest_start(nlh, RTA_METRICS);
	mnl_attr_put_u32(nlh, RTAX_MTU, 1400);
	mnl_attr_nest_end(nlh, mx);
	nest = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	put_nexthop(nlh, gw1, 2, 0, 0);
	put_nexthop(nlh, gw2, 3, 1, RTNH_F_ONLINK);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(obs_route_cb(nlh, &o), MNL_CB_OK);
	assert_int_equal(ns.n_routes, 1);
	assert_string_equal(st_route_fmt(&ns.routes[0], words, sizeof(words)),
			    "10.9.0.0/24 table 1000 mtu 1400 nexthops: [via 10.0.1.2 dev eth1, via 10.0.2.2 dev eth2 weight 2 onlink]");

	/* the local table is the kernel's; a daemon's route in another table is its own */
	rtm->rtm_protocol = RTPROT_BIRD;
	assert_int_equal(obs_route_cb(nlh, &o), MNL_CB_OK);
	assert_int_equal(ns.n_routes, 1);
	rtm->rtm_protocol = TOPO_RTPROT;
	rtm->rtm_type = RTN_LOCAL;
	assert_int_equal(obs_route_cb(nlh, &o), MNL_CB_OK);
	assert_int_equal(ns.n_routes, 1);
	free(ns.routes);
}

/* A blackhole IPv6 route says dev lo; it goes nowhere, so the file's words have no dev. */
static void test_observe_typed(void **unused)
{
	char buf[512];
	struct st_iface lo = { .name = "lo", .ifindex = 1, .kind = ST_LO };
	struct st_ns ns = { .ifaces = &lo, .n_ifaces = 1 };
	struct obs_ns o = { .ns = &ns };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x50 };
	char words[128];

	nlh->nlmsg_type = RTM_NEWROUTE;
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = 64;
	rtm->rtm_type = RTN_PROHIBIT;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = TOPO_RTPROT;
	mnl_attr_put(nlh, RTA_DST, 16, dst);
	mnl_attr_put_u32(nlh, RTA_OIF, 1);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, 1024);
	assert_int_equal(obs_route_cb(nlh, &o), MNL_CB_OK);
	assert_int_equal(ns.n_routes, 1);
	assert_string_equal(st_route_fmt(&ns.routes[0], words, sizeof(words)),
			    "prohibit 2001:db8:50::/64");
	free(ns.routes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_types),
		cmocka_unit_test(test_load_nexthops),
		cmocka_unit_test(test_load_attrs),
		cmocka_unit_test(test_load_tables_defaults),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_plan_in_place),
		cmocka_unit_test(test_plan_other_table),
		cmocka_unit_test(test_observe_multipath),
		cmocka_unit_test(test_observe_typed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
