// SPDX-License-Identifier: MIT
/*
 * Policy routing rules: the loader's two forms and its errors, the
 * checker's errors, the desired state, the words of a rule, the planner
 * (a changed rule is one change, drift, the kernel's own rules) and the
 * reading of canned RTM_NEWRULE messages.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "diag.h"
#include "observe_parse.h"
#include "plan.h"
#include "state.h"
#include "topology.h"
#include "unit.h"
#include "util.h"
#include "want.h"

#define HEAD "name: t\nnodes:\n"
#define LINK "links:\n  - endpoints: [\"a:eth0 10.0.1.1/24\", \"b:eth0 10.0.1.2/24\"]\n"

/* Load YAML; its messages (loader, then checker if it loaded) into *MSGS. */
static struct topology *load(const char *yaml, char **msgs)
{
	struct diag d = { .file = "lab.yaml" };
	struct topology *t = NULL;

	if (topo_load_buf("lab.yaml", yaml, strlen(yaml), &t, &d) == 0)
		topo_check(t, &d);
	*msgs = messages(&d);
	diag_free(&d);
	return t;
}

static void expect_messages(const char *yaml, const char *expected)
{
	char *m;
	struct topology *t = load(yaml, &m);

	assert_string_equal(m, expected);
	free(m);
	topo_free(t);
}

/* ---- loader ---- */

static void test_load_forms(void **unused)
{
	char *m;
	struct topology *t = load(HEAD "  a:\n    rules:\n"
				       "      - from 10.0.1.0/24 table 100 priority 1000\n"
				       "      - to 10.9.0.0/16 iif eth0 lookup main pref 200\n"
				       "      - fwmark 0x10/0xff prohibit preference 7\n"
				       "      - { to: \"2001:db8::/32\", oif: eth0, type: unreachable, priority: 5 }\n"
				       "      - { fwmark: 16, table: 7, priority: 6, family: ipv6 }\n"
				       "      - from all table 9 priority 8\n"
				       "  b: {}\n" LINK,
				  &m);
	const struct rule_spec *r;

	assert_string_equal(m, "");
	free(m);
	assert_non_null(t);
	assert_int_equal(t->nodes[0].n_rules, 6);
	r = t->nodes[0].rules;
	assert_true(r[0].has_from && !r[0].has_to);
	assert_int_equal(r[0].from.plen, 24);
	assert_int_equal(r[0].family, AF_INET);
	assert_int_equal(r[0].type, RULE_TABLE);
	assert_string_equal(r[0].table, "100");
	assert_int_equal(r[0].priority, 1000);
	assert_string_equal(r[1].iif, "eth0");
	assert_string_equal(r[1].table, "main");
	assert_int_equal(r[1].priority, 200);
	assert_true(r[2].has_fwmark);
	assert_int_equal(r[2].fwmark, 0x10);
	assert_int_equal(r[2].fwmask, 0xff);
	assert_int_equal(r[2].type, RULE_PROHIBIT);
	assert_int_equal(r[3].family, AF_INET6);
	assert_string_equal(r[3].oif, "eth0");
	assert_int_equal(r[3].type, RULE_UNREACHABLE);
	assert_int_equal(r[4].family, AF_INET6);
	assert_int_equal(r[4].fwmark, 16);
	assert_int_equal(r[4].fwmask, 0xffffffffu);
	assert_false(r[5].has_from);
	assert_int_equal(r[5].family, AF_INET);
	topo_free(t);
}

static void test_load_defaults_first(void **unused)
{
	char *m;
	struct topology *t = load("name: t\ndefaults:\n  rules: [\"fwmark 1 table 1 priority 1\"]\n"
				  "nodes:\n  a:\n    rules: [\"fwmark 2 table 2 priority 2\"]\n  b: {}\n",
				  &m);

	assert_string_equal(m, "");
	free(m);
	assert_int_equal(t->nodes[0].n_rules, 2);
	assert_int_equal(t->nodes[0].rules[0].priority, 1);
	assert_int_equal(t->nodes[0].rules[1].priority, 2);
	assert_int_equal(t->nodes[1].n_rules, 1);
	assert_int_equal(t->nodes[1].rules[0].priority, 1);
	topo_free(t);
}

