// SPDX-License-Identifier: MIT
/*
 * The loader: every form of format v1 into the model (with positions), and
 * every error with its exact text and line:column. Error cases compare the
 * whole output, so an extra or a missing message fails too.
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
#include <unistd.h>

#include <cmocka.h>

#include "diag.h"
#include "topology.h"
#include "util.h"
#include "unit.h"

static struct topology *load_ok(const char *yaml)
{
	struct diag d = { 0 };
	struct topology *t = NULL;
	int r = topo_load_buf("lab.yaml", yaml, strlen(yaml), &t, &d);
	char *m = messages(&d);

	if (r)
		fail_msg("load failed (%d):\n%s", r, m);
	assert_non_null(t);
	assert_int_equal(d.n_msgs, 0);
	free(m);
	diag_free(&d);
	return t;
}

/* Load YAML, expect failure with exactly EXPECTED as output. */
static void load_err_len(const char *yaml, size_t len, const char *expected)
{
	struct diag d = { 0 };
	struct topology *t = (struct topology *)1;
	int r = topo_load_buf("lab.yaml", yaml, len, &t, &d);
	char *m = messages(&d);

	assert_true(r < 0);
	assert_null(t);
	assert_string_equal(m, expected);
	assert_int_equal(d.n_errors, d.n_msgs);
	free(m);
	diag_free(&d);
}

static void load_err(const char *yaml, const char *expected)
{
	load_err_len(yaml, strlen(yaml), expected);
}

static void assert_pos(struct pos p, int line, int col)
{
	if (p.line != line || p.col != col)
		fail_msg("position %d:%d, expected %d:%d", p.line, p.col, line, col);
}

static void assert_cidr(const struct cidr *c, const char *text)
{
	char buf[80];

	assert_string_equal(cidr_fmt(c, buf, sizeof(buf)), text);
}

static void assert_ip(int family, const uint8_t *a, const char *text)
{
	char buf[80];

	assert_string_equal(ip_fmt(family, a, buf, sizeof(buf)), text);
}

/* ---- the example of docs/format.md §1, field by field ---- */

static const char design_example[] =
	"# yaml-language-server: $schema=../schemas/topology.schema.json\n"	/* 1 */
	"name: triangle\n"
	"prefix: tri\n"
	"defaults:\n"
	"  sysctl: { net.ipv6.conf.all.disable_ipv6: 0 }\n"		/* 5 */
	"nodes:\n"
	"  r1:\n"
	"    kind: router\n"
	"    addresses:\n"
	"      lo: [10.255.0.1/32, \"2001:db8:ff::1/128\"]\n"		/* 10 */
	"    routes:\n"
	"      - 10.0.9.0/24 via 10.0.2.2\n"
	"      - { to: default, via: 10.0.1.254, metric: 100 }\n"
	"    sysctl: { net.ipv4.conf.all.rp_filter: 0 }\n"
	"    exec: [\"ip link set eth1 promisc on\"]\n"			/* 15 */
	"  h1:\n"
	"    routes: [default via 10.0.1.1]\n"
	"  h2: { routes: [default via 10.0.2.1] }\n"
	"links:\n"
	"  - endpoints: [\"h1:eth0 10.0.1.2/24\", \"r1:eth1 10.0.1.1/24\"]\n"	/* 20 */
	"  - endpoints:\n"
	"      - { node: h2, iface: eth0, addresses: [10.0.2.2/24], mac: \"02:00:00:00:02:02\" }\n"
	"      - { node: r1, iface: eth2, addresses: [10.0.2.1/24] }\n"
	"    mtu: 9000\n"
	"    state: up\n"							/* 25 */
	"probes:\n"
	"  - { from: h1, to: h2 }\n"
	"  - { from: h1, to: \"r1:lo\" }\n"
	"  - { from: h2, to: 10.0.1.2, proto: tcp, port: 7 }\n"
	"  - { from: h1, to: 10.0.9.1, expect: unreachable }\n"		/* 30 */
	"  - { from: \"*\", to: \"*\" }\n";

