//! The plain data passed between stages: discover fills it, generate, run and report read it.
//!
//! Owned data only (strings, paths, enums), so every stage can be snapshotted and printed as JSON.
//! Paths are relative to the workspace root with forward slashes.

use serde::{Deserialize, Serialize};

pub use abuse_record::{FailureKind, Property};

/// `Deserialize` for an internally tagged enum (`#[serde(tag = "...")]` on the `Serialize` side) that reads
/// fields as they come instead of buffering the whole object first, as the derived form does: that
/// buffering made reading the discovery cache several times slower. It works because every field name
/// has one type across the enum's variants; the variant is built from the tag once the object ends.
macro_rules! deserialize_tagged {
    (
        $enum:ident, tag = $tag:literal,
        fields { $($field:ident: $fty:ty),* $(,)? },
        variants { $($name:literal => $variant:ident { $($vfield:ident),* }),+ $(,)? }
    ) => {
        impl<'de> Deserialize<'de> for $enum {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct TaggedVisitor;
                impl<'de> serde::de::Visitor<'de> for TaggedVisitor {
                    type Value = $enum;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(f, "an object with a `{}`", $tag)
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$enum, A::Error> {
                        use serde::de::Error as _;
                        let mut tag: Option<String> = None;
                        $(let mut $field: Option<$fty> = None;)*
                        while let Some(key) = map.next_key::<String>()? {
                            if key == $tag {
                                tag = Some(map.next_value()?);
                            }
                            $(else if key == stringify!($field) {
                                $field = Some(map.next_value()?);
                            })*
                            else {
                                map.next_value::<serde::de::IgnoredAny>()?;
                            }
                        }
                        let tag = tag.ok_or_else(|| A::Error::missing_field($tag))?;
                        match tag.as_str() {
                            $($name => Ok($enum::$variant {
                                $($vfield: $vfield
                                    .ok_or_else(|| A::Error::missing_field(stringify!($vfield)))?,)*
                            }),)+
                            other => Err(A::Error::unknown_variant(other, &[$($name),+])),
                        }
                    }
                }
                deserializer.deserialize_map(TaggedVisitor)
            }
        }
    };
}

mod run;
mod types;
pub use run::*;
pub use types::*;

#[cfg(test)]
mod tests;

/// Everything discovery found in the selected packages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Inventory {
    /// The workspace root, absolute.
    pub workspace_root: String,
    /// Selected packages, sorted by name.
    pub packages: Vec<Package>,
    /// Problems found while reading sources (unparseable files, missing module files, bad attributes).
    pub diagnostics: Vec<Diagnostic>,
}

impl Inventory {
    /// `f` as this inventory has it (same package, same path): the base revision's version of a function
    /// in `report --since` and `run --since`.
    pub fn counterpart(&self, f: &TaggedFn) -> Option<&TaggedFn> {
        self.packages
            .iter()
            .filter(|p| p.name == f.package)
            .flat_map(|p| &p.functions)
            .find(|o| o.path == f.path)
    }
}

/// One selected cargo package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Package {
    /// Package name as in its manifest.
    pub name: String,
    /// The library crate's name (`-` replaced by `_`), if the package has a library target.
    pub lib_crate: Option<String>,
    /// The package folder, relative to the workspace root ("" for a root package).
    pub dir: String,
    /// Manifest path, relative to the workspace root.
    pub manifest: String,
    /// Tagged functions, sorted by file, then line.
    pub functions: Vec<TaggedFn>,
    /// Structs and enums defined in the library crate, for building values of the crate's own types.
    pub types: Vec<TypeDef>,
    /// `impl Trait for Type` pairs found in the library crate, as written (last path segment of the trait).
    pub trait_impls: Vec<TraitImpl>,
    /// Features that turn on `#![feature(...)]` in the library's root: only a nightly toolchain builds them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nightly_features: Vec<String>,
    /// Traits defined in the library crate (for a do-nothing implementor of one nothing implements).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub traits: Vec<TraitDef>,
    /// Whether the library's root file declares `mod abuse_tests;` (enables in-crate harnesses).
    pub has_abuse_tests_mod: bool,
    /// The package's edition (`2015` ... `2024`; empty when unknown, taken as a recent one).
    #[serde(default)]
    pub edition: String,
    /// The features a default build turns on (`default` and what it enables, transitively): what `run`
    /// builds with, to say which `cfg(feature = ...)` functions it leaves out.
    #[serde(default)]
    pub default_features: Vec<String>,
}

