# Probes from the host (`from: host`): sent from the root namespace through
# the lab's own host end, bound to it, so that they never follow the host's
# routes. A probe from the host reaches a node (icmp, tcp, udp) and is named
# `host` in the table and JSON; an address of the lab's subnet that no node
# has fails (exit 3). The safety proof: a route of the host's own (to a
# namespace this test makes) leads the same address elsewhere, and the
# host's ping takes it; the probe does not, and that namespace receives not
# one IP packet. A host interface with the host end's name that is not the
# lab's is never sent through. IPv6 too, link-local included.
source "$(dirname "$0")/lib.sh"
lab t-probehost
HIF=t-probh0		# the host end
DIF=t-probhd0		# the decoy's end in the host: the test's own
DNS=t-probehost-decoy	# the decoy namespace: the test's own
cleanup_host() {
	ip link del "$DIF" 2>/dev/null || true
	ip link del "$HIF" 2>/dev/null || true	# only the unmarked one of the last case
}
trap 'rc=$?; set +e; cleanup_host; (exit $rc); t_cleanup' EXIT

lab_yaml() {	# lab_yaml PROBES...: the lab, then its probes
	cat <<YAML
name: t-probehost
defaults:
  sysctl: { net.ipv6.conf.all.disable_ipv6: 1, net.ipv6.conf.default.disable_ipv6: 1 }
nodes:
  r1: { kind: router, addresses: { lo: [10.255.81.1/32] } }
  a: { routes: [default via 10.82.0.1] }
links:
  - endpoints: ["r1:eth0 10.81.0.2/24 10.84.0.2/24", "host:$HIF 10.81.0.1/24 10.84.0.1/24"]
  - endpoints: ["a:eth0 10.82.0.2/24", "r1:eth1 10.82.0.1/24"]
probes:
YAML
	printf '  - %s\n' "$@"
}

lab_yaml "{ from: host, to: r1 }" \
	"{ from: host, to: 10.81.0.2, proto: tcp, port: 7 }" \
	"{ from: host, to: \"r1:eth0\", proto: udp, port: 9 }" \
	"{ from: r1, to: 10.81.0.1 }" >"$T_DIR/lab.yaml"
run_topo 0 up "$T_DIR/lab.yaml"
contains "$OUT" "host" "up's probe table"
run_topo 0 probe "$T_DIR/lab.yaml"
contains "$OUT" "host  r1       10.81.0.2  icmp   reachable  ok" "probe table"
lacks "$OUT" "10.255.81.1" "probe table (r1's loopback is in no host end's subnet)"
lacks "$OUT" "10.82.0.1" "probe table (r1's eth1 is in no host end's subnet)"
run_topo 0 probe "$T_DIR/lab.yaml" --json
contains "$OUT" '"from":"host"' "probe --json"
pass "a probe from the host reaches r1 through its host end (icmp, tcp, udp), named host"

# The source is the host end's address in the target's subnet: a server of
# the test's own in r1 writes down who asked.
nsexec t-probehost-r1 /usr/bin/python3 -c '
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("10.84.0.2", 5000))
open("'"$T_DIR"'/ready", "w").close()
while True:
    data, peer = u.recvfrom(2048)
    open("'"$T_DIR"'/peer", "w").write(peer[0])
    u.sendto(data, peer)' &
T_PIDS+=($!)
wait_until test -e "$T_DIR/ready"
lab_yaml "{ from: host, to: 10.84.0.2, proto: udp, port: 5000 }" >"$T_DIR/src.yaml"
run_topo 0 probe "$T_DIR/src.yaml"
contains "$OUT" "udp/5000" "probe to the test's server"
[ "$(cat "$T_DIR/peer")" = 10.84.0.1 ] ||
	fail "the probe came from $(cat "$T_DIR/peer"), not the host end's 10.84.0.1"
pass "a probe from the host comes from the host end's address in the target's subnet"

