// SPDX-License-Identifier: MIT
/*
 * probe_volume - the number of packets the probes of a lab would send.
 *
 * probe_expand() makes one target per source node and probed address; a
 * 13 KB file ({from: "*", to: "*", count: 10000} over 300 nodes) asks for
 * billions of packets, so the count must come without expanding: per node,
 * the addresses a node target probes, per family; "*" sums over the nodes
 * it stands for. Every probe costs O(1), or O(1) hash lookups.
 */

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "probe_volume.h"
#include "util.h"

/* The addresses a node target probes, per family (0 IPv4, 1 IPv6). */
struct counts {
	uint64_t n[2];
};

struct vol {
	const struct topology *t;
	struct strmap nodes;	/* name -> index */
	struct strmap ifs;	/* "node\0iface" -> index in ifc */
	struct counts *node;	/* per node */
	struct counts *ifc;
	size_t n_ifc;
	struct counts all;	/* over the nodes "*" stands for (not bridges) */
	struct counts with;	/* how many of those have an address of the family */
	uint64_t stars;		/* how many nodes "*" stands for */
};

/* The prober's rule (addr_probeable() of probe_expand.c): no loopback,
 * unspecified or link-local address. */
static bool addr_probed(const struct cidr *a)
{
	static const uint8_t v6_loopback[16] = { [15] = 1 }, v6_zero[16];

	if (a->family == AF_INET)
		return a->addr[0] != 127 && a->addr[0] != 0 &&
		       !(a->addr[0] == 169 && a->addr[1] == 254);
	return memcmp(a->addr, v6_loopback, 16) && memcmp(a->addr, v6_zero, 16) &&
	       !(a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80);
}

/* Count ADDRS (N of them) on NODE:IFACE. */
static void vol_add(struct vol *v, const char *node, const char *iface, const struct cidr *addrs,
		    size_t n)
{
	size_t idx, k, klen;
	char *key;

	if (!node || !iface || !strmap_get(&v->nodes, node, strlen(node), &idx))
		return;
	klen = strlen(node) + 1 + strlen(iface);
	key = xasprintf("%s%c%s", node, 0, iface);
	if (!strmap_get(&v->ifs, key, klen, &k)) {
		k = v->n_ifc;
		VEC_APPEND(&v->ifc, &v->n_ifc);
		strmap_put(&v->ifs, key, klen, k, NULL);
	}
	free(key);
	for (; n; n--, addrs++) {
		if (!addr_probed(addrs))
			continue;
		v->node[idx].n[addrs->family == AF_INET6]++;
		v->ifc[k].n[addrs->family == AF_INET6]++;
	}
}

static void vol_init(struct vol *v, const struct topology *t)
{
	size_t i, j, f;

	v->t = t;
	v->node = xcalloc(t->n_nodes + 1, sizeof(*v->node));
	for (i = 0; i < t->n_nodes; i++)
		strmap_put(&v->nodes, t->nodes[i].name, strlen(t->nodes[i].name), i, NULL);
	for (i = 0; i < t->n_nodes; i++)
		for (j = 0; j < t->nodes[i].n_addrs; j++)
			vol_add(v, t->nodes[i].name, t->nodes[i].addrs[j].iface,
				t->nodes[i].addrs[j].addrs, t->nodes[i].addrs[j].n_addrs);
	for (i = 0; i < t->n_links; i++)
		for (j = 0; j < 2; j++)
			vol_add(v, t->links[i].ep[j].node, t->links[i].ep[j].iface,
				t->links[i].ep[j].addrs, t->links[i].ep[j].n_addrs);
	for (i = 0; i < t->n_nodes; i++) {
		if (t->nodes[i].kind == NODE_BRIDGE)
			continue;
		v->stars++;
		for (f = 0; f < 2; f++) {
			v->all.n[f] += v->node[i].n[f];
			v->with.n[f] += v->node[i].n[f] > 0;
		}
	}
}

static bool vol_node(const struct vol *v, const char *name, size_t *idx)
{
	return strmap_get(&v->nodes, name, strlen(name), idx);
}

/* Is node IDX one that "*" stands for, with a probed address of family F? */
static bool star_with(const struct vol *v, size_t idx, size_t f)
{
	return v->t->nodes[idx].kind != NODE_BRIDGE && v->node[idx].n[f];
}

/*
 * The targets of probe P and its sources (into *SOURCES). A source probes
 * a family only if it has a probed address of it itself; "*" never pairs a
 * node with itself, except towards one of its interfaces.
 */
static uint64_t vol_probe(const struct vol *v, const struct probe_spec *p, uint64_t *sources)
{
	struct counts tgt = { { 0, 0 } };
	bool star, to_star, self_skip = false;
	const char *colon;
	size_t s = 0, to = 0, k, f;
	uint64_t sum = 0;
	uint8_t addr[16];
	int family;

	*sources = 0;
	if (!p->from || !p->to)
		return 0;
	star = !strcmp(p->from, "*");
	to_star = !strcmp(p->to, "*");
	if (!star && !vol_node(v, p->from, &s))
		return 0;
	*sources = star ? v->stars : 1;
	colon = strchr(p->to, ':');
	if (!to_star && ip_parse(p->to, &family, addr) == 0)
		return *sources;
	if (!to_star && colon) {
		/* The key of "node:iface" is "node\0iface": the same length. */
		char *key = xasprintf("%.*s%c%s", (int)(colon - p->to), p->to, 0, colon + 1);

		if (strmap_get(&v->ifs, key, strlen(p->to), &k))
			tgt = v->ifc[k];
		free(key);
	} else if (!to_star) {
		if (!vol_node(v, p->to, &to))
			return 0;
		tgt = v->node[to];
		self_skip = true;
	}
	for (f = 0; f < 2; f++) {
		if (star && to_star)
			sum += v->with.n[f] ? v->all.n[f] * (v->with.n[f] - 1) : 0;
		else if (star)
			sum += (v->with.n[f] - (self_skip && star_with(v, to, f))) * tgt.n[f];
		else if (v->node[s].n[f] && to_star)
			sum += v->all.n[f] - (star_with(v, s, f) ? v->node[s].n[f] : 0);
		else if (v->node[s].n[f])
			sum += tgt.n[f];
	}
	return sum;
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
	strmap_free(&v.nodes);
	strmap_free(&v.ifs);
	free(v.node);
	free(v.ifc);
}
