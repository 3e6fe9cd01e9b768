// SPDX-License-Identifier: MIT
/*
 * Processes (`run:`): the loader's part, records, telling a process from a
 * reused pid (and never signalling one), ports from /proc/net, and what
 * `up` starts, restarts and stops.
 */

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "load_run.h"
#include "nodeenv.h"
#include "proc.h"
#include "topology.h"
#include "unit.h"

static struct topology *load(const char *text, char **msgs)
{
	struct diag d = { .file = "lab.yaml" };
	struct topology *t = NULL;

	if (topo_load_buf("lab.yaml", text, strlen(text), &t, &d) == 0)
		topo_check(t, &d);
	*msgs = messages(&d);
	diag_free(&d);
	return t;
}

static void test_load_runs(void **state)
{
	const char *lab = "name: l\n"
			  "defaults: { run: [\"/usr/sbin/bird -f\"] }\n"
			  "nodes:\n"
			  "  a:\n"
			  "    run:\n"
			  "      - python3 -m http.server 8080\n"
			  "      - { name: web, cmd: \"x\", ready: { tcp: 80 }, env: { K: v, N: 1 } }\n"
			  "      - { name: f, cmd: \"y\", ready: { file: /run/y.pid, timeout: 2s } }\n";
	struct topology *t;
	const struct node *n;
	char *msgs;

	t = load(lab, &msgs);
	assert_non_null(t);
	assert_string_equal(msgs, "");
	n = &t->nodes[0];
	assert_int_equal(n->n_runs, 4);
	assert_string_equal(n->runs[0].name, "bird");	/* the defaults' first */
	assert_string_equal(n->runs[1].name, "python3");
	assert_int_equal(n->runs[1].ready, READY_NONE);
	assert_true(n->runs[1].ready_timeout_us == RUN_READY_TIMEOUT_US);
	assert_string_equal(n->runs[2].name, "web");
	assert_int_equal(n->runs[2].ready, READY_TCP);
	assert_int_equal(n->runs[2].ready_port, 80);
	assert_int_equal(n->runs[2].n_env, 2);
	assert_string_equal(n->runs[2].env[1].key, "N");
	assert_string_equal(n->runs[2].env[1].value, "1");
	assert_int_equal(n->runs[3].ready, READY_FILE);
	assert_string_equal(n->runs[3].ready_file, "/run/y.pid");
	assert_true(n->runs[3].ready_timeout_us == 2000000);
	topo_free(t);
	free(msgs);
}

static void expect_error(const char *runs, const char *error)
{
	char *text = xasprintf("name: l\nnodes:\n  a:\n    run: %s\n", runs), *msgs;
	struct topology *t = load(text, &msgs);

	if (!strstr(msgs, error))
		fail_msg("%s: expected '%s', got '%s'", runs, error, msgs);
	assert_null(t);
	free(msgs);
	free(text);
}

static void test_load_run_errors(void **state)
{
	expect_error("[sleep 1, sleep 2]",
		     "lab.yaml:4:20: error: process name 'sleep' used twice in node a (first at "
		     "4:11; give one a 'name:')");
	expect_error("[{ name: x, cmd: a }, { name: x, cmd: b }]", "4:40: error: process name 'x' used twice in node a (first at 4:19");
	expect_error("[{ name: a/b, cmd: a }]", "4:19: error: invalid process name 'a/b'");
	expect_error("[\"'quoted' x\"]", "4:11: error: no process name in ''quoted' x'");
	expect_error("[{ name: a }]", "4:11: error: missing required key 'cmd'");
	expect_error("[\"  \"]", "4:11: error: empty command");
	expect_error("[{ cmd: a, ready: { tcp: 1, file: /x } }]",
		     "4:28: error: ready needs exactly one of 'tcp', 'udp' or 'file'");
	expect_error("[{ cmd: a, ready: { udp: 70000 } }]", "4:35: error: port 70000 out of range");
	expect_error("[{ cmd: a, ready: { file: x.pid } }]",
		     "4:36: error: ready file 'x.pid' must be an absolute path");
	expect_error("[{ cmd: a, ready: { tcp: 1, timeout: 0s } }]",
		     "4:47: error: timeout '0s' out of range");
	expect_error("[{ cmd: a, env: { 1X: b } }]",
		     "4:28: error: invalid environment variable name '1X'");
	expect_error("[{ cmd: a, env: { X: [1] } }]", "4:31: error: expected a string, got a list");
	expect_error("[{ cmd: a, nmae: b }]", "4:21: error: unknown key 'nmae' (did you mean 'name'?)");
}

