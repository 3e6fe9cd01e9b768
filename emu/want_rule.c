// SPDX-License-Identifier: MIT
/* The desired state's rules: a node's `rules:` as the kernel will hold them. */

#include <linux/fib_rules.h>
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "want.h"

static const uint8_t rule_actions[] = {
	[RULE_TABLE] = FR_ACT_TO_TBL,
	[RULE_BLACKHOLE] = FR_ACT_BLACKHOLE,
	[RULE_UNREACHABLE] = FR_ACT_UNREACHABLE,
	[RULE_PROHIBIT] = FR_ACT_PROHIBIT,
};

void want_rules(const struct node *n, struct st_ns *ns)
{
	size_t i;

	for (i = 0; i < n->n_rules; i++) {
		const struct rule_spec *rs = &n->rules[i];
		struct st_rule *r = VEC_PUSH(&ns->rules, &ns->n_rules);

		r->family = rs->family;
		if (rs->has_from) {
			memcpy(r->src, rs->from.addr, 16);
			r->src_len = rs->from.plen;
		}
		if (rs->has_to) {
			memcpy(r->dst, rs->to.addr, 16);
			r->dst_len = rs->to.plen;
		}
		snprintf(r->iif, sizeof(r->iif), "%s", rs->iif ? rs->iif : "");
		snprintf(r->oif, sizeof(r->oif), "%s", rs->oif ? rs->oif : "");
		r->has_fwmark = rs->has_fwmark;
		r->fwmark = rs->fwmark;
		r->fwmask = rs->fwmask;
		r->action = rule_actions[rs->type];
		/* the checker made sure the name is known */
		if (rs->type == RULE_TABLE && !topo_table_id(n, rs->table, &r->table))
			r->table = 0;
		r->priority = rs->priority;
		r->proto = TOPO_RTPROT;
		r->pos = rs->pos;
	}
}
