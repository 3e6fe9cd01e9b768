// SPDX-License-Identifier: MIT
/* The neighbour entries a lab can need, per family (hostneigh_need). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "diag.h"
#include "hostneigh.h"
#include "topology.h"

static struct topology *load(const char *yaml)
{
	struct diag d = { .file = "lab.yaml" };
	struct topology *t = NULL;

	assert_int_equal(topo_load_buf("lab.yaml", yaml, strlen(yaml), &t, &d), 0);
	topo_check(t, &d);
	assert_int_equal(d.n_errors, 0);
	diag_free(&d);
	return t;
}

static void test_need(void **state)
{
	struct topology *t = load("name: hn\n"
				  "nodes: { sw: { kind: bridge }, h1: {}, h2: {}, h3: {},\n"
				  "         r1: { kind: router }, r2: { kind: router } }\n"
				  "links:\n"
				  "  - endpoints: [\"h1:eth0 10.1.0.1/24\", \"sw:p1\"]\n"
				  "  - endpoints: [\"h2:eth0 10.1.0.2/24\", \"sw:p2\"]\n"
				  "  - endpoints: [\"h3:eth0 10.1.0.3/24\", \"sw:p3\"]\n"
				  "  - endpoints: [\"r1:eth0 10.2.0.1/24 fd00::1/64\",\n"
				  "                \"r2:eth0 10.2.0.2/24 fd00::2/64\"]\n");

	/* An address per endpoint, and the bridge's 3 ports each learning 2. */
	assert_int_equal(hostneigh_need(t, AF_INET), 3 + 2 + 6);
	assert_int_equal(hostneigh_need(t, AF_INET6), 2 + 6);
	topo_free(t);
}

static void test_need_empty(void **state)
{
	struct topology *t = load("name: hn\nnodes: { a: {} }\n");

	assert_int_equal(hostneigh_need(t, AF_INET), 0);
	assert_int_equal(hostneigh_need(t, AF_INET6), 0);
	topo_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_need),
		cmocka_unit_test(test_need_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
