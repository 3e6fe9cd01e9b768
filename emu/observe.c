// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/netconf.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netns.h"
#include "nodeenv.h"
#include "observe.h"
#include "observe_parse.h"
#include "rundir.h"
#include "sysctl.h"

/* The kernel numbers lo 1 in every namespace (LOOPBACK_IFINDEX). */
static int read_lo_alias(struct nl *nl, char alias[ST_ALIAS_MAX])
{
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_GETLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = 1;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	alias[0] = '\0';
	return nl_query(nl, nlh, obs_lo_alias_cb, alias);
}

int observe_iface(struct nl *nl, const char *ifname, struct st_iface *out)
{
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_GETLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	struct st_ns ns = { 0 };
	struct obs_ns o = { .ns = &ns };
	int err;

	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	err = nl_query(nl, nlh, obs_link_cb, &o);
	if (err == 0 && ns.n_ifaces == 1)
		*out = ns.ifaces[0];
	else if (err == 0)
		err = -ENODEV;
	free(ns.ifaces);
	free(o.links);
	return err;
}

/* "topo:<lab>:<node>" into M; false when ALIAS is no mark. */
static bool mark_parse(const char *alias, struct ns_mark *m)
{
	const char *lab, *node;

	if (strncmp(alias, TOPO_MARK_PREFIX, strlen(TOPO_MARK_PREFIX)))
		return false;
	lab = alias + strlen(TOPO_MARK_PREFIX);
	node = strchr(lab, ':');
	if (!node || (size_t)(node - lab) > TOPO_NAME_MAX || strlen(node + 1) > TOPO_NAME_MAX)
		return false;
	snprintf(m->lab, sizeof(m->lab), "%.*s", (int)(node - lab), lab);
	snprintf(m->node, sizeof(m->node), "%s", node + 1);
	return m->lab[0] && m->node[0];
}

/* Only a missing name (ENOENT) and a file that is no namespace (ENOTNAM:
 * an `ip netns add` or a create of ours interrupted before its mount) are
 * nobody's: any other failure to open a namespace (EMFILE, ENOMEM, EACCES,
 * ...) says nothing about whose it is, and is an error. */
static bool open_failed(int err)
{
	return err < 0 && err != -ENOENT && err != -ENOTNAM;
}

int observe_marks(struct conns *c, const char *lab, struct ns_mark **marks, size_t *n)
{
	char **names;
	size_t n_names, i;
	int err, first = 0;

	*marks = NULL;
	*n = 0;
	if ((err = netns_list(&names, &n_names)) < 0)
		return err;
	for (i = 0; i < n_names; i++) {
		char alias[ST_ALIAS_MAX];
		struct nsconn *nc;
		struct ns_mark *m;

		nc = conns_get(c, names[i], &err);
		m = VEC_PUSH(marks, n);
		snprintf(m->name, sizeof(m->name), "%s", names[i]);
		if (!nc) {
			if (open_failed(err) && !first)
				first = err;
			continue;
		}
		if (read_lo_alias(&nc->nl, alias) == 0)
			m->marked = mark_parse(alias, m);
		conns_put(c, nc);
		if (!m->marked || (lab && strcmp(m->lab, lab)))
			conns_close(c, names[i]);
	}
	for (i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	return first;
}

/*
 * Dump requests carry the full header of their type: the sockets ask for
 * strict checking (NETLINK_GET_STRICT_CHK), under which the kernel honours
 * filters in dump requests, such as the routing table. One family at a
 * time: an AF_UNSPEC dump walks every family's table (multicast routing,
 * MPLS, ...) under the RTNL lock, which the workers then queue for; the
 * IPv4 and IPv6 dumps run without it.
 */
struct dump_family {
	uint8_t family;
	mnl_cb_t cb;
	void (*reset)(void *data, int family);	/* an interrupted dump runs again */
	void *data;
};

/* ifaddrmsg, rtmsg and netconfmsg all start with the family. A kernel
 * without IPv6 answers an AF_INET6 dump as AF_UNSPEC: with every family. */
static int dump_family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct dump_family *d = data;

	if (mnl_nlmsg_get_payload_len(nlh) < 1 ||
	    *(const uint8_t *)mnl_nlmsg_get_payload(nlh) != d->family)
		return MNL_CB_OK;
	return d->cb(nlh, d->data);
}

