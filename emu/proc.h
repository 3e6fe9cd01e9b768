/* SPDX-License-Identifier: MIT */
#ifndef TOPO_PROC_H
#define TOPO_PROC_H

/*
 * Long-running processes of a node (`run:`). A process is topo's by its
 * record /run/topo/<lab>/<node>/run/<name>, written by its supervisor
 * (proc_super.c): its pid and that pid's start time (so that a reused pid
 * is never signalled), its identity hash, and its exit status once it
 * ends. Its stdout and stderr go to /run/topo/<lab>/<node>/<name>.log.
 */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "topology.h"

/* The grace between SIGTERM and SIGKILL when topo stops a process. */
#define PROC_GRACE_US 5000000ULL

/*
 * A process's log is kept under PROC_LOG_MAX bytes, looked at every
 * PROC_LOG_CHECK_S seconds: past it, its supervisor moves what it has to
 * NAME.log.1 (the one before goes) and empties NAME.log, which the
 * program appends to as before. /run is a tmpfs: a chatty daemon must not
 * fill the host's memory.
 */
#define PROC_LOG_MAX (8LL << 20)
#define PROC_LOG_CHECK_S 2

struct proc_record {
	char name[RUN_NAME_MAX + 1];
	pid_t pid;			/* the process, leader of its own process group */
	unsigned long long start;	/* its start time: field 22 of /proc/PID/stat */
	pid_t super;			/* its supervisor */
	unsigned long long super_start;
	uint64_t hash;			/* proc_identity() of what it runs */
	long long since;		/* when it started (seconds since the epoch) */
	bool exited;
	int status;			/* once exited: its exit status, or 128 + signal */
	long long ended;
	char cmd[512];			/* for messages; newlines as spaces */
};

/* proc_record_parse - record TEXT into *R (R->name untouched). 0, or
 * -EINVAL when a line it needs (pid, hash) is missing. */
int proc_record_parse(const char *text, struct proc_record *r);

/* proc_stat_parse - the state (field 3) and start time (field 22) from the
 * text of /proc/PID/stat (whose comm may hold spaces and parentheses). */
int proc_stat_parse(const char *stat, char *state, unsigned long long *start);

/* proc_is - is PID running (not a zombie) and the process that started at
 * START? A reused pid is not. */
bool proc_is(pid_t pid, unsigned long long start);

/* proc_start_time - the start time and state of PID from /proc. 0 or -errno. */
int proc_start_time(pid_t pid, unsigned long long *start, char *state);

/* proc_identity - the hash of what makes a process what it is: its name,
 * command, environment and FILES_HASH (its node's files). */
uint64_t proc_identity(const struct run_spec *r, uint64_t files_hash);

/* proc_records_read - NODE's records, with their names, into a new array.
 * No record directory: none. 0 or -errno. */
int proc_records_read(const char *lab, const char *node, struct proc_record **out, size_t *n);

/* proc_record_read - the record of process NAME of NODE. 0, -ENOENT, -errno. */
int proc_record_read(const char *lab, const char *node, const char *name, struct proc_record *r);

/* proc_record_forget - remove the record of NAME (its log stays, for `topo logs`). */
void proc_record_forget(const char *lab, const char *node, const char *name);

/* proc_nodes_read - the nodes of LAB that have a directory under its run
 * directory, into a new array of new strings. 0 or -errno. */
int proc_nodes_read(const char *lab, char ***nodes, size_t *n);

/* proc_node_forget - remove what processes leave under NODE's directory
 * (records, logs) and the directory itself when nothing else is in it. */
void proc_node_forget(const char *lab, const char *node);

/*
 * proc_stop - stop the process PID that started at START, and its process
 * group: SIGTERM, then SIGKILL once GRACE_US passed. Never signals a pid
 * whose start time differs (-ESRCH then, as for one already gone). 0 once
 * the group is gone, -ETIMEDOUT if it outlives the SIGKILL, or -errno.
 */
int proc_stop(pid_t pid, unsigned long long start, uint64_t grace_us);

/* proc_stop_record - proc_stop R's process and wait for its supervisor to
 * have written its exit status. 0 stopped, 1 it was not running, -errno. */
