# Host links: an endpoint on node `host` is a veth end in the root
# namespace, marked "topo:<lab>", reachable from the host, changed in place,
# and gone after `down` (also by lab name). A host interface of the same name
# that is not the lab's is refused before anything is made.
# Traffic goes only between the lab's node and the lab's own host end.
source "$(dirname "$0")/lib.sh"
lab t-hostlink
HIF=t-hostl0		# the host end: a name no one else uses
CLASH=t-hostlc		# a host interface of the test's own, not the lab's
cleanup_host() {
	ip link del "$CLASH" 2>/dev/null || true
}
trap 'rc=$?; set +e; cleanup_host; (exit $rc); t_cleanup' EXIT

cat >"$T_DIR/lab.yaml" <<YAML
name: t-hostlink
defaults:
  sysctl: { net.ipv6.conf.all.disable_ipv6: 1, net.ipv6.conf.default.disable_ipv6: 1 }
nodes:
  a: {}
links:
  - endpoints: ["a:eth0 10.79.0.2/24", "host:$HIF 10.79.0.1/24"]
probes:
  - { from: a, to: 10.79.0.1 }      # the lab reaches the host end
YAML
run_topo 2 plan "$T_DIR/lab.yaml"
contains "$OUT" "+ link t-hostlink-a:eth0 <-> host:$HIF" "plan"
contains "$OUT" "+ addr host:$HIF 10.79.0.1/24" "plan"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
contains "$(ip -d link show "$HIF")" "alias topo:t-hostlink" "ip -d link show $HIF"
contains "$(ip addr show dev "$HIF")" "10.79.0.1/24" "ip addr show dev $HIF"
ping -c1 -W2 10.79.0.2 >/dev/null || fail "the host cannot reach its lab's node 10.79.0.2"
nsexec t-hostlink-a ping -c1 -W2 10.79.0.1 >/dev/null || fail "the node cannot reach 10.79.0.1"
run_topo 0 plan "$T_DIR/lab.yaml"
contains "$OUT" "No changes." "plan after up"
run_topo 0 status t-hostlink
contains "$OUT" "<-> host:$HIF" "status"
contains "$OUT" "host $HIF" "status"
run_topo 0 status t-hostlink --json
contains "$OUT" "\"host\"" "status --json"
run_topo 0 probe "$T_DIR/lab.yaml"
pass "a host link: marked, reachable from the host and from the lab, in sync, shown"

# save writes the host end back as the `host` end of its link; the saved
# file makes no change.
run_topo 0 save t-hostlink
contains "$OUT" "- { node: host, iface: $HIF, addresses: [10.79.0.1/24]" "save"
lacks "$OUT" "Left out" "save"
echo "$OUT" >"$T_DIR/saved.yaml"
run_topo 0 plan "$T_DIR/saved.yaml"
contains "$OUT" "No changes." "plan of the saved file"
pass "save keeps a host link"

# An edit in place: the host end's address is one change.
sed -i "s|host:$HIF 10.79.0.1/24|host:$HIF 10.79.0.3/24|" "$T_DIR/lab.yaml"
run_topo 2 plan "$T_DIR/lab.yaml"
contains "$OUT" "~ addr host:$HIF 10.79.0.3/24" "plan of a changed host address"
contains "$OUT" "Plan: 0 to add, 1 to change, 0 to destroy." "plan of a changed host address"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
ping -c1 -W2 10.79.0.2 >/dev/null || fail "the host cannot reach 10.79.0.2 after the edit"
pass "the host end's address changed in place"

# The file drops the host link: its host end goes, the node stays.
cp "$T_DIR/lab.yaml" "$T_DIR/with-link.yaml"
printf 'name: t-hostlink\nnodes:\n  a: {}\n' >"$T_DIR/lab.yaml"
run_topo 2 plan "$T_DIR/lab.yaml"
contains "$OUT" "<-> host:$HIF" "plan of a dropped host link"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
! ip link show "$HIF" >/dev/null 2>&1 || fail "$HIF is still there after the file dropped it"
netns_exists t-hostlink-a || fail "the node went with its host link"
cp "$T_DIR/with-link.yaml" "$T_DIR/lab.yaml"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
ip link show "$HIF" >/dev/null 2>&1 || fail "$HIF is not made again"
pass "a host link the file drops is deleted, and made again when it is back"

# down by lab name, without the file: no interface with the lab's mark left.
run_topo 0 down t-hostlink
! ip link show "$HIF" >/dev/null 2>&1 || fail "$HIF is still there after down"
lacks "$(ip -d link show)" "alias topo:t-hostlink" "the host's interfaces after down"
pass "down removes the host end"

# A clash: an unmarked host interface of the same name is refused, nothing made.
ip link add "$HIF" type veth peer name "$CLASH"
run_topo 1 plan "$T_DIR/lab.yaml"
contains "$ERR" "interface $HIF exists in the host namespace and is not owned by lab t-hostlink" "plan"
run_topo 1 up "$T_DIR/lab.yaml" --no-probe
contains "$ERR" "interface $HIF exists in the host namespace and is not owned by lab t-hostlink" "up"
! netns_exists t-hostlink-a || fail "up made a namespace despite the clash"
ip link show "$HIF" >/dev/null 2>&1 || fail "topo touched the unmarked $HIF"
lacks "$(ip -d link show "$HIF")" "alias" "the unmarked $HIF"
run_topo 0 down t-hostlink
ip link show "$HIF" >/dev/null 2>&1 || fail "down deleted the unmarked $HIF"
pass "an unmarked host interface of the same name is refused and left alone"
