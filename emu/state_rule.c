// SPDX-License-Identifier: MIT
/* Policy routing rules in the state: their words, their identity, and whose they are. */

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "state.h"
#include "util.h"

/* " from 10.0.1.0/24": prefix ADDR/PLEN after WORD into BUF at *N. */
static void put_prefix(char *buf, size_t len, size_t *n, const char *word, int family,
		       const uint8_t addr[16], uint8_t plen)
{
	struct cidr c = { .family = family, .plen = plen };
	char p[80];

	memcpy(c.addr, addr, 16);
	if (*n < len)
		*n += (size_t)snprintf(buf + *n, len - *n, " %s %s", word, cidr_fmt(&c, p, sizeof(p)));
}

static const char *action_word(const struct st_rule *r, char *buf, size_t len)
{
	switch (r->action) {
	case FR_ACT_TO_TBL:
		if (r->table == RT_TABLE_MAIN)
			return "table main";
		if (r->table == RT_TABLE_LOCAL)
			return "table local";
		if (r->table == RT_TABLE_DEFAULT)
			return "table default";
		snprintf(buf, len, "table %u", r->table);
		return buf;
	case FR_ACT_BLACKHOLE:
		return "blackhole";
	case FR_ACT_UNREACHABLE:
		return "unreachable";
	case FR_ACT_PROHIBIT:
		return "prohibit";
	case FR_ACT_GOTO:
		return "goto";
	case FR_ACT_NOP:
		return "nop";
	default:
		snprintf(buf, len, "action %u", r->action);
		return buf;
	}
}

const char *st_rule_fmt(const struct st_rule *r, char *buf, size_t len)
{
	char act[32];
	size_t n = 0;

	buf[0] = '\0';
	if (r->src_len)
		put_prefix(buf, len, &n, "from", r->family, r->src, r->src_len);
	if (r->dst_len)
		put_prefix(buf, len, &n, "to", r->family, r->dst, r->dst_len);
	if (r->iif[0] && n < len)
		n += (size_t)snprintf(buf + n, len - n, " iif %s", r->iif);
	if (r->oif[0] && n < len)
		n += (size_t)snprintf(buf + n, len - n, " oif %s", r->oif);
	if (r->has_fwmark && n < len)
		n += (size_t)(r->fwmask == 0xffffffffu
				      ? snprintf(buf + n, len - n, " fwmark %#x", r->fwmark)
				      : snprintf(buf + n, len - n, " fwmark %#x/%#x", r->fwmark,
						 r->fwmask));
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, " %s priority %u",
				      action_word(r, act, sizeof(act)), r->priority);
	/* no prefix says no family: a lab file's rule is IPv4 without one */
	if (r->family == AF_INET6 && !r->src_len && !r->dst_len && n < len)
		n += (size_t)snprintf(buf + n, len - n, " family ipv6");
	if (r->extra && n < len)
		snprintf(buf + n, len - n, " ...");
	/* the words without the leading space */
	memmove(buf, buf + (buf[0] == ' '), strlen(buf + (buf[0] == ' ')) + 1);
	return buf;
}

bool st_rule_eq(const struct st_rule *a, const struct st_rule *b)
{
	size_t alen = addr_len(a->family);

	return !a->extra && !b->extra && a->family == b->family && a->src_len == b->src_len &&
	       a->dst_len == b->dst_len && !memcmp(a->src, b->src, alen) &&
	       !memcmp(a->dst, b->dst, alen) && !strcmp(a->iif, b->iif) && !strcmp(a->oif, b->oif) &&
	       a->has_fwmark == b->has_fwmark && (!a->has_fwmark || (a->fwmark == b->fwmark &&
								   a->fwmask == b->fwmask)) &&
	       a->action == b->action && a->table == b->table && a->priority == b->priority;
}

bool st_rule_is_kernels(const struct st_rule *r)
{
	bool bare = !r->src_len && !r->dst_len && !r->iif[0] && !r->oif[0] && !r->has_fwmark &&
		    !r->extra && r->action == FR_ACT_TO_TBL;

	if (r->proto == RTPROT_KERNEL)
		return true;
	/* a kernel older than FRA_PROTOCOL (4.17) says no protocol: know them by their looks */
	return r->proto == RTPROT_UNSPEC && bare &&
	       ((r->priority == 0 && r->table == RT_TABLE_LOCAL) ||
		(r->priority == 32766 && r->table == RT_TABLE_MAIN) ||
		(r->priority == 32767 && r->table == RT_TABLE_DEFAULT && r->family == AF_INET));
}

bool st_rule_learned(const struct st_rule *r)
{
	struct st_route as_route = { .proto = r->proto };

	return st_route_learned(&as_route);
}
