// SPDX-License-Identifier: MIT
/*
 * The planner: the desired state and the actual one in, ordered actions out.
 * Pure: no kernel, no printing (the words of an action are plan_text.c's).
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
#include "plan_int.h"
#include "qdisc.h"
#include "sysctl.h"
#include "util.h"

static size_t ifkey(char *buf, const char *ns, const char *name)
{
	return (size_t)snprintf(buf, KEY_MAX, "%s/%s", ns, name);
}

bool pl_set_has(const struct strmap *m, const char *ns, const char *name)
{
	char k[KEY_MAX];

	return strmap_get(m, k, ifkey(k, ns, name), NULL);
}

void pl_set_add(struct strmap *m, const char *ns, const char *name)
{
	char k[KEY_MAX];

	strmap_put(m, k, ifkey(k, ns, name), 1, NULL);
}

const struct st_ns *pl_have_find(const struct planner *pl, const char *nsname)
{
	size_t i;

	if (!strcmp(nsname, ST_HOST_NS))
		return pl->have->host;
	if (!strmap_get(&pl->have_ns, nsname, strlen(nsname), &i))
		return NULL;
	return &pl->have->ns[i];
}

const struct st_ns *pl_want_find(const struct planner *pl, const char *nsname)
{
	size_t i;

	if (!strcmp(nsname, ST_HOST_NS))
		return pl->want->host;
	if (!strmap_get(&pl->want_ns, nsname, strlen(nsname), &i))
		return NULL;
	return &pl->want->ns[i];
}

const struct st_iface *pl_alive(const struct planner *pl, const char *nsname, const char *name)
{
	const struct st_ns *ns = pl_have_find(pl, nsname);
	const struct st_iface *ifc;

	if (!ns || !pl_want_find(pl, nsname))
		return NULL;
	ifc = st_ns_iface_find(ns, name);
	if (!ifc || pl_set_has(&pl->dead, nsname, name))
		return NULL;
	return ifc;
}

bool pl_marked(const struct planner *pl, const char *alias)
{
	size_t n = strlen(TOPO_MARK_PREFIX), l = strlen(pl->want->lab);

	return !strncmp(alias, TOPO_MARK_PREFIX, n) && !strncmp(alias + n, pl->want->lab, l) &&
	       (alias[n + l] == '\0' || alias[n + l] == ':');
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

void pl_act_init(struct action *a, enum act_type type, const char *ns, const char *node)
{
	memset(a, 0, sizeof(*a));
	a->type = type;
	snprintf(a->ns, sizeof(a->ns), "%s", ns);
	snprintf(a->node, sizeof(a->node), "%s", node);
}

void pl_iface_copy(struct st_iface *dst, const struct st_iface *src)
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

void pl_emit(struct planner *pl, enum group g, enum tally t, const struct action *a)
{
	push(&pl->g[g], &pl->n_g[g], &pl->cap_g[g], a);
	if (t == T_ADD)
		pl->p->n_add++;
	else if (t == T_CHANGE)
		pl->p->n_change++;
	else if (t == T_DESTROY)
		pl->p->n_destroy++;
}

bool pl_emit_drift(struct planner *pl, enum group g, struct action *a)
{
	a->drift = true;
	pl->p->n_drift++;
	if (pl->prune) {
		pl_emit(pl, g, T_DESTROY, a);
		return true;
	}
	push(&pl->dg[g], &pl->n_dg[g], &pl->cap_dg[g], a);
	return false;
}

/* Deleting one end of a veth pair deletes the other: one action per pair. */
void pl_link_kill(struct planner *pl, const char *nsname, const char *node,
		  const struct st_iface *ifc, bool drift)
{
	struct action a;
	bool veth_peer = ifc->kind == ST_VETH && ifc->peer_ns[0];

	if (pl_set_has(&pl->dead, nsname, ifc->name))
		return;
	if (veth_peer && pl_set_has(&pl->killed, ifc->peer_ns, ifc->peer_name)) {
		pl_set_add(&pl->dead, nsname, ifc->name);
		return;
	}
	pl_act_init(&a, ACT_LINK_DEL, nsname, node);
	pl_iface_copy(&a.iface, ifc);
	if (drift) {
		if (!pl_emit_drift(pl, G_LINK_DEL, &a))
			return;
	} else {
		pl_emit(pl, G_LINK_DEL, T_DESTROY, &a);
	}
	pl_set_add(&pl->dead, nsname, ifc->name);
	pl_set_add(&pl->killed, nsname, ifc->name);
	if (veth_peer)
		pl_set_add(&pl->dead, ifc->peer_ns, ifc->peer_name);
}

