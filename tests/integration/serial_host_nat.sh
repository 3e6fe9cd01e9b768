# nat: true on a host link masquerades the lab's traffic leaving the host by
# another interface. Shown on a second host link of the same lab: node a
# (behind t-hnat0, nat) sends to node b (behind t-hnat1) through the host,
# and a capture in b sees the host end t-hnat1's address as the source;
# without nat it sees a's own. The lab's nftables table and the forwarding
# topo turned on are gone after `down`. Traffic goes only between the lab's
# nodes and the host ends of its own links. serial_: it turns the host's
# net.ipv4.ip_forward on for a moment, which namespaces made meanwhile
# would inherit.
source "$(dirname "$0")/lib.sh"
need_tool tcpdump
need_tool nft nftables
lab t-hostnat
own_netns t-hostnat-kernel
ip netns exec t-hostnat-kernel nft add table ip t 2>/dev/null &&
	ip netns exec t-hostnat-kernel nft add chain ip t p \
		'{ type nat hook postrouting priority srcnat; }' 2>/dev/null ||
	skip "no nftables NAT in this kernel (nf_tables, nft_chain_nat)"
FWD_WAS=$(cat /proc/sys/net/ipv4/ip_forward)
restore_host() {
	# whatever happened, the machine's forwarding is what it was
	echo "$FWD_WAS" >/proc/sys/net/ipv4/ip_forward
	nft delete table ip topo-t-hostnat 2>/dev/null || true
}
trap 'rc=$?; set +e; "$TOPO" down t-hostnat >/dev/null 2>&1; restore_host; (exit $rc); t_cleanup' EXIT

write_lab() {	# write_lab NAT
	cat >"$T_DIR/lab.yaml" <<YAML
name: t-hostnat
defaults:
  sysctl: { net.ipv6.conf.all.disable_ipv6: 1, net.ipv6.conf.default.disable_ipv6: 1 }
nodes:
  a: { routes: [10.81.1.0/24 via 10.81.0.1] }
  b: { routes: [10.81.0.0/24 via 10.81.1.1] }
links:
  - endpoints: ["a:eth0 10.81.0.2/24", "host:t-hnat0 10.81.0.1/24"]
    nat: $1
  - endpoints: ["b:eth0 10.81.1.2/24", "host:t-hnat1 10.81.1.1/24"]
YAML
}

# capture_source: the source address of a's ping as b sees it (by duration:
# the kernel's own IPv6 packets of a new interface may come first).
capture_source() {
	local i out
	rm -f "$T_DIR/b.pcap" "$T_DIR/cap.err"
	timeout 20 "$TOPO" capture t-hostnat b:eth0 -w "$T_DIR/b.pcap" --duration 2s 2>"$T_DIR/cap.err" &
	local cap=$!
	for i in $(seq 100); do
		grep -q "listening on" "$T_DIR/cap.err" 2>/dev/null && break
		sleep 0.1
	done
	nsexec t-hostnat-a ping -c 3 -i 0.2 -W1 10.81.1.2 >/dev/null || fail "a cannot reach b through the host"
	wait $cap || fail "capture: $(cat "$T_DIR/cap.err")"
	out=$(tcpdump -r "$T_DIR/b.pcap" -nn 2>/dev/null)
	sed -n 's/.* IP \([0-9.]*\) > 10\.81\.1\.2: ICMP echo request.*/\1/p' <<<"$out" | head -1
}

write_lab true
run_topo 2 plan "$T_DIR/lab.yaml"
contains "$OUT" "+ nat host masquerade 10.81.0.0/24 leaving by any interface but t-hnat0" "plan"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
nft list table ip topo-t-hostnat >/dev/null 2>&1 || fail "no nftables table topo-t-hostnat"
[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ] || fail "nat did not turn forwarding on"
run_topo 0 status t-hostnat
contains "$OUT" "nat (nftables table ip topo-t-hostnat): masquerade 10.81.0.0/24" "status"
run_topo 0 plan "$T_DIR/lab.yaml"
contains "$OUT" "No changes." "plan after up"
src=$(capture_source)
[ "$src" = 10.81.1.1 ] || fail "b saw source '$src', not the host end 10.81.1.1"
pass "with nat, b sees the host end t-hnat1 (10.81.1.1) as the source"
run_topo 0 save t-hostnat
contains "$OUT" "    nat: true" "save"
echo "$OUT" >"$T_DIR/saved.yaml"
run_topo 0 plan "$T_DIR/saved.yaml"
contains "$OUT" "No changes." "plan of the saved file"
pass "save keeps nat: true"

# nat off: one change; the table goes and forwarding is put back.
write_lab false
run_topo 2 plan "$T_DIR/lab.yaml"
contains "$OUT" "- nat host" "plan without nat"
contains "$OUT" "Plan: 0 to add, 0 to change, 1 to destroy." "plan without nat"
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
! nft list table ip topo-t-hostnat >/dev/null 2>&1 || fail "the nat table is left after nat: false"
[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$FWD_WAS" ] || fail "forwarding not put back"
# Without nat the host must still forward between the lab's two host ends:
# on those two interfaces only (they are the lab's, and go with it).
sysctl -qw net.ipv4.conf.t-hnat0.forwarding=1 net.ipv4.conf.t-hnat1.forwarding=1
src=$(capture_source)
[ "$src" = 10.81.0.2 ] || fail "b saw source '$src' without nat, not a's 10.81.0.2"
pass "without nat, b sees a's own address"

# down by name: no table, forwarding as it was, no host end left.
write_lab true
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
run_topo 0 down t-hostnat
! nft list table ip topo-t-hostnat >/dev/null 2>&1 || fail "the nat table is left after down"
[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$FWD_WAS" ] || fail "down did not put forwarding back"
lacks "$(ip -d link show)" "alias topo:t-hostnat" "the host's interfaces after down"
pass "down removes the nat table and puts forwarding back"

# Its namespaces deleted by hand (their veths, host ends included, go with
# them): down still removes the nat table, and says what it did.
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
for ns in $(ip netns list | awk '{print $1}'); do
	case $ns in t-hostnat-*) ip netns del "$ns" ;; esac
done
# (the output captured first: under pipefail, `ip | grep -q` is false when
# grep's early exit makes the host's long listing die of SIGPIPE)
no_host_ends() { ! grep -q "alias topo:t-hostnat" <<<"$(ip -d link show)"; }
wait_until no_host_ends	# the kernel takes a namespace apart in the background
run_topo 0 down t-hostnat
contains "$OUT" "Lab t-hostnat is down: no namespace was left. Deleted 1 nat table."
! nft list table ip topo-t-hostnat >/dev/null 2>&1 || fail "the nat table is left after down"
[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$FWD_WAS" ] || fail "down did not put forwarding back"
pass "down of a lab whose namespaces are gone removes its nat table and says so"
