// SPDX-License-Identifier: MIT
/* The planner's routes: matched by destination and metric, changed as a
 * deletion and an addition (the kernel has no in-place route change). */

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "plan_int.h"

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
	a->route_pair = *other;
}

void plan_ns_routes(struct planner *pl, size_t i)
{
	const struct st_ns *wn = &pl->want->ns[i];
	const struct st_ns *hn = pl->new_ns[i] ? NULL : pl_have_find(pl, wn->name);
	bool *matched = xcalloc(wn->n_routes + 1, sizeof(*matched));
	struct action a;
	size_t j, k;

	for (j = 0; hn && j < hn->n_routes; j++) {
		const struct st_route *r = &hn->routes[j], *d = NULL;
		bool doomed, same;

		if (st_route_is_kernels(r))
			continue;
		/* gone with its device */
		if (r->dev[0] && !pl_alive(pl, wn->name, r->dev))
			continue;
		doomed =
		    r->family == AF_INET && r->dev[0] && pl_set_has(&pl->v4lost, wn->name, r->dev);
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
}
