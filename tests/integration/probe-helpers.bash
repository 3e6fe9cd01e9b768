# Helpers for the probe_*.sh tests: build a lab's namespaces by hand, the way
# `topo up` lays them out (node N of prefix P is the netns P-N), so that the
# prober is tested on its own. Sourced after lib.sh.

# pr_node PREFIX NODE...: namespaces with lo up.
pr_node() {
	local p=$1 n; shift
	for n in "$@"; do
		own_netns "$p-$n"
		ip -n "$p-$n" link set lo up
	done
}

# pr_link NS_A IF_A NS_B IF_B: a veth pair, both ends up.
pr_link() {
	ip link add "pr$$-t" type veth peer name "pr$$-u"
	ip link set "pr$$-t" netns "$1" name "$2"
	ip link set "pr$$-u" netns "$3" name "$4"
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

# pr_addr NS IF CIDR...: addresses, IPv6 without duplicate address detection.
pr_addr() {
	local ns=$1 dev=$2 a; shift 2
	for a in "$@"; do
		case $a in
		*:*) ip -n "$ns" addr add "$a" dev "$dev" nodad ;;
		*) ip -n "$ns" addr add "$a" dev "$dev" ;;
		esac
	done
}

# pr_router NS: forward IPv4 and IPv6.
pr_router() {
	ip netns exec "$1" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
}

# pr_triangle PREFIX: h1 - r1 - h2, dual stack, r1 a router with addresses on
# lo, default routes on the hosts (as pr_triangle_yaml describes it).
pr_triangle() {
	local p=$1
	pr_node "$p" r1 h1 h2
	pr_link "$p-h1" eth0 "$p-r1" eth1
	pr_link "$p-h2" eth0 "$p-r1" eth2
	pr_addr "$p-h1" eth0 10.0.1.2/24 2001:db8:1::2/64
	pr_addr "$p-r1" eth1 10.0.1.1/24 2001:db8:1::1/64
	pr_addr "$p-h2" eth0 10.0.2.2/24 2001:db8:2::2/64
	pr_addr "$p-r1" eth2 10.0.2.1/24 2001:db8:2::1/64
	pr_addr "$p-r1" lo 10.255.0.1/32 2001:db8:ff::1/128
	pr_router "$p-r1"
	ip -n "$p-h1" route add default via 10.0.1.1
	ip -n "$p-h1" -6 route add default via 2001:db8:1::1
	ip -n "$p-h2" route add default via 10.0.2.1
	ip -n "$p-h2" -6 route add default via 2001:db8:2::1
}

# pr_triangle_yaml NAME PREFIX: the lab file of pr_triangle, up to `probes:`.
pr_triangle_yaml() {
	cat <<YAML
name: $1
prefix: $2
nodes:
  r1:
    kind: router
    addresses:
      lo: [10.255.0.1/32, "2001:db8:ff::1/128"]
  h1:
    routes: [default via 10.0.1.1, "default via 2001:db8:1::1"]
  h2:
    routes: [default via 10.0.2.1, "default via 2001:db8:2::1"]
links:
  - endpoints: ["h1:eth0 10.0.1.2/24 2001:db8:1::2/64", "r1:eth1 10.0.1.1/24 2001:db8:1::1/64"]
  - endpoints: ["h2:eth0 10.0.2.2/24 2001:db8:2::2/64", "r1:eth2 10.0.2.1/24 2001:db8:2::1/64"]
YAML
}

# pr_py: the system python3 (json, xml.etree), not a pyenv one.
pr_py() { /usr/bin/python3 "$@"; }
