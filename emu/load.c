// SPDX-License-Identifier: MIT
/*
 * load - the topology file (format v1, docs/format.md) into the model.
 *
 * Two passes. libyaml's event stream is first turned into a small tree of
 * our own (struct ynode) that keeps the line and column of every value; the
 * tree is then walked with a table of known keys per mapping, so that every
 * error can be reported at once, at the offending value. libyaml types
 * never leave this file.
 *
 * The input may be hostile (fuzzing, files from elsewhere): the size is
 * capped before parsing, nesting depth is bounded while the events arrive,
 * aliases are refused (no expansion, so no "billion laughs"), NUL bytes are
 * refused, every duplicate check is a hash lookup, and the text of a value
 * quoted in a message is escaped and truncated.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <yaml.h>

#include "diag.h"
#include "topology.h"
#include "util.h"

#define LOAD_MAX_BYTES (4u << 20)
#define LOAD_MAX_DEPTH 64
#define LOAD_MAX_VALUES 1000000	/* far beyond any lab; bounds the tree at ~64 MB */
#define LOAD_MAX_ERRORS 500

#define NAME_RULE "[a-z0-9][a-z0-9_-]*, at most 32 characters"
#define IFNAME_RULE "1-15 bytes, no '/', ':', '%%' or spaces"  /* a format string */

enum ytype { Y_SCALAR, Y_SEQ, Y_MAP, Y_BAD };

/* A YAML value with its position; Y_BAD already has its error reported. */
struct ynode {
	enum ytype type : 8;
	bool quoted : 1;	/* quoted or tagged: never null, bool or number */
	bool exact : 1;		/* one ASCII line: column of byte I is col0 + I */
	int col0;
	struct pos pos;
	uint32_t len;		/* scalars: the value, NUL-terminated */
	uint32_t n, cap;	/* lists: items; mappings: key, value, key, ... */
	char *s;
	struct ynode **kids;
};

/*
 * The tree lives in an arena freed at once: a 4 MiB file of one-letter
 * scalars makes two million values, and malloc's per-block overhead would
 * triple the memory they take.
 */
struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	uint64_t data[];
};

struct arena {
	struct arena_chunk *head;
};

static void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_chunk *ch = a->head;
	void *p;

	size = (size + 7) & ~(size_t)7;
	if (!ch || ch->cap - ch->used < size) {
		size_t cap = size > 60000 ? size : 60000;

		ch = xmalloc(sizeof(*ch) + cap);
		ch->next = a->head;
		ch->used = 0;
		ch->cap = cap;
		a->head = ch;
	}
	p = (char *)ch->data + ch->used;
	ch->used += size;
	return p;
}

static void arena_free(struct arena *a)
{
	struct arena_chunk *ch, *next;

	for (ch = a->head; ch; ch = next) {
		next = ch->next;
		free(ch);
	}
	a->head = NULL;
}

struct ctx {
	struct arena arena;
	struct diag *d;
	const char *buf;
	size_t len;
	size_t n_errors;
};

static void __attribute__((format(printf, 3, 4)))
err(struct ctx *c, struct pos pos, const char *fmt, ...)
{
	va_list ap;
	char *text;

	c->n_errors++;
	if (c->n_errors > LOAD_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	if (c->n_errors == LOAD_MAX_ERRORS)
		diag_error(c->d, pos, "%s (too many errors, stopping here)",
			   text ? text : "out of memory");
	else
		diag_error(c->d, pos, "%s", text ? text : "out of memory");
	free(text);
}


static struct pos mark_pos(const yaml_mark_t *m)
{
	return (struct pos){ .line = (int)m->line + 1, .col = (int)m->column + 1 };
}

/* The position of byte OFF of BUF (for libyaml's reader errors and NUL bytes). */
static struct pos offset_pos(const char *buf, size_t len, size_t off)
{
	struct pos p = { 1, 1 };
	size_t i;

	for (i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			p.line++;
			p.col = 1;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
			p.col++;	/* count characters, not UTF-8 continuation bytes */
		}
	}
	return p;
}

/* The position of byte OFF of scalar Y, or Y's own when columns don't map. */
static struct pos sub_pos(const struct ynode *y, size_t off)
{
	if (!y->exact)
		return y->pos;
	return (struct pos){ y->pos.line, y->col0 + (int)off };
}

static struct ynode *ynode_new(struct ctx *c, enum ytype type, struct pos pos)
{
	struct ynode *y = arena_alloc(&c->arena, sizeof(*y));

	memset(y, 0, sizeof(*y));
	y->type = type;
	y->pos = pos;
	return y;
}

static void ynode_add(struct ctx *c, struct ynode *parent, struct ynode *kid)
{
	if (parent->n == parent->cap) {
		/* The old array stays in the arena: at most as much again, in total. */
		struct ynode **kids;

		parent->cap = parent->cap ? parent->cap * 2 : 4;
		kids = arena_alloc(&c->arena, parent->cap * sizeof(*kids));
		if (parent->n)
			memcpy(kids, parent->kids, parent->n * sizeof(*kids));
		parent->kids = kids;
	}
	parent->kids[parent->n++] = kid;
}

static bool is_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] >= 0x80)
			return false;
	}
	return true;
}

/* Only the YAML core tags ("!!str", "!!int", ...) and "!" mean anything here. */
static bool tag_ok(const yaml_char_t *tag)
{
	return !tag || !strcmp((const char *)tag, "!") ||
	       !strncmp((const char *)tag, "tag:yaml.org,2002:", 18);
}

static struct ynode *scalar_node(struct ctx *c, const yaml_event_t *ev)
{
	struct ynode *y = ynode_new(c, Y_SCALAR, mark_pos(&ev->start_mark));
	const char *val = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;	/* < 4 MiB: the file is */
	yaml_scalar_style_t style = ev->data.scalar.style;
	int quotes = 0;

	y->s = arena_alloc(&c->arena, len + 1);
	memcpy(y->s, val, len);
	y->s[len] = '\0';
	y->len = (uint32_t)len;
	y->quoted = style != YAML_PLAIN_SCALAR_STYLE || ev->data.scalar.tag;
	if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
		quotes = 1;
	if ((style == YAML_PLAIN_SCALAR_STYLE || quotes) &&
	    ev->start_mark.line == ev->end_mark.line &&
	    ev->end_mark.column - ev->start_mark.column == len + 2 * (size_t)quotes &&
	    is_ascii(val, len)) {
		y->exact = true;
		y->col0 = y->pos.col + quotes;
	}
	/* "\0" in a double-quoted scalar: C strings would silently cut it. */
	if (memchr(val, 0, len)) {
		err(c, y->pos, "NUL character in a string");
		y->type = Y_BAD;
	} else if (!tag_ok(ev->data.scalar.tag)) {
		err(c, y->pos, "unsupported YAML tag '%s'", SHOW((const char *)ev->data.scalar.tag));
		y->type = Y_BAD;
	}
	return y;
}

