use abuse_macros::ai_generated;

pub struct Ring {
    items: Vec<u8>,
}

pub struct RingModel(Vec<u8>);

fn ring_ok(r: &Ring) -> bool {
    r.items.len() <= 4
}

#[ai_generated(model = "gpt-5", model = RingModel, invariant = ring_ok, sequence_len = 8)]
impl Ring {
    pub fn new() -> Ring {
        Ring { items: Vec::new() }
    }

    pub fn push(&mut self, x: u8) {
        self.items.push(x);
    }
}

// A second tagged block of the same type, with its own checks: the hidden names do not clash.
#[ai_generated(invariant = Ring::is_small)]
impl Ring {
    pub fn is_small(&self) -> bool {
        self.items.len() < 100
    }
}

fn main() {
    let mut r = Ring::new();
    r.push(1);
    assert!(ring_ok(&r) && r.is_small());
    let _ = RingModel(Vec::new()).0;
}
