// SPDX-License-Identifier: MIT
/* The planner's routes: matched by table, destination and metric, changed
 * as a deletion and an addition (one change in the plan). */

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "plan_int.h"

static bool route_key_eq(const struct st_route *a, const struct st_route *b)
{
	return a->family == b->family && a->dst_len == b->dst_len && a->metric == b->metric &&
	       st_route_table(a) == st_route_table(b) &&
	       !memcmp(a->dst, b->dst, addr_len(a->family));
}

/* The same destination and metric in another table: one route moved. (Another
 * metric is another route, as the kernel sees it: an addition and a deletion.) */
static bool route_moved(const struct st_route *a, const struct st_route *b)
{
	return a->family == b->family && a->dst_len == b->dst_len && a->metric == b->metric &&
	       !memcmp(a->dst, b->dst, addr_len(a->family));
}

/* Does actual path (GW, DEV, ONLINK) satisfy the desired one? A desired path names its device only when the file does. */
static bool path_eq(int family, const struct st_nexthop *d, const struct st_nexthop *r)
{
	if (d->has_gw != r->has_gw || (d->has_gw && memcmp(d->gw, r->gw, addr_len(family))))
		return false;
	return d->onlink == r->onlink && d->weight == r->weight && (!d->dev[0] || !strcmp(d->dev, r->dev));
}

/* The nexthops of R satisfy those of D, in any order (IPv6 keeps its own). */
static bool nexthops_eq(const struct st_route *d, const struct st_route *r)
{
	bool used[ST_NEXTHOPS_MAX] = { 0 };
	size_t i, j;

	if (d->n_nh != r->n_nh)
		return false;
	for (i = 0; i < d->n_nh; i++) {
		for (j = 0; j < r->n_nh && (used[j] || !path_eq(d->family, &d->nh[i], &r->nh[j])); j++)
			;
		if (j == r->n_nh)
			return false;
		used[j] = true;
	}
	return true;
}

/* Do actual route R's type, paths and attributes satisfy desired route D? */
static bool route_attrs_eq(const struct st_route *d, const struct st_route *r)
{
	if (st_route_type(d) != st_route_type(r) || d->has_gw != r->has_gw ||
	    d->onlink != r->onlink || d->mtu != r->mtu || d->has_src != r->has_src)
		return false;
	if (d->has_gw && memcmp(d->gw, r->gw, addr_len(d->family)))
		return false;
	if (d->has_src && memcmp(d->src, r->src, addr_len(d->family)))
		return false;
	if (!nexthops_eq(d, r))
		return false;
	return !d->dev[0] || !strcmp(d->dev, r->dev);
}

static void route_act(struct action *a, enum act_type type, const struct st_ns *wn,
		      const struct st_route *r)
{
	pl_act_init(a, type, wn->name, wn->node);
	a->route = *r;
}

/* route_pair - A is half of a change to OTHER, or (SAME) deleted and added again. */
static void route_pair(struct action *a, bool same, const struct st_route *other)
{
	a->readd = same;
	a->paired = !same;
	a->route_pair = NULL;
	if (!same) {
		a->route_pair = xmalloc(sizeof(*a->route_pair));
		*a->route_pair = *other;
	}
}

/* Does R go with a device that goes away, or through one the kernel flushes its IPv4 routes of (*DOOMED)? */
static bool route_gone(struct planner *pl, const struct st_ns *wn, const struct st_route *r,
		       bool *doomed)
{
	size_t i;

	*doomed = r->family == AF_INET && r->dev[0] && pl_set_has(&pl->v4lost, wn->name, r->dev);
	if (r->dev[0] && !pl_alive(pl, wn->name, r->dev))
		return true;
	for (i = 0; i < r->n_nh; i++) {
		if (r->nh[i].dev[0] && !pl_alive(pl, wn->name, r->nh[i].dev))
			return true;
		*doomed |= r->family == AF_INET && r->nh[i].dev[0] &&
			   pl_set_has(&pl->v4lost, wn->name, r->nh[i].dev);
	}
	return false;
}

/*
 * route_match - MATCH[j]: the desired route actual route J of HN is (its
 * index + 1), 0 for none, -1 for one left alone. First by the kernel's
 * key; then a route of topo's with no match moved to another table is
 * one change, not a deletion and an addition.
 */
static void route_match(struct planner *pl, const struct st_ns *wn, const struct st_ns *hn,
			long *match, bool *doomed, bool *matched)
{
	size_t j, k;

	for (j = 0; hn && j < hn->n_routes; j++) {
		const struct st_route *r = &hn->routes[j];

		if (st_route_is_kernels(r) || route_gone(pl, wn, r, &doomed[j])) {
			match[j] = -1;
			continue;
		}
		for (k = 0; k < wn->n_routes && !match[j]; k++) {
			if (!matched[k] && route_key_eq(&wn->routes[k], r)) {
				matched[k] = true;
				match[j] = (long)k + 1;
			}
		}
	}
	for (j = 0; hn && j < hn->n_routes; j++) {
		const struct st_route *r = &hn->routes[j];

		if (match[j] || r->proto != TOPO_RTPROT)
			continue;
		for (k = 0; k < wn->n_routes && !match[j]; k++) {
			if (!matched[k] && route_moved(&wn->routes[k], r)) {
				matched[k] = true;
				match[j] = (long)k + 1;
			}
		}
	}
}

void plan_ns_routes(struct planner *pl, size_t i)
{
	const struct st_ns *wn = &pl->want->ns[i];
	const struct st_ns *hn = pl->new_ns[i] ? NULL : pl_have_find(pl, wn->name);
	size_t n_have = hn ? hn->n_routes : 0;
	bool *matched = xcalloc(wn->n_routes + 1, sizeof(*matched));
	bool *doomed = xcalloc(n_have + 1, sizeof(*doomed));
	long *match = xcalloc(n_have + 1, sizeof(*match));
	struct action a;
	size_t j, k;

	route_match(pl, wn, hn, match, doomed, matched);
	for (j = 0; j < n_have; j++) {
		const struct st_route *r = &hn->routes[j], *d;
		bool same;

		if (match[j] < 0)
			continue;
		route_act(&a, ACT_ROUTE_DEL, wn, r);
		if (match[j]) {
			d = &wn->routes[match[j] - 1];
			same = route_key_eq(d, r) && route_attrs_eq(d, r);
			if (same && !doomed[j])
				continue;
			/* deleted first and added again after the addresses:
			 * the route- group runs before any side effect */
			route_pair(&a, same, d);
			pl_emit(pl, G_ROUTE_DEL, T_NONE, &a);
			route_act(&a, ACT_ROUTE_ADD, wn, d);
			route_pair(&a, same, r);
			pl_emit(pl, G_ROUTE_ADD, T_CHANGE, &a);
		} else if (r->proto == TOPO_RTPROT) {
			pl_emit(pl, G_ROUTE_DEL, T_DESTROY, &a);
		} else if (!st_route_learned(r)) {
			/* a daemon's route is its own business, --prune or not */
			pl_emit_drift(pl, G_ROUTE_DEL, &a);
		}
	}
	for (k = 0; k < wn->n_routes; k++) {
		if (matched[k])
			continue;
		route_act(&a, ACT_ROUTE_ADD, wn, &wn->routes[k]);
		pl_emit(pl, G_ROUTE_ADD, T_ADD, &a);
	}
	free(matched);
	free(doomed);
	free(match);
}
