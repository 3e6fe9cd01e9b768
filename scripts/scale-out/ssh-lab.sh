#!/bin/sh
# One topo lab across several machines over plain ssh: the lab file is
# copied to each machine, and each brings up its part with its own name
# (`topo up lab.yaml --host NAME`: the nodes the file places on NAME with
# `host:`, and a VXLAN tunnel for each link to a node on another machine).
# The parts go up at once, one ssh per machine; the probes run after all
# are up, each on the machine of its source node.
#
#   scripts/scale-out/ssh-lab.sh up placed.yaml a b c
#   scripts/scale-out/ssh-lab.sh down placed.yaml a b c
#
# Each NAME is both the ssh destination and a name of the file's hosts:
# (an ~/.ssh/config Host entry makes them the same). The remote user needs
# root: set TOPO="sudo topo" for sudo. In its simplest form this is
#
#   for h in a b c; do ssh $h topo up lab.yaml --host $h; done
#
# Exit status: 0, 1 when a machine failed, 3 when a probe failed.
set -u
[ $# -ge 3 ] || { sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 1; }
action=$1 file=$2
shift 2
case $action in up | down) ;; *) echo "ssh-lab: up or down, not '$action'" >&2; exit 1 ;; esac
[ -r "$file" ] || { echo "ssh-lab: cannot read $file" >&2; exit 1; }
TOPO=${TOPO:-topo}
SSH=${SSH:-ssh}
SCP=${SCP:-scp}
remote=topo-lab.yaml

pids=
for h in "$@"; do
	{
		if [ "$action" = up ]; then
			"$SCP" -q "$file" "$h:$remote" &&
				"$SSH" "$h" "$TOPO up $remote --host $h --no-probe -q"
		else
			"$SSH" "$h" "$TOPO down $remote --host $h"
		fi
	} &
	pids="$pids $!"
done
rc=0
for p in $pids; do
	wait "$p" || rc=1
done
if [ $rc != 0 ]; then
	echo "ssh-lab: $action failed on a machine (above)" >&2
	exit 1
fi
[ "$action" = up ] || exit 0
for h in "$@"; do
	"$SSH" "$h" "$TOPO probe $remote --host $h" || rc=$?
	[ "$rc" = 0 ] || [ "$rc" = 3 ] || { echo "ssh-lab: probes on $h: exit $rc" >&2; exit 1; }
done
exit $rc
