// SPDX-License-Identifier: MIT
/*
 * topo graph: a lab as a picture (DOT, Mermaid, or SVG through Graphviz).
 * Of a lab that is up, what differs from its file is drawn in red.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <linux/capability.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "graph.h"
#include "host_kernel.h"
#include "observe.h"
#include "util.h"
#include "want.h"

extern char **environ;

enum { FORMAT_SVG = GRAPH_MERMAID + 1 };

/* The arguments; 0 to go on, -1 a bad one (printed). */
static int graph_args(int argc, char **argv, const char **arg, int *fmt, const char **host)
{
	static const char *const names[] = { [GRAPH_DOT] = "dot", [GRAPH_MERMAID] = "mermaid",
					     [FORMAT_SVG] = "svg" };
	const char *format = NULL;
	const struct cmd_opt opts[] = { { .name = "format", .value = &format },
					{ .name = "host", .value = host },
					{ 0 } };
	int k;

	if (cmd_args(argc, argv, opts, arg, 1, 1, USAGE_GRAPH) < 0)
		return -1;
	for (k = 0; format && k <= FORMAT_SVG && strcmp(format, names[k]); k++)
		;
	if (k > FORMAT_SVG) {
		fprintf(stderr, "topo: graph: --format is dot, mermaid or svg\n");
		return -1;
	}
	*fmt = format ? k : GRAPH_DOT;
	return 0;
}

/* Without the privilege to look into namespaces, the file alone is drawn. */
static bool may_observe(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct caps[2] = { 0 };

	return syscall(SYS_capget, &hdr, caps) == 0 &&
	       (caps[0].effective & (1u << CAP_SYS_ADMIN)) &&
	       (caps[0].effective & (1u << CAP_NET_ADMIN));
}

/* The one host of T whose address this machine has, or NULL (none, several,
 * or no way to tell): no message, since graph then draws the whole file. */
static const char *host_here_quiet(const struct topology *t)
{
	bool *mine = xcalloc(t->n_hosts + 1, sizeof(*mine));
	const char *name = NULL;
	size_t i, n = 0;

	if (host_mine(t, mine) == 0)
		for (i = 0; i < t->n_hosts; i++)
			if (mine[i] && n++ == 0)
				name = t->hosts[i].name;
	free(mine);
	return n == 1 ? name : NULL;
}

/*
 * --host NAME: T->self. Without it, a machine that is one of the lab's
 * hosts draws its own part, as `status` shows it (else the other hosts'
 * nodes, not running here, would all be marked NOT UP); any other draws
 * the whole file. Drawing the file asks no kernel; comparing with the
 * running part needs the underlay's MTU, as `status` does. 0 or EXIT_ERR
 * (printed).
 */
static int graph_host(struct topology *t, const char *host)
{
	if (!host && t->n_hosts && may_observe())
		host = host_here_quiet(t);
	if (!host)
		return 0;
	return may_observe() ? cmd_host_select(t, host, false) : cmd_host_pick(t, host);
}

/*
 * The running lab T into HAVE: 0 with HAVE->n_ns 0 when it is not up (or
 * cannot be looked at), EXIT_ERR (printed) when observing fails.
 */
static int graph_observe(const struct topology *t, struct state *have)
{
	struct state want = { 0 };
	struct conns conns = { 0 };
	char err[512];
	int lock, rc = 0;

	if (!may_observe())
		return 0;
	if ((lock = lab_lock(t->name, false)) == -1)
		return EXIT_ERR;
	if (want_build(t, &want) < 0) {
		fprintf(stderr, "topo: %s: cannot build the desired state\n", t->name);
		rc = EXIT_ERR;
	} else if (observe_lab(&conns, t->name, &want, have, err, sizeof(err)) < 0) {
		fprintf(stderr, "topo: %s\n", err);
		rc = EXIT_ERR;
	}
	state_free(&want);
	conns_free(&conns);
	lab_unlock(lock);
	return rc;
}

/* HAVE's lab, or NULL when it is not up: nothing to compare with. */
static const struct state *running(const struct state *have)
{
	return have->n_ns ? have : NULL;
}

/* Graphviz's dot turns the DOT text into SVG on our standard output. */
static int graph_svg(const struct topology *t, const struct state *have)
{
	char *argv[] = { "dot", "-Tsvg", NULL };
	posix_spawn_file_actions_t fa;
	int pfd[2], err, status;
	FILE *to_dot;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0) {
		fprintf(stderr, "topo: graph: pipe: %s\n", strerror(errno));
		return EXIT_ERR;
	}
	fflush(stdout);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[0], STDIN_FILENO);
	err = posix_spawnp(&pid, "dot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[0]);
	if (err) {
		close(pfd[1]);
		fprintf(stderr, "topo: graph: --format svg needs Graphviz's dot: %s (Debian: "
			"apt-get install graphviz); --format dot prints the graph without it\n",
			strerror(err));
		return EXIT_ERR;
	}
	/* dot may die before reading all: a broken pipe is its error to tell. */
	signal(SIGPIPE, SIG_IGN);
	to_dot = fdopen(pfd[1], "w");
	if (to_dot) {
		graph_write(to_dot, t, have, GRAPH_DOT);
		fclose(to_dot);
	} else {
		close(pfd[1]);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "topo: graph: dot -Tsvg failed\n");
		return EXIT_ERR;
	}
	return EXIT_OK;
}

int cmd_graph(int argc, char **argv)
{
	char lab[TOPO_NAME_MAX + 1];
	struct state have = { 0 };
	struct topology *t = NULL;
	const char *arg = NULL, *host = NULL;
	int fmt = GRAPH_DOT, rc;

	if ((rc = graph_args(argc, argv, &arg, &fmt, &host)) != 0)
		return EXIT_ERR;
	if (cmd_load_lab(arg, lab, &t))
		return EXIT_ERR;
	rc = EXIT_ERR;
	if (!t) {
		fprintf(stderr, "topo: lab %s: no file of it is kept on this machine (it is not up); "
			"give its file\n", lab);
	} else if (graph_host(t, host) == 0 && graph_observe(t, &have) == 0) {
		if (fmt == FORMAT_SVG)
			rc = graph_svg(t, running(&have));
		else if (graph_write(stdout, t, running(&have), fmt) < 0 || fflush(stdout))
			fprintf(stderr, "topo: graph: %s\n", strerror(errno));
		else
			rc = EXIT_OK;
	}
	state_free(&have);
	topo_free(t);
	return rc;
}
