// SPDX-License-Identifier: MIT
/*
 * load - the topology file (format v1, docs/format.md) into the model.
 *
 * Two passes: yaml_tree.c turns the file into a tree of values with their
 * positions, then this file walks the tree with a table of known keys per
 * mapping, so that every error can be reported at once, at the offending
 * value. Values with a grammar of their own (addresses, routes, endpoints)
 * are parsed in load_value.c.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "load_host.h"
#include "load_lan.h"
#include "load_nodefs.h"
#include "load_rule.h"
#include "load_run.h"
#include "load_value.h"
#include "topology.h"
#include "util.h"
#include "yaml_tree.h"

/*
 * A probe duration, at most DURATION_MAX: the prober adds it to a
 * microsecond clock, where 5124095576h wraps around (a reachable probe then
 * failed after 0.2 s); no probe needs to wait for a reply, or retry, longer.
 */
#define DURATION_MAX_US 3600000000ULL
#define DURATION_MAX "1h"

static bool duration(struct ytree *c, const struct ynode *y, const char *what, uint64_t *us)
{
	const char *s = ytree_str(c, y);
	uint64_t v;

	if (!s)
		return false;
	if (duration_parse(s, &v) < 0) {
		ytree_err(c, y->pos, "invalid %s '%s' (expected a duration such as 250us, 10ms, 1.5s)",
			  what, SHOW(s));
		return false;
	}
	if (v > DURATION_MAX_US) {
		ytree_err(c, y->pos, "%s '%s' is too long (the maximum is " DURATION_MAX ")", what, SHOW(s));
		return false;
	}
	*us = v;
	return true;
}

/* Which of CHOICES (NULL-terminated) S is, or -1 after reporting. */
static int choice(struct ytree *c, const struct ynode *y, const char *what,
		  const char *const *choices, const char *expected)
{
	const char *s = ytree_str(c, y);
	int i;

	if (!s)
		return -1;
	for (i = 0; choices[i]; i++) {
		if (!strcmp(s, choices[i]))
			return i;
	}
	ytree_err(c, y->pos, "invalid %s '%s' (expected %s)", what, SHOW(s), expected);
	return -1;
}

/* ---- node fields ---- */

enum { NK_KIND, NK_ADDRESSES, NK_ROUTES, NK_SYSCTL, NK_EXEC, NK_FILES, NK_DIRS, NK_RUN,
       NK_TABLES, NK_RULES, NK_HOST, NK_N };
static const char *const node_keys[NK_N] = { "kind", "addresses", "routes", "sysctl", "exec",
					     "files", "dirs", "run", "tables", "rules", "host" };

static void load_addresses(struct ytree *c, const struct ynode *map, struct node *n)
{
	struct strmap seen = { 0 };
	size_t i, j;

	if (!ytree_want_opt(c, map, Y_MAP))
		return;
	for (i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *key = map->kids[i], *list = map->kids[i + 1];
		const char *iface = ytree_user_key(c, key, &seen);
		struct iface_addrs *ia;

		if (!iface || !load_ifname_ok(c, iface, key->pos))
			continue;
		ia = VEC_APPEND(&n->addrs, &n->n_addrs);
		ia->iface = xstrdup(iface);
		ia->pos = key->pos;
		if (!ytree_want_opt(c, list, Y_SEQ))
			continue;
		for (j = 0; j < list->n; j++) {
			const char *s = ytree_str(c, list->kids[j]);
			struct cidr cidr;

			if (s && load_cidr(c, s, list->kids[j]->pos, &cidr))
				*(struct cidr *)VEC_APPEND(&ia->addrs, &ia->n_addrs) = cidr;
		}
	}
	strmap_free(&seen);
}

static void load_routes(struct ytree *c, const struct ynode *list, struct node *n)
{
	size_t i;

	if (!ytree_want_opt(c, list, Y_SEQ))
		return;
	for (i = 0; i < list->n; i++) {
		struct route_spec r = { .pos = list->kids[i]->pos };

		if (load_route(c, list->kids[i], &r)) {
			*(struct route_spec *)VEC_APPEND(&n->routes, &n->n_routes) = r;
		} else {
			free(r.text);
			free(r.dev);
			free(r.table);
		}
	}
}

