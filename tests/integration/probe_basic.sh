#!/bin/bash
# Probes that hold, on a lab just made: reachable and unreachable, IPv4 and
# IPv6, node, node:iface and address targets; the table, --json and --junit.
# labels: stock-kernel
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/probe-helpers.bash"

P=prb
pr_triangle $P
{
	pr_triangle_yaml pr-basic $P
	cat <<'YAML'
probes:
  - { from: h1, to: h2 }
  - { from: h1, to: "r1:lo" }
  - { from: h2, to: 10.0.1.2 }
  - { from: h2, to: "2001:db8:1::2", count: 3, max_loss: 0%, max_rtt: 900ms }
  - { from: h1, to: 10.0.9.1, expect: unreachable }
  - { from: h1, to: "2001:db8:9::1", expect: unreachable }
YAML
} >"$T_DIR/lab.yaml"

run_topo 0 probe "$T_DIR/lab.yaml"
contains "$OUT" "probes: 8 passed, 0 failed"
for a in 10.0.2.2 2001:db8:2::2 10.255.0.1 2001:db8:ff::1 10.0.1.2 2001:db8:1::2; do
	contains "$OUT" " $a "
done
# Unreachable as expected, and the table says how: r1 has no route there.
# (Only the first run of a fresh lab is sure to get these: the kernel
# rate-limits the ICMP errors of a router per source.)
contains "$OUT" "unreachable: ICMP network unreachable (code 0) from 10.0.1.1"
contains "$OUT" "unreachable: ICMPv6 no route to destination (code 0) from 2001:db8:1::1"
lacks "$OUT" "FAIL"
# A bare address names the node that has it.
grep -Eq "^h2 +\(h1\) +10\.0\.1\.2 " <<<"$OUT" || fail "address target not attributed to h1: $OUT"
pass "table"

run_topo 0 probe "$T_DIR/lab.yaml" --json --junit "$T_DIR/junit.xml"
printf '%s' "$OUT" >"$T_DIR/out.json"
pr_py - "$T_DIR/out.json" "$T_DIR/junit.xml" <<'PY' || fail "json/junit check"
import json, sys, xml.etree.ElementTree as ET
r = json.load(open(sys.argv[1]))
assert r["lab"] == "pr-basic" and r["passed"] == 8 and r["failed"] == 0, r
rows = r["results"]
assert len(rows) == 8
assert {(x["from"], x["to"], x["address"]) for x in rows[:4]} == {
    ("h1", "h2", "10.0.2.2"), ("h1", "h2", "2001:db8:2::2"),
    ("h1", "r1:lo", "10.255.0.1"), ("h1", "r1:lo", "2001:db8:ff::1")}, rows[:4]
for x in rows:
    assert x["passed"] is True, x
    if x["expect"] == "reachable":
        assert x["reached"] and x["rtt_ms"]["min"] > 0 and x["rtt_ms"]["min"] <= x["rtt_ms"]["max"], x
    else:
        # The reason is checked in the table above: routers rate-limit ICMP errors
        # (net.ipv4.route.error_cost), so a second run may see a timeout instead.
        assert not x["reached"] and x["rtt_ms"] is None and x["reason"], x
v6 = [x for x in rows if x["address"] == "2001:db8:1::2"][0]
assert v6["sent"] == 3 and v6["received"] == 3 and v6["loss_pct"] == 0 and v6["family"] == 6, v6
root = ET.parse(sys.argv[2]).getroot()
suites = root.findall("testsuite")
assert len(suites) == 1 and suites[0].get("name") == "pr-basic", ET.tostring(root)
assert suites[0].get("tests") == "8" and suites[0].get("failures") == "0"
cases = suites[0].findall("testcase")
assert len(cases) == 8 and not any(c.find("failure") is not None for c in cases)
assert cases[0].get("name") == "h1 -> h2 10.0.2.2 icmp", cases[0].get("name")
PY
pass "json and junit"
