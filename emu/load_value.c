// SPDX-License-Identifier: MIT
/*
 * load_value - the loader's parsers of values with a grammar of their own:
 * addresses, names and link endpoints (routes: load_route.c) ("node:iface addr ..." or a mapping).
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