static void load_sysctl(struct ytree *c, const struct ynode *key, const struct ynode *val,
			void *arg)
{
	struct node *n = arg;
	struct sysctl_spec *sc;
	const char *v;
	bool b;

	/* The kernel wants 1/0; `true`/`false` is what people write in YAML. */
	v = ynode_is_bool(val, &b) ? (b ? "1" : "0") : val->s;
	if (strpbrk(v, "\n\r")) {
		ytree_err(c, val->pos, "sysctl value must be a single line");
		return;
	}
	sc = VEC_APPEND(&n->sysctls, &n->n_sysctls);
	sc->key = xstrdup(key->s);
	sc->value = xstrdup(v);
	sc->pos = key->pos;
}

static void load_sysctls(struct ytree *c, const struct ynode *map, struct node *n)
{
	ytree_each_scalar(c, map, "a number or a string", load_sysctl, n);
}

static void load_execs(struct ytree *c, const struct ynode *list, struct node *n)
{
	size_t i;

	if (!ytree_want_opt(c, list, Y_SEQ))
		return;
	for (i = 0; i < list->n; i++) {
		const char *s = ytree_str(c, list->kids[i]);
		struct exec_spec *e;

		if (!s)
			continue;
		if (!s[strspn(s, " \t\n")]) {
			ytree_err(c, list->kids[i]->pos, "empty command");
			continue;
		}
		e = VEC_APPEND(&n->execs, &n->n_execs);
		e->cmd = xstrdup(s);
		e->pos = list->kids[i]->pos;
	}
}

/* The fields of a node (or of `defaults:`) from mapping Y; *KIND_SET says if kind was given. */
static void load_node_fields(struct ytree *c, const struct ynode *y, struct node *n, bool *kind_set)
{
	static const char *const kinds[] = { "host", "router", "bridge", NULL };
	const struct ynode *v[NK_N], *k[NK_N];
	int kind;

	*kind_set = false;
	if (!ytree_want_opt(c, y, Y_MAP))
		return;
	ytree_fields(c, y, node_keys, NK_N, v, k);
	if (v[NK_KIND]) {
		kind = choice(c, v[NK_KIND], "node kind", kinds, "host, router or bridge");
		if (kind >= 0) {
			n->kind = (enum node_kind)kind;
			*kind_set = true;
		}
	}
	if (v[NK_ADDRESSES])
		load_addresses(c, v[NK_ADDRESSES], n);
	if (v[NK_ROUTES])
		load_routes(c, v[NK_ROUTES], n);
	if (v[NK_SYSCTL])
		load_sysctls(c, v[NK_SYSCTL], n);
	if (v[NK_EXEC])
		load_execs(c, v[NK_EXEC], n);
	if (v[NK_FILES])
		load_files(c, v[NK_FILES], n);
	if (v[NK_DIRS])
		load_dirs(c, v[NK_DIRS], n);
	if (v[NK_RUN])
		load_runs(c, v[NK_RUN], n);
	if (v[NK_TABLES])
		load_tables(c, v[NK_TABLES], n);
	if (v[NK_RULES])
		load_rules(c, v[NK_RULES], n);
	if (v[NK_HOST])
		load_node_host(c, v[NK_HOST], n);
}

/* Addresses: the defaults' interfaces first; on one both name, the defaults' addresses first. */
static void merge_addrs(struct node *n, const struct node *def)
{
	struct iface_addrs *addrs = NULL;
	size_t n_addrs = 0, i, j;

	for (i = 0; i < def->n_addrs; i++) {
		struct iface_addrs *ia = VEC_APPEND(&addrs, &n_addrs);

		*ia = def->addrs[i];
		ia->iface = xstrdup(def->addrs[i].iface);
		ia->addrs = xmalloc(ia->n_addrs * sizeof(*ia->addrs));
		/* an interface with an empty list has no array to copy from */
		if (ia->n_addrs)
			memcpy(ia->addrs, def->addrs[i].addrs, ia->n_addrs * sizeof(*ia->addrs));
	}
	for (i = 0; i < n->n_addrs; i++) {
		struct iface_addrs *src = &n->addrs[i];

		for (j = 0; j < def->n_addrs; j++) {
			if (!strcmp(addrs[j].iface, src->iface))
				break;
		}
		if (j == def->n_addrs) {
			*(struct iface_addrs *)VEC_APPEND(&addrs, &n_addrs) = *src;
			continue;
		}
		addrs[j].addrs = xrealloc(addrs[j].addrs,
					  (addrs[j].n_addrs + src->n_addrs) * sizeof(struct cidr));
		if (src->n_addrs)
			memcpy(addrs[j].addrs + addrs[j].n_addrs, src->addrs,
			       src->n_addrs * sizeof(struct cidr));
		addrs[j].n_addrs += src->n_addrs;
		free(src->iface);
		free(src->addrs);
	}
	free(n->addrs);
	n->addrs = addrs;
	n->n_addrs = n_addrs;
}

