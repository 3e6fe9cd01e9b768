# Two files with one lab name and different prefixes: the second up is
# refused, naming both files, and leaves the first lab alone (in both
# orders); after down, the other file comes up. Without the kept file,
# the lab's namespaces under the other prefix still say it.
source "$(dirname "$0")/lib.sh"
lab t-trk-pfx
a="$T_DIR/a.yaml"; b="$T_DIR/b.yaml"
for x in a b; do
	cat >"$T_DIR/$x.yaml" <<YAML
name: t-trk-pfx
prefix: t-trk-p$x
nodes: { h1: {}, h2: {} }
links: [ { endpoints: ["h1:eth0 10.0.0.1/24", "h2:eth0 10.0.0.2/24"] } ]
YAML
done
both_up() { netns_exists "t-trk-p$1-h1" && netns_exists "t-trk-p$1-h2" || fail "$2: t-trk-p$1-* gone"; }
none_of() { ! grep -q "^t-trk-p$1-" <<<"$(ls /run/netns)" || fail "$2: t-trk-p$1-* made"; }

for order in "a b" "b a"; do
	set -- $order
	run_topo 0 up "$T_DIR/$1.yaml" --no-probe
	run_topo 1 up "$T_DIR/$2.yaml" --no-probe
	contains "$ERR" "$T_DIR/$1.yaml"
	contains "$ERR" "$T_DIR/$2.yaml"
	contains "$ERR" "prefix t-trk-p$1"
	contains "$ERR" "topo down t-trk-pfx"
	both_up "$1" "up $2 after up $1"
	none_of "$2" "up $2 after up $1"
	run_topo 1 plan "$T_DIR/$2.yaml"
	contains "$ERR" "$T_DIR/$1.yaml"
	run_topo 0 plan "$T_DIR/$1.yaml"
	run_topo 0 down t-trk-pfx
	none_of "$1" "down"
done
pass "a file giving a lab that is up another prefix is refused, in both orders"

# The kept file gone: the namespaces under prefix a still say it.
run_topo 0 up "$a" --no-probe
rm -f /run/topo/t-trk-pfx/lab.yaml /run/topo/t-trk-pfx/lab.path
run_topo 1 up "$b" --no-probe
contains "$ERR" "prefix t-trk-pa"
both_up a "up b without a kept file"
none_of b "up b without a kept file"
run_topo 0 down t-trk-pfx
none_of a "down"
run_topo 0 up "$b" --no-probe
both_up b "up b after down"
run_topo 0 down t-trk-pfx
pass "without the kept file, the lab's namespaces under another prefix refuse it too"

# The same file edited to another prefix is a rename, not a clash.
run_topo 0 up "$a" --no-probe
sed -i 's/^prefix: t-trk-pa/prefix: t-trk-pc/' "$a"
run_topo 0 up "$a" --no-probe
both_up c "the prefix edited in the same file"
none_of a "the prefix edited in the same file"
run_topo 0 down t-trk-pfx
pass "the same file with a new prefix renames the lab"
