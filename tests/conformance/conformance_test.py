#!/usr/bin/env python3
"""Conformance of ix-server from another stack (Python, Debian's python3-grpcio).

Starts a real ix-server process on a free loopback port with mutual TLS and dev certificates
generated for this run, then:
  1. calls the service through stubs generated from the .proto files (as a vendor would);
  2. discovers the service through server reflection only and calls it with dynamic messages
     (as grpcurl-style tools do);
  3. stops the server and scans every log it wrote (operational and audit) for personnummer.
Prints a unittest summary; exits non-zero when anything failed."""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
# The same small client library the README's call-server.sh uses.
sys.path.insert(0, os.path.join(HERE, "..", "..", "adapters", "server", "clients", "python"))
import ix_client  # noqa: E402

import grpc  # noqa: E402

ARGS = None
RUN = {}  # tmp, certs, target, server process, log paths


def start_server():
    args = ["--certs-dir", RUN["certs"], "--plugin", ARGS.plugin]
    if ARGS.with_store:
        RUN["store"] = os.path.join(RUN["tmp"], "store")
        args += ["--store-dir", RUN["store"]]
    started = ix_client.start_server(ARGS.server, RUN["tmp"], args)
    RUN.update(started)
    RUN["server"] = started["process"]


def stop_server():
    RUN["exit_code"] = ix_client.stop_server(RUN)


def example(name):
    from google.protobuf import json_format
    from ix.v1 import response_pb2

    with open(os.path.join(ARGS.examples, name)) as f:
        return json_format.Parse(f.read(), response_pb2.InstrumentResponse())


def stub(client="sodertalje"):
    from ix.v1 import service_pb2_grpc

    return service_pb2_grpc.InstrumentServiceStub(
        ix_client.mtls_channel(RUN["target"], RUN["certs"], client))


def validate_request(name="household.json"):
    from ix.v1 import plugin_pb2

    return plugin_pb2.ValidateRequest(response=example(name), as_of_date="2025-01-15")


class GeneratedStubs(unittest.TestCase):
    """The service through stubs generated from proto/ (protoc + grpc_python_plugin)."""

    def test_health_is_serving(self):
        from grpc.health.v1 import health_pb2, health_pb2_grpc

        health = health_pb2_grpc.HealthStub(
            ix_client.mtls_channel(RUN["target"], RUN["certs"], "sodertalje"))
        for service in ("", "ix.v1.InstrumentService"):
            reply = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
            self.assertEqual(reply.status, health_pb2.HealthCheckResponse.SERVING)

    def test_who_am_i(self):
        from ix.v1 import server_pb2

        who = stub("nynashamn").WhoAmI(server_pb2.WhoAmIRequest(), timeout=5)
        self.assertEqual(who.identity, "case-system.nynashamn.dev")
        self.assertEqual(who.municipality_code, "0192")
        self.assertEqual(who.role, "case_system")

    def test_describe_lists_the_bundled_definition(self):
        from ix.v1 import plugin_pb2

        reply = stub().Describe(plugin_pb2.DescribeRequest(), timeout=5)
        self.assertEqual(reply.plugin_name, "instrument-x")
        refs = [(i.ref.instrument_id, i.ref.version) for i in reply.instruments]
        self.assertIn(("instrument-x", "2024.1"), refs)

    def test_validate_the_sample_household(self):
        reply = stub().Validate(validate_request(), timeout=5)
        self.assertTrue(reply.valid)
        self.assertEqual(len(reply.problems), 0)
        self.assertEqual(reply.validated_against.version, "2024.1")

    def test_validate_reports_every_problem_of_the_invalid_sample(self):
        reply = stub().Validate(validate_request("household-invalid.json"), timeout=5)
        self.assertFalse(reply.valid)
        self.assertEqual(
            sorted((p.path, p.code) for p in reply.problems),
            sorted([
                ("household.persons[1].personnummer", "invalid_personnummer"),
                ("answers[household/housing.type].value", "wrong_type"),
                ("answers[p1/am.education].value", "out_of_range"),
                ("answers[p1/am.unknown_rating].item_id", "unknown_item"),
                ("answers[c1/am.health].person_ref", "item_not_for_child"),
                ("answers[p2/am.motivation]", "required"),
            ]))

    def test_bad_input_is_invalid_argument_with_field_violations(self):
        request = validate_request()
        request.as_of_date = "2025-13-01"
        with self.assertRaises(grpc.RpcError) as caught:
            stub().Validate(request, timeout=5)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertEqual(ix_client.field_violations(caught.exception),
                         [("as_of_date", "expected a real date YYYY-MM-DD")])

    def test_missing_municipality_code_names_the_field(self):
        request = validate_request()
        request.response.household.municipality_code = ""
        with self.assertRaises(grpc.RpcError) as caught:
            stub().Validate(request, timeout=5)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertEqual([f for f, _ in ix_client.field_violations(caught.exception)],
                         ["response.household.municipality_code"])

    def test_another_municipalitys_household_is_denied(self):
        with self.assertRaises(grpc.RpcError) as caught:
            stub("nynashamn").Validate(validate_request(), timeout=5)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.PERMISSION_DENIED)
        from google.rpc import error_details_pb2

        resources = [d for d in ix_client.error_details(caught.exception)
                     if isinstance(d, error_details_pb2.ResourceInfo)]
        self.assertEqual([(r.resource_type, r.resource_name) for r in resources],
                         [("municipality", "0181")])

    def test_no_client_certificate_no_call(self):
        from ix.v1 import server_pb2

        with self.assertRaises(grpc.RpcError) as caught:
            stub(None).WhoAmI(server_pb2.WhoAmIRequest(), timeout=5)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.UNAVAILABLE)

    def test_an_impossible_deadline_is_deadline_exceeded(self):
        with self.assertRaises(grpc.RpcError) as caught:
            stub().Validate(validate_request(), timeout=0.000001)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.DEADLINE_EXCEEDED)


