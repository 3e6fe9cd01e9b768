// SPDX-License-Identifier: MIT
/*
 * graph.c: the DOT and Mermaid text of small labs, names that need
 * escaping in each, and what a running lab that differs from its file
 * looks like.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "graph.h"
#include "state.h"
#include "topology.h"
#include "want.h"
#include "unit.h"

static struct topology *lab_of(const char *yaml)
{
	struct diag d = { .file = "lab.yaml" };
	struct topology *t = NULL;

	if (topo_load_buf("lab.yaml", yaml, strlen(yaml), &t, &d) || topo_check(t, &d))
		fail_msg("lab does not load:\n%s", messages(&d));
	diag_free(&d);
	return t;
}

/* What graph_write makes of T (and HAVE) in FMT; the caller frees it. */
static char *graph_of(const struct topology *t, const struct state *have, enum graph_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(graph_write(f, t, have, fmt), 0);
	fclose(f);
	return buf;
}

static const char small_lab[] = "name: small\n"
				"nodes:\n"
				"  r1: { kind: router, addresses: { lo: [10.255.0.1/32] } }\n"
				"  h1: {}\n"
				"  sw: { kind: bridge }\n"
				"  h2: { addresses: { eth0: [10.0.2.2/24] } }\n"
				"links:\n"
				"  - endpoints: [\"h1:eth0 10.0.1.2/24\", \"r1:eth1 10.0.1.1/24\"]\n"
				"  - endpoints: [\"r1:eth2 10.0.2.1/24\", \"sw:p1\"]\n"
				"    mtu: 9000\n"
				"  - endpoints: [\"h2:eth0\", \"sw:p2\"]\n"
				"    state: down\n";

static void test_dot(void **unused)
{
	static const char want[] =
	    "graph \"small\" {\n"
	    "\tgraph [label=\"lab small\", labelloc=t, fontname=\"Helvetica,Arial,sans-serif\", "
	    "fontsize=14, nodesep=0.8, ranksep=1.1];\n"
	    "\tnode [fontname=\"Helvetica,Arial,sans-serif\", fontsize=11, margin=\"0.15,0.08\"];\n"
	    "\tedge [fontname=\"Helvetica,Arial,sans-serif\", fontsize=9];\n"
	    "\t\"r1\" [label=\"r1\\nrouter\\nlo 10.255.0.1/32\", shape=ellipse, style=\"filled\", "
	    "fillcolor=\"#dbe9f6\"];\n"
	    "\t\"h1\" [label=\"h1\", shape=box, style=\"rounded,filled\", fillcolor=\"#eeeeee\"];\n"
	    "\t\"sw\" [label=\"sw\\nbridge\", shape=hexagon, style=\"filled\", "
	    "fillcolor=\"#fdf0d5\"];\n"
	    "\t\"h2\" [label=\"h2\", shape=box, style=\"rounded,filled\", fillcolor=\"#eeeeee\"];\n"
	    "\t\"h1\" -- \"r1\" [label=\"h1:eth0 10.0.1.2/24\\nr1:eth1 10.0.1.1/24\"];\n"
	    "\t\"r1\" -- \"sw\" [label=\"r1:eth2 10.0.2.1/24\\nsw:p1\\nmtu 9000\"];\n"
	    "\t\"h2\" -- \"sw\" [label=\"h2:eth0 10.0.2.2/24\\nsw:p2\\nstate: down\", "
	    "style=dashed];\n"
	    "}\n";
	struct topology *t = lab_of(small_lab);
	char *got = graph_of(t, NULL, GRAPH_DOT);

	assert_string_equal(got, want);
	free(got);
	topo_free(t);
}

