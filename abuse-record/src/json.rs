//! The record's JSON line, written by hand: `abuse-runtime` is linked into the user's test targets, and a
//! dependency on serde_json there brings its `impl PartialEq<Value> for u8` (and friends) into every crate's
//! trait resolution, so the user's own `assert_eq!(&*v, &[])` stops inferring (E0282/E0283; smallvec's unit
//! tests). The shape is the one the `serde` derives read back; the tests check both agree byte for byte.

use std::fmt::Write;

use crate::Record;

impl Record {
    /// The record as one JSON object on one line (no trailing newline), fields in declaration order, `null`
    /// for `None` (`root_cause` is left out when `None`).
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(256);
        out.push('{');
        field_str(&mut out, "test", &self.test);
        field_str(&mut out, "function", &self.function);
        field_str(&mut out, "property", self.property.as_str());
        field_str(&mut out, "outcome", self.outcome.as_str());
        field_opt_str(&mut out, "kind", self.kind.map(|k| k.as_str()));
        field_num(&mut out, "cases", Some(self.cases));
        field_num(&mut out, "rejected", Some(self.rejected));
        field_num(&mut out, "elapsed_ms", Some(self.elapsed_ms));
        field_num(&mut out, "first_failure_ms", self.first_failure_ms);
        field_num(&mut out, "seed", Some(self.seed));
        field_opt_str(&mut out, "input", self.input.as_deref());
        field_opt_str(&mut out, "message", self.message.as_deref());
        field_str(&mut out, "file", &self.file);
        field_num(&mut out, "line", Some(u64::from(self.line)));
        field_str(&mut out, "fingerprint", &self.fingerprint);
        field_num(&mut out, "input_size", self.input_size);
        // Only when set: a record of a check's first (or only) root cause keeps the documented shape.
        if let Some(n) = self.root_cause {
            field_num(&mut out, "root_cause", Some(u64::from(n)));
        }
        out.push('}');
        out
    }
}

fn key(out: &mut String, name: &str) {
    if !out.ends_with('{') {
        out.push(',');
    }
    out.push('"');
    out.push_str(name);
    out.push_str("\":");
}

fn field_str(out: &mut String, name: &str, value: &str) {
    key(out, name);
    string(out, value);
}

fn field_opt_str(out: &mut String, name: &str, value: Option<&str>) {
    key(out, name);
    match value {
        Some(v) => string(out, v),
        None => out.push_str("null"),
    }
}

fn field_num(out: &mut String, name: &str, value: Option<u64>) {
    key(out, name);
    match value {
        Some(n) => write!(out, "{n}").expect("writing to a String"),
        None => out.push_str("null"),
    }
}

/// A JSON string with serde_json's escapes: `"`, `\`, and the control characters below U+0020 (short forms
/// where JSON has them, `\u00XX` otherwise); everything else as is.
fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                write!(out, "\\u{:04x}", u32::from(c)).expect("writing to a String")
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
