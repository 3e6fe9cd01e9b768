#!/bin/bash
# The probes through `topo up`: run after reconciling (exit 3 when one fails),
# skipped with --no-probe, and on their own with `topo probe`.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/probe-helpers.bash"

grep -q -- --no-probe <<<"$("$TOPO" up 2>&1 || true)" || skip "topo up has no --no-probe yet"
P=pru2
lab pr-up
T_NETNS+=($P-r1 $P-h1 $P-h2)	# in case `topo down` leaves any
{
	pr_triangle_yaml pr-up $P | sed 's/^  - endpoints: \["h2:eth0.*/&\n    state: down/'
	cat <<'YAML'
probes:
  - { from: h1, to: "r1:eth1" }
  - { from: h1, to: 10.0.2.2 }
YAML
} >"$T_DIR/lab.yaml"

run_topo 0 up "$T_DIR/lab.yaml" --no-probe
lacks "$OUT" "probes:"
pass "up --no-probe runs no probe"

run_topo 3 up "$T_DIR/lab.yaml"
contains "$OUT" "probes: 2 passed, 1 failed"
grep -E '^h1 +\(h2\) +10\.0\.2\.2 .*FAIL' <<<"$OUT" >/dev/null || fail "no failed row for 10.0.2.2 in:"$'\n'"$OUT"
pass "up runs the probes, exit 3 on a failure"

run_topo 3 probe "$T_DIR/lab.yaml" --junit "$T_DIR/junit.xml"
pr_py -c 'import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot().find("testsuite")
assert s.get("name") == "pr-up" and s.get("tests") == "3" and s.get("failures") == "1"' "$T_DIR/junit.xml" ||
	fail "junit"
pass "topo probe --junit"
