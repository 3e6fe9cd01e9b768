// SPDX-License-Identifier: MIT
/*
 * The planner on values built here in C: no loader, no kernel. The
 * desired triangle lab (h1 - r1 - h2) is written out by hand, and the
 * actual state is the desired one as the kernel would report it after a
 * good `up` (ifindexes, MACs, link-local addresses, kernel routes), then
 * changed one thing at a time.
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
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "cmd.h"
#include "plan.h"
#include "state.h"
#include "util.h"

#define LAB "tri"

/* ---- building states ---- */

static struct st_ns *t_ns(struct state *s, const char *node)
{
	struct st_ns *ns = VEC_PUSH(&s->ns, &s->n_ns);
	struct st_iface *lo = VEC_PUSH(&ns->ifaces, &ns->n_ifaces);
	struct st_sysctl *sc;

	snprintf(ns->name, sizeof(ns->name), "%s-%s", s->lab, node);
	snprintf(ns->node, sizeof(ns->node), "%s", node);
	snprintf(lo->name, sizeof(lo->name), "lo");
	lo->kind = ST_LO;
	lo->up = true;
	snprintf(lo->alias, sizeof(lo->alias), "topo:%s:%s", s->lab, node);
	sc = VEC_PUSH(&ns->sysctls, &ns->n_sysctls);
	snprintf(sc->key, sizeof(sc->key), "net.ipv4.ip_forward");
	snprintf(sc->value, sizeof(sc->value), "0");
	sc = VEC_PUSH(&ns->sysctls, &ns->n_sysctls);
	snprintf(sc->key, sizeof(sc->key), "net.ipv6.conf.all.forwarding");
	snprintf(sc->value, sizeof(sc->value), "0");
	return ns;
}

static struct st_iface *t_if(struct st_ns *ns, const char *name, enum st_kind kind)
{
	struct st_iface *ifc = VEC_PUSH(&ns->ifaces, &ns->n_ifaces);

	snprintf(ifc->name, sizeof(ifc->name), "%s", name);
	ifc->kind = kind;
	ifc->up = true;
	snprintf(ifc->alias, sizeof(ifc->alias), "topo:" LAB);
	return ifc;
}

static struct st_iface *t_veth(struct st_ns *ns, const char *name, const char *peer_node,
			       const char *peer_name)
{
	struct st_iface *ifc = t_if(ns, name, ST_VETH);

	snprintf(ifc->peer_ns, sizeof(ifc->peer_ns), LAB "-%s", peer_node);
	snprintf(ifc->peer_name, sizeof(ifc->peer_name), "%s", peer_name);
	ifc->mtu = 1500;
	return ifc;
}

static struct st_iface *t_find(struct state *s, const char *ns, const char *name)
{
	struct st_ns *n = state_ns_find(s, ns);
	struct st_iface *ifc;

	assert_non_null(n);
	ifc = st_ns_iface_find(n, name);
	assert_non_null(ifc);
	return ifc;
}

static void t_addr_proto(struct st_iface *ifc, const char *text, uint8_t proto)
{
	struct st_addr *a = VEC_PUSH(&ifc->addrs, &ifc->n_addrs);
	struct cidr c;

	assert_int_equal(cidr_parse(text, &c), 0);
	a->family = c.family;
	memcpy(a->addr, c.addr, 16);
	a->plen = c.plen;
	a->proto = proto;
}

static void t_addr(struct st_iface *ifc, const char *text)
{
	t_addr_proto(ifc, text, TOPO_IFAPROT);
}

static struct st_route *t_route(struct st_ns *ns, const char *dst, const char *via, const char *dev)
{
	struct st_route *r = VEC_PUSH(&ns->routes, &ns->n_routes);
	struct cidr c;

	if (!strcmp(dst, "default") || !strcmp(dst, "default6")) {
		r->family = dst[7] ? AF_INET6 : AF_INET;
	} else {
		assert_int_equal(cidr_parse(dst, &c), 0);
		r->family = c.family;
		memcpy(r->dst, c.addr, 16);
		r->dst_len = c.plen;
	}
	if (via) {
		int fam;

		assert_int_equal(ip_parse(via, &fam, r->gw), 0);
		r->has_gw = true;
	}
	if (dev)
		snprintf(r->dev, sizeof(r->dev), "%s", dev);
	r->metric = route_metric_default(r->family);
	r->proto = TOPO_RTPROT;
	return r;
}

static void t_sysctl(struct st_ns *ns, const char *key, const char *value)
{
	struct st_sysctl *sc = NULL;
	size_t i;

	for (i = 0; i < ns->n_sysctls; i++) {
		if (!strcmp(ns->sysctls[i].key, key))
			sc = &ns->sysctls[i];
	}
	if (!sc) {
		sc = VEC_PUSH(&ns->sysctls, &ns->n_sysctls);
		snprintf(sc->key, sizeof(sc->key), "%s", key);
	}
	snprintf(sc->value, sizeof(sc->value), "%s", value);
}

static void t_exec(struct st_ns *ns, const char *cmd, uint64_t id)
{
	size_t n = ns->n_execs;

	*VEC_PUSH(&ns->execs, &ns->n_execs) = xstrdup(cmd);
	*VEC_PUSH(&ns->exec_ids, &n) = id;
}

/* The triangle of docs/format.md, reduced: h1 - r1 - h2, routers forward. */
static void tri_want(struct state *s)
{
	struct st_ns *ns;
	struct st_iface *ifc;

	memset(s, 0, sizeof(*s));
	snprintf(s->lab, sizeof(s->lab), LAB);

	ns = t_ns(s, "h1");
	ifc = t_veth(ns, "eth0", "r1", "eth1");
	t_addr(ifc, "10.0.1.2/24");
	t_addr(ifc, "2001:db8:1::2/64");
	t_route(ns, "default", "10.0.1.1", NULL);
	t_route(ns, "default6", "2001:db8:1::1", NULL);

	ns = t_ns(s, "r1");
	t_sysctl(ns, "net.ipv4.ip_forward", "1");
	t_sysctl(ns, "net.ipv6.conf.all.forwarding", "1");
	t_addr(&ns->ifaces[0], "10.255.0.1/32");
	ifc = t_veth(ns, "eth1", "h1", "eth0");
	t_addr(ifc, "10.0.1.1/24");
	t_addr(ifc, "2001:db8:1::1/64");
	ifc = t_veth(ns, "eth2", "h2", "eth0");
	t_addr(ifc, "10.0.2.1/24");

	ns = t_ns(s, "h2");
	ifc = t_veth(ns, "eth0", "r1", "eth2");
	t_addr(ifc, "10.0.2.2/24");
	t_route(ns, "default", "10.0.2.1", NULL);
}

/* The device a desired route ends up on in the kernel. */
static const char *route_dev(const struct st_ns *ns, const struct st_route *r)
{
	size_t i, j;

	if (r->dev[0])
		return r->dev;
	for (i = 0; i < ns->n_ifaces; i++) {
		for (j = 0; j < ns->ifaces[i].n_addrs; j++) {
			const struct st_addr *a = &ns->ifaces[i].addrs[j];

			if (a->family == r->family && r->has_gw &&
			    prefix_contains(a->family, a->addr, a->plen, r->gw))
				return ns->ifaces[i].name;
		}
	}
	return "";
}

/* as_actual - WANT as observe would read it back after a good `up`. */
static void as_actual(const struct state *want, struct state *have)
{
	size_t i, j;

	memset(have, 0, sizeof(*have));
	memcpy(have->lab, want->lab, sizeof(have->lab));
	for (i = 0; i < want->n_ns; i++) {
		const struct st_ns *w = &want->ns[i];
		struct st_ns *h = VEC_PUSH(&have->ns, &have->n_ns);

		memcpy(h->name, w->name, sizeof(h->name));
		memcpy(h->node, w->node, sizeof(h->node));
		h->owned = true;
		for (j = 0; j < w->n_execs; j++)
			t_exec(h, w->execs[j], w->exec_ids[j]);
		for (j = 0; j < w->n_ifaces; j++) {
			struct st_iface *ifc = VEC_PUSH(&h->ifaces, &h->n_ifaces);

			*ifc = w->ifaces[j];
			ifc->addrs = NULL;
			ifc->n_addrs = 0;
			ifc->ifindex = (int)j + 1;
			if (!ifc->mtu)
				ifc->mtu = ifc->kind == ST_LO ? 65536 : 1500;
			if (!ifc->has_mac && ifc->kind != ST_LO) {
				uint8_t mac[6] = {0x46, 0x11, 0x22, (uint8_t)i, (uint8_t)j, 1};

				ifc->has_mac = true;
				memcpy(ifc->mac, mac, 6);
			}
			/* what the kernel adds by itself */
			if (ifc->kind == ST_LO) {
				t_addr_proto(ifc, "127.0.0.1/8", 0);
				t_addr_proto(ifc, "::1/128", 0);
			} else if (ifc->up) {
				t_addr_proto(ifc, "fe80::4411:22ff:fe00:1/64", IFAPROT_KERNEL_LL);
			}
			for (size_t k = 0; k < w->ifaces[j].n_addrs; k++)
				*VEC_PUSH(&ifc->addrs, &ifc->n_addrs) = w->ifaces[j].addrs[k];
		}
		for (j = 0; j < w->n_routes; j++) {
			struct st_route *r = VEC_PUSH(&h->routes, &h->n_routes);

			*r = w->routes[j];
			snprintf(r->dev, sizeof(r->dev), "%s", route_dev(w, &w->routes[j]));
			memset(&r->pos, 0, sizeof(r->pos));
		}
		/* a connected route, as observe might let one through */
		if (h->n_ifaces > 1) {
			struct st_route *r = t_route(h, "10.99.0.0/24", NULL, h->ifaces[1].name);

			r->proto = RTPROT_KERNEL;
		}
		for (j = 0; j < w->n_sysctls; j++)
			*VEC_PUSH(&h->sysctls, &h->n_sysctls) = w->sysctls[j];
	}
}

