//! Writing `signed_off` into the attribute (no external crate): splices text at the byte ranges discovery
//! recorded from proc-macro2's span locations ([`AttrSpan`]).
//!
//! `cargo abuse sign` may change only the attribute's `signed_off`, so the file is never re-printed
//! (through syn or otherwise), and never read as Rust again. [`write_signoff`] checks that the file still
//! holds the attribute's text at its recorded range, then either replaces the string literal of an
//! existing `signed_off = "..."`, inserts the key into the argument list (keeping the list's layout: its
//! own line, with the previous key's indentation, when the arguments are one per line), or turns a bare
//! `#[ai_generated]` into `#[ai_generated(signed_off = "...")]`. Every other byte of the file is returned
//! unchanged.

use std::fmt;

use crate::model::{ArgsSpan, AttrSite, AttrSpan};

/// Why `signed_off` could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignError {
    /// The attribute's recorded range is past the end of the file: it changed since discovery.
    OutOfRange {
        /// 1-based line of the attribute at discovery.
        line: u32,
        /// 1-based column.
        column: u32,
    },
    /// The attribute is no longer at its range: the file changed since discovery.
    Moved {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// The attribute path expected there.
        expected: String,
        /// What is there instead (a short excerpt).
        found: String,
    },
    /// The attribute is there but its text is not something `sign` can edit safely.
    Malformed {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What is wrong, lowercase.
        reason: String,
    },
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::OutOfRange { line, column } => write!(
                f,
                "{line}:{column} is past the end of the file: it changed since discovery, run the command again"
            ),
            SignError::Moved {
                line,
                column,
                expected,
                found,
            } => write!(
                f,
                "no `#[{expected}]` attribute at {line}:{column} (found `{found}`): the file changed since discovery, run the command again"
            ),
            SignError::Malformed {
                line,
                column,
                reason,
            } => write!(f, "cannot edit the attribute at {line}:{column}: {reason}"),
        }
    }
}

impl std::error::Error for SignError {}

/// Returns `source` with only the attribute's `signed_off` set to `new_value`; every other byte is kept.
///
/// `new_value` is the record's text (`abuse_attr::signoff::SignOff` displayed: `OWNER DATE FINGERPRINT`);
/// it is written as an escaped string literal. `site` is where discovery found the attribute; if `source`
/// no longer holds the attribute's text at its range, the file changed since and [`SignError::Moved`]
/// (or [`SignError::OutOfRange`]) says so.
#[abuse_macros::ai_generated(
    prompt = "Set signed_off in the #[ai_generated] attribute at the byte ranges discovery recorded, changing no other byte; refuse with a reason if the attribute is not there",
    model = "claude",
    author = "lead",
    reviewer = "lead",
    test_owner = "lead",
    deterministic
)]
pub fn write_signoff(source: &str, site: &AttrSite, new_value: &str) -> Result<String, SignError> {
    let malformed = |reason: &str| SignError::Malformed {
        line: site.line,
        column: site.column,
        reason: reason.to_string(),
    };
    let Some(span) = &site.span else {
        return Err(malformed("its position in the file was not recorded"));
    };
    check_unchanged(source, site, span)?;
    let literal = format!("{new_value:?}");
    let edits = match &span.args {
        ArgsSpan::Unsupported { reason } => return Err(malformed(reason)),
        ArgsSpan::Bare { insert_at } => vec![Edit::insert(
            *insert_at,
            format!("(signed_off = {literal})"),
        )],
        ArgsSpan::List {
            signed_off: Some(old),
            ..
        } => vec![Edit {
            range: old.clone(),
            text: literal,
        }],
        ArgsSpan::List {
            open,
            last_entry,
            last_token_end,
            trailing_comma,
            signed_off: None,
        } => add_key(
            source,
            format!("signed_off = {literal}"),
            *open,
            *last_entry,
            *last_token_end,
            *trailing_comma,
        ),
    };
    // Every edit lies inside the attribute (ranges from one parse); anything else is a corrupt record.
    splice(source, &span.attr, &edits)
        .ok_or_else(|| malformed("its recorded ranges do not fit the attribute"))
}

/// `Ok` if `source` holds the attribute's recorded text at its recorded range.
fn check_unchanged(source: &str, site: &AttrSite, span: &AttrSpan) -> Result<(), SignError> {
    let bytes = source.as_bytes();
    if span.attr.start > span.attr.end || span.attr.end > bytes.len() {
        return Err(SignError::OutOfRange {
            line: site.line,
            column: site.column,
        });
    }
    if bytes[span.attr.clone()] != *span.text.as_bytes() {
        return Err(SignError::Moved {
            line: site.line,
            column: site.column,
            expected: site.path.split_whitespace().collect(),
            found: excerpt_at(source, span.attr.start),
        });
    }
    Ok(())
}

