#!/bin/bash
# Multipath: r1 reaches h2's subnet over two links to r2 with one route of
# two nexthops (IPv4 and IPv6). Both paths are installed and shown by
# status, and used: 64 UDP flows from h1 (one source port each; r1 hashes
# on ports with fib_multipath_hash_policy 1) leave r1 on both links, as
# the links' packet counters show. Then edits in place, each one change:
# a nexthop's weight, a route's MTU, a route's table.
source "$(dirname "$0")/lib.sh"
L=t-recmp
lab $L

cat >"$T_DIR/lab.yaml" <<YAML
name: $L
nodes:
  r1:
    kind: router
    sysctl: { net.ipv4.fib_multipath_hash_policy: 1 }
    tables: { side: 100 }
    routes:
      - 10.0.9.0/24 nexthops: [via 10.0.1.2, via 10.0.2.2]
      - "2001:db8:9::/64 nexthops: [via 2001:db8:1::2, via 2001:db8:2::2 weight 2]"
      - 10.0.8.0/24 via 10.0.1.2 mtu 1400
  r2:
    kind: router
    routes: [10.0.0.0/24 via 10.0.1.1]
  h1: { routes: [default via 10.0.0.1] }
  h2: { routes: [default via 10.0.9.1] }
links:
  - endpoints: ["h1:eth0 10.0.0.2/24", "r1:eth0 10.0.0.1/24"]
  - endpoints: ["r1:eth1 10.0.1.1/24 2001:db8:1::1/64", "r2:eth1 10.0.1.2/24 2001:db8:1::2/64"]
  - endpoints: ["r1:eth2 10.0.2.1/24 2001:db8:2::1/64", "r2:eth2 10.0.2.2/24 2001:db8:2::2/64"]
  - endpoints: ["r2:eth0 10.0.9.1/24", "h2:eth0 10.0.9.2/24"]
probes:
  - { from: h1, to: h2 }
YAML
run_topo 0 up "$T_DIR/lab.yaml"
run_topo 0 plan "$T_DIR/lab.yaml"

routes=$(ip -n $L-r1 route show 10.0.9.0/24)
contains "$routes" "nexthop via 10.0.1.2 dev eth1 weight 1"
contains "$routes" "nexthop via 10.0.2.2 dev eth2 weight 1"
routes=$(ip -n $L-r1 -6 route show 2001:db8:9::/64)
contains "$routes" "nexthop via 2001:db8:1::2 dev eth1 weight 1"
contains "$routes" "nexthop via 2001:db8:2::2 dev eth2 weight 2"
run_topo 0 status $L
contains "$OUT" "route 10.0.9.0/24 metric 0 nexthops: [via 10.0.1.2 dev eth1, via 10.0.2.2 dev eth2]"
contains "$OUT" "route 2001:db8:9::/64 metric 1024 nexthops: [via 2001:db8:1::2 dev eth1, via 2001:db8:2::2 dev eth2 weight 2]"
run_topo 0 status $L --json
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
r1 = [n for n in d["nodes"] if n["node"] == "r1"][0]
by = {r["to"]: r for r in r1["routes"]}
nh = by["10.0.9.0/24"]["nexthops"]
assert [(x["via"], x["dev"], x["weight"]) for x in nh] == [("10.0.1.2", "eth1", 1), ("10.0.2.2", "eth2", 1)], nh
nh = by["2001:db8:9::/64"]["nexthops"]
assert sorted((x["via"], x["weight"]) for x in nh) == [("2001:db8:1::2", 1), ("2001:db8:2::2", 2)], nh
assert by["10.0.8.0/24"]["mtu"] == 1400 and by["10.0.8.0/24"]["table"] == 254, by["10.0.8.0/24"]
assert "via" not in by["10.0.9.0/24"], by["10.0.9.0/24"]
' || fail "status --json: $OUT"
pass "both nexthops installed and shown (IPv4, IPv6 with its weight)"

