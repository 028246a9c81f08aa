//! The macro (compiler tokens) and `syn::parse_file` (how `cargo abuse` reads sources) compute the same
//! fingerprint. The sign-offs below were computed from this file with `syn::parse_file`; under
//! `deny(deprecated)` any mismatch, which the macro reports as a stale sign-off, fails the build.
#![deny(deprecated)]
#![allow(clippy::new_without_default)]

use abuse_macros::ai_generated;

/// Adds two numbers.
#[ai_generated(
    prompt = "Add two numbers, wrapping on overflow",
    author = "alice",
    signed_off = "bob 2026-11-27 35a0031aefd3acc8"
)]
#[inline]
pub fn add(a: u32, b: u32) -> u32 {
    // Comments are not part of the fingerprint.
    a.wrapping_add(b)
}

/// Inert attributes written above the tag reach the macro too, so they are fingerprinted on both sides.
#[must_use]
#[ai_generated(prompt = "Four", signed_off = "bob 2026-11-27 1a161e08ffd94e5c")]
pub fn four() -> u32 {
    4
}

pub struct Counter(u64);

impl Counter {
    /// Bumps the counter.
    #[ai_generated(
        prompt_file = "tests/prompts/bump.md",
        signed_off = "Bob Smith 2026-11-27 7ba6d8c43be35ff0"
    )]
    pub fn bump(&mut self, by: u64) -> u64 {
        self.0 = self.0.saturating_add(by);
        self.0
    }

    #[ai_generated(
        prompt = "A counter at zero",
        signed_off = "carol 2026-11-27 690017fca40e3163"
    )]
    pub fn new() -> Self {
        Counter(0)
    }
}

#[ai_generated(
    prompt = "Read the counter",
    signed_off = "dave 2026-11-27 c9e8e67a9aaafc92"
)]
impl Counter {
    /// The current value.
    pub fn get(&self) -> u64 {
        self.0
    }

    #[ai_generated(signed_off = "erin 2026-11-27 0dfefad8a76efcc7")]
    pub fn is_zero(&self) -> bool {
        self.0 == 0
    }
}

/// A tagged function built by `macro_rules!`: the `$value:expr` fragment reaches the attribute as a
/// `None`-delimited group, which the fingerprint walks through as if absent.
macro_rules! tagged_const_fn {
    ($name:ident, $value:expr) => {
        #[ai_generated(
            prompt = "Three, from a macro",
            signed_off = "bob 2026-11-27 f977ea3bb968ede7"
        )]
        pub fn $name() -> u32 {
            $value
        }
    };
}

tagged_const_fn!(three, 1 + 2);

#[test]
fn macro_built_functions_hash_like_their_written_form() {
    let written: syn::ItemFn = syn::parse_str("pub fn three() -> u32 { 1 + 2 }").unwrap();
    assert_eq!(
        abuse_attr::fingerprint::of_item_fn(&written, "Three, from a macro"),
        "f977ea3bb968ede7"
    );
    assert_eq!(three(), 3);
}

/// The same items reformatted, with other docs and comments: the fingerprints must not move.
const REFORMATTED: &str = r#"
#[ai_generated(prompt = "Add two numbers, wrapping on overflow", signed_off = "x 2000-01-01 0000000000000000")]
#[inline]
/// Different docs, after the attribute this time.
pub fn add(a: u32, b: u32,) -> u32 { a.wrapping_add(b) /* other comment */ }

#[must_use] #[ai_generated(prompt = "Four")] pub fn four() -> u32 { 4 }

impl Counter {
    #[ai_generated(prompt_file = "tests/prompts/bump.md")]
    pub fn bump(
        &mut self,
        by: u64,
    ) -> u64
    {
        self.0 = self.0.saturating_add(by); self.0
    }

    #[ai_generated(prompt = "A counter at zero")] pub fn new() -> Self { Counter(0) }
}

/** Block docs. */
#[ai_generated(prompt = "Read the counter")]
impl Counter {
    pub fn get(&self) -> u64 { self.0 }
    #[ai_generated] pub fn is_zero(&self) -> bool { self.0 == 0 }
}
"#;

/// `(name, fingerprint signed, fingerprint computed)` for every tagged item of a source file.
fn fingerprints(src: &str) -> Vec<(String, String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = syn::parse_file(src).expect("the source parses");
    let tag = |attrs: &[syn::Attribute]| {
        let attr = attrs
            .iter()
            .find(|a| abuse_attr::fingerprint::is_ai_generated_path(a.path()))?;
        let args = abuse_attr::parse_attribute(attr).expect("the attribute parses");
        let prompt = abuse_attr::prompt_text(&args, root)
            .expect("the prompt is readable")
            .unwrap_or_default();
        let signed = args
            .signed_off
            .map(|(_, s)| s.fingerprint)
            .unwrap_or_default();
        Some((signed, prompt))
    };
    let mut out = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Fn(f) => {
                if let Some((signed, prompt)) = tag(&f.attrs) {
                    let fp = abuse_attr::fingerprint::of_item_fn(f, &prompt);
                    out.push((f.sig.ident.to_string(), signed, fp));
                }
            }
            syn::Item::Impl(i) => {
                if let Some((signed, prompt)) = tag(&i.attrs) {
                    out.push((
                        "impl".to_owned(),
                        signed,
                        abuse_attr::fingerprint::of_impl(i, &prompt),
                    ));
                }
                for impl_item in &i.items {
                    if let syn::ImplItem::Fn(f) = impl_item {
                        if let Some((signed, prompt)) = tag(&f.attrs) {
                            let fp = abuse_attr::fingerprint::of_impl_fn(f, &prompt);
                            out.push((f.sig.ident.to_string(), signed, fp));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn signoffs_in_this_file_match_parse_file_fingerprints() {
    let found = fingerprints(include_str!("signoff_matches.rs"));
    let names: Vec<&str> = found.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names, ["add", "four", "bump", "new", "impl", "is_zero"]);
    for (name, signed, computed) in &found {
        assert_eq!(signed, computed, "`{name}`");
    }
}

#[test]
fn reformatted_source_with_other_docs_gives_the_same_fingerprints() {
    let original = fingerprints(include_str!("signoff_matches.rs"));
    let reformatted = fingerprints(REFORMATTED);
    assert_eq!(original.len(), reformatted.len());
    for ((name, _, a), (_, _, b)) in original.iter().zip(&reformatted) {
        assert_eq!(a, b, "`{name}`");
    }
}

#[test]
fn tagged_items_still_work() {
    let mut c = Counter::new();
    assert!(c.is_zero());
    assert_eq!(c.bump(add(1, 2).into()), 3);
    assert_eq!(c.get(), 3);
}
