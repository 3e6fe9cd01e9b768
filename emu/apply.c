// SPDX-License-Identifier: MIT
#include <errno.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply.h"
#include "apply_int.h"
#include "netns.h"
#include "nodeenv.h"
#include "observe.h"
#include "qdisc.h"
#include "rundir.h"
#include "sysctl.h"

static void ifkey(char *buf, size_t len, const char *ns, const char *name)
{
	snprintf(buf, len, "%s/%s", ns, name);
}

void ap_ifindex_note(struct apply_run *r, const char *ns, const char *name, int ifindex)
{
	char key[ST_NSNAMSIZ + ST_IFNAMSIZ + 2];
	size_t slot = r->n_ifindexes;

	ifkey(key, sizeof(key), ns, name);
	if (strmap_put(&r->created, key, strlen(key), slot, &slot))
		*VEC_PUSH(&r->ifindexes, &r->n_ifindexes) = ifindex;
	else
		r->ifindexes[slot] = ifindex;
}

int ap_ifindex_of(struct apply_run *r, const char *ns, const char *name)
{
	char key[ST_NSNAMSIZ + ST_IFNAMSIZ + 2];
	const struct st_ns *hns;
	const struct st_iface *ifc;
	size_t v;

	ifkey(key, sizeof(key), ns, name);
	if (strmap_get(&r->created, key, strlen(key), &v))
		return r->ifindexes[v];
	hns = r->ctx->have ? state_ns_find(r->ctx->have, ns) : NULL;
	ifc = hns ? st_ns_iface_find(hns, name) : NULL;
	if (!ifc && !strcmp(name, "lo"))
		return 1;	/* LOOPBACK_IFINDEX, in every namespace */
	return ifc ? ifc->ifindex : 0;
}

void ap_action_error_nl(struct apply_ctx *ctx, const struct action *a, int err,
			    const struct nl *nl)
{
	char what[256], why[384];

	if (ctx->err[0])
		return;
	snprintf(ctx->err, sizeof(ctx->err), "%s: %s", action_describe(a, what, sizeof(what)),
		 nl_strerror(nl, err, why, sizeof(why)));
}

void ap_action_error(struct apply_ctx *ctx, const struct action *a, int err)
{
	struct nsconn *nc = NULL;
	int e2;

	if (a->type != ACT_NS_ADD && a->type != ACT_NS_DEL && a->type != ACT_SYSCTL_SET)
		nc = conns_get(ctx->conns, a->ns, &e2);
	ap_action_error_nl(ctx, a, err, nc ? &nc->nl : NULL);
	conns_put(ctx->conns, nc);
}

/* A namespace made by a worker thread, with the socket it opened inside. */
struct ns_job {
	struct conns *conns;	/* takes the new namespace's handle */
	volatile sig_atomic_t *stop;
	const struct action *a;
	const struct action **sysctls;	/* its ACT_SYSCTL_SETs, written inside */
	size_t n_sysctls;
	const struct action *failed;	/* the one of them that failed */
	struct nl nl;
	int fd, err;
};

static const char *const announce_keys[] = {
	"net.ipv4.conf.all.arp_notify",
	"net.ipv6.conf.all.ndisc_notify",
};

