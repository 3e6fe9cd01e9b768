# The manual: topo(1) (from docs/topo.1.md) and topo-lab(5) (from
# docs/format.md, by scripts/md2man.awk at build time).
# - man and groff render both without a warning;
# - topo(1) has a "topo CMD" subsection for every command `topo --help`
#   lists, and in it an entry for every option of `topo CMD --help`, so a
#   command or option added to main.c without its manual fails here; its
#   ENVIRONMENT has every variable emu/ reads with getenv();
# - topo-lab(5) has every key of the schema and of the loader's key
#   tables, as `key` (bold);
# - both checks fail on pages made from doctored sources (a command, an
#   option and a key taken out), and the converter keeps what roff would
#   otherwise eat (lines starting with a dot, backslashes, UTF-8).
set -uo pipefail
# man renders UTF-8 (what the pages must keep) and stays quiet about the
# locale only in one the machine has: Debian's libc always has C.UTF-8.
export LC_ALL=C.UTF-8 LANG=C.UTF-8
TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TOPO=${TOPO:-$TOPO_SRC/build/topo}
TOPO_BUILD=${TOPO_BUILD:-$TOPO_SRC/build}
cd "$TOPO_SRC" || exit 1
source tests/skip.bash
need_tool man "renders the manual (Debian: man-db)"
need_tool groff "checks the manual (Debian: groff-base)"
need_tool python3 "walks the JSON Schema"
T_DIR=$(mktemp -d /tmp/topo-man.XXXXXX)
trap 'rm -rf "$T_DIR"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }
man1=$TOPO_BUILD/man/topo.1
man5=$TOPO_BUILD/man/topo-lab.5
[ -s "$man1" ] && [ -s "$man5" ] || fail "no $man1 or $man5: the build makes them (target man)"

# md2man MD NAME SECTION OUT: what the build does
md2man() {
	LC_ALL=C awk -v name="$2" -v section="$3" -v desc="test page" -v source=topo \
		-v manual=test -v see="topo(1)" -f scripts/md2man.awk "$1" >"$4"
}
render() { MANWIDTH=80 man -l "$1" 2>/dev/null; }
# quiet PAGE: man and groff have nothing to say about it
quiet() {
	local w
	w=$(MANWIDTH=80 man --warnings -l "$1" 2>&1 >/dev/null; groff -ww -z -man "$1" 2>&1)
	[ -z "$w" ] || fail "warnings rendering $1:"$'\n'"$w"
}

quiet "$man1"
quiet "$man5"
grep -q '^SYNOPSIS' <<<"$(render "$man1")" || fail "topo.1 renders without a SYNOPSIS"
grep -q '^1\. A complete example' <<<"$(render "$man5")" || fail "topo-lab.5 lacks section 1"
pass "man --warnings and groff -ww render both pages silently"

commands=$("$TOPO" --help | sed -n 's/^  topo \([a-z][a-z0-9_-]*\).*/\1/p')
[ "$(wc -l <<<"$commands")" -ge 10 ] || fail "found only these commands in topo --help: $commands"

# options CMD: every option of `topo CMD --help`, in its usage line and
# its option lines
options() {
	"$TOPO" "$1" --help | {
		IFS= read -r usage
		grep -oE -- '\[--?[A-Za-z][-A-Za-z0-9]*' <<<"$usage" | tr -d '['
		sed -n '/^options:/,$p' | sed -n 's/^  \(-[^ ].*\)/\1/p' | sed 's/  .*//' |
			grep -oE -- '(^|[ ,])--?[A-Za-z][-A-Za-z0-9]*' | tr -d ' ,'
	} | sort -u
}

# missing_in_topo1 PAGE: each command without its subsection, each option
# without its entry (a tag: "--opt", "-o, --opt", "--opt VALUE") there
missing_in_topo1() {
	local text sect c o
	text=$(render "$1")
	for o in --help --version; do
		grep -qF -- "topo $o" <<<"$(sed -n '/^SYNOPSIS/,/^[A-Z]/p' <<<"$text")" ||
			echo "SYNOPSIS lacks topo $o"
	done
	for c in $commands; do
		sect=$(awk -v h="   topo $c" '$0 == h { on = 1; next } on && /^ {0,3}[^ ]/ { exit } on' <<<"$text")
		if [ -z "$sect" ]; then
			echo "command $c: no subsection 'topo $c' under COMMANDS"
			continue
		fi
		for o in $(options "$c"); do
			grep -qE -- "^ {7}(-[-A-Za-z0-9]+, )*$o( |,|\$)" <<<"$sect" ||
				echo "command $c: option $o has no entry in its subsection"
		done
	done
}

bad=$(missing_in_topo1 "$man1")
[ -z "$bad" ] || fail "topo(1) is incomplete (docs/topo.1.md):"$'\n'"$bad"
n=0
for c in $commands; do n=$((n + $(options "$c" | wc -l))); done
[ "$n" -ge 15 ] || fail "found only $n options in the commands' --help"
pass "topo(1) documents all $(wc -l <<<"$commands") commands and $n options"

