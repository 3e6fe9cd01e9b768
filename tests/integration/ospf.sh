# The routing lab topologies/ospf.yaml with real daemons (BIRD 2): the ring
# converges (probes with within), the daemons' routes are learned (not
# drift, kept by --prune), a ring link set down is routed around, and down
# leaves no bird running.
source "$(dirname "$0")/lib.sh"
need_tool bird "BIRD 2 (package bird2) is the routing daemon of topologies/ospf.yaml"
lab t-ospf
f="$T_DIR/ospf.yaml"
# A name of our own; the routers' configs beside the copy (its files are
# relative to it).
sed -e "s/^name: .*/name: t-ospf/" "$TOPO_SRC/topologies/ospf.yaml" >"$f"
cp -r "$TOPO_SRC/topologies/ospf" "$T_DIR/"

# eventually SECONDS CMD...: CMD succeeds within SECONDS (OSPF converges
# path by path: the probes can pass before every adjacency is up).
eventually() {
	local end=$((SECONDS + $1)); shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.2
	done
}
# r1_via GATEWAY DEV: r1's route to h2's LAN is OSPF's, through GATEWAY.
r1_via() { ip -n t-ospf-r1 route show 10.3.3.0/24 | grep -q "via $1 dev $2 proto bird"; }

run_topo 0 up "$f" -v
contains "$OUT" "3 passed, 0 failed"
for r in r1 r2 r3 r4; do
	ip netns pids "t-ospf-$r" | xargs -r ps -o comm= -p | grep -qx bird ||
		fail "no bird runs in $r"
done
eventually 20 r1_via 10.0.12.2 eth1 ||
	fail "r1 does not reach h2's LAN through r2: $(ip -n t-ospf-r1 route)"
pass "the ring converges: h1 and h2 reach each other through r2"

run_topo 0 status t-ospf
contains "$OUT" "route 10.3.3.0/24 via 10.0.12.2 dev eth1 metric 32 (learned: proto bird)"
contains "$OUT" "in sync with the file"
run_topo 0 up "$f" --prune --no-probe
contains "$OUT" "No changes"
ip -n t-ospf-r1 route show 10.3.3.0/24 | grep -q "proto bird" || fail "up --prune deleted OSPF's route"
pass "OSPF's routes are learned: no drift, kept by up --prune"

# An outage: the r1-r2 link set down in the file. OSPF routes around it
# through r4, and the probes (with their within) pass again.
sed -i 's|^  - endpoints: \["r1:eth1 10.0.12.1/30", "r2:eth1 10.0.12.2/30"\].*|  - { endpoints: ["r1:eth1 10.0.12.1/30", "r2:eth1 10.0.12.2/30"], state: down }|' "$f"
grep -q "state: down" "$f" || fail "could not set the r1-r2 link down in the copy"
run_topo 0 up "$f" -v
contains "$OUT" "set eth1 down"
contains "$OUT" "3 passed, 0 failed"
eventually 20 r1_via 10.0.14.2 eth2 ||
	fail "r1 does not route around the dead link through r4: $(ip -n t-ospf-r1 route)"
pass "a ring link set down: OSPF re-converges through r4, probes pass"

birds=$(for r in r1 r2 r3 r4; do ip netns pids "t-ospf-$r"; done)
[ -n "$birds" ] || fail "no process in the routers before down"
run_topo 0 down t-ospf
contains "$OUT" "Lab t-ospf is down: 6 namespaces deleted."
for p in $birds; do
	st=$(ps -o stat=,comm= -p "$p" 2>/dev/null || true)
	case $st in "" | Z*) ;; *) fail "pid $p ($st) outlived down" ;; esac
done
for r in r1 r2 r3 r4 h1 h2; do netns_exists "t-ospf-$r" && fail "t-ospf-$r left after down"; done
pass "down stops every bird and leaves no namespace"
