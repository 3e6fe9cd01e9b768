/* SPDX-License-Identifier: MIT */
#ifndef TOPO_PROBE_H
#define TOPO_PROBE_H

/*
 * Connectivity probes: expand the `probes:` of a lab into targets (a pure
 * function, probe_expand.c), run them all at once in one event loop (probe.c,
 * its sources in probe_ns.c and topo's own servers in probe_listen.c: the
 * only files that see libev),
 * and report the results as a table, JSON or JUnit XML (probe_report.c).
 */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "topology.h"

struct probe_opts {
	bool json;
	const char *junit_path;	/* opened without following a symlink at its end */
	volatile sig_atomic_t *stop;	/* a signal handler's flag: the run ends when it is set */
	/* The table (JSON and JUnit always have every probe): */
	bool failures_only;	/* rows of the probes that failed only (--failures) */
	bool quiet;		/* those rows alone, no summary: nothing when all held (-q) */
	bool colour;		/* verdicts in colour (the command layer decides, term.h) */
	/* With json: writes more members of the report's object, each after a comma (up's). */
	void (*json_members)(FILE *out, void *arg);
	void *json_arg;
	/* Every 50 ms of the run: DONE of TOTAL probes over; DONE == TOTAL before the report. */
	void (*progress)(size_t done, size_t total, const char *what, void *arg);
	void *progress_arg;
};

/*
 * probe_lab - run every probe of T concurrently, print the report to OUT (table, or JSON with
 * o->json), write JUnit XML to o->junit_path if set. Returns 0 all held, 3 an expectation
 * failed, or -errno with a message in ERR: -EINTR when o->stop became set (its value, the
 * signal, says which), with every socket and listener of the run closed.
 */
int probe_lab(const struct topology *t, const struct probe_opts *o, FILE *out, char *err,
	      size_t errlen);

struct probe_run;

/*
 * probe_measure - probe_lab without the report: every probe of T run, the
 * results into *RUN (RUN->res to free; the targets point into T). 0, or
 * -errno with a message in ERR, RUN holding nothing.
 */
int probe_measure(const struct topology *t, const struct probe_opts *o, struct probe_run *run,
		  char *err, size_t errlen);

/* One address that one probe checks from one node: a row of the report. */
struct probe_target {
	size_t spec;		/* index in t->probes */
	const char *from;	/* source node (points into the topology) */
	const char *to_node;	/* target node, NULL when `to` is a bare address */
	const char *to_iface;	/* set for "node:iface" targets */
	int family;		/* AF_INET or AF_INET6; AF_UNSPEC: nothing to probe */
	uint8_t addr[16];
	const char *scope;	/* link-local: the source's interface on the target's link */
	bool off_link;		/* link-local, and the source has no interface on its link */
	const char *bind;	/* from `host`: the host end it leaves through (probe_host.h) */
};

/*
 * probe_expand - the targets of every probe of T, in file order. Pure: reads only T.
 *
 * "*" stands for every node that is not a bridge (a node is never paired with itself). A node
 * target covers all its addresses (node `addresses:` and link endpoints, lo included); a
 * "node:iface" target those of one interface; both only in the families in which the source
 * node has a global address. An IPv6 link-local address is a target only from a node on its
 * link (target.scope: the source's interface there), whatever the source's families; a
 * "node:iface" or explicit link-local target off the source's links is kept with off_link
 * set, to be reported as not probed. An explicit link-local address that no node declares is
 * sent out of the source's only link, when it has exactly one. Any other explicit address is
 * always probed. From `host`, each target leaves through one host end (probe_host_aim).
 * A named node or interface
 * that leaves nothing to probe yields one target with family AF_UNSPEC, so that the report can
 * say so; "*" pairs with nothing to probe are left out. Returns 0, or -EINVAL with a message in
 * ERR for a name that is not in the lab.
 */
int probe_expand(const struct topology *t, struct probe_target **out, size_t *n, char *err,
		 size_t errlen);

/* probe_target_unprobed - why TG of probe SP is not to be probed, into WHY; false when it is. */
bool probe_target_unprobed(const struct probe_target *tg, const struct probe_spec *sp,
			   char *why, size_t len);

