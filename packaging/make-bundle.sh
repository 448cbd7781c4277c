#!/usr/bin/env bash
# Assembles and signs a plugin bundle, as a publisher does for each release (docs/updates.md):
#
#   packaging/make-bundle.sh --plugin libinstrument_x.so --key release.key --out DIR \
#       [--ixctl /usr/bin/ixctl] [--build KEY=VALUE]...
#
# DIR gets:
#   lib/libinstrument_x.so   the plugin
#   definitions/             the instrument definitions, rule sets, profiles and catalogues it
#                            embeds (instrument-x/definitions), for the record and for review
#   selftest/                the golden cases (instrument-x/selftest) the server runs before it
#                            switches any call to this version
#   manifest.json/.sig       written by `ixctl bundle sign`: version and ABI range read from the
#                            plugin itself, SHA-256 of every file, Ed25519 signature
# The secret key never enters the bundle. Make a key pair once with `ixctl bundle keygen NAME`.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
plugin="" key="" out="" ixctl="${IXCTL:-ixctl}"
build=()
usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --plugin) plugin=$2; shift 2 ;;
    --key) key=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --ixctl) ixctl=$2; shift 2 ;;
    --build) build+=(--build "$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "make-bundle: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$plugin" ] && [ -n "$key" ] && [ -n "$out" ] || { usage >&2; exit 2; }
[ -f "$plugin" ] || { echo "make-bundle: --plugin: no file '$plugin'" >&2; exit 2; }
[ -f "$key" ] || { echo "make-bundle: --key: no file '$key'" >&2; exit 2; }
[ ! -e "$out" ] || { echo "make-bundle: --out: '$out' exists; refusing to overwrite" >&2; exit 2; }

out=$(realpath -m "$out")
mkdir -p "$out/lib" "$out/definitions" "$out/selftest"
cp "$plugin" "$out/lib/libinstrument_x.so"
(cd "$here/instrument-x/definitions" && find . -name '*.json' -not -path './compiler/*' -print0 |
  xargs -0 -I{} cp --parents {} "$out/definitions/")
cp "$here"/instrument-x/selftest/*.json "$out/selftest/"
revision=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)
"$ixctl" bundle sign "$out" --key "$key" --plugin-file lib/libinstrument_x.so \
  --build "revision=$revision" "${build[@]}"
