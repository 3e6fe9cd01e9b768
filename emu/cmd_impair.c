// SPDX-License-Identifier: MIT
/*
 * topo impair LAB NODE:IFACE --delay 50ms --loss 1% ... | --clear: a fault
 * at run time, from a script. It is drift from the file: `plan` shows it,
 * `up` puts the file's impairment back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "load_value.h"
#include "netns.h"
#include "nl.h"
#include "observe.h"
#include "qdisc.h"
#include "util.h"

/* --delay, --loss-correlation...: impair:'s keys with '-' for '_' */
static char io_names[IK_N][32];

static void io_names_make(void)
{
	char *p;
	int i;

	for (i = 0; i < IK_N; i++) {
		snprintf(io_names[i], sizeof(io_names[i]), "%s", impair_keys[i]);
		while ((p = strchr(io_names[i], '_')))
			*p = '-';
	}
}

static int bad(const char *opt, const char *v, const char *expected)
{
	fprintf(stderr, "topo: impair: invalid --%s '%s' (expected %s)\n", opt, CMD_SHOW(v),
		expected);
	return -1;
}

static int percent_opt(const char *const *v, int k, unsigned bit, struct impair *im, double *pct)
{
	if (!v[k])
		return 0;
	if (percent_parse(v[k], pct) < 0)
		return bad(io_names[k], v[k], "a percentage such as 0.5%");
	im->given |= bit;
	return 0;
}

static int count_opt(const char *const *v, int k, unsigned bit, struct impair *im, uint32_t *out)
{
	char *end;
	unsigned long n;

	if (!v[k])
		return 0;
	errno = 0;
	n = strtoul(v[k], &end, 10);
	if (errno || *end || end == v[k] || n < 1 || n > 1000000 || v[k][0] == '-')
		return bad(io_names[k], v[k], "an integer from 1 to 1000000");
	*out = (uint32_t)n;
	im->given |= bit;
	return 0;
}

static int duration_opt(const char *const *v, int k, unsigned bit, struct impair *im, uint64_t *us)
{
	if (!v[k])
		return 0;
	if (duration_parse(v[k], us) < 0 || *us > 60000000)
		return bad(io_names[k], v[k], "a duration of at most 1m, such as 20ms");
	im->given |= bit;
	return 0;
}

static int impair_from_opts(const char *const *v, struct impair *im)
{
	int e = 0, i;

	memset(im, 0, sizeof(*im));
	e |= duration_opt(v, IK_DELAY, IMP_DELAY, im, &im->delay_us);
	e |= duration_opt(v, IK_JITTER, IMP_JITTER, im, &im->jitter_us);
	if (v[IK_DIST]) {
		if ((i = impair_dist_parse(v[IK_DIST])) < 0)
			e |= bad("distribution", v[IK_DIST], "normal, pareto, paretonormal or uniform");
		im->dist = (enum impair_dist)(i < 0 ? 0 : i);
		im->given |= IMP_DISTRIBUTION;
	}
	e |= percent_opt(v, IK_LOSS, IMP_LOSS, im, &im->loss);
	e |= percent_opt(v, IK_LOSS_CORR, IMP_LOSS_CORRELATION, im, &im->loss_corr);
	e |= percent_opt(v, IK_DUPLICATE, IMP_DUPLICATE, im, &im->duplicate);
	e |= percent_opt(v, IK_REORDER, IMP_REORDER, im, &im->reorder);
	e |= percent_opt(v, IK_CORRUPT, IMP_CORRUPT, im, &im->corrupt);
	e |= count_opt(v, IK_GAP, IMP_GAP, im, &im->gap);
	e |= count_opt(v, IK_LIMIT, IMP_LIMIT, im, &im->limit);
	if (v[IK_RATE] && (rate_parse(v[IK_RATE], &im->rate_bps) < 0 || im->rate_bps < 8))
		e |= bad("rate", v[IK_RATE], "bits per second with a unit: 800kbit, 10mbit, 1gbit");
	else if (v[IK_RATE])
		im->given |= IMP_RATE;
	/* the pairs the file's impair: refuses, with the options' names */
	for (i = 0; i < IMPAIR_N_NEEDS; i++)
		if ((im->given & IMPAIR_BIT(impair_needs[i].key)) &&
		    !(im->given & IMPAIR_BIT(impair_needs[i].needs))) {
			fprintf(stderr, "topo: impair: --%s needs --%s\n",
				io_names[impair_needs[i].key], io_names[impair_needs[i].needs]);
			e = -1;
		}
	return e ? -1 : 0;
}

/* The interface IFACE of lab LAB in NL's namespace: its index and MTU; -1 (printed) if not the lab's. */
static int lab_iface(struct nl *nl, const char *lab, const char *node, const char *iface,
		     struct st_iface *ifc)
{
	char mark[ST_ALIAS_MAX];
	int err = observe_iface(nl, iface, ifc);