static void test_design_example(void **state)
{
	struct topology *t = load_ok(design_example);
	const struct node *r1, *h1, *h2;
	const struct link *l;
	const struct probe_spec *p;

	assert_string_equal(t->file, "lab.yaml");
	assert_string_equal(t->name, "triangle");
	assert_pos(t->name_pos, 2, 7);
	assert_string_equal(t->prefix, "tri");
	assert_pos(t->prefix_pos, 3, 9);
	assert_int_equal(t->n_nodes, 3);

	r1 = topo_node_find(t, "r1");
	assert_non_null(r1);
	assert_ptr_equal(r1, &t->nodes[0]);	/* file order */
	assert_pos(r1->pos, 7, 3);
	assert_int_equal(r1->kind, NODE_ROUTER);
	assert_int_equal(r1->n_addrs, 1);
	assert_string_equal(r1->addrs[0].iface, "lo");
	assert_pos(r1->addrs[0].pos, 10, 7);
	assert_int_equal(r1->addrs[0].n_addrs, 2);
	assert_cidr(&r1->addrs[0].addrs[0], "10.255.0.1/32");
	assert_pos(r1->addrs[0].addrs[0].pos, 10, 12);
	assert_int_equal(r1->addrs[0].addrs[1].family, AF_INET6);
	assert_cidr(&r1->addrs[0].addrs[1], "2001:db8:ff::1/128");
	assert_pos(r1->addrs[0].addrs[1].pos, 10, 27);

	assert_int_equal(r1->n_routes, 2);
	assert_string_equal(r1->routes[0].text, "10.0.9.0/24 via 10.0.2.2");
	assert_int_equal(r1->routes[0].family, AF_INET);
	assert_ip(AF_INET, r1->routes[0].dst, "10.0.9.0");
	assert_int_equal(r1->routes[0].dst_len, 24);
	assert_true(r1->routes[0].has_via);
	assert_ip(AF_INET, r1->routes[0].via, "10.0.2.2");
	assert_null(r1->routes[0].dev);
	assert_false(r1->routes[0].has_metric);
	assert_pos(r1->routes[0].pos, 12, 9);
	assert_string_equal(r1->routes[1].text, "default via 10.0.1.254 metric 100");
	assert_int_equal(r1->routes[1].family, AF_INET);
	assert_int_equal(r1->routes[1].dst_len, 0);
	assert_ip(AF_INET, r1->routes[1].via, "10.0.1.254");
	assert_true(r1->routes[1].has_metric);
	assert_int_equal(r1->routes[1].metric, 100);
	assert_pos(r1->routes[1].pos, 13, 9);

	/* defaults first, then the node's own */
	assert_int_equal(r1->n_sysctls, 2);
	assert_string_equal(r1->sysctls[0].key, "net.ipv6.conf.all.disable_ipv6");
	assert_string_equal(r1->sysctls[0].value, "0");
	assert_pos(r1->sysctls[0].pos, 5, 13);
	assert_string_equal(r1->sysctls[1].key, "net.ipv4.conf.all.rp_filter");
	assert_pos(r1->sysctls[1].pos, 14, 15);
	assert_int_equal(r1->n_execs, 1);
	assert_string_equal(r1->execs[0].cmd, "ip link set eth1 promisc on");
	assert_pos(r1->execs[0].pos, 15, 12);

	h1 = topo_node_find(t, "h1");
	assert_non_null(h1);
	assert_int_equal(h1->kind, NODE_HOST);
	assert_int_equal(h1->n_routes, 1);
	assert_int_equal(h1->routes[0].dst_len, 0);
	assert_ip(AF_INET, h1->routes[0].via, "10.0.1.1");
	assert_int_equal(h1->n_sysctls, 1);	/* from defaults */
	h2 = topo_node_find(t, "h2");
	assert_non_null(h2);
	assert_pos(h2->routes[0].pos, 18, 18);
	assert_null(topo_node_find(t, "h3"));

	assert_int_equal(t->n_links, 2);
	l = &t->links[0];
	assert_pos(l->pos, 20, 5);
	assert_true(l->up);
	assert_int_equal(l->mtu, 0);
	assert_string_equal(l->ep[0].node, "h1");
	assert_string_equal(l->ep[0].iface, "eth0");
	assert_pos(l->ep[0].pos, 20, 17);
	assert_pos(l->ep[0].node_pos, 20, 18);
	assert_pos(l->ep[0].iface_pos, 20, 21);
	assert_int_equal(l->ep[0].n_addrs, 1);
	assert_cidr(&l->ep[0].addrs[0], "10.0.1.2/24");
	assert_pos(l->ep[0].addrs[0].pos, 20, 26);
	assert_false(l->ep[0].has_mac);
	assert_string_equal(l->ep[1].node, "r1");
	assert_string_equal(l->ep[1].iface, "eth1");

	l = &t->links[1];
	assert_int_equal(l->mtu, 9000);
	assert_pos(l->mtu_pos, 24, 10);
	assert_true(l->up);
	assert_string_equal(l->ep[0].node, "h2");
	assert_pos(l->ep[0].node_pos, 22, 17);
	assert_pos(l->ep[0].iface_pos, 22, 28);
	assert_true(l->ep[0].has_mac);
	assert_memory_equal(l->ep[0].mac, "\x02\x00\x00\x00\x02\x02", 6);
	assert_pos(l->ep[0].mac_pos, 22, 65);
	assert_cidr(&l->ep[0].addrs[0], "10.0.2.2/24");
	assert_false(l->ep[1].has_mac);

	assert_int_equal(t->n_probes, 5);
	p = &t->probes[0];
	assert_string_equal(p->from, "h1");
	assert_string_equal(p->to, "h2");
	assert_pos(p->pos, 27, 5);
	assert_pos(p->from_pos, 27, 13);
	assert_pos(p->to_pos, 27, 21);
	assert_int_equal(p->proto, PROBE_ICMP);
	assert_int_equal(p->port, 0);
	assert_true(p->expect_reachable);
	assert_int_equal(p->count, 1);
	assert_int_equal(p->timeout_us, 1000000);
	assert_int_equal(p->max_rtt_us, 0);
	assert_true(p->max_loss < 0);
	assert_int_equal(p->within_us, 0);
	assert_string_equal(t->probes[1].to, "r1:lo");
	assert_int_equal(t->probes[2].proto, PROBE_TCP);
	assert_int_equal(t->probes[2].port, 7);
	assert_string_equal(t->probes[2].to, "10.0.1.2");
	assert_false(t->probes[3].expect_reachable);
	assert_string_equal(t->probes[4].from, "*");
	assert_string_equal(t->probes[4].to, "*");
	topo_free(t);
}

static void test_minimal_and_empty(void **state)
{
	struct topology *t;

	/* prefix defaults to the name; a node may be {} or null; empty lists */
	t = load_ok("name: lab\nnodes:\n  a: {}\n  b:\n  c: ~\nlinks:\nprobes: []\n");
	assert_string_equal(t->prefix, "lab");
	assert_int_equal(t->n_nodes, 3);
	assert_string_equal(t->nodes[1].name, "b");
	assert_int_equal(t->nodes[1].kind, NODE_HOST);
	assert_int_equal(t->nodes[2].n_routes, 0);
	assert_int_equal(t->n_links, 0);
	assert_int_equal(t->n_probes, 0);
	topo_free(t);

	/* names are text even when YAML would call them numbers */
	t = load_ok("name: 1lab\nnodes: {1: {}, 007: {}}\n");
	assert_string_equal(t->name, "1lab");
	assert_string_equal(t->nodes[0].name, "1");
	assert_string_equal(t->nodes[1].name, "007");
	topo_free(t);

	/* a tagged string and an anchor without alias are fine */
	t = load_ok("name: !!str lab\nnodes: &n {h1: {}}\n");
	assert_string_equal(t->name, "lab");
	topo_free(t);

	/* UTF-8 byte order mark */
	t = load_ok("\xef\xbb\xbfname: lab\nnodes: {h1: {}}\n");
	assert_string_equal(t->name, "lab");
	topo_free(t);
}

