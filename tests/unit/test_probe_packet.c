// SPDX-License-Identifier: MIT
/*
 * A probe's packets and its verdict: the payload that `size` makes, the
 * bytes on the wire per family, and how a finished attempt is judged against
 * loss and the RTT bounds (min_rtt beside max_rtt), with the reason a
 * silent DF probe gives.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "probe_int.h"

static struct probe_spec spec(void)
{
	return (struct probe_spec){ .count = 4, .expect_reachable = true, .max_loss = -1,
				    .interval_us = PROBE_INTERVAL_DEFAULT_US };
}

static void test_sizes(void **state)
{
	struct probe_spec sp = spec();

	assert_int_equal(probe_payload_len(&sp), 16);
	assert_int_equal(probe_packet_len(&sp, AF_INET), 20 + 8 + 16);
	sp.size = 1472;	/* the largest ICMP payload in one 1500-byte IPv4 packet */
	assert_int_equal(probe_payload_len(&sp), 1472);
	assert_int_equal(probe_packet_len(&sp, AF_INET), 1500);
	assert_int_equal(probe_packet_len(&sp, AF_INET6), 1520);
	sp.size = PROBE_SIZE_MAX_V4;
	assert_int_equal(probe_packet_len(&sp, AF_INET), 65535);
	sp.size = PROBE_SIZE_MAX_V6;
	assert_int_equal(probe_packet_len(&sp, AF_INET6) - 40, 65535);
}

static void test_payload_fill(void **state)
{
	const uint8_t cookie[PROBE_COOKIE_LEN] = "cookie42";
	uint8_t buf[100];
	uint32_t token = 0x01020304;

	memset(buf, 0xee, sizeof(buf));
	probe_payload_fill(buf, 40, cookie, token);
	assert_memory_equal(buf, cookie, 8);
	assert_memory_equal(buf + 8, &token, 4);
	for (int i = 12; i < 40; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(buf[40], 0xee);	/* nothing past LEN */
}

static struct probe_result got(uint32_t received, uint64_t min, uint64_t max)
{
	return (struct probe_result){ .tg.family = AF_INET, .received = received,
				      .rtt_min_us = min, .rtt_max_us = max };
}

static void test_judge_rtt_bounds(void **state)
{
	struct probe_spec sp = spec();
	struct probe_result r = got(4, 2000, 8000);

	assert_true(probe_judge(&sp, &r, 16000));
	assert_int_equal(r.sent, 4);
	assert_int_equal(r.rtt_avg_us, 4000);
	assert_true(r.loss == 0.0);

	sp.min_rtt_us = 2000;	/* the fastest equal to the bound passes */
	r = got(4, 2000, 8000);
	assert_true(probe_judge(&sp, &r, 16000));
	sp.min_rtt_us = 2001;
	r = got(4, 2000, 8000);
	assert_false(probe_judge(&sp, &r, 16000));
	assert_string_equal(r.reason, "rtt 2.000 ms under min_rtt 2.001 ms");

	sp.min_rtt_us = 0;
	sp.max_rtt_us = 7999;
	r = got(4, 2000, 8000);
	assert_false(probe_judge(&sp, &r, 16000));
	assert_string_equal(r.reason, "rtt 8.000 ms over max_rtt 7.999 ms");
}

static void test_judge_loss_and_silence(void **state)
{
	struct probe_spec sp = spec();
	struct probe_result r = got(3, 1000, 1000);

	sp.max_loss = 20;
	assert_false(probe_judge(&sp, &r, 3000));
	assert_true(r.loss == 25.0);
	assert_string_equal(r.reason, "loss 25.0% over max_loss 20%");

	r = got(0, 0, 0);
	assert_false(probe_judge(&sp, &r, 0));
	assert_false(r.reached);
	assert_string_equal(r.reason, "timeout");

	/* A big DF probe that hears nothing says what that suggests. */
	sp.size = 1472;
	sp.df = true;
	r = got(0, 0, 0);
	assert_false(probe_judge(&sp, &r, 0));
	assert_string_equal(r.reason, "timeout: no reply to 1500-byte packets sent with DF "
				      "(a smaller MTU on the path, its ICMP errors lost?)");

	/* An exchange's own reason (EMSGSIZE, an ICMP error) stays. */
	r = got(0, 0, 0);
	strcpy(r.reason, "ICMP fragmentation needed (code 4, mtu 1400) from 10.0.1.1");
	assert_false(probe_judge(&sp, &r, 0));
	assert_string_equal(r.reason, "ICMP fragmentation needed (code 4, mtu 1400) from 10.0.1.1");

	sp.expect_reachable = false;
	r = got(0, 0, 0);
	assert_true(probe_judge(&sp, &r, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_payload_fill),
		cmocka_unit_test(test_judge_rtt_bounds),
		cmocka_unit_test(test_judge_loss_and_silence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
