# A kernel error mid-apply carries the kernel's own text; fixing the file and
# running up again converges; injected faults at every step converge too.
source "$(dirname "$0")/lib.sh"
lab t-kerr
f="$T_DIR/lab.yaml"
cat >"$f" <<'YAML'
name: t-kerr
nodes:
  a: { sysctl: { net.ipv6.conf.all.disable_ipv6: 1, net.ipv6.conf.default.disable_ipv6: 1 } }
  b: {}
links:
  - endpoints: ["a:eth0 10.7.0.1/24 fd00:7::1/64", "b:eth0 10.7.0.2/24 fd00:7::2/64"]
YAML
run_topo 1 up "$f" --no-probe
contains "$ERR" "fd00:7::1/64"
contains "$ERR" "(kernel: "
contains "$ERR" "IPv6 is disabled on this device)"
contains "$ERR" "run \`topo up\` again"
sed -i 's/disable_ipv6: 1/disable_ipv6: 0/g' "$f"
run_topo 0 up "$f" --no-probe
run_topo 0 plan "$f"
contains "$(ip -n t-kerr-a -o addr)" "fd00:7::1/64"
pass "kernel error reported with its extended ACK; next up converges"

run_topo 0 down t-kerr
# A sysctl this kernel lacks, on a new node: its namespace is written while
# it is made, so the error names the sysctl and no half-made node is left.
sed 's/^  b: {}/  b: { sysctl: { net.ipv4.conf.all.no_such_knob: 1 } }/' "$f" >"$T_DIR/bad.yaml"
run_topo 1 up "$T_DIR/bad.yaml" --no-probe
contains "$ERR" "t-kerr-b: set sysctl net.ipv4.conf.all.no_such_knob to 1: No such file or directory"
netns_exists t-kerr-b && fail "namespace left behind by a failed sysctl"
run_topo 0 down t-kerr
pass "a failing sysctl of a new node is named, and the node not made"

# Fail the N-th kernel change for every N: each time, up reports the fault,
# the next up converges to exactly the file, and down leaves nothing.
n=1
while :; do
	rc=0
	TOPO_FAULT_AT=$n "$TOPO" up "$f" --no-probe >"$T_DIR/o" 2>"$T_DIR/e" || rc=$?
	if [ $rc = 0 ]; then break; fi
	[ $rc = 1 ] || fail "fault at $n: exit $rc"
	grep -q "injected fault" "$T_DIR/e" || fail "fault at $n not reported: $(cat "$T_DIR/e")"
	run_topo 0 up "$f" --no-probe
	run_topo 0 plan "$f"
	run_topo 0 down t-kerr
	for ns in $(ip netns list | awk '{print $1}'); do
		case $ns in t-kerr-*) fail "fault at $n: down left $ns" ;; esac
	done
	n=$((n + 1))
	[ $n -lt 60 ] || fail "more than 60 changes for a 2-node lab?"
done
[ $n -gt 5 ] || fail "only $n changes before success: fault injection not reached"
pass "a fault at each of $((n - 1)) kernel changes: reported, then converged, then removed"
