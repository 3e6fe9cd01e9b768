# Sourced by the benchmarks (bench.sh, bench-multihost.sh): building what
# they measure, and putting back the machine-wide settings they raise.

SAVED_SYSCTL=()

# bench_build NAME TARGET...: build TARGETs (Release, no tests) in $BUILD.
bench_build() {
	local name=$1
	shift
	echo "$name: building $* in $BUILD" >&2
	cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DTOPO_TESTS=OFF >/dev/null
	cmake --build "$BUILD" -j"$(nproc)" --target "$@" >/dev/null
}

# sysctl_keep KEY...: remember the KEYs' values for sysctl_restore
# (something the benchmark runs will change them).
sysctl_keep() {
	local k
	for k; do SAVED_SYSCTL+=("$k=$(sysctl -n "$k")"); done
}

# sysctl_at_least KEY MIN: raise KEY to MIN when it is lower, keeping its value.
sysctl_at_least() {
	local old
	old=$(sysctl -n "$1")
	if [ "$old" -lt "$2" ]; then
		SAVED_SYSCTL+=("$1=$old")
		sysctl -qw "$1=$2"
	fi
}

# neigh_room N: the neighbour tables, whose limits all namespaces share
# (gc_thresh3 = 1024 by default), made big enough for N nodes.
neigh_room() {
	local fam k
	for fam in ipv4 ipv6; do
		for k in gc_thresh2 gc_thresh3; do
			sysctl_at_least "net.$fam.neigh.default.$k" $(($1 * 8 + 4096))
		done
	done
}

# sysctl_restore: every kept value, newest first, so that a key kept
# twice ends at its first value.
sysctl_restore() {
	local i
	for ((i = ${#SAVED_SYSCTL[@]} - 1; i >= 0; i--)); do
		sysctl -qw "${SAVED_SYSCTL[i]}" >/dev/null
	done
}
