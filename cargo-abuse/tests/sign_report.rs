//! End-to-end: `cargo abuse sign` (byte preservation, current/stale states, refusals) and
//! `cargo abuse report --since` on a small git history made in the test, on copies of `fixtures/demo`.

mod util;

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use util::{
    build_lock, cargo_abuse, cargo_abuse_shared, copy_fixture, edit, fix_demo_bugs, read, run,
    run_records,
};

fn gen(dir: &Path) {
    let (code, _, err) = run(cargo_abuse(dir).args(["gen", "-q"]));
    assert_eq!(code, 0, "{err}");
}

fn list_fn(dir: &Path, path: &str) -> Value {
    let (code, out, err) = run(cargo_abuse(dir).args(["list", "--json"]));
    assert_eq!(code, 0, "{err}");
    let json: Value = serde_json::from_str(&out).expect("list --json");
    json["functions"]
        .as_array()
        .expect("functions")
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} listed: {out}"))
        .clone()
}

/// The demo with its planted bugs fixed, so that every harness passes.
fn fixed_demo() -> util::Fixture {
    let fx = copy_fixture("demo");
    fix_demo_bugs(&fx.dir);
    gen(&fx.dir);
    fx
}

#[test]
fn sign_writes_only_the_sign_off_and_a_later_body_edit_makes_it_stale() {
    let fx = fixed_demo();
    let lib = fx.dir.join("src/lib.rs");
    let before = read(&lib);
    let fingerprint = list_fn(&fx.dir, "parse_port")["fingerprint"]
        .as_str()
        .expect("fingerprint")
        .to_string();
    let _lock = build_lock();
    util::touch_all(&fx.dir);
    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["sign", "parse_port", "--owner", "bob"],
    ));
    assert_eq!(code, 0, "{out}\n{err}");

    // Only one line was inserted, inside parse_port's attribute; every other byte is as it was.
    let after = read(&lib);
    let diff = similar::TextDiff::from_lines(&before, &after);
    let changes: Vec<_> = diff
        .iter_all_changes()
        .filter(|c| c.tag() != similar::ChangeTag::Equal)
        .collect();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].tag(), similar::ChangeTag::Insert);
    let line = changes[0].value();
    let value = line
        .trim()
        .strip_prefix("signed_off = \"")
        .and_then(|v| v.strip_suffix("\","))
        .unwrap_or_else(|| panic!("a signed_off line: {line:?}"));
    let parts: Vec<&str> = value.split(' ').collect();
    assert_eq!(parts.len(), 3, "OWNER DATE FINGERPRINT: {value}");
    assert_eq!(parts[0], "bob");
    assert!(
        parts[1].len() == 10 && parts[1].chars().filter(|c| *c == '-').count() == 2,
        "a date: {value}"
    );
    assert_eq!(
        parts[2], fingerprint,
        "the fingerprint of the function as listed before signing"
    );
    let index = changes[0].new_index().expect("inserted line index");
    let attr_start = after
        .lines()
        .position(|l| l.contains("prompt = \"Parse a TCP port"))
        .expect("attr")
        - 1;
    let fn_line = after
        .lines()
        .position(|l| l.starts_with("pub fn parse_port"))
        .expect("fn");
    assert!(
        attr_start < index && index < fn_line,
        "inside the attribute: line {index}"
    );
    assert_eq!(after.replacen(line, "", 1), before);

    let f = list_fn(&fx.dir, "parse_port");
    assert_eq!(f["signoff"]["state"], "current", "{f:#}");
    assert_eq!(f["signoff"]["owner"], "bob", "{f:#}");
    assert_eq!(
        f["fingerprint"],
        fingerprint.as_str(),
        "signing does not change the fingerprint"
    );
    assert_eq!(
        f["harness"]["state"], "current",
        "signing does not make the harness stale: {f:#}"
    );

    // The function changes after the sign-off: stale, and `run` fails on it with its rule.
    edit(
        &lib,
        "if n == 0 || n > 65535 {",
        "if n == 0 || n >= 65536 {",
    );
    let f = list_fn(&fx.dir, "parse_port");
    assert_eq!(f["signoff"]["state"], "stale", "{f:#}");
    gen(&fx.dir);
    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["run", "--json", "--cases", "16", "--seed", "7"],
    ));
    assert_eq!(code, 1, "a stale sign-off fails the run\n{out}\n{err}");
    let (records, summary) = run_records(&out);
    assert_eq!(
        summary["properties_failed"], 0,
        "only the policy fails: {summary:#}"
    );
    let violations = records["parse_port"]["violations"]
        .as_array()
        .expect("violations");
    assert!(
        violations
            .iter()
            .any(|v| v["rule"] == "abuse/stale-signoff"),
        "{violations:#?}"
    );
    assert!(records["to_hex"]["violations"]
        .as_array()
        .expect("violations")
        .is_empty());

    // Under `policy.stale = "warn"` the same run passes.
    let manifest = fx.dir.join("Cargo.toml");
    std::fs::write(
        &manifest,
        format!(
            "{}\n[package.metadata.abuse.policy]\nstale = \"warn\"\n",
            read(&manifest)
        ),
    )
    .expect("write manifest");
    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["run", "--json", "--cases", "16", "--seed", "7"],
    ));
    assert_eq!(code, 0, "a stale sign-off only warns\n{out}\n{err}");
}

