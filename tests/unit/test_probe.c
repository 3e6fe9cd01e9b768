// SPDX-License-Identifier: MIT
/*
 * Probe target expansion (which addresses a probe covers: node, node:iface,
 * address, "*", family filtering, bridge exclusion) and the reports built
 * from a finished run. Pure functions: no root, no kernel.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "probe.h"
#include "topology.h"
#include "util.h"

/* h1 (IPv4 only) - r1 (router, dual stack, lo addresses) - h2 (dual stack), sw (bridge). */
static const char *const lab_yaml =
	"name: px\n"
	"nodes:\n"
	"  r1:\n"
	"    kind: router\n"
	"    addresses:\n"
	"      lo: [10.255.0.1/32, \"2001:db8:ff::1/128\", 127.0.0.1/8]\n"
	"  h1: {}\n"
	"  h2:\n"
	"    addresses:\n"
	"      eth0: [\"fe80::2/64\"]\n"
	"  h3: {}\n"
	"  sw: { kind: bridge }\n"
	"links:\n"
	"  - endpoints: [\"h1:eth0 10.0.1.2/24\", \"r1:eth1 10.0.1.1/24 2001:db8:1::1/64\"]\n"
	"  - endpoints: [\"h2:eth0 10.0.2.2/24 2001:db8:2::2/64\", \"r1:eth2 10.0.2.1/24 2001:db8:2::1/64\"]\n"
	"  - endpoints: [\"h3:eth0 10.0.3.3/24\", \"sw:p1\"]\n";

static struct topology *load_with(const char *probes)
{
	char *text = xasprintf("%s%s", lab_yaml, probes);
	struct diag d = { .file = "px.yaml" };
	struct topology *t = NULL;
	int r = topo_load_buf("px.yaml", text, strlen(text), &t, &d);

	for (size_t i = 0; r < 0 && i < d.n_msgs; i++)
		print_message("%s\n", diag_format(&d, i));
	assert_int_equal(r, 0);
	diag_free(&d);
	free(text);
	return t;
}

/* The targets as "from>to:address" lines, sorted as expanded. */
static char *expand_text(const struct topology *t, int *rc, char *err, size_t errlen)
{
	struct probe_target *tg = NULL;
	size_t n = 0, i, len = 0;
	char *buf = NULL, a[64], name[128];
	FILE *f = open_memstream(&buf, &len);

	*rc = probe_expand(t, &tg, &n, err, errlen);
	for (i = 0; *rc == 0 && i < n; i++) {
		if (tg[i].family == AF_UNSPEC)
			snprintf(a, sizeof(a), "none");
		else
			ip_fmt(tg[i].family, tg[i].addr, a, sizeof(a));
		probe_target_name(&tg[i], name, sizeof(name));
		/* A link-local target: %the source's interface, or ! when off its links. */
		fprintf(f, "%zu %s>%s%s%s%s|%s\n", tg[i].spec, tg[i].from, a, tg[i].scope ? "%" : "",
			tg[i].scope ? tg[i].scope : "", tg[i].off_link ? "!" : "", name);
	}
	fclose(f);
	free(tg);
	return buf;
}

static char *expand_ok(const char *probes)
{
	struct topology *t = load_with(probes);
	char err[256] = "";
	int rc;
	char *s = expand_text(t, &rc, err, sizeof(err));

	if (rc)
		print_message("%s\n", err);
	assert_int_equal(rc, 0);
	topo_free(t);
	return s;
}

static void test_node_target_all_addresses(void **state)
{
	/* h2 has both families: every global address of r1, lo included, not 127/8 or fe80. */
	char *s = expand_ok("probes:\n  - { from: h2, to: r1 }\n");

	assert_string_equal(s, "0 h2>10.255.0.1|r1 10.255.0.1\n"
			       "0 h2>2001:db8:ff::1|r1 2001:db8:ff::1\n"
			       "0 h2>10.0.1.1|r1 10.0.1.1\n"
			       "0 h2>2001:db8:1::1|r1 2001:db8:1::1\n"
			       "0 h2>10.0.2.1|r1 10.0.2.1\n"
			       "0 h2>2001:db8:2::1|r1 2001:db8:2::1\n");
	free(s);
}