/* ---- looking at plans ---- */

/* act_index - position of the action that action_describe() calls TEXT, or -1. */
static int act_index(const struct plan *p, const char *text)
{
	char buf[256];
	size_t i;

	for (i = 0; i < p->n_acts; i++) {
		if (!strcmp(action_describe(&p->acts[i], buf, sizeof(buf)), text))
			return (int)i;
	}
	return -1;
}

static int act_count(const struct plan *p, enum act_type type)
{
	size_t i;
	int n = 0;

	for (i = 0; i < p->n_acts; i++)
		n += p->acts[i].type == type;
	return n;
}

static char *plan_text(const struct plan *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	plan_print(p, f);
	fclose(f);
	return buf;
}

static void plan_ok(const struct state *want, const struct state *have, bool prune, struct plan *p)
{
	assert_int_equal(plan_diff(want, have, prune, p), 0);
	/* TOPO_TEST_SHOW=1 prints every plan, for debugging */
	if (getenv("TOPO_TEST_SHOW")) {
		char *text = plan_text(p);

		print_message("%s\n", text);
		free(text);
	}
}

static void assert_has_line(const char *text, const char *line)
{
	char *want = xasprintf("%s\n", line);
	const char *p = text;
	bool found = false;

	while (p && *p && !found) {
		found = !strncmp(p, want, strlen(want));
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!found)
		print_message("missing line: %s\nin:\n%s", line, text);
	free(want);
	assert_true(found);
}

/* Every action sits in its group of plan.h: deletions before creations. */
static int group_rank(const struct action *a)
{
	static const char *const pre[] = {"net.ipv4.conf.", "net.ipv6.conf.", "net.ipv4.neigh.",
					  "net.ipv6.neigh."};

	if (a->type == ACT_SYSCTL_SET) {
		for (size_t i = 0; i < ARRAY_SIZE(pre); i++) {
			const char *k = a->sysctl.key, *s = k + strlen(pre[i]);

			if (strncmp(k, pre[i], strlen(pre[i])))
				continue;
			if (strncmp(s, "all.", 4) && strncmp(s, "default.", 8) &&
			    strncmp(s, "lo.", 3))
				return ACT_LINK_SET * 2 + 1;
		}
		return ACT_SYSCTL_SET * 2;
	}
	return (int)a->type * 2;
}

static void assert_ordered(const struct plan *p)
{
	size_t i;

	for (i = 1; i < p->n_acts; i++)
		assert_true(group_rank(&p->acts[i - 1]) <= group_rank(&p->acts[i]));
}

/* ---- tests ---- */

static void test_noop(void **unused)
{
	struct state want, have;
	struct plan p;
	char *text;

	tri_want(&want);
	as_actual(&want, &have);
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 0);
	assert_int_equal(p.n_drift, 0);
	assert_int_equal(p.n_errors, 0);
	text = plan_text(&p);
	assert_string_equal(text, "No changes.\n");
	free(text);
	plan_free(&p);
	/* with prune too: nothing the kernel made is drift */
	plan_ok(&want, &have, true, &p);
	assert_int_equal(p.n_acts, 0);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

static void test_empty_to_lab(void **unused)
{
	struct state want, have = {.lab = LAB};
	struct plan p;
	char *text;
	int i;

	tri_want(&want);
	plan_ok(&want, &have, false, &p);
	assert_ordered(&p);
	assert_int_equal(act_count(&p, ACT_NS_ADD), 3);
	assert_int_equal(act_count(&p, ACT_VETH_ADD), 2);
	assert_int_equal(act_count(&p, ACT_SYSCTL_SET), 6);
	assert_int_equal(act_count(&p, ACT_ADDR_ADD), 7);
	assert_int_equal(act_count(&p, ACT_ROUTE_ADD), 3);
	assert_int_equal(act_count(&p, ACT_LINK_SET), 0);
	assert_int_equal(p.n_acts, 3 + 2 + 6 + 7 + 3);
	assert_int_equal(p.n_destroy, 0);
	assert_int_equal(p.n_change, 6);
	assert_int_equal(p.n_add, 15);
	/* namespaces in the file's order, then what is in them */
	assert_int_equal(act_index(&p, "create namespace tri-h1"), 0);
	assert_int_equal(act_index(&p, "create namespace tri-r1"), 1);
	assert_int_equal(act_index(&p, "create namespace tri-h2"), 2);
	/* a pair once, named by its lower end */
	assert_true(act_index(&p, "create link tri-h1:eth0 <-> tri-r1:eth1") > 0);
	assert_true(act_index(&p, "create link tri-h2:eth0 <-> tri-r1:eth2") > 0);
	/* a route comes after the address that makes its gateway reachable */
	i = act_index(&p, "tri-h1: add route default via 10.0.1.1");
	assert_true(i > act_index(&p, "tri-h1: add address 10.0.1.2/24 to eth0"));
	assert_true(act_index(&p, "tri-h1: add route default via 2001:db8:1::1") >
		    act_index(&p, "tri-h1: add address 2001:db8:1::2/64 to eth0"));
	assert_true(act_index(&p, "tri-r1: add address 10.255.0.1/32 to lo") > 0);

	text = plan_text(&p);
	assert_has_line(text, "+ ns tri-r1");
	assert_has_line(text, "+ link tri-h1:eth0 <-> tri-r1:eth1");
	assert_has_line(text, "+ addr tri-h1:eth0 10.0.1.2/24");
	assert_has_line(text, "+ route tri-h1 default via 10.0.1.1");
	assert_has_line(text, "~ sysctl tri-r1 net.ipv4.ip_forward = 1");
	assert_has_line(text, "Plan: 15 to add, 6 to change, 0 to destroy.");
	free(text);
	plan_free(&p);
	state_free(&want);
}

