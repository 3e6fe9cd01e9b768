// SPDX-License-Identifier: MIT
/*
 * load_rule - `rules:` of a node: policy routing rules in the words of
 * `ip rule` ("from 10.0.1.0/24 table 100 priority 1000") or as a mapping
 * with the same keys. Both forms go through one setter per key, so they
 * accept and refuse the same values with the same words.
 *
 * A rule needs a priority: without one the kernel numbers it from the
 * rules already there (one below the first after priority 0), so the same
 * file would make different rules, and topo could not tell its rule again.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "load_rule.h"
#include "load_value.h"
#include "util.h"

enum { RK_FROM, RK_TO, RK_IIF, RK_OIF, RK_FWMARK, RK_TABLE, RK_PRIORITY, RK_TYPE, RK_FAMILY,
       RK_N };
static const char *const rule_keys[RK_N] = { "from",	 "to",	     "iif",  "oif",   "fwmark",
					     "table",	 "priority", "type", "family" };

/* `ip rule`'s other names for the keys. */
static const struct {
	const char *word;
	int key;
} rule_aliases[] = {
	{ "lookup", RK_TABLE },	     { "pref", RK_PRIORITY }, { "preference", RK_PRIORITY },
	{ "iifname", RK_IIF },	     { "oifname", RK_OIF },
};

static const char *const rule_types[] = { "blackhole", "unreachable", "prohibit", NULL };

/* What one rule has been given so far. */
struct rule_seen {
	bool key[RK_N];
	int family;		/* `family:`; 0 when not given */
};

/* fwmark "0x10", "16" or "0x10/0xff" into R; false when it is none of them. */
static bool fwmark_parse(const char *s, struct rule_spec *r)
{
	unsigned long long v, m = 0xffffffffULL;
	char *end;

	if (!s[0] || s[0] == '-' || s[0] == '+')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || v > 0xffffffffULL)
		return false;
	if (*end == '/') {
		s = end + 1;
		if (!s[0] || s[0] == '-' || s[0] == '+')
			return false;
		m = strtoull(s, &end, 0);
		if (errno || end == s || m > 0xffffffffULL)
			return false;
	}
	if (*end)
		return false;
	r->has_fwmark = true;
	r->fwmark = (uint32_t)v;
	r->fwmask = (uint32_t)m;
	return true;
}

static bool rule_prefix(struct ytree *c, const char *s, struct pos pos, bool *has, struct cidr *out)
{
	if (!strcmp(s, "all"))
		return true;	/* `ip rule`'s word for no selector */
	if (!load_cidr(c, s, pos, out))
		return false;
	*has = true;
	return true;
}

static bool rule_fwmark(struct ytree *c, const char *s, struct pos pos, struct rule_spec *r)
{
	if (!fwmark_parse(s, r)) {
		ytree_err(c, pos,
			  "invalid fwmark '%s' (expected a number such as 16 or 0x10, or value/mask such as 0x10/0xff)",
			  SHOW(s));
		return false;
	}
	if (r->fwmark & ~r->fwmask) {
		ytree_err(c, pos, "fwmark '%s' has bits outside its mask: it never matches", SHOW(s));
		return false;
	}
	return true;
}

/* Key KEY of R is V (a scalar, its text S); false after reporting. */
static bool rule_set(struct ytree *c, struct rule_spec *r, struct rule_seen *seen, int key,
		     const struct ynode *v, const char *s)
{
	long long num;
	int i;

	switch (key) {
	case RK_FROM:
		return rule_prefix(c, s, v->pos, &r->has_from, &r->from);
	case RK_TO:
		return rule_prefix(c, s, v->pos, &r->has_to, &r->to);
	case RK_IIF:
	case RK_OIF:
		if (!load_ifname_ok(c, s, v->pos))
			return false;
		*(key == RK_IIF ? &r->iif : &r->oif) = xstrdup(s);
		*(key == RK_IIF ? &r->iif_pos : &r->oif_pos) = v->pos;
		return true;
	case RK_FWMARK:
		return rule_fwmark(c, s, v->pos, r);
	case RK_TABLE:
		r->table = xstrdup(s);
		r->table_pos = v->pos;
		return true;
	case RK_PRIORITY:
		if (!ytree_integer(c, v, "priority", 0, UINT32_MAX, &num))
			return false;
		r->priority = (uint32_t)num;
		return true;
	case RK_TYPE:
		for (i = 0; rule_types[i] && strcmp(rule_types[i], s); i++)
			;
		if (!rule_types[i]) {
			ytree_err(c, v->pos,
				  "invalid rule type '%s' (expected blackhole, unreachable or prohibit; a table is 'table')",
				  SHOW(s));
			return false;
		}
		r->type = (enum rule_type)(RULE_BLACKHOLE + i);
		return true;
	default:	/* RK_FAMILY */
		if (strcmp(s, "ipv4") && strcmp(s, "ipv6")) {
			ytree_err(c, v->pos, "invalid family '%s' (expected ipv4 or ipv6)", SHOW(s));
			return false;
		}
		seen->family = s[3] == '6' ? AF_INET6 : AF_INET;
		return true;
	}
}

