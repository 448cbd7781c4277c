#!/usr/bin/env python3
"""Shows that the layering check can fail: runs check_layering.py on a temporary copy of the
source folders, first unchanged (must pass), then with one deliberate violation at a time
(must fail, naming the rule and the offending file or target).

Usage: layering_violation_test.py --source-dir DIR --link-graph FILE
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, "check_layering.py")
FOLDERS = ("plugin-api", "instrument-x", "adapters", "proto")

# (rule expected in the report, file to edit, line to add at the top)
INCLUDE_INJECTIONS = [
    ("domain-is-pure", "instrument-x/core/src/validate.cpp", "#include <google/protobuf/message.h>"),
    ("domain-is-pure", "instrument-x/core/src/validate.cpp", "#include <ix/statistics/records.hpp>"),
    ("statistics-on-domain-only", "instrument-x/statistics/src/records.cpp", '#include "ix/v1/events.pb.h"'),
    ("plugin-stays-lean", "instrument-x/plugin/src/plugin.cpp", "#include <ix/statistics/reports.hpp>"),
    ("plugin-stays-lean", "instrument-x/plugin/src/plugin.cpp", "#include <grpcpp/grpcpp.h>"),
    ("vendor-translations-without-host", "adapters/fhir/src/layout.cpp", "#include <ix/host/manager.hpp>"),
    ("libraries-never-use-executables", "adapters/store/src/reports.cpp", "#include <ix/cli/cli.hpp>"),
    ("plugin-api-independent", "plugin-api/host/src/manager.cpp", "#include <ix/core/model.hpp>"),
    ("base-uses-nothing-of-the-project", "plugin-api/base/src/crypto.cpp", "#include <ix/plugin.h>"),
]
# (rule expected, target that gains a link item, the item)
LINK_INJECTIONS = [
    ("plugin-stays-lean", "instrument_x", "ix_statistics"),
    ("plugin-stays-lean", "ix_core", "gRPC::grpc++"),  # reached through the plugin's ix_core
    ("domain-is-pure", "ix_core", "ix_proto"),
    ("vendor-translations-without-host", "ix_adapter_fieldcodes", "ix_host"),
    ("libraries-never-use-executables", "ix_store", "ix_cli"),
    ("base-uses-nothing-of-the-project", "ix_base", "ix_plugin_api"),
]


def run_checker(root: str, graph_path: str) -> tuple[int, str]:
    proc = subprocess.run([sys.executable, CHECKER, "--source-dir", root, "--link-graph", graph_path],
                          capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--link-graph", required=True)
    args = parser.parse_args()
    failures = []
    with tempfile.TemporaryDirectory(prefix="ix-layering-") as tmp:
        root = os.path.join(tmp, "src")
        for folder in FOLDERS:
            shutil.copytree(os.path.join(args.source_dir, folder), os.path.join(root, folder),
                            ignore=shutil.ignore_patterns("node_modules", ".git", "build"))
        with open(args.link_graph, encoding="utf-8") as f:
            graph = json.load(f)
        graph_path = os.path.join(tmp, "link_graph.json")
        with open(graph_path, "w", encoding="utf-8") as f:
            json.dump(graph, f)

        rc, out = run_checker(root, graph_path)
        if rc != 0:
            print(out)
            print("FAIL: the unmodified copy must pass the check")
            return 1
        print("ok   unmodified copy passes")

        for rule, rel, line in INCLUDE_INJECTIONS:
            path = os.path.join(root, rel)
            with open(path, encoding="utf-8") as f:
                original = f.read()
            with open(path, "w", encoding="utf-8") as f:
                f.write(line + "\n" + original)
            rc, out = run_checker(root, graph_path)
            with open(path, "w", encoding="utf-8") as f:
                f.write(original)
            hit = [l for l in out.splitlines() if l.startswith(f"LAYERING VIOLATION {rule}: {rel}:1 ")]
            if rc == 0 or not hit:
                failures.append(f"{rel} with {line!r}: expected {rule} (exit {rc})\n{out}")
            else:
                print(f"ok   {hit[0]}")

        for rule, target, item in LINK_INJECTIONS:
            broken = copy.deepcopy(graph)
            broken["targets"][target]["links"].append(item)
            with open(graph_path, "w", encoding="utf-8") as f:
                json.dump(broken, f)
            rc, out = run_checker(root, graph_path)
            hit = [l for l in out.splitlines()
                   if l.startswith(f"LAYERING VIOLATION {rule}: target ") and item in l]
            if rc == 0 or not hit:
                failures.append(f"{target} linking {item}: expected {rule} (exit {rc})\n{out}")
            else:
                print(f"ok   {hit[0]}")

    for f in failures:
        print("FAIL: " + f)
    total = 1 + len(INCLUDE_INJECTIONS) + len(LINK_INJECTIONS)
    print(f"{total - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
