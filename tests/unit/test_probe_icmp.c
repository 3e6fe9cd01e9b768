// SPDX-License-Identifier: MIT
/*
 * The prober's ICMP on the wire: echo requests it builds, what packets read
 * back on a raw socket say about an echo (replies, errors quoting one, and
 * packets that are neither or are cut short), and ICMP errors in words.
 */

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "probe_int.h"

static const uint8_t data[16] = "cookie42tok0pad";

/* The one's complement sum of B: 0xffff over a packet whose checksum is right. */
static uint16_t ones_sum(const uint8_t *b, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* An IPv4 header (no options) from SRC to DST carrying PROTO, at B. */
static void ip4_header(uint8_t *b, uint8_t proto, const char *src, const char *dst)
{
	memset(b, 0, 20);
	b[0] = 0x45;
	b[8] = 64;
	b[9] = proto;
	inet_pton(AF_INET, src, b + 12);
	inet_pton(AF_INET, dst, b + 16);
}

static void test_echo_request(void **state)
{
	uint8_t pkt[8 + sizeof(data)];

	probe_icmp_echo(pkt, AF_INET, 0x1234, 0xabcd, data, sizeof(data));
	assert_int_equal(pkt[0], 8);	/* echo request */
	assert_int_equal(pkt[1], 0);
	assert_int_equal(pkt[4] << 8 | pkt[5], 0x1234);
	assert_int_equal(pkt[6] << 8 | pkt[7], 0xabcd);
	assert_memory_equal(pkt + 8, data, sizeof(data));
	assert_int_equal(ones_sum(pkt, sizeof(pkt)), 0xffff);

	memset(pkt, 0xee, sizeof(pkt));
	probe_icmp_echo(pkt, AF_INET6, 7, 9, data, sizeof(data));
	assert_int_equal(pkt[0], 128);
	assert_int_equal(pkt[2] | pkt[3], 0);	/* left to the kernel */
	assert_int_equal(pkt[5], 7);
	assert_int_equal(pkt[7], 9);
}

static void test_parse4_reply(void **state)
{
	uint8_t pkt[20 + 8 + sizeof(data)], want[16] = { 0 };
	struct probe_echo_msg m;

	ip4_header(pkt, IPPROTO_ICMP, "10.0.2.2", "10.0.1.2");
	probe_icmp_echo(pkt + 20, AF_INET, 0x1234, 0xabcd, data, sizeof(data));
	pkt[20] = 0;	/* echo reply */
	assert_int_equal(probe_icmp_parse(AF_INET, pkt, sizeof(pkt), NULL, &m), PROBE_ECHO_REPLY);
	assert_int_equal(m.id, 0x1234);
	assert_int_equal(m.seq, 0xabcd);
	assert_ptr_equal(m.data, pkt + 28);
	assert_int_equal(m.len, sizeof(data));
	inet_pton(AF_INET, "10.0.2.2", want);
	assert_memory_equal(m.peer, want, 16);

	/* Cut short, or not IPv4: nothing. */
	assert_int_equal(probe_icmp_parse(AF_INET, pkt, 27, NULL, &m), PROBE_ECHO_NONE);
	assert_int_equal(probe_icmp_parse(AF_INET, pkt, 19, NULL, &m), PROBE_ECHO_NONE);
	pkt[0] = 0x65;
	assert_int_equal(probe_icmp_parse(AF_INET, pkt, sizeof(pkt), NULL, &m), PROBE_ECHO_NONE);
}

static void test_parse4_error(void **state)
{
	/* Router 10.0.1.1 tells 10.0.1.2 that its echo to 10.0.9.1 has no route. */
	uint8_t pkt[20 + 8 + 20 + 8], from[16] = { 0 }, peer[16] = { 0 };
	struct probe_echo_msg m;

	ip4_header(pkt, IPPROTO_ICMP, "10.0.1.1", "10.0.1.2");
	memset(pkt + 20, 0, 8);
	pkt[20] = 3;	/* destination unreachable */
	pkt[21] = 0;	/* network */
	ip4_header(pkt + 28, IPPROTO_ICMP, "10.0.1.2", "10.0.9.1");
	probe_icmp_echo(pkt + 48, AF_INET, 0x0102, 0x0304, data, 0);
	assert_int_equal(probe_icmp_parse(AF_INET, pkt, sizeof(pkt), NULL, &m), PROBE_ECHO_ERROR);
	assert_int_equal(m.id, 0x0102);
	assert_int_equal(m.seq, 0x0304);
	assert_null(m.data);	/* an error carries no cookie to check */
	assert_int_equal(m.type, 3);
	assert_int_equal(m.code, 0);
	inet_pton(AF_INET, "10.0.1.1", from);
	inet_pton(AF_INET, "10.0.9.1", peer);
	assert_memory_equal(m.from, from, 16);
	assert_memory_equal(m.peer, peer, 16);

	/* The quote cut short, or of something that is not our echo: nothing. */
	assert_int_equal(probe_icmp_parse(AF_INET, pkt, sizeof(pkt) - 1, NULL, &m),
			 PROBE_ECHO_NONE);
	pkt[48] = 0;	/* a quoted echo reply, not a request */
	assert_int_equal(probe_icmp_parse(AF_INET, pkt, sizeof(pkt), NULL, &m), PROBE_ECHO_NONE);
	pkt[48] = 8;
	pkt[28 + 9] = IPPROTO_UDP;
	assert_int_equal(probe_icmp_parse(AF_INET, pkt, sizeof(pkt), NULL, &m), PROBE_ECHO_NONE);
}

static void test_parse4_frag_needed(void **state)
{
	/* Router 10.0.1.1: the echo to 10.0.2.2 needs fragmenting, its next hop has MTU 1400. */
	uint8_t pkt[20 + 8 + 20 + 8];
	struct probe_echo_msg m;
	char buf[128];

	ip4_header(pkt, IPPROTO_ICMP, "10.0.1.1", "10.0.1.2");
	memset(pkt + 20, 0, 8);
	pkt[20] = 3;
	pkt[21] = 4;	/* fragmentation needed and DF set */
	pkt[26] = 1400 >> 8;
	pkt[27] = 1400 & 0xff;
	ip4_header(pkt + 28, IPPROTO_ICMP, "10.0.1.2", "10.0.2.2");
	probe_icmp_echo(pkt + 48, AF_INET, 1, 2, data, 0);
	assert_int_equal(probe_icmp_parse(AF_INET, pkt, sizeof(pkt), NULL, &m), PROBE_ECHO_ERROR);
	assert_int_equal(m.mtu, 1400);
	assert_string_equal(probe_icmp_error_text(AF_INET, m.type, m.code, m.mtu, m.from, buf,
						  sizeof(buf)),
			    "ICMP fragmentation needed (code 4, mtu 1400) from 10.0.1.1");
	/* Another unreachable code carries no MTU there. */
	pkt[21] = 1;
	assert_int_equal(probe_icmp_parse(AF_INET, pkt, sizeof(pkt), NULL, &m), PROBE_ECHO_ERROR);
	assert_int_equal(m.mtu, 0);
}

static void test_parse6(void **state)
{
	uint8_t pkt[8 + 40 + 8], from[16], peer[16];
	struct probe_echo_msg m;

	inet_pton(AF_INET6, "2001:db8:1::1", from);
	inet_pton(AF_INET6, "2001:db8:2::2", peer);
	probe_icmp_echo(pkt, AF_INET6, 0x1234, 0xabcd, data, 8);
	pkt[0] = 129;	/* echo reply */
	assert_int_equal(probe_icmp_parse(AF_INET6, pkt, 16, peer, &m), PROBE_ECHO_REPLY);
	assert_int_equal(m.id, 0x1234);
	assert_int_equal(m.seq, 0xabcd);
	assert_int_equal(m.len, 8);
	assert_memory_equal(m.peer, peer, 16);
	assert_int_equal(probe_icmp_parse(AF_INET6, pkt, 7, peer, &m), PROBE_ECHO_NONE);

	/* Packet too big, quoting our IPv6 header and echo. */
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 2;
	pkt[6] = 0x05;	/* mtu 1280 */
	pkt[8] = 0x60;
	pkt[8 + 6] = IPPROTO_ICMPV6;
	memcpy(pkt + 8 + 24, peer, 16);
	probe_icmp_echo(pkt + 48, AF_INET6, 5, 6, data, 0);
	assert_int_equal(probe_icmp_parse(AF_INET6, pkt, sizeof(pkt), from, &m), PROBE_ECHO_ERROR);
	assert_int_equal(m.type, 2);
	assert_int_equal(m.mtu, 1280);
	assert_int_equal(m.id, 5);
	assert_int_equal(m.seq, 6);
	assert_memory_equal(m.from, from, 16);
	assert_memory_equal(m.peer, peer, 16);
	assert_int_equal(probe_icmp_parse(AF_INET6, pkt, sizeof(pkt) - 1, from, &m),
			 PROBE_ECHO_NONE);
	pkt[8 + 6] = 0;	/* an extension header: not read */
	assert_int_equal(probe_icmp_parse(AF_INET6, pkt, sizeof(pkt), from, &m), PROBE_ECHO_NONE);
}

static void test_error_text(void **state)
{
	static const struct {
		int family, type, code;
		uint32_t mtu;
		const char *text;
	} cases[] = {
		{ AF_INET, 3, 0, 0, "ICMP network unreachable (code 0) from 10.0.1.1" },
		{ AF_INET, 3, 13, 0, "ICMP administratively prohibited (code 13) from 10.0.1.1" },
		{ AF_INET, 11, 0, 0, "ICMP time exceeded (code 0) from 10.0.1.1" },
		{ AF_INET, 12, 1, 0, "ICMP type 12 code 1 from 10.0.1.1" },
		{ AF_INET6, 1, 0, 0, "ICMPv6 no route to destination (code 0) from 2001:db8:1::1" },
		{ AF_INET6, 1, 6, 0, "ICMPv6 reject route to destination (code 6) from 2001:db8:1::1" },
		{ AF_INET6, 2, 0, 1280, "ICMPv6 packet too big (mtu 1280) from 2001:db8:1::1" },
		{ AF_INET6, 3, 1, 0, "ICMPv6 time exceeded (code 1) from 2001:db8:1::1" },
		{ AF_INET6, 4, 0, 0, "ICMPv6 type 4 code 0 from 2001:db8:1::1" },
	};
	uint8_t a4[16] = { 0 }, a6[16];
	char buf[128];

	inet_pton(AF_INET, "10.0.1.1", a4);
	inet_pton(AF_INET6, "2001:db8:1::1", a6);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(probe_icmp_error_text(cases[i].family, cases[i].type,
							  cases[i].code, cases[i].mtu,
							  cases[i].family == AF_INET ? a4 : a6,
							  buf, sizeof(buf)),
				    cases[i].text);
}

/* The prober's share of descriptors: a margin, then exchanges and namespaces halve the rest. */
static void test_fd_plan(void **state)
{
	size_t inflight = 256, budget = 0;

	probe_fd_plan(20000, 10, &inflight, &budget);	/* this machine's limit: all 256 */
	assert_int_equal(inflight, 256);
	assert_int_equal(budget, 20000 - 10 - 16 - 625 - 256);
	inflight = 256;
	probe_fd_plan(64, 5, &inflight, &budget);	/* ulimit -n 64 */
	assert_int_equal(inflight, 20);
	assert_int_equal(budget, 21);
	inflight = 256;
	probe_fd_plan(20, 10, &inflight, &budget);	/* nothing left: still 16 to share */
	assert_int_equal(inflight, 8);
	assert_int_equal(budget, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_request),
		cmocka_unit_test(test_parse4_reply),
		cmocka_unit_test(test_parse4_error),
		cmocka_unit_test(test_parse4_frag_needed),
		cmocka_unit_test(test_parse6),
		cmocka_unit_test(test_error_text),
		cmocka_unit_test(test_fd_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