static void test_defaults_merge(void **state)
{
	struct topology *t = load_ok(
		"name: lab\n"
		"defaults:\n"
		"  kind: router\n"
		"  addresses: {lo: [10.255.0.1/32], eth0: [\"2001:db8::1/64\"]}\n"
		"  routes: [10.9.0.0/16 dev eth0]\n"
		"  sysctl: {net.a: 1, net.b: 2}\n"
		"  exec: [first]\n"
		"nodes:\n"
		"  r1:\n"
		"    addresses: {lo: [10.255.0.2/32], eth1: [10.0.1.1/24]}\n"
		"    routes: [10.8.0.0/16 dev eth1]\n"
		"    sysctl: {net.c: 3, net.b: 20}\n"
		"    exec: [second]\n"
		"  h1: {kind: host}\n"
		"  s1: {kind: bridge}\n");
	const struct node *r1 = &t->nodes[0], *h1 = &t->nodes[1], *s1 = &t->nodes[2];

	assert_int_equal(r1->kind, NODE_ROUTER);	/* from defaults */
	assert_int_equal(h1->kind, NODE_HOST);		/* the node wins */
	assert_int_equal(s1->kind, NODE_BRIDGE);

	/* per interface, defaults first; new interfaces after */
	assert_int_equal(r1->n_addrs, 3);
	assert_string_equal(r1->addrs[0].iface, "lo");
	assert_int_equal(r1->addrs[0].n_addrs, 2);
	assert_cidr(&r1->addrs[0].addrs[0], "10.255.0.1/32");
	assert_pos(r1->addrs[0].addrs[0].pos, 4, 20);
	assert_cidr(&r1->addrs[0].addrs[1], "10.255.0.2/32");
	assert_pos(r1->addrs[0].addrs[1].pos, 10, 22);
	assert_string_equal(r1->addrs[1].iface, "eth0");
	assert_string_equal(r1->addrs[2].iface, "eth1");
	assert_int_equal(h1->n_addrs, 2);

	assert_int_equal(r1->n_routes, 2);
	assert_string_equal(r1->routes[0].text, "10.9.0.0/16 dev eth0");
	assert_string_equal(r1->routes[0].dev, "eth0");
	assert_string_equal(r1->routes[1].text, "10.8.0.0/16 dev eth1");
	assert_int_equal(h1->n_routes, 1);

	/* by key, defaults' order, the node's value (and position) winning */
	assert_int_equal(r1->n_sysctls, 3);
	assert_string_equal(r1->sysctls[0].key, "net.a");
	assert_string_equal(r1->sysctls[0].value, "1");
	assert_string_equal(r1->sysctls[1].key, "net.b");
	assert_string_equal(r1->sysctls[1].value, "20");
	assert_pos(r1->sysctls[1].pos, 12, 24);
	assert_string_equal(r1->sysctls[2].key, "net.c");
	assert_string_equal(r1->sysctls[2].value, "3");
	assert_int_equal(h1->n_sysctls, 2);
	assert_string_equal(h1->sysctls[1].value, "2");

	assert_int_equal(r1->n_execs, 2);
	assert_string_equal(r1->execs[0].cmd, "first");
	assert_string_equal(r1->execs[1].cmd, "second");
	assert_int_equal(s1->n_execs, 1);
	topo_free(t);
}

static void test_route_forms(void **state)
{
	struct topology *t = load_ok(
		"name: lab\n"
		"nodes:\n"
		"  h1:\n"
		"    routes:\n"
		"      - default via 10.0.1.254 metric 100\n"
		"      - 2001:db8:9::/64 via 2001:db8::2 dev eth1\n"
		"      - 10.5.0.0/16 dev eth1\n"
		"      - default via 2001:db8::1\n"
		"      - ::/0 via 2001:db8::1 metric 4294967295\n"
		"      - default dev eth0\n"
		"      - \"10.6.0.0/16   metric 5   dev eth0\"\n"
		"      - 10.7.0.1 via 10.0.0.1\n"
		"      - { to: default, via: \"2001:db8::1\" }\n"
		"      - { to: 10.8.0.0/16, dev: eth0, metric: \"7\" }\n"
		"      - { to: 10.9.0.0/16, via: 10.0.0.1, dev: eth0 }\n");
	const struct route_spec *r = t->nodes[0].routes;

	assert_int_equal(t->nodes[0].n_routes, 11);
	assert_int_equal(r[0].metric, 100);
	assert_int_equal(r[1].family, AF_INET6);
	assert_ip(AF_INET6, r[1].dst, "2001:db8:9::");
	assert_int_equal(r[1].dst_len, 64);
	assert_ip(AF_INET6, r[1].via, "2001:db8::2");
	assert_string_equal(r[1].dev, "eth1");
	assert_int_equal(r[2].family, AF_INET);
	assert_false(r[2].has_via);
	assert_string_equal(r[2].dev, "eth1");
	/* `default` takes the family of `via` */
	assert_int_equal(r[3].family, AF_INET6);
	assert_int_equal(r[3].dst_len, 0);
	assert_int_equal(r[4].family, AF_INET6);
	assert_int_equal(r[4].dst_len, 0);
	assert_true(r[4].metric == 4294967295u);
	/* no via: IPv4 */
	assert_int_equal(r[5].family, AF_INET);
	assert_int_equal(r[6].metric, 5);
	assert_string_equal(r[6].dev, "eth0");
	assert_string_equal(r[6].text, "10.6.0.0/16   metric 5   dev eth0");
	/* no length: a host route */
	assert_int_equal(r[7].dst_len, 32);
	assert_int_equal(r[8].family, AF_INET6);
	assert_string_equal(r[8].text, "default via 2001:db8::1");
	assert_int_equal(r[9].metric, 7);
	assert_string_equal(r[9].text, "10.8.0.0/16 dev eth0 metric 7");
	assert_string_equal(r[10].text, "10.9.0.0/16 via 10.0.0.1 dev eth0");
	assert_pos(r[10].pos, 15, 9);
	topo_free(t);
}

static void test_endpoint_forms(void **state)
{
	struct topology *t = load_ok(
		"name: lab\n"
		"nodes: {a: {}, b: {}}\n"
		"links:\n"
		"  - endpoints: [\"a:e0 10.0.0.1/24, 2001:db8::1/64\", \"b:e0 10.0.0.2/24,2001:db8::2/64 10.1.0.2/24\"]\n"
		"  - endpoints: [a:e1, {node: b, iface: e1, addresses: []}]\n"
		"    state: down\n"
		"    mtu: 68\n");
	const struct link *l = &t->links[0];

	assert_int_equal(l->ep[0].n_addrs, 2);
	assert_cidr(&l->ep[0].addrs[1], "2001:db8::1/64");
	assert_pos(l->ep[0].addrs[1].pos, 4, 36);
	assert_int_equal(l->ep[1].n_addrs, 3);
	assert_cidr(&l->ep[1].addrs[1], "2001:db8::2/64");
	assert_pos(l->ep[1].addrs[1].pos, 4, 71);
	assert_cidr(&l->ep[1].addrs[2], "10.1.0.2/24");
	l = &t->links[1];
	assert_string_equal(l->ep[0].node, "a");
	assert_string_equal(l->ep[0].iface, "e1");
	assert_int_equal(l->ep[0].n_addrs, 0);
	assert_int_equal(l->ep[1].n_addrs, 0);
	assert_false(l->up);
	assert_int_equal(l->mtu, 68);
	topo_free(t);
}

