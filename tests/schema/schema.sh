# The JSON Schema and the loader must agree: every example lab
# (topologies/*.yaml) and every valid test lab (tests/valid/*.yaml) passes
# both schemas/topology.schema.json and `topo validate`; every file of
# tests/invalid-schema/ is rejected by both. Every example lab also starts
# with the yaml-language-server modeline that points editors at the schema.
set -uo pipefail

TOPO=${TOPO:?TOPO must name the topo binary (CTest sets it)}
TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
PY=/usr/bin/python3
cd "$TOPO_SRC" || exit 1

source tests/skip.bash
"$PY" -c 'import jsonschema, yaml; jsonschema.Draft202012Validator' 2>/dev/null ||
	skip_tool python3-jsonschema "$PY lacks jsonschema (>= 4, for draft 2020-12) or PyYAML"

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

shopt -s nullglob
examples=(topologies/*.yaml)
valid=(topologies/*.yaml tests/valid/*.yaml)
invalid=(tests/invalid-schema/*.yaml)
[ ${#examples[@]} -ge 4 ] || fail "expected at least 4 example labs in topologies/, found ${#examples[@]}"
[ ${#invalid[@]} -ge 1 ] || fail "no files in tests/invalid-schema/"

modeline='# yaml-language-server: $schema=../schemas/topology.schema.json'
for f in "${examples[@]}"; do
	[ "$(head -n 1 "$f")" = "$modeline" ] || fail "$f: first line is not the modeline '$modeline'"
done

# The schema's side: the helper prints one line per file.
"$PY" scripts/schema-check.py "${valid[@]}" || fail "the schema rejects a valid lab (above)"
"$PY" scripts/schema-check.py --invalid "${invalid[@]}" || fail "the schema accepts an invalid lab (above)"

# The loader's side.
for f in "${valid[@]}"; do
	if err=$("$TOPO" validate "$f" 2>&1 >/dev/null); then
		echo "ok topo validate $f"
	else
		fail "topo validate $f exited $?, expected 0:"; echo "$err"
	fi
done
for f in "${invalid[@]}"; do
	rc=0
	err=$("$TOPO" validate "$f" 2>&1 >/dev/null) || rc=$?
	if [ "$rc" = 1 ] && grep -q "^$f:[0-9]*:[0-9]*: error: \|^$f: error: " <<<"$err"; then
		echo "ok topo rejects $f: $(head -n 1 <<<"$err")"
	else
		fail "topo validate $f exited $rc, expected 1 and a '$f:LINE:COL: error:' line; stderr:"
		echo "$err"
	fi
done

echo "${#valid[@]} valid and ${#invalid[@]} invalid labs, $fails failure(s)"
[ "$fails" = 0 ]
