#!/usr/bin/env bash
# Development certificates for ix-server's mutual TLS (never for production).
#
#   scripts/dev-certs.sh [DIR] [--test-extras]      (default DIR: dev-certs)
#
# Writes into DIR:
#   ca.crt/ca.key                 a development CA ("Instrument X dev CA")
#   server.crt/server.key         the server: CN localhost, SAN DNS:localhost, IP:127.0.0.1, IP:::1
#   sodertalje.crt/.key           client of municipality 0181 (CN case-system.sodertalje.dev)
#   nynashamn.crt/.key            client of municipality 0192 (CN case-system.nynashamn.dev)
#   stats-sodertalje.crt/.key     reporting client of 0181 (CN stats.sodertalje.dev)
#   stats-nynashamn.crt/.key      reporting client of 0192 (CN stats.nynashamn.dev)
#   admin.crt/.key                the IT team's admin client (CN admin.it.dev): plugin updates
#   readonly-sodertalje.crt/.key  a read_only client of 0181 (CN readonly.sodertalje.dev)
#   callers.json                  the caller map for those identities
# With --test-extras, also the failure cases the tests need:
#   expired.crt/.key              signed by the dev CA, valid 2020-01-01 .. 2020-01-02
#   other-ca.crt/.key             an unrelated CA
#   wrong-ca.crt/.key             a client certificate signed by the unrelated CA
#   unmapped.crt/.key             signed by the dev CA but not in callers.json
#   server-expired.crt/.key       an expired server certificate
# Existing files are kept (idempotent); delete DIR to start over.
set -euo pipefail
dir=${1:-dev-certs}
extras=0
[ "${2:-}" = "--test-extras" ] && extras=1
mkdir -p "$dir"
cd "$dir"
days=825

key() { [ -f "$1.key" ] || openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; chmod 600 "$1.key"; }

# ca NAME CN
ca() {
  [ -f "$1.crt" ] && return 0
  key "$1"
  openssl req -x509 -new -key "$1.key" -sha256 -days "$days" -subj "/O=Instrument X dev/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$1.crt" 2>/dev/null
}

# leaf NAME CN SAN USAGE CA   (USAGE: serverAuth or clientAuth)
leaf() {
  [ -f "$1.crt" ] && return 0
  key "$1"
  openssl req -new -key "$1.key" -subj "/O=Instrument X dev/CN=$2" -out "$1.csr" 2>/dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=%s\nbasicConstraints=CA:FALSE\n' "$3" "$4" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$5.crt" -CAkey "$5.key" -CAcreateserial -sha256 \
    -days "$days" -extfile "$1.ext" -out "$1.crt" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

# expired NAME CN SAN USAGE CA: valid 2020-01-01 .. 2020-01-02 (openssl ca sets the dates).
expired() {
  [ -f "$1.crt" ] && return 0
  key "$1"
  openssl req -new -key "$1.key" -subj "/O=Instrument X dev/CN=$2" -out "$1.csr" 2>/dev/null
  local db; db=$(mktemp -d)
  touch "$db/index.txt"
  cat > "$db/ca.cnf" <<CNF
[ ca ]
default_ca = dev
[ dev ]
database = $db/index.txt
new_certs_dir = $db
serial = $db/serial
default_md = sha256
policy = any
x509_extensions = ext
copy_extensions = none
[ any ]
organizationName = optional
commonName = supplied
[ ext ]
subjectAltName = $3
extendedKeyUsage = $4
basicConstraints = CA:FALSE
CNF
  echo 01 > "$db/serial"
  openssl ca -batch -config "$db/ca.cnf" -cert "$5.crt" -keyfile "$5.key" -in "$1.csr" \
    -startdate 20200101000000Z -enddate 20200102000000Z -out "$1.crt" -notext 2>/dev/null
  rm -rf "$db" "$1.csr"
}

ca ca "Instrument X dev CA"
leaf server localhost "DNS:localhost,IP:127.0.0.1,IP:::1" serverAuth ca
leaf sodertalje case-system.sodertalje.dev "DNS:case-system.sodertalje.dev" clientAuth ca
leaf nynashamn case-system.nynashamn.dev "DNS:case-system.nynashamn.dev" clientAuth ca
leaf stats-sodertalje stats.sodertalje.dev "DNS:stats.sodertalje.dev" clientAuth ca
leaf stats-nynashamn stats.nynashamn.dev "DNS:stats.nynashamn.dev" clientAuth ca
leaf admin admin.it.dev "DNS:admin.it.dev" clientAuth ca
leaf readonly-sodertalje readonly.sodertalje.dev "DNS:readonly.sodertalje.dev" clientAuth ca

# Rewritten when it predates an identity above (an older dev-certs.sh wrote fewer callers).
grep -q '"readonly.sodertalje.dev"' callers.json 2>/dev/null || cat > callers.json <<'JSON'
{
  "callers": [
    { "identity": "case-system.sodertalje.dev", "municipality_code": "0181", "role": "case_system" },
    { "identity": "case-system.nynashamn.dev", "municipality_code": "0192", "role": "case_system" },
    { "identity": "stats.sodertalje.dev", "municipality_code": "0181", "role": "reporting" },
    { "identity": "stats.nynashamn.dev", "municipality_code": "0192", "role": "reporting" },
    { "identity": "admin.it.dev", "municipality_code": "0181", "role": "admin" },
    { "identity": "readonly.sodertalje.dev", "municipality_code": "0181", "role": "read_only" }
  ]
}
JSON

if [ "$extras" = 1 ]; then
  expired expired expired.sodertalje.dev "DNS:expired.sodertalje.dev" clientAuth ca
  expired server-expired localhost "DNS:localhost,IP:127.0.0.1" serverAuth ca
  ca other-ca "Some other CA"
  leaf wrong-ca case-system.sodertalje.dev "DNS:case-system.sodertalje.dev" clientAuth other-ca
  leaf unmapped unmapped.example.dev "DNS:unmapped.example.dev" clientAuth ca
fi
rm -f ./*.srl
echo "dev-certs: certificates in $(pwd)"
