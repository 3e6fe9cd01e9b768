/* SPDX-License-Identifier: MIT */
#ifndef TOPO_PLACE_H
#define TOPO_PLACE_H

/*
 * `topo place`: which host each node of a lab should run on, so that the
 * hosts carry about as many nodes each and as few links as possible cross
 * from one host to another (a graph partition). Pure: a graph in, a part
 * per node out, the same for the same input.
 */

#include <stddef.h>

#include "topology.h"

/* Nodes A and B (indexes) joined by WEIGHT links. */
struct place_edge {
	size_t a, b;
	unsigned weight;
};

struct place_graph {
	size_t n_nodes;
	const struct place_edge *edges;
	size_t n_edges;
};

/*
 * place_partition - nodes 0..G->n_nodes-1 into K parts, PART[i] the part
 * of node i. MAX 0: each part gets an even share (nodes/K, rounded down
 * or up); otherwise at most MAX nodes a part, fewer crossing links
 * winning over balance. Parts are numbered in the order of their first
 * node (node 0 is in part 0). 0, -EINVAL when K is 0, -ENOSPC when K x
 * MAX < nodes.
 */
int place_partition(const struct place_graph *g, size_t k, size_t max, size_t *part);

/* place_cut - the weight of G's edges whose two ends are in different parts. */
size_t place_cut(const struct place_graph *g, const size_t *part);

/*
 * place_graph_of - the graph of T: its nodes in file order, an edge per
 * pair of nodes that links join (the links' count its weight; a link
 * whose end is not a node of T, none). The caller frees *EDGES.
 */
void place_graph_of(const struct topology *t, struct place_edge **edges, size_t *n_edges);

#endif