static void dump_family_reset(void *data)
{
	const struct dump_family *d = data;

	d->reset(d->data, d->family);
}

static int dump(struct nl *nl, uint16_t type, int family, mnl_cb_t cb,
		void (*reset)(void *data, int family), void *data)
{
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh = nl_msg(nl, buf, type, 0);
	struct dump_family d = { (uint8_t)family, cb, reset, data };
	struct ifaddrmsg *ifa;
	struct rtmsg *rtm;
	struct netconfmsg *ncm;
	int err;

	switch (type) {
	case RTM_GETADDR:
		ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
		ifa->ifa_family = family;
		break;
	case RTM_GETROUTE:
		rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
		rtm->rtm_family = family;
		/* Every table (a file may use any); obs_route_cb leaves out
		 * the local one, which holds a route per address. */
		break;
	default:
		ncm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ncm));
		ncm->ncm_family = family;
		break;
	}
	err = nl_dump(nl, nlh, dump_family_cb, dump_family_reset, &d);
	/* A namespace whose lo never went up has no IPv4 main table yet, and
	 * a filtered dump of it fails: no table is no routes. */
	if (err == -ENOENT && type == RTM_GETROUTE)
		err = 0;
	return err;
}

static const int families[] = { AF_INET, AF_INET6 };

int observe_links(struct nl *nl, struct obs_ns *o)
{
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_GETLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return nl_dump(nl, nlh, obs_link_cb, obs_links_reset, o);
}

/*
 * Sysctls live in /proc/sys of the namespace that opens the file, and the
 * kernel looks each path up through dentries shared by every namespace:
 * with a thousand namespaces every read walks a thousand-long hash chain.
 * The values netlink reports (RTM_GETNETCONF) are read from one dump per
 * namespace instead; only the rest go through /proc.
 */
struct netconf_key {
	int family;
	int ifindex;		/* NETCONFA_IFINDEX_ALL, _DEFAULT, or an interface */
	int attr;		/* NETCONFA_FORWARDING, ... */
	struct st_sysctl *out;
	bool found;
};

struct netconf_read {
	struct netconf_key *keys;
	size_t n;
};

static bool netconf_key_of(const struct st_ns *ns, const char *key, struct netconf_key *k)
{
	static const struct {
		const char *prefix, *suffix;
		int family, attr;
	} map[] = {
		{ "net.ipv4.conf.", ".forwarding", AF_INET, NETCONFA_FORWARDING },
		{ "net.ipv6.conf.", ".forwarding", AF_INET6, NETCONFA_FORWARDING },
		{ "net.ipv4.conf.", ".rp_filter", AF_INET, NETCONFA_RP_FILTER },
	};
	char dev[ST_IFNAMSIZ];
	size_t i, plen, slen, klen = strlen(key);

	/* ip_forward is the same switch as conf.all.forwarding. */
	if (!strcmp(key, "net.ipv4.ip_forward"))
		key = "net.ipv4.conf.all.forwarding", klen = strlen(key);
	for (i = 0; i < ARRAY_SIZE(map); i++) {
		const struct st_iface *ifc;

		plen = strlen(map[i].prefix);
		slen = strlen(map[i].suffix);
		if (klen <= plen + slen || strncmp(key, map[i].prefix, plen) ||
		    strcmp(key + klen - slen, map[i].suffix) || klen - plen - slen >= sizeof(dev))
			continue;
		snprintf(dev, sizeof(dev), "%.*s", (int)(klen - plen - slen), key + plen);
		k->family = map[i].family;
		k->attr = map[i].attr;
		if (!strcmp(dev, "all"))
			k->ifindex = NETCONFA_IFINDEX_ALL;
		else if (!strcmp(dev, "default"))
			k->ifindex = NETCONFA_IFINDEX_DEFAULT;
		else if ((ifc = st_ns_iface_find(ns, dev)))
			k->ifindex = ifc->ifindex;
		else
			return false;
		return true;
	}
	return false;
}

