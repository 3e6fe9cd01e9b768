# down stops every process inside the lab, topo's or not (SIGTERM, then
# SIGKILL after --grace), before deleting the namespaces; then it checks
# that no namespace of the lab is still held and names what holds one.
source "$(dirname "$0")/lib.sh"
lab t-dproc
f="$T_DIR/lab.yaml"
printf 'name: t-dproc\nnodes: { a: {}, b: {} }\nlinks: [{ endpoints: ["a:eth0 10.74.0.1/24", "b:eth0 10.74.0.2/24"] }]\n' >"$f"
hold="$T_DIR/hold"
# sleeps no other test runs (other tests may run beside this one)
s1=$((700000 + $$)) s2=$((800000 + $$)) s3=$((900000 + $$))
unmount_hold() {
	local rc=$?
	set +e
	umount "$hold" 2>/dev/null
	(exit $rc)
	t_cleanup
}
trap unmount_hold EXIT

# ns_alive INODE: does a process still have the namespace with INODE?
ns_alive() {
	local p
	for p in /proc/[0-9]*/ns/net; do
		[ "$(stat -Lc %i "$p" 2>/dev/null)" = "$1" ] && return 0
	done
	return 1
}

# A process started by hand with `ip netns exec`, and one it forked.
run_topo 0 up "$f" --no-probe
ino=$(stat -Lc %i /run/netns/t-dproc-a)
ip netns exec t-dproc-a sleep $s1 &
by_hand=$!
T_PIDS+=("$by_hand")
ip netns exec t-dproc-b sh -c "sleep $s2 & wait" &
T_PIDS+=("$!")
wait_until pgrep -xf "sleep $s1"
wait_until pgrep -xf "sleep $s2"
ns_alive "$ino" || fail "the test's process is not in the namespace"
run_topo 0 down t-dproc
contains "$OUT" "Stopped 3 processes in lab t-dproc."
contains "$OUT" "Lab t-dproc is down: 2 namespaces deleted."
sleep 0.1
pgrep -f "sleep ($s1|$s2)" >/dev/null && fail "a process of the lab outlived down: $(pgrep -af "sleep ($s1|$s2)")"
ns_alive "$ino" && fail "namespace t-dproc-a still alive after down"
netns_exists t-dproc-a && fail "t-dproc-a still in /run/netns"
pass "down stops processes started by hand, and their children; no namespace left"

# One that ignores SIGTERM is killed after --grace (and only then).
run_topo 0 up "$f" --no-probe
ip netns exec t-dproc-a sh -c "trap '' TERM; sleep $s3" &
T_PIDS+=("$!")
wait_until pgrep -xf "sleep $s3"
start=$(date +%s%N)
run_topo 0 down t-dproc --grace 1s
ms=$(( ($(date +%s%N) - start) / 1000000 ))
contains "$OUT" "killed: still running 1.0 s after SIGTERM"
[ "$ms" -ge 1000 ] || fail "killed after ${ms} ms, before the 1 s grace"
[ "$ms" -lt 4000 ] || fail "down took ${ms} ms with a 1 s grace"
pgrep -f "sleep $s3" >/dev/null && fail "the process that ignores SIGTERM outlived down"
pass "a process ignoring SIGTERM is killed after --grace (${ms} ms)"
run_topo 1 down t-dproc --grace soon
contains "$ERR" "--grace 'soon' is not a duration"

# What holds a namespace after down is named: a bind mount, an open fd.
run_topo 0 up "$f" --no-probe
touch "$hold"
mount --bind /run/netns/t-dproc-a "$hold"
python3 -c 'import os, sys, time; os.open(sys.argv[1], os.O_RDONLY); open(sys.argv[2], "w"); time.sleep(60)' \
	/run/netns/t-dproc-b "$T_DIR/holding" &
holder=$!
T_PIDS+=("$holder")
wait_until test -e "$T_DIR/holding"
run_topo 1 down t-dproc
contains "$ERR" "namespace t-dproc-a of lab t-dproc is still held: mounted at $hold"
contains "$ERR" "namespace t-dproc-b of lab t-dproc is still held: pid $holder (python3) has it open (fd "
netns_exists t-dproc-a && fail "a held namespace is still published"
umount "$hold"
kill "$holder"
pass "down fails naming what still holds a namespace"

# A holder that lets go soon (another topo reading every namespace) is none.
run_topo 0 up "$f" --no-probe
python3 -c 'import os, sys, time; os.open(sys.argv[1], os.O_RDONLY); open(sys.argv[2], "w"); time.sleep(0.4)' \
	/run/netns/t-dproc-a "$T_DIR/moment" &
T_PIDS+=("$!")
wait_until test -e "$T_DIR/moment"
run_topo 0 down t-dproc
contains "$OUT" "Lab t-dproc is down: 2 namespaces deleted."
pass "a descriptor held for a moment does not fail down"

# Another topo passing through the lab's namespaces (an `up` of another lab
# reads every namespace's mark from inside it) is no process of the lab:
# down does not stop it. A program named topo, in a node, stands for one.
run_topo 0 up "$f" --no-probe
cp "$(command -v sleep)" "$T_DIR/topo"
ip netns exec t-dproc-a "$T_DIR/topo" 0.6 &
visitor=$!
T_PIDS+=("$visitor")
wait_until pgrep -xf "$T_DIR/topo 0.6"
run_topo 0 down t-dproc
rc=0
wait "$visitor" || rc=$?
[ "$rc" = 0 ] || fail "down signalled a topo that was only passing through (it ended with $rc)"
pass "down leaves another topo passing through alone"

run_topo 0 down t-dproc
contains "$OUT" "nothing"

# up that drops a node stops the processes in it first: the namespace
# would otherwise outlive its name, held by them.
s4=$((600000 + $$))
run_topo 0 up "$f" --no-probe
ino=$(stat -Lc %i /run/netns/t-dproc-b)
ip netns exec t-dproc-b sleep $s4 &
T_PIDS+=("$!")
wait_until pgrep -xf "sleep $s4"
printf 'name: t-dproc\nnodes: { a: {} }\n' >"$f"
run_topo 0 up "$f" --no-probe
contains "$OUT" "b: stopped 1 process of a node no longer in the file"
sleep 0.1
pgrep -f "sleep $s4" >/dev/null && fail "a process of node b outlived its node"
ns_alive "$ino" && fail "namespace t-dproc-b still alive after up dropped node b"
pass "up stops the processes of a node it removes"
run_topo 0 down t-dproc