/* Routes and commands: the defaults' first, then the node's. */
static void merge_lists(struct node *n, const struct node *def)
{
	struct route_spec *routes = NULL;
	struct exec_spec *execs = NULL;
	size_t n_routes = 0, n_execs = 0, i;

	for (i = 0; i < def->n_routes; i++) {
		struct route_spec *r = VEC_APPEND(&routes, &n_routes);

		*r = def->routes[i];
		r->text = xstrdup(def->routes[i].text);
		r->dev = def->routes[i].dev ? xstrdup(def->routes[i].dev) : NULL;
		r->table = def->routes[i].table ? xstrdup(def->routes[i].table) : NULL;
	}
	for (i = 0; i < n->n_routes; i++)
		*(struct route_spec *)VEC_APPEND(&routes, &n_routes) = n->routes[i];
	free(n->routes);
	n->routes = routes;
	n->n_routes = n_routes;

	for (i = 0; i < def->n_execs; i++) {
		struct exec_spec *e = VEC_APPEND(&execs, &n_execs);

		*e = def->execs[i];
		e->cmd = xstrdup(e->cmd);
	}
	for (i = 0; i < n->n_execs; i++)
		*(struct exec_spec *)VEC_APPEND(&execs, &n_execs) = n->execs[i];
	free(n->execs);
	n->execs = execs;
	n->n_execs = n_execs;
}

/* Sysctls: the defaults' order, the node's value where it sets the same key. */
static void merge_sysctls(struct node *n, const struct node *def)
{
	struct sysctl_spec *sysctls = NULL;
	size_t n_sysctls = 0, i, idx;
	struct strmap own = { 0 }, used = { 0 };

	for (i = 0; i < n->n_sysctls; i++)
		strmap_put(&own, n->sysctls[i].key, strlen(n->sysctls[i].key), i, NULL);
	for (i = 0; i < def->n_sysctls; i++) {
		struct sysctl_spec *sc = VEC_APPEND(&sysctls, &n_sysctls);

		if (strmap_get(&own, def->sysctls[i].key, strlen(def->sysctls[i].key), &idx)) {
			*sc = n->sysctls[idx];
			strmap_put(&used, sc->key, strlen(sc->key), idx, NULL);
		} else {
			*sc = def->sysctls[i];
			sc->key = xstrdup(sc->key);
			sc->value = xstrdup(sc->value);
		}
	}
	for (i = 0; i < n->n_sysctls; i++) {
		if (!strmap_get(&used, n->sysctls[i].key, strlen(n->sysctls[i].key), NULL))
			*(struct sysctl_spec *)VEC_APPEND(&sysctls, &n_sysctls) = n->sysctls[i];
	}
	free(n->sysctls);
	n->sysctls = sysctls;
	n->n_sysctls = n_sysctls;
	strmap_free(&own);
	strmap_free(&used);
}

/*
 * merge_defaults - put DEF under N: lists defaults-first (per interface for
 * addresses), sysctls by key with the node's value winning.
 */
static void merge_defaults(struct node *n, const struct node *def)
{
	merge_addrs(n, def);
	merge_lists(n, def);
	merge_sysctls(n, def);
	merge_nodefs(n, def);
	load_runs_merge(n, def);
	load_tables_merge(n, def);
	load_rules_merge(n, def);
	merge_node_host(n, def);
}

static void load_nodes(struct ytree *c, const struct ynode *map, struct topology *t,
		       const struct node *def, bool def_kind_set)
{
	struct strmap seen = { 0 };
	size_t i;

	if (ynode_is_null(map) || (map->type == Y_MAP && map->n == 0)) {
		ytree_err(c, map->pos, "a lab needs at least one node");
		return;
	}
	if (!ytree_want(c, map, Y_MAP))
		return;
	for (i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *key = map->kids[i];
		const char *name = ytree_user_key(c, key, &seen);
		struct node *n;
		bool kind_set;

		if (!name || !load_name_ok(c, "node name", name, key->pos))
			continue;
		n = VEC_APPEND(&t->nodes, &t->n_nodes);
		n->name = xstrdup(name);
		n->pos = key->pos;
		load_node_fields(c, map->kids[i + 1], n, &kind_set);
		if (!kind_set)
			n->kind = def_kind_set ? def->kind : NODE_HOST;
		merge_defaults(n, def);
		load_runs_unique(c, n);
	}
	strmap_free(&seen);
}

