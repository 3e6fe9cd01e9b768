#!/bin/bash
# One lab across three simulated hosts (scripts/simhosts.sh): each host runs
# `topo up --host` for its part, with a private /run/netns and /run/topo.
#   a: h1 - r1 (a veth pair); r1 - r2 to b and r1 - r3 to c (tunnels)
#   b: r2;                    r2 - r3 to c (a tunnel)
#   c: r3
# Probes on each host prove that nodes on different hosts reach each other
# (h1 to r3 crosses two tunnels), that a packet of the computed MTU (1450:
# a 1500 underlay less VXLAN's 50) crosses whole and one byte more does not,
# and that a cross-host link set down carries nothing. A file mtu too large
# for the tunnel is refused, --host picks the host or the address does.
# Then each host's part goes with `down --host` and nothing is left on any.
source "$(dirname "$0")/lib.sh"
need_tool nsenter "runs topo in a simulated host"
need_tool findmnt "makes a simulated host's /run/netns its own"

SIM=$TOPO_SRC/scripts/simhosts.sh
P=mh$(($$ % 100000))
L=mhit
trap 'rc=$?; "$SIM" destroy $P >/dev/null 2>&1; (exit $rc); t_cleanup' EXIT
"$SIM" create $P a=192.0.2.10 b=192.0.2.11 c=192.0.2.12 >/dev/null
ip -n $P-a link add vxtest type vxlan id 1 remote 192.0.2.11 dstport 4789 2>/dev/null ||
	skip "no VXLAN in this kernel (ip link add type vxlan)"
ip -n $P-a link del vxtest

# on HOST EXPECTED_RC ARGS...: topo ARGS on simulated host HOST (run_topo's $OUT, $ERR)
on() {
	local h=$1 want=$2 rc=0
	shift 2
	"$SIM" exec $P "$h" -- "$TOPO" "$@" >"$T_DIR/out" 2>"$T_DIR/err" || rc=$?
	OUT=$(cat "$T_DIR/out"); ERR=$(cat "$T_DIR/err")
	[ "$rc" = "$want" ] || fail "on $h: topo $*: exit $rc, expected $want"$'\n'"$OUT"$'\n'"$ERR"
}

lab_file() {	# lab_file STATE [MTU]: the lab, with the a-c link in STATE
	cat >"$T_DIR/lab.yaml" <<YAML
name: $L
hosts:
  a: { address: 192.0.2.10 }
  b: { address: 192.0.2.11 }
  c: { address: 192.0.2.12 }
nodes:
  h1: { routes: [default via 10.0.1.1] }
  r1: { kind: router, routes: [10.0.23.0/24 via 10.0.12.2] }
  r2: { kind: router, host: b, routes: [10.0.1.0/24 via 10.0.12.1] }
  r3: { host: c, routes: [default via 10.0.23.1] }
links:
  - endpoints: ["h1:eth0 10.0.1.2/24", "r1:eth0 10.0.1.1/24"]
  - endpoints: ["r1:eth1 10.0.12.1/24", "r2:eth1 10.0.12.2/24"]
    ${2:+mtu: $2}
  - endpoints: ["r2:eth2 10.0.23.1/24", "r3:eth2 10.0.23.2/24"]
  - endpoints: ["r1:eth2 10.0.13.1/24", "r3:eth3 10.0.13.2/24"]
    state: $1
probes:
  - { from: h1, to: "r2:eth1" }
  - { from: h1, to: "r3:eth2" }
  - { from: h1, to: "r3:eth2", size: 1422, df: true }
  - { from: h1, to: "r3:eth2", size: 1423, df: true, expect: unreachable }
  - { from: r2, to: h1 }
  - { from: r3, to: "r2:eth2" }
  - { from: r1, to: 10.0.13.2, expect: $([ "$1" = up ] && echo reachable || echo unreachable) }
YAML
}

lab_file up
for h in a b c; do
	on $h 0 up "$T_DIR/lab.yaml" --host $h --no-probe
done
on a 0 status "$T_DIR/lab.yaml" --host a
contains "$OUT" "node h1 (netns $L-h1)"
lacks "$OUT" "node r2"
grep -q "eth1 *vxlan *up *mtu 1450 .* vxlan [0-9]* to 192.0.2.11:4789" <<<"$OUT" ||
	fail "r1:eth1 is not a tunnel to b of mtu 1450:"$'\n'"$OUT"
