// SPDX-License-Identifier: MIT
/*
 * Probes from the host: which host end each target leaves through, and
 * which targets the host may probe at all (probe_host.h). Pure functions of
 * the topology, with unit tests (tests/unit/test_probe_host.c).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "host.h"
#include "probe_host.h"
#include "util.h"

bool probe_host_source(const char *from)
{
	return from && !strcmp(from, TOPO_HOST_NODE);
}

static bool is_host(const struct endpoint *ep)
{
	return ep->node && !strcmp(ep->node, TOPO_HOST_NODE);
}

/* A host end of the lab: where it is, and whether this run's host makes it. */
struct hend {
	const struct endpoint *ep;
	bool here;
};

/* The host ends of T into *OUT (to free); how many. Few: a lab has a handful at most. */
static size_t ends_collect(const struct topology *t, struct hend **out)
{
	struct hend *v = NULL;
	size_t n = 0, i, k;

	for (i = 0; i < t->n_links; i++)
		for (k = 0; k < 2; k++) {
			const struct endpoint *ep = &t->links[i].ep[k], *peer = &t->links[i].ep[!k];
			struct hend *h;

			if (!is_host(ep) || !ep->iface || !peer->node || is_host(peer))
				continue;
			h = VEC_PUSH(&v, &n);
			h->ep = ep;
			/* made where its link's node runs, as hostlink_want decides */
			h->here = host_here(t, peer->node);
		}
	*out = v;
	return n;
}

/* The end of V whose subnet holds FAMILY/ADDR, the longest prefix first; NULL if none. */
static const struct hend *ends_best(const struct hend *v, size_t n, int family,
				    const uint8_t addr[16])
{
	const struct hend *best = NULL;
	unsigned best_plen = 0;
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < v[i].ep->n_addrs; j++) {
			const struct cidr *c = &v[i].ep->addrs[j];

			if (c->family != family ||
			    (family == AF_INET6 && ip_is_link_local6(c->addr)) ||
			    !prefix_contains(family, c->addr, c->plen, addr))
				continue;
			if (!best || c->plen > best_plen) {
				best = &v[i];
				best_plen = c->plen;
			}
		}
	return best;
}

/* The end of V called IFACE, or NULL. */
static const struct hend *ends_named(const struct hend *v, size_t n, const char *iface)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].ep->iface, iface))
			return &v[i];
	return NULL;
}

const struct endpoint *probe_host_end(const struct topology *t, int family,
				      const uint8_t addr[16])
{
	struct hend *v;
	size_t n = ends_collect(t, &v);
	const struct hend *h = ends_best(v, n, family, addr);
	const struct endpoint *ep = h ? h->ep : NULL;

	free(v);
	return ep;
}

bool probe_host_end_here(const struct topology *t, const struct endpoint *ep)
{
	struct hend *v;
	size_t n = ends_collect(t, &v), i;
	bool here = false;

	for (i = 0; i < n; i++)
		here |= v[i].ep == ep && v[i].here;
	free(v);
	return here;
}

bool probe_host_here(const struct topology *t)
{
	struct hend *v;
	size_t n = ends_collect(t, &v), i;
	bool here = false;

	for (i = 0; i < n; i++)
		here |= v[i].here;
	free(v);
	return here;
}

/* What probe_host_aim does with one target. */
enum aim {
	AIM_KEEP,
	AIM_OUTSIDE,	/* in no host end's subnet: not the host's to probe */
	AIM_ELSEWHERE,	/* through a host end that another host makes */
};

static enum aim aim_one(const struct hend *v, size_t n, struct probe_target *tg, bool here)
{
	const struct hend *end;

	if (tg->family == AF_UNSPEC || tg->off_link)	/* reported as not probed */
		return here ? AIM_KEEP : AIM_ELSEWHERE;
	if (tg->scope)	/* link-local: the host end on its link */
		end = ends_named(v, n, tg->scope);
	else
		end = ends_best(v, n, tg->family, tg->addr);
	if (!end)	/* an explicit address stays, to say why it is not probed */
		return tg->to_node ? AIM_OUTSIDE : here ? AIM_KEEP : AIM_ELSEWHERE;
	if (!end->here)
		return AIM_ELSEWHERE;
	tg->bind = end->ep->iface;
	return AIM_KEEP;
}

size_t probe_host_aim(const struct topology *t, struct probe_target *v, size_t n,
		      bool keep_empty)
{
	struct hend *ends;
	size_t n_ends = ends_collect(t, &ends), i, kept = 0;
	bool here = false, elsewhere = false;
	struct probe_target first;

	for (i = 0; i < n_ends; i++)
		here |= ends[i].here;
	first = n ? v[0] : (struct probe_target){ 0 };
	for (i = 0; i < n; i++) {
		enum aim a = aim_one(ends, n_ends, &v[i], here);

		elsewhere |= a == AIM_ELSEWHERE;
		if (a == AIM_KEEP)
			v[kept++] = v[i];
	}
	free(ends);
	if (kept || !n || !keep_empty || elsewhere || !here)
		return kept;
	/* Nothing of the node lies in a host end's subnet: one row says so. */
	v[0] = (struct probe_target){ .spec = first.spec, .from = first.from,
				      .to_node = first.to_node, .to_iface = first.to_iface,
				      .family = AF_UNSPEC };
	return 1;
}

/* What the host's probes count for (probe_volume.c): its targets per node and interface. */
struct probe_host_vol {
	struct strmap nodes;	/* name -> index */
	struct strmap adj;	/* "node\0iface" on a host end's link, or on its bridge's */
	struct strmap ifs;	/* "node\0iface" -> index in ifc */
	uint64_t *ifc, *node;	/* targets from the host: per interface, per node */
	size_t n_ifc;
	uint64_t star;		/* over every node that "*" stands for */
};

