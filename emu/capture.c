// SPDX-License-Identifier: MIT
/* Packet capture with AF_PACKET sockets inside nodes, into pcap files. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "netns.h"
#include "pcap.h"
#include "util.h"

/*
 * The socket is made with protocol 0, which receives nothing, and bound
 * with ETH_P_ALL: made with ETH_P_ALL it would queue every interface's
 * packets until the bind.
 */
int capture_if_open(struct capture_if *c, int ns_fd, const char *ifname, unsigned *arphrd,
		    const char **step)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	struct ifreq ifr = { 0 };
	int sock, one = 1, rcvbuf = 4 << 20, err;

	c->sock = c->out = -1;
	*step = "packet socket";
	if ((sock = netns_socket(ns_fd, AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0)) < 0)
		return sock;
	/* A socket's ioctls answer for the namespace it was made in. */
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(sock, SIOCGIFINDEX, &ifr) < 0) {
		err = -ENODEV;
		goto fail;
	}
	sll.sll_ifindex = c->ifindex = ifr.ifr_ifindex;
	c->was_down = ioctl(sock, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP);
	if (ioctl(sock, SIOCGIFHWADDR, &ifr) == 0 && ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER &&
	    ifr.ifr_hwaddr.sa_family != ARPHRD_LOOPBACK) {
		*arphrd = ifr.ifr_hwaddr.sa_family;
		err = -EPFNOSUPPORT;
		goto fail;
	}
	c->loopback = ifr.ifr_hwaddr.sa_family == ARPHRD_LOOPBACK;
	/* Root may grow the queue past rmem_max: fewer drops in a burst. */
	setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	setsockopt(sock, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	*step = "bind";
	if (bind(sock, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		err = -errno;
		goto fail;
	}
	c->sock = sock;
	return 0;
fail:
	close(sock);
	return err;
}

int capture_write_all(int fd, const uint8_t *p, size_t len)
{
	ssize_t w;

	while (len) {
		if ((w = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int capture_file_header(int fd)
{
	uint8_t hdr[PCAP_FILE_HDR_LEN];

	pcap_file_header(hdr, PCAP_SNAPLEN_MAX, PCAP_LINKTYPE_ETHERNET, true);
	return capture_write_all(fd, hdr, sizeof(hdr));
}

/* The receive time the kernel stamped on MSG, or now. */
static void packet_time(struct msghdr *msg, struct timespec *ts)
{
	struct cmsghdr *cm;

	for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(*ts))) {
			memcpy(ts, CMSG_DATA(cm), sizeof(*ts));
			return;
		}
	}
	clock_gettime(CLOCK_REALTIME, ts);
}

/*
 * The packet's record header goes just before it in BUF, and both are one
 * write, so the file is whole up to its last packet at any moment, and a
 * reader on a pipe gets it at once.
 */
int capture_packet(struct capture_if *c, uint8_t *buf)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct timespec))];
		struct cmsghdr align;
	} ctl;
	struct sockaddr_ll from;
	struct iovec iov = { buf + PCAP_REC_HDR_LEN, PCAP_SNAPLEN_MAX };
	struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
			      .msg_iovlen = 1, .msg_control = ctl.buf,
			      .msg_controllen = sizeof(ctl.buf) };
	struct timespec ts;
	ssize_t n = recvmsg(c->sock, &msg, MSG_DONTWAIT | MSG_TRUNC);
	uint32_t cap;
	int err;

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	/* On lo a packet is seen leaving and arriving: keep it once, as tcpdump does. */
	if (c->loopback && from.sll_pkttype == PACKET_OUTGOING)
		return 0;
	packet_time(&msg, &ts);
	cap = pcap_record_header(buf, &ts, (uint32_t)n, PCAP_SNAPLEN_MAX, true);
	err = capture_write_all(c->out, buf, PCAP_REC_HDR_LEN + cap);
	if (err < 0)
		return err;
	c->n_pkts++;
	return 1;
}

int capture_if_close(struct capture_if *c)
{
	int err = 0;

	if (c->sock >= 0)
		close(c->sock);
	if (c->out >= 0 && close(c->out) < 0)
		err = -errno;
	c->sock = c->out = -1;
	return err;
}

