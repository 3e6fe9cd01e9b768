// SPDX-License-Identifier: MIT
/* apply_plan's policy routing rules: RTM_NEWRULE and RTM_DELRULE. */

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <string.h>

#include "apply_int.h"
#include "observe_parse.h"

/* The kernel's own message of a rule like WANT, selectors topo does not describe included. */
struct rule_find {
	const struct st_rule *want;
	char msg[NL_BUFSZ];
	bool found;
};

static int rule_find_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rule_find *f = data;
	struct st_rule have, want = *f->want;

	if (f->found || !obs_rule_parse(nlh, &have) || !have.extra || have.proto != want.proto ||
	    nlh->nlmsg_len > sizeof(f->msg))
		return MNL_CB_OK;
	have.extra = want.extra = false;
	if (st_rule_eq(&have, &want)) {
		memcpy(f->msg, nlh, nlh->nlmsg_len);
		f->found = true;
	}
	return MNL_CB_OK;
}

static void rule_find_reset(void *data)
{
	((struct rule_find *)data)->found = false;
}

/*
 * Delete RU, a rule with selectors topo does not describe (tos, ports, uid
 * ranges...). A deletion built from what topo knows of it would match more
 * than it (the kernel deletes the first rule that has everything a request
 * gives), maybe topo's own: find the kernel's own description of it and
 * send that back, every attribute included.
 */
static int rule_del_extra(struct nsconn *nc, const struct st_rule *ru)
{
	struct rule_find f = { .want = ru };
	const struct nlmsghdr *got = (const struct nlmsghdr *)f.msg;
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh = nl_msg(&nc->nl, buf, RTM_GETRULE, 0);
	int err;

	mnl_nlmsg_put_extra_header(nlh, sizeof(struct fib_rule_hdr));
	((struct fib_rule_hdr *)mnl_nlmsg_get_payload(nlh))->family = (uint8_t)ru->family;
	if ((err = nl_dump(&nc->nl, nlh, rule_find_cb, rule_find_reset, &f)) < 0)
		return err;
	if (!f.found)
		return -ENOENT;
	nlh = nl_msg(&nc->nl, buf, RTM_DELRULE, 0);
	memcpy(mnl_nlmsg_put_extra_header(nlh, mnl_nlmsg_get_payload_len(got)),
	       mnl_nlmsg_get_payload(got), mnl_nlmsg_get_payload_len(got));
	return nl_request(&nc->nl, nlh);
}

int ap_rule_change(struct apply_run *r, const struct action *a, struct nsconn *nc, bool add)
{
	const struct st_rule *ru = &a->rule;
	size_t alen = addr_len(ru->family);
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh;
	struct fib_rule_hdr *frh;

	if (!add && ru->extra)
		return rule_del_extra(nc, ru);
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