/// A problem found in the sources; never fatal for the other files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// `error` (exit code 2 at the end) or `warning`.
    pub severity: Severity,
    /// File relative to the workspace root.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong, lowercase.
    pub message: String,
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The tool could not do all of its job.
    Error,
    /// Worth telling, nothing lost.
    Warning,
}

/// A function carrying `#[ai_generated]`, directly or through its inherent `impl` block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaggedFn {
    /// Package name.
    pub package: String,
    /// Crate name the function is compiled in (`my_crate`), lib or bin.
    pub crate_name: String,
    /// Whether the crate is the package's library (bin targets cannot be reached by integration tests).
    pub in_lib: bool,
    /// Path from the crate root, e.g. `net::parse_port` or `net::Port::parse` (no crate prefix).
    pub path: String,
    /// Module path from the crate root (`["net"]`), empty at the root.
    pub module_path: Vec<String>,
    /// Function name.
    pub name: String,
    /// For methods and associated functions: the `impl` block's self type as written (`Port`, `Parser<'a>`).
    pub self_type: Option<String>,
    /// How tests can reach it.
    pub reach: Reach,
    /// File, relative to the workspace root.
    pub file: String,
    /// 1-based line of the `fn` item (its first attribute).
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// 1-based line of the body's closing brace (with `line`, the function's source range).
    pub end_line: u32,
    /// `#[cfg(...)]` conditions on the way (modules and item), as written, joined with ` && `.
    pub cfg: Option<String>,
    /// The signature.
    pub signature: Signature,
    /// What the attribute records.
    pub record: Record,
    /// Current fingerprint (16 hex digits), over the function tokens and the prompt text.
    pub fingerprint: String,
    /// The fingerprint a new sign-off records: `fingerprint`, or the `impl` block's when the function is tagged
    /// through its block (whose one sign-off covers every function in it).
    pub sign_fingerprint: String,
    /// Where the `#[ai_generated]` attribute that carries the record is (the function's or its block's).
    pub attribute: AttrSite,
    /// Sign-off state against `fingerprint`.
    pub signoff: SignoffState,
    /// String and integer literals the body compares against or contains: hints for the strategies.
    pub literals: Literals,
    /// Why the function cannot be named from the in-crate harness module `crate::abuse_tests` (a private
    /// module on the way, or the function private to its module); `None` when it can.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden_in_crate: Option<String>,
    /// Its doc comment documents panics (a `# Panics` section or a line starting "Panics"): a panic found by
    /// `no_panic` may be the documented one, which the report says.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub documents_panics: bool,
    /// The names its module's `use` items bring in, with absolute paths: what its `ensures` closure and bounds
    /// may name (`Path`, `fmt::Write`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uses: Vec<UseItem>,
    /// It is a test itself (`#[test]`, `#[tokio::test]`, with no parameter): `run` runs it as it is, by its
    /// libtest name, instead of writing a harness for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<TestAttr>,
}

/// How a tagged function is a test of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestAttr {
    /// `#[test]` (or a runtime's `#[tokio::test]`): libtest runs it.
    Runs,
    /// Also `#[ignore]`: libtest skips it unless asked.
    Ignored,
}

/// The place of an attribute in its file, for `sign` to find it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AttrSite {
    /// 1-based line of the attribute's `#`.
    pub line: u32,
    /// 1-based column of the `#`, in characters.
    pub column: u32,
    /// The attribute path as written (`ai_generated`, `abuse_macros::ai_generated`, a rename).
    pub path: String,
    /// Byte ranges `sign` edits, from proc-macro2's span locations (`None` only in hand-made records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<AttrSpan>,
}

/// Where an attribute's text is in its file, in bytes from the start of the file as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttrSpan {
    /// The whole attribute, `#` to `]` (for `#[cfg_attr(.., tag(..))]`, the whole `cfg_attr`).
    pub attr: std::ops::Range<usize>,
    /// The file's text in `attr` at discovery: `sign` refuses if the file no longer holds it there.
    pub text: String,
    /// Where `signed_off` is or goes.
    pub args: ArgsSpan,
}

