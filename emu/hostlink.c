// SPDX-License-Identifier: MIT
/*
 * Host links: the desired host ends, the root namespace's handle, and
 * reading the lab's own interfaces there. Nothing else of the root
 * namespace is ever kept in a state: what is not marked "topo:<lab>" is
 * only looked at to refuse a name clash.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host.h"
#include "hostlink.h"
#include "nat.h"
#include "nsconn.h"
#include "observe.h"
#include "observe_parse.h"
#include "rundir.h"
#include "util.h"
#include "want.h"

/* The kernel's default MTU of a veth, as want.c asks for. */
#define HOST_DEFAULT_MTU 1500
#define HOST_RECORD	 "host.links"

static int root_fd = -1;

/* Opened before main() runs: later, a worker thread may be inside a node's
 * namespace, and /proc/self/ns/net names the main thread's anyway. */
__attribute__((constructor)) static void root_fd_open(void)
{
	root_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
}

int hostlink_root_fd(void)
{
	int fd;

	if (root_fd < 0)
		return -ENOENT;
	fd = fcntl(root_fd, F_DUPFD_CLOEXEC, 3);
	return fd < 0 ? -errno : fd;
}

static bool is_host(const struct endpoint *ep)
{
	return ep->node && !strcmp(ep->node, TOPO_HOST_NODE);
}

/* Is EP's node on the host this run makes (every node is, in a lab on one host)? */
static bool placed_here(const struct topology *t, const struct endpoint *ep)
{
	return !t->self || host_of_name(t, ep->node) == (int)(t->self - t->hosts);
}

bool hostlink_in_file(const struct topology *t)
{
	size_t i;

	for (i = 0; i < t->n_links; i++)
		if (is_host(&t->links[i].ep[0]) || is_host(&t->links[i].ep[1]))
			return true;
	return false;
}

/*
 * The host end H of link L: a veth marked as the lab's. The link's impair
 * shapes only the node end: the host end's egress stays the kernel's, so
 * that topo never puts a qdisc in the root namespace.
 */
static int want_host_end(const struct topology *t, const struct link *l, const struct endpoint *h,
			 struct state *out)
{
	const struct endpoint *other = h == &l->ep[0] ? &l->ep[1] : &l->ep[0];
	struct st_iface *ifc = VEC_PUSH(&out->host->ifaces, &out->host->n_ifaces);
	size_t i;

	if (strlen(h->iface) >= sizeof(ifc->name) || strlen(other->iface) >= sizeof(ifc->peer_name))
		return -ENAMETOOLONG;
	strcpy(ifc->name, h->iface);
	ifc->kind = ST_VETH;
	topo_nsname(t, other->node, ifc->peer_ns, sizeof(ifc->peer_ns));
	strcpy(ifc->peer_name, other->iface);
	ifc->mtu = h->mtu ? h->mtu : l->mtu ? l->mtu : HOST_DEFAULT_MTU;
	ifc->has_mac = h->has_mac;
	memcpy(ifc->mac, h->mac, sizeof(ifc->mac));
	ifc->has_create_mac = true;
	want_stable_mac(out->lab, TOPO_HOST_NODE, ifc->name, ifc->create_mac);
	ifc->up = l->up;
	snprintf(ifc->alias, sizeof(ifc->alias), TOPO_MARK_PREFIX "%s", out->lab);
	for (i = 0; i < h->n_addrs; i++)
		want_addr_add(ifc, &h->addrs[i]);
	if (l->nat)
		nat_spec_add(&out->nat, ifc);
	return 0;
}

int hostlink_want(const struct topology *t, struct state *out)
{
	size_t i, e;
	int ret;

	if (!hostlink_in_file(t))
		return 0;
	out->host = xcalloc(1, sizeof(*out->host));
	strcpy(out->host->name, ST_HOST_NS);
	strcpy(out->host->node, TOPO_HOST_NODE);
	out->host->owned = true;
	for (i = 0; i < t->n_links; i++) {
		for (e = 0; e < 2; e++) {
			if (!is_host(&t->links[i].ep[e]) || !t->links[i].ep[e].iface ||
			    is_host(&t->links[i].ep[!e]) || !placed_here(t, &t->links[i].ep[!e]))
				continue;
			if ((ret = want_host_end(t, &t->links[i], &t->links[i].ep[e], out)) < 0)
				return ret;
		}
	}
	return 0;
}

int hostlink_mark_record(const char *lab)
{
	char path[512];
	int ret;

	if ((ret = rundir_path(lab, HOST_RECORD, path, sizeof(path))) < 0)
		return ret;
	if (access(path, F_OK) == 0)
		return 0;
	return rundir_replace_write(path, "1\n", 2);
}

static bool host_recorded(const char *lab)
{
	char path[512];

	return rundir_path(lab, HOST_RECORD, path, sizeof(path)) == 0 && access(path, F_OK) == 0;
}

