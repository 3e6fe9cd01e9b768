// SPDX-License-Identifier: MIT
/* Impairments: the loader's impair map, the qdisc chosen, its netlink bytes, reading it back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "qdisc.h"
#include "topology.h"
#include "unit.h"

static struct topology *load(const char *impair_link, const char *impair_ep)
{
	char buf[1024];
	struct topology *t = NULL;
	struct diag d = { 0 };

	snprintf(buf, sizeof(buf),
		 "name: q\nnodes: { a: {}, b: {} }\nlinks:\n"
		 "  - endpoints:\n      - { node: a, iface: eth0%s%s }\n      - b:eth0\n%s%s\n",
		 impair_ep ? ", impair: " : "", impair_ep ? impair_ep : "",
		 impair_link ? "    impair: " : "", impair_link ? impair_link : "");
	assert_int_equal(topo_load_buf("q.yaml", buf, strlen(buf), &t, &d), 0);
	assert_int_equal(d.n_msgs, 0);
	diag_free(&d);
	return t;
}

/* the qdisc end A of the only link of T gets */
static void qdisc_of(const struct topology *t, int end, struct st_qdisc *q)
{
	struct impair im;

	qdisc_impair_merge(&t->links[0].impair, &t->links[0].ep[end].impair, &im);
	qdisc_from_impair(&im, 1500, q);
}

static void test_load_fields(void **state)
{
	struct topology *t = load("{ delay: 20ms, jitter: 2ms, distribution: pareto, loss: 0.5%, "
				  "loss_correlation: 25%, duplicate: 1%, reorder: 10%, gap: 5, "
				  "corrupt: 0.1%, rate: 10mbit, limit: 500 }", NULL);
	const struct impair *im = &t->links[0].impair;

	(void)state;
	assert_int_equal(im->given, (1 << 11) - 1);
	assert_int_equal(im->delay_us, 20000);
	assert_int_equal(im->jitter_us, 2000);
	assert_int_equal(im->dist, DIST_PARETO);
	assert_true(im->loss == 0.5 && im->loss_corr == 25 && im->duplicate == 1);
	assert_true(im->reorder == 10 && im->corrupt > 0.0999 && im->corrupt < 0.1001);
	assert_int_equal(im->gap, 5);
	assert_int_equal(im->rate_bps, 10000000);
	assert_int_equal(im->limit, 500);
	assert_int_equal(t->links[0].ep[0].impair.given, 0);
	topo_free(t);
}

static void test_kinds(void **state)
{
	struct topology *t;
	struct st_qdisc q;

	(void)state;
	t = load(NULL, NULL);
	qdisc_of(t, 0, &q);
	assert_int_equal(q.kind, QD_DEFAULT);
	topo_free(t);

	/* one-way cut: a blackhole on this end, nothing on the other */
	t = load(NULL, "{ loss: 100% }");
	qdisc_of(t, 0, &q);
	assert_int_equal(q.kind, QD_BLACKHOLE);
	assert_int_equal(q.handle, (QDISC_MAJOR + QDISC_SLOT_BLACKHOLE) << 16);
	assert_string_equal(q.kind_name, "blackhole");
	qdisc_of(t, 1, &q);
	assert_int_equal(q.kind, QD_DEFAULT);
	topo_free(t);

	t = load("{ rate: 10mbit }", NULL);
	qdisc_of(t, 1, &q);
	assert_int_equal(q.kind, QD_TBF);
	assert_int_equal(q.rate, 1250000);
	assert_int_equal(q.limit, 100 * 1514);	/* 100 packets of MTU + header, in bytes */
	assert_int_equal(q.burst, 5000);	/* 4 ms at 10 Mbit/s */
	assert_int_equal(q.handle, (QDISC_MAJOR + QDISC_SLOT_TBF) << 16);
	topo_free(t);

	/* loss under 100%, or 100% with anything else, is netem */
	t = load("{ loss: 100%, delay: 1ms }", NULL);
	qdisc_of(t, 0, &q);
	assert_int_equal(q.kind, QD_NETEM);
	assert_int_equal(q.loss, UINT32_MAX);
	topo_free(t);

	t = load("{ delay: 20ms, jitter: 2ms, distribution: normal }", NULL);
	qdisc_of(t, 0, &q);
	assert_int_equal(q.kind, QD_NETEM);
	assert_int_equal(q.delay_ns, 20000000);
	assert_int_equal(q.handle, (QDISC_MAJOR + DIST_NORMAL) << 16);
	topo_free(t);
}

