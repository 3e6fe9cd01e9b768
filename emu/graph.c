// SPDX-License-Identifier: MIT
/*
 * The lab as DOT (https://graphviz.org/doc/info/lang.html) or Mermaid
 * (https://mermaid.js.org/syntax/flowchart.html) text. Node ids are the
 * node names in DOT (quoted) and n0, n1... in Mermaid, whose bare ids
 * clash with its keywords ("end", "graph").
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "host.h"
#include "qdisc.h"
#include "util.h"
#include "want.h"

/* What the running lab shows against the file, for a node or a link end. */
enum g_mark { G_OK, G_NOT_UP, G_MISSING, G_DOWN, G_UP, G_ADDRS, G_IMPAIR };

static const char *const mark_text[] = {
	[G_OK] = "",
	[G_NOT_UP] = "NOT UP",
	[G_MISSING] = "MISSING",
	[G_DOWN] = "DOWN",
	[G_UP] = "UP (file: down)",
	[G_ADDRS] = "ADDRESSES DIFFER",
	[G_IMPAIR] = "IMPAIRMENT DIFFERS",
};

#define G_RED "#cc0000"

static const struct {
	const char *word;		/* a label line; NULL for hosts */
	const char *shape, *style, *fill;	/* DOT */
	const char *open, *close;	/* Mermaid */
} kinds[] = {
	[NODE_HOST] = { NULL, "box", "rounded,filled", "#eeeeee", "[\"", "\"]" },
	[NODE_ROUTER] = { "router", "ellipse", "filled", "#dbe9f6", "((\"", "\"))" },
	[NODE_BRIDGE] = { "bridge", "hexagon", "filled", "#fdf0d5", "{{\"", "\"}}" },
};

static const char *const kind_class[] = {
	[NODE_HOST] = "host", [NODE_ROUTER] = "router", [NODE_BRIDGE] = "bridge",
};

struct g_ctx {
	FILE *f;
	enum graph_format fmt;
	const struct topology *t;
	const struct state *have;	/* NULL: the file alone */
	struct state want;		/* with HAVE: what the file asks of the kernel */
	bool first;			/* no line of the current label yet */
	bool flat;			/* lines of a label go on one line */
	size_t n_diff;
	/* with T->self: per node, one of another host that a link from here
	 * reaches, drawn as a stub (its name and host) */
	bool *stub;
};

/*
 * S as text inside a quoted label. DOT: a backslash and a quote are
 * escaped (a lone backslash would start an escape like \N). Mermaid: its
 * entity codes (#34;) for what would end the string or read as HTML.
 * Names cannot hold control characters; should one come, it is a '?'.
 */
static void put_esc(struct g_ctx *g, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fputc('?', g->f);
		else if (g->fmt == GRAPH_DOT && (*p == '"' || *p == '\\'))
			fprintf(g->f, "\\%c", *p);
		else if (g->fmt == GRAPH_MERMAID && strchr("\"#&<>|`", *p))
			fprintf(g->f, "#%u;", *p);
		else
			fputc(*p, g->f);
	}
}

/* One line of a label, of the pieces up to NULL: label_line(g, "lo ", "10.0.0.1/32", NULL). */
static void label_line(struct g_ctx *g, const char *piece, ...) __attribute__((sentinel));

static void label_line(struct g_ctx *g, const char *piece, ...)
{
	va_list ap;

	if (!g->first)
		fputs(g->flat ? " " : g->fmt == GRAPH_DOT ? "\\n" : "<br/>", g->f);
	g->first = false;
	va_start(ap, piece);
	for (; piece; piece = va_arg(ap, const char *))
		put_esc(g, piece);
	va_end(ap);
}

static void label_open(struct g_ctx *g)
{
	g->first = true;
}

/* Does some link use NODE's interface IFACE? */
static bool iface_linked(const struct topology *t, const char *node, const char *iface)
{
	size_t i, e;

	for (i = 0; i < t->n_links; i++)
		for (e = 0; e < 2; e++)
			if (!strcmp(t->links[i].ep[e].node, node) &&
			    !strcmp(t->links[i].ep[e].iface, iface))
				return true;
	return false;
}

