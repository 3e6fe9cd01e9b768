#!/bin/bash
# A LAN of four members (lans:): one segment, realised as a bridge in a
# namespace of its own (<prefix>-<lan>.lan, STP off, forward delay 0) and
# a veth pair per member. All pairs reach each other at once; status shows
# the LAN as one object with its members, not as a node; editing a
# member's address is one change in plan, the LAN's mtu is changed in place
# (every member and port, nothing made again); down leaves no namespace
# and no interface.
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || skip_tool python3 "reads status --json"

L=t-lan4
lab $L
f="$T_DIR/lab.yaml"
write() {	# write H4_ADDR LAN_MTU
	cat >"$f" <<YAML
name: $L
nodes: { h1: {}, h2: {}, h3: {}, h4: {} }
lans:
  seg:
    members:
      - "h1:eth0 10.6.0.1/24"
      - "h2:eth0 10.6.0.2/24"
      - { node: h3, iface: eth0, addresses: [10.6.0.3/24] }
      - "h4:eth0 $1"
    mtu: $2
probes:
  - { from: "*", to: "*" }
YAML
}
nsino() { stat -L -c %i "/run/netns/$1"; }

write 10.6.0.4/24 1500
run_topo 2 plan "$f"
contains "$OUT" "+ ns $L-seg.lan"
contains "$OUT" "+ bridge $L-seg.lan:br0"
contains "$OUT" "+ link $L-h1:eth0 <-> $L-seg.lan:h1.eth0"
run_topo 0 up "$f"
contains "$OUT" "probes: 12 passed, 0 failed"
lacks "$OUT" "seg.lan"
pass "four members, all 12 pairs reachable at once; the bridge is no probe target"

br=$(ip -n $L-seg.lan -d link show br0)
contains "$br" "stp_state 0" "br0"
contains "$br" "forward_delay 0" "br0"
contains "$(ip netns exec $L-seg.lan cat /proc/sys/net/ipv4/ip_forward)" "0"
[ "$(ip -n $L-seg.lan -o link show master br0 | wc -l)" = 4 ] || fail "br0 has not 4 ports"
pass "the LAN is a bridge in $L-seg.lan: STP off, forward delay 0, 4 ports"

run_topo 0 status "$f"
contains "$OUT" "lab $L: 4 nodes, 1 LAN"
contains "$OUT" "lan seg (netns $L-seg.lan): bridge br0 up mtu 1500"
contains "$OUT" "<-> lan seg"
lacks "$OUT" "node seg.lan"
[ "$(grep -c '^  h[1-4]:eth0 .* port h[1-4].eth0 10.6.0.[1-4]/24$' <<<"$OUT")" = 4 ] ||
	fail "status does not list the 4 members: $OUT"
run_topo 0 status $L --json
printf '%s' "$OUT" >"$T_DIR/status.json"
"$PY" - "$T_DIR/status.json" <<'PY' || fail "status --json: $(cat "$T_DIR/status.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert [n["node"] for n in d["nodes"]] == ["h1", "h2", "h3", "h4"], d["nodes"]
(lan,) = d["lans"]
assert lan["lan"] == "seg" and lan["namespace"] == "t-lan4-seg.lan", lan
assert lan["bridge"]["up"] and lan["bridge"]["mtu"] == 1500, lan
m = sorted((x["node"], x["iface"], x["port"], tuple(x["addresses"])) for x in lan["members"])
assert m == [("h%d" % i, "eth0", "h%d.eth0" % i, ("10.6.0.%d/24" % i,)) for i in range(1, 5)], m
PY
pass "status (text and --json, by file and by lab name) shows the LAN as one object with its members"

run_topo 0 save $L
contains "$OUT" $'lans:\n  seg:\n    members:\n'
lacks "$OUT" "seg.lan"
pass "save writes the LAN back as a lans: entry"

# a member's address, in place: that address replaced (topo's plan shows
# a changed address as its deletion and its creation), nothing else
ino=$(nsino $L-seg.lan); idx=$(ifindex $L-h4 eth0)
write 10.6.0.44/24 1500
run_topo 2 plan "$f"
[ "$OUT" = "- addr $L-h4:eth0 10.6.0.4/24
+ addr $L-h4:eth0 10.6.0.44/24
Plan: 1 to add, 0 to change, 1 to destroy." ] || fail "plan of one member's address: $OUT"
run_topo 0 up "$f"
contains "$OUT" "probes: 12 passed, 0 failed"
run_topo 0 plan "$f"
[ "$(ifindex $L-h4 eth0)" = "$idx" ] || fail "h4:eth0 was made again"
pass "a member's address edited in place: only that address replaced, all pairs still reachable"

# a member's own mtu, in place: one change, on that member's end alone
sed -i 's|addresses: \[10.6.0.3/24\] }|addresses: [10.6.0.3/24], mtu: 1400 }|' "$f"
run_topo 2 plan "$f"
[ "$OUT" = "~ link $L-h3:eth0 mtu 1500 -> 1400
Plan: 0 to add, 1 to change, 0 to destroy." ] || fail "plan of one member's mtu: $OUT"
run_topo 0 up "$f" --no-probe
[ "$(ip netns exec $L-seg.lan cat /sys/class/net/h3.eth0/mtu)" = 1500 ] || fail "h3's port changed its mtu"
pass "a member's own mtu edited in place: one change in plan"
write 10.6.0.44/24 1500
run_topo 0 up "$f" --no-probe

# the LAN's mtu, in place: each member and port, nothing made again
write 10.6.0.44/24 9000
run_topo 2 plan "$f"
contains "$OUT" "Plan: 0 to add, 8 to change, 0 to destroy."
lacks "$OUT" "+ "
run_topo 0 up "$f" --no-probe
[ "$(nsino $L-seg.lan)" = "$ino" ] || fail "the LAN's namespace was made again"
[ "$(ifindex $L-h4 eth0)" = "$idx" ] || fail "h4:eth0 was made again"
[ "$(ip netns exec $L-h1 cat /sys/class/net/eth0/mtu)" = 9000 ] || fail "h1:eth0 mtu"
[ "$(ip netns exec $L-seg.lan cat /sys/class/net/br0/mtu)" = 9000 ] || fail "br0 did not follow its ports to 9000"
run_topo 0 probe "$f"
contains "$OUT" "probes: 12 passed, 0 failed"
pass "the LAN's mtu edited in place: its 4 members and 4 ports, nothing made again"

run_topo 0 down $L
for ns in $(ip netns list | awk '{print $1}'); do
	case $ns in "$L"-*) fail "$ns left after down" ;; esac
done
lacks "$(ip -d link show)" "topo:$L" "host interfaces"
pass "down leaves no namespace and no interface"
