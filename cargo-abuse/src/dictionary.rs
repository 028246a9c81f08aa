//! The libFuzzer dictionary and seed corpus of a fuzz target: the literals the function itself compares
//! against (decisive for multi-byte magic that coverage feedback cannot solve), and the adversarial tokens the
//! property tests use.

use std::fmt::Write as _;

/// Adversarial tokens worth splicing into any input: traversal, injection, encodings, number edges, delimiters.
const ADVERSARIAL: &[&[u8]] = &[
    b"..",
    b"../",
    b"..\\",
    b"%2e%2e",
    b"%2e%2e%2f",
    b"..%2f",
    b"....//",
    b"/etc/passwd",
    b"C:\\",
    b"\\\\?\\",
    b"\x00",
    b"%00",
    b"\r\n",
    b"\n",
    b"\t",
    b" ",
    b"'",
    b"\"",
    b"' OR '1'='1",
    b"; DROP TABLE",
    b"$(",
    b"`",
    b"|",
    b"&&",
    b"%s",
    b"%n",
    b"{}",
    b"{0}",
    b"<script>",
    b"]]>",
    b"<!--",
    b"\xef\xbb\xbf",
    b"\xe2\x80\xae",
    b"\xcc\x81",
    b"\xf0\x9f\x98\x80",
    b"\xc3\xa9",
    b"\xe2\x82\xac",
    b"\xff",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"-",
    b"+",
    b"0x",
    b"1e309",
    b"NaN",
    b"inf",
    b"-0",
    b"0",
    b"-1",
    b"255",
    b"256",
    b"65535",
    b"65536",
    b"2147483647",
    b"2147483648",
    b"4294967295",
    b"4294967296",
    b"9223372036854775807",
    b"18446744073709551615",
    b"\xff\xff\xff\xff",
    b"\x7f\xff\xff\xff",
    b"[",
    b"]",
    b"{",
    b"}",
    b"(",
    b")",
    b"<",
    b">",
    b"=",
    b",",
    b":",
    b"\\",
];

/// The target's tokens: its own literals first (strings, then integers as text and as little- and big-endian
/// bytes), then the adversarial ones; deduplicated, order kept.
#[abuse_macros::ai_generated(
    prompt = "Dictionary tokens for a fuzz target: the function's own string and integer literals first, then adversarial tokens; no empty and no duplicate token",
    model = "claude",
    author = "lead",
    test_owner = "lead",
    deterministic
)]
pub fn tokens(strings: &[String], ints: &[i128]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut push = |t: Vec<u8>| {
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    };
    for s in strings {
        push(s.as_bytes().to_vec());
    }
    for &i in ints {
        push(i.to_string().into_bytes());
        if let Ok(v) = u32::try_from(i) {
            push(v.to_le_bytes().to_vec());
            push(v.to_be_bytes().to_vec());
        }
    }
    for t in ADVERSARIAL {
        push(t.to_vec());
    }
    out
}

/// libFuzzer's dictionary format: one `"..."` per line, bytes outside printable ASCII as `\xNN`.
#[abuse_macros::ai_generated(
    prompt = "Render tokens as a libFuzzer dictionary: one quoted entry per line, quote and backslash escaped, other bytes outside printable ASCII as \\xNN",
    model = "claude",
    author = "lead",
    reviewer = "lead",
    test_owner = "lead",
    ensures = |tokens: &[Vec<u8>], out: &String| out.lines().count() == tokens.len() && out.is_ascii(),
)]
pub fn render(tokens: &[Vec<u8>]) -> String {
    let mut out = String::new();
    for token in tokens {
        out.push('"');
        for &b in token {
            match b {
                b'"' | b'\\' => {
                    out.push('\\');
                    out.push(b as char);
                }
                0x20..=0x7e => out.push(b as char),
                _ => {
                    let _ = write!(out, "\\x{b:02x}");
                }
            }
        }
        out.push_str("\"\n");
    }
    out
}

/// At most this many keyword compositions per dictionary.
const MAX_COMPOSITIONS: usize = 64;

/// `tokens` followed by the function's byte literals and its keyword compositions (the property tests'
/// `abuse_runtime::keywords::dictionary`): each run of 1 to 3 neighbouring `words` (string literals in body
/// order) joined with nothing and with a space, alone and followed by `0`, `-1` and `65535`; no duplicate.
/// Appended, so the seeds (the first tokens) stay what they were.
pub fn with_compositions(
    mut tokens: Vec<Vec<u8>>,
    bytes: &[Vec<u8>],
    words: &[String],
) -> Vec<Vec<u8>> {
    let push = |t: Vec<u8>, out: &mut Vec<Vec<u8>>| {
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    };
    for b in bytes {
        push(b.clone(), &mut tokens);
    }
    let words: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !w.is_empty())
        .collect();
    let mut added = 0;
    for len in 1..=3usize {
        for run in words.windows(len) {
            for sep in ["", " "] {
                if len == 1 && !sep.is_empty() {
                    continue;
                }
                let joined = run.join(sep);
                for num in ["", "0", "-1", "65535"] {
                    if added >= MAX_COMPOSITIONS {
                        return tokens;
                    }
                    let before = tokens.len();
                    push(format!("{joined}{num}").into_bytes(), &mut tokens);
                    added += tokens.len() - before;
                }
            }
        }
    }
    tokens
}

/// Seed inputs: the function's own text literals (the first `own` tokens) and a few adversarial classics,
/// one file each; the dictionary carries the rest, and libFuzzer splices it in from the start.
pub fn seeds(tokens: &[Vec<u8>], own: usize) -> Vec<String> {
    const CLASSICS: usize = 8;
    tokens
        .iter()
        .take(own + CLASSICS)
        .filter_map(|t| String::from_utf8(t.clone()).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_come_first_and_render_escaped() {
        let tokens = tokens(&["ABUSE\u{0}".into()], &[0x1234]);
        assert_eq!(tokens[0], b"ABUSE\0");
        assert!(tokens.contains(&0x1234u32.to_le_bytes().to_vec()));
        let dict = render(&tokens[..1]);
        assert_eq!(dict, "\"ABUSE\\x00\"\n");
        assert_eq!(render(&[b"a\"\\".to_vec()]), "\"a\\\"\\\\\"\n");
    }

    #[test]
    fn compositions_follow_in_body_order_after_the_tokens() {
        let words = ["GET ".to_string(), "timeout".into(), ":".into()];
        let out = with_compositions(vec![b"x".to_vec()], &[vec![0x89, b'P']], &words);
        assert_eq!(out[0], b"x");
        assert_eq!(out[1], b"\x89P");
        for want in [
            "GET timeout:",
            "GET timeout:65535",
            "timeout:-1",
            "GET  timeout",
        ] {
            assert!(out.contains(&want.as_bytes().to_vec()), "{want}");
        }
        assert!(!out.contains(&b"timeoutGET ".to_vec()));
    }
}
