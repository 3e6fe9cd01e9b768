#!/usr/bin/env bash
# Install what the tests need, build, and run every test: once as built for
# users, once under AddressSanitizer + UndefinedBehaviorSanitizer.
#   sudo scripts/test.sh            # both passes
#   sudo scripts/test.sh --fast     # the plain pass only
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
jobs=$(nproc)

run_pass() {	# BUILD_DIR CTEST_ARGS -- CMAKE_ARGS
	local dir=$1; shift
	local ctest_args=()
	while [ "$1" != -- ]; do ctest_args+=("$1"); shift; done; shift
	cmake -S . -B "$dir" "$@" >/dev/null
	# A warning is a failure: the build must stay clean.
	if cmake --build "$dir" -j"$jobs" 2>&1 | grep -E "warning|error"; then
		echo "build in $dir has warnings or errors" >&2
		return 1
	fi
	(cd "$dir" && ctest --output-on-failure --no-tests=error -j"$jobs" "${ctest_args[@]}")
}

echo "== tests (release build)"
run_pass build -- -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOPO_TESTS=ON
if [ "${1:-}" != --fast ]; then
	echo "== tests under ASan + UBSan"
	# The fuzz test already runs under ASan+UBSan in the first pass.
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		run_pass build-asan -E '^fuzz/' -- -DCMAKE_BUILD_TYPE=Debug -DTOPO_SANITIZE=ON -DTOPO_TESTS=ON
fi
