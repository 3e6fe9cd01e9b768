# A namespace deleted by someone else (`ip netns del`) while up runs: up
# says that something else changed the lab, and what, not "bug"; the next
# up repairs the lab.
source "$(dirname "$0")/lib.sh"
lab t-trk-if
f="$T_DIR/lab.yaml"
"$TOPO" generate chain 300 --name t-trk-if >"$f"
victim=t-trk-if-n150
hit=0
for try in 1 2 3 4 5; do
	"$TOPO" up "$f" --no-probe >"$T_DIR/o" 2>"$T_DIR/e" & pid=$!
	# Published (mounted) and the rest of the lab still to do.
	for i in $(seq 3000); do
		grep -q " /run/netns/$victim " /proc/self/mountinfo && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.001
	done
	ip netns del $victim 2>/dev/null || true
	rc=0; wait $pid || rc=$?
	if [ $rc = 0 ]; then
		# up was done before the deletion: start again.
		run_topo 0 down t-trk-if
		continue
	fi
	[ $rc = 1 ] || fail "up with $victim deleted: exit $rc: $(cat "$T_DIR/e")"
	grep -q "something else changed lab t-trk-if" "$T_DIR/e" || fail "no interference said: $(cat "$T_DIR/e")"
	grep -q "namespace $victim is gone" "$T_DIR/e" || fail "the gone namespace not named: $(cat "$T_DIR/e")"
	grep -q "bug" "$T_DIR/e" && fail "interference reported as a bug: $(cat "$T_DIR/e")"
	hit=1
	break
done
[ $hit = 1 ] || fail "the deletion never came while up ran: the test proved nothing"
run_topo 0 up "$f" --no-probe
run_topo 0 plan "$f"
netns_exists $victim || fail "the next up did not make $victim again"
pass "a namespace deleted during up is reported as someone else's change; up again repairs it"
