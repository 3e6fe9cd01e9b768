# exec is reconciled per command: a new command runs once (alone, even
# after others), a removed one is forgotten (plan says what it did stays),
# a failing one stops up with its stderr; the same file runs nothing.
source "$(dirname "$0")/lib.sh"
lab t-execeach
f="$T_DIR/lab.yaml"
log="$T_DIR/ran"
write() {
	printf 'name: t-execeach\nnodes:\n  a:\n    exec:\n' >"$f"
	for c in "$@"; do printf '      - "%s"\n' "$c" >>"$f"; done
}
write "echo one >> $log" "ip route add blackhole 10.71.0.0/24"
run_topo 0 up "$f" --no-probe
[ "$(cat "$log")" = one ] || fail "first up: $(cat "$log")"
run_topo 0 up "$f" --no-probe
contains "$OUT" "No changes"
run_topo 0 plan "$f"
[ "$(cat "$log")" = one ] || fail "the same file ran again: $(cat "$log")"
pass "each command once; the same file runs nothing"

# Added after the others: only it runs (the route add would fail with
# "File exists" if the list ran again).
write "echo one >> $log" "ip route add blackhole 10.71.0.0/24" "echo two >> $log"
run_topo 2 plan "$f"
contains "$OUT" "+ exec t-execeach-a 'echo two >> $log'"
lacks "$OUT" "echo one"
run_topo 0 up "$f" --no-probe
[ "$(cat "$log")" = $'one\ntwo' ] || fail "after adding one: $(cat "$log")"
pass "a command added after others runs alone"

# Removed: forgotten, its effect left; plan says so.
write "echo one >> $log" "echo two >> $log"
run_topo 2 plan "$f"
contains "$OUT" "- exec t-execeach-a 'ip route add blackhole 10.71.0.0/24' (forgotten, not undone: what it did stays, yours to undo)"
run_topo 0 up "$f" --no-probe
contains "$OUT" "forget exec 'ip route add blackhole 10.71.0.0/24'"
ip -n t-execeach-a route show | grep -q "blackhole 10.71.0.0/24" || fail "forgetting undid the command"
run_topo 0 plan "$f"
[ "$(cat "$log")" = $'one\ntwo' ] || fail "removing one ran others: $(cat "$log")"
pass "a removed command is forgotten, not undone"

# Put back: it is new again, so it runs (and fails, the route is there):
# up stops with the command's stderr; nothing after it runs.
write "echo one >> $log" "echo two >> $log" "ip route add blackhole 10.71.0.0/24" "echo three >> $log"
run_topo 1 up "$f" --no-probe
contains "$ERR" "exec 'ip route add blackhole 10.71.0.0/24' exited with status 2: RTNETLINK answers: File exists"
[ "$(cat "$log")" = $'one\ntwo' ] || fail "a command after the failing one ran: $(cat "$log")"
ip -n t-execeach-a route del blackhole 10.71.0.0/24
run_topo 0 up "$f" --no-probe
[ "$(cat "$log")" = $'one\ntwo\nthree' ] || fail "after the fix: $(cat "$log")"
run_topo 0 plan "$f"
pass "a failing command stops up with its stderr, and runs again next time"

run_topo 0 down t-execeach
