// SPDX-License-Identifier: MIT
/* What `up` expects of an impaired link, and its verdict on what it measured. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "impair_verify.h"
#include "unit.h"

static struct topology *lab(const char *links)
{
	char buf[2048];
	struct topology *t = NULL;
	struct diag d = { 0 };

	snprintf(buf, sizeof(buf), "name: v\nnodes: { a: {}, b: {}, c: {} }\nlinks:\n%s", links);
	if (topo_load_buf("v.yaml", buf, strlen(buf), &t, &d) || topo_check(t, &d))
		fail_msg("does not load:\n%s", messages(&d));
	diag_free(&d);
	return t;
}

static void test_plan(void **state)
{
	struct topology *t = lab("  - endpoints: [\"a:e0 10.0.0.1/24\", \"b:e0 10.0.0.2/24\"]\n"
				 "    impair: { delay: 20ms, jitter: 5ms, loss: 10% }\n"
				 "  - endpoints: [\"a:e1 10.0.1.1/24\", \"c:e1 10.0.1.2/24\"]\n"
				 "  - endpoints: [\"b:e2\", \"c:e2\"]\n"
				 "    impair: { rate: 1mbit }\n"
				 "  - endpoints: [\"a:e3 fd00::1/64\", \"c:e3 fd00::2/64\"]\n"
				 "    state: down\n"
				 "    impair: { loss: 1% }\n");
	struct impair_check *c;
	size_t n;

	(void)state;
	assert_int_equal(impair_plan(t, &c, &n), 0);
	assert_int_equal(n, 3);	/* the link without impair is not checked */
	assert_int_equal(c[0].link, 0);
	assert_int_equal(c[0].family, AF_INET);
	/* each way 20ms less 5ms of jitter */
	assert_int_equal(c[0].rtt_floor_us, 30000);
	/* 1 - 0.9^2 = 19% of 100 echoes, 4.5 deviations of 3.92 either side */
	assert_int_equal(c[0].count, 100);
	assert_int_equal(c[0].lost_lo, 0);	/* 19 - 17.65, less one of slack */
	assert_int_equal(c[0].lost_hi, 37);
	assert_string_equal(c[1].skip, "not measured: its ends have no addresses of one family");
	assert_int_equal(c[1].rate_want[0], 1000000);
	assert_int_equal(c[1].rate_want[1], 1000000);
	/* tbf's 100 packets: half of them at once */
	assert_int_equal(c[1].count, 50);
	assert_string_equal(c[2].skip, "not measured: the link is down");
	free(c);
	topo_free(t);
}

static void test_blackhole(void **state)
{
	struct topology *t = lab("  - endpoints:\n"
				 "      - { node: a, iface: e0, addresses: [10.0.0.1/24], impair: { loss: 100% } }\n"
				 "      - b:e0 10.0.0.2/24\n");
	struct impair_check *c;
	size_t n;

	(void)state;
	assert_int_equal(impair_plan(t, &c, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].lost_lo, c[0].count);	/* every echo must be lost */
	c[0].received = 0;
	impair_judge(&c[0]);
	assert_true(c[0].ok);
	c[0].received = 1;
	impair_judge(&c[0]);
	assert_false(c[0].ok);
	assert_string_equal(c[0].why, "99 of 100 echoes lost, outside 100..100");
	free(c);
	topo_free(t);
}

static void test_judge(void **state)
{
	struct topology *t = lab("  - endpoints: [\"a:e0 10.0.0.1/24\", \"b:e0 10.0.0.2/24\"]\n"
				 "    impair: { delay: 20ms, rate: 10mbit }\n");
	struct impair_check *c;
	size_t n;
	char text[512];

	(void)state;
	assert_int_equal(impair_plan(t, &c, &n), 0);
	c[0].received = c[0].count;
	c[0].rtt_min_us = 40500;
	c[0].rate_got[0] = 9600000;
	c[0].rate_got[1] = 11400000;
	impair_judge(&c[0]);
	assert_true(c[0].ok);
	assert_string_equal(impair_check_text(t, &c[0], text, sizeof(text)),
			    "a:e0 - b:e0: RTT min 40.500 ms (>= 40.000), 0 of 50 lost (0..1), "
			    "a sends 9.6 Mbit/s (10), b sends 11.4 Mbit/s (10)");
	/* too fast a round trip, too slow a rate, too many lost */
	c[0].rtt_min_us = 39000;
	c[0].rate_got[1] = 8400000;
	c[0].received = c[0].count - 3;
	impair_judge(&c[0]);
	assert_false(c[0].ok);
	assert_string_equal(c[0].why, "3 of 50 echoes lost, outside 0..1; round trip 39.000 ms, "
			    "below the 40.000 ms the delays take; end 2 sends 8.4 Mbit/s, not "
			    "10 Mbit/s +-15%");
	free(c);
	topo_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_blackhole),
		cmocka_unit_test(test_judge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
