// SPDX-License-Identifier: MIT
/*
 * One host's part of a lab as states: which nodes and links a host gets
 * (the want filter), its cross-host links as VXLAN devices and their MTU,
 * a vxlan link message read back, and the plan that makes, remakes and
 * deletes them.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
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
#include "observe_parse.h"
#include "plan.h"
#include "state.h"
#include "topology.h"
#include "util.h"
#include "want.h"
#include "unit.h"

static const char lab_yaml[] =
	"name: mh\n"
	"hosts:\n  a: { address: 192.0.2.10 }\n  b: { address: 192.0.2.11, vxlan_port: 4789 }\n"
	"  c: { address: 192.0.2.12 }\n"
	"nodes:\n  h1: {}\n  r1: { kind: router }\n  r2: { host: b }\n  r3: { host: c }\n"
	"  s1: { kind: bridge, host: b }\n"
	"links:\n"
	"  - endpoints: [\"h1:eth0 10.0.1.2/24\", \"r1:eth0 10.0.1.1/24\"]\n"
	"  - endpoints: [\"r1:eth1 10.0.12.1/24\", \"r2:eth1 10.0.12.2/24\"]\n"
	"    impair: { rate: 10mbit }\n"
	"  - endpoints: [\"r2:eth2\", \"r3:eth2\"]\n"
	"    mtu: 1400\n"
	"  - endpoints: [\"r2:eth3\", \"s1:p1\"]\n"
	"  - endpoints: [\"s1:p2\", \"r1:eth2\"]\n"
	"    state: down\n";

static struct topology *load(const char *yaml)
{
	struct diag d = { .file = "lab.yaml" };
	struct topology *t = NULL;

	if (topo_load_buf("lab.yaml", yaml, strlen(yaml), &t, &d) || topo_check(t, &d))
		fail_msg("lab does not load:\n%s", messages(&d));
	diag_free(&d);
	return t;
}

/* The desired state of T's host NAME (NULL: the whole lab), with UNDERLAY as every MTU towards the others. */
static void want_host(struct topology *t, const char *name, uint32_t underlay, struct state *s)
{
	size_t i;

	t->self = name ? &t->hosts[host_find(t, name)] : NULL;
	free(t->underlay_mtu);
	t->underlay_mtu = xcalloc(t->n_hosts, sizeof(*t->underlay_mtu));
	for (i = 0; i < t->n_hosts; i++)
		t->underlay_mtu[i] = underlay;
	assert_int_equal(want_build(t, s), 0);
}

static struct st_iface *iface(const struct state *s, const char *ns, const char *name)
{
	struct st_ns *n = state_ns_find(s, ns);
	struct st_iface *ifc = n ? st_ns_iface_find(n, name) : NULL;

	if (!ifc)
		fail_msg("no interface %s in %s", name, ns);
	return ifc;
}

static void test_want_host_a(void **state)
{
	struct topology *t = load(lab_yaml);
	struct state s;
	struct st_iface *ifc;
	uint32_t vnis[5];

	(void)state;
	host_vnis(t, vnis);
	want_host(t, "a", 9000, &s);
	/* a: h1 and r1 (the first host's, no host: given), no one else */
	assert_int_equal(s.n_ns, 2);
	assert_non_null(state_ns_find(&s, "mh-h1"));
	assert_non_null(state_ns_find(&s, "mh-r1"));
	/* a link between two of its nodes stays a veth pair */
	ifc = iface(&s, "mh-r1", "eth0");
	assert_int_equal(ifc->kind, ST_VETH);
	assert_string_equal(ifc->peer_ns, "mh-h1");
	/* a link to b: a tunnel with the link's VNI, from a to b, the underlay's MTU less 50 */
	ifc = iface(&s, "mh-r1", "eth1");
	assert_int_equal(ifc->kind, ST_VXLAN);
	assert_string_equal(ifc->peer_ns, "");
	assert_int_equal(ifc->vxlan.vni, vnis[1]);
	assert_int_equal(ifc->vxlan.family, AF_INET);
	assert_memory_equal(ifc->vxlan.remote, "\xc0\x00\x02\x0b", 4);
	assert_memory_equal(ifc->vxlan.local, "\xc0\x00\x02\x0a", 4);
	assert_int_equal(ifc->vxlan.port, 4789);
	assert_int_equal(ifc->mtu, 8950);
	assert_string_equal(ifc->alias, "topo:mh");
	assert_int_equal(ifc->n_addrs, 1);
	/* the rate's bucket is sized for the tunnel's MTU */
	assert_int_equal(ifc->qdisc.kind, QD_TBF);
	/* a down link to a bridge on b: a down tunnel; its note is a's */
	ifc = iface(&s, "mh-r1", "eth2");
	assert_int_equal(ifc->kind, ST_VXLAN);
	assert_false(ifc->up);
	assert_int_equal(ifc->vxlan.vni, vnis[4]);
	state_free(&s);
	topo_free(t);
}

