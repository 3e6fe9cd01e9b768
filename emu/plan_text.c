// SPDX-License-Identifier: MIT
/*
 * The words of an action: one function per action type says everything
 * about it (its plan line, its sentence, what a drift line calls it). The
 * command layer prints them (cmd_plan.c); apply's errors use the sentence.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "plan.h"
#include "plan_int.h"
#include "qdisc.h"
#include "util.h"

__attribute__((format(printf, 2, 3))) static void put(char dst[ACT_TEXT_MAX], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, ACT_TEXT_MAX, fmt, ap);
	va_end(ap);
}

/* "via 10.0.1.1 dev eth0" ("blackhole", "table 100 nexthops: [...]"): what a route change changes. */
static const char *route_attrs_fmt(const struct st_route *r, char *buf, size_t len)
{
	const char *type = st_route_type_name(st_route_type(r));
	char ip[64];
	size_t n = 0;

	buf[0] = '\0';
	if (type)
		n = (size_t)snprintf(buf, len, "%s", type);
	if (r->has_gw && n < len)
		n += (size_t)snprintf(buf + n, len - n, "%svia %s", n ? " " : "",
				      ip_fmt(r->family, r->gw, ip, sizeof(ip)));
	if (r->dev[0] && n < len)
		n += (size_t)snprintf(buf + n, len - n, "%sdev %s", n ? " " : "", r->dev);
	if (n < len) {
		/* " table 100 ...": its leading space goes with nothing before it */
		st_route_extra_fmt(r, buf + n, len - n);
		if (!n && buf[0] == ' ')
			memmove(buf, buf + 1, strlen(buf));
		n = strlen(buf);
	}
	if (!n)
		snprintf(buf, len, "no gateway");
	return buf;
}

static void route_text(const struct action *a, struct act_text *t, const char *verb)
{
	char r[ACT_TEXT_MAX];

	st_route_fmt(&a->route, r, sizeof(r));
	t->kind = "route";
	put(t->subject, "%s", a->ns);
	put(t->detail, "%s", r);
	put(t->object, "%s", r);
	if (a->route.dev[0])
		put(t->iface, "%s", a->route.dev);
	put(t->sentence, "%s: %s route %s", a->ns, verb, r);
}

static void route_del_text(const struct action *a, struct act_text *t)
{
	char r[ACT_TEXT_MAX];

	route_text(a, t, "delete");
	put(t->drift, "route %s", t->detail);
	t->sign = a->readd || a->paired ? '~' : '-';
	if (a->readd)
		put(t->note, "deleted and added again: %s loses its IPv4 address", a->route.dev);
	else if (a->paired)
		put(t->note, "replaced by %s", route_attrs_fmt(a->route_pair, r, sizeof(r)));
	if (a->paired)
		put(t->after, "%s", st_route_fmt(a->route_pair, r, sizeof(r)));
}

static void route_add_text(const struct action *a, struct act_text *t)
{
	char r[ACT_TEXT_MAX];

	route_text(a, t, "add");
	t->sign = a->readd || a->paired ? '~' : '+';
	if (a->readd)
		put(t->note, "added again");
	else if (a->paired)
		put(t->note, "was %s", route_attrs_fmt(a->route_pair, r, sizeof(r)));
	if (a->paired)
		put(t->before, "%s", st_route_fmt(a->route_pair, r, sizeof(r)));
}

/* A rule is its words; a changed one says what it was or becomes. */
static void rule_text(const struct action *a, struct act_text *t)
{
	bool del = a->type == ACT_RULE_DEL;
	char r[ACT_TEXT_MAX], other[ACT_TEXT_MAX];

	st_rule_fmt(&a->rule, r, sizeof(r));
	t->sign = a->paired || a->readd ? '~' : del ? '-' : '+';
	t->kind = "rule";
	put(t->subject, "%s", a->ns);
	put(t->detail, "%s", r);
	put(t->object, "%s", r);
	put(t->sentence, "%s: %s rule %s", a->ns, del ? "delete" : "add", r);
	if (del)
		put(t->drift, "rule %s", r);
	/* the kernel would take it for a less specific rule deleted after it */
	if (a->readd)
		put(t->note, del ? "deleted and added again: the deletion of a rule like it would take it"
				 : "added again");
	if (a->paired) {
		st_rule_fmt(&a->rule_pair, other, sizeof(other));
		put(t->note, del ? "replaced by %s" : "was %s", other);
		put(del ? t->after : t->before, "%s", other);
	}
}

