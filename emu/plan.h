/* SPDX-License-Identifier: MIT */
#ifndef TOPO_PLAN_H
#define TOPO_PLAN_H

/*
 * The plan: ordered actions that turn the actual state into the desired one.
 * plan_diff() is pure: two states in, a plan out, no kernel, no printing.
 *
 * Order (so that every action finds what it needs):
 *   rule-, route-, addr-, link-, ns- deletions; then ns+, sysctl+ (node-wide),
 *   link+ (veth pairs, bridges), link~ (master, mtu, mac, up/down),
 *   sysctl+ (per-interface keys), addr+, route+, rule+, exec (forgotten, then run).
 * A changed route, address or rule is a deletion plus a creation; a veth whose
 * peer is not the desired one is deleted and created again.
 */

#include <stdbool.h>
#include <stddef.h>

#include "state.h"

enum act_type {
	ACT_ROUTE_DEL,
	ACT_ADDR_DEL,
	ACT_LINK_DEL,
	ACT_NS_DEL,
	ACT_NS_ADD,		/* namespace + lo alias mark + lo up */
	ACT_SYSCTL_SET,
	ACT_VETH_ADD,		/* both ends, each directly in its namespace */
	ACT_BRIDGE_ADD,
	ACT_LINK_SET,
	ACT_ADDR_ADD,
	ACT_ROUTE_ADD,
	ACT_EXEC,		/* one command, recorded once it ran */
	ACT_EXEC_FORGET,	/* a command the file dropped: out of the record, not undone */
	ACT_FILES,		/* the node's files and dirs (nodeenv_write) */
	ACT_RULE_DEL,
	ACT_RULE_ADD,
	ACT_NAT_SET,		/* the lab's nftables table, made or replaced (nat.h) */
	ACT_NAT_DEL,		/* the lab's nftables table deleted, forwarding put back */
};

/* what ACT_LINK_SET changes */
enum {
	SET_MTU = 1 << 0,
	SET_MAC = 1 << 1,
	SET_UP = 1 << 2,	/* to iface.up */
	SET_MASTER = 1 << 3,	/* to iface.master ("" = nomaster) */
	SET_ALIAS = 1 << 4,
	SET_QDISC = 1 << 5,	/* the root qdisc to iface.qdisc (QD_DEFAULT: the kernel's) */
};

struct action {
	enum act_type type;
	bool drift;		/* removes something the file does not describe */
	/* ACT_ROUTE_*: deleted and added again unchanged (its device loses
	 * its last IPv4 address, and the kernel its IPv4 routes with it);
	 * ACT_RULE_*: the same, for a rule the deletion of another would take */
	bool readd;
	/* ACT_ROUTE_*, ACT_ADDR_*, ACT_RULE_*: one half of a change, deletion and
	 * addition; route_pair / addr_pair_plen / rule_pair is the other half */
	bool paired;
	char ns[ST_NSNAMSIZ];
	char node[TOPO_NAME_MAX + 1];
	/* ACT_LINK_*, ACT_VETH_ADD (this end), ACT_BRIDGE_ADD, ACT_ADDR_* (its interface) */
	struct st_iface iface;	/* addrs not owned: always NULL/0 here */
	/* ACT_VETH_ADD: ifindexes to ask for, distinct for the two ends */
	int ifindex, peer_ifindex;
	unsigned set;		/* ACT_LINK_SET: SET_* */
	/* One per type: a big lab's plan is tens of thousands of actions. */
	union {
		/* ACT_VETH_ADD: the other end, in namespace iface.peer_ns */
		struct st_iface peer;
		/* ACT_LINK_SET: the interface as it is (master: "" if it goes) */
		struct st_iface was;
		struct {			/* ACT_ADDR_* */
			struct st_addr addr;
			uint8_t addr_pair_plen;
			/* paired with another address (a host end's
			 * replaced one): that one; family 0 otherwise */
			struct st_addr addr_pair;
		};
		struct {			/* ACT_ROUTE_* */
			struct st_route route;
			/* paired: the other half, a copy the plan owns
			 * (plan_free); a route with its nexthops is large,
			 * and most route actions have no other half */
			struct st_route *route_pair;
		};
		struct {			/* ACT_SYSCTL_SET */
			struct st_sysctl sysctl;
			char sysctl_was[ST_SYSCTL_VAL_MAX];	/* "" if unknown */
		};
		struct {			/* ACT_EXEC, ACT_EXEC_FORGET */
			const char *exec_cmd;	/* ACT_EXEC: borrowed from the desired state */
			uint64_t exec_id;	/* st_exec_id */
			/* ACT_EXEC_FORGET: the command as it ran, cut to fit
			 * (the actual state it comes from may go first) */
			char exec_was[160];
		};
		struct {			/* ACT_RULE_* */
			struct st_rule rule;
			struct st_rule rule_pair;
		};
		struct {			/* ACT_FILES */
			uint64_t files_hash;
			uint64_t files_was;	/* the hash recorded before, or 0 */
			uint32_t n_files, n_dirs;
		};
		struct {			/* ACT_NAT_* */
			const char *nat_spec;	/* borrowed from the desired state */
			char nat_was[160];	/* what it replaces, cut to fit */
		};
	};
};

