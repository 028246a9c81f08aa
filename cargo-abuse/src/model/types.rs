//! The crate's own types as discovery found them: definitions, fields, variants, constants, constructors and
//! trait impls (what `plan` builds values of a type from).

use serde::{Deserialize, Serialize};

use super::{Generic, Param, Receiver, Ty};

/// A struct or enum of the library crate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeDef {
    /// Type name.
    pub name: String,
    /// Path from the crate root (`net::Port`).
    pub path: String,
    /// Public path from outside (`demo::net::Port`), if reachable.
    pub public_path: Option<String>,
    /// Generic parameters; types with generics are built only when they have none or via Arbitrary.
    pub generics: Vec<Generic>,
    /// The declared default of each of `generics`, by position (`struct BitVec<B = u32>` → `[Some("u32")]`);
    /// empty when none has one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub param_defaults: Vec<Option<String>>,
    /// Derived traits (last path segment: `Debug`, `Clone`, `Arbitrary`, `Default`, `PartialEq`).
    pub derives: Vec<String>,
    /// Shape.
    pub shape: TypeShape,
    /// Associated functions of inherent impls that return `Self`, `Option<Self>` or `Result<Self, _>`.
    pub constructors: Vec<Constructor>,
    /// Public constants of the type (`pub const STANDARD: Engine`, `impl T { pub const EMPTY: Self }`,
    /// `pub const CONTROLS: &T`): known-valid values, used when no constructor serves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consts: Vec<ConstValue>,
    /// Why the type cannot be named from `crate::abuse_tests` (see `TaggedFn::hidden_in_crate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden_in_crate: Option<String>,
}

/// The shape of a type definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeShape {
    /// `struct S { a: T }` / `struct S(T)` / `struct S;`.
    Struct {
        /// Fields; unnamed fields have `name: None`.
        fields: Vec<Field>,
    },
    /// `enum E { A, B(T), C { x: T } }`.
    Enum {
        /// Variants.
        variants: Vec<Variant>,
    },
}

/// A struct or variant field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// Name, or `None` for tuple fields.
    pub name: Option<String>,
    /// Type.
    pub ty: Ty,
    /// Strictly `pub` (a `pub(crate)` field counts as private: integration tests cannot set it).
    pub public: bool,
}

/// An enum variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    /// Name.
    pub name: String,
    /// Fields (empty for unit variants).
    pub fields: Vec<Field>,
    /// Whether fields are named (`{ x: T }`).
    pub named: bool,
}

/// A constant whose type is a crate type (or a reference to it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConstValue {
    /// Path from the crate root (`engine::STANDARD`, `AsciiSet::EMPTY`).
    pub path: String,
    /// Public path from outside, if reachable.
    pub public_path: Option<String>,
    /// Declared as `&T` (the value is cloned out of the reference).
    pub by_ref: bool,
}

/// A constructor candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Constructor {
    /// Function name (`new`, `parse`, `from_str`).
    pub name: String,
    /// Whether it is `pub` (reachable wherever the type is) and not `#[doc(hidden)]` (not the public API).
    pub public: bool,
    /// Parameters (no receiver).
    pub params: Vec<Param>,
    /// How it returns `Self`.
    pub returns: CtorReturn,
    /// For a free function returning the type (`fn percent_decode(&[u8]) -> PercentDecode`): its path from
    /// the crate root and its public path; `None` for associated functions (`Type::name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_fn: Option<FreeFnPath>,
    /// String literals of its doc examples (valid inputs by construction): `gen` adds them to the hints of
    /// the harnesses that build values with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
    /// For a constructor that is a trait's (`impl FromStr for Version`): the trait's path, called as
    /// `<Type as Trait>::name` so the harness need not import it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via_trait: Option<String>,
    /// Its own type parameters with their bounds (`new<I: IntoIterator<Item = P>, P: AsRef<[u8]>>`): the plan
    /// chooses a type for each before planning the arguments that name them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub generics: Vec<Generic>,
    /// The parameters declared `&'static T` (the model's types drop lifetimes): their built values are leaked,
    /// since a value of the harness cannot be lent for `'static`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub static_params: Vec<String>,
    /// For a method of another type that returns this one (`Encoding::new_encoder(&self, ..) -> Encoder<'_>`,
    /// `SmallVec<A>`'s `IntoIterator::into_iter(self) -> IntoIter<A>`): the value it is called on. Such a
    /// factory builds the type only when nothing of the type's own does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factory: Option<Factory>,
}

/// The value a factory method is called on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factory {
    /// The impl's self type as written (`SmallVec<A>`, `Encoding`), lifetimes dropped.
    pub owner: Ty,
    /// The impl's type parameters with their bounds (`A: Array`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owner_generics: Vec<Generic>,
    /// How the method takes `self`.
    pub receiver: Receiver,
    /// The returned type's arguments as written (`[A]` for `IntoIter<A>`), lifetimes dropped: each that is one
    /// of the impl's parameters takes the type chosen for the built type's parameter at that position.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub returns_args: Vec<Ty>,
}

/// Where a free-function constructor is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FreeFnPath {
    /// Path from the crate root (`percent_decode`, `date::format_rfc3339`).
    pub path: String,
    /// Public path from outside, if reachable.
    pub public_path: Option<String>,
}

/// How a constructor returns `Self`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CtorReturn {
    /// `Self` / `TypeName`.
    Plain,
    /// `Option<Self>`.
    Option,
    /// `Result<Self, _>`.
    Result,
    /// `Result<_, Self>`: a function that fails with the type (`SmallIndex::new(usize) -> Result<SmallIndex,
    /// SmallIndexError>` builds a `SmallIndexError`); the harness keeps its `Err` and rejects an `Ok`. Only for a
    /// type with no constructor of its own (error types with accessors and no `new`).
    Err,
}

/// A trait the library crate defines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraitDef {
    /// Trait name.
    pub name: String,
    /// Path from the crate root (`parse::Receiver`).
    pub path: String,
    /// Public path from outside (`utf8parse::Receiver`), if reachable.
    pub public_path: Option<String>,
    /// The path the in-crate harness names it by (`crate::Receiver`), if it can.
    pub crate_path: Option<String>,
    /// The required methods of a do-nothing implementor, every argument `_` (`fn codepoint(&mut self, _: char)
    /// {}`), or why there can be none (`` `next` returns a value ``).
    pub noop: Result<Vec<String>, String>,
}

/// `impl Trait for Type`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraitImpl {
    /// Last segment of the trait path (`Display`, `Shape`, `Arbitrary`).
    pub trait_name: String,
    /// Self type name (last segment, no generics).
    pub type_name: String,
    /// The trait's type arguments as written (`["String"]` for `impl Holds<String> for Bag`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trait_args: Vec<String>,
}
