// SPDX-License-Identifier: MIT
/* qdisc - impairments as root qdiscs: desired state, netlink encoding, reading back. */
#include <errno.h>
#include <inttypes.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_value.h"
#include "qdisc.h"
#include "util.h"

/* the kernel's psched ticks are 64 ns (PSCHED_SHIFT 6) */
#define PSCHED_SHIFT 6

static uint32_t pct_to_u32(double pct)
{
	return pct >= 100 ? UINT32_MAX : (uint32_t)(pct / 100.0 * UINT32_MAX + 0.5);
}

static uint32_t ns_to_ticks(uint64_t ns)
{
	uint64_t t = ns >> PSCHED_SHIFT;

	return t > UINT32_MAX ? UINT32_MAX : (uint32_t)t;
}

void qdisc_impair_merge(const struct impair *link, const struct impair *ep, struct impair *out)
{
	unsigned g = ep->given;

	*out = *link;
	out->given |= g;
#define TAKE(bit, f) \
	if (g & (bit))   \
		out->f = ep->f
	TAKE(IMP_DELAY, delay_us);
	TAKE(IMP_JITTER, jitter_us);
	TAKE(IMP_DISTRIBUTION, dist);
	TAKE(IMP_LOSS, loss);
	TAKE(IMP_LOSS_CORRELATION, loss_corr);
	TAKE(IMP_DUPLICATE, duplicate);
	TAKE(IMP_REORDER, reorder);
	TAKE(IMP_GAP, gap);
	TAKE(IMP_CORRUPT, corrupt);
	TAKE(IMP_RATE, rate_bps);
	TAKE(IMP_LIMIT, limit);
#undef TAKE
	if (g)
		out->pos = ep->pos;
}

uint32_t qdisc_default_limit(uint64_t rate_bps, uint64_t delay_us, uint64_t jitter_us, uint32_t mtu)
{
	double bytes_per_s = (double)(rate_bps ? rate_bps : QDISC_LINE_RATE_BPS) / 8;
	/* netem counts the packets it is delaying against its limit: a queue
	 * shorter than the bandwidth-delay product drops what the delay holds
	 * (netem's fixed 1000 does, at ~600 Mbit/s with 20 ms) */
	double window = (double)(delay_us + jitter_us + 1000) / 1e6;
	double pkts = 2 * bytes_per_s * window / (mtu ? mtu : 1500) + 0.999999;

	if (pkts < 100)
		return 100;
	return pkts > 1000000 ? 1000000 : (uint32_t)pkts;	/* rounded up */
}

void qdisc_from_impair(const struct impair *im, uint32_t mtu, struct st_qdisc *q)
{
	unsigned g = im->given;

	memset(q, 0, sizeof(*q));
	if (!g)
		return;
	if (!mtu)
		mtu = 1500;
	q->rate = im->rate_bps / 8;
	q->limit = g & IMP_LIMIT ? im->limit
				 : qdisc_default_limit(im->rate_bps, im->delay_us, im->jitter_us, mtu);
	if (g == IMP_LOSS && im->loss >= 100) {
		q->kind = QD_BLACKHOLE;
		q->limit = 0;
		q->rate = 0;
		snprintf(q->kind_name, sizeof(q->kind_name), "blackhole");
	} else if (!(g & ~(IMP_RATE | IMP_LIMIT)) && (g & IMP_RATE)) {
		q->kind = QD_TBF;
		snprintf(q->kind_name, sizeof(q->kind_name), "tbf");
		q->limit *= mtu + 14;	/* tbf's queue is in bytes: packets of MTU + Ethernet header */
		/* a bucket of 4 ms at the rate (a timer tick at HZ=250), at least two full frames */
		q->burst = (uint32_t)(q->rate / 250 > 2 * (mtu + 14) ? q->rate / 250 : 2 * (mtu + 14));
	} else {
		q->kind = QD_NETEM;
		snprintf(q->kind_name, sizeof(q->kind_name), "netem");
		q->delay_ns = im->delay_us * 1000;
		q->jitter_ns = im->jitter_us * 1000;
		q->dist = (uint8_t)im->dist;
		q->loss = pct_to_u32(im->loss);
		q->loss_corr = pct_to_u32(im->loss_corr);
		q->duplicate = pct_to_u32(im->duplicate);
		q->reorder = pct_to_u32(im->reorder);
		/* tc's rule: reordering with no gap means every packet may jump the queue */
		q->gap = g & IMP_REORDER ? (im->gap ? im->gap : 1) : 0;
		q->corrupt = pct_to_u32(im->corrupt);
	}
	q->handle = (QDISC_MAJOR + (q->kind == QD_TBF		 ? QDISC_SLOT_TBF
				    : q->kind == QD_BLACKHOLE ? QDISC_SLOT_BLACKHOLE
							      : q->dist))
		    << 16;
}