/* Runs inside the new namespace before it gets its name: mark it. */
static int ns_mark_cb(void *arg)
{
	struct ns_job *job = arg;
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	int err;

	/* Duplicate address detection has nothing to find in a lab and would
	 * keep even the kernel's link-local addresses "tentative" after up.
	 * (conf.all.accept_dad is 0 in a new namespace; interfaces made later
	 * inherit conf.default.) */
	if ((err = sysctl_write("net.ipv6.conf.default.accept_dad", "0")) < 0 && err != -ENOENT)
		return err;
	/* A node made again, or a MAC changed, must be reachable at once:
	 * announce a device's addresses when it comes up or changes its MAC
	 * (IPv4: gratuitous ARP; IPv6: unsolicited neighbour advertisements,
	 * also for each new address), so that neighbours drop a MAC they
	 * cached. The kernel reads both keys as "all or the device's", so
	 * conf.all covers devices made later too. */
	for (size_t i = 0; i < ARRAY_SIZE(announce_keys); i++)
		if ((err = sysctl_write(announce_keys[i], "1")) < 0 && err != -ENOENT)
			return err;
	/*
	 * Its sysctls now, while it is one of the newest namespaces: every
	 * namespace has /proc/sys/net/ipv4 (and ipv6) dentries of the same
	 * name under one parent, newest first in the hash chain, so a lookup
	 * there is cheap only in a young namespace (later: ~0.1 ms with a
	 * thousand namespaces).
	 */
	for (size_t i = 0; i < job->n_sysctls; i++) {
		if ((err = nl_fault_injected()) < 0 ||
		    (err = sysctl_write(job->sysctls[i]->sysctl.key, job->sysctls[i]->sysctl.value)) <
			    0) {
			job->failed = job->sysctls[i];
			return err;
		}
	}
	if ((err = nl_open(&job->nl)) < 0)
		return err;
	nlh = nl_msg(&job->nl, buf, RTM_NEWLINK, 0);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 1;	/* lo */
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFALIAS, job->a->iface.alias);
	if ((err = nl_request(&job->nl, nlh)) < 0)
		nl_close(&job->nl);
	return err;
}

static void ns_job_run(void *ctx, size_t i)
{
	struct ns_job *job = &((struct ns_job *)ctx)[i];

	/* A batch can be thousands of namespaces: a signal stops it too. */
	if (job->stop && *job->stop) {
		job->err = -EINTR;
		return;
	}
	job->fd = netns_create(job->a->ns, ns_mark_cb, job);
	job->err = job->fd < 0 ? job->fd : 0;
	/* Handed over at once: the table keeps no more descriptors open
	 * than its budget, however many namespaces the batch makes. */
	if (job->err == 0) {
		conns_adopt(job->conns, job->a->ns, job->fd, &job->nl);
		return;
	}
	/* A create that failed after ns_mark_cb opened the socket (the bind
	 * mount, say): the socket alone would keep the unnamed namespace
	 * alive until topo exits. Its extended ACK stays for the message. */
	if (job->err < 0)
		nl_close(&job->nl);
}

/*
 * Creating a namespace is the most expensive step of a lab (the kernel
 * sets up a whole network stack), and independent namespaces can be made
 * at once: one worker per core. Each worker's thread alone moves into the
 * namespace it creates (netns_create unshares only the calling thread).
 * Returns how many of ACTS (all ACT_NS_ADD) were made, in order, up to
 * the first failure; later ones that were made are kept too.
 */
static size_t ns_add_many(struct apply_run *r, const struct action *acts, size_t n,
			  const struct action *sysctls, size_t n_sysctls, bool *taken, int *err)
{
	struct ns_job *jobs = xcalloc(n, sizeof(*jobs));
	struct strmap idx = { 0 };
	size_t i, k, done = n;

	for (i = 0; i < n; i++) {
		jobs[i].a = &acts[i];
		jobs[i].conns = r->ctx->conns;
		jobs[i].stop = r->ctx->stop;
		strmap_put(&idx, acts[i].ns, strlen(acts[i].ns), i, NULL);
	}
	/* The sysctl run that follows: the new namespaces' own are written
	 * by their workers (see ns_mark_cb). */
	for (i = 0; i < n_sysctls; i++) {
		if (!strmap_get(&idx, sysctls[i].ns, strlen(sysctls[i].ns), &k))
			continue;
		*VEC_PUSH(&jobs[k].sysctls, &jobs[k].n_sysctls) = &sysctls[i];
		taken[i] = true;
	}
	netns_parallel(n, n, ns_job_run, jobs);
	*err = 0;
	for (i = 0; i < n; i++) {
		struct ns_job *job = &jobs[i];

		if (job->err < 0) {
			if (!*err) {
				*err = job->err;
				done = i;
				if (job->failed)
					ap_action_error(r->ctx, job->failed, *err);
				else
					ap_action_error_nl(r->ctx, job->a, *err, &job->nl);
			}
		}
	}
	for (i = 0; i < n; i++)
		free(jobs[i].sysctls);
	free(jobs);
	strmap_free(&idx);
	return done;
}

