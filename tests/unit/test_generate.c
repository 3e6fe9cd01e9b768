// SPDX-License-Identifier: MIT
/*
 * `topo generate`: every generator's output loads and checks cleanly, and
 * its routes really work. The last part needs no kernel: a small IPv4
 * forwarding model (longest prefix match over connected /30s and the
 * node's routes, next hop resolved on the link, only routers forward, TTL
 * 64) walks each probe there and back, and for small labs every node to
 * every address of every other node.
 */

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "generate.h"
#include "topology.h"
#include "util.h"

/* gen - run `topo generate ARGS...` (NULL-terminated); returns its output (NULL on exit 1). */
static char *gen(char *err, size_t errlen, ...)
{
	char *argv[16], *buf = NULL, *arg;
	size_t len = 0;
	va_list ap;
	FILE *f;
	int argc = 0, rc;

	argv[0] = "generate";
	va_start(ap, errlen);
	while ((arg = va_arg(ap, char *)) && argc < 14)
		argv[++argc] = arg;
	va_end(ap);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	err[0] = 0;
	rc = generate_main(argc + 1, argv, f, err, errlen);
	fclose(f);
	if (rc) {
		assert_int_equal(rc, 1);
		free(buf);
		print_message("generate: %s\n", err);
		return NULL;
	}
	assert_string_equal(err, "");
	return buf;
}

static struct topology *load_checked(const char *buf)
{
	struct diag d = { .file = "generated.yaml" };
	struct topology *t = NULL;
	int rc;
	size_t i;

