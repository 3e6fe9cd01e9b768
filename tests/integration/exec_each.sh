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
contains "$OUT" "Ran 1 exec command."
[ "$(cat "$log")" = $'one\ntwo' ] || fail "after adding one: $(cat "$log")"
pass "a command added after others runs alone"

# Removed: forgotten, its effect left; plan says so.
write "echo one >> $log" "echo two >> $log"
run_topo 2 plan "$f"
contains "$OUT" "- exec t-execeach-a 'ip route add blackhole 10.71.0.0/24' (forgotten, not undone: what it did stays, yours to undo)"
run_topo 0 up "$f" --no-probe -v
contains "$OUT" "forget exec 'ip route add blackhole 10.71.0.0/24' (what it did stays, yours to undo)"
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

# A record written by an older topo (one hash of the whole list): the
# same list has run and runs nothing; a command added runs alone, and the
# record is then one command a line.
legacy_hash() {
	python3 -c '
import sys
h = 0xcbf29ce484222325
for c in sys.argv[1:]:
    for b in c.encode() + b"\0":
        h = ((h ^ b) * 0x100000001b3) % 2**64
print("%016x" % (h or 1))' "$@"
}
rec=
for c in /run/topo/t-execeach/exec-a /run/topo/t-execeach/a/exec; do
	[ -f "$c" ] && rec=$c
done
[ -n "$rec" ] || fail "no exec record of node a"
cmds=("echo one >> $log" "echo two >> $log" "ip route add blackhole 10.71.0.0/24" "echo three >> $log")
legacy_hash "${cmds[@]}" >"$rec"
run_topo 0 plan "$f"
write "${cmds[@]}" "echo four >> $log"
run_topo 0 up "$f" --no-probe
[ "$(cat "$log")" = $'one\ntwo\nthree\nfour' ] || fail "after an older record: $(cat "$log")"
[ "$(wc -l <"$rec")" = 5 ] || fail "record not one command a line: $(cat "$rec")"
run_topo 0 plan "$f"
# an older record of another list: the list runs again, as it did then
legacy_hash "echo other" >"$rec"
write "echo five >> $log"
run_topo 0 up "$f" --no-probe
[ "$(tail -1 "$log")" = five ] || fail "after an older record of another list: $(cat "$log")"
run_topo 0 plan "$f"
pass "a record of an older topo: the same list stays run"

run_topo 0 down t-execeach