#[test]
fn sign_refuses_a_failing_function_and_an_owner_the_policy_does_not_allow() {
    let fx = copy_fixture("demo");
    gen(&fx.dir);
    let lib = fx.dir.join("src/lib.rs");
    let before = read(&lib);
    let _lock = build_lock();
    util::touch_all(&fx.dir);
    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["sign", "truncate", "--owner", "bob"],
    ));
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(err.contains("not signed"), "says why: {err}");
    assert_eq!(read(&lib), before, "the source is unchanged");

    let manifest = fx.dir.join("Cargo.toml");
    std::fs::write(
        &manifest,
        format!(
            "{}\n[package.metadata.abuse.policy]\nallowed-owners = [\"bob\"]\n",
            read(&manifest)
        ),
    )
    .expect("write manifest");
    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["sign", "parse_port", "--owner", "mallory"],
    ));
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(
        err.contains("mallory") && err.contains("bob"),
        "names the owner and the policy: {err}"
    );
    assert_eq!(read(&lib), before, "the source is unchanged");
    assert_eq!(list_fn(&fx.dir, "parse_port")["signoff"]["state"], "none");
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A git history on a demo copy: one commit as it is, then one changing `parse_port`'s body and
/// `normalize_whitespace`'s prompt.
fn demo_with_history() -> util::Fixture {
    let fx = copy_fixture("demo");
    git(&fx.dir, &["init", "-q"]);
    git(&fx.dir, &["add", "-A"]);
    git(&fx.dir, &["commit", "-qm", "first"]);
    let lib = fx.dir.join("src/lib.rs");
    edit(
        &lib,
        "if n == 0 || n > 65535 {",
        "if n == 0 || n >= 65536 {",
    );
    edit(
        &lib,
        "prompt = \"Normalise whitespace: runs of whitespace become one space, ends trimmed\"",
        "prompt = \"Normalise whitespace: runs become one space; ends trimmed\"",
    );
    git(&fx.dir, &["commit", "-qam", "second"]);
    fx
}