#define IF_KEY_MAX (TOPO_NAME_MAX + TOPO_IFNAME_MAX + 2)

/* "node\0iface" into BUF (IF_KEY_MAX): its length, 0 when it does not fit. */
static size_t if_key(char *buf, const char *node, const char *iface)
{
	size_t ln = strlen(node), li = strlen(iface);

	if (ln + 1 + li >= IF_KEY_MAX)
		return 0;
	memcpy(buf, node, ln);
	buf[ln] = '\0';
	memcpy(buf + ln + 1, iface, li);
	return ln + 1 + li;
}

static void adj_put(struct probe_host_vol *hv, const struct endpoint *ep)
{
	char key[IF_KEY_MAX];
	size_t kl;

	if (ep->node && ep->iface && (kl = if_key(key, ep->node, ep->iface)))
		strmap_put(&hv->adj, key, kl, 1, NULL);
}

/* The interfaces on the link of host end H: its peer, or every port's peer of its bridge. */
static void adj_mark(struct probe_host_vol *hv, const struct topology *t, const struct endpoint *h)
{
	const struct endpoint *peer = NULL;
	const struct node *br;
	size_t i, k;

	for (i = 0; i < t->n_links && !peer; i++)
		for (k = 0; k < 2; k++)
			if (&t->links[i].ep[k] == h)
				peer = &t->links[i].ep[!k];
	if (!peer)
		return;
	adj_put(hv, peer);
	br = topo_node_find(t, peer->node);
	for (i = 0; br && br->kind == NODE_BRIDGE && i < t->n_links; i++)
		for (k = 0; k < 2; k++)
			if (t->links[i].ep[k].node && !strcmp(t->links[i].ep[k].node, br->name))
				adj_put(hv, &t->links[i].ep[!k]);
}

/* Address C of NODE on IFACE: a target from the host, or not. */
static void vol_addr(struct probe_host_vol *hv, const struct hend *ends, size_t n_ends,
		     const char *node, const char *iface, const struct cidr *c)
{
	char key[IF_KEY_MAX];
	size_t kl, ni, ii;

	if (!node || !iface || !(kl = if_key(key, node, iface)) ||
	    !strmap_get(&hv->nodes, node, strlen(node), &ni))
		return;
	if (c->family == AF_INET6 && ip_is_link_local6(c->addr)) {
		if (!strmap_get(&hv->adj, key, kl, NULL))	/* off the host's links */
			return;
	} else if (!ip_is_probeable(c->family, c->addr) ||
		   !ends_best(ends, n_ends, c->family, c->addr)) {
		return;
	}
	if (!strmap_get(&hv->ifs, key, kl, &ii)) {
		ii = hv->n_ifc;
		*VEC_PUSH(&hv->ifc, &hv->n_ifc) = 0;
		strmap_put(&hv->ifs, key, kl, ii, NULL);
	}
	hv->ifc[ii]++;
	hv->node[ni]++;
}

struct probe_host_vol *probe_host_vol_new(const struct topology *t)
{
	struct probe_host_vol *hv = xcalloc(1, sizeof(*hv));
	struct hend *ends;
	size_t n_ends = ends_collect(t, &ends), i, j, k;

	hv->node = xcalloc(t->n_nodes + 1, sizeof(*hv->node));
	for (i = 0; i < t->n_nodes; i++)
		if (t->nodes[i].name)
			strmap_put(&hv->nodes, t->nodes[i].name, strlen(t->nodes[i].name), i, NULL);
	for (i = 0; i < n_ends; i++)
		adj_mark(hv, t, ends[i].ep);
	for (i = 0; i < t->n_nodes; i++)
		for (j = 0; j < t->nodes[i].n_addrs; j++)
			for (k = 0; k < t->nodes[i].addrs[j].n_addrs; k++)
				vol_addr(hv, ends, n_ends, t->nodes[i].name,
					 t->nodes[i].addrs[j].iface, &t->nodes[i].addrs[j].addrs[k]);
	for (i = 0; i < t->n_links; i++)
		for (j = 0; j < 2; j++)
			for (k = 0; k < t->links[i].ep[j].n_addrs; k++)
				vol_addr(hv, ends, n_ends, t->links[i].ep[j].node,
					 t->links[i].ep[j].iface, &t->links[i].ep[j].addrs[k]);
	for (i = 0; i < t->n_nodes; i++)
		if (t->nodes[i].kind != NODE_BRIDGE)
			hv->star += hv->node[i];
	free(ends);
	return hv;
}

uint64_t probe_host_vol_probe(const struct probe_host_vol *hv, const struct probe_spec *p)
{
	const char *colon = strchr(p->to, ':');
	char key[IF_KEY_MAX];
	uint8_t addr[16];
	size_t idx, kl = strlen(p->to);
	int family;

	if (!strcmp(p->to, "*"))
		return hv->star;
	if (ip_parse(p->to, &family, addr) == 0)
		return 1;
	if (!colon)
		return strmap_get(&hv->nodes, p->to, strlen(p->to), &idx) ? hv->node[idx] : 0;
	if (kl >= IF_KEY_MAX)
		return 0;
	/* "node:iface" and its key "node\0iface" have one length. */
	memcpy(key, p->to, kl);
	key[colon - p->to] = '\0';
	return strmap_get(&hv->ifs, key, kl, &idx) ? hv->ifc[idx] : 0;
}

void probe_host_vol_free(struct probe_host_vol *hv)
{
	if (!hv)
		return;
	strmap_free(&hv->nodes);
	strmap_free(&hv->adj);
	strmap_free(&hv->ifs);
	free(hv->ifc);
	free(hv->node);
	free(hv);
}
