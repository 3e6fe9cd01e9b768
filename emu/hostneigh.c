// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "hostneigh.h"
#include "sysctl.h"
#include "util.h"

size_t hostneigh_need(const struct topology *t, int family)
{
	size_t total = 0, i, j, k;

	for (i = 0; i < t->n_links; i++)
		for (j = 0; j < 2; j++)
			for (k = 0; k < t->links[i].ep[j].n_addrs; k++)
				if (t->links[i].ep[j].addrs[k].family == family) {
					total += 1;
					break;
				}
	/* A bridge joins its links into one segment of every port's far end. */
	for (i = 0; i < t->n_nodes; i++) {
		size_t ports = 0;

		if (t->nodes[i].kind != NODE_BRIDGE)
			continue;
		for (j = 0; j < t->n_links; j++)
			for (k = 0; k < 2; k++)
				if (!strcmp(t->links[j].ep[k].node, t->nodes[i].name))
					ports++;
		total += ports * (ports > 1 ? ports - 1 : 0);
	}
	return total;
}

static void thresh_key(const struct hostneigh *h, int n, char *buf, size_t len)
{
	snprintf(buf, len, "net.%s.neigh.default.gc_thresh%d", h->proto, n);
}

static long thresh_read(const struct hostneigh *h, int n)
{
	char key[64], buf[32];

	thresh_key(h, n, key, sizeof(key));
	return sysctl_read(key, buf, sizeof(buf)) == 0 && buf[0] ? strtol(buf, NULL, 10) : -1;
}

static int thresh_write(struct hostneigh *h, int n, long v)
{
	char buf[32];

	thresh_key(h, n, h->failed, sizeof(h->failed));
	snprintf(buf, sizeof(buf), "%ld", v);
	return h->err = sysctl_write(h->failed, buf);
}

int hostneigh_check(const struct topology *t, bool tune, struct hostneigh out[HOSTNEIGH_FAMILIES])
{
	static const struct {
		int family;
		const char *proto;
	} fam[HOSTNEIGH_FAMILIES] = { { AF_INET, "ipv4" }, { AF_INET6, "ipv6" } };
	size_t i;

	memset(out, 0, HOSTNEIGH_FAMILIES * sizeof(*out));
	for (i = 0; i < HOSTNEIGH_FAMILIES; i++) {
		struct hostneigh *h = &out[i];

		h->family = fam[i].family;
		h->proto = fam[i].proto;
		h->need = hostneigh_need(t, h->family);
		h->limit = thresh_read(h, 3);
		if (h->limit < 0 || h->need <= (size_t)h->limit)
			continue;
		/* Leave room for the host's own neighbours. */
		h->want = (long)h->need * 2 + 1024;
		if (!tune)
			continue;
		/* gc_thresh1 <= 2 <= 3 must hold at every step. */
		if (thresh_write(h, 3, h->want) < 0 ||
		    (thresh_read(h, 2) < h->want / 2 && thresh_write(h, 2, h->want / 2) < 0))
			return h->err;
		h->raised = true;
	}
	return 0;
}
