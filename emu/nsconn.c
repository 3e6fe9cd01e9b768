// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "nsconn.h"

int nl_open_in(struct nl *nl, int fd)
{
	int saved, err;

	if ((err = netns_enter(fd, &saved)) < 0)
		return err;
	err = nl_open(nl);
	netns_leave(saved);
	return err;
}

static struct nsconn *conns_slot(struct conns *c, const char *name)
{
	size_t i;

	if (strmap_get(&c->idx, name, strlen(name), &i))
		return c->v[i];
	*VEC_PUSH(&c->v, &c->n) = xcalloc(1, sizeof(struct nsconn));
	i = c->n - 1;
	snprintf(c->v[i]->name, sizeof(c->v[i]->name), "%s", name);
	c->v[i]->fd = -1;
	strmap_put(&c->idx, name, strlen(name), i, NULL);
	return c->v[i];
}

void conns_reserve(struct conns *c, const char *name)
{
	conns_slot(c, name);
}

struct nsconn *conns_adopt(struct conns *c, const char *name, int fd, const struct nl *nl,
			    int *err)
{
	struct nsconn *nc = conns_slot(c, name);

	if (nc->fd >= 0)
		conns_close(c, name);
	nc->fd = fd;
	if (nl) {
		nc->nl = *nl;
		return nc;
	}
	if ((*err = nl_open_in(&nc->nl, fd)) < 0) {
		conns_close(c, name);
		return NULL;
	}
	return nc;
}

struct nsconn *conns_get(struct conns *c, const char *name, int *err)
{
	struct nsconn *nc = conns_slot(c, name);
	int fd;

	if (nc->fd >= 0)
		return nc;
	fd = netns_open(name);
	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	return conns_adopt(c, name, fd, NULL, err);
}

void conns_close(struct conns *c, const char *name)
{
	size_t i;

	if (!strmap_get(&c->idx, name, strlen(name), &i) || c->v[i]->fd < 0)
		return;
	nl_close(&c->v[i]->nl);
	close(c->v[i]->fd);
	c->v[i]->fd = -1;
}

void conns_free(struct conns *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (c->v[i]->fd >= 0) {
			nl_close(&c->v[i]->nl);
			close(c->v[i]->fd);
		}
		free(c->v[i]);
	}
	free(c->v);
	strmap_free(&c->idx);
	memset(c, 0, sizeof(*c));
}