static int netconf_cb(const struct nlmsghdr *nlh, void *data)
{
	struct netconf_read *r = data;
	const struct netconfmsg *ncm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NETCONFA_MAX + 1] = { 0 };
	const struct nlattr *attr;
	size_t i;
	int ifindex;

	if (nlh->nlmsg_type != RTM_NEWNETCONF)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(*ncm)) {
		if (mnl_attr_get_type(attr) <= NETCONFA_MAX &&
		    mnl_attr_get_payload_len(attr) >= sizeof(int32_t))
			tb[mnl_attr_get_type(attr)] = attr;
	}
	if (!tb[NETCONFA_IFINDEX])
		return MNL_CB_OK;
	ifindex = (int32_t)mnl_attr_get_u32(tb[NETCONFA_IFINDEX]);
	for (i = 0; i < r->n; i++) {
		struct netconf_key *k = &r->keys[i];

		if (k->family != ncm->ncm_family || k->ifindex != ifindex || !tb[k->attr])
			continue;
		snprintf(k->out->value, sizeof(k->out->value), "%d",
			 (int32_t)mnl_attr_get_u32(tb[k->attr]));
		k->found = true;
	}
	return MNL_CB_OK;
}

static void netconf_reset(void *data, int family)
{
	struct netconf_read *r = data;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->keys[i].family == family)
			r->keys[i].found = false;
}

static int read_sysctls(struct nsconn *nc, const struct st_ns *want, struct st_ns *have)
{
	struct netconf_read nr = { 0 };
	struct st_sysctl *vals;
	bool *via_netconf, *found;
	size_t i, f, n_proc = 0;
	int saved = -1, err = 0;

	if (!want || !want->n_sysctls)
		return 0;
	vals = xcalloc(want->n_sysctls, sizeof(*vals));
	via_netconf = xcalloc(want->n_sysctls, sizeof(bool));
	found = xcalloc(want->n_sysctls, sizeof(bool));
	nr.keys = xcalloc(want->n_sysctls, sizeof(*nr.keys));
	for (i = 0; i < want->n_sysctls; i++) {
		snprintf(vals[i].key, sizeof(vals[i].key), "%s", want->sysctls[i].key);
		via_netconf[i] = netconf_key_of(have, vals[i].key, &nr.keys[nr.n]);
		if (via_netconf[i])
			nr.keys[nr.n++].out = &vals[i];
		else
			n_proc++;
	}
	for (f = 0; f < ARRAY_SIZE(families); f++) {
		for (i = 0; i < nr.n && nr.keys[i].family != families[f]; i++)
			;
		if (i < nr.n && (err = dump(&nc->nl, RTM_GETNETCONF, families[f], netconf_cb,
					     netconf_reset, &nr)) < 0)
			goto out;
	}
	for (i = 0; i < nr.n; i++)
		found[nr.keys[i].out - vals] = nr.keys[i].found;
	if (n_proc && (err = netns_enter(nc->fd, &saved)) < 0)
		goto out;
	for (i = 0; i < want->n_sysctls; i++)
		if (!via_netconf[i])
			/* missing: the plan sets it, the kernel says why not */
			found[i] = sysctl_read(vals[i].key, vals[i].value, sizeof(vals[i].value)) == 0;
	netns_leave(saved);
	for (i = 0; i < want->n_sysctls; i++)
		if (found[i])
			*VEC_PUSH(&have->sysctls, &have->n_sysctls) = vals[i];
out:
	free(nr.keys);
	free(found);
	free(via_netconf);
	free(vals);
	return err;
}

/*
 * A record an older topo wrote is one hash of the node's whole list (the
 * NUL after each command keeping ["ab", "c"] and ["a", "bc"] apart). If
 * it is the hash of the file's list, or of its first commands (more were
 * added at the end since), those commands ran: so says HAVE, which apply
 * writes one command a line. Otherwise, as then, the list runs again.
 */
static void exec_legacy_read(const struct st_ns *want, struct st_ns *have)
{
	uint64_t h = FNV1A64_INIT, old;
	size_t i, ran = 0;

	if (have->n_execs != 1 || have->execs[0][0])
		return;
	have->exec_legacy = true;
	old = have->exec_ids[0];
	free(have->execs[0]);
	have->n_execs = 0;
	for (i = 0; want && i < want->n_execs && !ran; i++) {
		h = fnv1a64(h, want->execs[i], strlen(want->execs[i]) + 1);
		if ((h ? h : 1) == old)
			ran = i + 1;
	}
	if (!ran)
		return;
	have->execs = xrealloc(have->execs, ran * sizeof(*have->execs));
	have->exec_ids = xrealloc(have->exec_ids, ran * sizeof(*have->exec_ids));
	for (i = 0; i < ran; i++) {
		have->execs[i] = xstrdup(want->execs[i]);
		have->exec_ids[i] = want->exec_ids[i];
	}
	have->n_execs = ran;
}

