// SPDX-License-Identifier: MIT
/*
 * Probe target expansion: which addresses each probe of a lab covers. Pure
 * functions of the topology, with unit tests (tests/unit/test_probe.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "host.h"
#include "probe.h"
#include "probe_host.h"
#include "util.h"

static bool is_link_local6(int family, const uint8_t *a)
{
	return family == AF_INET6 && ip_is_link_local6(a);
}


/* The endpoint at the other end of the link of NODE:IFACE, or NULL. */
static const struct endpoint *link_peer(const struct topology *t, const char *node,
					const char *iface)
{
	for (size_t i = 0; i < t->n_links; i++)
		for (size_t k = 0; k < 2; k++)
			if (!strcmp(t->links[i].ep[k].node, node) &&
			    !strcmp(t->links[i].ep[k].iface, iface))
				return &t->links[i].ep[!k];
	return NULL;
}

const char *probe_link_scope(const struct topology *t, const char *from, const char *node,
			     const char *iface)
{
	const struct endpoint *peer = link_peer(t, node, iface);
	const struct node *br;

	if (!peer)
		return NULL;
	if (!strcmp(peer->node, from))
		return peer->iface;
	br = topo_node_find(t, peer->node);
	if (!br || br->kind != NODE_BRIDGE)
		return NULL;
	/* Through the bridge: the source's link to the same bridge. */
	for (size_t i = 0; i < t->n_links; i++)
		for (size_t k = 0; k < 2; k++)
			if (!strcmp(t->links[i].ep[k].node, from) &&
			    !strcmp(t->links[i].ep[!k].node, br->name))
				return t->links[i].ep[k].iface;
	return NULL;
}

typedef void (*addr_fn)(void *ctx, const char *iface, const struct cidr *c);

/* Every address the file gives NODE (on IFACE only, unless NULL). */
static void node_addrs_each(const struct topology *t, const char *node, const char *iface,
			    addr_fn fn, void *ctx)
{
	const struct node *nd = topo_node_find(t, node);
	size_t i, j, k;

	for (i = 0; nd && i < nd->n_addrs; i++) {
		if (iface && strcmp(nd->addrs[i].iface, iface))
			continue;
		for (j = 0; j < nd->addrs[i].n_addrs; j++)
			fn(ctx, nd->addrs[i].iface, &nd->addrs[i].addrs[j]);
	}
	for (i = 0; i < t->n_links; i++)
		for (k = 0; k < 2; k++) {
			const struct endpoint *ep = &t->links[i].ep[k];

			if (strcmp(ep->node, node) || (iface && strcmp(ep->iface, iface)))
				continue;
			for (j = 0; j < ep->n_addrs; j++)
				fn(ctx, ep->iface, &ep->addrs[j]);
		}
}

struct has_ctx {
	int family;
	bool found;
};

static void has_global_cb(void *ctx, const char *iface, const struct cidr *c)
{
	struct has_ctx *h = ctx;

	if (c->family == h->family && ip_is_probeable(c->family, c->addr))
		h->found = true;
}

bool probe_node_has_global(const struct topology *t, const char *node, int family)
{
	struct has_ctx h = { .family = family };

	node_addrs_each(t, node, NULL, has_global_cb, &h);
	return h.found;
}

const struct node *probe_addr_owner(const struct topology *t, int family, const uint8_t addr[16])
{
	size_t i, j, k;

	for (i = 0; i < t->n_nodes; i++) {
		const struct node *nd = &t->nodes[i];

		for (j = 0; j < nd->n_addrs; j++)
			for (k = 0; k < nd->addrs[j].n_addrs; k++) {
				const struct cidr *c = &nd->addrs[j].addrs[k];

				if (c->family == family && !memcmp(c->addr, addr, addr_len(family)))
					return nd;
			}
	}
	for (i = 0; i < t->n_links; i++)
		for (j = 0; j < 2; j++) {
			const struct endpoint *ep = &t->links[i].ep[j];

			for (k = 0; k < ep->n_addrs; k++)
				if (ep->addrs[k].family == family &&
				    !memcmp(ep->addrs[k].addr, addr, addr_len(family)))
					return topo_node_find(t, ep->node);
		}
	return NULL;
}

struct expand {
	struct probe_target *v;
	size_t n;
	size_t first;		/* targets of the current (spec, from, to) start here */
	struct probe_target proto;	/* spec, from, to_node, to_iface of new targets */
	bool fam[2];		/* the source has a global IPv4 / IPv6 address */
	const struct topology *t;
};

static struct probe_target *expand_push(struct expand *x, int family, const uint8_t *addr)
{
	struct probe_target *tg;
	size_t i;

