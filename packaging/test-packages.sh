#!/usr/bin/env bash
# Package test, as an IT team would live it, on this machine (root required; CI runs it):
#   1. build the Debian packages from BUILD_DIR (default: build) with cpack
#   2. dpkg -i them; check files, the plugin's single export, ixctl from /usr/bin
#   3. build a vendor's out-of-tree project against the installed SDK (find_package)
#   4. start the packaged service (the unit's ExecStart as its User=; systemd is not PID 1 on
#      CI machines, so the unit's command runs directly), call it over mutual TLS, deploy a signed
#      bundle into it under load from a counting client (zero failed calls), see which version
#      serves, refuse a tampered bundle, roll back with one command, stop it
#   5. upgrade to newer packages and start the service again on the upgraded plugin
#      (UPGRADE_DEBS_DIR: prebuilt .deb files, or UPGRADE_BUILD_DIR: a build made with
#      -DIX_VERSION=…; without either, step 4 redeploys the installed version and 5 is skipped)
# DEBS_DIR: use these prebuilt .deb files instead of running cpack in BUILD_DIR.
#   6. remove and purge; check nothing is left behind
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n=== %s\n' "$*"; }
fail() { echo "test-packages: FAILED: $*" >&2; exit 1; }

packages_of() {  # build dir -> directory with its .deb files
  local out="$work/$(basename "$1")-debs"
  mkdir -p "$out"
  (cd "$1" && cpack -G DEB -B "$out" >/dev/null)
  rm -rf "$out/_CPack_Packages"
  echo "$out"
}

# --- the packaged service --------------------------------------------------------------------
unit=/lib/systemd/system/instrument-x.service
service_user() { sed -n 's/^User=//p' "$unit"; }
admin() { /usr/bin/ixctl admin --server "127.0.0.1:$port" --certs-dir /etc/instrument-x/admin "$@"; }

# The IT team's first configuration: certificates, the callers, a trusted publisher key.
configure_service() {
  scripts/dev-certs.sh "$work/certs" >/dev/null
  install -m 0640 -o root -g instrument-x "$work/certs/server.crt" /etc/instrument-x/tls/server.crt
  install -m 0640 -o root -g instrument-x "$work/certs/server.key" /etc/instrument-x/tls/server.key
  install -m 0640 -o root -g instrument-x "$work/certs/ca.crt" /etc/instrument-x/tls/client-ca.crt
  [ "$(stat -c %a /etc/instrument-x/admin)" = 700 ] || fail "/etc/instrument-x/admin is not 0700"
  install -m 0600 "$work/certs/admin.crt" "$work/certs/admin.key" "$work/certs/ca.crt" /etc/instrument-x/admin/
  cat > /etc/instrument-x/callers.json <<'JSON'
{ "callers": [
    { "identity": "case-system.sodertalje.dev", "municipality_code": "0181", "role": "case_system" },
    { "identity": "admin.it.dev", "municipality_code": "0181", "role": "admin" } ] }
JSON
  (cd "$work" && /usr/bin/ixctl bundle keygen publisher >/dev/null)
  printf '{"keys": [{"name": "publisher (test)", "public_key": "%s"}]}\n' "$(cat "$work/publisher.pub")" \
    > /etc/instrument-x/trusted-keys.json
  /usr/bin/ix-server --config /etc/instrument-x/server.json --check-config
}

# Runs the unit's ExecStart as the unit's user (on a free port, flags override the config),
# waits until it serves.
start_service() {
  local exec_start
  exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
  rm -f /var/lib/instrument-x/port
  # shellcheck disable=SC2086  # ExecStart is a command line
  # setpriv execs (no fork): $! is ix-server itself, so SIGTERM reaches it as systemd's would.
  # The counting client drives one caller far above any municipality's rate; the per-caller
  # rate limit is policy, not capacity, and would refuse it (RESOURCE_EXHAUSTED with RetryInfo):
  # switched off here, every other limit stays as packaged.
  setpriv --reuid="$(service_user)" --regid="$(service_user)" --init-groups -- $exec_start --listen 127.0.0.1:0 \
    --port-file /var/lib/instrument-x/port --limits-calls-per-second-per-caller 0 > "$work/server.out" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do [ -s /var/lib/instrument-x/port ] && break; sleep 0.1; done
  [ -s /var/lib/instrument-x/port ] || { cat "$work/server.out"; fail "the service did not start"; }
  port=$(cat /var/lib/instrument-x/port)
  [ "$(stat -c %U "/proc/$server_pid")" = "$(service_user)" ] || fail "ix-server does not run as $(service_user)"
  echo "ix-server serves on 127.0.0.1:$port as user $(service_user)"
}

