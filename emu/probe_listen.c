// SPDX-License-Identifier: MIT
/*
 * topo's own servers: for a tcp or udp probe whose target port nothing serves,
 * topo listens on the target itself for the length of the run. TCP connections
 * are accepted and closed; UDP datagrams are echoed.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ev.h>

#include "netns.h"
#include "probe_int.h"
#include "util.h"

struct listener {
	ev_io io;
	int fd, family, proto;
	uint16_t port;
	size_t key;		/* the namespace */
	size_t refs;
	enum probe_server kind;
};

static void tcp_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct listener *l = container_of(w, struct listener, io);
	int fd;

	while ((fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC)) >= 0)
		close(fd);
}

/* Echo a datagram back from the address it was sent to, not whatever the route prefers. */
static void udp_echo_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct listener *l = container_of(w, struct listener, io);
	/* Whole, as large as a probe's `size` makes it: the answer crosses the path back at the
	 * same size (one loop, one callback at a time: static is safe). */
	static uint8_t buf[65536];
	uint8_t ctl[256];
	struct sockaddr_storage peer;
	struct iovec iov;
	struct msghdr m;
	struct cmsghdr *c;
	ssize_t n;
	int budget = 256;

	while (budget-- > 0) {
		iov = (struct iovec){ buf, sizeof(buf) };
		m = (struct msghdr){ .msg_name = &peer, .msg_namelen = sizeof(peer), .msg_iov = &iov,
				     .msg_iovlen = 1, .msg_control = ctl,
				     .msg_controllen = sizeof(ctl) };
		n = recvmsg(l->fd, &m, 0);
		if (n < 0)
			return;
		for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
			if (c->cmsg_level == SOL_IP && c->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo *pi = (struct in_pktinfo *)CMSG_DATA(c);

				pi->ipi_spec_dst = pi->ipi_addr;
				pi->ipi_ifindex = 0;
			} else if (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
				struct in6_pktinfo *pi = (struct in6_pktinfo *)CMSG_DATA(c);

				if (!IN6_IS_ADDR_LINKLOCAL(&pi->ipi6_addr))
					pi->ipi6_ifindex = 0;
			}
		}
		iov.iov_len = (size_t)n;
		sendmsg(l->fd, &m, 0);
	}
}

/*
 * Bind L's port on the wildcard address and listen, into l->fd. EADDRINUSE on the bind means
 * some server holds the port: the user's, which then answers (or refuses, if it listens on
 * another address), as it would without topo.
 */
static enum probe_server listener_open(struct listener *l, int ns_fd)
{
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} a = { 0 };
	int fd, one = 1, udp = l->proto == PROBE_UDP;

	fd = netns_socket(ns_fd, l->family,
			  (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return PROBE_SERVER_NONE;
	if (l->family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	/*
	 * TCP: SO_REUSEADDR lets us bind over connections of earlier runs in TIME_WAIT, and still
	 * fails with EADDRINUSE against any listening socket. UDP: no SO_REUSEADDR, or we would
	 * share the port with a server instead of noticing it.
	 */
	if (!udp)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (l->family == AF_INET) {
		a.in.sin_family = AF_INET;
		a.in.sin_port = htons(l->port);
		setsockopt(fd, SOL_IP, IP_PKTINFO, &one, sizeof(one));
	} else {
		a.in6.sin6_family = AF_INET6;
		a.in6.sin6_port = htons(l->port);
		setsockopt(fd, SOL_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
	}
	if (bind(fd, &a.sa, l->family == AF_INET ? sizeof(a.in) : sizeof(a.in6)) < 0) {
		enum probe_server kind = errno == EADDRINUSE ? PROBE_SERVER_USER : PROBE_SERVER_NONE;

		close(fd);
		return kind;
	}
	if (!udp && listen(fd, 4096) < 0) {
		close(fd);
		return PROBE_SERVER_NONE;
	}
	l->fd = fd;
	return PROBE_SERVER_TOPO;
}

struct listener *probe_listen_get(struct probe_listeners *ls, size_t key, int proto,
				  uint16_t port, int family, enum probe_server *kind)
{
	size_t i;

	for (i = 0; i < ls->n; i++) {
		struct listener *l = ls->v[i];

		if (l->key == key && l->proto == proto && l->port == port && l->family == family) {
			l->refs++;
			*kind = l->kind;
			return l;
		}
	}
	return NULL;
}

struct listener *probe_listen(struct probe_listeners *ls, size_t key, int ns_fd, int proto,
			      uint16_t port, int family, enum probe_server *kind)
{
	struct listener *l = probe_listen_get(ls, key, proto, port, family, kind);

	if (l)
		return l;
	l = xcalloc(1, sizeof(*l));
	*(struct listener **)VEC_PUSH(&ls->v, &ls->n) = l;
	l->key = key;
	l->proto = proto;
	l->port = port;
	l->family = family;
	l->fd = -1;
	l->refs = 1;
	l->kind = listener_open(l, ns_fd);
	if (l->kind == PROBE_SERVER_TOPO) {
		ev_io_init(&l->io, proto == PROBE_UDP ? udp_echo_cb : tcp_accept_cb, l->fd, EV_READ);
		ev_io_start(ls->loop, &l->io);
		ls->n_open++;
	}
	*kind = l->kind;
	return l;
}

static void listener_free(struct probe_listeners *ls, struct listener *l)
{
	if (l->fd >= 0) {
		ev_io_stop(ls->loop, &l->io);
		close(l->fd);
		ls->n_open--;
	}
	free(l);
}

void probe_listen_put(struct probe_listeners *ls, struct listener *l)
{
	size_t i;

	if (--l->refs)
		return;
	for (i = 0; i < ls->n && ls->v[i] != l; i++)
		;
	if (i < ls->n)
		ls->v[i] = ls->v[--ls->n];
	listener_free(ls, l);
}

void probe_listen_close(struct probe_listeners *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		listener_free(ls, ls->v[i]);
	free(ls->v);
	ls->v = NULL;
	ls->n = 0;
}
