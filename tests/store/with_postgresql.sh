#!/usr/bin/env bash
# Runs a test program against a throw-away PostgreSQL cluster: pg_virtualenv (postgresql-common)
# creates it on loopback, exports PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE for the program,
# and drops the cluster when the program ends (also when it fails).
# Without PostgreSQL: a skip (exit 77), but under CI=true a failure (tests/missing_stack.sh), so a CI
# image without the server cannot pass by testing SQLite only.
set -euo pipefail
# shellcheck source=../missing_stack.sh
source "$(dirname "$0")/../missing_stack.sh"
if ! command -v pg_virtualenv >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing_stack "with_postgresql: pg_virtualenv or the PostgreSQL server is missing (scripts/install-deps.sh installs postgresql-15)"
fi
# -t: a cluster in a temporary folder even as root, so two tests (ctest -j) or two checkouts on
# one machine each get their own instead of refusing because "regress" exists. PGPORT: a port
# the kernel just handed out, so clusters started at the same moment do not all take the first
# free one from 5432 and collide (pg_virtualenv passes PGPORT on to pg_createcluster).
PGPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PGPORT
exec pg_virtualenv -t -- "$@"
