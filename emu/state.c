// SPDX-License-Identifier: MIT
/*
 * The kernel-state value shared by the desired state (want.c) and the
 * actual one (observe.c): freeing, lookup and text.
 */

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"
#include "util.h"

const char *st_route_dst_fmt(const struct st_route *r, char *buf, size_t len)
{
	struct cidr c = {.family = r->family, .plen = r->dst_len};

	if (!r->dst_len) {
		snprintf(buf, len, "default");
		return buf;
	}
	memcpy(c.addr, r->dst, sizeof(c.addr));
	return cidr_fmt(&c, buf, len);
}

uint8_t st_route_type(const struct st_route *r)
{
	return r->type ? r->type : RTN_UNICAST;
}

uint32_t st_route_table(const struct st_route *r)
{
	return r->table ? r->table : RT_TABLE_MAIN;
}

const char *st_route_type_name(uint8_t type)
{
	switch (type) {
	case RTN_BLACKHOLE:
		return "blackhole";
	case RTN_UNREACHABLE:
		return "unreachable";
	case RTN_PROHIBIT:
		return "prohibit";
	case RTN_THROW:
		return "throw";
	default:
		return NULL;
	}
}

bool st_route_uses_dev(const struct st_route *r, const char *dev)
{
	size_t i;

	if (!strcmp(r->dev, dev))
		return true;
	for (i = 0; i < r->n_nh; i++)
		if (!strcmp(r->nh[i].dev, dev))
			return true;
	return false;
}

/* "via 10.0.1.2 dev eth1 weight 2 onlink" of nexthop NH (weight 1 unsaid) into BUF. */
static void nexthop_fmt(int family, const struct st_nexthop *nh, char *buf, size_t len)
{
	char ip[64];
	size_t n = 0;

	buf[0] = '\0';
	if (nh->has_gw)
		n += (size_t)snprintf(buf, len, " via %s", ip_fmt(family, nh->gw, ip, sizeof(ip)));
	if (nh->dev[0] && n < len)
		n += (size_t)snprintf(buf + n, len - n, " dev %s", nh->dev);
	if (nh->weight > 1 && n < len)
		n += (size_t)snprintf(buf + n, len - n, " weight %u", nh->weight);
	if (nh->onlink && n < len)
		snprintf(buf + n, len - n, " onlink");
	if (buf[0] == ' ')
		memmove(buf, buf + 1, strlen(buf));
}

void st_route_extra_fmt(const struct st_route *r, char *buf, size_t len)
{
	char ip[64], one[128];
	size_t n = 0, i;

	buf[0] = '\0';
	if (st_route_table(r) != RT_TABLE_MAIN)
		n += (size_t)snprintf(buf, len, " table %u", st_route_table(r));
	if (r->has_src && n < len)
		n += (size_t)snprintf(buf + n, len - n, " src %s",
				      ip_fmt(r->family, r->src, ip, sizeof(ip)));
	if (r->onlink && n < len)
		n += (size_t)snprintf(buf + n, len - n, " onlink");
	if (r->mtu && n < len)
		n += (size_t)snprintf(buf + n, len - n, " mtu %u", r->mtu);
	for (i = 0; i < r->n_nh && n < len; i++) {
		nexthop_fmt(r->family, &r->nh[i], one, sizeof(one));
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : " nexthops: [", one);
	}
	if (r->n_nh && n < len)
		snprintf(buf + n, len - n, "]");
}

const char *st_route_fmt(const struct st_route *r, char *buf, size_t len)
{
	const char *type = st_route_type_name(st_route_type(r));
	char ip[64];
	size_t n = (size_t)snprintf(buf, len, "%s%s%s", type ? type : "", type ? " " : "",
				    st_route_dst_fmt(r, ip, sizeof(ip)));

	if (r->has_gw && n < len)
		n += (size_t)snprintf(buf + n, len - n, " via %s",
				      ip_fmt(r->family, r->gw, ip, sizeof(ip)));
	if (r->dev[0] && n < len)
		n += (size_t)snprintf(buf + n, len - n, " dev %s", r->dev);
	if (r->metric != route_metric_default(r->family) && n < len)
		n += (size_t)snprintf(buf + n, len - n, " metric %u", r->metric);
	if (n < len)
		st_route_extra_fmt(r, buf + n, len - n);
	return buf;
}

