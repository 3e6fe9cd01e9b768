// SPDX-License-Identifier: MIT
/*
 * Terminal manners: when colour is used (term.c), the progress line, the
 * summary of a plan that `up` prints instead of every change, and the
 * structured change objects of `up --json` and `plan --json`. Pure: no
 * root, no terminal (memory streams are never one).
 */

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmd.h"
#include "plan.h"
#include "term.h"
#include "util.h"

static void test_colour_rule(void **state)
{
	assert_true(term_colour_wanted(true, NULL, "xterm-256color"));
	assert_true(term_colour_wanted(true, "", "xterm"));	/* empty NO_COLOR: not set */
	assert_false(term_colour_wanted(true, "1", "xterm"));
	assert_false(term_colour_wanted(true, "0", "xterm"));	/* any value, even 0 */
	assert_false(term_colour_wanted(true, NULL, "dumb"));
	assert_false(term_colour_wanted(true, NULL, NULL));
	assert_false(term_colour_wanted(true, NULL, ""));
	assert_false(term_colour_wanted(false, NULL, "xterm"));
	assert_string_equal(term_sgr(true, TERM_RED), "\033[31m");
	assert_string_equal(term_sgr(true, TERM_RESET), "\033[0m");
	assert_string_equal(term_sgr(false, TERM_GREEN), "");
}

static void test_not_a_tty(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_false(term_is_tty(f));
	assert_false(term_colour_for(f));
	fclose(f);
	free(buf);
}

static void test_progress(void **state)
{
	struct term_progress p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	term_progress_init(&p, f, false);	/* off: nothing, whatever is asked */
	term_progress_update(&p, true, "x %d", 1);
	term_progress_clear(&p);
	fflush(f);
	assert_int_equal(len, 0);

	term_progress_init(&p, f, true);
	term_progress_update(&p, false, "step %d/%d", 1, 10);
	p.last_us = now_us() + 60000000;	/* as if just written, however slow this machine is */
	term_progress_update(&p, false, "step %d/%d", 2, 10);	/* within 100 ms: skipped */
	term_progress_update(&p, true, "step %d", 3);	/* forced: the old line blanked */
	term_progress_clear(&p);
	term_progress_clear(&p);	/* twice: nothing more */
	fclose(f);
	assert_string_equal(buf, "step 1/10\r         \rstep 3\r      \r");
	free(buf);
}

static struct action act(enum act_type type, const char *node)
{
	struct action a = { .type = type };

	snprintf(a.node, sizeof(a.node), "%s", node);
	snprintf(a.ns, sizeof(a.ns), "lab-%s", node);
	return a;
}

static void test_summary(void **state)
{
	struct action a[9] = { 0 };
	char buf[256];

	plan_summary(a, 0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	a[0] = act(ACT_NS_ADD, "h1");
	a[1] = act(ACT_NS_ADD, "h2");
	a[2] = act(ACT_SYSCTL_SET, "h1");
	a[3] = act(ACT_VETH_ADD, "h1");
	a[4] = act(ACT_ADDR_ADD, "h1");
	a[5] = act(ACT_ROUTE_DEL, "h2");
	/* a changed address: its two halves are one change */
	a[6] = act(ACT_ADDR_DEL, "h2");
	a[6].paired = true;
	a[7] = act(ACT_ADDR_ADD, "h2");
	a[7].paired = true;
	a[8] = act(ACT_EXEC, "h1");
	a[8].n_execs = 2;
	plan_summary(a, 9, buf, sizeof(buf));
	assert_string_equal(buf, "Created 2 namespaces, 1 link, 1 address; changed 1 address; "
				 "set 1 sysctl; deleted 1 route; ran the exec commands of 1 node.");
	plan_summary(a + 2, 1, buf, sizeof(buf));
	assert_string_equal(buf, "Set 1 sysctl.");
	plan_summary(a, 9, buf, 20);	/* cut, still a string */
	assert_int_equal(strlen(buf), 19);
}

static char *json_of(const struct action *a, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	actions_json(a, n, f);
	fclose(f);
	return buf;
}

static void test_change_json(void **state)
{
	struct action a[3];
	char *s;

	a[0] = act(ACT_LINK_SET, "r1");
	snprintf(a[0].iface.name, sizeof(a[0].iface.name), "eth0");
	a[0].set = SET_MTU;
	a[0].iface.mtu = 9000;
	a[0].was = a[0].iface;
	a[0].was.mtu = 1500;
	a[1] = act(ACT_SYSCTL_SET, "r1");
	snprintf(a[1].sysctl.key, sizeof(a[1].sysctl.key), "net.ipv4.ip_forward");
	snprintf(a[1].sysctl.value, sizeof(a[1].sysctl.value), "1");
	snprintf(a[1].sysctl_was, sizeof(a[1].sysctl_was), "0");
	a[2] = act(ACT_ADDR_DEL, "h\"1");	/* escaped as JSON */
	a[2].drift = true;
	snprintf(a[2].iface.name, sizeof(a[2].iface.name), "eth0");
	a[2].addr.family = AF_INET;
	inet_pton(AF_INET, "10.0.0.9", a[2].addr.addr);
	a[2].addr.plen = 24;
	s = json_of(a, 3);
	assert_string_equal(
		s, "[\n{\"op\":\"change\",\"kind\":\"link\",\"node\":\"r1\",\"namespace\":\"lab-r1\","
		   "\"object\":\"eth0\",\"iface\":\"eth0\",\"peer\":null,\"attribute\":\"mtu\","
		   "\"before\":\"1500\",\"after\":\"9000\",\"drift\":false,"
		   "\"text\":\"lab-r1: set eth0 mtu 9000\"},\n"
		   "{\"op\":\"change\",\"kind\":\"sysctl\",\"node\":\"r1\",\"namespace\":\"lab-r1\","
		   "\"object\":\"net.ipv4.ip_forward\",\"iface\":null,\"peer\":null,"
		   "\"attribute\":null,\"before\":\"0\",\"after\":\"1\",\"drift\":false,"
		   "\"text\":\"lab-r1: set sysctl net.ipv4.ip_forward to 1\"},\n"
		   "{\"op\":\"delete\",\"kind\":\"addr\",\"node\":\"h\\\"1\",\"namespace\":\"lab-h\\\"1\","
		   "\"object\":\"10.0.0.9/24\",\"iface\":\"eth0\",\"peer\":null,\"attribute\":null,"
		   "\"before\":null,\"after\":null,\"drift\":true,"
		   "\"text\":\"lab-h\\\"1: delete address 10.0.0.9/24 from eth0\"}]");
	free(s);
	s = json_of(a, 0);
	assert_string_equal(s, "[]");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_colour_rule),
		cmocka_unit_test(test_not_a_tty),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_change_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
