# Two `up` of one lab at once serialise on the lab lock and both succeed;
# two different labs at once both succeed.
source "$(dirname "$0")/lib.sh"
lab t-lock1; lab t-lock2
for l in t-lock1 t-lock2; do
	cat >"$T_DIR/$l.yaml" <<YAML
name: $l
nodes: { a: {}, b: {}, c: {}, d: {} }
links:
  - endpoints: ["a:eth0 10.40.0.1/24", "b:eth0 10.40.0.2/24"]
  - endpoints: ["b:eth1 10.41.0.1/24", "c:eth0 10.41.0.2/24"]
  - endpoints: ["c:eth1 10.42.0.1/24", "d:eth0 10.42.0.2/24"]
YAML
done
pids=()
for i in 1 2 3; do
	"$TOPO" up "$T_DIR/t-lock1.yaml" --no-probe >"$T_DIR/o$i" 2>&1 & pids+=($!)
done
"$TOPO" up "$T_DIR/t-lock2.yaml" --no-probe >"$T_DIR/o4" 2>&1 & pids+=($!)
for i in "${!pids[@]}"; do
	wait "${pids[$i]}" || fail "concurrent up $((i + 1)) failed: $(cat "$T_DIR/o$((i + 1))")"
done
[ "$(grep -l "Apply complete" "$T_DIR"/o[123] | wc -l)" = 1 ] ||
	fail "expected exactly one of three concurrent ups of one lab to make changes"
run_topo 0 plan "$T_DIR/t-lock1.yaml"
run_topo 0 plan "$T_DIR/t-lock2.yaml"
pass "concurrent ups serialise; final state exact for both labs"

# down while another process holds the lock waits, and the lock survives down.
"$TOPO" down t-lock1 >/dev/null & p1=$!
"$TOPO" up "$T_DIR/t-lock1.yaml" --no-probe >"$T_DIR/o5" 2>&1 & p2=$!
wait $p1 || fail "down failed"
wait $p2 || fail "up racing down failed: $(cat "$T_DIR/o5")"
# Whichever got the lock first, the other ran after it on a whole lab:
# either all of it is up and exact, or none of it is left.
rc=0; "$TOPO" plan "$T_DIR/t-lock1.yaml" >/dev/null 2>&1 || rc=$?
if [ $rc = 2 ]; then
	grep -q "^t-lock1-" <<<"$(ls /run/netns 2>/dev/null)" && fail "down ran last but left namespaces"
	[ -e /run/topo/t-lock1 ] && fail "down ran last but left /run/topo/t-lock1"
else
	[ $rc = 0 ] || fail "plan after the race: exit $rc"
fi
pass "up racing down ends in a consistent lab (plan exit $rc)"
