// SPDX-License-Identifier: MIT
/*
 * load_host - `hosts:` (the machines a lab spans, each with the address its
 * VXLAN tunnels use) and a node's `host:` (which of them it runs on).
 * Whether the names a node gives exist is the checker's (check_host.c).
 */

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "host.h"
#include "load_host.h"
#include "load_value.h"
#include "util.h"

enum { HK_ADDRESS, HK_VXLAN_PORT, HK_N };
static const char *const host_keys[HK_N] = { "address", "vxlan_port" };

/* The underlay address: one IP, no prefix length (a tunnel goes to one machine). */
static void load_host_address(struct ytree *c, const struct ynode *y, struct host_spec *h)
{
	const char *s = ytree_str(c, y);

	if (!s)
		return;
	if (ip_parse(s, &h->address.family, h->address.addr) < 0) {
		ytree_err(c, y->pos, "invalid host address '%s' (expected an IPv4 or IPv6 address)",
			  SHOW(s));
		h->address.family = 0;
		return;
	}
	h->address.plen = h->address.family == AF_INET ? 32 : 128;
	h->address.pos = y->pos;
}

static void load_host(struct ytree *c, const struct ynode *key, const struct ynode *y,
		      struct host_spec *h)
{
	const struct ynode *v[HK_N], *k[HK_N];
	long long port;

	h->name = xstrdup(key->s);
	h->pos = key->pos;
	if (!ytree_want(c, y, Y_MAP))
		return;
	ytree_fields(c, y, host_keys, HK_N, v, k);
	if (!v[HK_ADDRESS])
		ytree_err(c, y->pos, "host '%s' needs an 'address' (its underlay IP)", SHOW(key->s));
	else
		load_host_address(c, v[HK_ADDRESS], h);
	if (v[HK_VXLAN_PORT] && ytree_integer(c, v[HK_VXLAN_PORT], "vxlan_port", 1, 65535, &port))
		h->vxlan_port = (uint16_t)port;
}

void load_hosts(struct ytree *c, const struct ynode *y, struct topology *t)
{
	struct strmap seen = { 0 };
	const char *name;
	size_t i;

	if (!ytree_want_opt(c, y, Y_MAP))
		return;
	for (i = 0; i + 1 < y->n; i += 2) {
		name = ytree_user_key(c, y->kids[i], &seen);
		if (name && load_name_ok(c, "host name", name, y->kids[i]->pos))
			load_host(c, y->kids[i], y->kids[i + 1], VEC_APPEND(&t->hosts, &t->n_hosts));
	}
	strmap_free(&seen);
}

void load_node_host(struct ytree *c, const struct ynode *y, struct node *n)
{
	const char *s = ytree_str(c, y);

	if (!s || !load_name_ok(c, "host name", s, y->pos))
		return;
	free(n->host);
	n->host = xstrdup(s);
	n->host_pos = y->pos;
}

void merge_node_host(struct node *n, const struct node *def)
{
	if (n->host || !def->host)
		return;
	n->host = xstrdup(def->host);
	n->host_pos = def->host_pos;
	n->host_default = true;
}

/* Where member NODE runs; ARG: node name -> index. */
static int member_host(const struct topology *t, const char *node, void *arg)
{
	size_t i;

	return strmap_get(arg, node, strlen(node), &i) ? host_of(t, &t->nodes[i]) : -1;
}

void load_lan_hosts(struct topology *t)
{
	struct strmap idx = { 0 };
	size_t i;
	int h;

	if (!t->n_hosts)
		return;
	for (i = 0; i < t->n_nodes; i++)
		strmap_put(&idx, t->nodes[i].name, strlen(t->nodes[i].name), i, NULL);
	for (i = 0; i < t->n_nodes; i++) {
		struct node *n = &t->nodes[i];

		if (!n->lan || n->host)
			continue;
		h = host_lan_pick(t, n, t->n_hosts, member_host, &idx);
		n->host = xstrdup(t->hosts[h].name);
	}
	strmap_free(&idx);
}
