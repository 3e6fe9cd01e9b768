// SPDX-License-Identifier: MIT
/*
 * The helpers of util.c and diag.c: strict value parsers (what they accept
 * and, as much, what they refuse), formatting, the hash map, diagnostics.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "diag.h"
#include "topology.h"
#include "util.h"

static void test_ip_parse(void **state)
{
	uint8_t a[16];
	int family;

	assert_int_equal(ip_parse("10.0.1.2", &family, a), 0);
	assert_int_equal(family, AF_INET);
	assert_memory_equal(a, "\x0a\x00\x01\x02", 4);

	assert_int_equal(ip_parse("2001:db8::1", &family, a), 0);
	assert_int_equal(family, AF_INET6);
	assert_memory_equal(a, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);

	assert_int_equal(ip_parse("::ffff:10.0.0.1", &family, a), 0);
	assert_int_equal(family, AF_INET6);

	/* Strict: no short forms, no spaces, no leading zeros, no prefix. */
	assert_int_equal(ip_parse("10.0.1", &family, a), -EINVAL);
	assert_int_equal(ip_parse("10.0.1.300", &family, a), -EINVAL);
	assert_int_equal(ip_parse(" 10.0.1.2", &family, a), -EINVAL);
	assert_int_equal(ip_parse("10.0.1.02", &family, a), -EINVAL);
	assert_int_equal(ip_parse("10.0.1.2/24", &family, a), -EINVAL);
	assert_int_equal(ip_parse("2001:db8:::1", &family, a), -EINVAL);
	assert_int_equal(ip_parse("", &family, a), -EINVAL);
	assert_int_equal(ip_parse("h1", &family, a), -EINVAL);
}

static void test_cidr_parse(void **state)
{
	struct cidr c;
	char buf[64];

	assert_int_equal(cidr_parse("10.0.1.2/24", &c), 0);
	assert_int_equal(c.family, AF_INET);
	assert_int_equal(c.plen, 24);
	/* Host bits are kept: an interface address is not a network. */
	assert_string_equal(cidr_fmt(&c, buf, sizeof(buf)), "10.0.1.2/24");

	assert_int_equal(cidr_parse("10.0.1.2", &c), 0);
	assert_int_equal(c.plen, 32);
	assert_int_equal(cidr_parse("2001:db8::1", &c), 0);
	assert_int_equal(c.plen, 128);
	assert_int_equal(cidr_parse("2001:db8::1/64", &c), 0);
	assert_string_equal(cidr_fmt(&c, buf, sizeof(buf)), "2001:db8::1/64");
	assert_int_equal(cidr_parse("0.0.0.0/0", &c), 0);
	assert_int_equal(c.plen, 0);
	assert_int_equal(cidr_parse("::/0", &c), 0);
	assert_int_equal(c.family, AF_INET6);

	assert_int_equal(cidr_parse("10.0.0.1/33", &c), -EINVAL);
	assert_int_equal(cidr_parse("2001:db8::1/129", &c), -EINVAL);
	assert_int_equal(cidr_parse("10.0.0.1/", &c), -EINVAL);
	assert_int_equal(cidr_parse("10.0.0.1/-1", &c), -EINVAL);
	assert_int_equal(cidr_parse("10.0.0.1/+8", &c), -EINVAL);
	assert_int_equal(cidr_parse("10.0.0.1/8x", &c), -EINVAL);
	assert_int_equal(cidr_parse("10.0.0.1/24/1", &c), -EINVAL);
	assert_int_equal(cidr_parse("/24", &c), -EINVAL);
	assert_int_equal(cidr_parse("10.0.1.300/24", &c), -EINVAL);
	assert_int_equal(cidr_parse("10.0.0.1/0000000000024", &c), -EINVAL);
}

static void test_ip_fmt(void **state)
{
	uint8_t a[16] = { 0 };
	char buf[64];

	a[0] = 192;
	a[1] = 168;
	a[3] = 1;
	assert_string_equal(ip_fmt(AF_INET, a, buf, sizeof(buf)), "192.168.0.1");
	memset(a, 0, sizeof(a));
	a[15] = 1;
	assert_string_equal(ip_fmt(AF_INET6, a, buf, sizeof(buf)), "::1");
	assert_int_equal(addr_len(AF_INET), 4);
	assert_int_equal(addr_len(AF_INET6), 16);
}