static void yaml_problem(struct ctx *c, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "invalid YAML";

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		err(c, (struct pos){ 0, 0 }, "out of memory while parsing");
		break;
	case YAML_READER_ERROR:
		/* The reader reports a byte offset, not a mark. */
		err(c, offset_pos(c->buf, c->len, p->problem_offset), "%s", problem);
		break;
	default:
		err(c, mark_pos(&p->problem_mark), "%s", problem);
		break;
	}
}

/* yaml_parse - the single document of the buffer as a tree, or NULL (errors reported). */
static struct ynode *yaml_parse(struct ctx *c)
{
	struct ynode *stack[LOAD_MAX_DEPTH + 1], *root = NULL, *y;
	yaml_parser_t p;
	yaml_event_t ev;
	size_t depth = 0, n_values = 0;
	int docs = 0;
	bool done = false, ok = false, alias_said = false;

	if (!yaml_parser_initialize(&p)) {
		err(c, (struct pos){ 0, 0 }, "out of memory while parsing");
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)c->buf, c->len);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			yaml_problem(c, &p);
			goto out;
		}
		y = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = ok = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				err(c, mark_pos(&ev.start_mark),
				    "expected a single YAML document, found a second one");
				yaml_event_delete(&ev);
				goto out;
			}
			break;
		case YAML_ALIAS_EVENT:
			/* Refused outright: expansion is how "billion laughs" files
			 * explode. Said once: a bomb has hundreds of them. */
			y = ynode_new(c, Y_BAD, mark_pos(&ev.start_mark));
			if (!alias_said)
				err(c, y->pos, "YAML aliases are not supported ('*%s')",
				    SHOW((const char *)ev.data.alias.anchor));
			alias_said = true;
			break;
		case YAML_SCALAR_EVENT:
			y = scalar_node(c, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (depth >= LOAD_MAX_DEPTH) {
				err(c, mark_pos(&ev.start_mark),
				    "nesting too deep (more than %d levels)", LOAD_MAX_DEPTH);
				yaml_event_delete(&ev);
				goto out;
			}
			y = ynode_new(c, ev.type == YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP,
				      mark_pos(&ev.start_mark));
			{
				const yaml_char_t *tag = ev.type == YAML_SEQUENCE_START_EVENT
								 ? ev.data.sequence_start.tag
								 : ev.data.mapping_start.tag;

				if (!tag_ok(tag))
					err(c, y->pos, "unsupported YAML tag '%s'",
					    SHOW((const char *)tag));
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth)
				depth--;
			break;
		default:
			break;
		}
		if (y && ++n_values > LOAD_MAX_VALUES) {
			err(c, y->pos, "too many values in one file (more than %d)", LOAD_MAX_VALUES);
			yaml_event_delete(&ev);
			goto out;
		}
		if (y) {
			if (depth)
				ynode_add(c, stack[depth - 1], y);
			else if (!root)
				root = y;
			if (y->type == Y_SEQ || y->type == Y_MAP)
				stack[depth++] = y;
		}
		yaml_event_delete(&ev);
	}
out:
	yaml_parser_delete(&p);
	return ok ? root : NULL;
}

/* ---- values ---- */

static bool is_null(const struct ynode *y)
{
	return !y || (y->type == Y_SCALAR && !y->quoted &&
		      (!y->len || !strcmp(y->s, "~") || !strcmp(y->s, "null") ||
		       !strcmp(y->s, "Null") || !strcmp(y->s, "NULL")));
}

static bool is_bool(const struct ynode *y, bool *v)
{
	static const char *const t[] = { "true", "True", "TRUE" }, *const f[] = { "false", "False", "FALSE" };
	size_t i;

	if (y->type != Y_SCALAR || y->quoted)
		return false;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		if (!strcmp(y->s, t[i]) || !strcmp(y->s, f[i])) {
			*v = !strcmp(y->s, t[i]);
			return true;
		}
	}
	return false;
}

static bool looks_numeric(const char *s)
{
	bool digits = false;

	if (*s == '+' || *s == '-')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits = true;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits = true;
	if (digits && (*s == 'e' || *s == 'E')) {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return digits && !*s;
}

/* "a list", "a string", ...: what the user wrote, for "expected X, got Y". */
static const char *ytype_name(const struct ynode *y)
{
	bool b;

	if (!y || is_null(y))
		return "null";
	switch (y->type) {
	case Y_MAP:
		return "a mapping";
	case Y_SEQ:
		return "a list";
	default:
		break;
	}
	if (is_bool(y, &b))
		return "a boolean";
	if (!y->quoted && looks_numeric(y->s))
		return "a number";
	return "a string";
}

/* Y must be KIND; otherwise say so (Y_BAD was reported already). */
static bool want(struct ctx *c, const struct ynode *y, enum ytype kind)
{
	static const char *const names[] = {
		[Y_SCALAR] = "a string", [Y_SEQ] = "a list", [Y_MAP] = "a mapping"
	};

	if (y->type == Y_BAD)
		return false;
	if (y->type == kind && !(kind == Y_SCALAR && is_null(y)))
		return true;
	err(c, y->pos, "expected %s, got %s", names[kind], ytype_name(y));
	return false;
}

/* A list or a mapping that may also be left empty (`key:` or `key: ~`). */
static bool want_opt(struct ctx *c, const struct ynode *y, enum ytype kind)
{
	if (is_null(y))
		return false;
	return want(c, y, kind);
}

/* A scalar as text; NULL after reporting when it is not one. */
static const char *str(struct ctx *c, const struct ynode *y)
{
	return want(c, y, Y_SCALAR) ? y->s : NULL;
}

/*
 * An integer in MIN..MAX; WHAT names it in messages ("mtu 70000 out of range
 * (68..65535)"). Decimal only: "0x10" or "1e3" in a lab file is a typo.
 */
static bool integer(struct ctx *c, const struct ynode *y, const char *what, long long min,
		    long long max, long long *out)
{
	const char *s = str(c, y), *p;
	long long v = 0;
	bool neg = false, big = false;

	if (!s)
		return false;
	p = s;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (!*p)
		goto invalid;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			goto invalid;
		if (v > 100000000000000LL)
			big = true;
		else
			v = v * 10 + (*p - '0');
	}
	if (neg)
		v = -v;
	if (big || v < min || v > max) {
		err(c, y->pos, "%s %s out of range (%lld..%lld)", what, SHOW(s), min, max);
		return false;
	}
	*out = v;
	return true;
invalid:
	err(c, y->pos, "invalid %s '%s' (expected an integer)", what, SHOW(s));
	return false;
}

