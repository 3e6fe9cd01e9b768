# No project file sends readers to the design notes the project was built
# from (the shared design file outside the repository): users never have
# them. The format's reference is docs/format.md.
set -uo pipefail
TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
cd "$TOPO_SRC" || exit 1

# Split so that this file does not match itself.
pattern='\.\./shar''ed/|/work/shar''ed|DESIGN''\.md|DESIGN'' §'
hits=$(grep -rnIE --exclude-dir=.git --exclude-dir='build*' --exclude-dir=out "$pattern" . |
	sed 's|^\./||')
if [ -n "$hits" ]; then
	echo "FAIL: files that refer to the design notes outside the project (point to docs/format.md instead):"
	echo "$hits"
	exit 1
fi
echo "ok: no file refers to ../shared or the design notes"
