/* SPDX-License-Identifier: MIT */
#ifndef TOPO_QDISC_H
#define TOPO_QDISC_H

/*
 * Impairments as root qdiscs: the desired qdisc of an `impair:`, its
 * netlink encoding (RTM_NEWQDISC's TCA_KIND and TCA_OPTIONS) and the
 * reading of a dumped one. Pure, but for qdisc_dist_load.
 *
 * Which qdisc: only `loss: 100%` is a blackhole qdisc (in every kernel with
 * tc, no module: a one-way cut works where netem is missing); only `rate`
 * (and `limit`) is tbf (rate limiting without netem); anything else is one
 * netem, with its own rate when `rate` is given too, so that one qdisc per
 * interface holds the whole impairment and changes in place.
 */

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state.h"
#include "topology.h"

/* the line rate assumed for a queue's size when `rate` is not given: a veth moves ~10 Gbit/s */
#define QDISC_LINE_RATE_BPS 10000000000ULL

/* qdisc_from_impair - the desired root qdisc of IM (GIVEN 0: the default) on an interface of MTU. */
void qdisc_from_impair(const struct impair *im, uint32_t mtu, struct st_qdisc *q);

/* qdisc_impair_merge - LINK's impairment with EP's fields over it, into *OUT. */
void qdisc_impair_merge(const struct impair *link, const struct impair *ep, struct impair *out);

/* qdisc_default_limit - netem's queue in packets: twice the bandwidth-delay
 * product (RATE_BPS 0: the line rate) in MTU-sized packets, at least 100. */
uint32_t qdisc_default_limit(uint64_t rate_bps, uint64_t delay_us, uint64_t jitter_us, uint32_t mtu);

/* qdisc_eq - does actual HAVE do what desired WANT says: the same kind and
 * figures, and (but for the default) a handle of topo's for the same distribution? */
bool qdisc_eq(const struct st_qdisc *want, const struct st_qdisc *have);

/* qdisc_needs_netem - is Q a netem (a module some kernels lack)? */
static inline bool qdisc_needs_netem(const struct st_qdisc *q)
{
	return q->kind == QD_NETEM;
}

/*
 * qdisc_put - TCA_KIND and TCA_OPTIONS of Q into NLH, an RTM_NEWQDISC being
 * built; DIST (N_DIST values) is the delay table of a netem with a
 * distribution, NULL otherwise.
 */
void qdisc_put(struct nlmsghdr *nlh, const struct st_qdisc *q, const int16_t *dist, size_t n_dist);

/*
 * qdisc_parse - an RTM_NEWQDISC message into *Q and its interface into
 * *IFINDEX: 1 for a root qdisc, 0 for one that is not (a child, ingress),
 * -EINVAL for a malformed message.
 */
int qdisc_parse(const struct nlmsghdr *nlh, struct st_qdisc *q, int *ifindex);

/* qdisc_text - "delay 20ms jitter 2ms loss 0.5% rate 10mbit limit 100", "none"... into BUF. */
const char *qdisc_text(const struct st_qdisc *q, char *buf, size_t len);

/*
 * qdisc_impair_yaml - Q as the `impair:` map that makes it again, "{ delay:
 * 20ms, loss: 0.5%, limit: 100 }", on an interface of MTU: every figure
 * exact. -EINVAL for a qdisc no impairment makes (another kind, a tbf
 * queue that is no whole number of frames), -ENOSPC when LEN is short.
 */
int qdisc_impair_yaml(const struct st_qdisc *q, uint32_t mtu, char *buf, size_t len);

/* qdisc_pct - a netem probability (0..UINT32_MAX) as a percentage. */
double qdisc_pct(uint32_t v);

/*
 * qdisc_dist_load - netem's delay table of distribution D from iproute2's
 * files (TC_LIB_DIR, else where distributions install them) into a new
 * array. 0, or -errno with the path tried last in PATH (LEN bytes).
 */
int qdisc_dist_load(unsigned d, int16_t **table, size_t *n, char *path, size_t len);

/*
 * qdisc_kernel_has - can this kernel make Q (qdisc_kernel.c)? Tried in a
 * throwaway namespace. 0, or -ENOENT with WHY saying whether the module
 * is not built or did not load.
 */
int qdisc_kernel_has(const struct st_qdisc *q, char *why, size_t len);

/*
 * qdisc_apply - the root qdisc of interface IFINDEX (NL's namespace) to Q:
 * topo's handle, created or replaced (the kernel changes a qdisc of the
 * same handle in place and grafts a new one over any other); QD_DEFAULT
 * deletes the root qdisc, giving the interface the kernel's default back.
 * 0 or -errno, the kernel's text in NL's ext_ack.
 */
struct nl;
int qdisc_apply(struct nl *nl, int ifindex, const struct st_qdisc *q);

#endif
