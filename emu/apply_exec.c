// SPDX-License-Identifier: MIT
/* exec commands: each run once in its node, and recorded as run. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "apply.h"
#include "netns.h"
#include "nl.h"
#include "nodeenv.h"
#include "rundir.h"

/*
 * Show what an exec command wrote (its stdout and stderr, kept in FD) on
 * topo's stderr, where it always went (stdout stays topo's: --json), and
 * keep its last line in LAST: a failure quotes it.
 */
static void exec_output(int fd, char *last, size_t len)
{
	char buf[4096], cur[256];
	size_t n_cur = 0, i;
	ssize_t n;
	off_t off = 0;

	last[0] = '\0';
	while ((n = pread(fd, buf, sizeof(buf), off)) > 0) {
		off += n;
		if (fwrite(buf, 1, (size_t)n, stderr) != (size_t)n)
			break;
		for (i = 0; i < (size_t)n; i++) {
			if (buf[i] != '\n') {
				if (n_cur + 1 < sizeof(cur))
					cur[n_cur++] = buf[i];
				continue;
			}
			if (n_cur)
				snprintf(last, len, "%.*s", (int)n_cur, cur);
			n_cur = 0;
		}
	}
	if (n_cur)
		snprintf(last, len, "%.*s", (int)n_cur, cur);
}

/* One command, recorded as run once it succeeded: never run again. */
static int exec_run(struct apply_ctx *ctx, const struct action *a, int netns_fd)
{
	char *argv[] = { "/bin/sh", "-c", (char *)a->exec_cmd, NULL };
	char last[200];
	int rc, fd;

	if ((fd = memfd_create("topo-exec", MFD_CLOEXEC)) < 0)
		return -errno;
	rc = nodeenv_exec(ctx->lab, a->node, netns_fd, argv, fd);
	exec_output(fd, last, sizeof(last));
	close(fd);
	if (rc < 0)
		return rc;
	if (rc) {
		snprintf(ctx->err, sizeof(ctx->err), "%s: exec '%s' exited with status %d%s%s",
			 a->node, a->exec_cmd, rc, last[0] ? ": " : "", last);
		return -ECHILD;
	}
	return rundir_exec_record_update(ctx->lab, a->node, a->exec_id, a->exec_cmd, true);
}

int apply_exec(struct apply_ctx *ctx, const struct action *a, int netns_fd)
{
	int err;

	if ((err = nl_fault_injected()) < 0)
		return err;
	if (a->type == ACT_EXEC)
		return exec_run(ctx, a, netns_fd);
	/* forgotten, not undone: what it did is the user's */
	return rundir_exec_record_update(ctx->lab, a->node, a->exec_id, NULL, false);
}

/* An older topo's record of NS (one hash), as one line per command that ran. */
static int exec_legacy_rewrite(struct apply_ctx *ctx, const struct st_ns *ns)
{
	size_t i;
	int err = 0;

	rundir_exec_record_forget(ctx->lab, ns->node);
	for (i = 0; i < ns->n_execs && !err; i++)
		err = rundir_exec_record_update(ctx->lab, ns->node, ns->exec_ids[i], ns->execs[i],
						true);
	if (err < 0)
		snprintf(ctx->err, sizeof(ctx->err), "%s: rewrite the exec record: %s", ns->node,
			 strerror(-err));
	return err;
}

int apply_exec_records(struct apply_ctx *ctx, const struct plan *p)
{
	const struct st_ns *hn;
	const char *done = "";
	size_t i;
	int err;

	for (i = 0; i < p->n_acts; i++) {
		const struct action *a = &p->acts[i];

		/* A new namespace has run nothing yet: the record of one deleted
		 * by hand would make the next plan forget commands it never saw. */
		if (a->type == ACT_NS_ADD)
			rundir_exec_record_forget(ctx->lab, a->node);
		if ((a->type != ACT_EXEC && a->type != ACT_EXEC_FORGET) || !strcmp(a->ns, done))
			continue;
		done = a->ns;
		hn = ctx->have ? state_ns_find(ctx->have, a->ns) : NULL;
		if (hn && hn->exec_legacy && (err = exec_legacy_rewrite(ctx, hn)) < 0)
			return err;
	}
	return 0;
}
