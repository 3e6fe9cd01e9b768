// SPDX-License-Identifier: MIT
/*
 * load_nodefs - `files:` and `dirs:` of a node: what the node sees over
 * the host's filesystem. Only the form of each value is checked here; a
 * source that cannot be read, or a path declared twice, is the checker's.
 */

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "load_nodefs.h"
#include "util.h"

/* Paths the node must keep as the kernel shows them (its own /sys is made
 * for it), and `/` itself, which cannot be covered. */
static const char *const reserved[] = { "/proc", "/sys", "/dev" };

const char *nodefs_path_problem(const char *path)
{
	const char *p;
	size_t i, len;

	if (path[0] != '/')
		return "must be an absolute path";
	if (!path[1])
		return "cannot be / itself";
	for (p = path; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "must not contain control characters";
	/* Normalised: every component a name, so that two spellings of one
	 * path cannot both be declared. */
	for (p = path; *p; p = p + len) {
		p++;	/* the '/' */
		len = strcspn(p, "/");
		if (!len)
			return "must be normalised (no empty component or trailing '/')";
		if ((len == 1 && p[0] == '.') || (len == 2 && !strncmp(p, "..", 2)))
			return "must be normalised (no '.' or '..')";
	}
	for (i = 0; i < ARRAY_SIZE(reserved); i++) {
		len = strlen(reserved[i]);
		if (!strncmp(path, reserved[i], len) && (!path[len] || path[len] == '/'))
			return "is under /proc, /sys or /dev, which a node sees as the kernel makes them";
	}
	return NULL;
}

/* The path of a file or dir at POS, or NULL after reporting. */
static const char *path_ok(struct ytree *c, const char *s, struct pos pos)
{
	const char *why;

	if (!s)
		return NULL;
	if ((why = nodefs_path_problem(s))) {
		ytree_err(c, pos, "path '%s' %s", SHOW(s), why);
		return NULL;
	}
	return s;
}

/* { content: "..." } into F; false after reporting. */
static bool load_inline(struct ytree *c, const struct ynode *y, struct file_spec *f)
{
	static const char *const keys[1] = { "content" };
	const struct ynode *v[1], *k[1];
	const char *s;

	ytree_fields(c, y, keys, 1, v, k);
	if (!v[0]) {
		ytree_err(c, y->pos, "missing required key 'content'");
		return false;
	}
	if (!(s = ytree_str(c, v[0])))
		return false;
	f->content = xstrdup(s);
	f->source_pos = v[0]->pos;
	return true;
}

void load_files(struct ytree *c, const struct ynode *map, struct node *n)
{
	struct strmap seen = { 0 };
	const struct ynode *key, *val;
	size_t i;

	if (!ytree_want_opt(c, map, Y_MAP))
		return;
	/* key, value, key, value, ... */
	for (i = 1; i < map->n; i += 2) {
		struct file_spec f = { .pos = map->kids[i - 1]->pos, .source_pos = map->kids[i]->pos };
		const char *path, *s;

		key = map->kids[i - 1];
		val = map->kids[i];
		path = path_ok(c, ytree_user_key(c, key, &seen), key->pos);

		if (!path || val->type == Y_BAD)
			continue;
		if (val->type == Y_MAP) {
			if (!load_inline(c, val, &f))
				continue;
		} else if ((s = ytree_str(c, val))) {
			if (!s[0]) {
				ytree_err(c, val->pos, "empty source path");
				continue;
			}
			f.source = xstrdup(s);
		} else {
			continue;
		}
		f.path = xstrdup(path);
		*(struct file_spec *)VEC_APPEND(&n->files, &n->n_files) = f;
	}
	strmap_free(&seen);
}

void load_dirs(struct ytree *c, const struct ynode *list, struct node *n)
{
	struct dir_spec *d;
	const char *s;
	size_t i;

	if (!ytree_want_opt(c, list, Y_SEQ))
		return;
	for (i = 0; i < list->n; i++) {
		if (!(s = path_ok(c, ytree_str(c, list->kids[i]), list->kids[i]->pos)))
			continue;
		d = VEC_APPEND(&n->dirs, &n->n_dirs);
		d->path = xstrdup(s);
		d->pos = list->kids[i]->pos;
	}
}

/* Does N declare PATH as a file (DIRS false) or a dir? */
static bool declares(const struct node *n, const char *path, bool dirs)
{
	size_t i;

	for (i = 0; !dirs && i < n->n_files; i++)
		if (!strcmp(n->files[i].path, path))
			return true;
	for (i = 0; dirs && i < n->n_dirs; i++)
		if (!strcmp(n->dirs[i].path, path))
			return true;
	return false;
}

void merge_nodefs(struct node *n, const struct node *def)
{
	struct file_spec *files = NULL;
	struct dir_spec *dirs = NULL;
	size_t n_files = 0, n_dirs = 0, i;

	for (i = 0; i < def->n_files; i++) {
		struct file_spec *f;

		if (declares(n, def->files[i].path, false))
			continue;
		f = VEC_APPEND(&files, &n_files);
		*f = def->files[i];
		f->path = xstrdup(f->path);
		f->source = f->source ? xstrdup(f->source) : NULL;
		f->content = f->content ? xstrdup(f->content) : NULL;
	}
	for (i = 0; i < n->n_files; i++)
		*(struct file_spec *)VEC_APPEND(&files, &n_files) = n->files[i];
	free(n->files);
	n->files = files;
	n->n_files = n_files;

	for (i = 0; i < def->n_dirs; i++) {
		struct dir_spec *d;

		if (declares(n, def->dirs[i].path, true))
			continue;
		d = VEC_APPEND(&dirs, &n_dirs);
		d->path = xstrdup(def->dirs[i].path);
		d->pos = def->dirs[i].pos;
	}
	for (i = 0; i < n->n_dirs; i++)
		*(struct dir_spec *)VEC_APPEND(&dirs, &n_dirs) = n->dirs[i];
	free(n->dirs);
	n->dirs = dirs;
	n->n_dirs = n_dirs;
}
