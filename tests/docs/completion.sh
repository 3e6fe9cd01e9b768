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
		printf "%s\n" "${COMPREPLY[@]}" | sort' bash "$script" "$@")
}
complete_line() { complete_with "$TOPO" "$@"; }
# has "OUTPUT" WORD : OUTPUT has the line WORD
has() { grep -qxF -- "$2" <<<"$1"; }

err=$(bash -c 'set -u; source "$1" && complete -p topo' bash "$script" 2>&1 >/dev/null)
[ -z "$err" ] || fail "sourcing the completion wrote: $err"
bash -c 'source "$1" && complete -p topo' bash "$script" | grep -q -- '-F _topo topo' ||
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
pass "lab files where a FILE goes, any file for an option's FILE"

# A topo with a command and options that no list in the script can know.
cat >"$T_DIR/fake-topo" <<'FAKE'
#!/bin/sh
case "$1 $2" in
"--help "*) printf 'usage: topo COMMAND [ARGS]\n\n  topo frobnicate FILE|LAB [--zap] [--level N]   frob\n  topo --version\n' ;;
"frobnicate --help") printf 'usage: topo frobnicate FILE|LAB [--zap] [--level N]\nfrob\n\noptions:\n  --zap         zap\n  -L, --level N  level\n' ;;
*) exit 1 ;;
esac
FAKE
chmod +x "$T_DIR/fake-topo"
[ "$(complete_with "$T_DIR/fake-topo" fro)" = frobnicate ] ||
	fail "a new command is not completed: $(complete_with "$T_DIR/fake-topo" fro)"
[ "$(complete_with "$T_DIR/fake-topo" frobnicate x - | tr '\n' ' ')" = "--level --zap -L " ] ||
	fail "new options are not completed: $(complete_with "$T_DIR/fake-topo" frobnicate x -)"
# --level takes a value: the word after it is not the FILE|LAB
has "$(complete_with "$T_DIR/fake-topo" frobnicate --level 3 "")" lab.yaml ||
	fail "an option's value was taken for an argument"
pass "commands and options come from topo's help, not from the script"
