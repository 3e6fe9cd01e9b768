/* SPDX-License-Identifier: MIT */
#ifndef TOPO_NL_H
#define TOPO_NL_H

/*
 * The one place that speaks netlink. A socket belongs to the namespace it
 * was opened in, so there is one per lab namespace; every request asks for
 * an ACK, and the kernel's extended-ACK text is kept for the error message.
 */

#include <libmnl/libmnl.h>
#include <stddef.h>
#include <stdint.h>

struct nl {
	struct mnl_socket *sock;
	unsigned portid;
	uint32_t seq;
	char ext_ack[256];	/* the kernel's text for the last error, or "" */
};

/* nl_open - an rtnetlink socket in the calling thread's network namespace. */
int nl_open(struct nl *nl);
void nl_close(struct nl *nl);

/* nl_msg - start a request of TYPE with FLAGS (NLM_F_REQUEST|NLM_F_ACK added) in BUF. */
struct nlmsghdr *nl_msg(struct nl *nl, void *buf, uint16_t type, uint16_t flags);

/* nl_request - send NLH and wait for its ACK. 0 or -errno; nl->ext_ack says why. */
int nl_request(struct nl *nl, struct nlmsghdr *nlh);

/* nl_dump - send dump request NLH; CB runs for each reply message. 0 or -errno. */
int nl_dump(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/* nl_query - send NLH and run CB on the single reply (RTM_GET* of one object). */
int nl_query(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/* nl_strerror - "File exists (kernel: ...)" for ERR and the socket's ext_ack, into BUF. */
const char *nl_strerror(const struct nl *nl, int err, char *buf, size_t len);

/* nl_fault - test hook: TOPO_FAULT_AT=N makes the N-th kernel change fail (-EIO). */
int nl_fault(void);

#define NL_BUFSZ 8192

#endif
