// SPDX-License-Identifier: MIT
/*
 * load_route - a node's routes and its `tables:` map. A route is `ip route`
 * words ("blackhole 10.50.3.0/24", "10.9.0.0/24 via 10.0.2.2 table isp2
 * src 10.255.0.1 onlink mtu 1400 metric 10"), optionally ending in
 * "nexthops: [via A, via B weight 2]" (in a plain YAML list item that is a
 * one-entry mapping: key the words, value the nexthops), or a mapping with
 * the same fields by name.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "load_value.h"
#include "util.h"

static const char *const type_names[] = {
	[ROUTE_UNICAST] = "unicast", [ROUTE_BLACKHOLE] = "blackhole",
	[ROUTE_UNREACHABLE] = "unreachable", [ROUTE_PROHIBIT] = "prohibit",
	[ROUTE_THROW] = "throw",
};
#define N_TYPES (sizeof(type_names) / sizeof(type_names[0]))

/* The route type named S, or -1. */
static int route_type_parse(const char *s)
{
	size_t i;

	for (i = 0; i < N_TYPES; i++)
		if (!strcmp(s, type_names[i]))
			return (int)i;
	return -1;
}

/* An address, IPv4 or IPv6, named WHAT in messages; its family, or -1 after reporting. */
static int route_addr(struct ytree *c, const char *what, const char *s, struct pos pos,
		      uint8_t out[16])
{
	int family;

	if (ip_parse(s, &family, out) < 0) {
		ytree_err(c, pos, "invalid %s address '%s'", what, SHOW(s));
		return -1;
	}
	return family;
}

/* A scalar node for word VAL at POS, so that words and mappings share one reader. */
static struct ynode word_node(const char *val, struct pos pos)
{
	return (struct ynode){ .type = Y_SCALAR, .pos = pos, .quoted = true, .s = (char *)val,
			       .len = (uint32_t)strlen(val) };
}

/* Is Y a flag that is on: `onlink` in words (Y NULL) or `onlink: true`? */
static bool flag_value(struct ytree *c, const struct ynode *y, const char *what, bool *on)
{
	if (!y) {
		*on = true;
		return true;
	}
	if (ynode_is_bool(y, on))
		return true;
	ytree_err(c, y->pos, "invalid %s '%s' (expected true or false)", what, SHOW(y->s));
	return false;
}

/* ---- nexthops ---- */

enum { NH_VIA, NH_DEV, NH_WEIGHT, NH_ONLINK, NH_N };
static const char *const nh_keys[NH_N] = { "via", "dev", "weight", "onlink" };

/* Field K of a nexthop from scalar V (NULL for a flag written as a word). */
static bool nh_field(struct ytree *c, struct nexthop_spec *nh, int k, const struct ynode *v,
		     int *family)
{
	long long w;
	const char *s = v ? ytree_str(c, v) : NULL;

	if (v && !s)
		return false;
	switch (k) {
	case NH_VIA:
		*family = route_addr(c, "gateway", s, v->pos, nh->via);
		nh->has_via = *family > 0;
		return nh->has_via;
	case NH_DEV:
		if (!load_ifname_ok(c, s, v->pos))
			return false;
		snprintf(nh->dev, sizeof(nh->dev), "%s", s);
		return true;
	case NH_WEIGHT:
		if (!ytree_integer(c, v, "weight", 1, 256, &w))
			return false;
		nh->weight = (uint16_t)w;
		return true;
	default:
		return flag_value(c, v, "onlink", &nh->onlink);
	}
}

/* One nexthop from words "via A dev D weight W onlink" of Y from byte OFF, LEN bytes long. */
static bool nh_words(struct ytree *c, const struct ynode *y, size_t off, size_t len,
		     struct nexthop_spec *nh, int *family)
{
	char *copy = xasprintf("%.*s", (int)len, y->s + off), *save = NULL, *w;
	unsigned seen = 0;
	bool ok = true;
	int k;