static int ns_del(struct apply_run *r, const struct action *a)
{
	int err;

	if ((err = nl_fault_injected()) < 0)
		return err;
	conns_close(r->ctx->conns, a->ns);
	if ((err = netns_delete(a->ns)) < 0)
		return err;
	rundir_exec_record_forget(r->ctx->lab, a->node);
	rundir_sysctl_record_forget(r->ctx->lab, a->node);
	return 0;
}

struct ns_del_job {
	struct apply_run *r;
	const struct action *a;
	int err;
};

static void ns_del_run(void *ctx, size_t i)
{
	struct ns_del_job *job = &((struct ns_del_job *)ctx)[i];
	volatile sig_atomic_t *stop = job->r->ctx->stop;

	job->err = stop && *stop ? -EINTR : ns_del(job->r, job->a);
}

/*
 * Unmounting a namespace that this process has opened waits (~0.3 ms here,
 * against 15 us for one never opened) rather than works: deletions from
 * several threads overlap the waits. Each touches only its own handle.
 * Returns how many of ACTS (all ACT_NS_DEL) were done, in order, up to the
 * first failure.
 */
static size_t ns_del_many(struct apply_run *r, const struct action *acts, size_t n, int *err)
{
	struct ns_del_job *jobs = xcalloc(n, sizeof(*jobs));
	size_t i, done = n;

	for (i = 0; i < n; i++) {
		jobs[i].r = r;
		jobs[i].a = &acts[i];
	}
	netns_parallel(n, n, ns_del_run, jobs);
	*err = 0;
	for (i = 0; i < n && !*err; i++) {
		if (jobs[i].err < 0) {
			*err = jobs[i].err;
			done = i;
		}
	}
	free(jobs);
	return done;
}

static struct ifinfomsg *link_msg(struct nl *nl, void *buf, struct nlmsghdr **nlh, uint16_t type,
				  uint16_t flags, int ifindex)
{
	struct ifinfomsg *ifi;

	*nlh = nl_msg(nl, buf, type, flags);
	ifi = mnl_nlmsg_put_extra_header(*nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return ifi;
}

static void put_link_attrs(struct nlmsghdr *nlh, struct ifinfomsg *ifi, const struct st_iface *ifc)
{
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifc->name);
	if (ifc->mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, ifc->mtu);
	if (ifc->has_mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, ifc->mac);
	else if (ifc->has_create_mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, ifc->create_mac);
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = ifc->up ? IFF_UP : 0;
}

static int link_mark(struct nl *nl, int ifindex, const struct st_iface *ifc, bool set_up)
{
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	ifi = link_msg(nl, buf, &nlh, RTM_NEWLINK, 0, ifindex);
	mnl_attr_put_strz(nlh, IFLA_IFALIAS, ifc->alias);
	if (set_up) {
		ifi->ifi_change = IFF_UP;
		ifi->ifi_flags = ifc->up ? IFF_UP : 0;
	}
	return nl_request(nl, nlh);
}

/* NAME of NS was brought up: wait_oper_up waits for its carrier. */
static void carrier_wait_add(struct apply_run *r, const char *ns, const char *name)
{
	char key[ST_NSNAMSIZ + ST_IFNAMSIZ + 2];
	size_t slot = r->n_rising;

	ifkey(key, sizeof(key), ns, name);
	if (strmap_put(&r->carrier_wait, key, strlen(key), slot, &slot)) {
		struct rising *x = VEC_PUSH(&r->rising, &r->n_rising);

		snprintf(x->ns, sizeof(x->ns), "%s", ns);
		snprintf(x->name, sizeof(x->name), "%s", name);
	}
	r->rising[slot].waiting = true;
}

static int operstate_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(*ifi))
		if (mnl_attr_get_type(attr) == IFLA_OPERSTATE &&
		    mnl_attr_get_payload_len(attr) >= 1)
			*(int *)data = mnl_attr_get_u8(attr);
	return MNL_CB_OK;
}

int ap_wait_tick(struct apply_run *r, uint64_t deadline, const char *what, const char *ns,
		     const char *name, const char *limit)
{
	if (r->ctx->stop && *r->ctx->stop) {
		snprintf(r->ctx->err, sizeof(r->ctx->err),
			 "interrupted while waiting for the kernel to %s (%s: %s); all %zu changes "
			 "were made: `topo up` again finishes the lab, `topo down` removes it",
			 what, ns, name, r->ctx->done);
		return -EINTR;
	}
	if (now_us() > deadline) {
		snprintf(r->ctx->err, sizeof(r->ctx->err), "%s: %s: the kernel did not %s within %s",
			 ns, name, what, limit);
		return -ETIMEDOUT;
	}
	return 0;
}