bool st_route_learned(const struct st_route *r)
{
	switch (r->proto) {
	case RTPROT_UNSPEC:
	case RTPROT_KERNEL:
	case RTPROT_BOOT:
	case RTPROT_STATIC:
	case RTPROT_RA:
	case TOPO_RTPROT:
		return false;
	default:
		return true;
	}
}

/* The names iproute2 gives them (/etc/iproute2/rt_protos, linux/rtnetlink.h). */
static const struct {
	uint8_t proto;
	const char *name;
} proto_names[] = {
	{RTPROT_UNSPEC, "unspec"},	{RTPROT_REDIRECT, "redirect"}, {RTPROT_KERNEL, "kernel"},
	{RTPROT_BOOT, "boot"},		{RTPROT_STATIC, "static"},     {RTPROT_GATED, "gated"},
	{RTPROT_RA, "ra"},		{RTPROT_MRT, "mrt"},	       {RTPROT_ZEBRA, "zebra"},
	{RTPROT_BIRD, "bird"},		{RTPROT_DNROUTED, "dnrouted"}, {RTPROT_XORP, "xorp"},
	{RTPROT_NTK, "ntk"},		{RTPROT_DHCP, "dhcp"},	       {RTPROT_MROUTED, "mrouted"},
	{RTPROT_KEEPALIVED, "keepalived"}, {RTPROT_BABEL, "babel"},    {RTPROT_OPENR, "openr"},
	{RTPROT_BGP, "bgp"},		{RTPROT_ISIS, "isis"},	       {RTPROT_OSPF, "ospf"},
	{RTPROT_RIP, "rip"},		{RTPROT_EIGRP, "eigrp"},       {TOPO_RTPROT, "topo"},
};

const char *st_route_proto_name(const struct st_route *r, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(proto_names) / sizeof(proto_names[0]); i++)
		if (proto_names[i].proto == r->proto)
			return proto_names[i].name;
	snprintf(buf, len, "%u", r->proto);
	return buf;
}

uint64_t st_exec_id(const char *cmd, size_t nth)
{
	/* the NUL keeps "ab" + 1 and "a" + "b1" apart; a command listed
	 * twice runs twice, each copy once */
	uint64_t h = fnv1a64(FNV1A64_INIT, cmd, strlen(cmd) + 1);

	return fnv1a64(h, &nth, sizeof(nth));
}

const char *st_operstate_name(uint8_t operstate)
{
	static const char *const names[] = {"unknown", "notpresent", "down", "lowerlayerdown",
					    "testing", "dormant", "up"};

	return operstate < sizeof(names) / sizeof(names[0]) ? names[operstate] : "unknown";
}

const char *st_addr_fmt(const struct st_addr *a, char *buf, size_t len)
{
	struct cidr c = {.family = a->family, .plen = a->plen};

	memcpy(c.addr, a->addr, sizeof(c.addr));
	return cidr_fmt(&c, buf, len);
}

/*
 * The kernel's own link-local address of IFC: fe80::/64 with the interface
 * identifier made from the MAC (modified EUI-64, RFC 4291 appendix A), as
 * addr_gen_mode 0, the default of a new namespace, makes it.
 */
