// SPDX-License-Identifier: MIT
/*
 * check - semantic checks of a loaded topology, every error at once.
 *
 * The loader has already checked the form of each value; this stage checks
 * how values refer to each other (links to nodes, addresses and routes to
 * interfaces, gateways to subnets, probes to targets) and what the kernel
 * would refuse later, halfway through `up` (duplicate addresses, a gateway
 * no interface reaches, a multicast MAC, IPv6 on a link whose MTU is too
 * small, ::1 off lo, a route the kernel already made for an address), and
 * probes that would send more packets than a run can hold. Everything is a
 * hash lookup, so that large files stay fast.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag.h"
#include "load_nodefs.h"
#include "probe_volume.h"
#include "state.h"
#include "topology.h"
#include "util.h"
#include "check_int.h"

void chk_report(struct chk *c, enum diag_level level, struct pos pos, const char *fmt, ...)
{
	va_list ap;
	char *text, *key;
	bool fresh;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	/* A value from `defaults:` is checked once per node: say it once. */
	key = xasprintf("%d:%d:%s", pos.line, pos.col, text);
	fresh = strmap_put(&c->said, key, strlen(key), 0, NULL);
	free(key);
	if (fresh && level == DIAG_ERROR && ++c->n_errors <= CHECK_MAX_ERRORS)
		diag_add(c->d, level, pos, "%s%s", text,
			 c->n_errors == CHECK_MAX_ERRORS ? " (too many errors, stopping here)" : "");
	else if (fresh && level != DIAG_ERROR && c->n_errors < CHECK_MAX_ERRORS)
		diag_add(c->d, level, pos, "%s", text);
	free(text);
}



const struct node *chk_node_get(const struct chk *c, const char *name, size_t *idx)
{
	size_t i;

	if (!name || !strmap_get(&c->nodes, name, strlen(name), &i))
		return NULL;
	if (idx)
		*idx = i;
	return &c->t->nodes[i];
}

const struct endpoint *chk_link_iface(const struct chk *c, const char *node, const char *iface)
{
	char *key = xasprintf("%s%c%s", node, 0, iface);
	size_t klen = strlen(node) + 1 + strlen(iface), v;
	bool found = strmap_get(&c->ifs, key, klen, &v);

	free(key);
	if (!found)
		return NULL;
	return &c->t->links[v / 2].ep[v % 2];
}

bool chk_has_iface(const struct chk *c, const struct node *n, const char *iface)
{
	if (!strcmp(iface, "lo"))
		return true;
	if (n->kind == NODE_BRIDGE && !strcmp(iface, "br0"))
		return true;
	return chk_link_iface(c, n->name, iface) != NULL;
}

bool chk_is_bridge_port(const struct chk *c, const struct node *n, const char *iface)
{
	return n->kind == NODE_BRIDGE && chk_link_iface(c, n->name, iface);
}

char *chk_iface_list(const struct chk *c, size_t idx)
{
	const struct node *n = &c->t->nodes[idx];
	const struct nodeinfo *ni = &c->ni[idx];
	char buf[200];
	size_t o, i;

	o = (size_t)snprintf(buf, sizeof(buf), "lo%s", n->kind == NODE_BRIDGE ? ", br0" : "");
	for (i = 0; i < ni->n_ifs && o < sizeof(buf); i++) {
		if (i == 8) {
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, ", ...");
			break;
		}
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, ", %s", ni->ifs[i].name);
	}
	return xstrdup(buf);
}

void chk_no_such_iface(struct chk *c, size_t idx, const char *iface, struct pos pos)
{
	char *list = chk_iface_list(c, idx);

	error(c, pos, "node '%s' has no interface '%s' (its interfaces: %s)", c->t->nodes[idx].name,
	      SHOW(iface), list);
	free(list);
}