	nh->pos = ynode_sub_pos(y, off + strspn(copy, " \t"));
	for (w = strtok_r(copy, " \t", &save); w && ok; w = strtok_r(NULL, " \t", &save)) {
		struct pos wpos = ynode_sub_pos(y, off + (size_t)(w - copy));
		struct ynode val;
		char *v;

		for (k = 0; k < NH_N && strcmp(w, nh_keys[k]); k++)
			;
		if (k == NH_N || (seen & (1u << k))) {
			ytree_err(c, wpos, k == NH_N ? "unknown nexthop keyword '%s' (expected via, dev, weight or onlink)"
						     : "duplicate '%s' in a nexthop", SHOW(w));
			ok = false;
			break;
		}
		seen |= 1u << k;
		if (k == NH_ONLINK) {
			ok = nh_field(c, nh, k, NULL, family);
			continue;
		}
		if (!(v = strtok_r(NULL, " \t", &save))) {
			ytree_err(c, wpos, "missing value after '%s' in a nexthop", w);
			ok = false;
			break;
		}
		val = word_node(v, ynode_sub_pos(y, off + (size_t)(v - copy)));
		ok = nh_field(c, nh, k, &val, family);
	}
	free(copy);
	return ok;
}

/* One nexthop from item Y of a `nexthops:` list: words or { via, dev, weight, onlink }. */
static bool nh_item(struct ytree *c, const struct ynode *y, struct nexthop_spec *nh, int *family)
{
	const struct ynode *v[NH_N], *k[NH_N];
	bool ok = true;
	int i;

	nh->weight = 1;
	nh->pos = y->pos;
	if (y->type == Y_SCALAR && !ynode_is_null(y))
		return nh_words(c, y, 0, y->len, nh, family);
	if (!ytree_want(c, y, Y_MAP))
		return false;
	ytree_fields(c, y, nh_keys, NH_N, v, k);
	for (i = 0; i < NH_N; i++)
		if (v[i] && !nh_field(c, nh, i, v[i], family))
			ok = false;
	return ok;
}

/* A nexthop's own rules: a way out, and the route's family. */
static bool nh_finish(struct ytree *c, const struct route_spec *r, const struct nexthop_spec *nh,
		      int family)
{
	char buf[64];

	if (!nh->has_via && !nh->dev[0]) {
		ytree_err(c, nh->pos, "a nexthop needs 'via' or 'dev' (route '%s')", SHOW(r->text));
		return false;
	}
	if (nh->has_via && family != r->family) {
		ytree_err(c, nh->pos, "gateway %s is %s but the route '%s' is %s",
			  ip_fmt(family, nh->via, buf, sizeof(buf)), family == AF_INET ? "IPv4" : "IPv6",
			  SHOW(r->text), r->family == AF_INET ? "IPv4" : "IPv6");
		return false;
	}
	return true;
}

/* Append nexthop NH (read with gateway family FAMILY) to R, within the limit. */
static bool nh_add(struct ytree *c, struct route_spec *r, const struct nexthop_spec *nh, int family,
		   int *families)
{
	if (r->n_nh == ROUTE_NEXTHOPS_MAX) {
		ytree_err(c, nh->pos, "too many nexthops (at most %d)", ROUTE_NEXTHOPS_MAX);
		return false;
	}
	families[r->n_nh] = family;
	r->nh[r->n_nh++] = *nh;
	return true;
}

/* Items of list Y as the nexthops of R. */
static bool nh_list(struct ytree *c, const struct ynode *y, struct route_spec *r, int *families)
{
	bool ok = true;
	size_t i;

	if (!ytree_want(c, y, Y_SEQ))
		return false;
	for (i = 0; i < y->n; i++) {
		struct nexthop_spec nh = { 0 };
		int family = 0;

		if (!nh_item(c, y->kids[i], &nh, &family) || !nh_add(c, r, &nh, family, families))
			ok = false;
	}
	return ok;
}