	rc = topo_load_buf("generated.yaml", buf, strlen(buf), &t, &d);
	if (rc == 0)
		rc = topo_check(t, &d);
	for (i = 0; i < d.n_msgs; i++) {
		char *m = diag_format(&d, i);

		print_error("%s\n", m);
		free(m);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(d.n_errors, 0);
	diag_free(&d);
	return t;
}

/* ---- the forwarding model ---- */

struct owner {
	uint32_t addr;		/* host order */
	size_t link, ep;
};

struct net {
	const struct topology *t;
	const char **names;	/* node names, sorted */
	size_t *node_of_name;	/* index in t->nodes of names[i] */
	struct owner *owners;	/* every endpoint address, sorted */
	size_t n_owners;
	size_t **eps;		/* per node: link*2+ep of its endpoints */
	size_t *n_eps;
};

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_owner(const void *a, const void *b)
{
	const struct owner *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static uint32_t v4(const uint8_t a[16])
{
	return (uint32_t)a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3];
}

static bool in_prefix(uint32_t net, unsigned plen, uint32_t a)
{
	uint32_t mask = plen ? ~0u << (32 - plen) : 0;

	return (net & mask) == (a & mask);
}

static size_t node_index(const struct net *n, const char *name)
{
	const char **p = bsearch(&name, n->names, n->t->n_nodes, sizeof(*n->names), cmp_name);

	assert_non_null(p);
	return n->node_of_name[p - n->names];
}

static const struct owner *owner_of(const struct net *n, uint32_t a)
{
	struct owner key = { .addr = a };

	return bsearch(&key, n->owners, n->n_owners, sizeof(key), cmp_owner);
}

static void net_build(struct net *n, const struct topology *t)
{
	size_t i, j, k;
	const char **sorted;

	memset(n, 0, sizeof(*n));
	n->t = t;
	sorted = xcalloc(t->n_nodes, sizeof(*sorted));
	for (i = 0; i < t->n_nodes; i++)
		sorted[i] = t->nodes[i].name;
	qsort(sorted, t->n_nodes, sizeof(*sorted), cmp_name);
	n->names = sorted;
	n->node_of_name = xcalloc(t->n_nodes, sizeof(size_t));
	for (i = 0; i < t->n_nodes; i++)
		n->node_of_name[i] = topo_node_find(t, sorted[i]) - t->nodes;
	n->eps = xcalloc(t->n_nodes, sizeof(*n->eps));
	n->n_eps = xcalloc(t->n_nodes, sizeof(*n->n_eps));
	for (i = 0, k = 0; i < t->n_links; i++)
		k += t->links[i].ep[0].n_addrs + t->links[i].ep[1].n_addrs;
	n->owners = xcalloc(k, sizeof(*n->owners));
	for (i = 0; i < t->n_links; i++) {
		for (j = 0; j < 2; j++) {
			const struct endpoint *e = &t->links[i].ep[j];
			size_t ni = node_index(n, e->node);

			*VEC_PUSH(&n->eps[ni], &n->n_eps[ni]) = i * 2 + j;
			for (k = 0; k < e->n_addrs; k++) {
				struct owner *o = &n->owners[n->n_owners++];

				assert_int_equal(e->addrs[k].family, AF_INET);
				o->addr = v4(e->addrs[k].addr);
				o->link = i;
				o->ep = j;
			}
		}
	}
	qsort(n->owners, n->n_owners, sizeof(*n->owners), cmp_owner);
	for (i = 1; i < n->n_owners; i++)
		assert_true(n->owners[i].addr != n->owners[i - 1].addr);	/* no duplicates */
}

static void net_free(struct net *n)
{
	size_t i;

	for (i = 0; i < n->t->n_nodes; i++)
		free(n->eps[i]);
	free(n->eps);
	free(n->n_eps);
	free(n->owners);
	free(n->names);
	free(n->node_of_name);
}

static const struct endpoint *ep_at(const struct net *n, size_t code)
{
	return &n->t->links[code / 2].ep[code % 2];
}

/*
 * forward - walk a packet from node FROM to DST. Returns the node it is
 * delivered to, or -1 (no route, next hop not on a link, a host asked to
 * forward, or TTL exceeded). *SRC gets the address of the first hop's
 * interface, which the kernel would pick as the source.
 */
static long forward(const struct net *n, size_t from, uint32_t dst, uint32_t *src)
{
	size_t cur = from, i, k;
	int hops;

	for (hops = 0; hops <= 64; hops++) {
		const struct node *node = &n->t->nodes[cur];
		const struct owner *o = owner_of(n, dst);
		int best = -1;
		uint32_t nh = 0, out_addr = 0;
		bool moved = false;

		if (o && node_index(n, n->t->links[o->link].ep[o->ep].node) == cur)
			return cur;
		if (cur != from && node->kind != NODE_ROUTER)
			return -1;
		if (hops == 64)
			return -1;
		for (i = 0; i < n->n_eps[cur]; i++) {
			const struct endpoint *e = ep_at(n, n->eps[cur][i]);

			for (k = 0; k < e->n_addrs; k++)
				if (in_prefix(v4(e->addrs[k].addr), e->addrs[k].plen, dst) &&
				    (int)e->addrs[k].plen > best)
					best = e->addrs[k].plen, nh = dst;
		}
		for (i = 0; i < node->n_routes; i++) {
			const struct route_spec *r = &node->routes[i];

			assert_int_equal(r->family, AF_INET);
			if (in_prefix(v4(r->dst), r->dst_len, dst) && (int)r->dst_len > best) {
				assert_true(r->has_via);
				best = r->dst_len, nh = v4(r->via);
			}
		}
		if (best < 0)
			return -1;
		/* The next hop must be the peer's address on one of our links. */
		for (i = 0; i < n->n_eps[cur] && !moved; i++) {
			size_t code = n->eps[cur][i];
			const struct endpoint *e = ep_at(n, code);
			const struct owner *p = owner_of(n, nh);

			for (k = 0; k < e->n_addrs && !moved; k++) {
				if (!in_prefix(v4(e->addrs[k].addr), e->addrs[k].plen, nh))
					continue;
				if (!p || p->link != code / 2 || p->ep == code % 2)
					return -1;
				out_addr = v4(e->addrs[k].addr);
				cur = node_index(n, n->t->links[p->link].ep[p->ep].node);
				moved = true;
			}
		}
		if (!moved)
			return -1;
		if (hops == 0 && src)
			*src = out_addr;
	}
	return -1;
}

/* reach - NODE A reaches every address of node B, and B answers back. */
static void reach(const struct net *n, size_t a, size_t b)
{
	size_t i, k;

	for (i = 0; i < n->n_eps[b]; i++) {
		const struct endpoint *e = ep_at(n, n->eps[b][i]);

		for (k = 0; k < e->n_addrs; k++) {
			uint32_t dst = v4(e->addrs[k].addr), src = 0;
			long got = forward(n, a, dst, &src);

			if (got != (long)b)
				fail_msg("%s -> %s (%08x): delivered to %ld", n->t->nodes[a].name,
					 n->t->nodes[b].name, dst, got);
			if (forward(n, b, src, NULL) != (long)a)
				fail_msg("%s -> %s: no way back to %08x", n->t->nodes[b].name,
					 n->t->nodes[a].name, src);
		}
	}
}

/* probes_pass - every probe of the lab goes there and back in the model. */
static void probes_pass(const struct net *n)
{
	size_t i;

	assert_true(n->t->n_probes > 0);
	for (i = 0; i < n->t->n_probes; i++) {
		const struct probe_spec *p = &n->t->probes[i];

		assert_true(p->expect_reachable);
		reach(n, node_index(n, p->from), node_index(n, p->to));
	}
}

static void all_pairs_pass(const struct net *n)
{
	size_t a, b;

	for (a = 0; a < n->t->n_nodes; a++)
		for (b = 0; b < n->t->n_nodes; b++)
			if (a != b)
				reach(n, a, b);
}

/* Does some probe go between the two ends A and B of the lab (either way)? */
static bool has_probe(const struct topology *t, const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < t->n_probes; i++)
		if (!strcmp(t->probes[i].from, a) && !strcmp(t->probes[i].to, b))
			return true;
	return false;
}