static void test_mermaid(void **unused)
{
	static const char want[] =
	    "---\n"
	    "title: \"lab small\"\n"
	    "---\n"
	    "flowchart LR\n"
	    "    n0((\"r1<br/>router<br/>lo 10.255.0.1/32\"))\n"
	    "    n1[\"h1\"]\n"
	    "    n2{{\"sw<br/>bridge\"}}\n"
	    "    n3[\"h2\"]\n"
	    "    n1 ---|\"h1:eth0 10.0.1.2/24<br/>r1:eth1 10.0.1.1/24\"| n0\n"
	    "    n0 ---|\"r1:eth2 10.0.2.1/24<br/>sw:p1<br/>mtu 9000\"| n2\n"
	    "    n3 -.-|\"h2:eth0 10.0.2.2/24<br/>sw:p2<br/>state: down\"| n2\n"
	    "    classDef host fill:#eeeeee,stroke:#555555\n"
	    "    classDef router fill:#dbe9f6,stroke:#555555\n"
	    "    classDef bridge fill:#fdf0d5,stroke:#555555\n"
	    "    classDef differs stroke:#cc0000,stroke-width:2px,stroke-dasharray:5 5,"
	    "color:#cc0000\n"
	    "    class n0 router\n"
	    "    class n1 host\n"
	    "    class n2 bridge\n"
	    "    class n3 host\n";
	struct topology *t = lab_of(small_lab);
	char *got = graph_of(t, NULL, GRAPH_MERMAID);

	assert_string_equal(got, want);
	free(got);
	topo_free(t);
}

/* Interface names may hold quotes, backslashes and markup characters. */
static const char odd_lab[] = "name: odd\n"
			      "nodes: { h1: {}, h2: {} }\n"
			      "links:\n"
			      "  - endpoints:\n"
			      "      - 'h1:q\"x\\ 10.0.0.1/24'\n"
			      "      - 'h2:<b>#&|`\\\" 10.0.0.2/24'\n";

static void test_escape_dot(void **unused)
{
	struct topology *t = lab_of(odd_lab);
	char *got = graph_of(t, NULL, GRAPH_DOT);

	assert_non_null(strstr(got, "\t\"h1\" -- \"h2\" [label=\"h1:q\\\"x\\\\ 10.0.0.1/24\\n"
				    "h2:<b>#&|`\\\\\\\" 10.0.0.2/24\"];\n"));
	free(got);
	topo_free(t);
}

static void test_escape_mermaid(void **unused)
{
	struct topology *t = lab_of(odd_lab);
	char *got = graph_of(t, NULL, GRAPH_MERMAID);

	assert_non_null(strstr(got, "    n0 ---|\"h1:q#34;x\\ 10.0.0.1/24<br/>"
				    "h2:#60;b#62;#35;#38;#124;#96;\\#34; 10.0.0.2/24\"| n1\n"));
	free(got);
	topo_free(t);
}

static struct st_iface *iface_of(struct state *s, const char *ns, const char *name)
{
	struct st_ns *n = state_ns_find(s, ns);

	assert_non_null(n);
	assert_non_null(st_ns_iface_find(n, name));
	return st_ns_iface_find(n, name);
}

/* A running lab just as the file says: nothing in red. */
static void test_running_same(void **unused)
{
	struct topology *t = lab_of(small_lab);
	struct state have = { 0 };
	char *got;

	assert_int_equal(want_build(t, &have), 0);
	got = graph_of(t, &have, GRAPH_DOT);
	assert_non_null(strstr(got, "label=\"lab small\\n(running as the file says)\""));
	assert_null(strstr(got, "#cc0000"));
	free(got);
	state_free(&have);
	topo_free(t);
}

/*
 * The running lab as the kernel shows it, changed: h2 not up, r1:eth1
 * down, sw:p1 gone, h1:eth0 with another address; the link that is down
 * as the file says is not marked.
 */
static void test_running_differs(void **unused)
{
	struct topology *t = lab_of(small_lab);
	struct state have = { 0 };
	char *got;

	assert_int_equal(want_build(t, &have), 0);
	strcpy(state_ns_find(&have, "small-h2")->name, "other");
	iface_of(&have, "small-r1", "eth1")->up = false;
	strcpy(iface_of(&have, "small-sw", "p1")->name, "p9");
	iface_of(&have, "small-h1", "eth0")->addrs[0].addr[3] = 99;
	got = graph_of(t, &have, GRAPH_DOT);
	assert_non_null(strstr(got, "label=\"lab small\\n(running: 4 differences from the file)\""));
	assert_non_null(strstr(got, "\t\"h2\" [label=\"h2\\nNOT UP\", shape=box, "
				    "style=\"rounded,filled,dashed\", fillcolor=\"#eeeeee\", "
				    "color=\"#cc0000\", fontcolor=\"#cc0000\", penwidth=2];\n"));
	assert_non_null(strstr(got, "[label=\"h1:eth0 10.0.1.2/24 ADDRESSES DIFFER\\n"
				    "r1:eth1 10.0.1.1/24 DOWN\", color=\"#cc0000\""));
	assert_non_null(strstr(got, "[label=\"r1:eth2 10.0.2.1/24\\nsw:p1 MISSING\\nmtu 9000\", "
				    "color=\"#cc0000\""));
	assert_non_null(strstr(got, "[label=\"h2:eth0 10.0.2.2/24\\nsw:p2\\nstate: down\", "
				    "style=dashed];\n"));
	free(got);
	got = graph_of(t, &have, GRAPH_MERMAID);
	assert_non_null(strstr(got, "    n3[\"h2<br/>NOT UP\"]\n"));
	assert_non_null(strstr(got, "    class n3 differs\n"));
	assert_non_null(strstr(got, "    linkStyle 0 stroke:#cc0000"));
	assert_non_null(strstr(got, "    linkStyle 1 stroke:#cc0000"));
	assert_null(strstr(got, "    linkStyle 2"));
	free(got);
	state_free(&have);
	topo_free(t);
}

