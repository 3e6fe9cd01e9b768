/* SPDX-License-Identifier: MIT */
#ifndef TOPO_PROBE_HOST_H
#define TOPO_PROBE_HOST_H

/*
 * Probes from the host (`from: host`): the host's own (root) namespace
 * probes through the ends of the lab's host links and through nothing else.
 * Each target is sent out of the one host end whose subnet holds it (its
 * sockets bound to that interface), so that no probe follows the host's own
 * routes, its default route least of all. Pure functions of the topology
 * (probe_host.c); the prober's part is probe_ns_host.c.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe.h"
#include "topology.h"

/* probe_host_source - is FROM, a probe's source, the host? */
bool probe_host_source(const char *from);

/*
 * probe_host_end - the host end whose subnet holds FAMILY/ADDR: the longest prefix, the first
 * in the file on a tie; NULL when none does. A link-local prefix holds nothing (such a target
 * is reached on its link, target.scope). Every host end counts, wherever it is placed.
 */
const struct endpoint *probe_host_end(const struct topology *t, int family,
				      const uint8_t addr[16]);

/* probe_host_end_here - is host end EP made on the host of this run (T->self)? */
bool probe_host_end_here(const struct topology *t, const struct endpoint *ep);

/* probe_host_here - does this run's host have a host end of T at all? */
bool probe_host_here(const struct topology *t);

/*
 * probe_host_aim - the N targets in V of one probe from the host, as probe_expand made them
 * for source `host`: each given the host end it leaves through (target.bind: the one whose
 * subnet holds it, or for a link-local address the end on its link), those of a node or
 * interface that no host end's subnet holds left out, and those whose host end another host
 * makes left out too. An explicit address that no subnet holds stays, unbound, to be
 * reported as not probed. When a named node or interface (KEEP_EMPTY) is left with nothing,
 * one AF_UNSPEC target says so. Compacts V; returns how many remain. Pure.
 */
size_t probe_host_aim(const struct topology *t, struct probe_target *v, size_t n,
		      bool keep_empty);

struct probe_host_vol;

/*
 * probe_host_vol_new - what probes from the host count for in T (probe_volume_count): the
 * addresses of each node and interface that a host end reaches, on every host together.
 * Linear in the size of T.
 */
struct probe_host_vol *probe_host_vol_new(const struct topology *t);

/*
 * probe_host_vol_probe - the targets of probe P from the host, as probe_expand makes them
 * (counted more than once: an address that a node has on two interfaces; not at all: rows
 * that send nothing). O(1).
 */
uint64_t probe_host_vol_probe(const struct probe_host_vol *hv, const struct probe_spec *p);

/* probe_host_vol_free - free HV; NULL is fine. */
void probe_host_vol_free(struct probe_host_vol *hv);

#endif
