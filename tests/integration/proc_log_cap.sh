# A process's log stays under its cap (PROC_LOG_MAX, 8 MiB): past it, the
# supervisor moves it to NAME.log.1 and empties it, and the program writes
# on at the start. `topo logs` prints both, and `logs -f` follows across.
source "$(dirname "$0")/lib.sh"
L=t-logcap
lab $L
f="$T_DIR/lab.yaml"
dir=/run/topo/$L/h1
# 9 MB of x, a line ONE; after the cut, TWO.
cat >"$f" <<'YAML'
name: t-logcap
nodes:
  h1:
    run:
      - name: chatty
        cmd: "head -c 9000000 /dev/zero | tr '\\0' x; echo; echo ONE; while [ ! -e /run/topo/t-logcap/h1/chatty.log.1 ]; do sleep 0.1; done; echo TWO; exec sleep 1000"
YAML
run_topo 0 up "$f" --no-probe
"$TOPO" logs $L h1 chatty -f >"$T_DIR/follow" 2>&1 &
T_PIDS+=("$!")
wait_until grep -q TWO "$dir/chatty.log"
old=$(stat -c %s "$dir/chatty.log.1")
now=$(stat -c %s "$dir/chatty.log")
[ "$old" -ge 9000005 ] && [ "$old" -le $((8 << 21)) ] || fail "chatty.log.1 has $old bytes"
[ "$now" -lt 100 ] || fail "chatty.log was not emptied: $now bytes"
tail -c 5 "$dir/chatty.log.1" | grep -qx ONE || fail "chatty.log.1 does not end with ONE"
run_topo 0 logs $L h1 chatty
[ "$(grep -c '' <<<"$OUT")" = 3 ] || fail "logs does not print the old log then the new"
contains "$(tail -2 <<<"$OUT")" $'ONE\nTWO'
wait_until grep -q TWO "$T_DIR/follow"
grep -q ONE "$T_DIR/follow" || fail "logs -f lost what came before the cut"
pass "a log past 8 MiB moves to NAME.log.1 and starts again; logs prints both, -f follows across"
run_topo 0 down $L
[ ! -e "$dir" ] || fail "down left $dir"
