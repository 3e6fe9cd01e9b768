/* SPDX-License-Identifier: MIT */
/*
 * yaml_tree - a topology file as a small tree of YAML values, each with its
 * line and column, for the loader (load.c, load_value.c) alone. libyaml's
 * types stay in yaml_tree.c.
 */
#ifndef TOPO_YAML_TREE_H
#define TOPO_YAML_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define LOAD_MAX_BYTES (4u << 20)

struct strmap;

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

struct arena_chunk;

/* The nodes of one file, freed at once by ytree_free(). */
struct arena {
	struct arena_chunk *head;
};

/* One file being loaded: its text, its tree, where its errors go. */
struct ytree {
	struct arena arena;
	struct diag *d;
	const char *buf;
	size_t len;
	size_t n_errors;
};

/* ytree_err - report an error at POS; after 500 of them, the rest are only counted. */
void __attribute__((format(printf, 3, 4)))
ytree_err(struct ytree *c, struct pos pos, const char *fmt, ...);

/* ytree_input_ok - refuse a buffer too large, with a NUL byte or not UTF-8: 0 or -errno. */
int ytree_input_ok(struct ytree *c);

/* ytree_parse - the single document of the buffer as a tree, or NULL (errors reported). */
struct ynode *ytree_parse(struct ytree *c);

/* ytree_free - free the tree of C (the nodes ytree_parse() returned). */
void ytree_free(struct ytree *c);

/* ynode_sub_pos - the position of byte OFF of scalar Y, or Y's own when columns don't map. */
struct pos ynode_sub_pos(const struct ynode *y, size_t off);

/* ynode_is_null - is Y absent, empty, `~` or `null` (unquoted)? */
bool ynode_is_null(const struct ynode *y);

/* ynode_is_bool - is Y an unquoted true or false; its value into *V. */
bool ynode_is_bool(const struct ynode *y, bool *v);

/* ynode_type_name - "a list", "a string", ...: what the user wrote, for "expected X, got Y". */
const char *ynode_type_name(const struct ynode *y);

/* ytree_want - Y must be KIND; otherwise say so (Y_BAD was reported already). */
bool ytree_want(struct ytree *c, const struct ynode *y, enum ytype kind);

/* ytree_want_opt - a list or a mapping that may also be left empty (`key:` or `key: ~`). */
bool ytree_want_opt(struct ytree *c, const struct ynode *y, enum ytype kind);

/* ytree_str - a scalar as text; NULL after reporting when it is not one. */
const char *ytree_str(struct ytree *c, const struct ynode *y);

/*
 * ytree_integer - an integer in MIN..MAX; WHAT names it in messages ("mtu
 * 70000 out of range (68..65535)"). Decimal only: "0x10" or "1e3" in a lab
 * file is a typo.
 */
bool ytree_integer(struct ytree *c, const struct ynode *y, const char *what, long long min,
		   long long max, long long *out);

/*
 * ytree_fields - sort the entries of mapping MAP into VALS/KEYPOS by KEYS;
 * report unknown keys (with the nearest as a suggestion), duplicate keys
 * and non-scalar keys.
 */
void ytree_fields(struct ytree *c, const struct ynode *map, const char *const *keys, size_t n,
		  const struct ynode **vals, const struct ynode **keypos);

/*
 * ytree_user_key - a key of a mapping whose keys are names (nodes,
 * interfaces, sysctls): a non-null scalar, not seen before in SEEN.
 */
const char *ytree_user_key(struct ytree *c, const struct ynode *key, struct strmap *seen);

/*
 * ytree_each_scalar - FN(C, KEY, VAL, ARG) for each entry of mapping MAP
 * (null: none) whose key is a name not seen before in it and whose value a
 * non-null scalar; the others reported (WHAT: "a string").
 */
void ytree_each_scalar(struct ytree *c, const struct ynode *map, const char *what,
		       void (*fn)(struct ytree *c, const struct ynode *key, const struct ynode *val,
				  void *arg),
		       void *arg);

#endif