/*
 * A probe duration, at most DURATION_MAX: the prober adds it to a
 * microsecond clock, where 5124095576h wraps around (a reachable probe then
 * failed after 0.2 s); no probe needs to wait for a reply, or retry, longer.
 */
#define DURATION_MAX_US 3600000000ULL
#define DURATION_MAX "1h"

static bool duration(struct ctx *c, const struct ynode *y, const char *what, uint64_t *us)
{
	const char *s = str(c, y);
	uint64_t v;

	if (!s)
		return false;
	if (duration_parse(s, &v) < 0) {
		err(c, y->pos, "invalid %s '%s' (expected a duration such as 250us, 10ms, 1.5s)",
		    what, SHOW(s));
		return false;
	}
	if (v > DURATION_MAX_US) {
		err(c, y->pos, "%s '%s' is too long (the maximum is " DURATION_MAX ")", what, SHOW(s));
		return false;
	}
	*us = v;
	return true;
}

/* Which of CHOICES (NULL-terminated) S is, or -1 after reporting. */
static int choice(struct ctx *c, const struct ynode *y, const char *what,
		  const char *const *choices, const char *expected)
{
	const char *s = str(c, y);
	int i;

	if (!s)
		return -1;
	for (i = 0; choices[i]; i++) {
		if (!strcmp(s, choices[i]))
			return i;
	}
	err(c, y->pos, "invalid %s '%s' (expected %s)", what, SHOW(s), expected);
	return -1;
}

static bool parse_cidr(struct ctx *c, const char *s, struct pos pos, struct cidr *out)
{
	const char *slash;
	char ip[64];
	int family;
	uint8_t addr[16];
	size_t n;

	if (cidr_parse(s, out) == 0) {
		out->pos = pos;
		return true;
	}
	/* Say whether the address or the length is wrong. */
	slash = strchr(s, '/');
	n = slash ? (size_t)(slash - s) : 0;
	if (slash && n < sizeof(ip) && slash[1] && strspn(slash + 1, "0123456789") == strlen(slash + 1)) {
		memcpy(ip, s, n);
		ip[n] = '\0';
		if (ip_parse(ip, &family, addr) == 0) {
			err(c, pos, "prefix length %s out of range for %s in '%s'", SHOW(slash + 1),
			    family == AF_INET ? "IPv4" : "IPv6", SHOW(s));
			return false;
		}
	}
	err(c, pos, "invalid CIDR '%s'", SHOW(s));
	return false;
}

static bool check_ifname(struct ctx *c, const char *s, struct pos pos)
{
	if (ifname_valid(s))
		return true;
	err(c, pos, "invalid interface name '%s' (" IFNAME_RULE ")", SHOW(s));
	return false;
}

static bool check_name(struct ctx *c, const char *what, const char *s, struct pos pos)
{
	if (name_valid(s))
		return true;
	err(c, pos, "invalid %s '%s' (" NAME_RULE ")", what, SHOW(s));
	return false;
}

/* ---- keys ---- */

/*
 * unknown_key - report KEY; suggest the nearest of KEYS when it is close
 * enough to be a typo, otherwise list them all.
 */
static void unknown_key(struct ctx *c, const struct ynode *key, const char *const *keys, size_t n)
{
	size_t best = SIZE_MAX, bi = 0, i, dist, off = 0;
	char list[256];

	for (i = 0; i < n; i++) {
		dist = str_distance(key->s, keys[i]);
		if (dist < best) {
			best = dist;
			bi = i;
		}
	}
	/* Close enough to be a typo: fewer edits than half the longer word ("gw" is not "to"). */
	if (best != SIZE_MAX && best * 2 < (strlen(key->s) > strlen(keys[bi]) ? strlen(key->s)
										: strlen(keys[bi]))) {
		err(c, key->pos, "unknown key '%s' (did you mean '%s'?)", SHOW(key->s), keys[bi]);
		return;
	}
	list[0] = '\0';
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", i ? ", " : "",
					keys[i]);
	err(c, key->pos, "unknown key '%s' (expected one of: %s)", SHOW(key->s), list);
}

/*
 * fields - sort the entries of mapping MAP into VALS/KEYPOS by KEYS; report
 * unknown keys, duplicate keys and non-scalar keys.
 */
static void fields(struct ctx *c, const struct ynode *map, const char *const *keys, size_t n,
		   const struct ynode **vals, const struct ynode **keypos)
{
	size_t i, k;

	for (k = 0; k < n; k++)
		vals[k] = keypos[k] = NULL;
	for (i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *key = map->kids[i];

		if (key->type == Y_BAD)
			continue;
		if (key->type != Y_SCALAR) {
			err(c, key->pos, "expected a string key, got %s", ytype_name(key));
			continue;
		}
		for (k = 0; k < n; k++) {
			if (!strcmp(key->s, keys[k]))
				break;
		}
		if (k == n) {
			unknown_key(c, key, keys, n);
		} else if (vals[k]) {
			err(c, key->pos, "duplicate key '%s'", keys[k]);
		} else {
			vals[k] = map->kids[i + 1];
			keypos[k] = key;
		}
	}
}

/*
 * user_key - a key of a mapping whose keys are names (nodes, interfaces,
 * sysctls): a non-null scalar, not seen before in SEEN.
 */
static const char *user_key(struct ctx *c, const struct ynode *key, struct strmap *seen)
{
	if (key->type == Y_BAD)
		return NULL;
	if (key->type != Y_SCALAR || is_null(key)) {
		err(c, key->pos, "expected a string key, got %s", ytype_name(key));
		return NULL;
	}
	if (!strmap_put(seen, key->s, key->len, 0, NULL)) {
		err(c, key->pos, "duplicate key '%s'", SHOW(key->s));
		return NULL;
	}
	return key->s;
}