bool qdisc_eq(const struct st_qdisc *want, const struct st_qdisc *have)
{
	if (want->kind != have->kind)
		return false;
	if (want->kind == QD_DEFAULT)
		return true;
	if (have->handle >> 16 != want->handle >> 16)
		return false;
	switch (want->kind) {
	case QD_NETEM:
		return want->delay_ns == have->delay_ns && want->jitter_ns == have->jitter_ns &&
		       want->loss == have->loss && want->loss_corr == have->loss_corr &&
		       want->duplicate == have->duplicate && want->reorder == have->reorder &&
		       want->gap == have->gap && want->corrupt == have->corrupt &&
		       want->rate == have->rate && want->limit == have->limit;
	case QD_TBF:
		return want->rate == have->rate && want->limit == have->limit;
	default:
		return true;
	}
}

/* netem's TCA_OPTIONS: struct tc_netem_qopt, then attributes. */
static void netem_put(struct nlmsghdr *nlh, const struct st_qdisc *q, const int16_t *dist,
		      size_t n_dist)
{
	struct tc_netem_qopt o = {
		.latency = ns_to_ticks(q->delay_ns),
		.limit = q->limit,
		.loss = q->loss,
		.gap = q->gap,
		.duplicate = q->duplicate,
		.jitter = ns_to_ticks(q->jitter_ns),
	};
	/* Every attribute every time: netem keeps what a change leaves out,
	 * so a correlation or a rate taken out of the file would stay. */
	struct tc_netem_corr corr = { .loss_corr = q->loss_corr };
	struct tc_netem_reorder reorder = { .probability = q->reorder };
	struct tc_netem_corrupt corrupt = { .probability = q->corrupt };
	struct tc_netem_rate rate = { .rate = q->rate >= UINT32_MAX ? UINT32_MAX : (uint32_t)q->rate };
	struct nlattr *opts = mnl_nlmsg_get_payload_tail(nlh);

	/* not a nest: the struct comes first (iproute2 and the kernel agree) */
	opts->nla_type = TCA_OPTIONS;
	nlh->nlmsg_len += MNL_ALIGN(sizeof(*opts));
	memcpy(mnl_nlmsg_get_payload_tail(nlh), &o, sizeof(o));
	nlh->nlmsg_len += MNL_ALIGN(sizeof(o));
	mnl_attr_put(nlh, TCA_NETEM_CORR, sizeof(corr), &corr);
	mnl_attr_put(nlh, TCA_NETEM_REORDER, sizeof(reorder), &reorder);
	mnl_attr_put(nlh, TCA_NETEM_CORRUPT, sizeof(corrupt), &corrupt);
	mnl_attr_put(nlh, TCA_NETEM_RATE, sizeof(rate), &rate);
	if (q->rate >= UINT32_MAX)
		mnl_attr_put_u64(nlh, TCA_NETEM_RATE64, q->rate);
	mnl_attr_put(nlh, TCA_NETEM_LATENCY64, sizeof(int64_t), &(int64_t){ (int64_t)q->delay_ns });
	mnl_attr_put(nlh, TCA_NETEM_JITTER64, sizeof(int64_t), &(int64_t){ (int64_t)q->jitter_ns });
	if (dist && n_dist)
		mnl_attr_put(nlh, TCA_NETEM_DELAY_DIST, n_dist * sizeof(*dist), dist);
	opts->nla_len = (uint16_t)((char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)opts);
}

