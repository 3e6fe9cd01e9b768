// SPDX-License-Identifier: MIT
/*
 * The planner's policy routing rules. A rule is all it says (the kernel
 * keeps two rules that differ in any selector, even at one priority), so
 * a rule is kept only when the kernel has it exactly; one of topo's that
 * the file changed (its priority, table or a selector) is deleted and
 * added again as one change, paired with the desired rule of the same
 * priority, else with the one of the same selectors.
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

/* Actual rule R, not in the file as it is: changed, deleted, or drift. */
static void rule_gone(struct planner *pl, const struct st_ns *wn, bool *matched,
		      const struct st_rule *r)
{
	const struct st_rule *d = NULL;
	struct action a;

	if (r->proto == TOPO_RTPROT)
		d = rule_partner(wn, matched, r);
	rule_act(&a, ACT_RULE_DEL, wn, r, d);
	if (d) {
		pl_emit(pl, G_RULE_DEL, T_NONE, &a);	/* counted with its addition */
		rule_act(&a, ACT_RULE_ADD, wn, d, r);
		pl_emit(pl, G_RULE_ADD, T_CHANGE, &a);
	} else if (r->proto == TOPO_RTPROT) {
		pl_emit(pl, G_RULE_DEL, T_DESTROY, &a);
	} else if (!st_rule_learned(r)) {
		/* a daemon's rule is its own business, as its routes are */
		pl_emit_drift(pl, G_RULE_DEL, &a);
	}
}

void plan_ns_rules(struct planner *pl, size_t i)
{
	const struct st_ns *wn = &pl->want->ns[i];
	const struct st_ns *hn = pl->new_ns[i] ? NULL : pl_have_find(pl, wn->name);
	size_t n_have = hn ? hn->n_rules : 0, j, k;
	bool *matched = xcalloc(wn->n_rules + 1, sizeof(*matched));
	bool *kept = xcalloc(n_have + 1, sizeof(*kept));
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
			rule_gone(pl, wn, matched, &hn->rules[j]);
	for (k = 0; k < wn->n_rules; k++) {
		if (matched[k])
			continue;
		rule_act(&a, ACT_RULE_ADD, wn, &wn->rules[k], NULL);
		pl_emit(pl, G_RULE_ADD, T_ADD, &a);
	}
	free(matched);
	free(kept);
}
