#!/bin/bash
# Expectations that must fail, and do, with exit 3 and the reason: a link
# that is down, missing routes, a server on the wrong address, something
# reachable that should not be; the reasons also in JSON and JUnit.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/probe-helpers.bash"

P=prf
pr_triangle $P
# The h2 - r1 link is `state: down`.
ip -n $P-h2 link set eth0 down
ip -n $P-r1 link set eth2 down
# A server that listens on h1's loopback only: port 8080 is taken, but not on 10.0.1.2.
nsexec $P-h1 /usr/bin/python3 -c '
import socket, time
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("127.0.0.1", 8080)); t.listen()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 8080))
open("'"$T_DIR"'/ready", "w").close()
time.sleep(60)' &
T_PIDS+=($!)
for _ in $(seq 100); do [ -e "$T_DIR/ready" ] && break; sleep 0.1; done

{
	pr_triangle_yaml pr-fail $P | sed 's/^  - endpoints: \["h2:eth0.*/&\n    state: down/'
	cat <<'YAML'
probes:
  - { from: h1, to: "r1:eth1" }
  - { from: h1, to: h2 }
  - { from: h2, to: h1 }
  - { from: r1, to: 10.77.0.1 }
  - { from: h1, to: 10.0.9.1 }
  - { from: r1, to: 10.0.1.2, proto: tcp, port: 8080 }
  - { from: r1, to: 10.0.1.2, proto: udp, port: 8080 }
  - { from: h1, to: "r1:lo", expect: unreachable }
  - { from: h1, to: 10.0.1.1, count: 2, max_rtt: 1us }
YAML
} >"$T_DIR/lab.yaml"
grep -q "state: down" "$T_DIR/lab.yaml" || fail "lab file lacks the down link"

row() { grep -E "$1" <<<"$OUT" || fail "no row matching '$1' in:"$'\n'"$OUT"; }

# The first run of a fresh lab: r1 sends h1 two ICMP errors, within the
# kernel's burst (net.ipv4.route.error_burst); a second run may see timeouts.
run_topo 3 probe "$T_DIR/lab.yaml"
contains "$OUT" "probes: 2 passed, 11 failed"
# r1:eth1 is fine.
contains "$(row '^h1 +r1:eth1 +10\.0\.1\.1 ')" " ok "
contains "$(row '^h1 +r1:eth1 +2001:db8:1::1 ')" " ok "
# Behind the down link: r1 has no route left to h2's subnet ...
contains "$(row '^h1 +h2 +10\.0\.2\.2 ')" "FAIL"
contains "$(row '^h1 +h2 +10\.0\.2\.2 ')" "ICMP network unreachable (code 0) from 10.0.1.1"
contains "$(row '^h1 +h2 +2001:db8:2::2 ')" "ICMPv6 no route to destination (code 0) from 2001:db8:1::1"
# ... and h2, whose only interface is down, has no route at all.
contains "$(row '^h2 +h1 +10\.0\.1\.2 ')" "Network is unreachable (in h2)"
# Missing routes: in the source itself, and in the router on the way.
contains "$(row '^r1 +- +10\.77\.0\.1 ')" "Network is unreachable (in r1)"
contains "$(row '^h1 +- +10\.0\.9\.1 ')" "ICMP network unreachable (code 0) from 10.0.1.1"
# The server holds the port on 127.0.0.1 only: topo uses it and is refused.
contains "$(row 'tcp/8080')" "connection refused"
contains "$(row 'tcp/8080')" "the lab's own server on tcp/8080 in h1"
contains "$(row 'udp/8080')" "connection refused (ICMP port unreachable from 10.0.1.2)"
contains "$(row '^h1 +r1:lo +10\.255\.0\.1 ')" "reachable but expected unreachable"
contains "$(row 'max_rtt')" "rtt "
contains "$(row 'max_rtt')" "over max_rtt 0.001 ms"
pass "table reasons"

run_topo 3 probe "$T_DIR/lab.yaml" --json --junit "$T_DIR/junit.xml"
printf '%s' "$OUT" >"$T_DIR/out.json"
pr_py - "$T_DIR/out.json" "$T_DIR/junit.xml" <<'PY' || fail "json/junit check"
import json, sys, xml.etree.ElementTree as ET
r = json.load(open(sys.argv[1]))
assert r["passed"] == 2 and r["failed"] == 11, (r["passed"], r["failed"])
bad = {(x["from"], x["address"], x["proto"]): x["reason"] for x in r["results"] if not x["passed"]}
assert bad[("h2", "10.0.1.2", "icmp")] == "Network is unreachable (in h2)", bad
assert bad[("r1", "10.0.1.2", "tcp")] == "connection refused", bad
assert bad[("h1", "10.255.0.1", "icmp")] == "reachable but expected unreachable", bad
root = ET.parse(sys.argv[2]).getroot()
suite = root.find("testsuite")
assert suite.get("name") == "pr-fail" and suite.get("tests") == "13" and suite.get("failures") == "11"
fails = {c.get("name"): c.find("failure") for c in suite.findall("testcase")}
assert sum(f is not None for f in fails.values()) == 11
# Not a router's ICMP error: those are rate-limited, a second run may time out.
f = fails["h2 -> h1 10.0.1.2 icmp"]
assert f.get("message") == "Network is unreachable (in h2)", f.get("message")
assert "from h2 to h1 10.0.1.2 (icmp), expected reachable: Network is unreachable" in f.text, f.text
f = fails["r1 -> 10.0.1.2 udp/8080"]
assert f.get("message").startswith("connection refused"), f.get("message")
assert fails["h1 -> r1:eth1 10.0.1.1 icmp"] is None
PY
pass "json and junit reasons"
