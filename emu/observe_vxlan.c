// SPDX-License-Identifier: MIT
/* The tunnel of a VXLAN device, from the IFLA_INFO_DATA of its link message. */

#include <arpa/inet.h>
#include <linux/if_link.h>
#include <string.h>
#include <sys/socket.h>

#include "observe_parse.h"

static const enum mnl_attr_data_type vxlan_policy[IFLA_VXLAN_MAX + 1] = {
	[IFLA_VXLAN_ID] = MNL_TYPE_U32,
	[IFLA_VXLAN_GROUP] = MNL_TYPE_U32,	/* a unicast one is the remote */
	[IFLA_VXLAN_GROUP6] = MNL_TYPE_BINARY,
	[IFLA_VXLAN_LOCAL] = MNL_TYPE_U32,
	[IFLA_VXLAN_LOCAL6] = MNL_TYPE_BINARY,
	[IFLA_VXLAN_PORT] = MNL_TYPE_U16,	/* network byte order */
};

static int vxlan_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, IFLA_VXLAN_MAX) < 0 || vxlan_policy[type] == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, vxlan_policy[type]) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

/* A 16-byte IPv6 address attribute A into DST; false when it is not one. */
static bool addr6(const struct nlattr *a, uint8_t dst[16])
{
	if (!a || mnl_attr_get_payload_len(a) != 16)
		return false;
	memcpy(dst, mnl_attr_get_payload(a), 16);
	return true;
}

void obs_vxlan_read(struct st_iface *ifc, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_VXLAN_MAX + 1] = { 0 };
	struct st_vxlan *v = &ifc->vxlan;
	uint32_t a4;
	bool remote6, local6;

	ifc->kind = ST_VXLAN;
	if (!data)
		return;
	mnl_attr_parse_nested(data, vxlan_attr_cb, tb);
	if (tb[IFLA_VXLAN_ID])
		v->vni = mnl_attr_get_u32(tb[IFLA_VXLAN_ID]);
	if (tb[IFLA_VXLAN_PORT])
		v->port = ntohs(mnl_attr_get_u16(tb[IFLA_VXLAN_PORT]));
	if (tb[IFLA_VXLAN_GROUP] || tb[IFLA_VXLAN_LOCAL]) {
		v->family = AF_INET;
		if (tb[IFLA_VXLAN_GROUP]) {
			a4 = mnl_attr_get_u32(tb[IFLA_VXLAN_GROUP]);
			memcpy(v->remote, &a4, 4);
		}
		if (tb[IFLA_VXLAN_LOCAL]) {
			a4 = mnl_attr_get_u32(tb[IFLA_VXLAN_LOCAL]);
			memcpy(v->local, &a4, 4);
		}
	}
	/* both read: a tunnel may say one address and not the other */
	remote6 = addr6(tb[IFLA_VXLAN_GROUP6], v->remote);
	local6 = addr6(tb[IFLA_VXLAN_LOCAL6], v->local);
	if (remote6 || local6)
		v->family = AF_INET6;
}
