/* SPDX-License-Identifier: MIT */
#ifndef TOPO_HOSTNEIGH_H
#define TOPO_HOSTNEIGH_H

/*
 * The kernel's neighbour tables are one per family for the whole machine,
 * namespaces included, and gc_thresh3 caps their entries: a big lab
 * overflows it and its probes fail with "neighbor table overflow". This
 * module counts what a lab can need, reads the limits and, asked to,
 * raises them; the command layer says what it found.
 */

#include <stdbool.h>
#include <stddef.h>

#include "topology.h"

/* What one family's table needs and has. */
struct hostneigh {
	int family;		/* AF_INET, AF_INET6 */
	const char *proto;	/* "ipv4", "ipv6": the sysctl keys' */
	size_t need;		/* entries the lab can need */
	long limit;		/* gc_thresh3 found, -1 when unreadable */
	long want;		/* what to raise it to; 0 when the limit suffices */
	bool raised;		/* hostneigh_check raised it to WANT */
	int err;		/* raising it failed: -errno, on the key in FAILED */
	char failed[64];
};

#define HOSTNEIGH_FAMILIES 2

/* hostneigh_need - the neighbour entries of FAMILY lab T can need: each
 * interface learns every other interface on its segment. */
size_t hostneigh_need(const struct topology *t, int family);

/*
 * hostneigh_check - for each family into OUT: T's need and the machine's
 * limit; with TUNE, a limit under the need is raised (with room for the
 * host's own neighbours). Stops at the first family it fails to raise:
 * 0, or that family's err.
 */
int hostneigh_check(const struct topology *t, bool tune, struct hostneigh out[HOSTNEIGH_FAMILIES]);

#endif
