/* SPDX-License-Identifier: MIT */
#ifndef TOPO_STATE_H
#define TOPO_STATE_H

/*
 * Kernel state of one lab. The desired state (want.c, from the topology)
 * and the actual state (observe.c, from the kernel) are the same types, so
 * the planner is one pure function of two values.
 *
 * Conventions for the desired state: mtu 0 and has_mac false mean "whatever
 * the kernel picks"; ifindex fields are 0. The actual state fills them.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "topology.h"

#define ST_IFNAMSIZ 16
#define ST_NSNAMSIZ (TOPO_NSNAME_MAX + 1)
#define ST_ALIAS_MAX 128
#define ST_SYSCTL_KEY_MAX 128
#define ST_SYSCTL_VAL_MAX 64

/*
 * topo marks what it creates so that a later `up` can tell "the file no
 * longer has it" (delete) from "someone added it by hand" (drift): routes
 * carry rtm_protocol TOPO_RTPROT, addresses IFA_PROTO TOPO_IFAPROT (Linux
 * 6.1+), interfaces the alias "topo:<lab>" (lo: "topo:<lab>:<node>").
 */
#define TOPO_RTPROT 116
#define TOPO_IFAPROT 116

struct st_addr {
	int family;
	uint8_t addr[16];
	uint8_t plen;
	uint8_t proto;		/* IFA_PROTO; desired: TOPO_IFAPROT */
};

struct st_route {
	int family;
	uint8_t dst[16];
	uint8_t dst_len;
	bool has_gw;
	uint8_t gw[16];
	char dev[ST_IFNAMSIZ];	/* "" when not bound to a device (desired: not given) */
	uint32_t metric;	/* desired: route_metric_default() when not given */
	uint8_t proto;		/* rtm_protocol; desired: TOPO_RTPROT */
	struct pos pos;		/* desired only: where the file says it */
};

enum st_kind { ST_LO, ST_VETH, ST_BRIDGE, ST_OTHER, ST_VXLAN };

/* A VXLAN device's tunnel (a link to a node on another host, docs/format.md section 11). */
struct st_vxlan {
	uint32_t vni;
	int family;		/* of REMOTE and LOCAL: AF_INET or AF_INET6 */
	uint8_t remote[16];	/* the other host's underlay address */
	uint8_t local[16];	/* this host's */
	uint16_t port;		/* UDP, host byte order */
};

/*
 * The root qdisc of an interface: what its egress does to packets. The
 * kernel's default (noqueue on a veth; any root qdisc with handle 0) is
 * QD_DEFAULT. topo's own qdiscs have a handle whose major number is
 * QDISC_MAJOR plus a slot: a netem's delay distribution (0-3: the kernel
 * never reports a netem's table back, the handle does), QDISC_SLOT_TBF or
 * QDISC_SLOT_BLACKHOLE. A change of slot is a new qdisc grafted in the
 * old one's place (the kernel changes a qdisc in place only keeping its
 * kind); any other handle is someone else's.
 */
enum qd_kind { QD_DEFAULT, QD_NETEM, QD_TBF, QD_BLACKHOLE, QD_OTHER };

#define QDISC_MAJOR 0x7470u
#define QDISC_SLOT_TBF 4u
#define QDISC_SLOT_BLACKHOLE 5u

struct st_qdisc {
	enum qd_kind kind;
	char kind_name[16];	/* the kernel's TCA_KIND */
	uint32_t handle;	/* actual; desired: the one to ask for */
	uint64_t delay_ns, jitter_ns;	/* netem */
	uint8_t dist;		/* netem: enum impair_dist */
	/* netem probabilities as the kernel holds them: 0..UINT32_MAX is 0..100% */
	uint32_t loss, loss_corr, duplicate, reorder, corrupt;
	uint32_t gap;
	uint64_t rate;		/* bytes per second (netem, tbf); 0: none */
	uint32_t limit;		/* netem: packets; tbf: bytes */
	uint32_t burst;		/* tbf, desired only: bytes the bucket holds */
};

struct st_iface {
	char name[ST_IFNAMSIZ];
	enum st_kind kind;
	char kind_name[16];	/* the kernel's IFLA_INFO_KIND, for ST_OTHER */
	/* veth: the other end */
	char peer_ns[ST_NSNAMSIZ];
	char peer_name[ST_IFNAMSIZ];
	char master[ST_IFNAMSIZ];	/* bridge port of; "" none */
	uint32_t mtu;
	bool has_mac;
	uint8_t mac[6];
	/* desired only: the MAC a new interface gets when the file gives none,
	 * the same each time it is made (want_stable_mac); never compared
	 * with the kernel's, so a lab made with random MACs keeps them */
	bool has_create_mac;
	uint8_t create_mac[6];
	bool up;
	struct st_qdisc qdisc;
	/* actual only, never planned: what the kernel makes of the link */
	uint8_t operstate;	/* IF_OPER_* (RFC 2863) */
	bool carrier;
	char alias[ST_ALIAS_MAX];	/* IFLA_IFALIAS: the ownership mark */
	struct st_addr *addrs;
	size_t n_addrs;
	int ifindex;		/* actual only */
	int peer_ifindex;	/* actual only: IFLA_LINK of a veth */
	struct st_vxlan vxlan;	/* ST_VXLAN */
};

