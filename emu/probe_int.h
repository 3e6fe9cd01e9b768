/* SPDX-License-Identifier: MIT */
#ifndef TOPO_PROBE_INT_H
#define TOPO_PROBE_INT_H

/*
 * Private to the prober's files (probe.c, probe_ns.c, probe_listen.c,
 * probe_icmp.c): with probe_loop.h, the only place besides probe.c,
 * probe_ns.c and probe_listen.c where a libev type may appear.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe.h"

/* The struct that holds MEMBER at PTR: from a libev watcher to its owner. */
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

struct ev_loop;
struct listener;

/* topo's own servers on the targets of a run (probe_listen.c). */
struct probe_listeners {
	struct ev_loop *loop;	/* the run's: the servers answer from it */
	struct listener **v;
	size_t n;
	size_t n_open;		/* descriptors they hold */
};

/*
 * probe_listen_get - take a reference on the server of PROTO/PORT/FAMILY in the namespace
 * known as KEY, if one is open, and its kind into *KIND; NULL if there is none yet.
 */
struct listener *probe_listen_get(struct probe_listeners *ls, size_t key, int proto,
				  uint16_t port, int family, enum probe_server *kind);

/*
 * probe_listen - serve PROTO/PORT/FAMILY in namespace NS_FD (known as KEY; NS_FD may be
 * closed after), unless something there already does; a reference to give back with
 * probe_listen_put. Its kind into *KIND: PROBE_SERVER_TOPO, topo listens; PROBE_SERVER_USER,
 * the port is taken, by a server that answers for itself; PROBE_SERVER_NONE, neither could be
 * set up.
 */
struct listener *probe_listen(struct probe_listeners *ls, size_t key, int ns_fd, int proto,
			      uint16_t port, int family, enum probe_server *kind);

/* probe_listen_put - drop a reference to L; the last one closes and frees it. */
void probe_listen_put(struct probe_listeners *ls, struct listener *l);

/* probe_listen_close - close and free every server of LS. */
void probe_listen_close(struct probe_listeners *ls);

/* What a packet read on a raw ICMP socket says about one of our echoes. */
enum probe_echo_kind {
	PROBE_ECHO_NONE,	/* nothing: not an echo reply, nor an error quoting an echo */
	PROBE_ECHO_REPLY,
	PROBE_ECHO_ERROR,	/* an ICMP error quoting an echo request */
};

struct probe_echo_msg {
	uint16_t id, seq;	/* of the echo: the reply's own, or those the error quotes */
	const uint8_t *data;	/* reply: its payload, inside the packet */
	size_t len;
	uint8_t peer[16];	/* reply: who answered; error: where the quoted echo went */
	uint8_t from[16];	/* error: who sent it */
	int type, code;		/* error: its ICMP type and code */
	uint32_t mtu;		/* ICMPv6 packet too big */
};

/* probe_icmp_echo - an echo request of FAMILY with ID, SEQ and DATA (LEN bytes) into PKT
 * (8 + LEN bytes); the kernel fills in the ICMPv6 checksum. */
void probe_icmp_echo(uint8_t *pkt, int family, uint16_t id, uint16_t seq, const uint8_t *data,
		     size_t len);

/* probe_icmp_parse - read packet B (N bytes) from a raw socket of FAMILY into *M: IPv4 with
 * its IP header, ICMPv6 without, sent by FROM (IPv6 only: the IPv4 header has it). */
enum probe_echo_kind probe_icmp_parse(int family, const uint8_t *b, size_t n, const uint8_t *from,
				      struct probe_echo_msg *m);

/* probe_icmp_error_text - ICMP error TYPE/CODE of FAMILY sent by FROM, in words, into BUF. */
const char *probe_icmp_error_text(int family, int type, int code, uint32_t mtu,
				  const uint8_t *from, char *buf, size_t len);

/* probe_icmp_setup - big buffers for raw ICMP socket FD of FAMILY, which passes only what
 * answers an echo. */
void probe_icmp_setup(int fd, int family);

/*
 * probe_icmp_errqueue - the first error queued on FD (IP_RECVERR): 1 with an ICMP error in
 * words in WHY, -errno for a local error (WHY: " (MTU)" for an EMSGSIZE that names the
 * route's MTU, else ""), 0 when none is queued.
 */
int probe_icmp_errqueue(int fd, char *why, size_t len);

/* probe_nofile - the most descriptors this process may open, its soft limit raised to the hard. */
size_t probe_nofile(void);

/* probe_fds_open - how many descriptors the process has open now. */
size_t probe_fds_open(void);

/*
 * probe_fd_plan - share LIMIT descriptors of which OPEN are taken: a margin for the rest of the
 * process (16 + LIMIT/32), then at most half of what is left for the sockets of exchanges in
 * flight (*INFLIGHT_MAX, lowered to fit) and the rest for the namespaces and listeners of
 * running targets (*BUDGET). At least 16 are shared even when the margin leaves fewer.
 */
void probe_fd_plan(size_t limit, size_t open, size_t *inflight_max, size_t *budget);

#define PROBE_COOKIE_LEN 8

/* probe_payload_len - the payload bytes of an echo or datagram of SP: `size`, or 16. */
size_t probe_payload_len(const struct probe_spec *sp);

/* probe_packet_len - the bytes of one IP packet of SP in FAMILY (IP header, 8, payload). */
size_t probe_packet_len(const struct probe_spec *sp, int family);

/* probe_payload_fill - LEN bytes into BUF: COOKIE, then TOKEN, then zeros (LEN >= 16). */
void probe_payload_fill(uint8_t *buf, size_t len, const uint8_t cookie[PROBE_COOKIE_LEN],
			uint32_t token);

/*
 * probe_sock_df - make socket FD of FAMILY send whole packets with DF (DF), or let them be
 * fragmented on the way (IPv4; IPv6 keeps the kernel's default). 0, or -errno.
 */
int probe_sock_df(int fd, int family, bool df);

/*
 * probe_judge - fill R's totals (sent, average over RTT_SUM, loss, reached) from the attempt
 * of SP that R->received and its RTT bounds describe, and its reason when it failed. True
 * when the expectation held: reachable, loss at most max_loss, RTTs within min_rtt..max_rtt.
 */
bool probe_judge(const struct probe_spec *sp, struct probe_result *r, uint64_t rtt_sum);

#endif
