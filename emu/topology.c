// SPDX-License-Identifier: MIT
/*
 * The model's own helpers: freeing, lookup, naming.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topology.h"

void run_specs_free(struct run_spec *runs, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		free(runs[i].name);
		free(runs[i].cmd);
		free(runs[i].ready_file);
		for (j = 0; j < runs[i].n_env; j++) {
			free(runs[i].env[j].key);
			free(runs[i].env[j].value);
		}
		free(runs[i].env);
	}
	free(runs);
}

bool topo_table_id(const struct node *n, const char *name, uint32_t *id)
{
	static const struct { const char *name; uint32_t id; } kernels[] = {
		{ "main", 254 }, { "local", 255 }, { "default", 253 },
	};
	unsigned long long v;
	char *end;
	size_t i;

	for (i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++) {
		if (!strcmp(name, kernels[i].name)) {
			*id = kernels[i].id;
			return true;
		}
	}
	for (i = 0; n && i < n->n_tables; i++) {
		if (!strcmp(name, n->tables[i].name)) {
			*id = n->tables[i].id;
			return true;
		}
	}
	if (name[0] < '0' || name[0] > '9')
		return false;
	errno = 0;
	v = strtoull(name, &end, 10);
	if (errno || *end || !v || v > UINT32_MAX)
		return false;
	*id = (uint32_t)v;
	return true;
}

static void node_free_fields(struct node *n)
{
	size_t i;

	free(n->name);
	for (i = 0; i < n->n_addrs; i++) {
		free(n->addrs[i].iface);
		free(n->addrs[i].addrs);
	}
	free(n->addrs);
	for (i = 0; i < n->n_routes; i++) {
		free(n->routes[i].text);
		free(n->routes[i].dev);
	}
	free(n->routes);
	for (i = 0; i < n->n_sysctls; i++) {
		free(n->sysctls[i].key);
		free(n->sysctls[i].value);
	}
	free(n->sysctls);
	for (i = 0; i < n->n_execs; i++)
		free(n->execs[i].cmd);
	free(n->execs);
	for (i = 0; i < n->n_files; i++) {
		free(n->files[i].path);
		free(n->files[i].source);
		free(n->files[i].content);
	}
	free(n->files);
	for (i = 0; i < n->n_dirs; i++)
		free(n->dirs[i].path);
	free(n->dirs);
	run_specs_free(n->runs, n->n_runs);
	for (i = 0; i < n->n_tables; i++)
		free(n->tables[i].name);
	free(n->tables);
	free(n->host);
	memset(n, 0, sizeof(*n));
}

void topo_free(struct topology *t)
{
	size_t i, j;

	if (!t)
		return;
	for (i = 0; i < t->n_nodes; i++)
		node_free_fields(&t->nodes[i]);
	free(t->nodes);
	for (i = 0; i < t->n_links; i++) {
		for (j = 0; j < 2; j++) {
			free(t->links[i].ep[j].node);
			free(t->links[i].ep[j].iface);
			free(t->links[i].ep[j].addrs);
		}
	}
	free(t->links);
	for (i = 0; i < t->n_probes; i++) {
		free(t->probes[i].from);
		free(t->probes[i].to);
	}
	free(t->probes);
	for (i = 0; i < t->n_hosts; i++)
		free(t->hosts[i].name);
	free(t->hosts);
	free(t->underlay_mtu);
	free(t->file);
	free(t->origin);
	free(t->name);
	free(t->prefix);
	free(t);
}

const struct node *topo_node_find(const struct topology *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n_nodes; i++) {
		if (t->nodes[i].name && !strcmp(t->nodes[i].name, name))
			return &t->nodes[i];
	}
	return NULL;
}

void topo_nsname(const struct topology *t, const char *node, char *buf, size_t len)
{
	const char *prefix = t->prefix ? t->prefix : t->name;

	snprintf(buf, len, "%s-%s", prefix ? prefix : "", node);
}