# save keeps the probes from the host with the host end they go through.
run_topo 0 save t-probehost
contains "$OUT" "- { from: host, to: r1 }" "save"
lacks "$OUT" "Left out" "save"
pass "save keeps a probe from the host"

# An address of the host end's subnet that no node has: the probe fails.
# A node with no address in a host end's subnet: nothing to probe, a failure.
lab_yaml "{ from: host, to: 10.81.0.9, timeout: 300ms }" "{ from: host, to: a }" >"$T_DIR/absent.yaml"
run_topo 3 probe "$T_DIR/absent.yaml"
contains "$OUT" "0 passed, 2 failed" "probe of an absent address"
contains "$OUT" "nothing to probe: a has no address in the subnet of a host end" "probe table"
pass "a probe from the host to an absent address of the lab fails"

# The decoy: the host's own /32 route leads 10.81.0.77 into a namespace of
# this test's, where that address answers. Unbound, the host's ping goes
# there; the probe, bound to the host end, must not.
own_netns "$DNS"
ip link add "$DIF" type veth peer name d0 netns "$DNS"
sysctl -qw "net.ipv6.conf.$DIF.disable_ipv6=1"
nsexec "$DNS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip addr add 10.83.0.1/24 dev "$DIF"
ip link set "$DIF" up
ip -n "$DNS" addr add 10.83.0.2/24 dev d0
ip -n "$DNS" addr add 10.81.0.77/32 dev d0
ip -n "$DNS" link set d0 up
ip -n "$DNS" link set lo up
ip route add 10.81.0.77/32 via 10.83.0.2 dev "$DIF"
ping -c1 -W2 10.81.0.77 >/dev/null || fail "the decoy does not answer the host's own ping"
in_ip() { nsexec "$DNS" awk '$1 == "Ip:" && $4 ~ /^[0-9]+$/ { print $4 }' /proc/net/snmp; }
before=$(in_ip)
lab_yaml "{ from: host, to: 10.81.0.77, timeout: 300ms }" \
	"{ from: host, to: 10.81.0.77, proto: tcp, port: 7, timeout: 300ms }" \
	"{ from: host, to: 10.81.0.77, proto: udp, port: 9, timeout: 300ms }" >"$T_DIR/decoy.yaml"
run_topo 3 probe "$T_DIR/decoy.yaml"
contains "$OUT" "0 passed, 3 failed" "probe past the host's own route"
after=$(in_ip)
[ "$before" = "$after" ] ||
	fail "the decoy namespace received $((after - before)) IP packets from the probes"
pass "a probe from the host leaves through its host end only, never by the host's own route"

# Not the lab's: with the lab down, an unmarked interface of the host end's
# name is never probed through (and topo says why).
run_topo 0 down t-probehost
ip link add "$HIF" type veth peer name t-probhp
ip link set "$HIF" up
lab_yaml "{ from: host, to: 10.81.0.2 }" >"$T_DIR/icmp.yaml"
run_topo 1 probe "$T_DIR/icmp.yaml"
contains "$ERR" "host end $HIF is not lab t-probehost's" "probe through an unmarked interface"
pass "an interface named like the host end that is not the lab's is refused"

# IPv6: a global address through the host end's subnet, a link-local one
# out of the host end on its link.
lab t-probehost6
cat >"$T_DIR/v6.yaml" <<YAML
name: t-probehost6
nodes:
  r1: { addresses: { eth0: ["fe80::2/64"] } }
links:
  - endpoints: ["r1:eth0 2001:db8:87::2/64", "host:t-probh6 2001:db8:87::1/64"]
probes:
  - { from: host, to: r1 }
  - { from: host, to: "fe80::2", proto: udp, port: 9 }
YAML
run_topo 0 up "$T_DIR/v6.yaml"
contains "$OUT" "probes: 3 passed, 0 failed" "up of an IPv6 lab"
grep -Eq "^host +r1 +fe80::2 +icmp .* ok" <<<"$OUT" || fail "no link-local probe from the host:"$'\n'"$OUT"
pass "a probe from the host over IPv6, global and link-local"
