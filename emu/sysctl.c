// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "state.h"
#include "sysctl.h"

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