static void tbf_put(struct nlmsghdr *nlh, const struct st_qdisc *q)
{
	struct tc_tbf_qopt o = { 0 };
	struct nlattr *nest;

	o.rate.rate = q->rate >= UINT32_MAX ? UINT32_MAX : (uint32_t)q->rate;
	/* the kernel computes the transmit times itself for a known link layer */
	o.rate.linklayer = TC_LINKLAYER_ETHERNET;
	o.limit = q->limit;
	o.buffer = ns_to_ticks((uint64_t)q->burst * 1000000000ULL / (q->rate ? q->rate : 1));
	nest = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	mnl_attr_put(nlh, TCA_TBF_PARMS, sizeof(o), &o);
	if (q->rate >= UINT32_MAX)
		mnl_attr_put_u64(nlh, TCA_TBF_RATE64, q->rate);
	mnl_attr_put_u32(nlh, TCA_TBF_BURST, q->burst);
	mnl_attr_nest_end(nlh, nest);
}

void qdisc_put(struct nlmsghdr *nlh, const struct st_qdisc *q, const int16_t *dist, size_t n_dist)
{
	mnl_attr_put_strz(nlh, TCA_KIND, q->kind_name);
	if (q->kind == QD_NETEM)
		netem_put(nlh, q, dist, n_dist);
	else if (q->kind == QD_TBF)
		tbf_put(nlh, q);
}

/* A fixed-size struct attribute of at least SIZE bytes, or NULL. */
static const void *attr_struct(const struct nlattr *a, size_t size)
{
	return a && mnl_attr_get_payload_len(a) >= size ? mnl_attr_get_payload(a) : NULL;
}

static uint64_t attr_u64(const struct nlattr *a, uint64_t dflt)
{
	const uint64_t *v = attr_struct(a, sizeof(uint64_t));
	uint64_t x;

	if (!v)
		return dflt;
	memcpy(&x, v, sizeof(x));	/* 4-byte aligned only */
	return x;
}

static void netem_parse(const struct nlattr *opts, struct st_qdisc *q)
{
	const struct nlattr *tb[TCA_NETEM_MAX + 1] = { 0 }, *a;
	const struct tc_netem_qopt *o = attr_struct(opts, sizeof(*o));
	const struct tc_netem_corr *corr;
	const struct tc_netem_reorder *ro;
	const struct tc_netem_corrupt *co;
	const struct tc_netem_rate *rate;
	size_t off = MNL_ALIGN(sizeof(*o));

	if (!o)
		return;
	q->limit = o->limit;
	q->loss = o->loss;
	q->gap = o->gap;
	q->duplicate = o->duplicate;
	q->delay_ns = (uint64_t)o->latency << PSCHED_SHIFT;
	q->jitter_ns = (uint64_t)o->jitter << PSCHED_SHIFT;
	for (a = (const struct nlattr *)((const char *)mnl_attr_get_payload(opts) + off);
	     mnl_attr_ok(a, (int)((const char *)opts + opts->nla_len - (const char *)a));
	     a = mnl_attr_next(a))
		if (mnl_attr_get_type(a) <= TCA_NETEM_MAX)
			tb[mnl_attr_get_type(a)] = a;
	if ((corr = attr_struct(tb[TCA_NETEM_CORR], sizeof(*corr))))
		q->loss_corr = corr->loss_corr;
	if ((ro = attr_struct(tb[TCA_NETEM_REORDER], sizeof(*ro))))
		q->reorder = ro->probability;
	if ((co = attr_struct(tb[TCA_NETEM_CORRUPT], sizeof(*co))))
		q->corrupt = co->probability;
	if ((rate = attr_struct(tb[TCA_NETEM_RATE], sizeof(*rate))))
		q->rate = rate->rate;
	q->rate = attr_u64(tb[TCA_NETEM_RATE64], q->rate);
	q->delay_ns = attr_u64(tb[TCA_NETEM_LATENCY64], q->delay_ns);
	q->jitter_ns = attr_u64(tb[TCA_NETEM_JITTER64], q->jitter_ns);
}

