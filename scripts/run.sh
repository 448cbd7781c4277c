#!/usr/bin/env bash
# The main job on embedded defaults, start to finish:
#   install what is missing, build, create development certificates (dev-certs/), start
#   ix-server with the bundled plugin on loopback over mutual TLS, wait until it is SERVING
#   (plugin negotiated and self-tested), then call it from Python as a municipality's case
#   system would — validate households, suggest categories with explanations, record an
#   assessment, list due items, show a refused cross-municipality call — and stop the server.
# To keep a server running instead: scripts/run-server.sh (and scripts/call-server.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
build_dir=${BUILD_DIR:-build}
BUILD_DIR="$build_dir" ./scripts/build.sh
./scripts/dev-certs.sh dev-certs >/dev/null

state=var/ix-server
mkdir -p "$state"
rm -f "$state/port"
echo "run: starting ix-server (bundled plugin, 127.0.0.1, mutual TLS, certificates in dev-certs/, event store $state/store/)"
"$build_dir/adapters/server/ix-server" --certs-dir dev-certs --listen 127.0.0.1:0 \
  --port-file "$state/port" --audit-log "$state/audit.log" --log-file "$state/server.log" \
  --store-dir "$state/store" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT

for _ in $(seq 1 300); do  # up to 30 s: the port file appears once the server is SERVING
  [ -s "$state/port" ] && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "run: ix-server stopped during start-up; see $state/server.log" >&2
    exit 1
  fi
  sleep 0.1
done
[ -s "$state/port" ] || { echo "run: ix-server did not become SERVING within 30 s; see $state/server.log" >&2; exit 1; }
port=$(cat "$state/port")
echo "run: ix-server is SERVING on 127.0.0.1:$port"
echo
IX_TARGET="localhost:$port" ./scripts/call-server.sh
echo
echo "run: done. Audit log (pseudonymised): $state/audit.log; operational log: $state/server.log"
echo "run: to keep a server running: scripts/run-server.sh, then scripts/call-server.sh in another terminal"
