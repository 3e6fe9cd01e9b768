/* SPDX-License-Identifier: MIT */
#ifndef TOPO_PROBE_LOOP_H
#define TOPO_PROBE_LOOP_H

/*
 * The prober's run, shared by probe.c (exchanges, attempts, the run) and
 * probe_ns.c (the sources: their namespaces and sockets). With probe_int.h
 * and probe_listen.c, the only places where a libev type appears.
 */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <ev.h>

#include "netns.h"
#include "probe.h"
#include "probe_int.h"
#include "topology.h"

#define TASK_FDS 5	/* the most a task adds: namespace fd, 2 raw sockets, listener + its fd */
#define COOKIE_LEN PROBE_COOKIE_LEN
/* The raw socket of FAMILY, with DF or not: DF is a socket option, and the socket is shared. */
#define RAW_IDX(family, df) (((family) == AF_INET6 ? 2 : 0) + !!(df))

struct prober;

/*
 * A namespace that the run uses, by node index, then one per host end that
 * the host probes through (probe_ns_host.c). Its sockets exist only while
 * a task from it runs (see start_more): a 10,000-node lab does not hold a
 * descriptor per node at once.
 */
struct pns {
	const char *node;
	char name[TOPO_NSNAME_MAX + 1];
	int fd;			/* held only while a tcp/udp task runs from here; else -1 */
	struct rawsock *raw[4];	/* ICMP, IPv4 and IPv6, without and with DF: RAW_IDX */
	uint32_t active;	/* started tasks from here that are not done */
	uint32_t streams;	/* of them, tcp and udp: they make a socket per exchange */
	const char *bind;	/* the host: the host end its sockets are bound to; else NULL */
	int ifindex;		/* the host: BIND's index, once known to be the lab's; else 0 */
};

struct rawsock {
	ev_io io;
	int fd, family;
	struct prober *pr;
};

/*
 * One echo, connect or datagram in flight: a slot of a pool of inflight_max,
 * so that memory does not grow with count x targets. What an exchange found
 * goes into its task's running totals when it ends.
 */
struct exchange {
	struct ptask *pt;	/* NULL: a free slot */
	uint32_t token;		/* generation << 16 | slot: a late answer to a reused slot misses */
	uint16_t gen;
	int fd;			/* tcp and udp: its own socket; -1 otherwise */
	ev_io io;
	ev_timer tm;		/* its timeout */
	uint64_t sent_us;
};

/* One target. */
struct ptask {
	struct prober *pr;
	struct probe_result *res;
	const struct probe_spec *spec;
	struct pns *src;
	struct listener *lsn;	/* topo's server on the target, or NULL */
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} dst;
	socklen_t dstlen;
	ev_timer tm;
	uint64_t start_us, attempt_start, rtt_sum;
	uint32_t next;		/* the next exchange of this attempt to start */
	uint32_t open;		/* started and still pending */
	bool busy;		/* in attempt_check() */
	bool queued;		/* waiting in prober.wait for a free slot */
	bool started, acquired, done;
};

struct prober {
	struct ev_loop *loop;
	const struct topology *t;
	struct pns *ns;		/* one per node, then one per host end made here */
	size_t n_ns;
	struct ptask *pts;
	size_t n_pts;
	size_t next_start;	/* tasks start in file order, as descriptors allow */
	struct probe_listeners ls;
	struct exchange *slots;	/* inflight_max of them */
	uint32_t *free_slots;	/* a stack of free slot numbers */
	size_t n_free;
	uint16_t id_base;
	uint8_t cookie[COOKIE_LEN];
	uint8_t *payload, *pkt;	/* PACKET_MAX each: one exchange sends at a time */
	size_t inflight, inflight_max;	/* exchanges sent and not yet over */
	size_t fds;		/* held by namespaces: raw sockets and namespace fds */
	size_t fd_budget;	/* for namespaces and listeners, beside inflight_max sockets */
	struct ptask **wait;	/* tasks with an exchange due but no slot: a FIFO ring */
	size_t wait_head, wait_len;
	bool draining, starting;
	struct rawsock *raw_busy;	/* the one raw_cb is reading */
	uint64_t t0;
	size_t running;
	volatile sig_atomic_t *stop;
	ev_check stop_check;
	ev_timer stop_tick;
	const struct probe_opts *o;	/* its progress callback; may be NULL */
	int fatal;		/* -errno that ended the run, with err set */
	char *err;
	size_t errlen;
};

/* probe_raw_cb - read what came to a raw ICMP socket: the answers to the run's echoes. */
void probe_raw_cb(struct ev_loop *loop, ev_io *w, int revents);

/* probe_ns_init - a source for every node of PR->t into PR->ns, none of them open. */
void probe_ns_init(struct prober *pr);

/* probe_ns_source - the source of target TG. */
struct pns *probe_ns_source(struct prober *pr, const struct probe_target *tg);

/* probe_ns_free - close and free every source of PR. */
void probe_ns_free(struct prober *pr);

/* probe_ns_error - ERR (-errno) of opening the namespace of NS into pr->err; returns ERR. */
int probe_ns_error(struct prober *pr, const struct pns *ns, int err);

/* probe_ns_open - open the namespace of NS into ns->fd. 0, or -errno with pr->err set. */
int probe_ns_open(struct prober *pr, struct pns *ns);

/* probe_ns_close_fd - close ns->fd, if open. */
void probe_ns_close_fd(struct prober *pr, struct pns *ns);

/* probe_ns_socket - a non-blocking socket(DOMAIN, TYPE, PROTO) inside NS. The fd, or -errno. */
int probe_ns_socket(struct pns *ns, int domain, int type, int proto);

/*
 * probe_ns_acquire - a task of NS starts: make what it needs there (the raw socket of FAMILY
 * for icmp; the namespace fd, kept, for tcp and udp, which make a socket per exchange). The
 * namespace fd is closed as soon as nothing needs it. 0, or -errno with pr->err set.
 */
int probe_ns_acquire(struct prober *pr, struct pns *ns, bool stream, int family, bool df);

/* probe_ns_release - a task of NS ended: close what no running task needs any more. */
void probe_ns_release(struct prober *pr, struct pns *ns, bool stream);

/*
 * probe_ns_check - every host end that the run uses is the lab's, and every namespace that a
 * later wave will use exists: say so before any probe starts (a run within the budget opens
 * them all at once anyway). 0, or -errno with pr->err set.
 */
int probe_ns_check(struct prober *pr);

/* probe_ns_host_count - how many host ends of T this run's host makes: a source each. */
size_t probe_ns_host_count(const struct topology *t);

/* probe_ns_host_init - the host's sources, one per host end made here, from FIRST on. */
void probe_ns_host_init(struct prober *pr, struct pns *first);

/* probe_ns_host_find - the host's source bound to host end BIND, or NULL. */
struct pns *probe_ns_host_find(struct prober *pr, const char *bind);

/*
 * probe_ns_host_verify - is host end ns->bind the lab's (alias "topo:<lab>")? Its index into
 * ns->ifindex: 0, or -errno with pr->err set.
 */
int probe_ns_host_verify(struct prober *pr, struct pns *ns);

/*
 * probe_ns_host_open - the host's namespace into ns->fd, the first time after making sure that
 * host end ns->bind is the lab's (its index into ns->ifindex). 0, or -errno with pr->err set.
 */
int probe_ns_host_open(struct prober *pr, struct pns *ns);

/* probe_ns_host_bind - bind socket FD to the host end of NS, whose index is known. 0, or -errno. */
int probe_ns_host_bind(const struct pns *ns, int fd);

#endif
