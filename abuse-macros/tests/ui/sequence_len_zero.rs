use abuse_macros::ai_generated;

pub struct Ring(Vec<u8>);

#[ai_generated(sequence_len = 0, invariant = "Ring::ok")]
impl Ring {
    pub fn push(&mut self, x: u8) {
        self.0.push(x);
    }
}

fn main() {}
