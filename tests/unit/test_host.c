// SPDX-License-Identifier: MIT
/*
 * A lab on several hosts: `hosts:` and `host:` loaded and checked, the VNI
 * of each link (stable, the same for every host, collisions resolved the
 * same way whatever the order of the file), and the MTU a tunnel leaves.
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

#include "diag.h"
#include "host.h"
#include "topology.h"
#include "util.h"
#include "unit.h"

#define HOSTS "hosts:\n  a: { address: 192.0.2.10 }\n  b: { address: 192.0.2.11 }\n"

/* Load and check YAML; the messages must be EXPECTED ("" for none). NULL when it fails. */
static struct topology *load_check(const char *yaml, const char *expected)
{
	struct diag d = { .file = "lab.yaml" };
	struct topology *t = NULL;
	char *m;

	if (topo_load_buf("lab.yaml", yaml, strlen(yaml), &t, &d) == 0 && topo_check(t, &d) < 0) {
		topo_free(t);
		t = NULL;
	}
	m = messages(&d);
	assert_string_equal(m, expected);
	free(m);
	diag_free(&d);
	return t;
}

static void test_load_hosts(void **state)
{
	struct topology *t = load_check("name: mh\n" HOSTS
					"  c: { address: \"2001:db8::3\", vxlan_port: 14789 }\n"
					"defaults: { host: b }\n"
					"nodes:\n  r1: { host: a }\n  r2: {}\n  r3: { host: c }\n",
					"");

	(void)state;
	assert_non_null(t);
	assert_int_equal(t->n_hosts, 3);
	assert_string_equal(t->hosts[0].name, "a");
	assert_int_equal(t->hosts[0].address.family, AF_INET);
	assert_int_equal(t->hosts[0].address.plen, 32);
	assert_int_equal(t->hosts[0].address.addr[3], 10);
	assert_int_equal(host_port(&t->hosts[0]), 4789);
	assert_int_equal(t->hosts[2].address.family, AF_INET6);
	assert_int_equal(t->hosts[2].address.plen, 128);
	assert_int_equal(host_port(&t->hosts[2]), 14789);
	/* r2 takes the host of defaults: */
	assert_int_equal(host_of(t, &t->nodes[0]), 0);
	assert_int_equal(host_of(t, &t->nodes[1]), 1);
	assert_int_equal(host_of(t, &t->nodes[2]), 2);
	assert_int_equal(t->nodes[0].host_pos.line, 8);
	topo_free(t);
}

static void test_first_host_default(void **state)
{
	struct topology *t = load_check("name: mh\n" HOSTS "nodes:\n  r1: {}\n  r2: { host: b }\n",
					"");

	(void)state;
	assert_int_equal(host_of(t, &t->nodes[0]), 0);
	assert_int_equal(host_of(t, &t->nodes[1]), 1);
	assert_int_equal(host_of_name(t, "r2"), 1);
	assert_int_equal(host_of_name(t, "zz"), -1);
	topo_free(t);
	/* no hosts: no placement at all */
	t = load_check("name: one\nnodes:\n  r1: {}\n", "");
	assert_int_equal(host_of(t, &t->nodes[0]), -1);
	topo_free(t);
}

/* A LAN's bridge runs where most of its members do; on a tie, on the first of them. */
static void test_lan_host(void **state)
{
	struct topology *t = load_check(
	    "name: mh\n" HOSTS "  c: { address: 192.0.2.12 }\n"
	    "nodes:\n  h1: { host: c }\n  h2: { host: b }\n  h3: { host: b }\n  h4: { host: c }\n"
	    "lans:\n"
	    "  seg: { members: [\"h1:eth0 10.0.0.1/24\", \"h2:eth0 10.0.0.2/24\", \"h3:eth0 10.0.0.3/24\"] }\n"
	    "  tie: { members: [\"h4:eth1 10.0.1.4/24\", \"h2:eth1 10.0.1.2/24\"] }\n",
	    "");

	(void)state;
	assert_non_null(t);
	assert_int_equal(host_of_name(t, "seg.lan"), 1);
	assert_int_equal(host_of_name(t, "tie.lan"), 1);	/* b comes before c */
	topo_free(t);
}

