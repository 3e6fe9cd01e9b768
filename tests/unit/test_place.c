// SPDX-License-Identifier: MIT
/*
 * topo place's partition (place.c): every part within the balance bound,
 * a cut never worse than dealing the nodes out in turn on rings, grids
 * and clustered graphs, the known optimum where it is plain (two cliques
 * joined by one link: cut 1; a ring in K arcs: cut K), --max-nodes
 * trading balance for links, the errors, and the same answer every time.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "place.h"
#include "unit.h"

struct graph {
	struct place_edge *e;
	size_t n_e, n;
};

static void edge(struct graph *g, size_t a, size_t b)
{
	*VEC_APPEND(&g->e, &g->n_e) = (struct place_edge){ a, b, 1 };
}

static struct place_graph pg(const struct graph *g)
{
	return (struct place_graph){ .n_nodes = g->n, .edges = g->e, .n_edges = g->n_e };
}

static void ring(struct graph *g, size_t n)
{
	size_t i;

	g->n = n;
	for (i = 0; i < n; i++)
		edge(g, i, (i + 1) % n);
}

static void grid(struct graph *g, size_t w, size_t h)
{
	size_t x, y;

	g->n = w * h;
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			if (x + 1 < w)
				edge(g, y * w + x, y * w + x + 1);
			if (y + 1 < h)
				edge(g, y * w + x, (y + 1) * w + x);
		}
}

/* Cliques of SIZES[0], SIZES[1]... (nodes numbered on), then BRIDGES links
 * between clique i's node j and clique i+1's node j. The nodes are dealt
 * out in a shuffled order (a fixed one) so that file order gives nothing away. */
static void cliques(struct graph *g, const size_t *sizes, size_t n_cl, size_t bridges)
{
	size_t base[8], i, a, b, *perm, j;

	g->n = 0;
	for (i = 0; i < n_cl; i++) {
		base[i] = g->n;
		g->n += sizes[i];
	}
	perm = xcalloc(g->n, sizeof(*perm));
	assert_true(g->n % 11);		/* a bijection while gcd(11, n) = 1 */
	for (i = 0; i < g->n; i++)
		perm[i] = (i * 11 + 3) % g->n;
	for (i = 0; i < n_cl; i++)
		for (a = 0; a < sizes[i]; a++)
			for (b = a + 1; b < sizes[i]; b++)
				edge(g, perm[base[i] + a], perm[base[i] + b]);
	for (i = 0; i + 1 < n_cl; i++)
		for (j = 0; j < bridges; j++)
			edge(g, perm[base[i] + j], perm[base[i + 1] + j]);
	free(perm);
}

static size_t rr_cut(const struct graph *g, size_t k)
{
	struct place_graph p = pg(g);
	size_t *rr = xcalloc(g->n + 1, sizeof(*rr)), i, cut;

	for (i = 0; i < g->n; i++)
		rr[i] = i % k;
	cut = place_cut(&p, rr);
	free(rr);
	return cut;
}

/* Partition G into K (MAX as place_partition's), check the sizes against
 * [LO, HI] and the numbering, and that a second run says the same; the cut. */
static size_t partition(const struct graph *g, size_t k, size_t max, size_t lo, size_t hi)
{
	struct place_graph p = pg(g);
	size_t *part = xcalloc(g->n + 1, sizeof(*part)), *again = xcalloc(g->n + 1, sizeof(*again));
	size_t *size = xcalloc(k, sizeof(*size)), i, next = 0, cut;

	assert_int_equal(place_partition(&p, k, max, part), 0);
	assert_int_equal(place_partition(&p, k, max, again), 0);
	assert_memory_equal(part, again, g->n * sizeof(*part));
	for (i = 0; i < g->n; i++) {
		assert_true(part[i] < k);
		/* parts numbered in the order of their first node */
		assert_true(part[i] <= next);
		if (part[i] == next)
			next++;
		size[part[i]]++;
	}
	for (i = 0; i < k; i++) {
		if (size[i] < lo || size[i] > hi)
			fail_msg("part %zu has %zu nodes, outside %zu..%zu", i, size[i], lo, hi);
	}
	cut = place_cut(&p, part);
	free(part);
	free(again);
	free(size);
	return cut;
}

