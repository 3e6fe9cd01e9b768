# Each node's own view: files and dirs over the host's (the host's left
# untouched, missing parents made only inside the node), its host name,
# /etc/hosts with every node, TOPO_LAB/TOPO_NODE; for exec: and topo exec
# alike. A changed file is planned and written again; down leaves no mount
# and nothing under /run/topo.
source "$(dirname "$0")/lib.sh"
lab t-nfs
f="$T_DIR/lab.yaml"
host="$T_DIR/host"	# stands for the host's files: nodes see others at these paths
missing=/etc/t-nfs-missing	# no such directory on the host, nor made
[ ! -e "$missing" ] && [ ! -e /var/lib/t-nfs-missing ] || fail "$missing is on the host already"
mkdir -p "$host/state" "$T_DIR/nowhere"
ln -s "$T_DIR/nowhere/file" "$host/dangling"	# a link to nothing, yet
echo "the host's" >"$host/shared.conf"
echo "the host's" >"$host/state/hostfile"
sum_before=$(cat "$host/shared.conf" | md5sum)
echo "r1 v1" >"$T_DIR/r1.conf"
write_lab() {
	cat >"$f" <<YAML
name: t-nfs
nodes:
  r1:
    files:
      $host/shared.conf: r1.conf
      $missing/deep/app.conf: { content: "deep r1\n" }
      $host/dangling: { content: "not through the link\n" }
    dirs: [$host/state, /var/lib/t-nfs-missing/spool]
    exec: ["cat $missing/deep/app.conf /etc/hostname-check 2>/dev/null > $T_DIR/exec-saw; hostname >> $T_DIR/exec-saw; echo \$TOPO_NODE >> $T_DIR/exec-saw"]
  r2:
    files: { $host/shared.conf: { content: "r2 inline\n" } }
  h3: {}
  top: { files: { /t-nfs-top/x: { content: "x\n" } } }
links:
  - endpoints: ["r1:eth0 10.61.0.1/24", "r2:eth0 10.61.0.2/24"]
  - endpoints: ["r2:eth1 10.61.1.2/24", "h3:eth0 10.61.1.3/24"]
YAML
}
write_lab
run_topo 2 plan "$f"
contains "$OUT" "+ files t-nfs-r1 (3 files, 2 dirs)"
contains "$OUT" "+ files t-nfs-r2 (1 file, 0 dirs)"
run_topo 0 up "$f"
contains "$OUT" "wrote the files and dirs of 3 nodes; ran 1 exec command."
[ ! -e /t-nfs-top ] || fail "/t-nfs-top was made on the host"
[ "$(cat "$T_DIR/exec-saw")" = $'deep r1\nr1\nr1' ] ||
	fail "exec: did not run in the node's view: $(cat "$T_DIR/exec-saw")"
pass "up writes the files; exec: sees them, the host name and TOPO_NODE"

# Different contents at one path, the host's file untouched.
run_topo 0 exec t-nfs r1 -- cat "$host/shared.conf"
[ "$OUT" = "r1 v1" ] || fail "r1 sees '$OUT'"
run_topo 0 exec t-nfs r2 -- cat "$host/shared.conf"
[ "$OUT" = "r2 inline" ] || fail "r2 sees '$OUT'"
run_topo 0 exec t-nfs h3 -- cat "$host/shared.conf"
[ "$OUT" = "the host's" ] || fail "h3, without files, sees '$OUT'"
run_topo 0 exec t-nfs r1 -- sh -c "echo scribble > $host/shared.conf"
[ "$(cat "$host/shared.conf" | md5sum)" = "$sum_before" ] || fail "the host's file changed"
pass "two nodes see their own file at one path; the host's is untouched"

# A dir: empty, private to the node, shared by what runs in it.
run_topo 0 exec t-nfs r1 -- ls -A "$host/state"
[ -z "$OUT" ] || fail "r1's private dir is not empty: $OUT"
run_topo 0 exec t-nfs r1 -- sh -c "echo kept > $host/state/note; echo spooled > /var/lib/t-nfs-missing/spool/x"
run_topo 0 exec t-nfs r1 -- cat "$host/state/note" /var/lib/t-nfs-missing/spool/x
[ "$OUT" = $'kept\nspooled' ] || fail "a second exec in r1 sees '$OUT'"
run_topo 0 exec t-nfs r2 -- ls -A "$host/state"
[ "$OUT" = hostfile ] || fail "r2 sees r1's private dir: $OUT"
[ "$(ls -A "$host/state")" = hostfile ] || fail "the host's dir changed: $(ls -A "$host/state")"
pass "a private dir is empty, shared by r1's commands, unseen by r2 and the host"