/* "[via A, via B weight 2]" at byte OFF of words Y: the nexthops of R. */
static bool nh_bracket(struct ytree *c, const struct ynode *y, size_t off, struct route_spec *r,
		       int *families)
{
	const char *s = y->s, *open = s + off + strspn(s + off, " \t"), *close, *p, *end;
	bool ok = true;

	close = strrchr(open, ']');
	if (*open != '[' || !close || close[1 + strspn(close + 1, " \t")]) {
		ytree_err(c, ynode_sub_pos(y, (size_t)(open - s)),
			  "expected '[via ADDR, ...]' after 'nexthops' in '%s'", SHOW(s));
		return false;
	}
	for (p = open + 1; p < close && ok; p = end + 1) {
		struct nexthop_spec nh = { .weight = 1 };
		int family = 0;

		for (end = p; end < close && *end != ','; end++)
			;
		nh.pos = ynode_sub_pos(y, (size_t)(p - s));
		ok = nh_words(c, y, (size_t)(p - s), (size_t)(end - p), &nh, &family) &&
		     nh_add(c, r, &nh, family, families);
	}
	return ok;
}

/* ---- the route ---- */

enum { RK_TO, RK_VIA, RK_DEV, RK_METRIC, RK_TYPE, RK_TABLE, RK_SRC, RK_ONLINK, RK_MTU,
       RK_NEXTHOPS, RK_N };
static const char *const route_keys[RK_N] = { "to",    "via", "dev",    "metric", "type",
					      "table", "src", "onlink", "mtu",    "nexthops" };

struct route_read {
	const char *to;
	struct pos to_pos;
	int via_family, src_family;
	int nh_family[ROUTE_NEXTHOPS_MAX];
	unsigned given;		/* 1 << RK_* */
	struct pos key_pos[RK_N];
};

/* Field K (not to, type or nexthops) of R from scalar V (NULL: a flag written as a word). */
static bool route_field(struct ytree *c, struct route_spec *r, struct route_read *rd, int k,
			const struct ynode *v)
{
	const char *s = v ? ytree_str(c, v) : NULL;
	long long n;

	if (v && !s)
		return false;
	switch (k) {
	case RK_VIA:
		rd->via_family = route_addr(c, "gateway", s, v->pos, r->via);
		return (r->has_via = rd->via_family > 0);
	case RK_DEV:
		r->dev = xstrdup(s);
		return load_ifname_ok(c, s, v->pos);
	case RK_METRIC:
		if (!ytree_integer(c, v, "metric", 0, UINT32_MAX, &n))
			return false;
		r->has_metric = true;
		r->metric = (uint32_t)n;
		return true;
	case RK_TABLE:
		r->table = xstrdup(s);
		r->table_pos = v->pos;
		return true;
	case RK_SRC:
		r->src_pos = v->pos;
		rd->src_family = route_addr(c, "source", s, v->pos, r->src);
		return (r->has_src = rd->src_family > 0);
	case RK_ONLINK:
		return flag_value(c, v, "onlink", &r->onlink);
	case RK_MTU:
		if (!ytree_integer(c, v, "mtu", 68, 65535, &n))
			return false;
		r->mtu = (uint32_t)n;
		return true;
	default:
		return false;
	}
}

/* The destination and its family: `default` takes the family of the gateways (IPv4 without one). */
static bool route_dst(struct ytree *c, struct route_spec *r, const struct route_read *rd)
{
	struct cidr dst;

	if (!strcmp(rd->to, "default")) {
		r->family = rd->via_family > 0 ? rd->via_family
			    : r->n_nh && rd->nh_family[0] > 0 ? rd->nh_family[0] : AF_INET;
		r->dst_len = 0;
		return true;
	}
	if (!load_cidr(c, rd->to, rd->to_pos, &dst))
		return false;
	r->family = dst.family;
	memcpy(r->dst, dst.addr, 16);
	r->dst_len = dst.plen;
	return true;
}

