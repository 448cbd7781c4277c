#!/usr/bin/env python3
"""The ABI compatibility gate: abidw the current binary, abidiff it against the previous
release's baseline (tests/compat/abi/<release>/*.abi) with the reviewed suppressions.

  abi_gate.py check --baseline B.abi --binary X.so --headers-dir D
      passes when abidiff finds no change outside the suppressions AND every suppressed struct
      only grew at its end (see below)
  abi_gate.py expect-break --baseline B.abi --binary X.so --headers-dir D --type T
      passes when the gate REJECTS the binary and its report names type T (the gate's own test
      on a probe built from a deliberately broken header)

Why the extra check: libabigail 2.2 drops every change of a type once a suppression's
condition matches it ("a member was inserted after `host`"), so a retyped member next to an
appended one would pass. For each suppressed struct the gate therefore compares the member
lists itself: the baseline's members must be an unchanged prefix (name, type, offset) of the
current ones. That is exactly the rule of docs/abi.md for a minor.

abidiff's exit status is a bit set: 1 error, 2 usage error, 4 ABI change, 8 incompatible change.
When abidw/abidiff are missing the gate fails under CI=true and reports SKIP (77) elsewhere.
"""
from __future__ import annotations

import argparse
import lzma
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
SUPPRESSIONS = os.path.join(HERE, "suppressions.abignore")
SKIP = 77
# The same abidw options made the baselines (make-baseline.sh): no machine paths in the output,
# only the public entry points and what they reach (public-symbols.abignore).
ABIDW_OPTIONS = ["--no-corpus-path", "--no-comp-dir-path", "--short-locs", "--drop-private-types",
                 "--drop-undefined-syms", "--suppressions",
                 os.path.join(HERE, "public-symbols.abignore")]


def tools() -> tuple[str, str] | None:
    abidw, abidiff = shutil.which("abidw"), shutil.which("abidiff")
    if abidw and abidiff:
        return abidw, abidiff
    msg = "abidw/abidiff not found; scripts/install-deps.sh installs Debian's abigail-tools"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        print("FAIL: " + msg)
        return None
    print("SKIP: " + msg)
    sys.exit(SKIP)


def suppressed_structs() -> list[str]:
    names, in_type = [], False
    with open(SUPPRESSIONS, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("["):
                in_type = line == "[suppress_type]"
            elif in_type and (m := re.fullmatch(r"name\s*=\s*(\S+)", line)):
                names.append(m.group(1))
    return names


class Corpus:
    """The types of one abidw XML file, enough to compare struct members across files."""

    def __init__(self, path: str):
        self.root = ET.parse(path).getroot()
        self.by_id = {e.get("id"): e for e in self.root.iter() if e.get("id")}

    def describe(self, type_id: str, depth: int = 0) -> str:
        e = self.by_id.get(type_id)
        if e is None or depth > 8:
            return type_id
        tag = e.tag
        if tag in ("type-decl", "typedef-decl", "enum-decl", "class-decl", "union-decl"):
            size = e.get("size-in-bits", "")
            return f"{tag.split('-')[0]} {e.get('name')}" + (f":{size}" if tag == "type-decl" else "")
        if tag == "pointer-type-def":
            return self.describe(e.get("type-id"), depth + 1) + "*"
        if tag == "qualified-type-def":
            q = "const " if e.get("const") == "yes" else ""
            q += "volatile " if e.get("volatile") == "yes" else ""
            return q + self.describe(e.get("type-id"), depth + 1)
        if tag == "function-type":
            params = [self.describe(p.get("type-id"), depth + 1)
                      for p in e.findall("parameter") if p.get("type-id")]
            ret = e.find("return")
            r = self.describe(ret.get("type-id"), depth + 1) if ret is not None else "void"
            return f"{r}({', '.join(params)})"
        if tag == "array-type-def":
            return self.describe(e.get("type-id"), depth + 1) + f"[{e.get('size-in-bits')}]"
        return tag

    def members(self, struct: str) -> list[tuple[str, str, str]] | None:
        for e in self.root.iter("class-decl"):
            if e.get("name") == struct and e.get("is-declaration-only") != "yes":
                out = []
                for dm in e.findall("data-member"):
                    var = dm.find("var-decl")
                    out.append((var.get("name"), self.describe(var.get("type-id")),
                                dm.get("layout-offset-in-bits")))
                return out
        return None


def appended_only(baseline: Corpus, current: Corpus, struct: str) -> list[str]:
    old, new = baseline.members(struct), current.members(struct)
    if old is None:
        return []  # the suppression names a struct the baseline lacks: nothing to compare
    if new is None:
        return [f"{struct}: missing from the current ABI"]
    problems = []
    for i, member in enumerate(old):
        if i >= len(new):
            problems.append(f"{struct}: member {member[0]} removed")
        elif new[i] != member:
            problems.append(f"{struct}: member {i} was {member}, is now {new[i]}")
    return problems


def run_gate(abidw: str, abidiff: str, baseline: str, binary: str, headers_dir: str,
             scratch: str) -> tuple[bool, str]:
    if baseline.endswith(".xz"):  # the plugin's corpus is large XML; it is stored compressed
        plain = os.path.join(scratch, "baseline.abi")
        with lzma.open(baseline) as src, open(plain, "wb") as dst:
            shutil.copyfileobj(src, dst)
        baseline = plain
    current = os.path.join(scratch, "current.abi")
    subprocess.run([abidw, *ABIDW_OPTIONS, "--headers-dir", headers_dir, "--out-file", current,
                    binary], check=True, timeout=300)
    proc = subprocess.run([abidiff, "--suppressions", SUPPRESSIONS, baseline, current],
                          capture_output=True, text=True, check=False, timeout=300)
    report = (proc.stdout + proc.stderr).strip()
    if proc.returncode & 3:
        return False, f"abidiff could not compare (exit {proc.returncode}):\n{report}"
    ok = proc.returncode == 0
    lines = [f"abidiff exit {proc.returncode}", report]
    base_corpus, cur_corpus = Corpus(baseline), Corpus(current)
    for struct in suppressed_structs():
        for problem in appended_only(base_corpus, cur_corpus, struct):
            ok = False
            lines.append(f"struct {problem} (only appending at the end is allowed in a minor)")
    return ok, "\n".join(l for l in lines if l)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["check", "expect-break"])
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--headers-dir", required=True)
    parser.add_argument("--type", help="expect-break: the type the report must name")
    args = parser.parse_args()
    found = tools()
    if found is None:
        return 1
    abidw, abidiff = found
    with tempfile.TemporaryDirectory(prefix="ix-abi-gate-") as scratch:
        ok, report = run_gate(abidw, abidiff, args.baseline, args.binary, args.headers_dir, scratch)
    print(report)
    name = os.path.basename(args.binary)
    if args.mode == "check":
        print(f"abi gate: {name} against {args.baseline}: "
              f"{'compatible' if ok else 'INCOMPATIBLE CHANGE'}")
        return 0 if ok else 1
    named = bool(args.type) and re.search(rf"\b{re.escape(args.type)}\b", report) is not None
    rejected = not ok and "could not compare" not in report
    print(f"abi gate on a deliberate break ({name}): "
          f"{'rejected' if rejected else 'NOT rejected'}, report "
          f"{'names' if named else 'does NOT name'} {args.type}")
    return 0 if rejected and named else 1


if __name__ == "__main__":
    sys.exit(main())