/*
 * A raised veth carries traffic only once the kernel's link watcher has
 * seen its carrier (it attaches the queueing discipline, and IPv6 marks
 * the device ready in the same pass): until then packets are dropped, and
 * an IPv6 address added earlier can stay unusable. Link events wait behind
 * whatever else holds the RTNL lock (another lab being torn down), so
 * apply waits for operstate UP: before a veth's first IPv6 address, and
 * for every raised veth before it returns. Usually it is up already: one
 * query.
 */
static int wait_oper_up(struct apply_run *r, const char *ns, const char *name)
{
	char key[ST_NSNAMSIZ + ST_IFNAMSIZ + 2], buf[NL_BUFSZ];
	uint64_t deadline = now_us() + 5000000;
	struct nlmsghdr *nlh;
	struct nsconn *nc;
	size_t slot;
	int err, state, ifindex;

	ifkey(key, sizeof(key), ns, name);
	if (!strmap_get(&r->carrier_wait, key, strlen(key), &slot) || !r->rising[slot].waiting)
		return 0;
	if ((ifindex = ap_ifindex_of(r, ns, name)) <= 0)
		return -ENODEV;
	if (!(nc = conns_get(r->ctx->conns, ns, &err)))
		return err;
	for (;;) {
		state = -1;
		link_msg(&nc->nl, buf, &nlh, RTM_GETLINK, 0, ifindex);
		mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
		if ((err = nl_query(&nc->nl, nlh, operstate_cb, &state)) < 0)
			break;
		if (state == IF_OPER_UP) {
			r->rising[slot].waiting = false;
			break;
		}
		if ((err = ap_wait_tick(r, deadline, "see the link up", ns, name, "5 s")) < 0)
			break;
		usleep(1000);
	}
	conns_put(r->ctx->conns, nc);
	return err;
}

/* One message makes both ends, each directly in its namespace: no crash can
 * leave an end behind in the namespace topo runs in. */
static int veth_add(struct apply_run *r, const struct action *a, struct nsconn *nc)
{
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi, *peer;
	struct nlattr *linkinfo, *data, *pattr;
	struct nsconn *pc;
	int err;

	pc = conns_get(r->ctx->conns, a->iface.peer_ns, &err);
	if (!pc)
		return err;
	ifi = link_msg(&nc->nl, buf, &nlh, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, a->ifindex);
	put_link_attrs(nlh, ifi, &a->iface);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	pattr = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	peer = mnl_nlmsg_put_extra_header(nlh, sizeof(*peer));
	peer->ifi_index = a->peer_ifindex;
	put_link_attrs(nlh, peer, &a->peer);
	/* The kernel refuses (ENOTCONN) to bring up a peer made in another
	 * namespace within the same message: it goes up just after. */
	peer->ifi_change = peer->ifi_flags = 0;
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)pc->fd);
	mnl_attr_nest_end(nlh, pattr);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	if ((err = nl_request(&nc->nl, nlh)) < 0)
		goto out;
	ap_ifindex_note(r, a->ns, a->iface.name, a->ifindex);
	ap_ifindex_note(r, a->iface.peer_ns, a->peer.name, a->peer_ifindex);
	if (a->iface.up && a->peer.up) {
		carrier_wait_add(r, a->ns, a->iface.name);
		carrier_wait_add(r, a->iface.peer_ns, a->peer.name);
	}
	/* The kernel ignores IFLA_IFALIAS in a create: mark each end after. */
	if ((err = link_mark(&nc->nl, a->ifindex, &a->iface, false)) == 0)
		err = link_mark(&pc->nl, a->peer_ifindex, &a->peer, true);
out:
	conns_put(r->ctx->conns, pc);
	return err;
}

static int bridge_add(struct apply_run *r, const struct action *a, struct nsconn *nc)
{
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct nlattr *linkinfo;
	int err;

	ifi = link_msg(&nc->nl, buf, &nlh, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, a->ifindex);
	put_link_attrs(nlh, ifi, &a->iface);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, linkinfo);
	if ((err = nl_request(&nc->nl, nlh)) < 0)
		return err;
	ap_ifindex_note(r, a->ns, a->iface.name, a->ifindex);
	return link_mark(&nc->nl, a->ifindex, &a->iface, false);
}

