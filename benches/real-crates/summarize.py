#!/usr/bin/env python3
"""Summarises one crate's run for run.sh.

Usage: summarize.py NAME VERSION TAGGED LIST_JSON BUILD_JSON... > row

LIST_JSON is `cargo abuse list --json` after `gen`; each BUILD_JSON is `cargo test --message-format=json` output.
Prints a human summary to stderr and one tab-separated row (name, version, tagged, harnessed, skipped,
compile errors, reasons) to stdout.
"""

import collections
import json
import re
import sys


def skip_reasons(listing):
    reasons = collections.Counter()
    harnessed = listed = 0
    for f in listing.get("functions", []):
        listed += 1
        state = f.get("harness", {})
        if state.get("state") == "unsupported":
            # Group by the shape of the reason: names in backticks elided.
            reasons[re.sub(r"`[^`]*`", "`…`", state.get("reason", "?"))] += 1
        else:
            harnessed += 1
    return listed, harnessed, reasons


def compile_errors(paths):
    errors = []
    for path in paths:
        try:
            lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
        except FileNotFoundError:
            continue
        for line in lines:
            if not line.startswith("{"):
                continue
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if msg.get("reason") != "compiler-message":
                continue
            m = msg["message"]
            if m.get("level") != "error" or m.get("message", "").startswith("aborting due to"):
                continue
            errors.append(m.get("rendered") or m.get("message"))
    return errors


def main():
    name, version, tagged, listing_path = sys.argv[1:5]
    listing = json.load(open(listing_path, encoding="utf-8"))
    listed, harnessed, reasons = skip_reasons(listing)
    errors = compile_errors(sys.argv[5:])
    tagged = int(tagged)
    pct = 100.0 * harnessed / tagged if tagged else 0.0
    out = sys.stderr
    print(f"== {name} {version}: tagged {tagged} (listed {listed}), harnessed {harnessed} ({pct:.0f}%), "
          f"skipped {listed - harnessed}, compile errors {len(errors)}", file=out)
    for reason, count in reasons.most_common():
        print(f"   skip x{count}: {reason}", file=out)
    for err in errors[:5]:
        print("   " + err.replace("\n", "\n   "), file=out)
    summary = "; ".join(f"{count}× {reason}" for reason, count in reasons.most_common())
    print("\t".join([name, version, str(tagged), f"{harnessed} ({pct:.0f}%)", str(listed - harnessed),
                     str(len(errors)), summary]))


if __name__ == "__main__":
    main()