static void addr_text(const struct action *a, struct act_text *t)
{
	bool del = a->type == ACT_ADDR_DEL;
	struct st_addr pair = a->addr; /* the other half: another prefix length */
	char addr[64], other[64];

	pair.plen = a->addr_pair_plen;
	if (a->addr_pair.family)
		pair = a->addr_pair;
	st_addr_fmt(&a->addr, addr, sizeof(addr));
	t->sign = a->paired ? '~' : del ? '-' : '+';
	t->kind = "addr";
	put(t->subject, "%s:%s", a->ns, a->iface.name);
	put(t->detail, "%s", addr);
	put(t->object, "%s", addr);
	put(t->iface, "%s", a->iface.name);
	if (a->paired) {
		st_addr_fmt(&pair, other, sizeof(other));
		put(t->note, del ? "replaced by %s" : "was %s", other);
		put(del ? t->after : t->before, "%s", other);
	}
	put(t->sentence, "%s: %s address %s %s %s", a->ns, del ? "delete" : "add", addr,
	    del ? "from" : "to", a->iface.name);
	if (del)
		put(t->drift, "address %s on %s", addr, a->iface.name);
}

static void link_del_text(const struct action *a, struct act_text *t)
{
	t->sign = '-';
	t->kind = "link";
	if (a->iface.kind == ST_VETH && a->iface.peer_ns[0]) {
		put(t->subject, "%s:%s <-> %s:%s", a->ns, a->iface.name, a->iface.peer_ns,
		    a->iface.peer_name);
		put(t->peer, "%s:%s", a->iface.peer_ns, a->iface.peer_name);
	} else {
		put(t->subject, "%s:%s", a->ns, a->iface.name);
	}
	put(t->object, "%s", a->iface.name);
	put(t->iface, "%s", a->iface.name);
	put(t->sentence, "%s: delete link %s", a->ns, a->iface.name);
	put(t->drift, "interface %s", a->iface.name);
}

static void ns_del_text(const struct action *a, struct act_text *t)
{
	t->sign = '-';
	t->kind = "ns";
	put(t->subject, "%s", a->ns);
	put(t->object, "%s", a->ns);
	put(t->sentence, "delete namespace %s", a->ns);
}

static void ns_add_text(const struct action *a, struct act_text *t)
{
	t->sign = '+';
	t->kind = "ns";
	put(t->subject, "%s", a->ns);
	put(t->object, "%s", a->ns);
	put(t->sentence, "create namespace %s", a->ns);
}

static void sysctl_text(const struct action *a, struct act_text *t)
{
	/* a key put back to a new namespace's value: the file no longer has it */
	t->sign = '~';
	t->kind = "sysctl";
	put(t->subject, "%s", a->ns);
	const char *why = a->sysctl.dropped ? " (no longer in the file)" : "";

	if (a->sysctl_was[0])
		put(t->detail, "%s %s -> %s%s", a->sysctl.key, a->sysctl_was, a->sysctl.value, why);
	else
		put(t->detail, "%s = %s%s", a->sysctl.key, a->sysctl.value, why);
	put(t->sentence, "%s: set sysctl %s to %s%s", a->ns, a->sysctl.key, a->sysctl.value, why);
	put(t->object, "%s", a->sysctl.key);
	put(t->before, "%s", a->sysctl_was);
	put(t->after, "%s", a->sysctl.value);
}

