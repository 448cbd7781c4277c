#!/usr/bin/env bash
# Calls a running ix-server (scripts/run-server.sh) from Python over mutual TLS as
# Södertälje's case system (dev-certs/sodertalje.crt): who am I, describe, validate the sample
# households, suggest categories with explanations, record an assessment, history, due items,
# and another municipality's household (refused).
#   IX_TARGET=localhost:50052 scripts/call-server.sh
set -euo pipefail
cd "$(dirname "$0")/.."
exec /usr/bin/python3 adapters/server/clients/python/call_server.py \
  --target "${IX_TARGET:-localhost:50051}" --certs dev-certs --proto-root proto \
  --examples docs/examples "$@"
