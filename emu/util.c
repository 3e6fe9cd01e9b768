// SPDX-License-Identifier: MIT
/*
 * Small helpers shared by every stage: allocation that cannot fail, and
 * strict parsers for the value forms of the topology file (addresses,
 * prefixes, MACs, durations, rates, percentages, names).
 *
 * The parsers are deliberately strict: they accept exactly the documented
 * forms and nothing that strtol()/strtod() would also swallow (leading
 * spaces, signs, hex, exponents, "inf"), so that a typo is an error rather
 * than a surprising value.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "util.h"

static void __attribute__((noreturn)) oom(void)
{
	/* The one place library code may print: there is nobody to return to. */
	fputs("topo: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		oom();
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		oom();
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

size_t addr_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

int ip_parse(const char *s, int *family, uint8_t addr[16])
{
	uint8_t buf[16] = { 0 };

	/* glibc's inet_pton() is strict: four decimal parts, no leading zeros. */
	if (strchr(s, ':')) {
		if (inet_pton(AF_INET6, s, buf) != 1)
			return -EINVAL;
		*family = AF_INET6;
	} else {
		if (inet_pton(AF_INET, s, buf) != 1)
			return -EINVAL;
		*family = AF_INET;
	}
	memcpy(addr, buf, 16);
	return 0;
}

/* Parse a decimal number of at most MAXDIGITS digits, nothing else. */
static int parse_decimal(const char *s, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (!*s)
		return -EINVAL;
	for (i = 0; s[i]; i++) {
		if (!isdigit((unsigned char)s[i]) || i >= 9)
			return -EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int cidr_parse(const char *s, struct cidr *c)
{
	char ip[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long plen;
	int family;
	uint8_t addr[16];

	if (n == 0 || n >= sizeof(ip))
		return -EINVAL;
	memcpy(ip, s, n);
	ip[n] = '\0';
	if (ip_parse(ip, &family, addr) < 0)
		return -EINVAL;
	if (slash) {
		if (parse_decimal(slash + 1, &plen) < 0)
			return -EINVAL;
		if (plen > addr_len(family) * 8)
			return -EINVAL;
	} else {
		plen = addr_len(family) * 8;
	}
	c->family = family;
	memcpy(c->addr, addr, 16);
	c->plen = (uint8_t)plen;
	return 0;
}

const char *ip_fmt(int family, const uint8_t addr[16], char *buf, size_t len)
{
	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

const char *cidr_fmt(const struct cidr *c, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	snprintf(buf, len, "%s/%u", ip_fmt(c->family, c->addr, ip, sizeof(ip)), c->plen);
	return buf;
}

bool ip_is_link_local6(const uint8_t a[16])
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

bool ip_is_probeable(int family, const uint8_t a[16])
{
	static const uint8_t v6_loop[16] = { [15] = 1 }, v6_any[16];

	if (family == AF_INET)
		return a[0] != 127 && a[0] != 0 && !(a[0] == 169 && a[1] == 254);
	return memcmp(a, v6_loop, 16) && memcmp(a, v6_any, 16) && !ip_is_link_local6(a);
}

bool prefix_contains(int family, const uint8_t net[16], unsigned plen, const uint8_t addr[16])
{
	unsigned bytes = plen / 8, bits = plen % 8;
	uint8_t mask;

	if (plen > addr_len(family) * 8)
		return false;
	if (memcmp(net, addr, bytes))
		return false;
	if (!bits)
		return true;
	mask = (uint8_t)(0xff << (8 - bits));
	return (net[bytes] & mask) == (addr[bytes] & mask);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int mac_parse(const char *s, uint8_t mac[6])
{
	uint8_t m[6];
	int i, hi, lo;

	/* Exactly "xx:xx:xx:xx:xx:xx": the one form every tool prints. */
	if (strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		hi = hexval(s[i * 3]);
		lo = hexval(s[i * 3 + 1]);
		if (hi < 0 || lo < 0 || (i < 5 && s[i * 3 + 2] != ':'))
			return -EINVAL;
		m[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, m, 6);
	return 0;
}

const char *mac_fmt(const uint8_t mac[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
	return buf;
}

/*
 * Split "1.5ms" into a fixed-point number and its unit: *INT is the integer
 * part, *FRAC the fraction digits scaled to 10^9, *UNIT points after the
 * number. Digits only: no sign, no exponent, no white space.
 */
static int parse_fixed(const char *s, uint64_t *ip, uint64_t *frac, const char **unit)
{
	uint64_t v = 0, f = 0, scale = 100000000;
	const char *p = s;
	bool digits = false;

	for (; isdigit((unsigned char)*p); p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p - '0');
		digits = true;
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		for (; isdigit((unsigned char)*p); p++) {
			f += (uint64_t)(*p - '0') * scale;
			scale /= 10;
		}
		digits = true;
	}
	if (!digits)
		return -EINVAL;
	*ip = v;
	*frac = f;
	*unit = p;
	return 0;
}

/* INT.FRAC (FRAC in 10^-9) times MUL, or -ERANGE on overflow. */
static int fixed_mul(uint64_t v, uint64_t frac, uint64_t mul, uint64_t *out)
{
	uint64_t whole, part;

	if (mul && v > UINT64_MAX / mul)
		return -ERANGE;
	whole = v * mul;
	/* frac < 10^9 and mul <= 10^12 would overflow: split mul. */
	part = (mul / 1000000000) * frac + (mul % 1000000000) * frac / 1000000000;
	if (whole > UINT64_MAX - part)
		return -ERANGE;
	*out = whole + part;
	return 0;
}

struct unit {
	const char *name;
	uint64_t mul;
};

/* "1.5ms": a fixed-point number and one of UNITS, scaled into *OUT. */
static int unit_parse(const char *s, const struct unit *units, size_t n, bool fold,
		      uint64_t *out)
{
	uint64_t v, frac;
	const char *unit;
	size_t i;

	if (parse_fixed(s, &v, &frac, &unit) < 0)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!(fold ? strcasecmp : strcmp)(unit, units[i].name))
			return fixed_mul(v, frac, units[i].mul, out) < 0 ? -EINVAL : 0;
	}
	return -EINVAL;
}

int duration_parse(const char *s, uint64_t *us)
{
	static const struct unit units[] = {
		{ "us", 1 }, { "ms", 1000 }, { "s", 1000000 }, { "m", 60000000 },
		{ "h", 3600000000ULL },
	};

	return unit_parse(s, units, ARRAY_SIZE(units), false, us);
}

int rate_parse(const char *s, uint64_t *bps)
{
	/* tc's units: SI multiples of bits per second. */
	static const struct unit units[] = {
		{ "bit", 1 }, { "kbit", 1000 }, { "mbit", 1000000 }, { "gbit", 1000000000 },
		{ "tbit", 1000000000000ULL },
	};

	return unit_parse(s, units, ARRAY_SIZE(units), true, bps);
}

int percent_parse(const char *s, double *pct)
{
	uint64_t v, frac;
	const char *unit;

	if (parse_fixed(s, &v, &frac, &unit) < 0 || strcmp(unit, "%"))
		return -EINVAL;
	if (v > 100 || (v == 100 && frac))
		return -EINVAL;
	*pct = (double)v + (double)frac / 1e9;
	return 0;
}

bool ifname_valid(const char *s)
{
	size_t n = strlen(s), i;

	/* The kernel's dev_valid_name(), in bytes: also refuses "." and "..". */
	if (n == 0 || n > TOPO_IFNAME_MAX || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (i = 0; i < n; i++) {
		/*
		 * The kernel's isspace() is Latin-1's: byte 0xa0 (in UTF-8 "à",
		 * "Š", ...) is white space to it. A '%' makes the name a
		 * template ("eth%d" becomes eth0), so the link never matches.
		 */
		if (s[i] == '/' || s[i] == ':' || s[i] == '%' || isspace((unsigned char)s[i]) ||
		    (unsigned char)s[i] == 0xa0)
			return false;
	}
	return true;
}

bool name_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > TOPO_NAME_MAX)
		return false;
	if (!islower((unsigned char)s[0]) && !isdigit((unsigned char)s[0]))
		return false;
	for (i = 1; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!(c >= 'a' && c <= 'z') && !isdigit(c) && c != '_' && c != '-')
			return false;
	}
	return true;
}

uint64_t fnv1a64(uint64_t h, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* FNV-1a's low bits alone cluster on keys like "n1", "n2", ...: fold the high ones in. */
static size_t strmap_index(uint64_t h, size_t cap)
{
	return (size_t)((h ^ (h >> 29) ^ (h >> 47)) & (cap - 1));
}

static void strmap_grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 16, i, j;
	struct strmap_ent *ents = xcalloc(cap, sizeof(*ents));

	for (i = 0; i < m->cap; i++) {
		if (!m->ents[i].key)
			continue;
		for (j = strmap_index(m->ents[i].hash, cap); ents[j].key; j = (j + 1) & (cap - 1))
			;
		ents[j] = m->ents[i];
	}
	free(m->ents);
	m->ents = ents;
	m->cap = cap;
}

/* Slot of KEY, or of the empty slot where it would go. */
static struct strmap_ent *strmap_slot(const struct strmap *m, const char *key, size_t klen,
				      uint64_t h)
{
	size_t i;

	for (i = strmap_index(h, m->cap);; i = (i + 1) & (m->cap - 1)) {
		struct strmap_ent *e = &m->ents[i];

		if (!e->key || (e->hash == h && e->klen == klen && !memcmp(e->key, key, klen)))
			return e;
	}
}

bool strmap_put(struct strmap *m, const char *key, size_t klen, size_t val, size_t *old)
{
	uint64_t h = fnv1a64(FNV1A64_INIT, key, klen);
	struct strmap_ent *e;

	/* Keep the load factor under 1/2 so that probing stays short. */
	if ((m->n + 1) * 2 > m->cap)
		strmap_grow(m);
	e = strmap_slot(m, key, klen, h);
	if (e->key) {
		if (old)
			*old = e->val;
		return false;
	}
	e->key = xmalloc(klen + 1);
	memcpy(e->key, key, klen);
	e->key[klen] = '\0';
	e->klen = klen;
	e->hash = h;
	e->val = val;
	m->n++;
	return true;
}

bool strmap_get(const struct strmap *m, const char *key, size_t klen, size_t *val)
{
	const struct strmap_ent *e;

	if (!m->cap)
		return false;
	e = strmap_slot(m, key, klen, fnv1a64(FNV1A64_INIT, key, klen));
	if (!e->key)
		return false;
	if (val)
		*val = e->val;
	return true;
}

void strmap_free(struct strmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->ents[i].key);
	free(m->ents);
	m->ents = NULL;
	m->cap = m->n = 0;
}

size_t str_distance(const char *a, const char *b)
{
	/* Optimal string alignment: Levenshtein plus adjacent transpositions ("prot"). */
	size_t la = strlen(a), lb = strlen(b), i, j, v;
	size_t d[65][65];

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

void *vec_grow(void *arr, size_t n, size_t size)
{
	/* Full exactly when N is 0 or a power of two. */
	if (n & (n - 1))
		return arr;
	if (n > SIZE_MAX / 2 / size)
		oom();
	return xrealloc(arr, (n ? 2 * n : 1) * size);
}
