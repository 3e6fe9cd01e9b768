// SPDX-License-Identifier: MIT
/*
 * topo save: the lab file of a running lab as the kernel has it. What the
 * format can say comes out as YAML; what it cannot (an interface that is
 * not a link between two nodes of the lab, two ends of a link that differ
 * in MTU or state) comes out as a comment and in OUT->left_out.
 *
 * Decisions (docs/save.md): every MAC is written, so that a lab under
 * another name keeps them; routes name their device, as the kernel has
 * it; a node's kind comes from the kept file (else from br0); sysctls the kind does not imply are written with their
 * current value; exec commands are not run again (their effects that topo
 * reads are in the file), so they become comments; the kept file's
 * probes stay while their nodes and interfaces do.
 */

#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "host.h"
#include "nat.h"
#include "place.h"
#include "qdisc.h"
#include "save.h"
#include "util.h"
#include "want.h"

#define SAVE_DEFAULT_MTU 1500
#define SAVE_LO_MTU	 65536

struct saver {
	const struct state *have;
	const struct topology *kept;
	FILE *f;
	size_t *order;		/* HAVE's namespaces by node name */
	struct strmap ns_idx;	/* namespace name -> index in HAVE */
	struct strmap saved;	/* node names written */
	struct strmap ifaces;	/* "node/iface" an interface of the file */
	struct strmap linked;	/* "namespace/iface" written as a link end */
	struct save_result *out;
};

static void left_out(struct saver *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void left_out(struct saver *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*VEC_PUSH(&s->out->left_out, &s->out->n_left_out) = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Text a file can carry: printable ASCII, control bytes escaped when quoted. */
static bool writable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x7f)
			return false;
	return true;
}

static bool reserved_word(const char *s)
{
	static const char *const words[] = { "y", "n", "yes", "no", "on", "off", "true", "false",
					     "null" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcasecmp(s, words[i]))
			return true;
	return false;
}

/*
 * A plain scalar only where no YAML reader could take it for anything but
 * this string: no indicator characters, not a word YAML 1.1 reads as a
 * boolean or null, not a number (digits first only with a '/' or a space,
 * or two dots, as in addresses and routes). NUMBER allows a plain
 * decimal integer.
 */
static bool plain_ok(const char *s, bool number)
{
	size_t i, dots = 0, n = strlen(s);
	bool digits_only = true;

	if (!n || s[0] == ' ' || s[n - 1] == ' ' || reserved_word(s))
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '/' || c == '-' || c == ' '))
			return false;
		if (c < '0' || c > '9')
			digits_only = false;
		dots += c == '.';
	}
	if (number && digits_only && (n == 1 || s[0] != '0'))
		return true;
	if (s[0] >= '0' && s[0] <= '9')
		return strchr(s, '/') || strchr(s, ' ') || dots > 1;
	return (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '/';
}