static void test_lab_to_empty(void **unused)
{
	struct state want, have, empty = {.lab = LAB};
	struct plan p;
	size_t i;

	tri_want(&want);
	as_actual(&want, &have);
	plan_ok(&empty, &have, false, &p);
	/* one deletion per veth pair, before the namespaces go */
	assert_int_equal(act_count(&p, ACT_LINK_DEL), 2);
	assert_int_equal(act_count(&p, ACT_NS_DEL), 3);
	assert_int_equal(p.n_acts, 5);
	assert_int_equal(p.n_destroy, 5);
	assert_int_equal(p.n_drift, 0);
	for (i = 0; i < 2; i++)
		assert_int_equal(p.acts[i].type, ACT_LINK_DEL);
	assert_true(act_index(&p, "tri-h1: delete link eth0") >= 0 ||
		    act_index(&p, "tri-r1: delete link eth1") >= 0);
	assert_int_equal(act_index(&p, "delete namespace tri-h1"), 2);
	plan_free(&p);

	/* an end that does not know its peer still goes with it */
	t_find(&have, "tri-r1", "eth1")->peer_ns[0] = '\0';
	t_find(&have, "tri-r1", "eth1")->peer_name[0] = '\0';
	plan_ok(&empty, &have, false, &p);
	assert_int_equal(act_count(&p, ACT_LINK_DEL), 2);
	assert_int_equal(act_index(&p, "tri-h1: delete link eth0"), 0);
	plan_free(&p);

	/* no end knows its peer (`down` does not ask): the namespaces' teardown
	 * takes the pairs, no deletion can hit an end that is already gone */
	for (i = 0; i < have.n_ns; i++) {
		for (size_t j = 0; j < have.ns[i].n_ifaces; j++)
			have.ns[i].ifaces[j].peer_ns[0] = '\0';
	}
	plan_ok(&empty, &have, false, &p);
	assert_int_equal(act_count(&p, ACT_LINK_DEL), 0);
	assert_int_equal(p.n_acts, 3);
	plan_free(&p);

	/* a node goes and the kept end does not know its peer: deleted from
	 * the kept side, once */
	state_free(&have);
	as_actual(&want, &have);
	t_find(&have, "tri-h2", "eth0")->peer_ns[0] = '\0';
	t_find(&have, "tri-r1", "eth2")->peer_ns[0] = '\0';
	want.n_ns = 2;
	want.ns[1].n_ifaces = 2;
	plan_ok(&want, &have, false, &p);
	assert_int_equal(act_count(&p, ACT_LINK_DEL), 1);
	assert_int_equal(act_index(&p, "tri-r1: delete link eth2"), 0);
	assert_int_equal(act_index(&p, "delete namespace tri-h2"), 1);
	want.n_ns = 3;
	want.ns[1].n_ifaces = 3;
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

static void test_foreign_namespace(void **unused)
{
	struct state want, have = {.lab = LAB};
	struct plan p;
	char *text;

	tri_want(&want);
	have.foreign = xcalloc(1, sizeof(*have.foreign));
	snprintf(have.foreign[0], sizeof(have.foreign[0]), "tri-r1");
	have.n_foreign = 1;
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_errors, 1);
	assert_string_equal(p.errors[0], "namespace tri-r1 exists and is not owned by lab tri; "
					 "topo will not touch it");
	/* the rest is still planned */
	assert_true(act_index(&p, "create namespace tri-h1") >= 0);
	text = plan_text(&p);
	assert_has_line(text, "! error: namespace tri-r1 exists and is not owned by lab tri; "
			      "topo will not touch it");
	free(text);
	plan_free(&p);

	/* an unowned namespace reported among the lab's is a clash too */
	free(have.foreign);
	have.foreign = NULL;
	have.n_foreign = 0;
	t_ns(&have, "h2")->owned = false;
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_errors, 1);
	assert_non_null(strstr(p.errors[0], "tri-h2"));
	/* and nothing in it is deleted */
	assert_int_equal(act_count(&p, ACT_NS_DEL), 0);
	plan_free(&p);

	/* no clash: no error */
	state_free(&have);
	as_actual(&want, &have);
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_errors, 0);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

