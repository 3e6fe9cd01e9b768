/* SPDX-License-Identifier: MIT */
#ifndef TOPO_PLAN_INT_H
#define TOPO_PLAN_INT_H

/*
 * The planner's insides, shared by plan.c and the files that plan one kind
 * of object each (plan_route.c ...). Not for anyone else: plan.h is the
 * interface.
 */

#include "plan.h"
#include "util.h"

/* The groups of plan.h, in the order they run. */
enum group {
	G_ROUTE_DEL,
	G_ADDR_DEL,
	G_LINK_DEL,
	G_NS_DEL,
	G_NS_ADD,
	G_SYSCTL_NS,
	G_VETH_ADD,
	G_BRIDGE_ADD, /* after the veths: see plan_link_creations() */
	G_LINK_SET,
	G_SYSCTL_IF,
	G_ADDR_ADD,
	G_ROUTE_ADD,
	G_FILES,	/* before exec: the commands see the files */
	G_EXEC,
	G_COUNT,
};

enum tally { T_NONE, T_ADD, T_CHANGE, T_DESTROY };

#define KEY_MAX (ST_NSNAMSIZ + ST_IFNAMSIZ + 16)

struct planner {
	const struct state *want, *have;
	bool prune;
	struct plan *p;
	struct action *g[G_COUNT], *dg[G_COUNT]; /* actions; drift left alone */
	size_t n_g[G_COUNT], n_dg[G_COUNT];
	size_t cap_g[G_COUNT], cap_dg[G_COUNT];
	struct strmap have_ns; /* owned actual namespace name -> index */
	struct strmap want_ns; /* desired namespace name -> index */
	bool *new_ns;	       /* per desired namespace: ns+ creates it */
	struct strmap dead;    /* "ns/ifname": gone once the deletions ran */
	struct strmap killed;  /* "ns/ifname": deleted by an action of this plan */
	struct strmap fresh;   /* "ns/ifname": created by this plan */
	struct strmap v4lost;  /* "ns/ifname": loses its last IPv4 address */
	struct strmap ifindex; /* "ns/ifindex": chosen by this plan */
};

/* pl_set_has - is "NS/NAME" in M? */
bool pl_set_has(const struct strmap *m, const char *ns, const char *name);
/* pl_set_add - put "NS/NAME" in M. */
void pl_set_add(struct strmap *m, const char *ns, const char *name);

/* pl_have_find - the owned actual namespace NSNAME, or NULL. */
const struct st_ns *pl_have_find(const struct planner *pl, const char *nsname);
/* pl_want_find - the desired namespace NSNAME, or NULL. */
const struct st_ns *pl_want_find(const struct planner *pl, const char *nsname);
/* pl_alive - the actual interface NAME in NSNAME if it outlives the deletions. */
const struct st_iface *pl_alive(const struct planner *pl, const char *nsname, const char *name);
/* pl_marked - is ALIAS "topo:<lab>" or "topo:<lab>:<anything>", this lab's mark? */
bool pl_marked(const struct planner *pl, const char *alias);

/* pl_act_init - zero A and set its type, namespace and node. */
void pl_act_init(struct action *a, enum act_type type, const char *ns, const char *node);
/* pl_iface_copy - SRC into DST without its addresses (the action's copy does not own them). */
void pl_iface_copy(struct st_iface *dst, const struct st_iface *src);
/* pl_emit - append A to group G, counted as T. */
void pl_emit(struct planner *pl, enum group g, enum tally t, const struct action *a);
/* pl_emit_drift - removal of something the file does not describe; true if it runs. */
bool pl_emit_drift(struct planner *pl, enum group g, struct action *a);

/* plan_ns_routes - the routes of desired namespace I (plan_route.c). */
void plan_ns_routes(struct planner *pl, size_t i);

/* pl_link_kill - delete actual interface IFC of NSNAME (a veth: its pair), once. */
void pl_link_kill(struct planner *pl, const char *nsname, const char *node,
		  const struct st_iface *ifc, bool drift);
/* pl_ifindex_choose - a free ifindex >= 2 of NSNAME for a new interface, not AVOID. */
int pl_ifindex_choose(struct planner *pl, const char *nsname, int avoid);

/* plan_vxlan_deletions - VXLAN devices whose namespace goes or whose tunnel differs (plan_vxlan.c). */
void plan_vxlan_deletions(struct planner *pl);
/* plan_vxlan_creations - the VXLAN devices to make, as ACT_VETH_ADD of an ST_VXLAN iface. */
void plan_vxlan_creations(struct planner *pl);

#endif
