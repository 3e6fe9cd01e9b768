// SPDX-License-Identifier: MIT
/*
 * `topo generate`: lab files for large regular shapes.
 *
 * Each generator prints nodes, links and probes straight from closed-form
 * address plans, so a 5000-node lab costs no memory beyond one node's
 * routes. All addresses are in 10.0.0.0/8 (IPv4 only: the shapes are about
 * scale, and IPv6 would double every count without testing anything more).
 * Routes are kept few by laying addresses out so that "everything on that
 * side" is one contiguous range, which a handful of aligned CIDR blocks
 * cover (a range of n /30s needs at most about 2 log2(n) blocks).
 *
 * Probes are chosen to fail when a route is wrong (far ends, both
 * directions), but never span more than PROBE_SPAN hops: a ping leaves with
 * a TTL of 64, so in a 1000-node chain the first node cannot reach the last
 * one, however right the routes are.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "generate.h"
#include "util.h"

#define PROBE_SPAN 60
#define NET10 0x0a000000u
#define NET10_SIZE (1u << 24)

struct gen {
	FILE *out;
	char *routes;		/* the current node's routes, ", "-separated */
	size_t routes_len, routes_cap;
	bool in_nodes, in_links, in_probes;
};

static const char *ip4(uint32_t a, char buf[16])
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
	return buf;
}

static void __attribute__((format(printf, 2, 3))) route_printf(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = g->routes_cap - g->routes_len;

		va_start(ap, fmt);
		n = vsnprintf(g->routes ? g->routes + g->routes_len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			abort();
		if ((size_t)n < room)
			break;
		g->routes_cap = (g->routes_cap + n + 1) * 2;
		g->routes = xrealloc(g->routes, g->routes_cap);
	}
	g->routes_len += n;
}

static void route_add(struct gen *g, uint32_t dst, unsigned plen, uint32_t via)
{
	char a[16], b[16];

	route_printf(g, "%s%s/%u via %s", g->routes_len ? ", " : "", ip4(dst, a), plen,
		     ip4(via, b));
}

static void route_default(struct gen *g, uint32_t via)
{
	char b[16];

	route_printf(g, "%sdefault via %s", g->routes_len ? ", " : "", ip4(via, b));
}

/*
 * route_range - routes to offsets [LO, HI) of 10.0.0.0/8 via VIA, as the
 * fewest aligned blocks: at each step the largest block that starts at LO
 * (its alignment) and does not pass HI.
 */
static void route_range(struct gen *g, uint32_t lo, uint32_t hi, uint32_t via)
{
	while (lo < hi) {
		uint32_t size = lo ? lo & -lo : NET10_SIZE;

		while (size > hi - lo)
			size >>= 1;
		route_add(g, NET10 | lo, 32 - __builtin_ctz(size), via);
		lo += size;
	}
}

/* node_emit - print node NAME with the routes gathered since the last node. */
/* "PREFIX<I>" into BUF: node and interface names of generated labs. */
static const char *name_n(char buf[24], const char *prefix, unsigned long i)
{
	snprintf(buf, 24, "%s%lu", prefix, i);
	return buf;
}

static void node_emit(struct gen *g, const char *name, bool router)
{
	if (!g->in_nodes) {
		fputs("nodes:\n", g->out);
		g->in_nodes = true;
	}
	if (!router && !g->routes_len) {
		fprintf(g->out, "  %s: {}\n", name);
		return;
	}
	fprintf(g->out, "  %s:\n", name);
	if (router)
		fputs("    kind: router\n", g->out);
	if (g->routes_len)
		fprintf(g->out, "    routes: [%s]\n", g->routes);
	g->routes_len = 0;
}

/* link_emit - one veth: NA:IA with A/PLEN and NB:IB with B/PLEN. */
static void link_emit(struct gen *g, const char *na, const char *ia, uint32_t a,
		      const char *nb, const char *ib, uint32_t b, unsigned plen)
{
	char sa[16], sb[16];

	if (!g->in_links) {
		fputs("links:\n", g->out);
		g->in_links = true;
	}
	fprintf(g->out, "  - endpoints: [\"%s:%s %s/%u\", \"%s:%s %s/%u\"]\n", na, ia, ip4(a, sa),
		plen, nb, ib, ip4(b, sb), plen);
}