static void test_probe_fields_and_sysctl_values(void **state)
{
	struct topology *t = load_ok(
		"name: lab\n"
		"nodes:\n"
		"  a:\n"
		"    sysctl: {net.x: true, net.y: false, net.z: 1.5, net.w: \"hello\"}\n"
		"probes:\n"
		"  - {from: a, to: a, proto: udp, port: 65535, expect: reachable, count: 10000,\n"
		"     timeout: 250ms, max_rtt: 50ms, max_loss: 0.5%, within: 2s}\n"
		"  - {from: a, to: a, proto: tcp, port: 1, count: 3, max_loss: 0%, timeout: 1.5s}\n");
	const struct probe_spec *p = &t->probes[0];
	const struct sysctl_spec *s = t->nodes[0].sysctls;

	/* booleans become what the kernel reads; numbers stay as written */
	assert_string_equal(s[0].value, "1");
	assert_string_equal(s[1].value, "0");
	assert_string_equal(s[2].value, "1.5");
	assert_string_equal(s[3].value, "hello");

	assert_int_equal(p->proto, PROBE_UDP);
	assert_int_equal(p->port, 65535);
	assert_true(p->expect_reachable);
	assert_int_equal(p->count, 10000);
	assert_int_equal(p->timeout_us, 250000);
	assert_int_equal(p->max_rtt_us, 50000);
	assert_true(p->max_loss > 0.49 && p->max_loss < 0.51);
	assert_int_equal(p->within_us, 2000000);
	p = &t->probes[1];
	assert_int_equal(p->proto, PROBE_TCP);
	assert_int_equal(p->port, 1);
	assert_int_equal(p->count, 3);
	assert_true(p->max_loss == 0.0);
	assert_int_equal(p->timeout_us, 1500000);
	topo_free(t);
}

static void test_probe_packet_fields(void **state)
{
	struct topology *t = load_ok(
		"name: lab\n"
		"nodes: {a: {}}\n"
		"probes:\n"
		"  - {from: a, to: a}\n"
		"  - {from: a, to: a, size: 1472, df: true, count: 5, interval: 10ms, min_rtt: 1ms,\n"
		"     max_rtt: 1ms}\n"
		"  - {from: a, to: a, proto: udp, port: 53, size: 65527, df: false, interval: 1ms}\n"
		"  - {from: a, to: a, size: 16, count: 10000, interval: 360ms}\n");
	const struct probe_spec *p = &t->probes[0];

	assert_int_equal(p->size, 0);	/* not given: the 16-byte tag alone */
	assert_false(p->df);
	assert_int_equal(p->interval_us, 100000);
	assert_int_equal(p->min_rtt_us, 0);
	p = &t->probes[1];
	assert_int_equal(p->size, 1472);
	assert_true(p->df);
	assert_int_equal(p->count, 5);
	assert_int_equal(p->interval_us, 10000);
	assert_int_equal(p->min_rtt_us, 1000);
	p = &t->probes[2];
	assert_int_equal(p->size, 65527);
	assert_false(p->df);
	assert_int_equal(p->interval_us, 1000);
	p = &t->probes[3];	/* 9999 x 360 ms is just under 1 h */
	assert_int_equal(p->size, 16);
	assert_int_equal(p->interval_us, 360000);
	topo_free(t);
}

/* ---- errors ---- */

struct err_case {
	const char *name;
	const char *yaml;
	const char *expected;
};

#define L "lab.yaml:"

