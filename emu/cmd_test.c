// SPDX-License-Identifier: MIT
/*
 * topo test: the CI command. Each lab file is brought up under a name of
 * its own for this run (lab name and namespace prefix with a random
 * suffix, so that two jobs on one runner never meet), probed and torn
 * down, whatever happened and also on SIGINT/SIGTERM, unless --keep. With
 * --junit DIR: DIR/LAB.xml per lab, and on a failure DIR/LAB/ with the
 * lab's `status --json`, its processes' logs and (--capture) a pcap per link.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "cmd.h"
#include "netns.h"
#include "probe.h"
#include "rundir.h"
#include "runname.h"
#include "util.h"

/* "-" and this many random letters and digits: 36^6, two billion runs. */
#define SUFFIX_RANDOM 6
#define SUFFIX_LEN (1 + SUFFIX_RANDOM)

struct test_opts {
	const char *junit_dir;	/* NULL: no files */
	bool keep, capture;
};

/* One lab file's run. */
struct test_lab {
	const char *file;
	struct topology *t;
	char name[TOPO_NAME_MAX + 1];	/* as the file says: the JUnit suite's name */
	char run[TOPO_NAME_MAX + 1];	/* name and suffix: the lab as it is up */
	char *text;		/* the file with the run's name and prefix, kept in /run/topo */
	size_t len;
	char *said;		/* what topo said on stderr while bringing it up */
	char *out;		/* DIR/NAME: the files of a failure */
	struct capture_if *cap;
	size_t n_cap;
};

static void test_lab_free(struct test_lab *l)
{
	topo_free(l->t);
	free(l->text);
	free(l->said);
	free(l->out);
	free(l->cap);
}

/* ---- stderr and stdout into files, for the JUnit and the status ---- */

/* Where fd TARGET went before redirect(): restored by restore(). */
struct redirect {
	int target, saved;
};

/* Send fd TARGET (1 or 2) into file F until restore(). */
static int redirect(struct redirect *r, int target, FILE *f)
{
	fflush(target == 1 ? stdout : stderr);
	r->target = target;
	if ((r->saved = dup(target)) < 0 || dup2(fileno(f), target) < 0)
		return -errno;
	return 0;
}

static void restore(struct redirect *r)
{
	fflush(r->target == 1 ? stdout : stderr);
	if (r->saved >= 0) {
		dup2(r->saved, r->target);
		close(r->saved);
	}
}

/* What F holds (from its start), as a new string of *LEN bytes; F is closed. */
static char *slurp(FILE *f, size_t *len)
{
	size_t cap = 4096, n = 0, got;
	char *s = xmalloc(cap);

	rewind(f);
	while ((got = fread(s + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap)
			s = xrealloc(s, cap *= 2);
	}
	s[n] = '\0';
	fclose(f);
	if (len)
		*len = n;
	return s;
}

/* ---- the run's name ---- */

static void suffix_make(char suffix[SUFFIX_LEN + 1])
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char r[SUFFIX_RANDOM];
	size_t i;

	/* getrandom never fails for a few bytes once the pool is up; the
	 * time and pid are a fallback that still differs between jobs. */
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		for (i = 0; i < sizeof(r); i++)
			r[i] = (unsigned char)((now_us() >> (i * 5)) ^ ((unsigned)getpid() >> i));
	suffix[0] = '-';
	for (i = 0; i < SUFFIX_RANDOM; i++)
		suffix[1 + i] = chars[r[i] % (sizeof(chars) - 1)];
	suffix[SUFFIX_LEN] = '\0';
}

