//! prettyplease: lays generated Rust out the way rustfmt would, so generated files read like handwritten ones.

use anyhow::{Context, Result};

/// Parses generated code and prints it formatted. A parse failure is a bug of cargo-abuse (a template or a plan
/// produced invalid Rust), so the error carries the offending code.
#[abuse_macros::ai_generated(
    prompt = "Format Rust source like rustfmt; invalid Rust is an error that shows the numbered code, never a panic",
    model = "claude",
    author = "lead",
    test_owner = "lead",
    deterministic,
    // Linear, but syn's lexer takes over a second and ~120 bytes per input byte on a 700 KB hostile input in a
    // debug build; generated files are a few KB.
    timeout_ms = 10000,
    max_alloc = "256 MiB"
)]
pub fn format_rust(code: &str) -> Result<String> {
    // syn parses nested delimiters recursively: refuse what would overflow the stack (found by dogfooding).
    if max_nesting(code) > MAX_NESTING {
        anyhow::bail!("code nests delimiters deeper than {MAX_NESTING} levels; cargo-abuse does not format it");
    }
    let file = syn::parse_file(code).with_context(|| {
        let numbered: String = code
            .lines()
            .enumerate()
            .map(|(i, l)| format!("{:4} {l}\n", i + 1))
            .collect();
        format!(
            "cargo-abuse generated code that does not parse (a bug; please report it):\n{numbered}"
        )
    })?;
    Ok(prettyplease::unparse(&file))
}

/// `code` with its layout taken out: whitespace outside string literals removed, and a comma right before a
/// closing delimiter dropped (rustfmt adds those). Two layouts of the same code compare equal; a changed token
/// or comment does not. `cargo fmt` on a generated file is therefore not an edit.
pub fn layout_insensitive(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push(c);
                while let Some(s) = chars.next() {
                    out.push(s);
                    match s {
                        '\\' => {
                            if let Some(escaped) = chars.next() {
                                out.push(escaped);
                            }
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            c if c.is_whitespace() => {}
            ')' | ']' | '}' => {
                if out.ends_with(',') {
                    out.pop();
                }
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Deeper than anything generated; far below what overflows the stack.
const MAX_NESTING: usize = 256;

/// The deepest nesting of `()`, `[]`, `{}` outside string and character literals and comments.
fn max_nesting(code: &str) -> usize {
    let bytes = code.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                // Skip a string literal, escapes included.
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'\'' if bytes.get(i + 2) == Some(&b'\'') || bytes.get(i + 1) == Some(&b'\\') => {
                // A character literal ('x' or '\..'); lifetimes fall through untouched.
                i += 1;
                while i < bytes.len() && bytes[i] != b'\'' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_rustfmt() {
        let out = format_rust("fn  a( x:u8 )->u8{x+1}").expect("valid rust");
        assert_eq!(out, "fn a(x: u8) -> u8 {\n    x + 1\n}\n");
    }

    #[test]
    fn layout_does_not_count_but_tokens_and_comments_do() {
        let ours = "const A: &[&str] = &[\"a b\", \"c\"];\n";
        let rustfmt = "const A: &[&str] = &[\n    \"a b\",\n    \"c\",\n];\n";
        assert_eq!(layout_insensitive(ours), layout_insensitive(rustfmt));
        assert_ne!(
            layout_insensitive(ours),
            layout_insensitive(&ours.replace("a b", "ab"))
        );
        assert_ne!(
            layout_insensitive(ours),
            layout_insensitive(&format!("{ours}// note\n"))
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(format_rust(&deep).is_err());
        // Brackets inside strings do not count.
        let code = format!("const A: &str = {:?};", "[".repeat(1000));
        assert!(format_rust(&code).is_ok());
    }

    #[test]
    fn invalid_code_is_an_error_that_shows_the_code() {
        let err = format_rust("fn (").expect_err("invalid");
        assert!(format!("{err:#}").contains("fn ("));
    }
}