/* ---- node fields ---- */

enum { NK_KIND, NK_ADDRESSES, NK_ROUTES, NK_SYSCTL, NK_EXEC, NK_N };
static const char *const node_keys[NK_N] = { "kind", "addresses", "routes", "sysctl", "exec" };

static void load_addresses(struct ctx *c, const struct ynode *map, struct node *n)
{
	struct strmap seen = { 0 };
	size_t i, j;

	if (!want_opt(c, map, Y_MAP))
		return;
	for (i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *key = map->kids[i], *list = map->kids[i + 1];
		const char *iface = user_key(c, key, &seen);
		struct iface_addrs *ia;

		if (!iface || !check_ifname(c, iface, key->pos))
			continue;
		ia = VEC_APPEND(&n->addrs, &n->n_addrs);
		ia->iface = xstrdup(iface);
		ia->pos = key->pos;
		if (!want_opt(c, list, Y_SEQ))
			continue;
		for (j = 0; j < list->n; j++) {
			const char *s = str(c, list->kids[j]);
			struct cidr cidr;

			if (s && parse_cidr(c, s, list->kids[j]->pos, &cidr))
				*(struct cidr *)VEC_APPEND(&ia->addrs, &ia->n_addrs) = cidr;
		}
	}
	strmap_free(&seen);
}

/* The route's gateway, IPv4 or IPv6; -1 after reporting. */
static int route_via(struct ctx *c, const char *s, struct pos pos, uint8_t via[16])
{
	int family;

	if (ip_parse(s, &family, via) < 0) {
		err(c, pos, "invalid gateway address '%s'", SHOW(s));
		return -1;
	}
	return family;
}

/*
 * route_finish - the family rule: from the destination; `default` takes the
 * family of `via` (IPv4 without one); "::/0" is the IPv6 default.
 */
static bool route_finish(struct ctx *c, struct route_spec *r, const char *to, struct pos to_pos,
			 int via_family, struct pos pos)
{
	struct cidr dst;

	if (!strcmp(to, "default")) {
		r->family = via_family > 0 ? via_family : AF_INET;
		r->dst_len = 0;
	} else if (parse_cidr(c, to, to_pos, &dst)) {
		r->family = dst.family;
		memcpy(r->dst, dst.addr, 16);
		r->dst_len = dst.plen;
	} else {
		return false;
	}
	if (via_family > 0 && via_family != r->family) {
		char buf[64];

		err(c, pos, "gateway %s is %s but destination '%s' is %s",
		    ip_fmt(via_family, r->via, buf, sizeof(buf)),
		    via_family == AF_INET ? "IPv4" : "IPv6", SHOW(to),
		    r->family == AF_INET ? "IPv4" : "IPv6");
		return false;
	}
	if (!r->has_via && !r->dev) {
		err(c, pos, "route '%s' needs 'via' or 'dev'", SHOW(r->text));
		return false;
	}
	return true;
}

/* "10.0.9.0/24 via 10.0.2.2 dev eth1 metric 100", the `ip route` words. */
static bool route_words(struct ctx *c, const struct ynode *y, struct route_spec *r)
{
	const char *s = y->s, *to = NULL;
	struct pos to_pos = y->pos;
	int via_family = 0;
	bool ok = true, seen_via = false, seen_metric = false;
	char *copy = xstrdup(s), *save = NULL, *w;

	r->text = xstrdup(s);
	for (w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		struct pos wpos = sub_pos(y, (size_t)(w - copy));
		const char *kw = w;
		char *val;

		if (!to) {
			to = w;
			to_pos = wpos;
			continue;
		}
		if (strcmp(kw, "via") && strcmp(kw, "dev") && strcmp(kw, "metric")) {
			err(c, wpos, "unknown route keyword '%s' in '%s' (expected via, dev or metric)",
			    SHOW(kw), SHOW(s));
			ok = false;
			break;
		}
		if ((!strcmp(kw, "via") && seen_via) || (!strcmp(kw, "dev") && r->dev) ||
		    (!strcmp(kw, "metric") && seen_metric)) {
			err(c, wpos, "duplicate '%s' in route '%s'", kw, SHOW(s));
			ok = false;
			break;
		}
		val = strtok_r(NULL, " \t", &save);
		if (!val) {
			err(c, wpos, "missing value after '%s' in route '%s'", kw, SHOW(s));
			ok = false;
			break;
		}
		wpos = sub_pos(y, (size_t)(val - copy));
		if (!strcmp(kw, "via")) {
			seen_via = true;
			via_family = route_via(c, val, wpos, r->via);
			if (via_family < 0)
				ok = false;
			else
				r->has_via = true;
		} else if (!strcmp(kw, "dev")) {
			r->dev = xstrdup(val);
			if (!check_ifname(c, val, wpos))
				ok = false;
		} else {
			struct ynode fake = { .type = Y_SCALAR, .pos = wpos, .quoted = true,
					      .s = val, .len = (uint32_t)strlen(val) };
			long long m;

			seen_metric = true;
			if (integer(c, &fake, "metric", 0, UINT32_MAX, &m)) {
				r->has_metric = true;
				r->metric = (uint32_t)m;
			} else {
				ok = false;
			}
		}
	}
	if (!to) {
		err(c, y->pos, "empty route");
		ok = false;
	}
	if (ok)
		ok = route_finish(c, r, to, to_pos, via_family, y->pos);
	free(copy);
	return ok;
}