/*
 * The root qdiscs of NS in full, when they matter: an interface that has
 * one the kernel did not choose (IFLA_QDISC said so), or one the file
 * impairs. A lab without impairments costs no dump.
 */
static int read_qdiscs(struct nl *nl, const struct st_ns *want, struct obs_ns *o)
{
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh;
	struct tcmsg *tcm;
	bool need = false;
	size_t i;

	for (i = 0; i < o->ns->n_ifaces && !need; i++)
		need = o->ns->ifaces[i].qdisc.kind != QD_DEFAULT;
	for (i = 0; want && i < want->n_ifaces && !need; i++)
		need = want->ifaces[i].qdisc.kind != QD_DEFAULT;
	if (!need)
		return 0;
	nlh = nl_msg(nl, buf, RTM_GETQDISC, 0);
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	return nl_dump(nl, nlh, obs_qdisc_cb, NULL, o);
}

static int read_ns(struct nsconn *nc, const char *lab, const struct st_ns *want, struct obs_ns *o)
{
	size_t i;
	int err;

	for (i = 0; i < o->ns->n_ifaces; i++) {
		const struct st_iface *m;

		if (!o->links[i].master_ifindex)
			continue;
		m = obs_iface_by_index(o->ns, o->links[i].master_ifindex);
		if (m)
			snprintf(o->ns->ifaces[i].master, ST_IFNAMSIZ, "%s", m->name);
	}
	for (i = 0; i < ARRAY_SIZE(families); i++) {
		if ((err = dump(&nc->nl, RTM_GETADDR, families[i], obs_addr_cb, obs_addrs_reset, o)) < 0 ||
		    (err = dump(&nc->nl, RTM_GETROUTE, families[i], obs_route_cb, obs_routes_reset, o)) < 0)
			return err;
	}
	if ((err = observe_rules(&nc->nl, o)) < 0 || (err = read_qdiscs(&nc->nl, want, o)) < 0 ||
	    (err = read_sysctls(nc, want, o->ns)) < 0)
		return err;
	/* No record (or none readable) reads as no exec run: the plan runs
	 * them. Read for a node the file gives none too: what ran there
	 * before is forgotten, and `plan` says so. */
	rundir_exec_record_read(lab, o->ns->node, &o->ns->execs, &o->ns->exec_ids,
				&o->ns->n_execs);
	exec_legacy_read(want, o->ns);
	if (want && want->files_hash)
		nodeenv_record_read(lab, o->ns->node, &o->ns->files_hash, &o->ns->n_files,
				    &o->ns->n_dirs);
	return 0;
}

static int nsid_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NETNSA_MAX + 1] = { 0 };
	const struct nlattr *attr;
	int *nsid = data;

	if (nlh->nlmsg_type != RTM_NEWNSID)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(struct rtgenmsg)) {
		if (mnl_attr_get_type(attr) <= NETNSA_MAX)
			tb[mnl_attr_get_type(attr)] = attr;
	}
	if (tb[NETNSA_NSID] && mnl_attr_get_payload_len(tb[NETNSA_NSID]) >= 4)
		*nsid = (int32_t)mnl_attr_get_u32(tb[NETNSA_NSID]);
	return MNL_CB_OK;
}

/* The id namespace FD has as seen from the socket's namespace. */
static int nsid_of(struct nl *nl, int fd)
{
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_GETNSID, 0);
	struct rtgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	int nsid = -1;

	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)fd);
	if (nl_query(nl, nlh, nsid_cb, &nsid) < 0)
		return -1;
	return nsid;
}

/* nsid(A -> B), asked once per pair of namespaces. */
struct nsid_memo {
	size_t b;
	int nsid;
};

struct peer_ctx {
	struct conns *c;
	struct obs_ns *obs;
	size_t n_obs;
	struct strmap idx;	/* namespace name -> index in obs */
	struct nsid_memo **memo;	/* per A */
	size_t *n_memo;
};