	for (i = x->first; i < x->n; i++)	/* one address on two interfaces */
		if (x->v[i].family == family && !memcmp(x->v[i].addr, addr, addr_len(family)))
			return NULL;
	tg = VEC_PUSH(&x->v, &x->n);
	*tg = x->proto;
	tg->family = family;
	memcpy(tg->addr, addr, addr_len(family));
	return tg;
}

/*
 * A link-local address of the target on IFACE: a target only from a node on the same link,
 * where it is sent out of the source's interface there. Off that link, a node-wide target
 * leaves it out; a "node:iface" target keeps it, to say why it was not probed.
 */
static void expand_link_local(struct expand *x, const char *iface, const struct cidr *c)
{
	const char *scope = probe_link_scope(x->t, x->proto.from, x->proto.to_node, iface);
	struct probe_target *tg;

	if (!scope && !x->proto.to_iface)
		return;
	tg = expand_push(x, c->family, c->addr);
	if (tg && scope)
		tg->scope = scope;
	else if (tg)
		tg->off_link = true;
}

static void expand_addr_cb(void *ctx, const char *iface, const struct cidr *c)
{
	struct expand *x = ctx;

	if (is_link_local6(c->family, c->addr)) {
		expand_link_local(x, iface, c);
		return;
	}
	if (!ip_is_probeable(c->family, c->addr) || !x->fam[c->family == AF_INET6])
		return;
	expand_push(x, c->family, c->addr);
}

struct scope_ctx {
	const struct topology *t;
	const char *from, *node;
	const uint8_t *addr;
	const char *scope;
	bool declared;
};

static void explicit_scope_cb(void *ctx, const char *iface, const struct cidr *c)
{
	struct scope_ctx *s = ctx;

	if (c->family != AF_INET6 || memcmp(c->addr, s->addr, 16) || s->scope)
		return;
	s->declared = true;
	s->scope = probe_link_scope(s->t, s->from, s->node, iface);
}

/* The source's interface on which ADDR (link-local), explicit in a probe, is to be reached. */
static const char *explicit_scope(const struct topology *t, const char *from,
				  const uint8_t *addr)
{
	struct scope_ctx s = { .t = t, .from = from, .addr = addr };
	const char *only = NULL;
	size_t i, k, n = 0;

	for (i = 0; i < t->n_nodes && !s.scope; i++) {
		s.node = t->nodes[i].name;
		node_addrs_each(t, s.node, NULL, explicit_scope_cb, &s);
	}
	if (s.declared)
		return s.scope;
	/* Declared nowhere (the kernel's own, or added by hand): the source's one link, if one. */
	for (i = 0; i < t->n_links; i++)
		for (k = 0; k < 2; k++)
			if (!strcmp(t->links[i].ep[k].node, from)) {
				only = t->links[i].ep[k].iface;
				n++;
			}
	return n == 1 ? only : NULL;
}

/* The targets of FROM -> node TO (its IFACE only, unless NULL). */
static void expand_node(struct expand *x, const struct topology *t, size_t spec,
			const char *from, const char *to, const char *iface, bool keep_empty)
{
	x->proto = (struct probe_target){ .spec = spec, .from = from, .to_node = to,
					  .to_iface = iface };
	x->t = t;
	x->fam[0] = probe_node_has_global(t, from, AF_INET);
	x->fam[1] = probe_node_has_global(t, from, AF_INET6);
	x->first = x->n;
	node_addrs_each(t, to, iface, expand_addr_cb, x);
	if (x->n == x->first && keep_empty) {
		struct probe_target *tg = VEC_PUSH(&x->v, &x->n);

		*tg = x->proto;
		tg->family = AF_UNSPEC;
	}
}

static bool node_in_pairs(const struct node *nd)
{
	return nd->kind != NODE_BRIDGE;
}

