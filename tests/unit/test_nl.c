// SPDX-License-Identifier: MIT
/*
 * Netlink replies as the kernel could send them, built in memory: the end
 * of a dump that carries an error, an interrupted dump, the error of a
 * request with its extended ACK, and attributes too short for their type.
 */

#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if_arp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nl.h"
#include "observe_parse.h"

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(*(int *)data)++;
	return MNL_CB_OK;
}

/* An NLMSG_DONE whose int is ERROR, with TEXT as its extended ACK when not NULL. */
static size_t put_done(void *buf, int32_t error, const char *text)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int32_t *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	*e = error;
	if (text) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, text);
	}
	return nlh->nlmsg_len;
}

static size_t put_link(void *buf, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_MULTI | flags;
	ifi->ifi_index = 2;
	ifi->ifi_type = ARPHRD_ETHER;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	return nlh->nlmsg_len;
}

static void test_done_ok(void **state)
{
	char buf[256];
	struct nl nl = { 0 };
	int n = 0;
	size_t len = put_link(buf, 0);

	len += put_done(buf + len, 0, NULL);
	assert_int_equal(nl_run_buf(&nl, buf, len, 0, count_cb, &n), 0);
	assert_int_equal(n, 1);
}

static void test_done_error(void **state)
{
	char buf[256];
	struct nl nl = { 0 };
	int n = 0;
	size_t len = put_link(buf, 0);

	len += put_done(buf + len, -EMSGSIZE, "dump too big for the buffer");
	assert_int_equal(nl_run_buf(&nl, buf, len, 0, count_cb, &n), -EMSGSIZE);
	assert_string_equal(nl.ext_ack, "dump too big for the buffer");
	/* Without the extended ACK, the error alone. */
	nl.ext_ack[0] = '\0';
	len = put_done(buf, -ENOBUFS, NULL);
	assert_int_equal(nl_run_buf(&nl, buf, len, 0, count_cb, &n), -ENOBUFS);
	assert_string_equal(nl.ext_ack, "");
}

/* A kernel before the int: the end alone. */
static void test_done_bare(void **state)
{
	char buf[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nl nl = { 0 };

	nlh->nlmsg_type = NLMSG_DONE;
	assert_int_equal(nl_run_buf(&nl, buf, nlh->nlmsg_len, 0, NULL, NULL), 0);
}

static void test_dump_intr(void **state)
{
	char buf[256];
	struct nl nl = { 0 };
	int n = 0;
	size_t len = put_link(buf, NLM_F_DUMP_INTR);

	assert_int_equal(nl_run_buf(&nl, buf, len, 0, count_cb, &n), -EINTR);
	assert_int_equal(n, 0);
	/* On the end of the dump too. */
	len = put_done(buf, 0, NULL);
	((struct nlmsghdr *)buf)->nlmsg_flags |= NLM_F_DUMP_INTR;
	assert_int_equal(nl_run_buf(&nl, buf, len, 0, count_cb, &n), -EINTR);
	/* And a middle page of a dump is no end. */
	len = put_link(buf, 0);
	assert_int_equal(nl_run_buf(&nl, buf, len, 0, count_cb, &n), 1);
}

static void test_error_ext_ack(void **state)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	struct nl nl = { 0 };

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	e->error = -EEXIST;
	e->msg.nlmsg_len = sizeof(struct nlmsghdr);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "name in use");
	assert_int_equal(nl_run_buf(&nl, buf, nlh->nlmsg_len, 0, NULL, NULL), -EEXIST);
	assert_string_equal(nl.ext_ack, "name in use");
	/* An ACK (error 0) ends the request. */
	e->error = 0;
	assert_int_equal(nl_run_buf(&nl, buf, nlh->nlmsg_len, 0, NULL, NULL), 0);
}

static void test_strerror(void **state)
{
	struct nl nl = { 0 };
	char buf[256];

	snprintf(nl.ext_ack, sizeof(nl.ext_ack), "name in use");
	assert_string_equal(nl_strerror(&nl, -EEXIST, buf, sizeof(buf)),
			    "File exists (kernel: name in use)");
	nl.ext_ack[0] = '\0';
	nl.dump_interrupted = true;
	assert_non_null(strstr(nl_strerror(&nl, -EINTR, buf, sizeof(buf)), "changed during"));
}

/* A link message in a buffer of its exact size, so that reading past its
 * end is a heap overflow the sanitizer build reports. */
static struct nlmsghdr *link_msg_exact(void (*add)(struct nlmsghdr *nlh))
{
	char buf[512];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf), *copy;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi->ifi_index = 7;
	ifi->ifi_type = ARPHRD_ETHER;
	add(nlh);
	copy = malloc(nlh->nlmsg_len);
	memcpy(copy, nlh, nlh->nlmsg_len);
	return copy;
}

static void add_short_mtu(struct nlmsghdr *nlh)
{
	uint16_t mtu = 1500;
	uint8_t mac[3] = { 1, 2, 3 };

	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(mac), mac);
	mnl_attr_put_u16(nlh, IFLA_MASTER, 4);
	mnl_attr_put(nlh, IFLA_MTU, sizeof(mtu), &mtu);
}

static void add_unterminated_name(struct nlmsghdr *nlh)
{
	mnl_attr_put(nlh, IFLA_IFNAME, 4, "eth0");
	mnl_attr_put_u32(nlh, IFLA_MTU, 9000);
}