static void probe_emit(struct gen *g, const char *from, const char *to)
{
	if (!strcmp(from, to))
		return;
	if (!g->in_probes) {
		fputs("probes:\n", g->out);
		g->in_probes = true;
	}
	fprintf(g->out, "  - { from: %s, to: %s }\n", from, to);
}

/*
 * chain N: n1 - n2 - ... - nN, nI:eth1 linked to nI+1:eth0.
 *
 * Link I is the I-th /30 of 10.0.0.0/8 (offset 4(I-1)); nI holds .1 and
 * nI+1 holds .2. Addresses grow from left to right, so everything left of
 * nI's left neighbour is the range [0, 4(I-2)): a few blocks via the left
 * neighbour. Everything else is to the right: a default via the right
 * neighbour. The last node has no default, so a packet for an address
 * outside the lab dies there instead of bouncing between the last two.
 */
static uint32_t chain_net(unsigned long i)
{
	return 4 * (uint32_t)(i - 1);
}

static void gen_chain(struct gen *g, const unsigned long *v)
{
	unsigned long n = v[0], i;
	char a[24], b[24];

	fprintf(g->out, "# A chain of %lu nodes: nI:eth1 -- nI+1:eth0, the I-th /30 of 10.0.0.0/8.\n"
		"# Routes: lower addresses via the left neighbour, default via the right one.\n", n);
	for (i = 1; i <= n; i++) {
		if (i >= 3)
			route_range(g, 0, chain_net(i - 1), NET10 | (chain_net(i - 1) + 1));
		if (i < n)
			route_default(g, NET10 | (chain_net(i) + 2));
		node_emit(g, name_n(a, "n", i), i > 1 && i < n);
	}
	for (i = 1; i < n; i++)
		link_emit(g, name_n(a, "n", i), "eth1", NET10 | (chain_net(i) + 1),
			  name_n(b, "n", i + 1), "eth0", NET10 | (chain_net(i) + 2), 30);
	/* Neighbours first (they check the links), then the far ends (the routes). */
	for (i = 1; i < n; i++)
		probe_emit(g, name_n(a, "n", i), name_n(b, "n", i + 1));
	if (n >= 3) {
		unsigned long far = n < 1 + PROBE_SPAN ? n : 1 + PROBE_SPAN;

		probe_emit(g, "n1", name_n(b, "n", far));
		probe_emit(g, name_n(a, "n", n), name_n(b, "n", n > PROBE_SPAN ? n - PROBE_SPAN : 1));
	}
}

static int chain_check(const unsigned long *v, char *why, size_t len)
{
	/* N - 1 links of 4 addresses each must fit in 10.0.0.0/8. */
	if (v[0] < 1 || v[0] - 1 > NET10_SIZE / 4) {
		snprintf(why, len, "chain: N must be between 1 and %u, got %lu", NET10_SIZE / 4 + 1,
			 v[0]);
		return -EINVAL;
	}
	return 0;
}

/*
 * star N: hosts h1..hN around the router `hub`; hI:eth0 -- hub:ethI is the
 * I-th /30 (hub .1, host .2). Hosts route by default via the hub, which
 * has every subnet connected. Probes go round the ring of hosts, each one
 * two hops through the hub.
 */
static void gen_star(struct gen *g, const unsigned long *v)
{
	unsigned long n = v[0], i;
	char a[24], b[24];

	fprintf(g->out, "# A star: hosts h1..h%lu around the router hub; hI:eth0 -- hub:ethI is the\n"
		"# I-th /30 of 10.0.0.0/8. Hosts route by default via the hub.\n", n);
	node_emit(g, "hub", true);
	for (i = 1; i <= n; i++) {
		route_default(g, NET10 | (4 * (uint32_t)(i - 1) + 1));
		node_emit(g, name_n(a, "h", i), false);
	}
	for (i = 1; i <= n; i++)
		link_emit(g, "hub", name_n(a, "eth", i), NET10 | (4 * (uint32_t)(i - 1) + 1),
			  name_n(b, "h", i), "eth0", NET10 | (4 * (uint32_t)(i - 1) + 2), 30);
	for (i = 1; i <= n && n >= 2; i++)
		probe_emit(g, name_n(a, "h", i), name_n(b, "h", i % n + 1));
	if (n <= 16)
		probe_emit(g, "h1", "hub");
}

