// SPDX-License-Identifier: MIT
/*
 * load_run - a node's `run:` list: each item a shell command line, or a
 * mapping { name, cmd, ready: { tcp | udp | file, timeout }, env }. The
 * name names the process's record and log file, so it must be a file name.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_run.h"
#include "util.h"

#define RUN_NAME_RULE "letters, digits, '.', '_', '+', '-', at most 64 characters"
#define READY_TIMEOUT_MAX_US 3600000000ULL

bool run_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > RUN_NAME_MAX || !isalnum((unsigned char)s[0]))
		return false;
	for (; *s; s++) {
		if (!isalnum((unsigned char)*s) && !strchr("._+-", *s))
			return false;
	}
	return true;
}

bool run_default_name(const char *cmd, char *buf, size_t len)
{
	const char *w = cmd + strspn(cmd, " \t\n"), *base = w;
	size_t n = strcspn(w, " \t\n"), i;

	for (i = 0; i < n; i++) {
		if (w[i] == '/')
			base = w + i + 1;
	}
	n -= (size_t)(base - w);
	if (n >= len)
		return false;
	memcpy(buf, base, n);
	buf[n] = '\0';
	return run_name_valid(buf);
}

static bool env_key_valid(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (; *s; s++) {
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	}
	return true;
}

static void load_env_var(struct ytree *c, const struct ynode *key, const struct ynode *val,
			 void *arg)
{
	struct run_spec *r = arg;
	struct run_env *e;

	if (!env_key_valid(key->s)) {
		ytree_err(c, key->pos, "invalid environment variable name '%s' ([A-Za-z_][A-Za-z0-9_]*)",
			  SHOW(key->s));
		return;
	}
	e = VEC_APPEND(&r->env, &r->n_env);
	e->key = xstrdup(key->s);
	e->value = xstrdup(val->s);
}

static void load_ready_timeout(struct ytree *c, const struct ynode *y, struct run_spec *r)
{
	const char *s = ytree_str(c, y);
	uint64_t us;

	if (!s)
		return;
	if (duration_parse(s, &us) < 0)
		ytree_err(c, y->pos, "invalid timeout '%s' (expected a duration such as 500ms, 30s)",
			  SHOW(s));
	else if (!us || us > READY_TIMEOUT_MAX_US)
		ytree_err(c, y->pos, "timeout '%s' out of range (more than 0, at most 1h)", SHOW(s));
	else
		r->ready_timeout_us = us;
}

static void load_ready(struct ytree *c, const struct ynode *y, struct run_spec *r)
{
	enum { RK_TCP, RK_UDP, RK_FILE, RK_TIMEOUT, RK_N };
	static const char *const keys[RK_N] = { "tcp", "udp", "file", "timeout" };
	const struct ynode *v[RK_N], *k[RK_N];
	const char *s;
	long long port;

	if (!ytree_want(c, y, Y_MAP))
		return;
	ytree_fields(c, y, keys, RK_N, v, k);
	if (!!v[RK_TCP] + !!v[RK_UDP] + !!v[RK_FILE] != 1) {
		ytree_err(c, y->pos, "ready needs exactly one of 'tcp', 'udp' or 'file'");
		return;
	}
	if (v[RK_TIMEOUT])
		load_ready_timeout(c, v[RK_TIMEOUT], r);
	if (v[RK_FILE]) {
		if (!(s = ytree_str(c, v[RK_FILE])))
			return;
		if (s[0] != '/' || strpbrk(s, "\n\r"))
			ytree_err(c, v[RK_FILE]->pos, "ready file '%s' must be an absolute path",
				  SHOW(s));
		else {
			r->ready = READY_FILE;
			r->ready_file = xstrdup(s);
		}
		return;
	}
	if (ytree_integer(c, v[RK_TCP] ? v[RK_TCP] : v[RK_UDP], "port", 1, 65535, &port)) {
		r->ready = v[RK_TCP] ? READY_TCP : READY_UDP;
		r->ready_port = (uint16_t)port;
	}
}

static bool load_cmd(struct ytree *c, const struct ynode *y, struct run_spec *r)
{
	const char *s = ytree_str(c, y);

	if (!s)
		return false;
	if (!s[strspn(s, " \t\n")]) {
		ytree_err(c, y->pos, "empty command");
		return false;
	}
	r->cmd = xstrdup(s);
	return true;
}

/* { name, cmd, ready, env } into R; false when there is no command. */
static bool load_run_map(struct ytree *c, const struct ynode *y, struct run_spec *r)
{
	enum { RK_NAME, RK_CMD, RK_READY, RK_ENV, RK_N };
	static const char *const keys[RK_N] = { "name", "cmd", "ready", "env" };
	const struct ynode *v[RK_N], *k[RK_N];
	const char *s;

	ytree_fields(c, y, keys, RK_N, v, k);
	if (v[RK_NAME] && (s = ytree_str(c, v[RK_NAME]))) {
		r->name_pos = v[RK_NAME]->pos;
		if (run_name_valid(s))
			r->name = xstrdup(s);
		else
			ytree_err(c, r->name_pos, "invalid process name '%s' (" RUN_NAME_RULE ")",
				  SHOW(s));
	}
	if (v[RK_READY])
		load_ready(c, v[RK_READY], r);
	if (v[RK_ENV])
		ytree_each_scalar(c, v[RK_ENV], "a string", load_env_var, r);
	if (!v[RK_CMD]) {
		ytree_err(c, y->pos, "missing required key 'cmd'");
		return false;
	}
	return load_cmd(c, v[RK_CMD], r) && (r->name || !v[RK_NAME]);
}