struct err_case {
	const char *name, *yaml, *expected;
};

#define L "lab.yaml:"

static const struct err_case err_cases[] = {
	{ "bad address", "name: mh\nhosts:\n  a: { address: 192.0.2.300 }\nnodes: { r1: {} }\n",
	  L "3:17: error: invalid host address '192.0.2.300' (expected an IPv4 or IPv6 address)" },
	{ "address with a length", "name: mh\nhosts:\n  a: { address: 192.0.2.1/24 }\nnodes: { r1: {} }\n",
	  L "3:17: error: invalid host address '192.0.2.1/24' (expected an IPv4 or IPv6 address)" },
	{ "no address", "name: mh\nhosts:\n  a: { vxlan_port: 4789 }\nnodes: { r1: {} }\n",
	  L "3:6: error: host 'a' needs an 'address' (its underlay IP)" },
	{ "bad port", "name: mh\nhosts:\n  a: { address: 192.0.2.1, vxlan_port: 0 }\nnodes: { r1: {} }\n",
	  L "3:40: error: vxlan_port 0 out of range (1..65535)" },
	{ "unknown key", "name: mh\nhosts:\n  a: { address: 192.0.2.1, port: 1 }\nnodes: { r1: {} }\n",
	  L "3:28: error: unknown key 'port' (expected one of: address, vxlan_port)" },
	{ "bad host name", "name: mh\nhosts:\n  A: { address: 192.0.2.1 }\nnodes: { r1: {} }\n",
	  L "3:3: error: invalid host name 'A' ([a-z0-9][a-z0-9_-]*, at most 32 characters)" },
	{ "bad node host", "name: mh\n" HOSTS "nodes: { r1: { host: \"x y\" } }\n",
	  L "5:22: error: invalid host name 'x y' ([a-z0-9][a-z0-9_-]*, at most 32 characters)" },
	{ "unknown host", "name: mh\n" HOSTS "nodes:\n  r1: { host: aa }\n  r2: { host: zzz }\n",
	  L "6:15: error: unknown host 'aa' (did you mean 'a'?)\n"
	  L "7:15: error: unknown host 'zzz'" },
	{ "host without hosts", "name: mh\nnodes:\n  r1: { host: a }\n",
	  L "3:15: error: node 'r1' names host 'a' but the lab has no 'hosts:'" },
	{ "duplicate address", "name: mh\n" HOSTS "  c: { address: 192.0.2.11 }\nnodes: { r1: {} }\n",
	  L "5:17: error: host 'c' has the address 192.0.2.11 of host 'b'" },
	{ "mixed families",
	  "name: mh\n" HOSTS "  c: { address: \"2001:db8::1\" }\n"
	  "nodes: { r1: {}, r2: { host: c } }\nlinks:\n  - endpoints: [r1:eth0, r2:eth0]\n",
	  L "8:5: error: link r1:eth0 <-> r2:eth0 joins host 'a' (IPv4) and host 'c' (IPv6): a "
	  "VXLAN tunnel needs one address family" },
	{ "two ports",
	  "name: mh\n" HOSTS "  c: { address: 192.0.2.12, vxlan_port: 14789 }\n"
	  "nodes: { r1: {}, r2: { host: c } }\nlinks:\n  - endpoints: [r1:eth0, r2:eth0]\n",
	  L "8:5: error: link r1:eth0 <-> r2:eth0 joins host 'a' (vxlan_port 4789) and host 'c' "
	  "(vxlan_port 14789): the two ends of a tunnel use one port" },
};

static void run_err_case(void **state)
{
	const struct err_case *c = *state;

	assert_null(load_check(c->yaml, c->expected));
}

static struct topology *lab_links(const char *name, const char *links)
{
	char *yaml = xasprintf("name: %s\nnodes: { a: {}, b: {}, c: {}, d: {} }\nlinks:\n%s", name,
			       links);
	struct topology *t = load_check(yaml, "");

