use abuse_macros::ai_generated;

pub struct Ring(Vec<u8>);

#[ai_generated(invariant = ring_is_consistent)]
impl Ring {
    pub fn push(&mut self, x: u8) {
        self.0.push(x);
    }
}

fn main() {}
