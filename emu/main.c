// SPDX-License-Identifier: MIT
/*
 * topo - declarative network labs in network namespaces.
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "cmd.h"
#include "proc.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;	/* USAGE_*, shared with the command's own errors */
	const char *help;
	const char *options;	/* `topo CMD --help` explains them */
} commands[] = {
	{ "validate", cmd_validate, USAGE_VALIDATE, "check a lab file (no root)",
	  "  --host NAME   with hosts: in the lab, NAME must be one of them; its part is\n"
	  "                built (as `up --host NAME` would) and said: nodes, tunnels\n" },
	{ "plan", cmd_plan, USAGE_PLAN, "show what `up` would change",
	  "  --prune       also delete what the lab owns but the file no longer names (drift)\n"
	  "  --json        the changes as JSON on stdout (docs/json.md)\n" },
	{ "up", cmd_up, USAGE_UP, "make the kernel match FILE, verify, run the probes",
	  "  --prune       also delete what the lab owns but the file no longer names (drift)\n"
	  "  --no-probe    do not run the probes\n"
	  "  --no-verify-impair\n"
	  "                do not measure the impaired links (delay, loss, rate) after the change\n"
	  "  --tune-host   raise the host's neighbour table limits when the lab needs more\n"
	  "  --json        the changes made and the probe report as JSON on stdout\n"
	  "                (docs/json.md; the summary goes to stderr)\n"
	  "  --junit FILE  the probe report as JUnit XML into FILE as well\n"
	  "  -q, --quiet   nothing but errors and the probes that failed\n"
	  "  -v, --verbose every change made, one per line (default: a count per kind)\n"
	  "  --failures    only the probes that failed in the table\n"
	  "A progress line goes to stderr when it is a terminal; colour only on a terminal,\n"
	  "and never with NO_COLOR set or TERM=dumb.\n" },
	{ "probe", cmd_probe, USAGE_PROBE, "run the lab's probes",
	  "  --json        the report as JSON on stdout (docs/json.md)\n"
	  "  --junit FILE  the report as JUnit XML into FILE as well\n"
	  "  -q, --quiet   only the probes that failed: nothing when all passed\n"
	  "  --failures    only the probes that failed in the table\n" },
	{ "status", cmd_status, USAGE_STATUS, "nodes, interfaces, addresses, routes, drift",
	  "  --json        as JSON on stdout (docs/json.md)\n" },
	{ "down", cmd_down, USAGE_DOWN, "delete everything the lab owns", NULL },
	{ "exec", cmd_exec, USAGE_EXEC, "run a command inside a node", NULL },
	{ "list", cmd_list, USAGE_LIST, "labs on this machine",
	  "  --json        as JSON on stdout (docs/json.md)\n" },
	{ "generate", cmd_generate, USAGE_GENERATE, "print a lab file",
	  "  --name NAME   the lab's name (default: the kind and its numbers)\n" },
	{ "capture", cmd_capture, USAGE_CAPTURE, "a pcap of one interface of a running lab",
	  "  -w FILE         write to FILE (default NODE-IFACE.pcap); '-' streams to\n"
	  "                  standard output, one flush per packet:\n"
	  "                  topo capture LAB r1:eth0 -w - | tcpdump -nn -r -\n"
	  "  --count N       stop after N packets\n"
	  "  --duration D    stop after D (250ms, 10s, 2m)\n"
	  "Ctrl-C (SIGINT) or SIGTERM stops it too, leaving a complete file.\n" },
	{ "impair", cmd_impair, USAGE_IMPAIR, "impair one interface of a running lab (drift)",
	  "  --delay D, --jitter D, --distribution normal|pareto|paretonormal|uniform,\n"
	  "  --loss P, --loss-correlation P, --duplicate P, --reorder P, --gap N,\n"
	  "  --corrupt P, --rate R, --limit N\n"
	  "                the impairment, as impair: of the lab file says it\n"
	  "                (durations 20ms, percentages 0.5%, rates 10mbit)\n"
	  "  --clear       take the impairment off: the kernel's default qdisc\n"
	  "The change is drift from the file: `topo plan` shows it, `topo up` puts the\n"
	  "file's impairment back.\n" },
	{ "graph", cmd_graph, USAGE_GRAPH, "draw the lab; what a running lab lacks in red",
	  "  --format dot      Graphviz's language (the default): | dot -Tpng > lab.png\n"
	  "  --format mermaid  a Mermaid flowchart, for Markdown that renders it\n"
	  "  --format svg      an SVG picture, made by Graphviz's dot (Debian: graphviz)\n"
	  "  --host NAME       with hosts: in the lab, host NAME's part, its nodes; a node of\n"
	  "                    another host that a link reaches is a grey stub (its name,\n"
	  "                    its host) and the link says \"tunnel to host H\"\n" },
	{ "save", cmd_save, USAGE_SAVE, "print a lab file of the running lab as it is now",
	  "  -o, --output FILE  write to FILE (replaced only once complete) instead of stdout\n"
	  "  --name NAME        the saved lab's name (default: the running lab's)\n"
	  "  --prefix PREFIX    its namespace prefix (default: the running lab's; with\n"
	  "                     --name alone, the new name)\n"
	  "  --host NAME        with hosts: in the lab, this machine is host NAME (default:\n"
	  "                     the host whose address it has) and saves NAME's part;\n"
	  "                     the other hosts' nodes, and the links to them, are said\n"
	  "                     as left out (save each part on its own host)\n"
	  "Addresses, routes, links, MTUs, MACs, link states, sysctls and kinds come from\n"
	  "the kernel; probes from the lab's kept file. What the format cannot say goes\n"
	  "out as comments at the end, and on stderr.\n" },
	{ "test", cmd_test, USAGE_TEST, "CI: each lab up under its own run name, probed, torn down",
	  "  --junit DIR   DIR/LAB.xml per lab (also when `up` fails); on a failure DIR/LAB/\n"
	  "                holds the lab's status.json and logs/NODE/*.log\n"
	  "  --capture     also a pcap of every link while the probes ran (into DIR/LAB/\n"
	  "                on a failure; needs --junit)\n"
	  "  --keep        leave each lab up (its run name is printed) instead of tearing\n"
	  "                it down\n"
	  "Each lab runs as LAB-xxxxxx (namespaces PREFIX-xxxxxx-NODE), so that parallel\n"
	  "jobs never clash; lab names and prefixes can be at most 25 characters.\n"
	  "SIGINT or SIGTERM tears the lab down, then exits 130 or 143.\n"
	  "Exit status: 0 all passed, 3 a probe failed, 1 an error.\n" },
	{ "link", cmd_link, USAGE_LINK, "set an interface of a running lab down or up",
	  "A fault from a script: the interface of the lab (never one it did not make)\n"
	  "goes down or up in its node. The file is not changed: `plan` shows the\n"
	  "difference as drift and `up` puts the file's state back.\n" },
	{ "logs", cmd_logs, USAGE_LOGS, "print the log of a process a node runs (`run:`)",
	  "  NAME          the process (default: the node's only one)\n"
	  "  -f, --follow  go on printing what it writes, until Ctrl-C (SIGINT), SIGTERM,\n"
	  "                or until topo stops it\n"
	  "The log is /run/topo/LAB/NODE/NAME.log: the process's stdout and stderr.\n" },
	{ "place", cmd_place, USAGE_PLACE, "spread a lab over hosts: the file with hosts: and host:",
	  "  --hosts LIST   the hosts, NAME or NAME=ADDRESS (its underlay address), by\n"
	  "                 commas: a,b,c or a=192.0.2.10,b=192.0.2.11 (default: the\n"
	  "                 file's hosts:); an address not given comes from the file's\n"
	  "                 hosts:, or is a placeholder (192.0.2.x) to replace\n"
	  "  --max-nodes N  at most N nodes on a host, fewer links between hosts winning\n"
	  "                 over balance (default: an even share, nodes/hosts rounded up);\n"
	  "                 it counts the file's nodes: a LAN's hidden bridge goes with\n"
	  "                 most of its members, counted on no host\n"
	  "  --unpin        place every node anew, its own host: in the file or not\n"
	  "Nodes go where the fewest links cross from one host to another, with about\n"
	  "as many nodes on each host; the same file gives the same placement. A node\n"
	  "with its own host: (not one from defaults:) stays on that host, which\n"
	  "--hosts must name, and the others are placed around it. The lab\n"
	  "file comes out on stdout as written, with hosts: and a host: on every node;\n"
	  "nodes and links per host on stderr. Needs no privilege.\n" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;
	int n;

	fprintf(f, "usage: topo COMMAND [ARGS]    (topo COMMAND --help: one command)\n\n");
	for (i = 0; i < N_COMMANDS; i++) {
		n = fprintf(f, "  topo %s %s", commands[i].name, commands[i].args);
		if (n > 38)
			fprintf(f, "\n%40s%s\n", "", commands[i].help);
		else
			fprintf(f, "%*s%s\n", 40 - n, "", commands[i].help);
	}
	fprintf(f, "  topo --version\n");
	fprintf(f, "\nExit status: 0 ok, 1 error, 2 changes pending (plan), 3 a probe failed.\n");
}

/* `topo CMD --help` or `-h` before any `--`: the command's usage, on stdout. */
static bool wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

static int command_help(size_t i)
{
	printf("usage: topo %s %s\n%s\n", commands[i].name, commands[i].args, commands[i].help);
	if (commands[i].options)
		printf("\noptions:\n%s", commands[i].options);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	const char *name;
	bool help;
	size_t i;

	/* A big lab holds a namespace fd and a socket per node. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (argc < 2) {
		usage(stderr);
		return EXIT_ERR;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("topo %s\n", TOPO_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    (!strcmp(argv[1], "help") && argc == 2)) {
		usage(stdout);
		return EXIT_OK;
	}
	/* not a command for people: the supervisor `up` runs per process */
	if (!strcmp(argv[1], PROC_SUPERVISE))
		return proc_supervise(argc - 1, argv + 1);
	/* `topo help CMD` is `topo CMD --help` */
	help = !strcmp(argv[1], "help");
	name = argv[help ? 2 : 1];
	for (i = 0; i < N_COMMANDS; i++) {
		if (strcmp(name, commands[i].name))
			continue;
		if (help || wants_help(argc - 1, argv + 1))
			return command_help(i);
		return commands[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "topo: unknown command '%s'\n", name);
	usage(stderr);
	return EXIT_ERR;
}
