// SPDX-License-Identifier: MIT
/*
 * yaml_tree - the topology file as a small tree of YAML values.
 *
 * The loader works in two passes. Here, libyaml's event stream is turned
 * into a small tree of our own (struct ynode) that keeps the line and
 * column of every value; load.c then walks the tree with a table of known
 * keys per mapping, so that every error can be reported at once, at the
 * offending value. libyaml types never leave this file.
 *
 * The input may be hostile (fuzzing, files from elsewhere): the size is
 * capped before parsing, nesting depth is bounded while the events arrive,
 * aliases are refused (no expansion, so no "billion laughs"), NUL bytes are
 * refused, every duplicate check is a hash lookup, and the text of a value
 * quoted in a message is escaped and truncated.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "util.h"
#include "yaml_tree.h"

#define LOAD_MAX_DEPTH 64
#define LOAD_MAX_VALUES 1000000	/* far beyond any lab; bounds the tree at ~64 MB */
#define LOAD_MAX_ERRORS 500

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

void ytree_free(struct ytree *c)
{
	struct arena_chunk *ch, *next;

	for (ch = c->arena.head; ch; ch = next) {
		next = ch->next;
		free(ch);
	}
	c->arena.head = NULL;
}

void ytree_err(struct ytree *c, struct pos pos, const char *fmt, ...)
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

struct pos ynode_sub_pos(const struct ynode *y, size_t off)
{
	if (!y->exact)
		return y->pos;
	return (struct pos){ y->pos.line, y->col0 + (int)off };
}

static struct ynode *ynode_new(struct ytree *c, enum ytype type, struct pos pos)
{
	struct ynode *y = arena_alloc(&c->arena, sizeof(*y));

	memset(y, 0, sizeof(*y));
	y->type = type;
	y->pos = pos;
	return y;
}

static void ynode_add(struct ytree *c, struct ynode *parent, struct ynode *kid)
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

static struct ynode *scalar_node(struct ytree *c, const yaml_event_t *ev)
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
		ytree_err(c, y->pos, "NUL character in a string");
		y->type = Y_BAD;
	} else if (!tag_ok(ev->data.scalar.tag)) {
		ytree_err(c, y->pos, "unsupported YAML tag '%s'", SHOW((const char *)ev->data.scalar.tag));
		y->type = Y_BAD;
	}
	return y;
}

static void yaml_problem(struct ytree *c, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "invalid YAML";

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		ytree_err(c, (struct pos){ 0, 0 }, "out of memory while parsing");
		break;
	case YAML_READER_ERROR:
		/* The reader reports a byte offset, not a mark. */
		ytree_err(c, offset_pos(c->buf, c->len, p->problem_offset), "%s", problem);
		break;
	default:
		ytree_err(c, mark_pos(&p->problem_mark), "%s", problem);
		break;
	}
}

/* The tree being built from the events: the open lists and mappings on STACK. */
struct builder {
	struct ynode *stack[LOAD_MAX_DEPTH + 1], *root;
	size_t depth, n_values;
	int docs;
	bool alias_said;
};

/* A list or a mapping, from its start event EV. */
static struct ynode *collection_node(struct ytree *c, const yaml_event_t *ev)
{
	bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
	struct ynode *y = ynode_new(c, seq ? Y_SEQ : Y_MAP, mark_pos(&ev->start_mark));
	const yaml_char_t *tag = seq ? ev->data.sequence_start.tag : ev->data.mapping_start.tag;

	if (!tag_ok(tag))
		ytree_err(c, y->pos, "unsupported YAML tag '%s'", SHOW((const char *)tag));
	return y;
}

