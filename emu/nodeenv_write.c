// SPDX-License-Identifier: MIT
/*
 * nodeenv_write - what `up` writes for the nodes' own view (nodeenv.h):
 * copies of their files, the backing of their dirs, the `mounts` record
 * that nodeenv_enter reads, and the lab's hosts file. Everything here is
 * under /run/topo/<lab>/; nothing of the host's is touched.
 */

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load_nodefs.h"
#include "nodeenv.h"
#include "rundir.h"
#include "util.h"

#define MOUNTS_MAGIC "topo-mounts"

/* Hash LEN bytes of file PATH into *H; an unreadable one hashes as such. */
static uint64_t hash_file(uint64_t h, const char *path)
{
	char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return fnv1a64(h, "\1unreadable", 11);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			h = fnv1a64(h, "\1unreadable", 11);
			break;
		}
		h = fnv1a64(h, buf, (size_t)n);
	}
	close(fd);
	return h;
}

uint64_t nodeenv_files_hash(const struct topology *t, const struct node *n)
{
	uint64_t h = FNV1A64_INIT;
	char src[PATH_MAX];
	size_t i;

	if (!n->n_files && !n->n_dirs)
		return 0;
	for (i = 0; i < n->n_files; i++) {
		const struct file_spec *f = &n->files[i];

		/* the NULs keep a path apart from the content that follows it */
		h = fnv1a64(h, "f", 1);
		h = fnv1a64(h, f->path, strlen(f->path) + 1);
		if (f->content)
			h = fnv1a64(h, f->content, strlen(f->content) + 1);
		else if (nodefs_source_path(t, f->source, src, sizeof(src)) == 0)
			h = hash_file(h, src);
	}
	for (i = 0; i < n->n_dirs; i++) {
		h = fnv1a64(h, "d", 1);
		h = fnv1a64(h, n->dirs[i].path, strlen(n->dirs[i].path) + 1);
	}
	return h ? h : 1;
}

/* mkdir BASE + each leading component of REL (a normalised absolute
 * path) but the last; with DIR, the last too. 0 or -errno. */
static int mkdirs(const char *base, const char *rel, bool dir, char *failed, size_t len)
{
	char path[PATH_MAX];
	const char *p = rel;
	int n;

	while ((p = strchr(p + 1, '/')) || dir) {
		size_t upto = p ? (size_t)(p - rel) : strlen(rel);

		n = snprintf(path, sizeof(path), "%s%.*s", base, (int)upto, rel);
		if (n < 0 || (size_t)n >= sizeof(path))
			return -ENAMETOOLONG;
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			snprintf(failed, len, "%s", path);
			return -errno;
		}
		if (!p)
			break;
	}
	return 0;
}

static int write_all_fd(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Copy file F of T to TO: the source's permission bits, or 0644 for content. */
static int file_put(const struct topology *t, const struct file_spec *f, const char *to)
{
	char src[PATH_MAX], buf[65536];
	struct stat st = { .st_mode = 0644 };
	int in = -1, out, err = 0;
	ssize_t n;

	if (f->source) {
		if ((err = nodefs_source_path(t, f->source, src, sizeof(src))) < 0)
			return err;
		if ((in = open(src, O_RDONLY | O_CLOEXEC)) < 0 || fstat(in, &st) < 0) {
			err = -errno;
			goto out;
		}
	}
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
			st.st_mode & 07777)) < 0) {
		err = -errno;
		goto out;
	}
	fchmod(out, st.st_mode & 07777);	/* whatever the umask took */
	if (f->content)
		err = write_all_fd(out, f->content, strlen(f->content));
	while (in >= 0 && !err && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		err = n < 0 ? -errno : write_all_fd(out, buf, (size_t)n);
	}
	if (close(out) < 0 && !err)
		err = -errno;
out:
	if (in >= 0)
		close(in);
	return err;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 2, *(char *const *)b + 2);
}

/* The `mounts` record: the hash, then "f PATH" and "d PATH", parents first. */
static char *mounts_text(const struct node *n, uint64_t hash)
{
	char **lines = NULL, *text = xasprintf(MOUNTS_MAGIC " %016" PRIx64 "\n", hash), *t;
	size_t n_lines = 0, i;

	for (i = 0; i < n->n_files; i++)
		*VEC_PUSH(&lines, &n_lines) = xasprintf("f %s\n", n->files[i].path);
	for (i = 0; i < n->n_dirs; i++)
		*VEC_PUSH(&lines, &n_lines) = xasprintf("d %s\n", n->dirs[i].path);
	if (n_lines)
		qsort(lines, n_lines, sizeof(*lines), entry_cmp);
	for (i = 0; i < n_lines; i++) {
		t = xasprintf("%s%s", text, lines[i]);
		free(text);
		free(lines[i]);
		text = t;
	}
	free(lines);
	return text;
}

