// SPDX-License-Identifier: MIT
/* The small commands: validate, probe, exec, list, generate. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "generate.h"
#include "json.h"
#include "netns.h"
#include "nodeenv.h"
#include "observe.h"
#include "probe.h"
#include "term.h"
#include "util.h"
#include "want.h"

/* With --host NAME: the part NAME makes of T builds (the desired state
 * `up --host NAME` starts from), pure, no kernel asked. 0 or EXIT_ERR (printed). */
static int validate_part(struct topology *t, const char *name)
{
	struct state want = { 0 };
	int err;

	if (!name)
		return 0;
	if (cmd_host_pick(t, name))
		return EXIT_ERR;
	if ((err = want_build(t, &want)) < 0)
		fprintf(stderr, "topo: host %s: its part of lab %s does not build: %s\n",
			t->self->name, t->name, strerror(-err));
	state_free(&want);
	return err < 0 ? EXIT_ERR : 0;
}

int cmd_validate(int argc, char **argv)
{
	const char *file, *host = NULL;
	const struct cmd_opt opts[] = { { .name = "host", .value = &host }, { 0 } };
	struct topology *t;
	size_t i, n_nodes, n_links, n_members = 0;

	if (cmd_args(argc, argv, opts, &file, 1, 1, USAGE_VALIDATE) < 0)
		return EXIT_ERR;
	t = cmd_load(file);
	if (!t)
		return EXIT_ERR;
	if (validate_part(t, host)) {
		topo_free(t);
		return EXIT_ERR;
	}
	/* a LAN's bridge and member links are its own, not the file's nodes and links */
	for (i = 0; i < t->n_lans; i++)
		n_members += t->lans[i].n_members;
	n_nodes = t->n_nodes - t->n_lans;
	n_links = t->n_links - n_members;
	printf("%s: lab %s is valid: %zu node%s, %zu link%s, ", file, t->name, n_nodes,
	       cmd_s(n_nodes), n_links, cmd_s(n_links));
	if (t->n_lans)
		printf("%zu LAN%s, ", t->n_lans, cmd_s(t->n_lans));
	printf("%zu probe%s\n", t->n_probes, cmd_s(t->n_probes));
	if (host)
		cmd_host_part(t, stdout);
	topo_free(t);
	return EXIT_OK;
}

int cmd_probe(int argc, char **argv)
{
	struct probe_opts o = { 0 };
	struct term_progress progress;
	const char *file = NULL, *host = NULL;
	const struct cmd_opt opts[] = {
		{ .name = "json", .flag = &o.json },
		{ .name = "junit", .value = &o.junit_path },
		{ .name = "quiet", .letter = 'q', .flag = &o.quiet },
		{ .name = "failures", .flag = &o.failures_only },
		{ .name = "host", .value = &host },
		{ 0 },
	};
	struct topology *t;
	char err[512], kept[256];
	int rc;

	if (cmd_args(argc, argv, opts, &file, 1, 1, USAGE_PROBE) < 0 ||
	    !(file = cmd_lab_file(file, kept, sizeof(kept))))
		return EXIT_ERR;
	if (!(t = cmd_load(file)))
		return EXIT_ERR;
	if (cmd_host_select(t, host, false)) {
		topo_free(t);
		return EXIT_ERR;
	}
	o.colour = !o.json && term_colour_for(stdout);
	term_progress_init(&progress, stderr, !o.quiet && term_is_tty(stderr));
	o.progress = term_progress_count;
	o.progress_arg = &progress;
	if (!cmd_need_root("probe")) {
		topo_free(t);
		return EXIT_ERR;
	}
	o.stop = cmd_signals();
	rc = probe_lab(t, &o, stdout, err, sizeof(err));
	term_progress_clear(&progress);	/* a run that ended in an error */
	if (rc < 0)
		fprintf(stderr, "topo: probe: %s\n", err);
	topo_free(t);
	if (rc == -EINTR)	/* as a shell reports a command that the signal ended */
		return 128 + (int)*o.stop;
	return rc < 0 ? EXIT_ERR : rc ? EXIT_PROBE : EXIT_OK;
}

/*
 * No command: the user's shell, interactive, its prompt naming the node
 * ("[LAB/NODE] $ ") so that a terminal inside a lab is never mistaken for
 * the host's. bash reads its rc files after the environment, and they set
 * PS1: it starts without them.
 */
static int exec_shell(int fd, const char *lab, const char *node)
{
	const char *shell = getenv("SHELL");
	const char *base;
	char *prompt, *argv[4] = { 0 };
	int rc;

	if (!shell || shell[0] != '/')
		shell = "/bin/sh";
	base = strrchr(shell, '/') + 1;
	prompt = xasprintf("[%s/%s] $ ", lab, node);
	setenv("PS1", prompt, 1);
	free(prompt);
	argv[0] = (char *)shell;
	if (!strcmp(base, "bash")) {
		argv[1] = "--norc";
		argv[2] = "-i";
	} else {
		argv[1] = "-i";
	}
	rc = nodeenv_exec(lab, node, fd, argv, -1);
	unsetenv("PS1");
	return rc;
}

