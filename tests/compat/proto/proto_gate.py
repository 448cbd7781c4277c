#!/usr/bin/env python3
"""The proto compatibility gate: `buf breaking` of proto/ against the previous release's protos
(a buf image, tests/compat/proto/<release>.binpb, see README.md), with the rules in
tests/compat/proto/buf.yaml. Offline: both inputs are local files and the configuration has no
remote dependencies.

  proto_gate.py --source-dir DIR check        proto/ must be compatible with the baseline
  proto_gate.py --source-dir DIR break-test   copies of proto/ with deliberate breaks must fail,
                                              and one with a compatible addition must pass

buf comes from tests/compat/proto/node_modules (npm ci, run by scripts/install-deps.sh). When it
is missing the gate fails under CI=true and reports SKIP (exit 77) elsewhere.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BASELINE = os.path.join(HERE, "0.1.0.binpb")
CONFIG = os.path.join(HERE, "buf.yaml")
BUF = os.path.join(HERE, "node_modules", ".bin", "buf")
SKIP = 77


def find_buf() -> str | None:
    if os.access(BUF, os.X_OK):
        return BUF
    msg = f"buf not found at {BUF}; run scripts/install-deps.sh (npm ci in {HERE})"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        print("FAIL: " + msg)
        return None
    print("SKIP: " + msg)
    sys.exit(SKIP)


def buf_breaking(buf: str, proto_dir: str, scratch: str) -> tuple[int, str]:
    env = dict(os.environ, BUF_CACHE_DIR=os.path.join(scratch, "buf-cache"))
    # Run outside the repository so that no buf.yaml above either input turns it into a
    # workspace; both configurations are given explicitly.
    proc = subprocess.run([buf, "breaking", proto_dir, "--against", BASELINE, "--config", CONFIG,
                           "--against-config", CONFIG, "--error-format", "text"],
                          cwd=scratch, env=env, capture_output=True, text=True, check=False,
                          timeout=120)
    return proc.returncode, (proc.stdout + proc.stderr).strip()


def edit(path: str, pattern: str, replacement: str) -> None:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    new, n = re.subn(pattern, replacement, text, count=1, flags=re.M)
    if n != 1:
        raise SystemExit(f"break-test: pattern {pattern!r} not found in {path}")
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)


# (name, file under proto/, regex, replacement, expected words in buf's report or None = must pass)
CASES = [
    ("delete a field", "ix/v1/household.proto",
     r"^\s*string personnummer = 2;\n", "", "deleted without reserving the number"),
    ("renumber a field", "ix/v1/household.proto",
     r"string personnummer = 2;", "string personnummer = 12;", "deleted without reserving the number"),
    ("rename a field (its JSON name changes)", "ix/v1/household.proto",
     r"string personnummer = 2;", "string person_number = 2;", "json_name"),
    ("change a field's type", "ix/v1/household.proto",
     r"string personnummer = 2;", "bytes personnummer = 2;", "changed type"),
    ("delete an enum value", "ix/v1/household.proto",
     r"^\s*SEX_OTHER = 3;.*\n", "", "deleted without reserving"),
    ("delete an rpc", "ix/v1/service.proto",
     r"^\s*rpc Validate\((?:.*\n)*?  \}\n", "", "Validate"),  # the rpc with its options block
    ("add a field (compatible)", "ix/v1/household.proto",
     r"string personnummer = 2;", "string personnummer = 2;\n  string added_for_the_gate_test = 99;", None),
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("mode", choices=["check", "break-test"])
    args = parser.parse_args()
    proto = os.path.join(os.path.abspath(args.source_dir), "proto")
    buf = find_buf()
    if buf is None:
        return 1
    with tempfile.TemporaryDirectory(prefix="ix-proto-gate-") as scratch:
        if args.mode == "check":
            rc, out = buf_breaking(buf, proto, scratch)
            if out:
                print(out)
            print(f"proto gate: proto/ against {os.path.basename(BASELINE)}: "
                  f"{'compatible' if rc == 0 else 'BREAKING CHANGES (exit %d)' % rc}")
            return 0 if rc == 0 else 1

        failures = []
        for name, rel, pattern, replacement, expected in CASES:
            copy = os.path.join(scratch, "proto")
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(proto, copy)
            edit(os.path.join(copy, rel), pattern, replacement)
            rc, out = buf_breaking(buf, copy, scratch)
            if expected is None:
                ok = rc == 0
            else:
                # buf exits 100 when it found breaking changes (other codes: it could not run).
                ok = rc == 100 and rel in out and expected in out
            print(f"{'ok  ' if ok else 'FAIL'} {name}: exit {rc}")
            if out:
                print("     " + out.replace("\n", "\n     "))
            if not ok:
                failures.append(name)
        print(f"{len(CASES) - len(failures)} passed, {len(failures)} failed")
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
