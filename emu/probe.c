// SPDX-License-Identifier: MIT
/*
 * The prober: every probe of a lab at once, in one process and one libev loop.
 *
 * A socket keeps the network namespace it was created in, so the prober enters
 * each source namespace only long enough to create its sockets (netns_socket)
 * and then drives them all from the one loop: no fork, no thread per probe,
 * and the run takes about as long as its slowest probe.
 *
 * ICMP uses one raw socket per source namespace and family (ping sockets are
 * off in new namespaces: net.ipv4.ping_group_range is "1 0"); the replies and
 * ICMP errors are matched to their echo by identifier and sequence, which
 * together carry a 32-bit token, and by a random cookie in the payload (the
 * packets are built and read in probe_icmp.c). TCP is a non-blocking connect;
 * UDP a datagram that must be answered. For both, topo serves the target port
 * itself when nothing else does (probe_listen.c).
 *
 * libev types never leave this file, probe_listen.c and probe_int.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ev.h>

#include "netns.h"
#include "probe.h"
#include "probe_int.h"
#include "util.h"

/* <linux/icmp.h> has it but clashes with <netinet/ip_icmp.h>. */
#ifndef ICMP_FILTER
#define ICMP_FILTER 1
#endif

#define ECHO_GAP_US 100000	/* between the echoes (connects, datagrams) of one target */
#define RETRY_GAP_US 100000	/* at least this between two attempts under `within` */
/*
 * At most this many exchanges in flight. A burst of first packets is a burst
 * of ARP/ND broadcasts, each flooded to every port of a bridge; unpaced, a
 * 100-host lab overflows the per-CPU backlog (net.core.netdev_max_backlog),
 * loses resolutions and waits the 1 s ARP retransmit: probes time out on a
 * healthy lab. Replies free slots within microseconds, so the cap costs little.
 */
#define INFLIGHT_MAX 256
#define SOCK_BUF (4 << 20)	/* raw sockets take bursts of a whole lab */
#define COOKIE_LEN 8
#define PAYLOAD_LEN (COOKIE_LEN + 8)

struct prober;

/* A namespace that the run uses, by node index. */
struct pns {
	const char *node;
	char name[TOPO_NSNAME_MAX + 1];
	int fd;			/* from netns_open; -1 until needed */
	struct rawsock *raw[2];	/* ICMP, IPv4 and IPv6 */
};

struct rawsock {
	ev_io io;
	int fd, family;
	struct prober *pr;
};

enum ex_state { EX_IDLE, EX_PENDING, EX_REPLY, EX_ERROR, EX_TIMEOUT };

/* One echo, connect or datagram of an attempt. */
struct exchange {
	struct ptask *pt;
	enum ex_state st;
	uint32_t token;
	int fd;			/* tcp and udp: its own socket; -1 otherwise */
	ev_io io;
	uint64_t sent_us, rtt_us;
	char why[128];
};

/* One target in flight. */
struct ptask {
	struct prober *pr;
	struct probe_result *res;
	const struct probe_spec *spec;
	struct pns *src;
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} dst;
	socklen_t dstlen;
	ev_timer tm;
	uint64_t attempt_start;
	uint32_t next;		/* the next exchange of this attempt to start */
	uint32_t open;		/* started and still pending */
	struct exchange *ex;	/* spec->count of them */
	bool busy;		/* in attempt_check() */
	bool queued;		/* waiting in prober.wait for a free slot */
	bool done;
};

struct prober {
	struct ev_loop *loop;
	const struct topology *t;
	struct pns *ns;		/* one per node */
	struct ptask *pts;
	size_t n_pts;
	struct probe_listeners ls;
	struct exchange **tokens;	/* token -> exchange */
	size_t n_tokens;
	uint16_t id_base;
	uint8_t cookie[COOKIE_LEN];
	size_t inflight, inflight_max;	/* exchanges sent and not yet over */
	struct ptask **wait;	/* tasks with an exchange due but no slot: a FIFO ring */
	size_t wait_head, wait_len;
	bool draining;
	uint64_t t0;
	size_t running;
	char *err;
	size_t errlen;
};