/// The tag's arguments (inside a `cfg_attr`, the tag's own), as far as writing `signed_off` needs them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ArgsSpan {
    /// `#[tag]`: an argument list is inserted at `insert_at`, right after the path.
    Bare {
        /// Byte offset just after the path.
        insert_at: usize,
    },
    /// `#[tag(...)]`.
    List {
        /// Byte offset just after `(`.
        open: usize,
        /// Start of the last entry's key (`author` in `author = "a"`), if any entry reads as one.
        last_entry: Option<usize>,
        /// End of the last token before `)`; `None` for an empty list.
        last_token_end: Option<usize>,
        /// Whether that last token is a `,`.
        trailing_comma: bool,
        /// The string literal of `signed_off = "..."`, where present.
        signed_off: Option<std::ops::Range<usize>>,
    },
    /// The attribute is not something `sign` can edit safely.
    Unsupported {
        /// Why, lowercase.
        reason: String,
    },
}

/// How a test can reach a function.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reach {
    /// Reachable from outside the crate at this path (crate name first), e.g. `demo::net::parse_port`
    /// or `demo::Port::parse` (shortest path, re-exports considered).
    Public {
        /// The full public path.
        path: String,
    },
    /// Only reachable from inside the crate; `path` is `crate::...`.
    CratePrivate {
        /// The in-crate path.
        path: String,
    },
}

/// A function signature, as owned data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Signature {
    /// The signature as written, normalised by re-printing (`pub fn parse_port(s: &str) -> Result<u16, PortError>`).
    pub text: String,
    /// `async fn`.
    pub is_async: bool,
    /// `const fn`.
    pub is_const: bool,
    /// `unsafe fn`.
    pub is_unsafe: bool,
    /// The receiver, for methods.
    pub receiver: Option<Receiver>,
    /// Parameters other than the receiver, in order.
    pub params: Vec<Param>,
    /// Return type; `None` for `()`.
    pub output: Option<Ty>,
    /// Generic parameters (types only; lifetimes are dropped, consts kept with kind `Const`).
    pub generics: Vec<Generic>,
}

/// A name a `use` item brings into a module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UseItem {
    /// The name in scope (`Path`, or the alias of `as`).
    pub name: String,
    /// Its path: from the crate root (`crate::net::Port`) or an external crate's (`std::path::Path`).
    pub path: String,
}

impl TaggedFn {
    /// Whether a bare `Write` in its bounds is `fmt::Write`: its module imports that one.
    pub fn uses_fmt_write(&self) -> bool {
        self.uses
            .iter()
            .any(|u| u.name == "Write" && u.path.ends_with("fmt::Write"))
    }
}

/// How a method takes `self`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Receiver {
    /// `&self`
    Ref,
    /// `&'static self` (lazy_static's `Lazy::get`): the harness leaks the receiver it builds.
    RefStatic,
    /// `&mut self`
    RefMut,
    /// `self` or `mut self`
    Value,
    /// `self: Pin<&Self>`: the harness pins the value it builds in place (`Pin::new`), for `Unpin` types.
    PinRef,
    /// `self: Pin<&mut Self>`, likewise.
    PinMut,
    /// `self: Box<Self>`, `self: Rc<Self>`, ... (not harnessed)
    Other,
}

/// One parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// Binding name; `arg{index}` when the pattern is not a plain identifier.
    pub name: String,
    /// Its type.
    pub ty: Ty,
}

/// A type as a small tree, so generation needs no parser.
///
/// JSON: an object with `kind` (`ref`, `path`, `slice`, `array`, `tuple`, `impl_trait`, `other`) and that
/// variant's fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Ty {
    /// `&T`, `&'a mut T`.
    Ref {
        /// `&mut`.
        mutable: bool,
        /// Pointee.
        inner: Box<Ty>,
    },
    /// A path type: `u8`, `String`, `Vec<T>`, `std::collections::HashMap<K, V>`, `Self`, `T`.
    Path {
        /// The path as written without generic arguments (`std::collections::HashMap`).
        path: String,
        /// Generic type arguments (lifetimes dropped).
        args: Vec<Ty>,
    },
    /// `[T]`.
    Slice {
        /// Element type.
        elem: Box<Ty>,
    },
    /// `[T; N]`.
    Array {
        /// Element type.
        elem: Box<Ty>,
        /// Length expression as written.
        len: String,
    },
    /// `(A, B)`; `()` is an empty tuple.
    Tuple {
        /// Element types.
        elems: Vec<Ty>,
    },
    /// `impl A + B`.
    ImplTrait {
        /// Bounds as written, lifetimes dropped (`AsRef<str>`, `Into<String>`, `Fn(u8) -> bool`).
        bounds: Vec<String>,
    },
    /// Anything else (fn pointers, `dyn Trait`, raw pointers, macros), as written.
    Other {
        /// The type as written.
        text: String,
    },
}