static void test_prefix_contains(void **state)
{
	struct cidr net, in, out;

	assert_int_equal(cidr_parse("10.0.1.0/24", &net), 0);
	assert_int_equal(cidr_parse("10.0.1.254", &in), 0);
	assert_int_equal(cidr_parse("10.0.2.1", &out), 0);
	assert_true(prefix_contains(AF_INET, net.addr, 24, in.addr));
	assert_false(prefix_contains(AF_INET, net.addr, 24, out.addr));
	assert_true(prefix_contains(AF_INET, net.addr, 0, out.addr));
	/* A length that is not a multiple of 8. */
	assert_true(prefix_contains(AF_INET, net.addr, 23, out.addr) == false);
	assert_int_equal(cidr_parse("10.0.3.1", &out), 0);
	assert_false(prefix_contains(AF_INET, net.addr, 23, out.addr));
	assert_int_equal(cidr_parse("10.0.0.1", &out), 0);
	assert_true(prefix_contains(AF_INET, net.addr, 23, out.addr));
	assert_true(prefix_contains(AF_INET, in.addr, 32, in.addr));
	assert_false(prefix_contains(AF_INET, net.addr, 32, in.addr));
	assert_false(prefix_contains(AF_INET, net.addr, 33, in.addr));

	assert_int_equal(cidr_parse("2001:db8::/64", &net), 0);
	assert_int_equal(cidr_parse("2001:db8::ffff", &in), 0);
	assert_int_equal(cidr_parse("2001:db8:0:1::1", &out), 0);
	assert_true(prefix_contains(AF_INET6, net.addr, 64, in.addr));
	assert_false(prefix_contains(AF_INET6, net.addr, 64, out.addr));
	assert_true(prefix_contains(AF_INET6, net.addr, 63, out.addr));
}

static void test_link_local6(void **state)
{
	uint8_t a[16];
	int family;

	assert_int_equal(ip_parse("fe80::1", &family, a), 0);
	assert_true(ip_is_link_local6(a));
	assert_int_equal(ip_parse("febf:ffff::1", &family, a), 0);
	assert_true(ip_is_link_local6(a));
	/* the edges of fe80::/10 */
	assert_int_equal(ip_parse("fe7f::1", &family, a), 0);
	assert_false(ip_is_link_local6(a));
	assert_int_equal(ip_parse("fec0::1", &family, a), 0);
	assert_false(ip_is_link_local6(a));
	assert_int_equal(ip_parse("2001:db8::1", &family, a), 0);
	assert_false(ip_is_link_local6(a));
}

static void test_mac(void **state)
{
	uint8_t m[6];
	char buf[18];

	assert_int_equal(mac_parse("02:00:00:00:02:0A", m), 0);
	assert_memory_equal(m, "\x02\x00\x00\x00\x02\x0a", 6);
	assert_string_equal(mac_fmt(m, buf, sizeof(buf)), "02:00:00:00:02:0a");
	assert_int_equal(mac_parse("02:00:00:00:02", m), -EINVAL);
	assert_int_equal(mac_parse("02-00-00-00-02-0a", m), -EINVAL);
	assert_int_equal(mac_parse("02:00:00:00:02:0g", m), -EINVAL);
	assert_int_equal(mac_parse("02:00:00:00:02:0a:", m), -EINVAL);
	assert_int_equal(mac_parse("2:0:0:0:2:a", m), -EINVAL);
}

static void test_duration(void **state)
{
	uint64_t us;

	assert_int_equal(duration_parse("250us", &us), 0);
	assert_int_equal(us, 250);
	assert_int_equal(duration_parse("10ms", &us), 0);
	assert_int_equal(us, 10000);
	assert_int_equal(duration_parse("1.5s", &us), 0);
	assert_int_equal(us, 1500000);
	assert_int_equal(duration_parse(".5ms", &us), 0);
	assert_int_equal(us, 500);
	assert_int_equal(duration_parse("2m", &us), 0);
	assert_int_equal(us, 120000000);
	assert_int_equal(duration_parse("1h", &us), 0);
	assert_int_equal(us, 3600000000ULL);
	assert_int_equal(duration_parse("0s", &us), 0);
	assert_int_equal(us, 0);

	assert_int_equal(duration_parse("10", &us), -EINVAL);
	assert_int_equal(duration_parse("ms", &us), -EINVAL);
	assert_int_equal(duration_parse("-1s", &us), -EINVAL);
	assert_int_equal(duration_parse("1.s", &us), -EINVAL);
	assert_int_equal(duration_parse("1 s", &us), -EINVAL);
	assert_int_equal(duration_parse("1sec", &us), -EINVAL);
	assert_int_equal(duration_parse("1e3ms", &us), -EINVAL);
	assert_int_equal(duration_parse("99999999999999999999s", &us), -EINVAL);
	assert_int_equal(duration_parse("9999999999999h", &us), -EINVAL);
}