/* lab_ok - BUF loads and checks, has NODES and LINKS, and its probes (or all pairs) pass. */
static struct topology *lab_ok(const char *buf, size_t nodes, size_t links, bool all_pairs)
{
	struct topology *t = load_checked(buf);
	struct net n;

	assert_int_equal(t->n_nodes, nodes);
	assert_int_equal(t->n_links, links);
	net_build(&n, t);
	probes_pass(&n);
	if (all_pairs)
		all_pairs_pass(&n);
	net_free(&n);
	return t;
}

static void check_lab(const char *buf, size_t nodes, size_t links, bool all_pairs)
{
	topo_free(lab_ok(buf, nodes, links, all_pairs));
}

/* ---- tests ---- */

static void test_chain(void **state)
{
	char err[256], *buf;
	struct topology *t;

	buf = gen(err, sizeof(err), "chain", "6", NULL);
	assert_non_null(buf);
	t = lab_ok(buf, 6, 5, true);
	assert_string_equal(t->name, "chain-6");
	assert_true(has_probe(t, "n1", "n6") && has_probe(t, "n6", "n1"));
	assert_true(has_probe(t, "n3", "n4"));
	assert_int_equal(topo_node_find(t, "n3")->kind, NODE_ROUTER);
	assert_int_equal(topo_node_find(t, "n1")->kind, NODE_HOST);
	topo_free(t);
	free(buf);

	buf = gen(err, sizeof(err), "chain", "1", NULL);
	assert_non_null(buf);
	t = load_checked(buf);
	assert_int_equal(t->n_nodes, 1);
	topo_free(t);
	free(buf);

	buf = gen(err, sizeof(err), "chain", "2", NULL);
	check_lab(buf, 2, 1, true);
	free(buf);
	buf = gen(err, sizeof(err), "chain", "40", NULL);
	check_lab(buf, 40, 39, true);
	free(buf);
}

/* At 5000 nodes: still valid, few routes per node, probes within TTL. */
static void test_chain_5000(void **state)
{
	char err[256], *buf;
	struct topology *t;
	size_t i, max_routes = 0;

	buf = gen(err, sizeof(err), "chain", "5000", "--name", "big", NULL);
	assert_non_null(buf);
	t = lab_ok(buf, 5000, 4999, false);
	assert_string_equal(t->name, "big");
	for (i = 0; i < t->n_nodes; i++)
		if (t->nodes[i].n_routes > max_routes)
			max_routes = t->nodes[i].n_routes;
	assert_true(max_routes <= 16);
	/* Adjacent pairs, plus two long ones. */
	assert_true(t->n_probes >= 4999 && t->n_probes < 5010);
	assert_true(has_probe(t, "n1", "n61"));
	assert_true(has_probe(t, "n5000", "n4940"));
	topo_free(t);
	free(buf);
}

static void test_grid(void **state)
{
	char err[256], *buf;
	struct topology *t;

	buf = gen(err, sizeof(err), "grid", "3", "3", NULL);
	t = lab_ok(buf, 9, 12, true);
	assert_true(has_probe(t, "n1-1", "n3-3") && has_probe(t, "n3-1", "n1-3"));
	topo_free(t);
	free(buf);
	buf = gen(err, sizeof(err), "grid", "4", "2", NULL);
	check_lab(buf, 8, 10, true);
	free(buf);
	buf = gen(err, sizeof(err), "grid", "1", "5", NULL);
	check_lab(buf, 5, 4, true);
	free(buf);
	buf = gen(err, sizeof(err), "grid", "70", "72", NULL);	/* 5040 nodes */
	check_lab(buf, 5040, 69 * 72 + 70 * 71, false);
	free(buf);
}

static void test_fat_tree(void **state)
{
	char err[256], *buf;

	buf = gen(err, sizeof(err), "fat-tree", "4", NULL);
	check_lab(buf, 36, 48, true);
	free(buf);
	buf = gen(err, sizeof(err), "fat-tree", "2", NULL);
	check_lab(buf, 7, 6, true);
	free(buf);
	buf = gen(err, sizeof(err), "fat-tree", "6", NULL);
	check_lab(buf, 99, 162, true);
	free(buf);
	buf = gen(err, sizeof(err), "fat-tree", "24", NULL);	/* 4176 nodes */
	check_lab(buf, 4176, 3 * 24 * 24 * 24 / 4, false);
	free(buf);
}

