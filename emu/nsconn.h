/* SPDX-License-Identifier: MIT */
#ifndef TOPO_NSCONN_H
#define TOPO_NSCONN_H

/*
 * Open handles on the lab's namespaces: the namespace fd (for setns, to
 * read and write sysctls or run commands) and an rtnetlink socket opened
 * inside it. observe and apply share them, so a namespace is usually
 * entered once per run.
 *
 * A handle is two descriptors, and a lab can have more nodes than the
 * process may hold descriptors: the table keeps at most a budget of them
 * open (derived from RLIMIT_NOFILE), closing the least recently used one
 * that nobody holds when it needs room. A handle from conns_get is held
 * (never closed under its user) until conns_put; the table is safe to use
 * from several threads, as long as one name is used by one thread at a time.
 */

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "nl.h"
#include "state.h"
#include "util.h"

struct nsconn {
	char name[ST_NSNAMSIZ];
	int fd;			/* -1 when closed */
	struct nl nl;
	unsigned holds;		/* conns_get without conns_put yet */
	uint64_t used;		/* the table's clock at the last conns_get */
};

struct conns {
	struct nsconn **v;
	size_t n;
	struct strmap idx;	/* name -> index in v */
	/* A zeroed struct is an empty table: the lock is then unlocked, and
	 * the budget is worked out at the first open. */
	pthread_mutex_t lock;
	size_t budget;		/* handles kept open at most; 0: not yet known */
	size_t n_open;
	uint64_t clock;
	/* Set by SIGINT/SIGTERM (or NULL): a read of the lab stops early. */
	volatile sig_atomic_t *stop;
};

/* conns_get - the open handle on namespace NAME, opening it if needed, held
 * until conns_put. NULL with *ERR set (the handle is then not held). */
struct nsconn *conns_get(struct conns *c, const char *name, int *err);

/* conns_put - let go of NC from conns_get (NULL: nothing): it may be closed now. */
void conns_put(struct conns *c, struct nsconn *nc);

/* conns_adopt - record FD (taken over) as namespace NAME, with socket NL
 * (taken over) opened inside it, or a new one when NL is NULL. Not held.
 * 0 or -errno (FD and NL are closed then). */
int conns_adopt(struct conns *c, const char *name, int fd, const struct nl *nl);

/* conns_reserve - make the slot for NAME now (a hint: conns_get makes it too). */
void conns_reserve(struct conns *c, const char *name);

/* conns_close - close the handle on NAME, if open and not held. */
void conns_close(struct conns *c, const char *name);

/* conns_free - close every handle of C and free it. */
void conns_free(struct conns *c);

/* conns_budget_of - how many handles fit under a limit of LIMIT open files. (For tests.) */
size_t conns_budget_of(uint64_t limit);

/* nl_open_in - open NL inside namespace FD. */
int nl_open_in(struct nl *nl, int fd);

#endif
