#!/bin/bash
# IPv6 link-local targets: a node's declared fe80:: address is probed from a
# node on its link (a veth link, or through a bridge) out of the source's
# interface there, with icmp, tcp and udp; an explicit fe80:: address too (one
# that no node declares goes out of the source's only link); from off the link
# the row says it was not probed. The namespaces are made by hand, as
# `topo up` lays them out, so that the prober is tested on its own.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/probe-helpers.bash"

P=prll
pr_node $P a b c sw
pr_link $P-a eth0 $P-b eth0
pr_link $P-b eth1 $P-sw p1
pr_link $P-c eth0 $P-sw p2
ip -n $P-sw link add br0 type bridge
ip -n $P-sw link set p1 master br0
ip -n $P-sw link set p2 master br0
ip -n $P-sw link set br0 up
pr_addr $P-a eth0 fe80::a/64
pr_addr $P-b eth0 fe80::b/64
pr_addr $P-b eth1 fe80::1b/64
pr_addr $P-c eth0 fe80::c/64
pr_addr $P-b eth0 fe80::99/64	# declared nowhere
lab_yaml() {
	cat <<YAML
name: pr-linklocal
prefix: $P
nodes:
  a: {}
  b: {}
  c: {}
  sw: { kind: bridge }
links:
  - endpoints: ["a:eth0 fe80::a/64", "b:eth0 fe80::b/64"]
  - endpoints: ["b:eth1 fe80::1b/64", "sw:p1"]
  - endpoints: ["c:eth0 fe80::c/64", "sw:p2"]
YAML
}
f="$T_DIR/lab.yaml"
{
	lab_yaml
	cat <<'YAML'
probes:
  - { from: a, to: b }
  - { from: c, to: b }
  - { from: a, to: "b:eth0", proto: tcp, port: 7430 }
  - { from: c, to: b, proto: udp, port: 7431 }
  - { from: b, to: "fe80::c" }
  - { from: a, to: "fe80::99" }
YAML
} >"$f"
run_topo 0 probe "$f"
contains "$OUT" "probes: 6 passed, 0 failed"
row() { grep -E "$1" <<<"$OUT" || fail "no row matching '$1' in:"$'\n'"$OUT"; }
row "^a +b +fe80::b +icmp .* ok"
row "^c +b +fe80::1b +icmp .* ok"
! grep -qE "^c .* fe80::b " <<<"$OUT" || fail "c probed fe80::b, which is not on its link"
row "^a +b:eth0 +fe80::b +tcp/7430 .* ok .*topo listened"
row "^c +b +fe80::1b +udp/7431 .* ok .*topo listened"
row "^b +\(c\) +fe80::c +icmp .* ok"
row "^a +- +fe80::99 +icmp .* ok"
pass "link-local targets over a veth link and through a bridge, icmp, tcp and udp"

{
	lab_yaml
	cat <<'YAML'
probes:
  - { from: a, to: "fe80::c" }
  - { from: a, to: "c:eth0" }
YAML
} >"$f"
run_topo 3 probe "$f"
contains "$OUT" "not probed: fe80::c is link-local and a has no interface on its link"
contains "$OUT" "probes: 0 passed, 2 failed"
pass "a link-local target off the source's links is reported, not probed"