/*
 * ifindex_choose - the smallest index >= 2 that no interface of NSNAME has
 * and this plan has not chosen, other than AVOID. Choosing indexes up front
 * keeps the two ends of a pair apart (the same index on both ends delays
 * link events) and out of each other's way.
 */
static int ifindex_choose(struct planner *pl, const char *nsname, int avoid)
{
	const struct st_ns *ns = pl_have_find(pl, nsname);
	char k[KEY_MAX], idx[16];
	size_t i;
	int c;

	if (!strcmp(nsname, ST_HOST_NS))
		return 0;	/* the kernel's choice: the host's indexes are not the lab's */

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

		if (!hn->owned || pl_want_find(pl, hn->name))
			continue;
		/* veth deletion is synchronous, namespace teardown is not: a
		 * peer left behind would clash with a name used right after.
		 * An end whose peer is unknown is left to the teardown: its
		 * twin may be here too (`down` does not resolve peers) and one
		 * deletion would make the other fail; a peer in a kept
		 * namespace is deleted from there, where it is wired wrong. */
		for (j = 0; j < hn->n_ifaces; j++) {
			if (hn->ifaces[j].kind == ST_VETH && hn->ifaces[j].peer_ns[0])
				pl_link_kill(pl, hn->name, hn->node, &hn->ifaces[j], false);
		}
		pl_act_init(&a, ACT_NS_DEL, hn->name, hn->node);
		pl_emit(pl, G_NS_DEL, T_DESTROY, &a);
	}
	for (i = 0; i < w->n_ns; i++) {
		const struct st_ns *wn = &w->ns[i];
		const struct st_iface *lo = st_ns_iface_find(wn, "lo");

		if (!pl->new_ns[i])
			continue;
		pl_act_init(&a, ACT_NS_ADD, wn->name, wn->node);
		if (lo)
			pl_iface_copy(&a.iface, lo);
		pl_emit(pl, G_NS_ADD, T_ADD, &a);
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
	peer = pl_alive(pl, d->peer_ns, d->peer_name);
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
		const struct st_ns *wn = &w->ns[i], *hn = pl_have_find(pl, wn->name);

		if (pl->new_ns[i] || !hn)
			continue;
		for (j = 0; j < hn->n_ifaces; j++) {
			const struct st_iface *ifc = &hn->ifaces[j];
			const struct st_iface *d = st_ns_iface_find(wn, ifc->name);

			if (d) {
				if (d->kind != ifc->kind)
					pl_link_kill(pl, wn->name, wn->node, ifc, false);
			} else if (!st_iface_is_kernels(ifc)) {
				pl_link_kill(pl, wn->name, wn->node, ifc, !pl_marked(pl, ifc->alias));
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
				ifc = pl_alive(pl, wn->name, d->name);
				if (!ifc || veth_intact(pl, wn->name, d, ifc))
					continue;
				pl_link_kill(pl, wn->name, wn->node, ifc, false);
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
			if (d->kind != ST_VETH || pl_alive(pl, wn->name, d->name) ||
			    pl_set_has(&pl->fresh, wn->name, d->name))
				continue;
			pn = pl_want_find(pl, d->peer_ns);
			pd = pn ? st_ns_iface_find(pn, d->peer_name) : NULL;
			if (pd) {
				pl_iface_copy(&peer, pd);
			} else {
				/* a desired state without the other end: mirror this one */
				pl_iface_copy(&peer, d);
				snprintf(peer.name, sizeof(peer.name), "%s", d->peer_name);
				snprintf(peer.peer_ns, sizeof(peer.peer_ns), "%s", wn->name);
				snprintf(peer.peer_name, sizeof(peer.peer_name), "%s", d->name);
				peer.master[0] = '\0';
				peer.has_create_mac = false;	/* not this end's */
			}
			ifkey(ka, wn->name, d->name);
			ifkey(kb, d->peer_ns, d->peer_name);
			/* a host end is made from its node's side (its index is the kernel's) */
			if (strcmp(ka, kb) <= 0 || !strcmp(d->peer_ns, ST_HOST_NS)) {
				pl_act_init(&a, ACT_VETH_ADD, wn->name, wn->node);
				pl_iface_copy(&a.iface, d);
				a.peer = peer;
			} else {
				pl_act_init(&a, ACT_VETH_ADD, d->peer_ns, pn ? pn->node : "");
				a.iface = peer;
				pl_iface_copy(&a.peer, d);
			}
			a.ifindex = ifindex_choose(pl, a.ns, 0);
			a.peer_ifindex = ifindex_choose(pl, a.iface.peer_ns, a.ifindex);
			a.iface.ifindex = a.ifindex;
			a.peer.ifindex = a.peer_ifindex;
			pl_emit(pl, G_VETH_ADD, T_ADD, &a);
			pl_set_add(&pl->fresh, wn->name, d->name);
			pl_set_add(&pl->fresh, d->peer_ns, d->peer_name);
		}
	}

	for (i = 0; i < w->n_ns; i++) {
		const struct st_ns *wn = &w->ns[i];

		for (j = 0; j < wn->n_ifaces; j++) {
			const struct st_iface *d = &wn->ifaces[j];

			if (d->kind != ST_BRIDGE || pl_alive(pl, wn->name, d->name))
				continue;
			pl_act_init(&a, ACT_BRIDGE_ADD, wn->name, wn->node);
			pl_iface_copy(&a.iface, d);
			/* a free index too, though the kernel may pick its own:
			 * made after the veths, the bridge cannot take theirs */
			a.ifindex = ifindex_choose(pl, wn->name, 0);
			a.iface.ifindex = a.ifindex;
			pl_emit(pl, G_BRIDGE_ADD, T_ADD, &a);
			pl_set_add(&pl->fresh, wn->name, d->name);
		}
	}
}

