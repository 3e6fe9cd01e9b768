# Addresses the kernel treats specially converge: static IPv6 link-local
# addresses and a route through a link-local gateway (observe used to drop
# every fe80:: address as the kernel's, so each up added it again: "File
# exists"), and a loopback address gets host scope as iproute2 gives it.
source "$(dirname "$0")/lib.sh"
lab t-llad
cat >"$T_DIR/lab.yaml" <<'YAML'
name: t-llad
nodes:
  h1:
    addresses: { lo: [127.0.0.2/8] }
    routes: ["2001:db8:9::/64 via fe80::2 dev eth0"]
  h2:
    addresses: { lo: [2001:db8:9::1/128] }
links:
  - endpoints: ["h1:eth0 fe80::1/64", "h2:eth0 fe80::2/64"]
YAML
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
contains "$OUT" "No changes" "second up"
run_topo 0 plan "$T_DIR/lab.yaml"
contains "$OUT" "No changes" "plan"
pass "static link-local addresses and a link-local gateway converge"

# (output captured first: `ip … | grep -q` fails under pipefail when grep
# leaves before ip has written everything)
routes=$(ip -n t-llad-h1 -6 route show 2001:db8:9::/64)
contains "$routes" "via fe80::2 dev eth0" "h1's routes"
addrs=$(ip -n t-llad-h1 -6 addr show dev eth0)
contains "$addrs" "inet6 fe80::1/64" "h1 eth0's addresses"
# the kernel's own link-local address stays, and is not shown as topo's
grep "inet6 fe80::" <<<"$addrs" | grep -vq "fe80::1/64" ||
	fail "the kernel's link-local address is gone: $addrs"
nsexec t-llad-h1 ping -6 -c1 -W1 fe80::2%eth0 >/dev/null || fail "ping6 fe80::2%eth0"
nsexec t-llad-h1 ping -6 -c1 -W1 2001:db8:9::1 >/dev/null || fail "ping6 via fe80::2"
pass "link-local neighbour and gateway reachable"

lo4=$(ip -n t-llad-h1 -4 addr show dev lo)
grep "127.0.0.2/8" <<<"$lo4" | grep -q "scope host" ||
	fail "127.0.0.2/8 scope: $(ip -n t-llad-h1 -4 addr show dev lo)"
pass "loopback address has host scope"

# gone from the file: topo deletes its own link-local address
sed -i 's|"h2:eth0 fe80::2/64"|"h2:eth0"|' "$T_DIR/lab.yaml"
sed -i 's|via fe80::2 dev eth0|dev eth0|' "$T_DIR/lab.yaml"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
addrs=$(ip -n t-llad-h2 -6 addr show dev eth0)
lacks "$addrs" "fe80::2/64" "h2 eth0's addresses"
contains "$addrs" "inet6 fe80::" "h2 eth0's addresses (the kernel's link-local)"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
contains "$OUT" "No changes" "up after removing fe80::2"
pass "a link-local address dropped from the file is deleted, the kernel's kept"

run_topo 0 down t-llad
