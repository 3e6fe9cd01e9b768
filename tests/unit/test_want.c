// SPDX-License-Identifier: MIT
/*
 * The desired state of small labs loaded from YAML: names and marks,
 * kinds and their sysctls, bridge ports, merged addresses, route defaults,
 * what a down interface cannot carry, and the exec hash.
 */

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
#include "plan.h"
#include "state.h"
#include "topology.h"
#include "util.h"
#include "want.h"
#include "unit.h"

static void want_yaml(const char *yaml, struct state *s)
{
	struct diag d = {.file = "lab.yaml"};
	struct topology *t = NULL;

	if (topo_load_buf("lab.yaml", yaml, strlen(yaml), &t, &d) || topo_check(t, &d))
		fail_msg("lab does not load:\n%s", messages(&d));
	assert_int_equal(want_build(t, s), 0);
	topo_free(t);
	diag_free(&d);
}

static struct st_ns *ns_of(const struct state *s, const char *name)
{
	struct st_ns *ns = state_ns_find(s, name);

	if (!ns)
		fail_msg("no namespace %s", name);
	return ns;
}

static struct st_iface *if_of(const struct state *s, const char *ns, const char *name)
{
	struct st_iface *ifc = st_ns_iface_find(ns_of(s, ns), name);

	if (!ifc)
		fail_msg("no interface %s in %s", name, ns);
	return ifc;
}

static const char *sysctl_of(const struct st_ns *ns, const char *key)
{
	size_t i;

	for (i = 0; i < ns->n_sysctls; i++) {
		if (!strcmp(ns->sysctls[i].key, key))
			return ns->sysctls[i].value;
	}
	return NULL;
}

/* addrs_text - "10.0.1.2/24 2001:db8::1/64" of an interface, for comparing. */
static char *addrs_text(const struct st_iface *ifc)
{
	char *s = xstrdup(""), *t, buf[64];
	size_t i;

	for (i = 0; i < ifc->n_addrs; i++) {
		struct cidr c = {.family = ifc->addrs[i].family, .plen = ifc->addrs[i].plen};

		memcpy(c.addr, ifc->addrs[i].addr, 16);
		assert_int_equal(ifc->addrs[i].proto, TOPO_IFAPROT);
		t = xasprintf("%s%s%s", s, i ? " " : "", cidr_fmt(&c, buf, sizeof(buf)));
		free(s);
		s = t;
	}
	return s;
}

static void assert_addrs(const struct st_iface *ifc, const char *want)
{
	char *s = addrs_text(ifc);

	assert_string_equal(s, want);
	free(s);
}

static const char tri_yaml[] =
    "name: tri\n"
    "nodes:\n"
    "  r1:\n"
    "    kind: router\n"
    "    addresses: { lo: [10.255.0.1/32, \"2001:db8:ff::1/128\"], eth1: [10.0.1.9/24] }\n"
    "    routes:\n"
    "      - 10.0.9.0/24 via 10.0.2.2\n"
    "      - { to: default, via: 10.0.1.254, metric: 100 }\n"
    "      - 2001:db8:9::/48 via 2001:db8:1::2\n"
    "    sysctl: { net.ipv4.conf.all.rp_filter: 0 }\n"
    "  h1:\n"
    "    routes: [default via 10.0.1.1]\n"
    "    sysctl: { net.ipv4.ip_forward: 1 }\n"
    "  h2: { routes: [\"default via 10.0.2.1 dev eth0\"] }\n"
    "links:\n"
    "  - endpoints: [\"h1:eth0 10.0.1.2/24 2001:db8:1::2/64\", \"r1:eth1 "
    "10.0.1.1/24,2001:db8:1::1/64\"]\n"
    "  - endpoints:\n"
    "      - { node: h2, iface: eth0, addresses: [10.0.2.2/24], mac: \"02:00:00:00:02:02\" }\n"
    "      - { node: r1, iface: eth2, addresses: [10.0.2.1/24] }\n"
    "    mtu: 9000\n";

