// SPDX-License-Identifier: MIT
/*
 * topo capture: the packets of one interface of a running lab, as a pcap
 * file that tcpdump and Wireshark read. An AF_PACKET socket made inside the
 * node sees the interface's traffic both ways; no tcpdump is needed in the
 * node or on the machine.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "cmd.h"
#include "netns.h"
#include "observe.h"
#include "pcap.h"
#include "util.h"

#define CAPTURE_USAGE "usage: topo capture " USAGE_CAPTURE "\n"

struct capture {
	const char *lab_arg, *node, *iface;
	char ifname[TOPO_IFNAME_MAX + 1];
	const char *out_path;	/* "-": standard output */
	char out_default[TOPO_NAME_MAX + TOPO_IFNAME_MAX + 8];
	uint64_t count;		/* 0: no limit */
	uint64_t duration_us;	/* 0: no limit */
	char lab[TOPO_NAME_MAX + 1];
	char nsname[ST_NSNAMSIZ];
	struct capture_if cif;	/* the socket and the file */
};

/* "--count N": a whole number from 1 up. */
static int count_parse(const char *s, uint64_t *n)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*n = strtoull(s, &end, 10);
	return errno || *end || !*n ? -EINVAL : 0;
}

/* NODE:IFACE into C; false (printed) when it is not that. */
static bool capture_target(struct capture *c, const char *arg)
{
	char node[TOPO_NAME_MAX + 1];

	if (!cmd_node_iface("capture", arg, node, c->ifname))
		return false;
	c->iface = c->ifname;
	c->node = xstrdup(node);
	return true;
}

/* The options into C. 0 to go on, or EXIT_ERR (printed). */
static int capture_args(int argc, char **argv, struct capture *c)
{
	const char *target = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-w") && v) {
			c->out_path = v, i++;
		} else if (cmd_flag(a, "count") && count_parse(v, &c->count) == 0) {
			i++;
		} else if (cmd_flag(a, "duration") && v && duration_parse(v, &c->duration_us) == 0 &&
			   c->duration_us) {
			i++;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "topo: capture: %s '%s'\n",
				cmd_flag(a, "count") || cmd_flag(a, "duration") || !strcmp(a, "-w")
					? "a bad or missing value for" : "unknown option", a);
			return EXIT_ERR;
		} else if (!c->lab_arg) {
			c->lab_arg = a;
		} else if (!target) {
			target = a;
		} else {
			fprintf(stderr, "topo: capture: unexpected argument '%s'\n", a);
			return EXIT_ERR;
		}
	}
	if (!target) {
		fprintf(stderr, CAPTURE_USAGE);
		return EXIT_ERR;
	}
	return capture_target(c, target) ? 0 : EXIT_ERR;
}

/* The namespace of C's node, found by its mark (as exec does): an fd, or -1 (printed). */
static int capture_netns(struct capture *c)
{
	return cmd_node_netns(c->lab, c->node, c->nsname);
}

/* Say which interfaces NS_FD has, after C's was not there. */
static void capture_list_ifaces(const struct capture *c, int ns_fd)
{
	struct if_nameindex *ifs = NULL;
	int saved, i;

	fprintf(stderr, "topo: node %s of lab %s has no interface '%s'", c->node, c->lab, c->iface);
	if (netns_enter(ns_fd, &saved) == 0) {
		ifs = if_nameindex();
		netns_leave(saved);
	}
	for (i = 0; ifs && ifs[i].if_index; i++)
		fprintf(stderr, "%s%s", i ? ", " : " (it has: ", ifs[i].if_name);
	fprintf(stderr, "%s\n", ifs && ifs[0].if_index ? ")" : "");
	if (ifs)
		if_freenameindex(ifs);
}

