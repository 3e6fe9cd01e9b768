// SPDX-License-Identifier: MIT
/*
 * topo-floor: the floor of the scale benchmark.
 *
 * Builds (and tears down) the same chain as `topo generate chain N` - the
 * namespaces <lab>-nI, nI:eth1 -- nI+1:eth0, the I-th /30 of 10.0.0.0/8,
 * lower addresses via the left neighbour and a default via the right one,
 * forwarding on in the inner nodes, duplicate address detection off (as
 * topo sets it), every link and lo up - with raw
 * rtnetlink through libmnl, one request at a time, each with its ACK. No
 * model, no diff, no checks: whatever topo spends beyond this is the price
 * of its design.
 *
 *   topo-floor up N [--name LAB] [-j THREADS]
 *   topo-floor down N [--name LAB]
 *   topo-floor read N [--name LAB] [-j THREADS]
 *   topo-floor plan N [--name LAB]     the same chain as `ip` commands
 *
 * `read` is the floor of a no-op `topo up`: it reads from the kernel what
 * a reconcile of the chain must compare - each namespace's links,
 * addresses and main-table routes (IPv4 and IPv6), and its IPv4 netconf
 * (forwarding) - with the same dumps topo sends, and throws the answers
 * away. The chain may have been built by topo or by `up`.
 *
 * `plan` prints one line per command, "NS<TAB>ARGS" with NS "-" for the
 * host namespace, so that the benchmark's `ip -batch` and one-`ip`-per-
 * command baselines run exactly this plan.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* unshare, setns: the target does not link topocore */
#endif

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netconf.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <libmnl/libmnl.h>

#define NETNS_DIR "/run/netns"
/* Each node's interfaces get fixed ifindexes, so that the two ends of a
 * veth have distinct ones (as topo gives them) and no lookup is needed. */
#define IDX_LO 1
#define IDX_ETH0 2	/* towards nI-1 */
#define IDX_ETH1 3	/* towards nI+1 */
/* topo marks its routes and addresses with this protocol (TOPO_RTPROT and
 * TOPO_IFAPROT in emu/state.h); the floor does the same kernel work. */
#define TOPO_PROTO 116

struct node {
	char ns[80];
	int fd;			/* the namespace */
	struct mnl_socket *nl;	/* a socket that lives in it */
	unsigned seq;
};