static void test_names_and_marks(void **unused)
{
	struct state s;
	struct st_iface *ifc;

	want_yaml(tri_yaml, &s);
	assert_string_equal(s.lab, "tri");
	assert_int_equal(s.n_ns, 3);
	/* file order */
	assert_string_equal(s.ns[0].name, "tri-r1");
	assert_string_equal(s.ns[0].node, "r1");
	assert_string_equal(s.ns[1].name, "tri-h1");
	assert_string_equal(s.ns[2].name, "tri-h2");
	assert_int_equal(s.n_notes, 0);

	ifc = if_of(&s, "tri-r1", "lo");
	assert_int_equal(ifc->kind, ST_LO);
	assert_true(ifc->up);
	assert_int_equal(ifc->mtu, 0);
	assert_string_equal(ifc->alias, "topo:tri:r1");
	assert_addrs(ifc, "10.255.0.1/32 2001:db8:ff::1/128");

	ifc = if_of(&s, "tri-h1", "eth0");
	assert_int_equal(ifc->kind, ST_VETH);
	assert_string_equal(ifc->peer_ns, "tri-r1");
	assert_string_equal(ifc->peer_name, "eth1");
	assert_int_equal(ifc->mtu, 1500);
	assert_false(ifc->has_mac);
	assert_true(ifc->up);
	assert_string_equal(ifc->alias, "topo:tri");
	assert_string_equal(ifc->master, "");
	assert_int_equal(ifc->ifindex, 0);
	assert_addrs(ifc, "10.0.1.2/24 2001:db8:1::2/64");

	/* endpoint and node addresses merge */
	assert_addrs(if_of(&s, "tri-r1", "eth1"), "10.0.1.1/24 2001:db8:1::1/64 10.0.1.9/24");

	ifc = if_of(&s, "tri-h2", "eth0");
	assert_int_equal(ifc->mtu, 9000);
	assert_true(ifc->has_mac);
	assert_memory_equal(ifc->mac, ((uint8_t[]){2, 0, 0, 0, 2, 2}), 6);
	assert_int_equal(if_of(&s, "tri-r1", "eth2")->mtu, 9000);
	assert_false(if_of(&s, "tri-r1", "eth2")->has_mac);
	assert_int_equal(ns_of(&s, "tri-r1")->n_ifaces, 3);
	state_free(&s);

	/* a prefix names the namespaces, the lab name marks them */
	want_yaml("name: lab2\nprefix: xy\nnodes: { a: {} }\n", &s);
	assert_string_equal(s.ns[0].name, "xy-a");
	assert_string_equal(s.ns[0].ifaces[0].alias, "topo:lab2:a");
	assert_int_equal(s.ns[0].n_ifaces, 1);
	assert_int_equal(s.ns[0].n_routes, 0);
	assert_int_equal(s.ns[0].n_execs, 0);
	state_free(&s);
}

static void test_routes(void **unused)
{
	struct state s;
	struct st_ns *ns;
	char ip[64];

	want_yaml(tri_yaml, &s);
	ns = ns_of(&s, "tri-r1");
	assert_int_equal(ns->n_routes, 3);
	assert_int_equal(ns->routes[0].family, AF_INET);
	assert_int_equal(ns->routes[0].dst_len, 24);
	assert_string_equal(ip_fmt(AF_INET, ns->routes[0].dst, ip, sizeof(ip)), "10.0.9.0");
	assert_true(ns->routes[0].has_gw);
	assert_string_equal(ip_fmt(AF_INET, ns->routes[0].gw, ip, sizeof(ip)), "10.0.2.2");
	assert_int_equal(ns->routes[0].metric, 0);
	assert_int_equal(ns->routes[0].proto, TOPO_RTPROT);
	assert_string_equal(ns->routes[0].dev, "");
	assert_int_not_equal(ns->routes[0].pos.line, 0);
	/* an explicit metric, and IPv6's default one */
	assert_int_equal(ns->routes[1].dst_len, 0);
	assert_int_equal(ns->routes[1].metric, 100);
	assert_int_equal(ns->routes[2].family, AF_INET6);
	assert_int_equal(ns->routes[2].metric, 1024);
	assert_string_equal(ns_of(&s, "tri-h2")->routes[0].dev, "eth0");
	state_free(&s);
}

