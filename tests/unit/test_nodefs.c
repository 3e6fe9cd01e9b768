// SPDX-License-Identifier: MIT
/* The node's own filesystem: `files:` and `dirs:` loaded and checked, the
 * files hash, the lab's hosts file, and the plan's files action. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load_nodefs.h"
#include "nodeenv.h"
#include "plan.h"
#include "topology.h"
#include "unit.h"
#include "want.h"

/* Load and check YAML as FILE; the messages into *MSGS (unless NULL). */
static struct topology *load_as(const char *file, const char *yaml, char **msgs)
{
	struct diag d = { 0 };
	struct topology *t = NULL;

	if (topo_load_buf(file, yaml, strlen(yaml), &t, &d) == 0 && topo_check(t, &d) < 0) {
		topo_free(t);
		t = NULL;
	}
	if (msgs)
		*msgs = messages(&d);
	diag_free(&d);
	return t;
}

static struct topology *load_ok(const char *yaml)
{
	char *m;
	struct topology *t = load_as("lab.yaml", yaml, &m);

	if (!t)
		fail_msg("load failed:\n%s", m);
	free(m);
	return t;
}

/* Loaded only: the sources need not exist. */
static struct topology *load_raw(const char *yaml)
{
	struct diag d = { 0 };
	struct topology *t = NULL;

	assert_int_equal(topo_load_buf("lab.yaml", yaml, strlen(yaml), &t, &d), 0);
	diag_free(&d);
	return t;
}

static void load_err(const char *file, const char *yaml, const char *expected)
{
	char *m;
	struct topology *t = load_as(file, yaml, &m);

	assert_null(t);
	assert_string_equal(m, expected);
	free(m);
}

static void test_path_rule(void **unused)
{
	static const char *const ok[] = { "/etc/motd", "/a", "/.hidden", "/a/b..c", "/procfs",
					  "/var/run/x" };
	static const char *const bad[] = { "", "etc", "/", "/a/", "/a//b", "/a/./b", "/a/..",
					   "/proc", "/sys/x", "/dev/null", "/a\nb" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ok); i++)
		assert_null(nodefs_path_problem(ok[i]));
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_non_null(nodefs_path_problem(bad[i]));
}

static void test_load_forms(void **unused)
{
	struct topology *t = load_raw("name: lab\n"
				     "nodes:\n"
				     "  a:\n"
				     "    files:\n"
				     "      /etc/motd: { content: \"hi\\n\" }\n"
				     "      /etc/x.conf: /dev/null\n"
				     "    dirs: [/var/run/a, /var/log/a]\n");
	const struct node *n = &t->nodes[0];

	assert_int_equal(n->n_files, 2);
	assert_string_equal(n->files[0].path, "/etc/motd");
	assert_string_equal(n->files[0].content, "hi\n");
	assert_null(n->files[0].source);
	assert_int_equal(n->files[0].pos.line, 5);
	assert_int_equal(n->files[0].pos.col, 7);
	assert_string_equal(n->files[1].source, "/dev/null");
	assert_null(n->files[1].content);
	assert_int_equal(n->files[1].source_pos.col, 20);
	assert_int_equal(n->n_dirs, 2);
	assert_string_equal(n->dirs[1].path, "/var/log/a");
	topo_free(t);
}

static void test_defaults_merge(void **unused)
{
	struct topology *t = load_ok("name: lab\n"
				     "defaults:\n"
				     "  files: { /etc/motd: { content: d }, /etc/a: { content: d } }\n"
				     "  dirs: [/run/x, /run/y]\n"
				     "nodes:\n"
				     "  a: { files: { /etc/motd: { content: own } }, dirs: [/run/y, /run/z] }\n"
				     "  b: {}\n");
	const struct node *a = &t->nodes[0], *b = &t->nodes[1];

	assert_int_equal(a->n_files, 2);
	assert_string_equal(a->files[0].path, "/etc/a");
	assert_string_equal(a->files[1].content, "own");
	assert_int_equal(a->n_dirs, 3);
	assert_string_equal(a->dirs[0].path, "/run/x");
	assert_string_equal(a->dirs[1].path, "/run/y");
	assert_int_equal(a->dirs[1].pos.line, 6);
	assert_string_equal(a->dirs[2].path, "/run/z");
	assert_int_equal(b->n_files, 2);
	assert_int_equal(b->n_dirs, 2);
	topo_free(t);
}

static void test_load_errors(void **unused)
{
	load_err("lab.yaml", "name: lab\nnodes: {a: {files: [/etc/x]}}\n",
		 "lab.yaml:2:20: error: expected a mapping, got a list");
	load_err("lab.yaml", "name: lab\nnodes: {a: {files: {/etc/x: {}}}}\n",
		 "lab.yaml:2:29: error: missing required key 'content'");
	load_err("lab.yaml", "name: lab\nnodes: {a: {files: {/etc/x: \"\"}}}\n",
		 "lab.yaml:2:29: error: empty source path");
	load_err("lab.yaml", "name: lab\nnodes: {a: {dirs: [/x/../y]}}\n",
		 "lab.yaml:2:20: error: path '/x/../y' must be normalised (no '.' or '..')");
	load_err("lab.yaml", "name: lab\nnodes: {a: {files: {/x: {content: a}}, dirs: [/x/y, /x/y]}}\n",
		 "lab.yaml:2:47: error: '/x/y' is inside '/x', a file of node a\n"
		 "lab.yaml:2:53: error: node a declares '/x/y' twice (in files or dirs)");
}