/// A generic parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Generic {
    /// Its name (`T`).
    pub name: String,
    /// Type or const.
    pub kind: GenericKind,
    /// Bounds from the parameter list and the where clause, as written (`Ord`, `AsRef<str>`).
    pub bounds: Vec<String>,
}

/// Kind of generic parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GenericKind {
    /// `T`
    Type,
    /// `const N: usize`
    Const,
}

/// What the attribute records: the accountability record and the declared properties.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Record {
    /// The prompt text (inline, or the contents of `prompt_file`).
    pub prompt: Option<String>,
    /// `prompt_file` as written, relative to the package root.
    pub prompt_file: Option<String>,
    /// The model that wrote the function.
    pub model: Option<String>,
    /// Prompt author.
    pub author: Option<String>,
    /// Reviewer.
    pub reviewer: Option<String>,
    /// Test owner.
    pub test_owner: Option<String>,
    /// The sign-off as written.
    pub signed_off: Option<SignOff>,
    /// Declared properties and settings.
    pub properties: Properties,
}

/// A parsed `signed_off = "OWNER DATE FINGERPRINT"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignOff {
    /// Who signed.
    pub owner: String,
    /// When (YYYY-MM-DD).
    pub date: String,
    /// The fingerprint signed.
    pub fingerprint: String,
}

/// Declared properties and per-function settings; expressions are kept as source text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Properties {
    /// `roundtrip = inverse`: the inverse path as written.
    pub roundtrip: Option<String>,
    /// `idempotent`.
    pub idempotent: bool,
    /// `oracle = reference`: the reference path as written.
    pub oracle: Option<String>,
    /// `ensures = closure`: the closure as source text.
    pub ensures: Option<String>,
    /// `deterministic`.
    pub deterministic: bool,
    /// `may_panic`.
    pub may_panic: bool,
    /// `timeout_ms = N`.
    pub timeout_ms: Option<u64>,
    /// `max_alloc = "64 MiB"`, in bytes.
    pub max_alloc: Option<u64>,
    /// `cases = N`.
    pub cases: Option<u32>,
    /// `strategy(param = expr, ...)`: (parameter, expression source text), in written order.
    pub strategies: Vec<(String, String)>,
    /// `invariant = path` (from the `impl` block): a `fn(&Self) -> bool` checked along a sequence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invariant: Option<String>,
    /// `model = Type` (from the `impl` block): the reference model type of a sequence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_type: Option<String>,
    /// `sequence_len = N` (from the `impl` block): at most this many calls per sequence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_len: Option<u32>,
}

/// Sign-off state of a function.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SignoffState {
    /// No `signed_off`.
    None,
    /// Signed, and the fingerprint matches.
    Current {
        /// Who signed.
        owner: String,
        /// When.
        date: String,
    },
    /// Signed, but the function or its prompt changed since.
    Stale {
        /// Who signed.
        owner: String,
        /// When.
        date: String,
        /// The fingerprint that was signed.
        signed: String,
    },
}

