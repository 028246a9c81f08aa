#!/usr/bin/env bash
# Runs `cargo abuse list` on a real crates.io crate: copies fluent-uri 0.4.1 from the local cargo registry
# (fetching it first if needed) into a temp dir, tags a few functions with a script, lists them.
# Usage: benches/list/real_crate.sh [path/to/cargo-abuse]   (the crate's code is never committed)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-}
if [ -z "$bin" ]; then
  cargo build -q -p cargo-abuse --manifest-path "$repo/Cargo.toml"
  target=$(cargo metadata --no-deps --format-version 1 --manifest-path "$repo/Cargo.toml" | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
  bin="$target/debug/cargo-abuse"
fi
name=fluent-uri; version=0.4.1
src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$name-$version" 2>/dev/null | head -1 || true)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$src" ]; then
  # `cargo fetch` a throwaway project that depends on the crate, so it lands in the registry cache.
  mkdir -p "$work/fetch/src" && echo 'fn main() {}' > "$work/fetch/src/main.rs"
  printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\n%s = "=%s"\n[workspace]\n' "$name" "$version" > "$work/fetch/Cargo.toml"
  (cd "$work/fetch" && cargo fetch -q)
  src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$name-$version" | head -1)
fi
cp -r "$src" "$work/crate"
cd "$work/crate"
chmod -R u+w .
# Its own workspace, no dev-dependencies needed for `cargo metadata --no-deps`.
printf '\n[workspace]\n' >> Cargo.toml

python3 - <<'PY'
import re
def tag(path, pattern, attr, rename=None):
    text = open(path).read()
    m = re.search(pattern, text, re.M)
    assert m, (path, pattern)
    indent = re.match(r"\s*", m.group(0)).group(0)
    text = text[:m.start()] + f"{indent}{attr}\n" + text[m.start():]
    if rename:
        # after the inner doc comments and inner attributes
        lines = text.split("\n")
        at = next(i for i, l in enumerate(lines) if not (l.startswith("//!") or l.startswith("#![") or not l.strip()))
        lines.insert(at, rename)
        text = "\n".join(lines)
    open(path, "w").write(text)
# free pub(crate) fn in a public module
tag("src/pct_enc/mod.rs", r"^pub\(crate\) fn decode_octet", '#[abuse_macros::ai_generated(prompt = "Decode two hex digits", test_owner = "bob")]')
# const fn in a generic inherent impl
tag("src/pct_enc/mod.rs", r"^    pub const fn new\(s: &str\) -> Option<&Self>", '#[abuse_macros::ai_generated(prompt = "Validate a percent-encoded string", author = "alice", test_owner = "bob")]')
# method in a generic impl, behind a renamed import
tag("src/pct_enc/mod.rs", r"^    pub fn split_once\(", '#[ai(prompt = "Split once on a delimiter")]', rename="use abuse_macros::ai_generated as ai;")
# crate-private parser in a private module
tag("src/parse.rs", r"^pub\(crate\) fn parse\(", '#[abuse_macros::ai_generated(prompt = "Parse an RFC 3986 URI reference", test_owner = "carol")]')
# pub const fn in a private module, not re-exported
tag("src/utf8.rs", r"^pub const fn next_code_point", '#[abuse_macros::ai_generated]')
# a whole inherent impl block (pub fns tagged)
tag("src/component.rs", r"^impl Scheme \{", '#[abuse_macros::ai_generated(prompt = "URI schemes", test_owner = "dave")]')
PY
echo "== $name $version: $(find src -name '*.rs' | wc -l) files, $(cat $(find src -name '*.rs') | wc -l) lines"
env -u CARGO_TARGET_DIR -u CARGO_TERM_COLOR "$bin" abuse list -vv
echo "exit $?"
