// SPDX-License-Identifier: MIT
/*
 * probe_volume - the number of packets the probes of a lab would send.
 *
 * probe_expand() makes one target per source node and probed address; a
 * 13 KB file ({from: "*", to: "*", count: 10000} over 300 nodes) asks for
 * billions of packets, so the count must come without expanding: per node,
 * the addresses a node target probes, per family; "*" sums over the nodes
 * it stands for. Every probe costs O(1) hash lookups, except the first of a
 * pair "S -> X": the link-local interfaces of X or the bridges of S, fewer.
 *
 * An IPv6 link-local address of X on interface I is a node target only from
 * the nodes on I's link: the peer P of the link, and when P is a bridge, every
 * node with a link to P. So an interface's link-local addresses are counted
 * once per peer (per (X, P) and per P), and bridges carry how many distinct
 * non-bridge nodes they reach: a bridge of 50,000 ports probed "*" -> "*"
 * costs 50,000 steps, not 50,000 squared.
 */

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "probe_host.h"
#include "probe_volume.h"
#include "util.h"

#define NONE SIZE_MAX

/* The addresses a node target probes, per family (0 IPv4, 1 IPv6). */
struct counts {
	uint64_t n[2];
};

/* One interface of the file with addresses. */
struct ifc {
	struct counts c;	/* probed addresses, per family */
	uint64_t ll;		/* its link-local addresses */
	size_t node, peer;	/* peer: the other end of its link, or NONE */
};

/* A link-local address on one interface: chained per node and address. */
struct occ {
	size_t ifc;
	size_t next;		/* the same address of the same node on another interface */
	bool head;		/* the first of its chain */
};

struct nbrs {
	size_t *v;
	size_t n;
};

struct vol {
	const struct topology *t;
	struct strmap nodes;	/* name -> index */
	struct strmap ifs;	/* "node\0iface" -> index in ifc */
	struct strmap peers;	/* "node\0iface" -> its link's other node + 1 (0: unknown) */
	struct strmap seen;	/* (node, iface or not, address): counted once */
	struct strmap lls;	/* (node, link-local address) -> its first occ */
	struct strmap adj;	/* (node, node): a link between them */
	struct strmap peersum;	/* (X, P) -> index in sums: link-local of X on links to P */
	struct strmap excess;	/* (S, X) of a probe -> index in sums: what S sees twice of X */
	struct strmap pair;	/* (S, X) -> memo of ll_pair() + 1 */
	uint64_t *sums;
	size_t n_sums;
	struct counts *node;	/* per node */
	struct ifc *ifc;
	size_t n_ifc;
	struct occ *occ;
	size_t n_occ;
	struct nbrs *nbr;	/* per node, its distinct neighbours */
	struct nbrs *ll_ifs;	/* per node, its interfaces with link-local addresses and a peer */
	uint64_t *nb;		/* per bridge, its distinct non-bridge neighbours */
	uint64_t *to_star;	/* per X: link-local targets of "*" -> X */
	uint64_t *at_peer;	/* per P: link-local of non-bridges != P on links to P */
	uint64_t *at_bridge;	/* per bridge: link-local of non-bridges on its ports' links */
	uint64_t *from_star;	/* per S: link-local targets of S -> "*" */
	uint64_t star_star;	/* link-local targets of "*" -> "*" */
	size_t budget;		/* steps left for addresses on two interfaces of a node */
	struct counts all;	/* over the nodes "*" stands for (not bridges) */
	struct counts with;	/* how many of those have an address of the family */
	uint64_t stars;		/* how many nodes "*" stands for */
	struct probe_host_vol *host;	/* probes from the host: made for the first */
};

static bool in_pairs(const struct vol *v, size_t i)
{
	return v->t->nodes[i].kind != NODE_BRIDGE;
}

static bool is_bridge(const struct vol *v, size_t i)
{
	return i != NONE && !in_pairs(v, i);
}

/* The key of a pair of node indexes. */
static size_t pair_key(char *key, size_t a, size_t b)
{
	memcpy(key, &a, sizeof(a));
	memcpy(key + sizeof(a), &b, sizeof(b));
	return 2 * sizeof(a);
}

/* The counter of (A, B) in MAP, made 0 if new. */
static uint64_t *pair_sum(struct vol *v, struct strmap *map, size_t a, size_t b)
{
	char key[2 * sizeof(size_t)];
	size_t klen = pair_key(key, a, b), idx;

	if (!strmap_get(map, key, klen, &idx)) {
		idx = v->n_sums;
		VEC_APPEND(&v->sums, &v->n_sums);
		strmap_put(map, key, klen, idx, NULL);
	}
	return &v->sums[idx];
}