void chk_unknown_node(struct chk *c, const char *name, struct pos pos)
{
	size_t i, best = SIZE_MAX, bi = 0, dist;

	/* Suggest only where it stays cheap: a typo in a lab of hundreds of nodes is rare. */
	for (i = 0; i < c->t->n_nodes && c->t->n_nodes <= 1000; i++) {
		if (c->t->nodes[i].lan)
			continue;	/* a LAN's bridge: no name to suggest */
		dist = str_distance(name, c->t->nodes[i].name);
		if (dist < best) {
			best = dist;
			bi = i;
		}
	}
	/* A typo, not a different name: one edit per three letters, never all of them. */
	if (best != SIZE_MAX && best < strlen(name) &&
	    (best <= 1 || best <= strlen(c->t->nodes[bi].name) / 3))
		error(c, pos, "unknown node '%s' (did you mean '%s'?)", SHOW(name),
		      c->t->nodes[bi].name);
	else
		error(c, pos, "unknown node '%s'", SHOW(name));
}

/* ---- names ---- */

static void check_names(struct chk *c)
{
	const struct topology *t = c->t;
	const char *prefix = t->prefix ? t->prefix : t->name;
	size_t i;

	if (!t->name || !name_valid(t->name))
		error(c, t->name_pos, "invalid lab name '%s' (" NAME_RULE ")",
		      SHOW(t->name ? t->name : ""));
	if (t->prefix && !name_valid(t->prefix))
		error(c, t->prefix_pos, "invalid prefix '%s' (" NAME_RULE ")", SHOW(t->prefix));
	for (i = 0; i < t->n_nodes; i++) {
		const struct node *n = &t->nodes[i];

		if (!name_valid(n->name) && !n->lan) {
			error(c, n->pos, "invalid node name '%s' (" NAME_RULE ")", SHOW(n->name));
			continue;
		}
		if (!strmap_put(&c->nodes, n->name, strlen(n->name), i, NULL))
			error(c, n->pos, "duplicate node '%s'", n->name);
		if (prefix && strlen(prefix) + 1 + strlen(n->name) > TOPO_NSNAME_MAX)
			error(c, n->pos, "namespace name '%s-%s' is longer than %d characters",
			      SHOW(prefix), n->name, TOPO_NSNAME_MAX);
	}
}

/* ---- links ---- */

static void check_mac(struct chk *c, const struct endpoint *ep, size_t id, struct strmap *macs)
{
	static const uint8_t zero[6];
	char buf[18];
	size_t prev;

	if (!ep->has_mac)
		return;
	mac_fmt(ep->mac, buf, sizeof(buf));
	/* The kernel refuses both with EADDRNOTAVAIL (is_valid_ether_addr()). */
	if (ep->mac[0] & 1) {
		error(c, ep->mac_pos,
		      "MAC address %s is a multicast address (the first byte must be even, e.g. 02)",
		      buf);
		return;
	}
	if (!memcmp(ep->mac, zero, 6)) {
		error(c, ep->mac_pos, "MAC address %s is not a valid interface address", buf);
		return;
	}
	if (!strmap_put(macs, (const char *)ep->mac, 6, id, &prev)) {
		const struct endpoint *first = &c->t->links[prev / 2].ep[prev % 2];

		warn(c, ep->mac_pos, "MAC address %s is also used by '%s:%s' at line %d", buf,
		     first->node, first->iface, first->mac_pos.line);
	}
}

