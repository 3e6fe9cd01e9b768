// SPDX-License-Identifier: MIT
/*
 * Probes from the host (`from: host`): which host end each target leaves
 * through, which targets the host may probe at all, where they run with
 * `hosts:`, how many packets they count for, and what the checker refuses.
 * Pure functions: no root, no kernel.
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
#include "host.h"
#include "probe.h"
#include "probe_host.h"
#include "probe_volume.h"
#include "topology.h"
#include "util.h"
#include "unit.h"

/*
 * r1 behind host end lab0 (dual stack; its loopback in no host end's subnet), r2 behind
 * lab1 (a /25 inside lab0's /24, and a subnet of its own, and a link-local address), a
 * behind r1 only.
 */
static const char *const lab_yaml =
	"name: ph\n"
	"nodes:\n"
	"  r1: { kind: router, addresses: { lo: [10.255.0.1/32] } }\n"
	"  r2: { addresses: { eth0: [\"fe80::2/64\"] } }\n"
	"  a: {}\n"
	"links:\n"
	"  - endpoints: [\"r1:eth0 10.9.0.2/24 2001:db8:9::2/64\", \"host:lab0 10.9.0.1/24 2001:db8:9::1/64\"]\n"
	"  - endpoints: [\"r2:eth0 10.9.1.2/24\", \"host:lab1 10.9.0.129/25 10.9.1.1/24\"]\n"
	"  - endpoints: [\"a:eth0 10.1.0.2/24\", \"r1:eth1 10.1.0.1/24\"]\n";

static struct topology *load_yaml(const char *yaml)
{
	struct diag d = { .file = "ph.yaml" };
	struct topology *t = NULL;
	int r = topo_load_buf("ph.yaml", yaml, strlen(yaml), &t, &d);

	for (size_t i = 0; r < 0 && i < d.n_msgs; i++)
		print_message("%s\n", diag_format(&d, i));
	assert_int_equal(r, 0);
	diag_free(&d);
	return t;
}

static struct topology *load_with(const char *probes)
{
	char *text = xasprintf("%sprobes:\n%s", lab_yaml, probes);
	struct topology *t = load_yaml(text);

	free(text);
	return t;
}

/* The targets as "from>address@bind|name" lines ("none" for AF_UNSPEC, %scope if set). */
static char *expand_text(const struct topology *t)
{
	struct probe_target *tg = NULL;
	size_t n = 0, i, len = 0;
	char *buf = NULL, a[64], name[128], err[256];
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(probe_expand(t, &tg, &n, err, sizeof(err)), 0);
	for (i = 0; i < n; i++) {
		if (tg[i].family == AF_UNSPEC)
			snprintf(a, sizeof(a), "none");
		else
			ip_fmt(tg[i].family, tg[i].addr, a, sizeof(a));
		probe_target_name(&tg[i], name, sizeof(name));
		fprintf(f, "%s>%s%s%s@%s|%s\n", tg[i].from, a, tg[i].scope ? "%" : "",
			tg[i].scope ? tg[i].scope : "", tg[i].bind ? tg[i].bind : "-", name);
	}
	fclose(f);
	free(tg);
	return buf;
}

static void expect_targets(const char *probes, const char *want)
{
	struct topology *t = load_with(probes);
	char *s = expand_text(t);

	assert_string_equal(s, want);
	free(s);
	topo_free(t);
}

static const char *end_of(const struct topology *t, const char *addr)
{
	uint8_t a[16];
	int family;
	const struct endpoint *ep;

	assert_int_equal(ip_parse(addr, &family, a), 0);
	ep = probe_host_end(t, family, a);
	return ep ? ep->iface : "-";
}

