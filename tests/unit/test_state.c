// SPDX-License-Identifier: MIT
/* state.c: the text of routes and addresses, and what the kernel adds by itself. */

#include <linux/if_addr.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "state.h"
#include "util.h"

static struct st_route route(const char *dst, const char *gw, const char *dev)
{
	struct st_route r = {0};
	struct cidr c;
	int family;

	assert_int_equal(cidr_parse(dst, &c), 0);
	r.family = c.family;
	r.dst_len = c.plen;
	memcpy(r.dst, c.addr, sizeof(r.dst));
	if (gw) {
		assert_int_equal(ip_parse(gw, &family, r.gw), 0);
		r.has_gw = true;
	}
	snprintf(r.dev, sizeof(r.dev), "%s", dev ? dev : "");
	r.metric = route_metric_default(r.family);
	return r;
}

static struct st_addr addr(const char *s)
{
	struct st_addr a = {0};
	struct cidr c;

	assert_int_equal(cidr_parse(s, &c), 0);
	a.family = c.family;
	a.plen = (uint8_t)c.plen;
	memcpy(a.addr, c.addr, sizeof(a.addr));
	return a;
}

static void test_route_fmt(void **unused)
{
	char buf[256];
	struct st_route r;

	assert_int_equal(route_metric_default(AF_INET), 0);
	assert_int_equal(route_metric_default(AF_INET6), 1024);
	r = route("0.0.0.0/0", "10.0.1.1", NULL);
	assert_string_equal(st_route_fmt(&r, buf, sizeof(buf)), "default via 10.0.1.1");
	assert_string_equal(st_route_dst_fmt(&r, buf, sizeof(buf)), "default");
	r = route("::/0", NULL, NULL);
	assert_string_equal(st_route_dst_fmt(&r, buf, sizeof(buf)), "default");
	r = route("2001:db8::/48", NULL, NULL);
	assert_string_equal(st_route_dst_fmt(&r, buf, sizeof(buf)), "2001:db8::/48");
	r = route("10.9.0.0/24", NULL, "eth0");
	r.metric = 100;
	assert_string_equal(st_route_fmt(&r, buf, sizeof(buf)), "10.9.0.0/24 dev eth0 metric 100");
	/* 1024 is IPv6's default and not said; for IPv4 it is said */
	r = route("2001:db8::/64", "fe80::1", "eth1");
	assert_string_equal(st_route_fmt(&r, buf, sizeof(buf)),
			    "2001:db8::/64 via fe80::1 dev eth1");
	r = route("10.9.0.0/24", NULL, NULL);
	r.metric = 1024;
	assert_string_equal(st_route_fmt(&r, buf, sizeof(buf)), "10.9.0.0/24 metric 1024");
	/* a short buffer truncates, never overflows */
	r = route("10.9.0.0/24", "10.0.1.1", "eth0");
	assert_string_equal(st_route_fmt(&r, buf, 12), "10.9.0.0/24");
}

static void test_addr_fmt_and_kernels(void **unused)
{
	struct st_iface lo = {.kind = ST_LO}, eth = {.kind = ST_VETH};
	struct st_addr a;
	char buf[64];

	a = addr("2001:db8::1/64");
	assert_string_equal(st_addr_fmt(&a, buf, sizeof(buf)), "2001:db8::1/64");
	assert_false(st_addr_is_kernels(&a, &lo));
	/* loopback addresses are the kernel's only on lo */
	a = addr("127.0.0.1/8");
	assert_true(st_addr_is_kernels(&a, &lo));
	assert_false(st_addr_is_kernels(&a, &eth));
	a = addr("127.0.0.1/32");
	assert_false(st_addr_is_kernels(&a, &lo));
	a = addr("::1/128");
	assert_true(st_addr_is_kernels(&a, &lo));
	assert_false(st_addr_is_kernels(&a, &eth));
	a = addr("10.0.0.1/8");
	assert_false(st_addr_is_kernels(&a, &lo));
}

/* A link-local address is the kernel's only by its mark, or unmarked (a
 * kernel before 6.1) when it is the one the MAC gives. */
static void test_link_local_kernels(void **unused)
{
	struct st_iface eth = {.kind = ST_VETH, .has_mac = true,
			       .mac = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55}};
	struct st_addr a;

	a = addr("fe80::1/64");
	a.proto = TOPO_IFAPROT;
	assert_false(st_addr_is_kernels(&a, &eth));
	a.proto = IFAPROT_KERNEL_LL;
	assert_true(st_addr_is_kernels(&a, &eth));
	a.proto = IFAPROT_UNSPEC;	/* by hand, or topo's on an old kernel */
	assert_false(st_addr_is_kernels(&a, &eth));
	a = addr("fe80::11:22ff:fe33:4455/64");
	assert_true(st_addr_is_kernels(&a, &eth));
	a.plen = 128;
	assert_false(st_addr_is_kernels(&a, &eth));
	a = addr("fe80::11:22ff:fe33:4455/64");
	a.proto = TOPO_IFAPROT;
	assert_false(st_addr_is_kernels(&a, &eth));
	eth.has_mac = false;
	a.proto = IFAPROT_UNSPEC;
	assert_false(st_addr_is_kernels(&a, &eth));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_route_fmt),
	    cmocka_unit_test(test_addr_fmt_and_kernels),
	    cmocka_unit_test(test_link_local_kernels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
