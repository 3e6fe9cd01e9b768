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

/* Each command's arguments: its usage line, in `topo --help` and errors. */
#define USAGE_VALIDATE "FILE [--host NAME]"
#define USAGE_PLAN "FILE|LAB [--prune] [--json] [--host NAME]"
#define USAGE_UP                                                                                   \
	"FILE|LAB [--prune] [--no-probe] [--no-verify-impair] [--tune-host] [--json] [--junit FILE]"\
	" [-q|-v] [--failures] [--host NAME]"
#define USAGE_PROBE "FILE|LAB [--json] [--junit FILE] [-q] [--failures] [--host NAME]"
#define USAGE_STATUS "FILE|LAB [--json] [--host NAME]"
#define USAGE_DOWN "FILE|LAB [--grace D] [--host NAME]"
#define USAGE_EXEC "FILE|LAB NODE [-- CMD [ARGS...]]"
#define USAGE_LIST "[--json]"
#define USAGE_CAPTURE "FILE|LAB NODE:IFACE [-w FILE|-] [--count N] [--duration D]"
#define USAGE_GRAPH "FILE|LAB [--format dot|mermaid|svg] [--host NAME]"
#define USAGE_IMPAIR                                                                               \
	"FILE|LAB NODE:IFACE [--delay D] [--jitter D] [--loss P] [--rate R] [...] | --clear"
#define USAGE_GENERATE "chain N | grid W H | fat-tree K | star N [--name NAME]"
#define USAGE_LINK "FILE|LAB NODE:IFACE down|up"

/* One option of a command: --NAME (or -LETTER), a flag or one taking a value. */
struct cmd_opt {
	const char *name;
	char letter;		/* 0: no short form */
	bool *flag;		/* set when given; NULL: VALUE takes the next argument */
	const char **value;
};

/*
 * cmd_args - parse ARGV[1..] (ARGV[0] is the command's name): the options
 * in OPTS (ended by a row with no name), and at least MIN, at most MAX
 * other arguments into POS. 0, or -1 after saying what is wrong (an
 * unknown option, a missing value, too many or too few arguments) and
 * "usage: topo CMD USAGE". (main.c answers `topo CMD --help` itself.)
 */
int cmd_args(int argc, char **argv, const struct cmd_opt *opts, const char **pos, int min, int max,
	     const char *usage);

/* cmd_s - the plural ending for N things: "%zu node%s", n, cmd_s(n). */
static inline const char *cmd_s(size_t n)
{
	return n == 1 ? "" : "s";
}

/*
 * cmd_show - S for text output, control bytes as \xNN: a name the kernel
 * hands us (an interface, an alias, a namespace) may hold an escape
 * sequence, which must not reach the terminal. Unlike diag_show() it cuts
 * only at SIZE (with "..."), so whole sentences stay whole (diag_show_cut
 * with no byte limit). CMD_SHOW() does
 * it into a temporary buffer.
 */
const char *cmd_show(const char *s, char *buf, size_t size);
/* a plan_text.c sentence (ACT_TEXT_MAX 320) escaped whole, every byte \xNN */
#define CMD_SHOW_MAX 1400
#define CMD_SHOW(s) cmd_show((s), (char[CMD_SHOW_MAX]){ 0 }, CMD_SHOW_MAX)

/* cmd_load - load and check FILE, printing every diagnostic. NULL on errors. */
struct topology *cmd_load(const char *file);

/* cmd_load_lab - ARG is a lab file, or the name of a lab brought up before
 * (its file as kept in /run/topo/LAB). Sets *LAB; *T is NULL for a lab
 * whose file is gone. Returns 0 or EXIT_ERR (printed). */
int cmd_load_lab(const char *arg, char lab[TOPO_NAME_MAX + 1], struct topology **t);

/* cmd_lab_file - the lab file ARG names: ARG itself when it is a file
 * (as cmd_load_lab decides), else the copy kept in /run/topo/ARG/ by the
 * last `up` of lab ARG, into BUF (LEN bytes: 256 will do). NULL (printed)
 * when ARG is neither. */
const char *cmd_lab_file(const char *arg, char *buf, size_t len);

/* cmd_need_root - say which privilege WHAT needs, unless we have it. */
bool cmd_need_root(const char *what);