struct st_sysctl {
	char key[ST_SYSCTL_KEY_MAX];
	char value[ST_SYSCTL_VAL_MAX];
	/* desired only */
	bool implied;	/* topo's own choice (forwarding by kind), not the file's */
	bool dropped;	/* set by topo once, no longer in the file: VALUE is a new
			 * namespace's (see sysctl_want_dropped) */
};

struct st_ns {
	char name[ST_NSNAMSIZ];	/* "<prefix>-<node>" */
	char node[TOPO_NAME_MAX + 1];
	bool owned;		/* actual: lo carries "topo:<lab>:<node>" */
	struct st_iface *ifaces;
	size_t n_ifaces;
	struct st_route *routes;
	size_t n_routes;
	struct st_sysctl *sysctls;
	size_t n_sysctls;
	/* exec: desired, the file's commands; actual, those recorded in
	 * /run/topo/<lab>/<node>/exec as run, as they ran. exec_ids[i] names execs[i]
	 * (st_exec_id), so each command is run once and forgotten alone. */
	char **execs;
	uint64_t *exec_ids;
	size_t n_execs;
	/* actual: the record is an older topo's (one hash of the whole list);
	 * read as the file's list when that hash matches it, and rewritten
	 * one command a line before it changes */
	bool exec_legacy;
	/* files and dirs: desired holds nodeenv_files_hash and the counts;
	 * actual those in the node's `mounts` record (0: none). */
	uint64_t files_hash;
	uint32_t n_files, n_dirs;
};

struct state {
	char lab[TOPO_NAME_MAX + 1];
	struct st_ns *ns;
	size_t n_ns;
	/* actual only: namespaces named like a node of the lab that topo does
	 * not own (no mark, or another lab's mark) */
	char (*foreign)[ST_NSNAMSIZ];
	size_t n_foreign;
	/* desired only: what the kernel will not let topo realise, said to the user */
	char **notes;
	size_t n_notes;
};

/* route_metric_default - the kernel's metric for a route without one (IPv6: IP6_RT_PRIO_USER). */
static inline uint32_t route_metric_default(int family)
{
	return family == AF_INET6 ? 1024 : 0;
}

/* st_route_fmt - "10.9.0.0/24 via 10.0.1.9 dev eth0" (and a metric not the default) into BUF. */
const char *st_route_fmt(const struct st_route *r, char *buf, size_t len);

/* st_route_dst_fmt - "10.9.0.0/24" or "default" into BUF (at least 64 bytes); returns BUF. */
const char *st_route_dst_fmt(const struct st_route *r, char *buf, size_t len);

/*
 * st_route_learned - did a routing daemon install R (rtm_protocol zebra,
 * bird, ospf, bgp, dhcp...)? Such a route is neither topo's nor drift:
 * only the protocols a person's `ip route add` uses (boot, static,
 * unspec) make drift, and what the kernel makes (kernel, ra) is no one's.
 */
bool st_route_learned(const struct st_route *r);

/* st_route_proto_name - "bird", "zebra", "ospf"... for R's rtm_protocol, its number otherwise. */
const char *st_route_proto_name(const struct st_route *r, char *buf, size_t len);

/* st_exec_id - the identity of exec command CMD, the NTH (from 0) of that text in its node's list. */
uint64_t st_exec_id(const char *cmd, size_t nth);

/* st_operstate_name - "up", "down", "lowerlayerdown"… for an IF_OPER_* value. */
const char *st_operstate_name(uint8_t operstate);

/* st_addr_fmt - "10.0.1.1/24" into BUF (at least 64 bytes); returns BUF. */
const char *st_addr_fmt(const struct st_addr *a, char *buf, size_t len);

/* st_addr_is_kernels - did the kernel add A to IFC itself: its own IPv6 link-local; loopback on lo? */
bool st_addr_is_kernels(const struct st_addr *a, const struct st_iface *ifc);

/* st_iface_is_kernels - is IFC the kernel's own (lo, a tunnel driver's fallback device)? */
bool st_iface_is_kernels(const struct st_iface *ifc);

/* st_route_is_kernels - did the kernel make R itself (prefix, link-local, multicast, RA routes)? */
bool st_route_is_kernels(const struct st_route *r);

/* state_free - free what S holds and zero it; S itself belongs to the caller. */
void state_free(struct state *s);

/* state_ns_find - the namespace called NSNAME in S, or NULL. */
struct st_ns *state_ns_find(const struct state *s, const char *nsname);
/* st_ns_iface_find - the interface called NAME in NS, or NULL. */
struct st_iface *st_ns_iface_find(const struct st_ns *ns, const char *name);

/*
 * The ownership mark: the alias of a lab namespace's lo is "topo:LAB:NODE"
 * and of each link interface "topo:LAB" (docs/format.md section 9,
 * "Kernel objects and ownership"); topo changes only what carries its
 * lab's mark.
 */
#define TOPO_MARK_PREFIX "topo:"

#endif
