// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "netns.h"
#include "hostlink.h"
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

/*
 * Descriptors that are not handles: stdio, the lock, a log, each worker
 * thread's own namespace fd and the namespace and socket a worker holds
 * while it creates a namespace (netns_parallel runs at most 16), sockets
 * of a kernel query. Generous, so that only a tiny limit is ever reached.
 */
#define CONNS_RESERVE 96
#define CONNS_BUDGET_MIN 4

size_t conns_budget_of(uint64_t limit)
{
	if (limit > (1u << 22))
		limit = 1u << 22;
	if (limit < CONNS_RESERVE + 2 * CONNS_BUDGET_MIN)
		return CONNS_BUDGET_MIN;
	return (size_t)(limit - CONNS_RESERVE) / 2;	/* a handle is two descriptors */
}

static size_t conns_budget(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return CONNS_BUDGET_MIN;
	return conns_budget_of(rl.rlim_cur);
}

/* Called with the lock held, as are all that follow up to conns_get. */
static struct nsconn *conns_slot(struct conns *c, const char *name)
{
	size_t i;

	if (!c->budget)
		c->budget = conns_budget();
	if (strmap_get(&c->idx, name, strlen(name), &i))
		return c->v[i];
	*VEC_PUSH(&c->v, &c->n) = xcalloc(1, sizeof(struct nsconn));
	i = c->n - 1;
	snprintf(c->v[i]->name, sizeof(c->v[i]->name), "%s", name);
	c->v[i]->fd = -1;
	strmap_put(&c->idx, name, strlen(name), i, NULL);
	return c->v[i];
}

static void slot_close(struct conns *c, struct nsconn *nc)
{
	nl_close(&nc->nl);
	close(nc->fd);
	nc->fd = -1;
	c->n_open--;
}

/*
 * Room for one more handle: close the least recently used ones that
 * nobody holds. A scan, but only once the budget is reached, which a lab
 * that fits never does. When every open handle is held, go over the
 * budget: the kernel says EMFILE if there really is no room.
 */
static void conns_make_room(struct conns *c, size_t keep)
{
	while (c->n_open + keep > c->budget) {
		struct nsconn *victim = NULL;
		size_t i;

		for (i = 0; i < c->n; i++) {
			struct nsconn *nc = c->v[i];

			if (!nc->holds && nc->fd >= 0 && (!victim || nc->used < victim->used))
				victim = nc;
		}
		if (!victim)
			return;
		slot_close(c, victim);
	}
}

void conns_reserve(struct conns *c, const char *name)
{
	pthread_mutex_lock(&c->lock);
	conns_slot(c, name);
	pthread_mutex_unlock(&c->lock);
}

/* NC's descriptors are open (FD, NL) or could not be (ERR): publish them. */
static void slot_opened(struct conns *c, struct nsconn *nc, int fd, const struct nl *nl, int err)
{
	pthread_mutex_lock(&c->lock);
	if (err < 0) {
		c->n_open--;
	} else {
		nc->fd = fd;
		nc->nl = *nl;
	}
	pthread_mutex_unlock(&c->lock);
}

int conns_adopt(struct conns *c, const char *name, int fd, const struct nl *nl)
{
	struct nsconn *nc;
	struct nl own;
	int err = 0;

	pthread_mutex_lock(&c->lock);
	nc = conns_slot(c, name);
	if (nc->fd >= 0)
		slot_close(c, nc);
	conns_make_room(c, 1);
	c->n_open++;	/* counted now, so that no other thread takes its room */
	pthread_mutex_unlock(&c->lock);
	if (nl)
		own = *nl;
	else if ((err = nl_open_in(&own, fd)) < 0)
		close(fd);
	slot_opened(c, nc, fd, &own, err);
	return err;
}

struct nsconn *conns_get(struct conns *c, const char *name, int *err)
{
	struct nsconn *nc;
	struct nl nl;
	int fd;

	pthread_mutex_lock(&c->lock);
	nc = conns_slot(c, name);
	nc->holds++;
	nc->used = ++c->clock;
	if (nc->fd >= 0) {
		pthread_mutex_unlock(&c->lock);
		return nc;
	}
	conns_make_room(c, 1);
	c->n_open++;
	pthread_mutex_unlock(&c->lock);
	/* Opened outside the lock: workers open their namespaces at once. */
	fd = strcmp(name, ST_HOST_NS) ? netns_open(name) : hostlink_root_fd();
	*err = fd < 0 ? fd : nl_open_in(&nl, fd);
	if (*err < 0 && fd >= 0)
		close(fd);
	slot_opened(c, nc, fd, &nl, *err);
	if (*err < 0) {
		conns_put(c, nc);
		return NULL;
	}
	return nc;
}

void conns_put(struct conns *c, struct nsconn *nc)
{
	if (!nc)
		return;
	pthread_mutex_lock(&c->lock);
	nc->holds--;
	conns_make_room(c, 0);
	pthread_mutex_unlock(&c->lock);
}

void conns_close(struct conns *c, const char *name)
{
	size_t i;

	pthread_mutex_lock(&c->lock);
	if (strmap_get(&c->idx, name, strlen(name), &i) && c->v[i]->fd >= 0 && !c->v[i]->holds)
		slot_close(c, c->v[i]);
	pthread_mutex_unlock(&c->lock);
}

void conns_free(struct conns *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (c->v[i]->fd >= 0)
			slot_close(c, c->v[i]);
		free(c->v[i]);
	}
	free(c->v);
	strmap_free(&c->idx);
	pthread_mutex_destroy(&c->lock);
	memset(c, 0, sizeof(*c));
}
