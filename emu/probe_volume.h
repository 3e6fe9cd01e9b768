/* SPDX-License-Identifier: MIT */
#ifndef TOPO_PROBE_VOLUME_H
#define TOPO_PROBE_VOLUME_H

/*
 * How many packets the probes of a lab would send, counted from the
 * topology alone: the checker refuses a lab whose probes would flood the
 * machine before anything expands them.
 */

#include <stddef.h>
#include <stdint.h>

#include "topology.h"

/*
 * At most this many probe packets per run. The prober's memory no longer
 * grows with count (it keeps running totals), but a 13 KB file of 300
 * nodes probing all pairs with count 10000 asks for 897 million echoes:
 * hours of traffic that no test means. The benchmark's largest lab, a
 * chain of 5000 nodes, has 9998 ordered neighbour pairs: count 100 on
 * every one of them still fits.
 */
#define PROBE_MAX_PACKETS 1000000ULL

struct probe_volume {
	uint64_t packets;	/* of every probe (UINT64_MAX if more) */
	size_t worst;		/* the probe that sends most (index in t->probes) */
	uint64_t worst_targets;	/* its targets: (source, address) pairs */
	uint64_t worst_sources;	/* its source nodes */
};

/*
 * probe_volume_count - the packets of T's probes: targets as probe_expand()
 * would make them (one per source and probed address; AF_UNSPEC rows send
 * nothing) times count, without making them. Probes that name unknown
 * nodes count 0. Pure; linear in the size of T. Exact, except that one
 * link-local address repeated on a node's links to several big bridges
 * may be counted more than once (never less) past a work budget.
 */
void probe_volume_count(const struct topology *t, struct probe_volume *v);

#endif