static int star_check(const unsigned long *v, char *why, size_t len)
{
	if (v[0] < 1 || v[0] > NET10_SIZE / 4) {
		snprintf(why, len, "star: N must be between 1 and %u, got %lu", NET10_SIZE / 4, v[0]);
		return -EINVAL;
	}
	return 0;
}

/*
 * grid W H: routers nX-Y (column X of W, row Y of H), each linked east to
 * nX+1-Y (ifnames east/west) and south to nX-Y+1 (south/north).
 *
 * Routing is dimension-ordered: first along the row to the right column,
 * then along the column. Node k = x*H + y (0-based, column-major) owns the
 * 8 addresses at offset 8k: its east link's /30 and then its south link's.
 * Columns are therefore contiguous ranges, and so are the rows within a
 * column: each node needs at most four ranges (columns to the west, to the
 * east; rows to the north, to the south of its own column).
 */
static void gen_grid(struct gen *g, const unsigned long *v)
{
	uint32_t w = v[0], h = v[1], x, y;
	char a[32], b[32];
	const unsigned span = PROBE_SPAN / 2;
	struct { uint32_t x0, y0, x1, y1; } pairs[4];
	size_t i;

#define GRID_BASE(x, y) (8 * ((uint32_t)(x) * h + (y)))
	fprintf(g->out, "# A %ux%u grid of routers nX-Y, linked east-west and north-south by /30s\n"
		"# of 10.0.0.0/8; dimension-ordered routing: along the row, then the column.\n", w, h);
	for (x = 0; x < w; x++) {
		for (y = 0; y < h; y++) {
			uint32_t base = GRID_BASE(x, y);
			unsigned degree = (x > 0) + (x + 1 < w) + (y > 0) + (y + 1 < h);

			if (x > 0)
				route_range(g, 0, GRID_BASE(x, 0), NET10 | (GRID_BASE(x - 1, y) + 1));
			if (x + 1 < w)
				route_range(g, GRID_BASE(x + 1, 0), GRID_BASE(w, 0), NET10 | (base + 2));
			if (y > 0)
				route_range(g, GRID_BASE(x, 0), base, NET10 | (GRID_BASE(x, y - 1) + 5));
			if (y + 1 < h)
				route_range(g, base + 8, GRID_BASE(x + 1, 0), NET10 | (base + 6));
			snprintf(a, sizeof(a), "n%u-%u", x + 1, y + 1);
			node_emit(g, a, degree >= 2);
		}
	}
	for (x = 0; x < w; x++) {
		for (y = 0; y < h; y++) {
			uint32_t base = GRID_BASE(x, y);

			snprintf(a, sizeof(a), "n%u-%u", x + 1, y + 1);
			if (x + 1 < w) {
				snprintf(b, sizeof(b), "n%u-%u", x + 2, y + 1);
				link_emit(g, a, "east", NET10 | (base + 1), b, "west",
					  NET10 | (base + 2), 30);
			}
			if (y + 1 < h) {
				snprintf(b, sizeof(b), "n%u-%u", x + 1, y + 2);
				link_emit(g, a, "south", NET10 | (base + 5), b, "north",
					  NET10 | (base + 6), 30);
			}
		}
	}
#undef GRID_BASE
	/* Both diagonals, both ways: every probe turns a corner, so both
	 * dimensions' routes are used, in both orders. */
	pairs[0].x0 = 0, pairs[0].y0 = 0;
	pairs[0].x1 = w - 1 < span ? w - 1 : span, pairs[0].y1 = h - 1 < span ? h - 1 : span;
	pairs[1].x0 = w - 1, pairs[1].y0 = 0;
	pairs[1].x1 = w - 1 > span ? w - 1 - span : 0, pairs[1].y1 = pairs[0].y1;
	pairs[2] = (typeof(pairs[2])){ pairs[0].x1, pairs[0].y1, pairs[0].x0, pairs[0].y0 };
	pairs[3] = (typeof(pairs[3])){ pairs[1].x1, pairs[1].y1, pairs[1].x0, pairs[1].y0 };
	for (i = 0; i < ARRAY_SIZE(pairs); i++) {
		size_t j;
		bool dup = false;

		for (j = 0; j < i; j++)
			dup |= !memcmp(&pairs[i], &pairs[j], sizeof(pairs[i]));
		if (dup)
			continue;
		snprintf(a, sizeof(a), "n%u-%u", pairs[i].x0 + 1, pairs[i].y0 + 1);
		snprintf(b, sizeof(b), "n%u-%u", pairs[i].x1 + 1, pairs[i].y1 + 1);
		probe_emit(g, a, b);
	}
}

