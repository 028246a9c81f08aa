//! `cargo doc` on a copy of `fixtures/attr-demo` shows the record the attribute adds: prompt (inline or
//! from its file), author, reviewer, test owner, sign-off, on free functions, methods and `impl` blocks.
//! The rendered page is what a reviewer reads, so it is checked rather than an expansion snapshot.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh copy of the fixture in this test target's scratch folder, its path dependency made absolute.
fn copy_fixture(name: &str) -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = manifest_dir.join("../fixtures").join(name);
    let dest = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-src"));
    let _ = std::fs::remove_dir_all(&dest);
    copy_dir(&source, &dest);
    let manifest = dest.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("fixture manifest reads");
    let absolute = manifest_dir.canonicalize().expect("abuse-macros exists");
    let text = text.replace(
        "path = \"../../abuse-macros\"",
        &format!("path = {:?}", absolute.display().to_string()),
    );
    assert!(
        text.contains(&absolute.display().to_string()),
        "the path dependency was rewritten"
    );
    std::fs::write(&manifest, text).expect("fixture manifest writes");
    // The workspace's lock file pins the same syn/quote/proc-macro2: no resolution, no network.
    std::fs::copy(manifest_dir.join("../Cargo.lock"), dest.join("Cargo.lock"))
        .expect("lock copies");
    dest
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("destination folder is created");
    for entry in std::fs::read_dir(from).expect("fixture folder reads") {
        let entry = entry.expect("fixture entry reads");
        let target = to.join(entry.file_name());
        if entry.file_name() == "target" {
            continue;
        }
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("fixture file copies");
        }
    }
}

/// Runs `cargo doc --no-deps` on the crate at `dir` and returns its doc folder.
fn cargo_doc(dir: &Path) -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("attr-demo-target");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["doc", "--no-deps", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("CARGO_TERM_COLOR")
        .env_remove("RUSTDOCFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo doc failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    target.join("doc/attr_demo")
}

/// The visible text of an HTML page, tags removed and whitespace collapsed.
fn page_text(path: &Path) -> String {
    let html = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_shows(text: &str, page: &str, needles: &[&str]) {
    for needle in needles {
        assert!(
            text.contains(needle),
            "{page} does not show {needle:?}:\n{text}"
        );
    }
}

#[test]
fn cargo_doc_shows_the_record_of_every_form() {
    let dir = copy_fixture("attr-demo");
    let doc = cargo_doc(&dir);

    let page = page_text(&doc.join("fn.parse_port.html"));
    assert_shows(
        &page,
        "parse_port",
        &[
            "Parses a TCP port. AI-generated.",
            "Model: gpt-5",
            "Prompt author: alice",
            "Reviewer: carol",
            "Test owner: bob",
            "Sign-off: none",
            "max_alloc = \"64 MiB\"",
            "Prompt: Parse a TCP port; reject anything outside 1..=65535",
        ],
    );

    let page = page_text(&doc.join("fn.clamp_percent.html"));
    assert_shows(
        &page,
        "clamp_percent",
        &[
            "Prompt author: not recorded",
            "Test owner: not recorded",
            "Prompt: not recorded",
        ],
    );

    let page = page_text(&doc.join("fn.checksum.html"));
    assert_shows(
        &page,
        "checksum",
        &[
            "Prompt author: dana",
            "Test owner: erin",
            "Prompt ( prompts/checksum.md ): Compute the Internet checksum (RFC 1071)",
        ],
    );

    let page = page_text(&doc.join("struct.Ring.html"));
    assert_shows(
        &page,
        "Ring",
        &[
            "Prompt author: alice Reviewer: frank",
            "Reviewer: frank",
            "Prompt: Make a ring buffer",
            "Test owner: bob",
            "Prompt: Byte at index, wrapping around",
        ],
    );

    let page = page_text(&doc.join("struct.Celsius.html"));
    assert_shows(
        &page,
        "Celsius",
        &[
            "Every pub fn of this block is tagged",
            "To Fahrenheit. AI-generated.",
            "From Fahrenheit. AI-generated.",
            "Prompt author: grace",
            "Reviewer: heidi",
            "Test owner: ivan",
            "Prompt: Convert between Celsius and Fahrenheit",
        ],
    );

    // The prompt file is tracked: editing it alone rebuilds the docs with the new text.
    std::fs::write(dir.join("prompts/checksum.md"), "A rewritten prompt.\n")
        .expect("prompt writes");
    let doc = cargo_doc(&dir);
    let page = page_text(&doc.join("fn.checksum.html"));
    assert_shows(
        &page,
        "checksum after the edit",
        &["Prompt ( prompts/checksum.md ): A rewritten prompt."],
    );
}
