// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness for the loader and the checker: whatever the bytes,
 * topo_load_buf() + topo_check() must return an error or a topology, never
 * crash, leak, read out of bounds or run away. Built by the TOPO_FUZZ
 * CMake option; run with scripts/fuzz.sh SECONDS.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "diag.h"
#include "topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = { .file = "fuzz.yaml" };
	struct topology *t = NULL;
	char ns[TOPO_NSNAME_MAX + 1];
	size_t i;

	/* DATA is not NUL-terminated: the loader must honour SIZE. */
	if (topo_load_buf("fuzz.yaml", (const char *)data, size, &t, &d) == 0 && t) {
		topo_check(t, &d);
		/* What the later stages do first with a checked model. */
		for (i = 0; i < t->n_nodes; i++) {
			topo_nsname(t, t->nodes[i].name, ns, sizeof(ns));
			if (topo_node_find(t, t->nodes[i].name) == NULL)
				abort();
		}
	}
	/* The command layer prints every message: format them all. */
	for (i = 0; i < d.n_msgs; i++)
		free(diag_format(&d, i));
	topo_free(t);
	diag_free(&d);
	return 0;
}
