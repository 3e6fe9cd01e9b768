# topo save keeps what runs in a node: its files (inline content, and a
# relative source as an absolute path), dirs and run: processes with their
# env and ready. The copy, up under another name, runs the same software
# over the same files, and plans nothing more.
source "$(dirname "$0")/lib.sh"
lab t-savesw
lab t-savesw2
mkdir -p "$T_DIR/lab"
echo "port=1" >"$T_DIR/lab/app.conf"
f="$T_DIR/lab/lab.yaml"
cat >"$f" <<'YAML'
name: t-savesw
nodes:
  h1:
    files:
      /etc/motd: { content: "hello\nworld \"q\" # not a comment\n" }
      /etc/app.conf: app.conf
    dirs: [/var/run/app]
    run:
      - sleep 1000
      - { name: web, cmd: "python3 -m http.server 8080", ready: { tcp: 8080, timeout: 30s }, env: { X: "1", MODE: test } }
  h2: {}
links:
  - endpoints: ["h1:eth0 10.0.0.1/24", "h2:eth0 10.0.0.2/24"]
YAML
run_topo 0 up "$f" --no-probe
cd "$T_DIR"	# the saved file is read from elsewhere than the lab's directory
run_topo 0 save t-savesw --name t-savesw2 -o "$T_DIR/copy.yaml"
saved=$(cat "$T_DIR/copy.yaml")
contains "$saved" '      /etc/motd: { content: "hello\nworld \"q\" # not a comment\n" }'
contains "$saved" "      /etc/app.conf: $T_DIR/lab/app.conf"
contains "$saved" "    dirs: [/var/run/app]"
contains "$saved" "      - { name: sleep, cmd: sleep 1000 }"
contains "$saved" '      - { name: web, cmd: python3 -m http.server 8080, env: { X: "1", MODE: test }, ready: { tcp: 8080, timeout: 30s } }'
run_topo 0 up "$T_DIR/copy.yaml" --no-probe
contains "$OUT" "h1: process web is ready (tcp port 8080)"
run_topo 0 exec t-savesw2 h1 -- sh -c 'cat /etc/motd /etc/app.conf; test -d /var/run/app && echo dir'
[ "$OUT" = $'hello\nworld "q" # not a comment\nport=1\ndir' ] || fail "the copy's h1 sees:"$'\n'"$OUT"
run_topo 0 status t-savesw2
grep -Eq "process web pid [0-9]+ running since" <<<"$OUT" || fail "web does not run in the copy:"$'\n'"$OUT"
run_topo 0 plan "$T_DIR/copy.yaml"
contains "$OUT" "No changes."
pass "save keeps files, dirs and run:; the copy runs the same software over the same files"
run_topo 0 down t-savesw2
run_topo 0 down t-savesw
