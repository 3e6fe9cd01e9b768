// SPDX-License-Identifier: MIT
/*
 * The planner: the desired state and the actual one in, ordered actions out.
 * Pure: no kernel, no printing except plan_print() into a caller's FILE.
 *
 * It works on "what will be alive": deleting one end of a veth pair
 * deletes the other, deleting a device deletes its addresses and routes,
 * and deleting the last IPv4 address of a device flushes its IPv4 routes.
 * The planner tracks these side effects so that it neither deletes what
 * is already gone (the kernel would answer ENOENT) nor leaves out what must
 * be made again.
 */

#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "plan.h"
#include "util.h"

/* The groups of plan.h, in the order they run. */
enum group {
	G_ROUTE_DEL,
	G_ADDR_DEL,
	G_LINK_DEL,
	G_NS_DEL,
	G_NS_ADD,
	G_SYSCTL_NS,
	G_VETH_ADD,
	G_BRIDGE_ADD, /* after the veths: see plan_link_creations() */
	G_LINK_SET,
	G_SYSCTL_IF,
	G_ADDR_ADD,
	G_ROUTE_ADD,
	G_EXEC,
	G_COUNT,
};

enum tally { T_NONE, T_ADD, T_CHANGE, T_DESTROY };

/* Marks on from/to of a route deleted and added again, unchanged. */
#define READD "re-add"

#define KEY_MAX (ST_NSNAMSIZ + ST_IFNAMSIZ + 16)

struct planner {
	const struct state *want, *have;
	bool prune;
	struct plan *p;
	struct action *g[G_COUNT], *dg[G_COUNT]; /* actions; drift left alone */
	size_t n_g[G_COUNT], n_dg[G_COUNT];
	size_t cap_g[G_COUNT], cap_dg[G_COUNT];
	struct strmap have_ns; /* owned actual namespace name -> index */
	struct strmap want_ns; /* desired namespace name -> index */
	bool *new_ns;	       /* per desired namespace: ns+ creates it */
	struct strmap dead;    /* "ns/ifname": gone once the deletions ran */
	struct strmap killed;  /* "ns/ifname": deleted by an action of this plan */
	struct strmap fresh;   /* "ns/ifname": created by this plan */
	struct strmap v4lost;  /* "ns/ifname": loses its last IPv4 address */
	struct strmap ifindex; /* "ns/ifindex": chosen by this plan */
};

/*
 * Devices the kernel creates by itself in every new namespace once their
 * module is loaded (the tunnel drivers' fallback devices): neither the
 * file's business nor drift, and the kernel refuses to delete them.
 */
static const char *const kernel_devices[] = {
    "tunl0", "sit0", "ip6tnl0", "gre0", "gretap0", "erspan0", "ip6gre0", "ip_vti0", "ip6_vti0",
};

static size_t ifkey(char *buf, const char *ns, const char *name)
{
	return (size_t)snprintf(buf, KEY_MAX, "%s/%s", ns, name);
}

static bool set_has(const struct strmap *m, const char *ns, const char *name)
{
	char k[KEY_MAX];

	return strmap_get(m, k, ifkey(k, ns, name), NULL);
}

static void set_add(struct strmap *m, const char *ns, const char *name)
{
	char k[KEY_MAX];

	strmap_put(m, k, ifkey(k, ns, name), 1, NULL);
}

static const struct st_ns *have_find(const struct planner *pl, const char *nsname)
{
	size_t i;

	if (!strmap_get(&pl->have_ns, nsname, strlen(nsname), &i))
		return NULL;
	return &pl->have->ns[i];
}

static const struct st_ns *want_find(const struct planner *pl, const char *nsname)
{
	size_t i;

	if (!strmap_get(&pl->want_ns, nsname, strlen(nsname), &i))
		return NULL;
	return &pl->want->ns[i];
}

/* alive - the actual interface NAME in NSNAME if it outlives the deletions. */
static const struct st_iface *alive(const struct planner *pl, const char *nsname, const char *name)
{
	const struct st_ns *ns = have_find(pl, nsname);
	const struct st_iface *ifc;

	if (!ns || !want_find(pl, nsname))
		return NULL;
	ifc = st_ns_iface_find(ns, name);
	if (!ifc || set_has(&pl->dead, nsname, name))
		return NULL;
	return ifc;
}

/* An interface alias "topo:<lab>" or "topo:<lab>:<anything>" is topo's. */
static bool marked(const struct planner *pl, const char *alias)
{
	size_t n = strlen(TOPO_MARK_PREFIX), l = strlen(pl->want->lab);

	return !strncmp(alias, TOPO_MARK_PREFIX, n) && !strncmp(alias + n, pl->want->lab, l) &&
	       (alias[n + l] == '\0' || alias[n + l] == ':');
}

static bool kernel_device(const struct st_iface *ifc)
{
	size_t i;

	if (ifc->kind == ST_LO)
		return true;
	if (ifc->kind != ST_OTHER)
		return false;
	for (i = 0; i < ARRAY_SIZE(kernel_devices); i++) {
		if (!strcmp(ifc->name, kernel_devices[i]))
			return true;
	}
	return false;
}

/* What the kernel adds by itself: link-local IPv6, and loopback on lo. */
static bool addr_kernel(const struct st_addr *a, bool on_lo)
{
	static const uint8_t v4lo[4] = {127, 0, 0, 1}, v6lo[16] = {[15] = 1};

	if (a->family == AF_INET6 && a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80)
		return true;
	if (!on_lo)
		return false;
	if (a->family == AF_INET)
		return a->plen == 8 && !memcmp(a->addr, v4lo, 4);
	return a->family == AF_INET6 && a->plen == 128 && !memcmp(a->addr, v6lo, 16);
}