/*
 * probe_link_scope - the interface of node FROM on the link of NODE:IFACE: the other end of
 * a veth link, or FROM's link to the bridge at the other end. NULL when FROM is not there.
 */
const char *probe_link_scope(const struct topology *t, const char *from, const char *node,
			     const char *iface);

/* probe_node_has_global - does NODE have an address of FAMILY that is neither loopback nor link-local? */
bool probe_node_has_global(const struct topology *t, const char *node, int family);

/* probe_addr_owner - the node that declares address FAMILY/ADDR, or NULL. */
const struct node *probe_addr_owner(const struct topology *t, int family, const uint8_t addr[16]);

enum probe_server {
	PROBE_SERVER_NONE,	/* icmp, or no node of the lab owns the address */
	PROBE_SERVER_TOPO,	/* nothing listened: topo did, for the run */
	PROBE_SERVER_USER,	/* the port was taken: the user's own server answered */
};

/* What happened to one target. */
struct probe_result {
	struct probe_target tg;
	bool passed;
	bool reached;		/* a reply, or a connection, came back */
	char reason[160];	/* failure, or how it was unreachable; "" when reached */
	uint32_t sent, received;
	uint64_t rtt_min_us, rtt_avg_us, rtt_max_us;	/* over received */
	double loss;		/* percent of sent */
	uint32_t attempts;	/* > 1 only with `within` */
	uint64_t elapsed_us;	/* from the start of the run to its verdict */
	enum probe_server server;
	const char *server_node;	/* where topo listened or found a server */
};

/* A finished run. */
struct probe_run {
	const struct topology *t;
	struct probe_result *res;
	size_t n;
	uint64_t elapsed_us;
};

/* probe_run_failed - how many results did not hold. */
size_t probe_run_failed(const struct probe_run *r);

/*
 * probe_report - the report O asks for into OUT: JSON (with o->json_members) or the table as
 * o->failures_only, o->quiet and o->colour say; o->progress told the run is over first. O may
 * be NULL: the whole table.
 */
void probe_report(const struct probe_run *r, const struct probe_opts *o, FILE *out);

/* probe_report_table - one row per target and the summary line, for people. */
void probe_report_table(const struct probe_run *r, FILE *out);

/* What probe_report_rows leaves out or adds. */
enum {
	PROBE_TABLE_FAILURES = 1 << 0,	/* only the rows of failed probes */
	PROBE_TABLE_QUIET = 1 << 1,	/* and no summary line: nothing when every probe held */
	PROBE_TABLE_COLOUR = 1 << 2,	/* ok green, FAIL red */
};

/* probe_report_rows - probe_report_table as FLAGS (PROBE_TABLE_*) say. */
void probe_report_rows(const struct probe_run *r, FILE *out, unsigned flags);

/* probe_report_json - the same as one JSON object ("version" TOPO_JSON_VERSION, docs/json.md). */
void probe_report_json(const struct probe_run *r, FILE *out);

/* probe_report_json_with - probe_report_json, MEMBERS(OUT, ARG) adding members after "lab". */
void probe_report_json_with(const struct probe_run *r, FILE *out,
			    void (*members)(FILE *out, void *arg), void *arg);

/* probe_report_junit - JUnit XML: one testsuite for the lab, one testcase per target. */
void probe_report_junit(const struct probe_run *r, FILE *out);

/*
 * probe_report_junit_file - the JUnit XML into PATH, created or truncated, never through a
 * symbolic link at its end. 0, or -errno with a message in ERR.
 */
int probe_report_junit_file(const struct probe_run *r, const char *path, char *err,
			    size_t errlen);

/*
 * probe_report_junit_error - JUnit XML for lab LAB (from FILE) that could
 * not be probed: one failing testcase TEST ("up", "probe") holding
 * TEXT (what topo said).
 */
void probe_report_junit_error(const char *lab, const char *file, const char *test,
			      const char *text, FILE *out);

/* probe_target_name - "h2 10.0.0.2", "h2:eth0 10.0.0.2" or "10.0.0.2" into BUF; returns BUF. */
const char *probe_target_name(const struct probe_target *tg, char *buf, size_t len);

#endif