/* The value event EV starts, or NULL; *STOP after reporting when parsing cannot go on. */
static struct ynode *event_node(struct ytree *c, struct builder *b, const yaml_event_t *ev,
				bool *stop)
{
	struct ynode *y;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->docs > 1) {
			ytree_err(c, mark_pos(&ev->start_mark),
				  "expected a single YAML document, found a second one");
			*stop = true;
		}
		return NULL;
	case YAML_ALIAS_EVENT:
		/* Refused outright: expansion is how "billion laughs" files
		 * explode. Said once: a bomb has hundreds of them. */
		y = ynode_new(c, Y_BAD, mark_pos(&ev->start_mark));
		if (!b->alias_said)
			ytree_err(c, y->pos, "YAML aliases are not supported ('*%s')",
				  SHOW((const char *)ev->data.alias.anchor));
		b->alias_said = true;
		return y;
	case YAML_SCALAR_EVENT:
		return scalar_node(c, ev);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (b->depth >= LOAD_MAX_DEPTH) {
			ytree_err(c, mark_pos(&ev->start_mark), "nesting too deep (more than %d levels)",
				  LOAD_MAX_DEPTH);
			*stop = true;
			return NULL;
		}
		return collection_node(c, ev);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth)
			b->depth--;
		return NULL;
	default:
		return NULL;
	}
}

/* Y into the open list or mapping, or as the root; a list or mapping is opened. */
static void builder_add(struct ytree *c, struct builder *b, struct ynode *y)
{
	if (b->depth)
		ynode_add(c, b->stack[b->depth - 1], y);
	else if (!b->root)
		b->root = y;
	if (y->type == Y_SEQ || y->type == Y_MAP)
		b->stack[b->depth++] = y;
}

struct ynode *ytree_parse(struct ytree *c)
{
	struct builder b = { .root = NULL };
	yaml_parser_t p;
	yaml_event_t ev;
	struct ynode *y;
	bool stop = false, ok = false;

	if (!yaml_parser_initialize(&p)) {
		ytree_err(c, (struct pos){ 0, 0 }, "out of memory while parsing");
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)c->buf, c->len);
	while (!ok && !stop) {
		if (!yaml_parser_parse(&p, &ev)) {
			yaml_problem(c, &p);
			break;
		}
		ok = ev.type == YAML_STREAM_END_EVENT;
		y = event_node(c, &b, &ev, &stop);
		if (y && ++b.n_values > LOAD_MAX_VALUES) {
			ytree_err(c, y->pos, "too many values in one file (more than %d)",
				  LOAD_MAX_VALUES);
			stop = true;
		} else if (y) {
			builder_add(c, &b, y);
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return ok ? b.root : NULL;
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

int ytree_input_ok(struct ytree *c)
{
	const char *nul;
	size_t bad;

	if (c->len > LOAD_MAX_BYTES) {
		/* LEN may be cut at the limit (topo_load reads one byte more). */
		ytree_err(c, (struct pos){ 0, 0 }, "file too large (more than %u bytes)", LOAD_MAX_BYTES);
		return -EFBIG;
	}
	/* libyaml would stop reading at a NUL byte or call it a control character. */
	nul = memchr(c->buf, 0, c->len);
	if (nul) {
		ytree_err(c, offset_pos(c->buf, c->len, (size_t)(nul - c->buf)),
			  "NUL byte in file (a topology file is UTF-8 text)");
		return -EINVAL;
	}
	/* libyaml would point at the byte after a bad sequence, and less plainly. */
	bad = utf8_invalid((const unsigned char *)c->buf, c->len);
	if (bad < c->len) {
		ytree_err(c, offset_pos(c->buf, c->len, bad),
			  "invalid UTF-8 byte 0x%02x (a topology file is UTF-8 text)",
			  (unsigned char)c->buf[bad]);
		return -EINVAL;
	}
	return 0;
}

/* ---- values ---- */

bool ynode_is_null(const struct ynode *y)
{
	return !y || (y->type == Y_SCALAR && !y->quoted &&
		      (!y->len || !strcmp(y->s, "~") || !strcmp(y->s, "null") ||
		       !strcmp(y->s, "Null") || !strcmp(y->s, "NULL")));
}

bool ynode_is_bool(const struct ynode *y, bool *v)
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

const char *ynode_type_name(const struct ynode *y)
{
	bool b;

	if (!y || ynode_is_null(y))
		return "null";
	switch (y->type) {
	case Y_MAP:
		return "a mapping";
	case Y_SEQ:
		return "a list";
	default:
		break;
	}
	if (ynode_is_bool(y, &b))
		return "a boolean";
	if (!y->quoted && looks_numeric(y->s))
		return "a number";
	return "a string";
}

bool ytree_want(struct ytree *c, const struct ynode *y, enum ytype kind)
{
	static const char *const names[] = {
		[Y_SCALAR] = "a string", [Y_SEQ] = "a list", [Y_MAP] = "a mapping"
	};

	if (y->type == Y_BAD)
		return false;
	if (y->type == kind && !(kind == Y_SCALAR && ynode_is_null(y)))
		return true;
	ytree_err(c, y->pos, "expected %s, got %s", names[kind], ynode_type_name(y));
	return false;
}

bool ytree_want_opt(struct ytree *c, const struct ynode *y, enum ytype kind)
{
	if (ynode_is_null(y))
		return false;
	return ytree_want(c, y, kind);
}

const char *ytree_str(struct ytree *c, const struct ynode *y)
{
	return ytree_want(c, y, Y_SCALAR) ? y->s : NULL;
}

bool ytree_integer(struct ytree *c, const struct ynode *y, const char *what, long long min,
		    long long max, long long *out)
{
	const char *s = ytree_str(c, y), *p;
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
		ytree_err(c, y->pos, "%s %s out of range (%lld..%lld)", what, SHOW(s), min, max);
		return false;
	}
	*out = v;
	return true;
invalid:
	ytree_err(c, y->pos, "invalid %s '%s' (expected an integer)", what, SHOW(s));
	return false;
}

/* ---- keys ---- */

/*
 * unknown_key - report KEY; suggest the nearest of KEYS when it is close
 * enough to be a typo, otherwise list them all.
 */
static void unknown_key(struct ytree *c, const struct ynode *key, const char *const *keys, size_t n)
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
		ytree_err(c, key->pos, "unknown key '%s' (did you mean '%s'?)", SHOW(key->s), keys[bi]);
		return;
	}
	list[0] = '\0';
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", i ? ", " : "",
					keys[i]);
	ytree_err(c, key->pos, "unknown key '%s' (expected one of: %s)", SHOW(key->s), list);
}

