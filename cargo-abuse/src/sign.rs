//! Writing `signed_off` into the attribute (no external crate): a small scanner that edits the text in place.
//!
//! `cargo abuse sign` may change only the attribute's `signed_off`, so the file is never re-printed
//! (through syn or otherwise). Discovery records where the attribute starts ([`AttrLocation`]);
//! [`write_signoff`] checks that the same attribute is still there, then either replaces the string
//! literal of an existing `signed_off = "..."`, inserts the key into the argument list (keeping the
//! list's layout: its own line, with the previous key's indentation, when the arguments are one per
//! line), or turns a bare `#[ai_generated]` into `#[ai_generated(signed_off = "...")]`. Every other byte
//! of the file is returned unchanged.
//!
//! The scanner knows just enough Rust lexing to never mistake text for structure: string literals
//! (with escapes, byte and C strings, raw strings `r#".."#`), char and byte literals versus lifetimes,
//! line and (nested) block comments, raw identifiers, and nested `()`/`[]`/`{}`.

use serde::Serialize;
use std::fmt;

/// Where an `#[ai_generated]` attribute starts, as discovery saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttrLocation {
    /// 1-based line of the attribute's `#`.
    pub line: u32,
    /// 1-based column of the `#`, counted in chars (`proc_macro2::LineColumn::column + 1`).
    pub column: u32,
    /// The attribute path as written (`ai_generated`, `abuse_macros::ai_generated`, a renamed import);
    /// whitespace is ignored when comparing.
    pub path: String,
}

