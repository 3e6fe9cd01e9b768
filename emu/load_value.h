/* SPDX-License-Identifier: MIT */
/* load_value - the loader's parsers of addresses, names, routes and endpoints. */
#ifndef TOPO_LOAD_VALUE_H
#define TOPO_LOAD_VALUE_H

#include <stdbool.h>

#include "topology.h"
#include "yaml_tree.h"

/*
 * load_cidr - "10.0.0.1/24" at POS into *OUT; false after saying whether
 * the address or the length is wrong.
 */
bool load_cidr(struct ytree *c, const char *s, struct pos pos, struct cidr *out);

/* load_ifname_ok - is S a name the kernel takes for an interface (reported if not)? */
bool load_ifname_ok(struct ytree *c, const char *s, struct pos pos);

/* load_name_ok - is S a valid name of a node, lab or prefix (WHAT, reported if not)? */
bool load_name_ok(struct ytree *c, const char *what, const char *s, struct pos pos);

/*
 * load_route - route Y into *R: "10.0.9.0/24 via 10.0.2.2 dev eth1 metric
 * 100" (the `ip route` words) or { to, via, dev, metric }; false after
 * reporting. R->text and R->dev are set even then, for the caller to free.
 */
bool load_route(struct ytree *c, const struct ynode *y, struct route_spec *r);

/*
 * load_endpoint - link endpoint Y into *EP: "node:iface [addr[, addr] ...]"
 * or { node, iface, addresses, mac }; false after reporting.
 */
bool load_endpoint(struct ytree *c, const struct ynode *y, struct endpoint *ep);

/*
 * load_impair - `impair:` map Y into *IM (load_impair.c): its fields with
 * their units, and the fields that need another (jitter needs delay...).
 * false when Y is not a map; field errors are reported and leave the
 * field unset.
 */
bool load_impair(struct ytree *c, const struct ynode *y, struct impair *im);

/* impair_dist_name - "normal" for DIST_NORMAL... */
const char *impair_dist_name(enum impair_dist d);

#endif
