# A lab placed by `topo place` runs across the hosts it names: a 4 x 3 grid
# of routers placed on three simulated hosts (scripts/simhosts.sh), each
# host's `up --host` makes its nodes and a tunnel per link that crosses,
# as many as place said; the grid's probes (corner to corner, across
# hosts) pass from the hosts of their sources; `save` on a host keeps the
# placement; `down --host` everywhere leaves no namespace.
source "$(dirname "$0")/lib.sh"
need_tool nsenter "runs topo in a simulated host"
need_tool findmnt "makes a simulated host's /run/netns its own"

SIM=$TOPO_SRC/scripts/simhosts.sh
P=pl$(($$ % 100000))
L=t-placeh
trap 'rc=$?; "$SIM" destroy $P >/dev/null 2>&1; (exit $rc); t_cleanup' EXIT
"$SIM" create $P a=192.0.2.20 b=192.0.2.21 c=192.0.2.22 >/dev/null
ip -n $P-a link add vxtest type vxlan id 1 remote 192.0.2.21 dstport 4789 2>/dev/null ||
	skip "no VXLAN in this kernel (ip link add type vxlan)"
ip -n $P-a link del vxtest

# on HOST EXPECTED_RC ARGS...: topo ARGS on simulated host HOST
on() {
	local h=$1 want=$2 rc=0
	shift 2
	"$SIM" exec $P "$h" -- "$TOPO" "$@" >"$T_DIR/out" 2>"$T_DIR/err" || rc=$?
	OUT=$(cat "$T_DIR/out"); ERR=$(cat "$T_DIR/err")
	[ "$rc" = "$want" ] || fail "on $h: topo $*: exit $rc, expected $want"$'\n'"$OUT"$'\n'"$ERR"
}

"$TOPO" generate grid 4 3 --name $L >"$T_DIR/grid.yaml"
run_topo 0 place "$T_DIR/grid.yaml" --hosts a=192.0.2.20,b=192.0.2.21,c=192.0.2.22
printf '%s\n' "$OUT" >"$T_DIR/placed.yaml"
cut=$(sed -n 's/^topo: place: \([0-9]*\) of 17 links between nodes cross hosts.*/\1/p' <<<"$ERR")
[ -n "$cut" ] && [ "$cut" -ge 2 ] || fail "no cut in place's summary: $ERR"

for h in a b c; do
	on $h 0 up "$T_DIR/placed.yaml" --host $h --no-probe -q
done
tunnels=0
for h in a b c; do
	on $h 0 status $L --json
	n=$(python3 -c 'import json,sys
d = json.load(sys.stdin)
print(len(d["nodes"]), sum(1 for n in d["nodes"] for i in n["interfaces"] if i["kind"] == "vxlan"))' <<<"$OUT")
	[ "${n% *}" = 4 ] || fail "host $h has ${n% *} nodes, not 4"
	tunnels=$((tunnels + ${n#* }))
done
# each crossing link is a tunnel end on each of its two hosts
[ "$tunnels" = $((2 * cut)) ] || fail "$tunnels tunnel ends for $cut crossing links"
pass "three hosts of 4 nodes, $cut links across hosts as $tunnels tunnel ends"

for h in a b c; do
	on $h 0 probe "$T_DIR/placed.yaml" --host $h
done
on a 0 probe "$T_DIR/placed.yaml" --host a
contains "$OUT" "passed, 0 failed"
pass "the grid's probes pass across hosts"

on b 0 save $L
contains "$OUT" "hosts:"
contains "$OUT" "  b: { address: 192.0.2.21 }"
[ "$(grep -c '^    host: b$' <<<"$OUT")" = 4 ] || fail "save on b: not 4 nodes on b:"$'\n'"$OUT"
# the other hosts' 8 nodes are not dropped in silence
[ "$(grep -c "^topo: save: left out: node .*: it runs on host [ac], not on this machine (b)" <<<"$ERR")" = 8 ] ||
	fail "save on b does not name the 8 nodes of a and c:"$'\n'"$ERR"
contains "$ERR" "topo: save: left out: link "
contains "$OUT" "#   node "
without=$OUT
on b 0 save $L --host b
[ "$OUT" = "$without" ] || fail "save --host b on b differs from save on b"
on b 1 save $L --host a
contains "$ERR" "topo: save: node "
contains "$ERR" ", but lab $L runs it on host b, not a: give --host with the host this machine is"
[ -z "$OUT" ] || fail "save --host a on b printed a file"
on b 1 save $L --host d
contains "$ERR" "topo: --host d: lab $L has no such host"
pass "save on a host keeps hosts: and its nodes' host:, says what runs elsewhere, --host checked"

on b 0 graph $L --host b
contains "$OUT" "(host b's part)"
contains "$OUT" "(running as the file says)"
contains "$OUT" "tunnel to host "
[ "$(grep -c 'style="rounded,filled"\|style="filled"' <<<"$OUT")" = 4 ] ||
	fail "graph --host b does not draw b's 4 nodes:"$'\n'"$OUT"
# without --host, the host whose address this is: b's part, nothing NOT UP
on b 0 graph $L
contains "$OUT" "(host b's part)"
contains "$OUT" "(running as the file says)"
lacks "$OUT" "NOT UP"
pass "graph --host of a running part: as the file says, other hosts' nodes as stubs"

for h in a b c; do
	on $h 0 down "$T_DIR/placed.yaml" --host $h
	[ -z "$(ls -A /run/topo-simhosts/$P/$h/netns)" ] || fail "host $h keeps namespaces"
done
pass "down --host on each host leaves no namespace"