void load_runs(struct ytree *c, const struct ynode *list, struct node *n)
{
	char name[RUN_NAME_MAX + 1];
	size_t i;

	if (!ytree_want_opt(c, list, Y_SEQ))
		return;
	for (i = 0; i < list->n; i++) {
		const struct ynode *y = list->kids[i];
		struct run_spec r = { .pos = y->pos, .name_pos = y->pos,
				      .ready_timeout_us = RUN_READY_TIMEOUT_US };
		bool ok;

		ok = y->type == Y_MAP ? load_run_map(c, y, &r) : load_cmd(c, y, &r);
		if (ok && !r.name) {
			if (run_default_name(r.cmd, name, sizeof(name)))
				r.name = xstrdup(name);
			else {
				ytree_err(c, y->pos,
					  "no process name in '%s' (give one: { name: NAME, cmd: ... })",
					  SHOW(r.cmd));
				ok = false;
			}
		}
		if (ok)
			*(struct run_spec *)VEC_APPEND(&n->runs, &n->n_runs) = r;
		else	/* what was loaded of it, freed the one way specs are */
			run_specs_free(memcpy(xmalloc(sizeof(r)), &r, sizeof(r)), 1);
	}
}

static void run_copy(struct run_spec *to, const struct run_spec *from)
{
	size_t i;

	*to = *from;
	to->name = xstrdup(from->name);
	to->cmd = xstrdup(from->cmd);
	to->ready_file = from->ready_file ? xstrdup(from->ready_file) : NULL;
	to->env = from->n_env ? xcalloc(from->n_env, sizeof(*to->env)) : NULL;
	for (i = 0; i < from->n_env; i++) {
		to->env[i].key = xstrdup(from->env[i].key);
		to->env[i].value = xstrdup(from->env[i].value);
	}
}

void load_runs_merge(struct node *n, const struct node *def)
{
	struct run_spec *runs;
	size_t i;

	if (!def->n_runs)
		return;
	runs = xcalloc(def->n_runs + n->n_runs, sizeof(*runs));
	for (i = 0; i < def->n_runs; i++)
		run_copy(&runs[i], &def->runs[i]);
	if (n->n_runs)
		memcpy(runs + def->n_runs, n->runs, n->n_runs * sizeof(*runs));
	free(n->runs);
	n->runs = runs;
	n->n_runs += def->n_runs;
}

void load_runs_unique(struct ytree *c, const struct node *n)
{
	struct strmap seen = { 0 };
	size_t i, first;

	for (i = 0; i < n->n_runs; i++) {
		const struct run_spec *r = &n->runs[i];

		if (!strmap_put(&seen, r->name, strlen(r->name), i, &first))
			ytree_err(c, r->name_pos,
				  "process name '%s' used twice in node %s (first at %d:%d; "
				  "give one a 'name:')",
				  SHOW(r->name), n->name, n->runs[first].name_pos.line,
				  n->runs[first].name_pos.col);
	}
	strmap_free(&seen);
}