static void tbf_parse(const struct nlattr *opts, struct st_qdisc *q)
{
	const struct nlattr *a, *parms = NULL, *rate64 = NULL;
	const struct tc_tbf_qopt *o;

	mnl_attr_for_each_nested(a, opts) {
		if (mnl_attr_get_type(a) == TCA_TBF_PARMS)
			parms = a;
		else if (mnl_attr_get_type(a) == TCA_TBF_RATE64)
			rate64 = a;
	}
	if (!(o = attr_struct(parms, sizeof(*o))))
		return;
	q->rate = attr_u64(rate64, o->rate.rate);
	q->limit = o->limit;
}

int qdisc_parse(const struct nlmsghdr *nlh, struct st_qdisc *q, int *ifindex)
{
	const struct tcmsg *tcm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a, *kind = NULL, *opts = NULL;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*tcm))
		return -EINVAL;
	if (tcm->tcm_parent != TC_H_ROOT)
		return 0;
	memset(q, 0, sizeof(*q));
	*ifindex = tcm->tcm_ifindex;
	q->handle = tcm->tcm_handle;
	mnl_attr_for_each(a, nlh, sizeof(*tcm)) {
		if (mnl_attr_get_type(a) == TCA_KIND)
			kind = a;
		else if (mnl_attr_get_type(a) == TCA_OPTIONS)
			opts = a;
	}
	if (!kind || mnl_attr_validate(kind, MNL_TYPE_NUL_STRING) < 0)
		return -EINVAL;
	snprintf(q->kind_name, sizeof(q->kind_name), "%s", mnl_attr_get_str(kind));
	if (!q->handle)
		q->kind = QD_DEFAULT;
	else if (!strcmp(q->kind_name, "netem"))
		q->kind = QD_NETEM;
	else if (!strcmp(q->kind_name, "tbf"))
		q->kind = QD_TBF;
	else if (!strcmp(q->kind_name, "blackhole"))
		q->kind = QD_BLACKHOLE;
	else
		q->kind = QD_OTHER;
	if (q->kind == QD_NETEM && q->handle >> 16 >= QDISC_MAJOR &&
	    q->handle >> 16 < QDISC_MAJOR + DIST_N)
		q->dist = (uint8_t)((q->handle >> 16) - QDISC_MAJOR);
	if (opts && q->kind == QD_NETEM)
		netem_parse(opts, q);
	else if (opts && q->kind == QD_TBF)
		tbf_parse(opts, q);
	return 1;
}

/* NS as text: "20ms", "2.5ms", "250us", "1s" */
static void ns_text(char *buf, size_t len, uint64_t ns)
{
	if (ns % 1000000000ULL == 0 && ns)
		snprintf(buf, len, "%" PRIu64 "s", (uint64_t)(ns / 1000000000ULL));
	else if (ns >= 1000000)
		snprintf(buf, len, "%gms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%gus", (double)ns / 1e3);
}

static void rate_text(char *buf, size_t len, uint64_t bytes_per_s)
{
	uint64_t bps = bytes_per_s * 8;

	if (bps >= 1000000000ULL)
		snprintf(buf, len, "%ggbit", (double)bps / 1e9);
	else if (bps >= 1000000)
		snprintf(buf, len, "%gmbit", (double)bps / 1e6);
	else if (bps >= 1000)
		snprintf(buf, len, "%gkbit", (double)bps / 1e3);
	else
		snprintf(buf, len, "%" PRIu64 "bit", bps);
}

double qdisc_pct(uint32_t v)
{
	return (double)v * 100.0 / UINT32_MAX;
}

