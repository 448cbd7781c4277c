#!/usr/bin/env bash
# Writes the ABI baselines of a release into OUT_DIR (see README.md beside this script):
#   make-baseline.sh RELEASE_SOURCE_TREE RELEASE_BUILD_DIR OUT_DIR
# RELEASE_BUILD_DIR must hold that tree's RelWithDebInfo build of the target instrument_x.
set -euo pipefail
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
out=$3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
# The options abi_gate.py uses: no machine paths in the XML (it is compared on other
# machines), only the public entry points and the types they reach.
abidw_opts=(--no-corpus-path --no-comp-dir-path --short-locs --drop-private-types
            --drop-undefined-syms --suppressions "$here/public-symbols.abignore"
            --headers-dir "$src/plugin-api/include")

abidw "${abidw_opts[@]}" --out-file "$out/instrument_x.abi" \
  "$build/instrument-x/plugin/libinstrument_x.so"
# The plugin's corpus still describes every type its translation units define (some MB of XML);
# stored compressed, abi_gate.py decompresses it.
xz -9e -T1 -f "$out/instrument_x.abi"

# The SDK probe, compiled as tests/compat/CMakeLists.txt compiles it (RelWithDebInfo C flags,
# then -g -O0 -fno-ipa-icf), against the release's public headers.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cc -O2 -g -DNDEBUG -fPIC -fvisibility=hidden -std=c11 -g -O0 -fno-ipa-icf \
  -I "$src/plugin-api/include" -shared -o "$scratch/libix_sdk_abi_probe.so" "$here/sdk_abi_probe.c"
abidw "${abidw_opts[@]}" --out-file "$out/sdk_probe.abi" "$scratch/libix_sdk_abi_probe.so"
echo "make-baseline: wrote $out/instrument_x.abi.xz and $out/sdk_probe.abi"
