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

use crate::model::{ArgsSpan, AttrSite, AttrSpan};

/// Why `signed_off` could not be written (the sign tests match on the variant).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The attribute's recorded range is past the end of the file: it changed since discovery.
    #[error("{line}:{column} is past the end of the file: it changed since discovery, run the command again")]
    OutOfRange {
        /// 1-based line of the attribute at discovery.
        line: u32,
        /// 1-based column.
        column: u32,
    },
    /// The attribute is no longer at its range: the file changed since discovery.
    #[error("no `#[{expected}]` attribute at {line}:{column} (found `{found}`): the file changed since discovery, run the command again")]
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
    #[error("cannot edit the attribute at {line}:{column}: {reason}")]
    Malformed {
        /// 1-based line.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What is wrong, lowercase.
        reason: String,
    },
}

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
mod tests;
