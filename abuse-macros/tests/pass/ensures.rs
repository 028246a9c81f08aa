use abuse_macros::ai_generated;

// The closure's parameter types may be left out: the signature gives them.
#[ai_generated(ensures = |s, out| out.len() <= s.len())]
pub fn trim(s: &str) -> &str {
    s.trim()
}

#[ai_generated(ensures = |x: &u32, y: &u32, out: &Option<u32>| out.is_none_or(|o| o >= *x && o >= *y))]
pub fn checked_add(x: u32, y: u32) -> Option<u32> {
    x.checked_add(y)
}

#[ai_generated(ensures = |a: &str, out: &&str| a.len() >= out.len())]
pub fn first_word<'a>(a: &'a str) -> &'a str {
    a.split(' ').next().unwrap_or("")
}

#[ai_generated(ensures = |v: &Vec<u8>, out: &()| { let _ = (v, out); true })]
pub fn consume(v: Vec<u8>) {
    drop(v);
}

fn main() {
    assert_eq!(trim(" a "), "a");
    assert_eq!(checked_add(1, 2), Some(3));
    assert_eq!(first_word("a b"), "a");
    consume(vec![1]);
}
