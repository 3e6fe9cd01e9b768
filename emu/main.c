// SPDX-License-Identifier: MIT
/*
 * topo - declarative network labs in network namespaces.
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "cmd.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "validate", cmd_validate, "FILE            check a lab file (no root)" },
	{ "plan", cmd_plan, "FILE [--prune]      show what `up` would change" },
	{ "up", cmd_up, "FILE [--prune] [--no-probe] [--tune-host] [--json] [--junit F] [-q]\n"
			"                       make the kernel match FILE, verify, run the probes" },
	{ "probe", cmd_probe, "FILE [--json] [--junit F]  run the lab's probes" },
	{ "status", cmd_status, "FILE|LAB [--json]  nodes, interfaces, addresses, routes, drift" },
	{ "down", cmd_down, "FILE|LAB            delete everything the lab owns" },
	{ "exec", cmd_exec, "LAB NODE -- CMD...  run a command inside a node" },
	{ "list", cmd_list, "                    labs on this machine" },
	{ "generate", cmd_generate, "chain N | grid W H | fat-tree K | star N [--name NAME]" },
	{ "capture", cmd_capture, "LAB NODE:IFACE [-w FILE|-] [--count N] [--duration D]\n"
				  "                       a pcap of one interface of a running lab" },
	{ "graph", cmd_graph, "FILE|LAB [--format dot|mermaid|svg]  draw the lab" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: topo COMMAND [ARGS]\n\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  topo %s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nExit status: 0 ok, 1 error, 2 changes pending (plan), 3 a probe failed.\n");
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	size_t i;

	/* A big lab holds a namespace fd and a socket per node. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_ERR : EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "topo: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_ERR;
}
