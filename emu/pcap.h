/* SPDX-License-Identifier: MIT */
#ifndef TOPO_PCAP_H
#define TOPO_PCAP_H

/*
 * The classic libpcap file format (what tcpdump -w writes and every
 * packet tool reads): a 24-byte file header, then per packet a 16-byte
 * record header and the bytes captured. Pure: these fill buffers, the
 * caller writes them. Fields are written little-endian whatever the host;
 * readers tell the byte order from the magic number.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define PCAP_FILE_HDR_LEN 24
#define PCAP_REC_HDR_LEN 16
#define PCAP_MAGIC_USEC 0xa1b2c3d4u	/* record timestamps in microseconds */
#define PCAP_MAGIC_NSEC 0xa1b23c4du	/* ... in nanoseconds */
#define PCAP_LINKTYPE_ETHERNET 1	/* tcpdump.org's LINKTYPE_ETHERNET (DLT_EN10MB) */
#define PCAP_SNAPLEN_MAX 262144u	/* tcpdump's default: the largest packet kept whole */

/* pcap_file_header - the file header (version 2.4) into BUF: SNAPLEN, LINKTYPE,
 * nanosecond timestamps when NSEC. */
void pcap_file_header(uint8_t buf[PCAP_FILE_HDR_LEN], uint32_t snaplen, uint32_t linktype,
		      bool nsec);

/* pcap_record_header - the header of a packet of ORIG_LEN bytes seen at TS into
 * BUF; returns how many of its bytes follow it (at most SNAPLEN). */
uint32_t pcap_record_header(uint8_t buf[PCAP_REC_HDR_LEN], const struct timespec *ts,
			    uint32_t orig_len, uint32_t snaplen, bool nsec);

#endif