/* Up where the file says down is a difference too. */
static void test_running_up_not_down(void **unused)
{
	struct topology *t = lab_of(small_lab);
	struct state have = { 0 };
	char *got;

	assert_int_equal(want_build(t, &have), 0);
	iface_of(&have, "small-sw", "p2")->up = true;
	got = graph_of(t, &have, GRAPH_DOT);
	assert_non_null(strstr(got, "sw:p2 UP (file: down)\\nstate: down\", style=dashed, "
				    "color=\"#cc0000\""));
	assert_non_null(strstr(got, "(running: 1 difference from the file)"));
	free(got);
	state_free(&have);
	topo_free(t);
}

/* Each end's impairment on the link's label; one changed by hand is marked. */
static void test_impaired(void **unused)
{
	struct topology *t = lab_of("name: imp\nnodes: { a: {}, b: {} }\nlinks:\n"
				    "  - endpoints:\n"
				    "      - { node: a, iface: eth0, impair: { loss: 100% } }\n"
				    "      - b:eth0\n"
				    "    impair: { rate: 10mbit }\n");
	struct state have = { 0 };
	char *got;

	got = graph_of(t, NULL, GRAPH_DOT);
	assert_non_null(strstr(got, "[label=\"a:eth0 impair loss 100% rate 10mbit limit 100\\n"
				    "b:eth0 impair rate 10mbit limit 151400 bytes\"]"));
	free(got);
	assert_int_equal(want_build(t, &have), 0);
	iface_of(&have, "imp-b", "eth0")->qdisc.rate = 1;
	got = graph_of(t, &have, GRAPH_DOT);
	assert_non_null(strstr(got, "b:eth0 impair rate 10mbit limit 151400 bytes IMPAIRMENT DIFFERS\", "
				    "color=\"#cc0000\""));
	free(got);
	state_free(&have);
	topo_free(t);
}

/* A LAN is one node named as the LAN, its members' ends on the edges; an end's own mtu shows. */
static void test_lan(void **unused)
{
	struct topology *t = lab_of("name: l\nnodes: { h1: {}, h2: {} }\n"
				    "lans:\n  seg:\n    members: [\"h1:eth0 10.0.0.1/24\", "
				    "{ node: h2, iface: eth0, mtu: 1400 }]\n    mtu: 9000\n");
	char *got = graph_of(t, NULL, GRAPH_DOT);

	assert_non_null(strstr(got, "\t\"seg.lan\" [label=\"seg\\nLAN\\nmtu 9000\", shape=hexagon"));
	assert_non_null(strstr(got, "\t\"h1\" -- \"seg.lan\" [label=\"h1:eth0 10.0.0.1/24\"];\n"));
	assert_non_null(strstr(got, "\t\"h2\" -- \"seg.lan\" [label=\"h2:eth0 mtu 1400\"];\n"));
	assert_null(strstr(got, "h1.eth0"));
	free(got);
	topo_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dot),
	    cmocka_unit_test(test_lan),
	    cmocka_unit_test(test_mermaid),
	    cmocka_unit_test(test_escape_dot),
	    cmocka_unit_test(test_escape_mermaid),
	    cmocka_unit_test(test_running_same),
	    cmocka_unit_test(test_running_differs),
	    cmocka_unit_test(test_impaired),
	    cmocka_unit_test(test_running_up_not_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
