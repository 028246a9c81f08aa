use abuse_macros::ai_generated;

#[ai_generated(signed_off = "bob 27/11/2026 0123456789abcdef")]
pub fn parse_port(s: &str) -> Option<u16> {
    s.parse().ok()
}

fn main() {}