/* Routes the kernel makes: prefix and link-local routes, router advertisements. */
static bool route_kernel(const struct st_route *r)
{
	if (r->proto == RTPROT_KERNEL || r->proto == RTPROT_RA)
		return true;
	return r->family == AF_INET6 && r->dst_len >= 8 &&
	       (r->dst[0] == 0xff || (r->dst[0] == 0xfe && (r->dst[1] & 0xc0) == 0x80));
}

static bool addr_eq(const struct st_addr *a, const struct st_addr *b)
{
	return a->family == b->family && a->plen == b->plen &&
	       !memcmp(a->addr, b->addr, addr_len(a->family));
}

static const struct st_addr *addr_find(const struct st_iface *ifc, const struct st_addr *a)
{
	size_t i;

	for (i = 0; ifc && i < ifc->n_addrs; i++) {
		if (addr_eq(&ifc->addrs[i], a))
			return &ifc->addrs[i];
	}
	return NULL;
}

/*
 * The same address with another prefix length in IN and absent from NOT_IN:
 * the two are one change (a prefix length is not changed in place, and IPv6
 * refuses the same address twice on a device).
 */
static const struct st_addr *addr_other_plen(const struct st_iface *in, const struct st_addr *a,
					     const struct st_iface *not_in)
{
	size_t i;

	for (i = 0; in && i < in->n_addrs; i++) {
		const struct st_addr *b = &in->addrs[i];

		if (b->family == a->family && b->plen != a->plen &&
		    !memcmp(b->addr, a->addr, addr_len(a->family)) && !addr_find(not_in, b))
			return b;
	}
	return NULL;
}

static bool route_key_eq(const struct st_route *a, const struct st_route *b)
{
	return a->family == b->family && a->dst_len == b->dst_len && a->metric == b->metric &&
	       !memcmp(a->dst, b->dst, addr_len(a->family));
}

/* Do actual route R's gateway and device satisfy desired route D? */
static bool route_attrs_eq(const struct st_route *d, const struct st_route *r)
{
	if (d->has_gw != r->has_gw)
		return false;
	if (d->has_gw && memcmp(d->gw, r->gw, addr_len(d->family)))
		return false;
	return !d->dev[0] || !strcmp(d->dev, r->dev);
}

static const char *route_fmt(const struct st_route *r, char *buf, size_t len)
{
	char ip[64];
	size_t n;

	if (r->dst_len == 0)
		n = (size_t)snprintf(buf, len, "default");
	else
		n = (size_t)snprintf(buf, len, "%s/%u", ip_fmt(r->family, r->dst, ip, sizeof(ip)),
				     r->dst_len);
	if (r->has_gw && n < len)
		n += (size_t)snprintf(buf + n, len - n, " via %s",
				      ip_fmt(r->family, r->gw, ip, sizeof(ip)));
	if (r->dev[0] && n < len)
		n += (size_t)snprintf(buf + n, len - n, " dev %s", r->dev);
	if (r->metric != (r->family == AF_INET6 ? 1024u : 0u) && n < len)
		snprintf(buf + n, len - n, " metric %u", r->metric);
	return buf;
}

/* "via 10.0.1.1 dev eth0": what a route change changes. */
static void route_attrs_fmt(const struct st_route *r, char *buf, size_t len)
{
	char ip[64];
	size_t n = 0;

	buf[0] = '\0';
	if (r->has_gw)
		n = (size_t)snprintf(buf, len, "via %s", ip_fmt(r->family, r->gw, ip, sizeof(ip)));
	if (r->dev[0] && n < len)
		n += (size_t)snprintf(buf + n, len - n, "%sdev %s", n ? " " : "", r->dev);
	if (!n)
		snprintf(buf, len, "no gateway");
}

static const char *addr_fmt(const struct st_addr *a, char *buf, size_t len)
{
	struct cidr c = {.family = a->family, .plen = a->plen};

	memcpy(c.addr, a->addr, sizeof(c.addr));
	return cidr_fmt(&c, buf, len);
}

static void act_init(struct action *a, enum act_type type, const char *ns, const char *node)
{
	memset(a, 0, sizeof(*a));
	a->type = type;
	snprintf(a->ns, sizeof(a->ns), "%s", ns);
	snprintf(a->node, sizeof(a->node), "%s", node);
}

/* The action's copy of an interface does not own its addresses. */
static void iface_copy(struct st_iface *dst, const struct st_iface *src)
{
	*dst = *src;
	dst->addrs = NULL;
	dst->n_addrs = 0;
}

/* push - append A; actions are large and plans of big labs long: grow by doubling. */
static void push(struct action **v, size_t *n, size_t *cap, const struct action *a)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = *a;
}

static void emit(struct planner *pl, enum group g, enum tally t, const struct action *a)
{
	push(&pl->g[g], &pl->n_g[g], &pl->cap_g[g], a);
	if (t == T_ADD)
		pl->p->n_add++;
	else if (t == T_CHANGE)
		pl->p->n_change++;
	else if (t == T_DESTROY)
		pl->p->n_destroy++;
}

/* emit_drift - removal of something the file does not describe; true if it runs. */
static bool emit_drift(struct planner *pl, enum group g, struct action *a)
{
	a->drift = true;
	pl->p->n_drift++;
	if (pl->prune) {
		emit(pl, g, T_DESTROY, a);
		return true;
	}
	push(&pl->dg[g], &pl->n_dg[g], &pl->cap_dg[g], a);
	return false;
}

/*
 * link_kill - delete actual interface IFC of namespace NSNAME. Deleting one
 * end of a veth pair deletes the other: one action per pair.
 */
