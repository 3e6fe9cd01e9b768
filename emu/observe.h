/* SPDX-License-Identifier: MIT */
#ifndef TOPO_OBSERVE_H
#define TOPO_OBSERVE_H

#include <stddef.h>

#include "nsconn.h"
#include "state.h"

/* A namespace under /run/netns and the mark on its lo ("" when none). */
struct ns_mark {
	char name[ST_NSNAMSIZ];
	char lab[TOPO_NAME_MAX + 1];
	char node[TOPO_NAME_MAX + 1];
	bool marked;
};

/*
 * observe_marks - every named namespace and its topo mark. Handles on
 * namespaces of LAB (or of every lab when LAB is NULL) stay open in C.
 */
int observe_marks(struct conns *c, const char *lab, struct ns_mark **marks, size_t *n);

/* observe_iface - interface IFNAME of NL's namespace as a link dump reads it
 * (no addresses). 0, -ENODEV when there is none, or -errno. */
struct nl;
int observe_iface(struct nl *nl, const char *ifname, struct st_iface *out);

/*
 * observe_lab - the actual state of lab LAB: every namespace carrying its
 * mark, fully read, and the names WANT uses that belong to someone else
 * (have->foreign). Sysctls are read for the keys WANT names; the exec
 * and files records from /run/topo/LAB/NODE. 0 or -errno with a message in ERR.
 */
int observe_lab(struct conns *c, const char *lab, const struct state *want, struct state *have,
		char *err, size_t errlen);

/*
 * observe_reread - observe_lab after an apply: namespaces not in TOUCHED
 * are taken over from PREV (which keeps only what was not taken) instead
 * of being read again. The plan says which namespaces its actions reach.
 */
int observe_reread(struct conns *c, const char *lab, const struct state *want, struct state *prev,
		   const struct strmap *touched, struct state *have, char *errbuf, size_t errlen);

struct obs_ns;

/*
 * observe_links - the interfaces of the namespace NL speaks to, into O (observe_parse.h), as
 * observe_lab reads them. 0 or -errno.
 */
int observe_links(struct nl *nl, struct obs_ns *o);

/*
 * observe_rules - the policy routing rules of the namespace NL speaks to,
 * IPv4 and IPv6, into O, the kernel's own left out (observe_rule.c). 0 or -errno.
 */
int observe_rules(struct nl *nl, struct obs_ns *o);

#endif
