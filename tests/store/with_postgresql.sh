#!/usr/bin/env bash
# Runs a test program against a throw-away PostgreSQL cluster: pg_virtualenv (postgresql-common)
# creates it on loopback, exports PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE for the program,
# and drops the cluster when the program ends (also when it fails).
# Without PostgreSQL: exit 77 (ctest: skipped) — but under CI=true that is a failure, so a CI
# image without the server cannot pass by testing SQLite only.
set -euo pipefail
if ! command -v pg_virtualenv >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then
    echo "with_postgresql: pg_virtualenv or the PostgreSQL server is missing (scripts/install-deps.sh installs postgresql-15)" >&2
    exit 1
  fi
  echo "with_postgresql: no PostgreSQL here; skipped" >&2
  exit 77
fi
# -t: a cluster in a temporary folder even as root, so two tests (ctest -j) or two checkouts on
# one machine each get their own instead of refusing because "regress" exists.
exec pg_virtualenv -t -- "$@"
