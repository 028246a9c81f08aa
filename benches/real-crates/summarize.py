#!/usr/bin/env python3
"""Summarises one subject's run for run.sh, or totals the rows.

Usage: summarize.py SUBJECT TAGGED LIST_JSON RUN_JSON RUN_LOG > row
       summarize.py --total ROW...

LIST_JSON is `cargo abuse list --json` after `gen`; RUN_JSON is `cargo abuse run --json` (JSON lines). A
function "ran" when one or more of its properties passed or failed (ran at least one case); "failed" when
one failed. Every other tagged function is counted under its reason: the not-run message the report gives,
or the skip reason `list` gives. Prints a human summary (every failure's input and message, every not-run
reason) to stderr and one tab-separated row (subject, tagged, harnessed, ran, failed, not run by reason,
build) to stdout.
"""

import collections
import json
import re
import sys


def short(reason):
    """The reason with names in backticks and numbers elided, so alike reasons group."""
    reason = re.sub(r"`[^`]*`", "`…`", reason or "no reason given")
    reason = re.sub(r"\b\d[\d,]*\b", "N", reason)
    return reason.split("\n")[0][:160]


def load_lines(path):
    out = []
    try:
        for line in open(path, encoding="utf-8", errors="replace"):
            line = line.strip()
            if line.startswith("{"):
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass
    except FileNotFoundError:
        pass
    return out


def main():
    if sys.argv[1] == "--total":
        t = collections.Counter()
        for row in sys.argv[2:]:
            cols = row.split("\t")
            t["tagged"] += int(cols[1])
            t["harnessed"] += int(cols[2].split()[0])
            t["ran"] += int(cols[3].split()[0])
            t["failed"] += int(cols[4])
            t["built"] += cols[6] == "built"
        pct = 100.0 * t["ran"] / t["tagged"] if t["tagged"] else 0.0
        print(f"\ntotal: {len(sys.argv) - 2} subjects, harness targets built for {t['built']}; "
              f"tagged {t['tagged']}, harnessed {t['harnessed']}, ran {t['ran']} ({pct:.1f}%), "
              f"failed {t['failed']}")
        return
    subject, tagged, list_path, run_path, log_path = sys.argv[1:6]
    tagged = int(tagged)
    try:
        list_doc = json.load(open(list_path, encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        list_doc = {}
    listing = list_doc.get("functions", [])
    # Tags discovery saw but does not list say why in a warning: a file no crate compiles (with a count), a
    # tag inside a macro call (one each).
    unlisted = collections.Counter()
    for d in list_doc.get("diagnostics", []):
        m = d.get("message", "")
        counted = re.match(r"(\d+) tagged functions? in a file no crate", m)
        if counted:
            unlisted[short(m)] += int(counted.group(1))
        elif "call is not listed" in m:
            unlisted[short(m)] += 1
    listed = {(f.get("package"), f.get("path")) for f in listing}
    # A type's sequence row is not a tagged function: counted apart.
    all_records = [r for r in load_lines(run_path) if r.get("record") == "function"]
    records = [r for r in all_records if (r.get("package"), r.get("function")) in listed]
    sequences = len(all_records) - len(records)
    summary = next((r for r in load_lines(run_path) if r.get("record") == "summary"), None)
    out = sys.stderr
    ran = failed = 0
    reasons = collections.Counter()
    # A tagged `#[test]` needs no harness (`own_test`): `run` runs it as it is.
    harnessed = sum(1 for f in listing if f.get("harness", {}).get("state") in ("current", "own_test"))
    for r in records:
        props = r.get("properties", [])
        did = [p for p in props if p.get("outcome") in ("pass", "fail")]
        if did:
            ran += 1
        if r.get("status") == "fail":
            failed += 1
            for p in props:
                if p.get("outcome") == "fail" and not p.get("same_as"):
                    print(f"   FAIL {r['function']} {p['property']}: {p.get('input')}\n"
                          f"        {(p.get('message') or '').splitlines()[0] if p.get('message') else ''}",
                          file=out)
        if not did:
            msg = next((p.get("message") for p in props if p.get("message")), None) or next(
                (v.get("message") for v in r.get("violations", []) if v.get("message")), None)
            reasons[short(msg)] += 1
            print(f"   not run {r['function']}: {(msg or 'no reason').splitlines()[0][:300]}", file=out)
    missing = tagged - len(records)
    for reason, n in unlisted.most_common():
        n = min(n, missing)
        if n > 0:
            reasons[reason] += n
            missing -= n
    if missing > 0:
        reasons["tagged but absent from the run report (not discovered?)"] += missing
    log = open(log_path, encoding="utf-8", errors="replace").read() if log_path else ""
    built = "built" if summary is not None and "did not build" not in log else "NOT BUILT"
    pct = 100.0 * ran / tagged if tagged else 0.0
    print(f"== {subject}: tagged {tagged}, harnessed {harnessed}, ran {ran} ({pct:.0f}%), failed {failed}, "
          f"{built}; {sequences} sequence rows", file=out)
    text = "; ".join(f"{n}× {reason}" for reason, n in reasons.most_common())
    print("\t".join([subject, str(tagged), f"{harnessed}", f"{ran} ({pct:.0f}%)", str(failed), text, built]))


if __name__ == "__main__":
    main()
