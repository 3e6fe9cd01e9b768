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
 * itself when nothing else does (probe_listen.c). The sources, their
 * namespaces and sockets, are probe_ns.c's.
 *
 * libev types never leave this file, probe_ns.c, probe_listen.c and the
 * prober's private headers (probe_int.h, probe_loop.h).
 */
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ev.h>

#include "host.h"
#include "netns.h"
#include "probe.h"
#include "probe_int.h"
#include "probe_loop.h"
#include "util.h"

#define RETRY_GAP_US 100000	/* at least this between two attempts under `within` */
/*
 * At most this many exchanges in flight. A burst of first packets is a burst
 * of ARP/ND broadcasts, each flooded to every port of a bridge; unpaced, a
 * 100-host lab overflows the per-CPU backlog (net.core.netdev_max_backlog),
 * loses resolutions and waits the 1 s ARP retransmit: probes time out on a
 * healthy lab. Replies free slots within microseconds, so the cap costs little.
 */
#define INFLIGHT_MAX 256
#define PAYLOAD_LEN (COOKIE_LEN + 8)	/* the least a payload carries: cookie and token */
#define PACKET_MAX (8 + PROBE_SIZE_MAX_V6)

static void attempt_check(struct ptask *pt);
static void wait_drain(struct prober *pr);

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

/* End EX: REPLY, or not (an error already in the result, or a timeout); free its slot. */
static void ex_finish(struct exchange *ex, bool reply)
{
	struct ptask *pt = ex->pt;
	struct prober *pr;
	struct probe_result *r;

	if (!pt)
		return;
	pr = pt->pr;
	r = pt->res;
	if (reply) {
		uint64_t rtt = now_us() - ex->sent_us;

		if (!r->received || rtt < r->rtt_min_us)
			r->rtt_min_us = rtt;
		if (rtt > r->rtt_max_us)
			r->rtt_max_us = rtt;
		pt->rtt_sum += rtt;
		r->received++;
	}
	if (ex->fd >= 0) {
		ev_io_stop(pr->loop, &ex->io);
		close(ex->fd);
		ex->fd = -1;
	}
	ev_timer_stop(pr->loop, &ex->tm);
	ex->pt = NULL;
	pr->free_slots[pr->n_free++] = (uint32_t)(ex - pr->slots);
	pt->open--;
	pr->inflight--;
	/* Inside attempt_check() (a send that failed at once), it sees this itself. */
	if (!pt->busy)
		attempt_check(pt);
	wait_drain(pr);
}

static void ex_timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	ex_finish(container_of(w, struct exchange, tm), false);
}

