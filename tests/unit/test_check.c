// SPDX-License-Identifier: MIT
/*
 * The checker: labs that load but do not hold together. Each case compares
 * the whole output (exact text, line:column, order), so an extra or a
 * missing message fails. Valid variants sit next to the invalid ones to
 * show that a check refuses only what it should.
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
#include "probe.h"
#include "probe_volume.h"
#include "topology.h"
#include "util.h"
#include "unit.h"

static struct topology *load(const char *yaml)
{
	return unit_load("lab.yaml", yaml);
}

/* Check T; the output must be EXPECTED exactly ("" for a clean lab). */
static void check_topo(const struct topology *t, const char *expected)
{
	unit_check(t, "lab.yaml", expected);
}

static void check_yaml(const char *yaml, const char *expected)
{
	struct topology *t = load(yaml);

	check_topo(t, expected);
	topo_free(t);
}

struct check_case {
	const char *name;
	const char *yaml;
	const char *expected;
};

#define L "lab.yaml:"

static const struct check_case cases[] = {
	{ "design example is clean",
	  "name: triangle\nprefix: tri\n"
	  "defaults:\n  sysctl: { net.ipv6.conf.all.disable_ipv6: 0 }\n"
	  "nodes:\n"
	  "  r1:\n    kind: router\n"
	  "    addresses:\n      lo: [10.255.0.1/32, \"2001:db8:ff::1/128\"]\n"
	  "    routes:\n      - 10.0.9.0/24 via 10.0.2.2\n"
	  "      - { to: default, via: 10.0.1.254, metric: 100 }\n"
	  "    sysctl: { net.ipv4.conf.all.rp_filter: 0 }\n"
	  "    exec: [\"ip link set eth1 promisc on\"]\n"
	  "  h1:\n    routes: [default via 10.0.1.1]\n"
	  "  h2: { routes: [default via 10.0.2.1] }\n"
	  "links:\n"
	  "  - endpoints: [\"h1:eth0 10.0.1.2/24\", \"r1:eth1 10.0.1.1/24\"]\n"
	  "  - endpoints:\n"
	  "      - { node: h2, iface: eth0, addresses: [10.0.2.2/24], mac: \"02:00:00:00:02:02\" }\n"
	  "      - { node: r1, iface: eth2, addresses: [10.0.2.1/24] }\n"
	  "    mtu: 9000\n    state: up\n"
	  "probes:\n"
	  "  - { from: h1, to: h2 }\n  - { from: h1, to: \"r1:lo\" }\n"
	  "  - { from: h2, to: 10.0.1.2, proto: tcp, port: 7 }\n"
	  "  - { from: h1, to: 10.0.9.1, expect: unreachable }\n"
	  "  - { from: \"*\", to: \"*\" }\n",
	  "" },

	{ "links to undefined nodes",
	  "name: lab\nnodes: {h1: {}, h2: {}, server: {}}\nlinks:\n"
	  "  - endpoints: [h1:e0, h3:e0]\n"
	  "  - endpoints: [sevrer:e0, zzz:e0]\n",
	  L "4:24: error: unknown node 'h3' (did you mean 'h1'?)\n"
	  L "5:17: error: unknown node 'sevrer' (did you mean 'server'?)\n"
	  L "5:28: error: unknown node 'zzz'" },

	{ "interfaces used twice, lo, br0",
	  "name: lab\nnodes: {a: {}, b: {}, s: {kind: bridge}}\nlinks:\n"
	  "  - endpoints: [a:e0, b:e0]\n"
	  "  - endpoints: [a:e0, b:e1]\n"
	  "  - endpoints: [a:e2, a:e2]\n"
	  "  - endpoints: [a:e3, a:e4]\n"
	  "  - endpoints: [a:lo, s:br0]\n"
	  "  - endpoints: [s:e0, b:br0]\n",
	  L "5:19: error: interface 'a:e0' is already used at line 4\n"
	  L "6:25: error: interface 'a:e2' is already used at line 6\n"
	  L "8:19: error: interface 'lo' cannot be a link endpoint (it is the node's loopback)\n"
	  L "8:25: error: interface 'br0' is reserved for the bridge of node 's'" },

	{ "addresses on interfaces the node lacks",
	  "name: lab\nnodes:\n"
	  "  a: {addresses: {lo: [10.9.0.1/32], e0: [10.0.0.1/24], e9: [10.0.9.1/24], br0: [10.0.8.1/24]}}\n"
	  "  s: {kind: bridge, addresses: {br0: [10.0.0.3/24], p0: [10.0.0.4/24], p1: [10.0.0.5/24]}}\n"
	  "links:\n  - endpoints: [a:e0, s:p0]\n  - endpoints: [a:e1, \"s:p1 10.0.0.6/24\"]\n",
	  L "3:57: error: node 'a' has no interface 'e9' (its interfaces: lo, e0, e1)\n"
	  L "3:76: error: node 'a' has no interface 'br0' (its interfaces: lo, e0, e1)\n"
	  L "4:53: error: bridge node 's' cannot have addresses on its port 'p0' (put them on br0)\n"
	  L "4:72: error: bridge node 's' cannot have addresses on its port 'p1' (put them on br0)\n"
	  L "7:29: error: bridge node 's' cannot have addresses on its port 'p1' (put them on br0)" },

	{ "duplicate addresses",
	  "name: lab\nnodes:\n"
	  "  a: {addresses: {lo: [10.0.0.1/32, \"2001:db8::1/128\"], e0: [10.0.1.1/24]}}\n"
	  "  b: {addresses: {lo: [10.0.0.1/8]}}\n"
	  "links:\n"
	  "  - endpoints: [\"a:e0 10.0.1.1/24 fe80::1/64\", \"b:e0 2001:db8::1/64 fe80::1/64\"]\n"
	  "  - endpoints: [\"a:e1 fe80::1/64\", \"b:e1 fe80::2/64\"]\n"
	  "  - endpoints: [\"a:e2 fe80::5/64 fe80::5/64\", b:e2]\n",
	  L "4:24: error: duplicate address 10.0.0.1 (also on 'a:lo' at line 3)\n"
	  L "6:23: error: duplicate address 10.0.1.1 (also on 'a:e0' at line 3)\n"
	  L "6:54: error: duplicate address 2001:db8::1 (also on 'a:lo' at line 3)\n"
	  L "8:34: error: duplicate address fe80::5 (also on 'a:e2' at line 8)" },

	{ "unusable addresses",
	  "name: lab\nnodes:\n"
	  "  a: {addresses: {lo: [0.0.0.0/8, 224.0.0.1/24, 255.255.255.255/32, \"::/64\", \"ff02::1/64\", 127.0.0.2/8]}}\n",
	  L "3:24: error: address 0.0.0.0/8 is the unspecified address\n"
	  L "3:35: error: address 224.0.0.1/24 is a multicast address\n"
	  L "3:49: error: address 255.255.255.255/32 is the broadcast address\n"
	  L "3:69: error: address ::/64 is the unspecified address\n"
	  L "3:78: error: address ff02::1/64 is a multicast address" },

	{ "route destinations with host bits",
	  "name: lab\nnodes:\n  a:\n    routes:\n"
	  "      - 10.0.9.1/24 dev lo\n"
	  "      - 2001:db8:9::1/64 dev lo\n"
	  "      - 10.0.9.0/23 dev lo\n"
	  "      - 10.0.8.0/23 dev lo\n"
	  "      - 10.0.9.1 dev lo\n",
	  L "5:9: error: route destination 10.0.9.1/24 has host bits set (did you mean 10.0.9.0/24?)\n"
	  L "6:9: error: route destination 2001:db8:9::1/64 has host bits set (did you mean 2001:db8:9::/64?)\n"
	  L "7:9: error: route destination 10.0.9.0/23 has host bits set (did you mean 10.0.8.0/23?)\n"
	  /* the kernel would take the line above as this very route */
	  L "8:9: error: duplicate route to 10.0.8.0/23 on node 'a' (first at line 7)" },

	{ "route dev",
	  "name: lab\nnodes:\n"
	  "  a: {routes: [10.1.0.0/16 dev e9, 10.2.0.0/16 dev lo, 10.3.0.0/16 dev e0]}\n"
	  "  s: {kind: bridge, routes: [10.1.0.0/16 dev p0, 10.2.0.0/16 dev br0]}\n"
	  "links:\n  - endpoints: [a:e0, s:p0]\n",
	  L "3:16: error: node 'a' has no interface 'e9' (its interfaces: lo, e0)\n"
	  L "4:30: error: route '10.1.0.0/16 dev p0' uses 'p0', a port of bridge node 's' (use br0)" },

	{ "duplicate routes",
	  "name: lab\nnodes:\n  a:\n    routes:\n"
	  "      - 10.1.0.0/16 dev lo\n"
	  "      - 10.1.0.0/16 dev lo metric 5\n"
	  "      - {to: 10.1.0.0/16, dev: lo}\n"
	  "      - 2001:db8::/64 dev lo\n"
	  "      - 2001:db8::/64 dev lo metric 1024\n"
	  "      - default dev lo\n"
	  "      - 0.0.0.0/0 dev lo\n",
	  L "7:9: error: duplicate route to 10.1.0.0/16 on node 'a' (first at line 5)\n"
	  L "9:9: error: duplicate route to 2001:db8::/64 on node 'a' (first at line 8)\n"
	  L "11:9: error: duplicate route to default on node 'a' (first at line 10)" },

	{ "defaults: one message per value, or per node where the node matters",
	  "name: lab\ndefaults:\n  routes: [10.0.9.1/24 dev lo, 10.8.0.0/16 via 10.0.0.1]\n"
	  "nodes: {a: {}, b: {}}\n",
	  L "3:12: error: route destination 10.0.9.1/24 has host bits set (did you mean 10.0.9.0/24?)\n"
	  L "3:32: error: gateway 10.0.0.1 is not on any subnet of node 'a' (route '10.8.0.0/16 via 10.0.0.1')\n"
	  L "3:32: error: gateway 10.0.0.1 is not on any subnet of node 'b' (route '10.8.0.0/16 via 10.0.0.1')" },

	{ "sysctl keys",
	  "name: lab\nnodes:\n"
	  "  s: {kind: bridge, sysctl: {net.ipv4.conf.br0.forwarding: 1}}\n"
	  "  a:\n    sysctl:\n"
	  "      kernel.pid_max: 1\n"
	  "      net: 1\n"
	  "      net..x: 1\n"
	  "      net.ipv4.: 1\n"
	  "      net.ipv4.Forward: 1\n"
	  "      net.ipv4.conf.e9.forwarding: 1\n"
	  "      net.ipv6.neigh.e9.retrans_time_ms: 1\n"
	  "      net.ipv4.conf.e0: 1\n"
	  "      net.ipv4.conf.br0.forwarding: 1\n"
	  "      net.ipv4.conf.e0.Bad: 1\n"
	  "      net.ipv4.ip_forward: 1\n"
	  "      net.ipv4.conf.all.forwarding: 1\n"
	  "      net.ipv6.conf.default.forwarding: 1\n"
	  "      net.ipv4.neigh.lo.gc_stale_time: 1\n"
	  "      net.ipv6.conf.e0.accept_ra: 0\n"
	  "      net.ipv4.conf.e0.100.rp_filter: 0\n"
	  "      net.core.somaxconn: 1\n"
	  "      net.ipv4x_re: 1\n"
	  "links:\n  - endpoints: [a:e0, s:p0]\n  - endpoints: [a:e0.100, s:p1]\n",
	  L "6:7: error: invalid sysctl key 'kernel.pid_max' (only net.* keys can be set inside a node)\n"
	  L "7:7: error: invalid sysctl key 'net' (only net.* keys can be set inside a node)\n"
	  L "8:7: error: invalid sysctl key 'net..x' (empty component)\n"
	  L "9:7: error: invalid sysctl key 'net.ipv4.' (empty component)\n"
	  L "10:7: error: invalid sysctl key 'net.ipv4.Forward' (component 'Forward' is not [a-z0-9_-])\n"
	  L "11:7: error: sysctl key 'net.ipv4.conf.e9.forwarding' names interface 'e9', which node 'a' does not have (its interfaces: all, default, lo, e0, e0.100)\n"
	  L "12:7: error: sysctl key 'net.ipv6.neigh.e9.retrans_time_ms' names interface 'e9', which node 'a' does not have (its interfaces: all, default, lo, e0, e0.100)\n"
	  L "13:7: error: invalid sysctl key 'net.ipv4.conf.e0' (expected net.ipv4.conf.<interface>.<setting>)\n"
	  L "14:7: error: sysctl key 'net.ipv4.conf.br0.forwarding' names interface 'br0', which node 'a' does not have (its interfaces: all, default, lo, e0, e0.100)\n"
	  L "15:7: error: invalid sysctl key 'net.ipv4.conf.e0.Bad' (component 'Bad' is not [a-z0-9_-])\n"
	  L "21:7: error: sysctl key 'net.ipv4.conf.e0.100.rp_filter' names interface 'e0.100', whose '.' a sysctl key cannot carry\n"
	  L "23:7: error: invalid sysctl key 'net.ipv4x_re' (expected net.<subsystem>.<setting>)" },

	{ "probes",
	  "name: lab\nnodes: {a: {}, s: {kind: bridge}}\nlinks: [{endpoints: [a:e0, s:p0]}]\nprobes:\n"
	  "  - {from: b, to: a}\n"
	  "  - {from: a, to: c}\n"
	  "  - {from: a, to: \"a:e9\"}\n"
	  "  - {from: a, to: \"x:e0\"}\n"
	  "  - {from: a, to: \"Bad target\"}\n"
	  "  - {from: a, to: \"a:\"}\n"
	  "  - {from: \"*\", to: \"*\"}\n"
	  "  - {from: a, to: \"a:lo\"}\n"
	  "  - {from: a, to: \"a:e0\"}\n"
	  "  - {from: a, to: \"s:br0\"}\n"
	  "  - {from: a, to: 10.0.0.1}\n"
	  "  - {from: a, to: \"2001:db8::1\"}\n"
	  "  - {from: a, to: s}\n",
	  L "5:12: error: unknown node 'b'\n"
	  L "6:19: error: unknown node 'c'\n"
	  L "7:19: error: node 'a' has no interface 'e9' (its interfaces: lo, e0)\n"
	  L "8:19: error: unknown node 'x'\n"
	  L "9:19: error: invalid probe target 'Bad target' (expected a node, node:iface, an IP address or '*')\n"
	  L "10:19: error: invalid probe target 'a:' (expected a node, node:iface, an IP address or '*')" },

	{ "probe size within what the family carries",
	  "name: lab\nnodes: {a: {}}\nprobes:\n"
	  "  - {from: a, to: 10.0.0.1, size: 65507}\n"
	  "  - {from: a, to: 10.0.0.1, size: 65508}\n"
	  "  - {from: a, to: \"2001:db8::1\", size: 65527}\n",
	  L "5:5: error: size 65508 is more than an IPv4 packet carries to 10.0.0.1 (at most 65507)" },

	{ "MAC addresses",
	  "name: lab\nnodes: {a: {}, b: {}}\nlinks:\n"
	  "  - endpoints: [{node: a, iface: e0, mac: \"01:00:5e:00:00:01\"}, {node: b, iface: e0, mac: \"00:00:00:00:00:00\"}]\n"
	  "  - endpoints: [{node: a, iface: e1, mac: \"02:00:00:00:00:01\"}, {node: b, iface: e1, mac: \"02:00:00:00:00:01\"}]\n",
	  L "4:43: error: MAC address 01:00:5e:00:00:01 is a multicast address (the first byte must be even, e.g. 02)\n"
	  L "4:91: error: MAC address 00:00:00:00:00:00 is not a valid interface address\n"
	  L "5:91: warning: MAC address 02:00:00:00:00:01 is also used by 'a:e1' at line 5" },

	{ "mtu below IPv6's minimum",
	  "name: lab\nnodes: {a: {addresses: {e2: [\"2001:db8:2::1/64\"]}}, b: {}}\nlinks:\n"
	  "  - {endpoints: [\"a:e0 10.0.0.1/24\", \"b:e0 10.0.0.2/24\"], mtu: 576}\n"
	  "  - {endpoints: [\"a:e1\", \"b:e1 2001:db8::2/64\"], mtu: 1279}\n"
	  "  - {endpoints: [\"a:e2\", \"b:e2\"], mtu: 1000}\n"
	  "  - {endpoints: [\"a:e3 2001:db8:3::1/64\", \"b:e3\"], mtu: 1280}\n",
	  L "5:55: error: mtu 1279 is below 1280, the minimum for IPv6, but 'b:e1' has IPv6 addresses\n"
	  L "6:40: error: mtu 1000 is below 1280, the minimum for IPv6, but 'a:e2' has IPv6 addresses" },

	{ "an endpoint's mtu below IPv6's minimum, over its link's",
	  "name: lab\nnodes: {a: {}, b: {}}\nlinks:\n"
	  "  - {endpoints: [{node: a, iface: e0, addresses: [\"2001:db8::1/64\"], mtu: 1279}, \"b:e0 2001:db8::2/64\"]}\n"
	  "  - {endpoints: [{node: a, iface: e1, addresses: [\"2001:db8:1::1/64\"], mtu: 1280}, \"b:e1 2001:db8:1::2/64\"], mtu: 1000}\n",
	  L "4:75: error: mtu 1279 is below 1280, the minimum for IPv6, but 'a:e0' has IPv6 addresses\n"
	  L "5:115: error: mtu 1000 is below 1280, the minimum for IPv6, but 'b:e1' has IPv6 addresses" },

	{ "loopback addresses belong on lo",
	  "name: lab\nnodes:\n"
	  "  a: {addresses: {lo: [127.0.0.2/8]}}\n"
	  "  b: {sysctl: {net.ipv4.conf.e0.route_localnet: 1}}\n"
	  "  c: {addresses: {lo: [\"::1/128\", 127.0.0.2/8, 127.0.0.1/8]}, sysctl: {net.ipv4.conf.all.route_localnet: 1}}\n"
	  "links:\n"
	  "  - endpoints: [\"a:e0 127.0.0.3/8 ::1/64\", \"b:e0 127.1.0.1/16\"]\n"
	  "  - endpoints: [\"b:e1 127.1.0.2/16\", \"c:e1 127.1.0.3/16\"]\n",
	  L "5:24: error: address ::1/128 is one the kernel gives lo in every node already: leave it out\n"
	  L "5:48: error: address 127.0.0.1/8 is one the kernel gives lo in every node already: leave it out\n"
	  L "7:23: warning: address 127.0.0.3/8 on 'a:e0' is a loopback address: other nodes cannot reach it unless net.ipv4.conf.e0.route_localnet is 1\n"
	  L "7:35: error: address ::1/64 is the IPv6 loopback address: only 'lo' can carry it, not 'e0'\n"
	  L "8:23: warning: address 127.1.0.2/16 on 'b:e1' is a loopback address: other nodes cannot reach it unless net.ipv4.conf.e1.route_localnet is 1" },

	{ "LAN members: nodes, interfaces across links and LANs, subnets",
	  "name: lab\nnodes: {h1: {}, h2: {}, h3: {}, h4: {addresses: {eth0: [10.9.0.4/24]}}}\n"
	  "links:\n  - endpoints: [h1:eth1, h2:eth1]\n"
	  "lans:\n"
	  "  a: { members: [\"h1:eth0 10.9.0.1/24\", \"h2:eth0 10.9.0.2/24\", \"h3:eth0 10.8.0.3/24\", h1:eth1, h4:eth0] }\n"
	  "  b: { members: [hx:eth0, h1:lo, \"h2:eth0\"] }\n"
	  "  c: { members: [h3:e5, \"h4:e5 2001:db8::4/64\"], mtu: 1000 }\n",
	  L "6:73: warning: address 10.8.0.3/24 of 'h3:eth0' is in no other member's subnet on LAN 'a'\n"
	  L "6:90: error: interface 'h1:eth1' is already used at line 4\n"
	  L "7:18: error: unknown node 'hx' (did you mean 'h1'?)\n"
	  L "7:30: error: interface 'lo' cannot be a link endpoint (it is the node's loopback)\n"
	  L "7:38: error: interface 'h2:eth0' is already used at line 6\n"
	  L "8:55: error: mtu 1000 is below 1280, the minimum for IPv6, but 'h4:e5' has IPv6 addresses" },

	{ "a LAN's bridge is no probe end",
	  "name: lab\nnodes: {a: {}, b: {}}\nlans:\n  s: {members: [\"a:e0 10.0.0.1/24\", \"b:e0 10.0.0.2/24\"]}\n"
	  "probes:\n  - {from: a, to: s.lan}\n  - {from: s.lan, to: a}\n  - {from: a, to: \"s.lan:br0\"}\n"
	  "  - {from: \"*\", to: \"b:e0\"}\n",
	  L "6:19: error: 's.lan' is a LAN's bridge, not a node: probe its members\n"
	  L "7:12: error: 's.lan' is a LAN's bridge, not a node: probe from its members\n"
	  L "8:19: error: 's.lan' is a LAN's bridge, not a node: probe its members" },

	{ "routes equal to the kernel's connected routes",
	  "name: lab\nnodes:\n"
	  "  a:\n"
	  "    addresses: {lo: [\"2001:db8:9::1/64\", 10.9.0.1/24]}\n"
	  "    routes:\n"
	  "      - 10.1.0.0/24 dev e0\n"
	  "      - 10.1.0.0/24 via 10.1.0.2 metric 5\n"
	  "      - 10.2.0.0/24 dev e1\n"
	  "      - 10.3.0.1/32 dev e0\n"
	  "      - 10.9.0.0/24 dev e0\n"
	  "      - 2001:db8:1::/64 dev e0\n"
	  "      - 2001:db8:1::/64 via 2001:db8:1::2 metric 256\n"
	  "      - 2001:db8:9::/64 dev e0 metric 256\n"
	  "      - 2001:db8:3::1/128 dev e0 metric 256\n"
	  "      - {to: 10.4.0.0/16, dev: e0}\n"
	  "  b: {kind: bridge, addresses: {br0: [10.5.0.1/24]}, routes: [10.5.0.0/24 dev br0]}\n"
	  "links:\n"
	  "  - endpoints: [\"a:e0 10.1.0.1/24 2001:db8:1::1/64 10.3.0.1/32 2001:db8:3::1/128 10.4.7.7/16\", b:p0]\n"
	  "  - {endpoints: [\"a:e1 10.2.0.1/24\", b:p1], state: down}\n",
	  L "6:9: error: route '10.1.0.0/24 dev e0' is the one the kernel makes for address 10.1.0.1/24 on 'a:e0' (line 18): give it a metric other than 0, or leave it out\n"
	  L "12:9: error: route '2001:db8:1::/64 via 2001:db8:1::2 metric 256' is the one the kernel makes for address 2001:db8:1::1/64 on 'a:e0' (line 18): give it a metric other than 256, or leave it out\n"
	  L "13:9: error: route '2001:db8:9::/64 dev e0 metric 256' is the one the kernel makes for address 2001:db8:9::1/64 on 'a:lo' (line 4): give it a metric other than 256, or leave it out\n"
	  L "14:9: error: route '2001:db8:3::1/128 dev e0 metric 256' is the one the kernel makes for address 2001:db8:3::1/128 on 'a:e0' (line 18): give it a metric other than 256, or leave it out\n"
	  L "15:9: error: route '10.4.0.0/16 dev e0' is the one the kernel makes for address 10.4.7.7/16 on 'a:e0' (line 18): give it a metric other than 0, or leave it out\n"
	  L "16:63: error: route '10.5.0.0/24 dev br0' is the one the kernel makes for address 10.5.0.1/24 on 'b:br0' (line 16): give it a metric other than 0, or leave it out" },
};

