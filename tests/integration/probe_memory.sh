#!/bin/bash
# The prober's memory does not grow with count x targets: it keeps the
# exchanges in flight and running totals, not `count` exchanges per target.
# 100 targets x 10000 echoes (the most a file may ask for: 1,000,000 packets)
# held a million exchanges (about 210 MB) at once.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/probe-helpers.bash"

P=prmem
pr_node $P h1 h2
pr_link $P-h1 eth0 $P-h2 eth0
pr_addr $P-h1 eth0 10.0.8.1/24
addrs=()
for i in $(seq 2 101); do
	pr_addr $P-h2 eth0 10.0.8.$i/24
	addrs+=("10.0.8.$i/24")
done
f="$T_DIR/lab.yaml"
cat >"$f" <<YAML
name: pr-memory
prefix: $P
nodes:
  h1: {}
  h2:
    addresses:
      eth0: [$(IFS=,; echo "${addrs[*]}")]
links:
  - endpoints: ["h1:eth0 10.0.8.1/24", "h2:eth0"]
probes:
  - { from: h1, to: h2, count: 10000 }
YAML

"$TOPO" probe "$f" >"$T_DIR/out" 2>"$T_DIR/err" & pid=$!
T_PIDS+=($pid)
sleep 1.5
kill -0 $pid 2>/dev/null || fail "topo probe ended early: $(cat "$T_DIR/err")"
hwm=$(awk '/^VmHWM/ {print $2}' /proc/$pid/status)
kill -TERM $pid
wait $pid || true
echo "peak RSS after 1.5 s: $hwm kB"
[ "$hwm" -lt 40000 ] || fail "peak RSS $hwm kB for 100 targets x 10000 echoes"
pass "memory stays small with count x targets (peak $hwm kB)"
