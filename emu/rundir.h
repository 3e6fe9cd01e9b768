/* SPDX-License-Identifier: MIT */
#ifndef TOPO_RUNDIR_H
#define TOPO_RUNDIR_H

/*
 * A lab's runtime files, all under /run/topo/<lab>/: the lock two topo
 * processes on the same lab serialise on, the kept copy of the lab file
 * (so that `status LAB` and `down LAB` work without it), and a record per
 * node of the exec commands run there. Every path comes from rundir_path.
 */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RUNDIR_ROOT "/run/topo"

/* The kept copy of the lab file, a leaf of the lab's directory. */
#define RUNDIR_LAB_FILE "lab.yaml"
/* Where the kept copy came from: the lab file's absolute path and a newline. */
#define RUNDIR_LAB_PATH "lab.path"

/* rundir_path - "/run/topo/LAB/LEAF" (the directory itself for a NULL
 * LEAF) into BUF. 0, -EINVAL for a name that is not a lab's, or -ENAMETOOLONG. */
int rundir_path(const char *lab, const char *leaf, char *buf, size_t len);

/*
 * rundir_lock - hold the lock of lab LAB, making its directory when CREATE
 * (*MADE, unless NULL, says whether this call made it). Blocks while
 * another process holds it, unless a signal comes and sets *STOP (when
 * not NULL): -EINTR then. The lock's fd, -ENOENT when the lab has no
 * directory and CREATE is false, or -errno with the path that failed in
 * FAILED (LEN bytes).
 */
int rundir_lock(const char *lab, bool create, bool *made, const volatile sig_atomic_t *stop,
		char *failed, size_t len);

/* rundir_unlock - let go of the lock FD from rundir_lock (negative: none). */
void rundir_unlock(int fd);

/* rundir_keep_file - keep a copy of lab file FILE as LAB's RUNDIR_LAB_FILE,
 * and FILE's absolute path as RUNDIR_LAB_PATH. Each replaces the old one
 * only once it is complete. 0 or -errno. */
int rundir_keep_file(const char *lab, const char *file);

/* rundir_keep_text - the same with LEN bytes of TEXT as the kept copy (topo
 * test: FILE with the run's lab name and prefix). 0 or -errno. */
int rundir_keep_text(const char *lab, const char *text, size_t len, const char *file);

/* rundir_kept_path - the path of the file LAB's kept copy came from, into
 * BUF. 0, -ENOENT when none was recorded, or -errno. */
int rundir_kept_path(const char *lab, char *buf, size_t len);

/* rundir_forget - remove LAB's directory and everything in it (call it
 * holding the lab's lock). 0 or -errno. */
int rundir_forget(const char *lab);

/* rundir_exec_record_write - record that NODE of LAB ran the exec list hashed HASH. */
int rundir_exec_record_write(const char *lab, const char *node, uint64_t hash);

/* rundir_exec_record_read - the hash recorded for NODE of LAB into *HASH.
 * 0, -ENOENT when there is none, or -errno. */
int rundir_exec_record_read(const char *lab, const char *node, uint64_t *hash);

/* rundir_exec_record_forget - remove NODE's exec record, if any. */
void rundir_exec_record_forget(const char *lab, const char *node);

/*
 * rundir_sysctl_record_read - the sysctl keys recorded as set by topo on
 * NODE of LAB, one per line of /run/topo/LAB/sysctl-NODE, into a new array
 * of new strings. 0 (no record: none) or -errno.
 */
int rundir_sysctl_record_read(const char *lab, const char *node, char ***keys, size_t *n);

/*
 * rundir_sysctl_record_nodes - the nodes of LAB that have a sysctl record,
 * into NODES (names as keys): one directory read, so that a lab of
 * thousands of nodes without records costs no open per node. 0 or -errno.
 */
struct strmap;
int rundir_sysctl_record_nodes(const char *lab, struct strmap *nodes);

/* rundir_sysctl_record_update - add KEY to NODE's record (SET) or take it out. 0 or -errno. */
int rundir_sysctl_record_update(const char *lab, const char *node, const char *key, bool set);

/* rundir_sysctl_record_forget - remove NODE's sysctl record, if any. */
void rundir_sysctl_record_forget(const char *lab, const char *node);

/*
 * rundir_replace_write - replace file PATH by LEN bytes of DATA: written to
 * PATH.tmp, synced, renamed over PATH only once all is written; the
 * temporary is removed on any failure. 0 or -errno. (Internal; for tests.)
 */
int rundir_replace_write(const char *path, const void *data, size_t len);

/* rundir_replace_copy - the same with the contents of file FROM. (Internal; for tests.) */
int rundir_replace_copy(const char *from, const char *path);

#endif