/* A typed route (blackhole...) goes nowhere: it takes none of these. */
static bool route_typed_ok(struct ytree *c, const struct route_spec *r, const struct route_read *rd)
{
	static const int refused[] = { RK_VIA, RK_DEV, RK_SRC, RK_ONLINK, RK_NEXTHOPS };
	size_t i;

	if (r->type == ROUTE_UNICAST)
		return true;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (rd->given & (1u << refused[i])) {
			ytree_err(c, rd->key_pos[refused[i]], "%s %s route takes no '%s' (route '%s')",
				  r->type == ROUTE_UNREACHABLE ? "an" : "a", type_names[r->type],
				  route_keys[refused[i]], SHOW(r->text));
			return false;
		}
	}
	return true;
}

/* The rules between fields, once all are read. */
static bool route_finish(struct ytree *c, struct route_spec *r, const struct route_read *rd,
			 struct pos pos)
{
	char buf[64];
	size_t i;

	if (!route_dst(c, r, rd) || !route_typed_ok(c, r, rd))
		return false;
	if (rd->via_family > 0 && rd->via_family != r->family) {
		ytree_err(c, pos, "gateway %s is %s but destination '%s' is %s",
			  ip_fmt(rd->via_family, r->via, buf, sizeof(buf)),
			  rd->via_family == AF_INET ? "IPv4" : "IPv6", SHOW(rd->to),
			  r->family == AF_INET ? "IPv4" : "IPv6");
		return false;
	}
	if (rd->src_family > 0 && rd->src_family != r->family) {
		ytree_err(c, r->src_pos, "source %s is not of the family of route '%s'",
			  ip_fmt(rd->src_family, r->src, buf, sizeof(buf)), SHOW(r->text));
		return false;
	}
	if (r->n_nh) {
		if (r->has_via || r->dev || r->onlink) {
			ytree_err(c, pos, "route '%s' has 'nexthops': give 'via', 'dev' and 'onlink' in each nexthop",
				  SHOW(r->text));
			return false;
		}
		if (r->n_nh < 2) {
			ytree_err(c, r->nh[0].pos, "one nexthop is a plain route: write 'via' (route '%s')",
				  SHOW(r->text));
			return false;
		}
		for (i = 0; i < r->n_nh; i++)
			if (!nh_finish(c, r, &r->nh[i], rd->nh_family[i]))
				return false;
		return true;
	}
	if (r->type == ROUTE_UNICAST && !r->has_via && !r->dev) {
		ytree_err(c, pos, "route '%s' needs 'via', 'dev' or 'nexthops'", SHOW(r->text));
		return false;
	}
	return true;
}

/*
 * "[TYPE] DST [via A] [dev D] [metric N] [table T] [src A] [onlink] [mtu N]
 * [nexthops[:] [...]]" of scalar Y. NH_LIST: the nexthops given apart (the
 * value of the one-entry mapping YAML makes of "... nexthops: [...]").
 */
static bool route_words(struct ytree *c, const struct ynode *y, const struct ynode *nh_list_y,
			struct route_spec *r)
{
	struct route_read rd = { .to_pos = y->pos };
	char *copy = xstrdup(y->s), *save = NULL, *w;
	bool ok = true, nexthops = false;
	int k, type;

