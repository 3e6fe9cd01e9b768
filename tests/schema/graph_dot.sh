# topo graph's output is what Graphviz and SVG readers accept: every
# example lab through dot's own parser (-Tcanon) and to SVG (an XML
# parser reads it); names that need escaping come out whole in the
# picture; the options; without dot, --format svg names the package. No
# root: a file is drawn as it is (a lab that is up is another test's).
set -euo pipefail
TOPO=${TOPO:?TOPO must name the topo binary (CTest sets it)}
TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
cd "$TOPO_SRC"
source tests/skip.bash
need_tool dot "Graphviz reads topo graph's output"
PY=/usr/bin/python3
[ -x "$PY" ] || skip_tool python3 "reads the SVG"
D=$(mktemp -d /tmp/topo-graph.XXXXXX)
trap 'rm -rf "$D"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# svg_texts FILE: the text of every <text> of an SVG, one a line.
svg_texts() {
	"$PY" -c '
import sys, xml.etree.ElementTree as ET
for e in ET.parse(sys.argv[1]).iter("{http://www.w3.org/2000/svg}text"):
    print(e.text)' "$1"
}

for f in topologies/*.yaml; do
	"$TOPO" graph "$f" >"$D/g.dot" || fail "topo graph $f"
	dot -Tcanon "$D/g.dot" >/dev/null || fail "dot -Tcanon refuses the graph of $f"
	"$TOPO" graph "$f" --format svg >"$D/g.svg" || fail "topo graph $f --format svg"
	svg_texts "$D/g.svg" >"$D/texts" || fail "the SVG of $f is no XML"
	grep -qx "lab $(sed -n 's/^name: //p' "$f")" "$D/texts" || fail "no title in the SVG of $f"
	"$TOPO" graph "$f" --format mermaid >"$D/g.mmd" || fail "topo graph $f --format mermaid"
	grep -qx "flowchart LR" <<<"$(head -4 "$D/g.mmd")" || fail "mermaid of $f: $(head -4 "$D/g.mmd")"
	echo "ok: $f as DOT, SVG and Mermaid"
done

# Interface names may hold quotes, backslashes, markup: they reach the picture whole.
cat >"$D/odd.yaml" <<'YAML'
name: odd
nodes: { h1: {}, h2: { kind: router } }
links:
  - endpoints:
      - 'h1:q"x\ 10.0.0.1/24'
      - 'h2:<b>#&|`\" 10.0.0.2/24'
YAML
"$TOPO" graph "$D/odd.yaml" >"$D/odd.dot" || fail "topo graph odd.yaml"
dot -Tcanon "$D/odd.dot" >/dev/null || fail "dot -Tcanon refuses escaped names: $(cat "$D/odd.dot")"
"$TOPO" graph "$D/odd.yaml" --format svg >"$D/odd.svg" || fail "topo graph odd.yaml --format svg"
svg_texts "$D/odd.svg" >"$D/texts" || fail "the SVG of odd.yaml is no XML"
grep -qxF 'h1:q"x\ 10.0.0.1/24' "$D/texts" || fail "h1's interface not whole: $(cat "$D/texts")"
grep -qxF 'h2:<b>#&|`\" 10.0.0.2/24' "$D/texts" || fail "h2's interface not whole: $(cat "$D/texts")"
echo "ok: names escaped"

# Options: --help on stdout with exit 0; anything unknown is exit 1.
out=$("$TOPO" graph --help) || fail "graph --help exit $?"
grep -q "^usage: topo graph FILE|LAB \[--format dot|mermaid|svg\]" <<<"$out" || fail "help: $out"
for bad in "--frobnicate" "--format png" "--format" "" "topologies/triangle.yaml extra"; do
	rc=0
	# shellcheck disable=SC2086
	"$TOPO" graph topologies/triangle.yaml $bad >/dev/null 2>"$D/err" || rc=$?
	[ -z "$bad" ] && { [ $rc = 0 ] || fail "graph FILE: exit $rc"; continue; }
	[ $rc = 1 ] || fail "graph FILE $bad: exit $rc, expected 1"
	[ -s "$D/err" ] || fail "graph FILE $bad: no message"
done
rc=0; "$TOPO" graph "$D/missing.yaml" 2>"$D/err" >/dev/null || rc=$?
[ $rc = 1 ] && grep -q "missing.yaml" "$D/err" || fail "a missing file: exit $rc, $(cat "$D/err")"
echo "ok: options"

# Without Graphviz, --format svg says what to install; DOT needs nothing.
mkdir "$D/bin"
rc=0; PATH="$D/bin" "$TOPO" graph topologies/triangle.yaml --format svg >/dev/null 2>"$D/err" || rc=$?
[ $rc = 1 ] && grep -q "needs Graphviz's dot.*apt-get install graphviz" "$D/err" ||
	fail "svg without dot: exit $rc, $(cat "$D/err")"
PATH="$D/bin" "$TOPO" graph topologies/triangle.yaml >/dev/null || fail "dot format without Graphviz"
echo "ok: svg without Graphviz names the package"