static const char *lab = "floor";
static unsigned long n_nodes;
static struct node *nodes;	/* nodes[1..n_nodes] */

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fputs("topo-floor: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* The chain's address plan: link I is the I-th /30 of 10.0.0.0/8. */
static uint32_t link_net(unsigned long i)
{
	return 0x0a000000u + 4 * (uint32_t)(i - 1);
}

static bool is_router(unsigned long i)
{
	return i > 1 && i < n_nodes;
}

static struct mnl_socket *nl_open(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	int one = 1;

	if (!nl)
		die("netlink socket: %s", strerror(errno));
	/* The kernel's own words on failure, and ACKs without our request. */
	setsockopt(mnl_socket_get_fd(nl), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("netlink bind: %s", strerror(errno));
	return nl;
}

static int ext_ack_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		*(const char **)data = mnl_attr_get_str(attr);
	return MNL_CB_OK;
}

/* request - send NLH on node ND's socket and wait for its ACK; dies with WHAT on error. */
static void request(struct node *nd, struct nlmsghdr *nlh, const char *what)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	const struct nlmsgerr *e;
	const char *msg = NULL;
	struct nlmsghdr *r;
	ssize_t n;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nd->seq;
	if (mnl_socket_sendto(nd->nl, nlh, nlh->nlmsg_len) < 0)
		die("%s: send: %s", what, strerror(errno));
	n = mnl_socket_recvfrom(nd->nl, buf, sizeof(buf));
	if (n < 0)
		die("%s: receive: %s", what, strerror(errno));
	r = (struct nlmsghdr *)buf;
	if (!mnl_nlmsg_ok(r, (int)n) || r->nlmsg_type != NLMSG_ERROR ||
	    r->nlmsg_seq != nlh->nlmsg_seq)
		die("%s: unexpected reply", what);
	e = mnl_nlmsg_get_payload(r);
	if (!e->error)
		return;
	if (r->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(r, sizeof(*e), ext_ack_cb, &msg);
	die("%s: %s%s%s%s", what, strerror(-e->error), msg ? " (kernel: " : "", msg ? msg : "",
	    msg ? ")" : "");
}

static struct nlmsghdr *msg_start(char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	return nlh;
}

static void link_up(struct node *nd, int ifindex, const char *what)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = msg_start(buf, RTM_NEWLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = ifi->ifi_change = IFF_UP;
	request(nd, nlh, what);
}

/*
 * veth_add - nI:eth1 (up) and nI+1:eth0 in one message, sent in nI so that
 * the fixed ifindexes are looked up there and not in the host namespace.
 * The kernel will not bring up a peer made in another namespace within the
 * same message (ENOTCONN), so eth0 goes up by its own request.
 */
static void veth_add(unsigned long i)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], what[200];
	struct nlmsghdr *nlh = msg_start(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi)), *peer;
	struct nlattr *linkinfo, *data, *pattr;

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = IDX_ETH1;
	ifi->ifi_flags = ifi->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth1");
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	pattr = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	peer = mnl_nlmsg_put_extra_header(nlh, sizeof(*peer));
	peer->ifi_family = AF_UNSPEC;
	peer->ifi_index = IDX_ETH0;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)nodes[i + 1].fd);
	mnl_attr_nest_end(nlh, pattr);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	snprintf(what, sizeof(what), "veth %s:eth1 -- %s:eth0", nodes[i].ns, nodes[i + 1].ns);
	request(&nodes[i], nlh, what);
	snprintf(what, sizeof(what), "%s: eth0 up", nodes[i + 1].ns);
	link_up(&nodes[i + 1], IDX_ETH0, what);
}

static void addr_add(struct node *nd, int ifindex, uint32_t addr)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], what[200];
	struct nlmsghdr *nlh = msg_start(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	uint32_t a = htonl(addr);

	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 30;
	ifa->ifa_index = ifindex;
	mnl_attr_put_u32(nlh, IFA_LOCAL, a);
	mnl_attr_put_u32(nlh, IFA_ADDRESS, a);
	mnl_attr_put_u8(nlh, IFA_PROTO, TOPO_PROTO);
	snprintf(what, sizeof(what), "%s: address %u.%u.%u.%u/30", nd->ns, addr >> 24,
		 (addr >> 16) & 0xff, (addr >> 8) & 0xff, addr & 0xff);
	request(nd, nlh, what);
}

static void route_add(struct node *nd, uint32_t dst, unsigned plen, uint32_t via)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], what[200];
	struct nlmsghdr *nlh = msg_start(buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = TOPO_PROTO;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	if (plen)
		mnl_attr_put_u32(nlh, RTA_DST, htonl(dst));
	mnl_attr_put_u32(nlh, RTA_GATEWAY, htonl(via));
	snprintf(what, sizeof(what), "%s: route %08x/%u", nd->ns, dst, plen);
	request(nd, nlh, what);
}

/* The routes of node I, as `topo generate chain` writes them; CB gets each. */
static void chain_routes(unsigned long i, void (*cb)(unsigned long i, uint32_t dst, unsigned plen,
						     uint32_t via))
{
	if (i >= 3) {
		/* [10.0.0.0, net(I-1)) via the left neighbour, as aligned blocks. */
		uint32_t lo = 0, hi = link_net(i - 1) - 0x0a000000u, via = link_net(i - 1) + 1;

		while (lo < hi) {
			uint32_t size = lo ? lo & -lo : 1u << 24;

			while (size > hi - lo)
				size >>= 1;
			cb(i, 0x0a000000u | lo, 32 - __builtin_ctz(size), via);
			lo += size;
		}
	}
	if (i < n_nodes)
		cb(i, 0, 0, link_net(i) + 2);
}