static int nsid_between(struct peer_ctx *p, size_t a, size_t b)
{
	struct nsconn *na, *nb;
	struct nsid_memo *m;
	size_t i;
	int err, nsid;

	for (i = 0; i < p->n_memo[a]; i++)
		if (p->memo[a][i].b == b)
			return p->memo[a][i].nsid;
	na = conns_get(p->c, p->obs[a].ns->name, &err);
	nb = conns_get(p->c, p->obs[b].ns->name, &err);
	nsid = na && nb ? nsid_of(&na->nl, nb->fd) : -1;
	conns_put(p->c, nb);
	conns_put(p->c, na);
	m = VEC_PUSH(&p->memo[a], &p->n_memo[a]);
	m->b = b;
	m->nsid = nsid;
	return nsid;
}

/* Is Y in namespace B the other end of X in namespace A? */
static bool is_peer(struct peer_ctx *p, size_t a, size_t ix, size_t b, const struct st_iface *y)
{
	const struct st_iface *x = &p->obs[a].ns->ifaces[ix];
	int k = p->obs[a].links[ix].link_netnsid;

	if (y->kind != ST_VETH || y == x || y->ifindex != x->peer_ifindex ||
	    y->peer_ifindex != x->ifindex)
		return false;
	/* No IFLA_LINK_NETNSID: the peer is in the same namespace. */
	if (a == b)
		return k < 0;
	return k >= 0 && nsid_between(p, a, b) == k;
}

static void set_peers(struct st_ns *na, struct st_iface *x, struct st_ns *nb, struct st_iface *y)
{
	snprintf(x->peer_ns, sizeof(x->peer_ns), "%s", nb->name);
	snprintf(x->peer_name, sizeof(x->peer_name), "%s", y->name);
	snprintf(y->peer_ns, sizeof(y->peer_ns), "%s", na->name);
	snprintf(y->peer_name, sizeof(y->peer_name), "%s", x->name);
}

/*
 * A veth names its peer by ifindex and by the id of the peer's namespace,
 * an id that only means something from the veth's own namespace; asking
 * the kernel for it (RTM_GETNSID) settles which namespace it is, so a
 * re-wired lab never passes for the old one. The desired peer is tried
 * first, so a lab that matches its file costs one question per pair of
 * neighbouring namespaces; anything else is searched for among the
 * lab's veths.
 */
static void resolve_peers(struct conns *c, const struct state *want, struct obs_ns *obs,
			  size_t n_obs)
{
	struct peer_ctx p = { .c = c, .obs = obs, .n_obs = n_obs };
	size_t a, b, i, j;

	p.memo = xcalloc(n_obs + 1, sizeof(*p.memo));
	p.n_memo = xcalloc(n_obs + 1, sizeof(*p.n_memo));
	for (a = 0; a < n_obs; a++)
		strmap_put(&p.idx, obs[a].ns->name, strlen(obs[a].ns->name), a, NULL);
	for (a = 0; a < n_obs; a++) {
		struct st_ns *ns = obs[a].ns;
		const struct st_ns *wns;

		if (!obs[a].links)
			continue;	/* reused: its peers were resolved when it was read */
		wns = want ? state_ns_find(want, ns->name) : NULL;
		for (i = 0; i < ns->n_ifaces; i++) {
			struct st_iface *x = &ns->ifaces[i];
			const struct st_iface *wx;

			if (x->kind != ST_VETH || x->peer_ns[0])
				continue;
			wx = wns ? st_ns_iface_find(wns, x->name) : NULL;
			if (wx && wx->kind == ST_VETH &&
			    strmap_get(&p.idx, wx->peer_ns, strlen(wx->peer_ns), &b)) {
				struct st_iface *y = st_ns_iface_find(obs[b].ns, wx->peer_name);

				if (y && is_peer(&p, a, i, b, y)) {
					set_peers(ns, x, obs[b].ns, y);
					continue;
				}
			}
			for (b = 0; b < n_obs && !x->peer_ns[0]; b++)
				for (j = 0; j < obs[b].ns->n_ifaces; j++) {
					struct st_iface *y = &obs[b].ns->ifaces[j];

					if (!y->peer_ns[0] && is_peer(&p, a, i, b, y)) {
						set_peers(ns, x, obs[b].ns, y);
						break;
					}
				}
		}
	}
	for (a = 0; a < n_obs; a++)
		free(p.memo[a]);
	free(p.memo);
	free(p.n_memo);
	strmap_free(&p.idx);
}