def case():
    """docs/examples/case-after-two-years.json: a Södertälje (0181) household over two years."""
    from google.protobuf import json_format
    from ix.v1 import categorisation_pb2

    with open(os.path.join(ARGS.examples, "case-after-two-years.json")) as f:
        return json_format.Parse(f.read(), categorisation_pb2.Case())


class Categorisation(unittest.TestCase):
    """Suggest, assess, history and due items (plugin extension ix.categorisation/1)."""

    def test_suggest_for_each_adult_with_explanation(self):
        from ix.v1 import categorisation_pb2 as c
        from ix.v1 import category_pb2 as k

        reply = stub().Suggest(c.SuggestRequest(response=example("household.json"),
                                                as_of_date="2025-01-15"), timeout=5)
        got = {s.person_ref: s for s in reply.suggestions}
        self.assertEqual(sorted(got), ["p1", "p2"])
        # By hand from the sample's ratings: p1 2+3+2+1+1+2 = 11 with one 3 -> AM2, and
        # health.mental_limits_work = yes -> R2; p2 1+1+1+2+1+1 = 7, no 3 -> AM1.
        self.assertEqual(got["p1"].category.am_level, k.AM_LEVEL_AM2)
        self.assertEqual(list(got["p1"].category.r_kinds), [k.R_KIND_R2_MENTAL])
        self.assertEqual(got["p1"].explanation.sum, 11)
        self.assertEqual(got["p2"].category.am_level, k.AM_LEVEL_AM1)
        self.assertEqual(list(got["p2"].category.r_kinds), [])
        self.assertEqual(got["p2"].explanation.sum, 7)
        self.assertTrue(got["p1"].explanation.lines, "the explanation has readable lines")

    def test_assess_the_first_visit(self):
        from ix.v1 import categorisation_pb2 as c
        from ix.v1 import category_pb2 as k

        data = case()
        reply = stub().Assess(c.AssessRequest(household=data.household, record=data.assessments[0],
                                              recorded_at="2024-03-04T10:00:00Z"), timeout=5)
        # Caseworker AM3 + R2 governs (default profile); the client said AM2 + R2: discuss.
        self.assertEqual(reply.result.effective.am_level, k.AM_LEVEL_AM3)
        self.assertEqual(reply.result.governing_view, k.ASSESSMENT_VIEW_CASEWORKER)
        self.assertTrue(reply.result.discrepancy)
        self.assertEqual(reply.event.categorisation.header.municipality_code, "0181")
        if ARGS.with_store:  # recorded in Södertälje's store, and nowhere else
            self.assertTrue(os.path.exists(os.path.join(RUN["store"], "0181.sqlite")))
            self.assertEqual(sorted(f for f in os.listdir(RUN["store"]) if f.endswith(".sqlite")),
                             ["0181.sqlite"])

    def test_history_and_due_items(self):
        from ix.v1 import categorisation_pb2 as c
        from ix.v1 import category_pb2 as k

        data = case()
        history = stub().History(c.HistoryRequest(household=data.household, events=data.events,
                                                  at_date="2026-03-01"), timeout=5)
        self.assertEqual(sorted(p.person_ref for p in history.persons), ["p1", "p2"])
        self.assertTrue(all(p.category_at_date.am_level == k.AM_LEVEL_AM1 for p in history.persons))
        due = stub().Due(c.DueRequest(cases=[data], as_of_date="2026-03-01"), timeout=5)
        items = {(i.person_ref, i.clock): i for i in due.items}
        # p2 became AM1 on 2024-09-02: review due 2024-12-02, on 2026-03-01 454 days overdue.
        p2 = items[("p2", "am1_review")]
        self.assertEqual((p2.due_on, p2.status, p2.days_overdue),
                         ("2024-12-02", c.DUE_STATUS_OVERDUE, 454))

    def test_report_from_the_event_store(self):
        from ix.v1 import statistics_pb2 as st

        request = st.ReportRequest(kind=st.REPORT_KIND_SNAPSHOT, municipality_code="0181",
                                   at_date="2024-03-31")
        if not ARGS.with_store:
            with self.assertRaises(grpc.RpcError) as caught:
                stub("stats-sodertalje").Report(request, timeout=10)
            self.assertEqual(caught.exception.code(), grpc.StatusCode.FAILED_PRECONDITION)
            return
        report = stub("stats-sodertalje").Report(request, timeout=10)
        self.assertEqual((report.kind, report.municipality_code), (st.REPORT_KIND_SNAPSHOT, "0181"))
        self.assertTrue(report.disclosure_control)
        with self.assertRaises(grpc.RpcError) as caught:
            stub("stats-sodertalje").Report(
                st.ReportRequest(kind=st.REPORT_KIND_SNAPSHOT, municipality_code="0192"), timeout=10)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.PERMISSION_DENIED)

    def test_another_municipality_cannot_assess(self):
        from ix.v1 import categorisation_pb2 as c

        data = case()
        with self.assertRaises(grpc.RpcError) as caught:
            stub("nynashamn").Assess(c.AssessRequest(household=data.household,
                                                     record=data.assessments[0]), timeout=5)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.PERMISSION_DENIED)


