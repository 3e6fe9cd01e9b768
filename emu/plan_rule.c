// SPDX-License-Identifier: MIT
/*
 * The planner's policy routing rules. A rule is all it says (the kernel
 * keeps two rules that differ in any selector, even at one priority), so
 * a rule is kept only when the kernel has it exactly; one of topo's that
 * the file changed (its priority, table or a selector) is deleted and
 * added again as one change, paired with the desired rule of the same
 * priority, else with the one of the same selectors. Deletions run the
 * most specific rule first, for the kernel deletes the first rule that
 * has what a deletion says (see rule_del_hits).
 */

#include <stdlib.h>
#include <string.h>

#include "plan_int.h"

static bool rule_same_selectors(const struct st_rule *a, const struct st_rule *b)
{
	size_t alen = addr_len(a->family);

	return a->src_len == b->src_len && a->dst_len == b->dst_len &&
	       !memcmp(a->src, b->src, alen) && !memcmp(a->dst, b->dst, alen) &&
	       !strcmp(a->iif, b->iif) && !strcmp(a->oif, b->oif) &&
	       a->has_fwmark == b->has_fwmark &&
	       (!a->has_fwmark || (a->fwmark == b->fwmark && a->fwmask == b->fwmask));
}

/* The desired rule of WN not yet MATCHED that actual rule R became, or NULL. */
static const struct st_rule *rule_partner(const struct st_ns *wn, bool *matched,
					  const struct st_rule *r)
{
	size_t pass, k;

	for (pass = 0; pass < 2; pass++) {
		for (k = 0; k < wn->n_rules; k++) {
			const struct st_rule *d = &wn->rules[k];

			if (matched[k] || d->family != r->family)
				continue;
			if (pass ? rule_same_selectors(d, r) : d->priority == r->priority) {
				matched[k] = true;
				return d;
			}
		}
	}
	return NULL;
}

/* How many selectors R has: a deletion matches only rules with all of its. */
static int rule_selectors(const struct st_rule *r)
{
	return !!r->src_len + !!r->dst_len + !!r->iif[0] + !!r->oif[0] + r->has_fwmark;
}

/*
 * Would the kernel take K for the deletion of D? It deletes the first rule
 * that has every attribute the request gives (apply_rule.c): D's
 * selectors, table, action and priority, its protocol unless that is 0. A
 * rule with more selectors than D can be that first one.
 */
static bool rule_del_hits(const struct st_rule *d, const struct st_rule *k)
{
	size_t alen = addr_len(d->family);

	/* D's deletion is the kernel's own message of it (apply_rule.c): D alone */
	if (d->extra)
		return false;
	return d->family == k->family && d->priority == k->priority && d->action == k->action &&
	       d->table == k->table && (!d->proto || d->proto == k->proto) &&
	       (!d->src_len || (d->src_len == k->src_len && !memcmp(d->src, k->src, alen))) &&
	       (!d->dst_len || (d->dst_len == k->dst_len && !memcmp(d->dst, k->dst, alen))) &&
	       (!d->iif[0] || !strcmp(d->iif, k->iif)) && (!d->oif[0] || !strcmp(d->oif, k->oif)) &&
	       (!d->has_fwmark ||
		(k->has_fwmark && d->fwmark == k->fwmark && d->fwmask == k->fwmask));
}

/* A rule of the kernel's to delete, and why. */
struct rule_del {
	const struct st_rule *r;
	const struct st_rule *pair;	/* RD_PAIR: the file's rule it becomes */
	enum { RD_PAIR, RD_DESTROY, RD_DRIFT, RD_READD } how;
	size_t order;			/* in the have state, for a stable sort */
};