static int link_set(struct apply_run *r, const struct action *a, struct nsconn *nc)
{
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	int ifindex = ap_ifindex_of(r, a->ns, a->iface.name);

	if (ifindex <= 0)
		return -ENODEV;
	if (a->set == SET_QDISC)
		return qdisc_apply(&nc->nl, ifindex, &a->iface.qdisc);
	ifi = link_msg(&nc->nl, buf, &nlh, RTM_NEWLINK, 0, ifindex);
	if (a->set & SET_MTU)
		mnl_attr_put_u32(nlh, IFLA_MTU, a->iface.mtu);
	if (a->set & SET_MAC)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, a->iface.mac);
	if (a->set & SET_ALIAS)
		mnl_attr_put_strz(nlh, IFLA_IFALIAS, a->iface.alias);
	if (a->set & SET_MASTER) {
		int m = a->iface.master[0] ? ap_ifindex_of(r, a->ns, a->iface.master) : 0;

		if (m < 0 || (a->iface.master[0] && !m))
			return -ENODEV;
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)m);
	}
	if (a->set & SET_UP) {
		ifi->ifi_change = IFF_UP;
		ifi->ifi_flags = a->iface.up ? IFF_UP : 0;
		/* The other end's carrier comes back with this one's, and its
		 * queue too only once the link watcher has seen it: wait for
		 * both (the file gives both ends one state, so it is up). */
		if (a->iface.up && a->iface.kind == ST_VETH) {
			carrier_wait_add(r, a->ns, a->iface.name);
			if (a->iface.peer_ns[0])
				carrier_wait_add(r, a->iface.peer_ns, a->iface.peer_name);
		}
	}
	return nl_request(&nc->nl, nlh);
}

static int link_del(struct apply_run *r, const struct action *a, struct nsconn *nc)
{
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh;
	int ifindex = ap_ifindex_of(r, a->ns, a->iface.name), err;

	if (ifindex <= 0)
		return -ENODEV;
	link_msg(&nc->nl, buf, &nlh, RTM_DELLINK, 0, ifindex);
	if ((err = nl_request(&nc->nl, nlh)) < 0)
		return err;
	ap_ifindex_note(r, a->ns, a->iface.name, 0);
	if (a->iface.kind == ST_VETH && a->iface.peer_ns[0])
		ap_ifindex_note(r, a->iface.peer_ns, a->iface.peer_name, 0);
	return 0;
}

static int addr_change(struct apply_run *r, const struct action *a, struct nsconn *nc, bool add)
{
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	int ifindex = ap_ifindex_of(r, a->ns, a->iface.name), err;
	size_t alen = addr_len(a->addr.family);

	if (ifindex <= 0)
		return -ENODEV;
	if (add && a->addr.family == AF_INET6 && (err = wait_oper_up(r, a->ns, a->iface.name)) < 0)
		return err;
	nlh = nl_msg(&nc->nl, buf, add ? RTM_NEWADDR : RTM_DELADDR,
		     add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)a->addr.family;
	ifa->ifa_prefixlen = a->addr.plen;
	ifa->ifa_index = (uint32_t)ifindex;
	/* As iproute2 does: a loopback address reaches no other host. IPv6
	 * derives ::1's scope itself; IPv4 takes what it is given. */
	if (a->addr.family == AF_INET && a->addr.addr[0] == 127)
		ifa->ifa_scope = RT_SCOPE_HOST;
	mnl_attr_put(nlh, IFA_LOCAL, alen, a->addr.addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, a->addr.addr);
	if (add) {
		/* No duplicate address detection: an IPv6 address must be
		 * usable the moment `up` returns, not "tentative" for a second. */
		if (a->addr.family == AF_INET6)
			mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
		mnl_attr_put_u8(nlh, IFA_PROTO, TOPO_IFAPROT);
	}
	return nl_request(&nc->nl, nlh);
}