class Reflection(unittest.TestCase):
    """The service discovered through server reflection only (no .proto of ix.v1 used)."""

    def reflect(self, **request):
        from grpc.reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

        channel = ix_client.mtls_channel(RUN["target"], RUN["certs"], "sodertalje")
        rpc = reflection_pb2_grpc.ServerReflectionStub(channel)
        replies = list(rpc.ServerReflectionInfo(
            iter([reflection_pb2.ServerReflectionRequest(**request)]), timeout=10))
        self.assertEqual(len(replies), 1)
        return replies[0]

    def test_lists_the_services(self):
        reply = self.reflect(list_services="")
        names = {s.name for s in reply.list_services_response.service}
        self.assertTrue({"ix.v1.InstrumentService", "grpc.health.v1.Health"} <= names, names)

    def test_calls_validate_with_dynamic_messages(self):
        from google.protobuf import descriptor_pb2, descriptor_pool, json_format
        from google.protobuf import message_factory

        pool = descriptor_pool.DescriptorPool()
        pending = ["ix/v1/service.proto"]
        seen, files = set(), {}
        while pending:  # fetch the service's file and, transitively, its imports
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            reply = self.reflect(file_by_filename=name)
            for raw in reply.file_descriptor_response.file_descriptor_proto:
                fd = descriptor_pb2.FileDescriptorProto.FromString(raw)
                files[fd.name] = fd
                pending.extend(d for d in fd.dependency if d not in seen)
        added = set()

        def add(name):
            if name in added:
                return
            for dep in files[name].dependency:
                add(dep)
            pool.AddSerializedFile(files[name].SerializeToString())
            added.add(name)

        for name in files:
            add(name)
        service = pool.FindServiceByName("ix.v1.InstrumentService")
        method = service.methods_by_name["Validate"]
        factory = message_factory.MessageFactory(pool)
        request_class = factory.GetPrototype(method.input_type)
        response_class = factory.GetPrototype(method.output_type)
        with open(os.path.join(ARGS.examples, "household.json")) as f:
            household = json.load(f)
        request = json_format.ParseDict(
            {"response": household, "as_of_date": "2025-01-15"}, request_class())
        channel = ix_client.mtls_channel(RUN["target"], RUN["certs"], "sodertalje")
        call = channel.unary_unary(
            "/ix.v1.InstrumentService/Validate",
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=response_class.FromString)
        reply = call(request, timeout=5)
        self.assertTrue(reply.valid)
        self.assertEqual(json_format.MessageToDict(reply)["validatedAgainst"]["version"], "2024.1")