static void test_kinds_and_sysctls(void **unused)
{
	struct state s;
	struct st_ns *ns;

	want_yaml(tri_yaml, &s);
	ns = ns_of(&s, "tri-r1");
	assert_string_equal(sysctl_of(ns, "net.ipv4.ip_forward"), "1");
	assert_string_equal(sysctl_of(ns, "net.ipv6.conf.all.forwarding"), "1");
	assert_string_equal(sysctl_of(ns, "net.ipv4.conf.all.rp_filter"), "0");
	assert_int_equal(ns->n_sysctls, 3);
	/* a host says 0, so that a router turned host converges ... */
	ns = ns_of(&s, "tri-h2");
	assert_string_equal(sysctl_of(ns, "net.ipv4.ip_forward"), "0");
	assert_string_equal(sysctl_of(ns, "net.ipv6.conf.all.forwarding"), "0");
	assert_int_equal(ns->n_sysctls, 2);
	/* ... and the node's own sysctl wins over its kind, without a duplicate */
	ns = ns_of(&s, "tri-h1");
	assert_string_equal(sysctl_of(ns, "net.ipv4.ip_forward"), "1");
	assert_string_equal(sysctl_of(ns, "net.ipv6.conf.all.forwarding"), "0");
	assert_int_equal(ns->n_sysctls, 2);
	state_free(&s);
}

/* Every device topo makes gets a MAC from lab, node and interface: the same
 * when it is made again, another for another name, locally administered
 * unicast; a declared MAC is the one set, and it alone is compared. */
static void test_stable_mac(void **unused)
{
	struct state s, s2;
	const struct st_iface *a, *b;
	uint8_t m[6], m2[6];

	want_yaml(tri_yaml, &s);
	want_yaml(tri_yaml, &s2);
	a = if_of(&s, "tri-h1", "eth0");
	assert_false(a->has_mac);
	assert_true(a->has_create_mac);
	assert_int_equal(a->create_mac[0] & 0x03, 0x02);
	assert_memory_equal(a->create_mac, if_of(&s2, "tri-h1", "eth0")->create_mac, 6);
	b = if_of(&s, "tri-r1", "eth1");
	assert_memory_not_equal(a->create_mac, b->create_mac, 6);
	assert_true(if_of(&s, "tri-h2", "eth0")->has_mac);
	assert_false(if_of(&s, "tri-h1", "lo")->has_create_mac);
	want_stable_mac("tri", "h1", "eth0", m);
	assert_memory_equal(m, a->create_mac, 6);
	/* the names are kept apart: ("ab", "c") is not ("a", "bc") */
	want_stable_mac("lab", "ab", "c", m);
	want_stable_mac("lab", "a", "bc", m2);
	assert_memory_not_equal(m, m2, 6);
	want_stable_mac("other", "h1", "eth0", m2);
	assert_memory_not_equal(a->create_mac, m2, 6);
	state_free(&s);
	state_free(&s2);
}

/* A key topo set once and the file dropped asks for a new namespace's
 * value; one the file still names keeps the file's. Forwarding is topo's. */
static void test_sysctl_dropped(void **unused)
{
	struct state s;
	struct st_ns *ns;

	want_yaml(tri_yaml, &s);
	ns = ns_of(&s, "tri-r1");
	assert_true(ns->sysctls[0].implied);
	assert_false(ns->sysctls[0].dropped);
	assert_string_equal(ns->sysctls[2].key, "net.ipv4.conf.all.rp_filter");
	assert_false(ns->sysctls[2].implied);
	assert_int_equal(want_sysctl_dropped(ns, "net.ipv4.conf.all.rp_filter", "2"), 0);
	assert_string_equal(sysctl_of(ns, "net.ipv4.conf.all.rp_filter"), "0");
	assert_false(ns->sysctls[2].dropped);
	assert_int_equal(want_sysctl_dropped(ns, "net.ipv4.ip_forward", "0"), 0);
	assert_string_equal(sysctl_of(ns, "net.ipv4.ip_forward"), "1");
	assert_int_equal(ns->n_sysctls, 3);
	assert_int_equal(want_sysctl_dropped(ns, "net.ipv4.conf.all.arp_ignore", "0"), 0);
	assert_int_equal(ns->n_sysctls, 4);
	assert_string_equal(ns->sysctls[3].key, "net.ipv4.conf.all.arp_ignore");
	assert_string_equal(ns->sysctls[3].value, "0");
	assert_true(ns->sysctls[3].dropped);
	assert_false(ns->sysctls[3].implied);
	state_free(&s);
}

