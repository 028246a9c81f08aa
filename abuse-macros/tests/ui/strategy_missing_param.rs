use abuse_macros::ai_generated;

#[ai_generated(strategy(input = "[0-9]{1,5}"))]
pub fn parse_port(s: &str) -> Option<u16> {
    s.parse().ok()
}

fn main() {}
