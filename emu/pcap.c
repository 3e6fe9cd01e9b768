// SPDX-License-Identifier: MIT
/* The classic pcap format: https://www.tcpdump.org/manpages/pcap-savefile.5.html */
#include "pcap.h"

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v & 0xffff);
	put_le16(p + 2, v >> 16);
}

void pcap_file_header(uint8_t buf[PCAP_FILE_HDR_LEN], uint32_t snaplen, uint32_t linktype,
		      bool nsec)
{
	put_le32(buf, nsec ? PCAP_MAGIC_NSEC : PCAP_MAGIC_USEC);
	put_le16(buf + 4, 2);	/* version 2.4, the only one readers know */
	put_le16(buf + 6, 4);
	put_le32(buf + 8, 0);	/* thiszone: timestamps are UTC */
	put_le32(buf + 12, 0);	/* sigfigs: always 0 */
	put_le32(buf + 16, snaplen);
	put_le32(buf + 20, linktype);
}

uint32_t pcap_record_header(uint8_t buf[PCAP_REC_HDR_LEN], const struct timespec *ts,
			    uint32_t orig_len, uint32_t snaplen, bool nsec)
{
	uint32_t cap_len = orig_len < snaplen ? orig_len : snaplen;
	long frac = ts->tv_nsec;

	if (frac < 0 || frac > 999999999)
		frac = 0;
	/* The format has 32 bits of seconds: it runs out in 2106. */
	put_le32(buf, (uint32_t)ts->tv_sec);
	put_le32(buf + 4, (uint32_t)(nsec ? frac : frac / 1000));
	put_le32(buf + 8, cap_len);
	put_le32(buf + 12, orig_len);
	return cap_len;
}