static void check_links(struct chk *c)
{
	const struct topology *t = c->t;
	struct strmap macs = { 0 };
	size_t i, j, idx, prev;

	for (i = 0; i < t->n_links; i++) {
		for (j = 0; j < 2; j++) {
			const struct endpoint *ep = &t->links[i].ep[j];
			const struct node *n;
			char *key;
			size_t klen;

			if (!ep->node || !ep->iface)
				continue;	/* the loader said why */
			if (!ifname_valid(ep->iface)) {
				error(c, ep->iface_pos, "invalid interface name '%s' (" IFNAME_RULE ")",
				      SHOW(ep->iface));
				continue;
			}
			if (!strcmp(ep->node, TOPO_HOST_NODE))
				continue;	/* check_host.c */
			n = chk_node_get(c, ep->node, &idx);
			if (!n) {
				chk_unknown_node(c, ep->node, ep->node_pos);
				continue;
			}
			if (!strcmp(ep->iface, "lo")) {
				error(c, ep->iface_pos,
				      "interface 'lo' cannot be a link endpoint (it is the node's loopback)");
				continue;
			}
			if (n->kind == NODE_BRIDGE && !strcmp(ep->iface, "br0")) {
				error(c, ep->iface_pos,
				      "interface 'br0' is reserved for the bridge of node '%s'", n->name);
				continue;
			}
			klen = strlen(ep->node) + 1 + strlen(ep->iface);
			key = xasprintf("%s%c%s", ep->node, 0, ep->iface);
			if (!strmap_put(&c->ifs, key, klen, i * 2 + j, &prev)) {
				error(c, ep->iface_pos, "interface '%s:%s' is already used at line %d",
				      ep->node, ep->iface, t->links[prev / 2].ep[prev % 2].pos.line);
			} else {
				struct ifref *r = VEC_APPEND(&c->ni[idx].ifs, &c->ni[idx].n_ifs);

				r->name = ep->iface;
				r->ep = ep;
			}
			free(key);
			if (n->kind == NODE_BRIDGE && ep->n_addrs)
				error(c, ep->addrs[0].pos,
				      "bridge node '%s' cannot have addresses on its port '%s' (put them on br0)",
				      n->name, ep->iface);
			check_mac(c, ep, i * 2 + j, &macs);
		}
	}
	strmap_free(&macs);
}

/* ---- addresses ---- */

static void add_addr(struct nodeinfo *ni, struct cidr *a, const char *iface)
{
	size_t n = ni->n_addrs;

	ni->addrs = vec_grow(ni->addrs, n, sizeof(*ni->addrs));
	ni->addr_ifs = vec_grow(ni->addr_ifs, n, sizeof(*ni->addr_ifs));
	ni->addrs[n] = a;
	ni->addr_ifs[n] = iface;
	ni->n_addrs++;
}

static bool is_loopback(const struct cidr *a)
{
	static const uint8_t v6_loopback[16] = { [15] = 1 };

	return (a->family == AF_INET && a->addr[0] == 127) ||
	       (a->family == AF_INET6 && !memcmp(a->addr, v6_loopback, 16));
}

/* What the kernel would refuse or what can never work as an interface address. */
static void check_addr_usable(struct chk *c, const struct cidr *a)
{
	static const uint8_t zero[16];
	char buf[80];

	cidr_fmt(a, buf, sizeof(buf));
	if (!memcmp(a->addr, zero, addr_len(a->family)))
		error(c, a->pos, "address %s is the unspecified address", buf);
	else if ((a->family == AF_INET && (a->addr[0] & 0xf0) == 0xe0) ||
		 (a->family == AF_INET6 && a->addr[0] == 0xff))
		error(c, a->pos, "address %s is a multicast address", buf);
	else if (a->family == AF_INET && !memcmp(a->addr, "\xff\xff\xff\xff", 4))
		error(c, a->pos, "address %s is the broadcast address", buf);
}

/* Does node N set sysctl KEY to 1 (e.g. net.ipv4.conf.all.route_localnet)? */
static bool sysctl_on(const struct node *n, const char *key)
{
	size_t i;

	for (i = 0; i < n->n_sysctls; i++)
		if (!strcmp(n->sysctls[i].key, key))
			return !strcmp(n->sysctls[i].value, "1");
	return false;
}

