// SPDX-License-Identifier: MIT
/* `topo status`: the lab's interfaces in the host (root) namespace and its nat. */

#include <stdio.h>

#include "cmd.h"
#include "json.h"
#include "nat.h"
#include "state.h"
#include "util.h"

static bool host_shown(const struct state *have)
{
	return have->host && (have->host->n_ifaces || (have->nat && have->nat[0]));
}

void status_host_text(const struct state *have)
{
	char a[64], rules[512];
	size_t i, k;

	if (!host_shown(have))
		return;
	printf("host (the host's own namespace)\n");
	for (i = 0; i < have->host->n_ifaces; i++) {
		const struct st_iface *ifc = &have->host->ifaces[i];

		printf("  host %-10s %-4s mtu %-5u", CMD_SHOW(ifc->name), ifc->up ? "up" : "down",
		       ifc->mtu);
		if (ifc->peer_ns[0])
			printf(" <-> %s:%s", CMD_SHOW(ifc->peer_ns), CMD_SHOW(ifc->peer_name));
		for (k = 0; k < ifc->n_addrs; k++)
			printf(" %s", st_addr_fmt(&ifc->addrs[k], a, sizeof(a)));
		printf("\n");
	}
	if (have->nat && have->nat[0])
		printf("  nat (nftables table ip topo-%s): %s\n", CMD_SHOW(have->lab),
		       CMD_SHOW(nat_describe(have->nat, rules, sizeof(rules))));
}

void status_host_json(const struct state *have)
{
	char a[64], rules[512], table[TOPO_NAME_MAX + 8];
	size_t i, k;

	if (!host_shown(have))
		return;
	printf(",\"host\":{\"interfaces\":[");
	for (i = 0; i < have->host->n_ifaces; i++) {
		const struct st_iface *ifc = &have->host->ifaces[i];

		printf("%s{\"name\":", i ? "," : "");
		json_str(stdout, ifc->name);
		printf(",\"up\":%s,\"mtu\":%u,\"ifindex\":%d", ifc->up ? "true" : "false", ifc->mtu,
		       ifc->ifindex);
		if (ifc->peer_ns[0]) {
			printf(",\"peer\":{\"namespace\":");
			json_str(stdout, ifc->peer_ns);
			json_member(stdout, "name", ifc->peer_name);
			printf("}");
		}
		printf(",\"addresses\":[");
		for (k = 0; k < ifc->n_addrs; k++)
			printf("%s\"%s\"", k ? "," : "", st_addr_fmt(&ifc->addrs[k], a, sizeof(a)));
		printf("]}");
	}
	printf("],\"nat\":");
	if (have->nat && have->nat[0]) {
		printf("{\"table\":");
		json_str(stdout, nat_table_name(have->lab, table, sizeof(table)));
		printf(",\"text\":");
		json_str(stdout, nat_describe(have->nat, rules, sizeof(rules)));
		printf("}");
	} else {
		printf("null");
	}
	printf("}");
}