static void test_load_errors(void **unused)
{
	expect_messages(HEAD "  a:\n    rules:\n"
			     "      - from 10.0.1.0/24 table 100\n"
			     "      - from 10.0.1.0/24 priority 1\n"
			     "      - table 1 blackhole priority 1\n"
			     "      - frm 10.0.1.0/24 table 1 priority 1\n"
			     "      - table 1 priority 1 table 2\n"
			     "      - { from: 10.0.0.0/8, to: \"2001:db8::/32\", table: 1, priority: 1 }\n"
			     "      - { to: 10.0.0.0/8, table: 1, priority: 1, family: ipv6 }\n"
			     "      - fwmark 0x10/0x0f table 1 priority 1\n"
			     "      - fwmark -1 table 1 priority 1\n"
			     "      - { type: drop, priority: 1 }\n"
			     "      - { tabel: 1, priority: 1 }\n"
			     "      - \"\"\n",
			"lab.yaml:5:9: error: rule 'from 10.0.1.0/24 table 100' needs a priority (e.g. 'priority 1000'): without one the kernel picks it by the rules already there, and topo could not find the rule again\n"
			"lab.yaml:6:9: error: rule 'from 10.0.1.0/24 priority 1' needs a table to look up (or type blackhole, unreachable or prohibit)\n"
			"lab.yaml:7:9: error: rule 'table 1 blackhole priority 1' has both a table and type blackhole: a rule does one of them\n"
			"lab.yaml:8:9: error: unknown rule keyword 'frm' in 'frm 10.0.1.0/24 table 1 priority 1' (expected from, to, iif, oif, fwmark, table, priority, type or family)\n"
			"lab.yaml:9:28: error: duplicate 'table' in rule 'table 1 priority 1 table 2'\n"
			"lab.yaml:10:9: error: rule 'from 10.0.0.0/8 to 2001:db8::/32 table 1 priority 1' mixes IPv4 and IPv6 (from is IPv4, to is IPv6)\n"
			"lab.yaml:11:9: error: rule 'to 10.0.0.0/8 table 1 priority 1 family ipv6' mixes IPv4 and IPv6 (to is IPv4, family is IPv6)\n"
			"lab.yaml:12:16: error: fwmark '0x10/0x0f' has bits outside its mask: it never matches\n"
			"lab.yaml:13:16: error: invalid fwmark '-1' (expected a number such as 16 or 0x10, or value/mask such as 0x10/0xff)\n"
			"lab.yaml:14:17: error: invalid rule type 'drop' (expected blackhole, unreachable or prohibit; a table is 'table')\n"
			"lab.yaml:15:9: error: rule 'priority 1' needs a table to look up (or type blackhole, unreachable or prohibit)\n"
			"lab.yaml:15:11: error: unknown key 'tabel' (did you mean 'table'?)\n"
			"lab.yaml:16:9: error: empty rule");
}

/* ---- checker ---- */

static void test_check_errors(void **unused)
{
	expect_messages(HEAD "  a:\n    rules:\n"
			     "      - iif eth9 table 1 priority 1\n"
			     "      - oif eth0 lookup isp2 priority 2\n"
			     "      - from 10.0.1.1/24 table 1 priority 3\n"
			     "      - to 2001:db8::1/32 table 1 priority 3\n"
			     "      - fwmark 0x10 table 1 priority 4\n"
			     "      - { fwmark: 16, table: 1, priority: 4 }\n"
			     "      - table local priority 0\n"
			     "      - table default priority 32767\n"
			     "      - table default priority 32767 family ipv6\n"
			     "      - table 0 priority 9\n"
			     "  b: {}\n" LINK,
			"lab.yaml:5:13: error: node 'a' has no interface 'eth9' (its interfaces: lo, eth0)\n"
			"lab.yaml:6:25: error: unknown table 'isp2' in rule 'oif eth0 lookup isp2 priority 2' on node 'a' (expected main, local, default, a number from 1 to 4294967295, or a name from the node's tables:)\n"
			"lab.yaml:7:9: error: rule source 10.0.1.1/24 has host bits set (did you mean 10.0.1.0/24?)\n"
			"lab.yaml:8:9: error: rule destination 2001:db8::1/32 has host bits set (did you mean 2001:db8::/32?)\n"
			"lab.yaml:10:9: error: duplicate rule 'fwmark 16 table 1 priority 4' on node 'a' (first at line 9)\n"
			"lab.yaml:11:9: error: rule 'table local priority 0' is one the kernel makes itself in every namespace\n"
			"lab.yaml:12:9: error: rule 'table default priority 32767' is one the kernel makes itself in every namespace\n"
			"lab.yaml:14:15: error: unknown table '0' in rule 'table 0 priority 9' on node 'a' (expected main, local, default, a number from 1 to 4294967295, or a name from the node's tables:)");
}