/* ---- links ---- */

static void load_link(struct ytree *c, const struct ynode *y, struct topology *t)
{
	enum { LK_ENDPOINTS, LK_MTU, LK_STATE, LK_IMPAIR, LK_NAT, LK_N };
	static const char *const keys[LK_N] = { "endpoints", "mtu", "state", "impair", "nat" };
	static const char *const states[] = { "up", "down", NULL };
	const struct ynode *v[LK_N], *k[LK_N], *eps;
	struct link *l;
	long long mtu;
	int state;
	size_t j;

	ytree_fields(c, y, keys, LK_N, v, k);
	l = VEC_APPEND(&t->links, &t->n_links);
	l->pos = y->pos;
	l->up = true;
	if (v[LK_MTU]) {
		l->mtu_pos = v[LK_MTU]->pos;
		if (ytree_integer(c, v[LK_MTU], "mtu", 68, 65535, &mtu))
			l->mtu = (uint32_t)mtu;
	}
	if (v[LK_STATE]) {
		state = choice(c, v[LK_STATE], "link state", states, "up or down");
		if (state >= 0)
			l->up = state == 0;
	}
	if (v[LK_IMPAIR])
		load_impair(c, v[LK_IMPAIR], &l->impair);
	if (v[LK_NAT]) {
		l->nat_pos = v[LK_NAT]->pos;
		if (!ynode_is_bool(v[LK_NAT], &l->nat))
			ytree_err(c, v[LK_NAT]->pos, "invalid nat (expected true or false)");
	}
	eps = v[LK_ENDPOINTS];
	if (!eps) {
		ytree_err(c, y->pos, "missing required key 'endpoints'");
		return;
	}
	if (!ytree_want(c, eps, Y_SEQ))
		return;
	if (eps->n != 2) {
		ytree_err(c, eps->pos, "a link needs exactly 2 endpoints, got %u", eps->n);
		return;
	}
	for (j = 0; j < 2; j++)
		load_endpoint(c, eps->kids[j], &l->ep[j]);
}

/* ---- probes ---- */

enum { PK_FROM, PK_TO, PK_PROTO, PK_PORT, PK_EXPECT, PK_COUNT, PK_TIMEOUT, PK_MAX_RTT,
       PK_MAX_LOSS, PK_WITHIN, PK_SIZE, PK_DF, PK_INTERVAL, PK_MIN_RTT, PK_N };

/*
 * The packets of probe P: `size`, `df`, `interval`, `min_rtt` (V and K as ytree_fields made
 * them). A tcp probe is a connect: it has no payload to size nor a datagram to keep whole.
 */
static void load_probe_packets(struct ytree *c, const struct ynode *const *v,
			       const struct ynode *const *k, struct probe_spec *p, bool proto_ok)
{
	long long num;
	bool b;

	p->interval_us = PROBE_INTERVAL_DEFAULT_US;
	if (v[PK_SIZE] && ytree_integer(c, v[PK_SIZE], "size", PROBE_SIZE_MIN, PROBE_SIZE_MAX_V6,
					&num))
		p->size = (uint32_t)num;
	if (v[PK_DF]) {
		if (ynode_is_bool(v[PK_DF], &b))
			p->df = b;
		else
			ytree_err(c, v[PK_DF]->pos, "invalid df (expected true or false)");
	}
	if (proto_ok && p->proto == PROBE_TCP) {
		if (v[PK_SIZE])
			ytree_err(c, k[PK_SIZE]->pos, "'size' is not allowed with proto tcp");
		if (v[PK_DF])
			ytree_err(c, k[PK_DF]->pos, "'df' is not allowed with proto tcp");
	}
	if (v[PK_INTERVAL] && duration(c, v[PK_INTERVAL], "interval", &p->interval_us) &&
	    p->interval_us < PROBE_INTERVAL_MIN_US)
		ytree_err(c, v[PK_INTERVAL]->pos, "interval must be at least 1ms");
	else if (v[PK_INTERVAL] &&
		 (uint64_t)(p->count - 1) * p->interval_us > PROBE_SPAN_MAX_US)
		ytree_err(c, v[PK_INTERVAL]->pos,
			  "count %u x interval '%s' is longer than 1h (the exchanges of a probe must fit in 1h)",
			  p->count, SHOW(v[PK_INTERVAL]->s));
	if (v[PK_MIN_RTT] && duration(c, v[PK_MIN_RTT], "min_rtt", &p->min_rtt_us) &&
	    p->max_rtt_us && p->min_rtt_us > p->max_rtt_us)
		ytree_err(c, v[PK_MIN_RTT]->pos, "min_rtt '%s' is above max_rtt",
			  SHOW(v[PK_MIN_RTT]->s));
}

