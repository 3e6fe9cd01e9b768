// SPDX-License-Identifier: MIT
/*
 * verify_classify: what still differs after apply is topo's bug, unless
 * something else explains it: a namespace that is gone (and what goes
 * with it), or an object missing where nothing topo did can have removed
 * it. Also the handle budget nsconn derives from the open-file limit.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "nsconn.h"
#include "verify.h"

static struct action act(enum act_type type, const char *ns, const char *iface,
			 const char *peer_ns)
{
	struct action a;

	memset(&a, 0, sizeof(a));
	a.type = type;
	snprintf(a.ns, sizeof(a.ns), "%s", ns);
	snprintf(a.iface.name, sizeof(a.iface.name), "%s", iface);
	if (peer_ns) {
		a.iface.kind = ST_VETH;
		snprintf(a.iface.peer_ns, sizeof(a.iface.peer_ns), "%s", peer_ns);
	}
	return a;
}

#define PLAN(arr) ((struct plan){ .acts = (arr), .n_acts = sizeof(arr) / sizeof((arr)[0]) })

/* A fresh up of a-b-c; b deleted by `ip netns del` meanwhile. */
static void test_namespace_gone(void **state)
{
	struct action applied[] = {
		act(ACT_NS_ADD, "x-a", "", NULL), act(ACT_NS_ADD, "x-b", "", NULL),
		act(ACT_NS_ADD, "x-c", "", NULL), act(ACT_VETH_ADD, "x-a", "eth0", "x-b"),
		act(ACT_VETH_ADD, "x-b", "eth1", "x-c"), act(ACT_ADDR_ADD, "x-c", "eth0", NULL),
	};
	struct action left[] = {
		act(ACT_LINK_DEL, "x-c", "eth0", NULL),	/* its peer is nowhere */
		act(ACT_NS_ADD, "x-b", "", NULL),
		act(ACT_VETH_ADD, "x-a", "eth0", "x-b"),
		act(ACT_VETH_ADD, "x-b", "eth1", "x-c"),
		act(ACT_ADDR_ADD, "x-c", "eth0", NULL),
		act(ACT_ROUTE_ADD, "x-a", "", NULL),
	};
	enum verify_cause c[6];

	(void)state;
	assert_int_equal(verify_classify(&PLAN(applied), &PLAN(left), c), 0);
	assert_int_equal(c[0], VERIFY_FOLLOWS);
	assert_int_equal(c[1], VERIFY_NS_GONE);
	assert_int_equal(c[2], VERIFY_FOLLOWS);
	assert_int_equal(c[3], VERIFY_FOLLOWS);
	assert_int_equal(c[4], VERIFY_FOLLOWS);
	assert_int_equal(c[5], VERIFY_FOLLOWS);
}

/* An address or route missing where topo only created things: someone
 * removed it. Where topo deleted or changed something, the kernel may
 * have taken it along: a bug to report. */
static void test_vanished_or_bug(void **state)
{
	struct action applied[] = {
		act(ACT_ADDR_ADD, "x-a", "eth0", NULL),
		act(ACT_ADDR_DEL, "x-b", "eth0", NULL),
		act(ACT_ROUTE_ADD, "x-b", "", NULL),
	};
	struct action left[] = {
		act(ACT_ADDR_ADD, "x-a", "eth0", NULL),
		act(ACT_ROUTE_ADD, "x-b", "", NULL),
		act(ACT_LINK_SET, "x-a", "eth0", NULL),
		act(ACT_ROUTE_DEL, "x-a", "", NULL),
	};
	enum verify_cause c[4];

	(void)state;
	assert_int_equal(verify_classify(&PLAN(applied), &PLAN(left), c), 3);
	assert_int_equal(c[0], VERIFY_VANISHED);
	assert_int_equal(c[1], VERIFY_BUG);
	assert_int_equal(c[2], VERIFY_BUG);	/* a change that did not take */
	assert_int_equal(c[3], VERIFY_BUG);	/* something of topo's to delete */
}

/* Differences next to a gone namespace that a veth's loss does not
 * explain stay bugs. */
static void test_neighbour_not_excused(void **state)
{
	struct action applied[] = { act(ACT_NS_ADD, "x-b", "", NULL) };
	struct action left[] = {
		act(ACT_NS_ADD, "x-b", "", NULL),
		act(ACT_VETH_ADD, "x-a", "eth0", "x-b"),
		act(ACT_SYSCTL_SET, "x-a", "", NULL),
	};
	enum verify_cause c[3];

	(void)state;
	assert_int_equal(verify_classify(&PLAN(applied), &PLAN(left), c), 1);
	assert_int_equal(c[2], VERIFY_BUG);
}

static void test_budget(void **state)
{
	(void)state;
	/* Two descriptors a handle, after a reserve; never below a few. */
	assert_int_equal(conns_budget_of(20000), (20000 - 96) / 2);
	assert_int_equal(conns_budget_of(128), 16);
	assert_int_equal(conns_budget_of(10), 4);
	assert_true(conns_budget_of(UINT64_MAX) >= 1000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_namespace_gone),
		cmocka_unit_test(test_vanished_or_bug),
		cmocka_unit_test(test_neighbour_not_excused),
		cmocka_unit_test(test_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