/* Sysctls are files in /proc/sys of the namespace that opens them. */
static int sysctl_set(const struct action *a, struct nsconn *nc)
{
	int saved, err;

	if ((err = nl_fault_injected()) < 0)
		return err;
	if ((err = netns_enter(nc->fd, &saved)) < 0)
		return err;
	err = sysctl_write(a->sysctl.key, a->sysctl.value);
	netns_leave(saved);
	return err;
}

/*
 * Deleting what is gone already is done: a namespace being torn down
 * (the kernel frees it asynchronously, a veth's peer end with it) or
 * someone else's `ip` got there first. Only deletions: a change or a
 * creation that finds nothing is an error.
 */
static bool gone_already(const struct action *a, int err)
{
	switch (a->type) {
	case ACT_ROUTE_DEL:
	case ACT_ADDR_DEL:
	case ACT_LINK_DEL:
		return err == -ENODEV || err == -ENOENT || err == -ESRCH || err == -EADDRNOTAVAIL;
	case ACT_NS_DEL:
		return err == -ENOENT;
	default:
		return false;
	}
}

static int apply_action(struct apply_run *r, const struct action *a, struct nsconn *nc)
{
	switch (a->type) {
	case ACT_VETH_ADD:
		return a->iface.kind == ST_VXLAN ? ap_vxlan_add(r, a, nc) : veth_add(r, a, nc);
	case ACT_BRIDGE_ADD:
		return bridge_add(r, a, nc);
	case ACT_LINK_SET:
		return link_set(r, a, nc);
	case ACT_LINK_DEL:
		return link_del(r, a, nc);
	case ACT_ADDR_ADD:
	case ACT_ADDR_DEL:
		return addr_change(r, a, nc, a->type == ACT_ADDR_ADD);
	case ACT_ROUTE_ADD:
	case ACT_ROUTE_DEL:
		return ap_route_change(r, a, nc, a->type == ACT_ROUTE_ADD);
	case ACT_SYSCTL_SET:
		return sysctl_set(a, nc);
	case ACT_EXEC:
	case ACT_EXEC_FORGET:
		return apply_exec(r->ctx, a, nc->fd);
	case ACT_FILES:
		return nodeenv_write(r->ctx->t, a->node, r->ctx->lab, a->files_hash, r->ctx->err,
				     sizeof(r->ctx->err));
	default:
		return -EINVAL;
	}
}

static int apply_one(struct apply_run *r, const struct action *a)
{
	struct nsconn *nc;
	int err;

	if (a->type == ACT_NS_DEL)
		err = ns_del(r, a);
	else if ((nc = conns_get(r->ctx->conns, a->ns, &err))) {
		err = apply_action(r, a, nc);
		conns_put(r->ctx->conns, nc);
	}
	return gone_already(a, err) ? 0 : err;
}

/* The wait for the carrier of R->rising[I] failed with ERR (unless it said why itself). */
static void carrier_wait_error(struct apply_run *r, size_t i, int err)
{
	struct nsconn *nc;
	char why[384];
	int e2;

	if (r->ctx->err[0])
		return;
	nc = conns_get(r->ctx->conns, r->rising[i].ns, &e2);
	snprintf(r->ctx->err, sizeof(r->ctx->err), "%s: %s: wait for the link up: %s",
		 r->rising[i].ns, r->rising[i].name,
		 nl_strerror(nc ? &nc->nl : NULL, err, why, sizeof(why)));
	conns_put(r->ctx->conns, nc);
}

/* N actions from A on are done: count them, and log them in order. */
static void actions_done(struct apply_ctx *ctx, const struct action *a, size_t n)
{
	size_t i;

	ctx->done += n;
	for (i = 0; ctx->done_cb && i < n; i++)
		ctx->done_cb(&a[i], ctx->done_arg);
}

/*
 * The batch of P's actions from I on that worker threads carry out at
 * once: a run of namespace creations (with the ACT_SYSCTL_SETs right
 * after it, in *N_SYSCTLS, which their workers write) or of deletions.
 * Its length, 0 when action I is neither.
 */
static size_t ns_batch_len(const struct plan *p, size_t i, size_t *n_sysctls)
{
	const struct action *a = &p->acts[i];
	size_t n = 0, k = 0;

	*n_sysctls = 0;
	if (a->type != ACT_NS_ADD && a->type != ACT_NS_DEL)
		return 0;
	while (i + n < p->n_acts && a[n].type == a->type)
		n++;
	while (a->type == ACT_NS_ADD && i + n + k < p->n_acts && a[n + k].type == ACT_SYSCTL_SET)
		k++;
	*n_sysctls = k;
	return n;
}

