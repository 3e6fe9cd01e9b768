/* SPDX-License-Identifier: MIT */
#ifndef TOPO_APPLY_INT_H
#define TOPO_APPLY_INT_H

/*
 * apply_plan's insides, shared by apply.c and the files that apply one kind
 * of object each (apply_route.c ...). apply.h is the interface.
 */

#include "apply.h"
#include "nl.h"
#include "util.h"

struct apply_run {
	struct apply_ctx *ctx;
	/* what this run made or deleted: "ns/name" -> slot in ifindexes,
	 * which holds the ifindex (0: deleted) */
	struct strmap created;
	int *ifindexes;
	size_t n_ifindexes;
	/* interfaces this run brought up: "ns/name" -> slot in rising,
	 * until the kernel has seen their carrier (see wait_oper_up) */
	struct strmap carrier_wait;
	struct rising {
		char ns[ST_NSNAMSIZ];
		char name[ST_IFNAMSIZ];
		bool waiting;
	} *rising;
	size_t n_rising;
};

/* ap_ifindex_note - interface NAME of namespace NS now has IFINDEX (0: deleted by this run). */
void ap_ifindex_note(struct apply_run *r, const char *ns, const char *name, int ifindex);
/* ap_ifindex_of - the ifindex of NS's NAME: made by this run, or observed; 0 if none. */
int ap_ifindex_of(struct apply_run *r, const char *ns, const char *name);

/* ap_action_error_nl - action A's failure ERR in CTX->err (the first one only), with the
 * kernel's extended ACK when a request of NL (NULL: none) had one. */
void ap_action_error_nl(struct apply_ctx *ctx, const struct action *a, int err,
			const struct nl *nl);
/* ap_action_error - the same, with the extended ACK of A's namespace's socket. */
void ap_action_error(struct apply_ctx *ctx, const struct action *a, int err);

/*
 * ap_wait_tick - before another round of a wait for the kernel (WHAT, of
 * NS's NAME): an error when SIGINT/SIGTERM came (the next `up` finishes the
 * lab) or when DEADLINE (LIMIT, said) has passed.
 */
int ap_wait_tick(struct apply_run *r, uint64_t deadline, const char *what, const char *ns,
		 const char *name, const char *limit);

/* ap_route_change - ACT_ROUTE_ADD (ADD) or ACT_ROUTE_DEL A through NC (apply_route.c). */
int ap_route_change(struct apply_run *r, const struct action *a, struct nsconn *nc, bool add);

/*
 * ap_settle_ipv6 - wait until the IPv6 addresses added by the first N_DONE
 * actions of P are in use. The kernel takes an address into use in a work
 * item after the request returns: only then does the node join its
 * solicited-node group (a neighbour's first solicitation would be lost, and
 * the next comes a second later) and get its local route. Waiting for that
 * local route makes a lab usable the moment up returns.
 */
int ap_settle_ipv6(struct apply_run *r, const struct plan *p, size_t n_done);

/* ap_link_mark - set IFC's alias (topo's mark) on interface IFINDEX of NL's namespace. */
int ap_link_mark(struct nl *nl, int ifindex, const struct st_iface *ifc);

/* ap_vxlan_add - ACT_VETH_ADD of an ST_VXLAN iface: the tunnel end A in NC's namespace (apply_vxlan.c). */
int ap_vxlan_add(struct apply_run *r, const struct action *a, struct nsconn *nc);

#endif
