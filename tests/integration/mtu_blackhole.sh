#!/bin/bash
# The three-node MTU black hole, written with an endpoint's own mtu:
# h1 -- r1 -- h2, every MTU 1500 except h2's end of the r1-h2 link (1400).
# A 1500-byte packet with DF from h1 reaches r1, whose eth2 (MTU 1500)
# takes it, so r1 has no reason to send "fragmentation needed"; the veth
# then hands the frame to h2's eth0, and the kernel's veth receive path
# (veth_xmit -> __dev_forward_skb -> is_skb_forwardable) drops a frame
# longer than the receiving device's MTU plus its link-layer header,
# counting it as a drop of the pair (r1:eth2's tx_dropped here) and
# telling no one. That silent drop is the black hole: h1 waits in vain,
# while small packets pass. The test checks the drop lands there on this
# kernel. Then an in-place edit of h2's endpoint mtu to 1500 is one change
# in `plan`, and after `up` the large probe passes.
source "$(dirname "$0")/lib.sh"

L=t-mtubh
lab $L
f="$T_DIR/lab.yaml"
write() {	# write H2_MTU
	cat >"$f" <<YAML
name: $L
nodes:
  r1: { kind: router }
  h1: { routes: [default via 10.7.1.1] }
  h2: { routes: [default via 10.7.2.1] }
links:
  - endpoints: ["h1:eth0 10.7.1.2/24", "r1:eth1 10.7.1.1/24"]
  - endpoints:
      - "r1:eth2 10.7.2.1/24"
      - { node: h2, iface: eth0, addresses: [10.7.2.2/24], mtu: $1 }
probes:
  - { from: h1, to: h2, size: 1300, df: true }
  - { from: h1, to: h2, size: 1472, df: true, expect: unreachable, timeout: 300ms }
YAML
}
dropped() { ip netns exec $L-r1 cat /sys/class/net/eth2/statistics/tx_dropped; }

write 1400
run_topo 0 up "$f" --no-probe
[ "$(ip netns exec $L-h2 cat /sys/class/net/eth0/mtu)" = 1400 ] || fail "h2:eth0 is not at mtu 1400"
[ "$(ip netns exec $L-r1 cat /sys/class/net/eth2/mtu)" = 1500 ] || fail "r1:eth2 is not at mtu 1500"
pass "the two ends of one link have their own MTU (1500 and 1400)"

before=$(dropped)
run_topo 0 probe "$f"
contains "$OUT" "probes: 2 passed"
after=$(dropped)
[ "$after" -gt "$before" ] ||
	fail "r1:eth2 tx_dropped did not grow ($before -> $after): the 1500-byte frame was not dropped at h2's veth"
lacks "$OUT" "fragmentation needed"
pass "black hole: 1300 bytes with DF pass, 1472 with DF vanish at h2's veth (tx_dropped $before -> $after)"

write 1500
run_topo 2 plan "$f"
contains "$OUT" "Plan: 0 to add, 1 to change, 0 to destroy."
contains "$OUT" "1400 -> 1500"
run_topo 0 up "$f" --no-probe
run_topo 0 plan "$f"
sed -i 's/expect: unreachable, timeout: 300ms/timeout: 1s/' "$f"
run_topo 0 probe "$f"
contains "$OUT" "probes: 2 passed"
pass "h2's endpoint mtu edited in place: one change, then 1472 bytes with DF pass"
