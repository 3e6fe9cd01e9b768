// SPDX-License-Identifier: MIT
/* qdisc_kernel - does this kernel have a qdisc kind (netem is a module some lack)? */
#include <errno.h>
#include <stdlib.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "netns.h"
#include "nl.h"
#include "qdisc.h"
#include "util.h"

struct kind_try {
	const struct st_qdisc *q;
	char ext_ack[256];
};

/* In a throwaway namespace: Q as the root qdisc of its lo. The kernel
 * loads the module on demand, as it would for the lab. */
static int kind_try(void *arg)
{
	struct kind_try *k = arg;
	char buf[NL_BUFSZ];
	struct nlmsghdr *nlh;
	struct tcmsg *tcm;
	struct nl nl = { 0 };
	int err;

	if ((err = nl_open(&nl)) < 0)
		return err;
	nlh = nl_msg(&nl, buf, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL);
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = 1;	/* lo, in every namespace */
	tcm->tcm_parent = TC_H_ROOT;
	tcm->tcm_handle = k->q->handle;
	qdisc_put(nlh, k->q, NULL, 0);
	err = nl_request(&nl, nlh);
	snprintf(k->ext_ack, sizeof(k->ext_ack), "%s", nl.ext_ack);
	nl_close(&nl);
	return err;
}

int qdisc_kernel_has(const struct st_qdisc *q, char *why, size_t len)
{
	struct kind_try k = { .q = q };
	struct utsname u;
	char path[512];
	int err = netns_scratch_run(kind_try, &k);

	if (err != -ENOENT && err != -EOPNOTSUPP)
		return 0;	/* there (or failing for another reason the lab will report) */
	uname(&u);
	/* The module's file tells "not built" from "built, but did not load". */
	snprintf(path, sizeof(path), "/lib/modules/%s/kernel/net/sched/sch_%s.ko", u.release,
		 q->kind_name);
	if (access(path, F_OK) < 0) {
		snprintf(path + strlen(path), sizeof(path) - strlen(path), ".xz");
		if (access(path, F_OK) < 0)
			path[strlen(path) - 3] = '\0';
	}
	if (access(path, F_OK) == 0)
		snprintf(why, len, "this kernel (%s) has sch_%s.ko but it did not load (%s)", u.release,
			 q->kind_name, k.ext_ack[0] ? k.ext_ack : strerror(-err));
	else
		snprintf(why, len, "this kernel (%s) has no sch_%s: the module is not built for it "
			 "(no %s)", u.release, q->kind_name, path);
	return -ENOENT;
}

int qdisc_apply(struct nl *nl, int ifindex, const struct st_qdisc *q)
{
	char stack[NL_BUFSZ], path[256];
	int16_t *dist = NULL;
	size_t n_dist = 0;
	struct nlmsghdr *nlh;
	struct tcmsg *tcm;
	char *buf = stack;
	int err;

	if (q->kind == QD_NETEM && q->dist &&
	    (err = qdisc_dist_load(q->dist, &dist, &n_dist, path, sizeof(path))) < 0) {
		snprintf(nl->ext_ack, sizeof(nl->ext_ack),
			 "the delay distribution table %.160s cannot be read (iproute2 installs it)", path);
		return err;
	}
	if (n_dist)
		buf = xmalloc(NL_BUFSZ + n_dist * sizeof(*dist));
	nlh = nl_msg(nl, buf, q->kind == QD_DEFAULT ? RTM_DELQDISC : RTM_NEWQDISC,
		     q->kind == QD_DEFAULT ? 0 : NLM_F_CREATE | NLM_F_REPLACE);
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = ifindex;
	tcm->tcm_parent = TC_H_ROOT;
	if (q->kind != QD_DEFAULT) {
		tcm->tcm_handle = q->handle;
		qdisc_put(nlh, q, dist, n_dist);
	}
	err = nl_request(nl, nlh);
	/* nothing to delete: the default is there already */
	if (err == -ENOENT && q->kind == QD_DEFAULT)
		err = 0;
	if (buf != stack)
		free(buf);
	free(dist);
	return err;
}
