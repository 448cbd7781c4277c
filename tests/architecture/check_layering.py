#!/usr/bin/env python3
"""Checks the layering rules of docs/architecture.md ("Layering rules") against the code.

Two views of the same graph are checked, because either alone can be fooled:
  * includes: every `#include` in every source folder, resolved to the folder (component) whose
    include directory holds the header, or to an external library by its prefix;
  * links: the CMake target graph (each target's own link libraries, followed transitively),
    written by tests/architecture/CMakeLists.txt at configure time as JSON.

Usage: check_layering.py --source-dir DIR [--link-graph FILE]
Exit 0 when every rule holds; 1 with one line per violation (rule, file or target, what) otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field

# --- Components: each folder answers one question (ships in the plugin / host-side library /
# executable). Longest folder prefix wins, so "instrument-x/definitions/compiler" is the compiler.
SHIPS, LIBRARY, EXECUTABLE = "ships in the signed plugin bundle", "host-side library", "executable"

COMPONENTS = {
    # name: (folder, role)
    "domain": ("instrument-x/core", SHIPS),
    "codec": ("instrument-x/plugin", SHIPS),
    "definitions": ("instrument-x/definitions", SHIPS),
    "golden-cases": ("instrument-x/selftest", SHIPS),  # data: the bundle's self-test cases
    "definitions-compiler": ("instrument-x/definitions/compiler", EXECUTABLE),
    "statistics": ("instrument-x/statistics", LIBRARY),
    "abi": ("plugin-api", LIBRARY),
    "base": ("plugin-api/base", LIBRARY),
    "host": ("plugin-api/host", LIBRARY),
    "selftest": ("plugin-api/selftest", LIBRARY),
    "isolation": ("plugin-api/isolation", LIBRARY),  # worker pool behind a PluginSession
    "plugin-worker": ("plugin-api/isolation/worker", EXECUTABLE),  # ix-plugin-worker
    "proto": ("proto", LIBRARY),
    "store": ("adapters/store", LIBRARY),
    "adapters-common": ("adapters/common", LIBRARY),
    "fhir": ("adapters/fhir", LIBRARY),
    "lifecare": ("adapters/lifecare", LIBRARY),
    "fieldcodes": ("adapters/fieldcodes", LIBRARY),
    "exchange": ("adapters/exchange", LIBRARY),
    "adapters-grpc": ("adapters/grpc", LIBRARY),
    "cli": ("adapters/cli", EXECUTABLE),
    "server": ("adapters/server", EXECUTABLE),
}
SCANNED_ROOTS = ("plugin-api", "instrument-x", "adapters", "proto")
SOURCE_SUFFIXES = (".c", ".cc", ".cpp", ".h", ".hpp", ".cpp.in", ".hpp.in")
SKIPPED_DIRS = {"node_modules", ".git", "build"}

INSTRUMENT_X = {"domain", "codec", "definitions", "golden-cases", "definitions-compiler",
                "statistics"}
ADAPTERS = {"store", "adapters-common", "fhir", "lifecare", "fieldcodes", "exchange",
            "adapters-grpc", "cli", "server"}
PLUGIN_API = {"abi", "base", "host", "selftest", "isolation", "plugin-worker"}
EXECUTABLES = {n for n, (_, role) in COMPONENTS.items() if role == EXECUTABLE}
LIBRARIES = {n for n, (_, role) in COMPONENTS.items() if role != EXECUTABLE}
VENDOR_TRANSLATIONS = {"fhir", "lifecare", "fieldcodes"}

# External libraries by include prefix (first match wins) and by imported CMake target prefix.
EXTERNAL_INCLUDES = [
    ("google/protobuf/", "protobuf"), ("grpcpp/", "grpc"), ("grpc/", "grpc"),
    ("nlohmann/", "nlohmann_json"), ("spdlog/", "spdlog"), ("fmt/", "fmt"), ("CLI/", "cli11"),
    ("boost/", "boost"), ("sodium", "libsodium"), ("sqlite3", "sqlite"), ("openssl/", "openssl"),
    ("gtest/", "googletest"), ("gmock/", "googletest"), ("re2/", "re2"), ("libpq-fe", "libpq"),
    ("httplib.h", "cpp-httplib"),
]
EXTERNAL_TARGETS = [
    ("protobuf::", "protobuf"), ("gRPC::", "grpc"), ("nlohmann_json::", "nlohmann_json"),
    ("spdlog::", "spdlog"), ("fmt::", "fmt"), ("CLI11::", "cli11"), ("Boost::", "boost"),
    ("PkgConfig::SODIUM", "libsodium"), ("SQLite::", "sqlite"), ("OpenSSL::", "openssl"),
    ("GTest::", "googletest"), ("Threads::", "threads"), ("dl", "system"),
    ("PkgConfig::IX_RE2", "re2"), ("PkgConfig::LIBPQ", "libpq"), ("PkgConfig::HTTPLIB", "cpp-httplib"),
]
# Targets that carry only compile flags, not code.
FLAG_TARGETS = {"ix_compile_options"}

# The C++20 standard library and the C library's headers (both spellings).
STD_HEADERS = set("""
algorithm any array atomic barrier bit bitset cassert ccomplex cctype cerrno cfenv cfloat charconv
chrono cinttypes ciso646 climits clocale cmath codecvt compare complex concepts condition_variable
coroutine csetjmp csignal cstdalign cstdarg cstdbool cstddef cstdint cstdio cstdlib cstring ctgmath
ctime cuchar cwchar cwctype deque exception execution expected filesystem format forward_list
fstream functional future initializer_list iomanip ios iosfwd iostream istream iterator latch limits
list locale map memory memory_resource mutex new numbers numeric optional ostream queue random ranges
ratio regex scoped_allocator semaphore set shared_mutex source_location span sstream stack
stdexcept stop_token streambuf string string_view strstream syncstream system_error thread tuple
type_traits typeindex typeinfo unordered_map unordered_set utility valarray variant vector version
assert.h ctype.h errno.h float.h inttypes.h limits.h locale.h math.h setjmp.h signal.h stdarg.h
stdbool.h stddef.h stdint.h stdio.h stdlib.h string.h time.h uchar.h wchar.h wctype.h
""".split())

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


@dataclass
class Rule:
    rule_id: str
    text: str
    applies_to: set[str]
    allowed: set[str] | None = None     # when set: only these components/externals may be used
    forbidden: set[str] = field(default_factory=set)

    def breaks(self, dep: str) -> bool:
        if dep in self.forbidden:
            return True
        return self.allowed is not None and dep not in self.allowed


# The rules, as docs/architecture.md states them. Each names what a component may use (allowed)
# or must never use (forbidden); "std" is the standard library, "system" POSIX headers.
RULES = [
    Rule("domain-is-pure",
         "the domain (instrument-x/core) uses only the standard library, RE2 and itself",
         {"domain"}, allowed={"domain", "std", "re2"}),
    Rule("statistics-on-domain-only",
         "statistics (instrument-x/statistics) uses only the standard library, itself and the domain "
         "(with the domain's RE2)",
         {"statistics"}, allowed={"statistics", "domain", "std", "re2"}),
    Rule("plugin-stays-lean",
         "the plugin (instrument-x/plugin) never uses statistics, the host library, the self-test, "
         "adapters, gRPC or executables",
         {"codec"}, forbidden={"statistics", "host", "selftest", "grpc"} | ADAPTERS | EXECUTABLES),
    Rule("vendor-translations-without-host",
         "vendor translations (adapters/fhir, lifecare, fieldcodes) never use the host library "
         "(plugin-api/host) or the self-test",
         VENDOR_TRANSLATIONS, forbidden={"host", "selftest"}),
    Rule("libraries-never-use-executables",
         "libraries never use the executables' folders (adapters/cli, adapters/server, the "
         "definitions compiler)",
         LIBRARIES, forbidden=EXECUTABLES),
    Rule("plugin-api-independent",
         "plugin-api never uses instrument-x or adapters",
         PLUGIN_API, forbidden=INSTRUMENT_X | ADAPTERS),
    Rule("base-uses-nothing-of-the-project",
         "the base toolkit (plugin-api/base) uses no other folder of the project",
         {"base"}, forbidden=(set(COMPONENTS) - {"base"})),
    Rule("abi-headers-self-contained",
         "the ABI headers (plugin-api/include) use only themselves, the base toolkit and the "
         "standard library",
         {"abi"}, allowed={"abi", "base", "std"}),
]


def component_of(rel_path: str) -> str | None:
    best, best_len = None, -1
    for name, (folder, _) in COMPONENTS.items():
        if (rel_path == folder or rel_path.startswith(folder + "/")) and len(folder) > best_len:
            best, best_len = name, len(folder)
    return best


def source_files(root: str):
    for top in SCANNED_ROOTS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
            for f in sorted(filenames):
                if f.endswith(SOURCE_SUFFIXES):
                    yield os.path.relpath(os.path.join(dirpath, f), root)


def include_dirs(root: str) -> list[tuple[str, str]]:
    """(absolute include dir, component) for every component folder with an include/ dir."""
    dirs = []
    for name, (folder, _) in COMPONENTS.items():
        d = os.path.join(root, folder, "include")
        if os.path.isdir(d):
            dirs.append((d, name))
    return dirs


def resolve_include(root: str, including: str, quote: str, header: str, inc_dirs) -> str:
    """The component or external library a header belongs to."""
    if quote == '"':
        # Quoted includes are searched next to the including file first.
        local = os.path.normpath(os.path.join(root, os.path.dirname(including), header))
        if os.path.isfile(local):
            return component_of(os.path.relpath(local, root)) or "unknown"
    for d, name in inc_dirs:
        if os.path.isfile(os.path.join(d, header)):
            return name
    # Generated code: protobuf messages and gRPC stubs from proto/.
    if header.endswith(".grpc.pb.h"):
        return "grpc"
    if header.endswith(".pb.h"):
        return "proto"
    for prefix, lib in EXTERNAL_INCLUDES:
        if header.startswith(prefix):
            return lib
    if header in STD_HEADERS:
        return "std"
    if quote == '"':
        # A private header of the including folder (e.g. src/ on the include path), or a file
        # generated into its build directory (e.g. golden_cases.hpp).
        return component_of(including) or "unknown"
    return "system"


def check_includes(root: str) -> list[str]:
    violations = []
    inc_dirs = include_dirs(root)
    for rel in source_files(root):
        comp = component_of(rel)
        if comp is None:
            # A new top-level folder must say what it is before its code counts as checked.
            violations.append(f"every-folder-has-a-role: {rel} belongs to no folder of "
                              f"COMPONENTS (check_layering.py); give its folder a role")
            continue
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            text = f.read()
        for m in INCLUDE_RE.finditer(text):
            quote, header = m.group(1), m.group(2)
            dep = resolve_include(root, rel, quote, header, inc_dirs)
            if dep == comp:
                continue
            line = text.count("\n", 0, m.start()) + 1
            for rule in RULES:
                if comp in rule.applies_to and rule.breaks(dep):
                    violations.append(f"{rule.rule_id}: {rel}:{line} includes {quote}{header}"
                                      f"{'>' if quote == '<' else quote} ({dep}); {rule.text}")
    return violations


def target_component(name: str, info: dict | None) -> str:
    if name in FLAG_TARGETS:
        return "flags"
    if info is not None:
        return component_of(info["source_dir"]) or "outside"
    for prefix, lib in EXTERNAL_TARGETS:
        if name == prefix or name.startswith(prefix):
            return lib
    return "external:" + name


def clean_link_item(item: str) -> str:
    # $<LINK_ONLY:x> is how a static library records a private dependency for its users.
    m = re.fullmatch(r"\$<LINK_ONLY:(.+)>", item)
    return m.group(1) if m else item


def check_links(graph: dict) -> list[str]:
    targets = graph["targets"]
    edges = {n: [clean_link_item(i) for i in t.get("links", []) if i] for n, t in targets.items()}
    violations = []
    for name, info in sorted(targets.items()):
        comp = target_component(name, info)
        applicable = [r for r in RULES if comp in r.applies_to]
        if not applicable:
            continue
        # Breadth-first over the transitive link closure, remembering how each was reached.
        via = {name: None}
        queue = [name]
        while queue:
            cur = queue.pop(0)
            for nxt in edges.get(cur, []):
                if nxt not in via:
                    via[nxt] = cur
                    if nxt in targets:
                        queue.append(nxt)
        for dep in sorted(via):
            if dep == name:
                continue
            dep_comp = target_component(dep, targets.get(dep))
            if dep_comp in (comp, "flags"):
                continue
            for rule in applicable:
                if rule.breaks(dep_comp):
                    chain, cur = [dep], dep
                    while via[cur] is not None:
                        cur = via[cur]
                        chain.append(cur)
                    violations.append(f"{rule.rule_id}: target {name} ({info['source_dir']}) links "
                                      f"{dep} ({dep_comp}) via {' -> '.join(reversed(chain))}; "
                                      f"{rule.text}")
    return violations


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--link-graph", help="JSON written by tests/architecture/CMakeLists.txt")
    args = parser.parse_args()
    root = os.path.abspath(args.source_dir)
    violations = check_includes(root)
    checked = "includes"
    if args.link_graph:
        with open(args.link_graph, encoding="utf-8") as f:
            graph = json.load(f)
        if not graph.get("targets"):
            print("layering: the link graph lists no targets", file=sys.stderr)
            return 1
        violations += check_links(graph)
        checked = f"includes and {len(graph['targets'])} targets' links"
    for v in violations:
        print("LAYERING VIOLATION " + v)
    print(f"layering: {len(RULES)} rules, {checked}: {len(violations)} violation(s)")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
