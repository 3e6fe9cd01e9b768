/* SPDX-License-Identifier: MIT */
#ifndef TOPO_PROBE_INT_H
#define TOPO_PROBE_INT_H

/*
 * Private to the prober's files (probe.c, probe_listen.c): the only place
 * besides them where a libev type may appear.
 */

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
};

/*
 * probe_listen - serve PROTO/PORT/FAMILY in namespace NS_FD for the run,
 * unless something there already does. PROBE_SERVER_TOPO: topo listens;
 * PROBE_SERVER_USER: the port is taken, by a server that answers for itself;
 * PROBE_SERVER_NONE: neither could be set up.
 */
enum probe_server probe_listen(struct probe_listeners *ls, int ns_fd, int proto, uint16_t port,
			       int family);

/* probe_listen_close - close and free every server of LS. */
void probe_listen_close(struct probe_listeners *ls);

#endif
