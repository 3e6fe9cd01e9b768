// SPDX-License-Identifier: MIT
/* The checker's rules: their tables, interfaces and prefixes, and what the
 * kernel would refuse as a duplicate (EEXIST) or already has. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check_int.h"

/* Prefix P (WHAT: "source", "destination") of rule R has no host bits set. */
static void rule_prefix_net(struct chk *c, const struct rule_spec *r, const struct cidr *p,
			    const char *what)
{
	struct cidr net = *p;
	char g[80], fixed[80];

	memset(net.addr, 0, sizeof(net.addr));
	memcpy(net.addr, p->addr, p->plen / 8);
	if (p->plen % 8)
		net.addr[p->plen / 8] = p->addr[p->plen / 8] & (uint8_t)(0xff << (8 - p->plen % 8));
	if (!memcmp(net.addr, p->addr, 16))
		return;
	error(c, r->pos, "rule %s %s has host bits set (did you mean %s?)", what,
	      cidr_fmt(p, g, sizeof(g)), cidr_fmt(&net, fixed, sizeof(fixed)));
}

/* Interface IFACE (iif or oif) of rule R of node IDX is one the node has. */
static void rule_iface(struct chk *c, size_t idx, const struct rule_spec *r, const char *iface,
		       struct pos pos)
{
	const struct node *n = &c->t->nodes[idx];

	if (!iface)
		return;
	if (!chk_has_iface(c, n, iface))
		chk_no_such_iface(c, idx, iface, pos);
	else if (chk_is_bridge_port(c, n, iface))
		error(c, pos, "rule '%s' uses '%s', a port of bridge node '%s' (use br0)",
		      SHOW(r->text), iface, n->name);
}

/* Is R (its table TABLE) one of the rules the kernel makes in a new namespace? */
static bool rule_is_kernels(const struct rule_spec *r, uint32_t table)
{
	if (r->has_from || r->has_to || r->iif || r->oif || r->has_fwmark || r->type != RULE_TABLE)
		return false;
	return (r->priority == 0 && table == 255) || (r->priority == 32766 && table == 254) ||
	       (r->family == AF_INET && r->priority == 32767 && table == 253);
}

/* Everything that tells two rules apart, as a strmap key. */
static char *rule_key(const struct rule_spec *r, uint32_t table)
{
	char from[80] = "", to[80] = "";

	if (r->has_from)
		cidr_fmt(&r->from, from, sizeof(from));
	if (r->has_to)
		cidr_fmt(&r->to, to, sizeof(to));
	return xasprintf("%d|%s|%s|%s|%s|%d:%x/%x|%d|%u|%u", r->family, from, to,
			 r->iif ? r->iif : "", r->oif ? r->oif : "", r->has_fwmark, r->fwmark,
			 r->fwmask, (int)r->type, table, r->priority);
}

static void check_rule(struct chk *c, size_t idx, const struct rule_spec *r, struct strmap *seen)
{
	const struct node *n = &c->t->nodes[idx];
	uint32_t table = 0;
	size_t prev;
	char *key;

	if (r->has_from)
		rule_prefix_net(c, r, &r->from, "source");
	if (r->has_to)
		rule_prefix_net(c, r, &r->to, "destination");
	rule_iface(c, idx, r, r->iif, r->iif_pos);
	rule_iface(c, idx, r, r->oif, r->oif_pos);
	if (r->type == RULE_TABLE && !topo_table_id(n, r->table, &table)) {
		error(c, r->table_pos,
		      "unknown table '%s' in rule '%s' on node '%s' (expected main, local, default, a number from 1 to 4294967295, or a name from the node's tables:)",
		      SHOW(r->table), SHOW(r->text), n->name);
		return;
	}
	if (rule_is_kernels(r, table)) {
		error(c, r->pos, "rule '%s' is one the kernel makes itself in every namespace",
		      SHOW(r->text));
		return;
	}
	key = rule_key(r, table);
	if (!strmap_put(seen, key, strlen(key), (size_t)(r - n->rules), &prev))
		error(c, r->pos, "duplicate rule '%s' on node '%s' (first at line %d)",
		      SHOW(r->text), n->name, n->rules[prev].pos.line);
	free(key);
}

void chk_rules(struct chk *c)
{
	size_t i, j;

	for (i = 0; i < c->t->n_nodes; i++) {
		struct strmap seen = { 0 };

		for (j = 0; j < c->t->nodes[i].n_rules; j++)
			check_rule(c, i, &c->t->nodes[i].rules[j], &seen);
		strmap_free(&seen);
	}
}
