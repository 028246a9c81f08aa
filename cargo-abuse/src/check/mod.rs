//! std::process + cargo_metadata's compiler-message types: `cargo check --message-format=json` (or, for errors
//! only code generation finds, `cargo test --no-run`) of the generated targets (a package's `abuse` test target
//! and in-crate harnesses, its fuzz crate), and the errors it reports, each with the file of its primary span,
//! so `gen` and `run` can tell which function's harness broke.
//!
//! Entry: [`check`]. Which function a file serves, and what is done about it, is the caller's business
//! (`commands::gen::settle`).

mod settle;

pub use settle::{check_targets, settle, skip_for, Settled, MAX_ROUNDS};

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{Context, Result};
use cargo_metadata::diagnostic::DiagnosticLevel;
use cargo_metadata::Message;

/// What to check: one cargo invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckTarget {
    /// The manifest checked (`--manifest-path`).
    pub manifest: PathBuf,
    /// The root relative file names in the compiler's messages start from (the workspace root of that
    /// manifest: the package's workspace, or the fuzz crate's own folder).
    pub root: PathBuf,
    /// The targets, as cargo arguments (`--test abuse`, `--lib`, `--bins`).
    pub targets: Vec<String>,
    /// Cargo's feature flags (`run --features ...`), so the check compiles what the run will build.
    pub features: Vec<String>,
    /// Check with the test profile (`cfg(test)`), as the property tests build.
    pub test_profile: bool,
    /// `--target-dir`.
    pub target_dir: Option<PathBuf>,
    /// The toolchain that checks (the one the run builds with).
    pub toolchain: crate::toolchain::Toolchain,
    /// Build the test targets (`cargo test --no-run`) instead of checking them: some errors come only with
    /// code generation (a `const` assertion on a type's parameters, evaluated per instantiation, as
    /// wildmatch's `WildMatchPattern<'a', 'a'>` fails). Slower; `run` asks for it when a build failed that the
    /// check passed.
    pub build: bool,
}

/// One compiler error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// Where: the absolute file and 1-based line of its primary span, then of each macro call site that span
    /// was expanded from, innermost first; empty when it has no span.
    pub places: Vec<(PathBuf, u32)>,
    /// `error[E0277]: the trait bound ...`: the first line of the rendered message.
    pub headline: String,
}

/// What one `cargo check` said.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckOutcome {
    /// Whether cargo succeeded.
    pub success: bool,
    /// The errors, in the order the compiler gave them (duplicates removed).
    pub errors: Vec<CompileError>,
    /// Cargo's own stderr, for failures without a compiler message (an unknown target, a resolution error).
    pub stderr: String,
}

/// Runs `cargo check --message-format=json` on `target` (`cargo test --no-run` when [`CheckTarget::build`]) and
/// collects its errors.
pub fn check(target: &CheckTarget) -> Result<CheckOutcome> {
    let mut cmd = target.toolchain.cargo();
    if target.build {
        cmd.args(["test", "--no-run"]);
    } else {
        cmd.arg("check");
    }
    cmd.arg("--message-format=json")
        .arg("--manifest-path")
        .arg(&target.manifest)
        .args(&target.targets)
        .args(&target.features);
    if target.test_profile && !target.build {
        cmd.args(["--profile", "test"]);
    }
    if let Some(dir) = &target.target_dir {
        cmd.arg("--target-dir").arg(dir);
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .with_context(|| format!("running cargo check on {}", target.manifest.display()))?;
    let stderr = child.stderr.take().expect("piped");
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut BufReader::new(stderr), &mut text);
        text
    });
    let stdout = child.stdout.take().expect("piped");
    let errors = parse_messages(BufReader::new(stdout), &target.root);
    let status = child.wait().context("waiting for cargo check")?;
    let stderr = stderr_reader.join().unwrap_or_default();
    Ok(CheckOutcome {
        success: status.success(),
        errors,
        stderr,
    })
}

/// The errors of a `--message-format=json` stream; relative file names are taken from `root`.
pub fn parse_messages(reader: impl std::io::BufRead, root: &Path) -> Vec<CompileError> {
    let mut errors: Vec<CompileError> = Vec::new();
    for message in Message::parse_stream(reader).flatten() {
        let Message::CompilerMessage(msg) = message else {
            continue;
        };
        let diagnostic = &msg.message;
        // A code-generation error names the harness that asked for the failing instantiation in a note of its
        // own, after it: its place is the error's too.
        if diagnostic.level == DiagnosticLevel::Note
            && diagnostic
                .message
                .starts_with("the above error was encountered while instantiating")
        {
            if let Some(last) = errors.last_mut() {
                last.places
                    .extend(diagnostic.spans.iter().filter_map(|s| span_place(s, root)));
            }
            continue;
        }
        if !matches!(
            diagnostic.level,
            DiagnosticLevel::Error | DiagnosticLevel::Ice
        ) {
            continue;
        }
        let headline = match &diagnostic.code {
            Some(code) => format!("error[{}]: {}", code.code, diagnostic.message),
            None => format!("error: {}", diagnostic.message),
        };
        // "aborting due to N previous errors" has no span and says nothing of its own.
        if diagnostic.spans.is_empty() && diagnostic.message.starts_with("aborting due to") {
            continue;
        }
        let primary = diagnostic
            .spans
            .iter()
            .find(|s| s.is_primary)
            .or(diagnostic.spans.first());
        // The primary span, then the macro call sites it was expanded from (`proptest!` in the harness), then
        // the spans of its notes ("the above error was encountered while instantiating `fn new` --> the
        // harness": a const assertion fails in the crate, for the instantiation a harness asked for).
        let mut places = Vec::new();
        let mut span = primary;
        while let Some(s) = span {
            places.extend(span_place(s, root));
            span = s.expansion.as_ref().map(|e| &e.span);
        }
        for child in &diagnostic.children {
            places.extend(child.spans.iter().filter_map(|s| span_place(s, root)));
        }
        let error = CompileError {
            places,
            headline: one_line(&headline),
        };
        if !errors.contains(&error) {
            errors.push(error);
        }
    }
    errors
}

