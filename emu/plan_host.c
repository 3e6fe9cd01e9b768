// SPDX-License-Identifier: MIT
/*
 * The planner's host links: the lab's interfaces in the host (root)
 * namespace and its nat table. The state's host namespace holds only what
 * carries the lab's mark, so whatever is there and not desired is the
 * lab's to delete; a name the file wants that someone else holds is an
 * error, and then nothing is done at all.
 */

#include <stdio.h>
#include <string.h>

#include "nat.h"
#include "plan_int.h"

void plan_host_errors(struct planner *pl)
{
	const struct state *h = pl->have;
	size_t i;

	for (i = 0; i < h->n_host_foreign; i++)
		*VEC_PUSH(&pl->p->errors, &pl->p->n_errors) = xasprintf(
		    "interface %s exists in the host namespace and is not owned by lab %s; "
		    "topo will not touch it",
		    h->host_foreign[i], pl->want->lab);
}

void plan_host_deletions(struct planner *pl)
{
	const struct st_ns *hn = pl->have->host, *wn = pl->want->host;
	size_t i;

	for (i = 0; hn && i < hn->n_ifaces; i++) {
		const struct st_iface *ifc = &hn->ifaces[i];
		const struct st_iface *d = wn ? st_ns_iface_find(wn, ifc->name) : NULL;

		if (!d || d->kind != ifc->kind)
			pl_link_kill(pl, ST_HOST_NS, TOPO_HOST_NODE, ifc, false);
	}
}

void plan_host_refuse(struct planner *pl)
{
	size_t g;

	if (!pl->have->n_host_foreign)
		return;
	for (g = 0; g < G_COUNT; g++)
		pl->n_g[g] = 0;
	pl->p->n_add = pl->p->n_change = pl->p->n_destroy = 0;
}

static void plan_nat(struct planner *pl)
{
	const char *want = pl->want->nat, *have = pl->have->nat;
	struct action a;

	if ((!want && !have) || (want && have && !strcmp(want, have)))
		return;
	pl_act_init(&a, want ? ACT_NAT_SET : ACT_NAT_DEL, ST_HOST_NS, TOPO_HOST_NODE);
	a.nat_spec = want;
	snprintf(a.nat_was, sizeof(a.nat_was), "%s", have ? have : "");
	pl_emit(pl, G_NAT, !want ? T_DESTROY : have && have[0] ? T_CHANGE : T_ADD, &a);
}

/* Find the one unpaired action of group G on host end IFNAME, or NULL (none or several). */
static struct action *host_addr_act(struct planner *pl, enum group g, const char *ifname)
{
	struct action *one = NULL;
	size_t i, n = 0;

	for (i = 0; i < pl->n_g[g]; i++) {
		struct action *a = &pl->g[g][i];

		if (!strcmp(a->ns, ST_HOST_NS) && !strcmp(a->iface.name, ifname) && !a->paired &&
		    !a->drift) {
			one = a;
			n++;
		}
	}
	return n == 1 ? one : NULL;
}

/* A host end's one address replaced by another of its family is one change:
 * the address the host answers the lab on, edited. */
static void host_addr_pair(struct planner *pl, const struct st_iface *d)
{
	struct action *del = host_addr_act(pl, G_ADDR_DEL, d->name);
	struct action *add = host_addr_act(pl, G_ADDR_ADD, d->name);

	if (!del || !add || del->addr.family != add->addr.family)
		return;
	del->paired = add->paired = true;
	del->addr_pair = add->addr;
	add->addr_pair = del->addr;
	pl->p->n_destroy--;
	pl->p->n_add--;
	pl->p->n_change++;
}

void plan_host_changes(struct planner *pl)
{
	const struct st_ns *wn = pl->want->host;
	size_t i;

	for (i = 0; wn && i < wn->n_ifaces; i++) {
		pl_iface_changes(pl, wn, &wn->ifaces[i]);
		pl_iface_addrs(pl, wn, &wn->ifaces[i]);
		host_addr_pair(pl, &wn->ifaces[i]);
	}
	plan_nat(pl);
}

void pl_nat_text(const struct action *a, struct act_text *t)
{
	char rules[ACT_TEXT_MAX];

	t->kind = "nat";
	t->sign = a->type == ACT_NAT_DEL ? '-' : a->nat_was[0] ? '~' : '+';
	snprintf(t->subject, ACT_TEXT_MAX, "%s", ST_HOST_NS);
	snprintf(t->object, ACT_TEXT_MAX, "nat");
	if (a->type == ACT_NAT_DEL) {
		snprintf(t->detail, ACT_TEXT_MAX, "the lab's nftables table");
		snprintf(t->note, ACT_TEXT_MAX,
			 "net.ipv4.ip_forward put back when no other lab has nat");
		snprintf(t->sentence, ACT_TEXT_MAX, "host: delete the lab's nat table");
		return;
	}
	nat_describe(a->nat_spec, rules, sizeof(rules));
	snprintf(t->detail, ACT_TEXT_MAX, "%s", rules);
	snprintf(t->after, ACT_TEXT_MAX, "%s", rules);
	nat_describe(a->nat_was, rules, sizeof(rules));
	snprintf(t->before, ACT_TEXT_MAX, "%s", rules);
	snprintf(t->note, ACT_TEXT_MAX, "sets net.ipv4.ip_forward = 1 in the host");
	snprintf(t->sentence, ACT_TEXT_MAX, "host: set the lab's nat table: %.250s", t->detail);
}