/* ---- desired state and words ---- */

static void test_want_and_words(void **unused)
{
	char *m, buf[256];
	struct topology *t = load(HEAD "  a:\n    rules:\n"
				       "      - from 10.0.1.0/24 iif lo table main priority 1000\n"
				       "      - to 10.9.0.0/16 oif eth0 fwmark 0x10/0xff prohibit priority 5\n"
				       "      - fwmark 7 table 100 priority 6 family ipv6\n"
				       "  b: {}\n" LINK,
				  &m);
	struct state s = { 0 };

	assert_string_equal(m, "");
	free(m);
	snprintf(s.lab, sizeof(s.lab), "t");
	assert_int_equal(want_build(t, &s), 0);
	assert_int_equal(s.ns[0].n_rules, 3);
	assert_int_equal(s.ns[0].rules[0].table, RT_TABLE_MAIN);
	assert_int_equal(s.ns[0].rules[0].action, FR_ACT_TO_TBL);
	assert_int_equal(s.ns[0].rules[0].proto, TOPO_RTPROT);
	assert_int_equal(s.ns[0].rules[1].action, FR_ACT_PROHIBIT);
	assert_int_equal(s.ns[0].rules[1].table, 0);
	assert_string_equal(st_rule_fmt(&s.ns[0].rules[0], buf, sizeof(buf)),
			    "from 10.0.1.0/24 iif lo table main priority 1000");
	assert_string_equal(st_rule_fmt(&s.ns[0].rules[1], buf, sizeof(buf)),
			    "to 10.9.0.0/16 oif eth0 fwmark 0x10/0xff prohibit priority 5");
	assert_string_equal(st_rule_fmt(&s.ns[0].rules[2], buf, sizeof(buf)),
			    "fwmark 0x7 table 100 priority 6 family ipv6");
	assert_int_equal(s.ns[1].n_rules, 0);
	state_free(&s);
	topo_free(t);
}

/* ---- planner ---- */

static struct st_ns *p_ns(struct state *s, const char *node, bool owned)
{
	struct st_ns *ns = VEC_PUSH(&s->ns, &s->n_ns);

	snprintf(s->lab, sizeof(s->lab), "t");
	snprintf(ns->name, sizeof(ns->name), "t-%s", node);
	snprintf(ns->node, sizeof(ns->node), "%s", node);
	ns->owned = owned;
	return ns;
}

/* A rule "from FROM table TABLE priority PRIO" (FROM NULL: none) with protocol PROTO. */
static struct st_rule *p_rule(struct st_ns *ns, const char *from, uint32_t table, uint32_t prio,
			      uint8_t proto)
{
	struct st_rule *r = VEC_PUSH(&ns->rules, &ns->n_rules);
	struct cidr c;

	r->family = AF_INET;
	if (from) {
		assert_int_equal(cidr_parse(from, &c), 0);
		r->family = c.family;
		memcpy(r->src, c.addr, 16);
		r->src_len = c.plen;
	}
	r->action = FR_ACT_TO_TBL;
	r->table = table;
	r->priority = prio;
	r->proto = proto;
	return r;
}

static char *plan_lines(const struct plan *p)
{
	char *all = xstrdup(""), *next;
	struct act_text t;
	size_t i;

	for (i = 0; i < p->n_acts + p->n_drift_acts; i++) {
		const struct action *a = i < p->n_acts ? &p->acts[i] : &p->drift[i - p->n_acts];

		action_text(a, &t);
		next = xasprintf("%s%c %s %s %s%s%s%s\n", all, t.sign, t.kind, t.subject, t.detail,
				 t.note[0] ? " (" : "", t.note, t.note[0] ? ")" : "");
		free(all);
		all = next;
	}
	return all;
}