/* " NAME P%" onto BUF when V is not 0 */
static size_t pct_word(char *buf, size_t len, size_t n, const char *name, uint32_t v)
{
	if (v && n < len)
		n += (size_t)snprintf(buf + n, len - n, " %s %.6g%%", name, qdisc_pct(v));
	return n;
}

static size_t netem_text(char *buf, size_t len, const struct st_qdisc *q)
{
	char t[32];
	size_t n = 0;

	if (q->delay_ns) {
		ns_text(t, sizeof(t), q->delay_ns);
		n += (size_t)snprintf(buf + n, len - n, " delay %s", t);
	}
	if (q->jitter_ns && n < len) {
		ns_text(t, sizeof(t), q->jitter_ns);
		n += (size_t)snprintf(buf + n, len - n, " jitter %s", t);
		if (q->dist && q->dist < DIST_N && n < len)
			n += (size_t)snprintf(buf + n, len - n, " distribution %s",
					      impair_dist_name(q->dist));
	}
	n = pct_word(buf, len, n, "loss", q->loss);
	n = pct_word(buf, len, n, "loss_correlation", q->loss_corr);
	n = pct_word(buf, len, n, "duplicate", q->duplicate);
	n = pct_word(buf, len, n, "reorder", q->reorder);
	if (q->reorder && q->gap > 1 && n < len)
		n += (size_t)snprintf(buf + n, len - n, " gap %u", q->gap);
	n = pct_word(buf, len, n, "corrupt", q->corrupt);
	return n;
}

const char *qdisc_text(const struct st_qdisc *q, char *buf, size_t len)
{
	char t[32];
	size_t n = 0;

	buf[0] = '\0';
	switch (q->kind) {
	case QD_DEFAULT:
		snprintf(buf, len, "none");
		return buf;
	case QD_BLACKHOLE:
		snprintf(buf, len, "loss 100%% (blackhole)");
		return buf;
	case QD_OTHER:
		snprintf(buf, len, "qdisc %s %x:", q->kind_name, q->handle >> 16);
		return buf;
	case QD_NETEM:
		n = netem_text(buf, len, q);
		break;
	case QD_TBF:
		break;
	}
	if (q->rate && n < len) {
		rate_text(t, sizeof(t), q->rate);
		n += (size_t)snprintf(buf + n, len - n, " rate %s", t);
	}
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, " limit %u%s", q->limit,
				      q->kind == QD_TBF ? " bytes" : "");
	if (n < len && q->handle && (q->handle >> 16 < QDISC_MAJOR ||
				      q->handle >> 16 > QDISC_MAJOR + QDISC_SLOT_BLACKHOLE))
		snprintf(buf + n, len - n, " (set by hand: %s %x:)", q->kind_name, q->handle >> 16);
	/* drop the leading space */
	memmove(buf, buf + (buf[0] == ' '), strlen(buf) + 1 - (buf[0] == ' '));
	return buf;
}

/* ", KEY: P%" with as many decimals as give V back exactly (9 do; fewer read better) */
static size_t pct_yaml(char *buf, size_t len, size_t n, const char *key, uint32_t v)
{
	char t[32];
	int prec;

	if (!v || n >= len)
		return n;
	for (prec = 0; prec < 9; prec++) {
		snprintf(t, sizeof(t), "%.*f", prec, qdisc_pct(v));
		if (pct_to_u32(strtod(t, NULL)) == v)
			break;
	}
	snprintf(t, sizeof(t), "%.*f", prec, qdisc_pct(v));
	return n + (size_t)snprintf(buf + n, len - n, ", %s: %s%%", key, t);
}

static size_t duration_yaml(char *buf, size_t len, size_t n, const char *key, uint64_t ns)
{
	uint64_t us = ns / 1000;

	if (!us || n >= len)
		return n;
	if (us % 1000 == 0)
		return n + (size_t)snprintf(buf + n, len - n, ", %s: %" PRIu64 "ms", key, us / 1000);
	return n + (size_t)snprintf(buf + n, len - n, ", %s: %" PRIu64 "us", key, us);
}

