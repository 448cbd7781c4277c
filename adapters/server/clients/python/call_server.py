#!/usr/bin/env python3
"""Example client of ix-server (what scripts/call-server.sh runs): a vendor's first steps —
who am I, describe, validate, suggest with explanations, record an assessment, history, due
items, a statistics report, and a refused call for another municipality's household.

Generates the Python stubs from proto/ into a temporary folder, connects over mutual TLS as
Södertälje's case system and walks through the service. Debian 12 packages only."""

import argparse
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ix_client  # noqa: E402

import grpc  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", default="localhost:50051")
    parser.add_argument("--certs", default="dev-certs", help="folder from scripts/dev-certs.sh")
    parser.add_argument("--client", default="sodertalje", help="client certificate name")
    parser.add_argument("--proto-root", default="proto")
    parser.add_argument("--examples", default="docs/examples")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ix-client-") as gen:
        ix_client.generate_stubs(args.proto_root, gen)
        from google.protobuf import json_format
        from ix.v1 import plugin_pb2, response_pb2, server_pb2, service_pb2_grpc

        channel = ix_client.mtls_channel(args.target, args.certs, args.client)
        stub = service_pb2_grpc.InstrumentServiceStub(channel)

        def load(name):
            with open(os.path.join(args.examples, name)) as f:
                return json_format.Parse(f.read(), response_pb2.InstrumentResponse())

        def show(title, message):
            print(f"== {title}")
            print(json.dumps(json_format.MessageToDict(message, preserving_proto_field_name=True),
                             indent=2, ensure_ascii=False))

        try:
            show("WhoAmI", stub.WhoAmI(server_pb2.WhoAmIRequest(), timeout=10))
        except grpc.RpcError as e:
            print(f"ix-server at {args.target} refused the call: {e.code().name}: {e.details()}")
            print("Is it running (scripts/run-server.sh)?")
            return 1
        show("Describe", stub.Describe(plugin_pb2.DescribeRequest(), timeout=10))

        household = load("household.json")
        show("Validate docs/examples/household.json",
             stub.Validate(plugin_pb2.ValidateRequest(response=household), timeout=10))
        show("Validate docs/examples/household-invalid.json",
             stub.Validate(plugin_pb2.ValidateRequest(response=load("household-invalid.json")),
                           timeout=10))

        from ix.v1 import categorisation_pb2 as cat

        show("Suggest categories for docs/examples/household.json (with explanations)",
             stub.Suggest(cat.SuggestRequest(response=household), timeout=10))

        with open(os.path.join(args.examples, "case-after-two-years.json")) as f:
            case = json_format.Parse(f.read(), cat.Case())
        show("Assess: record the first visit of p1 (docs/examples/case-after-two-years.json)",
             stub.Assess(cat.AssessRequest(household=case.household, record=case.assessments[0],
                                           recorded_at="2024-03-04T10:00:00Z"), timeout=10))
        show("History of the case's household",
             stub.History(cat.HistoryRequest(household=case.household, events=case.events),
                          timeout=10))
        show("Due items of the case",
             stub.Due(cat.DueRequest(cases=[case]), timeout=10))

        from ix.v1 import statistics_pb2 as stats

        print("== Report: snapshot of Södertälje (0181) from the server's event store")
        try:
            # As of the end of the month of the assessment recorded above.
            report = stub.Report(stats.ReportRequest(kind=stats.REPORT_KIND_SNAPSHOT,
                                                     municipality_code="0181",
                                                     at_date="2024-03-31"), timeout=30)
            show("Report", report)
        except grpc.RpcError as e:  # a server without an event store says so
            print(f"{e.code().name}: {e.details()}")

        print("== Validate a household of another municipality (0192): must be refused")
        other = response_pb2.InstrumentResponse()
        other.CopyFrom(household)
        other.household.municipality_code = "0192"
        try:
            stub.Validate(plugin_pb2.ValidateRequest(response=other), timeout=10)
            print("UNEXPECTED: the server accepted it")
            return 1
        except grpc.RpcError as e:
            print(f"{e.code().name}: {e.details()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
