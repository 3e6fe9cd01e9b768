/* SPDX-License-Identifier: MIT */
#ifndef TOPO_GENERATE_H
#define TOPO_GENERATE_H

/*
 * `topo generate`: lab files for the usual large shapes (chain, grid,
 * fat-tree, star), with an address plan and static routes so that every
 * node reaches every node, and probes that fail when a route is wrong.
 * The output is an ordinary lab file: nothing downstream knows it was
 * generated.
 */

#include <stddef.h>
#include <stdio.h>

/*
 * generate_main - `topo generate KIND ARGS...`: print a lab file to OUT. Returns 0, or 1 with a
 * message in ERR for bad arguments (usage). argv[0] is "generate".
 */
int generate_main(int argc, char **argv, FILE *out, char *err, size_t errlen);

/* GENERATE_USAGE - one line per kind, for `topo help` and error messages. */
#define GENERATE_USAGE \
	"usage: topo generate chain N | grid W H | fat-tree K | star N [--name NAME]"

#endif
