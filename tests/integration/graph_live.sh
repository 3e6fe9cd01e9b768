# topo graph of a lab that is up: as the file says, nothing in red; an
# interface taken down, an address added by hand, a link deleted are
# marked, and the picture stays one Graphviz reads. Without the privilege
# to look, or once the lab is down, the file alone is drawn.
source "$(dirname "$0")/lib.sh"
need_tool dot "Graphviz reads topo graph's output"
need_tool setpriv "util-linux"
lab t-graph
cat >"$T_DIR/lab.yaml" <<'YAML'
name: t-graph
nodes:
  r1: { kind: router, addresses: { lo: [10.255.7.1/32] } }
  h1: {}
  h2: {}
links:
  - endpoints: ["h1:eth0 10.7.1.2/24", "r1:eth1 10.7.1.1/24"]
  - endpoints: ["h2:eth0 10.7.2.2/24", "r1:eth2 10.7.2.1/24"]
YAML
run_topo 0 up "$T_DIR/lab.yaml" --no-probe

# graph_ok ARGS...: topo graph ARGS into $OUT, which dot must accept.
graph_ok() {
	run_topo 0 graph "$@"
	dot -Tcanon <<<"$OUT" >/dev/null || fail "dot -Tcanon refuses: $OUT"
}

graph_ok t-graph
contains "$OUT" 'label="lab t-graph\n(running as the file says)"'
lacks "$OUT" "#cc0000"
graph_ok "$T_DIR/lab.yaml"
contains "$OUT" "(running as the file says)"
pass "a lab as its file says: nothing marked"

ip -n t-graph-r1 link set eth1 down
ip -n t-graph-h2 addr add 10.7.2.99/24 dev eth0
graph_ok t-graph
contains "$OUT" '(running: 2 differences from the file)'
contains "$OUT" '"h1" -- "r1" [label="h1:eth0 10.7.1.2/24\nr1:eth1 10.7.1.1/24 DOWN", color="#cc0000"'
contains "$OUT" '"h2" -- "r1" [label="h2:eth0 10.7.2.2/24 ADDRESSES DIFFER\nr1:eth2 10.7.2.1/24", color="#cc0000"'
run_topo 0 graph t-graph --format mermaid
contains "$OUT" "    linkStyle 0 stroke:#cc0000"
contains "$OUT" "    linkStyle 1 stroke:#cc0000"
run_topo 0 graph t-graph --format svg
contains "$OUT" "</svg>"
pass "down interface and hand-made address marked"

ip -n t-graph-h2 link del eth0
graph_ok t-graph
contains "$OUT" 'h2:eth0 10.7.2.2/24 MISSING\nr1:eth2 10.7.2.1/24 MISSING'
pass "a deleted link marked at both ends"

# Without CAP_SYS_ADMIN and CAP_NET_ADMIN: the file, as it is.
rc=0
out=$(setpriv --inh-caps=-all --bounding-set=-all "$TOPO" graph "$T_DIR/lab.yaml") || rc=$?
[ $rc = 0 ] || fail "graph without privileges: exit $rc"
grep -qF 'label="lab t-graph",' <<<"$out" || fail "graph without privileges: $out"
lacks "$out" "#cc0000"
pass "without privileges, the file alone"

run_topo 0 down t-graph
graph_ok "$T_DIR/lab.yaml"
contains "$OUT" 'label="lab t-graph",'
lacks "$OUT" "running"
run_topo 1 graph t-graph
contains "$ERR" "lab t-graph: no file of it is kept on this machine (it is not up); give its file"
pass "a lab that is down: its file, and its name is not enough"