static void test_rate(void **state)
{
	uint64_t bps;

	assert_int_equal(rate_parse("800bit", &bps), 0);
	assert_int_equal(bps, 800);
	assert_int_equal(rate_parse("100kbit", &bps), 0);
	assert_int_equal(bps, 100000);
	assert_int_equal(rate_parse("10mbit", &bps), 0);
	assert_int_equal(bps, 10000000);
	assert_int_equal(rate_parse("1gbit", &bps), 0);
	assert_int_equal(bps, 1000000000);
	assert_int_equal(rate_parse("1.5Mbit", &bps), 0);
	assert_int_equal(bps, 1500000);
	assert_int_equal(rate_parse("100", &bps), -EINVAL);
	assert_int_equal(rate_parse("100kb", &bps), -EINVAL);
	assert_int_equal(rate_parse("-1kbit", &bps), -EINVAL);
	assert_int_equal(rate_parse("99999999999tbit", &bps), -EINVAL);
}

static void test_percent(void **state)
{
	double p;

	assert_int_equal(percent_parse("0.5%", &p), 0);
	assert_true(p > 0.4999 && p < 0.5001);
	assert_int_equal(percent_parse("0%", &p), 0);
	assert_true(p == 0.0);
	assert_int_equal(percent_parse("100%", &p), 0);
	assert_true(p == 100.0);
	assert_int_equal(percent_parse("100.1%", &p), -EINVAL);
	assert_int_equal(percent_parse("5", &p), -EINVAL);
	assert_int_equal(percent_parse("-1%", &p), -EINVAL);
	assert_int_equal(percent_parse("nan%", &p), -EINVAL);
	assert_int_equal(percent_parse("5 %", &p), -EINVAL);
}

static void test_names(void **state)
{
	assert_true(ifname_valid("eth0"));
	assert_true(ifname_valid("eth0.100"));
	assert_true(ifname_valid("abcdefghijklmno"));	/* 15 */
	assert_false(ifname_valid("abcdefghijklmnop"));	/* 16 */
	assert_false(ifname_valid(""));
	assert_false(ifname_valid("eth/0"));
	assert_false(ifname_valid("eth:0"));
	assert_false(ifname_valid("eth 0"));
	assert_false(ifname_valid("eth\t0"));
	assert_false(ifname_valid("."));
	assert_false(ifname_valid(".."));

	assert_true(name_valid("h1"));
	assert_true(name_valid("0lab_a-b"));
	assert_true(name_valid("abcdefghijklmnopqrstuvwxyz012345"));	/* 32 */
	assert_false(name_valid("abcdefghijklmnopqrstuvwxyz0123456"));	/* 33 */
	assert_false(name_valid(""));
	assert_false(name_valid("H1"));
	assert_false(name_valid("-h1"));
	assert_false(name_valid("_h1"));
	assert_false(name_valid("h.1"));
	assert_false(name_valid("h:1"));
}

static void test_hash_time_alloc(void **state)
{
	uint64_t t0, t1;
	char *s;

	/* The published FNV-1a test vectors. */
	assert_true(fnv1a64(FNV1A64_INIT, "", 0) == 0xcbf29ce484222325ULL);
	assert_true(fnv1a64(FNV1A64_INIT, "a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(fnv1a64(fnv1a64(FNV1A64_INIT, "fo", 2), "obar", 4) ==
		    fnv1a64(FNV1A64_INIT, "foobar", 6));

	t0 = now_us();
	t1 = now_us();
	assert_true(t0 > 0 && t1 >= t0);

	s = xasprintf("%s-%d", "lab", 7);
	assert_string_equal(s, "lab-7");
	free(s);
	s = xstrdup("x");
	assert_string_equal(s, "x");
	free(s);
}

static void test_strmap(void **state)
{
	struct strmap m = { 0 };
	char key[16];
	size_t v, i;

	assert_false(strmap_get(&m, "a", 1, &v));
	assert_true(strmap_put(&m, "a", 1, 7, NULL));
	assert_false(strmap_put(&m, "a", 1, 8, &v));
	assert_int_equal(v, 7);	/* the first value stays */
	assert_true(strmap_get(&m, "a", 1, &v));
	assert_int_equal(v, 7);
	/* Keys are bytes: an embedded NUL makes a different key. */
	assert_true(strmap_put(&m, "a\0b", 3, 9, NULL));
	assert_true(strmap_get(&m, "a\0b", 3, &v));
	assert_int_equal(v, 9);
	for (i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "n%zu", i);
		assert_true(strmap_put(&m, key, strlen(key), i, NULL));
	}
	for (i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "n%zu", i);
		assert_true(strmap_get(&m, key, strlen(key), &v));
		assert_int_equal(v, i);
	}
	assert_false(strmap_get(&m, "n10000", 6, NULL));
	assert_int_equal(m.n, 10002);
	strmap_free(&m);
	assert_false(strmap_get(&m, "a", 1, NULL));
	strmap_free(&m);	/* twice is fine */
}

