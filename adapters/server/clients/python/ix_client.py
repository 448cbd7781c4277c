"""A small Python client of ix-server: generates stubs from the .proto files, opens a
mutual-TLS channel, decodes google.rpc error details. Used by the conformance suite and by
scripts/call-server.sh; it is also the example a vendor's team can read first.

Only Debian 12 packages: python3-grpcio, python3-protobuf, protobuf-compiler and
protobuf-compiler-grpc (grpc_python_plugin)."""

import glob
import importlib
import os
import signal
import subprocess
import sys
import time

import grpc


def generate_stubs(proto_root, out_dir, protoc="protoc", plugin="/usr/bin/grpc_python_plugin"):
    """protoc --python_out --grpc_out for every .proto under proto_root; adds out_dir to sys.path."""
    os.makedirs(out_dir, exist_ok=True)
    protos = sorted(
        os.path.relpath(p, proto_root)
        for p in glob.glob(os.path.join(proto_root, "**", "*.proto"), recursive=True)
    )
    subprocess.run(
        [protoc, f"--proto_path={proto_root}", f"--python_out={out_dir}",
         f"--grpc_out={out_dir}", f"--plugin=protoc-gen-grpc={plugin}", *protos],
        check=True,
    )
    # No __init__.py anywhere: ix/ and google/rpc/ become namespace packages that merge with
    # the system's google.protobuf. grpc/ is a regular package (python3-grpcio), so the
    # generated grpc.health / grpc.reflection folders are added to its search path.
    if out_dir not in sys.path:
        sys.path.insert(0, out_dir)
    import grpc as grpc_package

    generated_grpc = os.path.join(out_dir, "grpc")
    if generated_grpc not in grpc_package.__path__:
        grpc_package.__path__.append(generated_grpc)
    importlib.invalidate_caches()


def read(path):
    with open(path, "rb") as f:
        return f.read()


def mtls_channel(target, certs_dir, client, ca="ca"):
    """A channel presenting certs_dir/<client>.crt (or no client certificate when None)."""
    creds = grpc.ssl_channel_credentials(
        root_certificates=read(os.path.join(certs_dir, f"{ca}.crt")),
        private_key=read(os.path.join(certs_dir, f"{client}.key")) if client else None,
        certificate_chain=read(os.path.join(certs_dir, f"{client}.crt")) if client else None,
    )
    return grpc.secure_channel(target, creds)


def error_details(error):
    """The google.rpc.Status in an RpcError's trailer, unpacked: list of detail messages."""
    from google.rpc import error_details_pb2, status_pb2

    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            out = []
            for any_detail in status.details:
                for cls in (error_details_pb2.BadRequest, error_details_pb2.ErrorInfo,
                            error_details_pb2.PreconditionFailure, error_details_pb2.ResourceInfo,
                            error_details_pb2.RequestInfo, error_details_pb2.LocalizedMessage):
                    if any_detail.Is(cls.DESCRIPTOR):
                        msg = cls()
                        any_detail.Unpack(msg)
                        out.append(msg)
            return out
    return []


def field_violations(error):
    from google.rpc import error_details_pb2

    return [
        (v.field, v.description)
        for d in error_details(error)
        if isinstance(d, error_details_pb2.BadRequest)
        for v in d.field_violations
    ]


def start_server(binary, tmp, args, timeout=30):
    """Starts an ix-server process on a free loopback port (--port-file) with its logs in tmp.

    args: the flags beyond --listen/--port-file/--audit-log/--log-file/--log-level. Returns a
    dict: process, target ("localhost:PORT"), audit, log, stdout (paths of what it wrote)."""
    # The audit log in a folder of its own: the server's default key folder is that folder's
    # sibling ("audit-keys"), so it stays inside tmp and goes with it.
    os.makedirs(os.path.join(tmp, "audit"), exist_ok=True)
    run = {"audit": os.path.join(tmp, "audit", "audit.log"), "log": os.path.join(tmp, "server.log"),
           "stdout": os.path.join(tmp, "server.stdout")}
    port_file = os.path.join(tmp, "port")
    cmd = [binary, "--listen", "127.0.0.1:0", "--port-file", port_file, "--audit-log", run["audit"],
           "--log-file", run["log"], "--log-level", "trace", *args]
    out = open(run["stdout"], "wb")
    run["process"] = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if run["process"].poll() is not None:
            raise RuntimeError("ix-server exited with %d:\n%s" % (
                run["process"].returncode, open(run["stdout"]).read()))
        if os.path.exists(port_file) and open(port_file).read().strip():
            run["target"] = "localhost:" + open(port_file).read().strip()
            return run
        time.sleep(0.05)
    raise RuntimeError("ix-server did not report its port within %d s" % timeout)


def stop_server(run):
    """SIGTERM, then the exit code (None when it was not running)."""
    process = run.get("process")
    if process and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        return process.wait(timeout=30)
    return process.returncode if process else None
