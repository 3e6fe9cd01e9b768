/* SPDX-License-Identifier: MIT */
#ifndef TOPO_TOPOLOGY_H
#define TOPO_TOPOLOGY_H

/*
 * The model: what a lab file says, as plain structs. Every value keeps the
 * line and column it came from so that the checker, the planner and the
 * command layer can point at it. libyaml types never leave load.c.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOPO_NAME_MAX 32	/* lab, prefix and node names */
#define TOPO_IFNAME_MAX 15	/* the kernel's IFNAMSIZ - 1 */
#define TOPO_NSNAME_MAX (TOPO_NAME_MAX * 2 + 1)

struct pos {
	int line, col;		/* 1-based; 0 when the value has no source */
};

/* An IPv4 or IPv6 address with a prefix length ("10.0.0.1/24"). */
struct cidr {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* network byte order; IPv4 uses the first 4 */
	uint8_t plen;
	struct pos pos;
};

/* `addresses:` of a node: interface name -> list of CIDRs. */
struct iface_addrs {
	char *iface;
	struct cidr *addrs;
	size_t n_addrs;
	struct pos pos;
};

enum route_type { ROUTE_UNICAST, ROUTE_BLACKHOLE, ROUTE_UNREACHABLE, ROUTE_PROHIBIT, ROUTE_THROW };

/* At most this many nexthops in a multipath route: the loader says so, the state holds them inline. */
#define ROUTE_NEXTHOPS_MAX 8

/* One path of a multipath route (`nexthops:`). */
struct nexthop_spec {
	bool has_via;
	uint8_t via[16];
	char dev[TOPO_IFNAME_MAX + 1];	/* "" when not given */
	uint16_t weight;	/* 1..256; 1 when not given */
	bool onlink;
	struct pos pos;
};

struct route_spec {
	char *text;		/* as written, for messages */
	int family;		/* AF_INET or AF_INET6 */
	uint8_t dst[16];
	uint8_t dst_len;	/* 0 for default */
	bool has_via;
	uint8_t via[16];
	char *dev;		/* NULL when not given */
	bool has_metric;
	uint32_t metric;
	struct pos pos;
	/* issue 13: the route model beyond via/dev/metric (load_route.c) */
	enum route_type type;
	char *table;		/* as written (a number or a `tables:` name); NULL: main */
	struct pos table_pos;
	bool has_src;
	uint8_t src[16];	/* RTA_PREFSRC */
	struct pos src_pos;
	bool onlink;
	uint32_t mtu;		/* the route's MTU (RTAX_MTU); 0 when not given */
	struct nexthop_spec nh[ROUTE_NEXTHOPS_MAX];
	size_t n_nh;		/* 0: a single path (via/dev above); else 2.. of them */
};

struct sysctl_spec {
	char *key;		/* "net.ipv4.ip_forward" */
	char *value;		/* as text, numbers included */
	struct pos pos;
};

struct exec_spec {
	char *cmd;
	struct pos pos;
};

/* `files:` of a node: a file private to the node, from the lab's directory or inline. */
struct file_spec {
	char *path;		/* absolute, normalised, in the node */
	char *source;		/* as written, relative to the lab file; NULL with content */
	char *content;		/* `{ content: ... }`; NULL with source */
	struct pos pos;		/* of the path */
	struct pos source_pos;	/* of the source or the content */
};

/* `dirs:` of a node: an empty directory private to the node. */
struct dir_spec {
	char *path;		/* absolute, normalised */
	struct pos pos;
};

/* `run:` - a long-running process of a node (run_load.c, proc*.c). */
enum run_ready { READY_NONE, READY_TCP, READY_UDP, READY_FILE };

struct run_env {
	char *key, *value;
};

struct run_spec {
	char *name;		/* unique in its node; default: the program's base name */
	char *cmd;		/* a shell command line, run by /bin/sh -c */
	struct run_env *env;
	size_t n_env;
	enum run_ready ready;
	uint16_t ready_port;	/* READY_TCP, READY_UDP */
	char *ready_file;	/* READY_FILE: an absolute path in the node's view */
	uint64_t ready_timeout_us;	/* default RUN_READY_TIMEOUT_US */
	struct pos pos, name_pos;
};

#define RUN_READY_TIMEOUT_US 10000000ULL
#define RUN_NAME_MAX 64

enum node_kind { NODE_HOST, NODE_ROUTER, NODE_BRIDGE };

/* `tables:` of a node: a routing table's name for routes and rules. */
struct table_spec {
	char *name;
	uint32_t id;		/* 1..2^32-1, not one of the kernel's own (253-255) */
	struct pos pos;
};

/* `rules:` of a node: a policy routing rule (load_rule.c, check_rule.c). */
enum rule_type { RULE_TABLE, RULE_BLACKHOLE, RULE_UNREACHABLE, RULE_PROHIBIT };

