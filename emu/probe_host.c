// SPDX-License-Identifier: MIT
/*
 * Probes from the host: which host end each target leaves through, and
 * which targets the host may probe at all (probe_host.h). Pure functions of
 * the topology, with unit tests (tests/unit/test_probe_host.c).
 */
#include <errno.h>
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

/* The other end of the link of host end EP; NULL when EP is no link's. */
static const struct endpoint *end_peer(const struct topology *t, const struct endpoint *ep)
{
	for (size_t i = 0; i < t->n_links; i++)
		for (size_t k = 0; k < 2; k++)
			if (&t->links[i].ep[k] == ep)
				return &t->links[i].ep[!k];
	return NULL;
}

const struct endpoint *probe_host_end(const struct topology *t, int family,
				      const uint8_t addr[16])
{
	const struct endpoint *best = NULL;
	unsigned best_plen = 0;
	size_t i, k, j;

	for (i = 0; i < t->n_links; i++)
		for (k = 0; k < 2; k++) {
			const struct endpoint *ep = &t->links[i].ep[k];

			if (!is_host(ep) || !ep->iface || is_host(&t->links[i].ep[!k]))
				continue;
			for (j = 0; j < ep->n_addrs; j++) {
				const struct cidr *c = &ep->addrs[j];

				if (c->family != family ||
				    (family == AF_INET6 && ip_is_link_local6(c->addr)) ||
				    !prefix_contains(family, c->addr, c->plen, addr))
					continue;
				if (!best || c->plen > best_plen) {
					best = ep;
					best_plen = c->plen;
				}
			}
		}
	return best;
}

/* The host end IFACE, or NULL. */
static const struct endpoint *end_named(const struct topology *t, const char *iface)
{
	for (size_t i = 0; i < t->n_links; i++)
		for (size_t k = 0; k < 2; k++)
			if (is_host(&t->links[i].ep[k]) && t->links[i].ep[k].iface &&
			    !strcmp(t->links[i].ep[k].iface, iface))
				return &t->links[i].ep[k];
	return NULL;
}

/* The host end is made where its link's node runs (hostlink_want does the same). */
bool probe_host_end_here(const struct topology *t, const struct endpoint *ep)
{
	const struct endpoint *peer = end_peer(t, ep);

	return peer && peer->node && !is_host(peer) && host_here(t, peer->node);
}

bool probe_host_here(const struct topology *t)
{
	for (size_t i = 0; i < t->n_links; i++)
		for (size_t k = 0; k < 2; k++)
			if (is_host(&t->links[i].ep[k]) &&
			    probe_host_end_here(t, &t->links[i].ep[k]))
				return true;
	return false;
}

/* What probe_host_aim does with one target. */
enum aim {
	AIM_KEEP,
	AIM_OUTSIDE,	/* in no host end's subnet: not the host's to probe */
	AIM_ELSEWHERE,	/* through a host end that another host makes */
};

static enum aim aim_one(const struct topology *t, struct probe_target *tg, bool here)
{
	const struct endpoint *end;

	if (tg->family == AF_UNSPEC || tg->off_link)	/* reported as not probed */
		return here ? AIM_KEEP : AIM_ELSEWHERE;
	if (tg->scope)	/* link-local: the host end on its link */
		end = end_named(t, tg->scope);
	else
		end = probe_host_end(t, tg->family, tg->addr);
	if (!end)	/* an explicit address stays, to say why it is not probed */
		return tg->to_node ? AIM_OUTSIDE : here ? AIM_KEEP : AIM_ELSEWHERE;
	if (!probe_host_end_here(t, end))
		return AIM_ELSEWHERE;
	tg->bind = end->iface;
	return AIM_KEEP;
}

size_t probe_host_aim(const struct topology *t, struct probe_target *v, size_t n,
		      bool keep_empty)
{
	bool here = probe_host_here(t), elsewhere = false;
	struct probe_target first;
	size_t i, kept = 0;

	if (!n)
		return 0;
	first = v[0];
	for (i = 0; i < n; i++) {
		enum aim a = aim_one(t, &v[i], here);

		elsewhere |= a == AIM_ELSEWHERE;
		if (a == AIM_KEEP)
			v[kept++] = v[i];
	}
	if (kept || !keep_empty || elsewhere || !here)
		return kept;
	/* Nothing of the node lies in a host end's subnet: one row says so. */
	v[0] = (struct probe_target){ .spec = first.spec, .from = first.from,
				      .to_node = first.to_node, .to_iface = first.to_iface,
				      .family = AF_UNSPEC };
	return 1;
}

uint64_t probe_host_volume(const struct topology *t, const struct probe_spec *p)
{
	struct topology one = *t;
	struct probe_target *tg = NULL;
	size_t n = 0;
	char err[8];

	/* The expansion itself, of this probe alone, as if every host end were here. */
	one.probes = (struct probe_spec *)p;
	one.n_probes = 1;
	one.self = NULL;
	if (probe_expand(&one, &tg, &n, err, sizeof(err)) < 0)
		n = 0;
	free(tg);
	return n;
}
