/* SPDX-License-Identifier: MIT */
#ifndef TOPO_SAVE_H
#define TOPO_SAVE_H

/*
 * `topo save`: a lab file from the kernel state of a running lab, so that
 * a state reached by hand can be kept and brought up elsewhere. Pure: the
 * observed state (and the lab's kept file) in, YAML text out.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "state.h"
#include "topology.h"

struct save_result {
	char *text;		/* the lab file, ending in a newline */
	char **left_out;	/* one sentence per thing the file cannot say */
	size_t n_left_out;	/* (each is a comment at the end of TEXT too) */
};

/*
 * save_lab - the lab file that reproduces HAVE (an observed state, nodes
 * in any order) into OUT. KEPT, the lab's kept file or NULL, gives the
 * node kinds and the probes (those whose nodes and interfaces are still
 * there). NAME and PREFIX (NULL: the running lab's) are the new file's.
 * 0, or -ENOENT for a state without nodes.
 */
int save_lab(const struct state *have, const struct topology *kept, const char *name,
	     const char *prefix, struct save_result *out);

/*
 * save_hosts_left_out - for KEPT with `hosts:`, a sentence into OUT's
 * left_out for each node of another host than this machine's (KEPT->self,
 * or when NULL, the one running HAVE's nodes) and each link to one of them.
 */
void save_hosts_left_out(const struct state *have, const struct topology *kept,
			 struct save_result *out);

/* save_host_stray - a node of HAVE that KEPT puts on another host than
 * KEPT->self (NULL: none, or no self). */
const char *save_host_stray(const struct state *have, const struct topology *kept);

/*
 * save_software - the `files:`, `dirs:` and `run:` of KN, a node of the
 * kept file KEPT, into F as a node's keys (save_run.c): what the file
 * declared, a relative source as an absolute path.
 */
void save_software(FILE *f, const struct topology *kept, const struct node *kn);

/* save_scalar - S as a YAML scalar into F: plain where no reader can take it
 * for anything else (NUMBER: a decimal integer may be plain), else quoted. */
void save_scalar(FILE *f, const char *s, bool number);

/* save_duration - ", KEY: 10s" (or ms, us: the largest unit that is exact) into F. */
void save_duration(FILE *f, const char *key, uint64_t us);

/* save_result_free - free what R holds and zero it. */
void save_result_free(struct save_result *r);

#endif
