# After a down killed half-way, one up converges (deleting what the kernel
# is already tearing down is no error); after a first up killed half-way,
# down by lab name (not file) leaves nothing: the lab file is kept before
# the first change, so its node names and their placeholders are known.
source "$(dirname "$0")/lib.sh"
lab t-trk-res
f="$T_DIR/lab.yaml"
"$TOPO" generate chain 60 --name t-trk-res >"$f"
nothing_left() {
	grep -q '^t-trk-res-' <<<"$(ls /run/netns)" && fail "$1: namespaces left: $(ls /run/netns | grep '^t-trk-res-' | head -3)"
	[ -e /run/topo/t-trk-res ] && fail "$1: /run/topo/t-trk-res left"
	return 0
}
s=$(date +%s%N); run_topo 0 up "$f" --no-probe; e=$(date +%s%N)
span=$(( (e - s) / 1000 ))	# microseconds
s=$(date +%s%N); run_topo 0 down t-trk-res; e=$(date +%s%N)
dspan=$(( (e - s) / 1000 + 1 ))

# A down killed at a random moment, then one up must succeed at once.
for i in $(seq 15); do
	run_topo 0 up "$f" --no-probe
	"$TOPO" down t-trk-res >/dev/null 2>&1 & pid=$!
	sleep "$(printf '0.%06d' $(( (RANDOM * 32768 + RANDOM) % dspan )))"
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	run_topo 0 up "$f" --no-probe
	run_topo 0 plan "$f"
done
run_topo 0 down t-trk-res
nothing_left "after the down trials"
pass "after 15 downs killed half-way, one up converged each time"

# A first up killed at a random moment, then down by name leaves nothing.
for i in $(seq 15); do
	at=$(( (RANDOM * 32768 + RANDOM) % (span + 1) ))
	"$TOPO" up "$f" --no-probe >/dev/null 2>&1 & pid=$!
	sleep "$(printf '0.%06d' "$at")"
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	run_topo 0 down t-trk-res
	nothing_left "first up killed after ${at}us, then down t-trk-res"
done
pass "after 15 first ups killed half-way, down by name left nothing"