/// Text replacing a byte range (empty for an insertion).
struct Edit {
    range: std::ops::Range<usize>,
    text: String,
}

impl Edit {
    fn insert(at: usize, text: String) -> Edit {
        Edit {
            range: at..at,
            text,
        }
    }
}

/// The edits that add `key` to an argument list without a `signed_off`: after the last entry, in the
/// list's layout (on its own line with the last entry's indentation when that entry starts its line).
fn add_key(
    source: &str,
    key: String,
    open: usize,
    last_entry: Option<usize>,
    last_token_end: Option<usize>,
    trailing_comma: bool,
) -> Vec<Edit> {
    let Some(end) = last_token_end else {
        return vec![Edit::insert(open, key)];
    };
    let Some(last_arg) = last_entry.filter(|&a| source.is_char_boundary(a)) else {
        // No key-shaped argument: one `sign` does not recognise (kept as it is).
        return vec![Edit::insert(end, format!(", {key}"))];
    };
    let line_start = source[..last_arg].rfind('\n').map_or(0, |i| i + 1);
    let indent = &source[line_start..last_arg];
    let own_line = indent.bytes().all(|b| b == b' ' || b == b'\t');
    if !own_line {
        let edit = if trailing_comma {
            format!(" {key},")
        } else {
            format!(", {key}")
        };
        return vec![Edit::insert(end, edit)];
    }
    let nl = line_ending(source, last_arg);
    match (trailing_comma, rest_of_line_is_trivia(source, end)) {
        (true, Some(eol)) => {
            let next_line = eol
                + if source[eol..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
            vec![Edit::insert(next_line, format!("{indent}{key},{nl}"))]
        }
        (true, None) => vec![Edit::insert(end, format!(" {key},"))],
        (false, Some(eol)) => vec![
            Edit::insert(end, ",".to_string()),
            Edit::insert(eol, format!("{nl}{indent}{key}")),
        ],
        (false, None) => vec![Edit::insert(end, format!(",{nl}{indent}{key}"))],
    }
}

/// Applies `edits` (ascending, not overlapping) to `source`; `None` unless each lies within `within` on
/// char boundaries.
fn splice(source: &str, within: &std::ops::Range<usize>, edits: &[Edit]) -> Option<String> {
    let mut out =
        String::with_capacity(source.len() + edits.iter().map(|e| e.text.len()).sum::<usize>());
    let mut at = 0;
    for edit in edits {
        let r = &edit.range;
        if r.start < at.max(within.start) || r.end < r.start || r.end > within.end {
            return None;
        }
        out.push_str(source.get(at..r.start)?);
        out.push_str(&edit.text);
        at = r.end;
    }
    out.push_str(source.get(at..)?);
    Some(out)
}

/// Up to 40 chars of the line from `start`, for error messages.
fn excerpt_at(source: &str, start: usize) -> String {
    let rest = String::from_utf8_lossy(&source.as_bytes()[start..]);
    let line = rest.lines().next().unwrap_or("");
    line.chars().take(40).collect()
}

/// The line ending of the line containing `at` (`\r\n` or `\n`).
fn line_ending(source: &str, at: usize) -> &'static str {
    match source[at..].find('\n') {
        Some(i) if source[..at + i].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}

/// If only blanks and comments follow `from` up to the end of its line, the offset of the line break.
///
/// `from` is the end of the list's last token, so what follows up to the `)` is whitespace and comments
/// only (no tokens): this reads just those, to tell whether a comment runs on past the line.
fn rest_of_line_is_trivia(source: &str, from: usize) -> Option<usize> {
    let bytes = source.as_bytes();
    let mut i = from;
    loop {
        match bytes.get(i)? {
            b' ' | b'\t' => i += 1,
            b'\n' => return Some(i),
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => return Some(i),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let nl = i + source[i..].find('\n')?;
                return Some(if bytes[nl - 1] == b'\r' { nl - 1 } else { nl });
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = block_comment_end(bytes, i)?;
                if source[i..end].contains('\n') {
                    return None;
                }
                i = end;
            }
            _ => return None,
        }
    }
}

