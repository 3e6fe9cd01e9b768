// SPDX-License-Identifier: MIT
/* The desired state of one route: the file's route as the kernel will hold it. */

#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "want.h"

static const uint8_t rtn_types[] = {
	[ROUTE_UNICAST] = RTN_UNICAST, [ROUTE_BLACKHOLE] = RTN_BLACKHOLE,
	[ROUTE_UNREACHABLE] = RTN_UNREACHABLE, [ROUTE_PROHIBIT] = RTN_PROHIBIT,
	[ROUTE_THROW] = RTN_THROW,
};

int want_route_fill(const struct node *n, const struct route_spec *rs, struct st_route *r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->family = rs->family;
	memcpy(r->dst, rs->dst, sizeof(r->dst));
	r->dst_len = rs->dst_len;
	r->has_gw = rs->has_via;
	if (rs->has_via)
		memcpy(r->gw, rs->via, sizeof(r->gw));
	r->metric = rs->has_metric ? rs->metric : route_metric_default(rs->family);
	r->proto = TOPO_RTPROT;
	r->pos = rs->pos;
	r->type = rtn_types[rs->type];
	r->table = RT_TABLE_MAIN;
	if (rs->table && !topo_table_id(n, rs->table, &r->table))
		return -EINVAL;	/* the checker said so */
	r->has_src = rs->has_src;
	memcpy(r->src, rs->src, sizeof(r->src));
	r->onlink = rs->onlink;
	r->mtu = rs->mtu;
	if (rs->n_nh > ST_NEXTHOPS_MAX)
		return -E2BIG;
	r->n_nh = (uint8_t)rs->n_nh;
	for (i = 0; i < rs->n_nh; i++) {
		struct st_nexthop *nh = &r->nh[i];

		nh->has_gw = rs->nh[i].has_via;
		memcpy(nh->gw, rs->nh[i].via, sizeof(nh->gw));
		snprintf(nh->dev, sizeof(nh->dev), "%s", rs->nh[i].dev);
		nh->weight = rs->nh[i].weight ? rs->nh[i].weight : 1;
		nh->onlink = rs->nh[i].onlink;
	}
	if (rs->dev && strlen(rs->dev) >= sizeof(r->dev))
		return -ENAMETOOLONG;
	if (rs->dev)
		snprintf(r->dev, sizeof(r->dev), "%s", rs->dev);
	return 0;
}
