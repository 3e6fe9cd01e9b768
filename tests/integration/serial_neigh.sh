# The neighbour tables are one per family for the whole machine: topo warns
# before up when a lab can overflow gc_thresh3 (naming the setting), and
# --tune-host raises it. Runs alone (it lowers a machine-wide limit for a
# moment) and puts the machine's values back.
source "$(dirname "$0")/lib.sh"
lab t-neigh
f="$T_DIR/lab.yaml"
"$TOPO" generate chain 25 --name t-neigh >"$f"	# 24 links: 48 IPv4 neighbours
p=/proc/sys/net/ipv4/neigh/default
old1=$(cat $p/gc_thresh1) old2=$(cat $p/gc_thresh2) old3=$(cat $p/gc_thresh3)
restore() { echo "$old3" >$p/gc_thresh3; echo "$old2" >$p/gc_thresh2; echo "$old1" >$p/gc_thresh1; }
trap 'rc=$?; restore; (exit $rc); t_cleanup' EXIT
echo 8 >$p/gc_thresh1; echo 16 >$p/gc_thresh2; echo 40 >$p/gc_thresh3

run_topo 0 up "$f" --no-probe
contains "$ERR" "this lab can need 48 IPv4 neighbour entries"
contains "$ERR" "net.ipv4.neigh.default.gc_thresh3 = 40"
contains "$ERR" "--tune-host"
[ "$(cat $p/gc_thresh3)" = 40 ] || fail "up without --tune-host changed gc_thresh3"
run_topo 0 up "$f" --no-probe --tune-host
contains "$ERR" "tune-host: net.ipv4.neigh.default.gc_thresh3 40 -> "
[ "$(cat $p/gc_thresh3)" -ge 96 ] || fail "gc_thresh3 not raised: $(cat $p/gc_thresh3)"
run_topo 0 probe "$f"
pass "overflow foreseen and named; --tune-host raises the limit; probes pass"

restore
run_topo 0 up "$f" --no-probe
lacks "$ERR" "neighbour entries" "up with the machine's own limit ($old3)"
pass "no warning when the lab fits"
