// SPDX-License-Identifier: MIT
/*
 * ICMP and ICMPv6 echoes on the wire: the request the prober sends on a raw
 * socket, what a packet read back from one says about an echo, and ICMP
 * errors in words: pure functions, with unit tests. Also the two socket calls
 * that concern ICMP alone: a raw socket's filter, and reading an ICMP error
 * that the kernel queued on a tcp or udp socket.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "probe_int.h"
#include "util.h"

/* <linux/icmp.h> has it but clashes with <netinet/ip_icmp.h>. */
#ifndef ICMP_FILTER
#define ICMP_FILTER 1
#endif

#define SOCK_BUF (4 << 20)

static uint16_t inet_csum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

void probe_icmp_echo(uint8_t *pkt, int family, uint16_t id, uint16_t seq, const uint8_t *data,
		     size_t len)
{
	memset(pkt, 0, 8);
	pkt[0] = family == AF_INET6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	pkt[4] = (uint8_t)(id >> 8);
	pkt[5] = (uint8_t)id;
	pkt[6] = (uint8_t)(seq >> 8);
	pkt[7] = (uint8_t)seq;
	memcpy(pkt + 8, data, len);
	/* The kernel fills in the ICMPv6 checksum (it covers a pseudo-header). */
	if (family == AF_INET) {
		uint16_t c = inet_csum(pkt, 8 + len);

		memcpy(pkt + 2, &c, 2);
	}
}

static uint16_t be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

/* An IPv4 packet with its header, as raw IPv4 sockets read them. */
static enum probe_echo_kind icmp4_parse(const uint8_t *b, size_t n, struct probe_echo_msg *m)
{
	size_t hl, ihl;
	const uint8_t *icmp, *inner;

	if (n < 20 || (b[0] >> 4) != 4)
		return PROBE_ECHO_NONE;
	hl = (size_t)(b[0] & 0xf) * 4;
	if (n < hl + 8)
		return PROBE_ECHO_NONE;
	icmp = b + hl;
	n -= hl;
	if (icmp[0] == ICMP_ECHOREPLY) {
		m->id = be16(icmp + 4);
		m->seq = be16(icmp + 6);
		m->data = icmp + 8;
		m->len = n - 8;
		memcpy(m->peer, b + 12, 4);
		return PROBE_ECHO_REPLY;
	}
	/* An error quotes the IP header and at least 8 bytes of our echo. */
	inner = icmp + 8;
	n -= 8;
	if (n < 20 || (inner[0] >> 4) != 4 || inner[9] != IPPROTO_ICMP)
		return PROBE_ECHO_NONE;
	ihl = (size_t)(inner[0] & 0xf) * 4;
	if (n < ihl + 8 || inner[ihl] != ICMP_ECHO)
		return PROBE_ECHO_NONE;
	m->id = be16(inner + ihl + 4);
	m->seq = be16(inner + ihl + 6);
	memcpy(m->peer, inner + 16, 4);
	memcpy(m->from, b + 12, 4);
	m->type = icmp[0];
	m->code = icmp[1];
	/* RFC 1191: "fragmentation needed" carries the next hop's MTU in its last 16 bits. */
	if (m->type == ICMP_DEST_UNREACH && m->code == ICMP_FRAG_NEEDED)
		m->mtu = be16(icmp + 6);
	return PROBE_ECHO_ERROR;
}

/* An ICMPv6 message without its IPv6 header, as raw IPv6 sockets read them. */
static enum probe_echo_kind icmp6_parse(const uint8_t *b, size_t n, const uint8_t *from,
					struct probe_echo_msg *m)
{
	const uint8_t *inner;

	if (n < 8)
		return PROBE_ECHO_NONE;
	if (b[0] == ICMP6_ECHO_REPLY) {
		m->id = be16(b + 4);
		m->seq = be16(b + 6);
		m->data = b + 8;
		m->len = n - 8;
		memcpy(m->peer, from, 16);
		return PROBE_ECHO_REPLY;
	}
	/* The quoted packet: our IPv6 header (no extension headers) and echo. */
	inner = b + 8;
	if (n < 8 + 40 + 8 || (inner[0] >> 4) != 6 || inner[6] != IPPROTO_ICMPV6 ||
	    inner[40] != ICMP6_ECHO_REQUEST)
		return PROBE_ECHO_NONE;
	m->id = be16(inner + 44);
	m->seq = be16(inner + 46);
	memcpy(m->peer, inner + 24, 16);
	memcpy(m->from, from, 16);
	m->type = b[0];
	m->code = b[1];
	m->mtu = (uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7];
	return PROBE_ECHO_ERROR;
}

enum probe_echo_kind probe_icmp_parse(int family, const uint8_t *b, size_t n, const uint8_t *from,
				      struct probe_echo_msg *m)
{
	memset(m, 0, sizeof(*m));
	if (family == AF_INET)
		return icmp4_parse(b, n, m);
	return icmp6_parse(b, n, from, m);
}