/* The namespace of NODE, opened on first use, into *OUT. 0, or -errno with pr->err set. */
static int pns_get(struct prober *pr, const char *node, struct pns **out)
{
	const struct node *nd = topo_node_find(pr->t, node);
	struct pns *ns;
	int fd;

	if (!nd) {
		snprintf(pr->err, pr->errlen, "node %s is not in the lab", node);
		return -ENOENT;
	}
	ns = &pr->ns[nd - pr->t->nodes];
	*out = ns;
	if (ns->fd >= 0)
		return 0;
	ns->node = nd->name;
	topo_nsname(pr->t, nd->name, ns->name, sizeof(ns->name));
	fd = netns_open(ns->name);
	if (fd == -ENOTNAM)	/* the empty file of an interrupted create */
		snprintf(pr->err, pr->errlen, "node %s: %s/%s is not a namespace (is the lab up?)",
			 nd->name, NETNS_RUN_DIR, ns->name);
	else if (fd < 0)
		snprintf(pr->err, pr->errlen, "node %s: cannot open namespace %s: %s%s", nd->name,
			 ns->name, strerror(-fd), fd == -ENOENT ? " (is the lab up?)" : "");
	if (fd < 0)
		return fd;
	ns->fd = fd;
	return 0;
}

/* ns_socket - a non-blocking socket(DOMAIN, TYPE, PROTO) inside NS. The fd, or -errno. */
static int ns_socket(struct pns *ns, int domain, int type, int proto)
{
	return netns_socket(ns->fd, domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
}

static void sock_bufs(int fd)
{
	int v = SOCK_BUF;

	/* FORCE variants pass the sysctl caps (root); fall back quietly. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof(v)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
}

static void attempt_check(struct ptask *pt);
static void wait_drain(struct prober *pr);
static void raw_cb(struct ev_loop *loop, ev_io *w, int revents);

/* The raw ICMP socket of FAMILY in NS, made on first use. 0, or -errno with pr->err set. */
static int raw_get(struct prober *pr, struct pns *ns, int family)
{
	struct rawsock **slot = &ns->raw[family == AF_INET6];
	struct rawsock *rs;
	int fd;

	if (*slot)
		return 0;
	fd = ns_socket(ns, family, SOCK_RAW, family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
	if (fd < 0) {
		snprintf(pr->err, pr->errlen, "node %s: raw ICMP socket: %s (topo probe needs root)",
			 ns->node, strerror(-fd));
		return fd;
	}
	sock_bufs(fd);
	/* Only what answers an echo: not the echo requests that others send us. */
	if (family == AF_INET) {
		uint32_t drop = ~((1u << ICMP_ECHOREPLY) | (1u << ICMP_DEST_UNREACH) |
				  (1u << ICMP_TIME_EXCEEDED) | (1u << ICMP_PARAMETERPROB));

		setsockopt(fd, SOL_RAW, ICMP_FILTER, &drop, sizeof(drop));
	} else {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &f);
		ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PARAM_PROB, &f);
		setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	}
	rs = xcalloc(1, sizeof(*rs));
	rs->fd = fd;
	rs->family = family;
	rs->pr = pr;
	ev_io_init(&rs->io, raw_cb, fd, EV_READ);
	ev_io_start(pr->loop, &rs->io);
	*slot = rs;
	return 0;
}

/* ---- pacing ---- */

static void wait_push(struct prober *pr, struct ptask *pt)
{
	if (pt->queued)
		return;
	pt->queued = true;
	pr->wait[(pr->wait_head + pr->wait_len++) % pr->n_pts] = pt;
}

/* Give free slots to the tasks waiting for them, oldest first. */
static void wait_drain(struct prober *pr)
{
	if (pr->draining)
		return;
	pr->draining = true;
	while (pr->wait_len && pr->inflight < pr->inflight_max) {
		struct ptask *pt = pr->wait[pr->wait_head];

		pr->wait_head = (pr->wait_head + 1) % pr->n_pts;
		pr->wait_len--;
		pt->queued = false;
		/* A busy task queues itself again at the end of its check if it must. */
		if (!pt->busy)
			attempt_check(pt);
	}
	pr->draining = false;
}

/* ---- results of exchanges ---- */

static void ex_finish(struct exchange *ex, enum ex_state st)
{
	struct ptask *pt = ex->pt;

	if (ex->st != EX_PENDING)
		return;
	ex->st = st;
	if (st == EX_REPLY)
		ex->rtt_us = now_us() - ex->sent_us;
	if (ex->fd >= 0) {
		ev_io_stop(pt->pr->loop, &ex->io);
		close(ex->fd);
		ex->fd = -1;
	}
	pt->open--;
	pt->pr->inflight--;
	/* Inside attempt_check() (a send that failed at once), it sees this itself. */
	if (!pt->busy)
		attempt_check(pt);
	wait_drain(pt->pr);
}

static void ex_error(struct exchange *ex, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ex_error(struct exchange *ex, const char *fmt, ...)
{
	va_list ap;

	if (ex->st != EX_PENDING)
		return;
	va_start(ap, fmt);
	vsnprintf(ex->why, sizeof(ex->why), fmt, ap);
	va_end(ap);
	ex_finish(ex, EX_ERROR);
}

/* An errno from sending or connecting, in words that say where it happened. */
static void ex_errno(struct exchange *ex, int e)
{
	if (e == ECONNREFUSED)
		ex_error(ex, "connection refused");
	else if (e == ETIMEDOUT)
		ex_error(ex, "timeout");
	else
		ex_error(ex, "%s (in %s)", strerror(e), ex->pt->src->node);
}

/* An ICMP error TYPE/CODE about EX, sent by FROM. */
static void ex_icmp_error(struct exchange *ex, int family, int type, int code, uint32_t mtu,
			  const uint8_t *from)
{
	char text[sizeof(ex->why)];

	ex_error(ex, "%s", probe_icmp_error_text(family, type, code, mtu, from, text, sizeof(text)));
}

/* ---- ICMP ---- */

static uint32_t token_new(struct prober *pr, struct exchange *ex)
{
	*(struct exchange **)VEC_PUSH(&pr->tokens, &pr->n_tokens) = ex;
	return (uint32_t)(pr->n_tokens - 1);
}

/* The exchange that an echo with ID/SEQ (and, if non-NULL, PAYLOAD) belongs to. */
static struct exchange *token_find(struct prober *pr, uint16_t id, uint16_t seq,
				   const uint8_t *payload, size_t len)
{
	uint32_t tok = (uint32_t)((uint16_t)(id - pr->id_base)) << 16 | seq;
	struct exchange *ex;

	if (tok >= pr->n_tokens)
		return NULL;
	ex = pr->tokens[tok];
	if (ex->token != tok || ex->st != EX_PENDING)
		return NULL;
	if (payload && (len < PAYLOAD_LEN || memcmp(payload, pr->cookie, COOKIE_LEN)))
		return NULL;
	return ex;
}

static void icmp_send(struct exchange *ex)
{
	struct ptask *pt = ex->pt;
	struct prober *pr = pt->pr;
	int family = pt->res->tg.family;
	struct rawsock *rs = pt->src->raw[family == AF_INET6];
	uint8_t payload[PAYLOAD_LEN] = { 0 }, pkt[8 + PAYLOAD_LEN];
	uint16_t id = (uint16_t)(pr->id_base + (ex->token >> 16)), seq = (uint16_t)ex->token;

	memcpy(payload, pr->cookie, COOKIE_LEN);
	memcpy(payload + COOKIE_LEN, &ex->token, sizeof(ex->token));
	probe_icmp_echo(pkt, family, id, seq, payload, sizeof(payload));
	if (sendto(rs->fd, pkt, sizeof(pkt), 0, &pt->dst.sa, pt->dstlen) < 0)
		ex_errno(ex, errno);
}

static bool addr_eq(const struct ptask *pt, const uint8_t *a)
{
	return !memcmp(pt->res->tg.addr, a, addr_len(pt->res->tg.family));
}

/* A packet read on a raw socket of FAMILY: the reply or the ICMP error of one of our echoes? */
static void raw_input(struct prober *pr, int family, const uint8_t *b, size_t n,
		      const uint8_t *from)
{
	struct probe_echo_msg m;
	enum probe_echo_kind kind = probe_icmp_parse(family, b, n, from, &m);
	struct exchange *ex;

	if (kind == PROBE_ECHO_NONE)
		return;
	/* An error quotes only the start of our echo: no cookie to check (m.data is NULL). */
	ex = token_find(pr, m.id, m.seq, m.data, m.len);
	if (!ex || ex->pt->res->tg.family != family || !addr_eq(ex->pt, m.peer))
		return;
	if (kind == PROBE_ECHO_REPLY)
		ex_finish(ex, EX_REPLY);
	else
		ex_icmp_error(ex, family, m.type, m.code, m.mtu, m.from);
}

static void raw_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct rawsock *rs = container_of(w, struct rawsock, io);
	uint8_t buf[2048];
	struct sockaddr_in6 from6;
	socklen_t fl;
	ssize_t n;
	int budget = 256;	/* let timers and other sockets run in a flood */

	while (budget-- > 0) {
		fl = sizeof(from6);
		n = recvfrom(rs->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from6, &fl);
		if (n < 0)
			break;
		raw_input(rs->pr, rs->family, buf, (size_t)n, from6.sin6_addr.s6_addr);
	}
}

/* ---- TCP and UDP ---- */

/* The first ICMP error queued on FD (IP_RECVERR), in words. */
static bool errqueue_reason(struct exchange *ex)
{
	uint8_t data[64], ctl[512];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;

	if (recvmsg(ex->fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return false;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		struct sock_extended_err *ee;
		struct sockaddr *off;
		uint8_t from[16] = { 0 };
		int family;

		if (!((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
		      (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)))
			continue;
		ee = (struct sock_extended_err *)CMSG_DATA(c);
		off = SO_EE_OFFENDER(ee);
		if (ee->ee_origin == SO_EE_ORIGIN_ICMP) {
			family = AF_INET;
			memcpy(from, &((struct sockaddr_in *)off)->sin_addr, 4);
		} else if (ee->ee_origin == SO_EE_ORIGIN_ICMP6) {
			family = AF_INET6;
			memcpy(from, &((struct sockaddr_in6 *)off)->sin6_addr, 16);
		} else {
			ex_errno(ex, (int)ee->ee_errno);
			return true;
		}
		if ((family == AF_INET && ee->ee_type == ICMP_DEST_UNREACH &&
		     ee->ee_code == ICMP_PORT_UNREACH) ||
		    (family == AF_INET6 && ee->ee_type == ICMP6_DST_UNREACH &&
		     ee->ee_code == ICMP6_DST_UNREACH_NOPORT)) {
			ex_error(ex, "connection refused (ICMP port unreachable from %s)",
				 ip_fmt(family, from, (char[INET6_ADDRSTRLEN]){ 0 }, INET6_ADDRSTRLEN));
			return true;
		}
		ex_icmp_error(ex, family, ee->ee_type, ee->ee_code, ee->ee_info, from);
		return true;
	}
	return false;
}

static void tcp_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct exchange *ex = container_of(w, struct exchange, io);
	int e = 0;
	socklen_t l = sizeof(e);

	if (getsockopt(ex->fd, SOL_SOCKET, SO_ERROR, &e, &l) < 0)
		e = errno;
	if (e == 0)
		ex_finish(ex, EX_REPLY);
	else if (e == ECONNREFUSED || e == ETIMEDOUT)
		ex_errno(ex, e);
	else	/* may come from an ICMP error of a router on the way: not "in" the source */
		ex_error(ex, "connect: %s", strerror(e));
}

static void udp_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct exchange *ex = container_of(w, struct exchange, io);
	uint8_t buf[512];
	int e;

	/* Connected: only the target's address and port can answer. */
	if (recv(ex->fd, buf, sizeof(buf), 0) >= 0) {
		ex_finish(ex, EX_REPLY);
		return;
	}
	e = errno;	/* before errqueue_reason's own recvmsg can change it */
	if (e == EAGAIN || e == EINTR)
		return;
	if (!errqueue_reason(ex))
		ex_errno(ex, e);
}

static void stream_send(struct exchange *ex)
{
	struct ptask *pt = ex->pt;
	struct prober *pr = pt->pr;
	int udp = pt->spec->proto == PROBE_UDP, one = 1;
	int family = pt->res->tg.family;
	uint8_t payload[PAYLOAD_LEN] = { 0 };
	int fd;

	fd = ns_socket(pt->src, family, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0) {
		ex_error(ex, "socket: %s", strerror(-fd));
		return;
	}
	ex->fd = fd;
	if (udp) {
		/* Every ICMP error, not only the "hard" ones, with its type and code. */
		if (family == AF_INET)
			setsockopt(fd, SOL_IP, IP_RECVERR, &one, sizeof(one));
		else
			setsockopt(fd, SOL_IPV6, IPV6_RECVERR, &one, sizeof(one));
	}
	ev_io_init(&ex->io, udp ? udp_cb : tcp_cb, fd, udp ? EV_READ : EV_WRITE);
	if (connect(fd, &pt->dst.sa, pt->dstlen) < 0 && errno != EINPROGRESS) {
		ex_errno(ex, errno);
		return;
	}
	if (udp) {
		memcpy(payload, pr->cookie, COOKIE_LEN);
		memcpy(payload + COOKIE_LEN, &ex->token, sizeof(ex->token));
		if (send(fd, payload, sizeof(payload), 0) < 0) {
			int e = errno;	/* errqueue_reason's recvmsg may change it */

			if (!errqueue_reason(ex))
				ex_errno(ex, e);
			return;
		}
	}
	ev_io_start(pr->loop, &ex->io);
}

/* ---- attempts ---- */

static void task_done(struct ptask *pt)
{
	struct prober *pr = pt->pr;

	pt->done = true;
	ev_timer_stop(pr->loop, &pt->tm);
	pt->res->elapsed_us = now_us() - pr->t0;
	if (--pr->running == 0)
		ev_break(pr->loop, EVBREAK_ALL);
}

static void attempt_start(struct ptask *pt)
{
	size_t i;

	pt->res->attempts++;
	pt->attempt_start = now_us();
	pt->next = 0;
	pt->open = 0;
	for (i = 0; i < pt->spec->count; i++) {
		pt->ex[i].st = EX_IDLE;
		pt->ex[i].why[0] = '\0';
	}
	attempt_check(pt);
}

/* Judge a finished attempt; true when the expectation held. */
static bool attempt_judge(struct ptask *pt)
{
	const struct probe_spec *sp = pt->spec;
	struct probe_result *r = pt->res;
	const char *why = NULL;
	uint64_t sum = 0;
	size_t i;

	r->sent = sp->count;
	r->received = 0;
	r->rtt_min_us = r->rtt_max_us = r->rtt_avg_us = 0;
	for (i = 0; i < sp->count; i++) {
		const struct exchange *ex = &pt->ex[i];

		if (ex->st == EX_REPLY) {
			if (!r->received || ex->rtt_us < r->rtt_min_us)
				r->rtt_min_us = ex->rtt_us;
			if (ex->rtt_us > r->rtt_max_us)
				r->rtt_max_us = ex->rtt_us;
			sum += ex->rtt_us;
			r->received++;
		} else if (ex->st == EX_ERROR && !why) {
			why = ex->why;
		}
	}
	if (r->received)
		r->rtt_avg_us = sum / r->received;
	r->loss = sp->count ? 100.0 * (sp->count - r->received) / sp->count : 0;
	r->reached = r->received > 0;
	r->reason[0] = '\0';
	if (!r->reached)
		snprintf(r->reason, sizeof(r->reason), "%s", why ? why : "timeout");
	if (!sp->expect_reachable) {
		if (r->reached)
			snprintf(r->reason, sizeof(r->reason), "reachable but expected unreachable");
		return !r->reached;
	}
	if (!r->reached)
		return false;
	if (sp->max_loss >= 0 && r->loss > sp->max_loss + 1e-9) {
		snprintf(r->reason, sizeof(r->reason), "loss %.1f%% over max_loss %g%%", r->loss,
			 sp->max_loss);
		return false;
	}
	if (sp->max_rtt_us && r->rtt_max_us > sp->max_rtt_us) {
		snprintf(r->reason, sizeof(r->reason), "rtt %.3f ms over max_rtt %.3f ms",
			 r->rtt_max_us / 1000.0, sp->max_rtt_us / 1000.0);
		return false;
	}
	return true;
}

static void attempt_end(struct ptask *pt)
{
	struct prober *pr = pt->pr;
	uint64_t now = now_us(), at;

	pt->res->passed = attempt_judge(pt);
	if (pt->res->passed || now - pr->t0 >= pt->spec->within_us) {
		task_done(pt);
		return;
	}
	/* `within`: try again, no sooner than RETRY_GAP_US after this attempt began. */
	at = pt->attempt_start + RETRY_GAP_US;
	pt->next = pt->spec->count + 1;	/* marks "waiting to retry" for the timer */
	ev_timer_stop(pr->loop, &pt->tm);
	ev_timer_set(&pt->tm, at > now ? (double)(at - now) / 1e6 : 0., 0.);
	ev_timer_start(pr->loop, &pt->tm);
}

/* Move an attempt on: time out what is overdue, start what is due, finish or sleep. */
static void attempt_check(struct ptask *pt)
{
	struct prober *pr = pt->pr;
	const struct probe_spec *sp = pt->spec;
	uint64_t now = now_us(), wake = UINT64_MAX;
	size_t i;

	if (pt->done)
		return;
	pt->busy = true;
	while (pt->next < sp->count && pr->inflight < pr->inflight_max &&
	       pt->attempt_start + (uint64_t)pt->next * ECHO_GAP_US <= now) {
		struct exchange *ex = &pt->ex[pt->next++];

		pr->inflight++;
		ex->st = EX_PENDING;
		ex->fd = -1;
		ex->token = token_new(pr, ex);
		ex->sent_us = now_us();
		pt->open++;
		if (sp->proto == PROBE_ICMP)
			icmp_send(ex);
		else
			stream_send(ex);
	}
	for (i = 0; i < pt->next; i++) {
		struct exchange *ex = &pt->ex[i];

		if (ex->st != EX_PENDING)
			continue;
		if (ex->sent_us + sp->timeout_us <= now)
			ex_finish(ex, EX_TIMEOUT);
		else if (ex->sent_us + sp->timeout_us < wake)
			wake = ex->sent_us + sp->timeout_us;
	}
	pt->busy = false;
	if (pt->next >= sp->count && pt->open == 0) {
		attempt_end(pt);
		return;
	}
	if (pt->next < sp->count) {
		uint64_t due = pt->attempt_start + (uint64_t)pt->next * ECHO_GAP_US;

		if (due <= now)		/* due, but no slot: wait for one */
			wait_push(pr, pt);
		else if (due < wake)
			wake = due;
	}
	if (wake == UINT64_MAX) {
		ev_timer_stop(pr->loop, &pt->tm);
		return;
	}
	ev_timer_stop(pr->loop, &pt->tm);
	ev_timer_set(&pt->tm, wake > now ? (double)(wake - now) / 1e6 : 0., 0.);
	ev_timer_start(pr->loop, &pt->tm);
}

static void task_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct ptask *pt = container_of(w, struct ptask, tm);

	if (pt->next == pt->spec->count + 1)
		attempt_start(pt);
	else
		attempt_check(pt);
}