/* A line per address of IFACE in node N's `addresses:` ("IFACE ADDR" with WITH_IFACE). */
static void node_addr_lines(struct g_ctx *g, const struct node *n, const char *iface,
			    bool with_iface)
{
	char a[64];
	size_t i, j;

	for (i = 0; i < n->n_addrs; i++) {
		if (strcmp(n->addrs[i].iface, iface))
			continue;
		for (j = 0; j < n->addrs[i].n_addrs; j++)
			label_line(g, with_iface ? iface : "", with_iface ? " " : "",
				   cidr_fmt(&n->addrs[i].addrs[j], a, sizeof(a)), NULL);
	}
}

/* Is the node of end EP one of T->self's (with none: of the lab)? */
static bool end_here(const struct g_ctx *g, const struct endpoint *ep)
{
	return !g->t->self || (topo_node_find(g->t, ep->node) && host_here(g->t, ep->node));
}

/* The host of the node of end EP when it is not T->self: -1 when it is, or is no node. */
static int end_remote(const struct g_ctx *g, const struct endpoint *ep)
{
	const struct node *n = topo_node_find(g->t, ep->node);

	return g->t->self && n && !host_here(g->t, ep->node) ? host_of(g->t, n) : -1;
}

/* A link with an end here; with T->self, the others are another host's. */
static bool link_drawn(const struct g_ctx *g, const struct link *l)
{
	return end_here(g, &l->ep[0]) || end_here(g, &l->ep[1]);
}

static enum g_mark node_mark(struct g_ctx *g, const struct node *n)
{
	char ns[ST_NSNAMSIZ];

	if (!g->have)
		return G_OK;
	topo_nsname(g->t, n->name, ns, sizeof(ns));
	return state_ns_find(g->have, ns) ? G_OK : G_NOT_UP;
}

static bool addr_in(const struct st_addr *a, const struct st_iface *ifc)
{
	size_t i;

	for (i = 0; i < ifc->n_addrs; i++)
		if (ifc->addrs[i].family == a->family && ifc->addrs[i].plen == a->plen &&
		    !memcmp(ifc->addrs[i].addr, a->addr, addr_len(a->family)))
			return true;
	return false;
}

/* Same addresses, leaving out those the kernel adds by itself (fe80::). */
static bool addrs_same(const struct st_iface *want, const struct st_iface *have)
{
	size_t i;

	for (i = 0; i < want->n_addrs; i++)
		if (!addr_in(&want->addrs[i], have))
			return false;
	for (i = 0; i < have->n_addrs; i++)
		if (!st_addr_is_kernels(&have->addrs[i], have) &&
		    !addr_in(&have->addrs[i], want))
			return false;
	return true;
}

/* End EP of link L as running. A node that is not up is marked itself. */
static enum g_mark end_mark(struct g_ctx *g, const struct link *l, const struct endpoint *ep)
{
	char ns[ST_NSNAMSIZ];
	const struct st_ns *h, *w;
	const struct st_iface *hi, *wi;

	if (!g->have || end_remote(g, ep) >= 0)	/* another host's is not looked at */
		return G_OK;
	topo_nsname(g->t, ep->node, ns, sizeof(ns));
	if (!(h = state_ns_find(g->have, ns)))
		return G_OK;
	if (!(hi = st_ns_iface_find(h, ep->iface)))
		return G_MISSING;
	if (hi->up != l->up)
		return hi->up ? G_UP : G_DOWN;
	w = state_ns_find(&g->want, ns);
	wi = w ? st_ns_iface_find(w, ep->iface) : NULL;
	if (wi && !addrs_same(wi, hi))
		return G_ADDRS;
	return wi && !qdisc_eq(&wi->qdisc, &hi->qdisc) ? G_IMPAIR : G_OK;
}

/* The line of link end EP of L: NODE:IFACE, its addresses, its impairment, its mark. */
static void end_line(struct g_ctx *g, const struct link *l, const struct endpoint *ep,
		     enum g_mark m)
{
	const struct node *n = topo_node_find(g->t, ep->node);
	struct st_qdisc q;
	struct impair im;
	char a[256];
	size_t i;