static void graph_free(struct graph *g)
{
	free(g->e);
	memset(g, 0, sizeof(*g));
}

static void test_two_cliques_one_link(void **state)
{
	static const size_t five[] = { 5, 5 }, seven[] = { 7, 7 };
	struct graph g = { 0 };

	cliques(&g, five, 2, 1);
	assert_int_equal(partition(&g, 2, 0, 5, 5), 1);
	graph_free(&g);
	cliques(&g, seven, 2, 1);
	assert_int_equal(partition(&g, 2, 0, 7, 7), 1);
	graph_free(&g);
}

static void test_three_clusters(void **state)
{
	static const size_t sizes[] = { 10, 10, 10 };
	struct graph g = { 0 };

	/* two links between neighbouring clusters: the optimum cuts those 4 */
	cliques(&g, sizes, 3, 2);
	assert_int_equal(partition(&g, 3, 0, 10, 10), 4);
	assert_true(4 < rr_cut(&g, 3));
	graph_free(&g);
}

static void test_ring(void **state)
{
	static const size_t ns[] = { 12, 30, 31, 100 }, ks[] = { 2, 3, 4 };
	struct graph g = { 0 };
	size_t i, j, cut;

	for (i = 0; i < ARRAY_SIZE(ns); i++)
		for (j = 0; j < ARRAY_SIZE(ks); j++) {
			ring(&g, ns[i]);
			cut = partition(&g, ks[j], 0, ns[i] / ks[j], (ns[i] + ks[j] - 1) / ks[j]);
			/* K arcs: the optimum */
			if (cut != ks[j])
				fail_msg("ring of %zu in %zu: cut %zu", ns[i], ks[j], cut);
			assert_true(cut <= rr_cut(&g, ks[j]));
			graph_free(&g);
		}
}

static void test_grid(void **state)
{
	struct graph g = { 0 };
	size_t cut;

	grid(&g, 6, 6);
	/* two halves of 18: a straight cut of 6 */
	assert_int_equal(partition(&g, 2, 0, 18, 18), 6);
	graph_free(&g);
	grid(&g, 30, 30);
	cut = partition(&g, 3, 0, 300, 300);
	/* three bands of 10 rows cut 60 links; round robin cuts almost all */
	print_message("grid 30x30 in 3: cut %zu (round robin %zu)\n", cut, rr_cut(&g, 3));
	assert_true(cut <= 70);
	assert_true(cut < rr_cut(&g, 3));
	graph_free(&g);
	grid(&g, 10, 9);
	cut = partition(&g, 3, 0, 30, 30);
	assert_true(cut <= 20);
	graph_free(&g);
}

static void test_max_nodes(void **state)
{
	static const size_t sizes[] = { 6, 4 };
	struct graph g = { 0 };

	cliques(&g, sizes, 2, 1);
	/* an even share splits the clique of 6: one of its nodes cuts 5 */
	assert_true(partition(&g, 2, 0, 5, 5) >= 5);
	/* up to 6 a host: the cliques apart, one link */
	assert_int_equal(partition(&g, 2, 6, 4, 6), 1);
	graph_free(&g);
}

