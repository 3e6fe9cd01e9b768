# SIGKILL at random moments during up and down (20 trials each way), and
# SIGINT/SIGTERM stopping cleanly: afterwards up converges and down leaves
# nothing.
source "$(dirname "$0")/lib.sh"
lab t-sig
f="$T_DIR/lab.yaml"
"$TOPO" generate chain 40 --name t-sig >"$f"
nothing_left() {
	for ns in $(ip netns list | awk '{print $1}'); do
		case $ns in t-sig-*) fail "$1: namespace $ns left" ;; esac
	done
	grep -q "/run/netns/t-sig-" /proc/self/mountinfo && fail "$1: a mount of t-sig left"
	[ -e /run/topo/t-sig ] && fail "$1: /run/topo/t-sig left"
	return 0
}
# Time a full up once, to aim the kills inside it.
s=$(date +%s%N); run_topo 0 up "$f" --no-probe; e=$(date +%s%N)
span=$(( (e - s) / 1000 ))	# microseconds
run_topo 0 down t-sig
for i in $(seq 20); do
	at=$(( RANDOM * 32768 + RANDOM ))
	at=$(( at % (span + 1) ))
	"$TOPO" up "$f" --no-probe >/dev/null 2>&1 & pid=$!
	sleep "$(printf '0.%06d' "$at")"
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	run_topo 0 up "$f" --no-probe
	run_topo 0 plan "$f"
	# and a kill during down
	"$TOPO" down t-sig >/dev/null 2>&1 & pid=$!
	sleep "$(printf '0.%06d' $(( at / 4 )))"
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	run_topo 0 down t-sig
	nothing_left "SIGKILL trial $i"
done
pass "20 SIGKILLs during up and down: up converged, down left nothing"

interrupted=0
for sig in INT TERM INT TERM; do
	"$TOPO" up "$f" --no-probe >"$T_DIR/o" 2>"$T_DIR/e" & pid=$!
	wait_catches $pid $sig
	sleep "$(printf '0.%06d' $(( span / 3 )))"
	kill -$sig $pid 2>/dev/null || true
	rc=0; wait $pid || rc=$?
	if [ $rc != 0 ]; then
		[ $rc = $(( 128 + $(kill -l $sig) )) ] || fail "SIG$sig: exit $rc"
		grep -qE "interrupted (after|while)" "$T_DIR/e" || fail "SIG$sig: no message: $(cat "$T_DIR/e")"
		interrupted=$((interrupted + 1))
	fi
	run_topo 0 up "$f" --no-probe
	run_topo 0 plan "$f"
	run_topo 0 down t-sig
	nothing_left "SIG$sig"
done
[ $interrupted -gt 0 ] || fail "no signal arrived during an up: the test proved nothing"
pass "SIGINT and SIGTERM stop at a safe point with a message ($interrupted of 4 interrupted)"
