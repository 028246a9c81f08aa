use abuse_macros::ai_generated;

#[ai_generated(
    promt = "Parse a TCP port",
    timeout_ms = "500",
    author = "alice",
    author = "bob",
    max_alloc = "lots",
)]
pub fn parse_port(s: &str) -> Option<u16> {
    s.parse().ok()
}

fn main() {}
