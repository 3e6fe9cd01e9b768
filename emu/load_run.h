/* SPDX-License-Identifier: MIT */
/* load_run - the loader's part for a node's `run:` list (long-running processes). */
#ifndef TOPO_LOAD_RUN_H
#define TOPO_LOAD_RUN_H

#include <stdbool.h>

#include "topology.h"
#include "yaml_tree.h"

/* load_runs - `run:` list Y into N's runs: command strings or
 * { name, cmd, ready, env } mappings; every error reported. */
void load_runs(struct ytree *c, const struct ynode *y, struct node *n);

/* load_runs_merge - put copies of DEF's runs (the defaults') before N's own. */
void load_runs_merge(struct node *n, const struct node *def);

/* load_runs_unique - report every process name N uses twice (after the merge). */
void load_runs_unique(struct ytree *c, const struct node *n);

/* run_name_valid - can S name a process (a file name: letters, digits, '.',
 * '_', '+', '-'; not starting with '.' or '-'; at most RUN_NAME_MAX)? */
bool run_name_valid(const char *s);

/* run_default_name - the base name of CMD's program (its first word) into
 * BUF; false when there is none that is a valid name. */
bool run_default_name(const char *cmd, char *buf, size_t len);

#endif
