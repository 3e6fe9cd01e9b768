// SPDX-License-Identifier: MIT
/* The checker's host links: endpoints on node `host` (the host's own, root,
 * namespace), `nat:` and probes from the host. */

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check_int.h"
#include "hostlink.h"
#include "nat.h"
#include "probe_host.h"

static bool is_host(const struct endpoint *ep)
{
	return ep->node && !strcmp(ep->node, TOPO_HOST_NODE);
}

/* One host end: a name the root namespace can take, once in the lab. */
static void check_host_end(struct chk *c, const struct link *l, const struct endpoint *ep,
			   struct strmap *names, size_t id)
{
	size_t prev;

	if (!ep->iface || !ifname_valid(ep->iface))
		return; /* check_links said why */
	if (is_host(&l->ep[0]) && is_host(&l->ep[1])) {
		if (ep == &l->ep[1])
			error(c, ep->node_pos,
			      "a link cannot have both ends on node 'host' (one end must be a node "
			      "of the lab)");
		return;
	}
	if (!strcmp(ep->iface, "lo")) {
		error(c, ep->iface_pos,
		      "interface 'lo' cannot be a link endpoint (it is the host's loopback)");
		return;
	}
	if (ep->impair.given)
		error(c, ep->impair.pos,
		      "impair on a host end: topo puts no qdisc in the host namespace (impair the "
		      "node's end)");
	if (!strmap_put(names, ep->iface, strlen(ep->iface), id, &prev))
		error(c, ep->iface_pos, "interface 'host:%s' is already used at line %d", ep->iface,
		      c->t->links[prev / 2].ep[prev % 2].pos.line);
}

/* `nat:` masquerades what leaves the host from the subnets of the link's host end. */
static void check_nat(struct chk *c, const struct link *l)
{
	const struct endpoint *h = is_host(&l->ep[0])	? &l->ep[0]
				   : is_host(&l->ep[1]) ? &l->ep[1]
							: NULL;
	size_t i;

	if (!l->nat)
		return;
	if (!h) {
		error(c, l->nat_pos,
		      "nat: true needs an endpoint on node 'host' (the host end is where the lab's "
		      "traffic leaves)");
		return;
	}
	if (h->iface && !nat_ifname_ok(h->iface))
		error(c, h->iface_pos,
		      "nat: true needs a host end named with letters, digits, '-', '_' and '.' "
		      "only (its name goes into an nftables rule): '%s'",
		      SHOW(h->iface));
	for (i = 0; i < h->n_addrs && h->addrs[i].family != AF_INET; i++)
		;
	if (i == h->n_addrs)
		error(c, l->nat_pos,
		      "nat: true needs an IPv4 address on 'host:%s' (its subnet is what is "
		      "masqueraded)",
		      h->iface ? h->iface : "");
}

bool chk_host_target(const char *to)
{
	size_t n = strlen(TOPO_HOST_NODE);

	return !strncmp(to, TOPO_HOST_NODE, n) && (to[n] == '\0' || to[n] == ':');
}

/* The first address of host end IFACE (any, if NULL), as an example for a message, into
 * BUF ("" if none). */
static const char *host_addr_example(const struct topology *t, const char *iface, char *buf,
				     size_t len)
{
	size_t i, k;

	buf[0] = '\0';
	for (i = 0; i < t->n_links && !buf[0]; i++)
		for (k = 0; k < 2 && !buf[0]; k++) {
			const struct endpoint *ep = &t->links[i].ep[k];

			if (is_host(ep) && ep->n_addrs && ep->iface &&
			    (!iface || !strcmp(ep->iface, iface)))
				ip_fmt(ep->addrs[0].family, ep->addrs[0].addr, buf, len);
		}
	return buf;
}

/*
 * A probe from the host leaves only through a host end (probe_host.h): it needs one, and an
 * explicit address must lie in the subnet of one, or it would follow the host's own routes.
 * The host is no node to probe: its ends' addresses are.
 */
static void check_host_probe(struct chk *c, const struct probe_spec *p, bool has_ends)
{
	uint8_t addr[16];
	char ex[64];
	int family;

	if (p->to && chk_host_target(p->to)) {
		const char *iface = strchr(p->to, ':');

		host_addr_example(c->t, iface ? iface + 1 : NULL, ex, sizeof(ex));
		error(c, p->to_pos,
		      "probe target '%s': the host is not a node; probe the address of its end "
		      "instead%s%s",
		      SHOW(p->to), ex[0] ? ", e.g. " : "", ex);
	}
	if (!probe_host_source(p->from))
		return;
	if (!has_ends) {
		error(c, p->from_pos,
		      "probe from '%s' needs a link with an endpoint on node 'host' (the host "
		      "probes only through the lab's host ends, and this lab has none)",
		      p->from);
		return;
	}
	if (p->to && ip_parse(p->to, &family, addr) == 0 &&
	    !(family == AF_INET6 && ip_is_link_local6(addr)) &&
	    !probe_host_end(c->t, family, addr))
		error(c, p->to_pos,
		      "probe from 'host' to '%s': no host end has it in its subnet (the host "
		      "probes only through the lab's host ends, never by its own routes)",
		      SHOW(p->to));
}

void chk_host_links(struct chk *c)
{
	const struct topology *t = c->t;
	struct strmap names = {0};
	size_t i, j;
	bool has_ends;

	for (i = 0; i < t->n_nodes; i++) {
		if (!strcmp(t->nodes[i].name, TOPO_HOST_NODE))
			error(c, t->nodes[i].pos,
			      "node name 'host' is reserved: an endpoint on node 'host' is in the "
			      "host's own namespace");
	}
	for (i = 0; i < t->n_links; i++) {
		for (j = 0; j < 2; j++) {
			if (is_host(&t->links[i].ep[j]))
				check_host_end(c, &t->links[i], &t->links[i].ep[j], &names,
					       i * 2 + j);
		}
		check_nat(c, &t->links[i]);
	}
	strmap_free(&names);
	has_ends = hostlink_in_file(t);
	for (i = 0; i < t->n_probes; i++)
		check_host_probe(c, &t->probes[i], has_ends);
}
