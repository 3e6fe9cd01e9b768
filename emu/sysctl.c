// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "rundir.h"
#include "state.h"
#include "sysctl.h"
#include "util.h"
#include "want.h"

const char *sysctl_path(const char *key, char *buf, size_t len)
{
	char *p;

	snprintf(buf, len, "/proc/sys/%s", key);
	for (p = buf + strlen("/proc/sys/"); *p; p++)
		if (*p == '.')
			*p = '/';
	return buf;
}

int sysctl_read(const char *key, char *buf, size_t len)
{
	char path[ST_SYSCTL_KEY_MAX + 16], *p;
	ssize_t n;
	int fd;

	buf[0] = '\0';
	fd = open(sysctl_path(key, path, sizeof(path)), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	buf[n] = '\0';
	for (p = buf; *p; p++)
		if (*p == '\t')
			*p = ' ';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

int sysctl_write(const char *key, const char *value)
{
	char path[ST_SYSCTL_KEY_MAX + 16];
	size_t len = strlen(value);
	ssize_t n;
	int fd, err = 0;

	fd = open(sysctl_path(key, path, sizeof(path)), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	close(fd);
	return err;
}

bool sysctl_key_iface(const char *key, char *ifname, size_t len)
{
	static const char *const pre[] = {
	    "net.ipv4.conf.",
	    "net.ipv6.conf.",
	    "net.ipv4.neigh.",
	    "net.ipv6.neigh.",
	};
	const char *s = NULL, *e;
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(pre) && !s; i++) {
		if (!strncmp(key, pre[i], strlen(pre[i])))
			s = key + strlen(pre[i]);
	}
	if (!s || !(e = strchr(s, '.')))
		return false;
	n = (size_t)(e - s);
	if (n == 0 || n >= len)
		return false;
	memcpy(ifname, s, n);
	ifname[n] = '\0';
	for (i = 0; i < n; i++) {
		if (ifname[i] == '/')
			ifname[i] = '.';
	}
	return strcmp(ifname, "all") && strcmp(ifname, "default") && strcmp(ifname, "lo");
}

/* The key a new namespace's value of KEY is read from: conf.default.X
 * for conf.IFACE.X (the scratch namespace has no IFACE). */
static char *default_key(const char *key)
{
	char ifname[ST_IFNAMSIZ];
	const char *dot3 = key, *dot4;
	int i;

	if (!sysctl_key_iface(key, ifname, sizeof(ifname)))
		return xstrdup(key);
	/* net.ipv4.conf.IFACE.X: IFACE is the fourth word */
	for (i = 0; i < 3; i++)
		dot3 = strchr(dot3, '.') + 1;
	dot4 = strchr(dot3, '.');
	return xasprintf("%.*sdefault%s", (int)(dot3 - key), key, dot4);
}

/* What a throwaway namespace reads: KEYS[i] into VALS[i] (OK[i] if found). */
struct scratch_read {
	char **keys;
	struct st_sysctl *vals;
	bool *ok;
	size_t n;
};

static int scratch_read_cb(void *arg)
{
	struct scratch_read *sr = arg;
	size_t i;

	for (i = 0; i < sr->n; i++)
		sr->ok[i] = sysctl_read(sr->keys[i], sr->vals[i].value, sizeof(sr->vals[i].value)) == 0;
	return 0;
}

/* A recorded key the file of namespace NS (an index of the state) no longer names. */
struct dropped_key {
	size_t ns;
	char *key;
};

static void dropped_collect(const struct state *want, struct dropped_key **d, size_t *nd)
{
	struct strmap recorded = {0};
	char **keys;
	size_t i, j, k, n;

	/* unreadable: as if none (the next write replaces it) */
	if (rundir_sysctl_record_nodes(want->lab, &recorded) < 0 || !recorded.n) {
		strmap_free(&recorded);
		return;
	}
	for (i = 0; i < want->n_ns; i++) {
		const struct st_ns *ns = &want->ns[i];

		if (!strmap_get(&recorded, ns->node, strlen(ns->node), NULL) ||
		    rundir_sysctl_record_read(want->lab, ns->node, &keys, &n) < 0)
			continue;
		for (j = 0; j < n; j++) {
			for (k = 0; k < ns->n_sysctls && strcmp(ns->sysctls[k].key, keys[j]); k++)
				;
			if (k < ns->n_sysctls) {
				free(keys[j]);
				continue;
			}
			*VEC_PUSH(d, nd) = (struct dropped_key){.ns = i, .key = keys[j]};
		}
		free(keys);
	}
	strmap_free(&recorded);
}

int sysctl_want_dropped(struct state *want)
{
	struct scratch_read sr = {0};
	struct dropped_key *d = NULL;
	size_t i, nd = 0;
	int err = 0;

	dropped_collect(want, &d, &nd);
	if (!nd)
		return 0;
	sr.n = nd;
	sr.keys = xcalloc(nd, sizeof(*sr.keys));
	sr.vals = xcalloc(nd, sizeof(*sr.vals));
	sr.ok = xcalloc(nd, sizeof(*sr.ok));
	for (i = 0; i < nd; i++)
		sr.keys[i] = default_key(d[i].key);
	err = netns_scratch_run(scratch_read_cb, &sr);
	for (i = 0; i < nd; i++) {
		if (!err && sr.ok[i])
			err = want_sysctl_dropped(&want->ns[d[i].ns], d[i].key, sr.vals[i].value);
		free(sr.keys[i]);
		free(d[i].key);
	}
	free(sr.keys);
	free(sr.vals);
	free(sr.ok);
	free(d);
	return err;
}
