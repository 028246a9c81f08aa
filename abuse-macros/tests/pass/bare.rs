use abuse_macros::ai_generated;

#[ai_generated]
pub fn double(x: u32) -> u32 {
    x.wrapping_mul(2)
}

/// Docs before the attribute stay first.
#[abuse_macros::ai_generated()]
#[inline]
fn triple(x: u32) -> u32 {
    x.wrapping_mul(3)
}

fn main() {
    assert_eq!(double(2) + triple(1), 7);
}
