// SPDX-License-Identifier: MIT
/*
 * topo place: the placed lab file is the user's own text with `hosts:`
 * written (or rewritten) and a `host:` on every node, so that comments,
 * order, quoting and every key topo knows now or later stay as they
 * were. The edits go by the source positions of the YAML tree (read with
 * the loader's yaml_tree); a shape they cannot handle (a flow-style top
 * level, a node given by an anchor...) is refused, and the result is
 * loaded again to prove that every node landed where it was placed.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "host.h"
#include "place.h"
#include "util.h"
#include "yaml_tree.h"

struct edit {
	size_t off, del;	/* delete DEL bytes at OFF, then insert INS */
	char *ins;
};

struct writer {
	const char *buf;
	size_t len;
	size_t *lines;		/* byte offset of each line's start */
	size_t n_lines;
	struct edit *edits;
	size_t n_edits;
	struct pos bad;		/* where the edit failed */
};

static bool bad(struct writer *w, struct pos p)
{
	w->bad = p;
	return false;
}

static void edit(struct writer *w, size_t off, size_t del, char *ins)
{
	*VEC_APPEND(&w->edits, &w->n_edits) = (struct edit){ off, del, ins };
}

/* The byte offset of P: libyaml counts columns in characters, not bytes. */
static bool offset_of(const struct writer *w, struct pos p, size_t *off)
{
	size_t o;
	int col;

	if (p.line < 1 || (size_t)p.line > w->n_lines || p.col < 1)
		return false;
	o = w->lines[p.line - 1];
	for (col = 1; col < p.col; col++) {
		if (o >= w->len || w->buf[o] == '\n')
			return false;
		for (o++; o < w->len && ((unsigned char)w->buf[o] & 0xc0) == 0x80; o++)
			;
	}
	*off = o;
	return o < w->len;
}

static size_t line_start(const struct writer *w, size_t off)
{
	while (off > 0 && w->buf[off - 1] != '\n')
		off--;
	return off;
}

/* Where scalar Y, starting at byte START, ends: past its closing quote, or
 * its plain text (which must be the value itself). */
static bool scalar_end(const struct writer *w, size_t start, const struct ynode *y, size_t *end)
{
	char q = w->buf[start];
	size_t i;

	if (q != '"' && q != '\'') {
		*end = start + y->len;
		return y->type == Y_SCALAR && *end <= w->len && !memcmp(w->buf + start, y->s, y->len);
	}
	for (i = start + 1; i < w->len; i++) {
		if (q == '"' && w->buf[i] == '\\')
			i++;
		else if (q == '\'' && w->buf[i] == '\'' && i + 1 < w->len && w->buf[i + 1] == '\'')
			i++;
		else if (w->buf[i] == q)
			break;
	}
	*end = i + 1;
	return i < w->len;
}

/* A name as a YAML scalar: quoted where YAML would read it as another type. */
static char *name_yaml(const char *name)
{
	static const char *const words[] = { "y", "n", "yes", "no", "on", "off", "true", "false",
					     "null" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcasecmp(name, words[i]))
			return xasprintf("\"%s\"", name);
	if (name[strspn(name, "0123456789")] == 0)
		return xasprintf("\"%s\"", name);
	return xstrdup(name);
}

/* The value of key KEY in mapping MAP, or NULL. */
static const struct ynode *map_get(const struct ynode *map, const char *key, size_t *idx)
{
	size_t i;

	for (i = 0; map && map->type == Y_MAP && i + 1 < map->n; i += 2)
		if (map->kids[i]->type == Y_SCALAR && !strcmp(map->kids[i]->s, key)) {
			if (idx)
				*idx = i;
			return map->kids[i + 1];
		}
	return NULL;
}

static bool replace_scalar(struct writer *w, const struct ynode *y, const char *text)
{
	size_t start, end;

	if (y->type != Y_SCALAR || !offset_of(w, y->pos, &start) || !scalar_end(w, start, y, &end))
		return bad(w, y->pos);
	edit(w, start, end - start, xstrdup(text));
	return true;
}

/* `h1:`, `h1: ~`: the value on the key's line becomes `{ host: H }`. */
static bool edit_null(struct writer *w, const struct ynode *key, const char *host)
{
	size_t k, c, v, n;

	if (!offset_of(w, key->pos, &k) || !scalar_end(w, k, key, &c))
		return bad(w, key->pos);
	for (; c < w->len && (w->buf[c] == ' ' || w->buf[c] == '\t'); c++)
		;
	if (c >= w->len || w->buf[c] != ':')
		return bad(w, key->pos);
	for (v = ++c; v < w->len && (w->buf[v] == ' ' || w->buf[v] == '\t'); v++)
		;
	n = strcspn(w->buf + v, " \t\r\n#");
	if (v + n > w->len)
		n = w->len - v;
	if (n && !(n == 1 && w->buf[v] == '~') && !(n == 4 && !strncasecmp(w->buf + v, "null", 4)))
		return bad(w, key->pos);
	if (n)
		edit(w, v, n, xasprintf("{ host: %s }", host));
	else
		edit(w, c, 0, xasprintf(" { host: %s }", host));
	return true;
}

