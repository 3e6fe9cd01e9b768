// SPDX-License-Identifier: MIT
/*
 * load_value - the loader's parsers of values with a grammar of their own:
 * addresses, names, routes (`ip route` words or a mapping) and link
 * endpoints ("node:iface addr ..." or a mapping).
 */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "load_value.h"
#include "util.h"

#define NAME_RULE "[a-z0-9][a-z0-9_-]*, at most 32 characters"
#define IFNAME_RULE "1-15 bytes, no '/', ':', '%%' or spaces"  /* a format string */

bool load_cidr(struct ytree *c, const char *s, struct pos pos, struct cidr *out)
{
	const char *slash;
	char ip[64];
	int family;
	uint8_t addr[16];
	size_t n;

	if (cidr_parse(s, out) == 0) {
		out->pos = pos;
		return true;
	}
	/* Say whether the address or the length is wrong. */
	slash = strchr(s, '/');
	n = slash ? (size_t)(slash - s) : 0;
	if (slash && n < sizeof(ip) && slash[1] && strspn(slash + 1, "0123456789") == strlen(slash + 1)) {
		memcpy(ip, s, n);
		ip[n] = '\0';
		if (ip_parse(ip, &family, addr) == 0) {
			ytree_err(c, pos, "prefix length %s out of range for %s in '%s'", SHOW(slash + 1),
				  family == AF_INET ? "IPv4" : "IPv6", SHOW(s));
			return false;
		}
	}
	ytree_err(c, pos, "invalid CIDR '%s'", SHOW(s));
	return false;
}

bool load_ifname_ok(struct ytree *c, const char *s, struct pos pos)
{
	if (ifname_valid(s))
		return true;
	ytree_err(c, pos, "invalid interface name '%s' (" IFNAME_RULE ")", SHOW(s));
	return false;
}

bool load_name_ok(struct ytree *c, const char *what, const char *s, struct pos pos)
{
	if (name_valid(s))
		return true;
	ytree_err(c, pos, "invalid %s '%s' (" NAME_RULE ")", what, SHOW(s));
	return false;
}

/* ---- routes ---- */

/* The route's gateway, IPv4 or IPv6; -1 after reporting. */
static int route_via(struct ytree *c, const char *s, struct pos pos, uint8_t via[16])
{
	int family;

	if (ip_parse(s, &family, via) < 0) {
		ytree_err(c, pos, "invalid gateway address '%s'", SHOW(s));
		return -1;
	}
	return family;
}

/*
 * route_finish - the family rule: from the destination; `default` takes the
 * family of `via` (IPv4 without one); "::/0" is the IPv6 default.
 */
static bool route_finish(struct ytree *c, struct route_spec *r, const char *to, struct pos to_pos,
			 int via_family, struct pos pos)
{
	struct cidr dst;

	if (!strcmp(to, "default")) {
		r->family = via_family > 0 ? via_family : AF_INET;
		r->dst_len = 0;
	} else if (load_cidr(c, to, to_pos, &dst)) {
		r->family = dst.family;
		memcpy(r->dst, dst.addr, 16);
		r->dst_len = dst.plen;
	} else {
		return false;
	}
	if (via_family > 0 && via_family != r->family) {
		char buf[64];

		ytree_err(c, pos, "gateway %s is %s but destination '%s' is %s",
			  ip_fmt(via_family, r->via, buf, sizeof(buf)),
			  via_family == AF_INET ? "IPv4" : "IPv6", SHOW(to),
			  r->family == AF_INET ? "IPv4" : "IPv6");
		return false;
	}
	if (!r->has_via && !r->dev) {
		ytree_err(c, pos, "route '%s' needs 'via' or 'dev'", SHOW(r->text));
		return false;
	}
	return true;
}

