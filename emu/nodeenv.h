/* SPDX-License-Identifier: MIT */
#ifndef TOPO_NODEENV_H
#define TOPO_NODEENV_H

/*
 * A node's own view of the system: its files and dirs over the host's, its
 * own /sys, host name and /etc/hosts, and TOPO_LAB / TOPO_NODE. `up`
 * writes what the view needs under /run/topo/<lab>/<node>/ (the copies of
 * the files in files/, the backing of the dirs in dirs/, the list of both
 * in `mounts`) and the lab's hosts file /run/topo/<lab>/hosts.txt; every
 * process topo runs in a node enters the view through nodeenv_enter,
 * which reads only those files.
 */

#include <stddef.h>
#include <stdint.h>

#include "topology.h"

/* The lab's hosts file, a leaf of the lab's directory. */
#define NODEENV_HOSTS "hosts.txt"

/* nodeenv_enter - in a forked child, before exec: join the node's network
 * namespace NETNS_FD and its UTS namespace (made on first use, hostname = the
 * node's name), then a private mount namespace (`/` made slave) with its own
 * /sys, the node's files and dirs and the lab's hosts file bound over the
 * host's, and TOPO_LAB / TOPO_NODE in the environment. Reads only
 * /run/topo/LAB/NODE/ (so it needs no lab file). 0 or -errno. */
int nodeenv_enter(const char *lab, const char *node, int netns_fd);

/* nodeenv_failed - what the last nodeenv_enter of this process failed
 * on: a path of the node, or "the UTS namespace"... ("" if none). */
const char *nodeenv_failed(void);

/* nodeenv_exec - fork, nodeenv_enter NODE of LAB (namespace NETNS_FD), exec
 * ARGV with its stdout and stderr on OUT_FD (unless -1). The child's exit
 * status (or 128+signal), or -errno. */
int nodeenv_exec(const char *lab, const char *node, int netns_fd, char *const argv[], int out_fd);

/* nodeenv_files_hash - a hash of NODE's files (paths, contents) and dirs as the
 * file declares them: a process whose node's files changed is restarted.
 * 0 for a node with neither. */
uint64_t nodeenv_files_hash(const struct topology *t, const struct node *n);

/* nodeenv_write - write the files and dirs of NODE of T under LAB's run
 * directory and, last, the `mounts` record with HASH (nodeenv_files_hash).
 * 0 or -errno with what failed in ERR (LEN bytes), "r1: write ...: why". */
int nodeenv_write(const struct topology *t, const char *node, const char *lab, uint64_t hash,
		  char *err, size_t len);

/* nodeenv_record_read - the hash in NODE's `mounts` record into *HASH (0
 * when there is none), and how many files and dirs it lists. */
void nodeenv_record_read(const char *lab, const char *node, uint64_t *hash, uint32_t *n_files,
			 uint32_t *n_dirs);

/* nodeenv_hosts_text - the lab's hosts file: localhost, then each node's
 * name with each of its addresses (loopback ones left out). A new string. */
char *nodeenv_hosts_text(const struct topology *t);

/* nodeenv_hosts_write - write LAB's hosts file for T when it differs. 0 or -errno. */
int nodeenv_hosts_write(const struct topology *t, const char *lab);

/* nodeenv_prune - remove the run directories of the nodes T no longer
 * has, and the files and dirs of nodes that declare none any more: one
 * read of LAB's directory, nothing for a node that never had one. 0 or -errno. */
int nodeenv_prune(const struct topology *t, const char *lab);

#endif
