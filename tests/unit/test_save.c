// SPDX-License-Identifier: MIT
/*
 * topo save's writer: a state made from a lab file (as the kernel would
 * show it) saved and loaded again gives the same desired state; odd names
 * are quoted so that they come back unchanged; IPv6 addresses and routes;
 * what the format cannot say is a comment; a state without nodes is none.
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
#include "save.h"
#include "state.h"
#include "topology.h"
#include "util.h"
#include "want.h"
#include "unit.h"

static struct topology *load_text(const char *yaml)
{
	struct diag d = {.file = "lab.yaml"};
	struct topology *t = NULL;

	if (topo_load_buf("lab.yaml", yaml, strlen(yaml), &t, &d) || topo_check(t, &d))
		fail_msg("lab does not load:\n%s\n--- the lab:\n%s", messages(&d), yaml);
	diag_free(&d);
	return t;
}

/* The state the kernel shows for a lab just made from T: the MACs topo
 * chose, lo's and br0's MTUs, and veth peers. */
static void have_of(const struct topology *t, struct state *have)
{
	size_t i, j;

	assert_int_equal(want_build(t, have), 0);
	for (i = 0; i < have->n_ns; i++) {
		for (j = 0; j < have->ns[i].n_ifaces; j++) {
			struct st_iface *ifc = &have->ns[i].ifaces[j];

			if (ifc->has_create_mac && !ifc->has_mac) {
				ifc->has_mac = true;
				memcpy(ifc->mac, ifc->create_mac, 6);
			}
			if (!ifc->mtu)
				ifc->mtu = ifc->kind == ST_LO ? 65536 : 1500;
		}
	}
}

static char *save_text(const struct state *have, const struct topology *kept, const char *name,
		       const char *prefix, size_t n_left)
{
	struct save_result r;
	char *text;

	assert_int_equal(save_lab(have, kept, name, prefix, &r), 0);
	if (r.n_left_out != n_left)
		fail_msg("%zu things left out, expected %zu:\n%s", r.n_left_out, n_left, r.text);
	text = xstrdup(r.text);
	save_result_free(&r);
	return text;
}

static bool addr_in(const struct st_addr *a, const struct st_iface *ifc)
{
	size_t i;

	for (i = 0; i < ifc->n_addrs; i++)
		if (ifc->addrs[i].family == a->family && ifc->addrs[i].plen == a->plen &&
		    !memcmp(ifc->addrs[i].addr, a->addr, 16))
			return true;
	return false;
}

static bool route_in(const struct st_route *r, const struct st_ns *ns)
{
	char a[256], b[256];
	size_t i;

	for (i = 0; i < ns->n_routes; i++)
		if (!strcmp(st_route_fmt(r, a, sizeof(a)), st_route_fmt(&ns->routes[i], b, sizeof(b))))
			return true;
	return false;
}

static void assert_iface_same(const struct st_iface *x, const struct st_iface *y)
{
	size_t k;

	assert_int_equal(x->kind, y->kind);
	assert_string_equal(x->peer_ns, y->peer_ns);
	assert_string_equal(x->peer_name, y->peer_name);
	assert_string_equal(x->master, y->master);
	if (x->kind == ST_VETH)
		assert_int_equal(x->mtu, y->mtu);
	assert_int_equal(x->up, y->up);
	if (x->kind == ST_VETH)
		assert_memory_equal(x->mac, y->has_mac ? y->mac : y->create_mac, 6);
	assert_int_equal(x->n_addrs, y->n_addrs);
	for (k = 0; k < x->n_addrs; k++)
		assert_true(addr_in(&x->addrs[k], y));
}

/* What `up` of the saved file asks for is what `up` of the original did. */
static void assert_same(const struct state *a, const struct state *b)
{
	size_t i, j;

	assert_int_equal(a->n_ns, b->n_ns);
	for (i = 0; i < a->n_ns; i++) {
		const struct st_ns *x = &a->ns[i], *y = state_ns_find(b, x->name);

		if (!y)
			fail_msg("namespace %s is not in the saved lab", x->name);
		assert_int_equal(x->n_ifaces, y->n_ifaces);
		for (j = 0; j < x->n_ifaces; j++) {
			const struct st_iface *yi = st_ns_iface_find(y, x->ifaces[j].name);

			if (!yi)
				fail_msg("%s: no %s in the saved lab", x->name, x->ifaces[j].name);
			assert_iface_same(&x->ifaces[j], yi);
		}
		assert_int_equal(x->n_routes, y->n_routes);
		for (j = 0; j < x->n_routes; j++)
			assert_true(route_in(&x->routes[j], y));
		assert_int_equal(x->n_sysctls, y->n_sysctls);
		for (j = 0; j < x->n_sysctls; j++) {
			const struct st_sysctl *s = &x->sysctls[j];
			size_t k;

			for (k = 0; k < y->n_sysctls && strcmp(y->sysctls[k].key, s->key); k++)
				;
			assert_true(k < y->n_sysctls);
			assert_string_equal(y->sysctls[k].value, s->value);
		}
	}
}

