use abuse_macros::ai_generated;

pub struct Buffer(Vec<u8>);

impl Buffer {
    /// Reads `len` bytes at `offset`.
    #[ai_generated(
        prompt = "Read a slice of the buffer; never panic",
        author = "alice",
        ensures = |buf: &Self, offset: &usize, len: &usize, out: &Option<&[u8]>| {
            out.is_none_or(|o| o.len() == *len && *offset + *len <= buf.0.len())
        },
        strategy(self = any_buffer(), len = 0usize..64),
    )]
    pub fn read(&self, offset: usize, len: usize) -> Option<&[u8]> {
        self.0.get(offset..offset.checked_add(len)?)
    }

    #[ai_generated(prompt = "Clear the buffer", idempotent)]
    pub fn clear(&mut self) {
        self.0.clear();
    }
}

fn main() {
    let mut b = Buffer(vec![1, 2, 3]);
    assert_eq!(b.read(1, 2), Some(&[2u8, 3][..]));
    b.clear();
    assert_eq!(b.read(0, 1), None);
}
