# topo capture: a pcap of one interface that tcpdump reads, to a file or
# live through a pipe; stops at --count, --duration, SIGTERM or when the
# reader goes; bad names are errors and no file is made for them.
source "$(dirname "$0")/lib.sh"
need_tool tcpdump
need_tool setpriv "util-linux"
lab t-capture
# No IPv6: its router solicitations and MLD reports would come at any
# moment and take the place of the pings in a --count.
cat >"$T_DIR/lab.yaml" <<'YAML'
name: t-capture
prefix: t-capp        # namespaces t-capp-*: capture finds nodes by mark
defaults:
  sysctl: { net.ipv6.conf.all.disable_ipv6: 1, net.ipv6.conf.default.disable_ipv6: 1 }
nodes:
  h1: {}
  h2: {}
links:
  - endpoints: ["h1:eth0 10.77.0.1/24", "h2:eth0 10.77.0.2/24"]
YAML
run_topo 0 up "$T_DIR/lab.yaml" --no-probe
cd "$T_DIR"
# Warm ARP up, so that the captures below are the pings.
nsexec t-capp-h1 ping -c1 -W2 10.77.0.2 >/dev/null || fail "h1 cannot ping h2"

# wait_listening ERRFILE: until topo capture says it has bound its socket.
wait_listening() {
	local i
	for i in $(seq 100); do
		grep -q "listening on" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "topo capture never listened: $(cat "$1")"
}

# 1. To a file, stopped by --count while the pings go on.
timeout 20 "$TOPO" capture t-capture h1:eth0 -w a.pcap --count 4 2>cap1.err &
cap=$!
wait_listening cap1.err
nsexec t-capp-h1 ping -c 5 -i 0.2 -W1 10.77.0.2 >/dev/null || fail "pings lost"
rc=0; wait $cap || rc=$?
[ $rc = 0 ] || fail "capture --count exited $rc: $(cat cap1.err)"
contains "$(cat cap1.err)" "4 packets captured on h1:eth0 into a.pcap" "capture's summary"
out=$(tcpdump -r a.pcap -nn -tt 2>&1) || fail "tcpdump cannot read a.pcap: $out"
[ "$(grep -c . <<<"$out")" = 5 ] || fail "not 4 packets (and tcpdump's header line): $out"
contains "$out" "IP 10.77.0.1 > 10.77.0.2: ICMP echo request" "tcpdump -r a.pcap"
contains "$out" "IP 10.77.0.2 > 10.77.0.1: ICMP echo reply" "tcpdump -r a.pcap"
contains "$out" "link-type EN10MB (Ethernet)" "tcpdump -r a.pcap"
# Timestamps are the packets' own, in seconds since the epoch.
first=$(sed -n 2p <<<"$out" | cut -d. -f1)
[ $(( $(date +%s) - first )) -lt 60 ] || fail "timestamp $first is not now"
pass "file, --count, addresses as sent"

# 2. Live on a pipe: tcpdump prints as packets come (topo flushes each one),
#    and when tcpdump has had its two, topo stops cleanly on the broken pipe.
nsexec t-capp-h1 ping -c 40 -i 0.2 -W1 10.77.0.2 >/dev/null &
T_PIDS+=($!)
rc=0
timeout 20 bash -c '"$0" capture t-capture h2:eth0 -w - 2>cap2.err | tcpdump -c 2 -nn -r - >pipe.out 2>/dev/null;
	exit ${PIPESTATUS[0]}' "$TOPO" || rc=$?
[ $rc = 0 ] || fail "capture -w - | tcpdump -c 2: exit $rc: $(cat cap2.err)"
contains "$(cat pipe.out)" "IP 10.77.0.1 > 10.77.0.2: ICMP echo request" "tcpdump -r -"
contains "$(cat pipe.out)" "IP 10.77.0.2 > 10.77.0.1: ICMP echo reply" "tcpdump -r -"
contains "$(cat cap2.err)" "into standard output" "capture's summary"
pass "-w - into tcpdump -r -, live"

# 3. SIGTERM, and --duration: a complete file, exit 0.
timeout 20 "$TOPO" capture "$T_DIR/lab.yaml" h2:eth0 -w term.pcap 2>cap3.err &
cap=$!
wait_listening cap3.err
sleep 0.5
kill -TERM $cap
rc=0; wait $cap || rc=$?
[ $rc = 0 ] || fail "capture stopped by SIGTERM exited $rc: $(cat cap3.err)"
out=$(tcpdump -r term.pcap -nn 2>&1) || fail "tcpdump cannot read term.pcap: $out"
contains "$out" "ICMP echo request" "tcpdump -r term.pcap"
rc=0; timeout 20 "$TOPO" capture t-capture h1:eth0 -w dur.pcap --duration 700ms 2>cap4.err || rc=$?
[ $rc = 0 ] || fail "capture --duration exited $rc: $(cat cap4.err)"
tcpdump -r dur.pcap -nn >/dev/null 2>&1 || fail "tcpdump cannot read dur.pcap"
pass "SIGTERM and --duration stop with a whole file"

