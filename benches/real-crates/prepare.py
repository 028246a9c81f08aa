#!/usr/bin/env python3
"""Turns a copy of a crates.io crate into a cargo-abuse test subject, in place.

Usage: prepare.py CRATE_DIR REPO_ROOT [--member] [--path-dep=NAME:PATH ...]

- tags every `pub fn` / `pub const fn` / `pub async fn` / `pub unsafe fn` / `pub extern "C" fn` with
  `#[abuse_macros::ai_generated]`, inserted before the function's own attributes (after its doc comments);
  functions inside `macro_rules!` bodies and `impl Trait for Type` blocks are left alone;
- adds the `abuse-macros` path dependency, `[package.metadata.abuse] runtime-path` and (when it has none) an
  empty `[workspace]`;
- for a member of an assembled workspace (`--member`): no `[workspace]`, and `path = PATH` added to the
  `[dependencies.NAME]` table of every `--path-dep=NAME:PATH` (the other members);
- changes nothing else: the published manifest (`autotests = false` included), tests, dev-dependencies and
  `#[cfg(test)]` modules stay as published (issue 12: removing `autotests` hid that `gen` made no test target).

Prints the number of functions tagged.
"""

import os
import re
import sys

ATTR = "#[abuse_macros::ai_generated]"
FN_RE = re.compile(
    r'^(\s*)pub\s+(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?(?:extern\s+(?:"[^"]*"\s+)?)?fn\s+\w+'
)


def mask(text):
    """The text with comments, string and char literals blanked (same length), so braces can be counted."""
    out = list(text)
    i, n = 0, len(text)

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            blank(i, j)
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 8]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            hashes = re.match(r'r(#*)"', text[i:]).group(1)
            end = text.find('"' + hashes, i + len(hashes) + 2)
            end = n if end < 0 else end + 1 + len(hashes)
            blank(i, end)
            i = end
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            blank(i, j + 1)
            i = j + 1
        elif c == "'":
            m = re.match(r"'(\\.[^']*|[^\\'])'", text[i:])
            if m:
                blank(i, i + m.end())
                i += m.end()
            else:
                i += 1  # a lifetime
        else:
            i += 1
    return "".join(out)


def skipped_ranges(masked):
    """Byte ranges of `macro_rules!` bodies and `impl Trait for Type` blocks."""
    ranges = []
    for m in re.finditer(r"\bmacro_rules!\s*\w+\s*[{(\[]|\bimpl\b[^;{]*?\bfor\b[^;{]*\{", masked):
        start = m.end() - 1
        open_c = masked[start]
        close_c = {"{": "}", "(": ")", "[": "]"}[open_c]
        depth, j = 0, start
        while j < len(masked):
            if masked[j] == open_c:
                depth += 1
            elif masked[j] == close_c:
                depth -= 1
                if depth == 0:
                    break
            j += 1
        ranges.append((m.start(), j))
    return ranges


def tag_file(path):
    text = open(path, encoding="utf-8").read()
    masked = mask(text)
    skip = skipped_ranges(masked)
    lines = text.split("\n")
    mlines = masked.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    inserts = []
    for idx, mline in enumerate(mlines):
        m = FN_RE.match(mline)
        if not m or "fn" not in lines[idx]:
            continue
        if any(a <= offsets[idx] <= b for a, b in skip):
            continue
        if idx > 0 and ATTR in lines[idx - 1]:
            continue
        # Walk back over the function's own attributes (one per line, or multi-line ones ending in `]`).
        at = idx
        while at > 0:
            prev = lines[at - 1].strip()
            if prev.startswith("#[") or (prev.endswith(")]") and not prev.startswith("//")):
                at -= 1
                # a multi-line attribute: go back to its `#[`
                while at > 0 and not lines[at].strip().startswith("#["):
                    at -= 1
            else:
                break
        inserts.append((at, m.group(1)))
    for at, indent in sorted(set(inserts), reverse=True):
        lines.insert(at, indent + ATTR)
    open(path, "w", encoding="utf-8").write("\n".join(lines))
    return len(set(inserts))


def source_dir(crate, manifest):
    """The folder of the library root: `src/` unless `[lib] path` says otherwise (fnv's `lib.rs`)."""
    m = re.search(r'(?ms)^\[lib\][^\[]*?^path\s*=\s*"([^"]+)"', manifest)
    return os.path.join(crate, os.path.dirname(m.group(1)) if m else "src")


def excluded(crate, root):
    """Test, bench and example folders, and build output, when the library root is the package root."""
    rel = os.path.relpath(root, crate).split(os.sep)
    return rel[0] in ("tests", "benches", "examples", "target", "fuzz")


def add_path_deps(manifest, path_deps):
    """`path = "..."` added to each `[dependencies.NAME]` table named in path_deps (a published manifest
    writes every dependency as such a table), so the members of an assembled workspace use each other."""
    for name, path in path_deps.items():
        header = re.search(r"(?m)^\[dependencies\.%s\]\s*$" % re.escape(name), manifest)
        if header:
            manifest = manifest[:header.end()] + f'\npath = "{path}"' + manifest[header.end():]
    return manifest


def main():
    args = sys.argv[1:]
    member = "--member" in args
    path_deps = dict(a.split("=", 1)[1].split(":", 1) for a in args if a.startswith("--path-dep="))
    crate, repo = [a for a in args if not a.startswith("--")][:2]
    # Only additions: the tags, the `abuse-macros` path dependency, the runtime path, and an empty
    # `[workspace]` so the copy builds on its own. Nothing of the published crate is removed or edited
    # (not `autotests = false`, not its tests, not its dev-dependencies).
    manifest_path = os.path.join(crate, "Cargo.toml")
    manifest = open(manifest_path, encoding="utf-8").read()
    dep = f'abuse-macros = {{ path = "{repo}/abuse-macros" }}'
    if re.search(r"(?m)^\[dependencies\]\s*$", manifest):
        manifest = re.sub(r"(?m)^\[dependencies\]\s*$", "[dependencies]\n" + dep, manifest, count=1)
    else:
        manifest += f"\n[dependencies]\n{dep}\n"
    manifest += f'\n[package.metadata.abuse]\nruntime-path = "{repo}/abuse-runtime"\n'
    manifest = add_path_deps(manifest, path_deps)
    if not member and not re.search(r"(?m)^\[workspace\]\s*$", manifest):
        manifest += "\n[workspace]\n"
    open(manifest_path, "w", encoding="utf-8").write(manifest)
    tagged = 0
    paths = sorted(os.path.join(root, name) for root, _, files in os.walk(source_dir(crate, manifest))
                   for name in files if name.endswith(".rs") and not excluded(crate, root))
    for path in paths:
        tagged += tag_file(path)
    print(tagged)


if __name__ == "__main__":
    main()
