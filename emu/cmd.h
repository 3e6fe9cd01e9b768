/* SPDX-License-Identifier: MIT */
#ifndef TOPO_CMD_H
#define TOPO_CMD_H

/*
 * The command layer: the only code that prints. Each `topo CMD` is one
 * cmd_*.c file with a `cmd_NAME(argc, argv)` returning the exit status.
 */

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "state.h"
#include "topology.h"

enum { EXIT_OK = 0, EXIT_ERR = 1, EXIT_PENDING = 2, EXIT_PROBE = 3 };

int cmd_validate(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_up(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_down(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_generate(int argc, char **argv);

/* cmd_load - load and check FILE, printing every diagnostic. NULL on errors. */
struct topology *cmd_load(const char *file);

/* cmd_load_lab - ARG is a lab file, or the name of a lab brought up before
 * (its file as kept in /run/topo/LAB). Sets *LAB; *T is NULL for a lab
 * whose file is gone. Returns 0 or EXIT_ERR (printed). */
int cmd_load_lab(const char *arg, char lab[TOPO_NAME_MAX + 1], struct topology **t);

/* cmd_need_root - say which privilege WHAT needs, unless we have it. */
bool cmd_need_root(const char *what);

/* lab_lock - hold lab LAB's lock (rundir_lock), making its run directory
 * with CREATE. fd, or -1 (printed); without CREATE, a lab with no run
 * directory gets LAB_NO_LOCK. */
#define LAB_NO_LOCK (-2)
int lab_lock(const char *lab, bool create);

/* lab_unlock - let go of the lock from lab_lock. */
void lab_unlock(int fd);

/* cmd_signals - make SIGINT/SIGTERM set the returned flag instead of killing. */
volatile sig_atomic_t *cmd_signals(void);

/* cmd_flag - is ARG the option --NAME? */
bool cmd_flag(const char *arg, const char *name);

struct plan;
struct action;

/* plan_print - Terraform-style lines and the "Plan: ..." / "No changes." summary into F. */
void plan_print(const struct plan *p, FILE *f);

/* action_print - one line into F: BEFORE, the action's sentence, AFTER. */
void action_print(const struct action *a, const char *before, const char *after, FILE *f);

/* cmd_lab_hint - after "lab LAB is not here": when LAB is the namespace
 * prefix of a lab that is (names LAB-*), say which lab that is. */
void cmd_lab_hint(const char *lab);

/* topo capture (cmd_capture.c), topo graph (cmd_graph.c) */
int cmd_capture(int argc, char **argv);
int cmd_graph(int argc, char **argv);

#endif