int cmd_exec(int argc, char **argv)
{
	const struct cmd_opt none[] = { { 0 } };
	char lab[TOPO_NAME_MAX + 1];
	struct conns conns = { 0 };
	struct ns_mark *marks = NULL;
	struct topology *t = NULL;
	struct nsconn *nc = NULL;
	const char *pos[2];
	size_t n = 0, i;
	int dashes, err, rc = EXIT_ERR;

	/* topo's own arguments end at the `--` */
	for (dashes = 1; dashes < argc && strcmp(argv[dashes], "--"); dashes++)
		;
	if (cmd_args(dashes, argv, none, pos, 2, 2, USAGE_EXEC) < 0)
		return EXIT_ERR;
	if (dashes + 1 == argc) {
		fprintf(stderr, "topo: exec: no command after `--`\nusage: topo exec %s\n",
			USAGE_EXEC);
		return EXIT_ERR;
	}
	/* a lab file names its lab, as for status and down */
	if (cmd_load_lab(pos[0], lab, &t))
		return EXIT_ERR;
	topo_free(t);
	if (!cmd_need_root("exec"))
		return EXIT_ERR;
	if ((err = observe_marks(&conns, lab, &marks, &n)) < 0) {
		fprintf(stderr, "topo: %s\n", strerror(-err));
		goto out;
	}
	for (i = 0; i < n && !nc; i++)
		if (marks[i].marked && !strcmp(marks[i].lab, lab) &&
		    !strcmp(marks[i].node, pos[1]))
			nc = conns_get(&conns, marks[i].name, &err);
	if (!nc) {
		fprintf(stderr, "topo: lab %s has no node %s on this machine\n", lab,
			CMD_SHOW(pos[1]));
		cmd_lab_hint(lab);
		goto out;
	}
	if (dashes < argc)
		rc = nodeenv_exec(lab, pos[1], nc->fd, argv + dashes + 1, -1);
	else
		rc = exec_shell(nc->fd, lab, pos[1]);
	if (rc < 0) {
		fprintf(stderr, "topo: exec: %s\n", strerror(-rc));
		rc = EXIT_ERR;
	}
out:
	free(marks);
	conns_free(&conns);
	return rc;
}

static int mark_cmp(const void *a, const void *b)
{
	const struct ns_mark *x = a, *y = b;
	int c = strcmp(x->lab, y->lab);

	return c ? c : strcmp(x->node, y->node);
}

int cmd_list(int argc, char **argv)
{
	bool json = false;
	const struct cmd_opt opts[] = { { .name = "json", .flag = &json }, { 0 } };
	struct conns conns = { 0 };
	struct ns_mark *marks = NULL;
	size_t n = 0, i, j, n_labs = 0, nodes;
	char lan[TOPO_NAME_MAX + 1];
	int err;

	if (cmd_args(argc, argv, opts, NULL, 0, 0, USAGE_LIST) < 0)
		return EXIT_ERR;
	if (!cmd_need_root("list"))
		return EXIT_ERR;
	if ((err = observe_marks(&conns, "", &marks, &n)) < 0) {
		fprintf(stderr, "topo: %s\n", strerror(-err));
		return EXIT_ERR;
	}
	if (n)
		qsort(marks, n, sizeof(*marks), mark_cmp);
	if (json)
		printf("{\"version\":%d,\"labs\":[", TOPO_JSON_VERSION);
	for (i = 0; i < n; i = j) {
		if (!marks[i].marked) {
			j = i + 1;
			continue;
		}
		for (j = i, nodes = 0; j < n && !strcmp(marks[j].lab, marks[i].lab); j++)
			nodes += !topo_lan_of_node(marks[j].node, lan, sizeof(lan));	/* not a LAN's bridge */
		if (json) {
			printf("%s{\"lab\":", n_labs++ ? "," : "");
			json_str(stdout, marks[i].lab);
			printf(",\"nodes\":%zu}", nodes);
		} else {
			printf("%-32s %zu node%s\n", CMD_SHOW(marks[i].lab), nodes, cmd_s(nodes));
		}
	}
	if (json)
		printf("]}\n");
	free(marks);
	conns_free(&conns);
	return EXIT_OK;
}

int cmd_generate(int argc, char **argv)
{
	char err[512];
	int rc = generate_main(argc, argv, stdout, err, sizeof(err));

	if (rc)
		fprintf(stderr, "topo: %s\n", err);
	return rc ? EXIT_ERR : EXIT_OK;
}
