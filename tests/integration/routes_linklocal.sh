#!/bin/bash
# IPv6 routes via link-local gateways, end to end: the routers' links carry
# only link-local addresses (fe80::1, fe80::2 given in the file), routes
# and a multipath route name a link-local gateway with its device, and h1
# reaches h2's global address across them. A gateway onlink through a
# device works the same way for IPv4.
source "$(dirname "$0")/lib.sh"
L=t-rll
lab $L

cat >"$T_DIR/lab.yaml" <<YAML
name: $L
nodes:
  r1:
    kind: router
    # the onlink gateways' own addresses, answered for on any link (arp_ignore 0)
    addresses: { lo: [10.77.0.1/32] }
    routes:
      - "2001:db8:9::/64 via fe80::2 dev eth1"
      - "2001:db8:8::/64 nexthops: [via fe80::2 dev eth1, via fe80::4 dev eth2]"
      - 10.0.9.0/24 via 10.77.0.2 dev eth1 onlink
  r2:
    kind: router
    addresses: { lo: ["2001:db8:8::1/128", 10.77.0.2/32] }
    routes:
      - "2001:db8:1::/64 via fe80::1 dev eth1"
      - 10.0.1.0/24 via 10.77.0.1 dev eth1 onlink
  h1: { routes: [default via 10.0.1.1, "default via 2001:db8:1::1"] }
  h2: { routes: [default via 10.0.9.1, "default via 2001:db8:9::1"] }
links:
  - endpoints: ["h1:eth0 10.0.1.2/24 2001:db8:1::2/64", "r1:eth0 10.0.1.1/24 2001:db8:1::1/64"]
  - endpoints: ["r1:eth1 fe80::1/64", "r2:eth1 fe80::2/64"]
  - endpoints: ["r1:eth2 fe80::3/64", "r2:eth2 fe80::4/64"]
  - endpoints: ["r2:eth0 10.0.9.1/24 2001:db8:9::1/64", "h2:eth0 10.0.9.2/24 2001:db8:9::2/64"]
probes:
  - { from: h1, to: "2001:db8:9::2" }
  - { from: h1, to: "2001:db8:8::1" }
  - { from: h1, to: 10.0.9.2 }
YAML
run_topo 0 up "$T_DIR/lab.yaml"
contains "$OUT" "probes: 3 passed, 0 failed"
contains "$(ip -n $L-r1 -6 route show 2001:db8:9::/64)" "via fe80::2 dev eth1 proto 116"
contains "$(ip -n $L-r1 route show 10.0.9.0/24)" "via 10.77.0.2 dev eth1 proto 116 onlink"
run_topo 0 plan "$T_DIR/lab.yaml"
pass "h1 reaches h2 over link-local (and onlink) gateways; nothing left to do"

run_topo 0 down $L
