use abuse_macros::ai_generated;

#[ai_generated(max_alloc = "64 megs")]
pub fn parse_port(s: &str) -> Option<u16> {
    s.parse().ok()
}

fn main() {}
