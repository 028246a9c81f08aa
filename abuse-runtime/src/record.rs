//! The structured record each test writes to `$ABUSE_RECORDS` (format documented in the crate docs).

use std::fmt::Write as _;
use std::path::PathBuf;

/// One test's outcome, as written to `$ABUSE_RECORDS/<test>.json`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Record {
    pub test: String,
    pub function: String,
    pub property: String,
    pub outcome: &'static str,
    pub kind: Option<&'static str>,
    pub cases: u64,
    pub rejected: u64,
    pub elapsed_ms: u64,
    pub first_failure_ms: Option<u64>,
    pub seed: u64,
    pub input: Option<String>,
    pub message: Option<String>,
    pub file: String,
    pub line: u32,
    pub fingerprint: String,
}

pub(crate) fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn opt_str(s: &Option<String>) -> String {
    s.as_deref().map_or_else(|| "null".to_owned(), json_str)
}

impl Record {
    /// The record as one JSON object on one line.
    pub fn to_json(&self) -> String {
        format!(
            "{{\"test\":{},\"function\":{},\"property\":{},\"outcome\":{},\"kind\":{},\"cases\":{},\"rejected\":{},\
             \"elapsed_ms\":{},\"first_failure_ms\":{},\"seed\":{},\"input\":{},\"message\":{},\"file\":{},\"line\":{},\
             \"fingerprint\":{}}}\n",
            json_str(&self.test),
            json_str(&self.function),
            json_str(&self.property),
            json_str(self.outcome),
            self.kind.map_or_else(|| "null".to_owned(), json_str),
            self.cases,
            self.rejected,
            self.elapsed_ms,
            self.first_failure_ms.map_or_else(|| "null".to_owned(), |v| v.to_string()),
            self.seed,
            opt_str(&self.input),
            opt_str(&self.message),
            json_str(&self.file),
            self.line,
            json_str(&self.fingerprint),
        )
    }

    /// Writes the record when `ABUSE_RECORDS` is set; a write error is printed, not fatal (the test's own
    /// outcome still stands).
    pub fn write(&self) {
        if let Some(path) = path_for(&self.test) {
            if let Err(e) = std::fs::write(&path, self.to_json()) {
                eprintln!("abuse: cannot write record {}: {e}", path.display());
            }
        }
    }
}

/// `$ABUSE_RECORDS/<test with "::" replaced by "__">.json`, creating the directory.
pub(crate) fn path_for(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("ABUSE_RECORDS")?;
    let dir = PathBuf::from(dir);
    let _ = std::fs::create_dir_all(&dir);
    let name: String = test
        .replace("::", "__")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "_-.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Some(dir.join(format!("{name}.json")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_one_json_line_with_escapes() {
        let r = Record {
            test: "t::a".into(),
            outcome: "fail",
            kind: Some("panic"),
            input: Some("String::from(\"\\u{301}\")".into()),
            message: Some("line\nbreak".into()),
            ..Record::default()
        };
        let j = r.to_json();
        assert_eq!(j.lines().count(), 1);
        assert!(j.contains(r#""input":"String::from(\"\\u{301}\")""#), "{j}");
        assert!(j.contains(r#""first_failure_ms":null"#));
    }
}
