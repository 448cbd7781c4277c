#!/usr/bin/env bash
# Package test, as an IT team would live it, on this machine (root required; CI runs it):
#   1. build the Debian packages from BUILD_DIR (default: build) with cpack
#   2. dpkg -i them; check files, the plugin's single export, ixctl from /usr/bin
#   3. build a vendor's out-of-tree project against the installed SDK (find_package)
#   4. upgrade to a newer package version (UPGRADE_BUILD_DIR, built with -DIX_VERSION=…)
#   5. remove and purge; check nothing is left behind
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
step() { printf '\n=== %s\n' "$*"; }
fail() { echo "test-packages: FAILED: $*" >&2; exit 1; }

packages_of() {  # build dir -> directory with its .deb files
  local out="$work/$(basename "$1")-debs"
  mkdir -p "$out"
  (cd "$1" && cpack -G DEB -B "$out" >/dev/null)
  rm -rf "$out/_CPack_Packages"
  echo "$out"
}

step "cpack in $build_dir"
debs=$(packages_of "$build_dir")
ls -1 "$debs"
for p in plugin cli sdk; do ls "$debs"/instrument-x-${p}_*.deb >/dev/null || fail "no instrument-x-$p package"; done

step "dpkg -i"
dpkg -i "$debs"/*.deb
version=$(dpkg-query -W -f='${Version}' instrument-x-plugin)
echo "installed instrument-x-plugin $version"
test -f /usr/lib/instrument-x/libinstrument_x.so || fail "plugin not installed"
exports=$(nm -D --defined-only /usr/lib/instrument-x/libinstrument_x.so | awk '{print $3}')
[ "$exports" = "ix_plugin_entry_v1" ] || fail "installed plugin exports: $exports"
/usr/bin/ixctl describe | tee "$work/describe.txt"
grep -q "instrument-x@" "$work/describe.txt" || fail "ixctl describe from /usr/bin found no instrument"
/usr/bin/ixctl validate /usr/share/instrument-x/examples/household.json --as-of 2025-06-01

step "vendor project against the installed SDK (find_package(InstrumentX))"
cp -r tests/packaging/vendor-project "$work/vendor"
cmake -S "$work/vendor" -B "$work/vendor/build" >/dev/null
cmake --build "$work/vendor/build" >/dev/null
"$work/vendor/build/vendor_host" | tee "$work/vendor.txt"
grep -q "loaded instrument-x $version" "$work/vendor.txt" || fail "vendor host did not load the installed plugin $version"

if [ -n "${UPGRADE_BUILD_DIR:-}" ]; then
  step "upgrade with packages from $UPGRADE_BUILD_DIR"
  new_debs=$(packages_of "$UPGRADE_BUILD_DIR")
  dpkg -i "$new_debs"/*.deb
  new_version=$(dpkg-query -W -f='${Version}' instrument-x-plugin)
  echo "upgraded instrument-x-plugin $version -> $new_version"
  dpkg --compare-versions "$new_version" gt "$version" || fail "version did not increase"
  /usr/bin/ixctl describe | grep -q "instrument-x $new_version" || fail "ixctl does not report the upgraded plugin $new_version"
  "$work/vendor/build/vendor_host" | grep -q "loaded instrument-x $new_version" || fail "vendor host does not see the upgrade"
fi

step "remove and purge"
dpkg --purge $(dpkg-query -W -f='${Package}\n' 'instrument-x-*' | tr '\n' ' ')
[ ! -e /usr/lib/instrument-x/libinstrument_x.so ] || fail "plugin left behind"
[ ! -e /usr/bin/ixctl ] || fail "ixctl left behind"
[ ! -e /usr/include/ix/plugin.h ] || fail "SDK header left behind"
echo "test-packages: all package checks passed"