int proc_stop_record(const struct proc_record *r, uint64_t grace_us);

/* ---- reconcile (proc_plan.c): what `up` starts, restarts and stops ---- */

/* A record found under the lab's run directory, and whether its process runs. */
struct proc_seen {
	char node[TOPO_NAME_MAX + 1];
	struct proc_record rec;
	bool alive;
	/* it runs in another network namespace than the node's today (the
	 * node's was deleted by someone and is, or will be, made again) */
	bool elsewhere;
};

enum proc_act_type { PROC_START, PROC_RESTART, PROC_STOP };

struct proc_act {
	enum proc_act_type type;
	char node[TOPO_NAME_MAX + 1];
	const struct run_spec *spec;	/* START, RESTART: borrowed from the topology */
	uint64_t hash;			/* START, RESTART: the identity it runs with */
	bool has_rec;			/* RESTART, STOP: REC is what runs, or ran */
	struct proc_record rec;
	bool alive;
	bool elsewhere;			/* see struct proc_seen */
};

struct proc_plan {
	struct proc_act *acts;		/* starts and restarts in file order, then stops */
	size_t n;
	size_t n_start, n_restart, n_stop;
};

/* proc_seen_read - every record of LAB, with whether its process runs (and,
 * for a node of T unless NULL, whether in the node's namespace). 0 or -errno. */
int proc_seen_read(const char *lab, const struct topology *t, struct proc_seen **seen, size_t *n);

/* proc_plan_diff - what makes the processes of SEEN those T's nodes run: pure
 * but for nodeenv_files_hash. 0 or -errno. */
int proc_plan_diff(const struct topology *t, const struct proc_seen *seen, size_t n_seen,
		   struct proc_plan *out);

/* proc_act_why - why A is to be done ("exited with status 1") into BUF. */
const char *proc_act_why(const struct proc_act *a, char *buf, size_t len);

/* proc_plan_free - free what P holds and zero it. */
void proc_plan_free(struct proc_plan *p);

/* The hidden command that supervises one process (proc_super.c): `topo up`
 * execs its own binary with it; main.c hands it to proc_supervise. */
#define PROC_SUPERVISE "__supervise"

/* proc_supervise - the supervisor's main: ARGV is PROC_SUPERVISE NAME HASH
 * CMD; its exit status. */
int proc_supervise(int argc, char **argv);

/*
 * proc_start - start process R of NODE of LAB, identity HASH, in network
 * namespace NETNS_FD (through nodeenv_enter) and directory CWD, detached
 * from topo's terminal, its output appended to NODE's R->name.log; its
 * record into *OUT. 0, or -errno with what failed in ERR (LEN bytes).
 */
struct proc_where {
	const char *lab, *node;
	int netns_fd;
	const char *cwd;
};
int proc_start(const struct proc_where *w, const struct run_spec *r, uint64_t hash,
	       struct proc_record *out, char *err, size_t len);

enum proc_ready_result { PROC_READY, PROC_EXITED, PROC_TIMEOUT, PROC_STOPPED };

/*
 * proc_wait_ready - wait for process R (record *REC, kept up to date) of
 * NODE to be ready (R->ready), at most R->ready_timeout_us; one that is
 * not ready by then is stopped (its status then in *REC). PROC_STOPPED
 * when *STOP is set (a signal) meanwhile.
 */
enum proc_ready_result proc_wait_ready(const char *lab, const char *node, const struct run_spec *r,
				       struct proc_record *rec, const volatile sig_atomic_t *stop);

/* proc_listens - does the text of /proc/net/{tcp,tcp6,udp,udp6} (TEXT) have
 * a socket on local PORT: listening for TCP, bound for UDP? */
bool proc_listens(const char *text, uint16_t port, bool tcp);

/* proc_tail - where the last LINES lines of TEXT start. */
const char *proc_tail(const char *text, int lines);

/* proc_log_tail - the last (at most) LINES lines of NAME's log into BUF. 0 or -errno. */
int proc_log_tail(const char *lab, const char *node, const char *name, int lines, char *buf,
		  size_t len);

#endif
