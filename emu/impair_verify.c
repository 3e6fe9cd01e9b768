// SPDX-License-Identifier: MIT
/* impair_verify - every declared impairment measured after `up` (impair_verify.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host.h"
#include "impair_verify.h"
#include "netns.h"
#include "probe.h"
#include "qdisc.h"
#include "ratecheck.h"
#include "util.h"

/* 4.5 standard deviations: a correct link fails about once in 150,000 checks */
#define SIGMAS 4.5
#define ECHOES_MAX 100
#define ECHO_INTERVAL_US 2000

static double root(double x)
{
	double r = x > 1 ? x : 1;
	int i;

	if (x <= 0)
		return 0;
	for (i = 0; i < 60; i++)
		r = (r + x / r) / 2;
	return r;
}

/* Is GOT within the tolerance of end E's declared rate? */
static bool rate_close(const struct impair_check *c, int e, uint64_t got)
{
	double want = (double)c->rate_want[e];

	return got >= want * (1 - IMPAIR_RATE_TOLERANCE) && got <= want * (1 + IMPAIR_RATE_TOLERANCE);
}

/* An address of FAMILY that end EP has on its link (endpoint or node `addresses:`). */
static bool end_addr(const struct topology *t, const struct endpoint *ep, int family, uint8_t *out)
{
	const struct node *n = topo_node_find(t, ep->node);
	size_t i, j;

	for (i = 0; i < ep->n_addrs; i++)
		if (ep->addrs[i].family == family && ip_is_probeable(family, ep->addrs[i].addr)) {
			memcpy(out, ep->addrs[i].addr, 16);
			return true;
		}
	for (i = 0; n && i < n->n_addrs; i++) {
		if (strcmp(n->addrs[i].iface, ep->iface))
			continue;
		for (j = 0; j < n->addrs[i].n_addrs; j++)
			if (n->addrs[i].addrs[j].family == family &&
			    ip_is_probeable(family, n->addrs[i].addrs[j].addr)) {
				memcpy(out, n->addrs[i].addrs[j].addr, 16);
				return true;
			}
	}
	return false;
}

/* The chance that an echo or its reply is lost: each end's loss or corruption. */
static double round_trip_loss(const struct impair_check *c)
{
	double keep = 1;
	int e;

	for (e = 0; e < 2; e++) {
		const struct st_qdisc *q = &c->q[e];

		if (q->kind == QD_BLACKHOLE)
			return 1;
		if (q->kind == QD_NETEM)
			keep *= (1 - qdisc_pct(q->loss) / 100) * (1 - qdisc_pct(q->corrupt) / 100);
	}
	return 1 - keep;
}

/* What to expect of C's echoes: how many, the least round trip, the losses allowed. */
static void expect(struct impair_check *c)
{
	double p = round_trip_loss(c), mean, sd;
	uint32_t room = ECHOES_MAX * 2;
	int e;

	/* sent at once: half the smallest queue, so that no queue drops them */
	for (e = 0; e < 2; e++)
		if (c->q[e].kind == QD_NETEM && c->q[e].limit < room)
			room = c->q[e].limit;
		else if (c->q[e].kind == QD_TBF && c->q[e].limit / (c->mtu + 14) < room)
			room = c->q[e].limit / (c->mtu + 14);
	c->count = room / 2 < ECHOES_MAX ? room / 2 : ECHOES_MAX;
	if (c->count < 1)
		c->count = 1;
	for (e = 0; e < 2; e++)
		if (c->q[e].kind == QD_NETEM && c->q[e].delay_ns > c->q[e].jitter_ns)
			c->rtt_floor_us += (c->q[e].delay_ns - c->q[e].jitter_ns) / 1000;
	mean = c->count * p;
	sd = root(c->count * p * (1 - p));
	c->lost_lo = mean - SIGMAS * sd > 1 ? (uint32_t)(mean - SIGMAS * sd) - 1 : 0;
	c->lost_hi = (uint32_t)(mean + SIGMAS * sd) + 1;
	if (c->lost_hi > c->count)
		c->lost_hi = c->count;
	if (p >= 1)
		c->lost_lo = c->count;
	for (e = 0; e < 2; e++)
		c->rate_want[e] = c->q[e].kind == QD_TBF || c->q[e].kind == QD_NETEM ? c->q[e].rate * 8 : 0;
}