static void test_family_filter(void **state)
{
	/* h1 has no IPv6 address: r1's IPv6 addresses are not asked of it... */
	char *s = expand_ok("probes:\n  - { from: h1, to: r1 }\n");

	assert_string_equal(s, "0 h1>10.255.0.1|r1 10.255.0.1\n"
			       "0 h1>10.0.1.1|r1 10.0.1.1\n"
			       "0 h1>10.0.2.1|r1 10.0.2.1\n");
	free(s);
	/* ...but an explicit IPv6 address always is. */
	s = expand_ok("probes:\n  - { from: h1, to: \"2001:db8:2::2\" }\n");
	assert_string_equal(s, "0 h1>2001:db8:2::2|2001:db8:2::2\n");
	free(s);
}

static void test_iface_target(void **state)
{
	char *s = expand_ok("probes:\n  - { from: h2, to: \"r1:lo\" }\n"
			    "  - { from: h2, to: \"r1:eth1\" }\n");

	assert_string_equal(s, "0 h2>10.255.0.1|r1:lo 10.255.0.1\n"
			       "0 h2>2001:db8:ff::1|r1:lo 2001:db8:ff::1\n"
			       "1 h2>10.0.1.1|r1:eth1 10.0.1.1\n"
			       "1 h2>2001:db8:1::1|r1:eth1 2001:db8:1::1\n");
	free(s);
}

static void test_star_pairs(void **state)
{
	struct topology *t = load_with("probes:\n  - { from: \"*\", to: \"*\" }\n");
	struct probe_target *tg = NULL;
	size_t n = 0, i, per[8] = { 0 };
	char err[256];

	assert_int_equal(probe_expand(t, &tg, &n, err, sizeof(err)), 0);
	for (i = 0; i < n; i++) {
		const struct node *src = topo_node_find(t, tg[i].from);

		assert_non_null(src);
		assert_int_not_equal(src->kind, NODE_BRIDGE);
		assert_non_null(tg[i].to_node);
		assert_string_not_equal(tg[i].to_node, "sw");
		assert_string_not_equal(tg[i].to_node, tg[i].from);	/* never itself */
		assert_int_not_equal(tg[i].family, AF_UNSPEC);
		per[src - t->nodes]++;
	}
	/*
	 * r1 (dual stack) -> h1 1 + h2 2 + h2's fe80::2 on r1's link + h3 1 = 5;
	 * h1 (v4) -> r1 3 + h2 1 + h3 1 = 5;
	 * h2 -> r1 6 + h1 1 + h3 1 = 8; h3 (v4) -> r1 3 + h1 1 + h2 1 = 5; sw: none.
	 */
	assert_int_equal(per[0], 5);
	assert_int_equal(per[1], 5);
	assert_int_equal(per[2], 8);
	assert_int_equal(per[3], 5);
	assert_int_equal(per[4], 0);
	assert_int_equal(n, 23);
	free(tg);
	topo_free(t);
}

static void test_star_to_one(void **state)
{
	/* Every node but the target itself and the bridge. */
	char *s = expand_ok("probes:\n  - { from: \"*\", to: h3 }\n");

	assert_string_equal(s, "0 r1>10.0.3.3|h3 10.0.3.3\n"
			       "0 h1>10.0.3.3|h3 10.0.3.3\n"
			       "0 h2>10.0.3.3|h3 10.0.3.3\n");
	free(s);
	/* A node asked explicitly may probe itself. */
	s = expand_ok("probes:\n  - { from: h3, to: h3 }\n");
	assert_string_equal(s, "0 h3>10.0.3.3|h3 10.0.3.3\n");
	free(s);
}