	for (w = strtok_r(copy, " \t", &save); w && ok && !nexthops; w = strtok_r(NULL, " \t", &save)) {
		struct pos wpos = ynode_sub_pos(y, (size_t)(w - copy));
		struct ynode val;
		char *v;

		if (!rd.to && !(rd.given & (1u << RK_TYPE)) && (type = route_type_parse(w)) >= 0) {
			r->type = (enum route_type)type;
			rd.given |= 1u << RK_TYPE;
			continue;
		}
		if (!rd.to && route_type_parse(w) >= 0) {
			ytree_err(c, wpos, "a second route type '%s' in '%s'", w, SHOW(y->s));
			ok = false;
			break;
		}
		if (!rd.to) {
			rd.to = w;
			rd.to_pos = wpos;
			continue;
		}
		for (k = RK_VIA; k < RK_N && strcmp(w, route_keys[k]) &&
				 !(k == RK_NEXTHOPS && !strcmp(w, "nexthops:"));
		     k++)
			;
		if (k == RK_N || k == RK_TYPE || (rd.given & (1u << k))) {
			ytree_err(c, wpos, k == RK_N || k == RK_TYPE
				  ? "unknown route keyword '%s' in '%s' (expected via, dev, metric, table, src, onlink, mtu or nexthops)"
				  : "duplicate '%s' in route '%s'", SHOW(w), SHOW(y->s));
			ok = false;
			break;
		}
		rd.given |= 1u << k;
		rd.key_pos[k] = wpos;
		if (k == RK_NEXTHOPS) {
			nexthops = true;
			if (!nh_list_y)
				ok = nh_bracket(c, y, (size_t)(w - copy) + strlen(w), r, rd.nh_family);
			break;
		}
		if (k == RK_ONLINK) {
			ok = route_field(c, r, &rd, k, NULL);
			continue;
		}
		if (!(v = strtok_r(NULL, " \t", &save))) {
			ytree_err(c, wpos, "missing value after '%s' in route '%s'", w, SHOW(y->s));
			ok = false;
			break;
		}
		val = word_node(v, ynode_sub_pos(y, (size_t)(v - copy)));
		ok = route_field(c, r, &rd, k, &val);
	}
	if (ok && nh_list_y) {
		if (!nexthops) {
			ytree_err(c, y->pos, "unknown route keyword in '%s' (a route followed by ':' must end in 'nexthops')",
				  SHOW(y->s));
			ok = false;
		} else {
			ok = nh_list(c, nh_list_y, r, rd.nh_family);
		}
	}
	if (ok && !rd.to) {
		ytree_err(c, y->pos, "empty route");
		ok = false;
	}
	if (ok)
		ok = route_finish(c, r, &rd, y->pos);
	free(copy);
	return ok;
}

/* The `ip route` words of map route R, for messages. */
static char *route_map_text(const struct route_spec *r, const struct route_read *rd,
			    const struct ynode *const *v)
{
	char metric[32] = "", mtu[32] = "";

	if (r->has_metric)
		snprintf(metric, sizeof(metric), " metric %u", r->metric);
	if (r->mtu)
		snprintf(mtu, sizeof(mtu), " mtu %u", r->mtu);
	return xasprintf("%s%s%s%s%s%s%s%s%s%s%s%s%s%s", r->type ? type_names[r->type] : "",
			 r->type ? " " : "", rd->to, r->has_via ? " via " : "",
			 r->has_via ? v[RK_VIA]->s : "", r->dev ? " dev " : "", r->dev ? r->dev : "",
			 metric, r->table ? " table " : "", r->table ? r->table : "",
			 r->has_src ? " src " : "", r->has_src ? v[RK_SRC]->s : "",
			 r->onlink ? " onlink" : "", mtu);
}

/* { to, type, via, dev, metric, table, src, onlink, mtu, nexthops } */
static bool route_map(struct ytree *c, const struct ynode *y, struct route_spec *r)
{
	const struct ynode *v[RK_N], *k[RK_N];
	struct route_read rd = { 0 };
	bool ok = true;
	int i, type;

	ytree_fields(c, y, route_keys, RK_N, v, k);
	for (i = 0; i < RK_N; i++) {
		if (!v[i])
			continue;
		rd.given |= 1u << i;
		rd.key_pos[i] = k[i]->pos;
		if (i == RK_TO) {
			ok = (rd.to = ytree_str(c, v[i])) && ok;
			rd.to_pos = v[i]->pos;
		} else if (i == RK_TYPE) {
			const char *s = ytree_str(c, v[i]);

			if (s && (type = route_type_parse(s)) >= 0) {
				r->type = (enum route_type)type;
			} else {
				if (s)
					ytree_err(c, v[i]->pos, "invalid route type '%s' (expected unicast, blackhole, unreachable, prohibit or throw)",
						  SHOW(s));
				ok = false;
			}
		} else if (i == RK_NEXTHOPS) {
			ok = nh_list(c, v[i], r, rd.nh_family) && ok;
		} else if (!route_field(c, r, &rd, i, v[i])) {
			ok = false;
		}
	}
	if (!v[RK_TO]) {
		ytree_err(c, y->pos, "missing required key 'to'");
		return false;
	}
	if (!rd.to)
		return false;
	r->text = route_map_text(r, &rd, v);
	if (ok)
		ok = route_finish(c, r, &rd, y->pos);
	return ok;
}

