# plan, up and probe take a lab's name as well as its file: the name means
# the file its last `up` kept. `up LAB --prune` brings a lab changed by
# hand back to that file and still records the original file as where the
# lab came from. (status, down, graph and capture take both already:
# status_drift.sh, up_basic.sh, graph_live.sh, capture.sh.)
source "$(dirname "$0")/lib.sh"
lab t-lof
cat >"$T_DIR/lab.yaml" <<'YAML'
name: t-lof
nodes: { h1: {}, h2: {} }
links:
  - endpoints: ["h1:eth0 10.3.0.1/24", "h2:eth0 10.3.0.2/24"]
probes:
  - { from: h1, to: h2 }
YAML
run_topo 0 up "$T_DIR/lab.yaml" --no-probe

run_topo 0 probe t-lof
contains "$OUT" "probes: 1 passed, 0 failed"
pass "probe LAB"

run_topo 0 plan t-lof
contains "$OUT" "No changes."
ip -n t-lof-h1 addr add 10.3.0.9/24 dev eth0
ip -n t-lof-h2 link set eth0 mtu 1400
run_topo 2 plan t-lof --prune
contains "$OUT" "10.3.0.9/24"
contains "$OUT" "mtu"
pass "plan LAB"

run_topo 0 up t-lof --prune --no-probe
run_topo 0 status t-lof
contains "$OUT" "in sync with the file"
[ "$(cat /run/topo/t-lof/lab.path)" = "$(realpath "$T_DIR/lab.yaml")" ] ||
	fail "up LAB recorded $(cat /run/topo/t-lof/lab.path) as the lab's file"
run_topo 0 up t-lof
contains "$OUT" "No changes"
pass "up LAB"

# a name that is no lab here, and an argument that is neither
run_topo 1 probe t-lof-none
contains "$ERR" "lab t-lof-none is not up on this machine"
run_topo 1 up t-lof-none
contains "$ERR" "lab t-lof-none is not up on this machine"
run_topo 1 plan 'Not A Lab'
contains "$ERR" "'Not A Lab' is neither a lab file nor a lab name"
run_topo 0 probe --help
contains "$OUT" "usage: topo probe FILE|LAB"
pass "what is neither"

run_topo 0 down t-lof
run_topo 1 plan t-lof
contains "$ERR" "lab t-lof is not up on this machine"
