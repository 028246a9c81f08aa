use abuse_macros::ai_generated;

#[ai_generated(author = alice)]
pub fn parse_port(s: &str) -> Option<u16> {
    s.parse().ok()
}

fn main() {}