/// Why a function gets no harness. `Display` is the sentence the user sees (and the JSON holds, as a string):
/// what stands in the way, and what they can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// An `unsafe fn`.
    UnsafeFn,
    /// Crate-private and in a binary target.
    InBinary,
    /// Neither public nor reachable from the crate root.
    Unreachable,
    /// Reachable from the crate root in principle, but a private module or a `use` hides it there.
    HiddenInCrate {
        /// What hides it (`module `tables::gen` is private`).
        why: String,
    },
    /// Compiled only under `cfg(test)` (as the `cfg` says), which the integration-test target does not see.
    TestOnly {
        /// The function's `#[cfg]` predicates as discovery joined them.
        cfg: String,
    },
    /// A const generic parameter.
    ConstGeneric {
        /// Its name.
        name: String,
    },
    /// A type parameter whose bounds no concrete type is known to meet.
    NoConcreteType {
        /// Its name.
        name: String,
        /// Its bounds, as written.
        bounds: Vec<String>,
        /// Why no type could stand in, when that is known (a crate trait nothing implements, whose methods
        /// return values a do-nothing implementor would make up).
        why: Option<String>,
    },
    /// An associated function's type parameter that no parameter mentions, so nothing infers it.
    UninferableTypeParameter {
        /// Its name.
        name: String,
    },
    /// A receiver other than `self`, `&self`, `&mut self`.
    UnsupportedReceiver,
    /// The receiver's type cannot be built.
    Receiver {
        /// Why, from the value planner.
        why: String,
    },
    /// A parameter's type cannot be built.
    Parameter {
        /// The parameter.
        name: String,
        /// Why, from the value planner.
        why: String,
    },
    /// A parameter with the user's `strategy(...)` whose type still cannot be named.
    StrategyParameter {
        /// The parameter.
        name: String,
        /// Why, from the value planner.
        why: String,
    },
    /// Compiled only under a `cfg` a default build of the package does not set (a feature off by default),
    /// and no harness for another reason too: the build `run` makes leaves it out whatever its harness.
    LeftOut {
        /// The function's `#[cfg]` predicates as discovery joined them.
        cfg: String,
        /// Why it has no harness besides.
        why: Box<SkipReason>,
    },
    /// A tagged `#[test]` that `#[ignore]` skips: `run` runs tests as `cargo test` does.
    IgnoredTest,
    /// The generated harness did not compile (`gen`'s or `run`'s compile check), so it was replaced by this skip.
    DidNotCompile {
        /// The compiler's first error and where: `error[E0277]: the trait bound ... (tests/abuse/foo.rs:12)`.
        error: String,
    },
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::UnsafeFn => f.write_str(
                "`unsafe fn`: random inputs cannot respect its safety contract; test a safe wrapper instead",
            ),
            SkipReason::InBinary => f.write_str(
                "the function is in a binary target, which tests cannot reach; move it into the library",
            ),
            SkipReason::Unreachable => f.write_str(
                "not reachable from outside the crate nor from its root; make it `pub(crate)` or public",
            ),
            SkipReason::HiddenInCrate { why } => write!(
                f,
                "the in-crate harness (`crate::abuse_tests`) cannot name it: {why}; make it `pub(crate)`"
            ),
            SkipReason::TestOnly { cfg } => write!(
                f,
                "compiled only under `cfg({cfg})`, which the integration-test target cannot see; make it `pub(crate)` \
                 outside the test-only code, or move it out of it"
            ),
            SkipReason::ConstGeneric { name } => write!(
                f,
                "const generic `{name}` is not supported; add a wrapper with a fixed value"
            ),
            SkipReason::NoConcreteType { name, bounds, why } => write!(
                f,
                "no concrete type for `{name}: {}`{}; give `strategy(...)` for the parameters that use it or add a concrete wrapper",
                bounds.join(" + "),
                why.as_deref().map(|w| format!(" ({w})")).unwrap_or_default()
            ),
            SkipReason::UninferableTypeParameter { name } => write!(
                f,
                "type parameter `{name}` appears in no parameter, so the harness cannot choose it; add a wrapper \
                 with a concrete type"
            ),
            SkipReason::UnsupportedReceiver => f.write_str(
                "receiver type (`self: Box<Self>`, `Rc<Self>`...) is not supported; add an `&self` wrapper",
            ),
            SkipReason::Receiver { why } => write!(f, "receiver: {why}"),
            SkipReason::Parameter { name, why } => write!(f, "parameter `{name}`: {why}"),
            SkipReason::StrategyParameter { why, .. } => f.write_str(why),
            SkipReason::LeftOut { cfg, why } => write!(
                f,
                "compiled only with `{cfg}`, which a default build does not set; with it: {why}"
            ),
            SkipReason::IgnoredTest => f.write_str(
                "a `#[test]` marked `#[ignore]`, which `run` skips as `cargo test` does; run it with \
                 `cargo test -- --ignored`",
            ),
            SkipReason::DidNotCompile { error } => write!(f, "harness did not compile: {error}"),
        }
    }
}

/// As its sentence, the shape the JSON had when reasons were strings.
impl Serialize for SkipReason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// State of a function's generated harness.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum HarnessState {
    /// Not generated yet (or not known: discovery alone does not look).
    Missing,
    /// Generated and up to date.
    Current,
    /// Generated for another fingerprint or another cargo-abuse version.
    Stale,
    /// None needed: a tagged `#[test]`, which `run` runs as it is.
    OwnTest,
    /// No harness can be generated; the reason says what the user can do.
    Unsupported {
        /// Why, and what to do: a [`SkipReason`]'s sentence (text, so a stored inventory reads back).
        reason: String,
    },
}