static int grid_check(const unsigned long *v, char *why, size_t len)
{
	/* Every node owns 8 addresses of 10.0.0.0/8. */
	if (v[0] < 1 || v[1] < 1 || v[0] > NET10_SIZE / 8 || v[1] > NET10_SIZE / 8 ||
	    v[0] * v[1] > NET10_SIZE / 8) {
		snprintf(why, len, "grid: W and H must be at least 1 and W*H at most %u, got %lu %lu",
			 NET10_SIZE / 8, v[0], v[1]);
		return -EINVAL;
	}
	return 0;
}

/*
 * fat-tree K (Al-Fares et al., SIGCOMM 2008): K pods of K/2 edge and K/2
 * aggregation routers, (K/2)^2 core routers, K/2 hosts per edge router;
 * K^3/4 hosts and 5K^2/4 routers in all. Names: hP-E-J, eP-E, aP-A, cC (0-based).
 *
 * Addresses are 10.P.X.Y, one /16 per pod:
 *   hP-E-J  -- eP-E     10.P.E.4J/30          (edge .1, host .2)
 *   eP-E    -- aP-A     10.P.E.(128+4A)/30    (edge .1, agg .2)
 *   aP-A    -- cC       10.P.(128+A).4I/30    (agg .1, core .2), C = A*K/2 + I
 * so edge E's subnets are 10.P.E.0/24 and aggregation router A's uplinks
 * are 10.P.(128+A).0/24. Hosts route by default to their edge router; an
 * edge router by default to one aggregation router (spread by E), with a
 * /24 to each aggregation router's uplinks; an aggregation router has a
 * /24 to each edge router, one to each sibling's uplinks via edge 0, and a
 * default to one core router (spread by pod); core router C has a /16 to
 * every pod via its aggregation router A there. No route needs ECMP.
 */
#define FT(p, x, y) (NET10 | (uint32_t)(p) << 16 | (uint32_t)(x) << 8 | (uint32_t)(y))

/* Every node of a k=K fat-tree, with its routes. */
static void fattree_nodes(struct gen *g, unsigned k)
{
	unsigned half = k / 2, p, e, a, j, c;
	char s[48];

	for (p = 0; p < k; p++) {
		for (e = 0; e < half; e++) {
			for (j = 0; j < half; j++) {
				route_default(g, FT(p, e, 4 * j + 1));
				snprintf(s, sizeof(s), "h%u-%u-%u", p, e, j);
				node_emit(g, s, false);
			}
			for (a = 0; a < half; a++)
				route_add(g, FT(p, 128 + a, 0), 24, FT(p, e, 128 + 4 * a + 2));
			route_default(g, FT(p, e, 128 + 4 * (e % half) + 2));
			snprintf(s, sizeof(s), "e%u-%u", p, e);
			node_emit(g, s, true);
		}
		for (a = 0; a < half; a++) {
			for (e = 0; e < half; e++)
				route_add(g, FT(p, e, 0), 24, FT(p, e, 128 + 4 * a + 1));
			for (j = 0; j < half; j++)
				if (j != a)
					route_add(g, FT(p, 128 + j, 0), 24, FT(p, 0, 128 + 4 * a + 1));
			route_default(g, FT(p, 128 + a, 4 * (p % half) + 2));
			snprintf(s, sizeof(s), "a%u-%u", p, a);
			node_emit(g, s, true);
		}
	}
	for (c = 0; c < half * half; c++) {
		for (p = 0; p < k; p++)
			route_add(g, FT(p, 0, 0), 16, FT(p, 128 + c / half, 4 * (c % half) + 1));
		snprintf(s, sizeof(s), "c%u", c);
		node_emit(g, s, true);
	}
}

