# The inode number of a freed namespace goes to the next namespace anybody
# makes. down checks that nothing still holds the lab's namespaces by
# their inodes: while it waits for a holder that lets go in a moment, the
# other namespaces are freed, and namespaces another program makes
# meanwhile (here a loop of `ip netns add`) must not be taken for the
# lab's, still held. down holds each namespace open until it has checked.
# serial_: the loop's namespaces would do the same to other tests' down
# (those of labs too large to pin under a low open-file limit).
source "$(dirname "$0")/lib.sh"
L=t-reuse
lab $L
f="$T_DIR/lab.yaml"
"$TOPO" generate chain 40 --name $L >"$f"
churn_prefix=t-reusex-$$
stop="$T_DIR/stop"
churn_clean() {
	local n
	for n in $(ls /run/netns | grep "^$churn_prefix-"); do
		ip netns del "$n" 2>/dev/null || rm -f "/run/netns/$n"
	done
}
trap 'rc=$?; set +e; touch "$stop"; wait 2>/dev/null; churn_clean; (exit $rc); t_cleanup' EXIT
# Stopped by a file, not a signal: a signal in the middle of `ip netns
# add` could leave a namespace file that is no namespace.
churn() {
	set +e
	local i=0
	while [ ! -e "$stop" ]; do
		ip netns add "$churn_prefix-$i" 2>/dev/null
		ip netns del "$churn_prefix-$((i - 20))" 2>/dev/null
		i=$((i + 1))
	done
}
for round in 1 2 3 4 5; do
	run_topo 0 up "$f" --no-probe
	rm -f "$stop"
	churn &
	churn=$!
	sleep 0.8 </run/netns/$L-n1 &
	T_PIDS+=("$!")
	run_topo 0 down $L
	touch "$stop"
	wait $churn || true
	churn_clean
	contains "$OUT" "Lab $L is down: 40 namespaces deleted."
done
pass "down is not fooled by new namespaces that reuse the inode numbers of the lab's (5 rounds)"
