// SPDX-License-Identifier: MIT
/* host - placement, VNIs and tunnel MTUs of a lab on several hosts (host.h). */

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "host.h"
#include "load_host.h"
#include "util.h"

int host_find(const struct topology *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n_hosts; i++)
		if (!strcmp(t->hosts[i].name, name))
			return (int)i;
	return -1;
}

int host_of(const struct topology *t, const struct node *n)
{
	if (!t->n_hosts)
		return -1;
	return n->host ? host_find(t, n->host) : 0;
}

int host_lan_pick(const struct topology *t, const struct node *lan, size_t n_hosts,
		  int (*member_host)(const struct topology *t, const char *node, void *arg),
		  void *arg)
{
	size_t *count = xcalloc(n_hosts + 1, sizeof(*count)), i, best = 0;
	int h;

	for (i = 0; i < t->n_links; i++) {
		const struct link *l = &t->links[i];

		/* A member whose endpoint did not load has no node. */
		if (!l->lan || !l->ep[0].node || strcmp(l->ep[1].node, lan->name))
			continue;
		h = member_host(t, l->ep[0].node, arg);
		if (h >= 0 && (size_t)h < n_hosts)
			count[h]++;
	}
	for (i = 1; i < n_hosts; i++)
		if (count[i] > count[best])
			best = i;
	free(count);
	return (int)best;
}

int host_of_name(const struct topology *t, const char *node)
{
	const struct node *n = topo_node_find(t, node);

	return n ? host_of(t, n) : -1;
}

uint16_t host_port(const struct host_spec *h)
{
	return h->vxlan_port ? h->vxlan_port : HOST_VXLAN_PORT_DEFAULT;
}

unsigned host_vxlan_overhead(int family)
{
	return family == AF_INET6 ? VXLAN_OVERHEAD_V6 : VXLAN_OVERHEAD_V4;
}

uint32_t host_link_mtu(uint32_t underlay_mtu, int family)
{
	unsigned over = host_vxlan_overhead(family);

	/* 68: the smallest MTU IPv4 allows on a link */
	return underlay_mtu >= over + 68 ? underlay_mtu - over : 0;
}

/* "node:iface" of both ends of L, the smaller first, NUL-separated, into a new string. */
static char *link_key(const struct link *l)
{
	char *a = xasprintf("%s:%s", l->ep[0].node, l->ep[0].iface);
	char *b = xasprintf("%s:%s", l->ep[1].node, l->ep[1].iface);
	char *k = strcmp(a, b) <= 0 ? xasprintf("%s%c%s", a, 0, b) : xasprintf("%s%c%s", b, 0, a);

	free(a);
	free(b);
	return k;
}

/* the bytes of link_key's string: the two ends and the NUL between them */
static size_t link_key_len(const char *k)
{
	return strlen(k) + 1 + strlen(k + strlen(k) + 1);
}

uint32_t host_vni_hash(const char *lab, const struct link *l)
{
	char *k = link_key(l);
	uint64_t h = FNV1A64_INIT;

	h = fnv1a64(h, lab, strlen(lab) + 1);
	h = fnv1a64(h, k, link_key_len(k));
	free(k);
	return (uint32_t)(h % VNI_MAX) + 1;
}

struct vni_slot {
	char *key;
	size_t len, link;
};

static int slot_cmp(const void *pa, const void *pb)
{
	const struct vni_slot *a = pa, *b = pb;
	size_t n = a->len < b->len ? a->len : b->len;
	int r = memcmp(a->key, b->key, n);

	return r ? r : (a->len > b->len) - (a->len < b->len);
}

void host_vnis(const struct topology *t, uint32_t *vnis)
{
	struct vni_slot *s = xcalloc(t->n_links + 1, sizeof(*s));
	struct strmap used = { 0 };
	uint32_t v;
	size_t i;

	for (i = 0; i < t->n_links; i++) {
		s[i].key = link_key(&t->links[i]);
		s[i].len = link_key_len(s[i].key);
		s[i].link = i;
	}
	qsort(s, t->n_links, sizeof(*s), slot_cmp);
	for (i = 0; i < t->n_links; i++) {
		v = host_vni_hash(t->name, &t->links[s[i].link]);
		/* at most 2^24 - 1 links could fill every VNI; a file holds far fewer */
		while (!strmap_put(&used, (const char *)&v, sizeof(v), 0, NULL))
			v = v % VNI_MAX + 1;
		vnis[s[i].link] = v;
		free(s[i].key);
	}
	free(s);
	strmap_free(&used);
}

bool host_here(const struct topology *t, const char *node)
{
	return !t->self || host_of_name(t, node) == (int)(t->self - t->hosts);
}
