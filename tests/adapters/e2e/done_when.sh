#!/usr/bin/env bash
# The vendor-adapter and exchange flow, end to end through the real ixctl and plugin:
#   1. a household is entered through the FHIR adapter (a QuestionnaireResponse in),
#   2. it is categorised (suggest, then the caseworker's assessment and försörjningshinder),
#   3. exported as a signed exchange package (consent: moving to Nynäshamn, 0192),
#   4. imported in the second municipality (verified, idempotent) and put into Lifecare's model
#      (the Lifecare export validated against the published Swagger by the independent
#      validator; Reason = the försörjningshinder, the summary note's text checked),
#   5. and counted in that municipality's statistics (event store + report).
# Each step prints STEP n ok / NOT COVERED; a failed check stops the test (exit 1).
# usage: done_when.sh IXCTL VALIDATOR SWAGGER WORKDIR
set -euo pipefail
ixctl=$1 validator=$2 swagger=$3 work=$4
here="$(cd "$(dirname "$0")" && pwd)"
examples="$here/../../../docs/examples"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
expect() { grep -qF -- "$1" "$2" || fail "'$1' not in $2"; }

# 0. The Questionnaire a vendor renders (every definition of the plugin, a FHIR Bundle), valid R4.
mkdir -p fhir
"$ixctl" --lang sv fhir questionnaire --instrument instrument-x@2024.1 -o fhir/questionnaire-2024.1-sv.json 2> /dev/null
"$ixctl" --lang en fhir questionnaire -o fhir/questionnaires-en.json 2> /dev/null
"$validator" fhir fhir > validate-fhir.txt || { cat validate-fhir.txt; fail "ixctl's Questionnaire is not valid FHIR R4"; }
expect '"version": "2024.1"' fhir/questionnaire-2024.1-sv.json
echo "STEP 0 ok: ixctl fhir questionnaire output valid FHIR R4 (FHIR.js)"

# 1. FHIR in.
"$ixctl" fhir to-canonical "$here/household-questionnaire-response.json" -o response.json 2> fhir-report.txt
expect '"instrument_id": "instrument-x"' response.json
expect '"item_id": "am.education"' response.json
echo "STEP 1 ok: QuestionnaireResponse -> canonical response ($(grep -c '"item_id"' response.json) answers)"

# 2. Categorised by the plugin's ix.categorisation/1 extension (through ixctl; the gRPC hop is
#    server_done_when.py's).
cp "$examples/case-household.json" case.json
"$ixctl" suggest case.json --response response.json --answered-on 2024-03-04 > suggest.txt
expect "p1: AM3 R2" suggest.txt
"$ixctl" assess case.json --person p1 --date 2024-03-04 --caseworker "AM3 R2" \
  --forsorjningshinder unemployed_no_benefit --recorded-at 2024-03-04T10:00:00Z > assess-p1.txt
"$ixctl" assess case.json --person p2 --date 2024-03-04 --caseworker "AM2" \
  --forsorjningshinder unemployed_insufficient_benefit --recorded-at 2024-03-04T10:05:00Z > assess-p2.txt
expect "Effective: AM3 + RH R2" assess-p1.txt
echo "STEP 2 ok: categorised (p1 AM3 R2, p2 AM2), försörjningshinder registered"

# 3. Exchange package from Södertälje (0181) to Nynäshamn (0192).
"$ixctl" bundle keygen sodertalje > /dev/null
"$ixctl" exchange keygen nynashamn > /dev/null
[ "$(stat -c %a nynashamn.box.key)" = 600 ] || fail "the encryption secret key is not 0600"
cat > consent.json <<'JSON'
{"consent_id": "c-e2e-1", "scopes": ["CONSENT_SCOPE_RESPONSES", "CONSENT_SCOPE_ASSESSMENTS",
 "CONSENT_SCOPE_FORSORJNINGSHINDER"], "recipient_municipality_code": "0192",
 "purpose": "EXCHANGE_PURPOSE_MOVING", "given_on": "2024-03-04", "expires_on": "2024-06-30",
 "recorded_by": "cw-17", "given_by": ["p1", "p2"]}
JSON
"$ixctl" exchange export case.json --consent consent.json --key sodertalje.key --to nynashamn.box.pub \
  --package-id e2e-0181-0001 \
  --created-at 2024-03-05T08:00:00Z -o package.ixpkg 2> export-report.txt > export.txt
if grep -q "19850312" package.ixpkg; then fail "a personnummer in clear in the package"; fi
echo "STEP 3 ok: signed and encrypted package $(stat -c %s package.ixpkg) bytes"

# 4. Municipality B: verify, import (twice: idempotent), into Lifecare's model.
"$ixctl" exchange verify package.ixpkg --trust sodertalje.pub=0181 --decrypt-key nynashamn.box.key --municipality 0192 --today 2024-03-06 > verify.txt
"$ixctl" exchange import package.ixpkg --trust sodertalje.pub=0181 --decrypt-key nynashamn.box.key --municipality 0192 --today 2024-03-06 \
  --ledger ledger-0192.txt -o case-0192.json > import1.txt
