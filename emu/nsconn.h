/* SPDX-License-Identifier: MIT */
#ifndef TOPO_NSCONN_H
#define TOPO_NSCONN_H

/*
 * Open handles on the lab's namespaces: the namespace fd (for setns, to
 * read and write sysctls or run commands) and an rtnetlink socket opened
 * inside it. observe and apply share them, so each namespace is entered
 * once per run.
 */

#include <stdbool.h>

#include "nl.h"
#include "state.h"
#include "util.h"

struct nsconn {
	char name[ST_NSNAMSIZ];
	int fd;			/* -1 when closed */
	struct nl nl;
};

struct conns {
	struct nsconn **v;
	size_t n;
	struct strmap idx;	/* name -> index in v */
};

/* conns_get - the open handle on namespace NAME, opening it if needed. NULL with *ERR set. */
struct nsconn *conns_get(struct conns *c, const char *name, int *err);

/* conns_adopt - record FD (taken over) as namespace NAME, with socket NL
 * (taken over) opened inside it, or a new one when NL is NULL. */
struct nsconn *conns_adopt(struct conns *c, const char *name, int fd, const struct nl *nl,
			   int *err);

/* conns_reserve - make the slot for NAME now: after that, conns_get and
 * conns_close on NAME touch only that slot, from any thread. */
void conns_reserve(struct conns *c, const char *name);

/* conns_close - close the handle on NAME, if open. */
void conns_close(struct conns *c, const char *name);

/* conns_free - close every handle of C and free it. */
void conns_free(struct conns *c);

/* nl_open_in - open NL inside namespace FD. */
int nl_open_in(struct nl *nl, int fd);

#endif