static uint64_t pair_get(const struct vol *v, const struct strmap *map, size_t a, size_t b)
{
	char key[2 * sizeof(size_t)];
	size_t idx;

	return strmap_get(map, key, pair_key(key, a, b), &idx) ? v->sums[idx] : 0;
}

static bool adjacent(const struct vol *v, size_t a, size_t b)
{
	char key[2 * sizeof(size_t)];
	size_t idx;

	return strmap_get(&v->adj, key, pair_key(key, a, b), &idx);
}

static bool vol_node(const struct vol *v, const char *name, size_t *idx)
{
	return strmap_get(&v->nodes, name, strlen(name), idx);
}

/* Is this (NODE, IFACE if not NULL, address) new? expand_push() counts an address once. */
static bool first_seen(struct vol *v, size_t node, const char *iface, const struct cidr *a)
{
	size_t ilen = iface ? strlen(iface) + 1 : 0, klen = sizeof(node) + 17 + ilen;
	char *key = xmalloc(klen);
	bool fresh;

	memcpy(key, &node, sizeof(node));
	key[sizeof(node)] = (char)(a->family == AF_INET6);
	memcpy(key + sizeof(node) + 1, a->addr, 16);
	if (iface)
		memcpy(key + sizeof(node) + 17, iface, ilen);
	fresh = strmap_put(&v->seen, key, klen, v->seen.n, NULL);
	free(key);
	return fresh;
}

/* A link-local address of interface K: chained to the same address elsewhere on the node. */
static void add_link_local(struct vol *v, size_t k, const struct cidr *a)
{
	char key[sizeof(size_t) + 16];
	size_t node = v->ifc[k].node, idx = v->n_occ, prev;
	struct occ *o = VEC_APPEND(&v->occ, &v->n_occ);

	o->ifc = k;
	o->next = NONE;
	memcpy(key, &node, sizeof(node));
	memcpy(key + sizeof(node), a->addr, 16);
	o->head = strmap_put(&v->lls, key, sizeof(key), idx, &prev);
	if (!o->head) {
		o->next = v->occ[prev].next;	/* after the first: the chain's head stays */
		v->occ[prev].next = idx;
	}
	v->ifc[k].ll++;
}

/* Count ADDRS (N of them) on NODE:IFACE. */
static void vol_add(struct vol *v, const char *node, const char *iface, const struct cidr *addrs,
		    size_t n)
{
	size_t idx, k, klen, peer;
	char *key;

	if (!node || !iface || !vol_node(v, node, &idx))
		return;
	klen = strlen(node) + 1 + strlen(iface);
	key = xasprintf("%s%c%s", node, 0, iface);
	if (!strmap_get(&v->ifs, key, klen, &k)) {
		k = v->n_ifc;
		VEC_APPEND(&v->ifc, &v->n_ifc);
		strmap_put(&v->ifs, key, klen, k, NULL);
		v->ifc[k].node = idx;
		v->ifc[k].peer = strmap_get(&v->peers, key, klen, &peer) && peer ? peer - 1 : NONE;
	}
	free(key);
	for (; n; n--, addrs++) {
		size_t f = addrs->family == AF_INET6;

		if (f && ip_is_link_local6(addrs->addr)) {
			if (first_seen(v, idx, iface, addrs))
				add_link_local(v, k, addrs);
		} else if (ip_is_probeable(addrs->family, addrs->addr)) {
			v->node[idx].n[f] += first_seen(v, idx, NULL, addrs);
			v->ifc[k].c.n[f] += first_seen(v, idx, iface, addrs);
		}
	}
}

/* Who is at the other end of each interface's link (the first, as link_peer()), and who is
 * next to whom. */