/*
 * link_set - change attribute SET of actual IFC (NULL: made by this plan) to
 * desired D's. MASTER is IFC's master once the deletions ran ("" for none).
 */
static void link_set(struct planner *pl, const struct st_ns *wn, const struct st_iface *d,
		     const struct st_iface *ifc, const char *master, unsigned set)
{
	struct action a;

	pl_act_init(&a, ACT_LINK_SET, wn->name, wn->node);
	pl_iface_copy(&a.iface, d);
	a.iface.ifindex = ifc ? ifc->ifindex : 0;
	a.set = set;
	if (ifc)
		pl_iface_copy(&a.was, ifc);
	snprintf(a.was.master, sizeof(a.was.master), "%s", master);
	pl_emit(pl, G_LINK_SET, T_CHANGE, &a);
}

/* link~: one action per attribute, so that each "~" line says one thing. */
void pl_iface_changes(struct planner *pl, const struct st_ns *wn, const struct st_iface *d)
{
	const struct st_iface *ifc;
	const char *master;

	if (pl_set_has(&pl->fresh, wn->name, d->name)) {
		/* created unenslaved: the bridge may not exist yet
		 * when the pair does (apply may fold this) */
		if (d->kind == ST_VETH && d->master[0])
			link_set(pl, wn, d, NULL, "", SET_MASTER);
		if (d->qdisc.kind != QD_DEFAULT)
			link_set(pl, wn, d, NULL, "", SET_QDISC);
		return;
	}
	ifc = pl_alive(pl, wn->name, d->name);
	if (!ifc)
		return; /* lo of a new namespace: ns+ sets it up */
	/* a deleted bridge releases its ports */
	master = ifc->master[0] && pl_alive(pl, wn->name, ifc->master) ? ifc->master : "";
	if (strcmp(master, d->master))
		link_set(pl, wn, d, ifc, master, SET_MASTER);
	if (d->mtu && d->mtu != ifc->mtu)
		link_set(pl, wn, d, ifc, master, SET_MTU);
	if (d->has_mac && (!ifc->has_mac || memcmp(d->mac, ifc->mac, 6)))
		link_set(pl, wn, d, ifc, master, SET_MAC);
	if (strcmp(d->alias, ifc->alias))
		link_set(pl, wn, d, ifc, master, SET_ALIAS);
	if (d->up != ifc->up)
		link_set(pl, wn, d, ifc, master, SET_UP);
	if (!qdisc_eq(&d->qdisc, &ifc->qdisc))
		link_set(pl, wn, d, ifc, master, SET_QDISC);
}

