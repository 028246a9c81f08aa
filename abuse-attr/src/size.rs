//! Human byte sizes for `max_alloc`: `"64 MiB"`, `"512KiB"`, `"1GB"`, `"1.5 GiB"`, `"4096"`.

/// The forms [`parse_size`] accepts, quoted in its error messages.
const ACCEPTED: &str = "expected a number of bytes with an optional unit, \
     e.g. \"4096\", \"512KiB\", \"64 MiB\", \"1.5 GiB\" or \"1GB\" \
     (units B, KB, MB, GB, TB are powers of 1000; KiB, MiB, GiB, TiB powers of 1024; case-insensitive)";

/// Parses a human byte size into bytes.
///
/// Grammar: `DIGITS [ "." DIGITS ] [ " "* UNIT ]`, surrounding whitespace ignored. `UNIT` is one of
/// `B`, `KB`, `MB`, `GB`, `TB` (powers of 1000) or `KiB`, `MiB`, `GiB`, `TiB` (powers of 1024), in any case.
/// A fraction is allowed when the result is a whole number of bytes (`"1.5 KiB"` = 1536, `"1.5 B"` is an
/// error). Zero and sizes above `u64::MAX` are errors: a zero allocation limit is never meant.
#[cfg_attr(test, abuse_macros::ai_generated(
    prompt = "Parse a human byte size (\"4096\", \"512KiB\", \"64 MiB\", \"1.5 GiB\"); zero, overflow and anything else are errors naming the accepted forms, never a panic",
    model = "claude",
    author = "lead",
    reviewer = "lead",
    test_owner = "lead",
    deterministic,
    // Sizes are never zero, and a plain decimal number is that many bytes.
    ensures = |s: &str, out: &Result<u64, String>| {
        let digits = s.trim();
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return out.as_ref().map_or(true, |n| *n > 0);
        }
        match digits.parse::<u64>() {
            Ok(0) | Err(_) => out.is_err(),
            Ok(n) => out.as_ref() == Ok(&n),
        }
    }
))]
pub fn parse_size(s: &str) -> Result<u64, String> {
    let text = s.trim();
    let number_end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(number_end);
    let number = number.replace('_', "");
    let unit = unit.trim_start();
    let multiplier: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        "tib" => 1 << 40,
        _ => {
            return Err(format!(
                "invalid size `{s}`: unknown unit `{unit}`; {ACCEPTED}"
            ))
        }
    };
    let (whole, fraction) = match number.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (number.as_str(), ""),
    };
    let digits_ok = |d: &str| d.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits_ok(whole) || !digits_ok(fraction) || number.ends_with('.') {
        return Err(format!("invalid size `{s}`: {ACCEPTED}"));
    }
    let too_large = || format!("invalid size `{s}`: larger than {} bytes", u64::MAX);
    // Exact integer arithmetic: (whole * 10^k + fraction) * multiplier / 10^k.
    let scale = 10u128
        .checked_pow(u32::try_from(fraction.len()).map_err(|_| too_large())?)
        .ok_or_else(too_large)?;
    let mantissa: u128 = format!("{whole}{fraction}")
        .parse()
        .map_err(|_| too_large())?;
    let scaled = mantissa
        .checked_mul(u128::from(multiplier))
        .ok_or_else(too_large)?;
    if scaled % scale != 0 {
        return Err(format!("invalid size `{s}`: not a whole number of bytes"));
    }
    let bytes = u64::try_from(scaled / scale).map_err(|_| too_large())?;
    if bytes == 0 {
        return Err(format!("invalid size `{s}`: must be greater than zero"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn plain_numbers_are_bytes() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size(" 1_000 "), Ok(1000));
        assert_eq!(parse_size("7 B"), Ok(7));
    }

    #[test]
    fn binary_and_decimal_units_differ() {
        assert_eq!(parse_size("64 MiB"), Ok(64 << 20));
        assert_eq!(parse_size("512KiB"), Ok(512 << 10));
        assert_eq!(parse_size("1GB"), Ok(1_000_000_000));
        assert_eq!(parse_size("2 tib"), Ok(2 << 40));
        assert_eq!(parse_size("3kb"), Ok(3000));
    }

    #[test]
    fn fractions_must_give_whole_bytes() {
        assert_eq!(parse_size("1.5 GiB"), Ok(3 << 29));
        assert_eq!(parse_size("0.5KiB"), Ok(512));
        assert!(parse_size("1.5 B").unwrap_err().contains("whole number"));
    }

    #[test]
    fn malformed_sizes_name_the_accepted_forms() {
        for bad in [
            "",
            "MiB",
            "64 MB/s",
            "64 mebibytes",
            "-1",
            "1..5 KiB",
            "1. KiB",
            ".5 KiB",
            "x",
        ] {
            let err = parse_size(bad).unwrap_err();
            assert!(err.starts_with(&format!("invalid size `{bad}`")), "{err}");
        }
        assert!(parse_size("64 MB/s").unwrap_err().contains("\"64 MiB\""));
    }

    #[test]
    fn zero_and_overflow_are_rejected() {
        assert!(parse_size("0").unwrap_err().contains("greater than zero"));
        assert!(parse_size("0 MiB")
            .unwrap_err()
            .contains("greater than zero"));
        assert!(parse_size("16777216 TiB")
            .unwrap_err()
            .contains("larger than"));
        assert!(parse_size("99999999999999999999999999999999999999999").is_err());
        assert_eq!(parse_size("18446744073709551615"), Ok(u64::MAX));
    }
}
