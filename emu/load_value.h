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
 * load_route - route Y into *R (load_route.c): "10.0.9.0/24 via 10.0.2.2
 * dev eth1 metric 100" (the `ip route` words, with a type, table, src,
 * onlink, mtu and nexthops) or a mapping of the same fields; false after
 * reporting. R->text, R->dev and R->table are set even then, for the
 * caller to free.
 */
bool load_route(struct ytree *c, const struct ynode *y, struct route_spec *r);

/* load_tables - `tables:` of a node, { name: id }, into N->tables (load_route.c). */
void load_tables(struct ytree *c, const struct ynode *map, struct node *n);

/* load_tables_merge - DEF's tables under N's: a name N gives is N's. */
void load_tables_merge(struct node *n, const struct node *def);

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

/* The keys of `impair:`, in the order of the IMP_* bits: key K is bit IMPAIR_BIT(K). */
enum {
	IK_DELAY, IK_JITTER, IK_DIST, IK_LOSS, IK_LOSS_CORR, IK_DUPLICATE, IK_REORDER, IK_GAP,
	IK_CORRUPT, IK_RATE, IK_LIMIT, IK_N
};
#define IMPAIR_BIT(k) (1u << (k))
extern const char *const impair_keys[IK_N];

/* Keys that mean nothing without another (jitter without delay...): KEY needs NEEDS. */
struct impair_need {
	int key, needs;
};
#define IMPAIR_N_NEEDS 5
extern const struct impair_need impair_needs[IMPAIR_N_NEEDS];

/* impair_dist_name - "normal" for DIST_NORMAL... */
const char *impair_dist_name(enum impair_dist d);

/* impair_dist_parse - the enum impair_dist named S, or -1. */
int impair_dist_parse(const char *s);

#endif