/// Why `signed_off` could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignError {
    /// The location is past the end of the file: it changed since discovery.
    OutOfRange {
        /// 1-based line asked for.
        line: u32,
        /// 1-based column asked for.
        column: u32,
    },
    /// The attribute is no longer at the location: the file changed since discovery.
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
/// it is written as an escaped string literal. The attribute must start at `attr` (its `#`) with the
/// path `attr.path`; otherwise the file changed since discovery and [`SignError::Moved`] says so.
#[abuse_macros::ai_generated(
    prompt = "Set signed_off in the #[ai_generated] attribute at the given location, changing no other byte; refuse with a reason if the attribute is not there",
    model = "claude",
    author = "lead",
    reviewer = "lead",
    test_owner = "lead",
    deterministic
)]
pub fn write_signoff(
    source: &str,
    attr: &AttrLocation,
    new_value: &str,
) -> Result<String, SignError> {
    let malformed = |reason: &str| SignError::Malformed {
        line: attr.line,
        column: attr.column,
        reason: reason.to_string(),
    };
    let start = offset_of(source, attr.line, attr.column).ok_or(SignError::OutOfRange {
        line: attr.line,
        column: attr.column,
    })?;
    let moved = |found: &str| SignError::Moved {
        line: attr.line,
        column: attr.column,
        expected: attr.path.split_whitespace().collect(),
        found: found.to_string(),
    };
    let excerpt = || excerpt_at(source, start);

    let mut sc = Scanner::new(source, start);
    if sc.peek() != Some(b'#') {
        return Err(moved(&excerpt()));
    }
    sc.pos += 1;
    match sc.token().map_err(|e| malformed(&e))? {
        Some(t) if t.kind == Kind::Open(b'[') => {}
        _ => return Err(moved(&excerpt())),
    }
    let (mut path, mut path_end) = sc.path().map_err(|e| malformed(&e))?;
    let wanted: String = attr.path.split_whitespace().collect();
    // `#[cfg_attr(PREDICATE, tag(...))]`: the tag follows the predicate, and its list ends before `)`.
    let mut closer = b']';
    if path == "cfg_attr" && wanted != "cfg_attr" {
        match sc.token().map_err(|e| malformed(&e))? {
            Some(t) if t.kind == Kind::Open(b'(') => {}
            _ => return Err(moved(&excerpt())),
        }
        if !sc.skip_past_top_level_comma().map_err(|e| malformed(&e))? {
            return Err(moved(&excerpt()));
        }
        (path, path_end) = sc.path().map_err(|e| malformed(&e))?;
        closer = b')';
    }
    if path != wanted {
        return Err(moved(&excerpt()));
    }

    let literal = format!("{new_value:?}");
    let after_path = sc.token().map_err(|e| malformed(&e))?;
    match after_path.map(|t| t.kind) {
        Some(Kind::Close(c)) if c == closer => {
            return Ok(splice(
                source,
                &[(path_end, format!("(signed_off = {literal})"))],
            ))
        }
        Some(Kind::Open(b'(')) => {}
        _ => return Err(malformed("expected `(` or `]` after the attribute path")),
    }
    let open = sc.pos - 1;
    let args = sc.args().map_err(|e| malformed(&e))?;

    if let Some((lit_start, lit_end)) = args.signed_off {
        let mut out = String::with_capacity(source.len() + literal.len());
        out.push_str(&source[..lit_start]);
        out.push_str(&literal);
        out.push_str(&source[lit_end..]);
        return Ok(out);
    }
    let key = format!("signed_off = {literal}");
    let end = args.last_token_end;
    let Some(last_arg) = args.last_arg_start else {
        // No key-shaped argument: an empty list, or one `sign` does not recognise (kept as it is).
        return Ok(if args.any_token {
            splice(source, &[(end, format!(", {key}"))])
        } else {
            splice(source, &[(open + 1, key)])
        });
    };
    let line_start = source[..last_arg].rfind('\n').map_or(0, |i| i + 1);
    let indent = &source[line_start..last_arg];
    let own_line = indent.bytes().all(|b| b == b' ' || b == b'\t');
    if !own_line {
        let edit = if args.trailing_comma {
            format!(" {key},")
        } else {
            format!(", {key}")
        };
        return Ok(splice(source, &[(end, edit)]));
    }
    let nl = line_ending(source, last_arg);
    let eol = rest_of_line_is_trivia(source, end);
    Ok(match (args.trailing_comma, eol) {
        (true, Some(eol)) => {
            let next_line = eol
                + if source[eol..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
            splice(source, &[(next_line, format!("{indent}{key},{nl}"))])
        }
        (true, None) => splice(source, &[(end, format!(" {key},"))]),
        (false, Some(eol)) => splice(
            source,
            &[(end, ",".to_string()), (eol, format!("{nl}{indent}{key}"))],
        ),
        (false, None) => splice(source, &[(end, format!(",{nl}{indent}{key}"))]),
    })
}

/// Inserts each `(offset, text)` (offsets ascending) into `source`.
fn splice(source: &str, edits: &[(usize, String)]) -> String {
    let mut out =
        String::with_capacity(source.len() + edits.iter().map(|e| e.1.len()).sum::<usize>());
    let mut at = 0;
    for (offset, text) in edits {
        out.push_str(&source[at..*offset]);
        out.push_str(text);
        at = *offset;
    }
    out.push_str(&source[at..]);
    out
}

/// Byte offset of a 1-based line and char column, if inside the file.
fn offset_of(source: &str, line: u32, column: u32) -> Option<usize> {
    if line == 0 || column == 0 {
        return None;
    }
    let mut start = 0;
    for _ in 1..line {
        start += source[start..].find('\n')? + 1;
    }
    let text = &source[start..];
    let text = &text[..text.find('\n').unwrap_or(text.len())];
    let (offset, _) = text.char_indices().nth(column as usize - 1)?;
    Some(start + offset)
}

/// Up to 40 chars of the line from `start`, for error messages.
fn excerpt_at(source: &str, start: usize) -> String {
    let rest = &source[start..];
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
                let end = block_comment_end(bytes, i).ok()?;
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
fn block_comment_end(bytes: &[u8], start: usize) -> Result<usize, String> {
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
                return Ok(i);
            }
        } else {
            i += 1;
        }
    }
    Err("a block comment is never closed".to_string())
}

/// Token kinds the scanner tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `(`, `[` or `{`.
    Open(u8),
    /// `)`, `]` or `}`.
    Close(u8),
    /// A string literal of any flavour (`"..."`, `r#"..."#`, `b"..."`, `c"..."`).
    Str,
    /// A char or byte literal.
    Char,
    /// An identifier, keyword, raw identifier or number.
    Ident,
    /// A lifetime or label.
    Lifetime,
    /// Any other single punctuation byte.
    Punct(u8),
}

/// One token: its kind and byte range.
#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

/// What the argument list of the attribute holds, as far as `sign` cares.
#[derive(Debug, Default)]
struct Args {
    /// Byte range of the string literal of `signed_off = "..."`.
    signed_off: Option<(usize, usize)>,
    /// Start of the last non-empty argument.
    last_arg_start: Option<usize>,
    /// End of the last token before the closing `)`.
    last_token_end: usize,
    /// Whether that last token is a top-level `,`.
    trailing_comma: bool,
    /// Whether the list holds any token at all.
    any_token: bool,
}

