// SPDX-License-Identifier: MIT
#include <string.h>

#include "util.h"
#include "verify.h"

static void put(struct strmap *m, const char *s)
{
	if (s[0])
		strmap_put(m, s, strlen(s), 0, NULL);
}

static bool has(const struct strmap *m, const char *s)
{
	size_t v;

	return s[0] && strmap_get(m, s, strlen(s), &v);
}

static bool is_creation(enum act_type t)
{
	return t == ACT_VETH_ADD || t == ACT_BRIDGE_ADD || t == ACT_ADDR_ADD || t == ACT_ROUTE_ADD ||
	       t == ACT_RULE_ADD;
}

/* The other namespace a veth action reaches, or "". */
static const char *peer_ns(const struct action *a)
{
	return a->iface.kind == ST_VETH ? a->iface.peer_ns : "";
}

/*
 * Namespaces where APPLIED deleted or changed something: there the kernel
 * can have taken more with it (the routes of an address or a link, the
 * other end of a veth), so what is missing may be topo's doing.
 */
static void disturbed_of(const struct plan *applied, struct strmap *out)
{
	size_t i;

	for (i = 0; i < applied->n_acts; i++) {
		const struct action *a = &applied->acts[i];

		if (a->type == ACT_ADDR_ADD || a->type == ACT_ROUTE_ADD || a->type == ACT_VETH_ADD ||
		    a->type == ACT_BRIDGE_ADD || a->type == ACT_NS_ADD || a->type == ACT_SYSCTL_SET ||
		    a->type == ACT_EXEC || a->type == ACT_EXEC_FORGET || a->type == ACT_FILES ||
		    a->type == ACT_RULE_ADD)
			continue;
		put(out, a->ns);
		put(out, peer_ns(a));
	}
}

/* What goes with a veth whose other end went: the veth, its addresses,
 * the routes through it. */
static bool follows_veth(enum act_type t)
{
	return t == ACT_LINK_DEL || t == ACT_VETH_ADD || t == ACT_ADDR_ADD || t == ACT_ADDR_DEL ||
	       t == ACT_ROUTE_ADD || t == ACT_ROUTE_DEL;
}

size_t verify_classify(const struct plan *applied, const struct plan *left,
		       enum verify_cause *cause)
{
	struct strmap gone = { 0 }, disturbed = { 0 }, follows = { 0 };
	size_t i, bugs = 0;

	disturbed_of(applied, &disturbed);
	for (i = 0; i < left->n_acts; i++)
		if (left->acts[i].type == ACT_NS_ADD)
			put(&gone, left->acts[i].ns);
	/* A gone namespace takes its veths' other ends with it: the
	 * namespaces holding them see them deleted and made again. */
	for (i = 0; i < left->n_acts; i++) {
		const struct action *a = &left->acts[i];

		if (a->type != ACT_VETH_ADD)
			continue;
		if (has(&gone, a->ns))
			put(&follows, peer_ns(a));
		if (has(&gone, peer_ns(a)))
			put(&follows, a->ns);
	}
	for (i = 0; i < left->n_acts; i++) {
		const struct action *a = &left->acts[i];

		if (a->type == ACT_NS_ADD)
			cause[i] = VERIFY_NS_GONE;
		else if (has(&gone, a->ns) || has(&gone, peer_ns(a)) ||
			 (has(&follows, a->ns) && follows_veth(a->type)))
			cause[i] = VERIFY_FOLLOWS;
		else if (is_creation(a->type) && !has(&disturbed, a->ns) &&
			 !has(&disturbed, peer_ns(a)))
			cause[i] = VERIFY_VANISHED;
		else
			cause[i] = VERIFY_BUG;
		bugs += cause[i] == VERIFY_BUG;
	}
	strmap_free(&gone);
	strmap_free(&disturbed);
	strmap_free(&follows);
	return bugs;
}