static int expand_to(struct expand *x, const struct topology *t, size_t spec, const char *from,
		     bool from_star, char *err, size_t errlen)
{
	const struct probe_spec *p = &t->probes[spec];
	const char *colon;
	uint8_t addr[16];
	int family;
	size_t i;

	if (!strcmp(p->to, "*")) {
		for (i = 0; i < t->n_nodes; i++)
			if (node_in_pairs(&t->nodes[i]) && strcmp(t->nodes[i].name, from))
				expand_node(x, t, spec, from, t->nodes[i].name, NULL, false);
		return 0;
	}
	if (ip_parse(p->to, &family, addr) == 0) {
		struct probe_target *tg;

		x->proto = (struct probe_target){ .spec = spec, .from = from };
		x->first = x->n;
		tg = expand_push(x, family, addr);
		if (tg && is_link_local6(family, addr)) {
			tg->scope = explicit_scope(t, from, addr);
			tg->off_link = !tg->scope;
		}
		return 0;
	}
	colon = strchr(p->to, ':');
	if (colon) {
		const struct node *nd;
		size_t i_node;
		char name[TOPO_NAME_MAX + 1];
		bool has = false;

		i_node = (size_t)(colon - p->to);
		if (i_node > TOPO_NAME_MAX)
			i_node = TOPO_NAME_MAX;
		memcpy(name, p->to, i_node);
		name[i_node] = '\0';
		nd = topo_node_find(t, name);
		if (!nd)
			goto unknown;
		/* The interface must exist in the file, even without addresses. */
		for (i = 0; i < nd->n_addrs; i++)
			has |= !strcmp(nd->addrs[i].iface, colon + 1);
		for (i = 0; i < t->n_links; i++)
			for (size_t k = 0; k < 2; k++)
				has |= !strcmp(t->links[i].ep[k].node, nd->name) &&
				       !strcmp(t->links[i].ep[k].iface, colon + 1);
		if (!has && strcmp(colon + 1, "lo")) {
			snprintf(err, errlen, "%s:%d:%d: probe target '%s': node %s has no interface %s",
				 t->file ? t->file : "", p->to_pos.line, p->to_pos.col, p->to,
				 nd->name, colon + 1);
			return -EINVAL;
		}
		expand_node(x, t, spec, from, nd->name, colon + 1, true);
		return 0;
	}
	{
		const struct node *nd = topo_node_find(t, p->to);

		if (!nd)
			goto unknown;
		if (from_star && !strcmp(nd->name, from))
			return 0;
		expand_node(x, t, spec, from, nd->name, NULL, true);
	}
	return 0;
unknown:
	snprintf(err, errlen, "%s:%d:%d: probe target '%s' is not a node, node:iface or address",
		 t->file ? t->file : "", p->to_pos.line, p->to_pos.col, p->to);
	return -EINVAL;
}

int probe_expand(const struct topology *t, struct probe_target **out, size_t *n, char *err,
		 size_t errlen)
{
	struct expand x = { 0 };
	size_t i, j;
	int r = 0;

	for (i = 0; i < t->n_probes && r == 0; i++) {
		const struct probe_spec *p = &t->probes[i];

		if (!strcmp(p->from, "*")) {
			for (j = 0; j < t->n_nodes && r == 0; j++)
				if (node_in_pairs(&t->nodes[j]) && host_here(t, t->nodes[j].name))
					r = expand_to(&x, t, i, t->nodes[j].name, true, err, errlen);
		} else if (probe_host_source(p->from)) {
			size_t first = x.n;

			r = expand_to(&x, t, i, p->from, false, err, errlen);
			if (r == 0)
				x.n = first + probe_host_aim(t, x.v + first, x.n - first,
							     strcmp(p->to, "*") != 0);
		} else if (topo_node_find(t, p->from)) {
			if (host_here(t, p->from))	/* another host runs it */
				r = expand_to(&x, t, i, topo_node_find(t, p->from)->name, false, err, errlen);
		} else {
			snprintf(err, errlen, "%s:%d:%d: probe source '%s' is not a node",
				 t->file ? t->file : "", p->from_pos.line, p->from_pos.col, p->from);
			r = -EINVAL;
		}
	}
	if (r < 0) {
		free(x.v);
		return r;
	}
	*out = x.v;
	*n = x.n;
	return 0;
}

bool probe_target_unprobed(const struct probe_target *tg, const struct probe_spec *sp,
			   char *why, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (tg->family == AF_UNSPEC && probe_host_source(tg->from))
		snprintf(why, len, "nothing to probe: %s has no address in the subnet of a host end",
			 tg->to_iface ? tg->to_iface : tg->to_node);
	else if (tg->family == AF_UNSPEC)
		snprintf(why, len, "nothing to probe: %s has no address in a family that %s has",
			 tg->to_iface ? tg->to_iface : tg->to_node, tg->from);
	else if (probe_host_source(tg->from) && !tg->bind && !tg->off_link)
		snprintf(why, len, "not probed: no host end has %s in its subnet (the host "
			 "probes only through the lab's host ends)",
			 ip_fmt(tg->family, tg->addr, a, sizeof(a)));
	else if (tg->off_link)
		snprintf(why, len, "not probed: %s is link-local and %s has no interface on its link",
			 ip_fmt(tg->family, tg->addr, a, sizeof(a)), tg->from);
	else if (sp->count == 0)
		snprintf(why, len, "count is 0");
	else
		return false;
	return true;
}
