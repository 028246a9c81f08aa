#!/usr/bin/env python3
"""Generates a synthetic cargo workspace for the `cargo abuse list` benchmark.

Usage: gen_workspace.py DIR [PACKAGES FILES_PER_PACKAGE LINES_PER_FILE TAGGED_TOTAL]
Defaults: 4 packages x 50 files x ~500 lines = ~100,000 lines, 500 tagged functions.
Each package has nested module folders (x.rs + x/, mod.rs), structs, impls, `pub use` re-exports.
"""
import os
import sys

out = sys.argv[1]
packages = int(sys.argv[2]) if len(sys.argv) > 2 else 4
files_per_pkg = int(sys.argv[3]) if len(sys.argv) > 3 else 50
lines_per_file = int(sys.argv[4]) if len(sys.argv) > 4 else 500
tagged_total = int(sys.argv[5]) if len(sys.argv) > 5 else 500

total_files = packages * files_per_pkg
tagged_left = tagged_total


def function(i, tagged):
    attr = ""
    if tagged:
        attr = (
            f'#[ai_generated(prompt = "Parse record {i}; reject malformed input", '
            f'author = "alice", test_owner = "bob")]\n'
        )
    return attr + f'''pub fn parse_record_{i}(input: &str, limit: usize) -> Result<Vec<u32>, String> {{
    let mut out = Vec::new();
    if input.is_empty() || input.len() > limit {{
        return Err(format!("bad length {{}}", input.len()));
    }}
    for (n, part) in input.split(',').enumerate() {{
        let part = part.trim();
        match part {{
            "" => continue,
            "max" => out.push(u32::MAX),
            "min" | "zero" => out.push(0),
            other => {{
                let value: u32 = other.parse().map_err(|e| format!("field {{}}: {{}}", n, e))?;
                if value > 65535 {{
                    return Err("out of range".to_string());
                }}
                out.push(value.saturating_mul(2).wrapping_add({i} % 7));
            }}
        }}
    }}
    Ok(out)
}}

'''


def struct(i):
    return f'''#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record{i} {{
    pub id: u64,
    pub name: String,
    pub tags: Vec<String>,
}}

impl Record{i} {{
    pub fn new(id: u64, name: &str) -> Option<Self> {{
        if name.is_empty() {{ None }} else {{ Some(Record{i} {{ id, name: name.to_string(), tags: Vec::new() }}) }}
    }}

    pub fn tag(&mut self, t: &str) -> &mut Self {{
        self.tags.push(t.to_owned());
        self
    }}
}}

'''


file_no = 0
members = []
for p in range(packages):
    name = f"synth_{p}"
    members.append(name)
    src = os.path.join(out, name, "src")
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(out, name, "Cargo.toml"), "w") as f:
        f.write(f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n[dependencies]\n')
    # Layout: lib.rs declares groups g0..g9 (g.rs + g/ folder), each with files_per_pkg/10 leaf modules.
    groups = 10
    per_group = files_per_pkg // groups
    lib = ["//! Synthetic benchmark crate.\n", "use abuse_macros::ai_generated;\n"]
    for g in range(groups):
        lib.append(f"pub mod g{g};\n")
        lib.append(f"pub use g{g}::*;\n")
    file_paths = []
    for g in range(groups):
        gdir = os.path.join(src, f"g{g}")
        os.makedirs(gdir, exist_ok=True)
        group_src = ["//! Group module.\n"]
        for k in range(per_group - 1):
            group_src.append(f"pub mod m{k};\n")
        file_paths.append((os.path.join(src, f"g{g}.rs"), group_src))
        for k in range(per_group - 1):
            file_paths.append((os.path.join(gdir, f"m{k}.rs"), ["//! Leaf module.\nuse abuse_macros::ai_generated;\n"]))
    file_paths.append((os.path.join(src, "lib.rs"), lib))
    for path, head in file_paths:
        file_no += 1
        files_left = total_files - file_no + 1
        tag_here = -(-tagged_left // files_left) if files_left > 0 else 0
        body = list(head)
        if "ai_generated" not in "".join(head):
            body.append("use abuse_macros::ai_generated;\n")
        lines = sum(x.count("\n") for x in body)
        i = 0
        while lines < lines_per_file:
            chunk = struct(file_no * 1000 + i) if i % 3 == 2 else function(file_no * 1000 + i, tag_here > 0)
            if i % 3 != 2 and tag_here > 0:
                tag_here -= 1
                tagged_left -= 1
            body.append(chunk)
            lines += chunk.count("\n")
            i += 1
        with open(path, "w") as f:
            f.write("".join(body))

with open(os.path.join(out, "Cargo.toml"), "w") as f:
    f.write('[workspace]\nresolver = "2"\nmembers = [' + ", ".join(f'"{m}"' for m in members) + "]\n")
    f.write('\n[workspace.dependencies]\n')
for m in members:
    path = os.path.join(out, m, "Cargo.toml")
    with open(path, "a") as f:
        f.write(f'abuse-macros = {{ path = "{os.environ.get("ABUSE_MACROS", "../../abuse-macros")}" }}\n')
print(f"{file_no} files, {tagged_total - tagged_left} tagged functions", file=sys.stderr)
