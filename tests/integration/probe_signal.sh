#!/bin/bash
# SIGINT and SIGTERM end a run of probes at once, for `topo probe` and for the
# probes of `topo up`: exit 130 / 143 within about a second, no topo process
# left, and none of topo's listeners left in the lab's namespaces.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/probe-helpers.bash"

P=prsg
pr_triangle $P
f="$T_DIR/lab.yaml"
{
	pr_triangle_yaml pr-signal $P
	# 10.0.1.99 is on h1's own link and nobody has it: each echo waits out its 30 s.
	cat <<'YAML'
probes:
  - { from: h1, to: 10.0.1.99, timeout: 30s, expect: unreachable }
  - { from: h1, to: h2, proto: tcp, port: 7411, count: 100 }
  - { from: h2, to: r1, proto: udp, port: 7412, count: 100 }
YAML
} >"$f"

# listeners NS: what listens on topo's ports in NS.
listeners() { ip netns exec "$1" ss -lntuH | grep -E ':741[12]\b' || true; }

# interrupt SIG WANT ARGS...: run topo ARGS, send SIG after 0.5 s, expect exit WANT within 1 s.
interrupt() {
	local sig=$1 want=$2 rc=0 s e; shift 2
	"$TOPO" "$@" >"$T_DIR/out" 2>"$T_DIR/err" & local pid=$!
	sleep 0.5
	[ -n "$(listeners $P-h2)" ] || fail "$*: topo's listener in h2 is not up after 0.5 s"
	s=$(date +%s%N)
	kill -"$sig" $pid
	wait $pid || rc=$?
	e=$(date +%s%N)
	[ "$rc" = "$want" ] || fail "$* after SIG$sig: exit $rc, expected $want; stderr: $(cat "$T_DIR/err")"
	[ $(( (e - s) / 1000000 )) -lt 1000 ] || fail "$* took $(( (e - s) / 1000000 )) ms to stop"
	kill -0 $pid 2>/dev/null && fail "topo is still running"
	for n in h1 h2 r1; do
		[ -z "$(listeners $P-$n)" ] || fail "$* after SIG$sig: a listener left in $n: $(listeners $P-$n)"
	done
	contains "$(cat "$T_DIR/err")" "stopped by signal"
	pass "topo $1 stops on SIG$sig with exit $want"
}

interrupt INT 130 probe "$f"
interrupt TERM 143 probe "$f" --json

# `up` of a lab whose namespaces exist is refused (not topo's): make a real one.
Q=prsu
g="$T_DIR/up.yaml"
cat >"$g" <<YAML
name: pr-sigup
prefix: $Q
nodes:
  a: {}
  b: {}
links:
  - endpoints: ["a:eth0 10.0.7.1/24", "b:eth0 10.0.7.2/24"]
probes:
  - { from: a, to: 10.0.7.99, timeout: 30s, expect: unreachable }
  - { from: a, to: b, proto: tcp, port: 7411, count: 100 }
YAML
lab pr-sigup
run_topo 0 up "$g" --no-probe
interrupt_up() {
	local rc=0; "$TOPO" up "$g" >"$T_DIR/out" 2>"$T_DIR/err" & local pid=$!
	sleep 0.5
	[ -n "$(listeners $Q-b)" ] || fail "up: topo's listener in b is not up after 0.5 s"
	kill -"$1" $pid
	wait $pid || rc=$?
	[ "$rc" = "$2" ] || fail "up after SIG$1: exit $rc, expected $2; stderr: $(cat "$T_DIR/err")"
	for n in a b; do
		[ -z "$(listeners $Q-$n)" ] || fail "up after SIG$1: a listener left in $n"
	done
	pass "topo up stops its probes on SIG$1 with exit $2"
}
interrupt_up TERM 143
interrupt_up INT 130
pgrep -f "$TOPO (probe|up) $T_DIR" >/dev/null && fail "a topo process is left"
pass "no topo process left"