/* Does NAME with the suffix fit TOPO_NAME_MAX, and every namespace name? Printed when not. */
static bool suffix_fits(const struct test_lab *l, const char *what, const char *name)
{
	size_t i, len = strlen(name) + SUFFIX_LEN;

	if (len > TOPO_NAME_MAX) {
		fprintf(stderr,
			"topo: test: %s: %s '%s' is %zu characters; topo test adds a %d-character "
			"run suffix (-xxxxxx) and names are at most %d, so it can be at most %d: "
			"shorten it\n", l->file, what, name, strlen(name), SUFFIX_LEN, TOPO_NAME_MAX,
			TOPO_NAME_MAX - SUFFIX_LEN);
		return false;
	}
	for (i = 0; i < l->t->n_nodes && strcmp(what, "lab name"); i++) {
		if (len + 1 + strlen(l->t->nodes[i].name) <= TOPO_NSNAME_MAX)
			continue;
		fprintf(stderr,
			"topo: test: %s: namespace name '%s-xxxxxx-%s' (prefix, topo test's run "
			"suffix, node) is longer than %d characters: shorten the prefix or node %s\n",
			l->file, name, l->t->nodes[i].name, TOPO_NSNAME_MAX, l->t->nodes[i].name);
		return false;
	}
	return true;
}

/*
 * Give L's lab its run's name: the topology in memory, and the text kept in
 * /run/topo (so that `status RUN` and `down RUN` read the same names). The
 * name and prefix are rewritten where the file has them, so comments and
 * everything else stay as written. -1 (printed) when that cannot be done.
 */
static int test_rename(struct test_lab *l)
{
	struct topology *t = l->t;
	char suffix[SUFFIX_LEN + 1], dir[PATH_MAX], *text = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(l->name, sizeof(l->name), "%s", t->name);
	if (!suffix_fits(l, "lab name", t->name) || !suffix_fits(l, "prefix", t->prefix))
		return -1;
	/* A lab left by an earlier run (killed with SIGKILL) keeps its name. */
	do {
		suffix_make(suffix);
		snprintf(l->run, sizeof(l->run), "%s%s", t->name, suffix);
	} while (rundir_path(l->run, NULL, dir, sizeof(dir)) == 0 && access(dir, F_OK) == 0);
	if ((f = fopen(l->file, "re")))
		text = slurp(f, &len);
	if (!text || runname_text(text, len, t, suffix, &l->text, &l->len) < 0) {
		fprintf(stderr, "topo: test: %s: cannot find the lab's name or prefix in it to "
			"rename the lab for the run (write them as plain scalars)\n", l->file);
		free(text);
		return -1;
	}
	free(text);
	runname_apply(t, suffix);
	return 0;
}

/* ---- the files of a run ---- */

/* mkdir PATH unless it is there; -1 (printed) on failure. */
static int dir_want(const char *path)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	fprintf(stderr, "topo: test: %s: %s\n", path, strerror(errno));
	return -1;
}

/* DIR/LEAF of L's failure files (the directory made first); a new string, or NULL (printed). */
static char *out_path(struct test_lab *l, const char *leaf)
{
	if (dir_want(l->out) < 0)
		return NULL;
	return xasprintf("%s/%s", l->out, leaf);
}

/* A new file at PATH, not through a symlink planted there: an fd, or -1 (printed). */
static int out_fd(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd < 0)
		fprintf(stderr, "topo: test: %s: %s%s\n", path, strerror(errno),
			errno == ELOOP ? " (a symlink: not followed)" : "");
	return fd;
}

/* The same as a stream; NULL (printed). */
static FILE *out_open(const char *path)
{
	int fd = out_fd(path);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");

	if (fd >= 0 && !f) {
		fprintf(stderr, "topo: test: %s: %s\n", path, strerror(errno));
		close(fd);
	}
	return f;
}

/* The JUnit file of a lab that never got to its probes: TEST failed, saying TEXT. */
static void junit_error(const struct test_opts *o, const struct test_lab *l, const char *key,
			const char *test, const char *text)
{
	char *path;
	FILE *f;

	if (!o->junit_dir)
		return;
	path = xasprintf("%s/%s.xml", o->junit_dir, key);
	if ((f = out_open(path))) {
		probe_report_junit_error(l->name[0] ? l->name : key, l->file, test, text, f);
		if (fclose(f) != 0)
			fprintf(stderr, "topo: test: %s: %s\n", path, strerror(errno));
	}
	free(path);
}