stop_service() {
  kill -TERM "$server_pid"
  wait "$server_pid" || fail "ix-server did not stop cleanly on SIGTERM"
  server_pid=""
}

# Deploys a signed bundle of PLUGIN (VERSION) under load, checks a tampered copy is refused,
# rolls back, and checks the counting client lost nothing.
deploy_under_load() {
  local plugin=$1 new=$2 running=$3 bundle=/var/lib/instrument-x/incoming/instrument-x-$2
  rm -rf "$bundle" "$bundle-tampered" "$work/stop" "$work/ready"
  packaging/make-bundle.sh --plugin "$plugin" --key "$work/publisher.key" --out "$bundle" \
    --ixctl /usr/bin/ixctl >/dev/null 2>&1
  cp -r "$bundle" "$bundle-tampered"
  printf ' ' >> "$bundle-tampered/selftest/01-valid-household.json"
  chgrp -R instrument-x "$bundle" "$bundle-tampered"
  chmod -R g+rX "$bundle" "$bundle-tampered"

  /usr/bin/python3 adapters/server/clients/python/load_client.py --target "127.0.0.1:$port" \
    --certs "$work/certs" --client sodertalje --proto-root proto --examples docs/examples \
    --threads 4 --until-file "$work/stop" --ready-file "$work/ready" --seconds 120 \
    > "$work/load.json" &
  local load_pid=$!
  for _ in $(seq 300); do [ -e "$work/ready" ] && break; sleep 0.1; done
  [ -e "$work/ready" ] || fail "the load client did not start"

  admin deploy "$bundle" | tee "$work/deploy.txt"
  grep -q "deployed: $new now serves (was $running)" "$work/deploy.txt" || fail "deploy of $new"
  admin status | tee "$work/status.txt"
  grep -q "active version $new" "$work/status.txt" || fail "status does not show $new serving"
  sleep 1
  if admin deploy "$bundle-tampered" > "$work/tampered.txt" 2>&1; then fail "a tampered bundle was deployed"; fi
  cat "$work/tampered.txt"
  grep -q "IX_BUNDLE_HASH_MISMATCH" "$work/tampered.txt" || fail "tampered bundle: wrong reason"
  admin rollback | tee "$work/rollback.txt"
  grep -q "rolled back: $running now serves (was $new)" "$work/rollback.txt" || fail "rollback to $running"
  sleep 1
  touch "$work/stop"
  wait "$load_pid" || { cat "$work/load.json"; fail "the counting client saw failed or lost calls"; }
  cat "$work/load.json"
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["sent"] == d["ok"] > 0, d' \
    "$work/load.json" || fail "load summary"
  grep -q '"PluginAdmin.Deploy"' /var/log/instrument-x/audit.log || fail "no audit record of the deployment"
  grep -q "plugin activate: $new" /var/log/instrument-x/server.log || fail "no log line of the activation"
}

if [ -n "${DEBS_DIR:-}" ]; then
  step "packages from $DEBS_DIR"
  debs=$DEBS_DIR
else
  step "cpack in $build_dir"
  debs=$(packages_of "$build_dir")
fi
new_debs=""
if [ -n "${UPGRADE_DEBS_DIR:-}" ]; then
  new_debs=$UPGRADE_DEBS_DIR
elif [ -n "${UPGRADE_BUILD_DIR:-}" ]; then
  new_debs=$(packages_of "$UPGRADE_BUILD_DIR")
fi
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

step "start the packaged service, deploy a signed bundle under load, roll back"
configure_service
start_service
if [ -n "$new_debs" ]; then  # the newer release's plugin, as its package ships it
  dpkg-deb -x "$(ls "$new_debs"/instrument-x-plugin_*.deb)" "$work/next-plugin"
  next_plugin="$work/next-plugin/usr/lib/instrument-x/libinstrument_x.so"