static void test_nothing_to_probe(void **state)
{
	/* The bridge has no address: a named target says so, "*" leaves it out. */
	char *s = expand_ok("probes:\n  - { from: h1, to: sw }\n  - { from: sw, to: \"*\" }\n");

	assert_string_equal(s, "0 h1>none|sw -\n");
	free(s);
	/* From an IPv4-only node, r1:lo is its IPv4 address; 127.0.0.1 is never a target. */
	s = expand_ok("probes:\n  - { from: h1, to: \"r1:lo\" }\n");
	assert_string_equal(s, "0 h1>10.255.0.1|r1:lo 10.255.0.1\n");
	free(s);
}

static void test_link_local_targets(void **state)
{
	/* r1 shares h2:eth0's link: fe80::2 goes out of r1:eth2, beside the global addresses. */
	char *s = expand_ok("probes:\n  - { from: r1, to: h2 }\n  - { from: h1, to: h2 }\n"
			    "  - { from: h1, to: \"h2:eth0\" }\n");

	assert_string_equal(s, "0 r1>fe80::2%eth2|h2 fe80::2\n"
			       "0 r1>10.0.2.2|h2 10.0.2.2\n"
			       "0 r1>2001:db8:2::2|h2 2001:db8:2::2\n"
			       "1 h1>10.0.2.2|h2 10.0.2.2\n"
			       "2 h1>fe80::2!|h2:eth0 fe80::2\n"
			       "2 h1>10.0.2.2|h2:eth0 10.0.2.2\n");
	free(s);
	/* Explicit: a declared address by its link; one declared nowhere by the source's only
	 * link (h3), and not at all from a node with two (r1). */
	s = expand_ok("probes:\n  - { from: r1, to: \"fe80::2\" }\n  - { from: h1, to: \"fe80::2\" }\n"
		      "  - { from: h3, to: \"fe80::9\" }\n  - { from: r1, to: \"fe80::9\" }\n");
	assert_string_equal(s, "0 r1>fe80::2%eth2|fe80::2\n"
			       "1 h1>fe80::2!|fe80::2\n"
			       "2 h3>fe80::9%eth0|fe80::9\n"
			       "3 r1>fe80::9!|fe80::9\n");
	free(s);
}

static void test_link_local_bridge(void **state)
{
	static const char text[] =
		"name: pb\n"
		"nodes:\n"
		"  a: {}\n"
		"  b:\n"
		"    addresses:\n"
		"      eth0: [\"fe80::b/64\"]\n"
		"  c: {}\n"
		"  sw: { kind: bridge }\n"
		"links:\n"
		"  - endpoints: [\"a:eth3\", \"sw:p1\"]\n"
		"  - endpoints: [\"b:eth0\", \"sw:p2\"]\n"
		"  - endpoints: [\"c:eth0\", \"b:eth1\"]\n"
		"probes:\n"
		"  - { from: a, to: b }\n"
		"  - { from: c, to: b }\n"
		"  - { from: a, to: \"fe80::b\" }\n";
	struct diag d = { .file = "pb.yaml" };
	struct topology *t = NULL;
	char err[256] = "", *s;
	int rc;

	assert_int_equal(topo_load_buf("pb.yaml", text, strlen(text), &t, &d), 0);
	diag_free(&d);
	/* a reaches b:eth0 through the bridge; c is on b's other link, so not by fe80::b. */
	assert_string_equal(probe_link_scope(t, "a", "b", "eth0"), "eth3");
	assert_null(probe_link_scope(t, "c", "b", "eth0"));
	assert_string_equal(probe_link_scope(t, "c", "b", "eth1"), "eth0");
	s = expand_text(t, &rc, err, sizeof(err));
	assert_int_equal(rc, 0);
	assert_string_equal(s, "0 a>fe80::b%eth3|b fe80::b\n"
			       "1 c>none|b -\n"
			       "2 a>fe80::b%eth3|fe80::b\n");
	free(s);
	topo_free(t);
}