static void plan_link(const struct topology *t, size_t i, struct impair_check *c)
{
	static const int families[] = { AF_INET, AF_INET6 };
	const struct link *l = &t->links[i];
	struct impair im;
	size_t f;
	int e;

	memset(c, 0, sizeof(*c));
	c->link = i;
	c->mtu = l->mtu ? l->mtu : 1500;
	for (e = 0; e < 2; e++) {
		qdisc_impair_merge(&l->impair, &l->ep[e].impair, &im);
		qdisc_from_impair(&im, c->mtu, &c->q[e]);
	}
	expect(c);
	if (!l->up) {
		snprintf(c->skip, sizeof(c->skip), "not measured: the link is down");
		return;
	}
	for (f = 0; f < ARRAY_SIZE(families) && !c->family; f++)
		if (end_addr(t, &l->ep[0], families[f], c->addr[0]) &&
		    end_addr(t, &l->ep[1], families[f], c->addr[1]))
			c->family = families[f];
	if (!c->family)
		snprintf(c->skip, sizeof(c->skip),
			 "not measured: its ends have no addresses of one family");
}

int impair_plan(const struct topology *t, struct impair_check **out, size_t *n)
{
	size_t i;

	*out = NULL;
	*n = 0;
	for (i = 0; i < t->n_links; i++)
		if ((t->links[i].impair.given || t->links[i].ep[0].impair.given ||
		     t->links[i].ep[1].impair.given) &&
		    /* a link to another host: its far end is not here to measure from */
		    host_here(t, t->links[i].ep[0].node) && host_here(t, t->links[i].ep[1].node))
			plan_link(t, i, VEC_APPEND(out, n));
	return 0;
}