static void vol_links(struct vol *v)
{
	const struct topology *t = v->t;
	size_t i, k, end[2], klen;
	char key[2 * sizeof(size_t)];
	bool known[2];

	for (i = 0; i < t->n_links; i++) {
		for (k = 0; k < 2; k++)
			known[k] = t->links[i].ep[k].node &&
				   vol_node(v, t->links[i].ep[k].node, &end[k]);
		for (k = 0; k < 2; k++) {
			const struct endpoint *ep = &t->links[i].ep[k];
			char *ik;

			if (!known[k] || !ep->iface)
				continue;
			ik = xasprintf("%s%c%s", ep->node, 0, ep->iface);
			strmap_put(&v->peers, ik, strlen(ep->node) + 1 + strlen(ep->iface),
				   known[!k] ? end[!k] + 1 : 0, NULL);
			free(ik);
		}
		if (!known[0] || !known[1])
			continue;
		for (k = 0; k < 2; k++) {
			klen = pair_key(key, end[k], end[!k]);
			if (strmap_put(&v->adj, key, klen, 0, NULL))
				*VEC_APPEND(&v->nbr[end[k]].v, &v->nbr[end[k]].n) = end[!k];
		}
	}
	for (i = 0; i < t->n_nodes; i++)
		for (k = 0; is_bridge(v, i) && k < v->nbr[i].n; k++)
			v->nb[i] += in_pairs(v, v->nbr[i].v[k]);
}

/*
 * The link-local targets of the "*" forms, interface by interface: one of X on a link to P is
 * a target from P, and when P is a bridge, from every node with a link to P, X included.
 */
static void vol_link_local(struct vol *v)
{
	size_t k, s, j;

	for (k = 0; k < v->n_ifc; k++) {
		size_t x = v->ifc[k].node, p = v->ifc[k].peer;
		uint64_t n = v->ifc[k].ll;

		if (!n || p == NONE)
			continue;
		*VEC_APPEND(&v->ll_ifs[x].v, &v->ll_ifs[x].n) = k;
		*pair_sum(v, &v->peersum, x, p) += n;
		if (is_bridge(v, p))
			v->to_star[x] += n * (v->nb[p] - in_pairs(v, x));
		else
			v->to_star[x] += n * (p != x);
		if (in_pairs(v, x) && x != p)
			v->at_peer[p] += n;
		if (is_bridge(v, p) && in_pairs(v, x))
			v->at_bridge[p] += n;
	}
	for (s = 0; s < v->t->n_nodes; s++) {
		v->from_star[s] = v->at_peer[s];
		for (j = 0; j < v->nbr[s].n; j++) {
			size_t b = v->nbr[s].v[j];

			if (b == s || !is_bridge(v, b))
				continue;
			v->from_star[s] += v->at_bridge[b];
			if (in_pairs(v, s))
				v->from_star[s] -= pair_get(v, &v->peersum, s, b);
		}
		if (in_pairs(v, s))
			v->star_star += v->from_star[s];
	}
}

/* A node Y on the link of occurrence O, counted once per occurrence (STAMP: O + 1). */
static void on_link_visit(size_t o, size_t y, size_t *stamp, uint32_t *cnt, struct nbrs *touched)
{
	if (stamp[y] == o + 1)
		return;
	stamp[y] = o + 1;
	if (cnt[y]++ == 0)
		*VEC_APPEND(&touched->v, &touched->n) = y;
}

/* What one source S counted twice of one address of X: taken back from every sum. */
static void take_back(struct vol *v, size_t s, size_t x, uint64_t e)
{
	char key[2 * sizeof(size_t)];
	size_t idx;

	if (strmap_get(&v->excess, key, pair_key(key, s, x), &idx))
		v->sums[idx] += e;
	if (in_pairs(v, s) && s != x)
		v->to_star[x] -= e;
	if (in_pairs(v, x) && x != s)
		v->from_star[s] -= e;
	if (in_pairs(v, s) && in_pairs(v, x) && s != x)
		v->star_star -= e;
}

/*
 * One link-local address on two interfaces of a node (fe80::1 on every router port is
 * fine) is one target from a source on both links: count it once. This walks the nodes on
 * those links, within a budget proportional to the file; a file that exceeds it keeps the
 * rest counted once per interface, more than expand makes, never less.
 */