static void route_cb(unsigned long i, uint32_t dst, unsigned plen, uint32_t via)
{
	route_add(&nodes[i], dst, plen, via);
}

static void rundir_prepare(void)
{
	if (mkdir(NETNS_DIR, 0755) < 0 && errno != EEXIST)
		die("mkdir " NETNS_DIR ": %s", strerror(errno));
	/* Shared, as `ip netns add` makes it, so unmounts propagate. */
	if (mount("", NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) < 0) {
		if (errno != EINVAL ||
		    mount(NETNS_DIR, NETNS_DIR, "none", MS_BIND | MS_REC, NULL) < 0 ||
		    mount("", NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) < 0)
			die("make " NETNS_DIR " shared: %s", strerror(errno));
	}
}

static void sysctl_write(const char *path, const char *value, const char *ns)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(value);

	if (fd < 0 || write(fd, value, len) != (ssize_t)len)
		die("%s: %s: %s", ns, path, strerror(errno));
	close(fd);
}

/*
 * ns_create - as `ip netns add`: a placeholder file, a new namespace for
 * this thread only, a bind mount of it on the file. While inside, set the
 * node's sysctls, open its netlink socket (both resolve the namespace of
 * the calling thread) and bring lo up, as topo does; then go HOME again.
 *
 * The sysctls are the same writes as topo's, in the same order. Their cost
 * grows with the number of namespaces: every namespace has its own
 * /proc/sys/net/ipv4 and /proc/sys/net/ipv6 dentries under one shared
 * parent, so the first lookup of each in a new namespace misses after
 * comparing against all of them (proc_sys_compare). Later lookups find the
 * newest entry first, so accept_dad costs the routers nothing more.
 */
static void ns_create(unsigned long i, int home)
{
	struct node *nd = &nodes[i];
	char path[128];
	int fd;

	snprintf(path, sizeof(path), NETNS_DIR "/%s", nd->ns);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		die("create %s: %s", path, strerror(errno));
	close(fd);
	if (unshare(CLONE_NEWNET) < 0)
		die("unshare: %s", strerror(errno));
	nd->fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (nd->fd < 0)
		die("open namespace: %s", strerror(errno));
	if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0)
		die("mount %s: %s", path, strerror(errno));
	/* topo's setting: no duplicate address detection on the links. */
	sysctl_write("/proc/sys/net/ipv6/conf/default/accept_dad", "0", nd->ns);
	if (is_router(i)) {
		sysctl_write("/proc/sys/net/ipv4/ip_forward", "1", nd->ns);
		sysctl_write("/proc/sys/net/ipv6/conf/all/forwarding", "1", nd->ns);
	}
	nd->nl = nl_open();
	link_up(nd, IDX_LO, "lo up");
	if (setns(home, CLONE_NEWNET) < 0)
		die("setns back: %s", strerror(errno));
}

/*
 * A descriptor table shared by threads grows with a synchronize_rcu() per
 * doubling (~12 ms each); grow it once, before the threads start, for the
 * two descriptors per node that stay open (topo does the same).
 */
static void fd_table_grow(void)
{
	int fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, (int)(2 * n_nodes + 64));

	if (fd >= 0)
		close(fd);
}