/* { to, via, dev, metric } */
static bool route_map(struct ctx *c, const struct ynode *y, struct route_spec *r)
{
	enum { RK_TO, RK_VIA, RK_DEV, RK_METRIC, RK_N };
	static const char *const keys[RK_N] = { "to", "via", "dev", "metric" };
	const struct ynode *v[RK_N], *k[RK_N];
	const char *to, *s;
	int via_family = 0;
	bool ok = true;
	long long m;

	fields(c, y, keys, RK_N, v, k);
	if (!v[RK_TO]) {
		err(c, y->pos, "missing required key 'to'");
		return false;
	}
	to = str(c, v[RK_TO]);
	if (!to)
		return false;
	if (v[RK_VIA] && (s = str(c, v[RK_VIA]))) {
		via_family = route_via(c, s, v[RK_VIA]->pos, r->via);
		if (via_family > 0)
			r->has_via = true;
		else
			ok = false;
	} else if (v[RK_VIA]) {
		ok = false;
	}
	if (v[RK_DEV] && (s = str(c, v[RK_DEV]))) {
		r->dev = xstrdup(s);
		if (!check_ifname(c, s, v[RK_DEV]->pos))
			ok = false;
	} else if (v[RK_DEV]) {
		ok = false;
	}
	if (v[RK_METRIC]) {
		if (integer(c, v[RK_METRIC], "metric", 0, UINT32_MAX, &m)) {
			r->has_metric = true;
			r->metric = (uint32_t)m;
		} else {
			ok = false;
		}
	}
	/* The `ip route` form of the map, for messages. */
	{
		char via[64] = "", metric[32] = "";

		if (r->has_via)
			snprintf(via, sizeof(via), " via %s", v[RK_VIA]->s);
		if (r->has_metric)
			snprintf(metric, sizeof(metric), " metric %u", r->metric);
		r->text = xasprintf("%s%s%s%s%s", to, via, r->dev ? " dev " : "",
				    r->dev ? r->dev : "", metric);
	}
	if (ok)
		ok = route_finish(c, r, to, v[RK_TO]->pos, via_family, y->pos);
	return ok;
}

static void load_routes(struct ctx *c, const struct ynode *list, struct node *n)
{
	size_t i;

	if (!want_opt(c, list, Y_SEQ))
		return;
	for (i = 0; i < list->n; i++) {
		const struct ynode *y = list->kids[i];
		struct route_spec r = { .pos = y->pos };
		bool ok;

		if (y->type == Y_MAP)
			ok = route_map(c, y, &r);
		else if (y->type == Y_SCALAR && !is_null(y))
			ok = route_words(c, y, &r);
		else
			ok = want(c, y, Y_SCALAR);	/* reports "expected a string, got ..." */
		if (ok) {
			*(struct route_spec *)VEC_APPEND(&n->routes, &n->n_routes) = r;
		} else {
			free(r.text);
			free(r.dev);
		}
	}
}

static void load_sysctls(struct ctx *c, const struct ynode *map, struct node *n)
{
	struct strmap seen = { 0 };
	size_t i;

	if (!want_opt(c, map, Y_MAP))
		return;
	for (i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *key = map->kids[i], *val = map->kids[i + 1];
		const char *k = user_key(c, key, &seen), *v;
		struct sysctl_spec *sc;
		bool b;

		if (!k)
			continue;
		if (val->type == Y_BAD)
			continue;
		if (val->type != Y_SCALAR || is_null(val)) {
			err(c, val->pos, "expected a number or a string, got %s", ytype_name(val));
			continue;
		}
		/* The kernel wants 1/0; `true`/`false` is what people write in YAML. */
		v = is_bool(val, &b) ? (b ? "1" : "0") : val->s;
		if (strpbrk(v, "\n\r")) {
			err(c, val->pos, "sysctl value must be a single line");
			continue;
		}
		sc = VEC_APPEND(&n->sysctls, &n->n_sysctls);
		sc->key = xstrdup(k);
		sc->value = xstrdup(v);
		sc->pos = key->pos;
	}
	strmap_free(&seen);
}

static void load_execs(struct ctx *c, const struct ynode *list, struct node *n)
{
	size_t i;

	if (!want_opt(c, list, Y_SEQ))
		return;
	for (i = 0; i < list->n; i++) {
		const char *s = str(c, list->kids[i]);
		struct exec_spec *e;

		if (!s)
			continue;
		if (!s[strspn(s, " \t\n")]) {
			err(c, list->kids[i]->pos, "empty command");
			continue;
		}
		e = VEC_APPEND(&n->execs, &n->n_execs);
		e->cmd = xstrdup(s);
		e->pos = list->kids[i]->pos;
	}
}

/* The fields of a node (or of `defaults:`) from mapping Y; *KIND_SET says if kind was given. */
static void load_node_fields(struct ctx *c, const struct ynode *y, struct node *n, bool *kind_set)
{
	static const char *const kinds[] = { "host", "router", "bridge", NULL };
	const struct ynode *v[NK_N], *k[NK_N];
	int kind;

	*kind_set = false;
	if (!want_opt(c, y, Y_MAP))
		return;
	fields(c, y, node_keys, NK_N, v, k);
	if (v[NK_KIND]) {
		kind = choice(c, v[NK_KIND], "node kind", kinds, "host, router or bridge");
		if (kind >= 0) {
			n->kind = (enum node_kind)kind;
			*kind_set = true;
		}
	}
	if (v[NK_ADDRESSES])
		load_addresses(c, v[NK_ADDRESSES], n);
	if (v[NK_ROUTES])
		load_routes(c, v[NK_ROUTES], n);
	if (v[NK_SYSCTL])
		load_sysctls(c, v[NK_SYSCTL], n);
	if (v[NK_EXEC])
		load_execs(c, v[NK_EXEC], n);
}

/*
 * merge_defaults - put DEF under N: lists defaults-first (per interface for
 * addresses), sysctls by key with the node's value winning.
 */
