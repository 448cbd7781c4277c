#!/usr/bin/env bash
# Starts ix-server on embedded defaults: the bundled plugin, loopback 127.0.0.1:50051 (REST/JSON
# on 127.0.0.1:8443), mutual
# TLS with development certificates (generated into dev-certs/ if missing), the SQLite event
# store (one file per municipality, when the build has adapters/store) and audit log under
# var/ix-server/, their pseudonym keys apart in var/ix-server-keys/ (docs/privacy.md).
# Installs packages and builds first.
#   IX_LISTEN=127.0.0.1:50052 scripts/run-server.sh       another port
#   IX_REST_LISTEN=127.0.0.1:8444 scripts/run-server.sh   another REST/JSON port (docs/rest.md)
#   scripts/run-server.sh --log-level debug                extra flags go to ix-server
# Stop it with Ctrl-C. Then, in another terminal: scripts/call-server.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
build_dir=${BUILD_DIR:-build}
BUILD_DIR="$build_dir" ./scripts/build.sh
./scripts/dev-certs.sh dev-certs >/dev/null
state=var/ix-server
mkdir -p "$state"
server="$build_dir/adapters/server/ix-server"
store=()
if "$server" --certs-dir dev-certs --store-dir "$state/store" --check-config >/dev/null 2>&1; then
  store=(--store-dir "$state/store")
fi
echo "run-server: ix-server on ${IX_LISTEN:-127.0.0.1:50051}, REST/JSON on ${IX_REST_LISTEN:-127.0.0.1:8443} (mutual TLS, certificates in dev-certs/, audit log $state/audit.log, event store ${store[1]:-none})"
exec "$server" --certs-dir dev-certs --listen "${IX_LISTEN:-127.0.0.1:50051}" \
  --rest-listen "${IX_REST_LISTEN:-127.0.0.1:8443}" \
  --audit-log "$state/audit.log" "${store[@]}" "$@"
