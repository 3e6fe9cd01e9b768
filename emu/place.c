// SPDX-License-Identifier: MIT
/*
 * topo place: a k-way partition of a lab's graph by recursive bisection
 * (as METIS starts): the nodes split in two, sized for K/2 parts and the
 * rest, then each half again. A split grows one side from a node at the
 * end of a longest shortest path, taking the node most attached to it
 * each time, then Fiduccia-Mattheyses passes move one node at a time to
 * the side where it cuts fewest links, allowing a side one node over or
 * under its size in between, and keep the best balanced prefix of each
 * pass (so a swap is two moves); each split is tried from both ends of
 * that path. A last k-way pass of the same kind refines the whole. No
 * randomness: ties go to the lowest index, the same graph gives the same
 * parts. A pinned node is never moved, so each split starts with the
 * nodes pinned to its side there and sizes that side to hold them; a node
 * that no part's size counts (a LAN's bridge) moves freely and weighs
 * nothing in the balance.
 */

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "place.h"
#include "util.h"

#define NONE SIZE_MAX
#define FM_PASSES 32
/* moves a pass goes on past its best balanced prefix before it gives up */
#define FM_PATIENCE 128

struct parts {
	size_t n, k;
	size_t total;		/* the nodes that count (not uncounted) */
	const size_t *pin;	/* NULL, or per node its part (NONE: any) */
	const bool *uncounted;
	size_t *off, *to;	/* adjacency (CSR): the neighbours of v are to[off[v]..off[v+1]) */
	unsigned *w;
	size_t *part;
	size_t *size, *lo, *hi;	/* per part: nodes, and the bounds of a balanced state */
	unsigned long *conn;	/* conn[v * k + p]: weight of v's edges into part p */
	size_t cut;
	/* scratch of one pass, N long */
	size_t *dist, *queue, *log_v, *log_from;
	bool *locked;
};

/* The nodes one step works on, and the parts they may be in. */
struct scope {
	const size_t *nodes;
	size_t n;
	size_t parts[2];	/* with all: every part */
	bool all;
};

static void adjacency(struct parts *r, const struct place_graph *g)
{
	size_t i, *fill;

	r->off = xcalloc(r->n + 1, sizeof(*r->off));
	for (i = 0; i < g->n_edges; i++)
		if (g->edges[i].a != g->edges[i].b) {
			r->off[g->edges[i].a + 1]++;
			r->off[g->edges[i].b + 1]++;
		}
	for (i = 0; i < r->n; i++)
		r->off[i + 1] += r->off[i];
	r->to = xcalloc(r->off[r->n] + 1, sizeof(*r->to));
	r->w = xcalloc(r->off[r->n] + 1, sizeof(*r->w));
	fill = xcalloc(r->n + 1, sizeof(*fill));
	for (i = 0; i < g->n_edges; i++) {
		const struct place_edge *e = &g->edges[i];
		size_t x;

		if (e->a == e->b)
			continue;
		x = r->off[e->a] + fill[e->a]++;
		r->to[x] = e->b, r->w[x] = e->weight;
		x = r->off[e->b] + fill[e->b]++;
		r->to[x] = e->a, r->w[x] = e->weight;
	}
	free(fill);
}

static unsigned long *conn(const struct parts *r, size_t v)
{
	return &r->conn[v * r->k];
}

/* What V weighs in its part's size: a LAN's bridge, nothing. */
static size_t weight(const struct parts *r, size_t v)
{
	return r->uncounted && r->uncounted[v] ? 0 : 1;
}

static bool pinned(const struct parts *r, size_t v)
{
	return r->pin && r->pin[v] != NONE;
}

/* Move V from its part to part T. */
static void move(struct parts *r, size_t v, size_t t)
{
	size_t from = r->part[v], x;

	r->cut += conn(r, v)[from];
	r->cut -= conn(r, v)[t];
	r->part[v] = t;
	r->size[from] -= weight(r, v);
	r->size[t] += weight(r, v);
	for (x = r->off[v]; x < r->off[v + 1]; x++) {
		conn(r, r->to[x])[from] -= r->w[x];
		conn(r, r->to[x])[t] += r->w[x];
	}
}

