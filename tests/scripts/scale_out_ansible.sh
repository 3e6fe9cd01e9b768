# The Ansible playbook of scripts/scale-out/ passes `ansible-playbook
# --syntax-check` with its example inventory (nothing is contacted).
set -euo pipefail
TOPO_SRC=${TOPO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
source "$TOPO_SRC/tests/skip.bash"
need_tool ansible-playbook "checks the playbook's syntax (Debian: ansible-core)"
T_DIR=$(mktemp -d /tmp/topo-ansible.XXXXXX)
trap 'rm -rf "$T_DIR"' EXIT
cd "$TOPO_SRC/scripts/scale-out/ansible"
out=$(ANSIBLE_LOCAL_TEMP=$T_DIR ANSIBLE_HOME=$T_DIR ansible-playbook --syntax-check \
	-i inventory.ini playbook.yml 2>&1) || { echo "FAIL: ansible-playbook --syntax-check: $out" >&2; exit 1; }
echo "ok: the playbook's syntax: ${out//$'\n'/ }"