# tx_packets NS IFACE
tx_packets() { ip netns exec "$1" cat "/sys/class/net/$2/statistics/tx_packets"; }
a0=$(tx_packets $L-r1 eth1)
b0=$(tx_packets $L-r1 eth2)
nsexec $L-h1 python3 -c '
import socket
for port in range(40000, 40064):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.0.0.2", port))
    s.sendto(b"ecmp", ("10.0.9.2", 9))
    s.close()
'
sleep 0.2
a=$(( $(tx_packets $L-r1 eth1) - a0 ))
b=$(( $(tx_packets $L-r1 eth2) - b0 ))
echo "flows out of r1: eth1 $a, eth2 $b"
# 64 flows hashed evenly: fewer than 10 on one path happens about once in 10^8
[ "$a" -ge 10 ] && [ "$b" -ge 10 ] || fail "flows not spread over both paths: eth1 $a, eth2 $b"
[ $((a + b)) -ge 64 ] || fail "only $((a + b)) of 64 packets left r1"
pass "different flows take both paths"

# one_change: plan shows exactly LINE as the one change; up applies it; plan is then clean.
one_change() {
	run_topo 2 plan "$T_DIR/lab.yaml"
	contains "$OUT" "$1"
	contains "$OUT" "Plan: 0 to add, 1 to change, 0 to destroy."
	run_topo 0 up "$T_DIR/lab.yaml" --no-probe
	run_topo 0 plan "$T_DIR/lab.yaml"
}

sed -i 's|via 10.0.1.2, via 10.0.2.2\]|via 10.0.1.2, via 10.0.2.2 weight 3]|' "$T_DIR/lab.yaml"
one_change "~ route $L-r1 10.0.9.0/24 nexthops: [via 10.0.1.2, via 10.0.2.2 weight 3]"
contains "$(ip -n $L-r1 route show 10.0.9.0/24)" "nexthop via 10.0.2.2 dev eth2 weight 3"
sed -i 's|via 2001:db8:2::2 weight 2\]|via 2001:db8:2::2 weight 5]|' "$T_DIR/lab.yaml"
one_change "~ route $L-r1 2001:db8:9::/64 nexthops: [via 2001:db8:1::2, via 2001:db8:2::2 weight 5]"
contains "$(ip -n $L-r1 -6 route show 2001:db8:9::/64)" "nexthop via 2001:db8:2::2 dev eth2 weight 5"
pass "a nexthop's weight changed in place: one change"

sed -i 's|10.0.8.0/24 via 10.0.1.2 mtu 1400|10.0.8.0/24 via 10.0.1.2 mtu 1300|' "$T_DIR/lab.yaml"
one_change "~ route $L-r1 10.0.8.0/24 via 10.0.1.2 mtu 1300 (was via 10.0.1.2 dev eth1 mtu 1400)"
contains "$(ip -n $L-r1 route show 10.0.8.0/24)" "mtu 1300"
pass "a route's mtu changed in place: one change"

sed -i 's|10.0.8.0/24 via 10.0.1.2 mtu 1300|10.0.8.0/24 via 10.0.1.2 mtu 1300 table side|' "$T_DIR/lab.yaml"
one_change "~ route $L-r1 10.0.8.0/24 via 10.0.1.2 table 100 mtu 1300 (was via 10.0.1.2 dev eth1 mtu 1300)"
contains "$(ip -n $L-r1 route show table 100)" "10.0.8.0/24 via 10.0.1.2 dev eth1 proto 116 mtu 1300"
lacks "$(ip -n $L-r1 route show table main)" "10.0.8.0/24"
pass "a route moved to another table: one change"

# save writes the multipath routes back in a form that loads to the same lab
run_topo 0 save $L
printf '%s\n' "$OUT" >"$T_DIR/saved.yaml"
contains "$OUT" "10.0.9.0/24 nexthops: [via 10.0.1.2 dev eth1, via 10.0.2.2 dev eth2 weight 3]"
run_topo 0 plan "$T_DIR/saved.yaml"
pass "save writes multipath, mtu and table routes that plan finds unchanged"

run_topo 0 down $L
