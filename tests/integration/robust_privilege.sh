# Without root, validate and generate work and every other command says
# which privilege it needs; the host's own interfaces are never touched.
source "$(dirname "$0")/lib.sh"
need_tool setpriv "util-linux"
lab t-priv
f="$T_DIR/lab.yaml"
"$TOPO" generate star 3 --name t-priv >"$f"
chmod 755 "$T_DIR"; chmod 644 "$f"
# nobody may not be able to reach the build tree (a clone under /root): run a copy.
cp "$TOPO" "$T_DIR/topo"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$T_DIR/topo" "$@"; }
rc=0; nobody validate "$f" >/dev/null 2>&1 || rc=$?
[ $rc = 0 ] || fail "validate as nobody: exit $rc"
rc=0; nobody generate chain 3 >/dev/null 2>&1 || rc=$?
[ $rc = 0 ] || fail "generate as nobody: exit $rc"
for cmd in "up $f" "plan $f" "down t-priv" "status t-priv" "probe $f" "list" "exec t-priv h1 -- true"; do
	rc=0; out=$(nobody $cmd 2>&1) || rc=$?
	[ $rc = 1 ] || fail "'$cmd' as nobody: exit $rc"
	grep -q "needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN" <<<"$out" || fail "'$cmd' as nobody: $out"
done
grep -q "^t-priv-" <<<"$(ls /run/netns 2>/dev/null)" && fail "a command as nobody made a namespace"
pass "without root: validate and generate work, the rest say what they need"

# The host's interfaces, whatever their names, are untouched by up/down/--prune.
before=$(ip -o link show | sed 's/ qdisc.*//' | sort)
run_topo 0 up "$f" --no-probe --prune
run_topo 0 down t-priv
after=$(ip -o link show | sed 's/ qdisc.*//' | sort)
[ "$before" = "$after" ] || fail "host interfaces changed:"$'\n'"$before"$'\n---\n'"$after"
pass "host interfaces untouched"
