/* SPDX-License-Identifier: MIT */
#ifndef TOPO_LINKADMIN_H
#define TOPO_LINKADMIN_H

/*
 * A fault at run time: one interface of a running lab set down or up, as
 * `topo link` does. Only an interface that carries the lab's mark; the file
 * is not changed, so the difference is drift that `plan` shows and `up`
 * puts back.
 */

#include <stdbool.h>
#include <stddef.h>

#include "nl.h"

/*
 * link_admin_set - set interface IFNAME of the namespace NL speaks to UP (admin up) or
 * down, when its alias is lab LAB's mark. 0 when it changed, 1 when it already was so,
 * -ENODEV when there is no such interface, -EPERM when it is not the lab's; on those two
 * the lab's interfaces there go into OWNED, comma-separated ("" if none). Other -errno from
 * the kernel (its text in nl->ext_ack).
 */
int link_admin_set(struct nl *nl, const char *lab, const char *ifname, bool up, char *owned,
		   size_t len);

#endif
