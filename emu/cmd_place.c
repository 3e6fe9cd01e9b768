// SPDX-License-Identifier: MIT
/*
 * topo place: which host each node of a lab should run on (place.c), as
 * the lab file itself with `hosts:` and a `host:` on every node
 * (place_write.c) on stdout, and on stderr how the nodes and the links
 * fell. A node with its own host: stays there (--unpin: unless told).
 * Needs no privilege and touches no kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd.h"
#include "diag.h"
#include "host.h"
#include "place.h"
#include "util.h"
#include "yaml_tree.h"

#define PLACE_MAX_NODES_LIMIT 1000000

/* FILE's text ("-": standard input), one byte past the loader's limit at
 * most, so that the loader says it is too large. NULL (printed) when
 * unreadable. */
static char *place_read(const char *file, size_t *len)
{
	FILE *in = strcmp(file, "-") ? fopen(file, "re") : stdin;
	char *buf;
	size_t n;

	if (!in) {
		fprintf(stderr, "topo: %s: %s\n", CMD_SHOW(file), strerror(errno));
		return NULL;
	}
	buf = xmalloc(LOAD_MAX_BYTES + 2);
	n = fread(buf, 1, LOAD_MAX_BYTES + 1, in);
	if (ferror(in)) {
		fprintf(stderr, "topo: %s: %s\n", CMD_SHOW(file), strerror(errno ? errno : EIO));
		free(buf);
		buf = NULL;
	} else {
		buf[n] = 0;
		*len = n;
	}
	if (in != stdin)
		fclose(in);
	return buf;
}

static void print_messages(const struct diag *d)
{
	size_t i;

	for (i = 0; i < d->n_msgs; i++) {
		char *m = diag_format(d, i);

		fprintf(stderr, "%s\n", CMD_SHOW(m));
		free(m);
	}
}

/* T from BUF, loaded (place_check checks it); NULL (printed) on errors. */
static struct topology *place_load(const char *file, const char *buf, size_t len)
{
	struct diag d = { .file = file };
	struct topology *t = NULL;
	int err;

	err = topo_load_buf(file, buf, len, &t, &d);
	print_messages(&d);
	if (err < 0 && !d.n_errors)
		fprintf(stderr, "topo: %s: %s\n", CMD_SHOW(file), strerror(-err));
	if (d.n_errors || err < 0) {
		topo_free(t);
		t = NULL;
	}
	diag_free(&d);
	return t;
}

/*
 * T checked as `validate` does, with the hosts it is placed on: given
 * --hosts (WITH_ARG), those HOSTS (N) are its hosts: as they will be in
 * the placed file, so that a node's own host: may name one the file does
 * not have yet, and a node not pinned (PIN) has none yet. 0, or -1 (printed).
 */
static int place_check(struct topology *t, const struct place_host *hosts, size_t n,
		       const size_t *pin, bool with_arg)
{
	struct diag d = { .file = t->file };
	size_t i;
	int rc;

	for (i = 0; with_arg && i < t->n_hosts; i++)
		free(t->hosts[i].name);
	if (with_arg) {
		free(t->hosts);
		t->hosts = xcalloc(n, sizeof(*t->hosts));
		t->n_hosts = n;
	}
	/* the hosts of the nodes not pinned: place writes them anew */
	for (i = 0; with_arg && i < t->n_nodes; i++)
		if (pin[i] == PLACE_ANY) {
			free(t->nodes[i].host);
			t->nodes[i].host = NULL;
		}
	for (i = 0; with_arg && i < n; i++) {
		struct host_spec *h = &t->hosts[i];

		h->name = xstrdup(hosts[i].name);
		ip_parse(hosts[i].address, &h->address.family, h->address.addr);
		h->address.plen = h->address.family == AF_INET6 ? 128 : 32;
		h->vxlan_port = hosts[i].vxlan_port;
	}
	topo_check(t, &d);
	print_messages(&d);
	rc = d.n_errors ? -1 : 0;
	diag_free(&d);
	return rc;
}

/* The host called NAME in T's hosts:, or NULL. */
static const struct host_spec *file_host(const struct topology *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n_hosts; i++)
		if (!strcmp(t->hosts[i].name, name))
			return &t->hosts[i];
	return NULL;
}

/* One item of --hosts, NAME or NAME=ADDRESS, into H (its address and
 * port from T's hosts: when it names one). -1 (printed) when bad. */
