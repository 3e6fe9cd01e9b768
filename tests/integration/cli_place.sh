# topo place: a lab file placed on hosts comes out on stdout, validates,
# puts every node on a host with even shares, says on stderr how nodes
# and links fell, and is the same every time; addresses come from
# --hosts, the file's hosts: or placeholders; --max-nodes trades balance
# for links; every bad input is an error that says what is wrong and
# prints no file. Touches no kernel (nothing is brought up).
source "$(dirname "$0")/lib.sh"
cd "$T_DIR"

"$TOPO" generate grid 6 5 --name t-place >grid.yaml
run_topo 0 place grid.yaml --hosts a,b,c
printf '%s\n' "$OUT" >placed.yaml
placed_err=$ERR
run_topo 0 validate placed.yaml
OUT=$(cat placed.yaml) ERR=$placed_err
for h in a b c; do
	n=$(grep -c "^    host: $h\$" placed.yaml || true)
	[ "$n" = 10 ] || fail "host $h has $n of the 30 nodes, not 10:"$'\n'"$(cat placed.yaml)"
done
[ "$(grep -c '^    host: ' placed.yaml)" = 30 ] || fail "not every node has a host: line"
contains "$OUT" "  a: { address: 192.0.2.1 }   # a placeholder"
contains "$ERR" "topo: place: 30 nodes on 3 hosts (at most 10 a host):"
contains "$ERR" "links between nodes cross hosts (dealing the nodes out in turn:"
contains "$ERR" "host c: 192.0.2.3 is a placeholder"
# the rest of the file as it was: only hosts: and host: lines are new
diff <(grep -vE '^hosts:|^  [abc]: \{ address|^    host: ' placed.yaml) grid.yaml >/dev/null ||
	fail "place changed more than hosts: and host: lines"
cut=$(sed -n 's/^topo: place: \([0-9]*\) of 49 links.*/\1/p' <<<"$ERR")
[ -n "$cut" ] && [ "$cut" -le 12 ] || fail "a 6x5 grid in 3 cuts $cut links (bands of 2 columns: 10): $ERR"
run_topo 0 place grid.yaml --hosts a,b,c
[ "$OUT" = "$(cat placed.yaml)" ] || fail "a second place of the same file differs"
run_topo 0 place - --hosts a,b,c <grid.yaml
[ "$OUT" = "$(cat placed.yaml)" ] || fail "place of standard input differs"
pass "placed: validates, 10 nodes a host, the rest unchanged, the same every time"

run_topo 0 place grid.yaml --hosts a=10.9.0.1,b=10.9.0.2,c=10.9.0.3
contains "$OUT" "  b: { address: 10.9.0.2 }"
lacks "$OUT" "placeholder"
lacks "$ERR" "placeholder"
printf '%s\n' "$OUT" >addressed.yaml
# again from the placed file: its hosts: and addresses are the default
run_topo 0 place addressed.yaml
[ "$OUT" = "$(cat addressed.yaml)" ] || fail "place of a placed file without --hosts differs"
# every node of a placed file is pinned: other hosts need --unpin
run_topo 1 place addressed.yaml --hosts c,a
contains "$ERR" "which --hosts does not name: add b to --hosts, or give --unpin"
run_topo 0 place addressed.yaml --hosts c,a --unpin
contains "$OUT" "  c: { address: 10.9.0.3 }"
lacks "$OUT" "  b: {"
pass "addresses from --hosts, then from the file's hosts:"

# two cliques of 6 and 4 joined by one link: an even share splits the big one
{
	echo "name: t-place2"
	echo "nodes:"
	for i in 1 2 3 4 5 6 7 8 9 10; do echo "  n$i: {}"; done
	echo "links:"
	for c in "1 2 3 4 5 6" "7 8 9 10"; do
		set -- $c
		for i in "$@"; do for j in "$@"; do
			[ "$i" -lt "$j" ] && echo "  - endpoints: [n$i:to$j, n$j:to$i]"
		done; done
	done
	echo "  - endpoints: [n6:x, n7:x]"
} >cliques.yaml
run_topo 0 place cliques.yaml --hosts a,b
contains "$ERR" "5 nodes"
lacks "$ERR" "topo: place: 1 of 22 links"
run_topo 0 place cliques.yaml --hosts a,b --max-nodes 6
contains "$ERR" "topo: place: 1 of 22 links between nodes cross hosts"
contains "$ERR" "(at most 6 a host)"
pass "--max-nodes lets a host take more nodes for fewer crossing links"

