/* SPDX-License-Identifier: MIT */
#ifndef TOPO_NL_H
#define TOPO_NL_H

/*
 * The one place that speaks netlink. A socket belongs to the namespace it
 * was opened in, so there is one per lab namespace; every request asks for
 * an ACK, and the kernel's extended-ACK text is kept for the error message.
 * Every function returns 0 or -errno; the text is only in nl->ext_ack.
 */

#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nl {
	struct mnl_socket *sock;
	unsigned portid;
	uint32_t seq;
	char ext_ack[256];	/* the kernel's text for the last error, or "" */
	bool dump_interrupted;	/* the last dump failed: interrupted NL_DUMP_TRIES times */
};

/* A dump the kernel marks inconsistent (NLM_F_DUMP_INTR: the table changed
 * while it was being walked) is asked for again, this many times in all. */
#define NL_DUMP_TRIES 5

/* nl_open - an rtnetlink socket in the calling thread's network namespace. */
int nl_open(struct nl *nl);

/* nl_close - close NL's socket, if open (a zeroed NL is fine). */
void nl_close(struct nl *nl);

/* nl_msg - start a request of TYPE with FLAGS (NLM_F_REQUEST|NLM_F_ACK added) in BUF. */
struct nlmsghdr *nl_msg(struct nl *nl, void *buf, uint16_t type, uint16_t flags);

/* nl_request - send NLH and wait for its ACK. 0 or -errno; nl->ext_ack says why. */
int nl_request(struct nl *nl, struct nlmsghdr *nlh);

/*
 * nl_dump - send dump request NLH; CB runs for each reply message. An
 * interrupted dump is discarded: RESET(DATA) undoes what CB gathered and
 * the dump runs again, up to NL_DUMP_TRIES times, then fails with -EINTR
 * (nl->dump_interrupted set). A NULL RESET means CB's work needs no undoing.
 * 0 or -errno.
 */
int nl_dump(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void (*reset)(void *data),
	    void *data);

/* nl_query - send NLH and run CB on the single reply (RTM_GET* of one object). */
int nl_query(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);

/*
 * nl_run_buf - run the LEN bytes of replies in BUF (one recv) to request SEQ:
 * CB for data messages, errors and the end of a dump read here. 1 when more
 * is to come, 0 at the end, -errno on an error (its ext-ack text in
 * nl->ext_ack), -EINTR when the kernel marked a message NLM_F_DUMP_INTR.
 * Separate from the socket so that tests can feed it canned messages.
 */
int nl_run_buf(struct nl *nl, const void *buf, size_t len, uint32_t seq, mnl_cb_t cb, void *data);

/* nl_strerror - "File exists (kernel: ...)" for ERR and the socket's ext_ack, into BUF. */
const char *nl_strerror(const struct nl *nl, int err, char *buf, size_t len);

/*
 * nl_fault_injected - the test hook TOPO_FAULT_AT=N: counts the kernel
 * changes topo makes and returns -EIO for the N-th, 0 otherwise.
 */
int nl_fault_injected(void);

#define NL_BUFSZ 8192

#endif
