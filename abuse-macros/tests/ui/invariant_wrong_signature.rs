use abuse_macros::ai_generated;

pub struct Ring(Vec<u8>);

fn ring_len(r: &Ring) -> usize {
    r.0.len()
}

#[ai_generated(invariant = ring_len)]
impl Ring {
    pub fn push(&mut self, x: u8) {
        self.0.push(x);
    }
}

fn main() {}