static void test_bridge(void **unused)
{
	struct state s;
	struct st_iface *br;
	struct st_ns *ns;

	want_yaml("name: sw\n"
		  "nodes:\n"
		  "  s1: { kind: bridge, addresses: { br0: [10.0.0.254/24] } }\n"
		  "  h1: {}\n"
		  "  h2: {}\n"
		  "links:\n"
		  "  - endpoints: [\"h1:eth0 10.0.0.1/24\", \"s1:p1\"]\n"
		  "  - endpoints: [\"h2:eth0 10.0.0.2/24\", \"s1:p2\"]\n",
		  &s);
	ns = ns_of(&s, "sw-s1");
	assert_int_equal(ns->n_ifaces, 4);
	br = if_of(&s, "sw-s1", "br0");
	assert_int_equal(br->kind, ST_BRIDGE);
	assert_true(br->up);
	assert_int_equal(br->mtu, 0);
	assert_string_equal(br->alias, "topo:sw");
	assert_string_equal(br->master, "");
	assert_addrs(br, "10.0.0.254/24");
	assert_string_equal(if_of(&s, "sw-s1", "p1")->master, "br0");
	assert_string_equal(if_of(&s, "sw-s1", "p2")->master, "br0");
	assert_addrs(if_of(&s, "sw-s1", "p1"), "");
	/* the hosts' ends are nobody's ports */
	assert_string_equal(if_of(&s, "sw-h1", "eth0")->master, "");
	assert_null(st_ns_iface_find(ns_of(&s, "sw-h1"), "br0"));
	/* a bridge does not forward at L3 */
	assert_string_equal(sysctl_of(ns, "net.ipv4.ip_forward"), "0");
	state_free(&s);
}