/* A packet socket inside the node, bound to C's interface; -1 (printed) on failure. */
static int capture_socket(struct capture *c, int ns_fd)
{
	const char *step;
	unsigned arphrd = 0;
	int err = capture_if_open(&c->cif, ns_fd, c->iface, &arphrd, &step);

	if (err == -ENODEV) {
		capture_list_ifaces(c, ns_fd);
	} else if (err == -EPFNOSUPPORT) {
		fprintf(stderr, "topo: capture: %s:%s is not an Ethernet interface (ARPHRD %u)\n",
			c->node, c->iface, arphrd);
	} else if (err < 0 && !strcmp(step, "bind")) {
		fprintf(stderr, "topo: capture: bind to %s:%s: %s\n", c->node, c->iface,
			strerror(-err));
	} else if (err < 0) {
		fprintf(stderr, "topo: capture: packet socket in %s: %s\n", c->nsname,
			strerror(-err));
	} else if (c->cif.was_down) {
		fprintf(stderr, "topo: note: %s:%s is down; its packets are captured once it is up\n",
			c->node, c->iface);
	}
	return err < 0 ? -1 : c->cif.sock;
}

/* The output, without following a symlink planted at its name; -1 (printed). */
static int capture_output(const struct capture *c)
{
	int fd, err;

	if (!strcmp(c->out_path, "-")) {
		if (isatty(STDOUT_FILENO)) {
			fprintf(stderr, "topo: capture: not writing pcap to a terminal; pipe it "
				"(-w - | tcpdump -nn -r -) or use -w FILE\n");
			return -1;
		}
		fd = STDOUT_FILENO;
	} else if ((fd = open(c->out_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
			      0644)) < 0) {
		fprintf(stderr, "topo: capture: %s: %s%s\n", c->out_path, strerror(errno),
			errno == ELOOP ? " (a symlink: not followed)" : "");
		return -1;
	}
	if ((err = capture_file_header(fd)) < 0) {
		fprintf(stderr, "topo: capture: %s: %s\n", c->out_path, strerror(-err));
		if (fd != STDOUT_FILENO)
			close(fd);
		return -1;
	}
	return fd;
}

/* Whether C's interface is gone (by its ifindex: a new one may take its name). */
static bool capture_iface_gone(int sock, const struct capture *c)
{
	struct ifreq ifr = { .ifr_ifindex = c->cif.ifindex };

	return ioctl(sock, SIOCGIFNAME, &ifr) < 0 && errno == ENODEV;
}

/* Time left before C's deadline into TS; false once it has passed. */
static bool capture_time_left(uint64_t deadline, struct timespec *ts)
{
	uint64_t now = now_us();

	if (now >= deadline)
		return false;
	ts->tv_sec = (time_t)((deadline - now) / 1000000);
	ts->tv_nsec = (long)((deadline - now) % 1000000 * 1000);
	return true;
}

/*
 * The kernel reports an interface going down once (ENETDOWN) and delivers
 * again when it is back up; when it is deleted, it says nothing more. So,
 * after ENETDOWN, the wait is cut in slices to look whether it is gone.
 */
static const struct timespec down_tick = { 0, 200 * 1000 * 1000 };

static const struct timespec *capture_wait(const struct capture *c, const struct timespec *left)
{
	if (c->cif.down && (!left || left->tv_sec || left->tv_nsec > down_tick.tv_nsec))
		return &down_tick;
	return left;
}

/*
 * Packets from SOCK into OUT until C's count or duration, a signal, or an
 * error (-errno; -ENODEV: the interface is gone). SIGINT and SIGTERM are
 * let in only while waiting in ppoll, so none is lost between the check of
 * the flag and the wait.
 */