/*
 * One step of the plan from action I: a namespace batch, or one action
 * (nothing to do for a sysctl a namespace's worker wrote, marked in
 * TAKEN). Returns how many actions it did; on failure *ERR and ctx->err.
 */
static size_t apply_step(struct apply_run *r, const struct plan *p, size_t i, bool *taken,
			 int *err)
{
	const struct action *a = &p->acts[i];
	size_t n_ns, n_sc, made;

	n_ns = ns_batch_len(p, i, &n_sc);
	if (n_ns) {
		made = a->type == ACT_NS_ADD
			       ? ns_add_many(r, a, n_ns, a + n_ns, n_sc, taken + i + n_ns, err)
			       : ns_del_many(r, a, n_ns, err);
		actions_done(r->ctx, a, made);
		if (*err < 0 && *err != -EINTR)	/* apply_plan says where it stopped */
			ap_action_error(r->ctx, &a[made], *err);
		return made;
	}
	*err = taken[i] ? 0 : apply_one(r, a);
	if (*err < 0) {
		ap_action_error(r->ctx, a, *err);
		return 0;
	}
	actions_done(r->ctx, a, 1);
	return 1;
}

/*
 * Record the sysctls the first N_DONE actions of P set (or put back), so
 * that a key dropped from the file later is put back to a new namespace's
 * value (sysctl_want_dropped). Forwarding, which topo always sets, is not
 * recorded: it is never dropped. A new namespace starts from the defaults,
 * so its old record (a node deleted by hand) goes.
 */
static int sysctl_records(struct apply_ctx *ctx, const struct plan *p, size_t n_done)
{
	size_t i;
	int err;

	for (i = 0; i < n_done; i++) {
		const struct action *a = &p->acts[i];

		if (a->type == ACT_NS_ADD)
			rundir_sysctl_record_forget(ctx->lab, a->node);
		if (a->type != ACT_SYSCTL_SET || a->sysctl.implied)
			continue;
		err = rundir_sysctl_record_update(ctx->lab, a->node, a->sysctl.key,
						  !a->sysctl.dropped);
		if (err < 0) {
			if (!ctx->err[0])
				snprintf(ctx->err, sizeof(ctx->err), "%s: record sysctl %s: %s",
					 a->node, a->sysctl.key, strerror(-err));
			return err;
		}
	}
	return 0;
}

int apply_plan(struct apply_ctx *ctx, const struct plan *p)
{
	struct apply_run r = { .ctx = ctx };
	bool *taken = xcalloc(p->n_acts + 1, sizeof(*taken));
	size_t i;
	int err = 0, e2;

	ctx->done = 0;
	ctx->err[0] = '\0';
	err = apply_exec_records(ctx, p);
	i = 0;
	while (i < p->n_acts && !err) {
		if (ctx->stop && *ctx->stop)
			err = -EINTR;
		else
			i += apply_step(&r, p, i, taken, &err);
		if (err == -EINTR)
			snprintf(ctx->err, sizeof(ctx->err),
				 "interrupted after %zu of %zu change%s; `topo up` again finishes the lab, "
				 "`topo down` removes it",
				 i, p->n_acts, p->n_acts == 1 ? "" : "s");
	}
	for (i = 0; !err && i < r.n_rising; i++)
		if ((err = wait_oper_up(&r, r.rising[i].ns, r.rising[i].name)) < 0)
			carrier_wait_error(&r, i, err);
	if (!err && ctx->done)
		err = ap_settle_ipv6(&r, p, ctx->done);
	/* what was done is recorded even when a later step failed */
	if ((e2 = sysctl_records(ctx, p, ctx->done)) < 0 && !err)
		err = e2;
	strmap_free(&r.created);
	free(r.ifindexes);
	strmap_free(&r.carrier_wait);
	free(r.rising);
	free(taken);
	return err;
}

int ap_link_mark(struct nl *nl, int ifindex, const struct st_iface *ifc)
{
	return link_mark(nl, ifindex, ifc, false);
}