static const struct err_case err_cases[] = {
	/* structure and keys */
	{ "unknown top key, suggestion", "name: lab\nnodes: {h1: {}}\nprobs: []\n",
	  L "3:1: error: unknown key 'probs' (did you mean 'probes'?)" },
	{ "unknown node key, suggestion", "name: lab\nnodes:\n  h1:\n    adresses: {}\n",
	  L "4:5: error: unknown key 'adresses' (did you mean 'addresses'?)" },
	{ "unknown key, transposed", "name: lab\nnodes: {h1: {knid: host}}\n",
	  L "2:14: error: unknown key 'knid' (did you mean 'kind'?)" },
	{ "unknown key, no suggestion", "name: lab\nnodes: {h1: {}}\nfoo: 1\n",
	  L "3:1: error: unknown key 'foo' (expected one of: name, prefix, defaults, nodes, links, probes, hosts)" },
	{ "unknown route key, too far to suggest",
	  "name: lab\nnodes: {h1: {routes: [{to: default, gw: 10.0.0.1}]}}\n",
	  L "2:23: error: route 'default' needs 'via' or 'dev'\n"
	  L "2:37: error: unknown key 'gw' (expected one of: to, via, dev, metric)" },
	{ "duplicate node", "name: lab\nnodes:\n  h1: {}\n  h1: {}\n", L "4:3: error: duplicate key 'h1'" },
	{ "duplicate top key", "name: a\nname: b\nnodes: {h1: {}}\n", L "2:1: error: duplicate key 'name'" },
	{ "duplicate iface and sysctl keys",
	  "name: lab\nnodes:\n  h1:\n    addresses: {lo: [], lo: []}\n    sysctl: {net.a: 1, net.a: 2}\n",
	  L "4:25: error: duplicate key 'lo'\n" L "5:24: error: duplicate key 'net.a'" },
	{ "non-scalar keys", "name: lab\nnodes:\n  ? [a]\n  : {}\n? {b: c}\n: 1\n",
	  L "3:5: error: expected a string key, got a list\n" L "5:3: error: expected a string key, got a mapping" },
	{ "missing name and nodes", "prefix: p\n",
	  L "1:1: error: missing required key 'name'\n" L "1:1: error: missing required key 'nodes'" },
	{ "no nodes (null)", "name: lab\nnodes:\n", L "2:7: error: a lab needs at least one node" },
	{ "no nodes ({})", "name: lab\nnodes: {}\n", L "2:8: error: a lab needs at least one node" },
	{ "top level is a list", "- a\n- b\n", L "1:1: error: expected a mapping, got a list" },
	{ "top level is a string", "hello\n", L "1:1: error: expected a mapping, got a string" },
	{ "types", "name: [a]\nprefix: {}\nnodes:\n  h1: 5\n  h2: {routes: \"default via 1.2.3.4\", exec: x}\n"
		   "  h3: {addresses: {eth0: 10.0.0.1/24}, sysctl: [a]}\nlinks: {}\nprobes: true\n",
	  L "1:7: error: expected a string, got a list\n"
	  L "2:9: error: expected a string, got a mapping\n"
	  L "4:7: error: expected a mapping, got a number\n"
	  L "5:16: error: expected a list, got a string\n"
	  L "5:45: error: expected a list, got a string\n"
	  L "6:26: error: expected a list, got a string\n"
	  L "6:48: error: expected a mapping, got a list\n"
	  L "7:8: error: expected a list, got a mapping\n"
	  L "8:9: error: expected a list, got a boolean" },
	{ "null where a string is needed", "name:\nnodes: {h1: {exec: [~, \"\", \" \"]}}\n",
	  L "1:6: error: expected a string, got null\n"
	  L "2:21: error: expected a string, got null\n"
	  L "2:24: error: empty command\n"
	  L "2:28: error: empty command" },

	/* names */
	{ "invalid names",
	  "name: Lab\nprefix: -p\nnodes:\n  H1: {}\n  abcdefghijklmnopqrstuvwxyz0123456: {}\n  ok: {}\n",
	  L "1:7: error: invalid lab name 'Lab' ([a-z0-9][a-z0-9_-]*, at most 32 characters)\n"
	  L "2:9: error: invalid prefix '-p' ([a-z0-9][a-z0-9_-]*, at most 32 characters)\n"
	  L "4:3: error: invalid node name 'H1' ([a-z0-9][a-z0-9_-]*, at most 32 characters)\n"
	  L "5:3: error: invalid node name 'abcdefghijklmnopqrstuvwxyz0123456' ([a-z0-9][a-z0-9_-]*, at most 32 characters)" },
	{ "invalid interface names",
	  "name: lab\nnodes:\n  h1:\n    addresses: {\"eth/0\": [], abcdefghijklmnop: []}\n"
	  "    routes: [10.0.0.0/8 dev e:1]\n"
	  "links:\n  - endpoints: [\"h1:eth/0\", {node: h1, iface: \"eth 0\"}]\n",
	  L "4:17: error: invalid interface name 'eth/0' (1-15 bytes, no '/', ':', '%' or spaces)\n"
	  L "4:30: error: invalid interface name 'abcdefghijklmnop' (1-15 bytes, no '/', ':', '%' or spaces)\n"
	  L "5:29: error: invalid interface name 'e:1' (1-15 bytes, no '/', ':', '%' or spaces)\n"
	  L "7:21: error: invalid interface name 'eth/0' (1-15 bytes, no '/', ':', '%' or spaces)\n"
	  L "7:47: error: invalid interface name 'eth 0' (1-15 bytes, no '/', ':', '%' or spaces)" },
	{ "node kind", "name: lab\nnodes: {h1: {kind: switch}}\n",
	  L "2:20: error: invalid node kind 'switch' (expected host, router or bridge)" },

	/* addresses */
	{ "cidrs",
	  "name: lab\nnodes:\n  h1:\n    addresses:\n      eth0: [10.0.1.300/24, 10.0.0.1/33, \"2001:db8::1/129\", 10.0.0.1/, x/8, 10.0.0.1/-1]\n",
	  L "5:14: error: invalid CIDR '10.0.1.300/24'\n"
	  L "5:29: error: prefix length 33 out of range for IPv4 in '10.0.0.1/33'\n"
	  L "5:42: error: prefix length 129 out of range for IPv6 in '2001:db8::1/129'\n"
	  L "5:61: error: invalid CIDR '10.0.0.1/'\n"
	  L "5:72: error: invalid CIDR 'x/8'\n"
	  L "5:77: error: invalid CIDR '10.0.0.1/-1'" },

	/* routes */
	{ "route words",
	  "name: lab\nnodes:\n  h1:\n    routes:\n"
	  "      - 10.0.0.0/8 gw 10.0.0.1\n"
	  "      - 10.0.0.0/8 via\n"
	  "      - 10.0.0.0/8 via 10.0.0.1 via 10.0.0.2\n"
	  "      - 10.0.0.0/8 via 10.0.0.256\n"
	  "      - 10.0.0.0/8\n"
	  "      - 10.0.0.0/8 via 2001:db8::1\n"
	  "      - \"  \"\n"
	  "      - 10.0.0.300/8 dev eth0\n"
	  "      - [a]\n",
	  L "5:20: error: unknown route keyword 'gw' in '10.0.0.0/8 gw 10.0.0.1' (expected via, dev or metric)\n"
	  L "6:20: error: missing value after 'via' in route '10.0.0.0/8 via'\n"
	  L "7:33: error: duplicate 'via' in route '10.0.0.0/8 via 10.0.0.1 via 10.0.0.2'\n"
	  L "8:24: error: invalid gateway address '10.0.0.256'\n"
	  L "9:9: error: route '10.0.0.0/8' needs 'via' or 'dev'\n"
	  L "10:9: error: gateway 2001:db8::1 is IPv6 but destination '10.0.0.0/8' is IPv4\n"
	  L "11:9: error: empty route\n"
	  L "12:9: error: invalid CIDR '10.0.0.300/8'\n"
	  L "13:9: error: expected a string, got a list" },
	{ "route metrics",
	  "name: lab\nnodes:\n  h1:\n    routes:\n"
	  "      - 10.0.0.0/8 dev eth0 metric -1\n"
	  "      - 10.0.0.0/8 dev eth0 metric 4294967296\n"
	  "      - 10.0.0.0/8 dev eth0 metric ten\n"
	  "      - {to: 10.0.0.0/8, dev: eth0, metric: -1}\n",
	  L "5:36: error: metric -1 out of range (0..4294967295)\n"
	  L "6:36: error: metric 4294967296 out of range (0..4294967295)\n"
	  L "7:36: error: invalid metric 'ten' (expected an integer)\n"
	  L "8:45: error: metric -1 out of range (0..4294967295)" },
	{ "route maps",
	  "name: lab\nnodes:\n  h1:\n    routes:\n"
	  "      - {via: 10.0.0.1}\n"
	  "      - {to: default, via: nope}\n"
	  "      - {to: \"::/0\", via: 10.0.0.1}\n",
	  L "5:9: error: missing required key 'to'\n"
	  L "6:28: error: invalid gateway address 'nope'\n"
	  L "7:9: error: gateway 10.0.0.1 is IPv4 but destination '::/0' is IPv6" },

	/* sysctl */
	{ "sysctl values",
	  "name: lab\nnodes:\n  h1:\n    sysctl:\n      net.a: [1]\n      net.b:\n      net.c: \"1\\n2\"\n",
	  L "5:14: error: expected a number or a string, got a list\n"
	  L "6:13: error: expected a number or a string, got null\n"
	  L "7:14: error: sysctl value must be a single line" },

	/* links */
	{ "links",
	  "name: lab\nnodes: {a: {}}\nlinks:\n"
	  "  - a:e0\n"
	  "  - {endpoint: [a:e0, a:e1]}\n"
	  "  - endpoints: [a:e0, a:e1, a:e2]\n"
	  "  - endpoints: [a, \"a:e1\"]\n"
	  "  - endpoints: [{node: a}, {iface: e1, addresses: 10.0.0.1/24}]\n"
	  "  - endpoints: [{node: a, iface: e0, mac: \"02:00:00:00:00\"}, [a]]\n"
	  "  - {endpoints: [a:e0, a:e1], mtu: 70000, state: off}\n"
	  "  - {endpoints: [a:e0, a:e1], mtu: 67}\n"
	  "  - {endpoints: [a:e0, a:e1], mtu: 9k}\n"
	  "  - {endpoints: [\"a:e0 10.0.0.1/33\", \"a:e1 10.0.0.2/24 zz\"]}\n",
	  L "4:5: error: expected a mapping, got a string\n"
	  L "5:5: error: missing required key 'endpoints'\n"
	  L "5:6: error: unknown key 'endpoint' (did you mean 'endpoints'?)\n"
	  L "6:16: error: a link needs exactly 2 endpoints, got 3\n"
	  L "7:17: error: invalid endpoint 'a' (expected node:iface, then addresses)\n"
	  L "8:17: error: missing required key 'iface'\n"
	  L "8:28: error: missing required key 'node'\n"
	  L "8:51: error: expected a list, got a string\n"
	  L "9:43: error: invalid MAC address '02:00:00:00:00' (expected e.g. 02:00:00:00:00:01)\n"
	  L "9:62: error: expected a string, got a list\n"
	  L "10:36: error: mtu 70000 out of range (68..65535)\n"
	  L "10:50: error: invalid link state 'off' (expected up or down)\n"
	  L "11:36: error: mtu 67 out of range (68..65535)\n"
	  L "12:36: error: invalid mtu '9k' (expected an integer)\n"
	  L "13:24: error: prefix length 33 out of range for IPv4 in '10.0.0.1/33'\n"
	  L "13:56: error: invalid CIDR 'zz'" },

	/* probes */
	{ "probes",
	  "name: lab\nnodes: {a: {}}\nprobes:\n"
	  "  - {to: a, form: a}\n"
	  "  - {from: a}\n"
	  "  - {from: a, to: a, proto: sctp}\n"
	  "  - {from: a, to: a, port: 80}\n"
	  "  - {from: a, to: a, proto: udp}\n"
	  "  - {from: a, to: a, proto: tcp, port: 0}\n"
	  "  - {from: a, to: a, proto: tcp, port: 65536}\n"
	  "  - {from: a, to: a, expect: yes}\n"
	  "  - {from: a, to: a, count: 0}\n"
	  "  - {from: a, to: a, count: 10001}\n"
	  "  - {from: a, to: a, timeout: 10}\n"
	  "  - {from: a, to: a, timeout: 0s}\n"
	  "  - {from: a, to: a, max_rtt: fast, within: -1s}\n"
	  "  - {from: a, to: a, max_loss: 5}\n"
	  "  - {from: a, to: a, max_loss: 101%}\n"
	  "  - x\n",
	  L "4:5: error: missing required key 'from'\n"
	  L "4:13: error: unknown key 'form' (did you mean 'from'?)\n"
	  L "5:5: error: missing required key 'to'\n"
	  L "6:29: error: invalid proto 'sctp' (expected icmp, tcp or udp)\n"
	  L "7:22: error: 'port' is not allowed with proto icmp\n"
	  L "8:29: error: proto udp needs a 'port'\n"
	  L "9:40: error: port 0 out of range (1..65535)\n"
	  L "10:40: error: port 65536 out of range (1..65535)\n"
	  L "11:30: error: invalid expect 'yes' (expected reachable or unreachable)\n"
	  L "12:29: error: count 0 out of range (1..10000)\n"
	  L "13:29: error: count 10001 out of range (1..10000)\n"
	  L "14:31: error: invalid timeout '10' (expected a duration such as 250us, 10ms, 1.5s)\n"
	  L "15:31: error: timeout must be greater than 0\n"
	  L "16:31: error: invalid max_rtt 'fast' (expected a duration such as 250us, 10ms, 1.5s)\n"
	  L "16:45: error: invalid within '-1s' (expected a duration such as 250us, 10ms, 1.5s)\n"
	  L "17:32: error: invalid max_loss '5' (expected a percentage from 0% to 100%, e.g. 0.5%)\n"
	  L "18:32: error: invalid max_loss '101%' (expected a percentage from 0% to 100%, e.g. 0.5%)\n"
	  L "19:5: error: expected a mapping, got a string" },

	{ "probe packets: size, df, interval, min_rtt",
	  "name: lab\nnodes: {a: {}}\nprobes:\n"
	  "  - {from: a, to: a, size: 15}\n"
	  "  - {from: a, to: a, size: 65528}\n"
	  "  - {from: a, to: a, df: yes}\n"
	  "  - {from: a, to: a, proto: tcp, port: 80, size: 100, df: true}\n"
	  "  - {from: a, to: a, interval: 999us}\n"
	  "  - {from: a, to: a, count: 10000, interval: 361ms}\n"
	  "  - {from: a, to: a, min_rtt: 5ms, max_rtt: 4ms}\n"
	  "  - {from: a, to: a, min_rtt: soon, interval: 2h}\n",
	  L "4:28: error: size 15 out of range (16..65527)\n"
	  L "5:28: error: size 65528 out of range (16..65527)\n"
	  L "6:26: error: invalid df (expected true or false)\n"
	  L "7:44: error: 'size' is not allowed with proto tcp\n"
	  L "7:55: error: 'df' is not allowed with proto tcp\n"
	  L "8:32: error: interval must be at least 1ms\n"
	  L "9:46: error: count 10000 x interval '361ms' is longer than 1h (the exchanges of a probe must fit in 1h)\n"
	  L "10:31: error: min_rtt '5ms' is above max_rtt\n"
	  L "11:31: error: invalid min_rtt 'soon' (expected a duration such as 250us, 10ms, 1.5s)\n"
	  L "11:47: error: interval '2h' is too long (the maximum is 1h)" },

	{ "probe durations have a maximum",
	  "name: lab\nnodes: {a: {}}\nprobes:\n"
	  "  - {from: a, to: a, timeout: 5124095576h}\n"
	  "  - {from: a, to: a, timeout: 1h, max_rtt: 1h, within: 3600s}\n"
	  "  - {from: a, to: a, timeout: 3600000001us, max_rtt: 61m, within: 1.5h}\n",
	  L "4:31: error: timeout '5124095576h' is too long (the maximum is 1h)\n"
	  L "6:31: error: timeout '3600000001us' is too long (the maximum is 1h)\n"
	  L "6:54: error: max_rtt '61m' is too long (the maximum is 1h)\n"
	  L "6:67: error: within '1.5h' is too long (the maximum is 1h)" },
	{ "interface names in bytes, '%' and byte 0xa0 refused",
	  "name: lab\nnodes:\n  h1:\n    addresses: {\"eth%d\": [], \"caf\xc3\xa9-abcdefghij\": [], \"caf\xc3\xa9-abcdefghi\": []}\n"
	  "links:\n  - endpoints: [\"h1:e%d\", \"h1:e\xc3\xa0\"]\n",
	  L "4:17: error: invalid interface name 'eth%d' (1-15 bytes, no '/', ':', '%' or spaces)\n"
	  L "4:30: error: invalid interface name 'caf\xc3\xa9-abcdefghij' (1-15 bytes, no '/', ':', '%' or spaces)\n"
	  L "6:21: error: invalid interface name 'e%d' (1-15 bytes, no '/', ':', '%' or spaces)\n"
	  L "6:27: error: invalid interface name 'e\xc3\xa0' (1-15 bytes, no '/', ':', '%' or spaces)" },

	/* YAML itself */
	{ "malformed: mapping in scalar", "name: a\n  b: c\n",
	  L "2:4: error: mapping values are not allowed in this context" },
	{ "malformed: unclosed flow", "name: lab\nnodes: [a\n",
	  L "3:1: error: did not find expected ',' or ']'" },
	{ "malformed: tab", "name: lab\n\tnodes: {}\n",
	  L "2:1: error: found a tab character that violates indentation" },
	{ "two documents", "name: a\nnodes: {a: {}}\n---\nname: b\n",
	  L "3:1: error: expected a single YAML document, found a second one" },
	{ "empty file", "", L " error: empty file (expected a mapping with 'name' and 'nodes')" },
	{ "only comments", "# nothing\n\n", L " error: empty file (expected a mapping with 'name' and 'nodes')" },
	{ "unsupported tag", "name: !foo lab\nnodes: !!map {a: !bar {}}\n",
	  L "1:7: error: unsupported YAML tag '!foo'\n" L "2:18: error: unsupported YAML tag '!bar'" },
	{ "alias refused",
	  "name: lab\nnodes:\n  a: &base {kind: router}\n  b: *base\n",
	  L "4:6: error: YAML aliases are not supported ('*base')" },
	{ "billion laughs",
	  "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	  "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	  "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	  "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	  "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	  "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	  "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
	  "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n",
	  L "1:1: error: unknown key 'a' (expected one of: name, prefix, defaults, nodes, links, probes, hosts)\n"
	  L "1:1: error: missing required key 'name'\n"
	  L "1:1: error: missing required key 'nodes'\n"
	  L "2:1: error: unknown key 'b' (expected one of: name, prefix, defaults, nodes, links, probes, hosts)\n"
	  L "2:8: error: YAML aliases are not supported ('*a')\n"
	  L "3:1: error: unknown key 'c' (expected one of: name, prefix, defaults, nodes, links, probes, hosts)\n"
	  /* ... the first of the 72 aliases only, none expanded */
	},
	{ "NUL in a quoted string", "name: \"a\\0b\"\nnodes: {a: {}}\n",
	  L "1:7: error: NUL character in a string" },
	{ "invalid UTF-8", "name: lab\nnodes:\n  h\xff" "1: {}\n", L "3:4: error: invalid UTF-8 byte 0xff (a topology file is UTF-8 text)" },
	{ "truncated UTF-8", "name: lab\nnodes:\n  h\xc3", L "3:4: error: invalid UTF-8 byte 0xc3 (a topology file is UTF-8 text)" },
	{ "bad UTF-8 continuation", "name: lab\nnodes: {h1: {exec: [\"caf\xe9 x\"]}}\n",
	  L "2:25: error: invalid UTF-8 byte 0xe9 (a topology file is UTF-8 text)" },
	{ "overlong UTF-8", "name: lab\nnodes: {h1: {exec: [\"\xc0\xaf\"]}}\n",
	  L "2:22: error: invalid UTF-8 byte 0xc0 (a topology file is UTF-8 text)" },
	{ "UTF-8 surrogate", "name: lab\nnodes: {h1: {exec: [\"\xed\xa0\x80\"]}}\n",
	  L "2:22: error: invalid UTF-8 byte 0xed (a topology file is UTF-8 text)" },
	{ "unknown key, suggestion by word length",
	  "name: lab\nnodes: {a: {}}\nlinks: [{endpoints: [{node: a, ifname: e0}, a:e1]}]\n",
	  L "3:22: error: missing required key 'iface'\n"
	  L "3:32: error: unknown key 'ifname' (did you mean 'iface'?)" },
	{ "control character", "name: lab\x01\nnodes: {}\n",
	  L "1:10: error: control characters are not allowed" },
	{ "hostile values are escaped and cut",
	  "name: lab\nnodes: {a: {kind: \"\\e[31mred\\x01\"}}\n"
	  "links: [{endpoints: [\"a:e0 0123456789012345678901234567890123456789012345678901234567890123456789\", a:e1]}]\n",
	  L "2:19: error: invalid node kind '\\x1b[31mred\\x01' (expected host, router or bridge)\n"
	  L "3:28: error: invalid CIDR '0123456789012345678901234567890123456789012345678901234567890123...'" },
};