static void test_default_name(void **state)
{
	char buf[RUN_NAME_MAX + 1];

	assert_true(run_default_name("  /usr/sbin/bird -f -c x", buf, sizeof(buf)));
	assert_string_equal(buf, "bird");
	assert_true(run_default_name("python3.11", buf, sizeof(buf)));
	assert_string_equal(buf, "python3.11");
	assert_false(run_default_name("'q' x", buf, sizeof(buf)));
	assert_false(run_default_name("/usr/bin/ x", buf, sizeof(buf)));
	assert_false(run_name_valid(".hidden"));
	assert_false(run_name_valid("-x"));
}

static void test_record_parse(void **state)
{
	struct proc_record r = { .name = "web" };

	assert_int_equal(proc_record_parse("pid 10 777\nsupervisor 9 776\nhash 00ff\nsince 5\n"
					   "cmd a b  c\n",
					   &r),
			 0);
	assert_string_equal(r.name, "web");
	assert_int_equal(r.pid, 10);
	assert_true(r.start == 777 && r.super == 9 && r.super_start == 776);
	assert_true(r.hash == 0xff && r.since == 5);
	assert_string_equal(r.cmd, "a b  c");
	assert_false(r.exited);
	assert_int_equal(proc_record_parse("pid 10 777\nhash 1\nexit 137 99\n", &r), 0);
	assert_true(r.exited && r.status == 137 && r.ended == 99);
	assert_int_equal(proc_record_parse("hash 1\n", &r), -EINVAL);
	assert_int_equal(proc_record_parse("pid 10 1\n", &r), -EINVAL);
}

static void test_stat_parse(void **state)
{
	unsigned long long start;
	char st;
	/* a comm with spaces and a ')' of its own */
	const char *stat = "42 (a) b (c)) S 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
			   "98765 1000 200 18446744073709551615";

	assert_int_equal(proc_stat_parse(stat, &st, &start), 0);
	assert_int_equal(st, 'S');
	assert_true(start == 98765);
	assert_int_equal(proc_stat_parse("42 (x) S 1", &st, &start), -EINVAL);
}

/* A reused pid is not the process: same pid, another start time. */
static void test_pid_reuse(void **state)
{
	unsigned long long start;
	char st;

	assert_int_equal(proc_start_time(getpid(), &start, &st), 0);
	assert_true(proc_is(getpid(), start));
	assert_false(proc_is(getpid(), start + 1));
	assert_false(proc_is(0, start));
	assert_false(proc_is(-1, start));
}

/* proc_stop never signals a pid whose start time is not the recorded one. */
static void test_stop_checks_start(void **state)
{
	unsigned long long start;
	pid_t pid;
	char st;

	signal(SIGCHLD, SIG_IGN);	/* no zombie: gone is gone */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setpgid(0, 0);
		pause();
		_exit(0);
	}
	setpgid(pid, pid);
	assert_int_equal(proc_start_time(pid, &start, &st), 0);
	assert_int_equal(proc_stop(pid, start + 1, 1000000), -ESRCH);
	usleep(50000);
	assert_true(proc_is(pid, start));	/* not signalled */
	assert_int_equal(proc_stop(pid, start, 1000000), 0);
	assert_false(proc_is(pid, start));
	signal(SIGCHLD, SIG_DFL);
}

static void test_listens(void **state)
{
	const char *tcp =
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid\n"
		"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0\n"
		"   1: 0100007F:0050 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0\n";
	const char *tcp6 =
		"  sl  local_address                         remote_address                        st\n"
		"   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A\n";

	assert_true(proc_listens(tcp, 8080, true));
	assert_false(proc_listens(tcp, 80, true));	/* established, not listening */
	assert_true(proc_listens(tcp, 80, false));	/* udp: any bound socket */
	assert_true(proc_listens(tcp6, 22, true));
	assert_false(proc_listens(tcp6, 8080, true));
	assert_false(proc_listens("", 22, true));
}

static void test_tail(void **state)
{
	assert_string_equal(proc_tail("a\nb\nc\n", 2), "b\nc\n");
	assert_string_equal(proc_tail("a\nb\nc", 2), "b\nc");
	assert_string_equal(proc_tail("a\nb\n\n\n", 1), "b\n\n\n");
	assert_string_equal(proc_tail("a\nb\n", 10), "a\nb\n");
	assert_string_equal(proc_tail("", 3), "");
}