static void link_kill(struct planner *pl, const char *nsname, const char *node,
		      const struct st_iface *ifc, bool drift)
{
	struct action a;
	bool veth_peer = ifc->kind == ST_VETH && ifc->peer_ns[0];

	if (set_has(&pl->dead, nsname, ifc->name))
		return;
	if (veth_peer && set_has(&pl->killed, ifc->peer_ns, ifc->peer_name)) {
		set_add(&pl->dead, nsname, ifc->name);
		return;
	}
	act_init(&a, ACT_LINK_DEL, nsname, node);
	iface_copy(&a.iface, ifc);
	if (drift) {
		if (!emit_drift(pl, G_LINK_DEL, &a))
			return;
	} else {
		emit(pl, G_LINK_DEL, T_DESTROY, &a);
	}
	set_add(&pl->dead, nsname, ifc->name);
	set_add(&pl->killed, nsname, ifc->name);
	if (veth_peer)
		set_add(&pl->dead, ifc->peer_ns, ifc->peer_name);
}

/*
 * ifindex_choose - the smallest index >= 2 that no interface of NSNAME has
 * and this plan has not chosen, other than AVOID. Choosing indexes up front
 * keeps the two ends of a pair apart (the same index on both ends delays
 * link events) and out of each other's way.
 */
static int ifindex_choose(struct planner *pl, const char *nsname, int avoid)
{
	const struct st_ns *ns = have_find(pl, nsname);
	char k[KEY_MAX], idx[16];
	size_t i;
	int c;

	for (c = 2;; c++) {
		bool used = c == avoid;

		for (i = 0; !used && ns && i < ns->n_ifaces; i++)
			used = ns->ifaces[i].ifindex == c;
		snprintf(idx, sizeof(idx), "%d", c);
		if (!used && !strmap_get(&pl->ifindex, k, ifkey(k, nsname, idx), NULL))
			break;
	}
	strmap_put(&pl->ifindex, k, strlen(k), 1, NULL);
	return c;
}

static void plan_errors(struct planner *pl)
{
	const struct state *w = pl->want, *h = pl->have;
	struct strmap foreign = {0};
	size_t i;

	for (i = 0; i < h->n_foreign; i++)
		strmap_put(&foreign, h->foreign[i], strnlen(h->foreign[i], ST_NSNAMSIZ), i, NULL);
	/* observe may also list a namespace it found unmarked among the lab's */
	for (i = 0; i < h->n_ns; i++) {
		if (!h->ns[i].owned)
			strmap_put(&foreign, h->ns[i].name, strlen(h->ns[i].name), i, NULL);
	}
	for (i = 0; i < w->n_ns; i++) {
		if (strmap_get(&foreign, w->ns[i].name, strlen(w->ns[i].name), NULL))
			*VEC_PUSH(&pl->p->errors, &pl->p->n_errors) =
			    xasprintf("namespace %s exists and is not owned by lab %s; topo will "
				      "not touch it",
				      w->ns[i].name, w->lab);
	}
	strmap_free(&foreign);
}

/* Namespaces: ns- (after a link- per veth pair), ns+. */
static void plan_namespaces(struct planner *pl)
{
	const struct state *w = pl->want, *h = pl->have;
	struct action a;
	size_t i, j;

	for (i = 0; i < h->n_ns; i++) {
		const struct st_ns *hn = &h->ns[i];

		if (!hn->owned || want_find(pl, hn->name))
			continue;
		/* veth deletion is synchronous, namespace teardown is not: a
		 * peer left behind would clash with a name used right after.
		 * An end whose peer is unknown is left to the teardown: its
		 * twin may be here too (`down` does not resolve peers) and one
		 * deletion would make the other fail; a peer in a kept
		 * namespace is deleted from there, where it is wired wrong. */
		for (j = 0; j < hn->n_ifaces; j++) {
			if (hn->ifaces[j].kind == ST_VETH && hn->ifaces[j].peer_ns[0])
				link_kill(pl, hn->name, hn->node, &hn->ifaces[j], false);
		}
		act_init(&a, ACT_NS_DEL, hn->name, hn->node);
		emit(pl, G_NS_DEL, T_DESTROY, &a);
	}
	for (i = 0; i < w->n_ns; i++) {
		const struct st_ns *wn = &w->ns[i];
		const struct st_iface *lo = st_ns_iface_find(wn, "lo");

		if (!pl->new_ns[i])
			continue;
		act_init(&a, ACT_NS_ADD, wn->name, wn->node);
		if (lo)
			iface_copy(&a.iface, lo);
		emit(pl, G_NS_ADD, T_ADD, &a);
	}
}

/* veth_intact - does actual IFC realise desired veth D of NSNAME, with its peer? */
static bool veth_intact(const struct planner *pl, const char *nsname, const struct st_iface *d,
			const struct st_iface *ifc)
{
	const struct st_iface *peer;

	/* an unknown peer namespace is outside the lab: not the desired one */
	if (ifc->kind != ST_VETH || !ifc->peer_ns[0] || strcmp(ifc->peer_ns, d->peer_ns) ||
	    strcmp(ifc->peer_name, d->peer_name))
		return false;
	peer = alive(pl, d->peer_ns, d->peer_name);
	return peer && peer->kind == ST_VETH && !strcmp(peer->peer_ns, nsname) &&
	       !strcmp(peer->peer_name, d->name);
}

