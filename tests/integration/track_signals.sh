# SIGINT and SIGTERM stop every long phase of up and down (reading the lab,
# applying, deleting) at a safe point, with a message, and exit with the
# shell's status for the signal: 130 for SIGINT, 143 for SIGTERM.
source "$(dirname "$0")/lib.sh"
lab t-trk-sig
f="$T_DIR/lab.yaml"
"$TOPO" generate chain 400 --name t-trk-sig >"$f"
run_topo 0 up "$f" --no-probe
# The time a no-change up (one read of the lab) takes, to aim inside it.
s=$(date +%s%N); run_topo 0 up "$f" --no-probe; e=$(date +%s%N)
span=$(( (e - s) / 1000 ))

# sig_run SIG DELAY_US ARGS...: topo ARGS, SIG after DELAY_US; sets RC.
sig_run() {
	local sig=$1 at=$2; shift 2
	"$TOPO" "$@" >"$T_DIR/o" 2>"$T_DIR/e" & local pid=$!
	wait_catches $pid "$sig"
	sleep "$(printf '%d.%06d' $(( at / 1000000 )) $(( at % 1000000 )))"
	kill -"$sig" $pid 2>/dev/null || true
	RC=0; wait $pid || RC=$?
}
# check SIG WHAT: RC is 0 (done before the signal) or the signal's status
# with topo's message (not a death by the signal). 1 when it interrupted.
check() {
	local want=$(( 128 + $(kill -l "$1") ))
	[ $RC = 0 ] && return 1
	[ $RC = $want ] || fail "$2, SIG$1: exit $RC, expected $want: $(cat "$T_DIR/e")"
	grep -q "interrupted" "$T_DIR/e" || fail "$2, SIG$1: no message (killed?): $(cat "$T_DIR/e")"
	return 0
}

hits=0
for i in $(seq 8); do
	for sig in INT TERM; do
		sig_run $sig $(( span / 5 + RANDOM % (span / 2 + 1) )) up "$f" --no-probe
		if check $sig "up reading the lab"; then
			hits=$((hits + 1))
			grep -q "interrupted while reading the lab" "$T_DIR/e" ||
				fail "SIG$sig in the read: $(cat "$T_DIR/e")"
		fi
	done
done
[ $hits -gt 0 ] || fail "no signal arrived while up read the lab: the test proved nothing"
run_topo 0 plan "$f"
pass "SIGINT/SIGTERM while up reads the lab: 130/143 with a message ($hits of 16), nothing changed"

# During apply: a fresh up of the whole lab.
hits=0
for sig in INT TERM INT TERM; do
	run_topo 0 down t-trk-sig
	sig_run $sig $(( span * 2 )) up "$f" --no-probe
	check $sig "up applying" && hits=$((hits + 1))
	run_topo 0 up "$f" --no-probe
	run_topo 0 plan "$f"
done
[ $hits -gt 0 ] || fail "no signal arrived during apply: the test proved nothing"
pass "SIGINT/SIGTERM during apply: 130/143, and the next up converges ($hits of 4)"

# During down.
hits=0
for i in $(seq 6); do
	for sig in INT TERM; do
		run_topo 0 up "$f" --no-probe
		sig_run $sig $(( span / 4 + RANDOM % (span / 2 + 1) )) down t-trk-sig
		check $sig "down" && hits=$((hits + 1))
		run_topo 0 down t-trk-sig
		grep -q '^t-trk-sig-' <<<"$(ls /run/netns)" && fail "down after an interrupted down left namespaces"
	done
done
[ $hits -gt 0 ] || fail "no signal arrived during down: the test proved nothing"
pass "SIGINT/SIGTERM during down: 130/143, and the next down removes everything ($hits of 12)"

# Waiting for the lab's lock (another topo holds it): a signal ends the wait.
run_topo 0 up "$f" --no-probe
flock -o /run/topo/t-trk-sig/lab.lock sleep 30 & T_PIDS+=($!)
sleep 0.3
for sig in INT TERM; do
	for cmd in "up $f --no-probe" "down t-trk-sig"; do
		s=$(date +%s)
		sig_run $sig 300000 $cmd
		[ $(( $(date +%s) - s )) -lt 10 ] || fail "$cmd waited on after SIG$sig"
		check $sig "$cmd waiting for the lock" || fail "$cmd did not wait for the lock"
		grep -q "interrupted while waiting for lab t-trk-sig" "$T_DIR/e" || fail "$cmd: $(cat "$T_DIR/e")"
	done
done
pkill -TERM -P "${T_PIDS[-1]}" 2>/dev/null || true
kill "${T_PIDS[-1]}" 2>/dev/null || true
wait "${T_PIDS[-1]}" 2>/dev/null || true
pass "SIGINT/SIGTERM end a wait for the lab's lock: 130/143"
