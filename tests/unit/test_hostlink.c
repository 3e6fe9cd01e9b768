// SPDX-License-Identifier: MIT
/*
 * Host links and nat: the loader and checker (the reserved node name, host
 * ends, `nat:`), the desired state they make, and the planner on it: a
 * clash with a host interface that is not the lab's, an edit in place,
 * the nat table made, changed and deleted. No kernel.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "nat.h"
#include "plan.h"
#include "state.h"
#include "topology.h"
#include "unit.h"
#include "want.h"

#define LAB_HEAD "name: hl\nnodes:\n  a: {}\n"
#define HOST_LINK                                                                                  \
	LAB_HEAD "links:\n  - endpoints: [\"a:eth0 10.0.9.2/24\", \"host:hl0 10.0.9.1/24\"]\n"

/* The messages of loading and checking YAML ("" when it is fine). */
static char *check_yaml(const char *yaml)
{
	struct diag d = {.file = "lab.yaml"};
	struct topology *t = NULL;
	char *m;

	if (topo_load_buf("lab.yaml", yaml, strlen(yaml), &t, &d) == 0)
		topo_check(t, &d);
	m = messages(&d);
	diag_free(&d);
	topo_free(t);
	return m;
}

static void assert_says(const char *yaml, const char *text)
{
	char *m = check_yaml(yaml);

	if (!strstr(m, text))
		fail_msg("expected '%s' in:\n%s", text, m);
	free(m);
}

static void want_yaml(const char *yaml, struct state *s)
{
	struct diag d = {.file = "lab.yaml"};
	struct topology *t = NULL;

	assert_int_equal(topo_load_buf("lab.yaml", yaml, strlen(yaml), &t, &d), 0);
	assert_int_equal(topo_check(t, &d), 0);
	assert_int_equal(want_build(t, s), 0);
	diag_free(&d);
	topo_free(t);
}

static void test_check(void **state)
{
	char *m = check_yaml(HOST_LINK);

	(void)state;
	assert_string_equal(m, "");
	free(m);
	assert_says("name: hl\nnodes:\n  host: {}\n",
		    "lab.yaml:3:3: error: node name 'host' is reserved");
	assert_says(LAB_HEAD "links:\n  - endpoints: [\"a:eth0\", \"a:eth1\"]\n    nat: true\n",
		    "nat: true needs an endpoint on node 'host'");
	assert_says(LAB_HEAD "links:\n  - endpoints: [\"a:eth0\", \"host:hl0\"]\n    nat: true\n",
		    "nat: true needs an IPv4 address on 'host:hl0'");
	assert_says(LAB_HEAD "links:\n  - endpoints: [\"host:x0\", \"host:x1\"]\n",
		    "a link cannot have both ends on node 'host'");
	assert_says(LAB_HEAD "links:\n  - endpoints: [\"a:eth0\", \"host:hl0\"]\n"
			     "  - endpoints: [\"a:eth1\", \"host:hl0\"]\n",
		    "lab.yaml:6:33: error: interface 'host:hl0' is already used at line 5");
	assert_says(LAB_HEAD "links:\n  - endpoints: [\"a:eth0\", \"host:lo\"]\n",
		    "interface 'lo' cannot be a link endpoint (it is the host's loopback)");
	assert_says(HOST_LINK "    nat: yes\n", "invalid nat (expected true or false)");
}

static void test_want(void **state)
{
	struct state s = {0};
	const struct st_iface *h, *e;

	(void)state;
	want_yaml(HOST_LINK "    nat: true\n", &s);
	assert_non_null(s.host);
	assert_int_equal(s.n_ns, 1);
	assert_int_equal(s.host->n_ifaces, 1);
	h = &s.host->ifaces[0];
	assert_string_equal(h->name, "hl0");
	assert_string_equal(h->alias, "topo:hl");
	assert_string_equal(h->peer_ns, "hl-a");
	assert_string_equal(h->peer_name, "eth0");
	assert_int_equal(h->n_addrs, 1);
	assert_int_equal(h->addrs[0].proto, TOPO_IFAPROT);
	e = st_ns_iface_find(&s.ns[0], "eth0");
	assert_string_equal(e->peer_ns, ST_HOST_NS);
	assert_string_equal(e->peer_name, "hl0");
	assert_ptr_equal(state_ns_find(&s, ST_HOST_NS), s.host);
	assert_string_equal(s.nat, "hl0 10.0.9.0/24\n");
	state_free(&s);

	want_yaml(LAB_HEAD "links:\n  - endpoints: [\"a:eth0\", \"a:eth1\"]\n", &s);
	assert_null(s.host);
	assert_null(s.nat);
	state_free(&s);
}

/* HAVE: the kernel after a good `up` of YAML (the desired state, owned). */
static void have_yaml(const char *yaml, struct state *s)
{
	size_t i;

	want_yaml(yaml, s);
	for (i = 0; i < s->n_ns; i++)
		s->ns[i].owned = true;
	if (s->nat) {
		free(s->nat);
		s->nat = NULL;
	}
}