static int host_item(const char *item, const struct topology *t, struct place_host *h,
		     int *family)
{
	const char *eq = strchr(item, '=');
	size_t n = eq ? (size_t)(eq - item) : strlen(item);
	const struct host_spec *known;
	uint8_t addr[16];

	if (n > TOPO_NAME_MAX || (snprintf(h->name, sizeof(h->name), "%.*s", (int)n, item),
				  !name_valid(h->name))) {
		fprintf(stderr, "topo: place: --hosts: invalid host name '%.*s' (expected "
				"[a-z0-9][a-z0-9_-]*, at most %d characters)\n",
			(int)n, CMD_SHOW(item), TOPO_NAME_MAX);
		return -1;
	}
	if (eq) {
		if (ip_parse(eq + 1, family, addr) < 0) {
			fprintf(stderr, "topo: place: --hosts: invalid address '%s' of host %s "
					"(expected an IPv4 or IPv6 address)\n",
				CMD_SHOW(eq + 1), h->name);
			return -1;
		}
		ip_fmt(*family, addr, h->address, sizeof(h->address));
	}
	if ((known = file_host(t, h->name))) {
		if (!eq) {
			ip_fmt(known->address.family, known->address.addr, h->address,
			       sizeof(h->address));
			*family = known->address.family;
		}
		h->vxlan_port = known->vxlan_port;
	}
	return 0;
}

/* Placeholders from the documentation ranges (RFC 5737, RFC 3849) for the
 * hosts without an address, of the family of the others, none taken. */
static void host_placeholders(struct place_host *h, size_t n, int family)
{
	unsigned next = 1;
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (h[i].address[0])
			continue;
		h[i].placeholder = true;
		do {
			snprintf(h[i].address, sizeof(h[i].address),
				 family == AF_INET6 ? "2001:db8::%u" : "192.0.2.%u", next++);
			for (j = 0; j < n && (j == i || strcmp(h[j].address, h[i].address)); j++)
				;
		} while (j < n);
	}
}