/* `topo status RUN --json` into DIR/KEY/status.json, as the command prints it. */
static void save_status(struct test_lab *l)
{
	char *path = out_path(l, "status.json");
	char *argv[] = { "status", l->run, "--json", NULL };
	struct redirect r;
	FILE *f;

	if (!path || !(f = out_open(path))) {
		free(path);
		return;
	}
	if (redirect(&r, STDOUT_FILENO, f) == 0)
		cmd_status(3, argv);
	restore(&r);
	fclose(f);
	free(path);
}

/* Log NAME of NODE, in FROM_DIR, into DIR/KEY/logs/NODE/. */
static void save_log(const struct test_lab *l, const char *node, const char *from_dir,
		     const char *name)
{
	char *logs = xasprintf("%s/logs", l->out), *dir = xasprintf("%s/%s", logs, node);
	char *from = xasprintf("%s/%s", from_dir, name), *to = xasprintf("%s/%s", dir, name);
	int e;

	if (dir_want(l->out) == 0 && dir_want(logs) == 0 && dir_want(dir) == 0 &&
	    (e = rundir_replace_copy(from, to)) < 0)
		fprintf(stderr, "topo: test: copy %s to %s: %s\n", from, to, strerror(-e));
	free(logs);
	free(dir);
	free(from);
	free(to);
}

/* Every /run/topo/RUN/NODE/ *.log (the logs of the node's processes), before the teardown. */
static void save_logs(const struct test_lab *l)
{
	char from[PATH_MAX];
	struct dirent *e;
	size_t i, n;
	DIR *d;

	for (i = 0; i < l->t->n_nodes; i++) {
		const char *node = l->t->nodes[i].name;

		if (rundir_path(l->run, node, from, sizeof(from)) < 0 || !(d = opendir(from)))
			continue;
		while ((e = readdir(d))) {
			n = strlen(e->d_name);
			if (n > 4 && !strcmp(e->d_name + n - 4, ".log") && e->d_type != DT_DIR)
				save_log(l, node, from, e->d_name);
		}
		closedir(d);
	}
}

/* ---- capture ---- */

/* The end of link K to capture: a host's or a router's rather than a bridge port. */
static const struct endpoint *capture_end(const struct topology *t, const struct link *k)
{
	const struct node *n = topo_node_find(t, k->ep[0].node);

	return n && n->kind == NODE_BRIDGE ? &k->ep[1] : &k->ep[0];
}

/* Open the socket and the file of the capture of EP into C; -1 (printed). */
static int capture_one(struct test_lab *l, const struct endpoint *ep, struct capture_if *c)
{
	char ns[TOPO_NSNAME_MAX + 1], *leaf = xasprintf("%s-%s.pcap", ep->node, ep->iface);
	char *path = out_path(l, leaf);
	const char *step = "open the namespace";
	unsigned arphrd = 0;
	int fd, e;

	topo_nsname(l->t, ep->node, ns, sizeof(ns));
	if ((e = fd = netns_open(ns)) >= 0) {
		e = capture_if_open(c, fd, ep->iface, &arphrd, &step);
		close(fd);
	}
	if (e < 0) {
		fprintf(stderr, "topo: test: capture %s:%s: %s: %s\n", ep->node, ep->iface, step,
			strerror(-e));
	} else if (!path || (c->out = out_fd(path)) < 0) {
		e = -1;
	} else if ((e = capture_file_header(c->out)) < 0) {
		fprintf(stderr, "topo: test: %s: %s\n", path, strerror(-e));
	}
	if (e < 0)
		capture_if_close(c);
	free(leaf);
	free(path);
	return e < 0 ? -1 : 0;
}

/*
 * A pcap of every link of L while its probes run: one packet socket per
 * link, at one end, drained by one thread. A link that cannot be captured
 * is said and left out. -1 when none can.
 */
static int capture_start(struct test_lab *l, struct capture_set *set)
{
	size_t i;
	int e;

	l->cap = xcalloc(l->t->n_links + 1, sizeof(*l->cap));
	for (i = 0; i < l->t->n_links; i++)
		if (capture_one(l, capture_end(l->t, &l->t->links[i]), &l->cap[l->n_cap]) == 0)
			l->n_cap++;
	if (!l->n_cap)
		return -1;
	if ((e = capture_set_start(set, l->cap, l->n_cap)) < 0) {
		fprintf(stderr, "topo: test: capture: %s\n", strerror(-e));
		for (i = 0; i < l->n_cap; i++)
			capture_if_close(&l->cap[i]);
		return -1;
	}
	return 0;
}