	label_line(g, ep->node, ":", ep->iface, NULL);
	g->flat = true;
	for (i = 0; i < ep->n_addrs; i++)
		label_line(g, cidr_fmt(&ep->addrs[i], a, sizeof(a)), NULL);
	if (n)
		node_addr_lines(g, n, ep->iface, false);
	/* what leaves this end: the file's impairment (the link's and its own) */
	qdisc_impair_merge(&l->impair, &ep->impair, &im);
	qdisc_from_impair(&im, l->mtu, &q);
	if (q.kind != QD_DEFAULT)
		label_line(g, "impair ", qdisc_text(&q, a, sizeof(a)), NULL);
	if (ep->mtu) {
		snprintf(a, sizeof(a), "%u", ep->mtu);
		label_line(g, "mtu ", a, NULL);
	}
	if (m != G_OK)
		label_line(g, mark_text[m], NULL);
	g->flat = false;
}

/* A LAN's hidden bridge N: the LAN's name, "LAN", its MTU. */
static void lan_lines(struct g_ctx *g, const struct node *n)
{
	char mtu[16];
	size_t i;

	for (i = 0; i < g->t->n_lans && g->t->lans[i].node != (size_t)(n - g->t->nodes); i++)
		;
	if (i == g->t->n_lans)
		return;
	label_line(g, g->t->lans[i].name, NULL);
	label_line(g, "LAN", NULL);
	if (g->t->lans[i].mtu) {
		snprintf(mtu, sizeof(mtu), "%u", g->t->lans[i].mtu);
		label_line(g, "mtu ", mtu, NULL);
	}
}

/* The lines of node N's label: name, kind, addresses of interfaces no link uses (lo). */
static void node_lines(struct g_ctx *g, const struct node *n, enum g_mark m)
{
	size_t i, j;

	label_open(g);
	if (n->lan) {
		lan_lines(g, n);
		return;
	}
	label_line(g, n->name, NULL);
	if (kinds[n->kind].word)
		label_line(g, kinds[n->kind].word, NULL);
	for (i = 0; i < n->n_addrs; i++) {
		const char *ifc = n->addrs[i].iface;

		/* each interface once, though `addresses:` may name it in pieces */
		for (j = 0; j < i && strcmp(n->addrs[j].iface, ifc); j++)
			;
		if (j == i && !iface_linked(g->t, n->name, ifc))
			node_addr_lines(g, n, ifc, true);
	}
	if (m != G_OK)
		label_line(g, mark_text[m], NULL);
}

static void dot_node(struct g_ctx *g, const struct node *n)
{
	enum g_mark m = node_mark(g, n);

	fputs("\t\"", g->f);
	put_esc(g, n->name);
	fputs("\" [label=\"", g->f);
	node_lines(g, n, m);
	fprintf(g->f, "\", shape=%s, style=\"%s%s\", fillcolor=\"%s\"", kinds[n->kind].shape,
		kinds[n->kind].style, m ? ",dashed" : "", kinds[n->kind].fill);
	if (m)
		fputs(", color=\"" G_RED "\", fontcolor=\"" G_RED "\", penwidth=2", g->f);
	fputs("];\n", g->f);
}

/* What a link says of itself: state down, its MTU, a tunnel to another host. */
static void link_lines(struct g_ctx *g, const struct link *l)
{
	char mtu[16];
	int h = end_remote(g, &l->ep[0]) >= 0 ? end_remote(g, &l->ep[0]) : end_remote(g, &l->ep[1]);

	if (!l->up)
		label_line(g, "state: down", NULL);
	if (l->mtu && !l->lan) {	/* a LAN's: on the LAN */
		snprintf(mtu, sizeof(mtu), "%u", l->mtu);
		label_line(g, "mtu ", mtu, NULL);
	}
	if (h >= 0)
		label_line(g, "tunnel to host ", g->t->hosts[h].name, NULL);
}