static void vol_twice(struct vol *v)
{
	size_t *stamp = xcalloc(v->t->n_nodes + 1, sizeof(*stamp));
	uint32_t *cnt = xcalloc(v->t->n_nodes + 1, sizeof(*cnt));
	struct nbrs touched = { 0 };
	size_t h, o, i, cost, p;

	for (h = 0; h < v->n_occ; h++) {
		if (!v->occ[h].head || v->occ[h].next == NONE)
			continue;
		for (cost = 0, o = h; o != NONE; o = v->occ[o].next) {
			p = v->ifc[v->occ[o].ifc].peer;
			cost += p == NONE ? 1 : 1 + (is_bridge(v, p) ? v->nbr[p].n : 0);
		}
		if (cost > v->budget)
			break;
		v->budget -= cost;
		for (o = h; o != NONE; o = v->occ[o].next) {
			p = v->ifc[v->occ[o].ifc].peer;
			if (p == NONE)
				continue;
			on_link_visit(o, p, stamp, cnt, &touched);
			for (i = 0; is_bridge(v, p) && i < v->nbr[p].n; i++)
				on_link_visit(o, v->nbr[p].v[i], stamp, cnt, &touched);
		}
		for (i = 0; i < touched.n; i++) {
			if (cnt[touched.v[i]] > 1)
				take_back(v, touched.v[i], v->ifc[v->occ[h].ifc].node,
					  cnt[touched.v[i]] - 1);
			cnt[touched.v[i]] = 0;
		}
		touched.n = 0;
	}
	free(touched.v);
	free(stamp);
	free(cnt);
}

/* The link-local targets of S -> node X: memoized, since many probes may name one pair. */
static uint64_t ll_pair(struct vol *v, size_t s, size_t x)
{
	char key[2 * sizeof(size_t)];
	size_t klen = pair_key(key, s, x), memo, j, k, p;
	uint64_t n = 0;

	if (strmap_get(&v->pair, key, klen, &memo))
		return v->sums[memo];
	if (v->ll_ifs[x].n <= v->nbr[s].n) {
		for (j = 0; j < v->ll_ifs[x].n; j++) {
			k = v->ll_ifs[x].v[j];
			p = v->ifc[k].peer;
			if (p == s || (is_bridge(v, p) && adjacent(v, s, p)))
				n += v->ifc[k].ll;
		}
	} else {
		n = pair_get(v, &v->peersum, x, s);
		for (j = 0; j < v->nbr[s].n; j++)
			if (v->nbr[s].v[j] != s && is_bridge(v, v->nbr[s].v[j]))
				n += pair_get(v, &v->peersum, x, v->nbr[s].v[j]);
	}
	n -= pair_get(v, &v->excess, s, x);
	*pair_sum(v, &v->pair, s, x) = n;
	return n;
}

static void vol_init(struct vol *v, const struct topology *t)
{
	size_t i, j, f, n = t->n_nodes + 1;

	v->t = t;
	v->node = xcalloc(n, sizeof(*v->node));
	v->nbr = xcalloc(n, sizeof(*v->nbr));
	v->ll_ifs = xcalloc(n, sizeof(*v->ll_ifs));
	v->nb = xcalloc(n, sizeof(*v->nb));
	v->to_star = xcalloc(n, sizeof(*v->to_star));
	v->at_peer = xcalloc(n, sizeof(*v->at_peer));
	v->at_bridge = xcalloc(n, sizeof(*v->at_bridge));
	v->from_star = xcalloc(n, sizeof(*v->from_star));
	for (i = 0; i < t->n_nodes; i++)
		strmap_put(&v->nodes, t->nodes[i].name, strlen(t->nodes[i].name), i, NULL);
	vol_links(v);
	for (i = 0; i < t->n_nodes; i++)
		for (j = 0; j < t->nodes[i].n_addrs; j++)
			vol_add(v, t->nodes[i].name, t->nodes[i].addrs[j].iface,
				t->nodes[i].addrs[j].addrs, t->nodes[i].addrs[j].n_addrs);
	for (i = 0; i < t->n_links; i++)
		for (j = 0; j < 2; j++)
			vol_add(v, t->links[i].ep[j].node, t->links[i].ep[j].iface,
				t->links[i].ep[j].addrs, t->links[i].ep[j].n_addrs);
	vol_link_local(v);
	/* Only the pairs that probes name, so that the map stays as small as the probes. */
	for (i = 0; i < t->n_probes; i++) {
		const struct probe_spec *p = &t->probes[i];
		size_t s, x;

		if (p->from && p->to && vol_node(v, p->from, &s) && vol_node(v, p->to, &x))
			pair_sum(v, &v->excess, s, x);
	}
	v->budget = 8 * (v->n_occ + t->n_links + t->n_nodes) + (1u << 20);
	vol_twice(v);
	for (i = 0; i < t->n_nodes; i++) {
		if (!in_pairs(v, i))
			continue;
		v->stars++;
		for (f = 0; f < 2; f++) {
			v->all.n[f] += v->node[i].n[f];
			v->with.n[f] += v->node[i].n[f] > 0;
		}
	}
}