static void test_add_node(void **unused)
{
	struct state want, have;
	struct st_ns *ns;
	struct plan p;

	tri_want(&want);
	as_actual(&want, &have);
	t_addr(t_veth(&want.ns[1], "eth3", "h3", "eth0"), "10.0.3.1/24");
	ns = t_ns(&want, "h3");
	t_addr(t_veth(ns, "eth0", "r1", "eth3"), "10.0.3.2/24");
	t_route(ns, "default", "10.0.3.1", NULL);

	plan_ok(&want, &have, false, &p);
	assert_ordered(&p);
	assert_int_equal(act_index(&p, "create namespace tri-h3"), 0);
	assert_true(act_index(&p, "create link tri-h3:eth0 <-> tri-r1:eth3") > 0);
	assert_true(act_index(&p, "tri-r1: add address 10.0.3.1/24 to eth3") > 0);
	assert_true(act_index(&p, "tri-h3: add address 10.0.3.2/24 to eth0") > 0);
	assert_true(act_index(&p, "tri-h3: add route default via 10.0.3.1") > 0);
	/* the new namespace's forwarding is set, the others untouched */
	assert_int_equal(act_count(&p, ACT_SYSCTL_SET), 2);
	assert_int_equal(p.n_destroy, 0);
	assert_int_equal(p.n_acts, 1 + 2 + 1 + 2 + 1);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

static void test_remove_node(void **unused)
{
	struct state want, have;
	struct st_ns *r1;
	struct plan p;
	char *text;

	tri_want(&want);
	as_actual(&want, &have);
	/* drop h2 and its link from the desired state */
	state_free(&want);
	tri_want(&want);
	free(want.ns[2].ifaces[1].addrs);
	free(want.ns[2].ifaces);
	free(want.ns[2].routes);
	free(want.ns[2].sysctls);
	want.n_ns = 2;
	r1 = &want.ns[1];
	free(r1->ifaces[2].addrs);
	r1->n_ifaces = 2;

	plan_ok(&want, &have, false, &p);
	/* the pair goes once; nothing inside it or inside tri-h2 is deleted one by one */
	assert_int_equal(act_count(&p, ACT_LINK_DEL), 1);
	assert_int_equal(act_count(&p, ACT_ADDR_DEL), 0);
	assert_int_equal(act_count(&p, ACT_ROUTE_DEL), 0);
	assert_int_equal(act_index(&p, "delete namespace tri-h2"), 1);
	assert_int_equal(p.acts[0].type, ACT_LINK_DEL);
	assert_int_equal(p.n_acts, 2);
	assert_int_equal(p.n_drift, 0);
	text = plan_text(&p);
	assert_has_line(text, "- ns tri-h2");
	assert_has_line(text, "Plan: 0 to add, 0 to change, 2 to destroy.");
	free(text);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

static void test_add_remove_link(void **unused)
{
	struct state want, have;
	struct plan p;

	/* add a second link h1:eth1 <-> h2:eth1 */
	tri_want(&want);
	as_actual(&want, &have);
	t_addr(t_veth(&want.ns[0], "eth1", "h2", "eth1"), "10.0.12.1/24");
	t_addr(t_veth(&want.ns[2], "eth1", "h1", "eth1"), "10.0.12.2/24");
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 3);
	assert_int_equal(p.acts[0].type, ACT_VETH_ADD);
	assert_int_equal(act_index(&p, "create link tri-h1:eth1 <-> tri-h2:eth1"), 0);
	assert_int_equal(p.n_add, 3);
	plan_free(&p);

	/* and remove it again: one deletion, its addresses go with it */
	state_free(&have);
	as_actual(&want, &have);
	state_free(&want);
	tri_want(&want);
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 1);
	assert_int_equal(p.acts[0].type, ACT_LINK_DEL);
	assert_true(act_index(&p, "tri-h1: delete link eth1") == 0 ||
		    act_index(&p, "tri-h2: delete link eth1") == 0);
	assert_int_equal(p.n_destroy, 1);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

static void test_address_changes(void **unused)
{
	struct state want, have;
	struct st_iface *ifc;
	struct plan p;
	char *text;

	tri_want(&want);
	as_actual(&want, &have);
	/* h2: 10.0.2.2/24 -> 10.0.2.2/25 is one change; lo gains one */
	ifc = t_find(&want, "tri-h2", "eth0");
	ifc->addrs[0].plen = 25;
	t_addr(t_find(&want, "tri-h2", "lo"), "10.255.0.2/32");
	/* r1 loses its loopback address (topo's own: destroyed) */
	t_find(&want, "tri-r1", "lo")->n_addrs = 0;

	plan_ok(&want, &have, false, &p);
	assert_ordered(&p);
	/* the prefix change, and h2's route that the kernel flushes with the
	 * device's last IPv4 address */
	assert_int_equal(p.n_change, 2);
	assert_int_equal(p.n_add, 1);
	assert_int_equal(p.n_destroy, 1);
	assert_true(act_index(&p, "tri-h2: delete address 10.0.2.2/24 from eth0") >= 0);
	assert_true(act_index(&p, "tri-h2: add address 10.0.2.2/25 to eth0") >
		    act_index(&p, "tri-h2: delete address 10.0.2.2/24 from eth0"));
	assert_true(act_index(&p, "tri-h2: add address 10.255.0.2/32 to lo") >= 0);
	assert_true(act_index(&p, "tri-r1: delete address 10.255.0.1/32 from lo") >= 0);
	text = plan_text(&p);
	assert_has_line(text, "~ addr tri-h2:eth0 10.0.2.2/25 (was 10.0.2.2/24)");
	assert_has_line(text, "- addr tri-r1:lo 10.255.0.1/32");
	assert_has_line(text, "~ route tri-h2 default via 10.0.2.1 (added again)");
	free(text);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

/* A static link-local address (and a route through one) converges: the
 * kernel's own fe80:: address is neither deleted nor mistaken for it. */
static void test_link_local(void **unused)
{
	struct state want, have;
	struct st_iface *ifc;
	struct plan p;
	char *text;

	tri_want(&want);
	t_addr(t_find(&want, "tri-h1", "eth0"), "fe80::2/64");
	t_addr(t_find(&want, "tri-r1", "eth1"), "fe80::1/64");
	t_route(&want.ns[0], "2001:db8:9::/64", "fe80::1", "eth0");
	as_actual(&want, &have);
	plan_ok(&want, &have, true, &p);
	assert_int_equal(p.n_acts, 0);
	plan_free(&p);

	/* gone from the file: topo's mark makes it a deletion, not drift */
	ifc = t_find(&want, "tri-r1", "eth1");
	ifc->n_addrs = 2;
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 1);
	assert_int_equal(p.n_destroy, 1);
	text = plan_text(&p);
	assert_has_line(text, "- addr tri-r1:eth1 fe80::1/64");
	free(text);
	plan_free(&p);

	/* one made by hand is drift */
	t_addr_proto(t_find(&have, "tri-h2", "eth0"), "fe80::9/64", 0);
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_drift, 1);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

/* Deleting the last IPv4 address flushes the device's IPv4 routes. */
static void test_last_ipv4_address(void **unused)
{
	struct state want, have;
	struct plan p;
	int del, add;

	tri_want(&want);
	as_actual(&want, &have);
	/* h2 moves to 10.0.2.3: the old address goes before the new one comes */
	t_find(&want, "tri-h2", "eth0")->addrs[0].addr[3] = 3;
	plan_ok(&want, &have, false, &p);
	assert_ordered(&p);
	del = act_index(&p, "tri-h2: delete route default via 10.0.2.1 dev eth0");
	add = act_index(&p, "tri-h2: add route default via 10.0.2.1");
	assert_true(del >= 0);
	assert_true(add > act_index(&p, "tri-h2: add address 10.0.2.3/24 to eth0"));
	assert_int_equal(p.n_change, 1);  /* the route */
	assert_int_equal(p.n_destroy, 1); /* the old address */
	assert_int_equal(p.n_add, 1);
	plan_free(&p);

	/* an IPv4 address left on the device keeps the route */
	t_addr(t_find(&want, "tri-h2", "eth0"), "10.0.2.2/24");
	plan_ok(&want, &have, false, &p);
	assert_int_equal(act_count(&p, ACT_ROUTE_DEL), 0);
	assert_int_equal(act_count(&p, ACT_ROUTE_ADD), 0);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

static void test_mtu_mac_alias(void **unused)
{
	struct state want, have;
	struct plan p;
	char *text;
	static const uint8_t mac[6] = {2, 0, 0, 0, 2, 2};

	tri_want(&want);
	as_actual(&want, &have);
	t_find(&want, "tri-h2", "eth0")->mtu = 9000;
	t_find(&want, "tri-r1", "eth2")->mtu = 9000;
	t_find(&want, "tri-h2", "eth0")->has_mac = true;
	memcpy(t_find(&want, "tri-h2", "eth0")->mac, mac, 6);
	/* an interface that lost its mark gets it back */
	t_find(&have, "tri-h1", "eth0")->alias[0] = '\0';

	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 4);
	assert_int_equal(act_count(&p, ACT_LINK_SET), 4);
	assert_int_equal(p.n_change, 4);
	assert_true(act_index(&p, "tri-h2: set eth0 mtu 9000") >= 0);
	assert_true(act_index(&p, "tri-r1: set eth2 mtu 9000") >= 0);
	assert_true(act_index(&p, "tri-h2: set eth0 mac 02:00:00:00:02:02") >= 0);
	assert_true(act_index(&p, "tri-h1: set eth0 alias topo:tri") >= 0);
	assert_int_equal(p.acts[act_index(&p, "tri-h2: set eth0 mtu 9000")].set, SET_MTU);
	assert_int_equal(p.acts[act_index(&p, "tri-h2: set eth0 mtu 9000")].iface.ifindex, 2);
	text = plan_text(&p);
	assert_has_line(text, "~ link tri-r1:eth2 mtu 1500 -> 9000");
	assert_has_line(text, "~ link tri-h2:eth0 mac 46:11:22:02:01:01 -> 02:00:00:00:02:02");
	free(text);
	plan_free(&p);

	/* mtu 0 and no mac in the desired state mean "don't care" */
	t_find(&have, "tri-h1", "eth0")->mtu = 1280;
	t_find(&want, "tri-h1", "eth0")->mtu = 0;
	snprintf(t_find(&have, "tri-h1", "eth0")->alias, ST_ALIAS_MAX, "topo:tri");
	t_find(&want, "tri-h2", "eth0")->has_mac = false;
	t_find(&want, "tri-h2", "eth0")->mtu = 1500;
	t_find(&want, "tri-r1", "eth2")->mtu = 1500;
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 0);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

static void test_link_state(void **unused)
{
	struct state want, have;
	struct st_iface *ifc;
	struct plan p;
	char *text;
	int down, addr_del;

	tri_want(&want);
	as_actual(&want, &have);
	/* the h1 - r1 link goes down: IPv6 addresses and routes through it go
	 * first (the desired state already lacks them), then the link */
	t_find(&want, "tri-h1", "eth0")->up = false;
	t_find(&want, "tri-r1", "eth1")->up = false;
	t_find(&want, "tri-h1", "eth0")->n_addrs = 1;
	t_find(&want, "tri-r1", "eth1")->n_addrs = 1;
	want.ns[0].n_routes = 0;

	plan_ok(&want, &have, false, &p);
	assert_ordered(&p);
	down = act_index(&p, "tri-h1: set eth0 down");
	addr_del = act_index(&p, "tri-h1: delete address 2001:db8:1::2/64 from eth0");
	assert_true(down >= 0);
	assert_true(addr_del >= 0 && addr_del < down);
	assert_true(act_index(&p, "tri-r1: set eth1 down") >= 0);
	assert_true(act_index(&p, "tri-h1: delete route default via 10.0.1.1 dev eth0") >= 0);
	assert_int_equal(p.acts[down].set, SET_UP);
	assert_false(p.acts[down].iface.up);
	text = plan_text(&p);
	assert_has_line(text, "~ link tri-h1:eth0 state up -> down");
	free(text);
	plan_free(&p);

	/* and up again */
	state_free(&have);
	as_actual(&want, &have);
	state_free(&want);
	tri_want(&want);
	ifc = t_find(&have, "tri-h1", "eth0");
	assert_false(ifc->up);
	plan_ok(&want, &have, false, &p);
	assert_ordered(&p);
	assert_true(act_index(&p, "tri-h1: set eth0 up") >= 0);
	assert_true(act_index(&p, "tri-h1: add address 2001:db8:1::2/64 to eth0") >
		    act_index(&p, "tri-h1: set eth0 up"));
	assert_true(act_index(&p, "tri-h1: add route default via 10.0.1.1") >= 0);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

static void test_route_change(void **unused)
{
	struct state want, have;
	struct st_route *r;
	struct plan p;
	char *text;

	tri_want(&want);
	as_actual(&want, &have);
	t_find(&want, "tri-h2", "eth0");
	r = &want.ns[2].routes[0];
	r->gw[3] = 9; /* default via 10.0.2.9 */
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 2);
	assert_int_equal(p.n_change, 1);
	assert_int_equal(p.n_add + p.n_destroy, 0);
	assert_int_equal(act_index(&p, "tri-h2: delete route default via 10.0.2.1 dev eth0"), 0);
	assert_int_equal(act_index(&p, "tri-h2: add route default via 10.0.2.9"), 1);
	text = plan_text(&p);
	assert_has_line(text, "~ route tri-h2 default via 10.0.2.9 (was via 10.0.2.1 dev eth0)");
	assert_has_line(text, "Plan: 0 to add, 1 to change, 0 to destroy.");
	free(text);
	plan_free(&p);

	/* another metric is another route: added, the old one destroyed */
	r->gw[3] = 1;
	r->metric = 100;
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_add, 1);
	assert_int_equal(p.n_destroy, 1);
	assert_true(act_index(&p, "tri-h2: add route default via 10.0.2.1 metric 100") >= 0);
	plan_free(&p);

	/* a desired device must match; none given matches any */
	r->metric = 0;
	snprintf(r->dev, sizeof(r->dev), "eth0");
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 0);
	plan_free(&p);
	snprintf(r->dev, sizeof(r->dev), "eth7");
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_change, 1);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