static void load_probe(struct ytree *c, const struct ynode *y, struct topology *t)
{
	static const char *const keys[PK_N] = { "from", "to", "proto", "port", "expect",
						"count", "timeout", "max_rtt", "max_loss", "within",
						"size", "df", "interval", "min_rtt" };
	static const char *const protos[] = { "icmp", "tcp", "udp", NULL };
	static const char *const expects[] = { "reachable", "unreachable", NULL };
	const struct ynode *v[PK_N], *k[PK_N];
	struct probe_spec *p;
	const char *s;
	long long num;
	int r;
	bool proto_ok = true;

	ytree_fields(c, y, keys, PK_N, v, k);
	p = VEC_APPEND(&t->probes, &t->n_probes);
	p->pos = y->pos;
	p->proto = PROBE_ICMP;
	p->expect_reachable = true;
	p->count = 1;
	p->timeout_us = 1000000;
	p->max_loss = -1;
	if (!v[PK_FROM])
		ytree_err(c, y->pos, "missing required key 'from'");
	else if ((s = ytree_str(c, v[PK_FROM]))) {
		p->from = xstrdup(s);
		p->from_pos = v[PK_FROM]->pos;
	}
	if (!v[PK_TO])
		ytree_err(c, y->pos, "missing required key 'to'");
	else if ((s = ytree_str(c, v[PK_TO]))) {
		p->to = xstrdup(s);
		p->to_pos = v[PK_TO]->pos;
	}
	if (v[PK_PROTO]) {
		r = choice(c, v[PK_PROTO], "proto", protos, "icmp, tcp or udp");
		if (r >= 0)
			p->proto = (enum probe_proto)r;
		else
			proto_ok = false;
	}
	if (v[PK_PORT] && ytree_integer(c, v[PK_PORT], "port", 1, 65535, &num))
		p->port = (uint16_t)num;
	/* A port is what tcp and udp need and what icmp cannot use. */
	if (v[PK_PORT] && p->proto == PROBE_ICMP && proto_ok)
		ytree_err(c, k[PK_PORT]->pos, "'port' is not allowed with proto icmp");
	if (!v[PK_PORT] && p->proto != PROBE_ICMP)
		ytree_err(c, v[PK_PROTO]->pos, "proto %s needs a 'port'", protos[p->proto]);
	if (v[PK_EXPECT]) {
		r = choice(c, v[PK_EXPECT], "expect", expects, "reachable or unreachable");
		if (r >= 0)
			p->expect_reachable = r == 0;
	}
	if (v[PK_COUNT] && ytree_integer(c, v[PK_COUNT], "count", 1, 10000, &num))
		p->count = (uint32_t)num;
	if (v[PK_TIMEOUT] && duration(c, v[PK_TIMEOUT], "timeout", &p->timeout_us) &&
	    !p->timeout_us)
		ytree_err(c, v[PK_TIMEOUT]->pos, "timeout must be greater than 0");
	if (v[PK_MAX_RTT])
		duration(c, v[PK_MAX_RTT], "max_rtt", &p->max_rtt_us);
	if (v[PK_WITHIN])
		duration(c, v[PK_WITHIN], "within", &p->within_us);
	if (v[PK_MAX_LOSS] && (s = ytree_str(c, v[PK_MAX_LOSS])) &&
	    percent_parse(s, &p->max_loss) < 0)
		ytree_err(c, v[PK_MAX_LOSS]->pos,
			  "invalid max_loss '%s' (expected a percentage from 0%% to 100%%, e.g. 0.5%%)",
			  SHOW(s));
	load_probe_packets(c, v, k, p, proto_ok);
}

/* ---- top level ---- */

/* LOAD each item of LIST into T: a list, maybe left empty, of mappings. */
static void load_each_map(struct ytree *c, const struct ynode *list, struct topology *t,
			  void (*load)(struct ytree *, const struct ynode *, struct topology *))
{
	size_t i;

	if (!ytree_want_opt(c, list, Y_SEQ))
		return;
	for (i = 0; i < list->n; i++) {
		if (ytree_want(c, list->kids[i], Y_MAP))
			load(c, list->kids[i], t);
	}
}