/* Deletions of interfaces in kept namespaces: extra ones, wrong kind, wrong peer. */
static void plan_link_deletions(struct planner *pl)
{
	const struct state *w = pl->want;
	bool changed;
	size_t i, j;

	for (i = 0; i < w->n_ns; i++) {
		const struct st_ns *wn = &w->ns[i], *hn = have_find(pl, wn->name);

		if (pl->new_ns[i] || !hn)
			continue;
		for (j = 0; j < hn->n_ifaces; j++) {
			const struct st_iface *ifc = &hn->ifaces[j];
			const struct st_iface *d = st_ns_iface_find(wn, ifc->name);

			if (d) {
				if (d->kind != ifc->kind)
					link_kill(pl, wn->name, wn->node, ifc, false);
			} else if (!kernel_device(ifc)) {
				link_kill(pl, wn->name, wn->node, ifc, !marked(pl, ifc->alias));
			}
		}
	}

	/* Deleting an end kills its peer, which may break another desired
	 * pair: repeat until every surviving veth is wired as desired. */
	do {
		changed = false;
		for (i = 0; i < w->n_ns; i++) {
			const struct st_ns *wn = &w->ns[i];

			for (j = 0; j < wn->n_ifaces; j++) {
				const struct st_iface *d = &wn->ifaces[j], *ifc;

				if (d->kind != ST_VETH)
					continue;
				ifc = alive(pl, wn->name, d->name);
				if (!ifc || veth_intact(pl, wn->name, d, ifc))
					continue;
				link_kill(pl, wn->name, wn->node, ifc, false);
				changed = true;
			}
		}
	} while (changed);
}

/*
 * link+: veth pairs, then bridges. Each veth end asks for an index chosen
 * here; a bridge made first could take one of them (the kernel allocates
 * indexes cyclically, not lowest-free), a bridge made last cannot.
 */
static void plan_link_creations(struct planner *pl)
{
	const struct state *w = pl->want;
	char ka[KEY_MAX], kb[KEY_MAX];
	struct action a;
	size_t i, j;

	for (i = 0; i < w->n_ns; i++) {
		const struct st_ns *wn = &w->ns[i], *pn;
		const struct st_iface *d, *pd;
		struct st_iface peer;

		for (j = 0; j < wn->n_ifaces; j++) {
			d = &wn->ifaces[j];
			if (d->kind != ST_VETH || alive(pl, wn->name, d->name) ||
			    set_has(&pl->fresh, wn->name, d->name))
				continue;
			pn = want_find(pl, d->peer_ns);
			pd = pn ? st_ns_iface_find(pn, d->peer_name) : NULL;
			if (pd) {
				iface_copy(&peer, pd);
			} else {
				/* a desired state without the other end: mirror this one */
				iface_copy(&peer, d);
				snprintf(peer.name, sizeof(peer.name), "%s", d->peer_name);
				snprintf(peer.peer_ns, sizeof(peer.peer_ns), "%s", wn->name);
				snprintf(peer.peer_name, sizeof(peer.peer_name), "%s", d->name);
				peer.master[0] = '\0';
			}
			ifkey(ka, wn->name, d->name);
			ifkey(kb, d->peer_ns, d->peer_name);
			if (strcmp(ka, kb) <= 0) {
				act_init(&a, ACT_VETH_ADD, wn->name, wn->node);
				iface_copy(&a.iface, d);
				a.peer = peer;
			} else {
				act_init(&a, ACT_VETH_ADD, d->peer_ns, pn ? pn->node : "");
				a.iface = peer;
				iface_copy(&a.peer, d);
			}
			a.ifindex = ifindex_choose(pl, a.ns, 0);
			a.peer_ifindex = ifindex_choose(pl, a.iface.peer_ns, a.ifindex);
			a.iface.ifindex = a.ifindex;
			a.peer.ifindex = a.peer_ifindex;
			emit(pl, G_VETH_ADD, T_ADD, &a);
			set_add(&pl->fresh, wn->name, d->name);
			set_add(&pl->fresh, d->peer_ns, d->peer_name);
		}
	}

	for (i = 0; i < w->n_ns; i++) {
		const struct st_ns *wn = &w->ns[i];

		for (j = 0; j < wn->n_ifaces; j++) {
			const struct st_iface *d = &wn->ifaces[j];

			if (d->kind != ST_BRIDGE || alive(pl, wn->name, d->name))
				continue;
			act_init(&a, ACT_BRIDGE_ADD, wn->name, wn->node);
			iface_copy(&a.iface, d);
			/* a free index too, though the kernel may pick its own:
			 * made after the veths, the bridge cannot take theirs */
			a.ifindex = ifindex_choose(pl, wn->name, 0);
			a.iface.ifindex = a.ifindex;
			emit(pl, G_BRIDGE_ADD, T_ADD, &a);
			set_add(&pl->fresh, wn->name, d->name);
		}
	}
}

static void link_set(struct planner *pl, const struct st_ns *wn, const struct st_iface *d,
		     const struct st_iface *ifc, unsigned set, const char *from, const char *to)
{
	struct action a;

	act_init(&a, ACT_LINK_SET, wn->name, wn->node);
	iface_copy(&a.iface, d);
	a.iface.ifindex = ifc ? ifc->ifindex : 0;
	a.set = set;
	snprintf(a.from, sizeof(a.from), "%s", from);
	snprintf(a.to, sizeof(a.to), "%s", to);
	emit(pl, G_LINK_SET, T_CHANGE, &a);
}

