//! The `signed_off = "OWNER YYYY-MM-DD FINGERPRINT"` record written by `cargo abuse sign`.

use std::fmt;

/// Who signed off on which exact version of a function, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOff {
    /// The test owner who signed; may contain single spaces (`"Bob Smith"`).
    pub owner: String,
    /// The day of the sign-off, `YYYY-MM-DD`.
    pub date: String,
    /// The fingerprint signed: 16 lowercase hex digits, see [`crate::fingerprint`].
    pub fingerprint: String,
}

impl fmt::Display for SignOff {
    /// The attribute form, `OWNER YYYY-MM-DD FINGERPRINT`, which [`parse_signoff`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.owner, self.date, self.fingerprint)
    }
}

/// Parses `"OWNER YYYY-MM-DD FINGERPRINT"`.
///
/// The last two whitespace-separated words are the date and the fingerprint; everything before them is
/// the owner (so a git user name with spaces works), with runs of whitespace collapsed to one space.
/// The date must be a real calendar day; the fingerprint exactly 16 lowercase hex digits.
#[cfg_attr(test, abuse_macros::ai_generated(
    prompt = "Parse the signed_off record \"OWNER YYYY-MM-DD FINGERPRINT\" (owner may contain spaces, a real calendar date, 16 lowercase hex digits); anything else is an error saying which part is wrong, never a panic",
    model = "claude",
    author = "lead",
    reviewer = "lead",
    test_owner = "lead",
    deterministic,
    // What `sign` writes (the Display form) reads back as the same record.
    ensures = |_s: &str, out: &Result<SignOff, String>| {
        out.as_ref().map_or(true, |record| parse_signoff(&record.to_string()).as_ref() == Ok(record))
    }
))]
pub fn parse_signoff(s: &str) -> Result<SignOff, String> {
    const FORM: &str =
        "expected \"OWNER YYYY-MM-DD FINGERPRINT\", e.g. \"bob 2026-11-27 0123456789abcdef\"";
    let words: Vec<&str> = s.split_whitespace().collect();
    let [owner @ .., date, fingerprint] = words.as_slice() else {
        return Err(format!("malformed sign-off `{s}`: {FORM}"));
    };
    if owner.is_empty() {
        return Err(format!(
            "malformed sign-off `{s}`: the owner is missing; {FORM}"
        ));
    }
    if !is_calendar_date(date) {
        return Err(format!(
            "malformed sign-off `{s}`: `{date}` is not a date in the form YYYY-MM-DD"
        ));
    }
    if fingerprint.len() != 16
        || !fingerprint
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(format!(
            "malformed sign-off `{s}`: `{fingerprint}` is not a fingerprint (16 lowercase hex digits)"
        ));
    }
    Ok(SignOff {
        owner: owner.join(" "),
        date: (*date).to_owned(),
        fingerprint: (*fingerprint).to_owned(),
    })
}

/// `YYYY-MM-DD` naming a day that exists in the proleptic Gregorian calendar.
fn is_calendar_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::{parse_signoff, SignOff};

    #[test]
    fn signoff_round_trips_through_display() {
        let s = parse_signoff("bob 2026-11-27 0123456789abcdef").unwrap();
        assert_eq!(
            s,
            SignOff {
                owner: "bob".into(),
                date: "2026-11-27".into(),
                fingerprint: "0123456789abcdef".into()
            }
        );
        assert_eq!(s.to_string(), "bob 2026-11-27 0123456789abcdef");
    }

    #[test]
    fn owner_may_contain_spaces() {
        let s = parse_signoff("  Bob   Smith 2024-02-29 ffffffffffffffff ").unwrap();
        assert_eq!(s.owner, "Bob Smith");
        assert_eq!(s.to_string(), "Bob Smith 2024-02-29 ffffffffffffffff");
    }

    #[test]
    fn malformed_signoffs_say_what_is_wrong() {
        let cases = [
            ("", "expected"),
            ("bob", "expected"),
            ("2026-11-27 0123456789abcdef", "owner is missing"),
            ("bob 27-11-2026 0123456789abcdef", "not a date"),
            ("bob 2026-13-01 0123456789abcdef", "not a date"),
            ("bob 2023-02-29 0123456789abcdef", "not a date"),
            ("bob 2026-1-27 0123456789abcdef", "not a date"),
            ("bob 2026-11-27 0123456789ABCDEF", "not a fingerprint"),
            ("bob 2026-11-27 0123456789abcde", "not a fingerprint"),
            ("bob 2026-11-27 0123456789abcdefg", "not a fingerprint"),
        ];
        for (input, needle) in cases {
            let err = parse_signoff(input).unwrap_err();
            assert!(err.contains(needle), "{input:?}: {err}");
            assert!(err.starts_with("malformed sign-off"), "{err}");
        }
    }
}
