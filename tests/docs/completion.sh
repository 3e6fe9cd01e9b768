# The bash completion (scripts/topo-completion.bash), without a lab: it
# loads without a word on stderr; it offers every command `topo --help`
# lists and every option each command's --help lists; option values
# (--format), generate's shapes, exec's `--` and command, lab files where
# a FILE goes. A stand-in topo with a command and an option no topo has
# shows that they come from the help at completion time, not from a list
# kept in the script. Running labs: tests/integration/completion.sh.
set -uo pipefail
# a locale the machine has, so that bash has nothing to say but the script's
export LC_ALL=C.UTF-8 LANG=C.UTF-8
TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TOPO=${TOPO:-$TOPO_SRC/build/topo}
T_DIR=$(mktemp -d /tmp/topo-compl.XXXXXX)
trap 'rm -rf "$T_DIR"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }
script=$TOPO_SRC/scripts/topo-completion.bash

# complete_with TOPO WORD... : COMPREPLY for the line "TOPO WORD...", the
# last word being completed, one per line, sorted
complete_with() {
	(cd "$T_DIR" && bash -c '
		source "$1" || exit 9
		shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_topo
		[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort' bash "$script" "$@")
}
complete_line() { complete_with "$TOPO" "$@"; }
# has "OUTPUT" WORD : OUTPUT has the line WORD
has() { grep -qxF -- "$2" <<<"$1"; }

err=$(bash -c 'set -u; source "$1" && complete -p topo' bash "$script" 2>&1 >/dev/null)
[ -z "$err" ] || fail "sourcing the completion wrote: $err"
grep -q -- '-F _topo topo' <<<"$(bash -c 'source "$1" && complete -p topo' bash "$script")" ||
	fail "sourcing the completion does not register _topo for topo"
pass "the completion loads silently and completes topo"

commands=$("$TOPO" --help | sed -n 's/^  topo \([a-z][a-z0-9_-]*\).*/\1/p')
[ "$(wc -l <<<"$commands")" -ge 10 ] || fail "found only these commands in topo --help: $commands"
got=$(complete_line "")
for c in $commands help --version; do
	has "$got" "$c" || fail "topo <TAB> lacks '$c': $(echo $got)"
done
[ "$(complete_line pro)" = probe ] || fail "topo pro<TAB>: $(complete_line pro)"
[ "$(complete_line help sta)" = status ] || fail "topo help sta<TAB>: $(complete_line help sta)"
pass "commands: $(echo $commands)"

# every option of every command, as its --help shows it
n=0
for c in $commands; do
	opts=$("$TOPO" "$c" --help | sed -n '/^options:/,$p' | sed -n 's/^  \(-[^ ].*\)/\1/p' |
		sed 's/  .*//' | grep -oE -- '(^|[ ,])--?[A-Za-z][-A-Za-z0-9]*' | tr -d ' ,' | sort -u)
	got=$(complete_line "$c" x -)
	for o in $opts; do
		has "$got" "$o" || fail "topo $c x -<TAB> lacks '$o': $(echo $got)"
		n=$((n + 1))
	done
done
[ "$n" -ge 15 ] || fail "found only $n options in the commands' --help"
got=$(complete_line up lab.yaml --)
for o in --prune --no-probe --tune-host --json --junit --quiet; do
	has "$got" "$o" || fail "topo up lab.yaml --<TAB> lacks '$o': $(echo $got)"
done
pass "options: $n of ${commands//$'\n'/ }"

[ "$(complete_line graph x --format "" | tr '\n' ' ')" = "dot mermaid svg " ] ||
	fail "graph --format <TAB>: $(complete_line graph x --format "")"
[ "$(complete_line generate "" | tr '\n' ' ')" = "chain fat-tree grid star " ] ||
	fail "generate <TAB>: $(complete_line generate "")"
[ "$(complete_line generate chain 3 "")" = "--name" ] ||
	fail "generate chain 3 <TAB>: $(complete_line generate chain 3 "")"
[ "$(complete_line exec lab h1 "")" = "--" ] || fail "exec LAB NODE <TAB>: $(complete_line exec lab h1 "")"
has "$(complete_line exec lab h1 -- ech)" echo || fail "exec LAB NODE -- ech<TAB> lacks echo"
pass "option values, generate's shapes, exec's -- and command"

mkdir "$T_DIR/labs"
touch "$T_DIR/labs/one.yaml" "$T_DIR/labs/two.yml" "$T_DIR/labs/notes.txt" "$T_DIR/lab.yaml"
got=$(complete_line up labs/)
[ "$(echo $got)" = "labs/one.yaml labs/two.yml" ] || fail "up labs/<TAB>: $(echo $got)"
has "$(complete_line validate "")" lab.yaml || fail "validate <TAB> lacks lab.yaml"
has "$(complete_line status "")" labs || fail "status <TAB> lacks the directory labs"
has "$(complete_line up lab.yaml --junit labs/n)" labs/notes.txt ||
	fail "up --junit <TAB> offers only lab files: $(complete_line up lab.yaml --junit labs/n)"
# topo place: a lab file, then its options; a host list is the user's to type
has "$(complete_line place labs/)" labs/one.yaml || fail "place labs/<TAB>: $(complete_line place labs/)"
[ "$(complete_line place lab.yaml -- | tr "\n" " ")" = "--hosts --max-nodes --unpin " ] ||
	fail "place lab.yaml --<TAB>: $(complete_line place lab.yaml --)"
[ -z "$(complete_line place lab.yaml --hosts "")" ] ||
	fail "place --hosts <TAB> offers: $(complete_line place lab.yaml --hosts "")"
pass "lab files where a FILE goes, any file for an option's FILE"

# A topo with commands and options that no list in the script can know,
# and a running lab (its status --json) without root.
cat >"$T_DIR/fake-topo" <<'FAKE'
#!/bin/sh
case "$1 $2" in
"--help "*) printf 'usage: topo COMMAND [ARGS]\n\n  topo frobnicate FILE|LAB [--zap] [--level N]   frob\n  topo tally FILE... [--out DIR]   tally\n  topo peek LAB [NODE]  peek\n  topo grab LAB NODE:IFACE  grab\n  topo --version\n' ;;
"frobnicate --help") printf 'usage: topo frobnicate FILE|LAB [--zap] [--level N]\nfrob\n\noptions:\n  --zap         zap\n  -L, --level N  level\n' ;;
"tally --help") printf 'usage: topo tally FILE... [--out DIR]\ntally\n' ;;
"peek --help") printf 'usage: topo peek LAB [NODE]\npeek\n' ;;
"grab --help") printf 'usage: topo grab LAB NODE:IFACE\ngrab\n' ;;
"status lab1") printf '{"lab":"lab1","nodes":[{"node":"n1","namespace":"p-n1","interfaces":[{"name":"lo","kind":"loopback"},{"name":"e1","kind":"veth","peer":{"namespace":"p-n2","name":"e2"}}],"routes":[]},{"node":"n2","namespace":"p-n2","interfaces":[{"name":"e2","kind":"veth","peer":{"namespace":"p-n1","name":"e1"}}],"routes":[]}]}\n' ;;
*) exit 1 ;;
esac
FAKE
chmod +x "$T_DIR/fake-topo"
fake() { complete_with "$T_DIR/fake-topo" "$@" | tr '\n' ' '; }
[ "$(fake fro)" = "frobnicate " ] || fail "a new command is not completed: $(fake fro)"
[ "$(fake frobnicate x -)" = "--level --zap -L " ] || fail "new options are not completed: $(fake frobnicate x -)"
# --level takes a value: the word after it is not the FILE|LAB
[[ " $(fake frobnicate --level 3 "") " == *" lab.yaml "* ]] ||
	fail "an option's value was taken for an argument: $(fake frobnicate --level 3 "")"
pass "commands and options come from topo's help, not from the script"

[ "$(fake tally lab.yaml labs/)" = "labs/one.yaml labs/two.yml " ] || fail "FILE... repeats: $(fake tally lab.yaml labs/)"
[ "$(fake tally lab.yaml --out "")" = "labs " ] || fail "--out DIR offers directories: $(fake tally lab.yaml --out "")"
[ "$(fake peek lab1 "")" = "n1 n2 " ] || fail "LAB [NODE]: $(fake peek lab1 "")"
[ "$(fake grab lab1 "")" = "n1: n2: " ] || fail "LAB NODE:IFACE: $(fake grab lab1 "")"
# a veth's peer is not an interface of the node
[ "$(fake grab lab1 n1:)" = "e1 lo " ] || fail "NODE:IFACE of n1: $(fake grab lab1 n1:)"
[ "$(fake grab lab1 n2:e)" = "e2 " ] || fail "NODE:IFACE of n2: $(fake grab lab1 n2:e)"
[ "$(fake grab nolab "")" = "" ] || fail "nodes of a lab that is not up: $(fake grab nolab "")"
pass "FILE..., DIR, [NODE], NODE:IFACE (from status --json)"
