use abuse_macros::ai_generated;

#[ai_generated(promt = "Parse a TCP port")]
pub fn parse_port(s: &str) -> Option<u16> {
    s.parse().ok()
}

fn main() {}