/* Start R over from the parts in FROM. */
static void parts_set(struct parts *r, const size_t *from)
{
	size_t v, x;

	memset(r->size, 0, r->k * sizeof(*r->size));
	memset(r->conn, 0, r->n * r->k * sizeof(*r->conn));
	for (v = 0; v < r->n; v++) {
		r->part[v] = from[v];
		r->size[from[v]] += weight(r, v);
		for (x = r->off[v]; x < r->off[v + 1]; x++)
			conn(r, r->to[x])[from[v]] += r->w[x];
	}
	r->cut = 0;
	for (v = 0; v < r->n; v++)
		for (x = r->off[v]; x < r->off[v + 1]; x++)
			r->cut += r->part[r->to[x]] != r->part[v] ? r->w[x] : 0;
	r->cut /= 2;
}

static bool in_scope(const struct parts *r, const struct scope *s, size_t p)
{
	return s->all || p == s->parts[0] || p == s->parts[1];
}

/* The node of part P among S's farthest (in hops, through part P) from
 * FROM; one out of reach first; ties to the lowest index. */
static size_t farthest(const struct parts *r, const struct scope *s, size_t p, size_t from)
{
	size_t head = 0, tail = 0, v, x, i, best = NONE;

	for (i = 0; i < s->n; i++)
		r->dist[s->nodes[i]] = NONE;
	r->dist[from] = 0;
	r->queue[tail++] = from;
	while (head < tail) {
		v = r->queue[head++];
		for (x = r->off[v]; x < r->off[v + 1]; x++)
			if (r->part[r->to[x]] == p && r->dist[r->to[x]] == NONE) {
				r->dist[r->to[x]] = r->dist[v] + 1;
				r->queue[tail++] = r->to[x];
			}
	}
	for (i = 0; i < s->n; i++) {
		v = s->nodes[i];
		if (r->part[v] == p && !pinned(r, v) &&
		    (best == NONE || r->dist[v] > r->dist[best] ||
					(r->dist[v] == r->dist[best] && v < best)))
			best = v;
	}
	return best;
}

/* The node of part B that part A should take next: the most attached to
 * A less its links within B; with none attached, SEED if still in B, else
 * the node of B with the fewest links within B. */
static size_t grow_pick(const struct parts *r, const struct scope *s, size_t seed)
{
	size_t a = s->parts[0], b = s->parts[1], i, v, best = NONE;
	long gain, best_gain = 0;

	for (i = 0; i < s->n; i++) {
		v = s->nodes[i];
		if (r->part[v] != b || !conn(r, v)[a] || pinned(r, v))
			continue;
		gain = (long)conn(r, v)[a] - (long)conn(r, v)[b];
		if (best == NONE || gain > best_gain || (gain == best_gain && v < best))
			best = v, best_gain = gain;
	}
	if (best != NONE)
		return best;
	if (seed != NONE && r->part[seed] == b)
		return seed;
	for (i = 0; i < s->n; i++) {
		v = s->nodes[i];
		if (r->part[v] == b && !pinned(r, v) && (best == NONE || conn(r, v)[b] < conn(r, best)[b] ||
					(conn(r, v)[b] == conn(r, best)[b] && v < best)))
			best = v;
	}
	return best;
}

static bool balanced(const struct parts *r, const struct scope *s)
{
	size_t p;

	for (p = 0; p < r->k; p++)
		if (in_scope(r, s, p) && (r->size[p] < r->lo[p] || r->size[p] > r->hi[p]))
			return false;
	return true;
}

/* The best single move of an unlocked node of S, sizes kept within one
 * of their bounds: the most links saved, then the move that evens the
 * sizes most, then the lowest node and part. */
static bool best_move(const struct parts *r, const struct scope *s, size_t *bv, size_t *bt)
{
	long gain, even, best_gain = 0, best_even = 0;
	size_t i, v, t, from;
	bool any = false;

	for (i = 0; i < s->n; i++) {
		v = s->nodes[i];
		from = r->part[v];
		/* one node under or over a bound at most */
		if (r->locked[v] || pinned(r, v) || r->size[from] + 1 < r->lo[from] + weight(r, v))
			continue;
		for (t = 0; t < r->k; t++) {
			if (t == from || !in_scope(r, s, t) ||
			    r->size[t] + weight(r, v) > r->hi[t] + 1)
				continue;
			gain = (long)conn(r, v)[t] - (long)conn(r, v)[from];
			even = ((long)r->size[from] - (long)r->hi[from]) -
			       ((long)r->size[t] - (long)r->hi[t]);
			if (!any || gain > best_gain || (gain == best_gain && even > best_even)) {
				*bv = v, *bt = t, best_gain = gain, best_even = even;
				any = true;
			}
		}
	}
	return any;
}