/* The longest prefix wins; a link-local prefix or an address outside every subnet has none. */
static void test_host_end(void **state)
{
	struct topology *t = load_with("  - { from: host, to: r1 }\n");

	assert_string_equal(end_of(t, "10.9.0.5"), "lab0");
	assert_string_equal(end_of(t, "10.9.0.200"), "lab1");
	assert_string_equal(end_of(t, "10.9.1.7"), "lab1");
	assert_string_equal(end_of(t, "2001:db8:9::5"), "lab0");
	assert_string_equal(end_of(t, "192.0.2.1"), "-");
	assert_string_equal(end_of(t, "10.255.0.1"), "-");
	assert_string_equal(end_of(t, "fe80::2"), "-");
	assert_true(probe_host_source("host"));
	assert_false(probe_host_source("r1"));
	assert_false(probe_host_source("*"));
	assert_true(probe_host_here(t));
	topo_free(t);
}

/* A node's addresses in a host end's subnet only, each bound to its end. */
static void test_expand_node(void **state)
{
	expect_targets("  - { from: host, to: r1 }\n",
		       "host>10.9.0.2@lab0|r1 10.9.0.2\n"
		       "host>2001:db8:9::2@lab0|r1 2001:db8:9::2\n");
	/* r2's link-local address is on lab1's link: sent out of lab1. */
	expect_targets("  - { from: host, to: r2 }\n",
		       "host>fe80::2%lab1@lab1|r2 fe80::2\n"
		       "host>10.9.1.2@lab1|r2 10.9.1.2\n");
	expect_targets("  - { from: host, to: \"r1:lo\" }\n",
		       "host>none@-|r1:lo -\n");
	/* a has nothing in any host end's subnet: one row says so. */
	expect_targets("  - { from: host, to: a }\n", "host>none@-|a -\n");
}

/* "*" from the host: every node's addresses that a host end's subnet holds, nothing else. */
static void test_expand_star(void **state)
{
	expect_targets("  - { from: host, to: \"*\" }\n",
		       "host>10.9.0.2@lab0|r1 10.9.0.2\n"
		       "host>2001:db8:9::2@lab0|r1 2001:db8:9::2\n"
		       "host>fe80::2%lab1@lab1|r2 fe80::2\n"
		       "host>10.9.1.2@lab1|r2 10.9.1.2\n");
	/* "*" as a source stands for the lab's nodes: never the host. */
	expect_targets("  - { from: \"*\", to: r2 }\n",
		       "r1>10.9.1.2@-|r2 10.9.1.2\n"
		       "a>10.9.1.2@-|r2 10.9.1.2\n");
}

