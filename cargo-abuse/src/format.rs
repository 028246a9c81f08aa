//! prettyplease: lays generated Rust out the way rustfmt would, so generated files read like handwritten ones.

use anyhow::{Context, Result};

/// Parses generated code and prints it formatted. A parse failure is a bug of cargo-abuse (a template or a plan
/// produced invalid Rust), so the error carries the offending code.
#[abuse_macros::ai_generated(
    prompt = "Format Rust source like rustfmt; invalid Rust is an error that shows the numbered code, never a panic",
    model = "claude",
    author = "lead",
    test_owner = "lead",
    deterministic
)]
pub fn format_rust(code: &str) -> Result<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_rustfmt() {
        let out = format_rust("fn  a( x:u8 )->u8{x+1}").expect("valid rust");
        assert_eq!(out, "fn a(x: u8) -> u8 {\n    x + 1\n}\n");
    }

    #[test]
    fn invalid_code_is_an_error_that_shows_the_code() {
        let err = format_rust("fn (").expect_err("invalid");
        assert!(format!("{err:#}").contains("fn ("));
    }
}
