#!/bin/bash
# A LAN whose members are on two hosts: its bridge runs on the host of most
# of them (a),
# and each member on another host reaches it through a tunnel of its own,
# a port of that bridge like any member's veth.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/simhosts-helpers.bash"

L=mhlan
P=ml$(($$ % 100000))
sim_hosts $P a=192.0.2.10 b=192.0.2.11

cat >"$T_DIR/lab.yaml" <<YAML
name: $L
hosts: { a: { address: 192.0.2.10 }, b: { address: 192.0.2.11 } }
nodes: { h1: {}, h2: {}, h3: { host: b } }
lans:
  seg:
    members: ["h1:eth0 10.0.0.1/24", "h2:eth0 10.0.0.2/24", "h3:eth0 10.0.0.3/24"]
    mtu: 1400
probes: [ { from: h1, to: h3 }, { from: h3, to: h2 } ]
YAML
on a 0 up "$T_DIR/lab.yaml" --host a --no-probe -v
contains "$OUT" "create link $L-seg.lan:h3.eth0 (vxlan "
contains "$OUT" "$L-seg.lan: set h3.eth0 master br0"
on b 0 up "$T_DIR/lab.yaml" --host b -v
contains "$OUT" "create link $L-h3:eth0 (vxlan "
lacks "$OUT" "seg.lan"
contains "$OUT" "probes: 1 passed, 0 failed"
on a 0 probe "$T_DIR/lab.yaml" --host a
contains "$OUT" "probes: 1 passed, 0 failed"
pass "a LAN across two hosts: the member on b is a tunnel port of the bridge on a"
on a 0 down $L
on b 0 down $L