	if (err == -ENODEV) {
		fprintf(stderr, "topo: impair: node %s of lab %s has no interface '%s'\n", node, lab,
			CMD_SHOW(iface));
		return -1;
	}
	if (err < 0) {
		fprintf(stderr, "topo: impair: %s: %s\n", CMD_SHOW(iface), strerror(-err));
		return -1;
	}
	snprintf(mark, sizeof(mark), TOPO_MARK_PREFIX "%s", lab);
	if (strcmp(ifc->alias, mark)) {
		fprintf(stderr, "topo: impair: %s:%s is not an interface lab %s made (no mark '%s'): "
			"topo changes only its own\n", node, CMD_SHOW(iface), lab, mark);
		return -1;
	}
	return 0;
}

/* Q onto the interface: 0, or -1 (printed). */
static int impair_set(int fd, const char *lab, const char *node, const char *iface,
		      const struct impair *im, bool clear)
{
	struct st_iface ifc = { 0 };
	struct st_qdisc q = { 0 };
	struct nl nl = { 0 };
	char why[640], t[256];
	int saved, err = -1;

	if ((err = netns_enter(fd, &saved)) == 0) {
		err = nl_open(&nl);
		if (netns_leave(saved) < 0)
			err = -EIO;	/* this thread is stuck in the node: stop */
	}
	if (err < 0) {
		fprintf(stderr, "topo: impair: netlink in node %s: %s\n", node, strerror(-err));
		nl_close(&nl);
		return -1;
	}
	err = -1;
	if (lab_iface(&nl, lab, node, iface, &ifc) < 0)
		goto out;
	if (!clear)
		qdisc_from_impair(im, ifc.mtu, &q);
	if (qdisc_needs_netem(&q) && qdisc_kernel_has(&q, why, sizeof(why)) < 0) {
		fprintf(stderr, "topo: impair: %s:%s needs netem; %s. Nothing was changed.\n", node,
			iface, why);
		goto out;
	}
	if ((err = qdisc_apply(&nl, ifc.ifindex, &q)) < 0) {
		fprintf(stderr, "topo: impair: %s:%s: %s%s%s\n", node, iface, strerror(-err),
			nl.ext_ack[0] ? " (kernel: " : "", nl.ext_ack[0] ? nl.ext_ack : "");
		if (nl.ext_ack[0])
			fputs(")\n", stderr);
		err = -1;
		goto out;
	}
	printf("%s:%s of lab %s: impair %s (drift from the file: `topo plan` shows it, `topo up` "
	       "puts the file's back)\n", node, iface, lab, qdisc_text(&q, t, sizeof(t)));
	err = 0;
out:
	nl_close(&nl);
	return err;
}

int cmd_impair(int argc, char **argv)
{
	const char *v[IK_N] = { 0 }, *pos[2];
	struct cmd_opt opts[IK_N + 2] = { 0 };
	char lab[TOPO_NAME_MAX + 1], node[TOPO_NAME_MAX + 1], iface[TOPO_IFNAME_MAX + 1],
		nsname[ST_NSNAMSIZ];
	struct topology *t = NULL;
	struct impair im;
	bool clear = false, any = false;
	int i, fd = -1, lock = -1, rc = EXIT_ERR;

	io_names_make();
	for (i = 0; i < IK_N; i++)
		opts[i] = (struct cmd_opt){ .name = io_names[i], .value = &v[i] };
	opts[IK_N] = (struct cmd_opt){ .name = "clear", .flag = &clear };
	if (cmd_args(argc, argv, opts, pos, 2, 2, USAGE_IMPAIR) < 0)
		return EXIT_ERR;
	for (i = 0; i < IK_N; i++)
		any |= v[i] != NULL;
	if (any == clear) {
		fprintf(stderr, "topo: impair: give the impairment (--delay, --loss, --rate...) or "
			"--clear, not %s\nusage: topo impair %s\n", any ? "both" : "neither",
			USAGE_IMPAIR);
		return EXIT_ERR;
	}
	if (impair_from_opts(v, &im) < 0 || !cmd_node_iface("impair", pos[1], node, iface))
		return EXIT_ERR;
	if (!cmd_need_root("impair") || cmd_load_lab(pos[0], lab, &t))
		goto out;
	/* not while an `up` of the same lab changes it */
	if ((lock = lab_lock(lab, false)) == -1 || (fd = cmd_node_netns(lab, node, nsname)) < 0)
		goto out;
	rc = impair_set(fd, lab, node, iface, &im, clear) < 0 ? EXIT_ERR : EXIT_OK;
out:
	if (fd >= 0)
		close(fd);
	if (lock >= 0)
		lab_unlock(lock);
	topo_free(t);
	return rc;
}