/* The hosts: --hosts a,b=ADDRESS,... or, without it, those of the file. */
static int place_hosts(const char *arg, const struct topology *t, struct place_host **hosts,
		       size_t *n)
{
	char *list, *item, *save = NULL;
	int family = 0, f;
	size_t i, first = 0;

	if (!arg && !t->n_hosts) {
		fprintf(stderr, "topo: place: %s has no hosts: give them, as --hosts a,b,c\n",
			CMD_SHOW(t->file));
		return -1;
	}
	list = xstrdup(arg ? arg : "");
	for (i = 0; !arg && i < t->n_hosts; i++) {
		item = xasprintf("%s%s%s", list, i ? "," : "", t->hosts[i].name);
		free(list);
		list = item;
	}
	if (!*list || list[strlen(list) - 1] == ',' || list[0] == ',' || strstr(list, ",,")) {
		fprintf(stderr, "topo: place: --hosts: an empty host name in '%s' (expected "
				"NAME[=ADDRESS],...)\n", CMD_SHOW(list));
		free(list);
		return -1;
	}
	for (item = strtok_r(list, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		struct place_host *h = VEC_APPEND(hosts, n);

		f = 0;
		if (host_item(item, t, h, &f) < 0)
			break;
		if (family && f && f != family) {
			fprintf(stderr, "topo: place: --hosts: host %s has an %s address, %s an %s "
					"one: the tunnels between hosts need one address family\n",
				h->name, f == AF_INET ? "IPv4" : "IPv6", (*hosts)[first].name,
				family == AF_INET ? "IPv4" : "IPv6");
			break;
		}
		if (!family && f)
			family = f, first = *n - 1;
		for (i = 0; i + 1 < *n && strcmp((*hosts)[i].name, h->name); i++)
			;
		if (i + 1 < *n) {
			fprintf(stderr, "topo: place: --hosts: host %s is given twice\n", h->name);
			break;
		}
	}
	free(list);
	if (item)
		return -1;
	host_placeholders(*hosts, *n, family);
	return 0;
}

static int place_max(const char *arg, size_t *max)
{
	char *end;
	unsigned long v;

	*max = 0;
	if (!arg)
		return 0;
	errno = 0;
	v = strtoul(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end || errno || v < 1 || v > PLACE_MAX_NODES_LIMIT) {
		fprintf(stderr, "topo: place: invalid --max-nodes '%s' (expected a number of "
				"nodes, 1 to %d)\n", CMD_SHOW(arg), PLACE_MAX_NODES_LIMIT);
		return -1;
	}
	*max = v;
	return 0;
}

/* How the nodes and the links fell, on stderr. */
static void place_summary(const struct place_graph *g, const struct place_host *hosts, size_t n,
			  const size_t *part, size_t max)
{
	size_t *nodes = xcalloc(n, sizeof(*nodes)), *out = xcalloc(n, sizeof(*out));
	size_t i, links = 0, counted = 0, most, *rr = xcalloc(g->n_nodes + 1, sizeof(*rr));

	place_deal(g, n, rr);
	/* the file's nodes: a LAN's bridge is no node of the user's */
	for (i = 0; i < g->n_nodes; i++)
		if (!g->uncounted[i]) {
			nodes[part[i]]++;
			counted++;
		}
	for (i = 0; i < g->n_edges; i++) {
		links += g->edges[i].weight;
		if (part[g->edges[i].a] != part[g->edges[i].b]) {
			out[part[g->edges[i].a]] += g->edges[i].weight;
			out[part[g->edges[i].b]] += g->edges[i].weight;
		}
	}
	for (i = 0, most = counted / n + (counted % n != 0); !max && i < n; i++)
		most = nodes[i] > most ? nodes[i] : most;	/* pinned nodes over the share */
	fprintf(stderr, "topo: place: %zu node%s on %zu host%s (at most %zu a host):\n", counted,
		cmd_s(counted), n, cmd_s(n), max ? max : most);
	for (i = 0; i < n; i++)
		fprintf(stderr, "  %-12s %6zu node%s %6zu link%s to other hosts\n", hosts[i].name,
			nodes[i], cmd_s(nodes[i]), out[i], cmd_s(out[i]));
	fprintf(stderr, "topo: place: %zu of %zu link%s between nodes cross hosts (dealing the "
			"nodes out in turn: %zu)\n",
		place_cut(g, part), links, cmd_s(links), place_cut(g, rr));
	for (i = 0, most = 0; i < g->n_nodes; i++)
		most += g->pin[i] != PLACE_ANY;
	if (most)
		fprintf(stderr, "topo: place: %zu node%s stayed on the host %s host: names (--unpin: "
				"place every node anew)\n", most, cmd_s(most), most == 1 ? "its" : "their");
	for (i = 0; i < n; i++)
		if (hosts[i].placeholder)
			fprintf(stderr, "topo: place: host %s: %s is a placeholder: write its underlay "
					"address in hosts: (or give --hosts %s=ADDRESS)\n",
				hosts[i].name, hosts[i].address, hosts[i].name);
	free(nodes);
	free(out);
	free(rr);
}

/* The placed file of T (text BUF) on stdout: EXIT_OK or EXIT_ERR (printed). */
static int place_print(const char *file, const char *buf, size_t len, const struct topology *t,
		       const struct place_host *hosts, size_t n, const size_t *part)
{
	struct diag d = { .file = "(the placed file)" };
	struct pos where;
	char *out;
	int rc = EXIT_ERR;

	if (place_text(file, buf, len, t, hosts, n, part, &out, &where, &d) == 0) {
		if (fputs(out, stdout) < 0 || fflush(stdout) != 0)
			fprintf(stderr, "topo: place: standard output: %s\n", strerror(errno));
		else
			rc = EXIT_OK;
	} else if (d.n_msgs) {
		print_messages(&d);
		fprintf(stderr, "topo: place: the placed file does not pass `topo validate` "
				"(above)\n");
	} else {
		fprintf(stderr, "%s:%d:%d: error: topo place does not edit this form of YAML (a "
				"flow mapping at the top, an anchor...): write hosts: and host: by "
				"hand\n",
			CMD_SHOW(file), where.line, where.col);
	}
	free(out);
	diag_free(&d);
	return rc;
}

/* Where member NODE was placed: PART (ARG) of its index. */
static int placed_host(const struct topology *t, const char *node, void *arg)
{
	const struct node *n = topo_node_find(t, node);

	return n ? (int)((const size_t *)arg)[n - t->nodes] : -1;
}

/* A LAN's bridge goes where `up` puts it, with most of its members
 * (host_lan_pick): the partition's choice for it would not be written. */
static void place_lans(const struct topology *t, size_t n_hosts, size_t *part)
{
	size_t i;

	for (i = 0; i < t->n_nodes; i++)
		if (t->nodes[i].lan)
			part[i] = (size_t)host_lan_pick(t, &t->nodes[i], n_hosts, placed_host, part);
}

/* The nodes of T as a graph into G: pinned where their own host: says
 * (a host --hosts lacks is an error, printed) unless UNPIN, a LAN's bridge
 * counted in no host's size. The caller frees G's arrays. 0 or -1. */
static int place_graph_make(const struct topology *t, const struct place_host *hosts, size_t n,
			    bool unpin, struct place_graph *g)
{
	struct place_edge *edges = NULL;
	size_t *pin = xcalloc(t->n_nodes + 1, sizeof(*pin)), i, n_edges = 0;
	bool *uncounted = xcalloc(t->n_nodes + 1, sizeof(*uncounted));
	const struct node *bad;

	for (i = 0; i < t->n_nodes; i++)
		uncounted[i] = t->nodes[i].lan;
	place_graph_of(t, &edges, &n_edges);
	*g = (struct place_graph){ .n_nodes = t->n_nodes, .edges = edges, .n_edges = n_edges,
				   .pin = pin, .uncounted = uncounted };
	for (i = 0; unpin && i < t->n_nodes; i++)
		pin[i] = PLACE_ANY;
	if (unpin || place_pins(t, hosts, n, pin, &bad) == 0)
		return 0;
	fprintf(stderr, "%s:%d:%d: error: node %s is on host %s (its host:), which --hosts does "
			"not name: add %s to --hosts, or give --unpin to place every node anew\n",
		CMD_SHOW(t->file), bad->host_pos.line, bad->host_pos.col, bad->name, bad->host,
		bad->host);
	return -1;
}

static void place_graph_free(struct place_graph *g)
{
	free((void *)g->edges);
	free((void *)g->pin);
	free((void *)g->uncounted);
}

/* The partition of G into N_HOSTS into PART; 0, or -1 (printed). */
static int place_run(const struct place_graph *g,
		     const struct place_host *hosts, size_t n_hosts, size_t max, size_t *part)
{
	size_t i, counted = 0, *pinned;
	int e = place_partition(g, n_hosts, max, part);

	for (i = 0; i < g->n_nodes; i++)
		counted += !g->uncounted[i];
	if (e == -ENOSPC)
		fprintf(stderr, "topo: place: %zu host%s of at most %zu nodes hold %zu, but the lab "
				"has %zu nodes: give more hosts or a larger --max-nodes\n",
			n_hosts, cmd_s(n_hosts), max, n_hosts * max, counted);
	if (e != -E2BIG)
		return e < 0 ? -1 : 0;
	pinned = xcalloc(n_hosts, sizeof(*pinned));
	for (i = 0; i < g->n_nodes; i++)
		if (g->pin[i] != PLACE_ANY && !g->uncounted[i])
			pinned[g->pin[i]]++;
	for (i = 0; i < n_hosts && pinned[i] <= max; i++)
		;
	fprintf(stderr, "topo: place: host %s has %zu nodes pinned to it by their host:, more "
			"than --max-nodes %zu\n", hosts[i].name, pinned[i], max);
	free(pinned);
	return -1;
}

int cmd_place(int argc, char **argv)
{
	const char *file = NULL, *hosts_arg = NULL, *max_arg = NULL;
	bool unpin = false;
	const struct cmd_opt opts[] = { { .name = "hosts", .value = &hosts_arg },
					{ .name = "max-nodes", .value = &max_arg },
					{ .name = "unpin", .flag = &unpin },
					{ 0 } };
	struct place_graph g = { 0 };
	struct place_host *hosts = NULL;
	struct topology *t = NULL;
	size_t n_hosts = 0, max, len = 0, *part = NULL;
	char *buf = NULL;
	int rc = EXIT_ERR;

	if (cmd_args(argc, argv, opts, &file, 1, 1, USAGE_PLACE) < 0 || place_max(max_arg, &max) < 0)
		return EXIT_ERR;
	if (!(buf = place_read(file, &len)) || !(t = place_load(file, buf, len)) ||
	    place_hosts(hosts_arg, t, &hosts, &n_hosts) < 0 ||
	    place_graph_make(t, hosts, n_hosts, unpin, &g) < 0 ||
	    place_check(t, hosts, n_hosts, g.pin, hosts_arg != NULL) < 0)
		goto out;
	part = xcalloc(t->n_nodes + 1, sizeof(*part));
	if (place_run(&g, hosts, n_hosts, max, part) < 0)
		goto out;
	place_lans(t, n_hosts, part);
	if ((rc = place_print(file, buf, len, t, hosts, n_hosts, part)) != EXIT_OK)
		goto out;
	place_summary(&g, hosts, n_hosts, part, max);
out:
	free(buf);
	free(hosts);
	free(part);
	place_graph_free(&g);
	topo_free(t);
	return rc;
}