/* The most specific first: a deletion then never takes a rule still to be deleted. */
static int rule_del_cmp(const void *a, const void *b)
{
	const struct rule_del *x = a, *y = b;
	int sx = rule_selectors(x->r), sy = rule_selectors(y->r);

	if (sx != sy)
		return sy - sx;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void rule_act(struct action *a, enum act_type type, const struct st_ns *wn,
		     const struct st_rule *r, const struct st_rule *pair)
{
	pl_act_init(a, type, wn->name, wn->node);
	a->rule = *r;
	if (pair) {
		a->paired = true;
		a->rule_pair = *pair;
	}
}

/* Actual rule R, not in the file as it is: changed, deleted, or drift; into DELS. */
static void rule_gone(const struct st_ns *wn, bool *matched, const struct st_rule *r,
		      size_t order, struct rule_del **dels, size_t *n_dels)
{
	const struct st_rule *d = NULL;

	if (r->proto == TOPO_RTPROT)
		d = rule_partner(wn, matched, r);
	/* a daemon's rule is its own business, as its routes are */
	if (r->proto != TOPO_RTPROT && st_rule_learned(r))
		return;
	*VEC_PUSH(dels, n_dels) = (struct rule_del){
		.r = r, .pair = d, .order = order,
		.how = d ? RD_PAIR : r->proto == TOPO_RTPROT ? RD_DESTROY : RD_DRIFT
	};
}

/*
 * A rule kept (KEPT[J]) that one of DELS would take in its place is
 * deleted first and added again: into DELS as well, which it may in turn
 * make longer.
 */
static void rule_readds(const struct planner *pl, const struct st_ns *hn, bool *kept,
			struct rule_del **dels, size_t *n_dels)
{
	size_t i, j;

	for (i = 0; i < *n_dels; i++) {
		const struct rule_del *d = &(*dels)[i];

		if (d->how == RD_DRIFT && !pl->prune)
			continue;	/* left alone */
		for (j = 0; j < hn->n_rules; j++) {
			const struct st_rule *k = &hn->rules[j];

			if (!kept[j] || k == d->r || st_rule_is_kernels(k) || !rule_del_hits(d->r, k))
				continue;
			kept[j] = false;
			*VEC_PUSH(dels, n_dels) =
			    (struct rule_del){ .r = k, .how = RD_READD, .order = j };
			d = &(*dels)[i];	/* the vector moved */
		}
	}
}

static void rule_del_emit(struct planner *pl, const struct st_ns *wn, const struct rule_del *d)
{
	struct action a;

	rule_act(&a, ACT_RULE_DEL, wn, d->r, d->pair);
	switch (d->how) {
	case RD_DESTROY:
		pl_emit(pl, G_RULE_DEL, T_DESTROY, &a);
		return;
	case RD_DRIFT:
		pl_emit_drift(pl, G_RULE_DEL, &a);
		return;
	case RD_READD:
		a.readd = true;
		pl_emit(pl, G_RULE_DEL, T_NONE, &a);	/* counted with its addition */
		rule_act(&a, ACT_RULE_ADD, wn, d->r, NULL);
		a.readd = true;
		pl_emit(pl, G_RULE_ADD, T_CHANGE, &a);
		return;
	case RD_PAIR:
		pl_emit(pl, G_RULE_DEL, T_NONE, &a);
		rule_act(&a, ACT_RULE_ADD, wn, d->pair, d->r);
		pl_emit(pl, G_RULE_ADD, T_CHANGE, &a);
		return;
	}
}

void plan_ns_rules(struct planner *pl, size_t i)
{
	const struct st_ns *wn = &pl->want->ns[i];
	const struct st_ns *hn = pl->new_ns[i] ? NULL : pl_have_find(pl, wn->name);
	size_t n_have = hn ? hn->n_rules : 0, n_dels = 0, j, k;
	bool *matched = xcalloc(wn->n_rules + 1, sizeof(*matched));
	bool *kept = xcalloc(n_have + 1, sizeof(*kept));
	struct rule_del *dels = NULL;
	struct action a;

	for (j = 0; j < n_have; j++) {
		kept[j] = st_rule_is_kernels(&hn->rules[j]);
		for (k = 0; k < wn->n_rules && !kept[j]; k++) {
			if (!matched[k] && st_rule_eq(&wn->rules[k], &hn->rules[j]))
				matched[k] = kept[j] = true;
		}
	}
	for (j = 0; j < n_have; j++)
		if (!kept[j])
			rule_gone(wn, matched, &hn->rules[j], j, &dels, &n_dels);
	if (n_dels) {
		rule_readds(pl, hn, kept, &dels, &n_dels);
		qsort(dels, n_dels, sizeof(*dels), rule_del_cmp);
	}
	for (j = 0; j < n_dels; j++)
		rule_del_emit(pl, wn, &dels[j]);
	for (k = 0; k < wn->n_rules; k++) {
		if (matched[k])
			continue;
		rule_act(&a, ACT_RULE_ADD, wn, &wn->rules[k], NULL);
		pl_emit(pl, G_RULE_ADD, T_ADD, &a);
	}
	free(dels);
	free(matched);
	free(kept);
}
