// SPDX-License-Identifier: MIT
/*
 * The host as a source of probes (probe_host.h): one source per host end
 * that this run's host makes, in the namespace topo runs in, every socket
 * of which is bound to that interface (SO_BINDTOIFINDEX) before it sends
 * anything. A bound socket routes only through its device: a target that
 * the host would route elsewhere (its default route, a more specific route
 * of its own) is still sent into the lab, or not at all. The interface is
 * used only once it is known to be the lab's (alias "topo:<lab>"): a host
 * interface that merely has the name is never sent through.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hostlink.h"
#include "nl.h"
#include "observe.h"
#include "probe_host.h"
#include "probe_loop.h"

#ifndef SO_BINDTOIFINDEX
#define SO_BINDTOIFINDEX 62	/* Linux 5.0 */
#endif

/* Each host end of T that this run's host makes: FN(ARG, END). The number of them. */
static size_t ends_here(const struct topology *t, void (*fn)(void *arg, const struct endpoint *ep),
			void *arg)
{
	size_t i, k, n = 0;

	for (i = 0; i < t->n_links; i++)
		for (k = 0; k < 2; k++) {
			const struct endpoint *ep = &t->links[i].ep[k];

			if (!probe_host_source(ep->node) || !ep->iface ||
			    !probe_host_end_here(t, ep))
				continue;
			if (fn)
				fn(arg, ep);
			n++;
		}
	return n;
}

size_t probe_ns_host_count(const struct topology *t)
{
	return ends_here(t, NULL, NULL);
}

static void host_source(void *arg, const struct endpoint *ep)
{
	struct pns **next = arg;
	struct pns *ns = (*next)++;

	ns->fd = -1;
	ns->node = TOPO_HOST_NODE;
	snprintf(ns->name, sizeof(ns->name), "%s", ST_HOST_NS);
	ns->bind = ep->iface;
}

void probe_ns_host_init(struct prober *pr, struct pns *first)
{
	ends_here(pr->t, host_source, &first);
}

struct pns *probe_ns_host_find(struct prober *pr, const char *bind)
{
	/* The host's sources follow the nodes'. */
	for (size_t i = pr->t->n_nodes; bind && i < pr->n_ns; i++)
		if (pr->ns[i].bind && !strcmp(pr->ns[i].bind, bind))
			return &pr->ns[i];
	return NULL;
}

int probe_ns_host_verify(struct prober *pr, struct pns *ns)
{
	char mark[ST_ALIAS_MAX];
	struct st_iface ifc = { 0 };
	struct nl nl = { 0 };
	int err;

	/* The prober's thread is in the namespace topo runs in: the host ends' own. */
	if ((err = nl_open(&nl)) == 0)
		err = observe_iface(&nl, ns->bind, &ifc);
	nl_close(&nl);
	free(ifc.addrs);
	snprintf(mark, sizeof(mark), TOPO_MARK_PREFIX "%s", pr->t->name);
	if (err == -ENODEV)
		snprintf(pr->err, pr->errlen, "host end %s: no such interface (is the lab up?)",
			 ns->bind);
	else if (err < 0)
		snprintf(pr->err, pr->errlen, "host end %s: %s", ns->bind, strerror(-err));
	else if (strcmp(ifc.alias, mark) || ifc.ifindex <= 0)
		snprintf(pr->err, pr->errlen,
			 "host end %s is not lab %s's (its alias is '%s', not '%s'): the host "
			 "probes through nothing else",
			 ns->bind, pr->t->name, ifc.alias, mark);
	else {
		ns->ifindex = ifc.ifindex;
		return 0;
	}
	return err < 0 ? err : -EPERM;
}

int probe_ns_host_open(struct prober *pr, struct pns *ns)
{
	int fd, err;

	if (!ns->ifindex && (err = probe_ns_host_verify(pr, ns)) < 0)
		return err;
	if ((fd = hostlink_root_fd()) < 0) {
		snprintf(pr->err, pr->errlen, "host end %s: the host's namespace: %s", ns->bind,
			 strerror(-fd));
		return fd;
	}
	ns->fd = fd;
	pr->fds++;
	return 0;
}

int probe_ns_host_bind(const struct pns *ns, int fd)
{
	int idx = ns->ifindex;

	if (idx <= 0)	/* never verified: nothing may be sent */
		return -ENODEV;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTOIFINDEX, &idx, sizeof(idx)) < 0)
		return -errno;
	return 0;
}