static void plan_link_changes(struct planner *pl)
{
	const struct state *w = pl->want;
	size_t i, j;

	for (i = 0; i < w->n_ns; i++)
		for (j = 0; j < w->ns[i].n_ifaces; j++)
			pl_iface_changes(pl, &w->ns[i], &w->ns[i].ifaces[j]);
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
		const struct st_ns *hn = pl->new_ns[i] ? NULL : pl_have_find(pl, wn->name);

		for (j = 0; j < wn->n_sysctls; j++) {
			const struct st_sysctl *sc = &wn->sysctls[j];
			const struct st_sysctl *cur = NULL;
			bool per_if = sysctl_key_iface(sc->key, ifname, sizeof(ifname));

			for (k = 0; hn && k < hn->n_sysctls && !cur; k++) {
				if (!strcmp(hn->sysctls[k].key, sc->key))
					cur = &hn->sysctls[k];
			}
			/* a device made again starts from the defaults */
			if (per_if && pl_set_has(&pl->fresh, wn->name, ifname))
				cur = NULL;
			if (cur && sysctl_value_eq(cur->value, sc->value))
				continue;
			/* a new namespace (or device) has the default already, and
			 * a key that cannot be read cannot be put back either */
			if (sc->dropped && !cur)
				continue;
			pl_act_init(&a, ACT_SYSCTL_SET, wn->name, wn->node);
			a.sysctl = *sc;
			if (cur)
				snprintf(a.sysctl_was, sizeof(a.sysctl_was), "%s", cur->value);
			pl_emit(pl, per_if ? G_SYSCTL_IF : G_SYSCTL_NS, T_CHANGE, &a);
		}
	}
}

static void addr_act(struct action *a, enum act_type type, const struct st_ns *wn,
		     const struct st_iface *ifc, const struct st_addr *addr)
{
	pl_act_init(a, type, wn->name, wn->node);
	pl_iface_copy(&a->iface, ifc);
	a->addr = *addr;
}

void pl_iface_addrs(struct planner *pl, const struct st_ns *wn, const struct st_iface *d)
{
	const struct st_iface *ifc = NULL;
	const struct st_addr *x, *other;
	size_t j, n4 = 0, del4 = 0;
	struct action a;

	if (!pl_set_has(&pl->fresh, wn->name, d->name))
		ifc = pl_alive(pl, wn->name, d->name);

	for (j = 0; ifc && j < ifc->n_addrs; j++) {
		x = &ifc->addrs[j];
		if (x->family == AF_INET)
			n4++;
		if (st_addr_is_kernels(x, ifc) || addr_find(d, x))
			continue;
		addr_act(&a, ACT_ADDR_DEL, wn, ifc, x);
		other = addr_other_plen(d, x, ifc);
		if (other) {
			a.paired = true;
			a.addr_pair_plen = other->plen;
			pl_emit(pl, G_ADDR_DEL, T_NONE, &a); /* counted with its addition */
		} else if (x->proto == TOPO_IFAPROT) {
			pl_emit(pl, G_ADDR_DEL, T_DESTROY, &a);
		} else if (!pl_emit_drift(pl, G_ADDR_DEL, &a)) {
			continue;
		}
		if (x->family == AF_INET)
			del4++;
	}
	/* the kernel flushes a device's IPv4 routes with its last IPv4 address */
	if (n4 && del4 == n4)
		pl_set_add(&pl->v4lost, wn->name, d->name);

	for (j = 0; j < d->n_addrs; j++) {
		x = &d->addrs[j];
		if (addr_find(ifc, x))
			continue;
		addr_act(&a, ACT_ADDR_ADD, wn, d, x);
		a.iface.ifindex = ifc ? ifc->ifindex : 0;
		other = addr_other_plen(ifc, x, d);
		if (other) {
			a.paired = true;
			a.addr_pair_plen = other->plen;
		}
		pl_emit(pl, G_ADDR_ADD, other ? T_CHANGE : T_ADD, &a);
	}
}