/* One Fiduccia-Mattheyses pass over S; true when it lowered the cut. */
static bool fm_pass(struct parts *r, const struct scope *s)
{
	size_t len = 0, best_len = 0, best_cut = r->cut, v = 0, t = 0, i;

	for (i = 0; i < s->n; i++)
		r->locked[s->nodes[i]] = false;
	while (len < s->n && len - best_len <= FM_PATIENCE && best_move(r, s, &v, &t)) {
		r->log_v[len] = v, r->log_from[len] = r->part[v];
		len++;
		move(r, v, t);
		r->locked[v] = true;
		if (r->cut < best_cut && balanced(r, s))
			best_cut = r->cut, best_len = len;
	}
	while (len > best_len) {
		len--;
		move(r, r->log_v[len], r->log_from[len]);
	}
	return best_len > 0;
}

static void refine(struct parts *r, const struct scope *s)
{
	int pass;

	for (pass = 0; pass < FM_PASSES && fm_pass(r, s); pass++)
		;
}

/* Split S (all in part B) into TA nodes in part A, the rest in B, growing
 * A from SEED. */
static void split_from(struct parts *r, const struct scope *s, size_t ta, size_t seed)
{
	size_t v;

	while (r->size[s->parts[0]] < ta && (v = grow_pick(r, s, seed)) != NONE)
		move(r, v, s->parts[0]);
	refine(r, s);
}

/* Every node of S that may move, from part FROM to part TO. */
static void move_free(struct parts *r, const struct scope *s, size_t from, size_t to)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (r->part[s->nodes[i]] == from && !pinned(r, s->nodes[i]))
			move(r, s->nodes[i], to);
}

/* What part A of S is to weigh: TA, but no less than the nodes pinned to
 * parts A.. B-1 and leaving room for those pinned to B onwards; the pinned
 * ones moved there, the rest in B. */
static size_t split_start(struct parts *r, const struct scope *s, size_t ta, size_t b)
{
	size_t i, v, pa = 0, pb = 0, total = 0;

	for (i = 0; i < s->n; i++) {
		v = s->nodes[i];
		total += weight(r, v);
		move(r, v, pinned(r, v) && r->pin[v] < b ? s->parts[0] : b);
		if (pinned(r, v))
			*(r->pin[v] < b ? &pa : &pb) += weight(r, v);
	}
	ta = ta < pa ? pa : ta;
	ta = ta > total - pb ? total - pb : ta;
	r->lo[s->parts[0]] = r->hi[s->parts[0]] = ta;
	r->lo[b] = r->hi[b] = total - ta;
	return ta;
}

/* Parts P0..P0+KK-1 out of the N nodes in NODES, all in part P0. */
static void bisect(struct parts *r, size_t *nodes, size_t n, size_t p0, size_t kk)
{
	size_t k1 = kk / 2, a = p0, b = p0 + k1, ta = 0, p, i, ends[2], cut0, na;
	struct scope s = { .nodes = nodes, .n = n, .parts = { a, b } };
	size_t *keep;

	if (kk < 2 || !n)
		return;
	/* even shares: part p gets total / k, and one more while p < total % k */
	for (p = a; p < b; p++)
		ta += r->total / r->k + (p < r->total % r->k);
	ta = split_start(r, &s, ta, b);
	ends[0] = farthest(r, &s, b, nodes[0]);
	ends[1] = ends[0] == NONE ? NONE : farthest(r, &s, b, ends[0]);
	split_from(r, &s, ta, ends[0]);
	cut0 = r->cut;
	keep = xcalloc(n, sizeof(*keep));
	for (i = 0; i < n; i++)
		keep[i] = r->part[nodes[i]];
	move_free(r, &s, a, b);
	split_from(r, &s, ta, ends[1]);
	if (r->cut > cut0)
		for (i = 0; i < n; i++)
			if (r->part[nodes[i]] != keep[i])
				move(r, nodes[i], keep[i]);
	free(keep);
	/* the nodes of A first, then B's, in order */
	for (i = 0, na = 0; i < n; i++)
		if (r->part[nodes[i]] == a)
			r->queue[na++] = nodes[i];
	for (i = 0, p = na; i < n; i++)
		if (r->part[nodes[i]] == b)
			r->queue[p++] = nodes[i];
	memcpy(nodes, r->queue, n * sizeof(*nodes));
	bisect(r, nodes, na, a, k1);
	bisect(r, nodes + na, n - na, b, kk - k1);
}
/* PART numbered in the order of the parts' first nodes, those with a
 * pinned node (PIN, NULL: none) kept as they are. */