static void test_down_link(void **unused)
{
	struct state s;
	struct st_ns *ns;
	struct st_iface *ifc;
	char buf[128];

	want_yaml(
	    "name: dn\n"
	    "nodes:\n"
	    "  h1:\n"
	    "    routes:\n"
	    "      - 10.9.0.0/24 via 10.0.1.1\n"
	    "      - 2001:db8:9::/48 via 2001:db8:1::1\n"
	    "      - 10.8.0.0/24 dev eth0\n"
	    "      - 10.7.0.0/24 via 10.0.2.1\n"
	    "      - 10.6.0.0/24 via 10.0.3.1\n"
	    "  r1: {}\n"
	    "links:\n"
	    "  - endpoints: [\"h1:eth0 10.0.1.2/24 2001:db8:1::2/64\", \"r1:eth0 10.0.1.1/24\"]\n"
	    "    state: down\n"
	    "  - endpoints: [\"h1:eth1 10.0.2.2/24 10.0.3.2/24\", \"r1:eth1 10.0.2.1/24\"]\n"
	    "  - endpoints: [\"h1:eth2 10.0.3.3/24\", \"r1:eth2\"]\n"
	    "    state: down\n",
	    &s);
	ifc = if_of(&s, "dn-h1", "eth0");
	assert_false(ifc->up);
	assert_false(if_of(&s, "dn-r1", "eth0")->up);
	assert_true(if_of(&s, "dn-h1", "eth1")->up);
	/* IPv4 stays on a down interface, IPv6 does not */
	assert_addrs(ifc, "10.0.1.2/24");
	ns = ns_of(&s, "dn-h1");
	/* kept: via an up link, and via a gateway that an up link also reaches */
	assert_int_equal(ns->n_routes, 2);
	assert_string_equal(ip_fmt(AF_INET, ns->routes[0].dst, buf, sizeof(buf)), "10.7.0.0");
	assert_string_equal(ip_fmt(AF_INET, ns->routes[1].dst, buf, sizeof(buf)), "10.6.0.0");
	assert_int_equal(s.n_notes, 1);
	assert_string_equal(s.notes[0],
			    "h1: eth0 is down (state: down), so address 2001:db8:1::2/64, route "
			    "10.9.0.0/24 via 10.0.1.1, route 2001:db8:9::/48 via 2001:db8:1::1 and "
			    "route 10.8.0.0/24 dev eth0 are left out until the link is up");
	state_free(&s);

	/* one thing: singular */
	want_yaml("name: dn\n"
		  "nodes: { a: {}, b: {} }\n"
		  "links:\n"
		  "  - endpoints: [\"a:eth0 2001:db8::1/64\", \"b:eth0\"]\n"
		  "    state: down\n",
		  &s);
	assert_int_equal(s.n_notes, 1);
	assert_string_equal(s.notes[0], "a: eth0 is down (state: down), so address "
					"2001:db8::1/64 is left out until the link is up");
	assert_addrs(if_of(&s, "dn-a", "eth0"), "");
	state_free(&s);

	/* one route: one sentence that says why and until when */
	want_yaml("name: dn\n"
		  "nodes:\n"
		  "  h2: { routes: [10.0.9.0/24 via 10.0.2.1] }\n"
		  "  r1: {}\n"
		  "links:\n"
		  "  - endpoints: [\"h2:eth0 10.0.2.2/24\", \"r1:eth0 10.0.2.1/24\"]\n"
		  "    state: down\n",
		  &s);
	assert_int_equal(s.n_notes, 1);
	assert_string_equal(s.notes[0], "h2: eth0 is down (state: down), so route 10.0.9.0/24 via "
					"10.0.2.1 is left out until the link is up");
	state_free(&s);
}

/* Each command has its own identity: its text, and which copy of it it is. */
static void test_exec_hash(void **unused)
{
	struct state s1, s2, s3;

	want_yaml("name: ex\nnodes: { a: { exec: [ab, c] } }\n", &s1);
	want_yaml("name: ex\nnodes: { a: { exec: [a, bc, ab] } }\n", &s2);
	want_yaml("name: ex\nnodes: { a: { exec: [c, ab, c] }, b: {} }\n", &s3);
	assert_true(s1.ns[0].exec_ids[0] == st_exec_id("ab", 0));
	assert_true(s1.ns[0].exec_ids[1] == st_exec_id("c", 0));
	assert_true(st_exec_id("ab", 0) != st_exec_id("ab", 1));
	assert_true(st_exec_id("ab", 0) != st_exec_id("a", 0));
	/* the same command elsewhere in the list is the same one */
	assert_true(s2.ns[0].exec_ids[2] == s1.ns[0].exec_ids[0]);
	assert_true(s2.ns[0].exec_ids[0] != s1.ns[0].exec_ids[0]);
	/* a second copy is another command */
	assert_true(s3.ns[0].exec_ids[0] == s1.ns[0].exec_ids[1]);
	assert_true(s3.ns[0].exec_ids[2] == st_exec_id("c", 1));
	assert_true(s3.ns[0].exec_ids[1] == s1.ns[0].exec_ids[0]);
	assert_int_equal(s3.ns[1].n_execs, 0);
	assert_int_equal(s1.ns[0].n_execs, 2);
	assert_string_equal(s1.ns[0].execs[0], "ab");
	assert_string_equal(s1.ns[0].execs[1], "c");
	state_free(&s1);
	state_free(&s2);
	state_free(&s3);
}