/* Loopback addresses belong on lo. */
static void check_addr_iface(struct chk *c, const struct cidr *a, size_t node, const char *iface)
{
	const struct node *n = &c->t->nodes[node];
	char buf[80], *one;

	if (!is_loopback(a))
		return;
	cidr_fmt(a, buf, sizeof(buf));
	if (!strcmp(iface, "lo")) {
		/* Raising lo gives it these: adding them again is EEXIST forever
		 * (IPv6 compares the address only, IPv4 the prefix length too). */
		if (a->family == AF_INET6 || (a->plen == 8 && !memcmp(a->addr, "\x7f\0\0\x01", 4)))
			error(c, a->pos,
			      "address %s is one the kernel gives lo in every node already: leave it out",
			      buf);
		return;
	}
	/* ipv6_add_addr(): "Cannot assign loopback address on this device." */
	if (a->family == AF_INET6) {
		error(c, a->pos, "address %s is the IPv6 loopback address: only 'lo' can carry it, not '%s'",
		      buf, iface);
		return;
	}
	/* The kernel takes it, but drops packets to or from 127/8 that arrive
	 * on any interface but lo as martians, unless route_localnet is on. */
	one = xasprintf("net.ipv4.conf.%s.route_localnet", iface);
	if (!sysctl_on(n, "net.ipv4.conf.all.route_localnet") && !sysctl_on(n, one))
		warn(c, a->pos,
		     "address %s on '%s:%s' is a loopback address: other nodes cannot reach it unless %s is 1",
		     buf, n->name, iface, one);
	free(one);
}

/*
 * One address of the lab: usable, and not assigned twice. IPv6 link-local
 * addresses are unique per link only, so fe80::1 may sit on every router port.
 */
static void addr_once(struct chk *c, struct strmap *seen, struct cidr *a, size_t node,
		      const char *iface, const char **owners_node, const char **owners_if,
		      struct pos *owners_pos)
{
	char key[16 + 1 + 2 * (TOPO_NAME_MAX + TOPO_IFNAME_MAX + 2)];
	size_t klen = 0, prev, id = seen->n;
	char ip[64];

	check_addr_usable(c, a);
	check_addr_iface(c, a, node, iface);
	key[klen++] = (char)a->family;
	memcpy(key + klen, a->addr, 16);
	klen += 16;
	if (a->family == AF_INET6 && ip_is_link_local6(a->addr))
		klen += (size_t)snprintf(key + klen, sizeof(key) - klen, "%s:%s", c->t->nodes[node].name,
					 iface);
	else if (is_loopback(a))	/* 127.0.0.2 is every namespace's own */
		klen += (size_t)snprintf(key + klen, sizeof(key) - klen, "%s", c->t->nodes[node].name);
	/* Still the node's address for the gateway checks, duplicate or not. */
	add_addr(&c->ni[node], a, iface);
	if (!strmap_put(seen, key, klen, id, &prev)) {
		error(c, a->pos, "duplicate address %s (also on '%s:%s' at line %d)",
		      ip_fmt(a->family, a->addr, ip, sizeof(ip)), owners_node[prev], owners_if[prev],
		      owners_pos[prev].line);
		return;
	}
	owners_node[id] = c->t->nodes[node].name;
	owners_if[id] = iface;
	owners_pos[id] = a->pos;
}

static void check_addresses(struct chk *c)
{
	const struct topology *t = c->t;
	struct strmap seen = { 0 };
	const char **owners_node, **owners_if;
	struct pos *owners_pos;
	size_t total = 0, i, j, k, idx;

	for (i = 0; i < t->n_nodes; i++)
		for (j = 0; j < t->nodes[i].n_addrs; j++)
			total += t->nodes[i].addrs[j].n_addrs;
	for (i = 0; i < t->n_links; i++)
		total += t->links[i].ep[0].n_addrs + t->links[i].ep[1].n_addrs;
	owners_node = xcalloc(total + 1, sizeof(*owners_node));
	owners_if = xcalloc(total + 1, sizeof(*owners_if));
	owners_pos = xcalloc(total + 1, sizeof(*owners_pos));

	/* In file order of the model: node addresses first, then the links'. */
	for (i = 0; i < t->n_nodes; i++) {
		const struct node *n = &t->nodes[i];

		for (j = 0; j < n->n_addrs; j++) {
			struct iface_addrs *ia = &n->addrs[j];

			if (!ifname_valid(ia->iface)) {
				error(c, ia->pos, "invalid interface name '%s' (" IFNAME_RULE ")",
				      SHOW(ia->iface));
				continue;
			}
			if (!chk_has_iface(c, n, ia->iface)) {
				chk_no_such_iface(c, i, ia->iface, ia->pos);
				continue;
			}
			if (chk_is_bridge_port(c, n, ia->iface)) {
				error(c, ia->pos,
				      "bridge node '%s' cannot have addresses on its port '%s' (put them on br0)",
				      n->name, ia->iface);
				continue;
			}
			for (k = 0; k < ia->n_addrs; k++)
				addr_once(c, &seen, &ia->addrs[k], i, ia->iface, owners_node,
					  owners_if, owners_pos);
		}
	}
	for (i = 0; i < t->n_links; i++) {
		for (j = 0; j < 2; j++) {
			const struct endpoint *ep = &t->links[i].ep[j];
			const struct node *n = chk_node_get(c, ep->node, &idx);

			if (!n || !ep->iface || n->kind == NODE_BRIDGE ||
			    chk_link_iface(c, ep->node, ep->iface) != ep)
				continue;	/* reported by check_links() */
			for (k = 0; k < ep->n_addrs; k++)
				addr_once(c, &seen, &ep->addrs[k], idx, ep->iface, owners_node,
					  owners_if, owners_pos);
		}
	}
	free(owners_node);
	free(owners_if);
	free(owners_pos);
	strmap_free(&seen);
}