void ytree_fields(struct ytree *c, const struct ynode *map, const char *const *keys, size_t n,
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
			ytree_err(c, key->pos, "expected a string key, got %s", ynode_type_name(key));
			continue;
		}
		for (k = 0; k < n; k++) {
			if (!strcmp(key->s, keys[k]))
				break;
		}
		if (k == n) {
			unknown_key(c, key, keys, n);
		} else if (vals[k]) {
			ytree_err(c, key->pos, "duplicate key '%s'", keys[k]);
		} else {
			vals[k] = map->kids[i + 1];
			keypos[k] = key;
		}
	}
}

const char *ytree_user_key(struct ytree *c, const struct ynode *key, struct strmap *seen)
{
	if (key->type == Y_BAD)
		return NULL;
	if (key->type != Y_SCALAR || ynode_is_null(key)) {
		ytree_err(c, key->pos, "expected a string key, got %s", ynode_type_name(key));
		return NULL;
	}
	if (!strmap_put(seen, key->s, key->len, 0, NULL)) {
		ytree_err(c, key->pos, "duplicate key '%s'", SHOW(key->s));
		return NULL;
	}
	return key->s;
}

void ytree_each_scalar(struct ytree *c, const struct ynode *map, const char *what,
		       void (*fn)(struct ytree *c, const struct ynode *key, const struct ynode *val,
				  void *arg),
		       void *arg)
{
	struct strmap seen = { 0 };
	size_t i;

	if (!ytree_want_opt(c, map, Y_MAP))
		return;
	for (i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *key = map->kids[i], *val = map->kids[i + 1];

		if (!ytree_user_key(c, key, &seen) || val->type == Y_BAD)
			continue;
		if (val->type != Y_SCALAR || ynode_is_null(val))
			ytree_err(c, val->pos, "expected %s, got %s", what, ynode_type_name(val));
		else
			fn(c, key, val, arg);
	}
	strmap_free(&seen);
}