/* The copies of N's files into a new files/ of node directory DIR. */
static int files_write(const struct topology *t, const struct node *n, const char *dir,
		       char *failed, size_t len)
{
	char fresh[PATH_MAX], old[PATH_MAX], to[PATH_MAX];
	size_t i;
	int err;

	snprintf(fresh, sizeof(fresh), "%s/files.new", dir);
	snprintf(old, sizeof(old), "%s/files", dir);
	snprintf(failed, len, "%s", fresh);
	if ((err = rundir_remove_tree(fresh)) < 0)
		return err;
	if (n->n_files && mkdir(fresh, 0755) < 0)
		return -errno;
	for (i = 0; i < n->n_files; i++) {
		const struct file_spec *f = &n->files[i];

		if ((err = mkdirs(fresh, f->path, false, failed, len)) < 0)
			return err;
		if ((size_t)snprintf(to, sizeof(to), "%s%s", fresh, f->path) >= sizeof(to))
			return -ENAMETOOLONG;
		snprintf(failed, len, "%s", f->source ? f->source : to);
		if ((err = file_put(t, f, to)) < 0)
			return err;
	}
	snprintf(failed, len, "%s", old);
	if ((err = rundir_remove_tree(old)) < 0)
		return err;
	if (n->n_files && rename(fresh, old) < 0)
		return -errno;
	return 0;
}

static int node_write(const struct topology *t, const struct node *n, const char *lab, uint64_t hash,
		      char *failed, size_t len)
{
	char dir[256], path[PATH_MAX], *text;
	size_t i;
	int err;

	snprintf(failed, len, "%s/%s/%s", RUNDIR_ROOT, lab, n->name);
	if ((err = rundir_node_path(lab, n->name, NULL, dir, sizeof(dir))) < 0 ||
	    (err = rundir_node_make(lab, n->name)) < 0 ||
	    (err = rundir_node_path(lab, n->name, "mounts", path, sizeof(path))) < 0)
		return err;
	/* The record goes first and comes back last: a write cut short
	 * leaves no record, and the next plan writes all again. */
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	if ((err = files_write(t, n, dir, failed, len)) < 0)
		return err;
	snprintf(path, sizeof(path), "%s/dirs", dir);
	if (n->n_dirs && mkdir(path, 0755) < 0 && errno != EEXIST) {
		snprintf(failed, len, "%s", path);
		return -errno;
	}
	/* A dir's contents outlive a change of the node's files: they are
	 * what runs in the node made, as a host's would be. */
	for (i = 0; i < n->n_dirs; i++)
		if ((err = mkdirs(path, n->dirs[i].path, true, failed, len)) < 0)
			return err;
	if (!n->n_dirs && (err = rundir_remove_tree(path)) < 0)
		return err;
	rundir_node_path(lab, n->name, "mounts", path, sizeof(path));
	snprintf(failed, len, "%s", path);
	text = mounts_text(n, hash);
	err = rundir_replace_write(path, text, strlen(text));
	free(text);
	return err;
}

int nodeenv_write(const struct topology *t, const char *node, const char *lab, uint64_t hash,
		  char *err, size_t len)
{
	const struct node *n = t ? topo_node_find(t, node) : NULL;
	char failed[PATH_MAX] = "";
	int e;

	if (!n) {
		snprintf(err, len, "%s: write the node's files: no such node in the lab file", node);
		return -EINVAL;
	}
	if ((e = node_write(t, n, lab, hash, failed, sizeof(failed))) < 0)
		snprintf(err, len, "%s: write the node's files: %s: %s", node, failed, strerror(-e));
	return e;
}

void nodeenv_record_read(const char *lab, const char *node, uint64_t *hash, uint32_t *n_files,
			 uint32_t *n_dirs)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	FILE *f;

	*hash = 0;
	*n_files = *n_dirs = 0;
	if (rundir_node_path(lab, node, "mounts", path, sizeof(path)) < 0 ||
	    !(f = fopen(path, "re")))
		return;
	if (getline(&line, &cap, f) > 0 && sscanf(line, MOUNTS_MAGIC " %" SCNx64, hash) == 1) {
		while (getline(&line, &cap, f) > 0) {
			*n_files += line[0] == 'f';
			*n_dirs += line[0] == 'd';
		}
	}
	free(line);
	fclose(f);
}