/* IPv6 needs an MTU of 1280: below that the kernel turns IPv6 off on the
 * interface. Each end has its own: the endpoint's `mtu:`, else the link's. */
static void check_mtu(struct chk *c)
{
	const struct topology *t = c->t;
	size_t i, j, k, idx;

	for (i = 0; i < t->n_links; i++) {
		const struct link *l = &t->links[i];

		for (j = 0; j < 2; j++) {
			const struct endpoint *ep = &l->ep[j];
			uint32_t mtu = ep->mtu ? ep->mtu : l->mtu;
			const struct nodeinfo *ni;

			if (!mtu || mtu >= 1280 || !chk_node_get(c, ep->node, &idx))
				continue;
			ni = &c->ni[idx];
			for (k = 0; k < ni->n_addrs; k++) {
				if (ni->addrs[k]->family == AF_INET6 &&
				    !strcmp(ni->addr_ifs[k], ep->iface))
					break;
			}
			if (k < ni->n_addrs)
				error(c, ep->mtu ? ep->mtu_pos : l->mtu_pos,
				      "mtu %u is below 1280, the minimum for IPv6, but '%s:%s' has IPv6 addresses",
				      mtu, ep->node, ep->iface);
		}
	}
}

/* ---- routes ---- */

/* ---- sysctls ---- */

/* Components of [a-z0-9_-]+ separated by dots; the first bad one into BAD. */
static int sysctl_components(const char *s, const char **bad, size_t *bad_len)
{
	const char *p = s, *end;
	size_t len, i;

	for (;;) {
		end = strchr(p, '.');
		len = end ? (size_t)(end - p) : strlen(p);
		if (!len)
			return -ENOENT;
		for (i = 0; i < len; i++) {
			char ch = p[i];

			if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
			      ch == '-')) {
				*bad = p;
				*bad_len = len;
				return -EINVAL;
			}
		}
		if (!end)
			return 0;
		p = end + 1;
	}
}

/*
 * sysctl_iface_tail - the setting after the interface of a per-interface key
 * ("net.ipv4.conf.<X>.<setting>", REST points at X), or NULL after reporting.
 * X may itself hold dots ("eth0.100"), so match the node's names rather than
 * split at the next dot.
 */