/* "10.0.9.0/24 via 10.0.2.2 dev eth1 metric 100", the `ip route` words. */
static bool route_words(struct ytree *c, const struct ynode *y, struct route_spec *r)
{
	const char *s = y->s, *to = NULL;
	struct pos to_pos = y->pos;
	int via_family = 0;
	bool ok = true, seen_via = false, seen_metric = false;
	char *copy = xstrdup(s), *save = NULL, *w;

	r->text = xstrdup(s);
	for (w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		struct pos wpos = ynode_sub_pos(y, (size_t)(w - copy));
		const char *kw = w;
		char *val;

		if (!to) {
			to = w;
			to_pos = wpos;
			continue;
		}
		if (strcmp(kw, "via") && strcmp(kw, "dev") && strcmp(kw, "metric")) {
			ytree_err(c, wpos, "unknown route keyword '%s' in '%s' (expected via, dev or metric)",
				  SHOW(kw), SHOW(s));
			ok = false;
			break;
		}
		if ((!strcmp(kw, "via") && seen_via) || (!strcmp(kw, "dev") && r->dev) ||
		    (!strcmp(kw, "metric") && seen_metric)) {
			ytree_err(c, wpos, "duplicate '%s' in route '%s'", kw, SHOW(s));
			ok = false;
			break;
		}
		val = strtok_r(NULL, " \t", &save);
		if (!val) {
			ytree_err(c, wpos, "missing value after '%s' in route '%s'", kw, SHOW(s));
			ok = false;
			break;
		}
		wpos = ynode_sub_pos(y, (size_t)(val - copy));
		if (!strcmp(kw, "via")) {
			seen_via = true;
			via_family = route_via(c, val, wpos, r->via);
			if (via_family < 0)
				ok = false;
			else
				r->has_via = true;
		} else if (!strcmp(kw, "dev")) {
			r->dev = xstrdup(val);
			if (!load_ifname_ok(c, val, wpos))
				ok = false;
		} else {
			struct ynode fake = { .type = Y_SCALAR, .pos = wpos, .quoted = true,
					      .s = val, .len = (uint32_t)strlen(val) };
			long long m;

			seen_metric = true;
			if (ytree_integer(c, &fake, "metric", 0, UINT32_MAX, &m)) {
				r->has_metric = true;
				r->metric = (uint32_t)m;
			} else {
				ok = false;
			}
		}
	}
	if (!to) {
		ytree_err(c, y->pos, "empty route");
		ok = false;
	}
	if (ok)
		ok = route_finish(c, r, to, to_pos, via_family, y->pos);
	free(copy);
	return ok;
}

/* { to, via, dev, metric } */
static bool route_map(struct ytree *c, const struct ynode *y, struct route_spec *r)
{
	enum { RK_TO, RK_VIA, RK_DEV, RK_METRIC, RK_N };
	static const char *const keys[RK_N] = { "to", "via", "dev", "metric" };
	const struct ynode *v[RK_N], *k[RK_N];
	const char *to, *s;
	int via_family = 0;
	bool ok = true;
	long long m;

	ytree_fields(c, y, keys, RK_N, v, k);
	if (!v[RK_TO]) {
		ytree_err(c, y->pos, "missing required key 'to'");
		return false;
	}
	to = ytree_str(c, v[RK_TO]);
	if (!to)
		return false;
	if (v[RK_VIA] && (s = ytree_str(c, v[RK_VIA]))) {
		via_family = route_via(c, s, v[RK_VIA]->pos, r->via);
		if (via_family > 0)
			r->has_via = true;
		else
			ok = false;
	} else if (v[RK_VIA]) {
		ok = false;
	}
	if (v[RK_DEV] && (s = ytree_str(c, v[RK_DEV]))) {
		r->dev = xstrdup(s);
		if (!load_ifname_ok(c, s, v[RK_DEV]->pos))
			ok = false;
	} else if (v[RK_DEV]) {
		ok = false;
	}
	if (v[RK_METRIC]) {
		if (ytree_integer(c, v[RK_METRIC], "metric", 0, UINT32_MAX, &m)) {
			r->has_metric = true;
			r->metric = (uint32_t)m;
		} else {
			ok = false;
		}
	}
	/* The `ip route` form of the map, for messages. */
	{
		char via[64] = "", metric[32] = "";

		if (r->has_via)
			snprintf(via, sizeof(via), " via %s", v[RK_VIA]->s);
		if (r->has_metric)
			snprintf(metric, sizeof(metric), " metric %u", r->metric);
		r->text = xasprintf("%s%s%s%s%s", to, via, r->dev ? " dev " : "",
				    r->dev ? r->dev : "", metric);
	}
	if (ok)
		ok = route_finish(c, r, to, v[RK_TO]->pos, via_family, y->pos);
	return ok;
}

bool load_route(struct ytree *c, const struct ynode *y, struct route_spec *r)
{
	if (y->type == Y_MAP)
		return route_map(c, y, r);
	if (y->type == Y_SCALAR && !ynode_is_null(y))
		return route_words(c, y, r);
	return ytree_want(c, y, Y_SCALAR);	/* reports "expected a string, got ..." */
}

/* ---- link endpoints ---- */

/* Addresses of an endpoint string, from byte OFF of Y on: spaces or commas between. */
static void endpoint_str_addrs(struct ytree *c, const struct ynode *y, size_t off,
			       struct endpoint *ep)
{
	const char *s = y->s;
	size_t i = off, start;

	while (s[i]) {
		struct cidr cidr;
		char *tok;

		i += strspn(s + i, " \t,");
		if (!s[i])
			break;
		start = i;
		i += strcspn(s + i, " \t,");
		tok = xasprintf("%.*s", (int)(i - start), s + start);
		if (load_cidr(c, tok, ynode_sub_pos(y, start), &cidr))
			*(struct cidr *)VEC_APPEND(&ep->addrs, &ep->n_addrs) = cidr;
		free(tok);
	}
}

