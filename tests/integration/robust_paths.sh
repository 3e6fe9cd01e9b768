# Names never reach a path unchecked, and topo follows no symlink planted
# where it keeps its files.
source "$(dirname "$0")/lib.sh"
lab t-path
f="$T_DIR/lab.yaml"
printf 'name: t-path\nnodes: { a: {}, b: {} }\nlinks: [{ endpoints: ["a:eth0 10.70.0.1/24", "b:eth0 10.70.0.2/24"] }]\n' >"$f"
mkdir -p /run/topo
victim="$T_DIR/victim"; mkdir "$victim"

# /run/topo/<lab> planted as a symlink to somewhere else.
ln -s "$victim" /run/topo/t-path
run_topo 1 up "$f" --no-probe
contains "$ERR" "/run/topo/t-path: Not a directory"
[ -z "$(ls -A "$victim")" ] || fail "topo wrote through the symlink: $(ls "$victim")"
grep -q "^t-path-" <<<"$(ls /run/netns 2>/dev/null)" && fail "up went on after refusing the run directory"
rm /run/topo/t-path
pass "a symlinked run directory is refused"

# The lock file planted as a symlink.
mkdir /run/topo/t-path
ln -s "$victim/lock" /run/topo/t-path/lock
run_topo 1 up "$f" --no-probe
contains "$ERR" "/run/topo/t-path/lock"
[ -e "$victim/lock" ] && fail "topo created the lock through the symlink"
rm -rf /run/topo/t-path
pass "a symlinked lock file is refused"

# Names that would escape their directories are refused before any path is made.
run_etc_before=$(ls -d /run/etc 2>/dev/null || true)
for bad in "../etc" "a/b" ".." "x y" "UPPER"; do
	run_topo 1 down "$bad"
	[ -n "$ERR" ] || fail "down '$bad': no message"
	run_topo 1 status "$bad"
	run_topo 1 exec "$bad" a -- true
done
run_topo 1 down "x y"
contains "$ERR" "'x y' is neither a lab file nor a lab name"
# Where each name would have led (other tests may use /run/topo meanwhile).
for p in /run/topo/a "/run/topo/x y" /run/topo/UPPER; do
	[ -e "$p" ] && fail "a bad name made $p"
done
[ -e /run/etc ] && [ -z "$run_etc_before" ] && fail "'../etc' made /run/etc"
pass "path-escaping lab names are refused"
