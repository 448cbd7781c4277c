#!/usr/bin/env python3
"""Every rule in docs/rules.md names a test that exists.

Reads each table row of docs/rules.md; its last cell must name at least one test as
`Suite.Test`, each under a file named before it in the cell (`path/to/file.cpp: Suite.Test,
Other.Test; file2.cpp: …`). A file is a path under tests/, or a base name that is the one file of
that name under tests/. The test must be defined in that file (TEST, TEST_F or TEST_P, or a
Python `def test_…` for .py files).

Usage: check_rules_tests.py --source-dir DIR     check docs/rules.md
       check_rules_tests.py --self-test          show that a row without a test, a test that
                                                 does not exist and an unknown file all fail
Exit 0 when every row holds; 1 with one line per row that does not.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile

CODE = re.compile(r"`([^`]+)`")
FILE = re.compile(r"^(?P<file>[\w./-]+\.(?:cpp|py))\s*:\s*(?P<rest>.*)$")
TEST_NAME = re.compile(r"^(?P<suite>[A-Za-z_]\w*)\.(?P<test>[A-Za-z_]\w*)$")


def test_files(tests_dir: str) -> dict[str, list[str]]:
    """Base name -> paths relative to tests/."""
    out: dict[str, list[str]] = {}
    for root, dirs, files in os.walk(tests_dir):
        dirs[:] = [d for d in dirs if d not in ("node_modules", "build")]
        for f in files:
            if f.endswith((".cpp", ".py")):
                out.setdefault(f, []).append(os.path.relpath(os.path.join(root, f), tests_dir))
    return out


def defines(path: str, suite: str, test: str) -> bool:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".py"):
        return re.search(rf"def {re.escape(test)}\b", text) is not None
    return re.search(rf"\bTEST(?:_F|_P)?\(\s*{re.escape(suite)}\s*,\s*{re.escape(test)}\s*\)", text) is not None


def rows(doc: str):
    """(line number, first cell, last cell) of every body row of a table whose last column is
    headed "test" (the rule tables; the table of sources is not one)."""
    with open(doc, encoding="utf-8") as f:
        lines = f.read().splitlines()
    rule_table = False
    for i, line in enumerate(lines):
        if not line.startswith("|"):
            rule_table = False
            continue
        if set(line) <= set("|-: "):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if i + 1 < len(lines) and set(lines[i + 1]) <= set("|-: ") and "-" in lines[i + 1]:
            rule_table = cells[-1] == "test"  # a header row
            continue
        if rule_table:
            yield i + 1, cells[0], cells[-1]


def check(doc: str, tests_dir: str) -> list[str]:
    files = test_files(tests_dir)
    errors = []
    for number, rule, cell in rows(doc):
        where = f"{os.path.basename(doc)}:{number} ({rule[:50]})"
        current = None  # the file the following test names belong to
        named = 0
        for code in CODE.findall(cell):
            m = FILE.match(code)
            if m:
                name = m.group("file")
                candidates = [name] if "/" in name else files.get(name, [])
                if len(candidates) != 1 or not os.path.isfile(os.path.join(tests_dir, candidates[0])):
                    errors.append(f"{where}: test file '{name}' is not one file under tests/")
                    current = None
                    continue
                current = os.path.join(tests_dir, candidates[0])
                code = m.group("rest")
            for part in re.split(r"[,;]\s*", code):
                part = re.sub(r"\s*\(.*$", "", part.strip())
                t = TEST_NAME.match(part)
                if not t:
                    continue
                if current is None:
                    errors.append(f"{where}: {part} names no file")
                    continue
                named += 1
                if not defines(current, t.group("suite"), t.group("test")):
                    errors.append(f"{where}: {part} is not defined in {os.path.relpath(current, tests_dir)}")
        if named == 0:
            errors.append(f"{where}: names no test")
    return errors


def self_test() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    tests_dir = os.path.dirname(here)
    bad_rows = {
        "no test": "| a rule | a source | — |",
        "missing test": "| a rule | a source | `categorisation/core/clocks_test.cpp: Clocks.NoSuchTest` |",
        "unknown file": "| a rule | a source | `nowhere_test.cpp: Clocks.EveryClockOfOneHousehold` |",
    }
    good_row = "| a rule | a source | `categorisation/core/clocks_test.cpp: Clocks.EveryClockOfOneHousehold` |"
    failed = False
    for name, row in [("good", good_row)] + list(bad_rows.items()):
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as f:
            f.write("| rule | source | test |\n|---|---|---|\n" + row + "\n")
        errors = check(f.name, tests_dir)
        os.unlink(f.name)
        expect_errors = name != "good"
        if bool(errors) != expect_errors:
            print(f"self-test '{name}': expected {'a failure' if expect_errors else 'no failure'}, got {errors}")
            failed = True
    print("self-test: " + ("FAILED" if failed else "a row without a test, with a missing test or file fails"))
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    if not args.source_dir:
        parser.error("--source-dir is required")
    doc = os.path.join(args.source_dir, "docs", "rules.md")
    errors = check(doc, os.path.join(args.source_dir, "tests"))
    for e in errors:
        print(e)
    if not errors:
        print(f"{os.path.relpath(doc, args.source_dir)}: every row names tests that exist")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