static void renumber(size_t *part, size_t n, size_t k, const size_t *pin)
{
	size_t *map = xcalloc(k, sizeof(*map)), next = 0, v;
	bool *fixed = xcalloc(k, sizeof(*fixed));

	for (v = 0; pin && v < n; v++)
		if (pin[v] != NONE)
			fixed[pin[v]] = true;
	for (v = 0; v < k; v++)
		map[v] = fixed[v] ? v : NONE;
	for (v = 0; v < n; v++) {
		if (map[part[v]] == NONE) {
			while (fixed[next])
				next++;
			map[part[v]] = next++;
		}
		part[v] = map[part[v]];
	}
	free(fixed);
	free(map);
}

static void parts_alloc(struct parts *r, const struct place_graph *g)
{
	adjacency(r, g);
	r->part = xcalloc(r->n + 1, sizeof(*r->part));
	r->size = xcalloc(r->k, sizeof(*r->size));
	r->lo = xcalloc(r->k, sizeof(*r->lo));
	r->hi = xcalloc(r->k, sizeof(*r->hi));
	r->conn = xcalloc(r->n * r->k + 1, sizeof(*r->conn));
	r->dist = xcalloc(r->n + 1, sizeof(*r->dist));
	r->queue = xcalloc(r->n + 1, sizeof(*r->queue));
	r->log_v = xcalloc(r->n + 1, sizeof(*r->log_v));
	r->log_from = xcalloc(r->n + 1, sizeof(*r->log_from));
	r->locked = xcalloc(r->n + 1, sizeof(*r->locked));
}

static void parts_free(struct parts *r)
{
	free(r->off);
	free(r->to);
	free(r->w);
	free(r->part);
	free(r->size);
	free(r->lo);
	free(r->hi);
	free(r->conn);
	free(r->dist);
	free(r->queue);
	free(r->log_v);
	free(r->log_from);
	free(r->locked);
}

/* Every node in the part FROM gives, then the k-way passes over all. */
static void refine_all(struct parts *r, const size_t *from, size_t *nodes, size_t lo, size_t hi)
{
	struct scope all = { .nodes = nodes, .n = r->n, .all = true };
	size_t i;

	parts_set(r, from);
	for (i = 0; i < r->n; i++)
		nodes[i] = i;
	for (i = 0; i < r->k; i++)
		r->lo[i] = lo, r->hi[i] = hi;
	refine(r, &all);
}

/* Per part: the nodes pinned to it, into COUNT (K); the most of them. */
static size_t pinned_sizes(const struct parts *r, size_t *count)
{
	size_t v, most = 0;

	for (v = 0; v < r->n; v++)
		if (pinned(r, v)) {
			count[r->pin[v]] += weight(r, v);
			most = count[r->pin[v]] > most ? count[r->pin[v]] : most;
		}
	return most;
}

/* The bounds of every part: an even share, or MAX; a part's pinned nodes
 * (MOST at most) raise an even share. 0, -E2BIG when they pass MAX. */
static int bounds(const struct parts *r, size_t max, size_t most, size_t *lo, size_t *hi)
{
	size_t n = r->total, k = r->k;

	if (max && most > max)
		return -E2BIG;
	*lo = n / k;
	*hi = n / k + (n % k != 0);
	if (!max && most > *hi)
		max = most;
	if (max) {
		*hi = max < n ? max : n;
		*lo = n > (k - 1) * *hi ? n - (k - 1) * *hi : 0;
	}
	return 0;
}

void place_deal(const struct place_graph *g, size_t k, size_t *part)
{
	size_t *size = xcalloc(k + 1, sizeof(*size)), v, p, turn = 0;

	for (v = 0; v < g->n_nodes; v++)
		if (g->pin && g->pin[v] != PLACE_ANY)
			size[part[v] = g->pin[v]] += !(g->uncounted && g->uncounted[v]);
	/* each in turn to the smallest part: with no pins, node v to part v % k */
	for (v = 0; v < g->n_nodes; v++) {
		if (g->pin && g->pin[v] != PLACE_ANY)
			continue;
		if (g->uncounted && g->uncounted[v]) {
			part[v] = turn % k;
			continue;
		}
		for (part[v] = turn++ % k, p = 0; p < k; p++)
			if (size[p] < size[part[v]])
				part[v] = p;
		size[part[v]]++;
	}
	free(size);
}

