# Runs `topo validate` on every invalid lab file of tests/invalid/ and
# demands, for each: exit status 1, stderr exactly as in NAME.err, nothing
# on stdout, well under a second of CPU, within a 512 MiB address-space limit, and
# as the unprivileged user nobody (validate needs no root and no kernel).
#
# NAME.yaml files are used as they are; NAME.gen is a bash script that
# prints a lab file too big to commit (10 MiB, 10000 levels of nesting).
# Every input is run as "tests/invalid/NAME.yaml" from a scratch copy of
# the corpus, so the messages name the same path as when topo is run from
# the repository root, and nobody can read the files wherever the
# repository lives.
set -uo pipefail

TOPO=${TOPO:?TOPO must name the topo binary (CTest sets it)}
TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SRC=$TOPO_SRC/tests/invalid
LIMIT_NS=1000000000	# the bound: well under a second each
MEM_KIB=524288		# 512 MiB of address space

[ -x "$TOPO" ] || { echo "FAIL: $TOPO is not an executable"; exit 1; }

T=$(mktemp -d /tmp/topo-invalid.XXXXXX)
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
mkdir -p "$T/tests/invalid"
# nobody may not be able to reach the build tree (a clone under /root):
# run a copy.
cp "$TOPO" "$T/topo"
TOPO=$T/topo

# Run as nobody when we are root; an unprivileged run proves the same.
AS_USER=()
if [ "$(id -u)" = 0 ]; then
	AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi

# A sanitizer build reserves terabytes of shadow memory and cannot run
# under `ulimit -v`: then the memory bound is left out, and we say so.
# Its checks also run a few times slower: the time bound, there to catch
# a runaway (quadratic work on a huge file), is five times longer.
ULIMIT="ulimit -v $MEM_KIB;"
if grep -q -a -e __asan_init -e libasan "$TOPO"; then
	echo "note: $TOPO is an AddressSanitizer build: no memory bound (ulimit -v), 5 s a file"
	ULIMIT=
	LIMIT_NS=$((LIMIT_NS * 5))
fi

# run_validate FILE: topo validate FILE as nobody, in $T, with the limits;
# sets RC, NS (nanoseconds taken), and leaves $T/out and $T/err.
# The time is CPU time (user and system): a runaway burns it, while a
# machine busy with other tests only makes the wall clock longer.
run_validate() {
	local TIMEFORMAT='%3U %3S'
	{ time (cd "$T" && "${AS_USER[@]}" bash -c "$ULIMIT exec \"\$0\" validate \"\$1\"" \
		"$TOPO" "$1" >"$T/out" 2>"$T/err"); } 2>"$T/time"
	RC=$?
	NS=$(awk '{ printf "%d", ($1 + $2) * 1e9 }' "$T/time")
}

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# The harness itself must not make a valid lab fail: a control run.
cp "$TOPO_SRC/topologies/quickstart.yaml" "$T/control.yaml"
run_validate control.yaml
if [ "$RC" != 0 ] || [ -s "$T/err" ]; then
	fail "control: topo validate topologies/quickstart.yaml as nobody exited $RC:"
	cat "$T/err"
fi

n=0
for input in "$SRC"/*.yaml "$SRC"/*.gen; do
	[ -e "$input" ] || continue
	file=${input##*/}
	name=${file%.*}
	rel=tests/invalid/$name.yaml
	if [ ! -e "$SRC/$name.err" ]; then
		fail "$file has no $name.err"
		continue
	fi
	if [ "${file##*.}" = gen ]; then
		bash "$input" >"$T/$rel" || { fail "$file: generator failed"; continue; }
	else
		cp "$input" "$T/$rel"
	fi
	chmod 644 "$T/$rel"
	n=$((n + 1))
	run_validate "$rel"
	ok=1
	if [ "$RC" != 1 ]; then
		fail "$name: exit status $RC, expected 1"
		ok=0
	fi
	if ! cmp -s "$T/err" "$SRC/$name.err"; then
		fail "$name: stderr differs from $name.err (- expected, + got):"
		diff -u "$SRC/$name.err" "$T/err" | tail -n +3 | head -20
		ok=0
	fi
	if [ -s "$T/out" ]; then
		fail "$name: wrote to stdout:"
		head -c 500 "$T/out"; echo
		ok=0
	fi
	if [ "$NS" -gt "$LIMIT_NS" ]; then
		fail "$name: took $((NS / 1000000)) ms of CPU, the bound is $((LIMIT_NS / 1000000)) ms"
		ok=0
	fi
	[ "$ok" = 1 ] && echo "ok $name ($((NS / 1000000)) ms)"
	rm -f "$T/$rel"
done

# A file that cannot be read is an error that names it, not a silent exit.
run_validate tests/invalid/no-such-file.yaml
if [ "$RC" != 1 ] || ! grep -q 'tests/invalid/no-such-file.yaml.*No such file or directory' "$T/err"; then
	fail "missing file: want exit status 1 (got $RC) and stderr naming the file and \"No such file or directory\"; stderr:"
	cat "$T/err"
fi

for err in "$SRC"/*.err; do
	name=${err##*/}; name=${name%.err}
	[ -e "$SRC/$name.yaml" ] || [ -e "$SRC/$name.gen" ] || fail "$name.err has no $name.yaml or $name.gen"
done

# validate must not even try to reach the kernel: no netlink socket, no
# namespace, no mount (nobody could not, but would say so differently).
if command -v strace >/dev/null; then
	cp "$SRC/many-errors.yaml" "$T/probe.yaml" 2>/dev/null || cp "$TOPO_SRC/topologies/triangle.yaml" "$T/probe.yaml"
	for f in control.yaml probe.yaml; do
		(cd "$T" && strace -f -qq -o "$T/trace" -e trace=socket,setns,unshare,mount,umount2 \
			"$TOPO" validate "$f" >/dev/null 2>&1)
		if grep -E 'socket\(AF_NETLINK|setns|unshare|mount' "$T/trace" >/dev/null; then
			fail "validate $f touched the kernel:"
			grep -E 'socket\(AF_NETLINK|setns|unshare|mount' "$T/trace" | head -5
		fi
	done
else
	echo "note: no strace, the no-kernel check relies on running as nobody"
fi

[ "$n" -ge 45 ] || fail "only $n invalid inputs, expected at least 45"
echo "$n invalid inputs, $fails failure(s)"
[ "$fails" = 0 ]
