#!/bin/bash
# `topo probe` on a lab that is not up says which node's namespace is missing,
# and names an empty file under /run/netns (an interrupted create) as what it
# is rather than failing later on a socket.
source "$(dirname "$0")/lib.sh"

P=prn
lab pr-nolab
cat >"$T_DIR/lab.yaml" <<YAML
name: pr-nolab
prefix: $P
nodes:
  h1: {}
probes:
  - { from: h1, to: 10.0.0.2 }
YAML
netns_exists $P-h1 && fail "$P-h1 exists before the test"

run_topo 1 probe "$T_DIR/lab.yaml"
contains "$ERR" "node h1: cannot open namespace $P-h1: No such file or directory (is the lab up?)"
pass "a lab that is not up"

mkdir -p /run/netns
T_NETNS+=($P-h1)
: >"/run/netns/$P-h1"
run_topo 1 probe "$T_DIR/lab.yaml"
contains "$ERR" "node h1: /run/netns/$P-h1 is not a namespace (is the lab up?)"
pass "an empty file where the namespace should be"
rm -f "/run/netns/$P-h1"