static const char *sysctl_iface_tail(struct chk *c, size_t idx, const struct sysctl_spec *sc,
				     const char *rest)
{
	const struct node *n = &c->t->nodes[idx];
	const struct nodeinfo *ni = &c->ni[idx];
	const char *fixed[] = { "all", "default", "lo", n->kind == NODE_BRIDGE ? "br0" : NULL };
	const char *k = sc->key, *x, *dot;
	size_t i, len, best = 0;

	for (i = 0; i < ARRAY_SIZE(fixed) + ni->n_ifs; i++) {
		x = i < ARRAY_SIZE(fixed) ? fixed[i] : ni->ifs[i - ARRAY_SIZE(fixed)].name;
		if (!x)
			continue;
		len = strlen(x);
		if (len > best && !strncmp(rest, x, len) && rest[len] == '.')
			best = len;
	}
	if (!best) {
		dot = strchr(rest, '.');
		if (!dot || dot == rest) {
			error(c, sc->pos, "invalid sysctl key '%s' (expected %.*s<interface>.<setting>)",
			      SHOW(k), (int)(rest - k), k);
			return NULL;
		}
		{
			char *iface = xasprintf("%.*s", (int)(dot - rest), rest);
			char *list = chk_iface_list(c, idx);

			error(c, sc->pos,
			      "sysctl key '%s' names interface '%s', which node '%s' does not have (its interfaces: all, default, %s)",
			      SHOW(k), SHOW(iface), n->name, list);
			free(iface);
			free(list);
		}
		return NULL;
	}
	/* apply writes /proc/sys/<key with '.' as '/'>: a dotted
	 * interface name would become a path of several parts. */
	if (memchr(rest, '.', best)) {
		error(c, sc->pos,
		      "sysctl key '%s' names interface '%.*s', whose '.' a sysctl key cannot carry",
		      SHOW(k), (int)best, rest);
		return NULL;
	}
	return rest + best + 1;
}

/* What the desired state can hold (struct st_sysctl); longer fails only at `plan`. */
static bool sysctl_fits(struct chk *c, const struct sysctl_spec *sc)
{
	bool ok = true;

	if (strlen(sc->key) >= ST_SYSCTL_KEY_MAX) {
		error(c, sc->pos, "sysctl key '%s' is too long (%zu characters, at most %d)",
		      SHOW(sc->key), strlen(sc->key), ST_SYSCTL_KEY_MAX - 1);
		ok = false;
	}
	if (strlen(sc->value) >= ST_SYSCTL_VAL_MAX) {
		error(c, sc->pos, "value of sysctl '%s' is too long (%zu characters, at most %d)",
		      SHOW(sc->key), strlen(sc->value), ST_SYSCTL_VAL_MAX - 1);
		ok = false;
	}
	return ok;
}

static void check_sysctl(struct chk *c, size_t idx, const struct sysctl_spec *sc)
{
	static const char *const per_if[] = { "net.ipv4.conf.", "net.ipv6.conf.", "net.ipv4.neigh.",
					      "net.ipv6.neigh." };
	const char *k = sc->key, *rest = NULL, *tail = k + 4, *bad;
	size_t i, bad_len;
	int r;

	if (strncmp(k, "net.", 4)) {
		error(c, sc->pos, "invalid sysctl key '%s' (only net.* keys can be set inside a node)",
		      SHOW(k));
		return;
	}
	if (!sysctl_fits(c, sc))
		return;
	for (i = 0; i < ARRAY_SIZE(per_if); i++) {
		if (!strncmp(k, per_if[i], strlen(per_if[i])))
			rest = k + strlen(per_if[i]);
	}
	if (rest) {
		tail = sysctl_iface_tail(c, idx, sc, rest);
		if (!tail)
			return;
	} else if (!strchr(tail, '.')) {
		error(c, sc->pos, "invalid sysctl key '%s' (expected net.<subsystem>.<setting>)",
		      SHOW(k));
		return;
	}
	r = sysctl_components(tail, &bad, &bad_len);
	if (r == -ENOENT)
		error(c, sc->pos, "invalid sysctl key '%s' (empty component)", SHOW(k));
	else if (r < 0) {
		char *comp = xasprintf("%.*s", (int)bad_len, bad);

		error(c, sc->pos, "invalid sysctl key '%s' (component '%s' is not [a-z0-9_-])",
		      SHOW(k), SHOW(comp));
		free(comp);
	}
}

static void check_sysctls(struct chk *c)
{
	size_t i, j;

	for (i = 0; i < c->t->n_nodes; i++)
		for (j = 0; j < c->t->nodes[i].n_sysctls; j++)
			check_sysctl(c, i, &c->t->nodes[i].sysctls[j]);
}