static void test_star(void **state)
{
	char err[256], *buf;

	buf = gen(err, sizeof(err), "star", "5", NULL);
	check_lab(buf, 6, 5, true);
	free(buf);
	buf = gen(err, sizeof(err), "star", "5000", NULL);
	check_lab(buf, 5001, 5000, false);
	free(buf);
}

/* The model is not vacuous: a lab with one route gone fails it. */
static void test_model_catches_bad_route(void **state)
{
	char err[256], *buf, *p;
	struct topology *t;
	struct net n;
	size_t n6, n1;

	buf = gen(err, sizeof(err), "chain", "6", NULL);
	/* n4's way back to the first two links. */
	p = strstr(buf, "[10.0.0.0/29 via 10.0.0.9, ");
	assert_non_null(p);
	memmove(p + 1, p + strlen("[10.0.0.0/29 via 10.0.0.9, "),
		strlen(p + strlen("[10.0.0.0/29 via 10.0.0.9, ")) + 1);
	t = load_checked(buf);
	net_build(&n, t);
	n1 = node_index(&n, "n1");
	n6 = node_index(&n, "n6");
	assert_int_equal(forward(&n, n6, 0x0a000001, NULL), -1);	/* n6 -> 10.0.0.1 */
	assert_int_equal(forward(&n, n1, 0x0a000012, NULL), (long)n6);	/* forward way still fine */
	net_free(&n);
	topo_free(t);
	free(buf);

	/* A host in the middle drops transit traffic. */
	buf = gen(err, sizeof(err), "chain", "3", NULL);
	p = strstr(buf, "    kind: router\n");
	assert_non_null(p);
	memmove(p, p + strlen("    kind: router\n"), strlen(p + strlen("    kind: router\n")) + 1);
	t = load_checked(buf);
	net_build(&n, t);
	assert_int_equal(forward(&n, node_index(&n, "n1"), 0x0a000006, NULL), -1);
	net_free(&n);
	topo_free(t);
	free(buf);
}

/* refused - `topo generate ARGS...` (NULL-terminated) exits 1 with WHAT and the usage. */
static void refused(const char *what, ...)
{
	char *argv[8], *buf = NULL, err[256] = "", *arg;
	size_t len = 0;
	va_list ap;
	FILE *f;
	int argc = 0;

	argv[0] = "generate";
	va_start(ap, what);
	while ((arg = va_arg(ap, char *)) && argc < 6)
		argv[++argc] = arg;
	va_end(ap);
	f = open_memstream(&buf, &len);
	assert_int_equal(generate_main(argc + 1, argv, f, err, sizeof(err)), 1);
	fclose(f);
	assert_int_equal(len, 0);	/* nothing half-printed */
	free(buf);
	if (!strstr(err, what) || !strstr(err, "usage: topo generate"))
		fail_msg("expected '%s' and the usage in: %s", what, err);
}

static void test_bad_arguments(void **state)
{
	refused("N must be between 1", "chain", "0", NULL);
	refused("W and H must be at least 1", "grid", "1", "0", NULL);
	refused("K must be even", "fat-tree", "3", NULL);
	refused("K must be even and between 2 and 64", "fat-tree", "0", NULL);
	refused("unknown kind 'ring'", "ring", "4", NULL);
	refused("missing KIND", NULL);
	refused("chain takes 1 number, got 0", "chain", NULL);
	refused("grid takes 2 numbers, got 1", "grid", "3", NULL);
	refused("unknown option '-1'", "chain", "-1", NULL);
	refused("'1e3' is not a number", "chain", "1e3", NULL);
	refused("'+5' is not a number", "chain", "+5", NULL);
	refused("unknown option '-x'", "chain", "-x", "5", NULL);
	refused("--name needs a value", "chain", "5", "--name", NULL);
	refused("invalid lab name 'Bad'", "chain", "5", "--name", "Bad", NULL);
	refused("invalid lab name", "chain", "5", "--name",
		"a-name-that-is-far-too-long-for-a-lab", NULL);
	/* The address plan must not overflow: refused rather than wrapped. */
	refused("N must be between 1 and 4194305", "chain", "4194306", NULL);
	refused("W*H at most", "grid", "2000", "2000", NULL);
	refused("K must be even and between 2 and 64", "fat-tree", "66", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_chain_5000),
		cmocka_unit_test(test_grid),
		cmocka_unit_test(test_fat_tree),
		cmocka_unit_test(test_star),
		cmocka_unit_test(test_model_catches_bad_route),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