/* The lab's mark on the lo of a freshly read namespace. */
static bool ns_mark_of(const struct st_ns *ns, struct ns_mark *m)
{
	size_t i;

	for (i = 0; i < ns->n_ifaces; i++)
		if (ns->ifaces[i].kind == ST_LO)
			return mark_parse(ns->ifaces[i].alias, m);
	return false;
}

/* What one worker found in one named namespace. */
struct ns_read {
	const char *name;
	struct st_ns ns;
	struct obs_ns o;
	bool mine, foreign;
	bool open_failed;	/* err: it could not be opened, so whose it is is unknown */
	int err;
};

struct observe_job {
	struct conns *c;
	const char *lab;
	const struct state *want;
	struct state *prev;	/* reuse what it holds for untouched namespaces */
	const struct strmap *touched;
	struct strmap prev_idx;
	struct strmap want_idx;	/* desired namespace name -> index */
	struct ns_read *reads;
	size_t n;
};

static const struct st_ns *want_ns(const struct observe_job *j, const char *name)
{
	size_t i;

	if (!j->want || !strmap_get(&j->want_idx, name, strlen(name), &i))
		return NULL;
	return &j->want->ns[i];
}

/* A name that is not the lab's: nothing of what was read is kept. */
static void observe_drop(struct observe_job *j, struct ns_read *r)
{
	size_t i;

	conns_close(j->c, r->name);
	free(r->o.links);
	r->o.links = NULL;
	for (i = 0; i < r->ns.n_ifaces; i++)
		free(r->ns.ifaces[i].addrs);
	free(r->ns.ifaces);
	memset(&r->ns, 0, sizeof(r->ns));
}

/* Is NC's namespace, which the file does not use, the lab's? For `down`,
 * or a name of another lab most likely: lo alone says whose it is, for
 * less than a dump. */
static bool lo_says_mine(struct observe_job *j, struct nsconn *nc, struct ns_mark *m)
{
	char alias[ST_ALIAS_MAX];

	return read_lo_alias(&nc->nl, alias) == 0 && mark_parse(alias, m) && !strcmp(m->lab, j->lab);
}

/* Read one namespace: its lo says whose it is, and for the lab's own the
 * same link dump gives all its interfaces. */
static void observe_one(struct observe_job *j, struct ns_read *r)
{
	struct ns_mark m = { 0 };
	struct nsconn *nc;
	size_t i;
	bool usable;

	r->o.ns = &r->ns;
	if (j->prev && !strmap_get(j->touched, r->name, strlen(r->name), &i) &&
	    strmap_get(&j->prev_idx, r->name, strlen(r->name), &i)) {
		/* Read moments ago, and nothing done since reaches it. */
		r->ns = j->prev->ns[i];
		memset(&j->prev->ns[i], 0, sizeof(j->prev->ns[i]));
		r->mine = true;
		return;
	}
	if (j->c->stop && *j->c->stop) {
		r->err = -EINTR;
		return;
	}
	nc = conns_get(j->c, r->name, &r->err);
	if (!nc) {
		/* Not opened is not "not ours": only no namespace at all is. */
		r->open_failed = open_failed(r->err);
		r->foreign = !r->open_failed && want_ns(j, r->name) && r->err != -ENOTNAM;
		return;
	}
	usable = want_ns(j, r->name) || lo_says_mine(j, nc, &m);
	if (!j->want) {
		conns_put(j->c, nc);
		r->mine = usable;
		if (!r->mine) {
			conns_close(j->c, r->name);
			return;
		}
		snprintf(r->ns.name, sizeof(r->ns.name), "%s", r->name);
		snprintf(r->ns.node, sizeof(r->ns.node), "%s", m.node);
		r->ns.owned = true;
		return;
	}
	if (usable && (r->err = observe_links(&nc->nl, &r->o)) < 0)
		usable = false;
	r->mine = usable && ns_mark_of(&r->ns, &m) && !strcmp(m.lab, j->lab);
	if (!r->mine) {
		conns_put(j->c, nc);
		r->foreign = want_ns(j, r->name) != NULL;
		r->err = 0;
		observe_drop(j, r);
		return;
	}
	snprintf(r->ns.name, sizeof(r->ns.name), "%s", r->name);
	snprintf(r->ns.node, sizeof(r->ns.node), "%s", m.node);
	r->ns.owned = true;
	r->err = read_ns(nc, j->lab, want_ns(j, r->name), &r->o);
	conns_put(j->c, nc);
}

