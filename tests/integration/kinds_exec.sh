# Node kinds (router forwards, bridge switches), exec commands run once and
# again only when they change, bad input changes nothing.
source "$(dirname "$0")/lib.sh"
lab t-kind
f="$T_DIR/lab.yaml"
mark="$T_DIR/exec-count"
cat >"$f" <<YAML
name: t-kind
nodes:
  sw: { kind: bridge }
  r: { kind: router, addresses: { lo: [10.20.255.1/32] } }
  a: { routes: ["default via 10.20.0.1"], exec: ["echo run >> $mark", "ip link set eth0 promisc on"] }
  b: { routes: ["default via 10.20.0.1"] }
  c: { routes: ["default via 10.21.0.1"] }
links:
  - endpoints: ["a:eth0 10.20.0.2/24", "sw:p1"]
  - endpoints: ["b:eth0 10.20.0.3/24", "sw:p2"]
  - endpoints: ["r:eth0 10.20.0.1/24", "sw:p3"]
  - endpoints: ["r:eth1 10.21.0.1/24", "c:eth0 10.21.0.2/24"]
probes:
  - { from: a, to: b }
  - { from: a, to: c }
  - { from: c, to: "r:lo" }
YAML
run_topo 0 up "$f"
contains "$OUT" "probes: 3 passed, 0 failed"
[ "$(nsexec t-kind-r sysctl -n net.ipv4.ip_forward)" = 1 ] || fail "router does not forward IPv4"
[ "$(nsexec t-kind-r sysctl -n net.ipv6.conf.all.forwarding)" = 1 ] || fail "router does not forward IPv6"
for p in p1 p2 p3; do
	grep -q "master br0" <<<"$(ip -n t-kind-sw -o link show "$p")" || fail "$p is not a port of br0"
done
grep -q "UP" <<<"$(ip -n t-kind-sw -o link show br0)" || fail "br0 not up"
pass "router forwards, bridge switches, probes across both pass"

[ "$(wc -l <"$mark")" = 1 ] || fail "exec ran $(wc -l <"$mark") times, expected 1"
grep -q PROMISC <<<"$(ip -n t-kind-a -o link show eth0)" || fail "exec command had no effect in node a"
run_topo 0 up "$f" --no-probe
contains "$OUT" "No changes"
[ "$(wc -l <"$mark")" = 1 ] || fail "exec ran again on an unchanged lab"
sed -i 's/echo run/echo again/' "$f"
run_topo 2 plan "$f"
contains "$OUT" "exec"
run_topo 0 up "$f" --no-probe
[ "$(wc -l <"$mark")" = 2 ] || fail "changed exec did not run again"
pass "exec runs once, and again when its commands change"

# A failing exec command is an error that names it.
sed -i 's/echo again/false \&\& echo x/' "$f"
run_topo 1 up "$f" --no-probe
contains "$ERR" "exec 'false && echo x"
contains "$ERR" "exited with status 1"
sed -i 's/false \&\& echo x/echo fixed/' "$f"
run_topo 0 up "$f" --no-probe
pass "a failing exec command is reported"

# Bad input: exit 1, clear error, and the kernel is untouched.
printf 'name: t-kind2\nnodes: { x: {} }\nlinks:\n  - endpoints: ["x:eth0 10.30.0.1/33", "y:eth0"]\n' >"$T_DIR/bad.yaml"
run_topo 1 up "$T_DIR/bad.yaml"
contains "$ERR" "bad.yaml:4:"
# (Only this lab's names: other tests may be making namespaces meanwhile.)
grep -q "^t-kind2-" <<<"$(ls /run/netns 2>/dev/null)" && fail "bad input made a namespace"
[ -e /run/topo/t-kind2 ] && fail "bad input made /run/topo/t-kind2"
pass "bad input is refused with file:line:col and changes nothing"