int place_partition(const struct place_graph *g, size_t k, size_t max, size_t *part)
{
	struct parts r = { .n = g->n_nodes, .k = k, .pin = g->pin, .uncounted = g->uncounted };
	const struct scope every = { .all = true };
	size_t v, *nodes, *first, lo, hi, cut;
	int err = 0;

	if (!k)
		return -EINVAL;
	for (v = 0; v < r.n; v++) {
		r.total += weight(&r, v);
		if (pinned(&r, v) && r.pin[v] >= k)
			return -EINVAL;
	}
	if (max && max < r.total / k + (r.total % k != 0))
		return -ENOSPC;
	first = xcalloc(k + r.n + 1, sizeof(*first));
	if ((err = bounds(&r, max, pinned_sizes(&r, first), &lo, &hi)) < 0) {
		free(first);
		return err;
	}
	memset(first, 0, (k + r.n + 1) * sizeof(*first));
	parts_alloc(&r, g);
	nodes = xcalloc(r.n + 1, sizeof(*nodes));
	parts_set(&r, first);
	for (v = 0; v < r.n; v++)
		nodes[v] = v;
	bisect(&r, nodes, r.n, 0, k);
	memcpy(first, r.part, r.n * sizeof(*first));
	refine_all(&r, first, nodes, lo, hi);
	memcpy(part, r.part, r.n * sizeof(*part));
	/* A promise kept whatever the graph: never worse than dealing the
	 * nodes out in turn. */
	cut = r.cut;
	place_deal(g, k, first);
	parts_set(&r, first);
	if (r.cut < cut) {
		refine_all(&r, first, nodes, lo, hi);
		if (r.cut < cut && balanced(&r, &every))
			memcpy(part, r.part, r.n * sizeof(*part));
	}
	renumber(part, r.n, k, r.pin);
	free(nodes);
	free(first);
	parts_free(&r);
	return 0;
}

size_t place_cut(const struct place_graph *g, const size_t *part)
{
	size_t i, cut = 0;

	for (i = 0; i < g->n_edges; i++)
		if (part[g->edges[i].a] != part[g->edges[i].b])
			cut += g->edges[i].weight;
	return cut;
}

void place_graph_of(const struct topology *t, struct place_edge **edges, size_t *n_edges)
{
	struct strmap idx = { 0 }, pairs = { 0 };
	size_t i, a, b, e;

	*edges = NULL;
	*n_edges = 0;
	for (i = 0; i < t->n_nodes; i++)
		strmap_put(&idx, t->nodes[i].name, strlen(t->nodes[i].name), i, NULL);
	for (i = 0; i < t->n_links; i++) {
		const struct link *l = &t->links[i];
		size_t key[2];

		if (!strmap_get(&idx, l->ep[0].node, strlen(l->ep[0].node), &a) ||
		    !strmap_get(&idx, l->ep[1].node, strlen(l->ep[1].node), &b) || a == b)
			continue;
		key[0] = a < b ? a : b;
		key[1] = a < b ? b : a;
		if (strmap_get(&pairs, (const char *)key, sizeof(key), &e)) {
			(*edges)[e].weight++;
			continue;
		}
		strmap_put(&pairs, (const char *)key, sizeof(key), *n_edges, NULL);
		*VEC_APPEND(edges, n_edges) = (struct place_edge){ key[0], key[1], 1 };
	}
	strmap_free(&idx);
	strmap_free(&pairs);
}

int place_pins(const struct topology *t, const struct place_host *hosts, size_t n, size_t *pin,
	       const struct node **bad)
{
	const struct node *nd;
	size_t i, h;

	*bad = NULL;
	for (i = 0; i < t->n_nodes; i++) {
		nd = &t->nodes[i];
		pin[i] = PLACE_ANY;
		if (!nd->host || nd->lan || nd->host_default)
			continue;
		for (h = 0; h < n && strcmp(hosts[h].name, nd->host); h++)
			;
		if (h == n) {
			*bad = nd;
			return -ENOENT;
		}
		pin[i] = h;
	}
	return 0;
}
