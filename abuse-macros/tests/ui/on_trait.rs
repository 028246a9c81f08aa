use abuse_macros::ai_generated;

#[ai_generated]
pub trait Parse {
    fn parse(s: &str) -> Self;
}

fn main() {}
