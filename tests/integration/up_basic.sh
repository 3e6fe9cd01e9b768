# up from nothing, an idempotent second up, status, exec, list, down twice.
# labels: stock-kernel
source "$(dirname "$0")/lib.sh"
lab t-basic
cat >"$T_DIR/lab.yaml" <<'YAML'
name: t-basic
nodes:
  h1:
    addresses: { lo: [10.255.1.1/32, "fd00:255::1/128"] }
    routes: ["10.9.0.0/24 via 10.1.0.2", { to: "fd00:9::/64", via: "fd00:1::2", metric: 50 }]
    sysctl: { net.ipv4.conf.all.rp_filter: 0 }
  h2: {}
links:
  - endpoints: ["h1:eth0 10.1.0.1/24, fd00:1::1/64", "h2:eth0 10.1.0.2/24 fd00:1::2/64"]
    mtu: 9000
  - endpoints:
      - { node: h1, iface: eth1, addresses: [10.2.0.1/24], mac: "02:00:00:00:00:11" }
      - { node: h2, iface: eth1, addresses: [10.2.0.2/24] }
YAML
# Looking at a lab that is not up changes nothing, not even /run/topo.
run_topo 2 plan "$T_DIR/lab.yaml"
contains "$OUT" "Plan: "
run_topo 1 status "$T_DIR/lab.yaml"
contains "$ERR" "lab t-basic is not up on this machine"
[ -e /run/topo/t-basic ] && fail "plan or status of a lab that is not up made /run/topo/t-basic"

run_topo 0 up "$T_DIR/lab.yaml" --no-probe
contains "$OUT" "Apply complete"
for n in h1 h2; do
	netns_exists "t-basic-$n" || fail "namespace t-basic-$n missing"
	# the ownership mark on lo
	grep -q "alias topo:t-basic:$n" <<<"$(ip -n "t-basic-$n" -o link show lo)" || fail "no mark on t-basic-$n lo"
done
pass "namespaces made and marked"

addrs=$(ip -n t-basic-h1 -o addr show)
contains "$addrs" "10.1.0.1/24"
contains "$addrs" "fd00:1::1/64"
contains "$addrs" "10.255.1.1/32"
contains "$addrs" "fd00:255::1/128"
lacks "$addrs" "tentative" "IPv6 addresses"
[ "$(ip -n t-basic-h1 -o link show eth0 | grep -o 'mtu [0-9]*')" = "mtu 9000" ] || fail "mtu not 9000"
[ "$(ip -n t-basic-h2 -o link show eth0 | grep -o 'mtu [0-9]*')" = "mtu 9000" ] || fail "peer mtu not 9000"
grep -q "02:00:00:00:00:11" <<<"$(ip -n t-basic-h1 -o link show eth1)" || fail "mac not set"
[ "$(ifindex t-basic-h1 eth0)" != "$(ifindex t-basic-h2 eth0)" ] || fail "veth ends share an ifindex"
contains "$(ip -n t-basic-h1 route)" "10.9.0.0/24 via 10.1.0.2 dev eth0"
contains "$(ip -n t-basic-h1 -6 route)" "fd00:9::/64 via fd00:1::2 dev eth0"
contains "$(ip -n t-basic-h1 -6 route)" "metric 50"
[ "$(nsexec t-basic-h1 sysctl -n net.ipv4.conf.all.rp_filter)" = 0 ] || fail "sysctl not set"
[ "$(nsexec t-basic-h1 sysctl -n net.ipv4.ip_forward)" = 0 ] || fail "host forwards"
nsexec t-basic-h1 ping -c1 -W2 10.1.0.2 >/dev/null || fail "h1 cannot ping h2 over IPv4"
nsexec t-basic-h1 ping -6 -c1 -W2 fd00:1::2 >/dev/null || fail "h1 cannot ping h2 over IPv6 right after up"
pass "interfaces, addresses, routes, sysctls as declared; pings work at once"

run_topo 0 up "$T_DIR/lab.yaml" --no-probe
contains "$OUT" "No changes"
run_topo 0 plan "$T_DIR/lab.yaml"
contains "$OUT" "No changes."
pass "second up changes nothing; plan says so with exit 0"

run_topo 0 status "$T_DIR/lab.yaml"
contains "$OUT" "node h1 (netns t-basic-h1)"
contains "$OUT" "10.2.0.1/24"
contains "$OUT" "in sync with the file"
run_topo 0 status t-basic --json
/usr/bin/python3 -c '
import json,sys
d=json.loads(sys.stdin.read())
assert d["lab"]=="t-basic", d
n={x["node"]:x for x in d["nodes"]}
eth0=[i for i in n["h1"]["interfaces"] if i["name"]=="eth0"][0]
assert eth0["mtu"]==9000 and eth0["up"] and "10.1.0.1/24" in eth0["addresses"], eth0
assert eth0["peer"]=={"namespace":"t-basic-h2","name":"eth0"}, eth0
assert d["drift"]==[] and d["pending"]==[], d
' <<<"$OUT" || fail "status --json wrong: $OUT"
pass "status text and JSON"

run_topo 0 exec t-basic h2 -- ip -o addr show eth1
contains "$OUT" "10.2.0.2/24"
run_topo 7 exec t-basic h1 -- sh -c 'exit 7'
run_topo 1 exec t-basic nosuch -- true
contains "$ERR" "lab t-basic has no node nosuch"
run_topo 0 list
contains "$OUT" "t-basic"
pass "exec passes exit status; list shows the lab"

run_topo 0 down t-basic
contains "$OUT" "2 namespaces deleted"
netns_exists t-basic-h1 && fail "t-basic-h1 left behind"
netns_exists t-basic-h2 && fail "t-basic-h2 left behind"
[ -e /run/topo/t-basic ] && fail "/run/topo/t-basic left behind"
run_topo 0 down "$T_DIR/lab.yaml"
contains "$OUT" "nothing on this machine"
run_topo 0 list
lacks "$OUT" "t-basic"
pass "down removes everything; twice is fine"

# A lab whose namespace prefix is not its name: asking for the prefix as a
# lab says what is (and is not) there.
lab t-basic-p
printf 'name: t-basic-p\nprefix: t-bpx\nnodes:\n  a: {}\n' >"$T_DIR/p.yaml"
run_topo 0 up "$T_DIR/p.yaml" --no-probe
run_topo 1 status t-bpx
contains "$ERR" "lab t-bpx is not up on this machine"
contains "$ERR" "t-bpx-* are the namespaces of lab t-basic-p"
run_topo 1 exec t-bpx a -- true
contains "$ERR" "t-bpx-* are the namespaces of lab t-basic-p"
run_topo 0 down t-bpx
contains "$OUT" "Lab t-bpx has nothing on this machine."
netns_exists t-bpx-a || fail "down of the prefix deleted the lab"
run_topo 1 status t-basic-nosuch
lacks "$ERR" "are the namespaces of lab"
run_topo 0 down t-basic-p
pass "a prefix given as a lab name: not up, and which lab it is"
