#!/bin/bash
# TCP and UDP probes, IPv4 and IPv6: topo serves a port nobody serves (and
# stops afterwards), the lab's own server is used when it holds the port
# (and is really the one that answers), a mute UDP server fails the probe,
# and `expect: unreachable` still starts topo's listener, so it tests the path.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/probe-helpers.bash"

P=prt
pr_triangle $P
# The lab's own servers in h2: tcp/9000 (dual stack), udp/9001 echo, udp/9002 mute.
nsexec $P-h2 /usr/bin/python3 -c '
import socket, threading, time
log = open("'"$T_DIR"'/server.log", "a", buffering=1)
t = socket.socket(socket.AF_INET6); t.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
t.bind(("::", 9000)); t.listen()
e = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); e.bind(("0.0.0.0", 9001))
m = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); m.bind(("0.0.0.0", 9002))
def tcp():
    while True:
        c, a = t.accept(); log.write("tcp %s\n" % a[0]); c.close()
def echo():
    while True:
        d, a = e.recvfrom(2048); log.write("udp %s\n" % a[0]); e.sendto(d, a)
def mute():
    while True:
        d, a = m.recvfrom(2048); log.write("mute %s\n" % a[0])
for f in (tcp, echo, mute): threading.Thread(target=f, daemon=True).start()
open("'"$T_DIR"'/ready", "w").close()
time.sleep(120)' &
T_PIDS+=($!)
for _ in $(seq 100); do [ -e "$T_DIR/ready" ] && break; sleep 0.1; done
[ -e "$T_DIR/ready" ] || fail "test server did not start"

row() { grep -E "$1" <<<"$OUT" || fail "no row matching '$1' in:"$'\n'"$OUT"; }

{
	pr_triangle_yaml pr-tcpudp $P
	cat <<'YAML'
probes:
  - { from: h1, to: h2, proto: tcp, port: 7 }
  - { from: h1, to: h2, proto: udp, port: 7, count: 2 }
  - { from: h1, to: h2, proto: tcp, port: 9000 }
  - { from: h1, to: 10.0.2.2, proto: udp, port: 9001 }
  - { from: h2, to: "r1:lo", proto: tcp, port: 443 }
YAML
} >"$T_DIR/ok.yaml"
run_topo 0 probe "$T_DIR/ok.yaml"
contains "$OUT" "probes: 9 passed, 0 failed"
contains "$(row '10\.0\.2\.2 +tcp/7 ')" "topo listened on tcp/7 in h2"
contains "$(row '2001:db8:2::2 +tcp/7 ')" "topo listened on tcp/7 in h2"
contains "$(row '10\.0\.2\.2 +udp/7 ')" "topo listened on udp/7 in h2"
contains "$(row '2001:db8:2::2 +udp/7 ')" "topo listened on udp/7 in h2"
contains "$(row '2001:db8:ff::1 +tcp/443 ')" "topo listened on tcp/443 in r1"
contains "$(row '10\.0\.2\.2 +tcp/9000 ')" "the lab's own server on tcp/9000 in h2"
contains "$(row '2001:db8:2::2 +tcp/9000 ')" "the lab's own server on tcp/9000 in h2"
contains "$(row '10\.0\.2\.2 +udp/9001 ')" "the lab's own server on udp/9001 in h2"
# The lab's servers really answered, over both families.
LOG=$(cat "$T_DIR/server.log")
contains "$LOG" "tcp ::ffff:10.0.1.2" "server log"
contains "$LOG" "tcp 2001:db8:1::2" "server log"
contains "$LOG" "udp 10.0.1.2" "server log"
# topo's listeners are gone with the run.
lacks "$(nsexec $P-h2 ss -Htln)" ":7 " "h2's tcp listeners"
lacks "$(nsexec $P-h2 ss -Huln)" ":7 " "h2's udp sockets"
pass "topo's and the lab's servers"

# A UDP server that never answers: the probe uses it, and fails.
{
	pr_triangle_yaml pr-tcpudp $P
	printf 'probes:\n  - { from: h1, to: 10.0.2.2, proto: udp, port: 9002, timeout: 300ms }\n'
} >"$T_DIR/mute.yaml"
run_topo 3 probe "$T_DIR/mute.yaml"
contains "$(row 'udp/9002')" "timeout"
contains "$(row 'udp/9002')" "the lab's own server on udp/9002 in h2"
contains "$(cat "$T_DIR/server.log")" "mute 10.0.1.2" "server log"
pass "mute udp server"

# expect: unreachable still starts topo's listener: with the path up, it fails ...
{
	pr_triangle_yaml pr-tcpudp $P
	cat <<'YAML'
probes:
  - { from: h1, to: 10.0.2.2, proto: tcp, port: 7000, expect: unreachable }
  - { from: h1, to: 10.0.2.2, proto: udp, port: 7000, expect: unreachable }
YAML
} >"$T_DIR/unreach.yaml"
run_topo 3 probe "$T_DIR/unreach.yaml"
contains "$OUT" "probes: 0 passed, 2 failed"
contains "$(row 'tcp/7000')" "reachable but expected unreachable; topo listened on tcp/7000 in h2"
contains "$(row 'udp/7000')" "reachable but expected unreachable; topo listened on udp/7000 in h2"
# ... and with h1's route gone, it holds, for the path's reason.
ip -n $P-h1 route del default
run_topo 0 probe "$T_DIR/unreach.yaml"
contains "$(row 'tcp/7000')" "unreachable: Network is unreachable (in h1); topo listened on tcp/7000 in h2"
contains "$(row 'udp/7000')" "unreachable: Network is unreachable (in h1); topo listened on udp/7000 in h2"
pass "expect unreachable with tcp and udp"