static void add_good(struct nlmsghdr *nlh)
{
	struct nlattr *li;

	mnl_attr_put_strz(nlh, IFLA_IFNAME, "veth1");
	mnl_attr_put_u32(nlh, IFLA_MTU, 9000);
	mnl_attr_put_u32(nlh, IFLA_LINK_NETNSID, 3);
	mnl_attr_put_strz(nlh, IFLA_IFALIAS, "topo:lab:h1");
	mnl_attr_put_u32(nlh, 0x7fff & ~NLA_F_NESTED, 1);	/* a type from the future */
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	mnl_attr_nest_end(nlh, li);
}

static void obs_free(struct obs_ns *o)
{
	obs_links_reset(o);
}

static void test_link_short_attr(void **state)
{
	struct st_ns ns = { 0 };
	struct obs_ns o = { .ns = &ns };
	struct nlmsghdr *nlh = link_msg_exact(add_short_mtu);

	assert_int_equal(obs_link_cb(nlh, &o), MNL_CB_OK);
	assert_int_equal(ns.n_ifaces, 1);
	assert_string_equal(ns.ifaces[0].name, "eth0");
	assert_int_equal(ns.ifaces[0].mtu, 0);	/* skipped, not read past its end */
	assert_false(ns.ifaces[0].has_mac);
	assert_int_equal(o.links[0].master_ifindex, 0);
	free(nlh);
	obs_free(&o);
}

static void test_link_unterminated_name(void **state)
{
	struct st_ns ns = { 0 };
	struct obs_ns o = { .ns = &ns };
	struct nlmsghdr *nlh = link_msg_exact(add_unterminated_name);

	assert_int_equal(obs_link_cb(nlh, &o), MNL_CB_OK);
	assert_int_equal(ns.n_ifaces, 0);	/* no valid name: no interface */
	free(nlh);
	obs_free(&o);
}

static void test_link_good(void **state)
{
	struct st_ns ns = { 0 };
	struct obs_ns o = { .ns = &ns };
	struct nlmsghdr *nlh = link_msg_exact(add_good);

	assert_int_equal(obs_link_cb(nlh, &o), MNL_CB_OK);
	assert_int_equal(ns.n_ifaces, 1);
	assert_string_equal(ns.ifaces[0].name, "veth1");
	assert_int_equal(ns.ifaces[0].mtu, 9000);
	assert_int_equal(ns.ifaces[0].kind, ST_VETH);
	assert_string_equal(ns.ifaces[0].alias, "topo:lab:h1");
	assert_int_equal(o.links[0].link_netnsid, 3);
	/* An interrupted dump forgets what it read. */
	obs_links_reset(&o);
	assert_int_equal(ns.n_ifaces, 0);
	assert_null(o.links);
	free(nlh);
}

/* Address and route attributes shorter than their type are skipped too. */
static void test_addr_route_short(void **state)
{
	char buf[512];
	struct st_iface ifc = { .name = "eth0", .ifindex = 2, .kind = ST_VETH };
	struct st_ns ns = { .ifaces = &ifc, .n_ifaces = 1 };
	struct obs_ns o = { .ns = &ns };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	struct rtmsg *rtm;
	uint8_t a4[4] = { 10, 0, 0, 1 }, b2[2] = { 1, 2 };

	nlh->nlmsg_type = RTM_NEWADDR;
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 24;
	ifa->ifa_index = 2;
	mnl_attr_put(nlh, IFA_LOCAL, 2, b2);	/* too short for IPv4 */
	assert_int_equal(obs_addr_cb(nlh, &o), MNL_CB_OK);
	assert_int_equal(ifc.n_addrs, 0);
	nlh = mnl_nlmsg_put_header(buf);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	nlh->nlmsg_type = RTM_NEWADDR;
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 24;
	ifa->ifa_index = 2;
	mnl_attr_put(nlh, IFA_LOCAL, 4, a4);
	assert_int_equal(obs_addr_cb(nlh, &o), MNL_CB_OK);
	assert_int_equal(ifc.n_addrs, 1);
	obs_addrs_reset(&o, AF_INET6);
	assert_int_equal(ifc.n_addrs, 1);
	obs_addrs_reset(&o, AF_INET);
	assert_int_equal(ifc.n_addrs, 0);
	free(ifc.addrs);

	nlh = mnl_nlmsg_put_header(buf);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	nlh->nlmsg_type = RTM_NEWROUTE;
	rtm->rtm_family = AF_INET;
	rtm->rtm_type = RTN_UNICAST;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	mnl_attr_put(nlh, RTA_PRIORITY, 2, b2);	/* too short for a u32 */
	mnl_attr_put(nlh, RTA_OIF, 2, b2);
	assert_int_equal(obs_route_cb(nlh, &o), MNL_CB_OK);
	assert_int_equal(ns.n_routes, 1);
	assert_int_equal(ns.routes[0].metric, 0);
	assert_string_equal(ns.routes[0].dev, "");
	obs_routes_reset(&o, AF_INET);
	assert_int_equal(ns.n_routes, 0);
	free(ns.routes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_done_ok),
		cmocka_unit_test(test_done_error),
		cmocka_unit_test(test_done_bare),
		cmocka_unit_test(test_dump_intr),
		cmocka_unit_test(test_error_ext_ack),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_link_short_attr),
		cmocka_unit_test(test_link_unterminated_name),
		cmocka_unit_test(test_link_good),
		cmocka_unit_test(test_addr_route_short),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
