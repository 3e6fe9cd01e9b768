# A node re-created behind a bridge is reachable the moment up returns: its
# interfaces get the same MAC again (derived from lab, node and interface)
# and new namespaces announce their addresses (arp_notify, ndisc_notify), so
# the other hosts' neighbour entries are right at once. Before, they held
# the old random MAC until the kernel re-probed (seconds): probes failed.
source "$(dirname "$0")/lib.sh"
lab t-recre
cat >"$T_DIR/lab.yaml" <<'YAML'
name: t-recre
nodes:
  sw: { kind: bridge }
  h1: {}
  h2: {}
  h3: {}
links:
  - endpoints: ["h1:eth0 10.7.0.1/24 fd00:7::1/64", "sw:p1"]
  - endpoints: ["h2:eth0 10.7.0.2/24 fd00:7::2/64", "sw:p2"]
  - endpoints: ["h3:eth0 10.7.0.3/24 fd00:7::3/64", "sw:p3"]
probes:
  - { from: h1, to: h3 }
  - { from: h2, to: h3 }
  - { from: h3, to: h1 }
  - { from: h1, to: h2 }
YAML
run_topo 0 up "$T_DIR/lab.yaml"
mac=$(ip -n t-recre-h3 -o link show dev eth0 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
# locally administered, unicast
[ $((0x${mac%%:*} & 3)) = 2 ] || fail "h3 eth0 MAC $mac is not locally administered unicast"
pass "a first up: every probe passes"

for i in 1 2 3; do
	ip netns del t-recre-h3
	# The kernel removes the veth pair when it frees the namespace, a
	# moment later: wait for it, or up may plan to delete p3 just before
	# it goes (the deletion racing the kernel is not this test's matter).
	for _ in $(seq 200); do
		ip -n t-recre-sw link show p3 >/dev/null 2>&1 || break
		sleep 0.01
	done
	run_topo 0 up "$T_DIR/lab.yaml"
	contains "$OUT" " passed, 0 failed" "up $i"
	mac2=$(ip -n t-recre-h3 -o link show dev eth0 | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
	[ "$mac2" = "$mac" ] || fail "h3 eth0 came back with MAC $mac2, was $mac"
done
pass "a re-created node: same MAC, every probe passes at once (3 times)"

# a MAC the file changes is announced: the others' caches follow at once
sed -i 's|"h3:eth0 10.7.0.3/24 fd00:7::3/64"|{ node: h3, iface: eth0, addresses: [10.7.0.3/24, "fd00:7::3/64"], mac: "02:00:00:07:00:03" }|' \
	"$T_DIR/lab.yaml"
run_topo 0 up "$T_DIR/lab.yaml" -v
contains "$OUT" "t-recre-h3: set eth0 mac 02:00:00:07:00:03" "up with a new MAC"
contains "$OUT" " passed, 0 failed" "up with a new MAC"
pass "new namespaces announce a changed MAC"
run_topo 0 down t-recre
