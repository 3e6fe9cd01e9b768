# Fuzzes the loader and checker with libFuzzer, ASan and UBSan
# (scripts/fuzz.sh), after replaying every past crash input of
# tests/fuzz/crashes/ as a regression test. Skips without clang/libFuzzer.
#
# The run is reproducible: a fixed seed, a fixed number of inputs (about a
# minute) and a fresh corpus, so a test that passes here passes in CI and a
# failure can be replayed. Searching for new crashes is scripts/fuzz.sh's
# job: a random seed, a corpus that grows from run to run.
set -uo pipefail

TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SEED=${TOPO_FUZZ_SEED:-1}
RUNS=${TOPO_FUZZ_RUNS:-1000000}
build=${TOPO_BUILD:-$TOPO_SRC/build}/fuzz
export TOPO_FUZZ_BUILD=$build

source "$TOPO_SRC/tests/skip.bash"
need_tool clang "libFuzzer needs clang"
probe=$(mktemp -d /tmp/topo-fuzzprobe.XXXXXX)
trap 'rm -rf "$probe"' EXIT
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n); int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' >"$probe/t.c"
clang -fsanitize=fuzzer,address "$probe/t.c" -o "$probe/t" 2>/dev/null ||
	skip_tool libclang-rt-dev "clang cannot link -fsanitize=fuzzer (no libFuzzer runtime)"

# Build (and a zero-second run, which only builds).
bash "$TOPO_SRC/scripts/fuzz.sh" 1 -runs=0 >"$probe/build.log" 2>&1 ||
	{ echo "FAIL: building the fuzzer:"; tail -30 "$probe/build.log"; exit 1; }

shopt -s nullglob
crashes=("$TOPO_SRC"/tests/fuzz/crashes/*)
if [ ${#crashes[@]} -gt 0 ]; then
	# Given files, libFuzzer runs each once and stops at the first failure.
	if ! "$build/fuzz_load" -timeout=5 -rss_limit_mb=1024 "${crashes[@]}" >"$probe/replay.log" 2>&1; then
		echo "FAIL: a past crash input fails again:"; tail -40 "$probe/replay.log"; exit 1
	fi
	echo "ok: ${#crashes[@]} past crash input(s) replayed"
fi

rm -rf "$build/corpus"
if ! bash "$TOPO_SRC/scripts/fuzz.sh" 600 -seed="$SEED" -runs="$RUNS" >"$probe/fuzz.log" 2>&1; then
	echo "FAIL: the fuzzer found a crash (input in $build/artifacts/):"
	grep -E 'ERROR|SUMMARY|^    #[0-9]' "$probe/fuzz.log" | head -40
	ls -l "$build/artifacts/"
	exit 1
fi
grep -E '^stat::number_of_executed_units|^Done' "$probe/fuzz.log"
echo "ok: $RUNS inputs from seed $SEED, no crash"