# Every variable the code reads (getenv) has its entry in ENVIRONMENT.
vars=$(grep -ohE 'getenv\("[A-Z_0-9]+"\)' emu/*.c | sed 's/getenv("//; s/")//' | sort -u)
[ -n "$vars" ] || fail "found no getenv() in emu/"
env_sect=$(render "$man1" | sed -n '/^ENVIRONMENT/,/^[A-Z]/p')
for v in $vars; do
	grep -qE "^ {7}$v( |\$)" <<<"$env_sect" || fail "topo(1) ENVIRONMENT lacks $v, which emu/ reads"
done
pass "topo(1) documents the environment: $(echo $vars)"

# doctored sources: graph's subsection and up's --no-probe taken out
awk '/^### topo graph/ { skip = 1; next } /^##/ { skip = 0 } !skip' docs/topo.1.md |
	grep -v '^| `--no-probe`' >"$T_DIR/topo.1.md"
md2man "$T_DIR/topo.1.md" topo 1 "$T_DIR/topo.1"
bad=$(missing_in_topo1 "$T_DIR/topo.1")
grep -q "command graph: no subsection" <<<"$bad" || fail "a missing command went unnoticed: $bad"
grep -q "command up: option --no-probe has no entry" <<<"$bad" ||
	fail "a missing option went unnoticed: $bad"
pass "a command or an option missing from topo(1) fails"

# The keys: each property name in the schema, each name in the loader's
# key tables (static const char *const keys[..] = { "a", ... }).
python3 - schemas/topology.schema.json emu/*.c >"$T_DIR/keys" <<'PY' || fail "reading the keys"
import json, re, sys
keys = set()
def walk(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "properties" and isinstance(v, dict):
                keys.update(v)
            walk(v)
    elif isinstance(node, list):
        for v in node:
            walk(v)
walk(json.load(open(sys.argv[1], encoding="utf-8")))
for path in sys.argv[2:]:
    src = open(path, encoding="utf-8").read()
    for m in re.finditer(r'(?:keys|node_keys)\[[A-Z_]+\]\s*=\s*\{([^}]*)\}', src):
        keys.update(re.findall(r'"([^"]+)"', m.group(1)))
print("\n".join(sorted(keys)))
PY
# missing_in_topo5 PAGE: each key not in it as \fBkey\fR
missing_in_topo5() {
	local k
	while IFS= read -r k; do
		grep -qF -- "\\fB${k//-/\\-}\\fR" "$1" || echo "key $k"
	done <"$T_DIR/keys"
}
[ "$(wc -l <"$T_DIR/keys")" -ge 30 ] || fail "found only $(wc -l <"$T_DIR/keys") keys"
bad=$(missing_in_topo5 "$man5")
[ -z "$bad" ] || fail "topo-lab(5) lacks (docs/format.md):"$'\n'"$bad"
sed 's/`max_loss`/max-loss/g' docs/format.md >"$T_DIR/format.md"
md2man "$T_DIR/format.md" topo-lab 5 "$T_DIR/topo-lab.5"
[ "$(missing_in_topo5 "$T_DIR/topo-lab.5")" = "key max_loss" ] ||
	fail "a key missing from topo-lab(5) went unnoticed"
pass "topo-lab(5) has all $(wc -l <"$T_DIR/keys") keys; a missing one fails"

# What roff would take for its own: a line starting with a dot or a quote,
# backslashes, a code span over two lines, \| in a table, UTF-8.
cat >"$T_DIR/t.md" <<'MD'
# title

<!--
a note for the Markdown's readers
-->
Text before any section, with `a code span that goes on
over the next line` and **bold**.
.starts with a dot
'starts with a quote

## Section

- an item `--prune` \n and C:\dir
  that goes on
- 1 → 2 × 3 — ä

| key | meaning |
| --- | --- |
| `a\|b` | one `-w -` or two |

```sh
.dot line
echo "a\tb" --opt
```
MD
md2man "$T_DIR/t.md" t 1 "$T_DIR/t.1"
quiet "$T_DIR/t.1"
text=$(render "$T_DIR/t.1" | sed 's/^ *//')
for want in "DESCRIPTION" "Text before any section, with a code span that goes on over the next" \
	".starts with a dot" "'starts with a quote" "an item --prune \\n and C:\\dir that goes on" \
	"1 → 2 × 3 — ä" "a|b" "one -w - or two" ".dot line" 'echo "a\tb" --opt' "SEE ALSO"; do
	grep -qF -- "$want" <<<"$text" || fail "the converter lost '$want':"$'\n'"$text"
done
! grep -q "note for the Markdown" <<<"$text" || fail "an HTML comment reached the page"
pass "md2man.awk keeps dots, quotes, backslashes, code spans, UTF-8"
