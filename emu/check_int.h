/* SPDX-License-Identifier: MIT */
#ifndef TOPO_CHECK_INT_H
#define TOPO_CHECK_INT_H

/*
 * The checker's insides, shared by check.c and the files that check one
 * part of a lab each (check_route.c ...). topology.h's topo_check is the
 * interface.
 */

#include "diag.h"
#include "topology.h"
#include "util.h"

#define CHECK_MAX_ERRORS 500
#define NAME_RULE "[a-z0-9][a-z0-9_-]*, at most 32 characters"
#define IFNAME_RULE "1-15 bytes, no '/', ':', '%%' or spaces"  /* a format string */

/* An interface of a node, as made by a link endpoint. */
struct ifref {
	const char *name;
	const struct endpoint *ep;
};

struct nodeinfo {
	struct ifref *ifs;
	size_t n_ifs;
	struct cidr **addrs;	/* all addresses of the node (node ones and endpoint ones) */
	const char **addr_ifs;	/* interface of each */
	size_t n_addrs;
};

struct chk {
	const struct topology *t;
	struct diag *d;
	size_t n_errors;
	struct strmap said;	/* "line:col:text" already reported (defaults repeat per node) */
	struct strmap nodes;	/* name -> node index */
	struct strmap ifs;	/* "node\0iface" -> endpoint index (link * 2 + side) */
	struct nodeinfo *ni;
};

/* chk_report - one message at POS, said once however often the checks meet it. */
void __attribute__((format(printf, 4, 5)))
chk_report(struct chk *c, enum diag_level level, struct pos pos, const char *fmt, ...);

#define error(c, pos, ...) chk_report((c), DIAG_ERROR, (pos), __VA_ARGS__)
#define warn(c, pos, ...) chk_report((c), DIAG_WARNING, (pos), __VA_ARGS__)

/* chk_node_get - the node called NAME (its index into *IDX if not NULL), or NULL. */
const struct node *chk_node_get(const struct chk *c, const char *name, size_t *idx);
/* chk_link_iface - the endpoint that makes NODE's interface IFACE, or NULL. */
const struct endpoint *chk_link_iface(const struct chk *c, const char *node, const char *iface);
/* chk_has_iface - does node N have interface IFACE: a link's, `lo`, or `br0` on a bridge? */
bool chk_has_iface(const struct chk *c, const struct node *n, const char *iface);
/* chk_is_bridge_port - is IFACE a port of bridge node N? */
bool chk_is_bridge_port(const struct chk *c, const struct node *n, const char *iface);
/* chk_iface_list - "lo, eth0, eth1": node IDX's interfaces, for messages (free it). */
char *chk_iface_list(const struct chk *c, size_t idx);
/* chk_no_such_iface - the error for node IDX's missing IFACE, naming those it has. */
void chk_no_such_iface(struct chk *c, size_t idx, const char *iface, struct pos pos);
/* chk_unknown_node - the error for an unknown node NAME, with the closest known one. */
void chk_unknown_node(struct chk *c, const char *name, struct pos pos);

/* chk_routes - every node's routes (check_route.c). */
void chk_routes(struct chk *c);

/* chk_lans - what only a LAN of many members can get wrong (check_lan.c). */
void chk_lans(struct chk *c);

/* chk_rules - every node's policy routing rules (check_rule.c). */
void chk_rules(struct chk *c);

/* chk_host_links - the reserved node name `host`, host ends, `nat:` and probes from
 * the host (check_hostlink.c). */
void chk_host_links(struct chk *c);

/* chk_host_target - is probe target TO the host ("host" or "host:IFACE"), which
 * chk_host_links refuses? */
bool chk_host_target(const char *to);

/* chk_hosts - `hosts:` and each node's `host:` (check_host.c). */
void chk_hosts(struct chk *c);

#endif