static void plan_addrs(struct planner *pl)
{
	const struct state *w = pl->want;
	size_t i, j;

	for (i = 0; i < w->n_ns; i++) {
		for (j = 0; j < w->ns[i].n_ifaces; j++)
			pl_iface_addrs(pl, &w->ns[i], &w->ns[i].ifaces[j]);
	}
}

static bool has_id(const uint64_t *ids, size_t n, uint64_t id)
{
	size_t i;

	for (i = 0; i < n && ids[i] != id; i++)
		;
	return i < n;
}

/* Each command runs once: the new ones run, in file order; the record
 * forgets those the file dropped (what they did stays: the user's to undo). */
static void plan_execs(struct planner *pl)
{
	const struct state *w = pl->want;
	struct action a;
	size_t i, j;

	for (i = 0; i < w->n_ns; i++) {
		const struct st_ns *wn = &w->ns[i];
		const struct st_ns *hn = pl->new_ns[i] ? NULL : pl_have_find(pl, wn->name);

		for (j = 0; hn && j < hn->n_execs; j++) {
			if (has_id(wn->exec_ids, wn->n_execs, hn->exec_ids[j]))
				continue;
			pl_act_init(&a, ACT_EXEC_FORGET, wn->name, wn->node);
			a.exec_id = hn->exec_ids[j];
			snprintf(a.exec_was, sizeof(a.exec_was), "%s", hn->execs[j]);
			pl_emit(pl, G_EXEC, T_DESTROY, &a);
		}
		for (j = 0; j < wn->n_execs; j++) {
			if (hn && has_id(hn->exec_ids, hn->n_execs, wn->exec_ids[j]))
				continue;
			pl_act_init(&a, ACT_EXEC, wn->name, wn->node);
			a.exec_cmd = wn->execs[j];
			a.exec_id = wn->exec_ids[j];
			pl_emit(pl, G_EXEC, T_ADD, &a);
		}
	}
}

/* A node's files and dirs are written again when their hash is not the recorded one. */
static void plan_files(struct planner *pl)
{
	struct action a;
	size_t i;

	for (i = 0; i < pl->want->n_ns; i++) {
		const struct st_ns *wn = &pl->want->ns[i], *hn;

		if (!wn->files_hash)
			continue;
		hn = pl->new_ns[i] ? NULL : pl_have_find(pl, wn->name);
		pl_act_init(&a, ACT_FILES, wn->name, wn->node);
		a.files_was = hn ? hn->files_hash : 0;
		if (a.files_was == wn->files_hash)
			continue;
		a.files_hash = wn->files_hash;
		a.n_files = wn->n_files;
		a.n_dirs = wn->n_dirs;
		pl_emit(pl, G_FILES, a.files_was ? T_CHANGE : T_ADD, &a);
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
		pl.new_ns[i] = !pl_have_find(&pl, want->ns[i].name);

	plan_errors(&pl);
	plan_host_errors(&pl);
	plan_namespaces(&pl);
	plan_link_deletions(&pl);
	plan_host_deletions(&pl);
	plan_vxlan_deletions(&pl);
	plan_link_creations(&pl);
	plan_vxlan_creations(&pl);
	plan_link_changes(&pl);
	plan_sysctls(&pl);
	plan_addrs(&pl);
	plan_host_changes(&pl);
	for (i = 0; i < want->n_ns; i++) {
		plan_ns_routes(&pl, i);
		plan_ns_rules(&pl, i);
	}
	plan_files(&pl);
	plan_execs(&pl);
	plan_host_refuse(&pl);

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

void plan_free(struct plan *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n_acts; i++)
		if (p->acts[i].type == ACT_ROUTE_ADD || p->acts[i].type == ACT_ROUTE_DEL)
			free(p->acts[i].route_pair);
	for (i = 0; i < p->n_drift_acts; i++)
		if (p->drift[i].type == ACT_ROUTE_ADD || p->drift[i].type == ACT_ROUTE_DEL)
			free(p->drift[i].route_pair);
	free(p->acts);
	free(p->drift);
	for (i = 0; i < p->n_errors; i++)
		free(p->errors[i]);
	free(p->errors);
	memset(p, 0, sizeof(*p));
}

int pl_ifindex_choose(struct planner *pl, const char *nsname, int avoid)
{
	return ifindex_choose(pl, nsname, avoid);
}