static void test_unprobed_reasons(void **state)
{
	struct topology *t = load_with("probes:\n  - { from: h1, to: \"h2:eth0\" }\n"
				       "  - { from: h1, to: sw }\n");
	struct probe_target *tg = NULL;
	size_t n = 0;
	char err[256], why[160];

	assert_int_equal(probe_expand(t, &tg, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 3);	/* h2:eth0's fe80::2 off h1's links, its 10.0.2.2, sw's none */
	assert_true(probe_target_unprobed(&tg[0], &t->probes[0], why, sizeof(why)));
	assert_string_equal(why, "not probed: fe80::2 is link-local and h1 has no interface on its link");
	assert_false(probe_target_unprobed(&tg[1], &t->probes[0], why, sizeof(why)));
	assert_true(probe_target_unprobed(&tg[2], &t->probes[1], why, sizeof(why)));
	assert_string_equal(why, "nothing to probe: sw has no address in a family that h1 has");
	t->probes[0].count = 0;
	assert_true(probe_target_unprobed(&tg[1], &t->probes[0], why, sizeof(why)));
	assert_string_equal(why, "count is 0");
	free(tg);
	topo_free(t);
}

static void test_unknown_names(void **state)
{
	struct topology *t = load_with("probes:\n  - { from: h1, to: nosuch }\n");
	char err[256] = "";
	int rc;
	char *s = expand_text(t, &rc, err, sizeof(err));

	assert_int_equal(rc, -EINVAL);
	assert_non_null(strstr(err, "'nosuch'"));
	free(s);
	topo_free(t);

	t = load_with("probes:\n  - { from: h1, to: \"r1:eth9\" }\n");
	s = expand_text(t, &rc, err, sizeof(err));
	assert_int_equal(rc, -EINVAL);
	assert_non_null(strstr(err, "no interface eth9"));
	free(s);
	topo_free(t);
}

static void test_addr_owner_and_global(void **state)
{
	struct topology *t = load_with("");
	uint8_t a[16];
	int fam;

	assert_int_equal(ip_parse("10.255.0.1", &fam, a), 0);
	assert_string_equal(probe_addr_owner(t, fam, a)->name, "r1");
	assert_int_equal(ip_parse("2001:db8:2::2", &fam, a), 0);
	assert_string_equal(probe_addr_owner(t, fam, a)->name, "h2");
	assert_int_equal(ip_parse("10.9.9.9", &fam, a), 0);
	assert_null(probe_addr_owner(t, fam, a));
	assert_true(probe_node_has_global(t, "h2", AF_INET6));
	assert_false(probe_node_has_global(t, "h1", AF_INET6));
	assert_false(probe_node_has_global(t, "sw", AF_INET));
	topo_free(t);
}

/* ---- reports ---- */

static char *report(void (*fn)(const struct probe_run *, FILE *), const struct probe_run *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(r, f);
	fclose(f);
	return buf;
}

static char *rows(const struct probe_run *r, unsigned flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	probe_report_rows(r, f, flags);
	fclose(f);
	return buf;
}

static void test_reports(void **state)
{
	struct topology *t = load_with("probes:\n  - { from: h2, to: r1, proto: tcp, port: 80 }\n"
				       "  - { from: h1, to: 10.0.2.2, within: 5s }\n");
	struct probe_target *tg = NULL;
	struct probe_result res[3] = { 0 };
	struct probe_run run = { .t = t, .res = res, .n = 3, .elapsed_us = 210000 };
	size_t n;
	char err[256], *s;

	assert_int_equal(probe_expand(t, &tg, &n, err, sizeof(err)), 0);
	assert_true(n >= 3);
	res[0].tg = tg[0];
	res[0].passed = res[0].reached = true;
	res[0].sent = res[0].received = 1;
	res[0].rtt_min_us = res[0].rtt_avg_us = res[0].rtt_max_us = 1500;
	res[0].server = PROBE_SERVER_TOPO;
	res[0].server_node = "r1";
	res[1].tg = tg[1];
	res[1].sent = 1;
	res[1].loss = 100;
	snprintf(res[1].reason, sizeof(res[1].reason), "ICMP <host> \"unreachable\" & co");
	res[2].tg = tg[n - 1];
	res[2].passed = res[2].reached = true;
	res[2].sent = res[2].received = 1;
	res[2].attempts = 4;
	res[2].elapsed_us = 1230000;

	s = report(probe_report_table, &run);
	assert_non_null(strstr(s, "probes: 2 passed, 1 failed (0.21 s)\n"));
	assert_non_null(strstr(s, "1.500/1.500/1.500"));
	assert_non_null(strstr(s, "topo listened on tcp/80 in r1"));
	assert_non_null(strstr(s, "FAIL"));
	assert_non_null(strstr(s, "passed after 1.23 s (4 attempts)"));
	free(s);

	s = rows(&run, PROBE_TABLE_FAILURES);	/* --failures: the failed row, the summary */
	assert_non_null(strstr(s, "FROM "));
	assert_non_null(strstr(s, "FAIL"));
	assert_null(strstr(s, " ok "));
	assert_non_null(strstr(s, "probes: 2 passed, 1 failed (0.21 s)\n"));
	assert_null(strchr(s, '\033'));
	free(s);
	s = rows(&run, PROBE_TABLE_QUIET);	/* -q: the failed row alone */
	assert_non_null(strstr(s, "FAIL"));
	assert_null(strstr(s, " ok "));
	assert_null(strstr(s, "probes:"));
	free(s);
	s = rows(&run, PROBE_TABLE_COLOUR);
	assert_non_null(strstr(s, "\033[32mok    \033[0m"));
	assert_non_null(strstr(s, "\033[31mFAIL  \033[0m"));
	assert_non_null(strstr(s, "\033[31m1 failed\033[0m"));
	free(s);
	res[1].passed = true;	/* all passed: -q prints nothing at all */
	s = rows(&run, PROBE_TABLE_QUIET);
	assert_string_equal(s, "");
	free(s);
	s = rows(&run, PROBE_TABLE_FAILURES);
	assert_string_equal(s, "probes: 3 passed, 0 failed (0.21 s)\n");
	free(s);
	res[1].passed = false;

	s = report(probe_report_json, &run);
	assert_non_null(strstr(s, "{\"version\":1,\"lab\":\"px\","));
	assert_non_null(strstr(s, "\"passed\":2,\"failed\":1"));
	assert_non_null(strstr(s, "\"reason\":\"ICMP <host> \\\"unreachable\\\" & co\""));
	assert_non_null(strstr(s, "\"server\":\"topo\""));
	free(s);

	s = report(probe_report_junit, &run);
	assert_non_null(strstr(s, "<testsuite name=\"px\" tests=\"3\" failures=\"1\""));
	assert_non_null(strstr(s, "message=\"ICMP &lt;host&gt; &quot;unreachable&quot; &amp; co\""));
	assert_null(strstr(s, "<host>"));
	free(s);
	assert_int_equal(probe_run_failed(&run), 1);
	free(tg);
	topo_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_node_target_all_addresses),
		cmocka_unit_test(test_family_filter),
		cmocka_unit_test(test_iface_target),
		cmocka_unit_test(test_star_pairs),
		cmocka_unit_test(test_star_to_one),
		cmocka_unit_test(test_nothing_to_probe),
		cmocka_unit_test(test_link_local_targets),
		cmocka_unit_test(test_link_local_bridge),
		cmocka_unit_test(test_unprobed_reasons),
		cmocka_unit_test(test_unknown_names),
		cmocka_unit_test(test_addr_owner_and_global),
		cmocka_unit_test(test_reports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