static void test_want_host_b(void **state)
{
	struct topology *t = load(lab_yaml);
	struct state s;
	struct st_iface *ifc;
	uint32_t vnis[5];

	(void)state;
	host_vnis(t, vnis);
	want_host(t, "b", 1500, &s);
	assert_int_equal(s.n_ns, 2);
	ifc = iface(&s, "mh-r2", "eth1");
	assert_int_equal(ifc->kind, ST_VXLAN);
	/* the same VNI on both hosts, the addresses the other way round */
	assert_int_equal(ifc->vxlan.vni, vnis[1]);
	assert_memory_equal(ifc->vxlan.remote, "\xc0\x00\x02\x0a", 4);
	assert_memory_equal(ifc->vxlan.local, "\xc0\x00\x02\x0b", 4);
	assert_int_equal(ifc->mtu, 1450);
	/* the file's mtu is kept */
	ifc = iface(&s, "mh-r2", "eth2");
	assert_int_equal(ifc->mtu, 1400);
	/* a bridge's port on another host: a tunnel enslaved to br0 */
	ifc = iface(&s, "mh-s1", "p2");
	assert_int_equal(ifc->kind, ST_VXLAN);
	assert_string_equal(ifc->master, "br0");
	assert_int_equal(iface(&s, "mh-s1", "p1")->kind, ST_VETH);
	state_free(&s);
	topo_free(t);
}

static void test_want_whole_lab(void **state)
{
	struct topology *t = load(lab_yaml);
	struct state s;
	size_t i, j;

	(void)state;
	want_host(t, NULL, 1500, &s);
	assert_int_equal(s.n_ns, 5);
	for (i = 0; i < s.n_ns; i++)
		for (j = 0; j < s.ns[i].n_ifaces; j++)
			assert_int_not_equal(s.ns[i].ifaces[j].kind, ST_VXLAN);
	state_free(&s);
	topo_free(t);
}

/* An IPv6 underlay costs 70; an unknown underlay counts as 1500. */
static void test_want_ipv6(void **state)
{
	struct topology *t = load("name: v6\nhosts:\n  a: { address: \"2001:db8::a\" }\n"
				  "  b: { address: \"2001:db8::b\" }\n"
				  "nodes: { x: {}, y: { host: b } }\n"
				  "links:\n  - endpoints: [x:e0, y:e0]\n");
	struct state s;
	struct st_iface *ifc;

	(void)state;
	want_host(t, "a", 0, &s);
	ifc = iface(&s, "v6-x", "e0");
	assert_int_equal(ifc->vxlan.family, AF_INET6);
	assert_int_equal(ifc->vxlan.remote[15], 0xb);
	assert_int_equal(ifc->mtu, 1430);
	state_free(&s);
	topo_free(t);
}

static struct nlmsghdr *vxlan_msg(char *buf, uint32_t vni, uint16_t port)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct nlattr *li, *data;
	uint32_t a;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 7;
	ifi->ifi_type = 1;	/* ARPHRD_ETHER */
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth1");
	mnl_attr_put_u32(nlh, IFLA_MTU, 1450);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vxlan");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_VXLAN_ID, vni);
	a = htonl(0xc000020b);
	mnl_attr_put(nlh, IFLA_VXLAN_GROUP, 4, &a);
	a = htonl(0xc000020a);
	mnl_attr_put(nlh, IFLA_VXLAN_LOCAL, 4, &a);
	mnl_attr_put_u16(nlh, IFLA_VXLAN_PORT, htons(port));
	mnl_attr_put_u8(nlh, IFLA_VXLAN_LEARNING, 0);
	mnl_attr_put(nlh, IFLA_VXLAN_GROUP6, 3, "bad");	/* a short one: skipped */
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	return nlh;
}

static void test_observe_vxlan(void **state)
{
	char buf[1024];
	struct st_ns ns = { 0 };
	struct obs_ns o = { .ns = &ns };

	(void)state;
	assert_int_equal(obs_link_cb(vxlan_msg(buf, 4242, 14789), &o), MNL_CB_OK);
	assert_int_equal(ns.n_ifaces, 1);
	assert_int_equal(ns.ifaces[0].kind, ST_VXLAN);
	assert_string_equal(ns.ifaces[0].kind_name, "vxlan");
	assert_int_equal(ns.ifaces[0].vxlan.vni, 4242);
	assert_int_equal(ns.ifaces[0].vxlan.port, 14789);
	assert_int_equal(ns.ifaces[0].vxlan.family, AF_INET);
	assert_memory_equal(ns.ifaces[0].vxlan.remote, "\xc0\x00\x02\x0b", 4);
	assert_memory_equal(ns.ifaces[0].vxlan.local, "\xc0\x00\x02\x0a", 4);
	obs_links_reset(&o);
}

