#!/bin/bash
# topo link FILE|LAB NODE:IFACE down|up: a link failure from a script. A
# probe across the down link fails with its reason; `plan` shows the drift
# and `up` puts the file's state back, after which the probe passes. It is
# refused for an unknown node or interface, for lo and for an interface
# someone made by hand in the node, and for a lab that is not up; the
# interfaces are left as they were.
source "$(dirname "$0")/lib.sh"

L=lkfault
lab $L
cat >"$T_DIR/lab.yaml" <<YAML
name: $L
nodes:
  r: { kind: router }
  h1: { routes: [default via 10.0.1.1] }
  h2: { routes: [default via 10.0.2.1] }
links:
  - endpoints: ["h1:eth0 10.0.1.2/24", "r:eth1 10.0.1.1/24"]
  - endpoints: ["r:eth2 10.0.2.1/24", "h2:eth0 10.0.2.2/24"]
probes:
  - { from: h1, to: h2 }
YAML
F=$T_DIR/lab.yaml
run_topo 0 up "$F" -q --no-probe
is_up() { ip -n "$1" -o link show dev "$2" | grep -q '<[^>]*\bUP\b'; }

# By lab name: r's far side goes down; the probe says where it stopped.
run_topo 0 link $L r:eth2 down
[ "$OUT" = "r:eth2 is down" ] || fail "link down said: $OUT"
! is_up $L-r eth2 || fail "r:eth2 is still up"
run_topo 3 probe "$F"
contains "$OUT" "ICMP network unreachable (code 0) from 10.0.1.1"
# By file, the second time: nothing to do, and said so.
run_topo 0 link "$F" r:eth2 down
[ "$OUT" = "r:eth2 is already down" ] || fail "second link down said: $OUT"
# h1's own link: the source itself has no route left.
run_topo 0 link $L h1:eth0 down
run_topo 3 probe "$F"
contains "$OUT" "Network is unreachable (in h1)"
pass "a probe across a down link fails with its reason"

run_topo 2 plan "$F"
contains "$OUT" "~ link $L-r:eth2 state down -> up"
contains "$OUT" "~ link $L-h1:eth0 state down -> up"
# h1's default route went with its link (the kernel's doing): it comes back too.
contains "$OUT" "+ route $L-h1 default via 10.0.1.1"
contains "$OUT" "Plan: 1 to add, 2 to change, 0 to destroy."
run_topo 0 status $L
contains "$OUT" "pending: 3 changes to match the file"
pass "plan and status show the drift"

run_topo 0 up "$F" -v
contains "$OUT" "$L-r: set eth2 up"
contains "$OUT" "$L-h1: set eth0 up"
is_up $L-r eth2 && is_up $L-h1 eth0 || fail "up left a link down"
contains "$OUT" "probes: 1 passed, 0 failed"
run_topo 0 plan "$F"
contains "$OUT" "No changes"
pass "up puts the links back and the probe passes"

# up, from a script, too.
run_topo 0 link $L r:eth2 down
run_topo 0 link $L r:eth2 up
[ "$OUT" = "r:eth2 is up" ] || fail "link up said: $OUT"
run_topo 0 probe "$F"
pass "link up restores it"

# Refusals, each leaving every interface as it was.
ip -n $L-h1 link add hand0 type veth peer name hand1
ip -n $L-h1 link set hand0 up
run_topo 1 link $L h1:hand0 down
contains "$ERR" "topo: link: h1:hand0 is not a link of lab $L (its links in h1: eth0)"
is_up $L-h1 hand0 || fail "a refused link down changed hand0"
run_topo 1 link $L h1:lo down
contains "$ERR" "h1:lo is not a link of lab $L"
is_up $L-h1 lo || fail "a refused link down changed lo"
run_topo 1 link $L h1:eth9 down
contains "$ERR" "topo: link: node h1 of lab $L has no interface 'eth9' (its links: eth0)"
run_topo 1 link $L zz:eth0 down
contains "$ERR" "topo: lab $L has no node zz on this machine"
run_topo 1 link lkfault-none h1:eth0 down
contains "$ERR" "topo: lab lkfault-none is not up on this machine"
run_topo 1 link $L h1 down
contains "$ERR" "is not NODE:IFACE"
run_topo 1 link $L h1:eth0 sideways
contains "$ERR" "'sideways' is neither down nor up"
run_topo 1 link $L h1:eth0
contains "$ERR" "usage: topo link FILE|LAB NODE:IFACE down|up"
is_up $L-h1 eth0 || fail "a refusal changed h1:eth0"
ip -n $L-h1 link del hand0
pass "refusals: not the lab's, lo, unknown interface or node, lab not up, bad arguments"