pass "host a has h1 and r1 only"
on b 0 status $L --json
vni=$(python3 -c 'import json,sys
d = json.load(sys.stdin)
[n] = d["nodes"]
ifs = {i["name"]: i for i in n["interfaces"]}
v = ifs["eth1"]["vxlan"]
assert ifs["eth1"]["kind"] == "vxlan" and ifs["eth1"]["mtu"] == 1450, ifs["eth1"]
assert v["remote"] == "192.0.2.10" and v["local"] == "192.0.2.11" and v["port"] == 4789, v
print(v["vni"])' <<<"$OUT")
on a 0 status $L --json
python3 -c 'import json,sys
d = json.load(sys.stdin)
r1 = [n for n in d["nodes"] if n["node"] == "r1"][0]
v = [i for i in r1["interfaces"] if i["name"] == "eth1"][0]["vxlan"]
assert v["vni"] == int(sys.argv[1]) and v["remote"] == "192.0.2.11", v' "$vni" <<<"$OUT"
pass "status --json: both ends of r1-r2 share VNI $vni, each to the other host"

for h in a b c; do
	on $h 0 probe "$T_DIR/lab.yaml" --host $h
done
on a 0 probe "$T_DIR/lab.yaml" --host a
contains "$OUT" "probes: 5 passed, 0 failed"
# r1's "fragmentation needed" (mtu 1450) the first time, h1's own cached path MTU after
grep -Eq "size=1423 df +unreachable +ok .*(mtu 1450|a 1451-byte packet)" <<<"$OUT" ||
	fail "1423 bytes are not stopped at the tunnel's MTU:"$'\n'"$OUT"
pass "nodes on three hosts reach each other; 1422 bytes + headers fit the tunnel's 1450, 1423 do not"

# without --host: this host's own address says which it is
on c 0 plan "$T_DIR/lab.yaml"
contains "$OUT" "No changes."
run_topo 1 plan "$T_DIR/lab.yaml"
contains "$ERR" "none of their addresses is this machine's: give --host NAME"
on a 1 plan "$T_DIR/lab.yaml" --host zz
contains "$ERR" "--host zz: lab $L has no such host (it has a (192.0.2.10), b (192.0.2.11), c (192.0.2.12))"
lab_file up 9000
on a 1 plan "$T_DIR/lab.yaml" --host a
contains "$ERR" "mtu 9000 does not fit the tunnel to host b: eth0 has mtu 1500, VXLAN over IPv4 takes 50, so at most 1450"
pass "the host found by its address; unknown host and an mtu too large refused"

# the a-c link down, on both of its hosts
lab_file down
on a 0 up "$T_DIR/lab.yaml" --host a --no-probe
on c 0 up "$T_DIR/lab.yaml" --host c --no-probe
on b 0 plan "$T_DIR/lab.yaml" --host b
contains "$OUT" "No changes."
on a 0 probe "$T_DIR/lab.yaml" --host a
contains "$OUT" "probes: 5 passed, 0 failed"
on c 0 status $L --host c
grep -q "eth3 *vxlan *down" <<<"$OUT" || fail "r3:eth3 is not down:"$'\n'"$OUT"
pass "a cross-host link set down carries nothing"

for h in a b c; do
	on $h 0 down "$T_DIR/lab.yaml" --host $h
	d=/run/topo-simhosts/$P/$h
	[ -z "$(ls -A $d/netns)" ] || fail "host $h keeps namespaces: $(ls $d/netns)"
	[ ! -e "$d/topo/$L" ] || fail "host $h keeps /run/topo/$L"
	left=$(ip -n $P-$h -br link | awk '$1 != "lo" && $1 !~ /^eth0@/')
	[ -z "$left" ] || fail "host $h keeps interfaces: $left"
	# the kernel closes a tunnel's socket a moment after its last device went
	for i in $(seq 50); do
		udp=$(nsenter --net=/run/netns/$P-$h ss -Hunl)
		grep -q ":4789 " <<<"$udp" || break
		sleep 0.1
	done
	lacks "$udp" ":4789 " "host $h's UDP sockets"
done
pass "down --host on each host leaves nothing on any"