struct rule_spec {
	char *text;		/* as written (a map: in words), for messages */
	int family;		/* AF_INET or AF_INET6 */
	bool has_from, has_to;
	struct cidr from, to;
	char *iif, *oif;	/* NULL when not given */
	struct pos iif_pos, oif_pos;
	bool has_fwmark;
	uint32_t fwmark, fwmask;	/* the mask is 0xffffffff when not given */
	enum rule_type type;
	char *table;		/* RULE_TABLE: a name or a number, resolved by topo_table_id */
	struct pos table_pos;
	uint32_t priority;	/* required: the kernel's own pick depends on the rules there */
	struct pos pos;
};

/* `hosts:` of a lab: the machines a lab spans, each with its underlay address. */
struct host_spec {
	char *name;
	struct cidr address;	/* the VXLAN underlay address (plen: 32 or 128) */
	uint16_t vxlan_port;	/* 0: the default */
	struct pos pos;
};

/* The fields of `impair:`, as bits of struct impair's GIVEN. */
enum {
	IMP_DELAY = 1 << 0,
	IMP_JITTER = 1 << 1,
	IMP_DISTRIBUTION = 1 << 2,
	IMP_LOSS = 1 << 3,
	IMP_LOSS_CORRELATION = 1 << 4,
	IMP_DUPLICATE = 1 << 5,
	IMP_REORDER = 1 << 6,
	IMP_GAP = 1 << 7,
	IMP_CORRUPT = 1 << 8,
	IMP_RATE = 1 << 9,
	IMP_LIMIT = 1 << 10,
};

/* netem's delay distributions; uniform is netem's own (no table). */
enum impair_dist { DIST_UNIFORM, DIST_NORMAL, DIST_PARETO, DIST_PARETONORMAL, DIST_N };

/*
 * `impair:` of a link (both directions) or of an endpoint (what leaves
 * that end): what the egress of an interface does to its packets. An
 * endpoint's fields override its link's one by one, so GIVEN says which
 * the file set.
 */
struct impair {
	unsigned given;		/* IMP_* */
	uint64_t delay_us, jitter_us;
	enum impair_dist dist;
	double loss, loss_corr, duplicate, reorder, corrupt;	/* percent */
	uint32_t gap;
	uint64_t rate_bps;	/* bits per second */
	uint32_t limit;		/* packets */
	struct pos pos;
};

struct node {
	char *name;
	struct pos pos;
	enum node_kind kind;
	struct iface_addrs *addrs;	/* node `addresses:` (endpoint ones are on the link) */
	size_t n_addrs;
	struct route_spec *routes;
	size_t n_routes;
	struct sysctl_spec *sysctls;
	size_t n_sysctls;
	struct exec_spec *execs;
	size_t n_execs;
	struct file_spec *files;
	size_t n_files;
	struct dir_spec *dirs;
	size_t n_dirs;
	struct run_spec *runs;
	size_t n_runs;
	struct table_spec *tables;
	size_t n_tables;
	char *host;		/* `host:` - the hosts: entry it runs on; NULL: the first */
	struct pos host_pos;
	bool lan;		/* the hidden bridge of a `lans:` entry, no node of the file's */
	struct rule_spec *rules;
	size_t n_rules;
	bool host_default;	/* HOST is `defaults:`'s, not the node's own */
};

struct endpoint {
	char *node;
	char *iface;
	struct cidr *addrs;
	size_t n_addrs;
	bool has_mac;
	uint8_t mac[6];
	struct pos pos;		/* of the endpoint */
	struct pos node_pos;	/* of its node name */
	struct pos iface_pos;
	struct pos mac_pos;
	struct impair impair;	/* this end's egress only */
	uint32_t mtu;		/* `mtu:` of this end, over its link's; 0 when not given */
	struct pos mtu_pos;
};

struct link {
	struct endpoint ep[2];
	uint32_t mtu;		/* 0 when not given */
	struct pos mtu_pos;
	bool up;		/* state: up (default) / down */
	struct impair impair;	/* both ends' egress */
	struct pos pos;
	bool nat;		/* `nat:` - masquerade what the lab sends out through the host */
	struct pos nat_pos;
	bool lan;		/* a member of a `lans:` entry: ep[0] the member, ep[1] its port */
};

/*
 * `lans:` - a segment with any number of members (load_lan.c). The loader
 * realises it as a hidden node of kind bridge, "<lan>" TOPO_LAN_SUFFIX (a
 * name no node can have: node names have no '.'), and one link per member
 * from the member's endpoint to a port of that bridge, so every stage
 * after the loader sees nodes and links; those that show nodes to people
 * (status, probes of "*", /etc/hosts, graph, save) leave it out and show
 * the LAN instead.
 */
#define TOPO_LAN_SUFFIX ".lan"
#define TOPO_LAN_NAME_MAX (TOPO_NAME_MAX - 4)	/* the bridge's node name fits a node's */