static void expect_plan(const struct state *want, const struct state *have, bool prune,
			const char *lines, size_t add, size_t change, size_t destroy, size_t drift)
{
	struct plan p;
	char *text;

	assert_int_equal(plan_diff(want, have, prune, &p), 0);
	text = plan_lines(&p);
	assert_string_equal(text, lines);
	assert_int_equal(p.n_add, add);
	assert_int_equal(p.n_change, change);
	assert_int_equal(p.n_destroy, destroy);
	assert_int_equal(p.n_drift, drift);
	free(text);
	plan_free(&p);
}

static void test_plan_same_and_kernels(void **unused)
{
	struct state w = { 0 }, h = { 0 };
	struct st_ns *wn = p_ns(&w, "a", false), *hn = p_ns(&h, "a", true);

	p_rule(wn, "10.0.1.0/24", 100, 1000, TOPO_RTPROT);
	p_rule(hn, "10.0.1.0/24", 100, 1000, TOPO_RTPROT);
	/* the kernel's own: by protocol, and by their looks without one */
	p_rule(hn, NULL, RT_TABLE_LOCAL, 0, RTPROT_KERNEL);
	p_rule(hn, NULL, RT_TABLE_MAIN, 32766, RTPROT_KERNEL);
	p_rule(hn, NULL, RT_TABLE_DEFAULT, 32767, RTPROT_UNSPEC);
	/* a daemon's: neither the file's nor drift */
	p_rule(hn, "10.7.0.0/16", 7, 77, RTPROT_BIRD);
	expect_plan(&w, &h, false, "", 0, 0, 0, 0);
	expect_plan(&w, &h, true, "", 0, 0, 0, 0);
	state_free(&w);
	state_free(&h);
}

static void test_plan_changed_is_one_change(void **unused)
{
	struct state w = { 0 }, h = { 0 };
	struct st_ns *wn = p_ns(&w, "a", false), *hn = p_ns(&h, "a", true);
	struct act_text t;
	struct plan p;
	char sum[256];

	/* the priority changed; another rule's table changed */
	p_rule(wn, "10.0.1.0/24", 100, 1100, TOPO_RTPROT);
	p_rule(wn, "10.0.2.0/24", 101, 2000, TOPO_RTPROT);
	p_rule(hn, "10.0.1.0/24", 100, 1000, TOPO_RTPROT);
	p_rule(hn, "10.0.2.0/24", 100, 2000, TOPO_RTPROT);
	expect_plan(&w, &h, false,
		    "~ rule t-a from 10.0.1.0/24 table 100 priority 1000 (replaced by from 10.0.1.0/24 table 100 priority 1100)\n"
		    "~ rule t-a from 10.0.2.0/24 table 100 priority 2000 (replaced by from 10.0.2.0/24 table 101 priority 2000)\n"
		    "~ rule t-a from 10.0.1.0/24 table 100 priority 1100 (was from 10.0.1.0/24 table 100 priority 1000)\n"
		    "~ rule t-a from 10.0.2.0/24 table 101 priority 2000 (was from 10.0.2.0/24 table 100 priority 2000)\n",
		    0, 2, 0, 0);
	assert_int_equal(plan_diff(&w, &h, false, &p), 0);
	plan_summary(p.acts, p.n_acts, sum, sizeof(sum));
	assert_string_equal(sum, "Changed 2 rules.");
	/* the deletions run before the routes', the additions after theirs */
	assert_int_equal(p.acts[0].type, ACT_RULE_DEL);
	assert_int_equal(p.acts[3].type, ACT_RULE_ADD);
	/* --json's change object: the rule now, and what it was */
	action_text(&p.acts[2], &t);
	assert_string_equal(t.kind, "rule");
	assert_string_equal(t.object, "from 10.0.1.0/24 table 100 priority 1100");
	assert_string_equal(t.before, "from 10.0.1.0/24 table 100 priority 1000");
	assert_string_equal(t.sentence, "t-a: add rule from 10.0.1.0/24 table 100 priority 1100");
	plan_free(&p);
	state_free(&w);
	state_free(&h);
}