/* Keep only the lab's interfaces of what the dump read; note the clashes. */
static void host_filter(const char *lab, const struct state *want, struct state *have)
{
	struct st_ns *ns = have->host;
	char mark[ST_ALIAS_MAX];
	size_t i, j = 0;

	snprintf(mark, sizeof(mark), TOPO_MARK_PREFIX "%s", lab);
	for (i = 0; i < ns->n_ifaces; i++) {
		struct st_iface *ifc = &ns->ifaces[i];

		if (!strcmp(ifc->alias, mark)) {
			ns->ifaces[j++] = *ifc;
			continue;
		}
		if (want && want->host && st_ns_iface_find(want->host, ifc->name))
			*VEC_PUSH(&have->host_foreign, &have->n_host_foreign) =
			    ifc->alias[0] ? xasprintf("%s (alias '%s')", ifc->name, ifc->alias)
					  : xasprintf("%s", ifc->name);
		free(ifc->addrs);
	}
	ns->n_ifaces = j;
}

static bool peer_match(const struct st_iface *h, const struct st_iface *y)
{
	/* a namespace observe reused from its last read knows its peer already */
	bool free_end = !y || !y->peer_ns[0] ||
			(!strcmp(y->peer_ns, ST_HOST_NS) && !strcmp(y->peer_name, h->name));

	return y && free_end && y->kind == ST_VETH && y->ifindex == h->peer_ifindex &&
	       y->peer_ifindex == h->ifindex;
}

static void peer_set(struct st_iface *h, struct st_ns *ns, struct st_iface *y)
{
	snprintf(h->peer_ns, sizeof(h->peer_ns), "%s", ns->name);
	snprintf(h->peer_name, sizeof(h->peer_name), "%s", y->name);
	snprintf(y->peer_ns, sizeof(y->peer_ns), "%s", ST_HOST_NS);
	snprintf(y->peer_name, sizeof(y->peer_name), "%s", h->name);
}

/*
 * The node end of host end H: the veth that names H's index as its peer
 * and whose index H names, the desired one first. (Indexes are per
 * namespace: both ways, and among the lab's veths whose peer is in no
 * other lab namespace, a false match would need two coincidences.)
 */
static void host_peer(const struct state *want, struct state *have, struct st_iface *h)
{
	const struct st_iface *wh =
	    want && want->host ? st_ns_iface_find(want->host, h->name) : NULL;
	struct st_ns *ns;
	struct st_iface *y;
	size_t i, j;

	ns = wh && wh->peer_ns[0] && strcmp(wh->peer_ns, ST_HOST_NS)
		 ? state_ns_find(have, wh->peer_ns)
		 : NULL;
	y = ns ? st_ns_iface_find(ns, wh->peer_name) : NULL;
	if (peer_match(h, y)) {
		peer_set(h, ns, y);
		return;
	}
	for (i = 0; i < have->n_ns; i++) {
		for (j = 0; j < have->ns[i].n_ifaces; j++) {
			if (peer_match(h, &have->ns[i].ifaces[j])) {
				peer_set(h, &have->ns[i], &have->ns[i].ifaces[j]);
				return;
			}
		}
	}
}

static void addrs_reset(void *data)
{
	obs_addrs_reset(data, AF_INET);
	obs_addrs_reset(data, AF_INET6);
}

static int host_read(struct nsconn *nc, const char *lab, const struct state *want,
		     struct state *have)
{
	struct obs_ns o = {.ns = have->host};
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	int err;

	err = observe_links(&nc->nl, &o);
	free(o.links);
	if (err < 0)
		return err;
	host_filter(lab, want, have);
	if (!have->host->n_ifaces)
		return 0;
	nlh = nl_msg(&nc->nl, buf, RTM_GETADDR, 0);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	return nl_dump(&nc->nl, nlh, obs_addr_cb, addrs_reset, &o);
}

int hostlink_observe(struct conns *c, const char *lab, const struct state *want, struct state *have,
		     char *errbuf, size_t errlen)
{
	struct nsconn *nc;
	size_t i;
	int err;

	/* every record is written before what it records is made */
	if ((!want || (!want->host && !want->nat)) && !host_recorded(lab) && !nat_recorded(lab))
		return 0;
	have->host = xcalloc(1, sizeof(*have->host));
	strcpy(have->host->name, ST_HOST_NS);
	strcpy(have->host->node, TOPO_HOST_NODE);
	have->host->owned = true;
	if (!(nc = conns_get(c, ST_HOST_NS, &err))) {
		snprintf(errbuf, errlen, "open the host namespace: %s", strerror(-err));
		return err;
	}
	err = host_read(nc, lab, want, have);
	conns_put(c, nc);
	if (err < 0) {
		snprintf(errbuf, errlen, "read the host namespace: %s", strerror(-err));
		return err;
	}
	for (i = 0; i < have->host->n_ifaces; i++)
		if (have->host->ifaces[i].kind == ST_VETH)
			host_peer(want, have, &have->host->ifaces[i]);
	if ((err = nat_observe(lab, have)) < 0)
		snprintf(errbuf, errlen, "read the nat table of lab %s: %s", lab, strerror(-err));
	return err;
}