/* A host: key joins mapping MAP (not having one): first in a flow
 * mapping, a line of its own above a block mapping's first key. */
static bool edit_map(struct writer *w, const struct ynode *map, const char *host)
{
	size_t v, ls;

	if (!offset_of(w, map->pos, &v))
		return bad(w, map->pos);
	if (w->buf[v] == '{') {
		if (!map->n)
			edit(w, v + 1, 0, xasprintf(" host: %s%s", host, w->buf[v + 1] == '}' ? " " : ""));
		else if (w->buf[v + 1] == ' ')
			edit(w, v + 1, 0, xasprintf(" host: %s,", host));
		else
			edit(w, v + 1, 0, xasprintf("host: %s, ", host));
		return true;
	}
	ls = line_start(w, v);
	if (strspn(w->buf + ls, " ") != v - ls)
		return bad(w, map->pos);
	edit(w, ls, 0, xasprintf("%*shost: %s\n", (int)(v - ls), "", host));
	return true;
}

/* Node KEY: VAL goes on HOST. */
static bool edit_node(struct writer *w, const struct ynode *key, const struct ynode *val,
		      const char *host)
{
	const struct ynode *h = map_get(val, "host", NULL);

	if (h)
		return replace_scalar(w, h, host);
	if (val->type == Y_MAP)
		return edit_map(w, val, host);
	if (ynode_is_null(val))
		return edit_null(w, key, host);
	return bad(w, val->pos);
}

void place_hosts_yaml(FILE *f, const struct place_host *hosts, size_t n)
{
	char *name;
	size_t i;

	fputs("hosts:\n", f);
	for (i = 0; i < n; i++) {
		name = name_yaml(hosts[i].name);
		fprintf(f, "  %s: { address: %s", name, hosts[i].address);
		if (hosts[i].vxlan_port)
			fprintf(f, ", vxlan_port: %u", hosts[i].vxlan_port);
		fputs(" }", f);
		if (hosts[i].placeholder)
			fprintf(f, "   # a placeholder: %s's underlay address goes here", hosts[i].name);
		fputc('\n', f);
		free(name);
	}
}

static char *hosts_yaml(const struct place_host *hosts, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();	/* out of memory, as xmalloc */
	place_hosts_yaml(f, hosts, n);
	fclose(f);
	return text;
}

/* Back from line start LS over the comment lines (at column 1) right
 * above it; with BLANK_TOO, over empty lines and a document's end too. */
static size_t above_comments(const struct writer *w, size_t ls, bool blank_too)
{
	size_t prev;

	while (ls > 0) {
		prev = line_start(w, ls - 1);
		if (w->buf[prev] != '#' &&
		    !(blank_too && (w->buf[prev] == '\n' || !strncmp(w->buf + prev, "...", 3))))
			break;
		ls = prev;
	}
	return ls;
}

/* `hosts:` replaced where the file has it (its comments above and below
 * kept), else put above `nodes:` and the comments right above that. */
static bool edit_top(struct writer *w, const struct ynode *root, char *text)
{
	size_t hi, ni, from, to;

	if (!offset_of(w, root->pos, &from) || w->buf[from] == '{' || !map_get(root, "nodes", &ni))
		return free(text), bad(w, root->pos);
	if (!map_get(root, "hosts", &hi)) {
		if (!offset_of(w, root->kids[ni]->pos, &from))
			return free(text), bad(w, root->kids[ni]->pos);
		from = above_comments(w, line_start(w, from), false);
		edit(w, from, 0, text);
		return true;
	}
	if (!offset_of(w, root->kids[hi]->pos, &from))
		return free(text), bad(w, root->kids[hi]->pos);
	from = line_start(w, from);
	to = w->len && w->buf[w->len - 1] == '\n' ? above_comments(w, w->len, true) : w->len;
	if (hi + 2 < root->n) {
		if (!offset_of(w, root->kids[hi + 2]->pos, &to))
			return free(text), bad(w, root->kids[hi + 2]->pos);
		to = above_comments(w, line_start(w, to), true);
	}
	if (to < from)
		return free(text), bad(w, root->kids[hi]->pos);
	edit(w, from, to - from, text);
	return true;
}