static void merge_defaults(struct node *n, const struct node *def)
{
	struct iface_addrs *addrs = NULL;
	struct route_spec *routes = NULL;
	struct sysctl_spec *sysctls = NULL;
	struct exec_spec *execs = NULL;
	size_t n_addrs = 0, n_routes = 0, n_sysctls = 0, n_execs = 0, i, j, idx;
	struct strmap own = { 0 }, used = { 0 };

	for (i = 0; i < def->n_addrs; i++) {
		struct iface_addrs *ia = VEC_APPEND(&addrs, &n_addrs);

		*ia = def->addrs[i];
		ia->iface = xstrdup(def->addrs[i].iface);
		ia->addrs = xmalloc(ia->n_addrs * sizeof(*ia->addrs));
		memcpy(ia->addrs, def->addrs[i].addrs, ia->n_addrs * sizeof(*ia->addrs));
	}
	for (i = 0; i < n->n_addrs; i++) {
		struct iface_addrs *src = &n->addrs[i];

		for (j = 0; j < def->n_addrs; j++) {
			if (!strcmp(addrs[j].iface, src->iface))
				break;
		}
		if (j == def->n_addrs) {
			*(struct iface_addrs *)VEC_APPEND(&addrs, &n_addrs) = *src;
			continue;
		}
		addrs[j].addrs = xrealloc(addrs[j].addrs,
					  (addrs[j].n_addrs + src->n_addrs) * sizeof(struct cidr));
		memcpy(addrs[j].addrs + addrs[j].n_addrs, src->addrs,
		       src->n_addrs * sizeof(struct cidr));
		addrs[j].n_addrs += src->n_addrs;
		free(src->iface);
		free(src->addrs);
	}
	free(n->addrs);
	n->addrs = addrs;
	n->n_addrs = n_addrs;

	for (i = 0; i < def->n_routes; i++) {
		struct route_spec *r = VEC_APPEND(&routes, &n_routes);

		*r = def->routes[i];
		r->text = xstrdup(def->routes[i].text);
		r->dev = def->routes[i].dev ? xstrdup(def->routes[i].dev) : NULL;
	}
	for (i = 0; i < n->n_routes; i++)
		*(struct route_spec *)VEC_APPEND(&routes, &n_routes) = n->routes[i];
	free(n->routes);
	n->routes = routes;
	n->n_routes = n_routes;

	/* Sysctls: the defaults' order, the node's value where it sets the same key. */
	for (i = 0; i < n->n_sysctls; i++)
		strmap_put(&own, n->sysctls[i].key, strlen(n->sysctls[i].key), i, NULL);
	for (i = 0; i < def->n_sysctls; i++) {
		struct sysctl_spec *sc = VEC_APPEND(&sysctls, &n_sysctls);

		if (strmap_get(&own, def->sysctls[i].key, strlen(def->sysctls[i].key), &idx)) {
			*sc = n->sysctls[idx];
			strmap_put(&used, sc->key, strlen(sc->key), idx, NULL);
		} else {
			*sc = def->sysctls[i];
			sc->key = xstrdup(sc->key);
			sc->value = xstrdup(sc->value);
		}
	}
	for (i = 0; i < n->n_sysctls; i++) {
		if (!strmap_get(&used, n->sysctls[i].key, strlen(n->sysctls[i].key), NULL))
			*(struct sysctl_spec *)VEC_APPEND(&sysctls, &n_sysctls) = n->sysctls[i];
	}
	free(n->sysctls);
	n->sysctls = sysctls;
	n->n_sysctls = n_sysctls;
	strmap_free(&own);
	strmap_free(&used);

	for (i = 0; i < def->n_execs; i++) {
		struct exec_spec *e = VEC_APPEND(&execs, &n_execs);

		*e = def->execs[i];
		e->cmd = xstrdup(e->cmd);
	}
	for (i = 0; i < n->n_execs; i++)
		*(struct exec_spec *)VEC_APPEND(&execs, &n_execs) = n->execs[i];
	free(n->execs);
	n->execs = execs;
	n->n_execs = n_execs;
}

static void load_nodes(struct ctx *c, const struct ynode *map, struct topology *t,
		       const struct node *def, bool def_kind_set)
{
	struct strmap seen = { 0 };
	size_t i;

	if (is_null(map) || (map->type == Y_MAP && map->n == 0)) {
		err(c, map->pos, "a lab needs at least one node");
		return;
	}
	if (!want(c, map, Y_MAP))
		return;
	for (i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *key = map->kids[i];
		const char *name = user_key(c, key, &seen);
		struct node *n;
		bool kind_set;

		if (!name || !check_name(c, "node name", name, key->pos))
			continue;
		n = VEC_APPEND(&t->nodes, &t->n_nodes);
		n->name = xstrdup(name);
		n->pos = key->pos;
		load_node_fields(c, map->kids[i + 1], n, &kind_set);
		if (!kind_set)
			n->kind = def_kind_set ? def->kind : NODE_HOST;
		merge_defaults(n, def);
	}
	strmap_free(&seen);
}

/* ---- links ---- */

/* Addresses of an endpoint string, from byte OFF of Y on: spaces or commas between. */
static void endpoint_str_addrs(struct ctx *c, const struct ynode *y, size_t off,
			       struct endpoint *ep)
{
	const char *s = y->s;
	size_t i = off, start;

	while (s[i]) {
		struct cidr cidr;
		char *tok;

		i += strspn(s + i, " \t,");
		if (!s[i])
			break;
		start = i;
		i += strcspn(s + i, " \t,");
		tok = xasprintf("%.*s", (int)(i - start), s + start);
		if (parse_cidr(c, tok, sub_pos(y, start), &cidr))
			*(struct cidr *)VEC_APPEND(&ep->addrs, &ep->n_addrs) = cidr;
		free(tok);
	}
}

/* "node:iface [addr[, addr] ...]" */
static bool endpoint_str(struct ctx *c, const struct ynode *y, struct endpoint *ep)
{
	const char *s = y->s, *colon;
	size_t lead = strspn(s, " \t"), end = lead + strcspn(s + lead, " \t,");
	bool ok = true;

	colon = memchr(s + lead, ':', end - lead);
	if (!colon) {
		err(c, y->pos, "invalid endpoint '%s' (expected node:iface, then addresses)",
		    SHOW(s));
		return false;
	}
	ep->node = xasprintf("%.*s", (int)(colon - s - (ptrdiff_t)lead), s + lead);
	ep->iface = xasprintf("%.*s", (int)(s + end - colon - 1), colon + 1);
	ep->node_pos = sub_pos(y, lead);
	ep->iface_pos = sub_pos(y, (size_t)(colon + 1 - s));
	if (!check_name(c, "node name", ep->node, ep->node_pos))
		ok = false;
	if (!check_ifname(c, ep->iface, ep->iface_pos))
		ok = false;
	endpoint_str_addrs(c, y, end, ep);
	return ok;
}