static void test_plan_drift_and_dropped(void **unused)
{
	struct state w = { 0 }, h = { 0 };
	struct st_ns *wn = p_ns(&w, "a", false), *hn = p_ns(&h, "a", true);

	p_rule(wn, "10.0.1.0/24", 100, 1000, TOPO_RTPROT);
	/* a hand-made rule at the same priority is drift, not the file's rule changed */
	p_rule(hn, "10.0.1.0/24", 7, 1000, RTPROT_UNSPEC);
	/* one of topo's that the file dropped */
	p_rule(hn, "10.0.3.0/24", 100, 3000, TOPO_RTPROT);
	expect_plan(&w, &h, false,
		    "- rule t-a from 10.0.3.0/24 table 100 priority 3000\n"
		    "+ rule t-a from 10.0.1.0/24 table 100 priority 1000\n"
		    "- rule t-a from 10.0.1.0/24 table 7 priority 1000 (drift)\n",
		    1, 0, 1, 1);
	expect_plan(&w, &h, true,
		    "- rule t-a from 10.0.1.0/24 table 7 priority 1000 (drift)\n"
		    "- rule t-a from 10.0.3.0/24 table 100 priority 3000\n"
		    "+ rule t-a from 10.0.1.0/24 table 100 priority 1000\n",
		    1, 0, 2, 1);
	state_free(&w);
	state_free(&h);
}

static void test_plan_extra_never_matches(void **unused)
{
	struct state w = { 0 }, h = { 0 };
	struct st_ns *wn = p_ns(&w, "a", false), *hn = p_ns(&h, "a", true);

	p_rule(wn, NULL, 100, 10, TOPO_RTPROT);
	/* `ip rule add ipproto tcp table 100 pref 10`: more than the file's rule says */
	p_rule(hn, NULL, 100, 10, RTPROT_UNSPEC)->extra = true;
	expect_plan(&w, &h, false,
		    "+ rule t-a table 100 priority 10\n"
		    "- rule t-a table 100 priority 10 ... (drift)\n",
		    1, 0, 0, 1);
	state_free(&w);
	state_free(&h);

	/* pruned beside topo's rule like it: its deletion is the kernel's own
	 * message of it (apply_rule.c), which takes no other rule */
	memset(&w, 0, sizeof(w));
	memset(&h, 0, sizeof(h));
	wn = p_ns(&w, "a", false);
	hn = p_ns(&h, "a", true);
	p_rule(wn, "10.0.4.0/24", 100, 1100, TOPO_RTPROT);
	p_rule(hn, "10.0.4.0/24", 100, 1100, TOPO_RTPROT);
	p_rule(hn, "10.0.4.0/24", 100, 1100, RTPROT_UNSPEC)->extra = true;
	expect_plan(&w, &h, true, "- rule t-a from 10.0.4.0/24 table 100 priority 1100 ... (drift)\n",
		    0, 0, 1, 1);
	state_free(&w);
	state_free(&h);
}

/* The kernel deletes the first rule that has what a deletion gives: one with
 * more selectors, deleted or kept, goes first (kept: deleted and added again). */