/* link~: one action per attribute, so that each "~" line says one thing. */
static void plan_link_changes(struct planner *pl)
{
	const struct state *w = pl->want;
	char from[64], to[64];
	size_t i, j;

	for (i = 0; i < w->n_ns; i++) {
		const struct st_ns *wn = &w->ns[i];

		for (j = 0; j < wn->n_ifaces; j++) {
			const struct st_iface *d = &wn->ifaces[j], *ifc;
			const char *master;

			if (set_has(&pl->fresh, wn->name, d->name)) {
				/* created unenslaved: the bridge may not exist yet
				 * when the pair does (apply may fold this) */
				if (d->kind == ST_VETH && d->master[0])
					link_set(pl, wn, d, NULL, SET_MASTER, "", d->master);
				continue;
			}
			ifc = alive(pl, wn->name, d->name);
			if (!ifc)
				continue; /* lo of a new namespace: ns+ sets it up */
			/* a deleted bridge releases its ports */
			master =
			    ifc->master[0] && alive(pl, wn->name, ifc->master) ? ifc->master : "";
			if (strcmp(master, d->master))
				link_set(pl, wn, d, ifc, SET_MASTER, master, d->master);
			if (d->mtu && d->mtu != ifc->mtu) {
				snprintf(from, sizeof(from), "%u", ifc->mtu);
				snprintf(to, sizeof(to), "%u", d->mtu);
				link_set(pl, wn, d, ifc, SET_MTU, from, to);
			}
			if (d->has_mac && (!ifc->has_mac || memcmp(d->mac, ifc->mac, 6))) {
				if (ifc->has_mac)
					mac_fmt(ifc->mac, from, sizeof(from));
				else
					snprintf(from, sizeof(from), "none");
				link_set(pl, wn, d, ifc, SET_MAC, from,
					 mac_fmt(d->mac, to, sizeof(to)));
			}
			if (strcmp(d->alias, ifc->alias))
				link_set(pl, wn, d, ifc, SET_ALIAS, ifc->alias, d->alias);
			if (d->up != ifc->up)
				link_set(pl, wn, d, ifc, SET_UP, ifc->up ? "up" : "down",
					 d->up ? "up" : "down");
		}
	}
}

/*
 * sysctl_iface - the interface a per-interface key names ("eth0" in
 * net.ipv4.conf.eth0.rp_filter), or false for a namespace-wide key. sysctl
 * writes a dot in an interface name as '/'.
 */
static bool sysctl_iface(const char *key, char *ifname, size_t len)
{
	static const char *const pre[] = {
	    "net.ipv4.conf.",
	    "net.ipv6.conf.",
	    "net.ipv4.neigh.",
	    "net.ipv6.neigh.",
	};
	const char *s = NULL, *e;
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(pre) && !s; i++) {
		if (!strncmp(key, pre[i], strlen(pre[i])))
			s = key + strlen(pre[i]);
	}
	if (!s || !(e = strchr(s, '.')))
		return false;
	n = (size_t)(e - s);
	if (n == 0 || n >= len)
		return false;
	memcpy(ifname, s, n);
	ifname[n] = '\0';
	for (i = 0; i < n; i++) {
		if (ifname[i] == '/')
			ifname[i] = '.';
	}
	return strcmp(ifname, "all") && strcmp(ifname, "default") && strcmp(ifname, "lo");
}

/* Values compare as words: the kernel prints "4096\t131072" for "4096 131072". */
static bool sysctl_value_eq(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ' || *a == '\t' || *a == '\n')
			a++;
		while (*b == ' ' || *b == '\t' || *b == '\n')
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		while (*a && *a == *b && *a != ' ' && *a != '\t' && *a != '\n') {
			a++;
			b++;
		}
		if ((*a && *a != ' ' && *a != '\t' && *a != '\n') ||
		    (*b && *b != ' ' && *b != '\t' && *b != '\n'))
			return false;
	}
}

static void plan_sysctls(struct planner *pl)
{
	const struct state *w = pl->want;
	char ifname[ST_IFNAMSIZ];
	struct action a;
	size_t i, j, k;

	for (i = 0; i < w->n_ns; i++) {
		const struct st_ns *wn = &w->ns[i];
		const struct st_ns *hn = pl->new_ns[i] ? NULL : have_find(pl, wn->name);

		for (j = 0; j < wn->n_sysctls; j++) {
			const struct st_sysctl *sc = &wn->sysctls[j];
			const struct st_sysctl *cur = NULL;
			bool per_if = sysctl_iface(sc->key, ifname, sizeof(ifname));

			for (k = 0; hn && k < hn->n_sysctls && !cur; k++) {
				if (!strcmp(hn->sysctls[k].key, sc->key))
					cur = &hn->sysctls[k];
			}
			/* a device made again starts from the defaults */
			if (per_if && set_has(&pl->fresh, wn->name, ifname))
				cur = NULL;
			if (cur && sysctl_value_eq(cur->value, sc->value))
				continue;
			act_init(&a, ACT_SYSCTL_SET, wn->name, wn->node);
			a.sysctl = *sc;
			snprintf(a.from, sizeof(a.from), "%s", cur ? cur->value : "");
			snprintf(a.to, sizeof(a.to), "%s", sc->value);
			emit(pl, per_if ? G_SYSCTL_IF : G_SYSCTL_NS, T_CHANGE, &a);
		}
	}
}

static void addr_act(struct action *a, enum act_type type, const struct st_ns *wn,
		     const struct st_iface *ifc, const struct st_addr *addr)
{
	act_init(a, type, wn->name, wn->node);
	iface_copy(&a->iface, ifc);
	a->addr = *addr;
}

