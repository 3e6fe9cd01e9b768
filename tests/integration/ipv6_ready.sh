# An IPv6 lab is usable the moment up returns: the kernel takes a new IPv6
# address into use from a work item after the request returns, so probes
# sent at once used to lose the first neighbour solicitation (about one up
# in six failed here). Twenty fresh ups must all pass their probes.
source "$(dirname "$0")/lib.sh"
lab t-v6r
f="$T_DIR/lab.yaml"
sed -e "s/^name: .*/name: t-v6r/" -e "s/^prefix: .*/prefix: t-v6r/" \
	"$TOPO_SRC/topologies/dualstack.yaml" >"$f"
for i in $(seq 20); do
	rc=0
	"$TOPO" up "$f" >"$T_DIR/out" 2>&1 || rc=$?
	[ $rc = 0 ] || fail "up $i: exit $rc:"$'\n'"$(grep -E 'FAIL|probes:' "$T_DIR/out")"
	run_topo 0 down t-v6r
done
pass "20 fresh dual-stack ups, every probe passed at once"
