// SPDX-License-Identifier: MIT
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "nl.h"

int nl_open(struct nl *nl)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sock)
		return -errno;
	/* Ask for the kernel's own words on errors, without the echoed request. */
	setsockopt(mnl_socket_get_fd(nl->sock), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl->sock), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* Dumps honour the filters in their request (e.g. one routing table). */
	setsockopt(mnl_socket_get_fd(nl->sock), SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one,
		   sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = -errno;

		mnl_socket_close(nl->sock);
		nl->sock = NULL;
		return err;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

struct nlmsghdr *nl_msg(struct nl *nl, void *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

/*
 * mnl_cb_run2 passes the same DATA to data and control callbacks, but the
 * control callbacks need the socket (for the extended ACK) and a place for
 * the error code. A small frame carries them.
 */
struct nl_frame {
	struct nl *nl;
	mnl_cb_t cb;
	void *data;
	int err;
};

/* The kernel's NLMSGERR_ATTR_MSG among the attributes from OFF on. */
static void nl_ext_ack_read(struct nl *nl, const struct nlmsghdr *nlh, size_t off)
{
	const struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_for_each(attr, nlh, off) {
		if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG ||
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			continue;
		snprintf(nl->ext_ack, sizeof(nl->ext_ack), "%s", mnl_attr_get_str(attr));
		break;
	}
}

static int nl_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_frame *f = data;

	/* libmnl checks this flag too; a version that does not must not
	 * hand a half-consistent dump on as whole. */
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
		f->err = -EINTR;
		return MNL_CB_ERROR;
	}
	if (f->cb && f->cb(nlh, f->data) == MNL_CB_ERROR) {
		f->err = -EBADMSG;	/* a reply the caller could not take */
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* libmnl's own error callback drops the extended ACK; keep its text. */
static int nl_error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_frame *f = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		f->err = -EBADMSG;
		return MNL_CB_ERROR;
	}
	if (e->error == 0)
		return MNL_CB_STOP;
	/* Without NETLINK_CAP_ACK the original request follows. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	nl_ext_ack_read(f->nl, nlh, off);
	f->err = e->error < 0 ? e->error : -EPROTO;
	return MNL_CB_ERROR;
}

/*
 * The end of a dump carries the dump's own result: an int after the
 * header, negative when the kernel gave up part-way (and then maybe the
 * extended ACK, NLM_F_ACK_TLVS). A failed dump must not read as complete.
 */
static int nl_done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_frame *f = data;
	int32_t error;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
		f->err = -EINTR;
		return MNL_CB_ERROR;
	}
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(error))
		return MNL_CB_STOP;	/* kernels before the int was there */
	memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	if (error >= 0)
		return MNL_CB_STOP;
	nl_ext_ack_read(f->nl, nlh, sizeof(error));
	f->err = error;
	return MNL_CB_ERROR;
}

static int nl_noop_cb(const struct nlmsghdr *nlh, void *data)
{
	return MNL_CB_OK;
}

static const mnl_cb_t nl_ctl_cb[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP] = nl_noop_cb,
	[NLMSG_ERROR] = nl_error_cb,
	[NLMSG_DONE] = nl_done_cb,
	[NLMSG_OVERRUN] = nl_noop_cb,
};

int nl_run_buf(struct nl *nl, const void *buf, size_t len, uint32_t seq, mnl_cb_t cb, void *data)
{
	struct nl_frame f = { nl, cb, data, 0 };
	int ret;

	ret = mnl_cb_run2(buf, len, seq, nl->portid, nl_data_cb, &f, (mnl_cb_t *)nl_ctl_cb,
			  NLMSG_MIN_TYPE);
	if (ret == MNL_CB_ERROR) {
		if (f.err)
			return f.err;
		/* Not our callbacks' (they set f.err): libmnl's own, in errno:
		 * EINTR (NLM_F_DUMP_INTR), ESRCH or EPROTO (a message for another
		 * socket or request), EBADMSG. */
		return errno ? -errno : -EPROTO;
	}
	return ret == MNL_CB_STOP ? 0 : 1;
}

/* Does BUF hold the last message of a reply (its DONE or ERROR)? */
static bool nl_buf_ends(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int rem = (int)len;

	for (; mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem))
		if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR)
			return true;
	return false;
}

static int nl_frame_run(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[32768];	/* the kernel sends dumps in pages of up to 32 KiB */
	ssize_t n;
	int ret;

	nl->ext_ack[0] = '\0';
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		ret = nl_run_buf(nl, buf, (size_t)n, nlh->nlmsg_seq, cb, data);
	} while (ret > 0);
	/* The rest of an interrupted dump is still coming: read it out, so
	 * that the socket's next reply is the next request's. */
	while (ret == -EINTR && !nl_buf_ends(buf, (size_t)n)) {
		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0)
			return -errno;
	}
	return ret;
}

int nl_request(struct nl *nl, struct nlmsghdr *nlh)
{
	int err;

	if (nlh->nlmsg_type != RTM_GETLINK && nlh->nlmsg_type != RTM_GETNSID &&
	    (err = nl_fault_injected()) < 0) {
		return err;
	}
	return nl_frame_run(nl, nlh, NULL, NULL);
}

int nl_dump(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void (*reset)(void *data),
	    void *data)
{
	int err = -EINTR, i;

	nlh->nlmsg_flags |= NLM_F_DUMP;
	nlh->nlmsg_flags &= ~NLM_F_ACK;
	/* As iproute2 does: a table that changed under the dump is read again. */
	for (i = 0; i < NL_DUMP_TRIES && err == -EINTR; i++) {
		if (i) {
			if (reset)
				reset(data);
			nlh->nlmsg_seq = ++nl->seq;
		}
		err = nl_frame_run(nl, nlh, cb, data);
	}
	nl->dump_interrupted = err == -EINTR;
	return err;
}

int nl_query(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	return nl_frame_run(nl, nlh, cb, data);
}

static bool fault_fired;

const char *nl_strerror(const struct nl *nl, int err, char *buf, size_t len)
{
	if (err == -EIO && fault_fired)
		snprintf(buf, len, "%s (injected fault, TOPO_FAULT_AT)", strerror(-err));
	else if (err == -EINTR && nl && nl->dump_interrupted)
		snprintf(buf, len, "%s (the kernel's table changed during each of %d dumps)",
			 strerror(-err), NL_DUMP_TRIES);
	else if (nl && nl->ext_ack[0])
		snprintf(buf, len, "%s (kernel: %s)", strerror(-err), nl->ext_ack);
	else
		snprintf(buf, len, "%s", strerror(-err));
	return buf;
}

int nl_fault_injected(void)
{
	static long at = -1, count;

	if (at < 0) {
		const char *s = getenv("TOPO_FAULT_AT");

		at = s ? strtol(s, NULL, 10) : 0;
	}
	/* Namespaces are made from several threads: count atomically. */
	if (at > 0 && __atomic_add_fetch(&count, 1, __ATOMIC_RELAXED) == at) {
		fault_fired = true;
		return -EIO;
	}
	return 0;
}