/* "mtu 9000, down, eth0 mac 02:00:00:00:00:01": what a new pair has besides defaults. */
static void veth_opts(const struct st_iface *a, const struct st_iface *b, char *buf, size_t len)
{
	char mac[18];
	size_t n = 0;

	buf[0] = '\0';
	if (a->mtu && b->mtu && a->mtu != b->mtu)	/* each end's own (an endpoint's mtu), in the subject's order */
		n += (size_t)snprintf(buf + n, len - n, ", mtu %u <-> %u", a->mtu, b->mtu);
	else if (a->mtu && a->mtu != 1500)
		n += (size_t)snprintf(buf + n, len - n, ", mtu %u", a->mtu);
	if (!a->up && n < len)
		n += (size_t)snprintf(buf + n, len - n, ", down");
	if (a->has_mac && n < len)
		n += (size_t)snprintf(buf + n, len - n, ", %s mac %s", a->name,
				      mac_fmt(a->mac, mac, sizeof(mac)));
	if (b->has_mac && n < len)
		snprintf(buf + n, len - n, ", %s mac %s", b->name,
			 mac_fmt(b->mac, mac, sizeof(mac)));
}

static void vxlan_add_text(const struct action *a, struct act_text *t)
{
	char tun[ACT_TEXT_MAX];

	vxlan_fmt(&a->iface.vxlan, tun, sizeof(tun));
	put(t->subject, "%s:%s", a->ns, a->iface.name);
	put(t->detail, "%s", tun);
	put(t->peer, "%s", "");
	put(t->after, "%s", tun);
	put(t->sentence, "create link %s (%s)", t->subject, tun);
}

static void veth_add_text(const struct action *a, struct act_text *t)
{
	char opts[ACT_TEXT_MAX];

	t->sign = '+';
	t->kind = "link";
	put(t->subject, "%s:%s <-> %s:%s", a->ns, a->iface.name, a->iface.peer_ns, a->peer.name);
	put(t->object, "%s", a->iface.name);
	put(t->iface, "%s", a->iface.name);
	put(t->peer, "%s:%s", a->iface.peer_ns, a->peer.name);
	veth_opts(&a->iface, &a->peer, opts, sizeof(opts));
	if (opts[0])
		put(t->note, "%s", opts + 2);
	put(t->sentence, "create link %s", t->subject);
	if (a->iface.kind == ST_VXLAN)	/* a link to another host: one end, a tunnel */
		vxlan_add_text(a, t);
}

static void bridge_add_text(const struct action *a, struct act_text *t)
{
	t->sign = '+';
	t->kind = "bridge";
	put(t->subject, "%s:%s", a->ns, a->iface.name);
	put(t->object, "%s", a->iface.name);
	put(t->iface, "%s", a->iface.name);
	put(t->sentence, "%s: create bridge %s", a->ns, a->iface.name);
}

/* link_attr - the attribute SET of IFC as text, "" for none; its label is the return. */
static const char *link_attr(const struct st_iface *ifc, unsigned set, char *buf, size_t len)
{
	buf[0] = '\0';
	switch (set) {
	case SET_MTU:
		snprintf(buf, len, "%u", ifc->mtu);
		return "mtu";
	case SET_MAC:
		if (ifc->has_mac)
			mac_fmt(ifc->mac, buf, len);
		return "mac";
	case SET_UP:
		snprintf(buf, len, "%s", ifc->up ? "up" : "down");
		return "state";
	case SET_MASTER:
		snprintf(buf, len, "%s", ifc->master);
		return "master";
	case SET_ALIAS:
		snprintf(buf, len, "%s", ifc->alias);
		return "alias";
	case SET_QDISC:
		qdisc_text(&ifc->qdisc, buf, len);
		return "impair";
	}
	return "?";
}

