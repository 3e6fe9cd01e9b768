/* SPDX-License-Identifier: MIT */
#ifndef TOPO_SYSCTL_H
#define TOPO_SYSCTL_H

/*
 * Sysctls by key ("net.ipv4.ip_forward"), read and written through
 * /proc/sys. A /proc/sys file belongs to the network namespace of the
 * thread that opens it: callers enter a lab namespace first (netns_enter).
 */

#include <stddef.h>

/* sysctl_path - "/proc/sys/net/ipv4/ip_forward" for KEY "net.ipv4.ip_forward"
 * (the checker keeps '/' and dotted interface names out of keys). */
const char *sysctl_path(const char *key, char *buf, size_t len);

/* sysctl_read - KEY's value into BUF as one line: tabs become spaces, the
 * trailing newline and spaces go. 0 or -errno (-ENOENT: no such key). */
int sysctl_read(const char *key, char *buf, size_t len);

/* sysctl_write - set KEY to VALUE. 0 or -errno (the kernel's refusal). */
int sysctl_write(const char *key, const char *value);

#endif
