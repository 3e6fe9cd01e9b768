#!/bin/bash
# Probes from the host on a lab of two simulated hosts (scripts/simhosts.sh):
# a host end is made on the host its node runs on, so `probe --host a` runs
# the host's probes through a's end only and leaves b's targets to b, and
# the other way round; each host's namespace is the one topo runs in there.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/simhosts-helpers.bash"

L=mhph
P=mp$(($$ % 100000))
sim_hosts $P a=192.0.2.10 b=192.0.2.11

cat >"$T_DIR/lab.yaml" <<YAML
name: $L
hosts:
  a: { address: 192.0.2.10 }
  b: { address: 192.0.2.11 }
defaults:
  sysctl: { net.ipv6.conf.all.disable_ipv6: 1, net.ipv6.conf.default.disable_ipv6: 1 }
nodes:
  r1: {}
  r2: { host: b }
links:
  - endpoints: ["r1:eth0 10.85.0.2/24", "host:mhph0 10.85.0.1/24"]
  - endpoints: ["r2:eth0 10.86.0.2/24", "host:mhph1 10.86.0.1/24"]
probes:
  - { from: host, to: "*" }
  - { from: host, to: 10.86.0.2, proto: tcp, port: 7 }
YAML
for h in a b; do
	on $h 0 up "$T_DIR/lab.yaml" --host $h --no-probe
done
on a 0 probe "$T_DIR/lab.yaml" --host a
contains "$OUT" "probes: 1 passed, 0 failed" "probe on a"
grep -Eq "^host +r1 +10.85.0.2 +icmp .* ok" <<<"$OUT" || fail "no probe from a's host to r1:"$'\n'"$OUT"
lacks "$OUT" "10.86.0.2" "probe on a"
on b 0 probe "$T_DIR/lab.yaml" --host b --json
python3 -c 'import json,sys
d = json.load(sys.stdin)
rows = sorted((r["from"], r["address"], r["proto"], r["passed"]) for r in d["results"])
assert rows == [("host", "10.86.0.2", "icmp", True), ("host", "10.86.0.2", "tcp", True)], rows' <<<"$OUT" ||
	fail "the host's probes on b:"$'\n'"$OUT"
pass "each host probes from its own namespace through the host ends made there"
for h in a b; do
	on $h 0 down "$T_DIR/lab.yaml" --host $h
done
