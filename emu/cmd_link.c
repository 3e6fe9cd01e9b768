// SPDX-License-Identifier: MIT
/*
 * topo link FILE|LAB NODE:IFACE down|up: a link failure from a script. The
 * interface of the running lab goes down (or up) in its node's namespace;
 * the file is not touched, so `plan` shows the difference as drift and `up`
 * puts the file's state back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "linkadmin.h"
#include "nsconn.h"
#include "util.h"

/* Set NODE:IFACE of LAB down or UP, and say what happened. An exit status. */
static int link_do(const char *lab, const char *node, const char *iface, bool up)
{
	struct conns conns = { 0 };
	struct nsconn *nc = NULL;
	char owned[256] = "", kerr[320], nsname[ST_NSNAMSIZ];
	const char *state = up ? "up" : "down";
	int fd = cmd_node_netns(lab, node, nsname), err, rc = EXIT_ERR;

	if (fd < 0)
		return EXIT_ERR;
	/* The node's namespace with an rtnetlink socket opened inside it. */
	if ((err = conns_adopt(&conns, nsname, fd, NULL)) < 0 ||
	    !(nc = conns_get(&conns, nsname, &err))) {
		fprintf(stderr, "topo: link: netlink in node %s: %s\n", node, strerror(-err));
		goto out;
	}
	err = link_admin_set(&nc->nl, lab, iface, up, owned, sizeof(owned));
	if (err == -ENODEV)
		fprintf(stderr, "topo: link: node %s of lab %s has no interface '%s' (its links: %s)\n",
			node, lab, iface, owned[0] ? owned : "none");
	else if (err == -EPERM)	/* lo, or one someone made by hand: not the lab's to change */
		fprintf(stderr, "topo: link: %s:%s is not a link of lab %s (its links in %s: %s)\n",
			node, iface, lab, node, owned[0] ? owned : "none");
	else if (err < 0)
		fprintf(stderr, "topo: link: set %s:%s %s: %s\n", node, iface, state,
			nl_strerror(&nc->nl, err, kerr, sizeof(kerr)));
	else
		printf(err ? "%s:%s is already %s\n" : "%s:%s is %s\n", node, iface, state);
	rc = err < 0 ? EXIT_ERR : EXIT_OK;
out:
	conns_put(&conns, nc);
	conns_free(&conns);
	return rc;
}

int cmd_link(int argc, char **argv)
{
	const struct cmd_opt none[] = { { 0 } };
	char lab[TOPO_NAME_MAX + 1], node[TOPO_NAME_MAX + 1], iface[TOPO_IFNAME_MAX + 1];
	struct topology *t = NULL;
	const char *pos[3];
	int lock, rc;

	if (cmd_args(argc, argv, none, pos, 3, 3, USAGE_LINK) < 0)
		return EXIT_ERR;
	if (strcmp(pos[2], "down") && strcmp(pos[2], "up")) {
		fprintf(stderr, "topo: link: '%s' is neither down nor up\nusage: topo link %s\n",
			CMD_SHOW(pos[2]), USAGE_LINK);
		return EXIT_ERR;
	}
	if (!cmd_node_iface("link", pos[1], node, iface) || !cmd_need_root("link"))
		return EXIT_ERR;
	if (cmd_load_lab(pos[0], lab, &t) != 0)
		return EXIT_ERR;
	topo_free(t);	/* only its name: the lab as it runs is what changes */
	/* The lab's lock: not while an `up` or `down` of the same lab is at work. */
	if ((lock = lab_lock(lab, false)) == -1)
		return EXIT_ERR;
	if (lock == LAB_NO_LOCK) {
		fprintf(stderr, "topo: lab %s is not up on this machine\n", lab);
		cmd_lab_hint(lab);
		return EXIT_ERR;
	}
	rc = link_do(lab, node, iface, !strcmp(pos[2], "up"));
	lab_unlock(lock);
	return rc;
}