static void run_err_case(void **state)
{
	const struct err_case *c = *state;
	struct diag d = { 0 };
	struct topology *t = (struct topology *)1;
	char *m;

	if (strcmp(c->name, "billion laughs")) {
		load_err(c->yaml, c->expected);
		return;
	}
	/* One alias error for 72 aliases, 9 unknown keys, 2 missing ones: nothing expanded. */
	assert_int_equal(topo_load_buf("lab.yaml", c->yaml, strlen(c->yaml), &t, &d), -EINVAL);
	assert_null(t);
	assert_int_equal(d.n_msgs, 1 + 9 + 2);
	m = messages(&d);
	assert_true(!strncmp(m, c->expected, strlen(c->expected)));
	free(m);
	diag_free(&d);
}

/* ---- hostile input ---- */

static void test_size_limit(void **state)
{
	size_t max = 4u << 20;
	char *buf = xmalloc(max + 1);
	struct diag d = { 0 };
	struct topology *t = NULL;
	char *m;

	/* exactly 4 MiB of comment is read (and is an empty file); one byte more is refused */
	memset(buf, ' ', max + 1);
	buf[0] = '#';
	load_err_len(buf, max, L " error: empty file (expected a mapping with 'name' and 'nodes')");
	assert_int_equal(topo_load_buf("lab.yaml", buf, max + 1, &t, &d), -EFBIG);
	assert_null(t);
	m = messages(&d);
	assert_string_equal(m, "lab.yaml: error: file too large (more than 4194304 bytes)");
	free(m);
	diag_free(&d);
	free(buf);
}