static void plan_iface_addrs(struct planner *pl, const struct st_ns *wn, const struct st_iface *d)
{
	const struct st_iface *ifc = NULL;
	const struct st_addr *x, *other;
	size_t j, n4 = 0, del4 = 0;
	char buf[64];
	struct action a;

	if (!set_has(&pl->fresh, wn->name, d->name))
		ifc = alive(pl, wn->name, d->name);

	for (j = 0; ifc && j < ifc->n_addrs; j++) {
		x = &ifc->addrs[j];
		if (x->family == AF_INET)
			n4++;
		if (addr_kernel(x, ifc->kind == ST_LO) || addr_find(d, x))
			continue;
		addr_act(&a, ACT_ADDR_DEL, wn, ifc, x);
		other = addr_other_plen(d, x, ifc);
		if (other) {
			addr_fmt(other, a.to, sizeof(a.to));
			emit(pl, G_ADDR_DEL, T_NONE, &a); /* counted with its addition */
		} else if (x->proto == TOPO_IFAPROT) {
			emit(pl, G_ADDR_DEL, T_DESTROY, &a);
		} else if (!emit_drift(pl, G_ADDR_DEL, &a)) {
			continue;
		}
		if (x->family == AF_INET)
			del4++;
	}
	/* the kernel flushes a device's IPv4 routes with its last IPv4 address */
	if (n4 && del4 == n4)
		set_add(&pl->v4lost, wn->name, d->name);

	for (j = 0; j < d->n_addrs; j++) {
		x = &d->addrs[j];
		if (addr_find(ifc, x))
			continue;
		addr_act(&a, ACT_ADDR_ADD, wn, d, x);
		a.iface.ifindex = ifc ? ifc->ifindex : 0;
		other = addr_other_plen(ifc, x, d);
		if (other)
			snprintf(a.from, sizeof(a.from), "%s", addr_fmt(other, buf, sizeof(buf)));
		emit(pl, G_ADDR_ADD, other ? T_CHANGE : T_ADD, &a);
	}
}

static void plan_addrs(struct planner *pl)
{
	const struct state *w = pl->want;
	size_t i, j;

	for (i = 0; i < w->n_ns; i++) {
		for (j = 0; j < w->ns[i].n_ifaces; j++)
			plan_iface_addrs(pl, &w->ns[i], &w->ns[i].ifaces[j]);
	}
}

static void route_act(struct action *a, enum act_type type, const struct st_ns *wn,
		      const struct st_route *r)
{
	act_init(a, type, wn->name, wn->node);
	a->route = *r;
}

static void plan_ns_routes(struct planner *pl, size_t i)
{
	const struct st_ns *wn = &pl->want->ns[i];
	const struct st_ns *hn = pl->new_ns[i] ? NULL : have_find(pl, wn->name);
	bool *matched = xcalloc(wn->n_routes + 1, sizeof(*matched));
	struct action a;
	size_t j, k;

	for (j = 0; hn && j < hn->n_routes; j++) {
		const struct st_route *r = &hn->routes[j], *d = NULL;
		bool doomed, same;

		if (route_kernel(r))
			continue;
		/* gone with its device */
		if (r->dev[0] && !alive(pl, wn->name, r->dev))
			continue;
		doomed =
		    r->family == AF_INET && r->dev[0] && set_has(&pl->v4lost, wn->name, r->dev);
		for (k = 0; k < wn->n_routes && !d; k++) {
			if (!matched[k] && route_key_eq(&wn->routes[k], r)) {
				matched[k] = true;
				d = &wn->routes[k];
			}
		}
		route_act(&a, ACT_ROUTE_DEL, wn, r);
		if (d) {
			same = route_attrs_eq(d, r);
			if (same && !doomed)
				continue;
			/* deleted first and added again after the addresses:
			 * the route- group runs before any side effect */
			if (same)
				snprintf(a.to, sizeof(a.to), READD);
			else
				route_attrs_fmt(d, a.to, sizeof(a.to));
			emit(pl, G_ROUTE_DEL, T_NONE, &a);
			route_act(&a, ACT_ROUTE_ADD, wn, d);
			if (same)
				snprintf(a.from, sizeof(a.from), READD);
			else
				route_attrs_fmt(r, a.from, sizeof(a.from));
			emit(pl, G_ROUTE_ADD, T_CHANGE, &a);
		} else if (r->proto == TOPO_RTPROT) {
			emit(pl, G_ROUTE_DEL, T_DESTROY, &a);
		} else {
			emit_drift(pl, G_ROUTE_DEL, &a);
		}
	}
	for (k = 0; k < wn->n_routes; k++) {
		if (matched[k])
			continue;
		route_act(&a, ACT_ROUTE_ADD, wn, &wn->routes[k]);
		emit(pl, G_ROUTE_ADD, T_ADD, &a);
	}
	free(matched);
}

static void plan_execs(struct planner *pl)
{
	const struct state *w = pl->want;
	struct action a;
	size_t i;

	for (i = 0; i < w->n_ns; i++) {
		const struct st_ns *wn = &w->ns[i];
		const struct st_ns *hn = pl->new_ns[i] ? NULL : have_find(pl, wn->name);
		uint64_t ran = hn ? hn->exec_hash : 0;

		if (!wn->exec_hash || wn->exec_hash == ran)
			continue;
		act_init(&a, ACT_EXEC, wn->name, wn->node);
		a.execs = wn->execs;
		a.n_execs = wn->n_execs;
		a.exec_hash = wn->exec_hash;
		/* "~" for commands that ran before in another version */
		if (ran)
			snprintf(a.from, sizeof(a.from), "%016llx", (unsigned long long)ran);
		emit(pl, G_EXEC, ran ? T_CHANGE : T_ADD, &a);
	}
}

static void concat(struct action **dst, size_t *n, struct action **g, size_t *n_g)
{
	size_t i, total = 0;

	for (i = 0; i < G_COUNT; i++)
		total += n_g[i];
	*dst = total ? xcalloc(total, sizeof(**dst)) : NULL;
	*n = 0;
	for (i = 0; i < G_COUNT; i++) {
		if (n_g[i])
			memcpy(*dst + *n, g[i], n_g[i] * sizeof(**dst));
		*n += n_g[i];
		free(g[i]);
		g[i] = NULL;
	}
}

