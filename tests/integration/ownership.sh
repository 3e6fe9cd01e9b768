# topo never touches what it does not own: a clashing unmarked namespace, the
# user's own namespaces sharing the lab's prefix, and drift inside the lab.
source "$(dirname "$0")/lib.sh"
lab t-own
cat >"$T_DIR/lab.yaml" <<'YAML'
name: t-own
nodes: { a: {}, b: {} }
links:
  - endpoints: ["a:eth0 10.3.0.1/24", "b:eth0 10.3.0.2/24"]
YAML
# A foreign namespace with the name node b would get, holding something of its own.
own_netns t-own-b
ip -n t-own-b link set lo up
ip -n t-own-b addr add 192.0.2.99/32 dev lo
# The user's own namespace that merely shares the prefix.
own_netns t-own-mine
ip -n t-own-mine addr add 192.0.2.98/32 dev lo

run_topo 1 up "$T_DIR/lab.yaml"
contains "$ERR" "t-own-b"
contains "$ERR" "not owned"
netns_exists t-own-a && fail "up created t-own-a despite the clash"
contains "$(ip -n t-own-b -o addr)" "192.0.2.99/32" "foreign namespace"
run_topo 1 plan "$T_DIR/lab.yaml"
contains "$OUT$ERR" "t-own-b"
pass "a clash with an unmarked namespace is an error naming it; nothing made"

ip netns del t-own-b
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
# Drift: an address and a route added by hand inside the lab.
ip -n t-own-a addr add 10.3.0.77/24 dev eth0
ip -n t-own-a route add 10.77.0.0/16 via 10.3.0.2
run_topo 0 plan "$T_DIR/lab.yaml"
contains "$OUT" "drift"
contains "$OUT" "10.3.0.77/24"
contains "$OUT" "10.77.0.0/16"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
contains "$ERR" "drift"
contains "$(ip -n t-own-a -o addr)" "10.3.0.77/24" "drift after plain up"
run_topo 2 plan "$T_DIR/lab.yaml" --prune
run_topo 0 up "$T_DIR/lab.yaml" --no-probe --prune
lacks "$(ip -n t-own-a -o addr)" "10.3.0.77/24" "after --prune"
lacks "$(ip -n t-own-a route)" "10.77.0.0/16" "after --prune"
pass "drift is shown, kept by up, removed by up --prune"

run_topo 0 down t-own
netns_exists t-own-mine || fail "down removed the user's namespace t-own-mine"
contains "$(ip -n t-own-mine -o addr)" "192.0.2.98/32" "user's namespace"
netns_exists t-own-a && fail "down left t-own-a"
pass "down leaves the user's namespaces alone"
