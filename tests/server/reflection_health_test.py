#!/usr/bin/env python3
"""A client that knows ix-server only through server reflection calls grpc.health.v1.Health/Check.

No health.proto is compiled here: only the reflection protocol's stubs are generated (protoc +
grpc_python_plugin); the health service's descriptor is fetched from the running server
(file_containing_symbol), its messages are built from it, and Check is called over mutual TLS.
This is what grpcurl-style tools do, and what failed while gRPC's own health service (encoded
without protobuf) had no descriptor in the server's pool.

  reflection_health_test.py --server ix-server --plugin libinstrument_x.so --proto-root proto
                            --dev-certs scripts/dev-certs.sh --client-dir adapters/server/clients/python
"""
import argparse
import os
import subprocess
import sys
import tempfile


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("--server", "--plugin", "--proto-root", "--dev-certs", "--client-dir"):
        parser.add_argument(name, required=True)
    parser.add_argument("--protoc", default="protoc")
    parser.add_argument("--grpc-python-plugin", default="/usr/bin/grpc_python_plugin")
    args = parser.parse_args()
    sys.path.insert(0, args.client_dir)
    import ix_client  # noqa: E402 (the project's Python client helpers)

    with tempfile.TemporaryDirectory(prefix="ix-reflection-") as tmp:
        certs = os.path.join(tmp, "certs")
        subprocess.run([args.dev_certs, certs], check=True, stdout=subprocess.DEVNULL)
        gen = os.path.join(tmp, "gen")
        os.makedirs(gen)
        subprocess.run([args.protoc, f"--proto_path={args.proto_root}", f"--python_out={gen}",
                        f"--grpc_out={gen}", f"--plugin=protoc-gen-grpc={args.grpc_python_plugin}",
                        "grpc/reflection/v1alpha/reflection.proto"], check=True)
        sys.path.insert(0, gen)
        import grpc
        grpc.__path__.append(os.path.join(gen, "grpc"))
        from grpc.reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
        from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

        run = ix_client.start_server(args.server, tmp, ["--certs-dir", certs, "--plugin", args.plugin])
        try:
            channel = ix_client.mtls_channel(run["target"], certs, "sodertalje")
            stub = reflection_pb2_grpc.ServerReflectionStub(channel)

            def reflect(**request):
                replies = list(stub.ServerReflectionInfo(
                    iter([reflection_pb2.ServerReflectionRequest(**request)]), timeout=10))
                assert len(replies) == 1, replies
                return replies[0]

            reply = reflect(file_containing_symbol="grpc.health.v1.Health")
            if reply.HasField("error_response"):
                print("FAIL: reflection cannot serve grpc.health.v1.Health: %s (code %d)" % (
                    reply.error_response.error_message, reply.error_response.error_code))
                return 1
            pool = descriptor_pool.DescriptorPool()
            for raw in reply.file_descriptor_response.file_descriptor_proto:
                pool.AddSerializedFile(descriptor_pb2.FileDescriptorProto.FromString(raw).SerializeToString())
            method = pool.FindServiceByName("grpc.health.v1.Health").methods_by_name["Check"]
            factory = message_factory.MessageFactory(pool)
            request_class = factory.GetPrototype(method.input_type)
            response_class = factory.GetPrototype(method.output_type)
            check = channel.unary_unary("/grpc.health.v1.Health/Check",
                                        request_serializer=lambda m: m.SerializeToString(),
                                        response_deserializer=response_class.FromString)
            import time
            deadline = time.time() + 30
            status = None
            while time.time() < deadline:  # NOT_SERVING until the plugin passed its self-test
                for service in ("", "ix.v1.InstrumentService"):
                    answer = check(request_class(service=service), timeout=5)
                    status = method.output_type.fields_by_name["status"].enum_type.values_by_number[
                        answer.status].name
                if status == "SERVING":
                    break
                time.sleep(0.1)
            if status != "SERVING":
                print("FAIL: Health/Check answered %s" % status)
                return 1
            print("OK: Health/Check through reflection only: SERVING")
            return 0
        finally:
            ix_client.stop_server(run)


if __name__ == "__main__":
    sys.exit(main())