# 4. lo: a packet is kept once, not leaving and arriving.
timeout 20 "$TOPO" capture t-capture h1:lo -w lo.pcap --count 2 2>cap5.err &
cap=$!
wait_listening cap5.err
nsexec t-capp-h1 ping -c 2 -i 0.2 127.0.0.1 >/dev/null || fail "ping on lo"
rc=0; wait $cap || rc=$?
[ $rc = 0 ] || fail "capture on lo exited $rc: $(cat cap5.err)"
out=$(tcpdump -r lo.pcap -nn 2>&1)
contains "$out" "127.0.0.1 > 127.0.0.1: ICMP echo request" "tcpdump -r lo.pcap"
contains "$out" "127.0.0.1 > 127.0.0.1: ICMP echo reply" "tcpdump -r lo.pcap"
pass "lo without doubles"

# 5. Errors: exit 1, named, and no file made.
run_topo 1 capture t-capture h1:eth9 -w bad.pcap
contains "$ERR" "node h1 of lab t-capture has no interface 'eth9' (it has: lo, eth0)"
[ ! -e bad.pcap ] || fail "a file was made for a bad interface"
run_topo 1 capture t-capture h9:eth0
contains "$ERR" "lab t-capture has no node h9"
run_topo 1 capture "$T_DIR/lab.yaml" h9:eth0
contains "$ERR" "lab t-capture has no node h9"
run_topo 1 capture t-capture-nope h1:eth0
contains "$ERR" "lab t-capture-nope is not up on this machine"
run_topo 1 capture t-capp h1:eth0
contains "$ERR" "t-capp-* are the namespaces of lab t-capture (a prefix is not a lab's name)"
run_topo 1 capture t-capture h1
contains "$ERR" "'h1' is not NODE:IFACE"
run_topo 1 capture t-capture h1:eth0 --count 0
contains "$ERR" "a bad or missing value for '--count'"
run_topo 1 capture t-capture h1:eth0 --frobnicate
contains "$ERR" "unknown option '--frobnicate'"
run_topo 0 capture t-capture h1:eth0 --help
contains "$OUT" "usage: topo capture FILE|LAB NODE:IFACE [-w FILE|-] [--count N] [--duration D]"
[ -z "$ERR" ] || fail "capture --help wrote to stderr: $ERR"
rc=0; setpriv --inh-caps=-all --bounding-set=-all "$TOPO" capture t-capture h1:eth0 \
	-w nopriv.pcap 2>nopriv.err || rc=$?
[ $rc = 1 ] || fail "capture without privileges: exit $rc"
contains "$(cat nopriv.err)" "capture needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN"
[ ! -e nopriv.pcap ] || fail "a file was made without privileges"
ls ./*.pcap >files.txt
lacks "$(cat files.txt)" "h1-eth0.pcap" "files made by errors"
pass "bad interface, node, lab and options: exit 1, nothing written"

# 6. The output is not opened through a symlink; the default name is NODE-IFACE.pcap.
echo keep >target
ln -s target h1-eth0.pcap
run_topo 1 capture t-capture h1:eth0 --count 1
contains "$ERR" "h1-eth0.pcap: Too many levels of symbolic links (a symlink: not followed)"
[ "$(cat target)" = keep ] || fail "the symlink's target was written"
rm h1-eth0.pcap
rc=0; timeout 20 "$TOPO" capture t-capture h1:eth0 --duration 200ms 2>cap6.err || rc=$?
[ $rc = 0 ] && [ -f h1-eth0.pcap ] || fail "no h1-eth0.pcap by default: $(cat cap6.err)"
pass "O_NOFOLLOW, default file name"

# 7. An interface taken down and up again is followed; one deleted ends it (exit 1).
timeout 20 "$TOPO" capture t-capture h1:eth0 -w flap.pcap 2>cap7.err &
cap=$!
wait_listening cap7.err
ip -n t-capp-h1 link set eth0 down
ip -n t-capp-h1 link set eth0 up
for i in $(seq 50); do
	nsexec t-capp-h1 ping -c1 -W1 10.77.0.2 >/dev/null 2>&1 && break
	sleep 0.1
done
kill -TERM $cap
rc=0; wait $cap || rc=$?
[ $rc = 0 ] || fail "capture across down/up exited $rc: $(cat cap7.err)"
contains "$(tcpdump -r flap.pcap -nn 2>&1)" "ICMP echo reply" "capture after down/up"
timeout 20 "$TOPO" capture t-capture h2:eth0 -w gone.pcap 2>cap8.err &
cap=$!
wait_listening cap8.err
ip -n t-capp-h2 link del eth0
rc=0; wait $cap || rc=$?
[ $rc = 1 ] || fail "capture of a deleted interface exited $rc: $(cat cap8.err)"
contains "$(cat cap8.err)" "h2:eth0 is gone (the lab went down?)"
tcpdump -r gone.pcap -nn >/dev/null 2>&1 || fail "tcpdump cannot read gone.pcap"
pass "down and up followed, deleted ends it with a whole file"

run_topo 0 down t-capture
run_topo 1 capture t-capture h1:eth0 -w after.pcap
contains "$ERR" "lab t-capture is not up on this machine"