static void test_merge(void **state)
{
	struct topology *t = load("{ delay: 20ms, loss: 1% }", "{ loss: 5%, rate: 1mbit }");
	struct st_qdisc a, b;

	(void)state;
	qdisc_of(t, 0, &a);
	qdisc_of(t, 1, &b);
	assert_int_equal(a.delay_ns, 20000000);
	assert_int_equal(b.delay_ns, 20000000);
	assert_int_equal(a.loss, (uint32_t)(0.05 * UINT32_MAX + 0.5));
	assert_int_equal(b.loss, (uint32_t)(0.01 * UINT32_MAX + 0.5));
	assert_int_equal(a.rate, 125000);
	assert_int_equal(b.rate, 0);
	topo_free(t);
}

static void test_default_limit(void **state)
{
	(void)state;
	/* 20 ms at the 10 Gbit/s line rate: 2 x 1.25e9 B/s x 21 ms / 1500 */
	assert_int_equal(qdisc_default_limit(0, 20000, 0, 1500), 35000);
	/* small products get the floor of 100, never netem's 1000 */
	assert_int_equal(qdisc_default_limit(10000000, 20000, 0, 1500), 100);
	assert_int_equal(qdisc_default_limit(1000000000, 50000, 10000, 9000), 1695);
}

/* ---- the bytes of RTM_NEWQDISC's attributes, written out by hand ---- */

struct bytes {
	unsigned char b[512];
	size_t n;
};

static void raw(struct bytes *x, const void *p, size_t len)
{
	memcpy(x->b + x->n, p, len);
	x->n += len;
	while (x->n % 4)
		x->b[x->n++] = 0;
}

static void attr(struct bytes *x, uint16_t type, const void *p, uint16_t len)
{
	uint16_t hdr[2] = { (uint16_t)(4 + len), type };

	raw(x, hdr, 4);
	raw(x, p, len);
}

static size_t put(const struct st_qdisc *q, unsigned char *out)
{
	char buf[4096];
	struct nlmsghdr *nlh;

	/* libmnl before 1.0.5 leaves an attribute's padding as it finds it */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	qdisc_put(nlh, q, NULL, 0);
	memcpy(out, (char *)nlh + MNL_NLMSG_HDRLEN, nlh->nlmsg_len - MNL_NLMSG_HDRLEN);
	return nlh->nlmsg_len - MNL_NLMSG_HDRLEN;
}

static void test_netem_bytes(void **state)
{
	struct st_qdisc q = { .kind = QD_NETEM, .kind_name = "netem", .delay_ns = 20000000,
			      .jitter_ns = 2000000, .loss = 0x01000000, .loss_corr = 7,
			      .duplicate = 9, .reorder = 11, .gap = 3, .corrupt = 13,
			      .rate = 1250000, .limit = 100 };
	struct tc_netem_qopt o = { .latency = 20000000 >> 6, .limit = 100, .loss = 0x01000000,
				   .gap = 3, .duplicate = 9, .jitter = 2000000 >> 6 };
	struct tc_netem_corr corr = { 0, 7, 0 };
	struct tc_netem_reorder ro = { 11, 0 };
	struct tc_netem_corrupt co = { 13, 0 };
	struct tc_netem_rate rate = { .rate = 1250000 };
	int64_t lat = 20000000, jit = 2000000;
	struct bytes want = { 0 };
	unsigned char got[512];
	uint16_t hdr[2];
	size_t n, opts;

	(void)state;
	attr(&want, TCA_KIND, "netem", 6);
	opts = want.n;
	hdr[1] = TCA_OPTIONS;
	raw(&want, hdr, 4);	/* length filled in below */
	raw(&want, &o, sizeof(o));
	attr(&want, TCA_NETEM_CORR, &corr, sizeof(corr));
	attr(&want, TCA_NETEM_REORDER, &ro, sizeof(ro));
	attr(&want, TCA_NETEM_CORRUPT, &co, sizeof(co));
	attr(&want, TCA_NETEM_RATE, &rate, sizeof(rate));
	attr(&want, TCA_NETEM_LATENCY64, &lat, 8);
	attr(&want, TCA_NETEM_JITTER64, &jit, 8);
	hdr[0] = (uint16_t)(want.n - opts);
	memcpy(want.b + opts, hdr, 4);
	n = put(&q, got);
	assert_int_equal(n, want.n);
	assert_memory_equal(got, want.b, n);
}