/// Literals mined from a function body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Literals {
    /// String and byte-string literals (byte strings lossily as UTF-8), deduplicated, sorted, at most 32.
    pub strings: Vec<String>,
    /// Integer literals, deduplicated, sorted, at most 32.
    pub ints: Vec<i128>,
    /// Byte literals (`b"\x89PNG"`, `b'x'`, arrays of integer literals that fit a byte), compared ones
    /// first, deduplicated, at most 16.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bytes: Vec<Vec<u8>>,
    /// String literals (and the text pieces of `format!`-like templates) in the order the body uses them,
    /// deduplicated, at most 32: keyword compositions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<String>,
    /// Float literals, deduplicated, at most 16.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub floats: Vec<f64>,
    /// String literals of the function's own doc examples (valid inputs by construction), then those the
    /// tests and docs of a dependency pass to the dependency's functions this one calls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
    /// Paths of the functions the body calls, as written (`bcrypt::verify`), at most 16: where to look for
    /// more valid inputs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub callees: Vec<String>,
}

deserialize_tagged!(Reach, tag = "kind",
    fields { path: String },
    variants { "public" => Public { path }, "crate_private" => CratePrivate { path } });

deserialize_tagged!(Ty, tag = "kind",
fields {
    mutable: bool, inner: Box<Ty>, path: String, args: Vec<Ty>, elem: Box<Ty>, len: String,
    elems: Vec<Ty>, bounds: Vec<String>, text: String,
},
variants {
    "ref" => Ref { mutable, inner },
    "path" => Path { path, args },
    "slice" => Slice { elem },
    "array" => Array { elem, len },
    "tuple" => Tuple { elems },
    "impl_trait" => ImplTrait { bounds },
    "other" => Other { text },
});

deserialize_tagged!(SignoffState, tag = "state",
fields { owner: String, date: String, signed: String },
variants {
    "none" => None {},
    "current" => Current { owner, date },
    "stale" => Stale { owner, date, signed },
});

deserialize_tagged!(HarnessState, tag = "state",
fields { reason: String },
variants {
    "missing" => Missing {},
    "current" => Current {},
    "stale" => Stale {},
    "unsupported" => Unsupported { reason },
});

deserialize_tagged!(TypeShape, tag = "kind",
    fields { fields: Vec<Field>, variants: Vec<Variant> },
    variants { "struct" => Struct { fields }, "enum" => Enum { variants } });

/// Std traits every primitive number implements besides the markers (operators take any arguments: a wrong
/// one is the compile check's to find). Discovery's blanket impls and the planner's implementors read both.
pub const PRIMITIVE_NUMERIC_TRAITS: &[&str] = &[
    "Add",
    "Sub",
    "Mul",
    "Div",
    "Rem",
    "Neg",
    "Not",
    "BitAnd",
    "BitOr",
    "BitXor",
    "Shl",
    "Shr",
    "AddAssign",
    "SubAssign",
    "MulAssign",
    "DivAssign",
    "RemAssign",
    "Sum",
    "Product",
    "FromStr",
    "LowerHex",
    "UpperHex",
    "Octal",
    "Binary",
    "LowerExp",
    "UpperExp",
];

/// Marker bounds primitives (and arrays of them) satisfy; floats lack the total ones.
pub const PRIMITIVE_MARKERS: &[&str] = &[
    "?Sized",
    "Sized",
    "Send",
    "Sync",
    "Unpin",
    "Copy",
    "Clone",
    "Debug",
    "Default",
    "PartialEq",
    "PartialOrd",
    "Eq",
    "Ord",
    "Hash",
    "Display",
    "ToString",
    "'static",
];

/// Std traits a unit struct gets by `#[derive]` (a do-nothing implementor of a crate trait derives them all).
pub const DERIVABLE_STD_TRAITS: &[&str] = &[
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
];

/// Auto traits and markers a plain struct meets without a derive.
pub const AUTO_MARKERS: &[&str] = &["Send", "Sync", "Sized", "?Sized", "Unpin", "'static"];

/// A primitive integer type's name.
pub fn is_integer_type(name: &str) -> bool {
    matches!(
        name,
        "u8" | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "i8"
            | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
    )
}