/// A span's file (absolute: relative names are taken from `root`) and 1-based line; `None` for a macro's
/// `<...>` pseudo-file.
fn span_place(
    span: &cargo_metadata::diagnostic::DiagnosticSpan,
    root: &Path,
) -> Option<(PathBuf, u32)> {
    let path = Path::new(&span.file_name);
    (!span.file_name.starts_with('<')).then(|| {
        let file = if path.is_absolute() {
            path.to_path_buf()
        } else {
            root.join(path)
        };
        (file, span.line_start as u32)
    })
}

/// The message on one line, shortened: it goes into a one-line skip reason.
fn one_line(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    const MAX: usize = 240;
    if flat.chars().count() > MAX {
        let cut: String = flat.chars().take(MAX).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(file: &str, line: u32, code: Option<&str>, text: &str, level: &str) -> String {
        let code = match code {
            Some(c) => format!(r#"{{"code":"{c}","explanation":null}}"#),
            None => "null".into(),
        };
        format!(
            r#"{{"reason":"compiler-message","package_id":"path+file:///w#demo@0.1.0","manifest_path":"/w/Cargo.toml","target":{{"kind":["test"],"crate_types":["bin"],"name":"abuse","src_path":"/w/tests/abuse/main.rs","edition":"2021","doctest":false,"test":true,"doc":false}},"message":{{"rendered":"x","$message_type":"diagnostic","children":[],"code":{code},"level":"{level}","message":"{text}","spans":[{{"byte_end":1,"byte_start":0,"column_end":2,"column_start":1,"expansion":null,"file_name":"{file}","is_primary":true,"label":null,"line_end":{line},"line_start":{line},"suggested_replacement":null,"suggestion_applicability":null,"text":[]}}]}}}}"#
        )
    }

    #[test]
    fn errors_keep_their_code_file_and_line_and_warnings_are_dropped() {
        let stream = [
            message(
                "tests/abuse/net__parse.rs",
                12,
                Some("E0277"),
                "the trait bound `i64: Foo` is not satisfied",
                "error",
            ),
            message("src/lib.rs", 3, None, "unused variable", "warning"),
            message("/abs/dep.rs", 4, None, "expected `;`", "error"),
            r#"{"reason":"build-finished","success":false}"#.to_string(),
        ]
        .join("\n");
        let errors = parse_messages(stream.as_bytes(), Path::new("/w"));
        assert_eq!(
            errors,
            vec![
                CompileError {
                    places: vec![(PathBuf::from("/w/tests/abuse/net__parse.rs"), 12)],
                    headline: "error[E0277]: the trait bound `i64: Foo` is not satisfied".into(),
                },
                CompileError {
                    places: vec![(PathBuf::from("/abs/dep.rs"), 4)],
                    headline: "error: expected `;`".into(),
                },
            ]
        );
    }

    #[test]
    fn the_instantiation_note_after_a_code_generation_error_adds_the_harness_place() {
        // wildmatch's `WildMatchPattern::<'a', 'a'>::new`: the const assertion fails in the crate; a note of its
        // own, after the error, names the harness that instantiated it. Other notes add nothing.
        let stream = [
            message(
                "src/lib.rs",
                102,
                Some("E0080"),
                "evaluation panicked: single and multi wildcards cannot be the same",
                "error",
            ),
            message("src/lib.rs", 111, None, "erroneous constant encountered", "note"),
            message(
                "tests/abuse/wild__new.rs",
                79,
                None,
                "the above error was encountered while instantiating `fn WildMatchPattern::<'a', 'a'>::new`",
                "note",
            ),
        ]
        .join("\n");
        let errors = parse_messages(stream.as_bytes(), Path::new("/w"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].places,
            [
                (PathBuf::from("/w/src/lib.rs"), 102),
                (PathBuf::from("/w/tests/abuse/wild__new.rs"), 79)
            ]
        );
    }

    #[test]
    fn long_messages_become_one_shortened_line() {
        let long = format!("a\nb {}", "x".repeat(400));
        let line = one_line(&long);
        assert!(line.starts_with("a b xxx"));
        assert!(!line.contains('\n'));
        assert_eq!(line.chars().count(), 241);
    }
}