/* Edge to hosts and aggregation, aggregation to core. */
static void fattree_links(struct gen *g, unsigned k)
{
	unsigned half = k / 2, p, e, a, j;
	char s[48], t[48], u[16];

	for (p = 0; p < k; p++) {
		for (e = 0; e < half; e++) {
			snprintf(s, sizeof(s), "e%u-%u", p, e);
			for (j = 0; j < half; j++) {
				snprintf(t, sizeof(t), "h%u-%u-%u", p, e, j);
				snprintf(u, sizeof(u), "down%u", j);
				link_emit(g, s, u, FT(p, e, 4 * j + 1), t, "eth0", FT(p, e, 4 * j + 2), 30);
			}
			for (a = 0; a < half; a++) {
				char d[16];

				snprintf(t, sizeof(t), "a%u-%u", p, a);
				snprintf(u, sizeof(u), "up%u", a);
				snprintf(d, sizeof(d), "down%u", e);
				link_emit(g, s, u, FT(p, e, 128 + 4 * a + 1), t, d,
					  FT(p, e, 128 + 4 * a + 2), 30);
			}
		}
		for (a = 0; a < half; a++) {
			snprintf(s, sizeof(s), "a%u-%u", p, a);
			for (j = 0; j < half; j++) {
				char d[16];

				snprintf(t, sizeof(t), "c%u", a * half + j);
				snprintf(u, sizeof(u), "up%u", j);
				snprintf(d, sizeof(d), "pod%u", p);
				link_emit(g, s, u, FT(p, 128 + a, 4 * j + 1), t, d,
					  FT(p, 128 + a, 4 * j + 2), 30);
			}
		}
	}
}

static void fattree_probes(struct gen *g, unsigned k)
{
	unsigned half = k / 2;
	char s[48], t[48];

	/* Host to host across the whole tree, both ways; inside an edge and a
	 * pod; and to every address of a core and an aggregation router, whose
	 * uplink addresses are only reachable through the sibling routes. */
	snprintf(t, sizeof(t), "h%u-%u-%u", k - 1, half - 1, half - 1);
	probe_emit(g, "h0-0-0", t);
	probe_emit(g, t, "h0-0-0");
	if (half > 1) {
		probe_emit(g, "h0-0-0", "h0-0-1");
		probe_emit(g, "h0-0-0", "h0-1-0");
	}
	snprintf(s, sizeof(s), "h%u-0-0", k / 2);
	probe_emit(g, "h0-0-0", s);
	snprintf(s, sizeof(s), "c%u", half * half - 1);
	probe_emit(g, "h0-0-0", s);
	snprintf(s, sizeof(s), "a0-%u", half - 1);
	probe_emit(g, "h0-0-0", s);
	snprintf(s, sizeof(s), "e%u-0", k - 1);
	probe_emit(g, "h0-0-0", s);
	probe_emit(g, t, "e0-0");
}

static void gen_fattree(struct gen *g, const unsigned long *v)
{
	unsigned k = v[0], half = k / 2;

	fprintf(g->out, "# A k=%u fat-tree: %u pods (10.P.0.0/16 each) of %u edge and %u aggregation\n"
		"# routers, %u core routers, %u hosts hP-E-J at 10.P.E.(4J+2).\n", k, k, half, half, half * half, k * half * half);
	fattree_nodes(g, k);
	fattree_links(g, k);
	fattree_probes(g, k);
}