static void test_sysctls(void **unused)
{
	struct state want, have;
	struct plan p;
	char *text;

	tri_want(&want);
	as_actual(&want, &have);
	/* kind host -> router */
	t_sysctl(&want.ns[0], "net.ipv4.ip_forward", "1");
	t_sysctl(&want.ns[0], "net.ipv6.conf.all.forwarding", "1");
	/* same value, other spacing: no change */
	t_sysctl(&want.ns[1], "net.ipv4.tcp_rmem", "4096 131072 6291456");
	t_sysctl(&have.ns[1], "net.ipv4.tcp_rmem", "4096\t131072\t6291456");
	/* a key the kernel did not report */
	t_sysctl(&want.ns[2], "net.ipv4.conf.all.rp_filter", "0");
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 3);
	assert_int_equal(p.n_change, 3);
	assert_true(act_index(&p, "tri-h1: set sysctl net.ipv4.ip_forward to 1") >= 0);
	assert_true(act_index(&p, "tri-h1: set sysctl net.ipv6.conf.all.forwarding to 1") >= 0);
	text = plan_text(&p);
	assert_has_line(text, "~ sysctl tri-h1 net.ipv4.ip_forward 0 -> 1");
	assert_has_line(text, "~ sysctl tri-h2 net.ipv4.conf.all.rp_filter = 0");
	free(text);
	plan_free(&p);

	/* a per-interface key runs after the interface exists */
	state_free(&have);
	have = (struct state){.lab = LAB};
	t_sysctl(&want.ns[0], "net.ipv4.conf.eth0.rp_filter", "2");
	plan_ok(&want, &have, false, &p);
	assert_ordered(&p);
	assert_true(act_index(&p, "tri-h1: set sysctl net.ipv4.conf.eth0.rp_filter to 2") >
		    act_index(&p, "create link tri-h1:eth0 <-> tri-r1:eth1"));
	assert_true(act_index(&p, "tri-h1: set sysctl net.ipv4.ip_forward to 1") <
		    act_index(&p, "create link tri-h1:eth0 <-> tri-r1:eth1"));
	plan_free(&p);

	/* ... and again when the interface is made again, whatever it said before */
	as_actual(&want, &have);
	t_find(&have, "tri-h1", "eth0")->peer_ns[0] = '\0'; /* peer unknown: re-made */
	plan_ok(&want, &have, false, &p);
	assert_true(act_index(&p, "tri-h1: set sysctl net.ipv4.conf.eth0.rp_filter to 2") >= 0);
	assert_int_equal(act_count(&p, ACT_SYSCTL_SET), 1);
	/* r1:eth1 names h1:eth0, which goes: it goes with it, no second deletion */
	assert_int_equal(act_count(&p, ACT_LINK_DEL), 1);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

/* A key dropped from the file goes back to a new namespace's value, said
 * so; nothing when it has that value, or cannot be read, or the namespace
 * is new. */
static void test_sysctl_dropped(void **unused)
{
	struct state want, have;
	struct st_sysctl *sc;
	struct plan p;
	char *text;

	tri_want(&want);
	as_actual(&want, &have);
	t_sysctl(&want.ns[1], "net.ipv4.conf.all.arp_ignore", "0");
	want.ns[1].sysctls[want.ns[1].n_sysctls - 1].dropped = true;
	t_sysctl(&have.ns[1], "net.ipv4.conf.all.arp_ignore", "2");
	t_sysctl(&want.ns[2], "net.ipv4.conf.all.arp_announce", "0");
	want.ns[2].sysctls[want.ns[2].n_sysctls - 1].dropped = true;
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 1);
	assert_int_equal(p.n_change, 1);
	assert_true(act_index(&p, "tri-r1: set sysctl net.ipv4.conf.all.arp_ignore to 0 "
				  "(no longer in the file)") >= 0);
	text = plan_text(&p);
	assert_has_line(text,
			"~ sysctl tri-r1 net.ipv4.conf.all.arp_ignore 2 -> 0 (no longer in the file)");
	free(text);
	plan_free(&p);

	sc = &have.ns[1].sysctls[have.ns[1].n_sysctls - 1];
	snprintf(sc->value, sizeof(sc->value), "0");
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 0);
	plan_free(&p);

	state_free(&have);
	have = (struct state){.lab = LAB};
	plan_ok(&want, &have, false, &p);
	assert_true(act_count(&p, ACT_SYSCTL_SET) > 0);
	assert_int_equal(act_index(&p, "tri-r1: set sysctl net.ipv4.conf.all.arp_ignore to 0 "
				       "(no longer in the file)"),
			 -1);
	assert_int_equal(act_index(&p, "tri-h2: set sysctl net.ipv4.conf.all.arp_announce to 0 "
				       "(no longer in the file)"),
			 -1);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

static void test_exec(void **unused)
{
	struct state want, have;
	struct plan p;
	char *text;

	tri_want(&want);
	t_exec(&want.ns[1], "ip link set eth1 promisc on", 0x1234);
	t_exec(&want.ns[1], "true", 0x5678);
	as_actual(&want, &have);
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 0);
	plan_free(&p);

	/* a command added after the others: only it runs, borrowed from the desired state */
	t_exec(&want.ns[1], "echo new", 0x9abc);
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 1);
	assert_int_equal(p.acts[0].type, ACT_EXEC);
	assert_ptr_equal(p.acts[0].exec_cmd, want.ns[1].execs[2]);
	assert_true(p.acts[0].exec_id == 0x9abc);
	assert_int_equal(p.n_add, 1);
	text = plan_text(&p);
	assert_has_line(text, "+ exec tri-r1 'echo new'");
	free(text);
	plan_free(&p);

	/* one removed from the file: forgotten (not undone), the others stay run */
	t_exec(&have.ns[1], "echo gone", 0x7777);
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 2);
	assert_int_equal(p.acts[0].type, ACT_EXEC_FORGET);
	assert_true(p.acts[0].exec_id == 0x7777);
	assert_int_equal(p.acts[1].type, ACT_EXEC);
	assert_int_equal(p.n_destroy, 1);
	assert_int_equal(p.n_add, 1);
	text = plan_text(&p);
	assert_has_line(text, "- exec tri-r1 'echo gone' "
			      "(forgotten, not undone: what it did stays, yours to undo)");
	free(text);
	plan_free(&p);

	/* never ran (no record): every command, in order, after everything else */
	state_free(&have);
	as_actual(&want, &have);
	for (size_t i = 0; i < have.ns[1].n_execs; i++)
		free(have.ns[1].execs[i]);
	have.ns[1].n_execs = 0;
	t_find(&want, "tri-r1", "eth1")->mtu = 9000;
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 4);
	assert_int_equal(p.acts[0].type, ACT_LINK_SET);
	assert_string_equal(p.acts[1].exec_cmd, "ip link set eth1 promisc on");
	assert_string_equal(p.acts[2].exec_cmd, "true");
	assert_string_equal(p.acts[3].exec_cmd, "echo new");
	assert_int_equal(p.n_add, 3);
	plan_free(&p);

	/* a new namespace runs them all, whatever its old record says */
	t_find(&want, "tri-r1", "eth1")->mtu = 1500;
	t_exec(&have.ns[1], "true", 0x5678);
	strcpy(have.ns[1].name, "tri-gone");
	plan_ok(&want, &have, false, &p);
	assert_int_equal(act_count(&p, ACT_EXEC), 3);
	assert_int_equal(act_count(&p, ACT_EXEC_FORGET), 0);
	plan_free(&p);

	/* a node without exec in the file forgets what ran there */
	state_free(&have);
	as_actual(&want, &have);
	t_exec(&have.ns[0], "echo h1", 0x99);
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 1);
	assert_int_equal(p.acts[0].type, ACT_EXEC_FORGET);
	assert_string_equal(p.acts[0].ns, "tri-h1");
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

/* Routes a routing daemon installs are learned: neither deleted nor drift,
 * --prune or not; boot and static (what `ip route add` makes) are drift. */
static void test_learned_routes(void **unused)
{
	static const uint8_t learned[] = { RTPROT_ZEBRA, RTPROT_BIRD, RTPROT_OSPF, RTPROT_BGP,
					   RTPROT_DHCP, RTPROT_BABEL };
	struct state want, have;
	struct st_route *r;
	struct plan p;
	char buf[8];
	size_t i;

	(void)unused;
	tri_want(&want);
	as_actual(&want, &have);
	for (i = 0; i < ARRAY_SIZE(learned); i++) {
		char dst[32];

		snprintf(dst, sizeof(dst), "10.%zu.0.0/16", 100 + i);
		t_route(&have.ns[1], dst, "10.0.1.2", "eth1")->proto = learned[i];
	}
	t_route(&have.ns[1], "10.98.0.0/16", "10.0.2.2", "eth2")->proto = RTPROT_BOOT;
	r = t_route(&have.ns[1], "10.99.0.0/16", "10.0.2.2", "eth2");
	r->proto = RTPROT_STATIC;
	for (i = 0; i < 2; i++) {
		plan_ok(&want, &have, i == 1, &p);
		assert_int_equal(p.n_drift, 2);
		assert_int_equal(p.n_acts, i == 1 ? 2 : 0);
		assert_int_equal(p.n_drift_acts, i == 1 ? 0 : 2);
		if (i == 1) {
			assert_true(act_index(&p, "tri-r1: delete route 10.99.0.0/16 via 10.0.2.2 dev eth2") >= 0);
			assert_true(act_index(&p, "tri-r1: delete route 10.98.0.0/16 via 10.0.2.2 dev eth2") >= 0);
		}
		plan_free(&p);
	}
	for (i = 0; i < ARRAY_SIZE(learned); i++) {
		r->proto = learned[i];
		assert_true(st_route_learned(r));
	}
	assert_string_equal(st_route_proto_name(r, buf, sizeof(buf)), "babel");
	r->proto = RTPROT_BIRD;
	assert_string_equal(st_route_proto_name(r, buf, sizeof(buf)), "bird");
	r->proto = 250;
	assert_string_equal(st_route_proto_name(r, buf, sizeof(buf)), "250");
	for (i = 0; i < 6; i++) {
		static const uint8_t never[] = { RTPROT_UNSPEC, RTPROT_KERNEL, RTPROT_BOOT,
						 RTPROT_STATIC, RTPROT_RA,     TOPO_RTPROT };

		r->proto = never[i];
		assert_false(st_route_learned(r));
	}
	state_free(&want);
	state_free(&have);
}