"$ixctl" exchange import package.ixpkg --trust sodertalje.pub=0181 --decrypt-key nynashamn.box.key --municipality 0192 --today 2024-03-06 \
  --ledger ledger-0192.txt -o case-0192-again.json > import2.txt
expect "already imported before; nothing changed" import2.txt
[ ! -e case-0192-again.json ] || fail "a replayed package was applied again"
[ "$(wc -l < ledger-0192.txt)" = 1 ] || fail "ledger should hold one package"
if "$ixctl" exchange import package.ixpkg --trust sodertalje.pub=0181 --decrypt-key nynashamn.box.key --municipality 0180 --today 2024-03-06 \
     --ledger ledger-0180.txt > wrong.txt 2>&1; then fail "imported in a municipality the consent does not name"; fi
expect "consent.recipient_municipality_code: the consent is for 0192, this is 0180" wrong.txt
expect '"municipality_code": "0192"' case-0192.json
mkdir -p lifecare
"$ixctl" lifecare from-canonical case-0192.json -o lifecare/case-0192.json 2> lifecare-report.txt
expect '"Reason": "Arbetslös – ingen ersättning"' lifecare/case-0192.json
expect '"ReasonCoApplicant": "Arbetslös – otillräcklig ersättning"' lifecare/case-0192.json
python3 - lifecare/case-0192.json > note.txt <<'PY'
import base64, json, sys
print(base64.b64decode(json.load(open(sys.argv[1]))["DocumentContents"][0]["Content"]).decode())
PY
expect "Registerledare: behovskategori AM3, R2 från 2024-03-04 (handläggarens bedömning)." note.txt
expect "Medsökande: försörjningshinder Arbetslös – otillräcklig ersättning (2024-03-04)." note.txt
"$validator" lifecare "$swagger" lifecare > validate.txt || { cat validate.txt; fail "Lifecare export does not validate"; }
echo "STEP 4 ok: imported in 0192 (replay recognised, wrong recipient refused); Lifecare export valid against the Swagger"

# 5. Statistics of municipality B.
if "$ixctl" report --help > /dev/null 2>&1 && "$ixctl" import --help > /dev/null 2>&1; then
  # The categorisation events came with the package; the assistance period is 0192's own
  # (the sender's payments stay with the sender): assistance from the day of the move.
  python3 - case-0192.json > events.ndjson <<'PY'
import json, sys
case = json.load(open(sys.argv[1]))
for event in case.get("events", []):
    print(json.dumps(event, ensure_ascii=False))
for person in case["household"]["persons"]:
    if person.get("role") == "HOUSEHOLD_ROLE_CHILD":
        continue
    print(json.dumps({"assistance_period": {
        "header": {"event_id": "0192/" + case["household"]["household_ref"] + "/" + person["person_ref"] + "/assistance/2024-03-06",
                   "municipality_code": "0192",
                   "subject": {"personnummer": person["personnummer"], "sex": person["sex"],
                               "birth_year": int(person["birth_date"][:4]), "birth_month": int(person["birth_date"][5:7])},
                   "effective_date": "2024-03-06", "recorded_at": "2024-03-06T09:00:00Z", "unit": "ekonomiskt-bistand"},
        "start_date": "2024-03-06"}}, ensure_ascii=False))
PY
  [ "$(grep -c categorisation events.ndjson)" = 2 ] || fail "expected the two categorisation events from the package"
  head -c 32 /dev/urandom > secret-0192.key
  "$ixctl" import events.ndjson --store stats-0192.sqlite --secret-file secret-0192.key > import-events.txt
  expect "4 inserted" import-events.txt
  "$ixctl" report snapshot --municipality 0192 --at 2024-03-31 --store stats-0192.sqlite --format json --internal \
    -o snapshot.json
  python3 - snapshot.json <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
assert report["municipality_code"] == "0192", report["municipality_code"]
table = next(t for t in report["tables"] if t["id"] == "snapshot.category_by_sex")
columns = table["column_labels"]
def count(row_label, column):
    row = next(r for r in table["rows"] if r["label"] == row_label)
    return int(row["cells"][columns.index(column)].get("count", 0))
# p1 (woman) AM3 with R2, p2 (man) AM2; looked up by the report's own labels.
for row, column, expected in [("AM + RH R2 (mental)", "Women", 1), ("AM + RH R2 (mental)", "Men", 0),
                              ("AM2", "Women", 0), ("AM2", "Men", 1), ("Total", "Women", 1),
                              ("Total", "Men", 1), ("Total", "Total", 2)]:
    assert count(row, column) == expected, (row, column, count(row, column), expected)
print("snapshot 0192 on 2024-03-31: women AM+RH R2 = 1, men AM2 = 1, total 2")
PY
  echo "STEP 5 ok: counted in 0192's statistics (snapshot by category and sex)"
else
  echo "STEP 5 NOT COVERED: this ixctl has no import/report commands (statistics not built in)"
fi
echo "(the same flow through the gRPC server: server_done_when.py, ctest adapters.e2e.through_ix_server)"
