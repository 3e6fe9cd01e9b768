# run: processes in nodes: started after the network, logged, ready when
# their port listens, restarted when they died or changed, left alone when
# nothing changed, stopped when the file drops them and on down; a process
# that exits early or is not ready in time fails up, saying why.
source "$(dirname "$0")/lib.sh"
need_tool python3
need_tool ss
L=t-procs
lab $L
f="$T_DIR/lab.yaml"
REC=/run/topo/$L/h1/run

# Every process the test saw, "pid start": killed at exit while still the
# same process (topo down would stop them too; this is for a failing topo),
# then lib.sh's cleanup takes the lab down.
T_SEEN=()
procs_cleanup() {
	local rc=$? p s e
	set +e
	for e in "${T_SEEN[@]}"; do
		read -r p s <<<"$e"
		[ "$(cut -d' ' -f22 "/proc/$p/stat" 2>/dev/null)" = "$s" ] &&
			kill -KILL -- "-$p" "$p" 2>/dev/null
	done
	(exit $rc)
	t_cleanup
}
trap procs_cleanup EXIT

# pid NAME: the pid topo recorded for process NAME of h1 into P (and
# remembered for cleanup)
pid() {
	local s
	read -r _ P s < <(grep '^pid ' "$REC/$1") || fail "no record of $1"
	T_SEEN+=("$P $s")
}
# alive PID: a running process (not a zombie)
alive() { [ -e "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

write() {	# write SLEEP_CMD ENV_VALUE [EXTRA_RUN_ITEM]
	cat >"$f" <<YAML
name: $L
nodes:
  h1:
    run:
      - { name: web, cmd: "sleep 0.5; exec python3 -m http.server 8080 --bind 10.7.0.1", ready: { tcp: 8080 } }
$( [ -n "$1" ] && echo "      - { cmd: \"$1\", env: { A: \"$2\" } }" )
$( [ -n "${3:-}" ] && echo "      - $3" )
  h2: {}
links:
  - endpoints: ["h1:eth0 10.7.0.1/24", "h2:eth0 10.7.0.2/24"]
probes:
  - { from: h2, to: 10.7.0.1, proto: tcp, port: 8080 }
YAML
}

write "sleep 1000" 1
run_topo 2 plan "$f"
contains "$OUT" "+ process h1/web (sleep 0.5; exec python3"
contains "$OUT" "+ process h1/sleep (sleep 1000)"
run_topo 0 up "$f"
contains "$OUT" "h1: start process web (pid"
contains "$OUT" "h1: process web is ready (tcp port 8080)"
# ready: up returned only once the server listened (it starts after 0.5 s)
[ -n "$(nsexec $L-h1 ss -Hltn 'sport = :8080')" ] || fail "up returned before web listened"
contains "$OUT" "probes: 1 passed"
pid web; web=$P; pid sleep; slp=$P
alive "$web" && alive "$slp" || fail "processes not running after up"
pass "processes start after the network; up waits for the tcp port"

# detached: own session, stdin /dev/null, output in the log
[ "$(ps -o sid= -p "$slp" | tr -d ' ')" = "$slp" ] || fail "process is not in its own session"
[ "$(readlink "/proc/$slp/fd/0")" = /dev/null ] || fail "stdin is not /dev/null"
[ "$(readlink "/proc/$slp/fd/1")" = "/run/topo/$L/h1/sleep.log" ] || fail "stdout is not the log"
grep -q "Serving HTTP" "/run/topo/$L/h1/web.log" || sleep 0.5
run_topo 0 logs $L h1 web
contains "$OUT" "Serving HTTP on 10.7.0.1 port 8080"
run_topo 0 logs "$f" h1 sleep
run_topo 1 logs $L h1
contains "$ERR" "node h1 runs 2 processes; name one: sleep web"
run_topo 1 logs $L h1 nosuch
contains "$ERR" "no log of process nosuch in node h1"
pass "detached, logged, topo logs"

run_topo 0 status $L
contains "$OUT" "process web pid $web running since"
run_topo 0 status $L --json
python3 - "$OUT" "$web" <<'PY' || fail "status --json processes"
import json, sys
d = json.loads(sys.argv[1])
h1 = [n for n in d["nodes"] if n["node"] == "h1"][0]
p = {x["name"]: x for x in h1["processes"]}
assert p["web"]["pid"] == int(sys.argv[2]) and p["web"]["state"] == "running", p
assert p["sleep"]["cmd"] == "sleep 1000", p
PY
pass "status lists processes (text and json)"

run_topo 0 plan "$f"
run_topo 0 up "$f" --no-probe
contains "$OUT" "No changes"
lacks "$OUT" "start process"
pid web; w2=$P; pid sleep
[ "$w2" = "$web" ] && [ "$P" = "$slp" ] || fail "up restarted an unchanged process"
pass "nothing changed: nothing restarted"

kill -KILL -- "-$slp"
for _ in $(seq 50); do grep -q '^exit' "$REC/sleep" && break; sleep 0.1; done
run_topo 0 status $L
contains "$OUT" "process sleep pid $slp exited with status 137"
contains "$OUT" "pending: 1 change to match the file"
run_topo 0 status $L --json
contains "$OUT" '"pending":["h1: restart process sleep (exited with status 137)"]'
run_topo 2 plan "$f"
contains "$OUT" "~ process h1/sleep (restart: exited with status 137)"
run_topo 2 plan "$f" --json
contains "$OUT" '"processes":[{"op":"restart","node":"h1","name":"sleep","why":"exited with status 137","text":"h1: restart process sleep (exited with status 137)"}],"add":0,"change":1,"destroy":0'
run_topo 0 up "$f" --no-probe
pid sleep; new=$P
[ "$new" != "$slp" ] && alive "$new" || fail "killed process not restarted"
pid web; [ "$P" = "$web" ] || fail "web restarted with sleep"
slp=$new
# the leader alone (here the shell of `sh -c "sleep 1000"`): what it left
# in its group goes with it, so a restart never finds the old one running
kill -TERM "$slp"
for _ in $(seq 50); do pgrep -g "$slp" >/dev/null || break; sleep 0.1; done
! pgrep -g "$slp" >/dev/null || fail "the command of a killed shell lived on"
run_topo 0 up "$f" --no-probe
contains "$OUT" "h1: start process sleep"
pid sleep; slp=$P
pass "restarted after a kill"

write "sleep 1001" 1
run_topo 2 plan "$f"
contains "$OUT" "~ process h1/sleep (restart: its command, environment or files changed)"
run_topo 0 up "$f" --no-probe
contains "$OUT" "h1: stop process sleep (pid $slp) to restart it"
pid sleep; new=$P
! alive "$slp" && alive "$new" || fail "not restarted after its command changed"
slp=$new
write "sleep 1001" 2
run_topo 0 up "$f" --no-probe
pid sleep; new=$P
! alive "$slp" && alive "$new" || fail "not restarted after its environment changed"
tr '\0' '\n' <"/proc/$new/environ" | grep -qx 'A=2' || fail "env A is not 2"
ps -o args= -p "$(cat /proc/$new/stat | cut -d' ' -f4)" | grep -q 'A=2' && fail "env values on a command line"
slp=$new
pass "restarted after its command or environment changed"

# The node's namespace deleted by hand (the process keeps the old one alive):
# up makes it again and the process runs in the new one.
ip netns del $L-h1
run_topo 2 plan "$f"
contains "$OUT" "~ process h1/sleep (restart: it runs in a namespace of the node deleted since)"
run_topo 0 up "$f" --no-probe
pid sleep; new=$P
! alive "$slp" && alive "$new" || fail "not restarted in the node's new namespace"
[ "$(stat -L -c %i /proc/$new/ns/net)" = "$(stat -L -c %i /run/netns/$L-h1)" ] ||
	fail "restarted process is not in the node's namespace"
pid web; web=$P
slp=$new
pass "restarted in the node's namespace when it was made again"

write "" 1
run_topo 2 plan "$f"
contains "$OUT" "- process h1/sleep (stop pid $slp: no longer in the file)"
run_topo 0 up "$f" --no-probe
! alive "$slp" || fail "process dropped from the file still runs"
[ ! -e "$REC/sleep" ] || fail "record of a dropped process left"
pass "stopped when dropped from the file"

# logs -f follows until the process's record goes
"$TOPO" logs -f $L h1 >"$T_DIR/follow" 2>&1 & fpid=$!; T_PIDS+=("$fpid")
sleep 0.3
write "" 1 '{ name: bad, cmd: "echo boom-early >&2; exit 3", ready: { tcp: 9 } }'
run_topo 1 up "$f" --no-probe
contains "$ERR" "topo: h1: process bad (echo boom-early >&2; exit 3) exited with status 3 before it was ready (tcp port 9)"
contains "$ERR" "  | boom-early"
write "" 1 '{ name: slow, cmd: "echo slow-start; sleep 1000", ready: { udp: 5399, timeout: 300ms } }'
run_topo 1 up "$f" --no-probe
contains "$ERR" "topo: h1: process slow (echo slow-start; sleep 1000) was not ready after 0.3 s (udp port 5399): stopped, exit status 143"
contains "$ERR" "  | slow-start"
pid slow
! alive "$P" || fail "a process not ready in time still runs"
pass "early exit and ready timeout fail up with node, command, status and log"

# ready: file waits until the file is there, as the node sees it
write "" 1 "{ name: pidf, cmd: \"sleep 0.4; echo \$\$ > $T_DIR/pidf.pid; exec sleep 1000\", ready: { file: $T_DIR/pidf.pid } }"
run_topo 0 up "$f" --no-probe
contains "$OUT" "h1: forget process slow (exited with status 143): no longer in the file"
contains "$OUT" "h1: process pidf is ready (file $T_DIR/pidf.pid)"
[ -s "$T_DIR/pidf.pid" ] || fail "up returned before the ready file was written"
pid pidf
pass "ready file"

kill -TERM "$fpid" 2>/dev/null; wait "$fpid" || fail "logs -f did not end with status 0 on SIGTERM"
contains "$(cat "$T_DIR/follow")" "Serving HTTP"

write "sleep 1000" 1
run_topo 0 up "$f" --no-probe
pid sleep; slp=$P; pid web; web=$P
"$TOPO" logs -f $L h1 web >/dev/null 2>&1 & fpid=$!; T_PIDS+=("$fpid")
run_topo 0 down $L
for _ in $(seq 20); do kill -0 "$fpid" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$fpid" 2>/dev/null || fail "logs -f still follows after down"
! alive "$slp" && ! alive "$web" || fail "a process outlived down"
[ ! -e /run/topo/$L ] || fail "down left /run/topo/$L"
pass "down stops every process"