/* plan_diff - actions turning HAVE into WANT; PRUNE also removes drift. 0 or -EINVAL. */
int plan_diff(const struct state *want, const struct state *have, bool prune, struct plan *out)
{
	struct planner pl = {.want = want, .have = have, .prune = prune, .p = out};
	size_t i;

	if (!want || !have || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < have->n_ns; i++) {
		if (have->ns[i].owned)
			strmap_put(&pl.have_ns, have->ns[i].name, strlen(have->ns[i].name), i,
				   NULL);
	}
	for (i = 0; i < want->n_ns; i++)
		strmap_put(&pl.want_ns, want->ns[i].name, strlen(want->ns[i].name), i, NULL);
	pl.new_ns = xcalloc(want->n_ns + 1, sizeof(*pl.new_ns));
	for (i = 0; i < want->n_ns; i++)
		pl.new_ns[i] = !have_find(&pl, want->ns[i].name);

	plan_errors(&pl);
	plan_namespaces(&pl);
	plan_link_deletions(&pl);
	plan_link_creations(&pl);
	plan_link_changes(&pl);
	plan_sysctls(&pl);
	plan_addrs(&pl);
	for (i = 0; i < want->n_ns; i++)
		plan_ns_routes(&pl, i);
	plan_execs(&pl);

	concat(&out->acts, &out->n_acts, pl.g, pl.n_g);
	concat(&out->drift, &out->n_drift_acts, pl.dg, pl.n_dg);
	free(pl.new_ns);
	strmap_free(&pl.have_ns);
	strmap_free(&pl.want_ns);
	strmap_free(&pl.dead);
	strmap_free(&pl.killed);
	strmap_free(&pl.fresh);
	strmap_free(&pl.v4lost);
	strmap_free(&pl.ifindex);
	return 0;
}

static const char *link_opts(const struct st_iface *a, const struct st_iface *b, char *buf,
			     size_t len)
{
	char mac[18];
	size_t n = 0;

	buf[0] = '\0';
	if (a->mtu && a->mtu != 1500)
		n += (size_t)snprintf(buf + n, len - n, ", mtu %u", a->mtu);
	if (!a->up && n < len)
		n += (size_t)snprintf(buf + n, len - n, ", down");
	if (a->has_mac && n < len)
		n += (size_t)snprintf(buf + n, len - n, ", %s mac %s", a->name,
				      mac_fmt(a->mac, mac, sizeof(mac)));
	if (b && b->has_mac && n < len)
		snprintf(buf + n, len - n, ", %s mac %s", b->name,
			 mac_fmt(b->mac, mac, sizeof(mac)));
	return buf;
}

static const char *set_label(unsigned set)
{
	switch (set) {
	case SET_MTU:
		return "mtu";
	case SET_MAC:
		return "mac";
	case SET_UP:
		return "state";
	case SET_MASTER:
		return "master";
	case SET_ALIAS:
		return "alias";
	}
	return "?";
}

/* plan_line - the "+"/"~"/"-" line of an action that runs. */
static void plan_line(const struct action *a, FILE *f)
{
	char buf[160], opts[128];
	const char *drift = a->drift ? " (drift)" : "";

	switch (a->type) {
	case ACT_ROUTE_DEL:
		route_fmt(&a->route, buf, sizeof(buf));
		if (!strcmp(a->to, READD))
			fprintf(
			    f,
			    "~ route %s %s (deleted and added again: %s loses its IPv4 address)\n",
			    a->ns, buf, a->route.dev);
		else if (a->to[0])
			fprintf(f, "~ route %s %s (replaced by %s)\n", a->ns, buf, a->to);
		else
			fprintf(f, "- route %s %s%s\n", a->ns, buf, drift);
		break;
	case ACT_ROUTE_ADD:
		route_fmt(&a->route, buf, sizeof(buf));
		if (!strcmp(a->from, READD))
			fprintf(f, "~ route %s %s (added again)\n", a->ns, buf);
		else if (a->from[0])
			fprintf(f, "~ route %s %s (was %s)\n", a->ns, buf, a->from);
		else
			fprintf(f, "+ route %s %s\n", a->ns, buf);
		break;
	case ACT_ADDR_DEL:
		addr_fmt(&a->addr, buf, sizeof(buf));
		if (a->to[0])
			fprintf(f, "~ addr %s:%s %s (replaced by %s)\n", a->ns, a->iface.name, buf,
				a->to);
		else
			fprintf(f, "- addr %s:%s %s%s\n", a->ns, a->iface.name, buf, drift);
		break;
	case ACT_ADDR_ADD:
		addr_fmt(&a->addr, buf, sizeof(buf));
		if (a->from[0])
			fprintf(f, "~ addr %s:%s %s (was %s)\n", a->ns, a->iface.name, buf,
				a->from);
		else
			fprintf(f, "+ addr %s:%s %s\n", a->ns, a->iface.name, buf);
		break;
	case ACT_LINK_DEL:
		if (a->iface.kind == ST_VETH && a->iface.peer_ns[0])
			fprintf(f, "- link %s:%s <-> %s:%s%s\n", a->ns, a->iface.name,
				a->iface.peer_ns, a->iface.peer_name, drift);
		else
			fprintf(f, "- link %s:%s%s\n", a->ns, a->iface.name, drift);
		break;
	case ACT_NS_DEL:
		fprintf(f, "- ns %s\n", a->ns);
		break;
	case ACT_NS_ADD:
		fprintf(f, "+ ns %s\n", a->ns);
		break;
	case ACT_SYSCTL_SET:
		if (a->from[0])
			fprintf(f, "~ sysctl %s %s %s -> %s\n", a->ns, a->sysctl.key, a->from,
				a->to);
		else
			fprintf(f, "~ sysctl %s %s = %s\n", a->ns, a->sysctl.key, a->to);
		break;
	case ACT_VETH_ADD:
		link_opts(&a->iface, &a->peer, opts, sizeof(opts));
		fprintf(f, "+ link %s:%s <-> %s:%s%s%s%s\n", a->ns, a->iface.name, a->iface.peer_ns,
			a->peer.name, opts[0] ? " (" : "", opts[0] ? opts + 2 : "",
			opts[0] ? ")" : "");
		break;
	case ACT_BRIDGE_ADD:
		fprintf(f, "+ bridge %s:%s\n", a->ns, a->iface.name);
		break;
	case ACT_LINK_SET:
		fprintf(f, "~ link %s:%s %s %s -> %s\n", a->ns, a->iface.name, set_label(a->set),
			a->from[0] ? a->from : "none", a->to[0] ? a->to : "none");
		break;
	case ACT_EXEC:
		fprintf(f, "%c exec %s (%zu command%s%s)\n", a->from[0] ? '~' : '+', a->ns,
			a->n_execs, a->n_execs == 1 ? "" : "s",
			a->from[0] ? ", changed since they last ran" : "");
		break;
	}
}

