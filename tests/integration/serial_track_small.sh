# serial_: a FIFO in /run/netns blocks any `ip -n` that lists namespaces at that
# moment (it opens every entry), and /run/topo is moved: nothing may run beside it.
# Small ways of losing track: an up refused for a clash leaves no run
# directory behind; a FIFO under /run/netns hangs nothing; a /run/topo that
# is a symlink is named in the error.
source "$(dirname "$0")/lib.sh"
lab t-trk-sm
fifo=/run/netns/t-trk-sm-fifo
trap 'rc=$?; set +e; rm -f "$fifo"; [ -L /run/topo ] && rm -f /run/topo && [ -d /run/topo.t-trk-sm ] && mv /run/topo.t-trk-sm /run/topo; (exit $rc); t_cleanup' EXIT
f="$T_DIR/lab.yaml"
cat >"$f" <<'YAML'
name: t-trk-sm
nodes: { h1: {}, h2: {} }
links: [ { endpoints: ["h1:eth0 10.0.0.1/24", "h2:eth0 10.0.0.2/24"] } ]
YAML

# A clash: refused, and nothing of the lab left, not even its lock.
own_netns t-trk-sm-h2
run_topo 1 up "$f" --no-probe
contains "$ERR" "t-trk-sm-h2"
[ -e /run/topo/t-trk-sm ] && fail "a refused up left /run/topo/t-trk-sm: $(ls /run/topo/t-trk-sm)"
netns_exists t-trk-sm-h1 && fail "a refused up made t-trk-sm-h1"
ip netns del t-trk-sm-h2
pass "an up refused for a clash leaves no run directory"

# A FIFO (no writer ever comes) among the namespaces.
mkfifo "$fifo"
for cmd in "list" "up $f --no-probe" "status t-trk-sm" "plan $f" "down t-trk-sm"; do
	rc=0; timeout 20 "$TOPO" $cmd >"$T_DIR/o" 2>"$T_DIR/e" || rc=$?
	[ $rc = 124 ] && fail "topo $cmd hangs on a FIFO in /run/netns"
	[ $rc = 0 ] || fail "topo $cmd with a FIFO in /run/netns: exit $rc: $(cat "$T_DIR/e")"
done
[ -p "$fifo" ] || fail "the FIFO was removed"
rm -f "$fifo"
pass "a FIFO in /run/netns is skipped by list, up, status, plan and down"

# /run/topo a symlink: only when no lab uses it now (it is shared).
if [ -z "$(ls -A /run/topo 2>/dev/null)" ]; then
	rmdir /run/topo 2>/dev/null || true
	mkdir /run/topo.t-trk-sm
	ln -s "$T_DIR" /run/topo
	run_topo 1 up "$f" --no-probe
	contains "$ERR" "/run/topo: Not a directory"
	lacks "$ERR" "/run/topo/t-trk-sm"
	[ -z "$(ls -A "$T_DIR" | grep -v -e lab.yaml -e '^out$' -e '^err$' -e '^o$' -e '^e$')" ] ||
		fail "topo wrote through the /run/topo symlink: $(ls "$T_DIR")"
	rm /run/topo
	rmdir /run/topo.t-trk-sm
	pass "a symlinked /run/topo is refused, naming /run/topo"
else
	echo "note: /run/topo is in use; the symlinked /run/topo case is not tried"
fi