static void test_plan_deletion_order(void **unused)
{
	struct state w = { 0 }, h = { 0 };
	struct st_ns *wn = p_ns(&w, "a", false), *hn = p_ns(&h, "a", true);

	p_rule(wn, "10.0.4.0/24", 100, 1000, TOPO_RTPROT);
	p_rule(hn, "10.0.4.0/24", 100, 1000, TOPO_RTPROT);
	p_rule(hn, NULL, 100, 1000, RTPROT_UNSPEC);	/* by hand: `ip rule add lookup 100 pref 1000` */
	expect_plan(&w, &h, false, "- rule t-a table 100 priority 1000 (drift)\n", 0, 0, 0, 1);
	expect_plan(&w, &h, true,
		    "~ rule t-a from 10.0.4.0/24 table 100 priority 1000 (deleted and added again: the deletion of a rule like it would take it)\n"
		    "- rule t-a table 100 priority 1000 (drift)\n"
		    "~ rule t-a from 10.0.4.0/24 table 100 priority 1000 (added again)\n",
		    0, 1, 1, 1);
	state_free(&w);
	state_free(&h);

	/* two of topo's that the file dropped: the more specific first */
	memset(&w, 0, sizeof(w));
	memset(&h, 0, sizeof(h));
	p_ns(&w, "a", false);
	hn = p_ns(&h, "a", true);
	p_rule(hn, NULL, 100, 1000, TOPO_RTPROT);
	p_rule(hn, "10.0.4.0/24", 100, 1000, TOPO_RTPROT);
	p_rule(hn, "10.0.5.0/24", 100, 1001, TOPO_RTPROT);
	expect_plan(&w, &h, false,
		    "- rule t-a from 10.0.4.0/24 table 100 priority 1000\n"
		    "- rule t-a from 10.0.5.0/24 table 100 priority 1001\n"
		    "- rule t-a table 100 priority 1000\n",
		    0, 0, 3, 0);
	state_free(&w);
	state_free(&h);
}

/* ---- observe ---- */

/* An RTM_NEWRULE message into BUF: FAMILY, PROTO; SUPPRESS (-1: the kernel's "unset"). */
static struct nlmsghdr *rule_msg(char *buf, int family, uint8_t proto, uint32_t prio,
				 uint32_t table, uint32_t suppress)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct fib_rule_hdr *frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	uint8_t src[16] = { 10, 0, 1, 0 };

	nlh->nlmsg_type = RTM_NEWRULE;
	frh->family = (uint8_t)family;
	frh->action = FR_ACT_TO_TBL;
	frh->table = table < 256 ? (uint8_t)table : 252;
	if (family == AF_INET) {
		frh->src_len = 24;
		mnl_attr_put(nlh, FRA_SRC, 4, src);
	}
	mnl_attr_put_u32(nlh, FRA_TABLE, table);
	mnl_attr_put_u32(nlh, FRA_SUPPRESS_PREFIXLEN, suppress);
	mnl_attr_put_u32(nlh, FRA_PRIORITY, prio);
	mnl_attr_put_u8(nlh, FRA_PROTOCOL, proto);
	return nlh;
}

static void test_observe_rules(void **unused)
{
	char buf[512], words[256];
	struct st_ns ns = { 0 };
	struct obs_ns o = { .ns = &ns };

	obs_rule_cb(rule_msg(buf, AF_INET, TOPO_RTPROT, 1000, 100, UINT32_MAX), &o);
	obs_rule_cb(rule_msg(buf, AF_INET, RTPROT_KERNEL, 32766, RT_TABLE_MAIN, UINT32_MAX), &o);
	obs_rule_cb(rule_msg(buf, AF_INET6, RTPROT_UNSPEC, 32766, RT_TABLE_MAIN, UINT32_MAX), &o);
	obs_rule_cb(rule_msg(buf, AF_INET6, RTPROT_UNSPEC, 5, 300, 0), &o);
	assert_int_equal(ns.n_rules, 2);
	assert_int_equal(ns.rules[0].proto, TOPO_RTPROT);
	assert_false(ns.rules[0].extra);
	assert_string_equal(st_rule_fmt(&ns.rules[0], words, sizeof(words)),
			    "from 10.0.1.0/24 table 100 priority 1000");
	/* suppress_prefixlength 0: more than a lab file says */
	assert_true(ns.rules[1].extra);
	assert_int_equal(ns.rules[1].table, 300);
	assert_string_equal(st_rule_fmt(&ns.rules[1], words, sizeof(words)),
			    "table 300 priority 5 family ipv6 ...");
	obs_rules_reset(&o);
	assert_int_equal(ns.n_rules, 0);
	free(ns.rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_forms),
		cmocka_unit_test(test_load_defaults_first),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_check_errors),
		cmocka_unit_test(test_want_and_words),
		cmocka_unit_test(test_plan_same_and_kernels),
		cmocka_unit_test(test_plan_changed_is_one_change),
		cmocka_unit_test(test_plan_drift_and_dropped),
		cmocka_unit_test(test_plan_extra_never_matches),
		cmocka_unit_test(test_plan_deletion_order),
		cmocka_unit_test(test_observe_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
