//! The runtime is linked into the user's test targets, so every trait impl in its dependency graph joins the
//! user's type inference. serde_json's `impl PartialEq<Value> for u8` once made smallvec's own unit tests stop
//! compiling (`assert_eq!(&*v, &[])`: E0282). This target fails to build if such a dependency comes back.

use abuse_runtime as _;

#[test]
fn an_empty_slice_literal_still_infers_against_a_byte_slice() {
    let v: Vec<u8> = Vec::new();
    assert_eq!(&*v, &[]);
    let w: [u32; 0] = [];
    assert_eq!(w, []);
}