/// End (exclusive) of the nested block comment starting at `start` (`/*`).
fn block_comment_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return Some(i);
            }
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUE: &str = "bob 2026-11-27 0123456789abcdef";

    /// What discovery records for the tag whose attribute starts at the first `needle` in `src` (its path
    /// as written is `path`).
    fn loc(src: &str, needle: &str, path: &str) -> AttrSite {
        let at = src.find(needle).expect("needle in source");
        let site = discovered(src)
            .into_iter()
            .find(|s| s.span.as_ref().is_some_and(|span| span.attr.start == at))
            .unwrap_or_else(|| panic!("no tag at {needle:?} in {src:?}"));
        assert_eq!(site.path, path);
        site
    }

    /// Every tag site discovery records in `src`.
    fn discovered(src: &str) -> Vec<AttrSite> {
        crate::discover::tag_sites(src).unwrap_or_else(|e| panic!("{src:?} parses: {e}"))
    }

    /// The tag discovery records at 1-based `line` and char `column`.
    fn site_at(src: &str, line: u32, column: u32) -> AttrSite {
        discovered(src)
            .into_iter()
            .find(|s| (s.line, s.column) == (line, column))
            .unwrap_or_else(|| panic!("no tag at {line}:{column} in {src:?}"))
    }

    /// Signs the attribute found at `needle`, checks that only one contiguous range changed and that
    /// the change is a `signed_off` key or a replaced literal, and returns the new text.
    fn sign_at(src: &str, needle: &str, path: &str) -> String {
        let out = write_signoff(src, &loc(src, needle, path), VALUE).expect("sign");
        assert_only_signoff_changed(src, &out);
        out
    }

    fn sign(src: &str) -> String {
        sign_at(src, "#[ai_generated", "ai_generated")
    }

    #[test]
    fn a_tag_inside_cfg_attr_is_signed_inside_its_own_list() {
        let src = "#[cfg_attr(all(test, not(miri)), abuse_macros::ai_generated(prompt = \"p\"))]\nfn f() {}\n";
        let out = sign_at(src, "#[cfg_attr", "abuse_macros::ai_generated");
        assert_eq!(
            out,
            format!(
                "#[cfg_attr(all(test, not(miri)), abuse_macros::ai_generated(prompt = \"p\", signed_off = {VALUE:?}))]\nfn f() {{}}\n"
            )
        );
        let bare = "#[cfg_attr(test, ai_generated)]\nfn f() {}\n";
        assert_eq!(
            sign_at(bare, "#[cfg_attr", "ai_generated"),
            format!("#[cfg_attr(test, ai_generated(signed_off = {VALUE:?}))]\nfn f() {{}}\n")
        );
        // Another attribute in the cfg_attr's place: the file changed since discovery.
        let other = "#[cfg_attr(test, derive(Debug))]\nfn f() {}\n";
        assert!(matches!(
            write_signoff(other, &loc(bare, "#[cfg_attr", "ai_generated"), VALUE),
            Err(SignError::Moved { .. })
        ));
    }

    /// Every byte outside the edited ranges is identical; what was removed (if anything) is one string
    /// literal, and what was added mentions only `signed_off`, the value, and layout.
    fn assert_only_signoff_changed(src: &str, out: &str) {
        let literal = format!("{VALUE:?}");
        assert!(out.contains(&literal), "value written: {out}");
        // Remove the new value and the key, then compare what is left with the source minus the old value.
        let prefix = src
            .bytes()
            .zip(out.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let max_suffix = src.len().min(out.len()) - prefix;
        let suffix = src
            .bytes()
            .rev()
            .zip(out.bytes().rev())
            .take(max_suffix)
            .take_while(|(a, b)| a == b)
            .count();
        let removed = &src[prefix..src.len() - suffix];
        let added = &out[prefix..out.len() - suffix];
        let diff = similar::TextDiff::from_chars(src, out);
        let deleted = diff
            .iter_all_changes()
            .any(|c| c.tag() == similar::ChangeTag::Delete);
        if !deleted {
            // Insertions only: every source byte is still there, in order.
            let inserted: String = diff
                .iter_all_changes()
                .filter(|c| c.tag() == similar::ChangeTag::Insert)
                .map(|c| c.value())
                .collect();
            let stripped = inserted.replace(&format!("signed_off = {literal}"), "");
            assert!(
                stripped
                    .chars()
                    .all(|c| matches!(c, ',' | '(' | ')' | ' ' | '\t' | '\r' | '\n')),
                "only the key and layout were added, got {inserted:?}"
            );
        } else {
            assert!(
                added.contains(&literal) || literal.contains(added),
                "the literal was replaced, got {removed:?} -> {added:?}"
            );
            let covering = string_literal_covers(src, prefix..src.len() - suffix);
            assert!(covering, "one string literal replaced, got {removed:?}");
        }
    }

    /// Whether one string literal of `src` (proc-macro2's lexer) spans all of `range`.
    fn string_literal_covers(src: &str, range: std::ops::Range<usize>) -> bool {
        fn walk(ts: proc_macro2::TokenStream, range: &std::ops::Range<usize>) -> bool {
            ts.into_iter().any(|tt| match tt {
                proc_macro2::TokenTree::Group(g) => walk(g.stream(), range),
                proc_macro2::TokenTree::Literal(lit) => {
                    let text = lit.to_string();
                    let span = lit.span().byte_range();
                    text.contains('"')
                        && !text.starts_with(['\'', 'b'])
                        && span.start <= range.start
                        && span.end >= range.end
                }
                _ => false,
            })
        }
        walk(src.parse().expect("the source lexes"), &range)
    }

    #[test]
    fn bare_attribute_gets_an_argument_list() {
        let src = "#[ai_generated]\npub fn f() {}\n";
        assert_eq!(
            sign(src),
            format!("#[ai_generated(signed_off = {VALUE:?})]\npub fn f() {{}}\n")
        );
    }

    #[test]
    fn bare_attribute_with_spaces_and_comments_keeps_them() {
        let src = "#[ /* a */ ai_generated /* b */ ] // c\nfn f() {}";
        assert_eq!(
            sign(
                src.replace("#[ /* a */ ai_generated", "#[ai_generated")
                    .as_str()
            ),
            format!("#[ai_generated(signed_off = {VALUE:?}) /* b */ ] // c\nfn f() {{}}")
        );
        let out = sign_at(src, "#[ /*", "ai_generated");
        assert_eq!(
            out,
            format!("#[ /* a */ ai_generated(signed_off = {VALUE:?}) /* b */ ] // c\nfn f() {{}}")
        );
    }

    #[test]
    fn qualified_and_renamed_paths_are_accepted() {
        let src = "#[abuse_macros::ai_generated]\nfn f() {}";
        let out = sign_at(src, "#[abuse", "abuse_macros::ai_generated");
        assert_eq!(
            out,
            format!("#[abuse_macros::ai_generated(signed_off = {VALUE:?})]\nfn f() {{}}")
        );
        let src = "use abuse_macros::ai_generated as llm;\n#[llm(author = \"a\")]\nfn f() {}";
        let out = sign_at(src, "#[llm", "llm");
        assert!(out.ends_with(&format!(
            "#[llm(author = \"a\", signed_off = {VALUE:?})]\nfn f() {{}}"
        )));
        let src = "#[::abuse_macros :: ai_generated]\nfn f() {}";
        let out = sign_at(src, "#[::", "::abuse_macros::ai_generated");
        assert!(out.starts_with("#[::abuse_macros :: ai_generated(signed_off"));
    }

    #[test]
    fn existing_signoff_literal_is_replaced_only() {
        let src = "#[ai_generated(author = \"a\", signed_off = \"old 2020-01-01 0000000000000000\", test_owner = \"b\")]\nfn f() {}";
        assert_eq!(
            sign(src),
            format!("#[ai_generated(author = \"a\", signed_off = {VALUE:?}, test_owner = \"b\")]\nfn f() {{}}")
        );
    }

    #[test]
    fn existing_raw_string_signoff_is_replaced() {
        let src = "#[ai_generated(signed_off = r#\"old \"x\" 1\"#)]\nfn f() {}";
        assert_eq!(
            sign(src),
            format!("#[ai_generated(signed_off = {VALUE:?})]\nfn f() {{}}")
        );
    }

    #[test]
    fn existing_signoff_with_comments_around_equals_is_replaced() {
        let src = "#[ai_generated(\n    signed_off /* k */ = // v\n        \"old\", // keep\n)]\nfn f() {}";
        assert_eq!(
            sign(src),
            format!("#[ai_generated(\n    signed_off /* k */ = // v\n        {VALUE:?}, // keep\n)]\nfn f() {{}}")
        );
    }

    #[test]
    fn single_line_args_get_the_key_appended() {
        let src = "#[ai_generated(prompt = \"p\", author = \"alice\")]\npub fn f() {}";
        assert_eq!(
            sign(src),
            format!("#[ai_generated(prompt = \"p\", author = \"alice\", signed_off = {VALUE:?})]\npub fn f() {{}}")
        );
    }

    #[test]
    fn single_line_trailing_comma_is_kept() {
        let src = "#[ai_generated(author = \"alice\",)]\nfn f() {}";
        assert_eq!(
            sign(src),
            format!("#[ai_generated(author = \"alice\", signed_off = {VALUE:?},)]\nfn f() {{}}")
        );
    }

    #[test]
    fn empty_parens_get_the_key() {
        let src = "#[ai_generated()]\nfn f() {}";
        assert_eq!(
            sign(src),
            format!("#[ai_generated(signed_off = {VALUE:?})]\nfn f() {{}}")
        );
    }

    #[test]
    fn multi_line_trailing_comma_gets_its_own_line() {
        let src =
            "#[ai_generated(\n    prompt = \"p\",\n    author = \"alice\",\n)]\npub fn f() {}\n";
        assert_eq!(
            sign(src),
            format!("#[ai_generated(\n    prompt = \"p\",\n    author = \"alice\",\n    signed_off = {VALUE:?},\n)]\npub fn f() {{}}\n")
        );
    }

    #[test]
    fn multi_line_without_trailing_comma_gets_its_own_line() {
        let src =
            "#[ai_generated(\n    prompt = \"p\",\n    author = \"alice\"\n)]\npub fn f() {}\n";
        assert_eq!(
            sign(src),
            format!("#[ai_generated(\n    prompt = \"p\",\n    author = \"alice\",\n    signed_off = {VALUE:?}\n)]\npub fn f() {{}}\n")
        );
    }

    #[test]
    fn multi_line_with_closing_paren_on_last_line() {
        let src = "#[ai_generated(prompt = \"p\",\n               author = \"alice\")]\nfn f() {}";
        assert_eq!(
            sign(src),
            format!("#[ai_generated(prompt = \"p\",\n               author = \"alice\",\n               signed_off = {VALUE:?})]\nfn f() {{}}")
        );
    }

    #[test]
    fn line_comment_after_last_arg_stays_on_its_line() {
        let src = "#[ai_generated(\n    author = \"alice\" // who wrote the prompt\n)]\nfn f() {}";
        assert_eq!(
            sign(src),
            format!("#[ai_generated(\n    author = \"alice\", // who wrote the prompt\n    signed_off = {VALUE:?}\n)]\nfn f() {{}}")
        );
        let src = "#[ai_generated(\n    author = \"alice\", // who\n)]\nfn f() {}";
        assert_eq!(
            sign(src),
            format!("#[ai_generated(\n    author = \"alice\", // who\n    signed_off = {VALUE:?},\n)]\nfn f() {{}}")
        );
    }

    #[test]
    fn tabs_are_copied_as_indentation() {
        let src =
            "impl P {\n\t#[ai_generated(\n\t\tauthor = \"alice\",\n\t)]\n\tpub fn f() {}\n}\n";
        assert_eq!(
            sign(src),
            format!("impl P {{\n\t#[ai_generated(\n\t\tauthor = \"alice\",\n\t\tsigned_off = {VALUE:?},\n\t)]\n\tpub fn f() {{}}\n}}\n")
        );
    }

    #[test]
    fn crlf_line_endings_are_kept() {
        let src = "#[ai_generated(\r\n    author = \"alice\",\r\n)]\r\nfn f() {}\r\n";
        assert_eq!(
            sign(src),
            format!("#[ai_generated(\r\n    author = \"alice\",\r\n    signed_off = {VALUE:?},\r\n)]\r\nfn f() {{}}\r\n")
        );
        let src = "#[ai_generated(\r\n    author = \"alice\" // c\r\n)]\r\nfn f() {}\r\n";
        assert_eq!(
            sign(src),
            format!("#[ai_generated(\r\n    author = \"alice\", // c\r\n    signed_off = {VALUE:?}\r\n)]\r\nfn f() {{}}\r\n")
        );
    }

    #[test]
    fn raw_string_prompt_with_parens_and_key_name_is_not_confused() {
        let src = "#[ai_generated(prompt = r#\"return (x) when \"signed_off = \"y\"\" ); ]\"#, author = \"a\")]\nfn f() {}";
        assert_eq!(
            sign(src),
            format!("#[ai_generated(prompt = r#\"return (x) when \"signed_off = \"y\"\" ); ]\"#, author = \"a\", signed_off = {VALUE:?})]\nfn f() {{}}")
        );
        let src = "#[ai_generated(prompt = r##\"a \"# ) \"##)]\nfn f() {}";
        assert!(sign(src).contains("r##\"a \"# ) \"##, signed_off"));
    }

    #[test]
    fn escaped_quotes_and_parens_in_strings_are_not_structure() {
        let src = "#[ai_generated(prompt = \"say \\\"signed_off = x\\\" ) \\\\\", author = \"a\")]\nfn f() {}";
        let out = sign(src);
        assert!(out.contains("author = \"a\", signed_off"), "{out}");
    }

    #[test]
    fn comments_with_delimiters_and_key_inside_the_args_are_skipped() {
        let src = "#[ai_generated(\n    /* signed_off = \"no\" ) */\n    author = \"a\", // signed_off = \"no\" )\n    /* nested /* ) */ ( */\n)]\nfn f() {}";
        let out = sign(src);
        assert!(
            out.contains("// signed_off = \"no\" )\n    signed_off = "),
            "{out}"
        );
        assert!(out.contains("/* signed_off = \"no\" ) */"));
    }

    #[test]
    fn closures_generics_and_char_literals_in_args() {
        let src = "#[ai_generated(\n    ensures = |s: &str, out: &Result<u16, E>| s.contains(')') || out.is_ok() && '\\'' != 'x',\n    strategy(s = \"[a-z)]{1,3}\"),\n    roundtrip = fmt::<'static>\n)]\nfn f<'a>(s: &'a str) {}";
        let out = sign(src);
        assert!(
            out.contains(&format!(
                "roundtrip = fmt::<'static>,\n    signed_off = {VALUE:?}\n)]"
            )),
            "{out}"
        );
    }

    #[test]
    fn closure_parameter_named_signed_off_is_not_the_key() {
        let src = "#[ai_generated(ensures = |signed_off: &u8, o: &u8| signed_off == o)]\nfn f(signed_off: u8) -> u8 { signed_off }";
        let out = sign(src);
        assert!(
            out.contains(&format!("signed_off == o, signed_off = {VALUE:?})]")),
            "{out}"
        );
    }

    #[test]
    fn other_attributes_and_doc_comments_around_are_untouched() {
        let src = "/// Parses a port.\n/// `#[ai_generated]` in docs is not the attribute.\n#[inline]\n#[ai_generated(author = \"a\")] #[must_use]\n#[cfg_attr(test, allow(dead_code))]\npub fn parse_port(s: &str) -> u16 { 0 }\n";
        let out = sign_at(src, "#[ai_generated(", "ai_generated");
        assert_eq!(
            out,
            src.replace(
                "author = \"a\")",
                &format!("author = \"a\", signed_off = {VALUE:?})")
            )
        );
    }

    #[test]
    fn second_attribute_of_several_in_a_file_is_the_one_signed() {
        let src = "#[ai_generated]\nfn a() {}\n\n#[ai_generated]\nfn b() {}\n";
        let at = site_at(src, 4, 1);
        let out = write_signoff(src, &at, VALUE).unwrap();
        assert_eq!(
            out,
            format!("#[ai_generated]\nfn a() {{}}\n\n#[ai_generated(signed_off = {VALUE:?})]\nfn b() {{}}\n")
        );
    }

    #[test]
    fn column_counts_chars_not_bytes() {
        let src = "/* é */ #[ai_generated]\nfn f() {}";
        let at = site_at(src, 1, 9);
        assert!(write_signoff(src, &at, VALUE)
            .unwrap()
            .contains("ai_generated(signed_off"));
    }

    #[test]
    fn unicode_and_escapes_in_the_value_make_a_valid_literal() {
        let src = "#[ai_generated]\nfn f() {}";
        let at = loc(src, "#[", "ai_generated");
        let out = write_signoff(src, &at, "zoë \"q\" \\ 2026").unwrap();
        assert!(out.contains(r#"signed_off = "zoë \"q\" \\ 2026""#), "{out}");
    }

    #[test]
    fn moved_attribute_is_refused() {
        let src = "fn g() {}\n#[ai_generated]\nfn f() {}";
        // Discovery saw the attribute at 1:1; a line was added above it since.
        let at = site_at("#[ai_generated]\nfn f() {}", 1, 1);
        let err = write_signoff(src, &at, VALUE).unwrap_err();
        assert!(matches!(err, SignError::Moved { .. }), "{err:?}");
        assert!(err.to_string().contains("changed since discovery"));
    }

    #[test]
    fn other_attribute_at_location_is_refused() {
        // Discovery saw the tag where the file now has another attribute.
        let seen = loc("#[ai_generated]\nfn f() {}", "#[", "ai_generated");
        let src = "#[inline]\nfn f() {}";
        let err = write_signoff(src, &seen, VALUE).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no `#[ai_generated]` attribute at 1:1 (found `#[inline]`): the file changed since discovery, run the command again"
        );
        let src = "#[ai_generated_v2]\nfn f() {}";
        assert!(matches!(
            write_signoff(src, &seen, VALUE),
            Err(SignError::Moved { .. })
        ));
    }

    #[test]
    fn location_past_the_end_is_refused() {
        let src = "#[ai_generated]\n";
        // Sites discovery recorded in a longer version of the file, and a corrupt record.
        let seen = [
            (
                9,
                1,
                format!("{}#[ai_generated]\nfn f() {{}}", "\n".repeat(8)),
            ),
            (
                1,
                40,
                format!("{}#[ai_generated] fn f() {{}}", " ".repeat(39)),
            ),
        ];
        let mut sites: Vec<AttrSite> = seen
            .iter()
            .map(|(line, column, file)| site_at(file, *line, *column))
            .collect();
        let mut corrupt = site_at("#[ai_generated]\nfn f() {}", 1, 1);
        corrupt.line = 0;
        if let Some(span) = &mut corrupt.span {
            span.attr = 20..35;
        }
        sites.push(corrupt);
        for at in sites {
            assert!(
                matches!(
                    write_signoff(src, &at, VALUE),
                    Err(SignError::OutOfRange { .. })
                ),
                "{at:?}"
            );
        }
    }

    #[test]
    fn unclosed_or_unbalanced_args_are_refused() {
        // Discovery refuses them (the file does not parse: a diagnostic, nothing to sign); a site recorded
        // before the file broke no longer matches it.
        let seen = loc(
            "#[ai_generated(author = \"a\")]\nfn f() {}",
            "#[",
            "ai_generated",
        );
        for src in [
            "#[ai_generated(author = \"a\"",
            "#[ai_generated(author = \"a)]",
            "#[ai_generated(author = [1, 2)]",
            "#[ai_generated(author = r#\"a\")]",
            "#[ai_generated(/* a )]",
        ] {
            assert!(crate::discover::tag_sites(src).is_err(), "{src}");
            let err = write_signoff(src, &seen, VALUE).unwrap_err();
            assert!(
                matches!(err, SignError::Moved { .. } | SignError::OutOfRange { .. }),
                "{src}: {err:?}"
            );
        }
    }

    #[test]
    fn non_string_or_duplicate_signoff_is_refused() {
        for (src, reason) in [
            ("#[ai_generated(signed_off = 3)]", "not a string literal"),
            (
                "#[ai_generated(signed_off = b\"x\")]",
                "not a string literal",
            ),
            ("#[ai_generated(signed_off)]", "no `= \"...\"` value"),
            (
                "#[ai_generated(signed_off = \"a\", signed_off = \"b\")]",
                "given twice",
            ),
            ("#[ai_generated = \"x\"]", "expected `(` or `]`"),
        ] {
            let src = &format!("{src}\nfn f() {{}}");
            let err = write_signoff(src, &loc(src, "#[", "ai_generated"), VALUE).unwrap_err();
            assert!(err.to_string().contains(reason), "{src}: {err}");
        }
    }

    #[test]
    fn signing_twice_replaces_the_first_signoff() {
        let src = "#[ai_generated(\n    author = \"a\",\n)]\nfn f() {}";
        let at = loc(src, "#[", "ai_generated");
        let once = write_signoff(src, &at, "old 2020-01-01 0000000000000000").unwrap();
        // `sign` discovers again on every run: the site now holds the first sign-off.
        let twice = write_signoff(&once, &loc(&once, "#[", "ai_generated"), VALUE).unwrap();
        assert_eq!(twice, sign(src));
    }

    #[test]
    fn lifetimes_and_byte_literals_do_not_open_char_literals() {
        let src = "#[ai_generated(ensures = |s: &&'static str, o: &u8| *o != b'\\'' && s.len() > 0 && o != &b')')]\nfn f() {}";
        let out = sign(src);
        assert!(
            out.contains(&format!("b')', signed_off = {VALUE:?})]")),
            "{out}"
        );
    }

    #[test]
    fn raw_identifier_key_neighbours_are_fine() {
        let src = "#[ai_generated(oracle = r#ref::parse)]\nfn f() {}";
        assert!(sign(src).contains(&format!("r#ref::parse, signed_off = {VALUE:?})]")));
    }

    /// Every `signed_off = "..."` value in `#[ai_generated]`/`#[llm]` attributes of a parsed file.
    fn signed_off_values(src: &str) -> Vec<String> {
        use syn::visit::Visit;
        struct Finder(Vec<String>);
        impl<'ast> Visit<'ast> for Finder {
            fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
                let last = attr.path().segments.last().map(|s| s.ident.to_string());
                if !matches!(last.as_deref(), Some("ai_generated" | "llm")) {
                    return;
                }
                let syn::Meta::List(list) = &attr.meta else {
                    return;
                };
                let tokens: Vec<proc_macro2::TokenTree> = list.tokens.clone().into_iter().collect();
                for w in tokens.windows(3) {
                    if let [proc_macro2::TokenTree::Ident(key), proc_macro2::TokenTree::Punct(eq), proc_macro2::TokenTree::Literal(lit)] =
                        w
                    {
                        if key == "signed_off" && eq.as_char() == '=' {
                            let lit: syn::LitStr =
                                syn::parse_str(&lit.to_string()).expect("a string");
                            self.0.push(lit.value());
                        }
                    }
                }
            }
        }
        let file = syn::parse_file(src).unwrap_or_else(|e| panic!("output parses: {e}\n{src}"));
        let mut finder = Finder(Vec::new());
        finder.visit_file(&file);
        finder.0
    }

    #[test]
    fn many_layouts_sign_to_valid_rust_with_one_signoff_and_resign_in_place() {
        let cases: &[(&str, &str, &str)] = &[
            ("#[ai_generated]\npub fn f() {}\n", "#[", "ai_generated"),
            ("#[ai_generated] pub fn f() {}", "#[", "ai_generated"),
            ("#[ /* x */ ai_generated /* y */ ]\nfn f() {}", "#[", "ai_generated"),
            ("#[abuse_macros::ai_generated]\nfn f() {}", "#[", "abuse_macros::ai_generated"),
            ("use abuse_macros::ai_generated as llm;\n#[llm(author = \"a\")]\nfn f() {}", "#[llm", "llm"),
            ("#[ai_generated()]\nfn f() {}", "#[", "ai_generated"),
            ("#[ai_generated(prompt = \"p\", author = \"a\")]\nfn f() {}", "#[", "ai_generated"),
            ("#[ai_generated(author = \"a\",)]\nfn f() {}", "#[", "ai_generated"),
            ("#[ai_generated(\n    prompt = \"p\",\n    author = \"a\",\n)]\nfn f() {}", "#[", "ai_generated"),
            ("#[ai_generated(\n    prompt = \"p\",\n    author = \"a\"\n)]\nfn f() {}", "#[", "ai_generated"),
            ("#[ai_generated(prompt = \"p\",\n               author = \"a\")]\nfn f() {}", "#[", "ai_generated"),
            ("#[ai_generated(\n    author = \"a\" // c\n)]\nfn f() {}", "#[", "ai_generated"),
            ("#[ai_generated(\n    author = \"a\", /* c */\n)]\nfn f() {}", "#[", "ai_generated"),
            ("#[ai_generated(\n    author = \"a\" /* multi\n line */\n)]\nfn f() {}", "#[", "ai_generated"),
            ("struct P;\nimpl P {\n\t#[ai_generated(\n\t\tauthor = \"a\",\n\t)]\n\tpub fn f() {}\n}\n", "#[", "ai_generated"),
            ("#[ai_generated(\r\n    author = \"a\",\r\n)]\r\nfn f() {}\r\n", "#[", "ai_generated"),
            ("#[ai_generated(\r\n    author = \"a\"\r\n)]\r\nfn f() {}\r\n", "#[", "ai_generated"),
            ("#[ai_generated(prompt = r#\"(x) \"signed_off = \"y\"\" )]\"#)]\nfn f() {}", "#[", "ai_generated"),
            ("#[ai_generated(prompt = r##\"a \"# ) \"##, model = \"m\")]\nfn f() {}", "#[", "ai_generated"),
            ("#[ai_generated(prompt = \"\\u{1F600} (\\\" ) \\\\\")]\nfn f() {}", "#[", "ai_generated"),
            ("#[ai_generated(signed_off = \"old\")]\nfn f() {}", "#[", "ai_generated"),
            ("#[ai_generated(\n    author = \"a\",\n    signed_off = r#\"old\"#,\n    test_owner = \"b\",\n)]\nfn f() {}", "#[", "ai_generated"),
            ("#[ai_generated(ensures = |s: &str, out: &Result<u16, E>| s.contains(')') || out.is_ok())]\nfn f() {}", "#[", "ai_generated"),
            ("#[ai_generated(\n    ensures = |signed_off: &u8, o: &u8| signed_off == o,\n)]\nfn f() {}", "#[", "ai_generated"),
            ("#[ai_generated(strategy(b = b\"\\x00)\".to_vec()), cases = 10)]\nfn f(b: Vec<u8>) {}", "#[", "ai_generated"),
            ("#[ai_generated(ensures = |s: &&'static str, o: &char| *o != '\\'' && *o != ')')]\nfn f() {}", "#[", "ai_generated"),
            ("/// Doc with `#[ai_generated]`.\n#[inline]\n#[ai_generated(author = \"a\")] #[must_use]\n/** block doc ) */\npub fn f() -> u8 { 0 }", "#[ai_generated(", "ai_generated"),
            ("mod m {\n    /* outer /* nested ) */ */\n    #[ai_generated(\n        idempotent,\n        may_panic\n    )]\n    pub fn f() {}\n}\n", "#[", "ai_generated"),
            ("#[ai_generated(idempotent, deterministic)]\nfn f() {}", "#[", "ai_generated"),
            ("#[ai_generated]\nimpl P {\n    pub fn f() {}\n}\nstruct P;", "#[", "ai_generated"),
        ];
        let second = "carol 2026-12-01 fedcba9876543210";
        for (src, needle, path) in cases {
            let at = loc(src, needle, path);
            let out = write_signoff(src, &at, VALUE).unwrap_or_else(|e| panic!("{src:?}: {e}"));
            assert_only_signoff_changed(src, &out);
            assert_eq!(signed_off_values(&out), [VALUE], "{out}");
            let again = write_signoff(&out, &loc(&out, needle, path), second).unwrap();
            assert_eq!(signed_off_values(&again), [second], "{again}");
            // Re-signing changes only the literal.
            let literal = format!("{VALUE:?}");
            let at_lit = out.find(&literal).expect("literal present");
            assert_eq!(
                again,
                format!(
                    "{}{second:?}{}",
                    &out[..at_lit],
                    &out[at_lit + literal.len()..]
                )
            );
        }
    }
}
