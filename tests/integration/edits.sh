# Editing the file and running up changes exactly that: untouched
# interfaces keep their ifindex, untouched namespaces stay.
# labels: stock-kernel
source "$(dirname "$0")/lib.sh"
lab t-edit
f="$T_DIR/lab.yaml"
write() {	# write LINK0_ADDR MTU MAC STATE ROUTE FWD EXTRA_NODE
	cat >"$f" <<YAML
name: t-edit
nodes:
  r: { kind: $6, routes: ["$5"] }
  h: { routes: ["default via 10.4.0.1"] }
$( [ "$7" = yes ] && echo "  x: {}" )
links:
  - endpoints: ["r:eth0 $1", "h:eth0 10.4.0.2/24"]
    mtu: $2
  - endpoints: [{ node: r, iface: eth1, addresses: [10.5.0.1/24], mac: "$3" }, "h:eth1 10.5.0.2/24"]
    state: $4
$( [ "$7" = yes ] && echo '  - endpoints: ["r:eth2 10.6.0.1/24", "x:eth0 10.6.0.2/24"]' )
YAML
}
nsino() { stat -L -c %i "/run/netns/$1"; }

write 10.4.0.1/24 1500 02:00:00:00:00:01 up "10.8.0.0/16 via 10.4.0.2" host no
run_topo 0 up "$f" --no-probe
idx_h1=$(ifindex t-edit-h eth1); ino_r=$(nsino t-edit-r); ino_h=$(nsino t-edit-h)

check_edit() {	# DESCRIPTION EXPECTED_PLAN_TEXT
	run_topo 2 plan "$f"
	contains "$OUT" "$2" "plan for $1"
	run_topo 0 up "$f" --no-probe
	run_topo 0 plan "$f"
	[ "$(nsino t-edit-r)" = "$ino_r" ] || fail "$1: namespace t-edit-r was recreated"
	[ "$(nsino t-edit-h)" = "$ino_h" ] || fail "$1: namespace t-edit-h was recreated"
	pass "$1"
}

write 10.4.0.9/24 1500 02:00:00:00:00:01 up "10.8.0.0/16 via 10.4.0.2" host no
run_topo 0 up "$f" --no-probe  # h's default route via 10.4.0.1 is still on-link
contains "$(ip -n t-edit-r -o addr show eth0)" "10.4.0.9/24"
lacks "$(ip -n t-edit-r -o addr show eth0)" "10.4.0.1/24"
write 10.4.0.1/24 1500 02:00:00:00:00:01 up "10.8.0.0/16 via 10.4.0.2" host no
check_edit "address change" "10.4.0.1/24"
[ "$(ifindex t-edit-h eth1)" = "$idx_h1" ] || fail "untouched interface changed ifindex"

write 10.4.0.1/24 9000 02:00:00:00:00:01 up "10.8.0.0/16 via 10.4.0.2" host no
check_edit "mtu change" "9000"
grep -q "mtu 9000" <<<"$(ip -n t-edit-h -o link show eth0)" || fail "mtu not applied to the peer"

write 10.4.0.1/24 9000 02:00:00:00:00:02 up "10.8.0.0/16 via 10.4.0.2" host no
check_edit "mac change" "02:00:00:00:00:02"
grep -q "02:00:00:00:00:02" <<<"$(ip -n t-edit-r -o link show eth1)" || fail "mac not applied"

write 10.4.0.1/24 9000 02:00:00:00:00:02 up "10.8.0.0/16 via 10.5.0.2" host no
check_edit "route change" "10.8.0.0/16"
contains "$(ip -n t-edit-r route)" "10.8.0.0/16 via 10.5.0.2"

write 10.4.0.1/24 9000 02:00:00:00:00:02 up "10.8.0.0/16 via 10.5.0.2" router no
check_edit "kind host -> router (forwarding sysctls)" "ip_forward"
[ "$(nsexec t-edit-r sysctl -n net.ipv4.ip_forward)" = 1 ] || fail "router does not forward"

write 10.4.0.1/24 9000 02:00:00:00:00:02 down "10.8.0.0/16 via 10.4.0.2" router no
check_edit "link state down" "eth1"
grep -q "state DOWN" <<<"$(ip -n t-edit-r -o link show eth1)" || fail "eth1 not down"
[ "$(ifindex t-edit-h eth1)" = "$idx_h1" ] || fail "state change recreated the interface"

write 10.4.0.1/24 9000 02:00:00:00:00:02 up "10.8.0.0/16 via 10.4.0.2" router yes
check_edit "add a node and a link" "t-edit-x"
nsexec t-edit-r ping -c1 -W2 10.6.0.2 >/dev/null || fail "new link does not work"

write 10.4.0.1/24 9000 02:00:00:00:00:02 up "10.8.0.0/16 via 10.4.0.2" router no
check_edit "remove the node and its link" "t-edit-x"
netns_exists t-edit-x && fail "removed node left behind"
ip -n t-edit-r link show eth2 >/dev/null 2>&1 && fail "removed link's end left in r"
[ "$(ifindex t-edit-h eth1)" = "$idx_h1" ] || fail "untouched interface changed ifindex"
pass "every edit applied exactly"

# A new prefix renames every namespace. The old ones are no name the file
# uses: up must still know them by the mark on their lo, and remove them.
sed -i '/^name:/a prefix: t-edit2' "$f"
run_topo 2 plan "$f"
contains "$OUT" "t-edit-r" "plan after a prefix change"
run_topo 0 up "$f" --no-probe
netns_exists t-edit-r && fail "namespace under the old prefix left behind"
netns_exists t-edit-h && fail "namespace under the old prefix left behind"
netns_exists t-edit2-r || fail "namespace under the new prefix missing"
nsexec t-edit2-h ping -c1 -W2 10.4.0.1 >/dev/null || fail "renamed lab does not work"
pass "prefix change"
