// SPDX-License-Identifier: MIT
/*
 * topo save of what runs in a node: its `files:`, `dirs:` and `run:`, as
 * the kept file declared them. Only the kernel's state is read back; these
 * are the file's word, so that the saved lab starts the same software over
 * the same files. A relative source is written as an absolute path: the
 * saved file may live in another directory.
 */

#include <limits.h>
#include <stdlib.h>

#include "load_nodefs.h"
#include "save.h"

static void save_files(FILE *f, const struct topology *kept, const struct node *kn)
{
	char path[PATH_MAX], abs[PATH_MAX];
	size_t i;

	if (kn->n_files)
		fputs("    files:\n", f);
	for (i = 0; i < kn->n_files; i++) {
		const struct file_spec *fs = &kn->files[i];

		fputs("      ", f);
		save_scalar(f, fs->path, false);
		if (fs->content) {
			fputs(": { content: ", f);
			save_scalar(f, fs->content, false);
			fputs(" }\n", f);
			continue;
		}
		fputs(": ", f);
		if (nodefs_source_path(kept, fs->source, path, sizeof(path)) < 0)
			save_scalar(f, fs->source, false);
		else
			save_scalar(f, realpath(path, abs) ? abs : path, false);
		fputc('\n', f);
	}
	if (kn->n_dirs)
		fputs("    dirs: [", f);
	for (i = 0; i < kn->n_dirs; i++) {
		fputs(i ? ", " : "", f);
		save_scalar(f, kn->dirs[i].path, false);
	}
	if (kn->n_dirs)
		fputs("]\n", f);
}

static void save_ready(FILE *f, const struct run_spec *r)
{
	static const char *const key[] = { [READY_TCP] = "tcp", [READY_UDP] = "udp",
					   [READY_FILE] = "file" };

	if (r->ready == READY_NONE)
		return;
	fprintf(f, ", ready: { %s: ", key[r->ready]);
	if (r->ready == READY_FILE)
		save_scalar(f, r->ready_file, false);
	else
		fprintf(f, "%u", r->ready_port);
	if (r->ready_timeout_us != RUN_READY_TIMEOUT_US)
		save_duration(f, "timeout", r->ready_timeout_us);
	fputs(" }", f);
}

void save_software(FILE *f, const struct topology *kept, const struct node *kn)
{
	size_t i, j;

	save_files(f, kept, kn);
	if (kn->n_runs)
		fputs("    run:\n", f);
	for (i = 0; i < kn->n_runs; i++) {
		const struct run_spec *r = &kn->runs[i];

		fputs("      - { name: ", f);
		save_scalar(f, r->name, false);
		fputs(", cmd: ", f);
		save_scalar(f, r->cmd, false);
		if (r->n_env)
			fputs(", env: { ", f);
		for (j = 0; j < r->n_env; j++) {
			fputs(j ? ", " : "", f);
			save_scalar(f, r->env[j].key, false);
			fputs(": ", f);
			save_scalar(f, r->env[j].value, false);
		}
		if (r->n_env)
			fputs(" }", f);
		save_ready(f, r);
		fputs(" }\n", f);
	}
}
