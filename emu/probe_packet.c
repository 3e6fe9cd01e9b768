// SPDX-License-Identifier: MIT
/*
 * What a probe's packets are and what their totals mean: the payload of an
 * echo or datagram (`size`), the don't-fragment choice of a socket (`df`),
 * and the verdict on a finished attempt (count, loss, RTT bounds). Pure but
 * for probe_sock_df(), which only sets options on a socket it is given.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "probe_int.h"

size_t probe_payload_len(const struct probe_spec *sp)
{
	return sp->size ? sp->size : PROBE_SIZE_MIN;
}

size_t probe_packet_len(const struct probe_spec *sp, int family)
{
	/* IPv4 header without options, or the fixed IPv6 header; then ICMP echo or UDP: 8. */
	return (family == AF_INET6 ? 40 : 20) + 8 + probe_payload_len(sp);
}

void probe_payload_fill(uint8_t *buf, size_t len, const uint8_t cookie[PROBE_COOKIE_LEN],
			uint32_t token)
{
	memset(buf, 0, len);
	memcpy(buf, cookie, PROBE_COOKIE_LEN);
	memcpy(buf + PROBE_COOKIE_LEN, &token, sizeof(token));
}

int probe_sock_df(int fd, int family, bool df)
{
	int v;

	if (family == AF_INET) {
		/*
		 * DO: DF on every packet, and EMSGSIZE for one over the route's MTU (the device's,
		 * or what an ICMP "fragmentation needed" taught the kernel). DONT without df: the
		 * kernel's default (WANT) would set DF too whenever the packet fits the first hop,
		 * and a big probe that never asked for DF would die in a path MTU black hole.
		 */
		v = df ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT;
		if (setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &v, sizeof(v)) < 0)
			return -errno;
		return 0;
	}
	/* IPv6 routers never fragment; DONTFRAG keeps the source from doing it (RFC 3542). */
	if (!df)
		return 0;
	v = 1;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_DONTFRAG, &v, sizeof(v)) < 0)
		return -errno;
	v = IPV6_PMTUDISC_DO;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &v, sizeof(v)) < 0)
		return -errno;
	return 0;
}

/* Why an attempt that got no answer at all failed, when no exchange said. */
static void no_answer(const struct probe_spec *sp, struct probe_result *r)
{
	/* A big packet with DF that vanishes: an MTU on the way is smaller, and its ICMP
	 * "fragmentation needed" (or "packet too big") does not come back. */
	if (sp->df && sp->size)
		snprintf(r->reason, sizeof(r->reason),
			 "timeout: no reply to %zu-byte packets sent with DF (a smaller MTU on the path, its ICMP errors lost?)",
			 probe_packet_len(sp, r->tg.family));
	else
		snprintf(r->reason, sizeof(r->reason), "timeout");
}

bool probe_judge(const struct probe_spec *sp, struct probe_result *r, uint64_t rtt_sum)
{
	r->sent = sp->count;
	r->rtt_avg_us = r->received ? rtt_sum / r->received : 0;
	r->loss = sp->count ? 100.0 * (sp->count - r->received) / sp->count : 0;
	r->reached = r->received > 0;
	if (r->reached)
		r->reason[0] = '\0';	/* an error of one exchange is no reason when others came back */
	else if (!r->reason[0])
		no_answer(sp, r);
	if (!sp->expect_reachable) {
		if (r->reached)
			snprintf(r->reason, sizeof(r->reason), "reachable but expected unreachable");
		return !r->reached;
	}
	if (!r->reached)
		return false;
	if (sp->max_loss >= 0 && r->loss > sp->max_loss + 1e-9) {
		snprintf(r->reason, sizeof(r->reason), "loss %.1f%% over max_loss %g%%", r->loss,
			 sp->max_loss);
		return false;
	}
	if (sp->max_rtt_us && r->rtt_max_us > sp->max_rtt_us) {
		snprintf(r->reason, sizeof(r->reason), "rtt %.3f ms over max_rtt %.3f ms",
			 r->rtt_max_us / 1000.0, sp->max_rtt_us / 1000.0);
		return false;
	}
	if (sp->min_rtt_us && r->rtt_min_us < sp->min_rtt_us) {
		snprintf(r->reason, sizeof(r->reason), "rtt %.3f ms under min_rtt %.3f ms",
			 r->rtt_min_us / 1000.0, sp->min_rtt_us / 1000.0);
		return false;
	}
	return true;
}
