#!/bin/bash
# A node moved to another host, and back: the host it leaves deletes its
# namespace and turns its neighbour's veth into a tunnel; the host it comes
# to makes it with its end of the tunnel; moved back, the tunnel becomes a
# veth pair again. The probe passes at every step where both ends are up.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/simhosts-helpers.bash"

L=mhmove
P=mm$(($$ % 100000))
sim_hosts $P a=192.0.2.10 b=192.0.2.11

lab_file() {	# lab_file HOST: y on HOST
	cat >"$T_DIR/lab.yaml" <<YAML
name: $L
hosts: { a: { address: 192.0.2.10 }, b: { address: 192.0.2.11 } }
nodes: { x: {}, y: { host: $1 } }
links: [ { endpoints: ["x:eth0 10.7.0.1/24", "y:eth0 10.7.0.2/24"] } ]
probes: [ { from: x, to: y } ]
YAML
}

lab_file a
on a 0 up "$T_DIR/lab.yaml" --host a
on b 0 up "$T_DIR/lab.yaml" --host b
contains "$OUT" "No changes"
x_if=$("$SIM" exec $P a -- ip -n $L-x -o -d link show eth0)
contains "$x_if" "veth"
pass "y on a: x-y a veth pair"

lab_file b
on b 0 up "$T_DIR/lab.yaml" --host b --no-probe
on a 0 up "$T_DIR/lab.yaml" --host a -v
contains "$OUT" "delete namespace $L-y"
contains "$OUT" "create link $L-x:eth0 (vxlan "
contains "$OUT" "probes: 1 passed, 0 failed"
pass "y moved to b: a deletes it, x's end becomes a tunnel"

lab_file a
on b 0 up "$T_DIR/lab.yaml" --host b
contains "$OUT" "Deleted 1 link, 1 namespace."
on a 0 up "$T_DIR/lab.yaml" --host a -v
contains "$OUT" "create link $L-x:eth0 <-> $L-y:eth0"
contains "$OUT" "probes: 1 passed, 0 failed"
pass "y back on a: a veth pair again"

on a 0 down $L
on b 0 down $L
contains "$OUT" "Lab $L has nothing on this machine."
