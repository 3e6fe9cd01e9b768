# A lab with more nodes than topo may hold descriptors for: the handle
# table stays within the open-file limit, so up and down work under a low
# limit; and a namespace topo cannot open is an error naming it, never
# "not this lab's" (down must not report success and leave it behind).
source "$(dirname "$0")/lib.sh"
lab t-trk-fd
f="$T_DIR/lab.yaml"
"$TOPO" generate chain 300 --name t-trk-fd >"$f"
count() { ls /run/netns | grep -c '^t-trk-fd-' || true; }

# 300 nodes would be 600 descriptors held at once; 128 allowed.
rc=0; (ulimit -n 128; "$TOPO" up "$f" --no-probe -q) >"$T_DIR/o" 2>"$T_DIR/e" || rc=$?
[ $rc = 0 ] || fail "up under ulimit -n 128: exit $rc: $(cat "$T_DIR/e")"
[ "$(count)" = 300 ] || fail "up under ulimit -n 128 made $(count) of 300 namespaces"
rc=0; (ulimit -n 128; "$TOPO" plan "$f") >"$T_DIR/o" 2>&1 || rc=$?
[ $rc = 0 ] || fail "plan under ulimit -n 128 after up: exit $rc: $(cat "$T_DIR/o")"
pass "up of 300 nodes under ulimit -n 128, and plan sees no change"

# Too few descriptors to open even one namespace: an error, nothing deleted.
rc=0; (ulimit -n 10; "$TOPO" down t-trk-fd) >"$T_DIR/o" 2>"$T_DIR/e" || rc=$?
[ $rc = 1 ] || fail "down under ulimit -n 10: exit $rc, expected 1: $(cat "$T_DIR/o" "$T_DIR/e")"
grep -q "open namespace [a-z0-9-]*: Too many open files" "$T_DIR/e" ||
	fail "down under ulimit -n 10 does not name the namespace: $(cat "$T_DIR/e")"
[ "$(count)" = 300 ] || fail "a failed down deleted namespaces: $(count) left"
[ -e /run/topo/t-trk-fd/lab.yaml ] || fail "a failed down removed /run/topo/t-trk-fd"
rc=0; (ulimit -n 10; "$TOPO" up "$f" --no-probe) >"$T_DIR/o" 2>"$T_DIR/e" || rc=$?
[ $rc = 1 ] || fail "up under ulimit -n 10: exit $rc, expected 1"
grep -q "Too many open files" "$T_DIR/e" || fail "up under ulimit -n 10: $(cat "$T_DIR/e")"
grep -q "not owned" "$T_DIR/e" && fail "up calls an unopened namespace not owned: $(cat "$T_DIR/e")"
pass "a namespace that cannot be opened is an error naming it, not someone else's"

rc=0; (ulimit -n 128; "$TOPO" down t-trk-fd) >"$T_DIR/o" 2>"$T_DIR/e" || rc=$?
[ $rc = 0 ] || fail "down under ulimit -n 128: exit $rc: $(cat "$T_DIR/e")"
contains "$(cat "$T_DIR/o")" "300 namespaces deleted"
[ "$(count)" = 0 ] || fail "down under ulimit -n 128 left $(count) namespaces"
[ -e /run/topo/t-trk-fd ] && fail "down left /run/topo/t-trk-fd"
pass "down of 300 nodes under ulimit -n 128 deletes them all"
