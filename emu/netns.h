/* SPDX-License-Identifier: MIT */
#ifndef TOPO_NETNS_H
#define TOPO_NETNS_H

/*
 * Named network namespaces, made the way `ip netns add` makes them: a file
 * under /run/netns with the namespace bind-mounted on it, in a shared mount
 * so that `ip netns exec`, `ip -n` and every other tool see it. This is the
 * one place that makes, enters and leaves namespaces (setns, unshare).
 */

#include <stdbool.h>
#include <stddef.h>

#define NETNS_RUN_DIR "/run/netns"

/* netns_open - an fd of the named namespace. -ENOENT if none; -ENOTNAM if the
 * file is not a namespace (an `ip netns add` interrupted before its mount). */
int netns_open(const char *name);

/* netns_check - is NAME a namespace, without opening it: 0, -ENOENT if
 * nothing is there, -ENOTNAM if something else is. */
int netns_check(const char *name);

/*
 * netns_create - create namespace NAME. PREPARE runs inside the new namespace
 * before it is published under /run/netns (topo marks it there, so no crash
 * can leave an unmarked namespace with a lab's name). Returns an fd of the
 * namespace, or -errno (-EEXIST when the name is taken).
 */
int netns_create(const char *name, int (*prepare)(void *arg), void *arg);

/* netns_drop_placeholder - remove NAME if it is an empty file that is no
 * namespace (an interrupted create or delete). 1 removed, 0 not one. */
int netns_drop_placeholder(const char *name);

/* netns_delete - unpublish NAME; the kernel frees it once nothing holds it. */
int netns_delete(const char *name);

/* netns_enter - join namespace FD from the thread's own (not nested), saving
 * the way back in *SAVED. */
int netns_enter(int fd, int *saved);
/* netns_leave - return to SAVED. */
int netns_leave(int saved);

/* netns_socket - socket(DOMAIN, TYPE, PROTO) made inside namespace FD (a
 * socket keeps the namespace it was made in); the thread returns home.
 * The socket's fd, or -errno. */
int netns_socket(int fd, int domain, int type, int proto);

/* netns_ifindex - the index of interface IFNAME in namespace FD, or -errno
 * (-ENODEV if there is none). */
int netns_ifindex(int fd, const char *ifname);

/*
 * netns_parallel - FN(CTX, I) for every I below N, on one worker per core
 * (this thread among them; at most MAX_THREADS, TOPO_THREADS overrides the
 * core count). Work on different namespaces goes on at once: setns and
 * unshare move only the calling thread.
 */
void netns_parallel(size_t n, size_t max_threads, void (*fn)(void *ctx, size_t i), void *ctx);

/* netns_exec - fork, join namespace FD (and a private mount namespace with
 * its own /sys, as `ip netns exec` does), exec ARGV with its stdout and
 * stderr on OUT_FD (unless -1). The child's exit status (or 128+signal), or -errno. */
int netns_exec(int fd, char *const argv[], int out_fd);

/* netns_list - names under /run/netns, into a new array of new strings. */
int netns_list(char ***names, size_t *n);

/*
 * netns_scratch_run - FN(ARG) on a new thread in a new, empty network
 * namespace that goes away when FN returns: what a fresh namespace has
 * (its sysctl defaults, some inherited from the host). FN's result, or
 * -errno when the thread or the namespace could not be made.
 */
int netns_scratch_run(int (*fn)(void *arg), void *arg);

/* netns_name_safe - a name that stays inside /run/netns (no '/', not "." or ".."). */
bool netns_name_safe(const char *name);

#endif
