/* SPDX-License-Identifier: MIT */
#ifndef TOPO_RUNNAME_H
#define TOPO_RUNNAME_H

/*
 * A lab under another name for one run (topo test): its name and prefix
 * with a suffix, in the topology and in the text of its file. Pure.
 */

#include <stddef.h>

#include "topology.h"

/*
 * runname_text - TEXT (LEN bytes, the file T was loaded from) with SUFFIX
 * after the lab's name, and after its prefix when the file gives one, where
 * the loader found them (comments and all else stay as written); into a
 * new *OUT of *OUT_LEN bytes. 0, or -EINVAL when a value is not at its
 * position as the loader's string (a YAML escape in it: write it plain).
 */
int runname_text(const char *text, size_t len, const struct topology *t, const char *suffix,
		 char **out, size_t *out_len);

/* runname_apply - SUFFIX after T's name and prefix. */
void runname_apply(struct topology *t, const char *suffix);

#endif