static void test_distance_and_vec(void **state)
{
	int *v = NULL;
	size_t n = 0, i;

	assert_int_equal(str_distance("adresses", "addresses"), 1);
	assert_int_equal(str_distance("kind", "kind"), 0);
	assert_int_equal(str_distance("", "abc"), 3);
	assert_int_equal(str_distance("probes", "porbes"), 1);
	assert_int_equal(str_distance("gw", "to"), 2);
	assert_true(str_distance("x", "0123456789012345678901234567890123456789012345678901234567890123456789") ==
		    SIZE_MAX);

	for (i = 0; i < 1000; i++)
		*(int *)VEC_APPEND(&v, &n) = (int)i;
	assert_int_equal(n, 1000);
	for (i = 0; i < 1000; i++)
		assert_int_equal(v[i], (int)i);
	free(v);
}

static void test_diag(void **state)
{
	struct diag d = { .file = "lab.yaml" };
	char *s;

	diag_error(&d, ((struct pos){ 3, 7 }), "bad %s", "thing");
	diag_warn(&d, ((struct pos){ 1, 2 }), "careful");
	diag_add(&d, DIAG_NOTE, (struct pos){ 0, 0 }, "by the way");
	diag_error(&d, ((struct pos){ 3, 7 }), "second at the same place");
	assert_int_equal(d.n_msgs, 4);
	assert_int_equal(d.n_errors, 2);

	s = diag_format(&d, 0);
	assert_string_equal(s, "lab.yaml:3:7: error: bad thing");
	free(s);
	s = diag_format(&d, 1);
	assert_string_equal(s, "lab.yaml:1:2: warning: careful");
	free(s);
	s = diag_format(&d, 2);
	assert_string_equal(s, "lab.yaml: note: by the way");
	free(s);

	/* Sorting from 1 on leaves message 0 alone and keeps ties in order. */
	diag_sort(&d, 1);
	assert_string_equal(d.msgs[0].text, "bad thing");
	assert_string_equal(d.msgs[1].text, "by the way");
	assert_string_equal(d.msgs[2].text, "careful");
	assert_string_equal(d.msgs[3].text, "second at the same place");
	diag_sort(&d, 0);
	assert_string_equal(d.msgs[2].text, "bad thing");
	assert_string_equal(d.msgs[3].text, "second at the same place");

	diag_free(&d);
	assert_int_equal(d.n_msgs, 0);
	assert_int_equal(d.n_errors, 0);
	diag_free(&d);
	diag_free(NULL);

	d.file = NULL;
	diag_error(&d, ((struct pos){ 0, 0 }), "no file");
	s = diag_format(&d, 0);
	assert_string_equal(s, "topo: error: no file");
	free(s);
	diag_free(&d);
}

/* The edges of the duration and interface name rules (input validation issue). */
static void test_duration_edges_and_ifname_bytes(void **state)
{
	uint64_t us;

	/* Near 2^64: parsed exactly or refused, never wrapped (parse_fixed() stops
	 * a few short of UINT64_MAX, fixed_mul() at it). */
	assert_int_equal(duration_parse("18446744073709551609us", &us), 0);
	assert_true(us == 18446744073709551609ULL);
	assert_int_equal(duration_parse("18446744073709551616us", &us), -EINVAL);
	assert_int_equal(duration_parse("184467440737095516160us", &us), -EINVAL);
	assert_int_equal(duration_parse("5124095576h", &us), 0);
	assert_true(us == 5124095576ULL * 3600000000ULL);
	assert_int_equal(duration_parse("5124095577h", &us), -EINVAL);
	assert_int_equal(duration_parse("5124095576.1h", &us), -EINVAL);
	assert_int_equal(duration_parse("1.000000001h", &us), 0);
	assert_true(us == 3600000003ULL);	/* 3.6 us of the fraction, cut to whole us */

	/* Bytes, not characters: U+00E9 is two of them. */
	assert_true(ifname_valid("abcdefghijklmno"));
	assert_true(ifname_valid("caf\xc3\xa9-abcdefghi"));	/* 15 bytes */
	assert_false(ifname_valid("caf\xc3\xa9-abcdefghij"));	/* 16 bytes, 15 characters */
	/* '%' makes a template; byte 0xa0 is white space to the kernel ("\xc3\xa0" is U+00E0). */
	assert_false(ifname_valid("eth%d"));
	assert_false(ifname_valid("%"));
	assert_false(ifname_valid("e\xc3\xa0"));
	assert_true(ifname_valid("e\xc3\xa9"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_parse),
		cmocka_unit_test(test_cidr_parse),
		cmocka_unit_test(test_ip_fmt),
		cmocka_unit_test(test_prefix_contains),
		cmocka_unit_test(test_link_local6),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_hash_time_alloc),
		cmocka_unit_test(test_strmap),
		cmocka_unit_test(test_distance_and_vec),
		cmocka_unit_test(test_diag),
		cmocka_unit_test(test_duration_edges_and_ifname_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
