/* SPDX-License-Identifier: MIT */
/* load_nodefs - the loader's part for a node's own files: `files:` and `dirs:`. */
#ifndef TOPO_LOAD_NODEFS_H
#define TOPO_LOAD_NODEFS_H

#include "topology.h"
#include "yaml_tree.h"

/* nodefs_path_problem - why PATH cannot be a node's file or dir ("must be
 * absolute", ...), or NULL when it can. */
const char *nodefs_path_problem(const char *path);

/* load_files - `files:` mapping Y into N: path -> source, or { content }. */
void load_files(struct ytree *c, const struct ynode *y, struct node *n);

/* load_dirs - `dirs:` list Y into N. */
void load_dirs(struct ytree *c, const struct ynode *y, struct node *n);

/* merge_nodefs - put DEF's files and dirs under N's: the node's own file
 * wins over the defaults' at the same path; the defaults' come first. */
void merge_nodefs(struct node *n, const struct node *def);

/* nodefs_source_path - where SOURCE of lab T is: relative to the lab
 * file's directory, unless absolute. Into BUF; 0 or -ENAMETOOLONG. */
int nodefs_source_path(const struct topology *t, const char *source, char *buf, size_t len);

struct diag;

/* check_nodefs - the checker's part for files and dirs: duplicates, a path
 * inside a declared file, sources that cannot be read. The number of errors
 * added to D. */
size_t check_nodefs(const struct topology *t, struct diag *d);

#endif