class LogScan(unittest.TestCase):
    """After the server stopped: no personnummer in any log it wrote."""

    def test_server_stopped_cleanly(self):
        self.assertEqual(RUN.get("exit_code"), 0)

    def test_no_personnummer_in_any_log(self):
        logs = ""
        for key in ("audit", "log", "stdout"):
            with open(RUN[key], encoding="utf-8", errors="replace") as f:
                logs += f.read()
        self.assertIn('"rpc":"Validate"', logs)  # the scan looks at real content
        forms = set()
        for name in ("household.json", "household-invalid.json"):
            for person in json.load(open(os.path.join(ARGS.examples, name)))["household"]["persons"]:
                digits = re.sub(r"\D", "", person["personnummer"])
                forms |= {person["personnummer"], digits, digits[2:], digits[2:8] + "-" + digits[8:]}
        for form in sorted(forms):
            self.assertNotIn(form, logs, "personnummer form %r appears in a log" % form)
        if ARGS.with_store:  # the event store keeps pseudonyms only
            for name in os.listdir(RUN["store"]):
                data = open(os.path.join(RUN["store"], name), "rb").read()
                for form in forms:
                    self.assertNotIn(form.encode(), data, "%r in store file %s" % (form, name))
        self.assertNotIn("hh-example-1", open(RUN["audit"]).read(), "household ref in clear")


def main():
    global ARGS
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("--server", "--plugin", "--proto-root", "--dev-certs", "--examples"):
        parser.add_argument(name, required=True)
    parser.add_argument("--protoc", default="protoc")
    parser.add_argument("--with-store", action="store_true",
                        help="start the server with an event store (the build has adapters/store)")
    parser.add_argument("--grpc-python-plugin", default="/usr/bin/grpc_python_plugin")
    ARGS = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ix-conformance-") as tmp:
        RUN["tmp"] = tmp
        RUN["certs"] = os.path.join(tmp, "certs")
        subprocess.run([ARGS.dev_certs, RUN["certs"]], check=True, stdout=subprocess.DEVNULL)
        ix_client.generate_stubs(ARGS.proto_root, os.path.join(tmp, "gen"), ARGS.protoc,
                                 ARGS.grpc_python_plugin)
        runner = unittest.TextTestRunner(verbosity=2, stream=sys.stdout)
        loader = unittest.TestLoader()
        start_server()
        try:
            live = runner.run(unittest.TestSuite([
                loader.loadTestsFromTestCase(GeneratedStubs),
                loader.loadTestsFromTestCase(Categorisation),
                loader.loadTestsFromTestCase(Reflection)]))
        finally:
            stop_server()
        scan = runner.run(loader.loadTestsFromTestCase(LogScan))
        total = live.testsRun + scan.testsRun
        failed = len(live.failures + live.errors + scan.failures + scan.errors)
        print("conformance: %d tests, %d passed, %d failed" % (total, total - failed, failed))
        return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
