#!/bin/bash
# usage: scripts/fuzz.sh [SECONDS] [LIBFUZZER-OPTION...]
#
# Builds the loader's libFuzzer harness (tests/fuzz/fuzz_load.c) with clang,
# ASan and UBSan in build-fuzz/ (or $TOPO_FUZZ_BUILD), seeds it with every
# lab file of the repository (examples, valid and invalid test labs, past
# crashes), and fuzzes for SECONDS (default 60). The corpus grows in
# build-fuzz/corpus/; a crash leaves its input in build-fuzz/artifacts/:
# copy it to tests/fuzz/crashes/ so that tests/fuzz/fuzz.sh replays it.
set -euo pipefail

secs=${1:-60}
shift || true
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TOPO_FUZZ_BUILD:-$src/build-fuzz}

command -v clang >/dev/null || { echo "fuzz.sh: clang not found" >&2; exit 1; }
cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER=clang -DTOPO_FUZZ=ON -DTOPO_TESTS=OFF \
	-DCMAKE_COMPILE_WARNING_AS_ERROR=ON \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target fuzz_load -j "$(nproc)" >/dev/null

rm -rf "$build/seeds"
mkdir -p "$build/corpus" "$build/seeds" "$build/artifacts"
shopt -s nullglob
for f in "$src"/topologies/*.yaml "$src"/tests/valid/*.yaml "$src"/tests/invalid/*.yaml \
	 "$src"/tests/invalid-schema/*.yaml "$src"/tests/fuzz/crashes/*; do
	cp "$f" "$build/seeds/$(basename "$(dirname "$f")")-$(basename "$f")"
done

# -timeout: one input must not take seconds (an alias bomb would);
# -rss_limit_mb: nor gigabytes.
exec "$build/fuzz_load" -max_total_time="$secs" -timeout=5 -rss_limit_mb=1024 \
	-max_len=65536 -dict="$src/tests/fuzz/topo.dict" \
	-artifact_prefix="$build/artifacts/" -print_final_stats=1 "$@" \
	"$build/corpus" "$build/seeds"