/* Stop the capture; a passed lab keeps no pcap (only failures leave files). */
static void capture_finish(struct test_lab *l, struct capture_set *set, bool passed)
{
	size_t i;
	int e;

	if ((e = capture_set_stop(set)) < 0)
		fprintf(stderr, "topo: test: capture: %s\n", strerror(-e));
	for (i = 0; passed && i < l->t->n_links; i++) {
		const struct endpoint *ep = capture_end(l->t, &l->t->links[i]);
		char *path = xasprintf("%s/%s-%s.pcap", l->out, ep->node, ep->iface);

		unlink(path);
		free(path);
	}
	if (passed)
		rmdir(l->out);
}

/* ---- one lab ---- */

/*
 * Load, rename and bring up L, what topo says on stderr kept for the JUnit
 * too (and passed on). EXIT_OK or EXIT_ERR; *TRIED when `up` was begun, so
 * that there may be something to tear down.
 */
static int test_up(struct test_lab *l, bool *tried)
{
	struct redirect r = { .saved = -1 };
	FILE *f = tmpfile();
	int rc = EXIT_ERR;

	*tried = false;
	if (f && redirect(&r, STDERR_FILENO, f) < 0) {
		restore(&r);
		fclose(f);
		f = NULL;
	}
	if ((l->t = cmd_load(l->file)) && test_rename(l) == 0) {
		*tried = true;
		rc = cmd_up_lab(l->t, l->file, l->text, l->len);
	}
	if (f) {
		restore(&r);
		l->said = slurp(f, NULL);
		fputs(l->said, stderr);
	}
	return rc;
}

/* DIR/KEY.xml and DIR/KEY/: the lab's name, or the file's stem when the file
 * did not load, with a number after it for a name two files give. Into KEY. */
static void test_key(const struct test_lab *l, struct strmap *keys, char *key, size_t len)
{
	const char *base = strrchr(l->file, '/') ? strrchr(l->file, '/') + 1 : l->file;
	char stem[TOPO_NAME_MAX + 1];
	size_t n = 1;

	if (l->name[0])
		snprintf(stem, sizeof(stem), "%s", l->name);
	else
		snprintf(stem, sizeof(stem), "%.*s", (int)strcspn(base, "."), base);
	if (!stem[0])
		snprintf(stem, sizeof(stem), "lab");
	snprintf(key, len, "%s", stem);
	while (!strmap_put(keys, key, strlen(key), 0, NULL))
		snprintf(key, len, "%s-%zu", stem, ++n);
}

/* Probe L (capturing with --capture); the JUnit into DIR/KEY.xml. 0, 3, 1, or 128 + signal. */
static int test_probe(const struct test_opts *o, struct test_lab *l, const char *key)
{
	struct probe_opts po = { .stop = cmd_signals() };
	struct capture_set set = { 0 };
	char err[512], *junit = NULL, *name = l->t->name;
	bool capturing = o->capture && l->out && capture_start(l, &set) == 0;
	int e;

	if (o->junit_dir)
		po.junit_path = junit = xasprintf("%s/%s.xml", o->junit_dir, key);
	/* The report names the lab as its file does, so that CI sees the same
	 * suite on every run; the probes find the namespaces by the prefix. */
	l->t->name = l->name;
	e = probe_lab(l->t, &po, stdout, err, sizeof(err));
	l->t->name = name;
	if (capturing)
		capture_finish(l, &set, e == 0);
	free(junit);
	if (e == -EINTR) {
		snprintf(err, sizeof(err), "interrupted by signal %d (%s) while probing",
			 cmd_signal_exit() - 128, strsignal(cmd_signal_exit() - 128));
		fprintf(stderr, "topo: test: lab %s: %s; tearing it down\n", l->name, err);
		junit_error(o, l, key, "probe", err);
		return cmd_signal_exit();
	}
	if (e < 0) {
		fprintf(stderr, "topo: probe: %s\n", err);
		junit_error(o, l, key, "probe", err);
		return EXIT_ERR;
	}
	return e ? EXIT_PROBE : EXIT_OK;
}

