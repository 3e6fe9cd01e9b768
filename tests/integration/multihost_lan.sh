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

# Without the LAN's mtu, its members on a take the tunnel's 1450 too: a
# full frame of h1 is refused at h1's own interface, not lost at the
# bridge's tunnel port to b.
sed -i '/mtu: 1400/d; s/^probes: .*/probes: [ { from: h1, to: h3, size: 1422, df: true }, { from: h1, to: h3, size: 1423, df: true, expect: unreachable } ]/' "$T_DIR/lab.yaml"
on b 0 up "$T_DIR/lab.yaml" --host b --no-probe
on a 0 up "$T_DIR/lab.yaml" --host a
contains "$OUT" "probes: 2 passed, 0 failed"
grep -Eq "size=1423 df +unreachable +ok .*(mtu 1450|a 1451-byte packet)" <<<"$OUT" ||
	fail "1423 bytes are not refused at h1's own mtu of 1450:"$'\n'"$OUT"
on a 0 status $L --json
python3 -c 'import json,sys
d = json.load(sys.stdin)
for n in d["nodes"]:
    [e] = [i for i in n["interfaces"] if i["name"] == "eth0"]
    assert e["mtu"] == 1450, (n["node"], e)
[lan] = d["lans"]
assert [(m["node"], m["mtu"]) for m in lan["members"]] == [("h1", 1450), ("h2", 1450), (None, 1450)], lan
assert lan["members"][2]["vxlan"]["remote"] == "192.0.2.11", lan' <<<"$OUT" ||
	fail "h1, h2 and their ports do not have the tunnel's mtu 1450:"$'\n'"$OUT"
on a 0 status $L
grep -Eq "^  \(on another host\) +up +mtu 1450 +port h3.eth0 vxlan [0-9]+ to 192.0.2.11:4789$" <<<"$OUT" ||
	fail "status does not show the LAN's tunnel port to h3 on b:"$'\n'"$OUT"
on a 0 plan "$T_DIR/lab.yaml" --host a
contains "$OUT" "No changes."
pass "a LAN across hosts without mtu: its members and ports on a take the tunnel's 1450"

on a 0 down $L
on b 0 down $L