/* One drift item reads singular; a name with an escape byte is shown escaped. */
static void test_drift_text(void **unused)
{
	struct state want, have;
	struct st_iface *ifc;
	struct plan p;
	char *text;

	tri_want(&want);
	as_actual(&want, &have);
	ifc = t_if(&have.ns[0], "e\033[31m", ST_OTHER);
	ifc->alias[0] = '\0';
	ifc->ifindex = 7;
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_drift, 1);
	text = plan_text(&p);
	assert_has_line(text, "! drift tri-h1: interface e\\x1b[31m (up --prune removes it)");
	assert_has_line(text, "No changes. 1 drift item left alone.");
	assert_null(strchr(text, '\033'));
	free(text);
	plan_free(&p);

	plan_ok(&want, &have, true, &p);
	text = plan_text(&p);
	assert_has_line(text, "- link tri-h1:e\\x1b[31m (drift)");
	assert_has_line(text,
			"Plan: 0 to add, 0 to change, 1 to destroy. 1 of the deletions is drift.");
	assert_null(strchr(text, '\033'));
	free(text);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

static void test_drift(void **unused)
{
	struct state want, have;
	struct st_iface *ifc;
	struct st_route *r;
	struct plan p;
	char *text;

	tri_want(&want);
	as_actual(&want, &have);
	/* by hand: an address, a route, an interface */
	t_addr_proto(t_find(&have, "tri-h1", "lo"), "10.9.9.9/32", 0);
	r = t_route(&have.ns[0], "10.9.0.0/24", "10.0.1.9", "eth0");
	r->proto = RTPROT_BOOT;
	ifc = t_if(&have.ns[0], "x0", ST_OTHER);
	ifc->alias[0] = '\0';
	ifc->ifindex = 7;
	t_addr_proto(ifc, "10.7.7.7/24", 0);
	/* made by the kernel: never drift */
	t_if(&have.ns[0], "tunl0", ST_OTHER)->alias[0] = '\0';

	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 0);
	assert_int_equal(p.n_drift, 3);
	assert_int_equal(p.n_drift_acts, 3);
	assert_true(p.drift[0].drift);
	text = plan_text(&p);
	assert_has_line(text, "! drift tri-h1: address 10.9.9.9/32 on lo (up --prune removes it)");
	assert_has_line(text, "! drift tri-h1: route 10.9.0.0/24 via 10.0.1.9 dev eth0 "
			      "(up --prune removes it)");
	assert_has_line(text, "! drift tri-h1: interface x0 (up --prune removes it)");
	assert_has_line(text, "No changes. 3 drift items left alone.");
	free(text);
	plan_free(&p);

	/* --prune: the same removals become actions; the interface's own
	 * address goes with it */
	plan_ok(&want, &have, true, &p);
	assert_ordered(&p);
	assert_int_equal(p.n_acts, 3);
	assert_int_equal(p.n_drift_acts, 0);
	assert_int_equal(p.n_drift, 3);
	assert_int_equal(p.n_destroy, 3);
	assert_true(act_index(&p, "tri-h1: delete address 10.9.9.9/32 from lo") >= 0);
	assert_true(act_index(&p, "tri-h1: delete route 10.9.0.0/24 via 10.0.1.9 dev eth0") >= 0);
	assert_true(act_index(&p, "tri-h1: delete link x0") >= 0);
	assert_true(p.acts[0].drift && p.acts[1].drift && p.acts[2].drift);
	text = plan_text(&p);
	assert_has_line(text, "- addr tri-h1:lo 10.9.9.9/32 (drift)");
	assert_has_line(text,
			"Plan: 0 to add, 0 to change, 3 to destroy. 3 of the deletions are drift.");
	free(text);
	plan_free(&p);

	/* the same objects carrying topo's marks are topo's: destroyed, prune or not */
	state_free(&have);
	as_actual(&want, &have);
	t_addr(t_find(&have, "tri-h1", "lo"), "10.9.9.9/32");
	t_route(&have.ns[0], "10.9.0.0/24", "10.0.1.9", "eth0");
	ifc = t_if(&have.ns[0], "x0", ST_BRIDGE);
	ifc->ifindex = 7;
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 3);
	assert_int_equal(p.n_drift, 0);
	assert_int_equal(p.n_destroy, 3);
	assert_false(p.acts[0].drift);
	plan_free(&p);

	/* another lab's mark is not ours */
	snprintf(t_find(&have, "tri-h1", "x0")->alias, ST_ALIAS_MAX, "topo:trio");
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_drift, 1);
	assert_int_equal(p.n_drift_acts, 1);
	assert_int_equal(p.drift[0].type, ACT_LINK_DEL);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

