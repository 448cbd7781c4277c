#!/usr/bin/env python3
"""Writes a deliberately broken copy of the public C headers, for the ABI gate's own test:
the gate must report each of these as an incompatible change.

  break_header.py --variant reorder|remove --src plugin-api/include --out DIR

reorder: ix_abi_offer's `host` pointer moves in front of struct_size (every offset changes).
remove:  ix_plugin loses `plugin_version` (the fields after it move up).
retype:  ix_abi_offer's max_minor becomes 32 bits wide; no offset moves, and ix_abi_offer is
         the struct whose appended field is allowed, so only the gate's own member check sees it.
"""
import argparse
import os
import re
import shutil
import sys

VARIANTS = {
    "reorder": [
        (r"^([ \t]*uint32_t struct_size;[^\n]*ix_abi_offer[^\n]*\n)((?:.*\n)*?)([ \t]*const ix_host_services \*host;[^\n]*\n)",
         r"\3\1\2"),
    ],
    "remove": [
        (r"^[ \t]*const char \*plugin_version;[^\n]*\n", ""),
    ],
    "retype": [
        (r"^([ \t]*)uint16_t max_minor;", r"\1uint32_t max_minor;"),
    ],
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--variant", choices=sorted(VARIANTS), required=True)
    parser.add_argument("--src", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    shutil.copytree(args.src, args.out)
    header = os.path.join(args.out, "ix", "plugin.h")
    with open(header, encoding="utf-8") as f:
        text = f.read()
    for pattern, replacement in VARIANTS[args.variant]:
        text, n = re.subn(pattern, replacement, text, count=1, flags=re.M)
        if n != 1:
            print(f"break_header: {args.variant}: pattern not found in {header}: {pattern}")
            return 1
    with open(header, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