/* The delay table and a rate over 32 bits: their own attributes. */
static void test_netem_dist_rate64_bytes(void **state)
{
	static const int16_t dist[3] = { -32768, 5, 32767 };
	struct st_qdisc q = { .kind = QD_NETEM, .kind_name = "netem", .delay_ns = 1000000,
			      .jitter_ns = 100000, .dist = DIST_NORMAL,
			      .rate = 5000000000ULL, .limit = 100 };
	char buf[4096];
	struct nlmsghdr *nlh;
	const struct nlattr *opts = NULL, *a;
	const unsigned char *p;
	uint64_t r64 = 0;
	bool seen_dist = false;
	const struct tc_netem_rate *rate = NULL;

	(void)state;
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	qdisc_put(nlh, &q, dist, 3);
	mnl_attr_for_each(a, nlh, 0)
		if (mnl_attr_get_type(a) == TCA_OPTIONS)
			opts = a;
	assert_non_null(opts);
	/* past the struct: the attributes */
	for (a = (const struct nlattr *)((const char *)mnl_attr_get_payload(opts) + 24);
	     (const char *)a < (const char *)opts + opts->nla_len; a = mnl_attr_next(a)) {
		p = mnl_attr_get_payload(a);
		if (mnl_attr_get_type(a) == TCA_NETEM_DELAY_DIST) {
			assert_int_equal(a->nla_len, 4 + 6);
			assert_memory_equal(p, dist, 6);
			seen_dist = true;
		} else if (mnl_attr_get_type(a) == TCA_NETEM_RATE64) {
			assert_int_equal(a->nla_len, 4 + 8);
			memcpy(&r64, p, 8);
		} else if (mnl_attr_get_type(a) == TCA_NETEM_RATE) {
			rate = (const void *)p;
		}
	}
	assert_true(seen_dist);
	assert_int_equal(r64, 5000000000ULL);
	assert_non_null(rate);
	assert_int_equal(rate->rate, UINT32_MAX);	/* the kernel then reads RATE64 */
}

static void test_tbf_bytes(void **state)
{
	struct st_qdisc q = { .kind = QD_TBF, .kind_name = "tbf", .rate = 1250000,
			      .limit = 151400, .burst = 5000 };
	struct tc_tbf_qopt o = { 0 };
	struct bytes want = { 0 }, nest = { 0 };
	unsigned char got[512];
	uint32_t burst = 5000;

	(void)state;
	o.rate.rate = 1250000;
	o.rate.linklayer = TC_LINKLAYER_ETHERNET;
	o.limit = 151400;
	o.buffer = (uint32_t)((5000ULL * 1000000000ULL / 1250000) >> 6);	/* 4 ms in ticks */
	attr(&nest, TCA_TBF_PARMS, &o, sizeof(o));
	attr(&nest, TCA_TBF_BURST, &burst, 4);
	attr(&want, TCA_KIND, "tbf", 4);
	attr(&want, TCA_OPTIONS | NLA_F_NESTED, nest.b, (uint16_t)nest.n);
	assert_int_equal(put(&q, got), want.n);
	assert_memory_equal(got, want.b, want.n);
}

/* Q as the kernel would dump it: an RTM_NEWQDISC of root qdisc HANDLE on ifindex 3. */
static int reparse(const struct st_qdisc *q, uint32_t handle, uint32_t parent, struct st_qdisc *out)
{
	static char buf[16384];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct tcmsg *tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	int ifindex = 0, r;

	nlh->nlmsg_type = RTM_NEWQDISC;
	tcm->tcm_ifindex = 3;
	tcm->tcm_handle = handle;
	tcm->tcm_parent = parent;
	qdisc_put(nlh, q, NULL, 0);
	r = qdisc_parse(nlh, out, &ifindex);
	if (r > 0)
		assert_int_equal(ifindex, 3);
	return r;
}

static void test_parse_round_trip(void **state)
{
	struct topology *t = load("{ delay: 20ms, jitter: 2ms, distribution: normal, loss: 0.5%, "
				  "loss_correlation: 25%, reorder: 10%, gap: 4, corrupt: 1%, "
				  "rate: 10mbit }", NULL);
	struct st_qdisc want, got;
	char text[256];

	(void)state;
	qdisc_of(t, 0, &want);
	assert_int_equal(reparse(&want, want.handle, TC_H_ROOT, &got), 1);
	assert_true(qdisc_eq(&want, &got));
	assert_int_equal(got.dist, DIST_NORMAL);
	assert_string_equal(qdisc_text(&got, text, sizeof(text)),
			    "delay 20ms jitter 2ms distribution normal loss 0.5% loss_correlation 25% "
			    "reorder 10% gap 4 corrupt 1% rate 10mbit limit 100");
	/* the same figures under someone else's handle: not topo's */
	assert_int_equal(reparse(&want, 0x80010000, TC_H_ROOT, &got), 1);
	assert_false(qdisc_eq(&want, &got));
	assert_non_null(strstr(qdisc_text(&got, text, sizeof(text)), "(set by hand: netem 8001:)"));
	/* one figure off */
	want.delay_ns++;
	assert_int_equal(reparse(&want, want.handle, TC_H_ROOT, &got), 1);
	want.delay_ns--;
	assert_false(qdisc_eq(&want, &got));
	/* a child qdisc is not the interface's */
	assert_int_equal(reparse(&want, 0x10000, 0x70000001, &got), 0);
	topo_free(t);

	t = load("{ rate: 10mbit }", NULL);
	qdisc_of(t, 0, &want);
	assert_int_equal(reparse(&want, want.handle, TC_H_ROOT, &got), 1);
	assert_true(qdisc_eq(&want, &got));
	/* a handle 0 root qdisc is the kernel's default, whatever its kind */
	assert_int_equal(reparse(&want, 0, TC_H_ROOT, &got), 1);
	assert_int_equal(got.kind, QD_DEFAULT);
	topo_free(t);
}

