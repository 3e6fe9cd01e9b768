/* SPDX-License-Identifier: MIT */
#ifndef TOPO_IMPAIR_VERIFY_H
#define TOPO_IMPAIR_VERIFY_H

/*
 * After `up`, every impaired link is measured: ICMP echoes across it (its
 * round trip must take at least both ends' delay less their jitter, and
 * lose a number of echoes within the binomial bound of both ends' loss and
 * corruption), and a short TCP stream out of each end with a `rate` (what
 * arrives, counted as frames, within 15% of the rate). Planning and
 * judging are pure; impair_measure does the traffic, between the lab's
 * own namespaces only.
 */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"
#include "topology.h"

/* how far off a measured rate may be */
#define IMPAIR_RATE_TOLERANCE 0.15
/* how long each rate is measured, after TCP's warm-up */
#define IMPAIR_RATE_US 1000000

struct impair_check {
	size_t link;			/* index in t->links */
	struct st_qdisc q[2];		/* each end's egress, as the file wants it */
	uint32_t mtu;
	int family;			/* AF_UNSPEC: not measured (SKIP says why) */
	uint8_t addr[2][16];		/* each end's address on the link */
	char skip[128];
	/* echoes from end 0 to end 1 */
	uint32_t count, received;
	uint64_t rtt_min_us;
	uint64_t rtt_floor_us;		/* the least round trip the delays allow */
	uint32_t lost_lo, lost_hi;	/* the losses the bound allows */
	char echo_err[160];		/* why no echo was measured, "" when it was */
	/* rate out of each end: declared and measured, bits per second of frames */
	uint64_t rate_want[2], rate_got[2];
	int rate_err[2];
	bool ok;
	char why[256];			/* what failed, "" when ok */
};

/*
 * impair_plan - a check for each link of T with an impairment on either
 * end: what to expect, and the addresses to measure between (a link whose
 * ends have no address of one family, or that is down, is skipped with
 * the reason). Pure. 0 or -ENOMEM.
 */
int impair_plan(const struct topology *t, struct impair_check **out, size_t *n);

/* impair_judge - C's verdict from its measurements: C->ok and C->why. Pure. */
void impair_judge(struct impair_check *c);

/*
 * impair_measure - the traffic of N checks C in T's namespaces, then
 * impair_judge on each. STOP (a signal's flag) ends it early. 0, or
 * -errno with a message in ERR (-EINTR when stopped).
 */
int impair_measure(const struct topology *t, struct impair_check *c, size_t n,
		   volatile sig_atomic_t *stop, char *err, size_t errlen);

/* impair_check_text - "r1:eth1 - r2:eth1: RTT min 41.2 ms (>= 40 ms), 1 of 100 lost (0..6), ..." into BUF. */
const char *impair_check_text(const struct topology *t, const struct impair_check *c, char *buf,
			      size_t len);

#endif
