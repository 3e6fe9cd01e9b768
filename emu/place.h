/* SPDX-License-Identifier: MIT */
#ifndef TOPO_PLACE_H
#define TOPO_PLACE_H

/*
 * `topo place`: which host each node of a lab should run on, so that the
 * hosts carry about as many nodes each and as few links as possible cross
 * from one host to another (a graph partition). Pure: a graph in, a part
 * per node out, the same for the same input.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "topology.h"

/* Nodes A and B (indexes) joined by WEIGHT links. */
struct place_edge {
	size_t a, b;
	unsigned weight;
};

/* A node's pin when it has none: any part will do. */
#define PLACE_ANY SIZE_MAX

struct place_graph {
	size_t n_nodes;
	const struct place_edge *edges;
	size_t n_edges;
	const size_t *pin;	/* NULL, or per node the part it must be in (PLACE_ANY: any) */
	const bool *uncounted;	/* NULL, or per node: no part's size counts it (a LAN's bridge) */
};

/*
 * place_partition - nodes 0..G->n_nodes-1 into K parts, PART[i] the part
 * of node i. MAX 0: each part gets an even share (nodes/K, rounded down
 * or up; more where a part's pinned nodes are more); otherwise at most MAX
 * nodes a part, fewer crossing links winning over balance. Sizes count
 * the nodes not G->uncounted. A node with a pin stays in its part; the
 * parts without a pinned node are numbered in the order of their first
 * node (with no pins, node 0 is in part 0). 0, -EINVAL when K is 0 or a
 * pin is K or more, -ENOSPC when K x MAX < nodes, -E2BIG when a part has
 * more than MAX pinned nodes.
 */
int place_partition(const struct place_graph *g, size_t k, size_t max, size_t *part);

/* place_deal - the nodes of G dealt out in turn over K parts into PART,
 * each pinned one to its pin: what place_partition never does worse than. */
void place_deal(const struct place_graph *g, size_t k, size_t *part);

/* place_cut - the weight of G's edges whose two ends are in different parts. */
size_t place_cut(const struct place_graph *g, const size_t *part);

/*
 * place_graph_of - the graph of T: its nodes in file order, an edge per
 * pair of nodes that links join (the links' count its weight; a link
 * whose end is not a node of T, none). The caller frees *EDGES.
 */
void place_graph_of(const struct topology *t, struct place_edge **edges, size_t *n_edges);

/* A host of the placed file: its name, its underlay address as written,
 * its VXLAN port (0: not written); a placeholder address gets a comment
 * asking for the real one. */
struct place_host {
	char name[TOPO_NAME_MAX + 1];
	char address[48];
	uint16_t vxlan_port;
	bool placeholder;
};

/* place_hosts_yaml - HOSTS (N) as a `hosts:` block into F, a host a line. */
void place_hosts_yaml(FILE *f, const struct place_host *hosts, size_t n);

/*
 * place_pins - the pin of each node of T (T->n_nodes) into PIN: the index
 * in HOSTS (N) of the host its own `host:` names; PLACE_ANY for a node
 * without one, a LAN's bridge, and every node whose host comes from
 * `defaults:` (a default says where nodes go unless placed, and place
 * places them). 0; -ENOENT when a node's host is not in HOSTS, *BAD that node.
 */
int place_pins(const struct topology *t, const struct place_host *hosts, size_t n, size_t *pin,
	       const struct node **bad);

struct diag;

/*
 * place_text - the lab file BUF (LEN bytes, loaded as T; FILE names it)
 * with HOSTS (N_HOSTS) as its `hosts:`, replacing any it has, and node i
 * of T on host HOSTS[HOST_OF[i]] (`host:` written or replaced; one in
 * `defaults:` set to the first host), everything else as written, into
 * *OUT (the caller frees it). The result is loaded and checked again
 * (messages into D) and must place every node as asked. 0; -EINVAL when it
 * does not (D says why, or *WHERE, a position in BUF, is a shape of YAML
 * the edit cannot handle, or the node that landed elsewhere).
 */
int place_text(const char *file, const char *buf, size_t len, const struct topology *t,
	       const struct place_host *hosts, size_t n_hosts, const size_t *host_of, char **out,
	       struct pos *where, struct diag *d);

#endif
