// SPDX-License-Identifier: MIT
/*
 * Reading the rules of a namespace (RTM_GETRULE) into its state.
 * What topo does not describe (tos, "not", ip protocols, ports, uid
 * ranges, goto...) marks the rule `extra`: never equal to one of the
 * file's, shown but not saved. The kernel's own rules are left out.
 */

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "nl.h"
#include "observe.h"
#include "observe_parse.h"
#include "util.h"

struct rule_attrs {
	const struct nlattr *tb[FRA_MAX + 1];
	bool extra;
};

static const enum mnl_attr_data_type rule_policy[FRA_MAX + 1] = {
	[FRA_DST] = MNL_TYPE_BINARY,	 [FRA_SRC] = MNL_TYPE_BINARY,
	[FRA_IIFNAME] = MNL_TYPE_NUL_STRING, [FRA_OIFNAME] = MNL_TYPE_NUL_STRING,
	[FRA_PRIORITY] = MNL_TYPE_U32,	 [FRA_FWMARK] = MNL_TYPE_U32,
	[FRA_FWMASK] = MNL_TYPE_U32,	 [FRA_TABLE] = MNL_TYPE_U32,
	[FRA_PROTOCOL] = MNL_TYPE_U8,
	/* the kernel says these even unset, as -1 */
	[FRA_SUPPRESS_PREFIXLEN] = MNL_TYPE_U32, [FRA_SUPPRESS_IFGROUP] = MNL_TYPE_U32,
};

static int rule_attr_cb(const struct nlattr *attr, void *data)
{
	struct rule_attrs *ra = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type == FRA_PAD)
		return MNL_CB_OK;
	/* the kernel sends a selector only when the rule has it */
	if (type > FRA_MAX || rule_policy[type] == MNL_TYPE_UNSPEC) {
		ra->extra = true;
		return MNL_CB_OK;
	}
	if (mnl_attr_validate(attr, rule_policy[type]) < 0)
		return MNL_CB_OK;
	ra->tb[type] = attr;
	if ((type == FRA_SUPPRESS_PREFIXLEN || type == FRA_SUPPRESS_IFGROUP) &&
	    mnl_attr_get_u32(attr) != UINT32_MAX)
		ra->extra = true;
	return MNL_CB_OK;
}

/* Prefix attribute A of FAMILY into ADDR; false when it has the wrong length. */
static bool rule_addr(const struct nlattr *a, int family, uint8_t addr[16])
{
	if (!a || mnl_attr_get_payload_len(a) != addr_len(family))
		return false;
	memcpy(addr, mnl_attr_get_payload(a), addr_len(family));
	return true;
}

bool obs_rule_parse(const struct nlmsghdr *nlh, struct st_rule *out)
{
	const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	struct rule_attrs ra = { 0 };
	struct st_rule r = { 0 };
	const struct nlattr *const *tb = ra.tb;

	if (nlh->nlmsg_type != RTM_NEWRULE || mnl_nlmsg_get_payload_len(nlh) < sizeof(*frh))
		return false;
	if (frh->family != AF_INET && frh->family != AF_INET6)
		return false;
	if (mnl_attr_parse(nlh, sizeof(*frh), rule_attr_cb, &ra) < 0)
		return false;
	r.family = frh->family;
	r.action = frh->action;
	r.extra = ra.extra || frh->tos || (frh->flags & FIB_RULE_INVERT) ||
		  (r.action != FR_ACT_TO_TBL && r.action != FR_ACT_BLACKHOLE &&
		   r.action != FR_ACT_UNREACHABLE && r.action != FR_ACT_PROHIBIT);
	if (frh->src_len && rule_addr(tb[FRA_SRC], r.family, r.src))
		r.src_len = frh->src_len;
	if (frh->dst_len && rule_addr(tb[FRA_DST], r.family, r.dst))
		r.dst_len = frh->dst_len;
	if (tb[FRA_IIFNAME])
		snprintf(r.iif, sizeof(r.iif), "%s", mnl_attr_get_str(tb[FRA_IIFNAME]));
	if (tb[FRA_OIFNAME])
		snprintf(r.oif, sizeof(r.oif), "%s", mnl_attr_get_str(tb[FRA_OIFNAME]));
	/* a mark of 0 comes as its mask alone */
	r.has_fwmark = tb[FRA_FWMARK] || tb[FRA_FWMASK];
	r.fwmark = tb[FRA_FWMARK] ? mnl_attr_get_u32(tb[FRA_FWMARK]) : 0;
	if (r.has_fwmark)
		r.fwmask = tb[FRA_FWMASK] ? mnl_attr_get_u32(tb[FRA_FWMASK]) : 0xffffffffu;
	if (r.action == FR_ACT_TO_TBL)
		r.table = tb[FRA_TABLE] ? mnl_attr_get_u32(tb[FRA_TABLE]) : frh->table;
	r.priority = tb[FRA_PRIORITY] ? mnl_attr_get_u32(tb[FRA_PRIORITY]) : 0;
	r.proto = tb[FRA_PROTOCOL] ? mnl_attr_get_u8(tb[FRA_PROTOCOL]) : RTPROT_UNSPEC;
	*out = r;
	return true;
}

int obs_rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct obs_ns *o = data;
	struct st_rule r;

	if (obs_rule_parse(nlh, &r) && !st_rule_is_kernels(&r))
		*VEC_PUSH(&o->ns->rules, &o->ns->n_rules) = r;
	return MNL_CB_OK;
}

void obs_rules_reset(void *data)
{
	struct obs_ns *o = data;

	o->ns->n_rules = 0;
}

int observe_rules(struct nl *nl, struct obs_ns *o)
{
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh = nl_msg(nl, buf, RTM_GETRULE, 0);

	/* family AF_UNSPEC: one dump of every family's rules (the callback
	 * keeps IPv4 and IPv6), where a dump per family would take two */
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct fib_rule_hdr));
	return nl_dump(nl, nlh, obs_rule_cb, obs_rules_reset, o);
}
