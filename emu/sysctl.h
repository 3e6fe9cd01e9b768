/* SPDX-License-Identifier: MIT */
#ifndef TOPO_SYSCTL_H
#define TOPO_SYSCTL_H

/*
 * Sysctls by key ("net.ipv4.ip_forward"), read and written through
 * /proc/sys. A /proc/sys file belongs to the network namespace of the
 * thread that opens it: callers enter a lab namespace first (netns_enter).
 */

#include <stdbool.h>
#include <stddef.h>

#include "state.h"

/* sysctl_path - "/proc/sys/net/ipv4/ip_forward" for KEY "net.ipv4.ip_forward"
 * (the checker keeps '/' and dotted interface names out of keys). */
const char *sysctl_path(const char *key, char *buf, size_t len);

/* sysctl_read - KEY's value into BUF as one line: tabs become spaces, the
 * trailing newline and spaces go. 0 or -errno (-ENOENT: no such key). */
int sysctl_read(const char *key, char *buf, size_t len);

/* sysctl_write - set KEY to VALUE. 0 or -errno (the kernel's refusal). */
int sysctl_write(const char *key, const char *value);

/*
 * sysctl_key_iface - the interface a per-interface key names ("eth0" in
 * net.ipv4.conf.eth0.rp_filter) into IFNAME, or false for a
 * namespace-wide key (all, default and lo included). sysctl writes a dot
 * in an interface name as '/'.
 */
bool sysctl_key_iface(const char *key, char *ifname, size_t len);

/*
 * sysctl_want_dropped - add to WANT the keys topo set on a node (its record
 * in /run/topo/LAB/NODE) that the file no longer names, each with the value a new
 * namespace has, read in a throwaway namespace; a per-interface key takes
 * the namespace's conf.default (neigh.default) value, as a new device does.
 * A key a new namespace lacks is left alone. 0 or -errno.
 */
int sysctl_want_dropped(struct state *want);

#endif