/* A source is relative to the lab file's directory, or absolute. */
static void test_check_sources(void **unused)
{
	char dir[] = "/tmp/topo-unit-nodefs.XXXXXX", lab[64], src[64], want[256];
	const char *yaml = "name: lab\nnodes: {a: {files: {/etc/x: x.conf}}}\n";
	struct topology *t;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(lab, sizeof(lab), "%s/lab.yaml", dir);
	snprintf(src, sizeof(src), "%s/x.conf", dir);
	snprintf(want, sizeof(want),
		 "%s:2:29: error: cannot read source 'x.conf' of /etc/x (%s): No such file or directory",
		 lab, src);
	load_err(lab, yaml, want);
	assert_non_null(f = fopen(src, "w"));
	fputs("one\n", f);
	fclose(f);
	assert_non_null(t = load_as(lab, yaml, NULL));
	topo_free(t);
	unlink(src);
	rmdir(dir);
}

static void test_files_hash(void **unused)
{
	struct topology *t = load_ok("name: lab\n"
				     "nodes:\n"
				     "  a: { files: { /ab: { content: c } } }\n"
				     "  b: { files: { /a: { content: bc } } }\n"
				     "  c: { dirs: [/ab] }\n"
				     "  d: {}\n"
				     "  e: { files: { /ab: { content: c } } }\n"
				     "  f: { files: { /ab: { content: C } } }\n");
	uint64_t h[6];
	size_t i;

	for (i = 0; i < 6; i++)
		h[i] = nodeenv_files_hash(t, &t->nodes[i]);
	assert_true(h[0] != h[1]);	/* "/ab"+"c" is not "/a"+"bc" */
	assert_true(h[0] != h[2]);	/* a file is not a dir */
	assert_int_equal(h[3], 0);	/* nothing declared */
	assert_true(h[0] == h[4]);
	assert_true(h[0] != h[5]);
	topo_free(t);
}

static void test_hosts_text(void **unused)
{
	struct topology *t = load_ok("name: lab\n"
				     "nodes:\n"
				     "  r1: { addresses: { lo: [10.255.0.1/32, 127.0.0.2/8] } }\n"
				     "  r2: {}\n"
				     "  r3: {}\n"
				     "links:\n"
				     "  - endpoints: [\"r1:e0 10.0.0.1/24 2001:db8::1/64\", \"r2:e0 10.0.0.2/24\"]\n"
				     "lans:\n"
				     "  seg: { members: [\"r1:e1 10.1.0.1/24\", r3:e0] }\n");
	char *text = nodeenv_hosts_text(t);

	assert_string_equal(text, "# the hosts of a topo lab: every node by name\n"
				  "127.0.0.1\tlocalhost\n"
				  "::1\tlocalhost ip6-localhost ip6-loopback\n"
				  "10.0.0.1\tr1\n"
				  "2001:db8::1\tr1\n"
				  "10.0.0.2\tr2\n"
				  "10.1.0.1\tr1\n"	/* a LAN's member; its bridge is no host */
				  "10.255.0.1\tr1\n");
	free(text);
	topo_free(t);
}

/* A node's files are a plan action when their hash differs from the record. */
static void test_plan_files(void **unused)
{
	struct topology *t = load_ok("name: lab\nnodes: {a: {files: {/x: {content: a}}}, b: {}}\n");
	struct state want = { 0 }, have = { 0 };
	struct act_text txt;
	char sum[128];
	struct plan p;
	size_t i;

	assert_int_equal(want_build(t, &want), 0);
	assert_int_equal(want_build(t, &have), 0);
	for (i = 0; i < have.n_ns; i++) {
		have.ns[i].owned = true;
		have.ns[i].files_hash = 0;
	}
	assert_int_equal(plan_diff(&want, &have, false, &p), 0);
	assert_int_equal(p.n_acts, 1);
	assert_int_equal(p.acts[0].type, ACT_FILES);
	action_text(&p.acts[0], &txt);
	assert_int_equal(txt.sign, '+');
	assert_string_equal(txt.kind, "files");
	assert_string_equal(txt.note, "1 file, 0 dirs");
	plan_summary(p.acts, p.n_acts, sum, sizeof(sum));
	assert_string_equal(sum, "Wrote the files and dirs of 1 node.");
	plan_free(&p);

	have.ns[0].files_hash = want.ns[0].files_hash + 1;
	assert_int_equal(plan_diff(&want, &have, false, &p), 0);
	assert_int_equal(p.n_acts, 1);
	action_text(&p.acts[0], &txt);
	assert_int_equal(txt.sign, '~');
	assert_string_equal(txt.note, "1 file, 0 dirs, changed since the last up");
	plan_free(&p);

	have.ns[0].files_hash = want.ns[0].files_hash;
	assert_int_equal(plan_diff(&want, &have, false, &p), 0);
	assert_int_equal(p.n_acts, 0);
	plan_free(&p);
	state_free(&want);
	state_free(&have);
	topo_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_rule),     cmocka_unit_test(test_load_forms),
		cmocka_unit_test(test_defaults_merge), cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_check_sources), cmocka_unit_test(test_files_hash),
		cmocka_unit_test(test_hosts_text),    cmocka_unit_test(test_plan_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