struct plan {
	struct action *acts;
	size_t n_acts;
	size_t n_add, n_change, n_destroy;
	size_t n_drift;		/* drift found; removed only with prune */
	struct action *drift;	/* what --prune would remove (when !prune) */
	size_t n_drift_acts;
	char **errors;		/* clashes: foreign namespaces etc. Non-empty: do not apply */
	size_t n_errors;
};

/* plan_diff - actions turning HAVE into WANT. PRUNE also removes drift. 0 or -errno. */
int plan_diff(const struct state *want, const struct state *have, bool prune, struct plan *out);

#define ACT_TEXT_MAX 320

/*
 * The words of one action (plan_text.c), for the command layer to print:
 *   plan line   "<sign> <kind> <subject>[ <detail>][ (<note>)]"
 *   sentence    "tri-r1: add route 10.9.0.0/24 via 10.0.1.9"
 *   drift       what a drift line names: "address 10.9.0.1/24 on eth0"
 */
struct act_text {
	char sign;		/* '+' creates, '~' changes, '-' deletes */
	const char *kind;	/* "route", "addr", "link", "bridge", "ns", "sysctl", "exec", "files", "rule" */
	char subject[ACT_TEXT_MAX];	/* the namespace, or "ns:ifname" */
	char detail[ACT_TEXT_MAX];	/* the route, the address, "mtu 1500 -> 9000" */
	char note[ACT_TEXT_MAX];	/* "was 10.0.0.1/24", "drift" */
	char sentence[ACT_TEXT_MAX];
	char drift[ACT_TEXT_MAX];	/* "" for a type that is never drift */
	/* The same, structured (`up --json`, `plan --json`); "" where it does not apply. */
	char object[ACT_TEXT_MAX];	/* the namespace, interface, address, route, sysctl key */
	char iface[ACT_TEXT_MAX];	/* the interface it is on or is */
	char peer[ACT_TEXT_MAX];	/* a veth's other end, "ns:ifname" */
	const char *attr;		/* a link change's "mtu", "mac", "state"...; or NULL */
	char before[ACT_TEXT_MAX];	/* a change's old value (a replaced route: the old one) */
	char after[ACT_TEXT_MAX];	/* and its new one */
};

/* action_text - the words of A into *T. */
void action_text(const struct action *a, struct act_text *t);

/* action_describe - action_text()'s sentence into BUF (truncated to LEN). */
const char *action_describe(const struct action *a, char *buf, size_t len);

/*
 * plan_summary - what the N actions from ACTS do, counted by kind, into BUF:
 * "Created 2 namespaces, 1 link; set 4 sysctls; deleted 1 route." ("" for
 * none). A changed route or address counts once. Pure.
 */
void plan_summary(const struct action *acts, size_t n, char *buf, size_t len);

/* vxlan_same - do A and B describe one tunnel (VNI, addresses, port)? (plan_vxlan.c) */
bool vxlan_same(const struct st_vxlan *a, const struct st_vxlan *b);

/* vxlan_fmt - "vxlan 4242 to 192.0.2.11:4789" into BUF; returns BUF. */
const char *vxlan_fmt(const struct st_vxlan *v, char *buf, size_t len);

/* plan_free - free what P holds and zero it; P itself belongs to the caller. */
void plan_free(struct plan *p);

#endif