/* A stub's label: the node (a LAN's bridge: the LAN) and its host. */
static void stub_lines(struct g_ctx *g, const struct node *n)
{
	size_t i;

	label_open(g);
	for (i = 0; n->lan && i < g->t->n_lans && g->t->lans[i].node != (size_t)(n - g->t->nodes);
	     i++)
		;
	if (n->lan && i < g->t->n_lans)
		label_line(g, "LAN ", g->t->lans[i].name, NULL);
	else
		label_line(g, n->name, NULL);
	label_line(g, "on host ", g->t->hosts[host_of(g->t, n)].name, NULL);
}

#define G_GREY "#888888"

static void dot_stub(struct g_ctx *g, const struct node *n)
{
	fputs("\t\"", g->f);
	put_esc(g, n->name);
	fputs("\" [label=\"", g->f);
	stub_lines(g, n);
	fputs("\", shape=box, style=dashed, color=\"" G_GREY "\", fontcolor=\"" G_GREY "\"];\n",
	      g->f);
}

static void dot_link(struct g_ctx *g, const struct link *l)
{
	enum g_mark m0 = end_mark(g, l, &l->ep[0]), m1 = end_mark(g, l, &l->ep[1]);

	fputs("\t\"", g->f);
	put_esc(g, l->ep[0].node);
	fputs("\" -- \"", g->f);
	put_esc(g, l->ep[1].node);
	fputs("\" [label=\"", g->f);
	label_open(g);
	end_line(g, l, &l->ep[0], m0);
	if (!l->lan)	/* a LAN member's port is no end anyone names */
		end_line(g, l, &l->ep[1], m1);
	link_lines(g, l);
	fputc('"', g->f);
	if (!l->up)
		fputs(", style=dashed", g->f);
	if (m0 || m1)
		fputs(", color=\"" G_RED "\", fontcolor=\"" G_RED "\", penwidth=2", g->f);
	fputs("];\n", g->f);
}

/* "lab NAME", and how the running lab compares. */
static void title_line(struct g_ctx *g)
{
	char n[32];

	label_open(g);
	label_line(g, "lab ", g->t->name, NULL);
	if (g->t->self)
		label_line(g, "(host ", g->t->self->name, "'s part)", NULL);
	if (!g->have)
		return;
	/* A Mermaid title is plain text: one line. */
	g->flat = g->fmt == GRAPH_MERMAID;
	snprintf(n, sizeof(n), "%zu", g->n_diff);
	if (g->n_diff)
		label_line(g, "(running: ", n, g->n_diff == 1 ? " difference" : " differences",
			   " from the file)", NULL);
	else
		label_line(g, "(running as the file says)", NULL);
	g->flat = false;
}

#define DOT_FONT "fontname=\"Helvetica,Arial,sans-serif\""

static void dot_write(struct g_ctx *g)
{
	size_t i;

	fputs("graph \"", g->f);
	put_esc(g, g->t->name);
	fputs("\" {\n\tgraph [label=\"", g->f);
	title_line(g);
	fputs("\", labelloc=t, " DOT_FONT ", fontsize=14, nodesep=0.8, ranksep=1.1];\n"
	      "\tnode [" DOT_FONT ", fontsize=11, margin=\"0.15,0.08\"];\n"
	      "\tedge [" DOT_FONT ", fontsize=9];\n", g->f);
	for (i = 0; i < g->t->n_nodes; i++)
		if (g->stub[i])
			dot_stub(g, &g->t->nodes[i]);
		else if (host_here(g->t, g->t->nodes[i].name))
			dot_node(g, &g->t->nodes[i]);
	for (i = 0; i < g->t->n_links; i++)
		if (link_drawn(g, &g->t->links[i]))
			dot_link(g, &g->t->links[i]);
	fputs("}\n", g->f);
}

static size_t node_idx(const struct topology *t, const char *name)
{
	return (size_t)(topo_node_find(t, name) - t->nodes);
}

static void mermaid_link(struct g_ctx *g, const struct link *l, size_t i)
{
	enum g_mark m0 = end_mark(g, l, &l->ep[0]), m1 = end_mark(g, l, &l->ep[1]);

	fprintf(g->f, "    n%zu %s|\"", node_idx(g->t, l->ep[0].node), l->up ? "---" : "-.-");
	label_open(g);
	end_line(g, l, &l->ep[0], m0);
	if (!l->lan)	/* a LAN member's port is no end anyone names */
		end_line(g, l, &l->ep[1], m1);
	link_lines(g, l);
	fprintf(g->f, "\"| n%zu\n", node_idx(g->t, l->ep[1].node));
	if (m0 || m1)
		fprintf(g->f, "    linkStyle %zu stroke:" G_RED ",stroke-width:2px,color:" G_RED "\n",
			i);
}