# errors: a message, exit 1, no file on stdout
bad() {	# bad MESSAGE ARGS...
	local msg=$1
	shift
	run_topo 1 place "$@"
	contains "$ERR" "$msg" "topo place $*"
	[ -z "$OUT" ] || fail "topo place $* printed a file: $OUT"
}
bad "topo: $T_DIR/nope.yaml: No such file or directory" "$T_DIR/nope.yaml" --hosts a,b
printf 'name: t-place3\nnodes: { a: { kind: switch } }\n' >invalid.yaml
bad "invalid.yaml:2:21: error: invalid node kind 'switch'" invalid.yaml --hosts a,b
bad "grid.yaml has no hosts: give them, as --hosts a,b,c" grid.yaml
bad "--hosts: an empty host name in 'a,,b'" grid.yaml --hosts a,,b
bad "--hosts: an empty host name in 'a,'" grid.yaml --hosts a,
bad "--hosts: invalid host name 'A'" grid.yaml --hosts A,b
bad "--hosts: host a is given twice" grid.yaml --hosts a,b,a
bad "--hosts: invalid address '10.0.0' of host a" grid.yaml --hosts a=10.0.0,b
bad "host b has an IPv6 address, a an IPv4 one" grid.yaml --hosts a=10.0.0.1,b=2001:db8::1
bad "invalid --max-nodes '0'" grid.yaml --hosts a,b --max-nodes 0
bad "invalid --max-nodes 'x'" grid.yaml --hosts a,b --max-nodes x
bad "2 hosts of at most 10 nodes hold 20, but the lab has 30 nodes" grid.yaml --hosts a,b --max-nodes 10
bad "--hosts needs a value" grid.yaml --hosts
printf '{ name: t-place4, nodes: { a: {}, b: {} } }\n' >flow.yaml
bad "flow.yaml:1:1: error: topo place does not edit this form of YAML" flow.yaml --hosts a,b
pass "a missing or invalid file, bad --hosts and --max-nodes, too few hosts, flow YAML"

# a node's own host: pins it (hosts the file lacks may come from --hosts);
# a default's host: does not
sed -e 's/^  n1: {}$/  n1: { host: b }/' -e 's/^  n7: {}$/  n7: { host: a }/' cliques.yaml >pinned.yaml
run_topo 0 place pinned.yaml --hosts a,b --max-nodes 6
for i in 1 2 3 4 5 6; do contains "$OUT" "  n$i: { host: b }"; done
for i in 7 8 9 10; do contains "$OUT" "  n$i: { host: a }"; done
contains "$ERR" "topo: place: 1 of 22 links between nodes cross hosts"
bad "pinned.yaml:3:15: error: node n1 is on host b (its host:), which --hosts does not name: add b to --hosts" \
	pinned.yaml --hosts a,c
sed -e 's/^  n\([123]\): {}$/  n\1: { host: b }/' cliques.yaml >three.yaml
bad "topo: place: host b has 3 nodes pinned to it by their host:, more than --max-nodes 2" \
	three.yaml --hosts a,b,c,d,e --max-nodes 2
sed -e 's/^nodes:$/defaults: { host: z }\nnodes:/' cliques.yaml >defaulted.yaml
run_topo 0 place defaulted.yaml --hosts a,b
contains "$ERR" "  a                 5 nodes"
contains "$OUT" "defaults: { host: a }"
pass "own host: pins a node, one --hosts lacks is an error, a default's does not pin"

# a LAN's bridge is no node of the file's: --max-nodes counts the six
cat >lan.yaml <<'YAML'
name: t-place5
nodes: { m1: {}, m2: {}, m3: {}, m4: {}, x1: {}, x2: {} }
lans: { seg: { members: [m1:e0, m2:e0, m3:e0, m4:e0] } }
links: [{ endpoints: [m1:e1, x1:e0] }, { endpoints: [m4:e1, x2:e0] }]
YAML
run_topo 0 place lan.yaml --hosts a,b --max-nodes 3
contains "$ERR" "topo: place: 6 nodes on 2 hosts (at most 3 a host):"
[ "$(grep -o "host: a" <<<"$OUT" | wc -l)" = 3 ] || fail "host a has not 3 of the 6 nodes: $OUT"
pass "--max-nodes counts the file's nodes, not a LAN's bridge"