static void test_plan(void **state)
{
	struct state want = {0}, have = {0};
	struct plan p = {0};
	struct act_text t;
	size_t i;

	(void)state;
	want_yaml(HOST_LINK, &want);
	have_yaml(HOST_LINK, &have);
	assert_int_equal(plan_diff(&want, &have, false, &p), 0);
	assert_int_equal(p.n_acts, 0);
	plan_free(&p);

	/* a host interface of that name that is not the lab's: an error */
	free(have.host->ifaces[0].addrs);
	have.host->ifaces[0].addrs = NULL;
	have.host->n_ifaces = 0;
	*VEC_PUSH(&have.host_foreign, &have.n_host_foreign) = xstrdup("hl0");
	assert_int_equal(plan_diff(&want, &have, false, &p), 0);
	assert_int_equal(p.n_errors, 1);
	assert_int_equal(p.n_acts, 0);
	assert_int_equal(p.n_add, 0);
	assert_string_equal(p.errors[0], "interface hl0 exists in the host namespace and is not "
					 "owned by lab hl; topo will not touch it");
	plan_free(&p);
	state_free(&have);
	state_free(&want);

	/* the host end's address edited: one change */
	want_yaml(HOST_LINK, &want);
	have_yaml(LAB_HEAD
		  "links:\n  - endpoints: [\"a:eth0 10.0.9.2/24\", \"host:hl0 10.0.9.7/24\"]\n",
		  &have);
	assert_int_equal(plan_diff(&want, &have, false, &p), 0);
	assert_int_equal(p.n_add, 0);
	assert_int_equal(p.n_destroy, 0);
	assert_int_equal(p.n_change, 1);
	for (i = 0; i < p.n_acts; i++) {
		action_text(&p.acts[i], &t);
		assert_string_equal(t.subject, "host:hl0");
		assert_int_equal(t.sign, '~');
	}
	plan_free(&p);
	state_free(&have);
	state_free(&want);

	/* the file dropped the host link: its end in the host goes */
	want_yaml(LAB_HEAD, &want);
	have_yaml(HOST_LINK, &have);
	assert_int_equal(plan_diff(&want, &have, false, &p), 0);
	for (i = 0; i < p.n_acts; i++)
		if (p.acts[i].type == ACT_LINK_DEL)
			break;
	assert_true(i < p.n_acts);
	plan_free(&p);
	state_free(&have);
	state_free(&want);
}

static void test_nat(void **state)
{
	struct state want = {0}, have = {0};
	struct plan p = {0};
	struct act_text t;
	char buf[256], *s;

	(void)state;
	want_yaml(HOST_LINK "    nat: true\n", &want);
	have_yaml(HOST_LINK, &have);
	assert_int_equal(plan_diff(&want, &have, false, &p), 0);
	assert_int_equal(p.n_acts, 1);
	assert_int_equal(p.acts[0].type, ACT_NAT_SET);
	action_text(&p.acts[0], &t);
	assert_int_equal(t.sign, '+');
	assert_string_equal(t.detail, "masquerade 10.0.9.0/24 leaving by any interface but hl0");
	plan_free(&p);

	have.nat = xstrdup(want.nat); /* as made */
	assert_int_equal(plan_diff(&want, &have, false, &p), 0);
	assert_int_equal(p.n_acts, 0);
	plan_free(&p);
	free(want.nat);
	want.nat = NULL; /* nat: false */
	assert_int_equal(plan_diff(&want, &have, false, &p), 0);
	assert_int_equal(p.n_acts, 1);
	assert_int_equal(p.acts[0].type, ACT_NAT_DEL);
	assert_int_equal(p.n_destroy, 1);
	plan_free(&p);
	state_free(&have);
	state_free(&want);

	s = nat_script("hl", "hl0 10.0.9.0/24\n");
	assert_string_equal(s,
			    "add table ip topo-hl\ndelete table ip topo-hl\nadd table ip topo-hl\n"
			    "add chain ip topo-hl postrouting { type nat hook postrouting "
			    "priority srcnat; }\n"
			    "add rule ip topo-hl postrouting ip saddr 10.0.9.0/24 oifname != "
			    "\"hl0\" masquerade\n");
	free(s);
	/* a name nft would read as more than a name never reaches it */
	s = nat_script("hl", "a\"b 10.0.9.0/24\n");
	assert_null(strstr(s, "a\"b"));
	free(s);
	assert_string_equal(nat_describe("a 10.1.0.0/16\nb 10.2.0.0/24\n", buf, sizeof(buf)),
			    "masquerade 10.1.0.0/16 leaving by any interface but a; masquerade "
			    "10.2.0.0/24 leaving by any interface but b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_check),
	    cmocka_unit_test(test_want),
	    cmocka_unit_test(test_plan),
	    cmocka_unit_test(test_nat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
