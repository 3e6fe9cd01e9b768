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

/* libmnl's own error callback drops the extended ACK; keep its text. */
static int nl_error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl *nl = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	unsigned int off;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return MNL_CB_ERROR;
	if (e->error == 0)
		return MNL_CB_STOP;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		off = sizeof(*e);
		/* Without NETLINK_CAP_ACK the original request follows. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		mnl_attr_for_each(attr, nlh, off) {
			if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG ||
			    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
				continue;
			snprintf(nl->ext_ack, sizeof(nl->ext_ack), "%s", mnl_attr_get_str(attr));
			break;
		}
	}
	errno = -e->error;
	return MNL_CB_ERROR;
}

/*
 * mnl_cb_run2 passes the same DATA to data and control callbacks, but our
 * error callback needs the socket. A small frame carries both.
 */
struct nl_frame {
	struct nl *nl;
	mnl_cb_t cb;
	void *data;
};

static int nl_frame_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_frame *f = data;

	return f->cb ? f->cb(nlh, f->data) : MNL_CB_OK;
}

static int nl_frame_error_cb(const struct nlmsghdr *nlh, void *data)
{
	return nl_error_cb(nlh, ((struct nl_frame *)data)->nl);
}

static int nl_frame_done_cb(const struct nlmsghdr *nlh, void *data)
{
	return MNL_CB_STOP;
}

static int nl_frame_noop_cb(const struct nlmsghdr *nlh, void *data)
{
	return MNL_CB_OK;
}

static const mnl_cb_t nl_ctl_cb[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP] = nl_frame_noop_cb,
	[NLMSG_ERROR] = nl_frame_error_cb,
	[NLMSG_DONE] = nl_frame_done_cb,
	[NLMSG_OVERRUN] = nl_frame_noop_cb,
};

static int nl_frame_run(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct nl_frame f = { nl, cb, data };
	char buf[32768];	/* the kernel sends dumps in pages of up to 32 KiB */
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	nl->ext_ack[0] = '\0';
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		errno = 0;
		ret = mnl_cb_run2(buf, (size_t)n, seq, nl->portid, nl_frame_data_cb, &f,
				  (mnl_cb_t *)nl_ctl_cb, NLMSG_MIN_TYPE);
		if (ret == MNL_CB_ERROR)
			return errno ? -errno : -EPROTO;
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

int nl_request(struct nl *nl, struct nlmsghdr *nlh)
{
	int err;

	if (nlh->nlmsg_type != RTM_GETLINK && nlh->nlmsg_type != RTM_GETNSID &&
	    (err = nl_fault()) < 0) {
		return err;
	}
	return nl_frame_run(nl, nlh, NULL, NULL);
}

int nl_dump(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	nlh->nlmsg_flags |= NLM_F_DUMP;
	nlh->nlmsg_flags &= ~NLM_F_ACK;
	return nl_frame_run(nl, nlh, cb, data);
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
	else if (nl && nl->ext_ack[0])
		snprintf(buf, len, "%s (kernel: %s)", strerror(-err), nl->ext_ack);
	else
		snprintf(buf, len, "%s", strerror(-err));
	return buf;
}

int nl_fault(void)
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