/* Save the state of YAML, load the text, and compare what each asks for. */
static char *round_trip(const char *yaml)
{
	struct topology *t = load_text(yaml), *u;
	struct state have, again;
	char *text;

	have_of(t, &have);
	text = save_text(&have, t, NULL, NULL, 0);
	u = load_text(text);
	assert_int_equal(want_build(u, &again), 0);
	assert_same(&have, &again);
	assert_string_equal(u->prefix, t->prefix);
	assert_int_equal(u->n_probes, t->n_probes);
	state_free(&again);
	state_free(&have);
	topo_free(u);
	topo_free(t);
	return text;
}

static void test_round_trip(void **unused)
{
	char *text = round_trip(
	    "name: tri\n"
	    "prefix: tr\n"
	    "nodes:\n"
	    "  r1:\n"
	    "    kind: router\n"
	    "    addresses: { lo: [10.255.0.1/32, \"2001:db8:ff::1/128\"] }\n"
	    "    routes:\n"
	    "      - 10.0.9.0/24 via 10.0.2.2\n"
	    "      - { to: default, via: 10.0.1.254, metric: 100 }\n"
	    "    sysctl: { net.ipv4.conf.all.rp_filter: 0, net.ipv4.ip_forward: 0 }\n"
	    "  h1: { routes: [default via 10.0.1.1] }\n"
	    "  h2: { routes: [10.0.8.0/24 via 10.0.3.1, \"fd00:8::/48 via fd00:3::1\"] }\n"
	    "  sw: { kind: bridge, addresses: { br0: [10.0.3.1/24] } }\n"
	    "links:\n"
	    "  - endpoints: [\"h1:eth0 10.0.1.2/24\", \"r1:eth1 10.0.1.1/24\"]\n"
	    "  - endpoints:\n"
	    "      - { node: h2, iface: eth0, addresses: [10.0.2.2/24], mac: \"02:00:00:00:02:02\" }\n"
	    "      - { node: r1, iface: eth2, addresses: [10.0.2.1/24] }\n"
	    "    mtu: 9000\n"
	    "  - { endpoints: [\"sw:p1\", \"h2:eth1 10.0.3.2/24, fd00:3::2/64\"], state: down }\n"
	    "  - endpoints: [\"h1:eth1 10.0.4.1/24\", {node: h2, iface: eth2, addresses: [10.0.4.2/24], mtu: 1400}]\n"
	    "    mtu: 9000\n"
	    "probes:\n"
	    "  - { from: h1, to: h2, proto: tcp, port: 7, count: 3, timeout: 250ms }\n"
	    "  - { from: \"*\", to: \"*\", expect: unreachable, max_loss: 0.5%, within: 2s }\n"
	    "  - { from: h1, to: \"r1:lo\", max_rtt: 1500us }\n"
	    "  - { from: h1, to: 10.0.2.2 }\n"
	    "  - { from: h1, to: h2, size: 1472, df: true, count: 5, interval: 20ms, min_rtt: 1ms }\n");

	assert_non_null(strstr(text, "prefix: tr\n"));
	/* two MTUs on one link: each end's own */
	assert_non_null(strstr(text, "\", mtu: 9000 }\n      - { node: h2, iface: eth2"));
	assert_non_null(strstr(text, "\", mtu: 1400 }\n"));
	/* a router with forwarding off by hand says so; rp_filter is the file's */
	assert_non_null(strstr(text, "      net.ipv4.ip_forward: 0\n"));
	assert_null(strstr(text, "net.ipv6.conf.all.forwarding"));
	assert_non_null(strstr(text, "max_loss: \"0.5%\""));
	assert_non_null(strstr(text, "timeout: 250ms"));
	assert_non_null(strstr(text, "max_rtt: 1500us"));
	assert_non_null(strstr(text, "within: 2s"));
	assert_non_null(strstr(text, "to: 10.0.2.2 }"));
	assert_non_null(strstr(text, "count: 5, size: 1472, df: true, interval: 20ms, min_rtt: 1ms }"));
	assert_non_null(strstr(text, "  h1:\n    routes:\n      - default via 10.0.1.1\n"));
	assert_null(strstr(text, "Left out"));
	/* what the down link holds back (the kernel has none of it) stays */
	assert_non_null(strstr(text, "addresses: [10.0.3.2/24, \"fd00:3::2/64\"]"));
	assert_non_null(strstr(text, "      - 10.0.8.0/24 via 10.0.3.1\n"));
	assert_non_null(strstr(text, "      - \"fd00:8::/48 via fd00:3::1\"\n"));
	free(text);
}

