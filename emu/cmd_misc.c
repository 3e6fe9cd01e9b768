// SPDX-License-Identifier: MIT
/* The small commands: validate, probe, exec, list, generate. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "generate.h"
#include "netns.h"
#include "observe.h"
#include "probe.h"

int cmd_validate(int argc, char **argv)
{
	struct topology *t;

	if (argc != 2) {
		fprintf(stderr, "usage: topo validate FILE\n");
		return EXIT_ERR;
	}
	t = cmd_load(argv[1]);
	if (!t)
		return EXIT_ERR;
	printf("%s: lab %s is valid: %zu nodes, %zu links, %zu probes\n", argv[1], t->name,
	       t->n_nodes, t->n_links, t->n_probes);
	topo_free(t);
	return EXIT_OK;
}

int cmd_probe(int argc, char **argv)
{
	struct probe_opts o = { 0 };
	const char *file = NULL;
	struct topology *t;
	char err[512];
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (cmd_flag(argv[i], "json"))
			o.json = true;
		else if (cmd_flag(argv[i], "junit") && i + 1 < argc)
			o.junit_path = argv[++i];
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else
			break;
	}
	if (!file || i < argc) {
		fprintf(stderr, "usage: topo probe FILE [--json] [--junit FILE]\n");
		return EXIT_ERR;
	}
	if (!(t = cmd_load(file)))
		return EXIT_ERR;
	if (!cmd_need_root("probe")) {
		topo_free(t);
		return EXIT_ERR;
	}
	o.stop = cmd_signals();
	rc = probe_lab(t, &o, stdout, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "topo: probe: %s\n", err);
	topo_free(t);
	if (rc == -EINTR)	/* as a shell reports a command that the signal ended */
		return 128 + (int)*o.stop;
	return rc < 0 ? EXIT_ERR : rc ? EXIT_PROBE : EXIT_OK;
}

int cmd_exec(int argc, char **argv)
{
	struct conns conns = { 0 };
	struct ns_mark *marks = NULL;
	struct nsconn *nc = NULL;
	size_t n = 0, i;
	int err, rc = EXIT_ERR;

	if (argc < 5 || strcmp(argv[3], "--")) {
		fprintf(stderr, "usage: topo exec LAB NODE -- CMD [ARGS...]\n");
		return EXIT_ERR;
	}
	if (!cmd_need_root("exec"))
		return EXIT_ERR;
	if ((err = observe_marks(&conns, argv[1], &marks, &n)) < 0) {
		fprintf(stderr, "topo: %s\n", strerror(-err));
		goto out;
	}
	for (i = 0; i < n && !nc; i++)
		if (marks[i].marked && !strcmp(marks[i].lab, argv[1]) &&
		    !strcmp(marks[i].node, argv[2]))
			nc = conns_get(&conns, marks[i].name, &err);
	if (!nc) {
		fprintf(stderr, "topo: lab %s has no node %s on this machine\n", argv[1], argv[2]);
		cmd_lab_hint(argv[1]);
		goto out;
	}
	rc = netns_exec(nc->fd, argv + 4, -1);
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
	struct conns conns = { 0 };
	struct ns_mark *marks = NULL;
	size_t n = 0, i, j;
	int err;

	if (!cmd_need_root("list"))
		return EXIT_ERR;
	if ((err = observe_marks(&conns, "", &marks, &n)) < 0) {
		fprintf(stderr, "topo: %s\n", strerror(-err));
		return EXIT_ERR;
	}
	if (n)
		qsort(marks, n, sizeof(*marks), mark_cmp);
	for (i = 0; i < n; i = j) {
		if (!marks[i].marked) {
			j = i + 1;
			continue;
		}
		for (j = i; j < n && !strcmp(marks[j].lab, marks[i].lab); j++)
			;
		printf("%-32s %zu nodes\n", marks[i].lab, j - i);
	}
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