/* R's failure, with the kernel's text when its socket had one. */
static void observe_error(struct conns *c, const struct ns_read *r, char *errbuf, size_t errlen)
{
	struct nsconn *nc;
	char why[384];

	if (r->err == -EINTR) {
		snprintf(errbuf, errlen, "interrupted while reading the lab; nothing was changed");
		return;
	}
	nc = r->open_failed ? NULL : conns_get(c, r->name, &(int){ 0 });
	snprintf(errbuf, errlen, "%s namespace %s: %s", r->open_failed ? "open" : "read", r->name,
		 nl_strerror(nc ? &nc->nl : NULL, r->err, why, sizeof(why)));
	conns_put(c, nc);
}

static void observe_nth(void *ctx, size_t i)
{
	struct observe_job *j = ctx;

	observe_one(j, &j->reads[i]);
}

/* observe_lab and observe_reread: PREV and TOUCHED are NULL for a fresh read. */
static int observe_read(struct conns *c, const char *lab, const struct state *want,
			struct state *prev, const struct strmap *touched, struct state *have,
			char *errbuf, size_t errlen)
{
	struct observe_job j = { .c = c, .lab = lab, .want = want, .prev = prev,
				 .touched = touched };
	struct obs_ns *obs = NULL;
	size_t n_obs = 0, n_names = 0, i;
	char **names = NULL;
	int err = 0;

	memset(have, 0, sizeof(*have));
	snprintf(have->lab, sizeof(have->lab), "%s", lab);
	if ((err = netns_list(&names, &n_names)) < 0) {
		snprintf(errbuf, errlen, "list %s: %s", NETNS_RUN_DIR, strerror(-err));
		return err;
	}
	for (i = 0; want && i < want->n_ns; i++)
		strmap_put(&j.want_idx, want->ns[i].name, strlen(want->ns[i].name), i, NULL);
	for (i = 0; prev && i < prev->n_ns; i++)
		strmap_put(&j.prev_idx, prev->ns[i].name, strlen(prev->ns[i].name), i, NULL);
	j.n = n_names;
	j.reads = xcalloc(n_names + 1, sizeof(*j.reads));
	for (i = 0; i < n_names; i++) {
		j.reads[i].name = names[i];
		conns_reserve(c, names[i]);
	}
	/* Reading a namespace is a handful of netlink round trips, spent mostly
	 * in the kernel building the dumps: one worker per core, each touching
	 * only its own slots (the handle table is filled before they start);
	 * a small lab is not worth a thread. */
	netns_parallel(n_names, n_names / 16 + 1, observe_nth, &j);
	obs = xcalloc(n_names + 1, sizeof(*obs));
	for (i = 0; i < n_names; i++) {
		struct ns_read *r = &j.reads[i];

		if (r->foreign)
			snprintf(*VEC_PUSH(&have->foreign, &have->n_foreign), ST_NSNAMSIZ, "%s",
				 r->name);
		if ((r->open_failed || r->err == -EINTR) && !err) {
			observe_error(c, r, errbuf, errlen);
			err = r->err;
		}
		if (!r->mine)
			continue;
		if (r->err < 0 && !err) {
			observe_error(c, r, errbuf, errlen);
			err = r->err;
		}
		*VEC_PUSH(&have->ns, &have->n_ns) = r->ns;
		obs[n_obs++] = r->o;
	}
	for (i = 0; i < n_obs; i++)
		obs[i].ns = &have->ns[i];
	/* `down` (no desired state) deletes whole namespaces: peers don't matter. */
	if (!err && want)
		resolve_peers(c, want, obs, n_obs);
	for (i = 0; i < n_obs; i++)
		free(obs[i].links);
	free(obs);
	free(j.reads);
	strmap_free(&j.want_idx);
	strmap_free(&j.prev_idx);
	for (i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	return err;
}

int observe_lab(struct conns *c, const char *lab, const struct state *want, struct state *have,
		char *errbuf, size_t errlen)
{
	return observe_read(c, lab, want, NULL, NULL, have, errbuf, errlen);
}

int observe_reread(struct conns *c, const char *lab, const struct state *want, struct state *prev,
		   const struct strmap *touched, struct state *have, char *errbuf, size_t errlen)
{
	return observe_read(c, lab, want, prev, touched, have, errbuf, errlen);
}