/* A LAN comes back as one `lans:` entry, its members' own MTU and all; no node of its own. */
static void test_lan(void **unused)
{
	char *text = round_trip(
	    "name: l\n"
	    "nodes: { h1: {}, h2: {}, r1: { kind: router } }\n"
	    "lans:\n"
	    "  seg:\n"
	    "    members: [\"h1:eth0 10.0.0.1/24\", {node: h2, iface: eth0, addresses: [10.0.0.2/24], mtu: 1400},\n"
	    "              \"r1:a-very-long-if 10.0.0.254/24\"]\n"
	    "    mtu: 9000\n"
	    "probes: [{ from: \"*\", to: \"*\" }]\n");

	assert_non_null(strstr(text, "\nlans:\n  seg:\n    members:\n      - { node: h1, iface: eth0, "
				     "addresses: [10.0.0.1/24], mac: \""));
	assert_non_null(strstr(text, "\", mtu: 1400 }\n"));
	assert_non_null(strstr(text, "iface: a-very-long-if, addresses: [10.0.0.254/24]"));
	assert_non_null(strstr(text, "    mtu: 9000\nprobes:\n"));
	assert_null(strstr(text, "seg.lan"));
	assert_null(strstr(text, "links:"));
	assert_null(strstr(text, "Left out"));
	free(text);
}

/* A lab spread over hosts keeps its hosts: and says each node's host
 * (the first one's too, which the kept file left unsaid). */
static void test_hosts(void **unused)
{
	char *text = round_trip("name: mh\n"
				"hosts:\n"
				"  a: { address: 192.0.2.10, vxlan_port: 14789 }\n"
				"  \"yes\": { address: 192.0.2.11 }\n"
				"nodes:\n"
				"  r1: { kind: router, host: \"yes\" }\n"
				"  h1: {}\n"
				"links:\n"
				"  - endpoints: [\"h1:eth0 10.0.1.2/24\", \"h1:eth1 10.0.2.2/24\"]\n");

	assert_non_null(strstr(text, "\nhosts:\n  a: { address: 192.0.2.10, vxlan_port: 14789 }\n"
				     "  \"yes\": { address: 192.0.2.11 }\nnodes:\n"));
	assert_non_null(strstr(text, "  h1:\n    host: a\n"));
	assert_non_null(strstr(text, "  r1:\n    host: \"yes\"\n    kind: router\n"));
	free(text);
}

/*
 * Names YAML would read as something else (yes, null, numbers) and
 * interface names with quotes, backslashes and '#' come back unchanged.
 */
static void test_odd_names(void **unused)
{
	char *text = round_trip(
	    "name: \"on\"\n"
	    "nodes:\n"
	    "  \"yes\": { routes: [\"10.7.0.0/16 dev 'a#b\\\"c\\\\\"] }\n"
	    "  \"null\": {}\n"
	    "  \"1\": {}\n"
	    "  \"1e3\": {}\n"
	    "  n-o: {}\n"
	    "links:\n"
	    "  - endpoints:\n"
	    "      - { node: \"yes\", iface: \"'a#b\\\"c\\\\\", addresses: [10.0.0.1/24] }\n"
	    "      - { node: \"null\", iface: \"e-0.x\", addresses: [10.0.0.2/24] }\n"
	    "  - endpoints: [\"1:eth0\", \"1e3:eth0\"]\n"
	    "probes:\n"
	    "  - { from: \"1\", to: \"null:e-0.x\" }\n");

	assert_non_null(strstr(text, "name: \"on\"\n"));
	assert_non_null(strstr(text, "  \"yes\":\n"));
	assert_non_null(strstr(text, "  \"null\": {}\n"));
	assert_non_null(strstr(text, "  \"1\": {}\n"));
	assert_non_null(strstr(text, "  \"1e3\": {}\n"));
	assert_non_null(strstr(text, "  n-o: {}\n"));
	assert_non_null(strstr(text, "iface: \"'a#b\\\"c\\\\\""));
	assert_non_null(strstr(text, "iface: e-0.x"));
	free(text);
}