static void test_identity(void **state)
{
	struct run_env env = { "K", "1" };
	struct run_spec a = { .name = "w", .cmd = "x" }, b = a;
	uint64_t h = proc_identity(&a, 0);

	assert_true(h == proc_identity(&b, 0));
	assert_true(h != proc_identity(&a, 1));	/* the node's files changed */
	b.cmd = "y";
	assert_true(h != proc_identity(&b, 0));
	b = a;
	b.env = &env;
	b.n_env = 1;
	assert_true(h != proc_identity(&b, 0));
}

static struct proc_seen seen_of(const char *node, const struct run_spec *r, uint64_t hash,
				bool alive)
{
	struct proc_seen s = { .alive = alive };

	snprintf(s.node, sizeof(s.node), "%s", node);
	snprintf(s.rec.name, sizeof(s.rec.name), "%s", r ? r->name : "gone");
	s.rec.hash = hash;
	s.rec.pid = 100;
	return s;
}

static void test_plan_diff(void **state)
{
	const char *lab = "name: l\nnodes:\n"
			  "  a: { run: [sleep 1, { name: w, cmd: x }, { name: z, cmd: y }, q 2] }\n"
			  "  b: {}\n";
	struct topology *t;
	struct proc_seen seen[4];
	struct proc_plan p;
	const struct node *a;
	uint64_t h[4];
	char *msgs, why[128];
	size_t i;

	t = load(lab, &msgs);
	assert_non_null(t);
	a = &t->nodes[0];
	for (i = 0; i < 4; i++)
		h[i] = proc_identity(&a->runs[i], nodeenv_files_hash(t, a));
	seen[0] = seen_of("a", &a->runs[0], h[0], true);	/* the same: left alone */
	seen[1] = seen_of("a", &a->runs[1], h[1], false);	/* died */
	seen[1].rec.exited = true;
	seen[1].rec.status = 3;
	seen[2] = seen_of("a", &a->runs[2], h[2] + 1, true);	/* changed */
	seen[3] = seen_of("b", NULL, 5, true);			/* dropped */
	assert_int_equal(proc_plan_diff(t, seen, 4, &p), 0);
	assert_int_equal(p.n, 4);
	assert_true(p.n_start == 1 && p.n_restart == 2 && p.n_stop == 1);
	assert_int_equal(p.acts[0].type, PROC_RESTART);
	assert_string_equal(p.acts[0].spec->name, "w");
	assert_string_equal(proc_act_why(&p.acts[0], why, sizeof(why)), "exited with status 3");
	assert_int_equal(p.acts[1].type, PROC_RESTART);
	assert_string_equal(proc_act_why(&p.acts[1], why, sizeof(why)),
			    "its command, environment or files changed");
	assert_true(p.acts[1].alive);
	assert_int_equal(p.acts[2].type, PROC_START);
	assert_string_equal(p.acts[2].spec->name, "q");
	assert_true(p.acts[2].hash == h[3]);
	assert_int_equal(p.acts[3].type, PROC_STOP);
	assert_string_equal(p.acts[3].node, "b");
	assert_string_equal(p.acts[3].rec.name, "gone");
	proc_plan_free(&p);
	/* running as the file says, but in a namespace of the node deleted since */
	seen[0].elsewhere = true;
	assert_int_equal(proc_plan_diff(t, seen, 4, &p), 0);
	assert_int_equal(p.n, 5);
	assert_int_equal(p.acts[0].type, PROC_RESTART);
	assert_string_equal(p.acts[0].spec->name, "sleep");
	assert_string_equal(proc_act_why(&p.acts[0], why, sizeof(why)),
			    "it runs in a namespace of the node deleted since");
	seen[0].elsewhere = false;
	proc_plan_free(&p);
	/* no file (down, status LAB): everything recorded stops */
	assert_int_equal(proc_plan_diff(NULL, seen, 4, &p), 0);
	assert_true(p.n == 4 && p.n_stop == 4);
	proc_plan_free(&p);
	topo_free(t);
	free(msgs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_runs),     cmocka_unit_test(test_load_run_errors),
		cmocka_unit_test(test_default_name),  cmocka_unit_test(test_record_parse),
		cmocka_unit_test(test_stat_parse),    cmocka_unit_test(test_pid_reuse),
		cmocka_unit_test(test_stop_checks_start), cmocka_unit_test(test_listens),
		cmocka_unit_test(test_identity),      cmocka_unit_test(test_plan_diff),
		cmocka_unit_test(test_tail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