/* "node:iface [addr[, addr] ...]" */
static bool endpoint_str(struct ytree *c, const struct ynode *y, struct endpoint *ep)
{
	const char *s = y->s, *colon;
	size_t lead = strspn(s, " \t"), end = lead + strcspn(s + lead, " \t,");
	bool ok = true;

	colon = memchr(s + lead, ':', end - lead);
	if (!colon) {
		ytree_err(c, y->pos, "invalid endpoint '%s' (expected node:iface, then addresses)",
			  SHOW(s));
		return false;
	}
	ep->node = xasprintf("%.*s", (int)(colon - s - (ptrdiff_t)lead), s + lead);
	ep->iface = xasprintf("%.*s", (int)(s + end - colon - 1), colon + 1);
	ep->node_pos = ynode_sub_pos(y, lead);
	ep->iface_pos = ynode_sub_pos(y, (size_t)(colon + 1 - s));
	if (!load_name_ok(c, "node name", ep->node, ep->node_pos))
		ok = false;
	if (!load_ifname_ok(c, ep->iface, ep->iface_pos))
		ok = false;
	endpoint_str_addrs(c, y, end, ep);
	return ok;
}

/* Endpoint field Y (NULL: not given) as text, copied into *OUT at *POS; NULL if it is not one. */
static const char *endpoint_field(struct ytree *c, const struct ynode *y, char **out,
				  struct pos *pos)
{
	const char *s = y ? ytree_str(c, y) : NULL;

	if (s) {
		*out = xstrdup(s);
		*pos = y->pos;
	}
	return s;
}

/* { node, iface, addresses, mac, impair, mtu } */
static bool endpoint_map(struct ytree *c, const struct ynode *y, struct endpoint *ep)
{
	enum { EK_NODE, EK_IFACE, EK_ADDRESSES, EK_MAC, EK_IMPAIR, EK_MTU, EK_N };
	static const char *const keys[EK_N] = { "node", "iface", "addresses", "mac", "impair",
						"mtu" };
	const struct ynode *v[EK_N], *k[EK_N];
	const char *s;
	long long mtu;
	bool ok = true;
	size_t i;

	ytree_fields(c, y, keys, EK_N, v, k);
	if (!v[EK_NODE] || !v[EK_IFACE]) {
		ytree_err(c, y->pos, "missing required key '%s'", v[EK_NODE] ? "iface" : "node");
		ok = false;
	}
	s = endpoint_field(c, v[EK_NODE], &ep->node, &ep->node_pos);
	if (v[EK_NODE])
		ok &= s && load_name_ok(c, "node name", s, ep->node_pos);
	s = endpoint_field(c, v[EK_IFACE], &ep->iface, &ep->iface_pos);
	if (v[EK_IFACE])
		ok &= s && load_ifname_ok(c, s, ep->iface_pos);
	if (v[EK_ADDRESSES] && ytree_want_opt(c, v[EK_ADDRESSES], Y_SEQ)) {
		for (i = 0; i < v[EK_ADDRESSES]->n; i++) {
			const struct ynode *a = v[EK_ADDRESSES]->kids[i];
			struct cidr cidr;

			s = ytree_str(c, a);
			if (s && load_cidr(c, s, a->pos, &cidr))
				*(struct cidr *)VEC_APPEND(&ep->addrs, &ep->n_addrs) = cidr;
		}
	}
	if (v[EK_MAC] && (s = ytree_str(c, v[EK_MAC]))) {
		ep->mac_pos = v[EK_MAC]->pos;
		if (mac_parse(s, ep->mac) == 0) {
			ep->has_mac = true;
		} else {
			ytree_err(c, v[EK_MAC]->pos, "invalid MAC address '%s' (expected e.g. 02:00:00:00:00:01)",
				  SHOW(s));
			ok = false;
		}
	}
	if (v[EK_IMPAIR])
		load_impair(c, v[EK_IMPAIR], &ep->impair);
	if (v[EK_MTU]) {
		ep->mtu_pos = v[EK_MTU]->pos;
		if (ytree_integer(c, v[EK_MTU], "mtu", 68, 65535, &mtu))
			ep->mtu = (uint32_t)mtu;
		else
			ok = false;
	}
	return ok;
}

bool load_endpoint(struct ytree *c, const struct ynode *y, struct endpoint *ep)
{
	ep->pos = y->pos;
	if (y->type == Y_MAP)
		return endpoint_map(c, y, ep);
	if (y->type == Y_SCALAR && !ynode_is_null(y))
		return endpoint_str(c, y, ep);
	return ytree_want(c, y, Y_SCALAR);
}