static const char *family_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/* The family of R: its prefixes', or `family:`, or IPv4; false after reporting a clash. */
static bool rule_family(struct ytree *c, struct rule_spec *r, const struct rule_seen *seen)
{
	const struct { bool has; int family; const char *what; } f[] = {
		{ r->has_from, r->from.family, "from" },
		{ r->has_to, r->to.family, "to" },
		{ seen->family != 0, seen->family, "family" },
	};
	size_t i, first = ARRAY_SIZE(f);

	for (i = 0; i < ARRAY_SIZE(f); i++) {
		if (!f[i].has)
			continue;
		if (first == ARRAY_SIZE(f)) {
			first = i;
		} else if (f[i].family != f[first].family) {
			ytree_err(c, r->pos, "rule '%s' mixes IPv4 and IPv6 (%s is %s, %s is %s)",
				  SHOW(r->text), f[first].what, family_name(f[first].family),
				  f[i].what, family_name(f[i].family));
			return false;
		}
	}
	/* no prefix and no family: IPv4, as `ip rule` without -6 */
	r->family = first < ARRAY_SIZE(f) ? f[first].family : AF_INET;
	return true;
}

/* What every rule needs, whichever form it came in. */
static bool rule_finish(struct ytree *c, struct rule_spec *r, const struct rule_seen *seen)
{
	bool ok = true;

	if (seen->key[RK_TABLE] && seen->key[RK_TYPE]) {
		ytree_err(c, r->pos, "rule '%s' has both a table and type %s: a rule does one of them",
			  SHOW(r->text), rule_types[r->type - RULE_BLACKHOLE]);
		ok = false;
	} else if (!seen->key[RK_TABLE] && !seen->key[RK_TYPE]) {
		ytree_err(c, r->pos,
			  "rule '%s' needs a table to look up (or type blackhole, unreachable or prohibit)",
			  SHOW(r->text));
		ok = false;
	}
	if (!seen->key[RK_PRIORITY]) {
		ytree_err(c, r->pos,
			  "rule '%s' needs a priority (e.g. 'priority 1000'): without one the kernel picks it by the rules already there, and topo could not find the rule again",
			  SHOW(r->text));
		ok = false;
	}
	return rule_family(c, r, seen) && ok;
}

/* The key a word of the words form names, or -1. */
static int rule_word_key(const char *w)
{
	size_t i;

	for (i = 0; i < RK_N; i++)
		if (!strcmp(w, rule_keys[i]))
			return (int)i;
	for (i = 0; i < ARRAY_SIZE(rule_aliases); i++)
		if (!strcmp(w, rule_aliases[i].word))
			return rule_aliases[i].key;
	return -1;
}

/* The index of S in NULL-terminated LIST, or -1. */
static int word_index(const char *const *list, const char *s)
{
	int i;

	for (i = 0; list[i]; i++)
		if (!strcmp(list[i], s))
			return i;
	return -1;
}

#define RULE_WORDS_MAX 32

