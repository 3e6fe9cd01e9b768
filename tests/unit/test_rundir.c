// SPDX-License-Identifier: MIT
/*
 * rundir's path rule and its all-or-nothing file replacement: a write that
 * fails part-way (here: the file size limit, RLIMIT_FSIZE) publishes
 * nothing and leaves no temporary behind; the old file stays.
 */

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "rundir.h"

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/topo-rundir-XXXXXX");
	signal(SIGXFSZ, SIG_IGN);	/* a write over the limit fails with EFBIG instead */
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static char *slurp(const char *path)
{
	static char buf[256];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void fsize_limit(rlim_t n)
{
	struct rlimit rl;

	getrlimit(RLIMIT_FSIZE, &rl);
	rl.rlim_cur = n;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &rl), 0);
}

static void test_path(void **state)
{
	char buf[128];

	assert_int_equal(rundir_path("lab1", "exec-h1", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/run/topo/lab1/exec-h1");
	assert_int_equal(rundir_path("lab1", NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/run/topo/lab1");
	assert_int_equal(rundir_path("../etc", "x", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(rundir_path("lab1", "exec-h1", buf, 10), -ENAMETOOLONG);
}

static void test_write_fails(void **state)
{
	char path[128], tmp[140];

	snprintf(path, sizeof(path), "%s/exec-h1", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(rundir_replace_write(path, "old\n", 4), 0);
	fsize_limit(2);
	assert_int_equal(rundir_replace_write(path, "0123456789abcdef\n", 17), -EFBIG);
	fsize_limit(RLIM_INFINITY);
	assert_string_equal(slurp(path), "old\n");
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(rundir_replace_write(path, "new\n", 4), 0);
	assert_string_equal(slurp(path), "new\n");
}

static void test_copy_fails(void **state)
{
	char from[128], path[128], tmp[140];
	FILE *f;

	snprintf(from, sizeof(from), "%s/src.yaml", dir);
	snprintf(path, sizeof(path), "%s/lab.yaml", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(from, "w");
	fputs("name: a-rather-long-lab-file\nnodes: {}\n", f);
	fclose(f);
	/* A write cut short: the old copy stays, no truncated one replaces it. */
	assert_int_equal(rundir_replace_write(path, "old\n", 4), 0);
	fsize_limit(8);
	assert_int_equal(rundir_replace_copy(from, path), -EFBIG);
	fsize_limit(RLIM_INFINITY);
	assert_string_equal(slurp(path), "old\n");
	assert_int_equal(access(tmp, F_OK), -1);
	/* A read that fails (a directory): nothing published either. */
	assert_int_equal(rundir_replace_copy(dir, path), -EISDIR);
	assert_string_equal(slurp(path), "old\n");
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(rundir_replace_copy(from, path), 0);
	assert_string_equal(slurp(path), "name: a-rather-long-lab-file\nnodes: {}\n");
}

/* A node's directory: a lab file of the lab's has a '.', a node never. */
static void test_node_path(void **state)
{
	char buf[128];

	assert_int_equal(rundir_node_path("lab1", "r1", "uts", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/run/topo/lab1/r1/uts");
	assert_int_equal(rundir_node_path("lab1", "r1", NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/run/topo/lab1/r1");
	assert_int_equal(rundir_node_path("lab1", "lab.lock", NULL, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(rundir_node_path("lab1", "..", "x", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(rundir_node_path("lab1", "r1", "uts", buf, 12), -ENAMETOOLONG);
	assert_int_equal(rundir_path("lab1", RUNDIR_LAB_LOCK, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/run/topo/lab1/lab.lock");
}

/* The whole tree goes, a symbolic link as a link (never what it points at). */
static void test_remove_tree(void **state)
{
	char top[128], path[192], keep[128];
	int fd;

	snprintf(top, sizeof(top), "%s/tree", dir);
	snprintf(keep, sizeof(keep), "%s/keep", dir);
	assert_int_equal(mkdir(top, 0755), 0);
	assert_int_equal(mkdir(keep, 0755), 0);
	snprintf(path, sizeof(path), "%s/a", top);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/a/b", top);
	assert_true((fd = open(path, O_WRONLY | O_CREAT, 0644)) >= 0);
	close(fd);
	snprintf(path, sizeof(path), "%s/link", top);
	assert_int_equal(symlink(keep, path), 0);
	assert_int_equal(rundir_remove_tree(top), 0);
	assert_int_equal(access(top, F_OK), -1);
	assert_int_equal(access(keep, F_OK), 0);
	assert_int_equal(rundir_remove_tree(top), 0);	/* nothing there: done */
}

/* An exec record line keeps any command whole: backslashes, newlines. */
static void test_exec_line(void **state)
{
	static const char *const cmds[] = { "true", "printf 'a\\nb'\nip link set eth0 up", "\\", "", "x\\" };
	uint64_t id;
	char *line, *cmd;
	size_t i;

	(void)state;
	line = rundir_exec_line(0x1234abcdULL, "a\nb\\n");
	assert_string_equal(line, "000000001234abcd a\\nb\\\\n\n");
	free(line);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		line = rundir_exec_line(i + 1, cmds[i]);
		assert_true(strchr(line, '\n') == line + strlen(line) - 1);
		line[strlen(line) - 1] = '\0';
		assert_int_equal(rundir_exec_line_parse(line, &id, &cmd), 0);
		assert_true(id == i + 1);
		assert_string_equal(cmd, cmds[i]);
		free(cmd);
		free(line);
	}
	/* an older topo's record (a hash of the whole list) is no line */
	assert_int_equal(rundir_exec_line_parse("00000000deadbeef", &id, &cmd), -EINVAL);
	assert_int_equal(rundir_exec_line_parse("zz000000deadbeef x", &id, &cmd), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_write_fails),
		cmocka_unit_test(test_copy_fails),
		cmocka_unit_test(test_node_path),
		cmocka_unit_test(test_remove_tree),
		cmocka_unit_test(test_exec_line),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