/* "ADDR\tNODE\n" onto *TEXT for A, unless it is a loopback address. */
static void hosts_line(char **text, size_t *len, size_t *cap, const struct cidr *a,
		       const char *node)
{
	static const uint8_t v6_lo[16] = { [15] = 1 };
	char ip[INET6_ADDRSTRLEN];
	size_t need;

	if ((a->family == AF_INET && a->addr[0] == 127) ||
	    (a->family == AF_INET6 && !memcmp(a->addr, v6_lo, 16)))
		return;
	inet_ntop(a->family, a->addr, ip, sizeof(ip));
	need = strlen(ip) + strlen(node) + 3;
	if (*len + need >= *cap) {
		*cap = (*cap + need) * 2;
		*text = xrealloc(*text, *cap);
	}
	*len += (size_t)sprintf(*text + *len, "%s\t%s\n", ip, node);
}

char *nodeenv_hosts_text(const struct topology *t)
{
	static const char head[] = "# the hosts of a topo lab: every node by name\n"
				   "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
	size_t len = sizeof(head) - 1, cap = 4096, i, j, k;
	char *text = xmalloc(cap);

	memcpy(text, head, len + 1);
	/* The link ends first, in file order: a name's first address is the
	 * one a program tries first, and a link's is the one a neighbour
	 * reaches without routes. One pass, so that big labs stay fast. */
	for (i = 0; i < t->n_links; i++)
		for (j = 0; j < 2; j++)
			for (k = 0; k < t->links[i].ep[j].n_addrs; k++)
				hosts_line(&text, &len, &cap, &t->links[i].ep[j].addrs[k],
					   t->links[i].ep[j].node);
	for (i = 0; i < t->n_nodes; i++)
		for (j = 0; j < t->nodes[i].n_addrs; j++)
			for (k = 0; k < t->nodes[i].addrs[j].n_addrs; k++)
				hosts_line(&text, &len, &cap, &t->nodes[i].addrs[j].addrs[k],
					   t->nodes[i].name);
	text[len] = '\0';
	return text;
}

/* Is file PATH's content exactly TEXT? */
static bool same_content(const char *path, const char *text)
{
	size_t len = strlen(text);
	char *buf = xmalloc(len + 2);
	ssize_t n = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	bool same;

	if (fd >= 0) {
		n = read(fd, buf, len + 1);
		close(fd);
	}
	same = n == (ssize_t)len && !memcmp(buf, text, len);
	free(buf);
	return same;
}

int nodeenv_prune(const struct topology *t, const char *lab)
{
	char dir[256], path[PATH_MAX];
	struct strmap nodes = { 0 };
	struct dirent *e;
	size_t i, idx;
	int err = 0, e2;
	DIR *d;

	if ((err = rundir_path(lab, NULL, dir, sizeof(dir))) < 0)
		return err;
	if (!(d = opendir(dir)))
		return errno == ENOENT ? 0 : -errno;
	for (i = 0; i < t->n_nodes; i++)
		strmap_put(&nodes, t->nodes[i].name, strlen(t->nodes[i].name), i, NULL);
	while ((e = readdir(d))) {
		const struct node *n;

		if (!name_valid(e->d_name))
			continue;	/* a lab file ("lab.yaml"), ".", ".." */
		if (!strmap_get(&nodes, e->d_name, strlen(e->d_name), &idx)) {
			e2 = rundir_node_forget(lab, e->d_name);
		} else if (n = &t->nodes[idx], n->n_files || n->n_dirs) {
			continue;
		} else {
			static const char *const leaves[] = { "mounts", "files", "dirs" };

			for (i = 0, e2 = 0; i < ARRAY_SIZE(leaves) && !e2; i++)
				if (!(e2 = rundir_node_path(lab, e->d_name, leaves[i], path,
							    sizeof(path))))
					e2 = rundir_remove_tree(path);
		}
		err = err ? err : e2;
	}
	closedir(d);
	strmap_free(&nodes);
	return err;
}

int nodeenv_hosts_write(const struct topology *t, const char *lab)
{
	char path[256], *text = nodeenv_hosts_text(t);
	int err;

	if ((err = rundir_path(lab, NODEENV_HOSTS, path, sizeof(path))) == 0 &&
	    !same_content(path, text))
		err = rundir_replace_write(path, text, strlen(text));
	free(text);
	return err;
}
