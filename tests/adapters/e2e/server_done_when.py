#!/usr/bin/env python3
"""The vendor-adapter and exchange flow, end to end through a real ix-server over mutual TLS (Python, Debian's
python3-grpcio, stubs generated from proto/ as a vendor would):

  1. a household enters through FhirAdapter.ToCanonical as Södertälje (0181);
  2. it is categorised over gRPC as 0181 (Suggest: p1 AM3 R2; Assess p1 AM3 R2 and p2 AM2, the
     caseworker's försörjningshinder beside them);
  3. ExportExchange as 0181, consent: moving to Nynäshamn (0192), signed with the server's key;
  4. ImportExchange as 0192 (twice: the second is already_imported; as 0181 it is refused),
     then LifecareAdapter.FromCanonical as 0192: Reason = the försörjningshinder, the summary
     note checked, the document validated against the published Swagger (ajv, validate.js);
  5. Report as stats.nynashamn.dev (statistics_internal, 0192) counts the household.
Plus cross-municipality refusals on the adapters, and a scan of every log for personnummer.
Each step prints "STEP n ok"; exits non-zero when anything failed."""

import argparse
import base64
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(SOURCE, "adapters", "server", "clients", "python"))
import ix_client  # noqa: E402

import grpc  # noqa: E402


class Failed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failed(what)


