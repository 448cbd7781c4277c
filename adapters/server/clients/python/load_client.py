#!/usr/bin/env python3
"""Sustained load on a running ix-server, counting every call: several threads alternate
Describe (which names the plugin version that answered) and Validate of the example household
over mutual TLS until --until-file appears (or --seconds pass). Prints one JSON summary line:
sent, ok, failed, the versions that answered, the first failures. Exit code 1 when any call
failed or was lost, so a deployment "without dropping a call" is checked, not assumed.

Used by packaging/test-packages.sh while it deploys and rolls back a signed bundle."""

import argparse
import json
import os
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ix_client  # noqa: E402

import grpc  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", required=True, help="host:port of ix-server")
    parser.add_argument("--certs", required=True, help="folder with <client>.crt/.key and ca.crt")
    parser.add_argument("--client", default="sodertalje", help="client certificate name")
    parser.add_argument("--proto-root", default="proto")
    parser.add_argument("--examples", default="docs/examples")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--until-file", help="stop when this file exists")
    parser.add_argument("--seconds", type=float, default=60.0, help="stop after this long at most")
    parser.add_argument("--ready-file", help="touched once every thread has made a call")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ix-load-") as gen:
        ix_client.generate_stubs(args.proto_root, gen)
        from google.protobuf import json_format
        from ix.v1 import plugin_pb2, response_pb2, service_pb2_grpc

        with open(os.path.join(args.examples, "household.json")) as f:
            household = json_format.Parse(f.read(), response_pb2.InstrumentResponse())
        validate = plugin_pb2.ValidateRequest(response=household, as_of_date="2025-01-15")

        lock = threading.Lock()
        totals = {"sent": 0, "ok": 0}
        versions, failures = set(), []
        started = threading.Barrier(args.threads + 1)
        deadline = time.monotonic() + args.seconds

        def stop():
            return time.monotonic() > deadline or (
                args.until_file is not None and os.path.exists(args.until_file))

        def worker():
            stub = service_pb2_grpc.InstrumentServiceStub(
                ix_client.mtls_channel(args.target, args.certs, args.client))
            sent = ok = 0
            mine_versions, mine_failures = set(), []
            first = True
            while first or not stop():
                sent += 1
                try:
                    if sent % 2:
                        mine_versions.add(stub.Describe(plugin_pb2.DescribeRequest(),
                                                        timeout=10).plugin_version)
                    elif not stub.Validate(validate, timeout=10).valid:
                        raise RuntimeError("the example household came back invalid")
                    ok += 1
                except (grpc.RpcError, RuntimeError) as e:
                    detail = f"{e.code().name}: {e.details()}" if isinstance(e, grpc.RpcError) else str(e)
                    mine_failures.append(detail)
                if first:
                    first = False
                    started.wait(timeout=60)
            with lock:
                totals["sent"] += sent
                totals["ok"] += ok
                versions.update(mine_versions)
                failures.extend(mine_failures[:3])

        threads = [threading.Thread(target=worker) for _ in range(args.threads)]
        for t in threads:
            t.start()
        started.wait(timeout=60)
        if args.ready_file:
            open(args.ready_file, "w").close()
        for t in threads:
            t.join()
        failed = totals["sent"] - totals["ok"]
        print(json.dumps(dict(totals, failed=failed, versions=sorted(versions),
                              first_failures=failures[:5])))
        return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