/* Is Y the one-entry mapping YAML makes of "DST ... nexthops: [...]"? */
static bool is_nexthops_entry(const struct ynode *y)
{
	const struct ynode *key;
	size_t len;

	if (y->type != Y_MAP || y->n != 2)
		return false;
	key = y->kids[0];
	if (key->type != Y_SCALAR || !key->s || !strchr(key->s, ' '))
		return false;
	len = strlen(key->s);
	return len > 9 && !strcmp(key->s + len - 9, " nexthops");
}

bool load_route(struct ytree *c, const struct ynode *y, struct route_spec *r)
{
	if (is_nexthops_entry(y)) {
		const struct ynode *list = y->kids[1];
		size_t i;
		char *t = xasprintf("%s: [", y->kids[0]->s), *u;

		for (i = 0; list->type == Y_SEQ && i < list->n; i++) {
			u = xasprintf("%s%s%s", t, i ? ", " : "",
				      list->kids[i]->type == Y_SCALAR ? list->kids[i]->s : "{...}");
			free(t);
			t = u;
		}
		r->text = xasprintf("%s]", t);
		free(t);
		return route_words(c, y->kids[0], list, r);
	}
	if (y->type == Y_MAP)
		return route_map(c, y, r);
	if (y->type == Y_SCALAR && !ynode_is_null(y)) {
		r->text = xstrdup(y->s);
		return route_words(c, y, NULL, r);
	}
	return ytree_want(c, y, Y_SCALAR);	/* reports "expected a string, got ..." */
}

/* ---- tables ---- */

/* One entry NAME: ID of `tables:`. */
static void load_table(struct ytree *c, const struct ynode *key, const struct ynode *val, void *arg)
{
	static const char *const kernels[] = { "main", "local", "default", "unspec" };
	struct node *n = arg;
	struct table_spec *t;
	long long id;
	size_t i;

	if (key->s[0] >= '0' && key->s[0] <= '9') {
		ytree_err(c, key->pos, "table name '%s' starts with a digit (a number is a table id)",
			  SHOW(key->s));
		return;
	}
	if (strpbrk(key->s, " \t\n")) {
		ytree_err(c, key->pos, "table name '%s' has a space", SHOW(key->s));
		return;
	}
	for (i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++) {
		if (!strcmp(key->s, kernels[i])) {
			ytree_err(c, key->pos, "table name '%s' is the kernel's own", SHOW(key->s));
			return;
		}
	}
	if (!ytree_integer(c, val, "table id", 1, UINT32_MAX, &id))
		return;
	if (id >= 253 && id <= 255) {
		ytree_err(c, val->pos, "table id %lld is the kernel's own (%s)", id,
			  id == 253 ? "default" : id == 254 ? "main" : "local");
		return;
	}
	t = VEC_APPEND(&n->tables, &n->n_tables);
	t->name = xstrdup(key->s);
	t->id = (uint32_t)id;
	t->pos = key->pos;
}

void load_tables(struct ytree *c, const struct ynode *map, struct node *n)
{
	ytree_each_scalar(c, map, "a table id", load_table, n);
}

void load_tables_merge(struct node *n, const struct node *def)
{
	struct table_spec *tables = NULL, *t;
	size_t n_tables = 0, i, j;

	for (i = 0; i < def->n_tables; i++) {
		for (j = 0; j < n->n_tables && strcmp(n->tables[j].name, def->tables[i].name); j++)
			;
		if (j < n->n_tables)
			continue;	/* the node's own wins */
		t = VEC_APPEND(&tables, &n_tables);
		*t = def->tables[i];
		t->name = xstrdup(t->name);
	}
	for (i = 0; i < n->n_tables; i++) {
		*(struct table_spec *)VEC_APPEND(&tables, &n_tables) = n->tables[i];
	}
	free(n->tables);
	n->tables = tables;
	n->n_tables = n_tables;
}