/* ---- probes ---- */

static void check_probe(struct chk *c, const struct probe_spec *p)
{
	const char *colon;
	uint8_t addr[16];
	int family;
	size_t idx;

	if (p->from && strcmp(p->from, "*") && strcmp(p->from, TOPO_HOST_NODE) &&
	    !chk_node_get(c, p->from, NULL))
		chk_unknown_node(c, p->from, p->from_pos);	/* `host`: check_hostlink.c */
	if (p->to && ip_parse(p->to, &family, addr) == 0 && family == AF_INET &&
	    p->size > PROBE_SIZE_MAX_V4)
		error(c, p->pos, "size %u is more than an IPv4 packet carries to %s (at most %d)",
		      p->size, p->to, PROBE_SIZE_MAX_V4);
	if (!p->to || !strcmp(p->to, "*") || ip_parse(p->to, &family, addr) == 0 ||
	    chk_host_target(p->to))
		return;
	colon = strchr(p->to, ':');
	if (colon) {
		char *node = xasprintf("%.*s", (int)(colon - p->to), p->to);
		const struct node *n = chk_node_get(c, node, &idx);

		if (!n && name_valid(node))
			chk_unknown_node(c, node, p->to_pos);
		else if (!n || !ifname_valid(colon + 1))
			error(c, p->to_pos,
			      "invalid probe target '%s' (expected a node, node:iface, an IP address or '*')",
			      SHOW(p->to));
		else if (!chk_has_iface(c, n, colon + 1))
			chk_no_such_iface(c, idx, colon + 1, p->to_pos);
		free(node);
		return;
	}
	if (chk_node_get(c, p->to, NULL))
		return;
	if (name_valid(p->to))
		chk_unknown_node(c, p->to, p->to_pos);
	else
		error(c, p->to_pos,
		      "invalid probe target '%s' (expected a node, node:iface, an IP address or '*')",
		      SHOW(p->to));
}

/* ---- probe volume ---- */

/* "3,000,000,000" into BUF (at least 32 bytes). */
static const char *thousands(uint64_t n, char *buf)
{
	char digits[24];
	int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n), i, o = 0;

	for (i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

/* The probes of a run must not ask for more than PROBE_MAX_PACKETS packets. */
static void check_probe_volume(struct chk *c)
{
	struct probe_volume v;
	char a[32], b[32], d[32];

	probe_volume_count(c->t, &v);
	if (v.packets > PROBE_MAX_PACKETS)
		error(c, c->t->probes[v.worst].pos,
		      "probes would send %s packets, the limit is %s per run (this probe: %s targets from %llu node%s x count %u)",
		      thousands(v.packets, a), thousands(PROBE_MAX_PACKETS, b),
		      thousands(v.worst_targets, d), (unsigned long long)v.worst_sources,
		      v.worst_sources == 1 ? "" : "s", c->t->probes[v.worst].count);
}

int topo_check(const struct topology *t, struct diag *d)
{
	struct chk c = { .t = t, .d = d };
	size_t first = d->n_msgs, i;

	c.ni = xcalloc(t->n_nodes + 1, sizeof(*c.ni));
	check_names(&c);
	check_links(&c);
	chk_host_links(&c);
	check_addresses(&c);
	check_mtu(&c);
	chk_routes(&c);
	chk_lans(&c);
	chk_rules(&c);
	check_sysctls(&c);
	for (i = 0; i < t->n_probes; i++)
		check_probe(&c, &t->probes[i]);
	check_probe_volume(&c);
	c.n_errors += check_nodefs(t, d);
	chk_hosts(&c);

	for (i = 0; i < t->n_nodes; i++) {
		free(c.ni[i].ifs);
		free(c.ni[i].addrs);
		free(c.ni[i].addr_ifs);
	}
	free(c.ni);
	strmap_free(&c.said);
	strmap_free(&c.nodes);
	strmap_free(&c.ifs);
	diag_sort(d, first);
	return c.n_errors ? -EINVAL : 0;
}