static void link_set_text(const struct action *a, struct act_text *t)
{
	char from[ACT_TEXT_MAX], to[ACT_TEXT_MAX];
	const char *label = link_attr(&a->iface, a->set, to, sizeof(to));

	link_attr(&a->was, a->set, from, sizeof(from));
	t->sign = '~';
	t->kind = "link";
	put(t->subject, "%s:%s", a->ns, a->iface.name);
	put(t->detail, "%s %s -> %s", label, from[0] ? from : "none", to[0] ? to : "none");
	put(t->object, "%s", a->iface.name);
	put(t->iface, "%s", a->iface.name);
	t->attr = label;
	put(t->before, "%s", from);
	put(t->after, "%s", to);
	if (a->set == SET_UP)
		put(t->sentence, "%s: set %s %s", a->ns, a->iface.name, to);
	else if (a->set == SET_MASTER && to[0])
		put(t->sentence, "%s: set %s master %s", a->ns, a->iface.name, to);
	else if (a->set == SET_MASTER)
		put(t->sentence, "%s: set %s nomaster", a->ns, a->iface.name);
	else
		put(t->sentence, "%s: set %s %s %s", a->ns, a->iface.name, label, to);
}

static void exec_text(const struct action *a, struct act_text *t)
{
	t->sign = '+';
	t->kind = "exec";
	put(t->subject, "%s", a->ns);
	put(t->detail, "'%s'", a->exec_cmd);
	put(t->sentence, "%s: exec '%s'", a->ns, a->exec_cmd);
	put(t->object, "%s", a->exec_cmd);
}

/* Forgetting undoes nothing: say so where the user decides (plan, up). */
static void exec_forget_text(const struct action *a, struct act_text *t)
{
	t->sign = '-';
	t->kind = "exec";
	put(t->subject, "%s", a->ns);
	put(t->detail, "'%s'", a->exec_was);
	put(t->note, "forgotten, not undone: what it did stays, yours to undo");
	put(t->sentence, "%s: forget exec '%s' (what it did stays, yours to undo)", a->ns,
	    a->exec_was);
	put(t->object, "%s", a->exec_was);
}

static void files_text(const struct action *a, struct act_text *t)
{
	t->sign = a->files_was ? '~' : '+';
	t->kind = "files";
	put(t->subject, "%s", a->ns);
	put(t->note, "%u file%s, %u dir%s%s", a->n_files, a->n_files == 1 ? "" : "s", a->n_dirs,
	    a->n_dirs == 1 ? "" : "s", a->files_was ? ", changed since the last up" : "");
	put(t->sentence, "%s: write the node's files and dirs", a->ns);
}

static void (*const text_of[])(const struct action *, struct act_text *) = {
    [ACT_ROUTE_DEL] = route_del_text, [ACT_ADDR_DEL] = addr_text,
    [ACT_LINK_DEL] = link_del_text,   [ACT_NS_DEL] = ns_del_text,
    [ACT_NS_ADD] = ns_add_text,	      [ACT_SYSCTL_SET] = sysctl_text,
    [ACT_VETH_ADD] = veth_add_text,   [ACT_BRIDGE_ADD] = bridge_add_text,
    [ACT_LINK_SET] = link_set_text,   [ACT_ADDR_ADD] = addr_text,
    [ACT_ROUTE_ADD] = route_add_text, [ACT_EXEC] = exec_text,
    [ACT_FILES] = files_text,
    [ACT_EXEC_FORGET] = exec_forget_text,
    [ACT_RULE_DEL] = rule_text,	      [ACT_RULE_ADD] = rule_text,
    [ACT_NAT_SET] = pl_nat_text, [ACT_NAT_DEL] = pl_nat_text,
};

void action_text(const struct action *a, struct act_text *t)
{
	memset(t, 0, sizeof(*t));
	t->sign = '?';
	t->kind = "?";
	if ((unsigned)a->type < ARRAY_SIZE(text_of) && text_of[a->type])
		text_of[a->type](a, t);
	else
		put(t->sentence, "%s: unknown action %d", a->ns, (int)a->type);
	if (a->drift && !t->note[0])
		put(t->note, "drift");
}