/* Q written as an impair: map and loaded again makes Q again. */
static void yaml_round_trip(const struct st_qdisc *q, const char *want_text)
{
	struct topology *t;
	struct st_qdisc back;
	char yaml[512];

	assert_int_equal(qdisc_impair_yaml(q, 1500, yaml, sizeof(yaml)), 0);
	if (want_text)
		assert_string_equal(yaml, want_text);
	t = load(yaml, NULL);
	qdisc_of(t, 0, &back);
	back.handle = q->handle;	/* a hand-set one's number is not the point here */
	assert_true(qdisc_eq(&back, q));
	topo_free(t);
}

static void test_impair_yaml(void **state)
{
	struct topology *t = load("{ delay: 20ms, jitter: 250us, distribution: paretonormal, "
				  "loss: 0.5%, loss_correlation: 25%, reorder: 10%, gap: 3, "
				  "rate: 1500kbit }", NULL);
	struct st_qdisc q;
	char yaml[512];

	(void)state;
	qdisc_of(t, 0, &q);
	yaml_round_trip(&q, "{ delay: 20ms, jitter: 250us, distribution: paretonormal, loss: 0.5%, "
			    "loss_correlation: 25%, reorder: 10%, gap: 3, rate: 1500kbit, limit: 100 }");
	topo_free(t);
	t = load("{ rate: 10mbit }", NULL);
	qdisc_of(t, 0, &q);
	yaml_round_trip(&q, "{ rate: 10mbit, limit: 100 }");
	topo_free(t);
	t = load(NULL, "{ loss: 100% }");
	qdisc_of(t, 0, &q);
	yaml_round_trip(&q, "{ loss: 100% }");
	topo_free(t);
	/* a probability tc chose: every one of its 32 bits comes back */
	memset(&q, 0, sizeof(q));
	q.kind = QD_NETEM;
	snprintf(q.kind_name, sizeof(q.kind_name), "netem");
	q.delay_ns = 5000000;
	q.loss = 12884902;	/* tc's 0.3% */
	q.duplicate = 1;	/* the least there is */
	q.limit = 1000;
	q.handle = 0x80010000;
	yaml_round_trip(&q, NULL);
	/* what no impair: makes */
	q.kind = QD_OTHER;
	assert_int_equal(qdisc_impair_yaml(&q, 1500, yaml, sizeof(yaml)), -EINVAL);
	q.kind = QD_TBF;
	q.rate = 1000;
	q.limit = 1000;	/* bytes: not whole frames of 1514 */
	assert_int_equal(qdisc_impair_yaml(&q, 1500, yaml, sizeof(yaml)), -EINVAL);
}

static void test_dist_load(void **state)
{
	char dir[] = "/tmp/topo-dist.XXXXXX", path[512], file[600];
	int16_t *tab = NULL;
	size_t n = 0;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/pareto.dist", dir);
	f = fopen(file, "w");
	fprintf(f, "# a comment\n -32768 -5 0\n7 32767\n");
	fclose(f);
	setenv("TC_LIB_DIR", dir, 1);
	assert_int_equal(qdisc_dist_load(DIST_PARETO, &tab, &n, path, sizeof(path)), 0);
	assert_int_equal(n, 5);
	assert_int_equal(tab[0], -32768);
	assert_int_equal(tab[4], 32767);
	free(tab);
	f = fopen(file, "w");
	fprintf(f, "1 40000\n");	/* not an s16 */
	fclose(f);
	assert_int_equal(qdisc_dist_load(DIST_PARETO, &tab, &n, path, sizeof(path)), -EINVAL);
	unlink(file);
	rmdir(dir);
	unsetenv("TC_LIB_DIR");
	assert_int_equal(qdisc_dist_load(DIST_UNIFORM, &tab, &n, path, sizeof(path)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_fields),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_default_limit),
		cmocka_unit_test(test_netem_bytes),
		cmocka_unit_test(test_netem_dist_rate64_bytes),
		cmocka_unit_test(test_tbf_bytes),
		cmocka_unit_test(test_parse_round_trip),
		cmocka_unit_test(test_impair_yaml),
		cmocka_unit_test(test_dist_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