	free(yaml);
	return t;
}

static void test_vni_stable(void **state)
{
	struct topology *t1 = lab_links("lab1", "  - endpoints: [a:e0, b:e0]\n"
						"  - endpoints: [c:e0, d:e0]\n");
	/* the same links, in another order and with their ends swapped */
	struct topology *t2 = lab_links("lab1", "  - endpoints: [d:e0, c:e0]\n"
						"  - endpoints: [b:e0, a:e0]\n");
	struct topology *t3 = lab_links("lab2", "  - endpoints: [a:e0, b:e0]\n");
	uint32_t v1[2], v2[2], v3[1];

	(void)state;
	host_vnis(t1, v1);
	host_vnis(t2, v2);
	host_vnis(t3, v3);
	assert_int_equal(v1[0], v2[1]);
	assert_int_equal(v1[1], v2[0]);
	assert_int_not_equal(v1[0], v1[1]);
	assert_int_equal(v1[0], host_vni_hash("lab1", &t1->links[0]));
	/* another lab, other VNIs */
	assert_int_not_equal(v1[0], v3[0]);
	assert_true(v1[0] >= 1 && v1[0] <= VNI_MAX);
	topo_free(t1);
	topo_free(t2);
	topo_free(t3);
}

/* Links that collide get distinct VNIs, decided by the sorted ends, not the file's order. */
static void test_vni_collision(void **state)
{
	/* c:x5639855 <-> d:e0 hashes as a:e0 <-> b:e0 in lab1 (found by a search over x0, x1...) */
	struct topology *t1 = lab_links("lab1", "  - endpoints: [a:e0, b:e0]\n"
						"  - endpoints: [c:x5639855, d:e0]\n");
	struct topology *t2 = lab_links("lab1", "  - endpoints: [c:x5639855, d:e0]\n"
						"  - endpoints: [a:e0, b:e0]\n");
	uint32_t want, v[2], w[2];

	(void)state;
	want = host_vni_hash("lab1", &t1->links[0]);
	assert_int_equal(host_vni_hash("lab1", &t1->links[1]), want);
	host_vnis(t1, v);
	host_vnis(t2, w);
	/* "a:e0" sorts before "c:..": it keeps the hash, the other the next one */
	assert_int_equal(v[0], want);
	assert_int_equal(v[1], want % VNI_MAX + 1);
	assert_int_equal(w[0], v[1]);
	assert_int_equal(w[1], v[0]);
	topo_free(t1);
	topo_free(t2);
}

static void test_mtu(void **state)
{
	(void)state;
	assert_int_equal(host_link_mtu(1500, AF_INET), 1450);
	assert_int_equal(host_link_mtu(1500, AF_INET6), 1430);
	assert_int_equal(host_link_mtu(9000, AF_INET), 8950);
	assert_int_equal(host_link_mtu(118, AF_INET), 68);
	assert_int_equal(host_link_mtu(117, AF_INET), 0);
	assert_int_equal(host_vxlan_overhead(AF_INET6), 70);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_load_hosts),
		cmocka_unit_test(test_first_host_default),
		cmocka_unit_test(test_vni_stable),
		cmocka_unit_test(test_vni_collision),
		cmocka_unit_test(test_mtu),
		cmocka_unit_test(test_lan_host),
	};
	struct CMUnitTest tests[ARRAY_SIZE(fixed) + ARRAY_SIZE(err_cases)];
	size_t i;

	memcpy(tests, fixed, sizeof(fixed));
	for (i = 0; i < ARRAY_SIZE(err_cases); i++)
		tests[ARRAY_SIZE(fixed) + i] = (struct CMUnitTest){
			.name = err_cases[i].name,
			.test_func = run_err_case,
			.initial_state = (void *)&err_cases[i],
		};
	return _cmocka_run_group_tests("host", tests, ARRAY_SIZE(tests), NULL, NULL);
}