static void drift_line(const struct action *a, FILE *f)
{
	char buf[160];

	switch (a->type) {
	case ACT_ROUTE_DEL:
		fprintf(f, "! drift %s: route %s", a->ns, route_fmt(&a->route, buf, sizeof(buf)));
		break;
	case ACT_ADDR_DEL:
		fprintf(f, "! drift %s: address %s on %s", a->ns,
			addr_fmt(&a->addr, buf, sizeof(buf)), a->iface.name);
		break;
	case ACT_LINK_DEL:
		fprintf(f, "! drift %s: interface %s", a->ns, a->iface.name);
		break;
	default:
		fprintf(f, "! drift %s: %s", a->ns, action_describe(a, buf, sizeof(buf)));
		break;
	}
	fprintf(f, " (up --prune removes it)\n");
}

/* plan_print - Terraform-style lines and the "Plan: ..." / "No changes." summary. */
void plan_print(const struct plan *p, FILE *f)
{
	size_t i;

	for (i = 0; i < p->n_errors; i++)
		fprintf(f, "! error: %s\n", p->errors[i]);
	for (i = 0; i < p->n_acts; i++)
		plan_line(&p->acts[i], f);
	for (i = 0; i < p->n_drift_acts; i++)
		drift_line(&p->drift[i], f);
	if (p->n_acts)
		fprintf(f, "Plan: %zu to add, %zu to change, %zu to destroy.", p->n_add,
			p->n_change, p->n_destroy);
	else
		fprintf(f, "No changes.");
	if (p->n_drift)
		fprintf(f, " %zu drift.", p->n_drift);
	fprintf(f, "\n");
}

/* action_describe - one line ("tri-r1: add route 10.9.0.0/24 via 10.0.1.9") into BUF. */
const char *action_describe(const struct action *a, char *buf, size_t len)
{
	char x[160];

	switch (a->type) {
	case ACT_ROUTE_DEL:
		snprintf(buf, len, "%s: delete route %s", a->ns,
			 route_fmt(&a->route, x, sizeof(x)));
		break;
	case ACT_ROUTE_ADD:
		snprintf(buf, len, "%s: add route %s", a->ns, route_fmt(&a->route, x, sizeof(x)));
		break;
	case ACT_ADDR_DEL:
		snprintf(buf, len, "%s: delete address %s from %s", a->ns,
			 addr_fmt(&a->addr, x, sizeof(x)), a->iface.name);
		break;
	case ACT_ADDR_ADD:
		snprintf(buf, len, "%s: add address %s to %s", a->ns,
			 addr_fmt(&a->addr, x, sizeof(x)), a->iface.name);
		break;
	case ACT_LINK_DEL:
		snprintf(buf, len, "%s: delete link %s", a->ns, a->iface.name);
		break;
	case ACT_NS_DEL:
		snprintf(buf, len, "delete namespace %s", a->ns);
		break;
	case ACT_NS_ADD:
		snprintf(buf, len, "create namespace %s", a->ns);
		break;
	case ACT_SYSCTL_SET:
		snprintf(buf, len, "%s: set sysctl %s to %s", a->ns, a->sysctl.key,
			 a->sysctl.value);
		break;
	case ACT_VETH_ADD:
		snprintf(buf, len, "create link %s:%s <-> %s:%s", a->ns, a->iface.name,
			 a->iface.peer_ns, a->peer.name);
		break;
	case ACT_BRIDGE_ADD:
		snprintf(buf, len, "%s: create bridge %s", a->ns, a->iface.name);
		break;
	case ACT_LINK_SET:
		switch (a->set) {
		case SET_UP:
			snprintf(buf, len, "%s: set %s %s", a->ns, a->iface.name,
				 a->iface.up ? "up" : "down");
			break;
		case SET_MASTER:
			if (a->iface.master[0])
				snprintf(buf, len, "%s: set %s master %s", a->ns, a->iface.name,
					 a->iface.master);
			else
				snprintf(buf, len, "%s: set %s nomaster", a->ns, a->iface.name);
			break;
		default:
			snprintf(buf, len, "%s: set %s %s %s", a->ns, a->iface.name,
				 set_label(a->set), a->to);
			break;
		}
		break;
	case ACT_EXEC:
		snprintf(buf, len, "%s: run %zu exec command%s", a->ns, a->n_execs,
			 a->n_execs == 1 ? "" : "s");
		break;
	default:
		snprintf(buf, len, "%s: unknown action %d", a->ns, (int)a->type);
		break;
	}
	return buf;
}

/* plan_free - free what P holds and zero it; P itself belongs to the caller. */
void plan_free(struct plan *p)
{
	size_t i;

	if (!p)
		return;
	free(p->acts);
	free(p->drift);
	for (i = 0; i < p->n_errors; i++)
		free(p->errors[i]);
	free(p->errors);
	memset(p, 0, sizeof(*p));
}