static void test_errors_and_edges(void **state)
{
	struct graph g = { 0 };
	struct place_graph p;
	size_t part[10] = { 0 };

	ring(&g, 10);
	p = pg(&g);
	assert_int_equal(place_partition(&p, 0, 0, part), -EINVAL);
	assert_int_equal(place_partition(&p, 3, 3, part), -ENOSPC);
	assert_int_equal(place_partition(&p, 3, 4, part), 0);
	assert_int_equal(place_partition(&p, 1, 0, part), 0);
	assert_int_equal(place_cut(&p, part), 0);
	graph_free(&g);
	/* no edges at all, more parts than nodes */
	g.n = 7;
	assert_int_equal(partition(&g, 3, 0, 2, 3), 0);
	g.n = 2;
	assert_int_equal(partition(&g, 3, 0, 0, 1), 0);
	g.n = 0;
	p = pg(&g);
	assert_int_equal(place_partition(&p, 3, 0, part), 0);
}

static void test_graph_of(void **state)
{
	static const char lab[] = "name: g\n"
				  "nodes: { a: {}, b: {}, c: {} }\n"
				  "links:\n"
				  "  - endpoints: [a:e0, b:e0]\n"
				  "  - endpoints: [b:e1, a:e1]\n"
				  "  - endpoints: [b:e2, c:e0]\n"
				  "  - endpoints: [c:e1, c:e2]\n";
	struct diag d = { .file = "g.yaml" };
	struct topology *t = NULL;
	struct place_edge *e;
	size_t n;

	assert_int_equal(topo_load_buf("g.yaml", lab, strlen(lab), &t, &d), 0);
	place_graph_of(t, &e, &n);
	assert_int_equal(n, 2);
	assert_int_equal(e[0].a, 0);
	assert_int_equal(e[0].b, 1);
	assert_int_equal(e[0].weight, 2);
	assert_int_equal(e[1].a, 1);
	assert_int_equal(e[1].b, 2);
	assert_int_equal(e[1].weight, 1);
	free(e);
	topo_free(t);
	diag_free(&d);
}

/* PIN's nodes in their parts; the other parts numbered in first-node
 * order; the same answer twice. The cut. */
static size_t pinned_partition(struct graph *g, size_t k, size_t max, const size_t *pin)
{
	struct place_graph p = pg(g);
	size_t *part = xcalloc(g->n + 1, sizeof(*part)), *again = xcalloc(g->n + 1, sizeof(*again));
	size_t i, cut;

	p.pin = pin;
	assert_int_equal(place_partition(&p, k, max, part), 0);
	assert_int_equal(place_partition(&p, k, max, again), 0);
	assert_memory_equal(part, again, g->n * sizeof(*part));
	for (i = 0; i < g->n; i++) {
		assert_true(part[i] < k);
		if (pin[i] != PLACE_ANY && part[i] != pin[i])
			fail_msg("node %zu pinned to part %zu went to %zu", i, pin[i], part[i]);
	}
	cut = place_cut(&p, part);
	free(part);
	free(again);
	return cut;
}

static void test_pins(void **state)
{
	static const size_t five[] = { 5, 5 };
	struct graph g = { 0 };
	size_t pin[12], i;

	/* two cliques, each with a node pinned to the part the other would
	 * get unpinned (node 0's is part 0): they swap, cut still 1 */
	cliques(&g, five, 2, 1);
	for (i = 0; i < g.n; i++)
		pin[i] = PLACE_ANY;
	pin[3] = 1;		/* node 3 is clique 0's first (perm) */
	pin[(5 * 11 + 3) % 10] = 0;	/* clique 1's first */
	assert_int_equal(pinned_partition(&g, 2, 0, pin), 1);
	graph_free(&g);
	/* a ring of 12 with three nodes pinned to three parts: three arcs */
	ring(&g, 12);
	for (i = 0; i < g.n; i++)
		pin[i] = PLACE_ANY;
	pin[1] = 2, pin[5] = 0, pin[9] = 1;
	assert_int_equal(pinned_partition(&g, 3, 0, pin), 3);
	graph_free(&g);
}

