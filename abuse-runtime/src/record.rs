//! Writes the [`Record`] each test leaves in `$ABUSE_RECORDS` (format documented in the crate docs; the type and
//! its JSON writer are `abuse_record`'s, which `cargo abuse run` reads back with serde).

use std::path::PathBuf;

pub(crate) use abuse_record::{FailureKind, Outcome, Record};

use crate::check::{Property, Target};

/// A record of `test` checking `property` of `target` with every count zero and nothing found yet.
pub(crate) fn new(target: &Target, property: Property, test: String, outcome: Outcome) -> Record {
    Record {
        test,
        function: target.function.to_owned(),
        property,
        outcome,
        kind: None,
        cases: 0,
        rejected: 0,
        elapsed_ms: 0,
        first_failure_ms: None,
        seed: 0,
        input: None,
        message: None,
        file: target.file.to_owned(),
        line: target.source_line(),
        fingerprint: target.fingerprint.to_owned(),
        input_size: None,
        root_cause: None,
    }
}

/// The record as one JSON object on one line.
pub(crate) fn to_json(record: &Record) -> String {
    let mut line = record.to_json();
    line.push('\n');
    line
}

/// Writes the record when `ABUSE_RECORDS` is set; a write error is printed, not fatal (the test's own outcome
/// still stands).
pub(crate) fn write(record: &Record) {
    write_all(std::slice::from_ref(record));
}

/// Writes the records of one test (the first root cause, then the further ones: one JSON line each) to the
/// first one's file when `ABUSE_RECORDS` is set.
pub(crate) fn write_all(records: &[Record]) {
    let Some(first) = records.first() else {
        return;
    };
    if let Some(path) = path_for(&first.test) {
        let text: String = records.iter().map(to_json).collect();
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("abuse: cannot write record {}: {e}", path.display());
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
        let target = Target {
            function: "f",
            file: "x.rs",
            line: 1,
            prompt: "",
            author: "",
            test_owner: "",
            fingerprint: "",
        };
        let r = Record {
            outcome: Outcome::Fail,
            kind: Some(FailureKind::Panic),
            input: Some("String::from(\"\\u{301}\")".into()),
            message: Some("line\nbreak".into()),
            ..new(&target, Property::NoPanic, "t::a".into(), Outcome::Pass)
        };
        let j = to_json(&r);
        assert_eq!(j.lines().count(), 1);
        assert!(j.contains(r#""input":"String::from(\"\\u{301}\")""#), "{j}");
        assert!(j.contains(r#""first_failure_ms":null"#));
    }
}