/* IPv6: addresses on lo and links, a default route by gateway and one by device. */
static void test_ipv6(void **unused)
{
	char *text = round_trip(
	    "name: six\n"
	    "nodes:\n"
	    "  a:\n"
	    "    addresses: { lo: [\"2001:db8:ff::1/128\"], eth0: [\"fe80::a/64\"] }\n"
	    "    routes: [\"default via 2001:db8:1::2\", { to: \"2001:db8:9::/48\", dev: eth0, "
	    "metric: 5 }]\n"
	    "  b:\n"
	    "    routes: [\"::/0 dev eth0\"]\n"
	    "links:\n"
	    "  - endpoints: [\"a:eth0 2001:db8:1::1/64, 2001:db8:1::3/64\", \"b:eth0 "
	    "2001:db8:1::2/64\"]\n");

	assert_non_null(strstr(text, "lo: [\"2001:db8:ff::1/128\"]"));
	assert_non_null(strstr(text, "- \"::/0 dev eth0\"\n"));
	assert_non_null(strstr(text, "- \"default via 2001:db8:1::2\"\n"));
	assert_non_null(strstr(text, "- \"2001:db8:9::/48 dev eth0 metric 5\"\n"));
	/* read newest first, written oldest first: the order `up` makes them in */
	assert_non_null(strstr(text, "[\"fe80::a/64\", \"2001:db8:1::3/64\", \"2001:db8:1::1/64\"]"));
	free(text);
}

static void test_empty(void **unused)
{
	struct state have = {.lab = "none"};
	struct save_result r;

	assert_int_equal(save_lab(&have, NULL, NULL, NULL, &r), -ENOENT);
	assert_null(r.text);
	assert_int_equal(r.n_left_out, 0);
	save_result_free(&r);
}

static const char two_yaml[] = "name: two\n"
			       "nodes:\n"
			       "  a: { exec: [\"ip link set eth0 promisc on\"] }\n"
			       "  b: {}\n"
			       "  c: {}\n"
			       "links:\n"
			       "  - endpoints: [\"a:eth0 10.0.0.1/24, 2001:db8::1/64\", \"b:eth0 10.0.0.2/24\"]\n"
			       "  - endpoints: [b:eth1, c:eth0]\n"
			       "probes:\n"
			       "  - { from: a, to: b }\n"
			       "  - { from: a, to: \"c:eth0\" }\n";

/* What the format cannot say: a comment each, and the file still loads. */
static void test_left_out(void **unused)
{
	struct topology *t = load_text(
	    "name: two\nnodes: { a: {}, b: {} }\nlinks: [{ endpoints: [a:eth0, b:eth0] }]\n");
	struct topology *kept = load_text(two_yaml);
	struct state have;
	struct st_ns *a;
	struct st_iface *ifc;
	char *text;

	have_of(t, &have);
	a = state_ns_find(&have, "two-a");
	ifc = VEC_PUSH(&a->ifaces, &a->n_ifaces);
	strcpy(ifc->name, "d\xc3\xa9");
	ifc->kind = ST_OTHER;
	ifc = VEC_PUSH(&a->ifaces, &a->n_ifaces);
	strcpy(ifc->name, "wg0");
	strcpy(ifc->kind_name, "wireguard");
	ifc->kind = ST_OTHER;
	ifc = VEC_PUSH(&a->ifaces, &a->n_ifaces);
	strcpy(ifc->name, "sit0");
	ifc->kind = ST_OTHER;
	st_ns_iface_find(a, "eth0")->mtu = 1400;
	st_ns_iface_find(a, "eth0")->up = false;
	/* added by hand while down: the kept file's copy of it is not a second one */
	{
		struct cidr c;
		struct st_addr *ad;

		assert_int_equal(cidr_parse("2001:db8::1/64", &c), 0);
		ad = VEC_PUSH(&st_ns_iface_find(a, "eth0")->addrs, &st_ns_iface_find(a, "eth0")->n_addrs);
		ad->family = c.family;
		ad->plen = c.plen;
		memcpy(ad->addr, c.addr, 16);
	}
	text = save_text(&have, kept, "copy", NULL, 5);
	assert_non_null(strstr(text, "#   a: interface d\\xc3\\xa9: its name is not ASCII\n"));
	assert_non_null(strstr(text, "#   a: interface wg0 (wireguard), not a link between two "
				     "nodes of the lab\n"));
	assert_null(strstr(text, "sit0"));
	/* two MTUs: each end's own, the default one left out */
	assert_non_null(strstr(text, "\", mtu: 1400 }\n      - { node: b, iface: eth0, mac: \""));
	assert_null(strstr(text, "mtu: 1500"));
	assert_null(strstr(text, "a link has one MTU"));
	assert_non_null(strstr(text, "#   a:eth0 is down and b:eth0 up"));
	assert_non_null(strstr(text, "#   a: exec ip link set eth0 promisc on (not run again"));
	assert_non_null(strstr(text, "#   probe from a to c:eth0 (line 11 of the kept file): c:eth0"));
	assert_non_null(strstr(text, "  - { from: a, to: b }\n"));
	/* down: the kept IPv6 address stays, for when the link comes up */
	assert_non_null(strstr(text, "addresses: [\"2001:db8::1/64\"]"));
	/* a new name alone is a new prefix too */
	assert_non_null(strstr(text, "\nname: copy\nnodes:\n"));
	topo_free(load_text(text));
	state_free(&have);
	topo_free(kept);
	topo_free(t);
	free(text);
}