def refused(call, code, field=None):
    """Runs call(); it must fail with `code` (and a BadRequest naming `field`, when given)."""
    try:
        call()
    except grpc.RpcError as error:
        check(error.code() == code, "expected %s, got %s: %s" % (code, error.code(), error.details()))
        if field is not None:
            fields = [f for f, _ in ix_client.field_violations(error)]
            check(fields == [field], "expected a violation of %s, got %s" % (field, fields))
        return error
    raise Failed("expected %s, the call succeeded" % code)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("--server", "--plugin", "--ixctl", "--validator", "--swagger", "--protoc",
                 "--grpc-python-plugin", "--work"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ix-e2e-server-", dir=args.work) as tmp:
        return run(args, tmp)


def run(args, tmp):
    certs = os.path.join(tmp, "certs")
    subprocess.run([os.path.join(SOURCE, "scripts", "dev-certs.sh"), certs], check=True,
                   stdout=subprocess.DEVNULL)
    ix_client.generate_stubs(os.path.join(SOURCE, "proto"), os.path.join(tmp, "gen"), args.protoc,
                             args.grpc_python_plugin)
    from google.protobuf import json_format
    from ix.adapters.v1 import adapters_service_pb2 as av1
    from ix.adapters.v1 import adapters_service_pb2_grpc as av1_grpc
    from ix.v1 import categorisation_pb2 as cat
    from ix.v1 import category_pb2 as k
    from ix.v1 import exchange_pb2 as ex
    from ix.v1 import service_pb2_grpc
    from ix.v1 import statistics_pb2 as st

    # The server's exchange key (ixctl bundle keygen), trusted as Södertälje's signing key, and its
    # encryption key pair (ixctl exchange keygen): packages for Nynäshamn are sealed to it.
    subprocess.run([args.ixctl, "bundle", "keygen", os.path.join(tmp, "exchange")], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([args.ixctl, "exchange", "keygen", os.path.join(tmp, "nynashamn")], check=True,
                   stdout=subprocess.DEVNULL)
    # The dev caller map, with Nynäshamn's statistics caller allowed internal reports.
    with open(os.path.join(certs, "callers.json"), encoding="utf-8") as f:
        callers = json.load(f)
    for caller in callers["callers"]:
        if caller["identity"] == "stats.nynashamn.dev":
            caller["role"] = "statistics_internal"
    with open(os.path.join(tmp, "callers.json"), "w", encoding="utf-8") as f:
        json.dump(callers, f)
    config = {
        "tls": {"cert": "certs/server.crt", "key": "certs/server.key", "client_ca": "certs/ca.crt"},
        "callers_file": "callers.json",
        "plugin": args.plugin,
        "store_dir": "store",
        "exchange": {"signing_key_file": "exchange.key", "unit": "ekonomiskt-bistand",
                     "system": "ix-server e2e",
                     "trusted_senders": [{"public_key_file": "exchange.pub",
                                          "municipality_code": "0181"}],
                     "encryption_key_file": "nynashamn.box.key",
                     "recipients": [{"public_key_file": "nynashamn.box.pub",
                                     "municipality_code": "0192"}]},
    }
    config_file = os.path.join(tmp, "ix-server.json")
    with open(config_file, "w") as f:
        json.dump(config, f)
    server = ix_client.start_server(args.server, tmp, ["--config", config_file])
    failed = None
    try:
        flow(server["target"], certs, args, tmp, json_format, av1, av1_grpc, cat, k, ex,
             service_pb2_grpc, st)
    except (Failed, grpc.RpcError) as error:
        failed = error
    finally:
        code = ix_client.stop_server(server)
    if failed is not None:
        print("FAIL: %s" % (failed.details() if isinstance(failed, grpc.RpcError) else failed))
        return 1
    check(code == 0, "ix-server exit code %s" % code)
    scan_logs(server, os.path.join(SOURCE, "docs", "examples", "case-household.json"))
    print("STEP 6 ok: no personnummer in the server's logs; it stopped cleanly")
    return 0


def flow(target, certs, args, tmp, json_format, av1, av1_grpc, cat, k, ex, service_pb2_grpc, st):
    def instrument(client):
        return service_pb2_grpc.InstrumentServiceStub(ix_client.mtls_channel(target, certs, client))

    def fhir(client):
        return av1_grpc.FhirAdapterStub(ix_client.mtls_channel(target, certs, client))

    def lifecare(client):
        return av1_grpc.LifecareAdapterStub(ix_client.mtls_channel(target, certs, client))

    # 1. FHIR in, as Södertälje's case system.
    with open(os.path.join(HERE, "household-questionnaire-response.json")) as f:
        questionnaire_response = f.read()
    translated = fhir("sodertalje").ToCanonical(av1.FhirToCanonicalRequest(json=questionnaire_response),
                                                timeout=10)
    response = translated.response
    check(response.household.municipality_code == "0181", "household of 0181")
    check(response.instrument.instrument_id == "instrument-x", "pinned to instrument-x")
    check(any(a.item_id == "am.education" for a in response.answers), "am.education answered")
    refused(lambda: fhir("nynashamn").ToCanonical(
        av1.FhirToCanonicalRequest(json=questionnaire_response), timeout=10),
        grpc.StatusCode.PERMISSION_DENIED)
    print("STEP 1 ok: QuestionnaireResponse -> canonical through FhirAdapter (%d answers); "
          "as 0192 refused" % len(response.answers))

    # 2. Categorised over gRPC as 0181.
    with open(os.path.join(SOURCE, "docs", "examples", "case-household.json")) as f:
        case = json_format.Parse(f.read(), cat.Case())
    case.responses.add(answered_on="2024-03-04", response=response)
    suggestion = instrument("sodertalje").Suggest(cat.SuggestRequest(
        response=response, as_of_date="2024-03-04", assistance=case.assistance,
        profile_id=case.profile_id), timeout=10)
    suggested = {s.person_ref: s for s in suggestion.suggestions}
    check(suggested["p1"].category.am_level == k.AM_LEVEL_AM3, "p1 suggested AM3")
    check(list(suggested["p1"].category.r_kinds) == [k.R_KIND_R2_MENTAL], "p1 suggested R2")
    hinder_suggested = {f.person_ref: f.code for f in suggestion.forsorjningshinder}
    for person, (level, r_kinds), hinder, at in [
            ("p1", (k.AM_LEVEL_AM3, [k.R_KIND_R2_MENTAL]), "unemployed_no_benefit", "10:00"),
            ("p2", (k.AM_LEVEL_AM2, []), "unemployed_insufficient_benefit", "10:05")]:
        record = cat.AssessmentRecord(occasion_id="2024-03-04/" + person, person_ref=person,
                                      occasion="first_visit", effective_date="2024-03-04",
                                      suggestion=suggested[person])
        record.caseworker.view = k.ASSESSMENT_VIEW_CASEWORKER
        record.caseworker.category.am_level = level
        record.caseworker.category.r_kinds.extend(r_kinds)
        record.caseworker.assessed_by = case.caseworker
        record.caseworker.assessed_on = "2024-03-04"
        assessed = instrument("sodertalje").Assess(cat.AssessRequest(
            household=case.household, record=record, profile_id=case.profile_id,
            caseworker=case.caseworker, unit=case.unit,
            recorded_at="2024-03-04T%s:00Z" % at), timeout=10)
        check(assessed.result.effective.am_level == level, person + " effective as assessed")
        case.assessments.append(record)
        case.events.append(assessed.event)
        case.forsorjningshinder.add(person_ref=person, date="2024-03-04",
                                    suggested_code=hinder_suggested.get(person, ""),
                                    chosen_code=hinder, chosen_by=case.caseworker)
    print("STEP 2 ok: Suggest p1 AM3 R2; Assess p1 AM3 R2, p2 AM2 over gRPC; "
          "försörjningshinder chosen")

    # 3. Export from Södertälje with the client's consent to move to Nynäshamn.
    consent = ex.ConsentRecord(
        consent_id="c-e2e-1", recipient_municipality_code="0192",
        scopes=[ex.CONSENT_SCOPE_RESPONSES, ex.CONSENT_SCOPE_ASSESSMENTS,
                ex.CONSENT_SCOPE_FORSORJNINGSHINDER],
        # The server checks expiry against its own clock: the consent runs until next year.
        purpose=ex.EXCHANGE_PURPOSE_MOVING, given_on="2024-03-04",
        expires_on="%04d-12-31" % (datetime.date.today().year + 1),
        recorded_by="cw-17", given_by=["p1", "p2"])
    exported = instrument("sodertalje").ExportExchange(ex.ExportExchangeRequest(
        household_case=case, consent=consent, package_id="e2e-0181-0001",
        created_at="2024-03-05T08:00:00Z"), timeout=10)
    check(exported.package_id == "e2e-0181-0001", "package id")
    refused(lambda: instrument("nynashamn").ExportExchange(ex.ExportExchangeRequest(
        household_case=case, consent=consent, created_at="2024-03-05T08:00:00Z"), timeout=10),
        grpc.StatusCode.PERMISSION_DENIED)
    print("STEP 3 ok: ExportExchange as 0181: signed and encrypted package %d bytes; as 0192 refused"
          % len(exported.package))

    # 4. Import in Nynäshamn, twice; refused for Södertälje; into Lifecare's model.
    def import_as(client):
        return instrument(client).ImportExchange(ex.ImportExchangeRequest(
            package=exported.package, assistance_from="2024-03-06"), timeout=10)

    first = import_as("nynashamn")
    check(not first.result.already_imported, "first import is new")
    check(first.events_recorded == 4, "2 categorisation events + 2 assistance periods recorded, got %d"
          % first.events_recorded)
    again = import_as("nynashamn")
    check(again.result.already_imported and again.events_recorded == 0, "replay changes nothing")
    refused(lambda: import_as("sodertalje"), grpc.StatusCode.PERMISSION_DENIED,
            "consent.recipient_municipality_code")
    received = first.household_case
    check(received.household.municipality_code == "0192", "the receiver's municipality code")
    document = lifecare("nynashamn").FromCanonical(av1.LifecareFromCanonicalRequest(
        household_case=received), timeout=10)
    refused(lambda: lifecare("sodertalje").FromCanonical(av1.LifecareFromCanonicalRequest(
        household_case=received), timeout=10), grpc.StatusCode.PERMISSION_DENIED)
    exported_case = json.loads(document.json)
    decisions = exported_case["Decisions"]
    check(decisions and decisions[0]["Reason"] == "Arbetslös – ingen ersättning", "Reason")
    check(decisions[0]["ReasonCoApplicant"] == "Arbetslös – otillräcklig ersättning", "ReasonCoApplicant")
    note = base64.b64decode(exported_case["DocumentContents"][0]["Content"]).decode()
    for line in ("Registerledare: behovskategori AM3, R2 från 2024-03-04 (handläggarens bedömning).",
                 "Medsökande: försörjningshinder Arbetslös – otillräcklig ersättning (2024-03-04)."):
        check(line in note, "summary note lacks: " + line)
    lifecare_dir = os.path.join(args.work, "lifecare")
    os.makedirs(lifecare_dir, exist_ok=True)
    with open(os.path.join(lifecare_dir, "case-0192-through-server.json"), "w") as f:
        f.write(document.json)
    validation = subprocess.run([args.validator, "lifecare", args.swagger, lifecare_dir],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check(validation.returncode == 0, "Lifecare document does not validate against the Swagger:\n"
          + validation.stdout)
    print("STEP 4 ok: ImportExchange as 0192 (replay: already_imported; as 0181 refused); "
          "LifecareAdapter.FromCanonical as 0192 valid against the Swagger")

    # 5. Nynäshamn's statistics, as its reporting client.
    stats = instrument("stats-nynashamn")
    report = stats.Report(st.ReportRequest(kind=st.REPORT_KIND_SNAPSHOT, municipality_code="0192",
                                           at_date="2024-03-31", internal=True), timeout=10)
    table = next(t for t in report.tables if t.id == "snapshot.category_by_sex")
    columns = list(table.column_labels)

    def count(row_label, column):
        row = next(r for r in table.rows if r.label == row_label)
        return row.cells[columns.index(column)].count

    for row, column, expected in [("AM + RH R2 (mental)", "Women", 1), ("AM2", "Men", 1),
                                  ("Total", "Total", 2)]:
        check(count(row, column) == expected, "%s/%s = %d, expected %d"
              % (row, column, count(row, column), expected))
    refused(lambda: stats.Report(st.ReportRequest(kind=st.REPORT_KIND_SNAPSHOT,
                                                  municipality_code="0181", at_date="2024-03-31"),
                                 timeout=10), grpc.StatusCode.PERMISSION_DENIED)
    refused(lambda: av1_grpc.FhirAdapterStub(ix_client.mtls_channel(target, certs, "stats-nynashamn"))
            .ToCanonical(av1.FhirToCanonicalRequest(json=questionnaire_response), timeout=10),
            grpc.StatusCode.PERMISSION_DENIED)
    print("STEP 5 ok: Report as stats.nynashamn.dev for 0192: women AM+RH R2 = 1, men AM2 = 1, "
          "total 2; 0181's report and the adapters refused to it")


def scan_logs(server, case_file):
    logs = ""
    for key in ("audit", "log", "stdout"):
        with open(server[key], encoding="utf-8", errors="replace") as f:
            logs += f.read()
    check('"rpc":"ImportExchange"' in logs and '"rpc":"FhirAdapter.ToCanonical"' in logs,
          "the audit log has the calls")
    with open(case_file) as f:
        persons = json.load(f)["household"]["persons"]
    for person in persons:
        digits = re.sub(r"\D", "", person["personnummer"])
        for form in {person["personnummer"], digits, digits[2:], digits[2:8] + "-" + digits[8:]}:
            check(form not in logs, "a personnummer form appears in a log")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failed as error:
        print("FAIL: %s" % error)
        sys.exit(1)
