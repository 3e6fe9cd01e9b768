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