/* An explicit address: bound to the end of the longest prefix; outside all, never sent. */
static void test_expand_address(void **state)
{
	struct probe_target *tg = NULL;
	struct topology *t;
	char why[160], err[64];
	size_t n = 0;

	expect_targets("  - { from: host, to: 10.9.0.77 }\n"
		       "  - { from: host, to: 10.9.0.177, proto: tcp, port: 80 }\n",
		       "host>10.9.0.77@lab0|10.9.0.77\n"
		       "host>10.9.0.177@lab1|10.9.0.177\n");
	/* The checker refuses it; unchecked, it stays unbound and is reported, never sent. */
	t = load_with("  - { from: host, to: 192.0.2.1 }\n");
	assert_int_equal(probe_expand(t, &tg, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_null(tg[0].bind);
	assert_true(probe_target_unprobed(&tg[0], &t->probes[0], why, sizeof(why)));
	assert_string_equal(why, "not probed: no host end has 192.0.2.1 in its subnet (the host "
				 "probes only through the lab's host ends)");
	free(tg);
	topo_free(t);
}

static const char *const hosts_yaml =
	"name: ph\n"
	"hosts:\n"
	"  m1: { address: 192.0.2.10 }\n"
	"  m2: { address: 192.0.2.11 }\n"
	"  m3: { address: 192.0.2.12 }\n"
	"nodes:\n"
	"  r1: { host: m1 }\n"
	"  r2: { host: m2 }\n"
	"  r3: { host: m3 }\n"
	"links:\n"
	"  - endpoints: [\"r1:eth0 10.9.0.2/24\", \"host:lab0 10.9.0.1/24\"]\n"
	"  - endpoints: [\"r2:eth0 10.9.1.2/24\", \"host:lab1 10.9.1.1/24\"]\n"
	"  - endpoints: [\"r3:eth0 10.9.2.3/24\", \"r2:eth1 10.9.2.2/24\"]\n"
	"probes:\n"
	"  - { from: host, to: \"*\" }\n"
	"  - { from: host, to: 10.9.0.5 }\n"
	"  - { from: host, to: r3 }\n";

static char *expand_on(struct topology *t, const char *host)
{
	t->self = &t->hosts[host_find(t, host)];
	return expand_text(t);
}

/* With `hosts:`, a host end is where its node runs: the host probes through those only. */
static void test_placement(void **state)
{
	struct topology *t = load_yaml(hosts_yaml);
	char *s;

	s = expand_on(t, "m1");
	assert_true(probe_host_here(t));
	assert_string_equal(s, "host>10.9.0.2@lab0|r1 10.9.0.2\n"
			       "host>10.9.0.5@lab0|10.9.0.5\n"
			       "host>none@-|r3 -\n");
	free(s);
	s = expand_on(t, "m2");
	assert_string_equal(s, "host>10.9.1.2@lab1|r2 10.9.1.2\n"
			       "host>none@-|r3 -\n");
	free(s);
	/* m3 has no host end: the host probes nothing there. */
	s = expand_on(t, "m3");
	assert_false(probe_host_here(t));
	assert_string_equal(s, "");
	free(s);
	topo_free(t);
}

/* A host end that is a LAN's member reaches the other members through the LAN. */
static void test_lan_member(void **state)
{
	struct topology *t = load_yaml("name: phl\n"
				       "nodes: { h1: {}, h2: {} }\n"
				       "lans:\n"
				       "  seg:\n"
				       "    members: [\"h1:eth0 10.5.0.1/24\", \"h2:eth0 10.5.0.2/24\",\n"
				       "              \"host:phlan0 10.5.0.254/24\"]\n"
				       "probes:\n"
				       "  - { from: host, to: \"*\" }\n");
	char *s = expand_text(t);

	assert_string_equal(s, "host>10.5.0.1@phlan0|h1 10.5.0.1\n"
			       "host>10.5.0.2@phlan0|h2 10.5.0.2\n");
	assert_true(probe_host_here(t));
	free(s);
	topo_free(t);
}

/* For every probe of T from the host: the volume counts what the expansion sends to. */
static void assert_vol_matches(const struct topology *t)
{
	struct probe_host_vol *hv = probe_host_vol_new(t);
	struct topology one = *t;
	struct probe_target *tg;
	char err[256];
	size_t i, j, n, sent;

	for (i = 0; i < t->n_probes; i++) {
		one.probes = &t->probes[i];
		one.n_probes = 1;
		tg = NULL;
		assert_int_equal(probe_expand(&one, &tg, &n, err, sizeof(err)), 0);
		for (j = sent = 0; j < n; j++)
			sent += tg[j].family != AF_UNSPEC && !tg[j].off_link;
		if (probe_host_vol_probe(hv, &t->probes[i]) != sent)
			fail_msg("probe %zu (to %s): volume %llu, expansion %zu", i, t->probes[i].to,
				 (unsigned long long)probe_host_vol_probe(hv, &t->probes[i]), sent);
		free(tg);
	}
	probe_host_vol_free(hv);
}

/* The volume counts the host's targets, one source, as the expansion makes them. */
static void test_volume(void **state)
{
	struct topology *t = load_with("  - { from: host, to: \"*\", count: 1000 }\n"
				       "  - { from: host, to: r1, count: 10 }\n");
	struct probe_host_vol *hv = probe_host_vol_new(t);
	struct probe_volume v;

	assert_int_equal(probe_host_vol_probe(hv, &t->probes[0]), 4);
	assert_int_equal(probe_host_vol_probe(hv, &t->probes[1]), 2);
	probe_host_vol_free(hv);
	probe_volume_count(t, &v);
	assert_int_equal(v.packets, 4 * 1000 + 2 * 10);
	assert_int_equal(v.worst, 0);
	assert_int_equal(v.worst_targets, 4);
	assert_int_equal(v.worst_sources, 1);
	topo_free(t);
	t = load_with("  - { from: host, to: \"*\" }\n"
		      "  - { from: host, to: r1 }\n"
		      "  - { from: host, to: r2 }\n"
		      "  - { from: host, to: a }\n"
		      "  - { from: host, to: \"r1:eth0\" }\n"
		      "  - { from: host, to: \"r1:lo\" }\n"
		      "  - { from: host, to: \"r2:eth0\" }\n"
		      "  - { from: host, to: 10.9.0.77 }\n"
		      "  - { from: host, to: \"fe80::2\" }\n");
	assert_vol_matches(t);
	topo_free(t);
	t = load_yaml("name: phl\n"
		      "nodes: { h1: { addresses: { eth0: [\"fe80::1/64\"] } }, h2: {}, h3: {} }\n"
		      "lans:\n"
		      "  seg: { members: [\"h1:eth0 10.5.0.1/24\", \"h2:eth0 10.5.0.2/24\", "
		      "\"host:ph0 10.5.0.254/24\"] }\n"
		      "links:\n"
		      "  - endpoints: [\"h3:eth0 10.6.0.3/24 fe80::3/64\", \"h2:eth1 10.6.0.2/24\"]\n"
		      "probes:\n"
		      "  - { from: host, to: \"*\" }\n"
		      "  - { from: host, to: h1 }\n"
		      "  - { from: host, to: \"h3:eth0\" }\n");
	assert_vol_matches(t);
	topo_free(t);
}

static void check_yaml(const char *yaml, const char *expected)
{
	struct topology *t = load_yaml(yaml);

	unit_check(t, "ph.yaml", expected);
	topo_free(t);
}

static void check_probes(const char *probes, const char *expected)
{
	char *text = xasprintf("%sprobes:\n%s", lab_yaml, probes);

	check_yaml(text, expected);
	free(text);
}

/* What the checker takes and refuses of probes from and to the host. */
static void test_check(void **state)
{
	check_probes("  - { from: host, to: r1 }\n"
		     "  - { from: host, to: \"*\", proto: tcp, port: 22 }\n"
		     "  - { from: host, to: 10.9.1.200 }\n"
		     "  - { from: host, to: \"fe80::2\" }\n"
		     "  - { from: r1, to: 10.9.0.1 }\n",
		     "");
	check_probes("  - { from: host, to: 192.0.2.1 }\n"
		     "  - { from: host, to: \"2001:db8:7::1\" }\n",
		     "ph.yaml:11:23: error: probe from 'host' to '192.0.2.1': no host end has it in "
		     "its subnet (the host probes only through the lab's host ends, never by its own "
		     "routes)\n"
		     "ph.yaml:12:23: error: probe from 'host' to '2001:db8:7::1': no host end has it "
		     "in its subnet (the host probes only through the lab's host ends, never by its "
		     "own routes)");
	check_probes("  - { from: r1, to: host }\n"
		     "  - { from: host, to: \"host:lab1\" }\n",
		     "ph.yaml:11:21: error: probe target 'host': the host is not a node; probe the "
		     "address of its end instead, e.g. 10.9.0.1\n"
		     "ph.yaml:12:23: error: probe target 'host:lab1': the host is not a node; probe "
		     "the address of its end instead, e.g. 10.9.0.129");
	check_yaml("name: ph\n"
		   "nodes: { a: {}, b: {} }\n"
		   "links:\n"
		   "  - endpoints: [\"a:eth0 10.1.0.1/24\", \"b:eth0 10.1.0.2/24\"]\n"
		   "probes:\n"
		   "  - { from: host, to: b }\n"
		   "  - { from: host, to: 192.0.2.1 }\n",
		   "ph.yaml:6:13: error: probe from 'host' needs a link with an endpoint on node "
		   "'host' (the host probes only through the lab's host ends, and this lab has none)\n"
		   "ph.yaml:7:13: error: probe from 'host' needs a link with an endpoint on node "
		   "'host' (the host probes only through the lab's host ends, and this lab has none)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_end),
		cmocka_unit_test(test_expand_node),
		cmocka_unit_test(test_expand_star),
		cmocka_unit_test(test_expand_address),
		cmocka_unit_test(test_placement),
		cmocka_unit_test(test_lan_member),
		cmocka_unit_test(test_volume),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
