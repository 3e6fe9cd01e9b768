// SPDX-License-Identifier: MIT
/* apply's host links: the veth pairs with one end in the host (root) namespace. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "apply_int.h"
#include "hostlink.h"
#include "nsconn.h"
#include "observe.h"

int ap_host_end_before(struct apply_run *r, const struct action *a)
{
	if (strcmp(a->ns, ST_HOST_NS) && strcmp(a->iface.peer_ns, ST_HOST_NS))
		return 0;
	return hostlink_mark_record(r->ctx->lab);
}

int ap_host_end_after(struct apply_run *r, const struct action *a, struct nsconn *pc)
{
	struct st_iface ifc = {0};
	int err;

	if ((err = observe_iface(&pc->nl, a->peer.name, &ifc)) < 0)
		return err;
	free(ifc.addrs);
	if (ifc.ifindex <= 0)
		return -ENODEV;
	ap_ifindex_note(r, a->iface.peer_ns, a->peer.name, ifc.ifindex);
	return 0;
}