/* ---- the run ---- */

static void raise_nofile(void)
{
	struct rlimit rl;

	/* A big lab holds thousands of sockets at once. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int task_setup(struct prober *pr, struct ptask *pt, struct probe_result *res)
{
	const struct probe_target *tg = &res->tg;
	const struct probe_spec *sp = &pr->t->probes[tg->spec];
	int err;

	pt->pr = pr;
	pt->res = res;
	pt->spec = sp;
	ev_init(&pt->tm, task_timer_cb);
	if ((err = pns_get(pr, tg->from, &pt->src)) < 0)
		return err;
	if (tg->family == AF_UNSPEC) {
		snprintf(res->reason, sizeof(res->reason),
			 "nothing to probe: %s has no address in a family that %s has",
			 tg->to_iface ? tg->to_iface : tg->to_node, tg->from);
		pt->done = true;
		return 0;
	}
	if (tg->family == AF_INET) {
		pt->dst.in.sin_family = AF_INET;
		memcpy(&pt->dst.in.sin_addr, tg->addr, 4);
		pt->dst.in.sin_port = htons(sp->port);
		pt->dstlen = sizeof(pt->dst.in);
	} else {
		pt->dst.in6.sin6_family = AF_INET6;
		memcpy(&pt->dst.in6.sin6_addr, tg->addr, 16);
		pt->dst.in6.sin6_port = htons(sp->port);
		pt->dstlen = sizeof(pt->dst.in6);
	}
	if (sp->proto == PROBE_ICMP) {
		if ((err = raw_get(pr, pt->src, tg->family)) < 0)
			return err;
	} else {
		const struct node *owner = tg->to_node ? topo_node_find(pr->t, tg->to_node) :
				probe_addr_owner(pr->t, tg->family, tg->addr);
		struct pns *dns;

		if (owner) {
			if ((err = pns_get(pr, owner->name, &dns)) < 0)
				return err;
			res->server = probe_listen(&pr->ls, dns->fd, sp->proto, sp->port, tg->family);
			res->server_node = owner->name;
		}
	}
	pt->ex = xcalloc(sp->count ? sp->count : 1, sizeof(*pt->ex));
	for (size_t i = 0; i < sp->count; i++) {
		pt->ex[i].pt = pt;
		pt->ex[i].fd = -1;
	}
	if (sp->count == 0) {
		snprintf(res->reason, sizeof(res->reason), "count is 0");
		pt->done = true;
	}
	return 0;
}

static void prober_free(struct prober *pr)
{
	size_t i;

	for (i = 0; i < pr->n_pts; i++) {
		struct ptask *pt = &pr->pts[i];

		for (size_t j = 0; pt->ex && j < pt->spec->count; j++)
			if (pt->ex[j].fd >= 0)
				close(pt->ex[j].fd);
		free(pt->ex);
	}
	probe_listen_close(&pr->ls);
	for (i = 0; pr->ns && i < pr->t->n_nodes; i++) {
		for (int f = 0; f < 2; f++)
			if (pr->ns[i].raw[f]) {
				close(pr->ns[i].raw[f]->fd);
				free(pr->ns[i].raw[f]);
			}
		if (pr->ns[i].fd >= 0)
			close(pr->ns[i].fd);
	}
	if (pr->loop)
		ev_loop_destroy(pr->loop);
	free(pr->ns);
	free(pr->pts);
	free(pr->wait);
	free(pr->tokens);
}

/* probe_execute - run the targets in RES (tg filled in), filling in the rest. */
static int probe_execute(const struct topology *t, struct probe_result *res, size_t n,
			 uint64_t *elapsed, char *err, size_t errlen)
{
	struct prober pr = { .t = t, .err = err, .errlen = errlen };
	size_t i;
	int r = 0;

	raise_nofile();
	pr.loop = ev_loop_new(EVBACKEND_EPOLL);
	if (!pr.loop)
		pr.loop = ev_loop_new(EVFLAG_AUTO);
	if (!pr.loop) {
		snprintf(err, errlen, "cannot create an event loop");
		return -ENOMEM;
	}
	pr.ls.loop = pr.loop;
	if (getrandom(pr.cookie, sizeof(pr.cookie), 0) != sizeof(pr.cookie) ||
	    getrandom(&pr.id_base, sizeof(pr.id_base), 0) != sizeof(pr.id_base)) {
		uint64_t x = now_us() ^ (uint64_t)getpid() << 32;

		memcpy(pr.cookie, &x, sizeof(pr.cookie));
		pr.id_base = (uint16_t)(x >> 7);
	}
	pr.ns = xcalloc(t->n_nodes ? t->n_nodes : 1, sizeof(*pr.ns));
	for (i = 0; i < t->n_nodes; i++)
		pr.ns[i].fd = -1;
	pr.pts = xcalloc(n ? n : 1, sizeof(*pr.pts));
	pr.n_pts = n;
	pr.wait = xcalloc(n ? n : 1, sizeof(*pr.wait));
	pr.inflight_max = INFLIGHT_MAX;
	if (getenv("TOPO_PROBE_INFLIGHT"))	/* for the benchmark's experiments */
		pr.inflight_max = strtoul(getenv("TOPO_PROBE_INFLIGHT"), NULL, 10) ?: 1;
	/* Listeners and sockets first, so that no probe starts before every server is up. */
	for (i = 0; i < n; i++) {
		r = task_setup(&pr, &pr.pts[i], &res[i]);
		if (r < 0)
			goto out;
	}
	pr.t0 = now_us();
	for (i = 0; i < n; i++)
		pr.running += !pr.pts[i].done;
	for (i = 0; i < n; i++)
		if (!pr.pts[i].done)
			attempt_start(&pr.pts[i]);
	if (pr.running)
		ev_run(pr.loop, 0);
	*elapsed = now_us() - pr.t0;
out:
	prober_free(&pr);
	return r;
}

int probe_lab(const struct topology *t, const struct probe_opts *o, FILE *out, char *err,
	      size_t errlen)
{
	struct probe_target *tg = NULL;
	struct probe_run run = { .t = t };
	size_t n = 0, i;
	FILE *f;
	int r;

	r = probe_expand(t, &tg, &n, err, errlen);
	if (r < 0)
		return r;
	run.res = xcalloc(n ? n : 1, sizeof(*run.res));
	run.n = n;
	for (i = 0; i < n; i++)
		run.res[i].tg = tg[i];
	r = probe_execute(t, run.res, n, &run.elapsed_us, err, errlen);
	if (r < 0)
		goto out;
	if (o && o->json)
		probe_report_json(&run, out);
	else
		probe_report_table(&run, out);
	fflush(out);
	if (o && o->junit_path) {
		f = fopen(o->junit_path, "w");
		if (!f) {
			r = -errno;
			snprintf(err, errlen, "cannot write %s: %s", o->junit_path, strerror(errno));
			goto out;
		}
		probe_report_junit(&run, f);
		if (fclose(f) != 0) {
			r = -errno;
			snprintf(err, errlen, "cannot write %s: %s", o->junit_path, strerror(errno));
			goto out;
		}
	}
	r = probe_run_failed(&run) ? 3 : 0;
out:
	free(run.res);
	free(tg);
	return r;
}