/* The two links of r1 swap their far ends: both pairs are made again. */
static void test_veth_rewire(void **unused)
{
	struct state want, have;
	struct st_iface *ifc;
	struct plan p;
	int i;

	tri_want(&want);
	as_actual(&want, &have);
	ifc = t_find(&want, "tri-h1", "eth0");
	snprintf(ifc->peer_name, sizeof(ifc->peer_name), "eth2");
	ifc = t_find(&want, "tri-h2", "eth0");
	snprintf(ifc->peer_name, sizeof(ifc->peer_name), "eth1");
	ifc = t_find(&want, "tri-r1", "eth1");
	snprintf(ifc->peer_ns, sizeof(ifc->peer_ns), "tri-h2");
	ifc = t_find(&want, "tri-r1", "eth2");
	snprintf(ifc->peer_ns, sizeof(ifc->peer_ns), "tri-h1");

	plan_ok(&want, &have, false, &p);
	assert_ordered(&p);
	/* one deletion per old pair, before the creations that reuse the names */
	assert_int_equal(act_count(&p, ACT_LINK_DEL), 2);
	assert_int_equal(act_count(&p, ACT_VETH_ADD), 2);
	i = act_index(&p, "create link tri-h1:eth0 <-> tri-r1:eth2");
	assert_true(i > 1);
	assert_true(act_index(&p, "create link tri-h2:eth0 <-> tri-r1:eth1") > 1);
	/* the new devices get their addresses again; nothing is deleted from
	 * a device that goes away */
	assert_int_equal(act_count(&p, ACT_ADDR_DEL), 0);
	assert_int_equal(act_count(&p, ACT_ROUTE_DEL), 0);
	assert_int_equal(act_count(&p, ACT_ADDR_ADD), 6);
	assert_int_equal(act_count(&p, ACT_ROUTE_ADD), 3);
	/* the desired attributes ride on the creation */
	assert_int_equal(p.acts[i].iface.mtu, 1500);
	assert_string_equal(p.acts[i].iface.alias, "topo:tri");
	assert_string_equal(p.acts[i].iface.peer_ns, "tri-r1");
	assert_string_equal(p.acts[i].peer.name, "eth2");
	assert_string_equal(p.acts[i].peer.peer_ns, "tri-h1");
	assert_null(p.acts[i].iface.addrs);
	plan_free(&p);

	/* only one end re-wired (h1:eth0 now to r1:eth9): the old pair goes
	 * once, the orphaned r1:eth1 is topo's and is not made again */
	state_free(&want);
	tri_want(&want);
	ifc = t_find(&want, "tri-h1", "eth0");
	snprintf(ifc->peer_name, sizeof(ifc->peer_name), "eth9");
	ifc = t_find(&want, "tri-r1", "eth1");
	snprintf(ifc->name, sizeof(ifc->name), "eth9");
	plan_ok(&want, &have, false, &p);
	assert_int_equal(act_count(&p, ACT_LINK_DEL), 1);
	assert_int_equal(act_count(&p, ACT_VETH_ADD), 1);
	assert_true(act_index(&p, "create link tri-h1:eth0 <-> tri-r1:eth9") >= 0);
	plan_free(&p);

	/* a veth where a bridge should be: deleted, then the bridge is made */
	state_free(&want);
	tri_want(&want);
	t_if(&want.ns[2], "br0", ST_BRIDGE);
	snprintf(t_find(&want, "tri-h2", "eth0")->master, ST_IFNAMSIZ, "br0");
	ifc = t_veth(&have.ns[2], "br0", "h1", "x9");
	ifc->ifindex = 5;
	plan_ok(&want, &have, false, &p);
	assert_ordered(&p);
	assert_true(act_index(&p, "tri-h2: delete link br0") >= 0);
	assert_true(act_index(&p, "tri-h2: create bridge br0") >
		    act_index(&p, "tri-h2: delete link br0"));
	assert_true(act_index(&p, "tri-h2: set eth0 master br0") >
		    act_index(&p, "tri-h2: create bridge br0"));
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

static void test_ifindex_choice(void **unused)
{
	struct state want, have = {.lab = LAB};
	struct st_ns *ns;
	struct plan p;
	int i;

	/* new namespaces: both ends would get 2; they must differ */
	tri_want(&want);
	plan_ok(&want, &have, false, &p);
	i = act_index(&p, "create link tri-h1:eth0 <-> tri-r1:eth1");
	assert_int_equal(p.acts[i].ifindex, 2);
	assert_int_equal(p.acts[i].peer_ifindex, 3);
	assert_int_equal(p.acts[i].iface.ifindex, 2);
	assert_int_equal(p.acts[i].peer.ifindex, 3);
	/* r1's second link: 2 is free in tri-h2; in tri-r1 3 is taken and 2
	 * would equal the other end's */
	i = act_index(&p, "create link tri-h2:eth0 <-> tri-r1:eth2");
	assert_int_equal(p.acts[i].ifindex, 2);
	assert_int_equal(p.acts[i].peer_ifindex, 4);
	plan_free(&p);

	/* existing namespaces: skip every index in use */
	as_actual(&want, &have);
	t_find(&have, "tri-h1", "eth0")->ifindex = 3; /* h1: 1, 3 */
	ns = &want.ns[0];
	t_veth(ns, "eth1", "h2", "eth1");
	t_veth(&want.ns[2], "eth1", "h1", "eth1");
	plan_ok(&want, &have, false, &p);
	i = act_index(&p, "create link tri-h1:eth1 <-> tri-h2:eth1");
	assert_true(i >= 0);
	assert_int_equal(p.acts[i].ifindex, 2);	     /* the gap in tri-h1 */
	assert_int_equal(p.acts[i].peer_ifindex, 3); /* tri-h2 has 1, 2 */
	plan_free(&p);

	/* a bridge comes after the veths, with an index they left free */
	state_free(&have);
	have = (struct state){.lab = LAB};
	state_free(&want);
	tri_want(&want);
	t_if(&want.ns[2], "br0", ST_BRIDGE);
	plan_ok(&want, &have, false, &p);
	i = act_index(&p, "tri-h2: create bridge br0");
	assert_true(i >= 0);
	assert_int_equal(p.acts[i].ifindex, 3);
	assert_true(i > act_index(&p, "create link tri-h2:eth0 <-> tri-r1:eth2"));
	assert_true(i > act_index(&p, "create link tri-h1:eth0 <-> tri-r1:eth1"));
	i = act_index(&p, "create link tri-h2:eth0 <-> tri-r1:eth2");
	assert_int_equal(p.acts[i].ifindex, 2);
	plan_free(&p);
	state_free(&want);
}

static void test_bridge(void **unused)
{
	struct state want, have;
	struct plan p;
	int br, port;

	/* h2 becomes a bridge: br0 appears, its existing port is enslaved */
	tri_want(&want);
	as_actual(&want, &have);
	t_if(&want.ns[2], "br0", ST_BRIDGE);
	snprintf(t_find(&want, "tri-h2", "eth0")->master, ST_IFNAMSIZ, "br0");
	plan_ok(&want, &have, false, &p);
	assert_ordered(&p);
	br = act_index(&p, "tri-h2: create bridge br0");
	port = act_index(&p, "tri-h2: set eth0 master br0");
	assert_true(br >= 0 && port > br);
	assert_int_equal(p.acts[port].set, SET_MASTER);
	assert_int_equal(p.n_acts, 2);
	plan_free(&p);

	/* new lab: the port is created, then enslaved */
	state_free(&have);
	have = (struct state){.lab = LAB};
	plan_ok(&want, &have, false, &p);
	assert_ordered(&p);
	assert_true(act_index(&p, "tri-h2: set eth0 master br0") >
		    act_index(&p, "create link tri-h2:eth0 <-> tri-r1:eth2"));
	plan_free(&p);

	/* and back to a host: the bridge goes; its port is released with it */
	as_actual(&want, &have);
	state_free(&want);
	tri_want(&want);
	plan_ok(&want, &have, false, &p);
	assert_int_equal(p.n_acts, 1);
	assert_int_equal(act_index(&p, "tri-h2: delete link br0"), 0);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
}

static void test_describe_and_print(void **unused)
{
	struct state want, have = {.lab = LAB};
	struct action a;
	struct plan p;
	char buf[256], *text;

	memset(&a, 0, sizeof(a));
	a.type = ACT_ROUTE_ADD;
	snprintf(a.ns, sizeof(a.ns), "tri-r1");
	tri_want(&want);
	a.route = *t_route(&want.ns[1], "10.9.0.0/24", "10.0.1.9", NULL);
	assert_string_equal(action_describe(&a, buf, sizeof(buf)),
			    "tri-r1: add route 10.9.0.0/24 via 10.0.1.9");
	/* a short buffer truncates, never overflows */
	assert_string_equal(action_describe(&a, buf, 8), "tri-r1:");

	want.ns[1].routes[0].metric = 100;
	t_find(&want, "tri-h1", "eth0")->mtu = 9000;
	t_find(&want, "tri-r1", "eth1")->mtu = 9000;
	plan_ok(&want, &have, false, &p);
	text = plan_text(&p);
	assert_has_line(text, "+ link tri-h1:eth0 <-> tri-r1:eth1 (mtu 9000)");
	assert_has_line(text, "+ link tri-h2:eth0 <-> tri-r1:eth2");
	assert_has_line(text, "+ route tri-r1 10.9.0.0/24 via 10.0.1.9 metric 100");
	assert_has_line(text, "+ route tri-h1 default via 2001:db8:1::1");
	free(text);
	plan_free(&p);
	state_free(&want);
}

/* text_check - A's plan line and sentence are LINE and SENTENCE. */
static void text_check(const struct action *a, const char *line, const char *sentence)
{
	struct plan p = {.acts = (struct action *)a, .n_acts = 1};
	char buf[ACT_TEXT_MAX], *text = plan_text(&p);

	assert_has_line(text, line);
	assert_string_equal(action_describe(a, buf, sizeof(buf)), sentence);
	free(text);
}

static struct action *t_act(struct action *a, enum act_type type, const char *ifname)
{
	memset(a, 0, sizeof(*a));
	a->type = type;
	snprintf(a->ns, sizeof(a->ns), "tri-r1");
	snprintf(a->iface.name, sizeof(a->iface.name), "%s", ifname);
	return a;
}

/* Every action type and variant, in the words of plan_text.c. */
static void test_text_of_routes_addrs(void **unused)
{
	struct state want;
	struct st_route *r;
	struct action a;

	tri_want(&want);
	r = t_route(&want.ns[1], "10.9.0.0/24", "10.0.1.9", "eth1");
	t_act(&a, ACT_ROUTE_DEL, "")->route = *r;
	text_check(&a, "- route tri-r1 10.9.0.0/24 via 10.0.1.9 dev eth1",
		   "tri-r1: delete route 10.9.0.0/24 via 10.0.1.9 dev eth1");
	a.drift = true;
	text_check(&a, "- route tri-r1 10.9.0.0/24 via 10.0.1.9 dev eth1 (drift)",
		   "tri-r1: delete route 10.9.0.0/24 via 10.0.1.9 dev eth1");
	a.drift = false;
	a.readd = true;
	text_check(&a,
		   "~ route tri-r1 10.9.0.0/24 via 10.0.1.9 dev eth1 (deleted and added again: "
		   "eth1 loses its IPv4 address)",
		   "tri-r1: delete route 10.9.0.0/24 via 10.0.1.9 dev eth1");
	a.type = ACT_ROUTE_ADD;
	text_check(&a, "~ route tri-r1 10.9.0.0/24 via 10.0.1.9 dev eth1 (added again)",
		   "tri-r1: add route 10.9.0.0/24 via 10.0.1.9 dev eth1");
	a.readd = false;
	a.paired = true;
	a.route_pair = t_route(&want.ns[1], "10.9.0.0/24", NULL, NULL);
	text_check(&a, "~ route tri-r1 10.9.0.0/24 via 10.0.1.9 dev eth1 (was no gateway)",
		   "tri-r1: add route 10.9.0.0/24 via 10.0.1.9 dev eth1");
	a.type = ACT_ROUTE_DEL;
	text_check(&a, "~ route tri-r1 10.9.0.0/24 via 10.0.1.9 dev eth1 (replaced by no gateway)",
		   "tri-r1: delete route 10.9.0.0/24 via 10.0.1.9 dev eth1");

	t_act(&a, ACT_ADDR_DEL, "eth1")->addr = (struct st_addr){AF_INET, {10, 0, 1, 1}, 24, 0};
	text_check(&a, "- addr tri-r1:eth1 10.0.1.1/24",
		   "tri-r1: delete address 10.0.1.1/24 from eth1");
	a.paired = true;
	a.addr_pair_plen = 16;
	text_check(&a, "~ addr tri-r1:eth1 10.0.1.1/24 (replaced by 10.0.1.1/16)",
		   "tri-r1: delete address 10.0.1.1/24 from eth1");
	a.type = ACT_ADDR_ADD;
	text_check(&a, "~ addr tri-r1:eth1 10.0.1.1/24 (was 10.0.1.1/16)",
		   "tri-r1: add address 10.0.1.1/24 to eth1");
	a.paired = false;
	text_check(&a, "+ addr tri-r1:eth1 10.0.1.1/24", "tri-r1: add address 10.0.1.1/24 to eth1");

	state_free(&want);
}

static void test_text_of_links(void **unused)
{
	struct action a;

	t_act(&a, ACT_LINK_DEL, "br0");
	text_check(&a, "- link tri-r1:br0", "tri-r1: delete link br0");
	a.iface.kind = ST_VETH;
	snprintf(a.iface.peer_ns, sizeof(a.iface.peer_ns), "tri-h1");
	snprintf(a.iface.peer_name, sizeof(a.iface.peer_name), "eth0");
	a.drift = true;
	text_check(&a, "- link tri-r1:br0 <-> tri-h1:eth0 (drift)", "tri-r1: delete link br0");

	text_check(t_act(&a, ACT_NS_DEL, ""), "- ns tri-r1", "delete namespace tri-r1");
	text_check(t_act(&a, ACT_NS_ADD, ""), "+ ns tri-r1", "create namespace tri-r1");
	text_check(t_act(&a, ACT_BRIDGE_ADD, "br0"), "+ bridge tri-r1:br0",
		   "tri-r1: create bridge br0");

	t_act(&a, ACT_SYSCTL_SET, "");
	snprintf(a.sysctl.key, sizeof(a.sysctl.key), "net.ipv4.ip_forward");
	snprintf(a.sysctl.value, sizeof(a.sysctl.value), "1");
	text_check(&a, "~ sysctl tri-r1 net.ipv4.ip_forward = 1",
		   "tri-r1: set sysctl net.ipv4.ip_forward to 1");
	snprintf(a.sysctl_was, sizeof(a.sysctl_was), "0");
	text_check(&a, "~ sysctl tri-r1 net.ipv4.ip_forward 0 -> 1",
		   "tri-r1: set sysctl net.ipv4.ip_forward to 1");

	t_act(&a, ACT_VETH_ADD, "eth1");
	snprintf(a.iface.peer_ns, sizeof(a.iface.peer_ns), "tri-h1");
	snprintf(a.peer.name, sizeof(a.peer.name), "eth0");
	a.iface.up = true;
	text_check(&a, "+ link tri-r1:eth1 <-> tri-h1:eth0",
		   "create link tri-r1:eth1 <-> tri-h1:eth0");
	a.iface.up = false;
	a.iface.mtu = 9000;
	a.peer.has_mac = true;
	memcpy(a.peer.mac, "\x02\0\0\0\0\x01", 6);
	text_check(
	    &a, "+ link tri-r1:eth1 <-> tri-h1:eth0 (mtu 9000, down, eth0 mac 02:00:00:00:00:01)",
	    "create link tri-r1:eth1 <-> tri-h1:eth0");
	/* two ends, two MTUs (an endpoint's own) */
	a.peer.mtu = 1400;
	a.peer.has_mac = false;
	text_check(&a, "+ link tri-r1:eth1 <-> tri-h1:eth0 (mtu 9000 <-> 1400, down)",
		   "create link tri-r1:eth1 <-> tri-h1:eth0");
}

static void test_text_of_link_set_exec(void **unused)
{
	struct action a;

	t_act(&a, ACT_LINK_SET, "eth1")->set = SET_MASTER;
	snprintf(a.iface.master, sizeof(a.iface.master), "br0");
	text_check(&a, "~ link tri-r1:eth1 master none -> br0", "tri-r1: set eth1 master br0");
	a.iface.master[0] = '\0';
	snprintf(a.was.master, sizeof(a.was.master), "br1");
	text_check(&a, "~ link tri-r1:eth1 master br1 -> none", "tri-r1: set eth1 nomaster");
	a.set = SET_UP;
	a.was.up = true;
	text_check(&a, "~ link tri-r1:eth1 state up -> down", "tri-r1: set eth1 down");
	a.set = SET_ALIAS;
	snprintf(a.iface.alias, sizeof(a.iface.alias), "topo:tri");
	text_check(&a, "~ link tri-r1:eth1 alias none -> topo:tri",
		   "tri-r1: set eth1 alias topo:tri");
	a.set = SET_MAC;
	a.iface.has_mac = true;
	memcpy(a.iface.mac, "\x02\0\0\0\0\x02", 6);
	text_check(&a, "~ link tri-r1:eth1 mac none -> 02:00:00:00:00:02",
		   "tri-r1: set eth1 mac 02:00:00:00:00:02");
	a.set = SET_MTU;
	a.iface.mtu = 9000;
	a.was.mtu = 1500;
	text_check(&a, "~ link tri-r1:eth1 mtu 1500 -> 9000", "tri-r1: set eth1 mtu 9000");

	t_act(&a, ACT_EXEC, "")->exec_cmd = "ip link set eth1 up";
	text_check(&a, "+ exec tri-r1 'ip link set eth1 up'", "tri-r1: exec 'ip link set eth1 up'");
	t_act(&a, ACT_EXEC_FORGET, "");
	snprintf(a.exec_was, sizeof(a.exec_was), "true");
	text_check(&a, "- exec tri-r1 'true' (forgotten, not undone: what it did stays, yours to undo)",
		   "tri-r1: forget exec 'true' (what it did stays, yours to undo)");
}

/* A sentence longer than 64 bytes comes whole (status cut drift lines there). */
static void test_long_sentence(void **unused)
{
	struct state want;
	struct action a;
	char buf[ACT_TEXT_MAX];

	tri_want(&want);
	t_act(&a, ACT_ROUTE_DEL, "")->route =
	    *t_route(&want.ns[1], "2001:db8:aaaa:bbbb:cccc:dddd:eeee:0/112",
		     "2001:db8:1:0:ffff:ffff:ffff:ffff", "eth0-long-name");
	a.route.metric = 4000000000u;
	assert_string_equal(
	    action_describe(&a, buf, sizeof(buf)),
	    "tri-r1: delete route 2001:db8:aaaa:bbbb:cccc:dddd:eeee:0/112 via "
	    "2001:db8:1:0:ffff:ffff:ffff:ffff dev eth0-long-name metric 4000000000");
	state_free(&want);
}

static void test_bad_args(void **unused)
{
	struct state s = {.lab = LAB};
	struct plan p;

	assert_int_equal(plan_diff(NULL, &s, false, &p), -EINVAL);
	assert_int_equal(plan_diff(&s, NULL, false, &p), -EINVAL);
	plan_free(NULL);
	state_free(NULL);
	/* half-built values free cleanly */
	t_ns(&s, "h1");
	state_free(&s);
	assert_int_equal(s.n_ns, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_noop),
	    cmocka_unit_test(test_empty_to_lab),
	    cmocka_unit_test(test_lab_to_empty),
	    cmocka_unit_test(test_foreign_namespace),
	    cmocka_unit_test(test_add_node),
	    cmocka_unit_test(test_remove_node),
	    cmocka_unit_test(test_add_remove_link),
	    cmocka_unit_test(test_address_changes),
	    cmocka_unit_test(test_link_local),
	    cmocka_unit_test(test_last_ipv4_address),
	    cmocka_unit_test(test_mtu_mac_alias),
	    cmocka_unit_test(test_text_of_routes_addrs),
	    cmocka_unit_test(test_text_of_links),
	    cmocka_unit_test(test_text_of_link_set_exec),
	    cmocka_unit_test(test_long_sentence),
	    cmocka_unit_test(test_link_state),
	    cmocka_unit_test(test_route_change),
	    cmocka_unit_test(test_sysctls),
	    cmocka_unit_test(test_sysctl_dropped),
	    cmocka_unit_test(test_exec),
	    cmocka_unit_test(test_drift),
	    cmocka_unit_test(test_drift_text),
	    cmocka_unit_test(test_veth_rewire),
	    cmocka_unit_test(test_ifindex_choice),
	    cmocka_unit_test(test_bridge),
	    cmocka_unit_test(test_describe_and_print),
	    cmocka_unit_test(test_bad_args),
	    cmocka_unit_test(test_learned_routes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