static int edit_cmp(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

static char *apply_edits(struct writer *w)
{
	char *out = NULL;
	size_t len = 0, at = 0, i;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		abort();
	/* (offsets are distinct: one edit per node, one for hosts:) */
	qsort(w->edits, w->n_edits, sizeof(*w->edits), edit_cmp);
	for (i = 0; i < w->n_edits; i++) {
		fwrite(w->buf + at, 1, w->edits[i].off - at, f);
		fputs(w->edits[i].ins, f);
		at = w->edits[i].off + w->edits[i].del;
	}
	fwrite(w->buf + at, 1, w->len - at, f);
	fclose(f);
	return out;
}

/* The edits of every node of ROOT, and of `host:` in `defaults:`. */
static bool edit_nodes(struct writer *w, const struct ynode *root, const struct topology *t,
		       const struct place_host *hosts, const size_t *host_of)
{
	const struct ynode *nodes = map_get(root, "nodes", NULL), *def = map_get(root, "defaults", NULL);
	const struct node *n;
	struct strmap idx = { 0 };
	size_t i, ni;
	char *name;
	bool ok = true;

	for (i = 0; i < t->n_nodes; i++)
		strmap_put(&idx, t->nodes[i].name, strlen(t->nodes[i].name), i, NULL);
	for (i = 0; ok && nodes && nodes->type == Y_MAP && i + 1 < nodes->n; i += 2) {
		n = nodes->kids[i]->type == Y_SCALAR ? topo_node_find(t, nodes->kids[i]->s) : NULL;
		if (!n || !strmap_get(&idx, n->name, strlen(n->name), &ni)) {
			ok = bad(w, nodes->kids[i]->pos);
			break;
		}
		name = name_yaml(hosts[host_of[ni]].name);
		ok = edit_node(w, nodes->kids[i], nodes->kids[i + 1], name);
		free(name);
	}
	if (ok && map_get(def, "host", NULL)) {
		/* every node names its own: any host will do */
		name = name_yaml(hosts[0].name);
		ok = replace_scalar(w, map_get(def, "host", NULL), name);
		free(name);
	}
	strmap_free(&idx);
	return ok;
}

/* Is OUT, loaded and checked, the placement asked for? */
static int verify(const char *file, const char *out, const struct topology *t,
		  const struct place_host *hosts, size_t n_hosts, const size_t *host_of,
		  struct pos *where, struct diag *d)
{
	struct topology *p = NULL;
	size_t i;
	int h, err;

	if ((err = topo_load_buf(file, out, strlen(out), &p, d)) < 0 || topo_check(p, d) < 0) {
		topo_free(p);
		return err < 0 ? err : -EINVAL;
	}
	err = p->n_nodes == t->n_nodes && p->n_hosts == n_hosts ? 0 : -EINVAL;
	for (i = 0; !err && i < n_hosts; i++)
		if (strcmp(p->hosts[i].name, hosts[i].name))
			err = -EINVAL;
	for (i = 0; !err && i < t->n_nodes; i++) {
		h = host_of_name(p, t->nodes[i].name);
		if (h < 0 || strcmp(p->hosts[h].name, hosts[host_of[i]].name)) {
			*where = t->nodes[i].pos;
			err = -EINVAL;
		}
	}
	topo_free(p);
	return err;
}

int place_text(const char *file, const char *buf, size_t len, const struct topology *t,
	       const struct place_host *hosts, size_t n_hosts, const size_t *host_of, char **out,
	       struct pos *where, struct diag *d)
{
	struct writer w = { .buf = buf, .len = len };
	struct ytree c = { .d = d, .buf = buf, .len = len };
	struct ynode *root;
	size_t i;
	int err = -EINVAL;

	*out = NULL;
	*where = (struct pos){ 0, 0 };
	if (!n_hosts)
		return -EINVAL;
	if ((err = ytree_input_ok(&c)) < 0 || !(root = ytree_parse(&c)) || c.n_errors) {
		ytree_free(&c);
		return err < 0 ? err : -EINVAL;
	}
	err = -EINVAL;
	*VEC_APPEND(&w.lines, &w.n_lines) = 0;
	for (i = 0; i < len; i++)
		if (buf[i] == '\n' && i + 1 < len)
			*VEC_APPEND(&w.lines, &w.n_lines) = i + 1;
	if (edit_top(&w, root, hosts_yaml(hosts, n_hosts)) &&
	    edit_nodes(&w, root, t, hosts, host_of)) {
		*out = apply_edits(&w);
		err = verify(file, *out, t, hosts, n_hosts, host_of, where, d);
	} else {
		*where = w.bad;
	}
	if (err) {
		free(*out);
		*out = NULL;
	}
	for (i = 0; i < w.n_edits; i++)
		free(w.edits[i].ins);
	free(w.edits);
	free(w.lines);
	ytree_free(&c);
	return err;
}
