/* SPDX-License-Identifier: MIT */
#ifndef TOPO_HOSTLINK_H
#define TOPO_HOSTLINK_H

/*
 * Host links: a link endpoint on node `host` is a veth end in the host's
 * own (root) namespace, the one topo runs in. topo owns there only the
 * interfaces that carry its lab's mark (alias "topo:<lab>") and the
 * nftables table "topo-<lab>" (`nat:`); the state names the root namespace
 * ST_HOST_NS and holds only those (state.h: struct state's host).
 */

#include <stdbool.h>

#include "state.h"
#include "topology.h"

struct conns;

/* hostlink_in_file - does T have an endpoint on node `host`? */
bool hostlink_in_file(const struct topology *t);

/* hostlink_want - the host ends of T's links and its nat lines into OUT->host
 * and OUT->nat (nothing when T has none). 0 or -ENAMETOOLONG. Pure. */
int hostlink_want(const struct topology *t, struct state *out);

/* hostlink_root_fd - a new descriptor of the namespace topo started in, or -errno. */
int hostlink_root_fd(void);

/*
 * hostlink_observe - the lab's interfaces in the root namespace into
 * HAVE->host (with their peers among HAVE's namespaces), host
 * interfaces named like a host end of WANT that are not the lab's into
 * HAVE->host_foreign, and the nat record into HAVE->nat. Read only when
 * WANT (NULL for `down`) has host ends or nat, or when the lab left a
 * record of having some: other labs pay one access(2). 0 or -errno (ERR says).
 */
int hostlink_observe(struct conns *c, const char *lab, const struct state *want, struct state *have,
		     char *err, size_t errlen);

/* hostlink_mark_record - note in the lab's run directory that it has host ends now. */
int hostlink_mark_record(const char *lab);

#endif
