// SPDX-License-Identifier: MIT
/*
 * The kernel-state value shared by the desired state (want.c) and the
 * actual one (observe.c): freeing and lookup.
 */

#include <stdlib.h>
#include <string.h>

#include "state.h"

static void st_ns_free_fields(struct st_ns *ns)
{
	size_t i;

	for (i = 0; i < ns->n_ifaces; i++)
		free(ns->ifaces[i].addrs);
	free(ns->ifaces);
	free(ns->routes);
	free(ns->sysctls);
	for (i = 0; i < ns->n_execs; i++)
		free(ns->execs[i]);
	free(ns->execs);
}

/* state_free - free what S holds and zero it; S itself belongs to the caller. */
void state_free(struct state *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n_ns; i++)
		st_ns_free_fields(&s->ns[i]);
	free(s->ns);
	free(s->foreign);
	for (i = 0; i < s->n_notes; i++)
		free(s->notes[i]);
	free(s->notes);
	memset(s, 0, sizeof(*s));
}

/* state_ns_find - the namespace called NSNAME in S, or NULL. */
struct st_ns *state_ns_find(const struct state *s, const char *nsname)
{
	size_t i;

	for (i = 0; i < s->n_ns; i++) {
		if (!strcmp(s->ns[i].name, nsname))
			return &s->ns[i];
	}
	return NULL;
}

/* st_ns_iface_find - the interface called NAME in NS, or NULL. */
struct st_iface *st_ns_iface_find(const struct st_ns *ns, const char *name)
{
	size_t i;

	for (i = 0; i < ns->n_ifaces; i++) {
		if (!strcmp(ns->ifaces[i].name, name))
			return &ns->ifaces[i];
	}
	return NULL;
}
