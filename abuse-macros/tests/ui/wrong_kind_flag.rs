use abuse_macros::ai_generated;

#[ai_generated(idempotent = "yes")]
pub fn normalize(s: &str) -> String {
    s.trim().to_owned()
}

fn main() {}