#[test]
fn report_since_lists_exactly_the_changed_functions_with_prompt_and_diff() {
    let fx = demo_with_history();
    let (code, out, err) =
        run(cargo_abuse(&fx.dir).args(["report", "--since", "HEAD~1", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let json: Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"));
    let functions = json["functions"].as_array().expect("functions");
    let names: Vec<&str> = functions
        .iter()
        .map(|f| f["function"].as_str().expect("function"))
        .collect();
    assert_eq!(names, ["parse_port", "normalize_whitespace"], "{out}");

    let port = &functions[0];
    assert_eq!(
        port["prompt"],
        "Parse a TCP port; reject anything outside 1..=65535"
    );
    assert_eq!(port["test_owner"], "bob");
    let diff = port["diff"].as_str().expect("diff");
    assert!(diff.contains("-    if n == 0 || n > 65535 {\n"), "{diff}");
    assert!(diff.contains("+    if n == 0 || n >= 65536 {\n"), "{diff}");
    assert!(port["prompt_diff"].is_null(), "{port:#}");

    let ws = &functions[1];
    assert_eq!(
        ws["prompt"],
        "Normalise whitespace: runs become one space; ends trimmed"
    );
    let prompt_diff = ws["prompt_diff"].as_str().expect("prompt diff");
    assert!(
        prompt_diff
            .contains("-Normalise whitespace: runs of whitespace become one space, ends trimmed"),
        "{prompt_diff}"
    );
    assert!(
        prompt_diff.contains("+Normalise whitespace: runs become one space; ends trimmed"),
        "{prompt_diff}"
    );

    // The Markdown says the same for a reviewer.
    let (code, md, err) = run(cargo_abuse(&fx.dir).args(["report", "--since", "HEAD~1"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        md.contains("`demo::parse_port`") && md.contains("`demo::normalize_whitespace`"),
        "{md}"
    );
    assert!(
        !md.contains("`demo::truncate`") && !md.contains("`demo::mean`"),
        "{md}"
    );
    assert!(
        md.contains("> Parse a TCP port; reject anything outside 1..=65535"),
        "{md}"
    );
    assert!(md.contains("+    if n == 0 || n >= 65536 {"), "{md}");
    assert!(md.contains("```diff"), "{md}");

    // Uncommitted changes count too, and the first commit as base gives the same two plus a worktree edit.
    edit(
        &fx.dir.join("src/lib.rs"),
        "p.clamp(0, 100) as u8",
        "p.clamp(0, 100) as u8 // clamp",
    );
    edit(
        &fx.dir.join("src/lib.rs"),
        "bytes.iter().map(|b| format!(\"{b:02x}\"))",
        "bytes.iter().map(|b| format!(\"{:02x}\", b))",
    );
    let (code, out, err) =
        run(cargo_abuse(&fx.dir).args(["report", "--since", "HEAD~1", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let json: Value = serde_json::from_str(&out).expect("json");
    let mut names: Vec<&str> = json["functions"]
        .as_array()
        .expect("functions")
        .iter()
        .map(|f| f["function"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["normalize_whitespace", "parse_port", "to_hex"],
        "a comment-only edit is no change: {out}"
    );
}

#[test]
fn report_since_with_no_changes_lists_nothing_and_a_bad_revision_is_a_tool_error() {
    let fx = demo_with_history();
    let (code, out, err) =
        run(cargo_abuse(&fx.dir).args(["report", "--since", "HEAD", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let json: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["functions"], serde_json::json!([]), "{out}");
    let (code, _, err) = run(cargo_abuse(&fx.dir).args(["report", "--since", "no-such-rev"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no-such-rev"), "{err}");
}

#[test]
fn report_diff_hunks_use_the_files_line_numbers() {
    // The diff is headed `--- a/src/lib.rs`, so its `@@ -N` must be a line of that file.
    let fx = demo_with_history();
    let (code, out, err) =
        run(cargo_abuse(&fx.dir).args(["report", "--since", "HEAD~1", "--format", "json"]));
    assert_eq!(code, 0, "{err}");
    let json: Value = serde_json::from_str(&out).expect("json");
    let lib = read(&fx.dir.join("src/lib.rs"));
    for f in json["functions"].as_array().expect("functions") {
        let diff = f["diff"].as_str().expect("diff");
        let hunk = diff.lines().find(|l| l.starts_with("@@ ")).expect("a hunk");
        let new_start: usize = hunk
            .split(' ')
            .find_map(|p| p.strip_prefix('+'))
            .and_then(|p| p.split(',').next())
            .and_then(|n| n.parse().ok())
            .expect("hunk start");
        let first_new_line = diff
            .lines()
            .skip_while(|l| !l.starts_with("@@ "))
            .nth(1)
            .expect("a line after the hunk header")
            .get(1..)
            .unwrap_or_default();
        assert_eq!(
            lib.lines().nth(new_start - 1),
            Some(first_new_line),
            "{}: hunk `{hunk}` does not point at src/lib.rs:{new_start}\n{diff}",
            f["function"]
        );
    }
}

#[test]
fn sign_keeps_unusual_formatting_and_re_signing_replaces_only_the_old_sign_off() {
    let fx = fixed_demo();
    let lib = fx.dir.join("src/lib.rs");
    // clamp_percent with its attribute on one line, comments inside and around it, and another attribute after.
    let text = read(&lib);
    let start = text
        .find("/// Clamps a percentage into 0..=100.")
        .expect("clamp_percent doc");
    let end = text.find("pub fn clamp_percent").expect("clamp_percent fn");
    let odd = "/// Clamps a percentage into 0..=100.\n\
               // a comment before\n\
               #[ai_generated(prompt = \"Clamp a percentage to 0..=100\" /* inline */, author = \"erin\", test_owner = \"frank\",\n\
               \t\tensures = |p: &i64, out: &u8| *out <= 100 && (*p < 0 || *p > 100 || i64::from(*out) == *p))] // trailing\n\
               #[inline]\n";
    std::fs::write(&lib, format!("{}{odd}{}", &text[..start], &text[end..])).expect("write");
    gen(&fx.dir);
    let before = read(&lib);
    let _lock = build_lock();
    util::touch_all(&fx.dir);
    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["sign", "clamp_percent", "--owner", "frank"],
    ));
    assert_eq!(code, 0, "{out}\n{err}");
    let after = read(&lib);
    let changed = |a: &str, b: &str| {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let suffix = a[prefix..]
            .iter()
            .rev()
            .zip(b[prefix..].iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        (
            prefix,
            String::from_utf8_lossy(&a[prefix..a.len() - suffix]).into_owned(),
            String::from_utf8_lossy(&b[prefix..b.len() - suffix]).into_owned(),
        )
    };
    let (at, removed, added) = changed(&before, &after);
    assert_eq!(removed, "", "nothing removed");
    assert!(added.contains("signed_off = \"frank "), "{added:?}");
    let attr = before
        .find("#[ai_generated(prompt = \"Clamp")
        .expect("attr");
    let attr_end = attr + before[attr..].find(")] // trailing").expect("attr end");
    assert!(
        attr < at && at <= attr_end,
        "inserted inside the attribute ({attr}..{attr_end}): at {at}: {added:?}"
    );
    assert!(
        after.contains("/* inline */")
            && after.contains(")] // trailing\n#[inline]\npub fn clamp_percent"),
        "{after}"
    );
    assert_eq!(
        list_fn(&fx.dir, "clamp_percent")["signoff"]["state"],
        "current"
    );

    // The body changes; signing again replaces the old value and nothing else.
    edit(&lib, "p.clamp(0, 100) as u8", "p.clamp(0, 100) as u8 + 0");
    assert_eq!(
        list_fn(&fx.dir, "clamp_percent")["signoff"]["state"],
        "stale"
    );
    gen(&fx.dir);
    let before = read(&lib);
    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["sign", "clamp_percent", "--owner", "erin"],
    ));
    assert_eq!(code, 0, "{out}\n{err}");
    let after = read(&lib);
    let (_, removed, added) = changed(&before, &after);
    assert!(
        removed.starts_with("frank") || removed.contains("frank"),
        "only the old sign-off goes: {removed:?}"
    );
    assert!(added.contains("erin"), "{added:?}");
    assert!(
        !removed.contains('\n') && !added.contains('\n'),
        "within the value: {removed:?} -> {added:?}"
    );
    assert_eq!(after.matches("signed_off").count(), 1, "{after}");
    assert_eq!(
        list_fn(&fx.dir, "clamp_percent")["signoff"]["state"],
        "current"
    );
}