/* Is SENTENCE among R's left-out ones? */
static bool said(const struct save_result *r, const char *sentence)
{
	size_t i;

	for (i = 0; i < r->n_left_out; i++)
		if (!strcmp(r->left_out[i], sentence))
			return true;
	return false;
}

/*
 * One host's part of a lab spread over three: its node and the lab's
 * hosts: are saved; the nodes of the other hosts (a LAN bridge's too) and
 * the links to them are said, not dropped in silence; a node of another
 * host among those read is a stray.
 */
static void test_host_part(void **unused)
{
	struct topology *t = load_text("name: mh\n"
				       "hosts:\n"
				       "  a: { address: 192.0.2.10 }\n"
				       "  b: { address: 192.0.2.11 }\n"
				       "  c: { address: 192.0.2.12 }\n"
				       "nodes:\n"
				       "  r1: {}\n"
				       "  r2: { host: b }\n"
				       "  r3: { host: c }\n"
				       "  r4: { host: c }\n"
				       "links:\n"
				       "  - endpoints: [\"r1:e1 10.0.12.1/24\", \"r2:e1 10.0.12.2/24\"]\n"
				       "  - endpoints: [\"r1:e2 10.0.13.1/24\", \"r3:e2 10.0.13.2/24\"]\n"
				       "lans:\n"
				       "  seg: { members: [\"r3:e5 10.0.5.1/24\", \"r4:e0 10.0.5.2/24\"] }\n");
	struct save_result r;
	struct state have;

	t->self = &t->hosts[1];
	have_of(t, &have);
	assert_null(save_host_stray(&have, t));
	assert_int_equal(save_lab(&have, t, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.text, "\nhosts:\n"));
	assert_non_null(strstr(r.text, "  r2:\n    host: b\n"));
	assert_null(strstr(r.text, "  r1:"));
	assert_true(said(&r, "node r1: it runs on host a, not on this machine (b): "
			     "`topo save --host a` there saves that part"));
	assert_true(said(&r, "node r3: it runs on host c, not on this machine (b): "
			     "`topo save --host c` there saves that part"));
	assert_true(said(&r, "LAN seg: its bridge runs on host c, not on this machine (b)"));
	if (!said(&r, "link r1:e1 <-> r2:e1: a tunnel to host a, where its other end is"))
		fail_msg("%s", r.text);
	/* r1 - r3 joins two other hosts: nothing of it is here */
	assert_null(strstr(r.text, "r1:e2 <-> r3:e2"));
	if (!strstr(r.text, "#   node r4: it runs on host c"))
		fail_msg("%s", r.text);
	save_result_free(&r);
	/* read as host b's, said to be host a's: r2 is a stray */
	t->self = &t->hosts[0];
	assert_string_equal(save_host_stray(&have, t), "r2");
	state_free(&have);
	topo_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip), cmocka_unit_test(test_odd_names), cmocka_unit_test(test_lan),
	    cmocka_unit_test(test_ipv6),       cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_left_out),   cmocka_unit_test(test_hosts), cmocka_unit_test(test_host_part),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
