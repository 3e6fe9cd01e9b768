# The command line: every command refuses an unknown option and answers
# --help; --version; `status` of a lab that is not up is an error; a
# directory named like a lab does not hide the lab; `list --json`.
source "$(dirname "$0")/lib.sh"
lab t-cliarg
f="$T_DIR/lab.yaml"
printf 'name: t-cliarg\nnodes: { a: {}, b: {} }\nlinks: [{ endpoints: ["a:eth0 10.71.0.1/24", "b:eth0 10.71.0.2/24"] }]\n' >"$f"

for cmd in validate plan up probe status down exec list generate; do
	run_topo 1 "$cmd" --bogus
	contains "$ERR" "'--bogus'" "topo $cmd --bogus"
	contains "$ERR" "usage: topo $cmd" "topo $cmd --bogus"
	for h in --help -h; do
		run_topo 0 "$cmd" "$h"
		contains "$OUT" "usage: topo $cmd" "topo $cmd $h"
		[ -z "$ERR" ] || fail "topo $cmd $h wrote to stderr: $ERR"
	done
	run_topo 0 help "$cmd"
	contains "$OUT" "usage: topo $cmd"
done
# --help anywhere among topo's own arguments, not among exec's command
run_topo 0 up "$f" --prune --help
contains "$OUT" "--tune-host"
[ -e /run/netns/t-cliarg-a ] && fail "up --help brought the lab up"
# an option topo knows, in the wrong place, is refused too
run_topo 1 status "$f" --prune
contains "$ERR" "topo: status: unknown option '--prune'"
run_topo 1 up "$f" --junit
contains "$ERR" "--junit needs a value"
run_topo 1 validate "$f" extra
contains "$ERR" "unexpected argument 'extra'"
run_topo 1 list extra
pass "unknown options and arguments are errors; --help and -h print the usage"

run_topo 0 --version
[ "$OUT" = "topo 0.1.0" ] || fail "--version: '$OUT'"
run_topo 0 version
[ "$OUT" = "topo 0.1.0" ] || fail "version: '$OUT'"
run_topo 0 --help
contains "$OUT" "topo --version"
pass "--version"

run_topo 1 status t-cliarg-nolab
contains "$ERR" "lab t-cliarg-nolab is not up on this machine"
run_topo 1 status "$f"
contains "$ERR" "lab t-cliarg is not up on this machine"
run_topo 1 status t-cliarg-nolab --json
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["nodes"]==[], d' <<<"$OUT" ||
	fail "status --json of a lab that is not up: $OUT"
pass "status of a lab that is not up exits 1"

# A directory (or anything but a file) named like the lab, where topo runs.
mkdir "$T_DIR/cwd" "$T_DIR/cwd/t-cliarg"
cd "$T_DIR/cwd"
run_topo 1 status t-cliarg
contains "$ERR" "not up on this machine"
run_topo 0 up "$f" --no-probe
run_topo 0 status t-cliarg
contains "$OUT" "node a (netns t-cliarg-a)"
# after exec's `--`, --help and unknown options are the command's
run_topo 0 exec t-cliarg a -- sh -c 'echo "[$1]"' sh --help
[ "$OUT" = "[--help]" ] || fail "exec -- ... --help: '$OUT'"
run_topo 1 exec t-cliarg a --bogus -- true
contains "$ERR" "unknown option '--bogus'"
ln -s t-cliarg link && mv link t-cliarg-l	# a symlink to a directory: no file either
run_topo 1 status t-cliarg-l
contains "$ERR" "lab t-cliarg-l is not up"
pass "a directory named like the lab: status LAB"

run_topo 0 list
contains "$OUT" "t-cliarg"
run_topo 0 list --json
python3 -c '
import json, sys
d = json.load(sys.stdin)
assert {"lab": "t-cliarg", "nodes": 2} in d["labs"], d
' <<<"$OUT" || fail "list --json: $OUT"
pass "list --json"

run_topo 0 down t-cliarg
contains "$OUT" "Lab t-cliarg is down: 2 namespaces deleted."
[ -d t-cliarg ] || fail "down removed the directory"
cd /
pass "a directory named like the lab: down LAB"