/* lab_lock - hold lab LAB's lock (rundir_lock), making its run directory
 * with CREATE. fd, or -1 (printed); without CREATE, a lab with no run
 * directory gets LAB_NO_LOCK. */
#define LAB_NO_LOCK (-2)
int lab_lock(const char *lab, bool create);

/* lab_lock_made - lab_lock making the run directory, saying in *MADE
 * whether it was made now (so that a refused `up` can leave none behind). */
int lab_lock_made(const char *lab, bool *made);

/* lab_unlock - let go of the lock from lab_lock. */
void lab_unlock(int fd);

/* cmd_signals - make SIGINT/SIGTERM set the returned flag (to the signal's
 * number) instead of killing. */
volatile sig_atomic_t *cmd_signals(void);

/* cmd_signal_exit - the exit status for a command stopped by the signal
 * cmd_signals caught: 128 + its number (130 SIGINT, 143 SIGTERM); 0 if none came. */
int cmd_signal_exit(void);

/* cmd_flag - is ARG the option --NAME? */
bool cmd_flag(const char *arg, const char *name);

struct plan;
struct action;
struct proc_plan;

/* plan_print - Terraform-style lines and the "Plan: ..." / "No changes." summary into F. */
void plan_print(const struct plan *p, FILE *f);

/* plan_print_procs - plan_print with the processes PROCS would start,
 * restart and stop (NULL: none) among the lines and the counts. */
void plan_print_procs(const struct plan *p, const struct proc_plan *procs, FILE *f);

/* action_print - one line into F: BEFORE, the action's sentence, AFTER. */
void action_print(const struct action *a, const char *before, const char *after, FILE *f);

/*
 * action_json - A as one JSON object into F: op (create, change, delete),
 * kind, node, namespace, object, iface, peer, attribute, before, after
 * (null where they do not apply), drift, text (its sentence). docs/json.md.
 */
void action_json(const struct action *a, FILE *f);

/* actions_json - the N actions from ACTS as a JSON array of action_json objects. */
void actions_json(const struct action *acts, size_t n, FILE *f);

/* plan_json - `topo plan --json`: P of lab LAB as one JSON object and a newline into F. */
void plan_json(const char *lab, const struct plan *p, FILE *f);
/* plan_json_procs - plan_json with the processes PROCS (NULL: none) would
 * start, restart and stop ("processes", and in the counts). */
void plan_json_procs(const char *lab, const struct plan *p, const struct proc_plan *procs,
		     FILE *f);

/* cmd_lab_hint - after "lab LAB is not here": when LAB is the namespace
 * prefix of a lab that is (names LAB-*), say which lab that is. */
void cmd_lab_hint(const char *lab);

/* cmd_node_iface - ARG "NODE:IFACE" into NODE and IFACE; false (printed, for CMD) when it is not. */
bool cmd_node_iface(const char *cmd, const char *arg, char node[TOPO_NAME_MAX + 1],
		    char iface[TOPO_IFNAME_MAX + 1]);

/* cmd_node_netns - the namespace of NODE of lab LAB, found by its mark, into
 * NSNAME: an open fd, or -1 after saying why (the lab or the node is not up). */
int cmd_node_netns(const char *lab, const char *node, char nsname[ST_NSNAMSIZ]);

/* topo capture (cmd_capture.c), topo graph (cmd_graph.c) */
int cmd_capture(int argc, char **argv);

/* topo impair (cmd_impair.c) */
int cmd_impair(int argc, char **argv);
int cmd_graph(int argc, char **argv);

/* topo logs (cmd_logs.c) */
int cmd_logs(int argc, char **argv);
#define USAGE_LOGS "FILE|LAB NODE [NAME] [-f]"

/* cmd_proc.c: the processes of a lab (`run:`) in plan, up, status and down */
/* procs_plan - what `up` starts, restarts and stops of LAB's processes for
 * file T into *PP. 0, or -1 (printed). */
int procs_plan(const struct topology *t, const char *lab, struct proc_plan *pp);
/* procs_plan_print - PP's lines ("+ process r1/web (...)") into F. */
void procs_plan_print(const struct proc_plan *pp, FILE *f);
/* procs_act_sentence - "h1: restart process web (exited with status 1)" into BUF. */
struct proc_act;
const char *procs_act_sentence(const struct proc_act *a, char *buf, size_t len);
/* procs_stop_phase - before the kernel changes: stop what PP stops or
 * restarts (saying so on INFO unless NULL). 0 or -1 (printed). */