/* EX failed: the first failure of an attempt is its reason, kept in the result. */
static void ex_error(struct exchange *ex, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ex_error(struct exchange *ex, const char *fmt, ...)
{
	struct probe_result *r;
	va_list ap;

	if (!ex->pt)
		return;
	r = ex->pt->res;
	if (!r->reason[0]) {
		va_start(ap, fmt);
		vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
		va_end(ap);
	}
	ex_finish(ex, false);
}

/* An errno from sending or connecting, in words that say where it happened; MTU: what the
 * kernel said of the path's MTU, in words, or "". */
static void ex_errno_mtu(struct exchange *ex, int e, const char *mtu)
{
	if (e == ECONNREFUSED)
		ex_error(ex, "connection refused");
	else if (e == ETIMEDOUT)
		ex_error(ex, "timeout");
	else if (e == EMSGSIZE && ex->pt->spec->df)
		ex_error(ex, "%s (in %s): a %zu-byte packet with DF is over the MTU of its route%s",
			 strerror(e), ex->pt->src->node,
			 probe_packet_len(ex->pt->spec, ex->pt->res->tg.family), mtu);
	else
		ex_error(ex, "%s (in %s)", strerror(e), ex->pt->src->node);
}

static void ex_errno(struct exchange *ex, int e)
{
	ex_errno_mtu(ex, e, "");
}

/* An ICMP error TYPE/CODE about EX, sent by FROM. */
static void ex_icmp_error(struct exchange *ex, int family, int type, int code, uint32_t mtu,
			  const uint8_t *from)
{
	char text[128];

	ex_error(ex, "%s", probe_icmp_error_text(family, type, code, mtu, from, text, sizeof(text)));
}

/* ---- ICMP ---- */

/* A free slot for an exchange of PT, with a fresh token: 16 bits of slot, 16 of generation. */
static struct exchange *ex_new(struct prober *pr, struct ptask *pt)
{
	uint32_t i = pr->free_slots[--pr->n_free];
	struct exchange *ex = &pr->slots[i];

	ex->pt = pt;
	ex->gen++;
	ex->token = (uint32_t)ex->gen << 16 | i;
	ex->fd = -1;
	pr->inflight++;
	return ex;
}

/* The exchange that an echo with ID/SEQ (and, if non-NULL, PAYLOAD) belongs to. */
static struct exchange *token_find(struct prober *pr, uint16_t id, uint16_t seq,
				   const uint8_t *payload, size_t len)
{
	uint32_t tok = (uint32_t)((uint16_t)(id - pr->id_base)) << 16 | seq;
	struct exchange *ex;

	if (seq >= pr->inflight_max)
		return NULL;
	ex = &pr->slots[seq];
	if (ex->token != tok || !ex->pt)
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
	struct rawsock *rs = pt->src->raw[RAW_IDX(family, pt->spec->df)];
	size_t len = probe_payload_len(pt->spec);
	uint16_t id = (uint16_t)(pr->id_base + (ex->token >> 16)), seq = (uint16_t)ex->token;

	probe_payload_fill(pr->payload, len, pr->cookie, ex->token);
	probe_icmp_echo(pr->pkt, family, id, seq, pr->payload, len);
	if (sendto(rs->fd, pr->pkt, 8 + len, 0, &pt->dst.sa, pt->dstlen) < 0)
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
		ex_finish(ex, true);
	else
		ex_icmp_error(ex, family, m.type, m.code, m.mtu, m.from);
}

void probe_raw_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct rawsock *rs = container_of(w, struct rawsock, io);
	uint8_t buf[2048];
	struct sockaddr_in6 from6;
	socklen_t fl;
	ssize_t n;
	int budget = 256;	/* let timers and other sockets run in a flood */

	rs->pr->raw_busy = rs;
	while (budget-- > 0 && rs->fd >= 0) {
		fl = sizeof(from6);
		n = recvfrom(rs->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from6, &fl);
		if (n < 0)
			break;
		raw_input(rs->pr, rs->family, buf, (size_t)n, from6.sin6_addr.s6_addr);
	}
	rs->pr->raw_busy = NULL;
	if (rs->fd < 0)		/* closed by probe_ns_release meanwhile */
		free(rs);
}

/* ---- TCP and UDP ---- */

/* The first error queued on EX's socket (IP_RECVERR) as its failure; false if none. */
static bool errqueue_reason(struct exchange *ex)
{
	char why[128];
	int r = probe_icmp_errqueue(ex->fd, why, sizeof(why));

	if (r < 0)
		ex_errno_mtu(ex, -r, why);
	else if (r > 0)
		ex_error(ex, "%s", why);
	return r != 0;
}

static void tcp_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct exchange *ex = container_of(w, struct exchange, io);
	int e = 0;
	socklen_t l = sizeof(e);

	if (getsockopt(ex->fd, SOL_SOCKET, SO_ERROR, &e, &l) < 0)
		e = errno;
	if (e == 0)
		ex_finish(ex, true);
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
		ex_finish(ex, true);
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
	size_t len = probe_payload_len(pt->spec);
	int fd, err;

	fd = probe_ns_socket(pt->src, family, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
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
		if ((err = probe_sock_df(fd, family, pt->spec->df)) < 0) {
			ex_error(ex, "don't fragment: %s", strerror(-err));
			return;
		}
	}
	ev_io_init(&ex->io, udp ? udp_cb : tcp_cb, fd, udp ? EV_READ : EV_WRITE);
	if (connect(fd, &pt->dst.sa, pt->dstlen) < 0 && errno != EINPROGRESS) {
		ex_errno(ex, errno);
		return;
	}
	if (udp) {
		probe_payload_fill(pr->payload, len, pr->cookie, ex->token);
		if (send(fd, pr->payload, len, 0) < 0) {
			int e = errno;	/* errqueue_reason's recvmsg may change it */

			if (!errqueue_reason(ex))
				ex_errno(ex, e);
			return;
		}
	}
	ev_io_start(pr->loop, &ex->io);
}

/* ---- attempts ---- */

static void start_more(struct prober *pr);

static void task_done(struct ptask *pt)
{
	struct prober *pr = pt->pr;

	pt->done = true;
	ev_timer_stop(pr->loop, &pt->tm);
	pt->res->elapsed_us = now_us() - pr->t0;
	if (pt->lsn)
		probe_listen_put(&pr->ls, pt->lsn);
	pt->lsn = NULL;
	if (pt->acquired)
		probe_ns_release(pr, pt->src, pt->spec->proto != PROBE_ICMP);
	pt->acquired = false;
	if (--pr->running == 0)
		ev_break(pr->loop, EVBREAK_ALL);
	else
		start_more(pr);
}

