// SPDX-License-Identifier: MIT
/* pcap.c: the classic pcap headers, byte for byte, on any host. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pcap.h"

static void test_file_header_usec(void **unused)
{
	static const uint8_t want[PCAP_FILE_HDR_LEN] = {
		0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x00, 0x00, 0x04, 0x00, 1, 0, 0, 0,
	};
	uint8_t buf[PCAP_FILE_HDR_LEN];

	memset(buf, 0xee, sizeof(buf));
	pcap_file_header(buf, PCAP_SNAPLEN_MAX, PCAP_LINKTYPE_ETHERNET, false);
	assert_memory_equal(buf, want, sizeof(want));
}

static void test_file_header_nsec(void **unused)
{
	static const uint8_t want[PCAP_FILE_HDR_LEN] = {
		0x4d, 0x3c, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xdc, 0x05, 0x00, 0x00, 0x71, 0, 0, 0,
	};
	uint8_t buf[PCAP_FILE_HDR_LEN];

	pcap_file_header(buf, 1500, 113, true);
	assert_memory_equal(buf, want, sizeof(want));
}

static void test_record_nsec(void **unused)
{
	static const uint8_t want[PCAP_REC_HDR_LEN] = {
		0x78, 0x56, 0x34, 0x12, 0xff, 0xc9, 0x9a, 0x3b,	/* 999999999 ns */
		98, 0, 0, 0, 98, 0, 0, 0,
	};
	struct timespec ts = { .tv_sec = 0x12345678, .tv_nsec = 999999999 };
	uint8_t buf[PCAP_REC_HDR_LEN];

	assert_int_equal(pcap_record_header(buf, &ts, 98, PCAP_SNAPLEN_MAX, true), 98);
	assert_memory_equal(buf, want, sizeof(want));
}

static void test_record_usec(void **unused)
{
	static const uint8_t want[PCAP_REC_HDR_LEN] = {
		0x00, 0x00, 0x00, 0x80, 0x3f, 0x42, 0x0f, 0x00,	/* 999999 us: truncated */
		60, 0, 0, 0, 60, 0, 0, 0,
	};
	/* past 2038: the field is unsigned 32 bits */
	struct timespec ts = { .tv_sec = 0x80000000LL, .tv_nsec = 999999999 };
	uint8_t buf[PCAP_REC_HDR_LEN];

	assert_int_equal(pcap_record_header(buf, &ts, 60, PCAP_SNAPLEN_MAX, false), 60);
	assert_memory_equal(buf, want, sizeof(want));
}

/* A packet longer than the snap length keeps its real length in orig_len. */
static void test_record_snapped(void **unused)
{
	static const uint8_t want[PCAP_REC_HDR_LEN] = {
		1, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0x10, 0x27, 0, 0,
	};
	struct timespec ts = { .tv_sec = 1, .tv_nsec = -5 };	/* nonsense: 0 */
	uint8_t buf[PCAP_REC_HDR_LEN];

	assert_int_equal(pcap_record_header(buf, &ts, 10000, 128, true), 128);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(pcap_record_header(buf, &ts, 0, 128, true), 0);
	assert_int_equal(pcap_record_header(buf, &ts, 128, 128, false), 128);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_file_header_usec), cmocka_unit_test(test_file_header_nsec),
	    cmocka_unit_test(test_record_nsec),	     cmocka_unit_test(test_record_usec),
	    cmocka_unit_test(test_record_snapped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