int qdisc_impair_yaml(const struct st_qdisc *q, uint32_t mtu, char *buf, size_t len)
{
	static const struct { const char *unit; uint64_t mult; } units[] = {
		{ "gbit", 1000000000 }, { "mbit", 1000000 }, { "kbit", 1000 }, { "bit", 1 },
	};
	uint64_t bps = q->rate * 8;
	size_t n = 0, i;

	buf[0] = '\0';
	if (q->kind == QD_BLACKHOLE) {
		snprintf(buf, len, "{ loss: 100%% }");
		return 0;
	}
	if (q->kind != QD_NETEM && q->kind != QD_TBF)
		return -EINVAL;
	if (q->kind == QD_TBF && (!mtu || q->limit % (mtu + 14)))
		return -EINVAL;	/* a byte queue that is no whole number of frames */
	if (q->kind == QD_NETEM) {
		n = duration_yaml(buf, len, n, "delay", q->delay_ns);
		n = duration_yaml(buf, len, n, "jitter", q->jitter_ns);
		if (q->jitter_ns >= 1000 && q->dist && q->dist < DIST_N && n < len)
			n += (size_t)snprintf(buf + n, len - n, ", distribution: %s",
					      impair_dist_name(q->dist));
		n = pct_yaml(buf, len, n, "loss", q->loss);
		if (q->loss)
			n = pct_yaml(buf, len, n, "loss_correlation", q->loss_corr);
		n = pct_yaml(buf, len, n, "duplicate", q->duplicate);
		if (q->delay_ns >= 1000) {
			n = pct_yaml(buf, len, n, "reorder", q->reorder);
			if (q->reorder && q->gap > 1 && n < len)
				n += (size_t)snprintf(buf + n, len - n, ", gap: %u", q->gap);
		}
		n = pct_yaml(buf, len, n, "corrupt", q->corrupt);
	}
	for (i = 0; bps && i < ARRAY_SIZE(units); i++)
		if (bps % units[i].mult == 0) {
			if (n < len)
				n += (size_t)snprintf(buf + n, len - n, ", rate: %" PRIu64 "%s",
						      bps / units[i].mult, units[i].unit);
			break;
		}
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, ", limit: %u",
				      q->kind == QD_TBF ? q->limit / (mtu + 14) : q->limit);
	if (n + 4 >= len)
		return -ENOSPC;
	buf[0] = '{';	/* the first ", " becomes "{ " */
	snprintf(buf + n, len - n, " }");
	return 0;
}

int qdisc_dist_load(unsigned d, int16_t **table, size_t *n, char *path, size_t len)
{
	static const char *const names[] = { NULL, "normal", "pareto", "paretonormal" };
	static const char *const dirs[] = { "/usr/lib/x86_64-linux-gnu/tc", "/usr/lib/tc",
					    "/usr/lib64/tc", "/usr/share/tc", "/lib/tc" };
	const char *env = getenv("TC_LIB_DIR");
	FILE *f = NULL;
	size_t i;
	long v;
	int c;

	*table = NULL;
	*n = 0;
	if (d == 0 || d >= ARRAY_SIZE(names))
		return -EINVAL;
	for (i = 0; !f && i < ARRAY_SIZE(dirs) + 1; i++) {
		const char *dir = i == 0 ? env : dirs[i - 1];

		if (!dir)
			continue;
		snprintf(path, len, "%s/%s.dist", dir, names[d]);
		f = fopen(path, "re");
	}
	if (!f)
		return -ENOENT;
	/* iproute2's format: '#' comment lines, then whitespace-separated numbers */
	while ((c = fgetc(f)) != EOF) {
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == '#') {
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			continue;
		}
		ungetc(c, f);
		if (fscanf(f, "%ld", &v) != 1)
			break;
		if (v < INT16_MIN || v > INT16_MAX || *n >= 65536) {
			free(*table);
			*table = NULL;
			fclose(f);
			return -EINVAL;
		}
		*VEC_APPEND(table, n) = (int16_t)v;
	}
	fclose(f);
	return *n ? 0 : -EINVAL;
}