/* HAVE: a copy of WANT as the kernel would report it (owned, ifindexes). */
static void as_actual(const struct state *want, struct state *have)
{
	size_t i, j;

	memset(have, 0, sizeof(*have));
	memcpy(have->lab, want->lab, sizeof(have->lab));
	have->ns = xcalloc(want->n_ns, sizeof(*have->ns));
	have->n_ns = want->n_ns;
	for (i = 0; i < want->n_ns; i++) {
		struct st_ns *h = &have->ns[i];

		memcpy(h->name, want->ns[i].name, sizeof(h->name));
		memcpy(h->node, want->ns[i].node, sizeof(h->node));
		h->owned = true;
		h->ifaces = xcalloc(want->ns[i].n_ifaces, sizeof(*h->ifaces));
		h->n_ifaces = want->ns[i].n_ifaces;
		for (j = 0; j < h->n_ifaces; j++) {
			h->ifaces[j] = want->ns[i].ifaces[j];
			h->ifaces[j].addrs = NULL;
			h->ifaces[j].n_addrs = 0;
			h->ifaces[j].ifindex = (int)j + 1;
			h->ifaces[j].has_mac = true;
		}
	}
}

static size_t count(const struct plan *p, enum act_type type, const char *iface)
{
	size_t i, n = 0;

	for (i = 0; i < p->n_acts; i++)
		n += p->acts[i].type == type && (!iface || !strcmp(p->acts[i].iface.name, iface));
	return n;
}

static void test_plan_vxlan(void **state)
{
	struct topology *t = load(lab_yaml);
	struct state want, have, none = { 0 };
	struct plan p;
	struct act_text tx;
	size_t i;

	(void)state;
	want_host(t, "a", 1500, &want);
	/* from nothing: each tunnel is one link+, enslaved to nothing (r1 is no bridge) */
	assert_int_equal(plan_diff(&want, &none, false, &p), 0);
	assert_int_equal(count(&p, ACT_VETH_ADD, NULL), 3);
	for (i = 0; i < p.n_acts; i++) {
		if (p.acts[i].type != ACT_VETH_ADD || strcmp(p.acts[i].iface.name, "eth1"))
			continue;
		action_text(&p.acts[i], &tx);
		assert_string_equal(tx.subject, "mh-r1:eth1");
		assert_true(!strncmp(tx.detail, "vxlan ", 6));
		assert_non_null(strstr(tx.detail, " to 192.0.2.11:4789"));
		assert_true(p.acts[i].ifindex >= 2);
	}
	plan_free(&p);

	/* in sync: nothing; another VNI: one deletion and one creation of that device */
	as_actual(&want, &have);
	assert_int_equal(plan_diff(&want, &have, false, &p), 0);
	assert_int_equal(p.n_acts, count(&p, ACT_ADDR_ADD, NULL) + count(&p, ACT_ROUTE_ADD, NULL) +
					 count(&p, ACT_SYSCTL_SET, NULL));
	plan_free(&p);
	iface(&have, "mh-r1", "eth1")->vxlan.vni++;
	assert_int_equal(plan_diff(&want, &have, false, &p), 0);
	assert_int_equal(count(&p, ACT_LINK_DEL, "eth1"), 1);
	assert_int_equal(count(&p, ACT_VETH_ADD, "eth1"), 1);
	assert_int_equal(count(&p, ACT_VETH_ADD, NULL), 1);
	plan_free(&p);
	iface(&have, "mh-r1", "eth1")->vxlan.vni--;

	/* down: each tunnel deleted before its namespace, which may go later than the call */
	snprintf(none.lab, sizeof(none.lab), "mh");
	assert_int_equal(plan_diff(&none, &have, false, &p), 0);
	assert_int_equal(count(&p, ACT_LINK_DEL, "eth1"), 1);
	assert_int_equal(count(&p, ACT_LINK_DEL, "eth2"), 1);
	assert_int_equal(count(&p, ACT_NS_DEL, NULL), 2);
	assert_int_equal(p.acts[p.n_acts - 1].type, ACT_NS_DEL);
	plan_free(&p);
	state_free(&have);
	state_free(&want);
	topo_free(t);
}

/* On b, a bridge's tunnel port is made, then enslaved. */
static void test_plan_vxlan_bridge_port(void **state)
{
	struct topology *t = load(lab_yaml);
	struct state want, none = { 0 };
	struct plan p;
	size_t i, made = SIZE_MAX, set = SIZE_MAX;

	(void)state;
	want_host(t, "b", 1500, &want);
	assert_int_equal(plan_diff(&want, &none, false, &p), 0);
	for (i = 0; i < p.n_acts; i++) {
		if (strcmp(p.acts[i].ns, "mh-s1") || strcmp(p.acts[i].iface.name, "p2"))
			continue;
		if (p.acts[i].type == ACT_VETH_ADD)
			made = i;
		if (p.acts[i].type == ACT_LINK_SET && p.acts[i].set == SET_MASTER)
			set = i;
	}
	assert_true(made < set && set != SIZE_MAX);
	plan_free(&p);
	state_free(&want);
	topo_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_want_host_a),
		cmocka_unit_test(test_want_host_b),
		cmocka_unit_test(test_want_whole_lab),
		cmocka_unit_test(test_want_ipv6),
		cmocka_unit_test(test_observe_vxlan),
		cmocka_unit_test(test_plan_vxlan),
		cmocka_unit_test(test_plan_vxlan_bridge_port),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
