// SPDX-License-Identifier: MIT
/*
 * The sources of a run: the namespace of each node that probes, opened only
 * while a task from it needs it, and the raw ICMP sockets made in it (one
 * per family and DF, shared by its tasks). A socket keeps the namespace it
 * was made in: the prober enters a namespace only to make one.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe_host.h"
#include "probe_loop.h"
#include "util.h"

void probe_ns_init(struct prober *pr)
{
	const struct topology *t = pr->t;
	size_t i;

	pr->n_ns = t->n_nodes + probe_ns_host_count(t);
	pr->ns = xcalloc(pr->n_ns ? pr->n_ns : 1, sizeof(*pr->ns));
	for (i = 0; i < t->n_nodes; i++) {
		pr->ns[i].fd = -1;
		pr->ns[i].node = t->nodes[i].name;
		topo_nsname(t, t->nodes[i].name, pr->ns[i].name, sizeof(pr->ns[i].name));
	}
	probe_ns_host_init(pr, &pr->ns[t->n_nodes]);
}

struct pns *probe_ns_source(struct prober *pr, const struct probe_target *tg)
{
	if (probe_host_source(tg->from))	/* NULL when not bound: not to be probed */
		return probe_ns_host_find(pr, tg->bind);
	return &pr->ns[topo_node_find(pr->t, tg->from) - pr->t->nodes];
}

void probe_ns_free(struct prober *pr)
{
	for (size_t i = 0; pr->ns && i < pr->n_ns; i++) {
		for (int f = 0; f < 4; f++)
			if (pr->ns[i].raw[f]) {
				close(pr->ns[i].raw[f]->fd);
				free(pr->ns[i].raw[f]);
			}
		if (pr->ns[i].fd >= 0)
			close(pr->ns[i].fd);
	}
	free(pr->ns);
	pr->ns = NULL;
}

int probe_ns_error(struct prober *pr, const struct pns *ns, int err)
{
	if (err == -ENOTNAM)	/* the empty file of an interrupted create */
		snprintf(pr->err, pr->errlen, "node %s: %s/%s is not a namespace (is the lab up?)",
			 ns->node, NETNS_RUN_DIR, ns->name);
	else
		snprintf(pr->err, pr->errlen, "node %s: cannot open namespace %s: %s%s", ns->node,
			 ns->name, strerror(-err), err == -ENOENT ? " (is the lab up?)" : "");
	return err;
}

int probe_ns_open(struct prober *pr, struct pns *ns)
{
	int fd;

	if (ns->bind)
		return probe_ns_host_open(pr, ns);
	fd = netns_open(ns->name);
	if (fd < 0)
		return probe_ns_error(pr, ns, fd);
	ns->fd = fd;
	pr->fds++;
	return 0;
}

void probe_ns_close_fd(struct prober *pr, struct pns *ns)
{
	if (ns->fd < 0)
		return;
	close(ns->fd);
	ns->fd = -1;
	pr->fds--;
}

int probe_ns_socket(struct pns *ns, int domain, int type, int proto)
{
	int fd = netns_socket(ns->fd, domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto), err;

	/* The host's: bound to its host end before anything can be sent, or not made at all. */
	if (fd >= 0 && ns->bind && (err = probe_ns_host_bind(ns, fd)) < 0) {
		close(fd);
		return err;
	}
	return fd;
}

/* The raw ICMP socket of FAMILY in NS (whose fd is open), made on first use. 0, or -errno. */
static int raw_get(struct prober *pr, struct pns *ns, int family, bool df)
{
	struct rawsock **slot = &ns->raw[RAW_IDX(family, df)];
	struct rawsock *rs;
	int fd, err;

	if (*slot)
		return 0;
	fd = probe_ns_socket(ns, family, SOCK_RAW,
			     family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
	if (fd < 0) {
		snprintf(pr->err, pr->errlen, "%s %s: raw ICMP socket: %s%s",
			 ns->bind ? "host end" : "node", ns->bind ? ns->bind : ns->node,
			 strerror(-fd),
			 fd == -EMFILE || ns->bind ? "" : " (topo probe needs root)");
		return fd;
	}
	probe_icmp_setup(fd, family);
	if ((err = probe_sock_df(fd, family, df)) < 0) {
		close(fd);
		snprintf(pr->err, pr->errlen, "%s %s: raw ICMP socket: don't fragment: %s",
			 ns->bind ? "host end" : "node", ns->bind ? ns->bind : ns->node,
			 strerror(-err));
		return err;
	}
	rs = xcalloc(1, sizeof(*rs));
	rs->fd = fd;
	rs->family = family;
	rs->pr = pr;
	ev_io_init(&rs->io, probe_raw_cb, fd, EV_READ);
	ev_io_start(pr->loop, &rs->io);
	*slot = rs;
	pr->fds++;
	return 0;
}

int probe_ns_acquire(struct prober *pr, struct pns *ns, bool stream, int family, bool df)
{
	int err = 0;

	if (ns->fd < 0 && (stream || !ns->raw[RAW_IDX(family, df)]) &&
	    (err = probe_ns_open(pr, ns)) < 0)
		return err;
	if (!stream)
		err = raw_get(pr, ns, family, df);
	if (err < 0)
		return err;
	ns->active++;
	ns->streams += stream;
	if (!ns->streams)
		probe_ns_close_fd(pr, ns);
	return 0;
}

void probe_ns_release(struct prober *pr, struct pns *ns, bool stream)
{
	ns->active--;
	ns->streams -= stream;
	if (!ns->streams)
		probe_ns_close_fd(pr, ns);
	if (ns->active)
		return;
	for (int f = 0; f < 4; f++) {
		struct rawsock *rs = ns->raw[f];

		if (!rs)
			continue;
		ev_io_stop(pr->loop, &rs->io);
		close(rs->fd);
		rs->fd = -1;
		ns->raw[f] = NULL;
		pr->fds--;
		/* An answer read from it may have ended the last task: probe_raw_cb frees it. */
		if (pr->raw_busy != rs)
			free(rs);
	}
}

int probe_ns_check(struct prober *pr)
{
	int err = 0;

	/* The host ends first, always: a few, and none is sent through before it is known. */
	for (size_t i = 0; i < pr->n_pts && err == 0; i++)
		if (pr->pts[i].src && pr->pts[i].src->bind && !pr->pts[i].src->ifindex)
			err = probe_ns_host_verify(pr, pr->pts[i].src);
	if (err < 0 || pr->n_pts * TASK_FDS <= pr->fd_budget)
		return err;
	for (size_t i = 0; i < pr->n_pts && err == 0; i++) {
		struct pns *ns = pr->pts[i].src;

		if (!ns || ns->bind || (i && ns == pr->pts[i - 1].src))
			continue;	/* the targets of a source mostly come together */
		if ((err = netns_check(ns->name)) < 0)
			probe_ns_error(pr, ns, err);
	}
	return err;
}