static void load_top(struct ytree *c, const struct ynode *root, struct topology *t)
{
	enum { TK_NAME, TK_PREFIX, TK_DEFAULTS, TK_NODES, TK_LINKS, TK_PROBES, TK_LANS, TK_HOSTS,
	       TK_N };
	static const char *const keys[TK_N] = { "name", "prefix", "defaults", "nodes", "links", "probes",
						"lans", "hosts" };
	const struct ynode *v[TK_N], *k[TK_N];
	struct topology *scratch = xcalloc(1, sizeof(*scratch));
	struct node *def;
	bool def_kind_set = false;
	const char *s;

	/* The defaults live in a scratch topology so that topo_free() cleans them up. */
	def = VEC_APPEND(&scratch->nodes, &scratch->n_nodes);
	if (!ytree_want(c, root, Y_MAP))
		goto out;
	ytree_fields(c, root, keys, TK_N, v, k);
	if (!v[TK_NAME]) {
		ytree_err(c, root->pos, "missing required key 'name'");
	} else if ((s = ytree_str(c, v[TK_NAME]))) {
		t->name = xstrdup(s);
		t->name_pos = v[TK_NAME]->pos;
		load_name_ok(c, "lab name", s, t->name_pos);
	}
	if (v[TK_PREFIX] && (s = ytree_str(c, v[TK_PREFIX]))) {
		t->prefix = xstrdup(s);
		t->prefix_pos = v[TK_PREFIX]->pos;
		load_name_ok(c, "prefix", s, t->prefix_pos);
	} else if (t->name) {
		t->prefix = xstrdup(t->name);
		t->prefix_pos = t->name_pos;
	}
	if (v[TK_DEFAULTS])
		load_node_fields(c, v[TK_DEFAULTS], def, &def_kind_set);
	if (!v[TK_NODES])
		ytree_err(c, root->pos, "missing required key 'nodes'");
	else
		load_nodes(c, v[TK_NODES], t, def, def_kind_set);
	if (v[TK_LINKS])
		load_each_map(c, v[TK_LINKS], t, load_link);
	if (v[TK_LANS])
		load_lans(c, v[TK_LANS], t);
	if (v[TK_PROBES])
		load_each_map(c, v[TK_PROBES], t, load_probe);
	if (v[TK_HOSTS])
		load_hosts(c, v[TK_HOSTS], t);
	load_lan_hosts(t);
out:
	topo_free(scratch);
}

int topo_load_buf(const char *file, const char *buf, size_t len, struct topology **out,
		  struct diag *d)
{
	struct ytree c = { .d = d, .buf = buf, .len = len };
	struct topology *t = NULL;
	struct ynode *root = NULL;
	size_t first_msg = d->n_msgs;
	int ret;

	*out = NULL;
	if (!d->file)
		d->file = file;
	ret = ytree_input_ok(&c);
	if (ret)
		return ret;
	ret = -EINVAL;
	root = ytree_parse(&c);
	if (!root) {
		if (!c.n_errors)
			ytree_err(&c, (struct pos){ 0, 0 },
				  "empty file (expected a mapping with 'name' and 'nodes')");
		goto out;
	}
	t = xcalloc(1, sizeof(*t));
	t->file = xstrdup(file);
	load_top(&c, root, t);
	if (c.n_errors)
		goto out;
	*out = t;
	t = NULL;
	ret = 0;
out:
	diag_sort(d, first_msg);
	ytree_free(&c);
	topo_free(t);
	return ret;
}

int topo_load(const char *file, struct topology **out, struct diag *d)
{
	size_t len = 0, cap = 64 * 1024;
	char *buf = NULL;
	ssize_t n;
	int fd, ret;

	*out = NULL;
	fd = strcmp(file, "-") ? open(file, O_RDONLY | O_CLOEXEC) : dup(STDIN_FILENO);
	if (fd < 0)
		return -errno;
	/* Read at most one byte past the limit: never trust st_size (pipes, /proc). */
	buf = xmalloc(cap);
	while (len <= LOAD_MAX_BYTES) {
		if (len == cap) {
			cap = cap * 2 > LOAD_MAX_BYTES + 1 ? LOAD_MAX_BYTES + 1 : cap * 2;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	ret = topo_load_buf(file, buf, len, out, d);
out:
	free(buf);
	close(fd);
	return ret;
}