/* dump - one dump request of TYPE with HDR (LEN bytes) on ND; the answer is drained. */
static void dump(struct node *nd, uint16_t type, const void *hdr, size_t len, bool main_table)
{
	char buf[32768];
	struct nlmsghdr *nlh = msg_start(buf, type, NLM_F_REQUEST | NLM_F_DUMP);
	ssize_t n;
	int ret;

	memcpy(mnl_nlmsg_put_extra_header(nlh, len), hdr, len);
	if (type == RTM_GETLINK)
		mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (main_table)
		mnl_attr_put_u32(nlh, RTA_TABLE, RT_TABLE_MAIN);
	nlh->nlmsg_seq = ++nd->seq;
	if (mnl_socket_sendto(nd->nl, nlh, nlh->nlmsg_len) < 0)
		die("%s: dump: %s", nd->ns, strerror(errno));
	do {
		n = mnl_socket_recvfrom(nd->nl, buf, sizeof(buf));
		if (n < 0)
			die("%s: dump: %s", nd->ns, strerror(errno));
		ret = mnl_cb_run(buf, (size_t)n, nd->seq, mnl_socket_get_portid(nd->nl), NULL, NULL);
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		die("%s: dump %u: %s", nd->ns, type, strerror(errno));
}

static void ns_read(unsigned long i, int home)
{
	static const uint8_t families[] = { AF_INET, AF_INET6 };
	struct node *nd = &nodes[i];
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct netconfmsg ncm = { .ncm_family = AF_INET };
	char path[128];
	int one = 1;
	size_t f;

	snprintf(path, sizeof(path), NETNS_DIR "/%s", nd->ns);
	nd->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (nd->fd < 0 || setns(nd->fd, CLONE_NEWNET) < 0)
		die("enter %s: %s", path, strerror(errno));
	nd->nl = nl_open();
	/* Filters in dump requests (the routing table) are honoured only under strict checking. */
	setsockopt(mnl_socket_get_fd(nd->nl), SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	if (setns(home, CLONE_NEWNET) < 0)
		die("setns back: %s", strerror(errno));
	dump(nd, RTM_GETLINK, &ifi, sizeof(ifi), false);
	for (f = 0; f < sizeof(families); f++) {
		struct ifaddrmsg ifa = { .ifa_family = families[f] };
		struct rtmsg rtm = { .rtm_family = families[f], .rtm_table = RT_TABLE_MAIN };

		dump(nd, RTM_GETADDR, &ifa, sizeof(ifa), false);
		dump(nd, RTM_GETROUTE, &rtm, sizeof(rtm), true);
	}
	dump(nd, RTM_GETNETCONF, &ncm, sizeof(ncm), false);
}

struct worker {
	pthread_t tid;
	unsigned long first, step;
	void (*fn)(unsigned long i, int home);
};

static void *ns_worker(void *arg)
{
	const struct worker *w = arg;
	int home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	unsigned long i;

	if (home < 0)
		die("open own namespace: %s", strerror(errno));
	for (i = w->first; i <= n_nodes; i += w->step)
		w->fn(i, home);
	close(home);
	return NULL;
}

/* each_node - FN(I, home) for every node, spread over THREADS threads. */
static void each_node(unsigned threads, void (*fn)(unsigned long i, int home))
{
	struct worker w[16];
	unsigned t;

	if (threads > 1)
		fd_table_grow();
	for (t = 0; t < threads; t++) {
		w[t].first = 1 + t;
		w[t].step = threads;
		w[t].fn = fn;
		if (threads == 1)
			ns_worker(&w[t]);
		else if (pthread_create(&w[t].tid, NULL, ns_worker, &w[t]))
			die("pthread_create failed");
	}
	for (t = 0; threads > 1 && t < threads; t++)
		pthread_join(w[t].tid, NULL);
}

static void chain_up(unsigned threads)
{
	unsigned long i;

	rundir_prepare();
	each_node(threads, ns_create);
	for (i = 1; i < n_nodes; i++)
		veth_add(i);
	for (i = 1; i <= n_nodes; i++) {
		if (i > 1)
			addr_add(&nodes[i], IDX_ETH0, link_net(i - 1) + 2);
		if (i < n_nodes)
			addr_add(&nodes[i], IDX_ETH1, link_net(i) + 1);
		chain_routes(i, route_cb);
	}
	for (i = 1; i <= n_nodes; i++) {
		mnl_socket_close(nodes[i].nl);
		close(nodes[i].fd);
	}
}

/* chain_down - as `ip netns del`: the kernel frees each namespace (and its
 * veths) once the last reference, the bind mount, is gone. */
static void chain_down(void)
{
	char path[128];
	unsigned long i;
	int err = 0;

	for (i = 1; i <= n_nodes; i++) {
		snprintf(path, sizeof(path), NETNS_DIR "/%s", nodes[i].ns);
		if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT) {
			fprintf(stderr, "topo-floor: umount %s: %s\n", path, strerror(errno));
			err = 1;
		}
		if (unlink(path) < 0 && errno != ENOENT) {
			fprintf(stderr, "topo-floor: remove %s: %s\n", path, strerror(errno));
			err = 1;
		}
	}
	if (err)
		exit(1);
}

static const char *ip4(uint32_t a, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
	return buf;
}

static void plan_route_cb(unsigned long i, uint32_t dst, unsigned plen, uint32_t via)
{
	char a[16], b[16];

	if (plen)
		printf("%s\troute add %s/%u via %s\n", nodes[i].ns, ip4(dst, a), plen, ip4(via, b));
	else
		printf("%s\troute add default via %s\n", nodes[i].ns, ip4(via, b));
}

/* chain_plan - the same work as chain_up, in the order it does it, as ip commands. */
static void chain_plan(void)
{
	char a[16];
	unsigned long i;

	for (i = 1; i <= n_nodes; i++) {
		printf("-\tnetns add %s\n", nodes[i].ns);
		printf("-\tnetns exec %s sysctl -qw net.ipv6.conf.default.accept_dad=0%s\n",
		       nodes[i].ns, is_router(i) ? " net.ipv4.ip_forward=1 "
		       "net.ipv6.conf.all.forwarding=1" : "");
		printf("%s\tlink set lo up\n", nodes[i].ns);
	}
	for (i = 1; i < n_nodes; i++) {
		printf("-\tlink add eth1 netns %s up type veth peer name eth0 netns %s\n",
		       nodes[i].ns, nodes[i + 1].ns);
		printf("%s\tlink set eth0 up\n", nodes[i + 1].ns);
	}
	for (i = 1; i <= n_nodes; i++) {
		if (i > 1)
			printf("%s\taddr add %s/30 dev eth0\n", nodes[i].ns, ip4(link_net(i - 1) + 2, a));
		if (i < n_nodes)
			printf("%s\taddr add %s/30 dev eth1\n", nodes[i].ns, ip4(link_net(i) + 1, a));
		chain_routes(i, plan_route_cb);
	}
}

static void usage(void)
{
	fputs("usage: topo-floor up|down|read|plan N [--name LAB] [-j THREADS]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *verb = NULL;
	unsigned threads = 1;
	struct rlimit rl;
	unsigned long i;
	char *end;
	int k;

	for (k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--name") && k + 1 < argc) {
			lab = argv[++k];
		} else if (!strcmp(argv[k], "-j") && k + 1 < argc) {
			threads = strtoul(argv[++k], &end, 10);
			if (*end || threads < 1 || threads > 16)
				usage();
		} else if (!verb) {
			verb = argv[k];
		} else if (!n_nodes) {
			n_nodes = strtoul(argv[k], &end, 10);
			if (*end || !n_nodes || n_nodes > 1000000)
				usage();
		} else {
			usage();
		}
	}
	if (!verb || !n_nodes || strlen(lab) > 32)
		usage();
	nodes = calloc(n_nodes + 2, sizeof(*nodes));
	if (!nodes)
		die("out of memory");
	for (i = 1; i <= n_nodes; i++)
		snprintf(nodes[i].ns, sizeof(nodes[i].ns), "%s-n%lu", lab, i);
	/* Two descriptors per node (namespace, socket) stay open while building. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < 2 * n_nodes + 64) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (!strcmp(verb, "up")) {
		chain_up(threads);
	} else if (!strcmp(verb, "read")) {
		each_node(threads, ns_read);
		for (i = 1; i <= n_nodes; i++) {
			mnl_socket_close(nodes[i].nl);
			close(nodes[i].fd);
		}
	} else if (!strcmp(verb, "down")) {
		chain_down();
	} else if (!strcmp(verb, "plan")) {
		chain_plan();
	} else {
		usage();
	}
	free(nodes);
	return 0;
}