static void test_depth_limit(void **state)
{
	char yaml[400];

	/* 63 nested lists under `nodes` (64 levels with the top mapping) still parse... */
	snprintf(yaml, sizeof(yaml), "name: lab\nnodes: %.63s%.63s\n",
		 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
		 "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
	load_err(yaml, L "2:8: error: expected a mapping, got a list");
	/* ...one more is refused where it starts */
	snprintf(yaml, sizeof(yaml), "name: lab\nnodes: %.64s%.64s\n",
		 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
		 "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]");
	load_err(yaml, L "2:71: error: nesting too deep (more than 64 levels)");
}

static void test_nul_byte(void **state)
{
	static const char yaml[] = "name: lab\nnodes:\n  h1: {}\0\n";

	load_err_len(yaml, sizeof(yaml) - 1, L "3:9: error: NUL byte in file (a topology file is UTF-8 text)");
}

static void test_value_limit(void **state)
{
	size_t n = 1000001, i, len;
	char *buf = xmalloc(2 * n + 64), *m;
	struct diag d = { 0 };
	struct topology *t = NULL;

	len = (size_t)sprintf(buf, "name: lab\nnodes: [");
	for (i = 0; i < n; i++) {
		buf[len++] = 'a';
		buf[len++] = ',';
	}
	buf[len++] = ']';
	assert_int_equal(topo_load_buf("lab.yaml", buf, len, &t, &d), -EINVAL);
	assert_null(t);
	m = messages(&d);
	/* the top mapping, name, lab, nodes, the list: 5 values; the 999,996th "a" is one too many */
	assert_string_equal(m, L "2:1999999: error: too many values in one file (more than 1000000)");
	free(m);
	diag_free(&d);
	free(buf);
}

static void test_error_cap(void **state)
{
	size_t n = 1000, i, len = 0;
	char *buf = xmalloc(n * 32 + 64);
	struct diag d = { 0 };
	struct topology *t = NULL;

	len = (size_t)sprintf(buf, "name: lab\nnodes: {a: {}}\nprobes:\n");
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(buf + len, "  - {from: a, to: a, count: 0}\n");
	assert_int_equal(topo_load_buf("lab.yaml", buf, len, &t, &d), -EINVAL);
	assert_int_equal(d.n_msgs, 500);
	assert_string_equal(d.msgs[0].text, "count 0 out of range (1..10000)");
	assert_string_equal(d.msgs[499].text,
			    "count 0 out of range (1..10000) (too many errors, stopping here)");
	assert_pos(d.msgs[499].pos, 503, 29);
	diag_free(&d);
	free(buf);
}

/* ---- files ---- */

static void test_load_file(void **state)
{
	char path[] = "/tmp/topo-test-load-XXXXXX";
	int fd = mkstemp(path);
	struct diag d = { 0 };
	struct topology *t = NULL;
	static const char yaml[] = "name: lab\nnodes: {h1: {}}\n";

	assert_true(fd >= 0);
	assert_int_equal(write(fd, yaml, sizeof(yaml) - 1), (ssize_t)sizeof(yaml) - 1);
	close(fd);
	assert_int_equal(topo_load(path, &t, &d), 0);
	assert_non_null(t);
	assert_string_equal(t->file, path);
	assert_string_equal(d.file, path);	/* set for messages when the caller did not */
	topo_free(t);
	unlink(path);

	/* I/O errors are -errno with no message: the caller names the file */
	assert_int_equal(topo_load("/nonexistent/lab.yaml", &t, &d), -ENOENT);
	assert_null(t);
	assert_int_equal(topo_load("/", &t, &d), -EISDIR);
	assert_int_equal(d.n_msgs, 0);
	diag_free(&d);
}

static void test_load_file_too_large(void **state)
{
	char path[] = "/tmp/topo-test-load-XXXXXX";
	int fd = mkstemp(path);
	struct diag d = { 0 };
	struct topology *t = NULL;
	char *buf = xcalloc(1, (8u << 20));

	assert_true(fd >= 0);
	memset(buf, '#', 8u << 20);
	assert_int_equal(write(fd, buf, 8u << 20), (ssize_t)(8u << 20));
	close(fd);
	/* reading stops one byte past the limit */
	assert_int_equal(topo_load(path, &t, &d), -EFBIG);
	assert_null(t);
	assert_int_equal(d.n_msgs, 1);
	assert_string_equal(d.msgs[0].text, "file too large (more than 4194304 bytes)");
	diag_free(&d);
	unlink(path);
	free(buf);
}

static void test_free_null(void **state)
{
	struct topology *t = xcalloc(1, sizeof(*t));

	topo_free(NULL);
	/* half-built: arrays with members left NULL */
	t->nodes = xcalloc(2, sizeof(*t->nodes));
	t->n_nodes = 2;
	t->nodes[0].name = xstrdup("a");
	t->links = xcalloc(1, sizeof(*t->links));
	t->n_links = 1;
	t->probes = xcalloc(1, sizeof(*t->probes));
	t->n_probes = 1;
	topo_free(t);
}

static void test_nsname(void **state)
{
	struct topology *t = load_ok("name: lab\nprefix: p\nnodes: {h1: {}}\n");
	char buf[TOPO_NSNAME_MAX + 1];

	topo_nsname(t, "h1", buf, sizeof(buf));
	assert_string_equal(buf, "p-h1");
	topo_free(t);
	t = load_ok("name: lab\nnodes: {h1: {}}\n");
	topo_nsname(t, "h1", buf, sizeof(buf));
	assert_string_equal(buf, "lab-h1");
	topo_free(t);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_design_example),
		cmocka_unit_test(test_minimal_and_empty),
		cmocka_unit_test(test_defaults_merge),
		cmocka_unit_test(test_route_forms),
		cmocka_unit_test(test_endpoint_forms),
		cmocka_unit_test(test_probe_fields_and_sysctl_values),
		cmocka_unit_test(test_probe_packet_fields),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_value_limit),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_load_file_too_large),
		cmocka_unit_test(test_free_null),
		cmocka_unit_test(test_nsname),
	};
	struct CMUnitTest tests[ARRAY_SIZE(fixed) + ARRAY_SIZE(err_cases)];
	const void *states[ARRAY_SIZE(err_cases)];
	size_t i;

	memcpy(tests, fixed, sizeof(fixed));
	for (i = 0; i < ARRAY_SIZE(err_cases); i++) {
		states[i] = &err_cases[i];
		tests[ARRAY_SIZE(fixed) + i] = (struct CMUnitTest){
			.name = err_cases[i].name,
			.test_func = run_err_case,
			.initial_state = (void *)states[i],
		};
	}
	return _cmocka_run_group_tests("load", tests, ARRAY_SIZE(tests), NULL, NULL);
}