struct lan {
	char *name;
	struct pos pos;
	uint32_t mtu;		/* 0 when not given */
	struct pos mtu_pos;
	size_t node;		/* its bridge: nodes[node] */
	size_t first_link, n_members;	/* its members: links[first_link] on */
};

/* The node name of an endpoint in the host (root) namespace; no node may be called so. */
#define TOPO_HOST_NODE "host"

enum probe_proto { PROBE_ICMP, PROBE_TCP, PROBE_UDP };

/* Probe payload bytes: topo's 16-byte tag at least; at most what one IPv6 packet carries
 * (65535 - 8 of ICMPv6 or UDP header), IPv4 20 bytes less (its header counts). */
#define PROBE_SIZE_MIN 16
#define PROBE_SIZE_MAX_V4 65507
#define PROBE_SIZE_MAX_V6 65527
#define PROBE_INTERVAL_DEFAULT_US 100000
#define PROBE_INTERVAL_MIN_US 1000	/* a floor that keeps count 10000 under 10 s of flood */
#define PROBE_SPAN_MAX_US 3600000000ULL	/* (count - 1) x interval: one hour at most */

struct probe_spec {
	char *from;		/* node name or "*" */
	char *to;		/* node, "node:iface", an IP address, or "*" */
	enum probe_proto proto;
	uint16_t port;		/* tcp/udp; 0 when not given */
	bool expect_reachable;
	uint32_t count;		/* default 1 */
	uint64_t timeout_us;	/* default 1 s */
	uint64_t max_rtt_us;	/* 0: no limit */
	double max_loss;	/* percent; < 0: no limit */
	uint64_t within_us;	/* 0: no retry window */
	uint32_t size;		/* icmp/udp payload bytes; 0: not given (topo's 16-byte tag) */
	bool df;		/* don't fragment: the packets must cross whole */
	uint64_t interval_us;	/* between the exchanges of one target; default 100 ms */
	uint64_t min_rtt_us;	/* 0: no limit */
	struct pos pos;
	struct pos from_pos, to_pos;
};

struct topology {
	char *file;		/* path as given, for messages */
	char *name;
	struct pos name_pos;
	char *prefix;		/* defaults to name */
	struct pos prefix_pos;
	struct node *nodes;
	size_t n_nodes;
	struct link *links;
	size_t n_links;
	struct probe_spec *probes;
	size_t n_probes;
	struct host_spec *hosts;	/* `hosts:`; none: the lab runs on one machine */
	size_t n_hosts;
	struct lan *lans;	/* `lans:` */
	size_t n_lans;
	/* A lab's kept copy (rundir.h): the file it was kept from, whose
	 * directory relative `files:` sources are in; NULL for FILE itself. */
	char *origin;
	/* The host this run makes the part of (`--host`, or the one whose
	 * address this machine has; cmd_host.c); NULL: the whole lab. */
	const struct host_spec *self;
	/* per host: the MTU of SELF's underlay interface towards it (0: not known) */
	uint32_t *underlay_mtu;
};

struct diag;

/* topo_load - parse FILE into a new topology; errors go to D. Returns 0 or -errno / -EINVAL. */
int topo_load(const char *file, struct topology **out, struct diag *d);

/* topo_load_buf - the same from memory (fuzzing, tests); FILE names it in messages. */
int topo_load_buf(const char *file, const char *buf, size_t len, struct topology **out,
		  struct diag *d);

/* topo_check - semantic checks; every error at once into D. Returns 0 or -EINVAL. */
int topo_check(const struct topology *t, struct diag *d);

/* topo_free - free a topology; accepts NULL and half-built ones. */
void topo_free(struct topology *t);

/* run_specs_free - free N run specs and the array RUNS (NULL is fine). */
void run_specs_free(struct run_spec *runs, size_t n);

/* rule_specs_free - free N rule specs and the array RULES (NULL is fine). */
void rule_specs_free(struct rule_spec *rules, size_t n);

/* topo_node_find - the node called NAME, or NULL. */
const struct node *topo_node_find(const struct topology *t, const char *name);

/*
 * topo_table_id - the number of routing table NAME for node N: digits,
 * the kernel's "main" (254), "local" (255) or "default" (253), or a name of
 * N's `tables:`. False when NAME is none of them.
 */
bool topo_table_id(const struct node *n, const char *name, uint32_t *id);

/* topo_lan_of_node - is NODE the name of a LAN's hidden bridge ("lan1.lan")? Its LAN's name into BUF. */
bool topo_lan_of_node(const char *node, char *buf, size_t len);

/* topo_nsname - "<prefix>-<node>" into BUF (at least TOPO_NSNAME_MAX + 1 bytes). */
void topo_nsname(const struct topology *t, const char *node, char *buf, size_t len);

#endif
