// SPDX-License-Identifier: MIT
/*
 * ratecheck - what a link carries, measured: one TCP stream from a socket
 * made in one node to a listener made in the other, for a set time. Both
 * ends in this process, one poll loop, no tool in the nodes.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netns.h"
#include "ratecheck.h"
#include "util.h"

/* the first part of a stream is TCP's slow start, not the link's rate */
#define WARMUP_US 200000

static void sockaddr_of(int family, const uint8_t *addr, uint16_t port, struct sockaddr_storage *ss,
			socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		memcpy(&in->sin_addr, addr, 4);
		*len = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		memcpy(&in6->sin6_addr, addr, 16);
		*len = sizeof(*in6);
	}
}

/* A listener on ADDR (port chosen by the kernel) in namespace FD; its port into *PORT. */
static int listener(int fd, int family, const uint8_t *addr, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int s = netns_socket(fd, family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (s < 0)
		return s;
	sockaddr_of(family, addr, 0, &ss, &len);
	if (bind(s, (struct sockaddr *)&ss, len) < 0 || listen(s, 1) < 0 ||
	    getsockname(s, (struct sockaddr *)&ss, &len) < 0) {
		int err = -errno;

		close(s);
		return err;
	}
	*port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
					: ((struct sockaddr_in6 *)&ss)->sin6_port);
	return s;
}

/* Bytes moved from TX to RX until DEADLINE, counting those after FROM: into *BYTES. */
static int pump(int tx, int rx, uint64_t from, uint64_t deadline, uint64_t *bytes, uint64_t *t_first)
{
	static char buf[65536];
	struct pollfd p[2] = { { .fd = tx, .events = POLLOUT }, { .fd = rx, .events = POLLIN } };
	uint64_t now;
	ssize_t n;

	*bytes = 0;
	*t_first = 0;
	while ((now = now_us()) < deadline) {
		if (poll(p, 2, (int)((deadline - now) / 1000) + 1) < 0 && errno != EINTR)
			return -errno;
		if (p[0].revents & POLLOUT)
			n = send(tx, buf, sizeof(buf), MSG_DONTWAIT | MSG_NOSIGNAL);
		if ((p[0].revents | p[1].revents) & (POLLERR | POLLHUP))
			return -ECONNRESET;
		if (!(p[1].revents & POLLIN))
			continue;
		while ((n = recv(rx, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
			now = now_us();
			if (now < from)
				continue;
			if (!*t_first)
				*t_first = now;
			*bytes += (uint64_t)n;
		}
		if (n == 0)
			return -ECONNRESET;
	}
	return 0;
}

int ratecheck_run(int from_fd, int to_fd, int family, const uint8_t *to_addr, uint64_t duration_us,
		  uint64_t *bps)
{
	struct sockaddr_storage ss;
	socklen_t len;
	uint64_t t0, bytes, first;
	uint16_t port = 0;
	int lsn, tx = -1, rx = -1, err;

	*bps = 0;
	if ((lsn = listener(to_fd, family, to_addr, &port)) < 0)
		return lsn;
	if ((tx = netns_socket(from_fd, family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0) {
		err = tx;
		goto out;
	}
	sockaddr_of(family, to_addr, port, &ss, &len);
	if (connect(tx, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS) {
		err = -errno;
		goto out;
	}
	/* the handshake crosses the impaired link too: wait for it */
	t0 = now_us();
	while ((rx = accept4(lsn, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) < 0) {
		if (errno != EAGAIN || now_us() - t0 > 5000000) {
			err = errno == EAGAIN ? -ETIMEDOUT : -errno;
			goto out;
		}
		poll(&(struct pollfd){ .fd = lsn, .events = POLLIN }, 1, 100);
	}
	t0 = now_us();
	err = pump(tx, rx, t0 + WARMUP_US, t0 + WARMUP_US + duration_us, &bytes, &first);
	if (err == 0 && first) {
		uint64_t span = now_us() - first;

		*bps = span ? bytes * 8 * 1000000 / span : 0;
	}
out:
	if (rx >= 0)
		close(rx);
	if (tx >= 0)
		close(tx);
	close(lsn);
	return err;
}