/* Everything queued on C; a write error ends the whole capture. */
static int set_drain(struct capture_if *c, uint8_t *buf)
{
	int r;

	while ((r = capture_packet(c, buf)) == 1)
		;
	/* A link taken down (a probe's `state: down` lab) is not an error. */
	if (r == -ENETDOWN) {
		c->down = true;
		r = 0;
	}
	return r;
}

static void *set_thread(void *arg)
{
	struct capture_set *s = arg;
	uint8_t *buf = xmalloc(PCAP_REC_HDR_LEN + PCAP_SNAPLEN_MAX);
	struct epoll_event ev[64];
	bool stop = false;
	size_t i;
	int n, k, err;

	while (!stop) {
		n = epoll_wait(s->epfd, ev, 64, -1);
		if (n < 0 && errno != EINTR) {
			s->err = -errno;
			break;
		}
		for (k = 0; k < n; k++) {
			if (!ev[k].data.ptr) {
				stop = true;
				continue;
			}
			if ((err = set_drain(ev[k].data.ptr, buf)) < 0 && !s->err)
				s->err = err;
		}
	}
	/* What came between the last wakeup and the stop. */
	for (i = 0; i < s->n; i++)
		if ((err = set_drain(&s->ifs[i], buf)) < 0 && !s->err)
			s->err = err;
	free(buf);
	return NULL;
}

int capture_set_start(struct capture_set *s, struct capture_if *ifs, size_t n)
{
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t all, old;
	size_t i;
	int err;

	memset(s, 0, sizeof(*s));
	s->ifs = ifs;
	s->n = n;
	s->stopfd = -1;
	if ((s->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
	    (s->stopfd = eventfd(0, EFD_CLOEXEC)) < 0)
		goto fail;
	/* data.ptr NULL: the stop. */
	ev.data.ptr = NULL;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->stopfd, &ev) < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		ev.data.ptr = &ifs[i];
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, ifs[i].sock, &ev) < 0)
			goto fail;
	}
	/* SIGINT and SIGTERM stay with the main thread, whose loops watch for them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&s->thread, NULL, set_thread, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		errno = err;
		goto fail;
	}
	s->running = true;
	return 0;
fail:
	err = -errno;
	if (s->stopfd >= 0)
		close(s->stopfd);
	if (s->epfd >= 0)
		close(s->epfd);
	s->epfd = s->stopfd = -1;
	return err;
}

/* Threads that close packet sockets side by side (capture_set_stop). */
#define CLOSERS 64

struct closer {
	struct capture_if *ifs;
	size_t from, n, step;
	int err;
};

static void *close_slice(void *arg)
{
	struct closer *c = arg;
	size_t i;
	int e;

	for (i = c->from; i < c->n; i += c->step)
		if ((e = capture_if_close(&c->ifs[i])) < 0 && !c->err)
			c->err = e;
	return NULL;
}

/*
 * Each close of a packet socket waits for an RCU grace period (the kernel's
 * packet_release calls synchronize_net), some 10 ms: one after the other,
 * a lab of 1000 links would take 10 s to let go of its captures. Threads
 * closing side by side wait for their grace periods together.
 */
static int close_all(struct capture_if *ifs, size_t n)
{
	struct closer c[CLOSERS];
	pthread_t th[CLOSERS];
	bool started[CLOSERS] = { 0 };
	size_t k, m = n < CLOSERS ? n : CLOSERS;
	int err = 0;

	for (k = 0; k < m; k++) {
		c[k] = (struct closer){ .ifs = ifs, .from = k, .n = n, .step = m };
		started[k] = pthread_create(&th[k], NULL, close_slice, &c[k]) == 0;
		if (!started[k])
			close_slice(&c[k]);
	}
	for (k = 0; k < m; k++) {
		if (started[k])
			pthread_join(th[k], NULL);
		if (c[k].err && !err)
			err = c[k].err;
	}
	return err;
}

int capture_set_stop(struct capture_set *s)
{
	uint64_t one = 1;
	int err;

	if (!s->running)
		return 0;
	if (write(s->stopfd, &one, sizeof(one)) < 0)
		return -errno;
	pthread_join(s->thread, NULL);
	close(s->stopfd);
	close(s->epfd);
	s->running = false;
	err = close_all(s->ifs, s->n);
	return s->err ? s->err : err;
}
