/* SPDX-License-Identifier: MIT */
#ifndef TOPO_UTIL_H
#define TOPO_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "topology.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that cannot fail: topo aborts on out-of-memory, as git does. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Grow *ARR (of N elements) by one zeroed element and return it. */
#define VEC_PUSH(arr, n) \
	(*(arr) = xrealloc(*(arr), (*(n) + 1) * sizeof(**(arr))), \
	 memset(&(*(arr))[*(n)], 0, sizeof(**(arr))), &(*(arr))[(*(n))++])

/* ip_parse - "10.0.0.1" or "2001:db8::1" into FAMILY/ADDR. 0 or -EINVAL. */
int ip_parse(const char *s, int *family, uint8_t addr[16]);

/* cidr_parse - "10.0.0.1/24"; a missing /len means a host prefix. 0 or -EINVAL. */
int cidr_parse(const char *s, struct cidr *c);

/* ip_fmt / cidr_fmt - text form into BUF (at least 64 bytes); returns BUF. */
const char *ip_fmt(int family, const uint8_t addr[16], char *buf, size_t len);
const char *cidr_fmt(const struct cidr *c, char *buf, size_t len);

/* prefix_contains - does FAMILY network NET/PLEN contain ADDR? */
bool prefix_contains(int family, const uint8_t net[16], unsigned plen, const uint8_t addr[16]);

/* addr_len - 4 or 16 for AF_INET / AF_INET6. */
size_t addr_len(int family);

/* ip_is_link_local6 - is the IPv6 address A in fe80::/10 (RFC 4291 2.5.6)? */
bool ip_is_link_local6(const uint8_t a[16]);

/*
 * ip_is_probeable - is FAMILY/A one of a node's addresses that the prober targets from any
 * source with that family: not loopback, unspecified, 169.254/16 or IPv6 link-local (probed
 * only from its link)? probe_expand() and probe_volume_count() both use this rule.
 */
bool ip_is_probeable(int family, const uint8_t a[16]);

/* mac_parse - "02:00:00:00:00:01". 0 or -EINVAL. mac_fmt needs 18 bytes. */
int mac_parse(const char *s, uint8_t mac[6]);
const char *mac_fmt(const uint8_t mac[6], char *buf, size_t len);

/* duration_parse - "250us", "10ms", "1.5s", "2m" into microseconds. 0 or -EINVAL. */
int duration_parse(const char *s, uint64_t *us);
/* rate_parse - "100kbit", "10mbit", "1gbit", "800bit" into bits per second. */
int rate_parse(const char *s, uint64_t *bps);
/* percent_parse - "0.5%" into 0.5. */
int percent_parse(const char *s, double *pct);

/* ifname_valid - the kernel's rule: 1-15 bytes, no '/', ':', '%' or white space (byte 0xa0 too). */
bool ifname_valid(const char *s);
/* name_valid - lab/prefix/node names: [a-z0-9][a-z0-9_-]*, at most TOPO_NAME_MAX. */
bool name_valid(const char *s);

/* fnv1a64 - 64-bit FNV-1a of LEN bytes, continuing from H (start with FNV1A64_INIT). */
#define FNV1A64_INIT 0xcbf29ce484222325ULL
uint64_t fnv1a64(uint64_t h, const void *p, size_t len);

/* now_us - CLOCK_MONOTONIC in microseconds. */
uint64_t now_us(void);

/*
 * strmap - a string -> size_t hash map (keys copied, any bytes) so that
 * duplicate detection stays linear on large or hostile input.
 * strmap_put returns true when KEY was new; otherwise *OLD (if not NULL)
 * gets the value already stored and nothing changes.
 */
struct strmap_ent {
	char *key;
	size_t klen;
	uint64_t hash;
	size_t val;
};

struct strmap {
	struct strmap_ent *ents;
	size_t cap, n;
};

bool strmap_put(struct strmap *m, const char *key, size_t klen, size_t val, size_t *old);
bool strmap_get(const struct strmap *m, const char *key, size_t klen, size_t *val);
void strmap_free(struct strmap *m);

/* str_distance - edit distance (a transposition counts 1); SIZE_MAX past 64 bytes. */
size_t str_distance(const char *a, const char *b);

/*
 * VEC_APPEND - VEC_PUSH with geometric growth, for arrays that may get
 * large (the loader's): capacity is N rounded up to a power of two, so an
 * array must be grown only by VEC_APPEND from the start.
 */
void *vec_grow(void *arr, size_t n, size_t size);
#define VEC_APPEND(arr, n) \
	(*(arr) = vec_grow(*(arr), *(n), sizeof(**(arr))), \
	 memset(&(*(arr))[*(n)], 0, sizeof(**(arr))), &(*(arr))[(*(n))++])

#endif