# Missing parents: made inside the node only; the rest of /etc still there.
run_topo 0 exec t-nfs r1 -- sh -c "cat $missing/deep/app.conf $host/dangling; test -s /etc/passwd && echo passwd"
[ "$OUT" = $'deep r1\nnot through the link\npasswd' ] || fail "r1 sees '$OUT'"
[ ! -e "$missing" ] && [ ! -e /var/lib/t-nfs-missing ] || fail "something was made on the host"
[ -z "$(ls -A "$T_DIR/nowhere")" ] || fail "made through a dangling link: $(ls "$T_DIR/nowhere")"
pass "a file and a dir under directories the host lacks work; nothing made on the host"

# Directly under / there is no directory to cover: refused, and said why.
run_topo 127 exec t-nfs top -- true
contains "$ERR" "topo: enter node top of lab t-nfs: /t-nfs-top/x: its directory is missing under /"
[ ! -e /t-nfs-top ] || fail "/t-nfs-top was made on the host"
pass "a path whose top directory the host lacks is refused, nothing made"

# Identity: host name, /etc/hosts, environment.
run_topo 0 exec t-nfs r1 -- sh -c 'hostname; echo "$TOPO_LAB $TOPO_NODE"; getent hosts r2'
contains "$OUT" $'r1\nt-nfs r1'
contains "$OUT" "10.61.0.2" "getent hosts r2"
run_topo 0 exec t-nfs r1 -- ping -c1 -W2 r2
contains "$OUT" "1 received"
run_topo 0 exec t-nfs h3 -- hostname
[ "$OUT" = h3 ] || fail "h3's host name is '$OUT'"
[ "$(hostname)" != r1 ] && [ "$(hostname)" != h3 ] || fail "the host's name changed"
pass "host name, /etc/hosts (ping r2 from r1) and TOPO_LAB/TOPO_NODE"

# The UTS namespace is made once, even by commands started together.
run_topo 0 exec t-nfs r2 -- readlink /proc/self/ns/uts
first=$OUT
for i in 1 2 3 4; do "$TOPO" exec t-nfs r2 -- readlink /proc/self/ns/uts >"$T_DIR/uts$i" & done
wait
for i in 1 2 3 4; do [ "$(cat "$T_DIR/uts$i")" = "$first" ] || fail "exec $i: another UTS namespace"; done
pass "every command of a node shares its UTS namespace"

# A changed source: planned, then written again.
echo "r1 v2" >"$T_DIR/r1.conf"
run_topo 2 plan "$f"
contains "$OUT" "~ files t-nfs-r1 (3 files, 2 dirs, changed since the last up)"
lacks "$OUT" "files t-nfs-r2"
run_topo 0 status "$f"
contains "$OUT" "files 3, dirs 2, in /run/topo/t-nfs/r1 (changed since the last up: pending)"
contains "$OUT" "files 1, dirs 0, in /run/topo/t-nfs/r2"$'\n'
run_topo 0 up "$f"
run_topo 0 exec t-nfs r1 -- cat "$host/shared.conf" "$host/state/note"
[ "$OUT" = $'r1 v2\nkept' ] || fail "after the change r1 sees '$OUT'"
run_topo 0 plan "$f"
run_topo 0 status t-nfs
contains "$OUT" "files 3, dirs 2, in /run/topo/t-nfs/r1"$'\n'
pass "a changed source is planned, written by up; the dirs keep their contents"

# Files dropped from a node, a node dropped from the lab: what was kept
# for them goes (h3's UTS namespace with its directory).
[ -e /run/topo/t-nfs/h3/uts ] || fail "h3 has no UTS namespace to drop"
sed -i -e '/r2 inline/d' -e '/^  h3: {}/d' -e '/r2:eth1/d' "$f"
grep -q "r2 inline" "$f" && fail "the test's edit of the lab file did not take"
run_topo 0 up "$f"
[ ! -e /run/topo/t-nfs/r2/mounts ] && [ ! -e /run/topo/t-nfs/r2/files ] ||
	fail "r2's files left: $(ls /run/topo/t-nfs/r2)"
[ ! -e /run/topo/t-nfs/h3 ] || fail "h3's directory left: $(ls /run/topo/t-nfs/h3)"
! grep -q " /run/topo/t-nfs/h3/" /proc/self/mountinfo || fail "h3's UTS namespace still mounted"
run_topo 0 exec t-nfs r2 -- cat "$host/shared.conf"
[ "$OUT" = "the host's" ] || fail "r2 without files sees '$OUT'"
pass "dropped files and a dropped node leave nothing behind"

# down: no mount left, nothing under /run/topo/t-nfs.
run_topo 0 down t-nfs
! grep -q " /run/topo/t-nfs[/ ]" /proc/self/mountinfo || fail "mounts left: $(grep /run/topo/t-nfs /proc/self/mountinfo)"
[ ! -e /run/topo/t-nfs ] || fail "/run/topo/t-nfs left: $(ls -R /run/topo/t-nfs)"
[ ! -e "$missing" ] || fail "$missing was made on the host"
pass "down leaves no mount and no run directory"
