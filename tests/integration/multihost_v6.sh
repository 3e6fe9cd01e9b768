#!/bin/bash
# A lab across two simulated hosts over an IPv6 underlay: the tunnel costs
# 70 bytes (IPv6 40, UDP 8, VXLAN 8, Ethernet 14), so a link without mtu:
# gets 1430 on a 1500 underlay, both ends; 1402 bytes of ICMP with DF cross
# (1430 with the IPv4 and ICMP headers), 1403 do not. The overlay's own
# addresses are IPv4 and IPv6 both.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/simhosts-helpers.bash"

L=mhsix
P=m6$(($$ % 100000))
sim_hosts $P a=2001:db8:99::a b=2001:db8:99::b

cat >"$T_DIR/lab.yaml" <<YAML
name: $L
hosts:
  a: { address: "2001:db8:99::a" }
  b: { address: "2001:db8:99::b" }
nodes:
  x: {}
  y: { host: b }
links:
  - endpoints: ["x:eth0 10.6.0.1/24 2001:db8:6::1/64", "y:eth0 10.6.0.2/24 2001:db8:6::2/64"]
probes:
  - { from: x, to: y }
  - { from: x, to: 10.6.0.2, size: 1402, df: true }
  - { from: x, to: 10.6.0.2, size: 1403, df: true, expect: unreachable }
YAML
on a 0 up "$T_DIR/lab.yaml" --no-probe	# a's own address says it is a
on b 0 up "$T_DIR/lab.yaml" --host b --no-probe
on b 0 status $L
grep -q "eth0 *vxlan *up *mtu 1430 .* vxlan [0-9]* to \[2001:db8:99::a\]:4789" <<<"$OUT" ||
	fail "y:eth0 is not a tunnel to a of mtu 1430:"$'\n'"$OUT"
on a 0 probe "$T_DIR/lab.yaml" --host a
contains "$OUT" "probes: 4 passed, 0 failed"
pass "over an IPv6 underlay: mtu 1430, 1402 bytes with DF cross, 1403 do not"
on a 0 down $L
on b 0 down $L --host b
for h in a b; do
	[ -z "$(ls -A /run/topo-simhosts/$P/$h/netns)" ] || fail "host $h keeps namespaces"
done
pass "down on both hosts"
