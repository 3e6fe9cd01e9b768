#!/bin/bash
# A lab across two simulated hosts over an IPv6 underlay: the tunnel costs
# 70 bytes (IPv6 40, UDP 8, VXLAN 8, Ethernet 14), so a link without mtu:
# gets 1430 on a 1500 underlay, both ends; 1402 bytes of ICMP with DF cross
# (1430 with the IPv4 and ICMP headers), 1403 do not. The overlay's own
# addresses are IPv4 and IPv6 both.
source "$(dirname "$0")/lib.sh"
need_tool nsenter "runs topo in a simulated host"
need_tool findmnt "makes a simulated host's /run/netns its own"

SIM=$TOPO_SRC/scripts/simhosts.sh
P=m6$(($$ % 100000))
L=mhsix
trap 'rc=$?; "$SIM" destroy $P >/dev/null 2>&1; (exit $rc); t_cleanup' EXIT
"$SIM" create $P a=2001:db8:99::a b=2001:db8:99::b >/dev/null
ip -n $P-a link add vxtest type vxlan id 1 remote 2001:db8:99::b dstport 4789 2>/dev/null ||
	skip "no VXLAN in this kernel (ip link add type vxlan)"
ip -n $P-a link del vxtest

on() {	# on HOST EXPECTED_RC ARGS...: topo ARGS on simulated host HOST
	local h=$1 want=$2 rc=0
	shift 2
	"$SIM" exec $P "$h" -- "$TOPO" "$@" >"$T_DIR/out" 2>"$T_DIR/err" || rc=$?
	OUT=$(cat "$T_DIR/out"); ERR=$(cat "$T_DIR/err")
	[ "$rc" = "$want" ] || fail "on $h: topo $*: exit $rc, expected $want"$'\n'"$OUT"$'\n'"$ERR"
}

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
