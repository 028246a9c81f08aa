use abuse_macros::ai_generated;

#[derive(Debug, PartialEq)]
pub struct PortError;

pub fn format_port(p: &u16) -> String {
    p.to_string()
}

mod reference {
    pub fn parse_port(s: &str) -> Result<u16, super::PortError> {
        s.parse().map_err(|_| super::PortError)
    }
}

/// Parses a TCP port.
#[ai_generated(
    prompt = "Parse a TCP port; reject anything outside 1..=65535",
    model = "gpt-5",
    author = "alice",
    reviewer = "carol",
    test_owner = "bob",
    signed_off = "bob 2026-11-27 0123456789abcdef",
    roundtrip = format_port,
    idempotent = false,
    oracle = reference::parse_port,
    ensures = |s: &str, out: &Result<u16, PortError>| out.is_err() || !s.is_empty(),
    deterministic,
    may_panic = false,
    timeout_ms = 500,
    max_alloc = "64 MiB",
    cases = 1000,
    strategy(s = "[0-9]{1,6}"),
)]
pub fn parse_port(s: &str) -> Result<u16, PortError> {
    match s.parse::<u16>() {
        Ok(0) | Err(_) => Err(PortError),
        Ok(p) => Ok(p),
    }
}

fn main() {
    assert_eq!(parse_port("80"), Ok(80));
}
