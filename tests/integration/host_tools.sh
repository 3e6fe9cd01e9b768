# --host on the commands that read a lab file without making it: validate
# names a host's part (its nodes, LAN bridges and tunnels) and refuses a
# host the lab lacks; graph draws one host's part, the nodes of other hosts
# that its links reach as stubs, and each crossing link as a tunnel. No
# kernel is touched: the lab is never up.
source "$(dirname "$0")/lib.sh"
cd "$T_DIR"

cat >lab.yaml <<'YAML'
name: t-hosttools
hosts:
  a: { address: 192.0.2.10 }
  b: { address: 192.0.2.11 }
  c: { address: 192.0.2.12 }
nodes:
  h1: {}
  r1: { kind: router }
  r2: { kind: router, host: b }
  r3: { host: c }
  r4: { host: c }
links:
  - endpoints: ["h1:eth0 10.0.1.2/24", "r1:eth0 10.0.1.1/24"]
  - endpoints: ["r1:eth1 10.0.12.1/24", "r2:eth1 10.0.12.2/24"]
  - endpoints: ["r2:eth2 10.0.23.1/24", "r3:eth2 10.0.23.2/24"]
  - endpoints: ["r1:eth2 10.0.13.1/24", "r3:eth3 10.0.13.2/24"]
lans:
  seg: { members: ["r3:eth5 10.0.5.1/24", "r4:eth0 10.0.5.2/24", "r2:eth5 10.0.5.3/24"] }
YAML
"$TOPO" generate chain 2 --name t-hosttools1 >one.yaml

run_topo 0 validate lab.yaml
valid_line=$OUT
[ "$(wc -l <<<"$OUT")" = 1 ] || fail "validate without --host says more than it did: $OUT"
run_topo 0 validate lab.yaml --host a
[ "$OUT" = "$valid_line"$'\n'"host a: 2 nodes, 2 tunnels (1 to b, 1 to c)" ] || fail "validate --host a: $OUT"
run_topo 0 validate lab.yaml --host b
contains "$OUT" "host b: 1 node, 3 tunnels (1 to a, 2 to c)"
run_topo 0 validate lab.yaml --host c
contains "$OUT" "host c: 2 nodes, 1 LAN bridge, 3 tunnels (1 to a, 2 to b)"
run_topo 1 validate lab.yaml --host d
contains "$ERR" "topo: --host d: lab t-hosttools has no such host (it has a (192.0.2.10), b (192.0.2.11), c (192.0.2.12))"
[ -z "$OUT" ] || fail "validate --host d printed: $OUT"
run_topo 1 validate one.yaml --host a
contains "$ERR" "topo: --host a: lab t-hosttools1 has no 'hosts:' (it runs on one machine)"
run_topo 1 validate lab.yaml --host
contains "$ERR" "--host needs a value"
pass "validate --host: the host's nodes and tunnels; a host the lab lacks is an error"

run_topo 0 graph lab.yaml
for n in h1 r1 r2 r3 r4; do contains "$OUT" "\"$n\" [label=\"$n"; done
lacks "$OUT" "tunnel to host"
whole=$OUT
run_topo 0 graph lab.yaml --host b
contains "$OUT" 'label="lab t-hosttools\n(host b'"'"'s part)"'
contains "$OUT" '"r2" [label="r2\nrouter"'
contains "$OUT" '"r1" [label="r1\non host a", shape=box, style=dashed'
contains "$OUT" '"r3" [label="r3\non host c"'
contains "$OUT" '[label="LAN seg\non host c"'
contains "$OUT" 'r1:eth1 10.0.12.1/24\nr2:eth1 10.0.12.2/24\ntunnel to host a"'
contains "$OUT" 'r2:eth5 10.0.5.3/24\ntunnel to host c"'
lacks "$OUT" '"h1"'
lacks "$OUT" '"r4"'
lacks "$OUT" '"r1" -- "r3"'
run_topo 0 graph lab.yaml --host c --format mermaid
contains "$OUT" 'title: "lab t-hosttools (host c'"'"'s part)"'
contains "$OUT" "class n1 remote"
contains "$OUT" '<br/>tunnel to host a"|'
lacks "$OUT" '"h1'
if command -v dot >/dev/null; then
	"$TOPO" graph lab.yaml --host a | dot -Tsvg >/dev/null || fail "dot refuses graph --host a"
fi
run_topo 1 graph lab.yaml --host d
contains "$ERR" "topo: --host d: lab t-hosttools has no such host"
run_topo 0 graph lab.yaml
[ "$OUT" = "$whole" ] || fail "graph without --host changed between runs"
pass "graph --host: the host's part, stubs for the nodes of other hosts, tunnels said"
