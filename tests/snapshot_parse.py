#!/usr/bin/env python3
"""Reads a fieldbook snapshot folder with nothing but Python's standard
library, knowing nothing of fieldbook beyond "a manifest.json lists CSV files
with their SHA-256 and row count".

Checks each listed file's size and SHA-256, that each CSV file starts with
the UTF-8 byte order mark, parses as RFC 4180 CSV (strict), has as many rows
as the manifest says and as many fields in each row as in its header. Prints
every CSV file as JSON: {"file.csv": {"header": [...], "rows": [[...], ...]}}.
Exits non-zero, saying why, on any problem.

    python3 tests/snapshot_parse.py exports/2026-06-01
"""

import csv
import hashlib
import json
import os
import sys


def main(folder):
    with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    out = {}
    for entry in manifest["files"]:
        path = os.path.join(folder, entry["file"])
        with open(path, "rb") as f:
            data = f.read()
        if len(data) != entry["bytes"]:
            sys.exit(f"{path}: {len(data)} bytes, manifest says {entry['bytes']}")
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            sys.exit(f"{path}: SHA-256 does not match the manifest")
        if not entry["file"].endswith(".csv"):
            continue
        if not data.startswith(b"\xef\xbb\xbf"):
            sys.exit(f"{path}: no UTF-8 byte order mark")
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f, strict=True))
        header, body = rows[0], rows[1:]
        if len(body) != entry["rows"]:
            sys.exit(f"{path}: {len(body)} rows, manifest says {entry['rows']}")
        for i, row in enumerate(body, start=2):
            if len(row) != len(header):
                sys.exit(f"{path}: record {i} has {len(row)} fields, header {len(header)}")
        out[entry["file"]] = {"header": header, "rows": body}
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: snapshot_parse.py SNAPSHOT_FOLDER")
    main(sys.argv[1])