static const char *icmp4_unreach(int code)
{
	switch (code) {
	case ICMP_NET_UNREACH: return "network unreachable";
	case ICMP_HOST_UNREACH: return "host unreachable";
	case ICMP_PROT_UNREACH: return "protocol unreachable";
	case ICMP_PORT_UNREACH: return "port unreachable";
	case ICMP_FRAG_NEEDED: return "fragmentation needed";
	case ICMP_SR_FAILED: return "source route failed";
	case ICMP_NET_UNKNOWN: return "destination network unknown";
	case ICMP_HOST_UNKNOWN: return "destination host unknown";
	case ICMP_NET_ANO: case ICMP_HOST_ANO: case ICMP_PKT_FILTERED:
		return "administratively prohibited";
	default: return "unreachable";
	}
}

static const char *icmp6_unreach(int code)
{
	switch (code) {
	case ICMP6_DST_UNREACH_NOROUTE: return "no route to destination";
	case ICMP6_DST_UNREACH_ADMIN: return "administratively prohibited";
	case ICMP6_DST_UNREACH_BEYONDSCOPE: return "beyond scope of source address";
	case ICMP6_DST_UNREACH_ADDR: return "address unreachable";
	case ICMP6_DST_UNREACH_NOPORT: return "port unreachable";
	case 5: return "source address failed policy";
	case 6: return "reject route to destination";
	default: return "unreachable";
	}
}

const char *probe_icmp_error_text(int family, int type, int code, uint32_t mtu,
				  const uint8_t *from, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	ip_fmt(family, from, a, sizeof(a));
	if (family == AF_INET) {
		if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED && mtu)
			snprintf(buf, len, "ICMP fragmentation needed (code %d, mtu %u) from %s", code,
				 mtu, a);
		else if (type == ICMP_DEST_UNREACH)
			snprintf(buf, len, "ICMP %s (code %d) from %s", icmp4_unreach(code), code, a);
		else if (type == ICMP_TIME_EXCEEDED)
			snprintf(buf, len, "ICMP time exceeded (code %d) from %s", code, a);
		else
			snprintf(buf, len, "ICMP type %d code %d from %s", type, code, a);
	} else {
		if (type == ICMP6_DST_UNREACH)
			snprintf(buf, len, "ICMPv6 %s (code %d) from %s", icmp6_unreach(code), code, a);
		else if (type == ICMP6_TIME_EXCEEDED)
			snprintf(buf, len, "ICMPv6 time exceeded (code %d) from %s", code, a);
		else if (type == ICMP6_PACKET_TOO_BIG)
			snprintf(buf, len, "ICMPv6 packet too big (mtu %u) from %s", mtu, a);
		else
			snprintf(buf, len, "ICMPv6 type %d code %d from %s", type, code, a);
	}
	return buf;
}

void probe_icmp_setup(int fd, int family)
{
	int v = SOCK_BUF;

	/* Raw sockets take bursts of a whole lab. FORCE variants pass the sysctl caps (root);
	 * fall back quietly. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof(v)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	/* Only what answers an echo: not the echo requests that others send us. */
	if (family == AF_INET) {
		uint32_t drop = ~((1u << ICMP_ECHOREPLY) | (1u << ICMP_DEST_UNREACH) |
				  (1u << ICMP_TIME_EXCEEDED) | (1u << ICMP_PARAMETERPROB));

		setsockopt(fd, SOL_RAW, ICMP_FILTER, &drop, sizeof(drop));
	} else {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &f);
		ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PARAM_PROB, &f);
		setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	}
}

int probe_icmp_errqueue(int fd, char *why, size_t len)
{
	uint8_t data[64], ctl[512];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			    .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;

	if (len)
		why[0] = '\0';
	if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return 0;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		struct sock_extended_err *ee;
		struct sockaddr *off;
		uint8_t from[16] = { 0 };
		int family;

		if (!((c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR) ||
		      (c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR)))
			continue;
		ee = (struct sock_extended_err *)CMSG_DATA(c);
		off = SO_EE_OFFENDER(ee);
		if (ee->ee_origin == SO_EE_ORIGIN_ICMP) {
			family = AF_INET;
			memcpy(from, &((struct sockaddr_in *)off)->sin_addr, 4);
		} else if (ee->ee_origin == SO_EE_ORIGIN_ICMP6) {
			family = AF_INET6;
			memcpy(from, &((struct sockaddr_in6 *)off)->sin6_addr, 16);
		} else {
			/* A local EMSGSIZE (DF over the route's MTU) says which MTU in ee_info. */
			if (ee->ee_errno == EMSGSIZE && ee->ee_info)
				snprintf(why, len, " (%u)", ee->ee_info);
			return ee->ee_errno ? -(int)ee->ee_errno : -EIO;
		}
		if ((family == AF_INET && ee->ee_type == ICMP_DEST_UNREACH &&
		     ee->ee_code == ICMP_PORT_UNREACH) ||
		    (family == AF_INET6 && ee->ee_type == ICMP6_DST_UNREACH &&
		     ee->ee_code == ICMP6_DST_UNREACH_NOPORT)) {
			snprintf(why, len, "connection refused (ICMP port unreachable from %s)",
				 ip_fmt(family, from, (char[INET6_ADDRSTRLEN]){ 0 }, INET6_ADDRSTRLEN));
			return 1;
		}
		probe_icmp_error_text(family, ee->ee_type, ee->ee_code, ee->ee_info, from, why, len);
		return 1;
	}
	return 0;
}