static int fattree_check(const unsigned long *v, char *why, size_t len)
{
	/* Hosts and uplinks of one edge router share a /24: K/2 <= 32. */
	if (v[0] < 2 || v[0] > 64 || v[0] % 2) {
		snprintf(why, len, "fat-tree: K must be even and between 2 and 64, got %lu", v[0]);
		return -EINVAL;
	}
	return 0;
}

struct gen_kind {
	const char *name;
	int nargs;
	int (*check)(const unsigned long *v, char *why, size_t len);
	void (*emit)(struct gen *g, const unsigned long *v);
};

static const struct gen_kind gen_kinds[] = {
	{ "chain", 1, chain_check, gen_chain },
	{ "grid", 2, grid_check, gen_grid },
	{ "fat-tree", 1, fattree_check, gen_fattree },
	{ "star", 1, star_check, gen_star },
};

static int __attribute__((format(printf, 3, 4))) usage_error(char *err, size_t len, const char *fmt,
							      ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(err, len, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < len)
		snprintf(err + n, len - n, "\n%s", GENERATE_USAGE);
	return 1;
}

/* Strict decimal: digits only, no sign, no spaces, at most 9 digits. */
static int count_parse(const char *s, unsigned long *out)
{
	size_t n = strspn(s, "0123456789");

	if (!n || s[n] || n > 9)
		return -EINVAL;
	*out = strtoul(s, NULL, 10);
	return 0;
}

int generate_main(int argc, char **argv, FILE *out, char *err, size_t errlen)
{
	const char *pos[4], *name = NULL;
	const struct gen_kind *kind = NULL;
	unsigned long v[2];
	char defname[TOPO_NAME_MAX + 1], why[160];
	struct gen g = { .out = out };
	int npos = 0, i;
	size_t k;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--name")) {
			if (++i == argc)
				return usage_error(err, errlen, "--name needs a value");
			name = argv[i];
		} else if (!strncmp(argv[i], "--name=", 7)) {
			name = argv[i] + 7;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fprintf(out, "%s\n", GENERATE_USAGE);
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error(err, errlen, "unknown option '%s'", argv[i]);
		} else if (npos < (int)ARRAY_SIZE(pos)) {
			pos[npos++] = argv[i];
		} else {
			return usage_error(err, errlen, "too many arguments");
		}
	}
	if (!npos)
		return usage_error(err, errlen, "missing KIND");
	for (k = 0; k < ARRAY_SIZE(gen_kinds); k++)
		if (!strcmp(pos[0], gen_kinds[k].name))
			kind = &gen_kinds[k];
	if (!kind)
		return usage_error(err, errlen, "unknown kind '%s' (chain, grid, fat-tree, star)",
				   pos[0]);
	if (npos - 1 != kind->nargs)
		return usage_error(err, errlen, "%s takes %d number%s, got %d", kind->name,
				   kind->nargs, kind->nargs > 1 ? "s" : "", npos - 1);
	for (i = 0; i < kind->nargs; i++)
		if (count_parse(pos[i + 1], &v[i]) < 0)
			return usage_error(err, errlen, "%s: '%s' is not a number", kind->name,
					   pos[i + 1]);
	if (kind->check(v, why, sizeof(why)) < 0)
		return usage_error(err, errlen, "%s", why);
	if (!name) {
		if (kind->nargs == 2)
			snprintf(defname, sizeof(defname), "%s-%lu-%lu", kind->name, v[0], v[1]);
		else
			snprintf(defname, sizeof(defname), "%s-%lu", kind->name, v[0]);
		name = defname;
	}
	if (!name_valid(name))
		return usage_error(err, errlen,
				   "invalid lab name '%s' ([a-z0-9][a-z0-9_-]*, at most %d characters)",
				   name, TOPO_NAME_MAX);

	fprintf(out, "# Generated by: topo generate");
	for (i = 1; i < argc; i++)
		fprintf(out, " %s", argv[i]);
	fprintf(out, "\nname: %s\n", name);
	kind->emit(&g, v);
	free(g.routes);
	if (fflush(out) == EOF || ferror(out)) {
		snprintf(err, errlen, "cannot write the lab file: %s", strerror(errno));
		return 1;
	}
	return 0;
}
