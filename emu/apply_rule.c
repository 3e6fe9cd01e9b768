// SPDX-License-Identifier: MIT
/* apply_plan's policy routing rules: RTM_NEWRULE and RTM_DELRULE. */

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <string.h>

#include "apply_int.h"

int ap_rule_change(struct apply_run *r, const struct action *a, struct nsconn *nc, bool add)
{
	const struct st_rule *ru = &a->rule;
	size_t alen = addr_len(ru->family);
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh;
	struct fib_rule_hdr *frh;

	nlh = nl_msg(&nc->nl, buf, add ? RTM_NEWRULE : RTM_DELRULE,
		     add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = (uint8_t)ru->family;
	frh->src_len = ru->src_len;
	frh->dst_len = ru->dst_len;
	frh->action = ru->action;
	if (ru->action == FR_ACT_TO_TBL) {
		/* the header has 8 bits; FRA_TABLE says the whole number */
		frh->table = ru->table < 256 ? (uint8_t)ru->table : RT_TABLE_UNSPEC;
		mnl_attr_put_u32(nlh, FRA_TABLE, ru->table);
	}
	mnl_attr_put_u32(nlh, FRA_PRIORITY, ru->priority);
	if (ru->src_len)
		mnl_attr_put(nlh, FRA_SRC, alen, ru->src);
	if (ru->dst_len)
		mnl_attr_put(nlh, FRA_DST, alen, ru->dst);
	if (ru->iif[0])
		mnl_attr_put_strz(nlh, FRA_IIFNAME, ru->iif);
	if (ru->oif[0])
		mnl_attr_put_strz(nlh, FRA_OIFNAME, ru->oif);
	if (ru->has_fwmark) {
		mnl_attr_put_u32(nlh, FRA_FWMARK, ru->fwmark);
		mnl_attr_put_u32(nlh, FRA_FWMASK, ru->fwmask);
	}
	/* The kernel deletes the first rule that has what the request gives
	 * (an attribute left out matches anything): the protocol keeps
	 * the deletion of topo's rule off a hand-made one like it. */
	if (add || ru->proto)
		mnl_attr_put_u8(nlh, FRA_PROTOCOL, add ? TOPO_RTPROT : ru->proto);
	return nl_request(&nc->nl, nlh);
}
