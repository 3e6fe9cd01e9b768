#!/bin/bash
# The prober bounds its descriptors by RLIMIT_NOFILE: sources run in waves
# (their sockets exist while their targets run), namespace fds close once the
# sockets are made, and listeners close with their last target. A 60-node
# chain under `ulimit -n 64` once needed two descriptors per node at once
# (the chain is short enough for a TTL of 64).
source "$(dirname "$0")/lib.sh"

lab pr-fds
f="$T_DIR/lab.yaml"
"$TOPO" generate chain 60 --name pr-fds >"$f"
cat >>"$f" <<'YAML'
  - { from: "*", to: n2, proto: tcp, port: 7420 }
  - { from: "*", to: n60, proto: udp, port: 7421 }
YAML
run_topo 0 up "$f" --no-probe
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] || [ "$hard" -ge 64 ] || skip "hard descriptor limit $hard is below 64"
rc=0
(ulimit -n 64; exec "$TOPO" probe "$f") >"$T_DIR/out" 2>"$T_DIR/err" || rc=$?
[ "$rc" = 0 ] || fail "probe under ulimit -n 64: exit $rc: $(cat "$T_DIR/err") $(grep -v '  ok ' "$T_DIR/out" | head -5)"
contains "$(cat "$T_DIR/out")" ", 0 failed"
pass "every target of a 60-node chain under ulimit -n 64"
