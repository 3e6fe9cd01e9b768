/* SPDX-License-Identifier: MIT */
#ifndef TOPO_GRAPH_H
#define TOPO_GRAPH_H

/*
 * A lab as a picture: Graphviz DOT or Mermaid text of its nodes (shaped by
 * kind) and links (labelled with interface names, addresses and each
 * end's impairment, dashed when `state: down`). Given the lab as running,
 * it also marks what differs from the file: nodes not up, interfaces
 * missing, down (or up) against the file, with other addresses or another
 * impairment. Pure: text from values.
 */

#include <stdio.h>

#include "state.h"
#include "topology.h"

enum graph_format { GRAPH_DOT, GRAPH_MERMAID };

/*
 * graph_write - lab T as FMT into F. HAVE is the lab's actual state
 * (observe_lab), or NULL to draw the file alone. 0 or -errno.
 */
int graph_write(FILE *f, const struct topology *t, const struct state *have,
		enum graph_format fmt);

#endif