/* " ; WHAT" onto C's reasons */
static void why_add(struct impair_check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void why_add(struct impair_check *c, const char *fmt, ...)
{
	size_t n = strlen(c->why);
	va_list ap;

	if (n && n + 2 < sizeof(c->why))
		n += (size_t)snprintf(c->why + n, sizeof(c->why) - n, "; ");
	va_start(ap, fmt);
	vsnprintf(c->why + n, sizeof(c->why) - n, fmt, ap);
	va_end(ap);
}

void impair_judge(struct impair_check *c)
{
	uint32_t lost = c->count - c->received;
	int e;

	c->why[0] = '\0';
	if (c->skip[0]) {
		c->ok = true;
		return;
	}
	if (c->echo_err[0])
		why_add(c, "echoes: %s", c->echo_err);
	else if (lost < c->lost_lo || lost > c->lost_hi)
		why_add(c, "%u of %u echoes lost, outside %u..%u", lost, c->count, c->lost_lo,
			c->lost_hi);
	if (!c->echo_err[0] && c->received && c->rtt_min_us < c->rtt_floor_us)
		why_add(c, "round trip %.3f ms, below the %.3f ms the delays take",
			(double)c->rtt_min_us / 1000, (double)c->rtt_floor_us / 1000);
	for (e = 0; e < 2; e++) {
		double got = (double)c->rate_got[e], want = (double)c->rate_want[e];

		if (!c->rate_want[e])
			continue;
		if (c->rate_err[e])
			why_add(c, "rate of end %d: %s", e + 1, strerror(-c->rate_err[e]));
		else if (!rate_close(c, e, c->rate_got[e]))
			why_add(c, "end %d sends %.3g Mbit/s, not %.3g Mbit/s +-15%%", e + 1, got / 1e6,
				want / 1e6);
	}
	c->ok = !c->why[0];
}

/* The echoes of every check at once, as probes of a lab of their own. */
static int measure_echoes(const struct topology *t, struct impair_check *c, size_t n,
			  volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct topology echo = *t;
	struct probe_opts o = { .stop = stop };
	struct probe_run run;
	size_t *of = xcalloc(n + 1, sizeof(*of)), i;
	char addr[64];
	int r;

	echo.probes = xcalloc(n + 1, sizeof(*echo.probes));
	echo.n_probes = 0;
	for (i = 0; i < n; i++) {
		struct probe_spec *p = &echo.probes[echo.n_probes];

		if (c[i].skip[0])
			continue;
		of[echo.n_probes++] = i;
		p->from = t->links[c[i].link].ep[0].node;
		p->to = xstrdup(ip_fmt(c[i].family, c[i].addr[1], addr, sizeof(addr)));
		p->count = c[i].count;
		/* a burst a queue of twice the count holds, 0.2 s for a hundred */
		p->interval_us = ECHO_INTERVAL_US;
		p->timeout_us = 1000000 + 2 * c[i].rtt_floor_us;
		p->max_loss = -1;
		p->expect_reachable = true;
	}
	r = echo.n_probes ? probe_measure(&echo, &o, &run, err, errlen) : 0;
	for (i = 0; r == 0 && i < run.n; i++) {
		struct impair_check *ck = &c[of[run.res[i].tg.spec]];

		ck->received = run.res[i].received;
		ck->rtt_min_us = run.res[i].rtt_min_us;
		if (run.res[i].tg.family == AF_UNSPEC || !run.res[i].sent)
			snprintf(ck->echo_err, sizeof(ck->echo_err), "%s",
				 run.res[i].reason[0] ? run.res[i].reason : "none sent");
	}
	if (r == 0 && echo.n_probes)
		free(run.res);
	for (i = 0; i < echo.n_probes; i++)
		free(echo.probes[i].to);
	free(echo.probes);
	free(of);
	return r;
}

struct rate_job {
	const struct topology *t;
	struct impair_check *c;
	size_t n;
	volatile sig_atomic_t *stop;
};

/*
 * The rate out of end E of C. One far off is measured again, up to three
 * times, keeping the closest: a loaded machine slows a stream down now and
 * then (softirqs wait for a CPU), a wrong qdisc stays wrong.
 */
static void rate_end(struct impair_check *c, int e, const int fd[2], volatile sig_atomic_t *stop)
{
	uint64_t bps, got, best = 0;
	int i, err = 0;

	for (i = 0; i < 3 && !(stop && *stop); i++) {
		err = ratecheck_run(fd[e], fd[!e], c->family, c->addr[!e], IMPAIR_RATE_US, &bps);
		if (err < 0)
			break;
		/* TCP's payload back to frames: the qdisc counts the whole frame */
		got = bps * (c->mtu + 14) / (c->mtu - (c->family == AF_INET ? 20 : 40) - 20 - 12);
		if (!best || (got > best ? got - c->rate_want[e] : c->rate_want[e] - got) <
				     (best > c->rate_want[e] ? best - c->rate_want[e]
							     : c->rate_want[e] - best))
			best = got;
		if (rate_close(c, e, best))
			break;
	}
	c->rate_err[e] = err;
	c->rate_got[e] = best;
}

/* The rates of check I: a stream out of each end that has one. */
static void rate_one(void *arg, size_t i)
{
	struct rate_job *j = arg;
	struct impair_check *c = &j->c[i];
	const struct link *l = &j->t->links[c->link];
	char ns[2][TOPO_NSNAME_MAX + 1];
	int fd[2] = { -1, -1 }, e;

	if (c->skip[0] || (!c->rate_want[0] && !c->rate_want[1]))
		return;
	for (e = 0; e < 2; e++) {
		topo_nsname(j->t, l->ep[e].node, ns[e], sizeof(ns[e]));
		fd[e] = netns_open(ns[e]);
	}
	for (e = 0; e < 2; e++) {
		if (!c->rate_want[e] || (j->stop && *j->stop))
			continue;
		if (fd[0] < 0 || fd[1] < 0) {
			c->rate_err[e] = fd[0] < 0 ? fd[0] : fd[1];
			continue;
		}
		rate_end(c, e, fd, j->stop);
	}
	for (e = 0; e < 2; e++)
		if (fd[e] >= 0)
			close(fd[e]);
}

int impair_measure(const struct topology *t, struct impair_check *c, size_t n,
		   volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct rate_job j = { t, c, n, stop };
	size_t i;
	int r;

	if ((r = measure_echoes(t, c, n, stop, err, errlen)) < 0)
		return r;
	/* the streams after the echoes: a full queue would delay them */
	netns_parallel(n, 64, rate_one, &j);
	if (stop && *stop) {
		snprintf(err, errlen, "stopped by signal %d", (int)*stop);
		return -EINTR;
	}
	for (i = 0; i < n; i++)
		impair_judge(&c[i]);
	return 0;
}

const char *impair_check_text(const struct topology *t, const struct impair_check *c, char *buf,
			      size_t len)
{
	const struct link *l = &t->links[c->link];
	size_t n;
	int e;

	n = (size_t)snprintf(buf, len, "%s:%s - %s:%s: ", l->ep[0].node, l->ep[0].iface,
			     l->ep[1].node, l->ep[1].iface);
	if (c->skip[0] || n >= len) {
		snprintf(buf + (n < len ? n : 0), n < len ? len - n : len, "%s", c->skip);
		return buf;
	}
	if (c->received)
		n += (size_t)snprintf(buf + n, len - n, "RTT min %.3f ms (>= %.3f), ",
				      (double)c->rtt_min_us / 1000, (double)c->rtt_floor_us / 1000);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, "%u of %u lost (%u..%u)",
				      c->count - c->received, c->count, c->lost_lo, c->lost_hi);
	for (e = 0; e < 2 && n < len; e++)
		if (c->rate_want[e] && !c->rate_err[e])
			n += (size_t)snprintf(buf + n, len - n, ", %s sends %.3g Mbit/s (%.3g)",
					      l->ep[e].node, (double)c->rate_got[e] / 1e6,
					      (double)c->rate_want[e] / 1e6);
	return buf;
}
