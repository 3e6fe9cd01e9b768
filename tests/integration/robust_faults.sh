# Faults mid-apply on a mid-sized lab: the N-th kernel change fails, for
# every N in turn. Each time topo reports it, the next up converges to
# exactly the file (an empty plan), and down leaves nothing behind: no
# namespace, no mount, no run directory.
source "$(dirname "$0")/lib.sh"
lab t-flt
f="$T_DIR/lab.yaml"
cat >"$f" <<YAML
name: t-flt
nodes:
  sw: { kind: bridge }
  r1: { kind: router, addresses: { lo: [10.60.255.1/32, "fd00:60::1/128"] } }
  r2: { kind: router, routes: ["10.60.1.0/24 via 10.60.12.1", "fd00:60:1::/64 via fd00:60:12::1"] }
  h1: { routes: [default via 10.60.1.1, "default via fd00:60:1::1"], sysctl: { net.ipv4.conf.all.rp_filter: 2 } }
  h2: { routes: [default via 10.60.1.1] }
  h3: { routes: [default via 10.60.2.1], exec: ["true"] }
links:
  - endpoints: ["h1:eth0 10.60.1.11/24 fd00:60:1::11/64", "sw:p1"]
  - endpoints: ["h2:eth0 10.60.1.12/24", "sw:p2"]
  - endpoints: ["r1:eth0 10.60.1.1/24 fd00:60:1::1/64", "sw:p3"]
  - endpoints: ["r1:eth1 10.60.12.1/24 fd00:60:12::1/64", "r2:eth0 10.60.12.2/24 fd00:60:12::2/64"]
    mtu: 4000
  - endpoints: ["r2:eth1 10.60.2.1/24", "h3:eth0 10.60.2.3/24"]
    state: down
YAML
nothing_left() {
	local what=$1
	for ns in $(ip netns list | awk '{print $1}'); do
		case $ns in t-flt-*) fail "$what: namespace $ns left" ;; esac
	done
	grep -q "/run/netns/t-flt-" /proc/self/mountinfo && fail "$what: a mount of t-flt left"
	[ -e /run/topo/t-flt ] && fail "$what: /run/topo/t-flt left"
	pgrep -f "topo.*t-flt" >/dev/null && fail "$what: a topo process left"
	return 0
}
n=1
while :; do
	rc=0
	TOPO_FAULT_AT=$n "$TOPO" up "$f" --no-probe >"$T_DIR/o" 2>"$T_DIR/e" || rc=$?
	[ $rc = 0 ] && break
	[ $rc = 1 ] || fail "fault at $n: exit $rc: $(cat "$T_DIR/e")"
	grep -q "injected fault" "$T_DIR/e" || fail "fault at $n not reported: $(cat "$T_DIR/e")"
	run_topo 0 up "$f" --no-probe
	run_topo 0 plan "$f"
	# The same fault during down: down reports it, the next down finishes.
	rc=0
	TOPO_FAULT_AT=$(( (n % 7) + 1 )) "$TOPO" down t-flt >/dev/null 2>"$T_DIR/e" || rc=$?
	[ $rc = 0 ] || grep -q "injected fault" "$T_DIR/e" || fail "down fault not reported"
	run_topo 0 down t-flt
	nothing_left "fault at $n"
	n=$((n + 1))
	[ $n -lt 400 ] || fail "no success after 400 faults"
done
[ $n -gt 40 ] || fail "only $n kernel changes for this lab: fault injection not reached"
run_topo 0 plan "$f"
run_topo 0 down t-flt
nothing_left "the end"
pass "a fault at each of $((n - 1)) kernel changes: reported, converged, removed"