int procs_stop_phase(const char *lab, const struct proc_plan *pp, FILE *info);
/* procs_gone_nodes_stop - before the kernel changes: stop every process
 * (whoever started it) in a namespace that P deletes, TERM then KILL after
 * DOWN_GRACE_US, as `down` does: a process would keep the namespace alive
 * after its name is gone. 0, or -1 (printed). */
int procs_gone_nodes_stop(const struct plan *p, FILE *info, const volatile sig_atomic_t *stop);
/* procs_start_phase - after the network is verified: start what PP starts
 * or restarts, in file order, each waited for until ready. 0 or -1 (printed). */
int procs_start_phase(const struct topology *t, const char *lab, const struct proc_plan *pp,
		      FILE *info, const volatile sig_atomic_t *stop);
/* procs_status_text, procs_status_json - NODE's processes in `status`. */
void procs_status_text(const char *lab, const char *node);
void procs_status_json(const char *lab, const char *node);
/* procs_down - stop every recorded process of LAB and remove their files. */
void procs_down(const char *lab);
/* topo save (cmd_save.c) */
int cmd_save(int argc, char **argv);
#define USAGE_SAVE "FILE|LAB [-o FILE] [--name NAME] [--prefix PREFIX] [--host NAME]"
/* topo link (cmd_link.c) */
int cmd_link(int argc, char **argv);

/* topo test (cmd_test.c): each lab up under a run's own name, probed, torn down */
int cmd_test(int argc, char **argv);
#define USAGE_TEST "FILE... [--junit DIR] [--keep] [--capture]"

/* cmd_up_lab - `topo up --no-probe -q` of T, loaded from FILE, keeping LEN
 * bytes of TEXT as its file in the run directory. EXIT_OK or EXIT_ERR (printed). */
int cmd_up_lab(struct topology *t, const char *file, const char *text, size_t len);

/* cmd_down_lab - `topo down LAB` (T: its file, or NULL): its processes
 * stopped (SIGTERM, SIGKILL after GRACE_US), its namespaces deleted; STOP,
 * when not NULL, a signal flag that interrupts it. EXIT_OK or EXIT_ERR (printed). */
int cmd_down_lab(const char *lab, const struct topology *t, uint64_t grace_us,
		 volatile sig_atomic_t *stop);

/* how long `down` waits for the lab's processes after SIGTERM (--grace) */
#define DOWN_GRACE_US 5000000

struct state;
/* status_host_text - `status`'s lines for the lab's host ends and nat (cmd_status_host.c). */
void status_host_text(const struct state *have);
/* status_host_json - `status --json`'s "host" member, with its leading comma (none without). */
void status_host_json(const struct state *have);

/* cmd_host_select - (cmd_host.c) the part of lab T this run makes: host NAME
 * (--host), or NULL for the one whose address this machine has (none and
 * several are errors). Sets T->self and T->underlay_mtu; a file `mtu` that
 * does not fit a tunnel is an error, and with STRICT so is a host the
 * underlay does not reach. A lab without hosts takes no NAME. 0 or
 * EXIT_ERR (printed). */
int cmd_host_select(struct topology *t, const char *name, bool strict);

/* cmd_host_pick - cmd_host_select's choice of T->self alone: no kernel
 * asked (host_by_address aside, without NAME), nothing else checked.
 * 0 or EXIT_ERR (printed). */
int cmd_host_pick(struct topology *t, const char *name);

/* cmd_host_part - "host b: 12 nodes, 3 tunnels (2 to a, 1 to c)": what
 * T->self makes of lab T, a line into F. */
void cmd_host_part(const struct topology *t, FILE *f);

/* vxlan_json - `,"vxlan":{"vni":..,"remote":..,"local":..,"port":..}` of V into F. */
void vxlan_json(const struct st_vxlan *v, FILE *f);

/* topo place (cmd_place.c): which host each node should run on */
int cmd_place(int argc, char **argv);
#define USAGE_PLACE "FILE [--hosts LIST] [--max-nodes N] [--unpin]"

#endif