else  # no newer build: redeploy this version (installed beside it, as <version>-2)
  next_plugin=/usr/lib/instrument-x/libinstrument_x.so
fi
next_version=$(/usr/bin/ixctl --plugin "$next_plugin" describe | sed -n 's/^plugin  *instrument-x \([^ ]*\).*/\1/p' | head -1)
[ -n "$next_version" ] || fail "cannot read the version of $next_plugin"
deploy_under_load "$next_plugin" "$next_version" "$version"
stop_service
# Keys apart from the data: the key folder as postinst made it, the audit key in it and owner-
# only, no key anywhere in the state or log directories; a key others may read stops the server.
[ "$(stat -c '%a %U %G' /etc/instrument-x/keys)" = "2770 root instrument-x" ] || fail "/etc/instrument-x/keys: $(stat -c '%a %U %G' /etc/instrument-x/keys)"
[ "$(stat -c '%a %U' /etc/instrument-x/keys/audit.key)" = "600 $(service_user)" ] || fail "audit key not in /etc/instrument-x/keys, owner-only"
[ -z "$(find /var/lib/instrument-x /var/log/instrument-x -name '*.key' -o -name '*.secret')" ] || fail "a key in the state or log directory"
chmod 0644 /etc/instrument-x/keys/audit.key
if setpriv --reuid="$(service_user)" --regid="$(service_user)" --init-groups -- /usr/bin/ix-server \
    --config /etc/instrument-x/server.json --listen 127.0.0.1:0 > "$work/refused.out" 2>&1; then
  fail "ix-server started with a world-readable audit key"
fi
grep -q "audit.key: key has mode 0644" "$work/refused.out" || { cat "$work/refused.out"; fail "refusal does not name the key and its mode"; }
chmod 0600 /etc/instrument-x/keys/audit.key
if grep -Eq '[0-9]{8}-[0-9]{4}' /var/log/instrument-x/*.log; then fail "a personnummer-like string is in the logs"; fi
[ "$(stat -c %U /var/log/instrument-x/server.log)" = "$(service_user)" ] || fail "server.log not owned by the service user"

if [ -n "$new_debs" ]; then
  step "upgrade with the packages in $new_debs"
  dpkg -i "$new_debs"/*.deb
  new_version=$(dpkg-query -W -f='${Version}' instrument-x-plugin)
  echo "upgraded instrument-x-plugin $version -> $new_version"
  dpkg --compare-versions "$new_version" gt "$version" || fail "version did not increase"
  /usr/bin/ixctl describe | grep -q "instrument-x $new_version" || fail "ixctl does not report the upgraded plugin $new_version"
  "$work/vendor/build/vendor_host" | grep -q "loaded instrument-x $new_version" || fail "vendor host does not see the upgrade"
  # The configuration the IT team wrote survives the upgrade (conffiles), and the service
  # starts on the upgraded plugin.
  grep -q "admin.it.dev" /etc/instrument-x/callers.json || fail "callers.json lost on upgrade"
  start_service
  admin status | tee "$work/status-upgraded.txt"
  grep -q "active version $new_version" "$work/status-upgraded.txt" || fail "the upgraded service does not serve $new_version"
  stop_service
fi

step "remove and purge"
dpkg --purge $(dpkg-query -W -f='${Package}\n' 'instrument-x-*' | tr '\n' ' ')
[ ! -e /usr/lib/instrument-x/libinstrument_x.so ] || fail "plugin left behind"
[ ! -e /usr/bin/ixctl ] || fail "ixctl left behind"
[ ! -e /usr/include/ix/plugin.h ] || fail "SDK header left behind"
[ ! -e /var/lib/instrument-x ] || fail "/var/lib/instrument-x left behind after purge"
[ ! -e /etc/instrument-x/admin ] || fail "/etc/instrument-x/admin left behind after purge"
[ ! -e /etc/instrument-x/keys ] || fail "/etc/instrument-x/keys left behind after purge"
echo "test-packages: all package checks passed"
