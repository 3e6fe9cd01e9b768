// SPDX-License-Identifier: MIT
/*
 * check_nodefs - the checker's part for `files:` and `dirs:`: what the
 * loader cannot see in one value. Two declarations of one path, a path
 * below a declared file (nothing can be mounted inside a file), and a
 * source that `up` could not copy: said now, before anything changes.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "load_nodefs.h"
#include "util.h"

struct nfchk {
	struct diag *d;
	struct strmap said;	/* a value from `defaults:` is checked once per node */
	size_t n_errors;
};

static void __attribute__((format(printf, 3, 4)))
nf_error(struct nfchk *c, struct pos pos, const char *fmt, ...)
{
	va_list ap;
	char *text, *key;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	key = xasprintf("%d:%d:%s", pos.line, pos.col, text);
	if (strmap_put(&c->said, key, strlen(key), 0, NULL)) {
		diag_add(c->d, DIAG_ERROR, pos, "%s", text);
		c->n_errors++;
	}
	free(key);
	free(text);
}

int nodefs_source_path(const struct topology *t, const char *source, char *buf, size_t len)
{
	const char *file = t->origin ? t->origin : t->file;
	const char *slash = strcmp(file, "-") ? strrchr(file, '/') : NULL;
	int n;

	if (source[0] == '/' || !slash)
		n = snprintf(buf, len, "%s", source);
	else
		n = snprintf(buf, len, "%.*s/%s", (int)(slash - file), file, source);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Can `up` copy F? A regular file it can open. */
static void check_source(struct nfchk *c, const struct topology *t, const struct file_spec *f)
{
	char path[4096];
	struct stat st;
	int fd, err = 0;

	if ((err = nodefs_source_path(t, f->source, path, sizeof(path))) < 0)
		goto out;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		err = -errno;
		goto out;
	}
	if (fstat(fd, &st) < 0)
		err = -errno;
	else if (!S_ISREG(st.st_mode))
		err = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	close(fd);
out:
	if (err == -EINVAL)
		nf_error(c, f->source_pos, "source '%s' of %s is not a regular file", SHOW(f->source),
			 SHOW(f->path));
	else if (err && strcmp(path, f->source))
		nf_error(c, f->source_pos, "cannot read source '%s' of %s (%s): %s", SHOW(f->source),
			 SHOW(f->path), SHOW(path), strerror(-err));
	else if (err)
		nf_error(c, f->source_pos, "cannot read source '%s' of %s: %s", SHOW(f->source),
			 SHOW(f->path), strerror(-err));
}

/* Is IN below OUTER (a path's proper prefix, at a '/')? */
static bool below(const char *in, const char *outer)
{
	size_t len = strlen(outer);

	return !strncmp(in, outer, len) && in[len] == '/';
}

static void check_paths(struct nfchk *c, const struct node *n, const char *path, struct pos pos,
			struct strmap *seen)
{
	size_t i;

	if (!strmap_put(seen, path, strlen(path), 0, NULL)) {
		nf_error(c, pos, "node %s declares '%s' twice (in files or dirs)", n->name,
			 SHOW(path));
		return;	/* the first said all else about it */
	}
	for (i = 0; i < n->n_files; i++)
		if (below(path, n->files[i].path))
			nf_error(c, pos, "'%s' is inside '%s', a file of node %s", SHOW(path),
				 n->files[i].path, n->name);
}

size_t check_nodefs(const struct topology *t, struct diag *d)
{
	struct nfchk c = { .d = d };
	size_t i, j;

	for (i = 0; i < t->n_nodes; i++) {
		const struct node *n = &t->nodes[i];
		struct strmap seen = { 0 };

		for (j = 0; j < n->n_files; j++) {
			check_paths(&c, n, n->files[j].path, n->files[j].pos, &seen);
			/* A kept copy's sources were checked when it was
			 * kept: `down LAB` works whatever became of them. */
			if (n->files[j].source && !t->origin)
				check_source(&c, t, &n->files[j]);
		}
		for (j = 0; j < n->n_dirs; j++)
			check_paths(&c, n, n->dirs[j].path, n->dirs[j].pos, &seen);
		strmap_free(&seen);
	}
	strmap_free(&c.said);
	return c.n_errors;
}