static void run_case(void **state)
{
	const struct check_case *c = *state;

	check_yaml(c->yaml, c->expected);
}

/* The gateway rules, one route at a time, against the same interfaces. */
static void test_gateways(void **state)
{
	static const char head[] =
		"name: lab\nnodes:\n"
		"  a:\n    addresses: {lo: [10.9.9.9/32]}\n    routes:\n      - %s\n"
		"  b: {}\n"
		"links:\n"
		"  - endpoints: [\"a:e0 10.0.1.1/24 2001:db8::1/64\", b:e0]\n"
		"  - endpoints: [\"a:e1 10.0.2.1/24\", b:e1]\n";
	static const struct {
		const char *route, *expected;
	} t[] = {
		{ "10.1.0.0/16 via 10.0.1.254", "" },
		{ "10.1.0.0/16 via 10.0.2.254", "" },
		{ "10.1.0.0/16 via 10.0.2.254 dev e1", "" },
		{ "default via 2001:db8::2", "" },
		{ "2001:db8:7::/64 via fe80::1 dev e0", "" },
		{ "default via fe80::1 dev e0", "" },
		{ "{to: default, via: \"fe80::1\", dev: e1}", "" },
		{ "{to: default, via: \"fe80::1\"}",
		  L "6:9: error: link-local gateway fe80::1 needs 'dev', the interface to reach it on: every interface has its own fe80::/64 (route 'default via fe80::1')" },
		{ "10.1.0.0/16 via 10.0.3.254",
		  L "6:9: error: gateway 10.0.3.254 is not on any subnet of node 'a' (route '10.1.0.0/16 via 10.0.3.254')" },
		{ "10.1.0.0/16 via 10.0.1.254 dev e1",
		  L "6:9: error: gateway 10.0.1.254 is not on any subnet of 'a:e1' (route '10.1.0.0/16 via 10.0.1.254 dev e1')" },
		/* a /32 on lo is no subnet to reach a neighbour through */
		{ "10.1.0.0/16 via 10.9.9.10",
		  L "6:9: error: gateway 10.9.9.10 is not on any subnet of node 'a' (route '10.1.0.0/16 via 10.9.9.10')" },
		{ "10.1.0.0/16 via 10.0.1.1",
		  L "6:9: error: gateway 10.0.1.1 is an address of node 'a' itself (route '10.1.0.0/16 via 10.0.1.1')" },
		{ "2001:db8:6::/64 via fe80::1",
		  L "6:9: error: link-local gateway fe80::1 needs 'dev', the interface to reach it on: every interface has its own fe80::/64 (route '2001:db8:6::/64 via fe80::1')" },
		/* e1 has no IPv6 address */
		{ "2001:db8:6::/64 via 2001:db8::2 dev e1",
		  L "6:9: error: gateway 2001:db8::2 is not on any subnet of 'a:e1' (route '2001:db8:6::/64 via 2001:db8::2 dev e1')" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		char *yaml = xasprintf(head, t[i].route);

		print_message("route: %s\n", t[i].route);
		check_yaml(yaml, t[i].expected);
		free(yaml);
	}
}

/* Models made by code, not by the loader: the checker still refuses bad names. */
static void test_hand_built(void **state)
{
	struct topology *t = load("name: lab\nprefix: p\nnodes: {a: {routes: [10.0.0.0/8 dev lo]}, b: {addresses: {lo: []}}}\n"
				  "links: [{endpoints: [a:e0, b:e0]}]\n");

	free(t->name);
	t->name = xstrdup("Bad");
	free(t->prefix);
	t->prefix = xstrdup("pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp");	/* 64 */
	free(t->nodes[0].routes[0].dev);
	t->nodes[0].routes[0].dev = xstrdup("a/b");
	free(t->nodes[1].addrs[0].iface);
	t->nodes[1].addrs[0].iface = xstrdup("x:y");
	free(t->links[0].ep[0].iface);
	t->links[0].ep[0].iface = xstrdup("");
	check_topo(t,
		   L "1:7: error: invalid lab name 'Bad' ([a-z0-9][a-z0-9_-]*, at most 32 characters)\n"
		   L "2:9: error: invalid prefix 'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp' ([a-z0-9][a-z0-9_-]*, at most 32 characters)\n"
		   L "3:9: error: namespace name 'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp-a' is longer than 65 characters\n"
		   L "3:22: error: invalid interface name 'a/b' (1-15 bytes, no '/', ':', '%' or spaces)\n"
		   L "3:43: error: namespace name 'pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp-b' is longer than 65 characters\n"
		   L "3:59: error: invalid interface name 'x:y' (1-15 bytes, no '/', ':', '%' or spaces)\n"
		   L "4:24: error: invalid interface name '' (1-15 bytes, no '/', ':', '%' or spaces)");

	free(t->nodes[1].name);
	t->nodes[1].name = xstrdup("a");
	free(t->nodes[0].name);
	t->nodes[0].name = xstrdup("A");
	free(t->name);
	t->name = xstrdup("lab");
	free(t->prefix);
	t->prefix = xstrdup("lab");
	t->nodes[0].routes[0].dev[1] = '0';
	t->nodes[1].addrs[0].iface[1] = '0';
	free(t->links[0].ep[0].iface);
	t->links[0].ep[0].iface = xstrdup("e0");
	check_topo(t, L "3:9: error: invalid node name 'A' ([a-z0-9][a-z0-9_-]*, at most 32 characters)\n"
		      L "3:22: error: node 'A' has no interface 'a0b' (its interfaces: lo)\n"
		      /* a:e0 now belongs to the second node, renamed 'a' */
		      L "3:59: error: node 'a' has no interface 'x0y' (its interfaces: lo, e0)\n"
		      L "4:28: error: unknown node 'b'");
	topo_free(t);
}

/* "44,700 targets" -> 44700 */
static size_t count_text(const char *s)
{
	size_t v = 0;

	for (; (*s >= '0' && *s <= '9') || *s == ','; s++)
		if (*s != ',')
			v = v * 10 + (size_t)(*s - '0');
	return v;
}

/*
 * The probe volume: counted as probe_expand() expands, without expanding.
 * A lab of 150 nodes of every kind (IPv4 only, IPv6 only, both, none, a
 * bridge; addresses that are never probed) and one probe of each form with
 * count 10000: the number of targets in the message is probe_expand()'s.
 */
static void test_probe_volume(void **state)
{
	static const char *const probes[] = {
		"{from: \"*\", to: \"*\"", "{from: \"*\", to: n4", "{from: \"*\", to: n9",
		"{from: \"*\", to: \"n5:lo\"", "{from: \"*\", to: \"n5:e0\"",
		"{from: \"*\", to: 10.9.9.9", "{from: n5, to: \"*\"", "{from: n9, to: \"*\"",
		"{from: n5, to: n6", "{from: n5, to: n5", "{from: n9, to: n5", "{from: n7, to: n8",
		"{from: n5, to: \"n6:e0\"", "{from: \"*\", to: \"n7:e1\"", "{from: n5, to: n9",
		/* link-local: over the n5-n6 veth, and through the bridges n19 and n29 */
		"{from: n6, to: n5", "{from: n5, to: n6", "{from: n7, to: n5", "{from: \"*\", to: n5",
		"{from: n6, to: \"*\"", "{from: n7, to: \"n5:e0\"", "{from: \"*\", to: \"n5:e0\"",
		"{from: n20, to: n21", "{from: n21, to: n20", "{from: n19, to: n21",
		"{from: n20, to: n22", "{from: n23, to: n22", "{from: n21, to: n22",
		"{from: n22, to: n22", "{from: n21, to: n21", "{from: n20, to: \"n22:e1\"",
		"{from: \"*\", to: n22", "{from: \"*\", to: n21", "{from: n20, to: \"*\"",
		"{from: n22, to: \"*\"", "{from: n19, to: \"*\"", "{from: \"*\", to: \"n22:e0\"",
		"{from: \"*\", to: n19", "{from: n24, to: n22", "{from: n24, to: \"*\"",
	};
	size_t i, p, len, cap = 1 << 16;
	char *buf = xmalloc(cap), *msg, *at;

	for (p = 0; p < ARRAY_SIZE(probes); p++) {
		struct probe_target *tg = NULL;
		struct probe_volume v;
		struct diag d = { .file = "lab.yaml" };
		struct topology *t;
		size_t n = 0, want = 0;
		char err[200];

		len = (size_t)snprintf(buf, cap, "name: lab\nnodes:\n");
		for (i = 0; i < 150; i++) {
			char v4[40] = "", v6[40] = "";

			if (i % 3 != 1 && i % 10 != 9)
				snprintf(v4, sizeof(v4), "10.1.%zu.%zu/32, ", i / 100, i % 100 + 1);
			if (i % 3 != 0 && i % 10 != 9 && i != 7)
				snprintf(v6, sizeof(v6), "\"2001:db8::%zx/128\", ", i + 1);
			len += (size_t)snprintf(buf + len, cap - len,
						"  n%zu: {kind: %s, addresses: {lo: [%s%s127.0.0.2/8]}}\n",
						i, i % 10 == 9 ? "bridge" : "host", v4, v6);
		}
		len += (size_t)snprintf(buf + len, cap - len,
					"links:\n  - endpoints: [\"n5:e0 10.2.0.1/24 2001:db8:2::1/64 fe80::1/64\", \"n6:e0 10.2.0.2/24\"]\n"
					"  - endpoints: [\"n9:p0\", \"n7:e1 169.254.0.1/16\"]\n"
					/* n22 has fe80::1 on two bridges: one target from n20, on both */
					"  - endpoints: [n19:p0, \"n20:e0 fe80::20/64\"]\n"
					"  - endpoints: [n19:p1, \"n21:e0 fe80::21/64 2001:db8:21::1/64\"]\n"
					"  - endpoints: [n19:p2, \"n22:e0 fe80::1/64 fe80::22/64\"]\n"
					"  - endpoints: [n29:p0, \"n22:e1 fe80::1/64\"]\n"
					"  - endpoints: [n29:p1, n20:e1]\n"
					"  - endpoints: [n29:p2, \"n23:e0 fe80::23/64\"]\n"
					"  - endpoints: [\"n24:e0 fe80::1/64\", \"n22:e2 fe80::1/64\"]\n"
					"probes:\n  - %s, count: 10000}\n", probes[p]);
		assert_true(len < cap);
		t = load(buf);
		assert_int_equal(probe_expand(t, &tg, &n, err, sizeof(err)), 0);
		for (i = 0; i < n; i++)
			want += tg[i].family != AF_UNSPEC;
		free(tg);
		probe_volume_count(t, &v);
		assert_true(v.worst_targets == want);
		assert_true(v.packets == want * 10000);
		topo_check(t, &d);
		msg = d.n_msgs ? d.msgs[0].text : "";
		print_message("probe %s: %zu targets: %s\n", probes[p], want, msg);
		if (want * 10000 > 1000000) {
			assert_int_equal(d.n_msgs, 1);
			at = strstr(msg, "(this probe: ");
			assert_non_null(at);
			assert_int_equal(count_text(at + strlen("(this probe: ")), want);
		} else {
			assert_int_equal(d.n_msgs, 0);
		}
		diag_free(&d);
		topo_free(t);
	}
	free(buf);
}

static void test_error_cap(void **state)
{
	size_t n = 600, i, len;
	char *buf = xmalloc(n * 40 + 64);
	struct topology *t;
	struct diag d = { 0 };

	len = (size_t)sprintf(buf, "name: lab\nnodes: {a: {}}\nprobes:\n");
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(buf + len, "  - {from: a, to: n%zu}\n", i);
	t = load(buf);
	assert_int_equal(topo_check(t, &d), -EINVAL);
	assert_int_equal(d.n_msgs, 500);
	assert_string_equal(d.msgs[0].text, "unknown node 'n0'");
	assert_string_equal(d.msgs[499].text, "unknown node 'n499' (too many errors, stopping here)");
	diag_free(&d);
	topo_free(t);
	free(buf);
}

/* What struct st_sysctl holds: 127 characters of key and 63 of value pass, one more does not. */
static void test_sysctl_lengths(void **state)
{
	static const struct {
		size_t key, value;
		const char *said;
	} lens[] = {
		{ 127, 63, NULL },
		{ 128, 63, "is too long (128 characters, at most 127)" },
		{ 127, 64, "is too long (64 characters, at most 63)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		/* "net.ipv4." and then a setting long enough for the length wanted */
		char *yaml = xasprintf("name: lab\nnodes:\n  a:\n    sysctl: { net.ipv4.%0*d: \"%0*d\" }\n",
				       (int)lens[i].key - 9, 0, (int)lens[i].value, 0);
		struct topology *t = load(yaml);
		struct diag d = { .file = "lab.yaml" };
		int r = topo_check(t, &d);
		char *m = messages(&d);

		if (lens[i].said) {
			assert_int_equal(r, -EINVAL);
			assert_non_null(strstr(m, lens[i].said));
		} else {
			assert_string_equal(m, "");
		}
		free(m);
		free(yaml);
		diag_free(&d);
		topo_free(t);
	}
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_gateways),
		cmocka_unit_test(test_hand_built),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test(test_probe_volume),
		cmocka_unit_test(test_sysctl_lengths),
	};
	struct CMUnitTest tests[ARRAY_SIZE(fixed) + ARRAY_SIZE(cases)];
	size_t i, n = ARRAY_SIZE(fixed);

	memcpy(tests, fixed, sizeof(fixed));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		tests[n++] = (struct CMUnitTest){
			.name = cases[i].name,
			.test_func = run_case,
			.initial_state = (void *)&cases[i],
		};
	}
	return _cmocka_run_group_tests("check", tests, n, NULL, NULL);
}