static void attempt_start(struct ptask *pt)
{
	struct probe_result *r = pt->res;

	r->attempts++;
	r->received = 0;
	r->rtt_min_us = r->rtt_max_us = 0;
	r->reason[0] = '\0';
	pt->rtt_sum = 0;
	pt->attempt_start = now_us();
	pt->next = 0;
	pt->open = 0;
	attempt_check(pt);
}

static void attempt_end(struct ptask *pt)
{
	struct prober *pr = pt->pr;
	uint64_t now = now_us(), at;

	pt->res->passed = probe_judge(pt->spec, pt->res, pt->rtt_sum);
	/* `within` counts from the task's own start: a task of a later wave gets its full time. */
	if (pt->res->passed || now - pt->start_us >= pt->spec->within_us) {
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

/* Start EX of PT: its timeout, then the echo, connect or datagram. */
static void ex_start(struct ptask *pt, struct exchange *ex)
{
	ex->sent_us = now_us();
	pt->open++;
	ev_timer_set(&ex->tm, (double)pt->spec->timeout_us / 1e6, 0.);
	ev_timer_start(pt->pr->loop, &ex->tm);
	if (pt->spec->proto == PROBE_ICMP)
		icmp_send(ex);
	else
		stream_send(ex);
}

/* Move an attempt on: start what is due, finish or sleep (each exchange times itself out). */
static void attempt_check(struct ptask *pt)
{
	struct prober *pr = pt->pr;
	const struct probe_spec *sp = pt->spec;
	uint64_t now = now_us(), due;

	if (pt->done)
		return;
	pt->busy = true;
	while (pt->next < sp->count && pr->n_free &&
	       pt->attempt_start + (uint64_t)pt->next * sp->interval_us <= now) {
		pt->next++;
		ex_start(pt, ex_new(pr, pt));
	}
	pt->busy = false;
	if (pt->next >= sp->count && pt->open == 0) {
		attempt_end(pt);
		return;
	}
	ev_timer_stop(pr->loop, &pt->tm);
	if (pt->next >= sp->count)
		return;		/* the last exchanges' timers or answers move it on */
	due = pt->attempt_start + (uint64_t)pt->next * sp->interval_us;
	if (due <= now) {	/* due, but no slot: wait for one */
		wait_push(pr, pt);
		return;
	}
	ev_timer_set(&pt->tm, (double)(due - now) / 1e6, 0.);
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

/* Where PT probes: its row says why when it cannot. True: it can run. */
static bool task_aim(struct ptask *pt)
{
	const struct probe_target *tg = &pt->res->tg;

	if (probe_target_unprobed(tg, pt->spec, pt->res->reason, sizeof(pt->res->reason)))
		return false;
	if (!pt->src) {	/* the host, with no end to send it through: never its own routes */
		snprintf(pt->res->reason, sizeof(pt->res->reason),
			 "not probed: no host end here to send it through");
		return false;
	}
	pt->dst.sa.sa_family = (sa_family_t)tg->family;
	if (tg->family == AF_INET) {
		memcpy(&pt->dst.in.sin_addr, tg->addr, 4);
		pt->dst.in.sin_port = htons(pt->spec->port);
		pt->dstlen = sizeof(pt->dst.in);
	} else {
		memcpy(&pt->dst.in6.sin6_addr, tg->addr, 16);
		pt->dst.in6.sin6_port = htons(pt->spec->port);
		pt->dstlen = sizeof(pt->dst.in6);
	}
	return true;
}

/* A link-local target: the index, in the source's namespace, of its interface on the link. */
static int task_scope(struct prober *pr, struct ptask *pt)
{
	struct pns *ns = pt->src;
	int r;

	if (ns->fd < 0 && (r = probe_ns_open(pr, ns)) < 0)
		return r;
	r = netns_ifindex(ns->fd, pt->res->tg.scope);
	if (!ns->streams)
		probe_ns_close_fd(pr, ns);
	if (r < 0) {
		snprintf(pr->err, pr->errlen, "node %s: interface %s: %s", ns->node,
			 pt->res->tg.scope, strerror(-r));
		return r;
	}
	pt->dst.in6.sin6_scope_id = (uint32_t)r;
	return 0;
}

/* The listener that serves PT's target port: topo's own, unless a server already does. */
static int task_listen(struct prober *pr, struct ptask *pt)
{
	const struct probe_target *tg = &pt->res->tg;
	const struct node *owner = tg->to_node ? topo_node_find(pr->t, tg->to_node) :
			probe_addr_owner(pr->t, tg->family, tg->addr);
	struct pns *dns;
	int err;

	if (!owner || !host_here(pr->t, owner->name))	/* another host's: a server there */
		return 0;
	dns = &pr->ns[owner - pr->t->nodes];
	pt->res->server_node = owner->name;
	pt->lsn = probe_listen_get(&pr->ls, (size_t)(dns - pr->ns), pt->spec->proto,
				   pt->spec->port, tg->family, &pt->res->server);
	if (pt->lsn)
		return 0;
	if (dns->fd < 0 && (err = probe_ns_open(pr, dns)) < 0)
		return err;
	pt->lsn = probe_listen(&pr->ls, (size_t)(dns - pr->ns), dns->fd, pt->spec->proto,
			       pt->spec->port, tg->family, &pt->res->server);
	if (!dns->streams)
		probe_ns_close_fd(pr, dns);
	return 0;
}

/* Start PT: make its sockets and its server, then its first attempt. 0, or -errno. */
static int task_start(struct prober *pr, struct ptask *pt)
{
	bool stream = pt->spec->proto != PROBE_ICMP;
	int err;

	pt->started = true;
	pt->start_us = now_us();
	if (!task_aim(pt)) {
		task_done(pt);
		return 0;
	}
	if ((err = probe_ns_acquire(pr, pt->src, stream, pt->res->tg.family, pt->spec->df)) < 0)
		return err;
	pt->acquired = true;
	if (pt->res->tg.scope && (err = task_scope(pr, pt)) < 0)
		return err;
	if (stream && (err = task_listen(pr, pt)) < 0)
		return err;
	attempt_start(pt);
	return 0;
}

/*
 * Start tasks in file order while the descriptors allow: a task may need a namespace fd, two
 * raw sockets and a listener (with its namespace fd for a moment). A task ending makes room
 * for the next, so sources run in waves.
 */
static void start_more(struct prober *pr)
{
	int err;

	if (pr->starting)
		return;
	pr->starting = true;
	while (pr->next_start < pr->n_pts && !pr->fatal &&
	       (pr->fds + pr->ls.n_open + TASK_FDS <= pr->fd_budget ||
		pr->running == pr->n_pts - pr->next_start)) {
		if (pr->stop && *pr->stop)
			break;
		err = task_start(pr, &pr->pts[pr->next_start++]);
		if (err < 0) {
			pr->fatal = err;
			ev_break(pr->loop, EVBREAK_ALL);
		}
	}
	pr->starting = false;
}

/* Each turn of the loop ends in this check: a signal (its handler set *pr->stop) ends the run. */
static void stop_check_cb(struct ev_loop *loop, ev_check *w, int revents)
{
	struct prober *pr = container_of(w, struct prober, stop_check);

	if (pr->stop && *pr->stop)
		ev_break(loop, EVBREAK_ALL);
}

/* Wakes the loop for the check (a signal just before epoll_wait ends it too); reports progress. */
static void stop_tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct prober *pr = container_of(w, struct prober, stop_tick);

	if (pr->o && pr->o->progress)
		pr->o->progress(pr->n_pts - pr->running, pr->n_pts, "probing:",
				pr->o->progress_arg);
}

static void prober_free(struct prober *pr)
{
	size_t i;

	for (i = 0; i < pr->inflight_max && pr->slots; i++)
		if (pr->slots[i].fd >= 0)
			close(pr->slots[i].fd);
	for (i = 0; i < pr->n_pts; i++)
		if (pr->pts[i].lsn)
			probe_listen_put(&pr->ls, pr->pts[i].lsn);
	probe_listen_close(&pr->ls);
	probe_ns_free(pr);
	if (pr->loop)
		ev_loop_destroy(pr->loop);
	free(pr->pts);
	free(pr->wait);
	free(pr->slots);
	free(pr->free_slots);
	free(pr->payload);
	free(pr->pkt);
}

/* The loop, the pool of exchanges and the tasks of a run of N targets in RES. */
static int prober_init(struct prober *pr, struct probe_result *res, size_t n)
{
	const struct topology *t = pr->t;
	size_t i;

	pr->loop = ev_loop_new(EVBACKEND_EPOLL);
	if (!pr->loop)
		pr->loop = ev_loop_new(EVFLAG_AUTO);
	if (!pr->loop) {
		snprintf(pr->err, pr->errlen, "cannot create an event loop");
		return -ENOMEM;
	}
	pr->ls.loop = pr->loop;
	if (getrandom(pr->cookie, sizeof(pr->cookie), 0) != sizeof(pr->cookie) ||
	    getrandom(&pr->id_base, sizeof(pr->id_base), 0) != sizeof(pr->id_base)) {
		uint64_t x = now_us() ^ (uint64_t)getpid() << 32;

		memcpy(pr->cookie, &x, sizeof(pr->cookie));
		pr->id_base = (uint16_t)(x >> 7);
	}
	probe_ns_init(pr);
	pr->inflight_max = INFLIGHT_MAX;
	if (getenv("TOPO_PROBE_INFLIGHT"))	/* for the benchmark's experiments */
		pr->inflight_max = strtoul(getenv("TOPO_PROBE_INFLIGHT"), NULL, 10) ?: 1;
	if (pr->inflight_max > 65536)	/* the slot is the 16-bit sequence number */
		pr->inflight_max = 65536;
	probe_fd_plan(probe_nofile(), probe_fds_open(), &pr->inflight_max, &pr->fd_budget);
	pr->payload = xmalloc(PACKET_MAX);
	pr->pkt = xmalloc(PACKET_MAX);
	pr->slots = xcalloc(pr->inflight_max, sizeof(*pr->slots));
	pr->free_slots = xcalloc(pr->inflight_max, sizeof(*pr->free_slots));
	for (i = 0; i < pr->inflight_max; i++) {
		pr->slots[i].fd = -1;
		ev_init(&pr->slots[i].tm, ex_timeout_cb);
		pr->free_slots[pr->n_free++] = (uint32_t)(pr->inflight_max - 1 - i);
	}
	pr->pts = xcalloc(n ? n : 1, sizeof(*pr->pts));
	pr->n_pts = n;
	pr->wait = xcalloc(n ? n : 1, sizeof(*pr->wait));
	for (i = 0; i < n; i++) {
		struct ptask *pt = &pr->pts[i];

		pt->pr = pr;
		pt->res = &res[i];
		pt->spec = &t->probes[res[i].tg.spec];
		pt->src = probe_ns_source(pr, &res[i].tg);
		ev_init(&pt->tm, task_timer_cb);
	}
	return 0;
}

/* probe_execute - run the targets in RES (tg filled in), filling in the rest. -EINTR when
 * *O->stop became set. */
static int probe_execute(const struct topology *t, struct probe_result *res, size_t n,
			 const struct probe_opts *o, uint64_t *elapsed, char *err, size_t errlen)
{
	volatile sig_atomic_t *stop = o ? o->stop : NULL;
	struct prober pr = { .t = t, .err = err, .errlen = errlen, .stop = stop, .o = o };
	int r;

	r = prober_init(&pr, res, n);
	if (r == 0)
		r = probe_ns_check(&pr);
	if (r < 0)
		goto out;
	ev_check_init(&pr.stop_check, stop_check_cb);
	ev_check_start(pr.loop, &pr.stop_check);
	ev_timer_init(&pr.stop_tick, stop_tick_cb, 0.05, 0.05);
	ev_timer_start(pr.loop, &pr.stop_tick);
	pr.t0 = now_us();
	pr.running = n;
	start_more(&pr);
	if (pr.running && !pr.fatal && !(stop && *stop))
		ev_run(pr.loop, 0);
	*elapsed = now_us() - pr.t0;
	r = pr.fatal;
	if (stop && *stop) {
		snprintf(err, errlen, "stopped by signal %d", (int)*stop);
		r = -EINTR;
	}
out:
	prober_free(&pr);
	return r;
}

int probe_measure(const struct topology *t, const struct probe_opts *o, struct probe_run *run,
		  char *err, size_t errlen)
{
	struct probe_target *tg = NULL;
	size_t n = 0, i;
	int r;

	memset(run, 0, sizeof(*run));
	run->t = t;
	if ((r = probe_expand(t, &tg, &n, err, errlen)) < 0)
		return r;
	run->res = xcalloc(n ? n : 1, sizeof(*run->res));
	run->n = n;
	for (i = 0; i < n; i++)
		run->res[i].tg = tg[i];
	free(tg);
	r = probe_execute(t, run->res, n, o, &run->elapsed_us, err, errlen);
	if (r < 0) {
		free(run->res);
		run->res = NULL;
	}
	return r;
}