static bool ll_is_eui64(const struct st_addr *a, const struct st_iface *ifc)
{
	uint8_t ll[16] = {0xfe, 0x80};

	if (!ifc || !ifc->has_mac || a->plen != 64)
		return false;
	ll[8] = ifc->mac[0] ^ 0x02;
	ll[9] = ifc->mac[1];
	ll[10] = ifc->mac[2];
	ll[11] = 0xff;
	ll[12] = 0xfe;
	ll[13] = ifc->mac[3];
	ll[14] = ifc->mac[4];
	ll[15] = ifc->mac[5];
	return !memcmp(a->addr, ll, 16);
}

bool st_addr_is_kernels(const struct st_addr *a, const struct st_iface *ifc)
{
	static const uint8_t v4lo[4] = {127, 0, 0, 1}, v6lo[16] = {[15] = 1};

	/*
	 * The kernel makes an fe80:: address on every interface that goes up.
	 * Linux 6.1+ marks it IFA_PROTO kernel_ll; an older kernel marks
	 * nothing, so there an unmarked one is the kernel's when it is the
	 * address the MAC gives. Any other link-local address is a user's
	 * (topo's carries its own mark).
	 */
	if (a->family == AF_INET6 && ip_is_link_local6(a->addr))
		return a->proto == IFAPROT_KERNEL_LL ||
		       (a->proto == IFAPROT_UNSPEC && ll_is_eui64(a, ifc));
	if (!ifc || ifc->kind != ST_LO)
		return false;
	if (a->family == AF_INET)
		return a->plen == 8 && !memcmp(a->addr, v4lo, 4);
	return a->family == AF_INET6 && a->plen == 128 && !memcmp(a->addr, v6lo, 16);
}

/*
 * Devices the kernel creates by itself in every new namespace once their
 * module is loaded (the tunnel drivers' fallback devices): neither the
 * file's business nor drift, and the kernel refuses to delete them.
 */
static const char *const kernel_devices[] = {
    "tunl0", "sit0", "ip6tnl0", "gre0", "gretap0", "erspan0", "ip6gre0", "ip_vti0", "ip6_vti0",
};

bool st_iface_is_kernels(const struct st_iface *ifc)
{
	size_t i;

	if (ifc->kind == ST_LO)
		return true;
	if (ifc->kind != ST_OTHER)
		return false;
	for (i = 0; i < sizeof(kernel_devices) / sizeof(kernel_devices[0]); i++) {
		if (!strcmp(ifc->name, kernel_devices[i]))
			return true;
	}
	return false;
}

bool st_route_is_kernels(const struct st_route *r)
{
	if (r->proto == RTPROT_KERNEL || r->proto == RTPROT_RA)
		return true;
	return r->family == AF_INET6 && r->dst_len >= 8 &&
	       (r->dst[0] == 0xff || ip_is_link_local6(r->dst));
}

static void st_ns_free_fields(struct st_ns *ns)
{
	size_t i;

	for (i = 0; i < ns->n_ifaces; i++)
		free(ns->ifaces[i].addrs);
	free(ns->ifaces);
	free(ns->routes);
	free(ns->sysctls);
	for (i = 0; i < ns->n_execs; i++)
		free(ns->execs[i]);
	free(ns->execs);
	free(ns->exec_ids);
	free(ns->rules);
}

void state_free(struct state *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n_ns; i++)
		st_ns_free_fields(&s->ns[i]);
	free(s->ns);
	free(s->foreign);
	for (i = 0; i < s->n_notes; i++)
		free(s->notes[i]);
	free(s->notes);
	memset(s, 0, sizeof(*s));
}

struct st_ns *state_ns_find(const struct state *s, const char *nsname)
{
	size_t i;

	for (i = 0; i < s->n_ns; i++) {
		if (!strcmp(s->ns[i].name, nsname))
			return &s->ns[i];
	}
	return NULL;
}

struct st_iface *st_ns_iface_find(const struct st_ns *ns, const char *name)
{
	size_t i;

	for (i = 0; i < ns->n_ifaces; i++) {
		if (!strcmp(ns->ifaces[i].name, name))
			return &ns->ifaces[i];
	}
	return NULL;
}