static int capture_loop(struct capture *c, int sock, int out)
{
	volatile sig_atomic_t *stop = cmd_signals();
	uint64_t deadline = c->duration_us ? now_us() + c->duration_us : 0;
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	uint8_t *buf = xmalloc(PCAP_REC_HDR_LEN + PCAP_SNAPLEN_MAX);
	struct timespec left;
	sigset_t block, orig;
	int r, err = 0;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	c->cif.out = out;
	while (!*stop && (!c->count || c->cif.n_pkts < c->count)) {
		if (deadline && !capture_time_left(deadline, &left))
			break;
		r = ppoll(&pfd, 1, capture_wait(c, deadline ? &left : NULL), &orig);
		if (r < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		if (c->cif.down && capture_iface_gone(sock, c)) {
			err = -ENODEV;
			break;
		}
		if (r <= 0)
			continue;
		if ((r = capture_packet(&c->cif, buf)) == -ENETDOWN) {
			c->cif.down = true;
			continue;
		}
		if (r < 0) {
			err = r;
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &orig, NULL);
	free(buf);
	return err;
}

/* "N packets captured ..." on stderr, as tcpdump says it, with the kernel's drops. */
static void capture_summary(const struct capture *c, int sock)
{
	struct tpacket_stats st = { 0 };
	socklen_t len = sizeof(st);

	fprintf(stderr, "topo: %" PRIu64 " packet%s captured on %s:%s into %s", c->cif.n_pkts,
		c->cif.n_pkts == 1 ? "" : "s", c->node, c->iface,
		strcmp(c->out_path, "-") ? c->out_path : "standard output");
	if (getsockopt(sock, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0 && st.tp_drops)
		fprintf(stderr, " (%u dropped by the kernel: the writer was too slow)", st.tp_drops);
	fprintf(stderr, "\n");
}

/* After the arguments: find the node, bind, write. The exit status. */
static int capture_run(struct capture *c)
{
	int ns_fd, sock = -1, out = -1, err, rc = EXIT_ERR;

	if ((ns_fd = capture_netns(c)) < 0 || (sock = capture_socket(c, ns_fd)) < 0)
		goto out;
	if ((out = capture_output(c)) < 0)
		goto out;
	fprintf(stderr, "topo: listening on %s:%s (lab %s, namespace %s), writing %s\n", c->node,
		c->iface, c->lab, c->nsname,
		strcmp(c->out_path, "-") ? c->out_path : "to standard output");
	err = capture_loop(c, sock, out);
	/* A reader that has had enough (| tcpdump -c 5) is a clean stop. */
	if (err == -EPIPE)
		err = 0;
	if (err == -ENODEV)
		fprintf(stderr, "topo: capture: %s:%s is gone (the lab went down?)\n", c->node,
			c->iface);
	else if (err < 0)
		fprintf(stderr, "topo: capture: %s: %s\n", c->out_path, strerror(-err));
	capture_summary(c, sock);
	rc = err < 0 ? EXIT_ERR : EXIT_OK;
out:
	if (out >= 0 && out != STDOUT_FILENO && close(out) < 0 && rc == EXIT_OK) {
		fprintf(stderr, "topo: capture: %s: %s\n", c->out_path, strerror(errno));
		rc = EXIT_ERR;
	}
	if (sock >= 0)
		close(sock);
	if (ns_fd >= 0)
		close(ns_fd);
	return rc;
}

int cmd_capture(int argc, char **argv)
{
	struct capture c = { .out_path = NULL };
	struct topology *t = NULL;
	int rc;

	if ((rc = capture_args(argc, argv, &c)) != 0 || (rc = cmd_load_lab(c.lab_arg, c.lab, &t))) {
		rc = EXIT_ERR;
		goto out;
	}
	rc = EXIT_ERR;
	if (t && !topo_node_find(t, c.node)) {
		fprintf(stderr, "topo: lab %s has no node %s\n", c.lab, c.node);
		goto out;
	}
	if (!c.out_path) {
		snprintf(c.out_default, sizeof(c.out_default), "%s-%s.pcap", c.node, c.iface);
		c.out_path = c.out_default;
	}
	/* A reader gone is EPIPE from write(), not a silent death. */
	signal(SIGPIPE, SIG_IGN);
	if (cmd_need_root("capture"))
		rc = capture_run(&c);
out:
	free((char *)c.node);
	topo_free(t);
	return rc;
}