/* After the probes: a failure's files, then the teardown (or, --keep, how to reach the lab). */
static int test_finish(const struct test_opts *o, struct test_lab *l, int rc)
{
	if (rc != EXIT_OK && l->out && !cmd_signal_exit()) {
		save_status(l);
		save_logs(l);
		printf("topo: test: lab %s failed; its status and logs are in %s/\n", l->name,
		       l->out);
	}
	if (o->keep) {
		printf("topo: test: lab %s is kept up as %s: `topo status %s`, "
		       "`topo exec %s NODE -- CMD`; `topo down %s` removes it\n",
		       l->name, l->run, l->run, l->run, l->run);
		return rc;
	}
	/* Not stoppable: a signal has come already when the run is cut short. */
	if (cmd_down_lab(l->run, l->t, NULL) != EXIT_OK) {
		fprintf(stderr, "topo: test: lab %s: the teardown failed; `topo down %s` again\n",
			l->name, l->run);
		return rc == EXIT_OK || rc == EXIT_PROBE ? EXIT_ERR : rc;
	}
	return rc;
}

static int test_one(const struct test_opts *o, const char *file, struct strmap *keys)
{
	struct test_lab l = { .file = file };
	char key[TOPO_NAME_MAX + 24];
	bool tried;
	int rc;

	printf("== %s\n", file);
	fflush(stdout);
	rc = test_up(&l, &tried);
	if (rc == EXIT_OK)
		printf("lab %s is up as %s\n", l.name, l.run);
	fflush(stdout);
	test_key(&l, keys, key, sizeof(key));
	if (o->junit_dir)
		l.out = xasprintf("%s/%s", o->junit_dir, key);
	if (rc == EXIT_OK && !cmd_signal_exit())
		rc = test_probe(o, &l, key);
	else
		junit_error(o, &l, key, "up", l.said ? l.said : "interrupted");
	if (tried)
		rc = test_finish(o, &l, rc);
	test_lab_free(&l);
	return cmd_signal_exit() ? cmd_signal_exit() : rc;
}

int cmd_test(int argc, char **argv)
{
	struct test_opts o = { 0 };
	const struct cmd_opt opts[] = {
		{ .name = "junit", .value = &o.junit_dir },
		{ .name = "keep", .flag = &o.keep },
		{ .name = "capture", .flag = &o.capture },
		{ 0 },
	};
	const char **files = xcalloc((size_t)argc + 1, sizeof(*files));
	struct strmap keys = { 0 };
	size_t counts[4] = { 0 };	/* passed, error, -, probe failed */
	int i, n = 0, r, rc = EXIT_OK;

	if (cmd_args(argc, argv, opts, files, 1, argc, USAGE_TEST) < 0)
		goto out_err;
	for (n = 0; files[n]; n++)
		;
	if (o.capture && !o.junit_dir) {
		fprintf(stderr, "topo: test: --capture needs --junit DIR (the pcaps go there)\n");
		goto out_err;
	}
	if (!cmd_need_root("test") || (o.junit_dir && dir_want(o.junit_dir) < 0))
		goto out_err;
	cmd_signals();
	/* A reader of the output gone (| head, a CI log collector that died)
	 * must not kill topo before it tears the lab down. */
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < n; i++) {
		r = test_one(&o, files[i], &keys);
		if (r > EXIT_PROBE) {
			rc = r;
			break;
		}
		counts[r]++;
		if (r == EXIT_ERR || (r == EXIT_PROBE && rc == EXIT_OK))
			rc = r;
	}
	printf("topo test: %zu lab%s: %zu passed, %zu failed a probe, %zu error%s%s\n",
	       (size_t)n, cmd_s((size_t)n), counts[EXIT_OK], counts[EXIT_PROBE],
	       counts[EXIT_ERR], cmd_s(counts[EXIT_ERR]), rc > EXIT_PROBE ? " (interrupted)" : "");
	strmap_free(&keys);
	free(files);
	return rc;
out_err:
	free(files);
	return EXIT_ERR;
}
