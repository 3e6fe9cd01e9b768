/* SPDX-License-Identifier: MIT */
#ifndef TOPO_NAT_H
#define TOPO_NAT_H

/*
 * `nat: true` on a host link: the lab's nftables table "ip topo-<lab>" (the
 * name is the mark; topo touches no other table) masquerades what comes
 * from the subnets of the link's host end and leaves the host through any
 * other interface. Forwarding in the root namespace is what NAT needs for
 * the replies that come back through the host's own interfaces: topo sets
 * net.ipv4.ip_forward to 1 while a lab has nat, records the value it found
 * in /run/topo/<lab>/nat.ip_forward and puts it back when the last lab
 * with nat goes.
 *
 * A lab's nat is described by its "spec": one line "<host end> <prefix>"
 * per IPv4 subnet of a nat link's host end, in file order.
 */

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "state.h"

struct action;

/* nat_spec_add - IFC's IPv4 subnets as lines of *SPEC (NULL: a new one). */
void nat_spec_add(char **spec, const struct st_iface *ifc);

/* nat_spec_has - does SPEC (NULL: none) masquerade for host end IFNAME? */
bool nat_spec_has(const char *spec, const char *ifname);

/* nat_ifname_ok - can interface NAME go into an nft rule as it is: [A-Za-z0-9_.-] only?
 * (Inline: the checker, built alone into the fuzzer, uses it too.) */
static inline bool nat_ifname_ok(const char *name)
{
	return name[0] && strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				       "0123456789_.-") == strlen(name);
}

/* nat_table_name - "topo-<lab>" into BUF. */
const char *nat_table_name(const char *lab, char *buf, size_t len);

/* nat_script - the nft commands that make LAB's table hold SPEC, replacing
 * what it held, in one transaction (free it). Pure. */
char *nat_script(const char *lab, const char *spec);

/* nat_describe - "masquerade 10.0.9.0/24 leaving by any interface but lab0; ..." into BUF. Pure. */
const char *nat_describe(const char *spec, char *buf, size_t len);

/* nat_recorded - has LAB a record of nat (its table or the forwarding it found)? */
bool nat_recorded(const char *lab);

/* nat_observe - the lab's nat as recorded into HAVE->nat: NULL when it has
 * none, "" when its table is missing. 0 or -errno. */
int nat_observe(const char *lab, struct state *have);

/* nat_apply - ACT_NAT_SET or ACT_NAT_DEL A in the root namespace (ROOT_FD); ERR says why. */
int nat_apply(const char *lab, const struct action *a, int root_fd, char *err, size_t errlen);

#endif
