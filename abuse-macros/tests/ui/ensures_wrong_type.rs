use abuse_macros::ai_generated;

// The closure receives `&str` (a reference parameter as it is) and `&Option<u16>`, not `u16`.
#[ai_generated(ensures = |s: &str, out: &u16| *out > 0 || s.is_empty())]
pub fn parse_port(s: &str) -> Option<u16> {
    s.parse().ok()
}

fn main() {}