/// A forward scanner over Rust source text.
struct Scanner<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn new(src: &'a str, pos: usize) -> Self {
        Scanner {
            src,
            bytes: src.as_bytes(),
            pos,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    /// Skips whitespace and comments.
    fn skip_trivia(&mut self) -> Result<(), String> {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c' => self.pos += 1,
                b'/' if self.peek_at(1) == Some(b'/') => {
                    self.pos = self.src[self.pos..]
                        .find('\n')
                        .map_or(self.bytes.len(), |i| self.pos + i);
                }
                b'/' if self.peek_at(1) == Some(b'*') => {
                    self.pos = block_comment_end(self.bytes, self.pos)?;
                }
                _ => {
                    // Unicode whitespace Rust accepts (NEL, LRM, RLM, line and paragraph separators).
                    let c = self.src[self.pos..]
                        .chars()
                        .next()
                        .expect("pos is in bounds");
                    if matches!(
                        c,
                        '\u{85}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
                    ) {
                        self.pos += c.len_utf8();
                    } else {
                        return Ok(());
                    }
                }
            }
        }
        Ok(())
    }

    /// The next token after trivia, or `None` at the end of the text.
    fn token(&mut self) -> Result<Option<Token>, String> {
        self.skip_trivia()?;
        let start = self.pos;
        let Some(b) = self.peek() else {
            return Ok(None);
        };
        let kind = match b {
            b'(' | b'[' | b'{' => {
                self.pos += 1;
                Kind::Open(b)
            }
            b')' | b']' | b'}' => {
                self.pos += 1;
                Kind::Close(b)
            }
            b'"' => {
                self.quoted(b'"')?;
                Kind::Str
            }
            b'\'' => self.char_or_lifetime()?,
            b if is_ident_byte(b) => self.ident_or_prefixed()?,
            _ => {
                self.pos += 1;
                Kind::Punct(b)
            }
        };
        Ok(Some(Token {
            kind,
            start,
            end: self.pos,
        }))
    }

    /// Consumes a quoted literal with escapes, starting at its opening quote.
    fn quoted(&mut self, quote: u8) -> Result<(), String> {
        self.pos += 1;
        while let Some(b) = self.peek() {
            if b == b'\\' {
                self.pos += 2;
            } else if b == quote {
                self.pos += 1;
                return Ok(());
            } else {
                self.pos += 1;
            }
        }
        Err("a string literal is never closed".to_string())
    }

    /// Consumes a raw string body: at `pos` are `hashes` `#`s then `"`.
    fn raw_string(&mut self, hashes: usize) -> Result<(), String> {
        self.pos += hashes + 1;
        let close: String = std::iter::once('"')
            .chain(std::iter::repeat_n('#', hashes))
            .collect();
        match self.src[self.pos..].find(&close) {
            Some(i) => {
                self.pos += i + close.len();
                Ok(())
            }
            None => Err("a raw string literal is never closed".to_string()),
        }
    }

    /// `'x'`, `'\n'`, `'\u{1F600}'` (a char literal) or `'a` (a lifetime or label).
    fn char_or_lifetime(&mut self) -> Result<Kind, String> {
        let rest = &self.src[self.pos + 1..];
        let mut chars = rest.chars();
        match chars.next() {
            Some('\\') => {
                // An escape: the literal ends at the next `'` (escapes hold no `'` but `\'`).
                let body = &rest[2.min(rest.len())..];
                match body.find('\'') {
                    Some(i) => {
                        self.pos += 1 + 2 + i + 1;
                        Ok(Kind::Char)
                    }
                    None => Err("a char literal is never closed".to_string()),
                }
            }
            Some(c) if chars.next() == Some('\'') => {
                self.pos += 1 + c.len_utf8() + 1;
                Ok(Kind::Char)
            }
            _ => {
                self.pos += 1;
                while self.peek().is_some_and(is_ident_byte) {
                    self.pos += 1;
                }
                Ok(Kind::Lifetime)
            }
        }
    }

    /// An identifier or number, or a literal with a prefix (`r"..."`, `r#"..."#`, `b"..."`, `b'x'`,
    /// `br"..."`, `c"..."`, `cr"..."`), or a raw identifier (`r#type`).
    fn ident_or_prefixed(&mut self) -> Result<Kind, String> {
        let start = self.pos;
        while self.peek().is_some_and(is_ident_byte) {
            self.pos += 1;
        }
        let word = &self.src[start..self.pos];
        match (word, self.peek()) {
            ("r" | "br" | "cr", Some(b'"' | b'#')) => {
                let hashes = self.bytes[self.pos..]
                    .iter()
                    .take_while(|&&b| b == b'#')
                    .count();
                if self.peek_at(hashes) == Some(b'"') {
                    self.raw_string(hashes)?;
                    return Ok(Kind::Str);
                }
                if word == "r" && hashes == 1 && self.peek_at(1).is_some_and(is_ident_byte) {
                    self.pos += 1;
                    while self.peek().is_some_and(is_ident_byte) {
                        self.pos += 1;
                    }
                }
                Ok(Kind::Ident)
            }
            ("b" | "c", Some(b'"')) => {
                self.quoted(b'"')?;
                Ok(Kind::Str)
            }
            ("b", Some(b'\'')) => {
                self.quoted(b'\'')?;
                Ok(Kind::Char)
            }
            _ => Ok(Kind::Ident),
        }
    }

    /// The attribute path after `#[`: segments joined by `::`, and the offset where it ends.
    fn path(&mut self) -> Result<(String, usize), String> {
        let mut path = String::new();
        let mut end = self.pos;
        loop {
            let save = self.pos;
            self.skip_trivia()?;
            if self.src[self.pos..].starts_with("::") {
                self.pos += 2;
                path.push_str("::");
                continue;
            }
            match self.token()? {
                Some(t) if t.kind == Kind::Ident && !path.ends_with(|c: char| c != ':') => {
                    path.push_str(&self.src[t.start..t.end]);
                    end = t.end;
                }
                _ => {
                    self.pos = save;
                    return Ok((path, end));
                }
            }
        }
    }

    /// Skips tokens up to and including the next `,` outside any brackets; `false` if the enclosing list
    /// (or the text) ends first.
    fn skip_past_top_level_comma(&mut self) -> Result<bool, String> {
        let mut depth = 0usize;
        while let Some(t) = self.token()? {
            match t.kind {
                Kind::Open(_) => depth += 1,
                Kind::Close(_) if depth == 0 => return Ok(false),
                Kind::Close(_) => depth -= 1,
                Kind::Punct(b',') if depth == 0 => return Ok(true),
                _ => {}
            }
        }
        Ok(false)
    }

    /// The next token, without consuming it.
    fn peek_token(&mut self) -> Result<Option<Token>, String> {
        let save = self.pos;
        let tok = self.token();
        self.pos = save;
        tok
    }

    /// Whether the next token is a lone `=` (not `==` or `=>`).
    fn next_is_assign(&mut self) -> Result<bool, String> {
        let save = self.pos;
        let tok = self.token()?;
        let is = tok.is_some_and(|t| t.kind == Kind::Punct(b'='))
            && !matches!(self.peek(), Some(b'=' | b'>'));
        self.pos = save;
        Ok(is)
    }

    /// Scans the argument list after its `(` up to and including the matching `)`.
    ///
    /// An argument starts with a key: an identifier right after `(` or a top-level `,` that is followed
    /// by `=`, `(`, `,` or `)`. Commas inside closure parameter lists (`|s: &str, out: &u8|`) are at the
    /// top level too, but what follows them is not a key, so they do not start an argument.
    fn args(&mut self) -> Result<Args, String> {
        let mut args = Args {
            last_token_end: self.pos,
            ..Args::default()
        };
        let mut stack = vec![b'('];
        let mut after_separator = true;
        loop {
            let Some(tok) = self.token()? else {
                return Err("the attribute's `(` is never closed".to_string());
            };
            let depth = stack.len();
            match tok.kind {
                Kind::Open(b) => stack.push(b),
                Kind::Close(b) => {
                    let open = stack.pop().expect("stack is not empty inside the list");
                    if matching(open) != b {
                        return Err("its delimiters are unbalanced".to_string());
                    }
                    if stack.is_empty() {
                        return Ok(args);
                    }
                }
                _ => {}
            }
            args.any_token = true;
            if depth == 1 {
                if after_separator && tok.kind == Kind::Ident {
                    let assign = self.next_is_assign()?;
                    let next = self.peek_token()?.map(|t| t.kind);
                    let is_key = assign
                        || matches!(
                            next,
                            Some(Kind::Open(b'(') | Kind::Punct(b',') | Kind::Close(b')'))
                        );
                    if is_key {
                        args.last_arg_start = Some(tok.start);
                        if &self.src[tok.start..tok.end] == "signed_off" {
                            if !assign {
                                return Err("`signed_off` has no `= \"...\"` value".to_string());
                            }
                            let literal = self.signed_off_value()?;
                            if args.signed_off.replace(literal).is_some() {
                                return Err("`signed_off` is given twice".to_string());
                            }
                            args.last_token_end = literal.1;
                            args.trailing_comma = false;
                            after_separator = false;
                            continue;
                        }
                    }
                }
                args.trailing_comma = tok.kind == Kind::Punct(b',');
                after_separator = args.trailing_comma;
            }
            args.last_token_end = tok.end;
        }
    }

    /// After the key `signed_off` (followed by `=`): `= "..."`; returns the literal's byte range.
    fn signed_off_value(&mut self) -> Result<(usize, usize), String> {
        self.token()?;
        match self.token()? {
            Some(t)
                if t.kind == Kind::Str
                    && self.bytes[t.start] != b'b'
                    && self.bytes[t.start] != b'c' =>
            {
                Ok((t.start, t.end))
            }
            _ => Err("`signed_off` is not a string literal".to_string()),
        }
    }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn matching(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'[' => b']',
        _ => b'}',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUE: &str = "bob 2026-11-27 0123456789abcdef";

    /// The location of the first `#` of `needle` in `src`.
    fn loc(src: &str, needle: &str, path: &str) -> AttrLocation {
        let at = src.find(needle).expect("needle in source");
        let line = src[..at].matches('\n').count() as u32 + 1;
        let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
        let column = src[line_start..at].chars().count() as u32 + 1;
        AttrLocation {
            line,
            column,
            path: path.to_string(),
        }
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
            write_signoff(other, &loc(other, "#[cfg_attr", "ai_generated"), VALUE),
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
            let mut sc = Scanner::new(src, 0);
            let covering = std::iter::from_fn(|| sc.token().ok().flatten())
                .any(|t| t.kind == Kind::Str && t.start <= prefix && t.end >= src.len() - suffix);
            assert!(covering, "one string literal replaced, got {removed:?}");
        }
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
        let at = AttrLocation {
            line: 4,
            column: 1,
            path: "ai_generated".into(),
        };
        let out = write_signoff(src, &at, VALUE).unwrap();
        assert_eq!(
            out,
            format!("#[ai_generated]\nfn a() {{}}\n\n#[ai_generated(signed_off = {VALUE:?})]\nfn b() {{}}\n")
        );
    }

    #[test]
    fn column_counts_chars_not_bytes() {
        let src = "/* é */ #[ai_generated]\nfn f() {}";
        let at = AttrLocation {
            line: 1,
            column: 9,
            path: "ai_generated".into(),
        };
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
        let at = AttrLocation {
            line: 1,
            column: 1,
            path: "ai_generated".into(),
        };
        let err = write_signoff(src, &at, VALUE).unwrap_err();
        assert!(matches!(err, SignError::Moved { .. }), "{err:?}");
        assert!(err.to_string().contains("changed since discovery"));
    }

    #[test]
    fn other_attribute_at_location_is_refused() {
        let src = "#[inline]\nfn f() {}";
        let err = write_signoff(src, &loc(src, "#[", "ai_generated"), VALUE).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no `#[ai_generated]` attribute at 1:1 (found `#[inline]`): the file changed since discovery, run the command again"
        );
        let src = "#[ai_generated_v2]\nfn f() {}";
        assert!(matches!(
            write_signoff(src, &loc(src, "#[", "ai_generated"), VALUE),
            Err(SignError::Moved { .. })
        ));
    }

    #[test]
    fn location_past_the_end_is_refused() {
        let src = "#[ai_generated]\n";
        for (line, column) in [(9, 1), (1, 40), (0, 1)] {
            let at = AttrLocation {
                line,
                column,
                path: "ai_generated".into(),
            };
            assert!(matches!(
                write_signoff(src, &at, VALUE),
                Err(SignError::OutOfRange { .. })
            ));
        }
    }

    #[test]
    fn unclosed_or_unbalanced_args_are_refused() {
        for src in [
            "#[ai_generated(author = \"a\"",
            "#[ai_generated(author = \"a)]",
            "#[ai_generated(author = [1, 2)]",
            "#[ai_generated(author = r#\"a\")]",
            "#[ai_generated(/* a )]",
        ] {
            let err = write_signoff(src, &loc(src, "#[", "ai_generated"), VALUE).unwrap_err();
            assert!(matches!(err, SignError::Malformed { .. }), "{src}: {err:?}");
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
            let err = write_signoff(src, &loc(src, "#[", "ai_generated"), VALUE).unwrap_err();
            assert!(err.to_string().contains(reason), "{src}: {err}");
        }
    }

    #[test]
    fn signing_twice_replaces_the_first_signoff() {
        let src = "#[ai_generated(\n    author = \"a\",\n)]\nfn f() {}";
        let at = loc(src, "#[", "ai_generated");
        let once = write_signoff(src, &at, "old 2020-01-01 0000000000000000").unwrap();
        let twice = write_signoff(&once, &at, VALUE).unwrap();
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
            let again = write_signoff(&out, &at, second).unwrap();
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