static void test_pins_bounds(void **state)
{
	struct graph g = { 0 };
	struct place_graph p;
	size_t pin[10], part[10], size[2] = { 0 }, i;

	ring(&g, 10);
	p = pg(&g);
	p.pin = pin;
	for (i = 0; i < 10; i++)
		pin[i] = i < 7 ? 1 : PLACE_ANY;
	/* seven pinned to a part over --max-nodes 6 */
	assert_int_equal(place_partition(&p, 2, 6, part), -E2BIG);
	/* without a maximum they stay, the even share (5) notwithstanding */
	assert_int_equal(place_partition(&p, 2, 0, part), 0);
	for (i = 0; i < 10; i++)
		size[part[i]]++;
	assert_true(size[1] >= 7);
	for (i = 0; i < 7; i++)
		assert_int_equal(part[i], 1);
	/* a pin past the parts */
	pin[0] = 2;
	assert_int_equal(place_partition(&p, 2, 0, part), -EINVAL);
	graph_free(&g);
}

static void test_uncounted(void **state)
{
	struct graph g = { 0 };
	struct place_graph p;
	bool bridge[5] = { [4] = true };
	size_t part[5], size[2] = { 0 }, i;

	/* a LAN: node 4, its bridge, joins 0..3; at most 2 a part counts
	 * the four nodes alone */
	g.n = 5;
	for (i = 0; i < 4; i++)
		edge(&g, i, 4);
	p = pg(&g);
	assert_int_equal(place_partition(&p, 2, 2, part), -ENOSPC);
	p.uncounted = bridge;
	assert_int_equal(place_partition(&p, 2, 2, part), 0);
	for (i = 0; i < 4; i++)
		size[part[i]]++;
	assert_int_equal(size[0], 2);
	assert_int_equal(size[1], 2);
	graph_free(&g);
}

static void test_place_pins(void **state)
{
	static const char lab[] = "name: p\n"
				  "hosts: { a: { address: 192.0.2.1 }, b: { address: 192.0.2.2 },\n"
				  "         c: { address: 192.0.2.3 } }\n"
				  "defaults: { host: a }\n"
				  "nodes:\n"
				  "  r1: { host: b }\n"
				  "  r2: {}\n"
				  "  r3: { host: c }\n"
				  "lans: { seg: { members: [r1:e0, r2:e0] } }\n";
	const struct place_host ab[] = { { .name = "a" }, { .name = "b" } };
	const struct place_host cb[] = { { .name = "c" }, { .name = "b" } };
	struct diag d = { .file = "p.yaml" };
	struct topology *t = NULL;
	const struct node *bad;
	size_t pin[4], i;

	assert_int_equal(topo_load_buf("p.yaml", lab, strlen(lab), &t, &d), 0);
	assert_int_equal(topo_check(t, &d), 0);
	assert_int_equal(t->n_nodes, 4);	/* and the LAN's bridge */
	assert_int_equal(place_pins(t, cb, 2, pin, &bad), 0);
	assert_null(bad);
	for (i = 0; i < t->n_nodes; i++) {
		const char *name = t->nodes[i].name;

		/* r2's host is the default's: no pin; nor the LAN bridge's */
		if (!strcmp(name, "r1"))
			assert_int_equal(pin[i], 1);
		else if (!strcmp(name, "r3"))
			assert_int_equal(pin[i], 0);
		else
			assert_int_equal(pin[i], PLACE_ANY);
	}
	/* r3 is on c, which a,b does not name */
	assert_int_equal(place_pins(t, ab, 2, pin, &bad), -ENOENT);
	assert_non_null(bad);
	assert_string_equal(bad->name, "r3");
	topo_free(t);
	diag_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_cliques_one_link),
		cmocka_unit_test(test_three_clusters),
		cmocka_unit_test(test_ring),
		cmocka_unit_test(test_grid),
		cmocka_unit_test(test_max_nodes),
		cmocka_unit_test(test_errors_and_edges),
		cmocka_unit_test(test_graph_of),
		cmocka_unit_test(test_pins),
		cmocka_unit_test(test_pins_bounds),
		cmocka_unit_test(test_uncounted),
		cmocka_unit_test(test_place_pins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