/* { node, iface, addresses, mac } */
static bool endpoint_map(struct ctx *c, const struct ynode *y, struct endpoint *ep)
{
	enum { EK_NODE, EK_IFACE, EK_ADDRESSES, EK_MAC, EK_N };
	static const char *const keys[EK_N] = { "node", "iface", "addresses", "mac" };
	const struct ynode *v[EK_N], *k[EK_N];
	const char *s;
	bool ok = true;
	size_t i;

	fields(c, y, keys, EK_N, v, k);
	if (!v[EK_NODE] || !v[EK_IFACE]) {
		err(c, y->pos, "missing required key '%s'", v[EK_NODE] ? "iface" : "node");
		ok = false;
	}
	if (v[EK_NODE]) {
		s = str(c, v[EK_NODE]);
		if (s) {
			ep->node = xstrdup(s);
			ep->node_pos = v[EK_NODE]->pos;
			ok &= check_name(c, "node name", s, ep->node_pos);
		} else {
			ok = false;
		}
	}
	if (v[EK_IFACE]) {
		s = str(c, v[EK_IFACE]);
		if (s) {
			ep->iface = xstrdup(s);
			ep->iface_pos = v[EK_IFACE]->pos;
			ok &= check_ifname(c, s, ep->iface_pos);
		} else {
			ok = false;
		}
	}
	if (v[EK_ADDRESSES] && want_opt(c, v[EK_ADDRESSES], Y_SEQ)) {
		for (i = 0; i < v[EK_ADDRESSES]->n; i++) {
			const struct ynode *a = v[EK_ADDRESSES]->kids[i];
			struct cidr cidr;

			s = str(c, a);
			if (s && parse_cidr(c, s, a->pos, &cidr))
				*(struct cidr *)VEC_APPEND(&ep->addrs, &ep->n_addrs) = cidr;
		}
	}
	if (v[EK_MAC] && (s = str(c, v[EK_MAC]))) {
		ep->mac_pos = v[EK_MAC]->pos;
		if (mac_parse(s, ep->mac) == 0) {
			ep->has_mac = true;
		} else {
			err(c, v[EK_MAC]->pos, "invalid MAC address '%s' (expected e.g. 02:00:00:00:00:01)",
			    SHOW(s));
			ok = false;
		}
	}
	return ok;
}

static void load_links(struct ctx *c, const struct ynode *list, struct topology *t)
{
	enum { LK_ENDPOINTS, LK_MTU, LK_STATE, LK_N };
	static const char *const keys[LK_N] = { "endpoints", "mtu", "state" };
	static const char *const states[] = { "up", "down", NULL };
	size_t i, j;

	if (!want_opt(c, list, Y_SEQ))
		return;
	for (i = 0; i < list->n; i++) {
		const struct ynode *y = list->kids[i], *v[LK_N], *k[LK_N], *eps;
		struct link *l;
		long long mtu;
		int state;
		bool ok = true;

		if (!want(c, y, Y_MAP))
			continue;
		fields(c, y, keys, LK_N, v, k);
		l = VEC_APPEND(&t->links, &t->n_links);
		l->pos = y->pos;
		l->up = true;
		if (v[LK_MTU]) {
			l->mtu_pos = v[LK_MTU]->pos;
			if (integer(c, v[LK_MTU], "mtu", 68, 65535, &mtu))
				l->mtu = (uint32_t)mtu;
		}
		if (v[LK_STATE]) {
			state = choice(c, v[LK_STATE], "link state", states, "up or down");
			if (state >= 0)
				l->up = state == 0;
		}
		eps = v[LK_ENDPOINTS];
		if (!eps) {
			err(c, y->pos, "missing required key 'endpoints'");
			continue;
		}
		if (!want(c, eps, Y_SEQ))
			continue;
		if (eps->n != 2) {
			err(c, eps->pos, "a link needs exactly 2 endpoints, got %u", eps->n);
			continue;
		}
		for (j = 0; j < 2; j++) {
			const struct ynode *e = eps->kids[j];
			struct endpoint *ep = &l->ep[j];

			ep->pos = e->pos;
			if (e->type == Y_MAP)
				ok &= endpoint_map(c, e, ep);
			else if (e->type == Y_SCALAR && !is_null(e))
				ok &= endpoint_str(c, e, ep);
			else
				ok &= want(c, e, Y_SCALAR);
		}
		(void)ok;
	}
}

/* ---- probes ---- */

static void load_probes(struct ctx *c, const struct ynode *list, struct topology *t)
{
	enum { PK_FROM, PK_TO, PK_PROTO, PK_PORT, PK_EXPECT, PK_COUNT, PK_TIMEOUT, PK_MAX_RTT,
	       PK_MAX_LOSS, PK_WITHIN, PK_N };
	static const char *const keys[PK_N] = { "from", "to", "proto", "port", "expect",
						"count", "timeout", "max_rtt", "max_loss", "within" };
	static const char *const protos[] = { "icmp", "tcp", "udp", NULL };
	static const char *const expects[] = { "reachable", "unreachable", NULL };
	size_t i;

	if (!want_opt(c, list, Y_SEQ))
		return;
	for (i = 0; i < list->n; i++) {
		const struct ynode *y = list->kids[i], *v[PK_N], *k[PK_N];
		struct probe_spec *p;
		const char *s;
		long long num;
		int r;
		bool proto_ok = true;

		if (!want(c, y, Y_MAP))
			continue;
		fields(c, y, keys, PK_N, v, k);
		p = VEC_APPEND(&t->probes, &t->n_probes);
		p->pos = y->pos;
		p->proto = PROBE_ICMP;
		p->expect_reachable = true;
		p->count = 1;
		p->timeout_us = 1000000;
		p->max_loss = -1;
		if (!v[PK_FROM])
			err(c, y->pos, "missing required key 'from'");
		else if ((s = str(c, v[PK_FROM]))) {
			p->from = xstrdup(s);
			p->from_pos = v[PK_FROM]->pos;
		}
		if (!v[PK_TO])
			err(c, y->pos, "missing required key 'to'");
		else if ((s = str(c, v[PK_TO]))) {
			p->to = xstrdup(s);
			p->to_pos = v[PK_TO]->pos;
		}
		if (v[PK_PROTO]) {
			r = choice(c, v[PK_PROTO], "proto", protos, "icmp, tcp or udp");
			if (r >= 0)
				p->proto = (enum probe_proto)r;
			else
				proto_ok = false;
		}
		if (v[PK_PORT] && integer(c, v[PK_PORT], "port", 1, 65535, &num))
			p->port = (uint16_t)num;
		/* A port is what tcp and udp need and what icmp cannot use. */
		if (v[PK_PORT] && p->proto == PROBE_ICMP && proto_ok)
			err(c, k[PK_PORT]->pos, "'port' is not allowed with proto icmp");
		if (!v[PK_PORT] && p->proto != PROBE_ICMP)
			err(c, v[PK_PROTO]->pos, "proto %s needs a 'port'", protos[p->proto]);
		if (v[PK_EXPECT]) {
			r = choice(c, v[PK_EXPECT], "expect", expects, "reachable or unreachable");
			if (r >= 0)
				p->expect_reachable = r == 0;
		}
		if (v[PK_COUNT] && integer(c, v[PK_COUNT], "count", 1, 10000, &num))
			p->count = (uint32_t)num;
		if (v[PK_TIMEOUT] && duration(c, v[PK_TIMEOUT], "timeout", &p->timeout_us) &&
		    !p->timeout_us)
			err(c, v[PK_TIMEOUT]->pos, "timeout must be greater than 0");
		if (v[PK_MAX_RTT])
			duration(c, v[PK_MAX_RTT], "max_rtt", &p->max_rtt_us);
		if (v[PK_WITHIN])
			duration(c, v[PK_WITHIN], "within", &p->within_us);
		if (v[PK_MAX_LOSS] && (s = str(c, v[PK_MAX_LOSS])) &&
		    percent_parse(s, &p->max_loss) < 0)
			err(c, v[PK_MAX_LOSS]->pos,
			    "invalid max_loss '%s' (expected a percentage from 0%% to 100%%, e.g. 0.5%%)",
			    SHOW(s));
	}
}