static void mermaid_write(struct g_ctx *g)
{
	size_t i, k, drawn = 0;

	/* The title is YAML (front matter): quoted, and lab names need no escape. */
	g->flat = true;
	fputs("---\ntitle: \"", g->f);
	title_line(g);
	g->flat = false;
	fputs("\"\n---\nflowchart LR\n", g->f);
	for (i = 0; i < g->t->n_nodes; i++) {
		const struct node *n = &g->t->nodes[i];

		if (g->stub[i]) {
			fprintf(g->f, "    n%zu[\"", i);
			stub_lines(g, n);
			fputs("\"]\n", g->f);
		} else if (host_here(g->t, n->name)) {
			fprintf(g->f, "    n%zu%s", i, kinds[n->kind].open);
			node_lines(g, n, node_mark(g, n));
			fprintf(g->f, "%s\n", kinds[n->kind].close);
		}
	}
	/* linkStyle counts the links drawn */
	for (i = 0; i < g->t->n_links; i++)
		if (link_drawn(g, &g->t->links[i]))
			mermaid_link(g, &g->t->links[i], drawn++);
	for (k = 0; k < ARRAY_SIZE(kinds); k++)
		fprintf(g->f, "    classDef %s fill:%s,stroke:#555555\n", kind_class[k], kinds[k].fill);
	fputs("    classDef differs stroke:" G_RED ",stroke-width:2px,stroke-dasharray:5 5,color:"
	      G_RED "\n", g->f);
	if (g->t->self)
		fputs("    classDef remote stroke:" G_GREY ",stroke-dasharray:3 3,color:" G_GREY "\n",
		      g->f);
	for (i = 0; i < g->t->n_nodes; i++) {
		if (g->stub[i])
			fprintf(g->f, "    class n%zu remote\n", i);
		if (g->stub[i] || !host_here(g->t, g->t->nodes[i].name))
			continue;
		fprintf(g->f, "    class n%zu %s\n", i, kind_class[g->t->nodes[i].kind]);
		if (node_mark(g, &g->t->nodes[i]))
			fprintf(g->f, "    class n%zu differs\n", i);
	}
}

static size_t count_diffs(struct g_ctx *g)
{
	size_t i, n = 0;

	for (i = 0; i < g->t->n_nodes; i++)
		n += host_here(g->t, g->t->nodes[i].name) && node_mark(g, &g->t->nodes[i]) != G_OK;
	for (i = 0; i < g->t->n_links; i++)
		n += !link_drawn(g, &g->t->links[i]) ? 0 : (end_mark(g, &g->t->links[i], &g->t->links[i].ep[0]) != G_OK) +
		     (end_mark(g, &g->t->links[i], &g->t->links[i].ep[1]) != G_OK);
	return n;
}

int graph_write(FILE *f, const struct topology *t, const struct state *have,
		enum graph_format fmt)
{
	struct g_ctx g = { .f = f, .fmt = fmt, .t = t, .have = have };
	size_t i, e;
	int err;

	if (have && (err = want_build(t, &g.want)) < 0)
		return err;
	g.stub = xcalloc(t->n_nodes + 1, sizeof(*g.stub));
	for (i = 0; i < t->n_links; i++)
		for (e = 0; e < 2 && link_drawn(&g, &t->links[i]); e++)
			if (end_remote(&g, &t->links[i].ep[e]) >= 0)
				g.stub[topo_node_find(t, t->links[i].ep[e].node) - t->nodes] = true;
	g.n_diff = count_diffs(&g);
	if (fmt == GRAPH_DOT)
		dot_write(&g);
	else
		mermaid_write(&g);
	free(g.stub);
	state_free(&g.want);
	return ferror(f) ? -EIO : 0;
}