void save_scalar(FILE *f, const char *s, bool number)
{
	if (plain_ok(s, number)) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* A comment line: anything but printable ASCII as \xNN. */
static void put_comment(FILE *f, const char *s)
{
	fputs("#   ", f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('\n', f);
}

static const struct st_ns *ns_by_name(const struct saver *s, const char *name)
{
	size_t i;

	if (s->have->host && !strcmp(name, ST_HOST_NS))
		return s->have->host;	/* a host end of a link (hostlink.h) */
	return strmap_get(&s->ns_idx, name, strlen(name), &i) ? &s->have->ns[i] : NULL;
}

static void set_add(struct strmap *m, const char *a, const char *b)
{
	char *k = xasprintf("%s/%s", a, b);

	strmap_put(m, k, strlen(k), 1, NULL);
	free(k);
}

static bool set_has(const struct strmap *m, const char *a, const char *b)
{
	char *k = xasprintf("%s/%s", a, b);
	bool r = strmap_get(m, k, strlen(k), NULL);

	free(k);
	return r;
}

static bool has_br0(const struct st_ns *ns)
{
	const struct st_iface *b = st_ns_iface_find(ns, "br0");

	return b && b->kind == ST_BRIDGE;
}

/* The kept file's kind; without one, what the kernel shows of it. */
static enum node_kind node_kind(const struct saver *s, const struct st_ns *ns)
{
	const struct node *n = s->kept ? topo_node_find(s->kept, ns->node) : NULL;
	size_t i;

	if (n)
		return n->kind;
	if (has_br0(ns))
		return NODE_BRIDGE;
	for (i = 0; i < ns->n_sysctls; i++)
		if (!strcmp(ns->sysctls[i].key, "net.ipv4.ip_forward"))
			return strcmp(ns->sysctls[i].value, "1") ? NODE_HOST : NODE_ROUTER;
	return NODE_HOST;
}

/* Is the other end of veth IFC an interface of a node of the lab? */
static const struct st_iface *lab_peer(const struct saver *s, const struct st_iface *ifc,
				       const struct st_ns **peer_ns)
{
	const struct st_ns *p;

	if (ifc->kind != ST_VETH || !ifc->peer_ns[0] || !(p = ns_by_name(s, ifc->peer_ns)) ||
	    !name_valid(p->node) || !writable(ifc->peer_name))
		return NULL;
	*peer_ns = p;
	return st_ns_iface_find(p, ifc->peer_name);
}

/* Is veth IFC a member of a LAN (its other end a port of the LAN's bridge)? */
static bool on_lan(const struct saver *s, const struct st_iface *ifc)
{
	char lan[TOPO_NAME_MAX + 1];
	const struct st_ns *p;

	return ifc->kind == ST_VETH && ifc->peer_ns[0] && (p = ns_by_name(s, ifc->peer_ns)) &&
	       topo_lan_of_node(p->node, lan, sizeof(lan));
}

/* Why interface IFC of node NODE (of kind KIND) has no place in the file, or NULL. */
static char *iface_unsaid(const struct saver *s, const char *node, enum node_kind kind,
			  const struct st_iface *ifc)
{
	const struct st_ns *pns;
	char buf[64];

	if (!writable(ifc->name))
		return xasprintf("%s: interface %s: its name is not ASCII", node, ifc->name);
	if (ifc->kind == ST_LO) {
		if (!ifc->up)
			return xasprintf("%s: lo is down", node);
		if (ifc->mtu != SAVE_LO_MTU)
			return xasprintf("%s: lo has mtu %u", node, ifc->mtu);
		return NULL;
	}
	if (ifc->kind == ST_BRIDGE && kind == NODE_BRIDGE && !strcmp(ifc->name, "br0"))
		return NULL;
	if (st_iface_is_kernels(ifc) || on_lan(s, ifc))
		return NULL;	/* a LAN's member: save_lans */
	if (lab_peer(s, ifc, &pns)) {
		if (kind != NODE_BRIDGE)
			return NULL;
		if (strcmp(ifc->master, "br0"))
			return xasprintf("%s: %s is not a port of br0", node, ifc->name);
		if (ifc->n_addrs)
			return xasprintf("%s: %s, a port of br0, has address %s", node, ifc->name,
					 st_addr_fmt(&ifc->addrs[0], buf, sizeof(buf)));
		return NULL;
	}
	if (ifc->kind == ST_VETH)
		return xasprintf("%s: veth %s, whose other end is not in a node of the lab%s%s", node,
				 ifc->name, ifc->peer_ns[0] ? " but in namespace " : "",
				 ifc->peer_ns);
	return xasprintf("%s: interface %s (%s), not a link between two nodes of the lab", node,
			 ifc->name,
			 ifc->kind == ST_BRIDGE ? "bridge" : ifc->kind_name[0] ? ifc->kind_name : "other");
}

/*
 * The kernel appends an IPv4 address to its interface's list and puts an
 * IPv6 one first, and `up` adds them in file order: IPv6 addresses are
 * written in the reverse of the order read, so that the copy lists them
 * as the original does.
 */
static void put_addr_list(FILE *f, const struct st_addr *a, size_t n)
{
	char buf[64];
	size_t i, k = 0;

	fputc('[', f);
	for (i = 0; i < n; i++)
		if (a[i].family != AF_INET6) {
			fputs(k++ ? ", " : "", f);
			save_scalar(f, st_addr_fmt(&a[i], buf, sizeof(buf)), false);
		}
	for (i = n; i-- > 0;)
		if (a[i].family == AF_INET6) {
			fputs(k++ ? ", " : "", f);
			save_scalar(f, st_addr_fmt(&a[i], buf, sizeof(buf)), false);
		}
	fputc(']', f);
}

/* The route as `ip route` words: IPv6's default without a gateway is "::/0". */
static void route_words(const struct st_route *r, char *buf, size_t len)
{
	const char *type = st_route_type_name(st_route_type(r));
	char *d;

	st_route_fmt(r, buf, len);
	d = buf + (type ? strlen(type) + 1 : 0);
	if (r->family == AF_INET6 && !r->dst_len && !r->has_gw && !r->n_nh &&
	    !strncmp(d, "default", 7)) {
		memmove(d + 4, d + 7, strlen(d + 7) + 1);
		memcpy(d, "::/0", 4);
	}
}

static void addr_push(struct st_addr **out, size_t *n, const struct cidr *c)
{
	struct st_addr a = { .family = c->family, .plen = c->plen };
	size_t i;

	memcpy(a.addr, c->addr, sizeof(a.addr));
	for (i = 0; i < *n; i++)
		if ((*out)[i].family == a.family && !memcmp((*out)[i].addr, a.addr, 16))
			return;
	*VEC_PUSH(out, n) = a;
}

/* A link end: an administratively down one also keeps the IPv6
 * addresses the kept file gives it, which the kernel cannot hold while
 * it is down and `up` adds when the link comes up. */
static void end_addrs(const struct saver *s, const char *node, const struct st_iface *ifc,
		      struct st_addr **out, size_t *n)
{
	const struct node *kn = s->kept ? topo_node_find(s->kept, node) : NULL;
	size_t i, j, k;

	for (i = 0; i < ifc->n_addrs; i++)
		*VEC_PUSH(out, n) = ifc->addrs[i];
	if (ifc->up || !kn)
		return;
	for (i = 0; i < s->kept->n_links; i++)
		for (j = 0; j < 2; j++) {
			const struct endpoint *ep = &s->kept->links[i].ep[j];

			if (strcmp(ep->node, node) || strcmp(ep->iface, ifc->name))
				continue;
			for (k = 0; k < ep->n_addrs; k++)
				if (ep->addrs[k].family == AF_INET6)
					addr_push(out, n, &ep->addrs[k]);
		}
	for (i = 0; i < kn->n_addrs; i++) {
		if (strcmp(kn->addrs[i].iface, ifc->name))
			continue;
		for (k = 0; k < kn->addrs[i].n_addrs; k++)
			if (kn->addrs[i].addrs[k].family == AF_INET6)
				addr_push(out, n, &kn->addrs[i].addrs[k]);
	}
}

/* What of NS is node-level: addresses on lo and br0, routes, sysctls. */
struct node_parts {
	const struct st_iface *addr_ifaces[2];
	size_t n_addr_ifaces;
	const struct st_route **routes;
	size_t n_routes;
	struct st_route *held;	/* the kept file's, held back by a down interface */
	size_t n_held;
	const struct st_sysctl **sysctls;
	size_t n_sysctls;
	const struct st_rule **rules;
	size_t n_rules;
};

/* Forwarding the kind implies (want.c) need not be said. */
static bool sysctl_implied(const struct st_sysctl *sc, enum node_kind kind)
{
	const char *fwd = kind == NODE_ROUTER ? "1" : "0";

	return (!strcmp(sc->key, "net.ipv4.ip_forward") ||
		!strcmp(sc->key, "net.ipv6.conf.all.forwarding")) &&
	       !strcmp(sc->value, fwd);
}

static bool route_same(const struct st_route *a, const struct st_route *b)
{
	return a->family == b->family && a->dst_len == b->dst_len && a->has_gw == b->has_gw &&
	       a->metric == b->metric && st_route_table(a) == st_route_table(b) &&
	       !memcmp(a->dst, b->dst, 16) && (!a->has_gw || !memcmp(a->gw, b->gw, 16));
}

/* Does R go out through an interface that the saved file leaves out? */
static bool route_dev_left_out(const struct saver *s, const struct st_ns *ns,
			       const struct st_route *r)
{
	size_t i;

	if (r->dev[0] && !set_has(&s->ifaces, ns->node, r->dev))
		return true;
	for (i = 0; i < r->n_nh; i++)
		if (r->nh[i].dev[0] && !set_has(&s->ifaces, ns->node, r->nh[i].dev))
			return true;
	return false;
}

/* Does a down link end of NS keep R out of the kernel (as want.c's
 * route_blocker decides), R's device or every interface its gateway is on? */
static bool held_back(const struct saver *s, const struct st_ns *ns, const struct st_route *r)
{
	const struct st_iface *ifc;
	bool down = false;
	size_t i, j;

	if (r->dev[0])
		return (ifc = st_ns_iface_find(ns, r->dev)) && !ifc->up &&
		       set_has(&s->ifaces, ns->node, ifc->name);
	for (i = 0; r->has_gw && i < ns->n_ifaces; i++) {
		struct st_addr *a = NULL;
		size_t n = 0;
		bool on = false;

		ifc = &ns->ifaces[i];
		end_addrs(s, ns->node, ifc, &a, &n);
		for (j = 0; j < n && !on; j++)
			on = a[j].family == r->family &&
			     prefix_contains(a[j].family, a[j].addr, a[j].plen, r->gw);
		free(a);
		if (on && ifc->up)
			return false;
		down |= on && set_has(&s->ifaces, ns->node, ifc->name);
	}
	return down;
}

/*
 * The kernel drops the routes through an interface that goes down, and
 * `up` leaves them out while it is down: the kept file's routes that a
 * down end holds back stay in the file, for when the link comes up.
 */
static void held_routes(const struct saver *s, const struct st_ns *ns, struct node_parts *p)
{
	const struct node *kn = s->kept ? topo_node_find(s->kept, ns->node) : NULL;
	size_t i, j;

	for (i = 0; kn && i < kn->n_routes; i++) {
		struct st_route r;

		if (want_route_fill(kn, &kn->routes[i], &r) < 0)
			continue;
		for (j = 0; j < ns->n_routes && !route_same(&r, &ns->routes[j]); j++)
			;
		if (j == ns->n_routes && held_back(s, ns, &r))
			*VEC_PUSH(&p->held, &p->n_held) = r;
	}
}

/* Rule R of NS goes into P, unless the format cannot say it. */
static void node_rule(struct saver *s, const struct st_ns *ns, const struct st_rule *r,
		      struct node_parts *p)
{
	const char *ifs[] = { r->iif, r->oif };
	char buf[256];
	size_t i;

	if (r->extra) {
		left_out(s, "%s: rule %s (selectors or an action a lab file cannot say)", ns->node,
			 st_rule_fmt(r, buf, sizeof(buf)));
		return;
	}
	for (i = 0; i < ARRAY_SIZE(ifs); i++) {
		if (ifs[i][0] && strcmp(ifs[i], "lo") && !set_has(&s->ifaces, ns->node, ifs[i])) {
			left_out(s, "%s: rule %s, on an interface left out", ns->node,
				 st_rule_fmt(r, buf, sizeof(buf)));
			return;
		}
	}
	*VEC_PUSH(&p->rules, &p->n_rules) = r;
}

static void node_parts(struct saver *s, const struct st_ns *ns, enum node_kind kind,
		       struct node_parts *p)
{
	char buf[256];
	size_t i;

	for (i = 0; i < ns->n_ifaces; i++) {
		const struct st_iface *ifc = &ns->ifaces[i];

		if (ifc->n_addrs && (ifc->kind == ST_LO || (ifc->kind == ST_BRIDGE &&
							    kind == NODE_BRIDGE &&
							    !strcmp(ifc->name, "br0"))))
			p->addr_ifaces[p->n_addr_ifaces++] = ifc;
	}
	for (i = 0; i < ns->n_routes; i++) {
		const struct st_route *r = &ns->routes[i];

		if (st_route_is_kernels(r))
			continue;
		if (st_route_type(r) == RTN_UNICAST && !r->has_gw && !r->dev[0] && !r->n_nh) {
			left_out(s, "%s: route %s (one without a gateway or a device)",
				 ns->node, st_route_fmt(r, buf, sizeof(buf)));
			continue;
		}
		if (route_dev_left_out(s, ns, r)) {
			left_out(s, "%s: route %s, through an interface left out", ns->node,
				 st_route_fmt(r, buf, sizeof(buf)));
			continue;
		}
		*VEC_PUSH(&p->routes, &p->n_routes) = r;
	}
	held_routes(s, ns, p);
	for (i = 0; i < p->n_held; i++)
		*VEC_PUSH(&p->routes, &p->n_routes) = &p->held[i];
	for (i = 0; i < ns->n_sysctls; i++)
		if (!sysctl_implied(&ns->sysctls[i], kind) && writable(ns->sysctls[i].value))
			*VEC_PUSH(&p->sysctls, &p->n_sysctls) = &ns->sysctls[i];
	for (i = 0; i < ns->n_rules; i++)
		node_rule(s, ns, &ns->rules[i], p);
}

static void save_node(struct saver *s, const struct st_ns *ns)
{
	static const char *const kinds[] = { "host", "router", "bridge" };
	enum node_kind kind = node_kind(s, ns);
	struct node_parts p = { 0 };
	const struct node *kn;
	char buf[1024];
	size_t i;
	int host;

	node_parts(s, ns, kind, &p);
	kn = s->kept ? topo_node_find(s->kept, ns->node) : NULL;
	host = kn ? host_of(s->kept, kn) : -1;
	fputs("  ", s->f);
	save_scalar(s->f, ns->node, false);
	if (kind == NODE_HOST && !p.n_addr_ifaces && !p.n_routes && !p.n_sysctls && !p.n_rules &&
	    host < 0 && !(kn && (kn->n_runs || kn->n_files || kn->n_dirs)))
		fputs(": {}\n", s->f);
	else
		fputs(":\n", s->f);
	/* the kept file's host, from its `host:` or its first host */
	if (host >= 0) {
		fputs("    host: ", s->f);
		save_scalar(s->f, s->kept->hosts[host].name, false);
		fputc('\n', s->f);
	}
	if (kind != NODE_HOST)
		fprintf(s->f, "    kind: %s\n", kinds[kind]);
	if (kind == NODE_BRIDGE && !has_br0(ns))
		left_out(s, "%s: a bridge node without its bridge br0", ns->node);
	if (p.n_addr_ifaces)
		fputs("    addresses:\n", s->f);
	for (i = 0; i < p.n_addr_ifaces; i++) {
		fprintf(s->f, "      %s: ", p.addr_ifaces[i]->name);
		put_addr_list(s->f, p.addr_ifaces[i]->addrs, p.addr_ifaces[i]->n_addrs);
		fputc('\n', s->f);
	}
	if (p.n_routes)
		fputs("    routes:\n", s->f);
	for (i = 0; i < p.n_routes; i++) {
		route_words(p.routes[i], buf, sizeof(buf));
		fputs("      - ", s->f);
		save_scalar(s->f, buf, false);
		fputc('\n', s->f);
	}
	if (p.n_rules)
		fputs("    rules:\n", s->f);
	for (i = 0; i < p.n_rules; i++) {
		fputs("      - ", s->f);
		save_scalar(s->f, st_rule_fmt(p.rules[i], buf, sizeof(buf)), false);
		fputc('\n', s->f);
	}
	if (p.n_sysctls)
		fputs("    sysctl:\n", s->f);
	for (i = 0; i < p.n_sysctls; i++) {
		fprintf(s->f, "      %s: ", p.sysctls[i]->key);
		save_scalar(s->f, p.sysctls[i]->value, true);
		fputc('\n', s->f);
	}
	if (kn)
		save_software(s->f, s->kept, kn);
	for (i = 0; kn && i < kn->n_execs; i++)
		left_out(s, "%s: exec %s (not run again: what it made that topo reads is above)",
			 ns->node, kn->execs[i].cmd);
	free(p.routes);
	free(p.held);
	free(p.sysctls);
	free(p.rules);
}

/* The interfaces the file gives each saved node (for the probes), and what it leaves out. */
static void save_nodes(struct saver *s)
{
	size_t i, j;

	/* the lab's host ends: written as the `host` end of their links */
	for (i = 0; s->have->host && i < s->have->host->n_ifaces; i++)
		set_add(&s->ifaces, TOPO_HOST_NODE, s->have->host->ifaces[i].name);
	if (s->have->host && s->have->host->n_ifaces)	/* a probe from the host stays */
		strmap_put(&s->saved, TOPO_HOST_NODE, strlen(TOPO_HOST_NODE), 1, NULL);

	fputs("nodes:\n", s->f);
	for (i = 0; i < s->have->n_ns; i++) {
		const struct st_ns *ns = &s->have->ns[s->order[i]];
		enum node_kind kind;
		char lan[TOPO_NAME_MAX + 1];

		if (topo_lan_of_node(ns->node, lan, sizeof(lan)))
			continue;	/* a LAN's bridge: save_lans */
		if (!name_valid(ns->node) || strmap_get(&s->saved, ns->node, strlen(ns->node), NULL)) {
			left_out(s, "namespace %s, marked as node '%s', not a node name", ns->name,
				 ns->node);
			continue;
		}
		strmap_put(&s->saved, ns->node, strlen(ns->node), 1, NULL);
		kind = node_kind(s, ns);
		for (j = 0; j < ns->n_ifaces; j++) {
			const struct st_iface *ifc = &ns->ifaces[j];
			char *why = iface_unsaid(s, ns->node, kind, ifc);

			if (why) {
				*VEC_PUSH(&s->out->left_out, &s->out->n_left_out) = why;
				continue;
			}
			if (!st_iface_is_kernels(ifc) || ifc->kind == ST_LO)
				set_add(&s->ifaces, ns->node, ifc->name);
		}
		save_node(s, ns);
	}
}

/* Endpoint IFC of NS; MTU, when not 0, its own (the two ends differ). */
static void put_end(struct saver *s, const struct st_ns *ns, const struct st_iface *ifc,
		    uint32_t mtu)
{
	struct st_addr *addrs = NULL;
	size_t n = 0;
	char mac[18], imp[512];

	fputs("      - { node: ", s->f);
	save_scalar(s->f, ns->node, false);
	fputs(", iface: ", s->f);
	save_scalar(s->f, ifc->name, false);
	if (node_kind(s, ns) != NODE_BRIDGE)
		end_addrs(s, ns->node, ifc, &addrs, &n);
	if (n) {
		fputs(", addresses: ", s->f);
		put_addr_list(s->f, addrs, n);
	}
	if (ifc->has_mac)
		fprintf(s->f, ", mac: \"%s\"", mac_fmt(ifc->mac, mac, sizeof(mac)));
	if (mtu)
		fprintf(s->f, ", mtu: %u", mtu);
	/* on the endpoint: each end's qdisc exactly, the same or not */
	if (ifc->qdisc.kind != QD_DEFAULT &&
	    qdisc_impair_yaml(&ifc->qdisc, ifc->mtu, imp, sizeof(imp)) == 0)
		fprintf(s->f, ", impair: %s", imp);
	else if (ifc->qdisc.kind != QD_DEFAULT)
		left_out(s, "%s:%s has %s, which no impair: makes", ns->node, ifc->name,
			 qdisc_text(&ifc->qdisc, imp, sizeof(imp)));
	fputs(" }\n", s->f);
	free(addrs);
}

/* The member of a LAN on PORT: an interface of a saved node, or NULL. */
static const struct st_iface *lan_member(const struct saver *s, const struct st_iface *port,
					 const struct st_ns **mns)
{
	const struct st_iface *m;

	if (port->kind != ST_VETH || strcmp(port->master, "br0") || !port->peer_ns[0] ||
	    !(*mns = ns_by_name(s, port->peer_ns)) || !(m = st_ns_iface_find(*mns, port->peer_name)))
		return NULL;
	return set_has(&s->ifaces, (*mns)->node, m->name) ? m : NULL;
}

/* LAN LAN, whose bridge is in NS: its members, and the MTU of its ports as the LAN's. */
static void save_lan(struct saver *s, const struct st_ns *ns, const char *lan)
{
	const struct st_iface *m;
	const struct st_ns *mns;
	uint32_t mtu = 0;
	size_t j, n = 0;
	char q[64];

	for (j = 0; j < ns->n_ifaces; j++)
		n += lan_member(s, &ns->ifaces[j], &mns) != NULL;
	if (n < 2) {
		left_out(s, "LAN %s: %zu member%s, a LAN has 2 at least", lan, n, n == 1 ? "" : "s");
		return;
	}
	fputs("  ", s->f);
	save_scalar(s->f, lan, false);
	fputs(":\n    members:\n", s->f);
	for (j = 0; j < ns->n_ifaces; j++) {
		const struct st_iface *port = &ns->ifaces[j];

		if (!(m = lan_member(s, port, &mns)))
			continue;
		if (!mtu)
			mtu = port->mtu;
		else if (port->mtu != mtu)
			left_out(s, "LAN %s: port %s has mtu %u, the others %u", lan, port->name,
				 port->mtu, mtu);
		put_end(s, mns, m, m->mtu != port->mtu ? m->mtu : 0);
		if (!m->up || !port->up)
			left_out(s, "LAN %s: %s:%s is down (a LAN's members are up)", lan, mns->node,
				 m->name);
		if (port->qdisc.kind != QD_DEFAULT)
			left_out(s, "LAN %s: port %s towards %s:%s has %s", lan, port->name, mns->node,
				 m->name, qdisc_text(&port->qdisc, q, sizeof(q)));
	}
	if (mtu != SAVE_DEFAULT_MTU)
		fprintf(s->f, "    mtu: %u\n", mtu);
}

static void save_lans(struct saver *s)
{
	char lan[TOPO_NAME_MAX + 1];
	bool any = false;
	size_t i;

	for (i = 0; i < s->have->n_ns; i++) {
		const struct st_ns *ns = &s->have->ns[s->order[i]];

		if (!topo_lan_of_node(ns->node, lan, sizeof(lan)))
			continue;
		if (!any)
			fputs("lans:\n", s->f);
		any = true;
		save_lan(s, ns, lan);
	}
}

/* One MTU on both ends is the link's; two are each end's own. */
static void save_link(struct saver *s, const struct st_ns *a, const struct st_iface *x,
		      const struct st_ns *b, const struct st_iface *y)
{
	bool same = x->mtu == y->mtu;

	fputs("  - endpoints:\n", s->f);
	put_end(s, a, x, same || x->mtu == SAVE_DEFAULT_MTU ? 0 : x->mtu);
	put_end(s, b, y, same || y->mtu == SAVE_DEFAULT_MTU ? 0 : y->mtu);
	if (same && x->mtu != SAVE_DEFAULT_MTU)
		fprintf(s->f, "    mtu: %u\n", x->mtu);
	if (!x->up || !y->up)
		fputs("    state: down\n", s->f);
	if (!strcmp(b->name, ST_HOST_NS) && nat_spec_has(s->have->nat, y->name))
		fputs("    nat: true\n", s->f);
	if (x->up != y->up)
		left_out(s, "%s:%s is %s and %s:%s %s: a link has one state (written: down)",
			 a->node, x->name, x->up ? "up" : "down", b->node, y->name,
			 y->up ? "up" : "down");
}

static void save_links(struct saver *s)
{
	bool any = false;
	size_t i, j;

	for (i = 0; i < s->have->n_ns; i++) {
		const struct st_ns *ns = &s->have->ns[s->order[i]], *pns;

		if (!strmap_get(&s->saved, ns->node, strlen(ns->node), NULL))
			continue;
		for (j = 0; j < ns->n_ifaces; j++) {
			const struct st_iface *x = &ns->ifaces[j], *y;

			if (!set_has(&s->ifaces, ns->node, x->name) ||
			    set_has(&s->linked, ns->name, x->name) || !(y = lab_peer(s, x, &pns)) ||
			    !set_has(&s->ifaces, pns->node, y->name))
				continue;
			set_add(&s->linked, ns->name, x->name);
			set_add(&s->linked, pns->name, y->name);
			if (!any)
				fputs("links:\n", s->f);
			any = true;
			save_link(s, ns, x, pns, y);
		}
	}
}

void save_duration(FILE *f, const char *key, uint64_t us)
{
	if (us % 1000000 == 0)
		fprintf(f, ", %s: %llus", key, (unsigned long long)(us / 1000000));
	else if (us % 1000 == 0)
		fprintf(f, ", %s: %llums", key, (unsigned long long)(us / 1000));
	else
		fprintf(f, ", %s: %lluus", key, (unsigned long long)us);
}

/* Does probe end E ("*", an address, a node, "node:iface") name something of the file? */
static bool probe_end_ok(const struct saver *s, const char *e, bool to)
{
	const char *colon = strchr(e, ':');
	uint8_t addr[16];
	int family;

	if (!strcmp(e, "*"))
		return true;
	if (to && ip_parse(e, &family, addr) == 0)
		return true;
	if (to && colon) {
		char *node = xasprintf("%.*s", (int)(colon - e), e);
		bool ok = set_has(&s->ifaces, node, colon + 1);

		free(node);
		return ok;
	}
	return strmap_get(&s->saved, e, strlen(e), NULL);
}

static void save_probe(struct saver *s, const struct probe_spec *p)
{
	static const char *const protos[] = { "icmp", "tcp", "udp" };

	fputs("  - { from: ", s->f);
	save_scalar(s->f, p->from, false);
	fputs(", to: ", s->f);
	save_scalar(s->f, p->to, false);
	if (p->proto != PROBE_ICMP)
		fprintf(s->f, ", proto: %s", protos[p->proto]);
	if (p->port)
		fprintf(s->f, ", port: %u", p->port);
	if (!p->expect_reachable)
		fputs(", expect: unreachable", s->f);
	if (p->count != 1)
		fprintf(s->f, ", count: %u", p->count);
	if (p->timeout_us != 1000000)
		save_duration(s->f, "timeout", p->timeout_us);
	if (p->max_rtt_us)
		save_duration(s->f, "max_rtt", p->max_rtt_us);
	if (p->max_loss >= 0)
		fprintf(s->f, ", max_loss: \"%.15g%%\"", p->max_loss);
	if (p->within_us)
		save_duration(s->f, "within", p->within_us);
	if (p->size)
		fprintf(s->f, ", size: %u", p->size);
	if (p->df)
		fputs(", df: true", s->f);
	if (p->interval_us != PROBE_INTERVAL_DEFAULT_US)
		save_duration(s->f, "interval", p->interval_us);
	if (p->min_rtt_us)
		save_duration(s->f, "min_rtt", p->min_rtt_us);
	fputs(" }\n", s->f);
}

static void save_probes(struct saver *s)
{
	bool any = false;
	size_t i;

	for (i = 0; s->kept && i < s->kept->n_probes; i++) {
		const struct probe_spec *p = &s->kept->probes[i];

		if (!probe_end_ok(s, p->from, false) || !probe_end_ok(s, p->to, true)) {
			left_out(s, "probe from %s to %s (line %d of the kept file): %s is not in "
				    "the lab any more",
				 p->from, p->to, p->pos.line,
				 probe_end_ok(s, p->from, false) ? p->to : p->from);
			continue;
		}
		if (!any)
			fputs("probes:\n", s->f);
		any = true;
		save_probe(s, p);
	}
}

/* Nodes by name, numbers in names in order: n2 before n10. */
static int order_cmp(const void *a, const void *b, void *arg)
{
	const struct state *have = arg;

	return strverscmp(have->ns[*(const size_t *)a].node, have->ns[*(const size_t *)b].node);
}

/* The running lab's prefix: the kept file's, or what its namespaces' names start with. */
static const char *running_prefix(const struct state *have, const struct topology *kept,
				  char *buf, size_t len)
{
	const struct st_ns *ns = &have->ns[0];
	size_t n = strlen(ns->name), k = strlen(ns->node);

	if (kept)
		return kept->prefix;
	if (n > k + 1 && !strcmp(ns->name + n - k, ns->node) && ns->name[n - k - 1] == '-')
		snprintf(buf, len, "%.*s", (int)(n - k - 1), ns->name);
	else
		snprintf(buf, len, "%s", have->lab);
	return buf;
}

/* The kept file's `hosts:` (a lab spread over machines, where the nodes
 * of this one are what the kernel shows). */
static void save_hosts(struct saver *s)
{
	struct place_host *h;
	size_t i;

	if (!s->kept || !s->kept->n_hosts)
		return;
	h = xcalloc(s->kept->n_hosts, sizeof(*h));
	for (i = 0; i < s->kept->n_hosts; i++) {
		const struct host_spec *k = &s->kept->hosts[i];

		snprintf(h[i].name, sizeof(h[i].name), "%s", k->name);
		ip_fmt(k->address.family, k->address.addr, h[i].address, sizeof(h[i].address));
		h[i].vxlan_port = k->vxlan_port;
	}
	place_hosts_yaml(s->f, h, s->kept->n_hosts);
	free(h);
}

static void save_head(struct saver *s, const char *name, const char *prefix)
{
	char buf[ST_NSNAMSIZ];
	const char *run = running_prefix(s->have, s->kept, buf, sizeof(buf));

	fprintf(s->f, "# Saved by `topo save` from lab %s (namespaces %s-*) as the kernel had it.\n",
		s->have->lab, run);
	fputs("name: ", s->f);
	save_scalar(s->f, name ? name : s->have->lab, false);
	fputc('\n', s->f);
	/* a new name alone gets its own namespaces, never the running lab's */
	if (!prefix && !name && strcmp(run, s->have->lab))
		prefix = run;
	if (prefix && strcmp(prefix, name ? name : s->have->lab)) {
		fputs("prefix: ", s->f);
		save_scalar(s->f, prefix, false);
		fputc('\n', s->f);
	}
	save_hosts(s);
}

static void saver_free(struct saver *s)
{
	free(s->order);
	strmap_free(&s->ns_idx);
	strmap_free(&s->saved);
	strmap_free(&s->ifaces);
	strmap_free(&s->linked);
}

int save_lab(const struct state *have, const struct topology *kept, const char *name,
	     const char *prefix, struct save_result *out)
{
	struct saver s = { .have = have, .kept = kept, .out = out };
	size_t i, len = 0;

	memset(out, 0, sizeof(*out));
	if (!have->n_ns)
		return -ENOENT;
	s.order = xcalloc(have->n_ns, sizeof(*s.order));
	for (i = 0; i < have->n_ns; i++) {
		s.order[i] = i;
		strmap_put(&s.ns_idx, have->ns[i].name, strlen(have->ns[i].name), i, NULL);
	}
	qsort_r(s.order, have->n_ns, sizeof(*s.order), order_cmp, (void *)have);
	if (!(s.f = open_memstream(&out->text, &len)))
		abort();	/* out of memory, as xmalloc */
	save_head(&s, name, prefix);
	save_nodes(&s);
	save_links(&s);
	save_lans(&s);
	save_probes(&s);
	save_hosts_left_out(have, kept, out);
	if (out->n_left_out)
		fputs("# Left out (the lab file format cannot say it):\n", s.f);
	for (i = 0; i < out->n_left_out; i++)
		put_comment(s.f, out->left_out[i]);
	fclose(s.f);
	saver_free(&s);
	return 0;
}

void save_result_free(struct save_result *r)
{
	size_t i;

	free(r->text);
	for (i = 0; i < r->n_left_out; i++)
		free(r->left_out[i]);
	free(r->left_out);
	memset(r, 0, sizeof(*r));
}