/* "from 10.0.1.0/24 table 100 priority 1000": the `ip rule` words. */
static bool rule_words(struct ytree *c, const struct ynode *y, struct rule_spec *r)
{
	char *copy = xstrdup(y->s), *save = NULL, *w[RULE_WORDS_MAX + 1];
	struct rule_seen seen = { 0 };
	size_t n = 0, i;
	bool ok = true;
	int key;

	r->text = xstrdup(y->s);
	for (w[n] = strtok_r(copy, " \t", &save); w[n] && n < RULE_WORDS_MAX;)
		w[++n] = strtok_r(NULL, " \t", &save);
	if (!n)
		ytree_err(c, y->pos, "empty rule");
	for (i = 0; i < n && ok; i++) {
		struct ynode v = { .type = Y_SCALAR, .quoted = true,
				   .pos = ynode_sub_pos(y, (size_t)(w[i] - copy)) };
		char *val;

		key = rule_word_key(w[i]);
		if (key < 0 && word_index(rule_types, w[i]) >= 0) {
			key = RK_TYPE;	/* `ip rule ... prohibit`: no "type" before it */
			val = w[i];
		} else {
			val = i + 1 < n ? w[++i] : NULL;
		}
		if (key < 0) {
			ytree_err(c, v.pos,
				  "unknown rule keyword '%s' in '%s' (expected from, to, iif, oif, fwmark, table, priority, type or family)",
				  SHOW(w[i - (val != NULL)]), SHOW(y->s));
			ok = false;
		} else if (seen.key[key]) {
			ytree_err(c, v.pos, "duplicate '%s' in rule '%s'", rule_keys[key], SHOW(y->s));
			ok = false;
		} else if (!val) {
			ytree_err(c, v.pos, "missing value after '%s' in rule '%s'", w[i], SHOW(y->s));
			ok = false;
		} else {
			seen.key[key] = true;
			v.pos = ynode_sub_pos(y, (size_t)(val - copy));
			v.s = val;
			v.len = (uint32_t)strlen(val);
			ok = rule_set(c, r, &seen, key, &v, val);
		}
	}
	if (n == RULE_WORDS_MAX && w[n]) {
		ytree_err(c, y->pos, "rule '%s' has too many words", SHOW(y->s));
		ok = false;
	}
	free(copy);
	return n && ok && rule_finish(c, r, &seen);
}

/* { from, to, iif, oif, fwmark, table, priority, type, family } */
static bool rule_map(struct ytree *c, const struct ynode *y, struct rule_spec *r)
{
	const struct ynode *v[RK_N], *k[RK_N];
	struct rule_seen seen = { 0 };
	char *text = xstrdup(""), *t;
	const char *s;
	bool ok = true;
	size_t i;

	ytree_fields(c, y, rule_keys, RK_N, v, k);
	for (i = 0; i < RK_N; i++) {
		if (!v[i])
			continue;
		if (!(s = ytree_str(c, v[i]))) {
			ok = false;
			continue;
		}
		seen.key[i] = true;
		ok &= rule_set(c, r, &seen, (int)i, v[i], s);
		/* the `ip rule` words of the map, for messages */
		t = xasprintf("%s%s%s %s", text, text[0] ? " " : "",
			      i == RK_TYPE ? "type" : rule_keys[i], s);
		free(text);
		text = t;
	}
	r->text = text;
	return ok && rule_finish(c, r, &seen);
}

bool load_rule(struct ytree *c, const struct ynode *y, struct rule_spec *r)
{
	r->pos = y->pos;
	if (y->type == Y_MAP)
		return rule_map(c, y, r);
	if (y->type == Y_SCALAR && !ynode_is_null(y))
		return rule_words(c, y, r);
	return ytree_want(c, y, Y_SCALAR);	/* "expected a string, got ..." */
}

/* Free what R holds. */
static void rule_spec_clear(struct rule_spec *r)
{
	free(r->text);
	free(r->iif);
	free(r->oif);
	free(r->table);
}

void load_rules(struct ytree *c, const struct ynode *y, struct node *n)
{
	size_t i;

	if (!ytree_want_opt(c, y, Y_SEQ))
		return;
	for (i = 0; i < y->n; i++) {
		struct rule_spec r = { 0 };

		if (load_rule(c, y->kids[i], &r))
			*(struct rule_spec *)VEC_APPEND(&n->rules, &n->n_rules) = r;
		else
			rule_spec_clear(&r);
	}
}

/* A deep copy of S into D. */
static void rule_copy(struct rule_spec *d, const struct rule_spec *s)
{
	*d = *s;
	d->text = s->text ? xstrdup(s->text) : NULL;
	d->iif = s->iif ? xstrdup(s->iif) : NULL;
	d->oif = s->oif ? xstrdup(s->oif) : NULL;
	d->table = s->table ? xstrdup(s->table) : NULL;
}

void load_rules_merge(struct node *n, const struct node *def)
{
	struct rule_spec *rules;
	size_t i;

	if (!def->n_rules)
		return;
	rules = xcalloc(def->n_rules + n->n_rules, sizeof(*rules));
	for (i = 0; i < def->n_rules; i++)
		rule_copy(&rules[i], &def->rules[i]);
	if (n->n_rules)
		memcpy(rules + def->n_rules, n->rules, n->n_rules * sizeof(*rules));
	free(n->rules);
	n->rules = rules;
	n->n_rules += def->n_rules;
}