static void vol_free(struct vol *v)
{
	struct strmap *maps[] = { &v->nodes, &v->ifs, &v->peers, &v->seen, &v->lls, &v->adj,
				  &v->peersum, &v->excess, &v->pair };
	void *arrays[] = { v->nbr, v->ll_ifs, v->nb, v->to_star, v->at_peer, v->at_bridge,
			   v->from_star, v->sums, v->node, v->ifc, v->occ };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(maps); i++)
		strmap_free(maps[i]);
	for (i = 0; i < v->t->n_nodes; i++) {
		free(v->nbr[i].v);
		free(v->ll_ifs[i].v);
	}
	for (i = 0; i < ARRAY_SIZE(arrays); i++)
		free(arrays[i]);
	probe_host_vol_free(v->host);
}

/* Is node IDX one that "*" stands for, with a probed address of family F? */
static bool star_with(const struct vol *v, size_t idx, size_t f)
{
	return in_pairs(v, idx) && v->node[idx].n[f];
}

/* The global targets of P from its sources, per the families each source has. */
static uint64_t vol_global(const struct vol *v, bool star, bool to_star, size_t s, size_t to,
			   const struct counts *tgt, bool self_skip)
{
	uint64_t sum = 0;
	size_t f;

	for (f = 0; f < 2; f++) {
		if (star && to_star)
			sum += v->with.n[f] ? v->all.n[f] * (v->with.n[f] - 1) : 0;
		else if (star)
			sum += (v->with.n[f] - (self_skip && star_with(v, to, f))) * tgt->n[f];
		else if (v->node[s].n[f] && to_star)
			sum += v->all.n[f] - (star_with(v, s, f) ? v->node[s].n[f] : 0);
		else if (v->node[s].n[f])
			sum += tgt->n[f];
	}
	return sum;
}

/*
 * The targets of probe P and its sources (into *SOURCES). A source probes a global address
 * only in a family it has itself; a link-local one from its link, or always as "node:iface".
 * "*" never pairs a node with itself, except towards one of its interfaces.
 */
static uint64_t vol_probe(struct vol *v, const struct probe_spec *p, uint64_t *sources)
{
	struct counts tgt = { { 0, 0 } };
	bool star, to_star;
	const char *colon;
	size_t s = 0, to = 0, k;
	uint8_t addr[16];
	int family;

	*sources = 0;
	if (!p->from || !p->to)
		return 0;
	if (probe_host_source(p->from)) {	/* one source: its targets reached by host ends */
		*sources = 1;
		if (!v->host)
			v->host = probe_host_vol_new(v->t);
		return probe_host_vol_probe(v->host, p);
	}
	star = !strcmp(p->from, "*");
	to_star = !strcmp(p->to, "*");
	if (!star && !vol_node(v, p->from, &s))
		return 0;
	*sources = star ? v->stars : 1;
	colon = strchr(p->to, ':');
	if (to_star)
		return vol_global(v, star, true, s, 0, &tgt, false) +
		       (star ? v->star_star : v->from_star[s]);
	if (ip_parse(p->to, &family, addr) == 0)
		return *sources;
	if (colon) {
		/* The key of "node:iface" is "node\0iface": the same length. */
		char *key = xasprintf("%.*s%c%s", (int)(colon - p->to), p->to, 0, colon + 1);
		uint64_t ll = 0;

		if (strmap_get(&v->ifs, key, strlen(p->to), &k)) {
			tgt = v->ifc[k].c;
			ll = v->ifc[k].ll * *sources;
		}
		free(key);
		return vol_global(v, star, false, s, 0, &tgt, false) + ll;
	}
	if (!vol_node(v, p->to, &to))
		return 0;
	return vol_global(v, star, false, s, to, &v->node[to], true) +
	       (star ? v->to_star[to] : ll_pair(v, s, to));
}

void probe_volume_count(const struct topology *t, struct probe_volume *out)
{
	struct vol v = { 0 };
	uint64_t tg, src, pk, worst = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	vol_init(&v, t);
	for (i = 0; i < t->n_probes; i++) {
		tg = vol_probe(&v, &t->probes[i], &src);
		pk = tg * t->probes[i].count;	/* <= 10^12 targets * 10^4 */
		out->packets = pk > UINT64_MAX - out->packets ? UINT64_MAX : out->packets + pk;
		if (pk > worst || !i) {
			worst = pk;
			out->worst = i;
			out->worst_targets = tg;
			out->worst_sources = src;
		}
	}
	vol_free(&v);
}
