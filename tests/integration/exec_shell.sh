# `topo exec LAB NODE` with no command opens an interactive shell inside the
# node whose prompt names it; `topo exec FILE NODE -- CMD` works as the lab
# name does.
source "$(dirname "$0")/lib.sh"
lab t-exsh
f="$T_DIR/lab.yaml"
printf 'name: t-exsh\nprefix: xsh\nnodes: { a: {}, b: {} }\nlinks: [{ endpoints: ["a:eth0 10.72.0.1/24", "b:eth0 10.72.0.2/24"] }]\n' >"$f"
run_topo 0 up "$f" --no-probe

# the lab file instead of its name
run_topo 0 exec "$f" b -- ip -o -4 addr show eth0
contains "$OUT" "10.72.0.2/24"
run_topo 5 exec "$f" a -- sh -c 'exit 5'
run_topo 1 exec "$f" nosuch -- true
contains "$ERR" "lab t-exsh has no node nosuch"
run_topo 1 exec "$f" a --
contains "$ERR" "no command after"
pass "exec FILE NODE -- CMD"

# no command: a shell inside the node, its prompt naming lab and node
for sh in /bin/sh /bin/bash; do
	[ -x "$sh" ] || continue
	rc=0
	printf 'ip -o -4 addr show eth0\necho "ps1=$PS1"\nexit 4\n' |
		SHELL=$sh "$TOPO" exec t-exsh a >"$T_DIR/out" 2>"$T_DIR/err" || rc=$?
	[ "$rc" = 4 ] || fail "$sh: exit $rc: $(cat "$T_DIR/err")"
	contains "$(cat "$T_DIR/out")" "10.72.0.1/24" "$sh shell output"
	contains "$(cat "$T_DIR/out")" "ps1=[t-exsh/a] \$ " "$sh shell output"
	contains "$(cat "$T_DIR/err")" "[t-exsh/a] \$ " "$sh prompt"
	pass "$sh: an interactive shell in the node, prompt [t-exsh/a] \$"
done
# a SHELL that is not an absolute path is not trusted: /bin/sh
rc=0
echo 'exit 6' | SHELL=nosuchshell "$TOPO" exec "$f" b >/dev/null 2>&1 || rc=$?
[ "$rc" = 6 ] || fail "SHELL=nosuchshell: exit $rc"
pass "a relative SHELL falls back to /bin/sh"

run_topo 0 down t-exsh