/* An endpoint's mtu is its end's alone; the other end keeps the link's, or 1500. */
static void test_endpoint_mtu(void **unused)
{
	struct state s;

	want_yaml("name: m\nnodes: {a: {}, b: {}}\nlinks:\n"
		  "  - endpoints: [a:e0, {node: b, iface: e0, mtu: 1400}]\n"
		  "  - endpoints: [{node: a, iface: e1, mtu: 9000}, b:e1]\n"
		  "    mtu: 2000\n",
		  &s);
	assert_int_equal(if_of(&s, "m-a", "e0")->mtu, 1500);
	assert_int_equal(if_of(&s, "m-b", "e0")->mtu, 1400);
	assert_int_equal(if_of(&s, "m-a", "e1")->mtu, 9000);
	assert_int_equal(if_of(&s, "m-b", "e1")->mtu, 2000);
	state_free(&s);
}

/* A LAN: a namespace <prefix>-<lan>.lan with br0 and a port per member; members as link ends. */
static void test_lan(void **unused)
{
	struct state s;
	struct st_iface *ifc;

	want_yaml("name: l\nnodes: {a: {}, b: {}, c: {}}\nlans:\n  seg:\n"
		  "    members: [\"a:eth0 10.0.0.1/24\", \"b:eth0 10.0.0.2/24\",\n"
		  "              {node: c, iface: eth0, mtu: 1400, impair: {rate: 10mbit}}]\n"
		  "    mtu: 9000\n",
		  &s);
	assert_int_equal(s.n_ns, 4);
	assert_string_equal(ns_of(&s, "l-seg.lan")->node, "seg.lan");
	assert_string_equal(if_of(&s, "l-seg.lan", "lo")->alias, "topo:l:seg.lan");
	assert_int_equal(if_of(&s, "l-seg.lan", "br0")->kind, ST_BRIDGE);
	assert_string_equal(sysctl_of(ns_of(&s, "l-seg.lan"), "net.ipv4.ip_forward"), "0");
	ifc = if_of(&s, "l-seg.lan", "a.eth0");
	assert_string_equal(ifc->master, "br0");
	assert_string_equal(ifc->peer_ns, "l-a");
	assert_string_equal(ifc->peer_name, "eth0");
	assert_int_equal(ifc->mtu, 9000);
	assert_int_equal(ifc->n_addrs, 0);
	ifc = if_of(&s, "l-a", "eth0");
	assert_string_equal(ifc->peer_ns, "l-seg.lan");
	assert_string_equal(ifc->peer_name, "a.eth0");
	assert_int_equal(ifc->mtu, 9000);
	assert_addrs(ifc, "10.0.0.1/24");
	/* a member's own mtu and impairment: its end alone */
	assert_int_equal(if_of(&s, "l-c", "eth0")->mtu, 1400);
	assert_int_equal(if_of(&s, "l-c", "eth0")->qdisc.kind, QD_TBF);
	assert_int_equal(if_of(&s, "l-seg.lan", "c.eth0")->mtu, 9000);
	assert_int_equal(if_of(&s, "l-seg.lan", "c.eth0")->qdisc.kind, QD_DEFAULT);
	state_free(&s);
}

/* A lab and itself: creating it from nothing, then nothing to do. */
static void test_plan_from_yaml(void **unused)
{
	struct state want, have = {.lab = "tri"};
	struct plan p;

	want_yaml(tri_yaml, &want);
	assert_int_equal(plan_diff(&want, &have, false, &p), 0);
	assert_int_equal(p.n_errors, 0);
	/* 3 ns, 2 links, 9 addresses, 5 routes; 7 sysctls */
	assert_int_equal(p.n_add, 3 + 2 + 9 + 5);
	assert_int_equal(p.n_change, 7);
	assert_int_equal(p.n_destroy, 0);
	plan_free(&p);
	state_free(&want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names_and_marks),   cmocka_unit_test(test_routes),
	    cmocka_unit_test(test_kinds_and_sysctls),
	    cmocka_unit_test(test_sysctl_dropped),
	    cmocka_unit_test(test_stable_mac), cmocka_unit_test(test_bridge),
	    cmocka_unit_test(test_down_link),	      cmocka_unit_test(test_exec_hash),
	    cmocka_unit_test(test_plan_from_yaml), cmocka_unit_test(test_endpoint_mtu),
	    cmocka_unit_test(test_lan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
