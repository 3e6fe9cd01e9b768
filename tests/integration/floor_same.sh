# The benchmark's floor program (topo-floor) builds exactly the chain that
# `topo generate chain N` + `topo up` builds: same namespaces, interfaces,
# addresses, routes and forwarding, so the two can be compared for speed.
source "$(dirname "$0")/lib.sh"
FLOOR=$(dirname "$TOPO")/topo-floor
[ -x "$FLOOR" ] || skip "topo-floor not built (TOPO_BUILD=${TOPO_BUILD:-unset})"

N=7
lab gen-fs-topo
T_CLEAN_FLOOR=0
floor_cleanup() {
	local rc=$?
	if [ "$T_CLEAN_FLOOR" = 1 ]; then "$FLOOR" down $N --name gen-fs-floor >/dev/null 2>&1; fi
	(exit $rc)	# t_cleanup exits with the test's status
	t_cleanup
}
trap floor_cleanup EXIT

"$TOPO" generate chain $N --name gen-fs-topo >"$T_DIR/chain.yaml"
run_topo 0 up "$T_DIR/chain.yaml" --no-probe
T_CLEAN_FLOOR=1
"$FLOOR" up $N --name gen-fs-floor || fail "topo-floor up"

# What a node looks like, without what the kernel picks (ifindexes, MACs).
node_state() {
	local ns=$1
	ip -n "$ns" -o -4 addr show | awk '{print $2, $4}' | sort
	ip -n "$ns" -4 route show | sort
	ip -n "$ns" -o link show | awk '{sub(/@.*/, "", $2); print $2, $3}' | sort
	ip netns exec "$ns" sysctl -n net.ipv4.ip_forward net.ipv6.conf.all.forwarding
}
for i in $(seq 1 $N); do
	a=$(node_state gen-fs-topo-n$i); b=$(node_state gen-fs-floor-n$i)
	[ -n "$a" ] || fail "n$i: empty state"
	[ "$a" = "$b" ] || fail "n$i differs:"$'\n'"topo:"$'\n'"$a"$'\n'"floor:"$'\n'"$b"
done
pass "topo and topo-floor build the same chain of $N"

# The two ends of each veth have distinct ifindexes.
for i in $(seq 1 $((N - 1))); do
	x=$(ifindex gen-fs-floor-n$i eth1); y=$(ifindex gen-fs-floor-n$((i + 1)) eth0)
	[ "$x" != "$y" ] || fail "floor: both ends of link $i have ifindex $x"
done
pass "floor veth ends have distinct ifindexes"

# Its routes work end to end.
nsexec gen-fs-floor-n1 ping -c1 -W2 10.0.0.$((4 * (N - 2) + 2)) >/dev/null || fail "floor: n1 cannot reach n$N"
pass "floor chain forwards end to end"

# The read floor reads topo's chain back (from 1 and 2 threads) and changes
# nothing; a chain that is not there is an error, not an empty read.
before=$(for i in $(seq 1 $N); do node_state gen-fs-topo-n$i; done)
"$FLOOR" read $N --name gen-fs-topo -j 1 || fail "topo-floor read -j 1"
"$FLOOR" read $N --name gen-fs-topo -j 2 || fail "topo-floor read -j 2"
[ "$(for i in $(seq 1 $N); do node_state gen-fs-topo-n$i; done)" = "$before" ] || fail "read changed the chain"
run_topo 0 plan "$T_DIR/chain.yaml"
"$FLOOR" read $((N + 1)) --name gen-fs-topo 2>"$T_DIR/e" && fail "read of a missing node succeeded"
grep -q "gen-fs-topo-n$((N + 1))" "$T_DIR/e" || fail "read error does not name the node: $(cat "$T_DIR/e")"
pass "floor read reads a chain, changes nothing, refuses a missing node"

"$FLOOR" down $N --name gen-fs-floor || fail "topo-floor down"
T_CLEAN_FLOOR=0
! grep -q '^gen-fs-floor-' <<<"$(ls /run/netns)" || fail "floor down left namespaces"
pass "floor down removes its namespaces"