const char *action_describe(const struct action *a, char *buf, size_t len)
{
	struct act_text t;

	action_text(a, &t);
	snprintf(buf, len, "%s", t.sentence);
	return buf;
}

/* The noun of each (verb, kind) the summary counts, in the order it says them. */
static const struct {
	char sign;		/* '+' created, '~' changed, '-' deleted; 's' set, 'w' wrote, 'x' ran, 'f' forgot */
	const char *kind, *one, *many;
} summary_rows[] = {
	{ '+', "ns", "namespace", "namespaces" },
	{ '+', "link", "link", "links" },
	{ '+', "bridge", "bridge", "bridges" },
	{ '+', "addr", "address", "addresses" },
	{ '+', "route", "route", "routes" },
	{ '+', "rule", "rule", "rules" },
	{ '~', "link", "link setting", "link settings" },
	{ '~', "addr", "address", "addresses" },
	{ '~', "route", "route", "routes" },
	{ '~', "rule", "rule", "rules" },
	{ 's', "sysctl", "sysctl", "sysctls" },
	{ '-', "route", "route", "routes" },
	{ '-', "rule", "rule", "rules" },
	{ '-', "addr", "address", "addresses" },
	{ '-', "link", "link", "links" },
	{ '-', "ns", "namespace", "namespaces" },
	{ 'w', "files", "node", "nodes" },
	{ 'x', "exec", "exec command", "exec commands" },
	{ 'f', "exec", "exec command", "exec commands" },
	{ '+', "nat", "nat table", "nat tables" },
	{ '~', "nat", "nat table", "nat tables" },
	{ '-', "nat", "nat table", "nat tables" },
};

/* Which summary row A counts in, or -1: the deletion half of a changed
 * route or address is not a change of its own (its addition counts). */
static int summary_row(const struct action *a)
{
	struct act_text t;
	char sign;
	size_t i;

	if ((a->type == ACT_ROUTE_DEL || a->type == ACT_ADDR_DEL || a->type == ACT_RULE_DEL) &&
	    (a->paired || a->readd))
		return -1;
	action_text(a, &t);
	sign = t.sign;
	if (!strcmp(t.kind, "sysctl"))
		sign = 's';
	else if (!strcmp(t.kind, "exec"))
		sign = t.sign == '-' ? 'f' : 'x';
	else if (!strcmp(t.kind, "files"))
		sign = 'w';
	for (i = 0; i < ARRAY_SIZE(summary_rows); i++)
		if (summary_rows[i].sign == sign && !strcmp(summary_rows[i].kind, t.kind))
			return (int)i;
	return -1;
}

void plan_summary(const struct action *acts, size_t n, char *buf, size_t len)
{
	static const char *const verb[] = { ['+'] = "created", ['~'] = "changed",
					    ['-'] = "deleted", ['s'] = "set",
					    ['w'] = "wrote the files and dirs of",
					    ['x'] = "ran", ['f'] = "forgot" };
	size_t count[ARRAY_SIZE(summary_rows)] = { 0 }, i, o = 0;
	char last = 0;
	int row;

	for (i = 0; i < n; i++)
		if ((row = summary_row(&acts[i])) >= 0)
			count[row]++;
	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(summary_rows) && o < len; i++) {
		if (!count[i])
			continue;
		if (summary_rows[i].sign != last)
			o += (size_t)snprintf(buf + o, len - o, "%s%s ", last ? "; " : "",
					      verb[(unsigned char)summary_rows[i].sign]);
		else
			o += (size_t)snprintf(buf + o, len - o, ", ");
		if (o < len)
			o += (size_t)snprintf(buf + o, len - o, "%zu %s", count[i],
					      count[i] == 1 ? summary_rows[i].one
							    : summary_rows[i].many);
		last = summary_rows[i].sign;
	}
	if (o && o < len)
		snprintf(buf + o, len - o, ".");
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
}