/* ---- top level ---- */

static void load_top(struct ctx *c, const struct ynode *root, struct topology *t)
{
	enum { TK_NAME, TK_PREFIX, TK_DEFAULTS, TK_NODES, TK_LINKS, TK_PROBES, TK_N };
	static const char *const keys[TK_N] = { "name", "prefix", "defaults", "nodes", "links", "probes" };
	const struct ynode *v[TK_N], *k[TK_N];
	struct topology *scratch = xcalloc(1, sizeof(*scratch));
	struct node *def;
	bool def_kind_set = false;
	const char *s;

	/* The defaults live in a scratch topology so that topo_free() cleans them up. */
	def = VEC_APPEND(&scratch->nodes, &scratch->n_nodes);
	if (!want(c, root, Y_MAP))
		goto out;
	fields(c, root, keys, TK_N, v, k);
	if (!v[TK_NAME]) {
		err(c, root->pos, "missing required key 'name'");
	} else if ((s = str(c, v[TK_NAME]))) {
		t->name = xstrdup(s);
		t->name_pos = v[TK_NAME]->pos;
		check_name(c, "lab name", s, t->name_pos);
	}
	if (v[TK_PREFIX] && (s = str(c, v[TK_PREFIX]))) {
		t->prefix = xstrdup(s);
		t->prefix_pos = v[TK_PREFIX]->pos;
		check_name(c, "prefix", s, t->prefix_pos);
	} else if (t->name) {
		t->prefix = xstrdup(t->name);
		t->prefix_pos = t->name_pos;
	}
	if (v[TK_DEFAULTS])
		load_node_fields(c, v[TK_DEFAULTS], def, &def_kind_set);
	if (!v[TK_NODES])
		err(c, root->pos, "missing required key 'nodes'");
	else
		load_nodes(c, v[TK_NODES], t, def, def_kind_set);
	if (v[TK_LINKS])
		load_links(c, v[TK_LINKS], t);
	if (v[TK_PROBES])
		load_probes(c, v[TK_PROBES], t);
out:
	topo_free(scratch);
}

/* Offset of the first byte that does not start a valid UTF-8 sequence, or LEN. */
static size_t utf8_invalid(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;
	unsigned char lo, hi;

	while (i < len) {
		unsigned char c = s[i];

		lo = 0x80;
		hi = 0xbf;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			if (c == 0xe0)
				lo = 0xa0;	/* overlong */
			if (c == 0xed)
				hi = 0x9f;	/* UTF-16 surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			if (c == 0xf0)
				lo = 0x90;	/* overlong */
			if (c == 0xf4)
				hi = 0x8f;	/* past U+10FFFF */
		} else {
			return i;
		}
		if (len - i <= n || s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (k = 2; k <= n; k++) {
			if (s[i + k] < 0x80 || s[i + k] > 0xbf)
				return i;
		}
		i += n + 1;
	}
	return len;
}

int topo_load_buf(const char *file, const char *buf, size_t len, struct topology **out,
		  struct diag *d)
{
	struct ctx c = { .d = d, .buf = buf, .len = len };
	struct topology *t = NULL;
	struct ynode *root = NULL;
	const char *nul;
	size_t first_msg = d->n_msgs, bad;
	int ret = -EINVAL;

	*out = NULL;
	if (!d->file)
		d->file = file;
	if (len > LOAD_MAX_BYTES) {
		/* LEN may be cut at the limit (topo_load reads one byte more). */
		err(&c, (struct pos){ 0, 0 }, "file too large (more than %u bytes)", LOAD_MAX_BYTES);
		return -EFBIG;
	}
	/* libyaml would stop reading at a NUL byte or call it a control character. */
	nul = memchr(buf, 0, len);
	if (nul) {
		err(&c, offset_pos(buf, len, (size_t)(nul - buf)),
		    "NUL byte in file (a topology file is UTF-8 text)");
		return -EINVAL;
	}
	/* libyaml would point at the byte after a bad sequence, and less plainly. */
	bad = utf8_invalid((const unsigned char *)buf, len);
	if (bad < len) {
		err(&c, offset_pos(buf, len, bad), "invalid UTF-8 byte 0x%02x (a topology file is UTF-8 text)",
		    (unsigned char)buf[bad]);
		return -EINVAL;
	}
	root = yaml_parse(&c);
	if (!root) {
		if (!c.n_errors)
			err(&c, (struct pos){ 0, 0 },
			    "empty file (expected a mapping with 'name' and 'nodes')");
		goto out;
	}
	t = xcalloc(1, sizeof(*t));
	t->file = xstrdup(file);
	load_top(&c, root, t);
	if (c.n_errors)
		goto out;
	*out = t;
	t = NULL;
	ret = 0;
out:
	diag_sort(d, first_msg);
	arena_free(&c.arena);
	topo_free(t);
	return ret;
}

int topo_load(const char *file, struct topology **out, struct diag *d)
{
	size_t len = 0, cap = 64 * 1024;
	char *buf = NULL;
	ssize_t n;
	int fd, ret;

	*out = NULL;
	fd = strcmp(file, "-") ? open(file, O_RDONLY | O_CLOEXEC) : dup(STDIN_FILENO);
	if (fd < 0)
		return -errno;
	/* Read at most one byte past the limit: never trust st_size (pipes, /proc). */
	buf = xmalloc(cap);
	while (len <= LOAD_MAX_BYTES) {
		if (len == cap) {
			cap = cap * 2 > LOAD_MAX_BYTES + 1 ? LOAD_MAX_BYTES + 1 : cap * 2;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	ret = topo_load_buf(file, buf, len, out, d);
out:
	free(buf);
	close(fd);
	return ret;
}
