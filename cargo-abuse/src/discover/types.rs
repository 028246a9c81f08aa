//! The crate's types and their constructors (syn, through `discover`): structs and enums with fields,
//! derives and generics, the constructors and constants that build them, and whether the in-crate harness
//! can name them. Functions are tied to their type by name resolution (`reach`).

use std::collections::HashMap;

use super::reach::{Target, TypeLookup};
use super::signature::{generics_of, ty_of};
use super::tokens::type_text;
use super::tree::{Module, Tree};
use crate::model::{ConstValue, Constructor, CtorReturn, Field, FreeFnPath, TypeDef, TypeShape};
use quote::ToTokens;

/// The last path segment of an impl's self type (`Port` for `net::Port<'a>`).
pub(super) fn self_type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => {
            p.path.segments.last().map(|s| s.ident.to_string())
        }
        syn::Type::Group(g) => self_type_name(&g.elem),
        syn::Type::Paren(p) => self_type_name(&p.elem),
        _ => None,
    }
}

/// The type a free function returns, plain or inside `Option`/`Result` (last path segment).
pub(super) fn returned_type_name(output: &syn::ReturnType) -> Option<String> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(p) = &**ty else {
        return None;
    };
    let seg = p.path.segments.last()?;
    let name = seg.ident.to_string();
    if name != "Option" && name != "Result" {
        return Some(name);
    }
    let syn::PathArguments::AngleBracketed(args) = &seg.arguments else {
        return None;
    };
    match args.args.first() {
        Some(syn::GenericArgument::Type(syn::Type::Path(inner))) => {
            inner.path.segments.last().map(|s| s.ident.to_string())
        }
        _ => None,
    }
}

/// The type a constant is declared with (`T` or `&T`), as its last path segment, and whether by reference.
pub(super) fn const_type_name(ty: &syn::Type) -> Option<(String, bool)> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => {
            p.path.segments.last().map(|s| (s.ident.to_string(), false))
        }
        syn::Type::Reference(r) if r.mutability.is_none() => const_type_name(&r.elem)
            .filter(|(_, by_ref)| !by_ref)
            .map(|(n, _)| (n, true)),
        _ => None,
    }
}

/// Whether every module from the root to `module` is declared `pub`.
pub(super) fn is_public_chain(tree: &Tree, module: usize) -> bool {
    let mut m = Some(module);
    while let Some(i) = m {
        if !tree.modules[i].is_pub {
            return false;
        }
        m = tree.modules[i].parent;
    }
    true
}

/// How a constructor of `type_name` returns it: plain, in an `Option` or in a `Result`.
pub(super) fn ctor_return(output: &syn::ReturnType, type_name: &str) -> Option<CtorReturn> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let names_self = |t: &syn::Type| match t {
        syn::Type::Path(p) if p.qself.is_none() => p
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Self" || s.ident == type_name),
        _ => false,
    };
    if names_self(ty) {
        return Some(CtorReturn::Plain);
    }
    let syn::Type::Path(p) = &**ty else {
        return None;
    };
    let seg = p.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &seg.arguments else {
        return None;
    };
    let Some(syn::GenericArgument::Type(first)) = args.args.first() else {
        return None;
    };
    if !names_self(first) {
        return None;
    }
    match seg.ident.to_string().as_str() {
        "Option" => Some(CtorReturn::Option),
        "Result" => Some(CtorReturn::Result),
        _ => None,
    }
}

/// Fields with their types and whether they are strictly `pub`.
pub(super) fn fields_of(fields: &syn::Fields) -> Vec<Field> {
    fields
        .iter()
        .map(|f| Field {
            name: f.ident.as_ref().map(ToString::to_string),
            ty: ty_of(&f.ty),
            // Strictly `pub`: a `pub(crate)` field cannot be set from the integration-test target.
            public: matches!(f.vis, syn::Visibility::Public(_)),
        })
        .collect()
}

/// Why an item of `module` cannot be named from `crate::abuse_tests` (a child of the crate root): a private
/// module below the first level, or the item itself private to a module other than the root.
pub(super) fn hidden_from_root(tree: &Tree, module: usize, item_private: bool) -> Option<String> {
    let path = &tree.modules[module].path;
    if item_private && !path.is_empty() {
        return Some(format!("it is private to module `{}`", path.join("::")));
    }
    let mut m = Some(module);
    let mut blocked = None;
    while let Some(i) = m {
        let node = &tree.modules[i];
        if node.path.len() >= 2 && node.is_private {
            blocked = Some(format!("module `{}` is private", node.path.join("::")));
        }
        m = node.parent;
    }
    blocked
}

/// A struct or enum of `module`, constructors and constants not yet attached.
#[allow(clippy::too_many_arguments)] // one call site; the arguments are the walk's state
pub(super) fn type_def(
    module: &Module,
    tree: &Tree,
    module_index: usize,
    item_private: bool,
    ident: &syn::Ident,
    generics: &syn::Generics,
    attrs: &[syn::Attribute],
    shape: TypeShape,
) -> TypeDef {
    let mut path = module.path.clone();
    path.push(ident.to_string());
    let mut derives = Vec::new();
    for a in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let parsed = a.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        );
        if let Ok(paths) = parsed {
            derives.extend(
                paths
                    .iter()
                    .filter_map(|p| p.segments.last().map(|s| s.ident.to_string())),
            );
        }
    }
    TypeDef {
        name: ident.to_string(),
        path: path.join("::"),
        public_path: None,
        generics: generics_of(generics),
        param_defaults: param_defaults(generics),
        derives,
        shape,
        constructors: Vec::new(),
        consts: Vec::new(),
        hidden_in_crate: hidden_from_root(tree, module_index, item_private),
    }
}
/// The declared defaults of a type's parameters, in the order of [`generics_of`] (lifetimes dropped); empty
/// when none has one.
fn param_defaults(generics: &syn::Generics) -> Vec<Option<String>> {
    let defaults: Vec<Option<String>> = generics
        .params
        .iter()
        .filter_map(|p| match p {
            syn::GenericParam::Type(t) => {
                Some(t.default.as_ref().map(|d| type_text(d.to_token_stream())))
            }
            syn::GenericParam::Const(_) => Some(None),
            syn::GenericParam::Lifetime(_) => None,
        })
        .collect();
    if defaults.iter().all(Option::is_none) {
        return Vec::new();
    }
    defaults
}

/// The crate's types, each with its public path and the constructors and constants found for it.
pub(super) fn attach(
    tree: &Tree,
    public: &HashMap<Target, String>,
    lookup: &TypeLookup<'_>,
    found: TypeParts,
) -> Vec<TypeDef> {
    let TypeParts {
        types,
        method_ctors,
        factories,
        free_ctors,
        failing_statics,
        consts,
    } = found;
    // `Owner::name` for an associated function that fails with another type: the owner's paths.
    let failing_statics: Vec<(Option<Target>, MethodCtor)> = failing_statics
        .into_iter()
        .filter_map(|f| {
            let Some(owner @ Target::Type { module, .. }) = lookup.find(f.module, &f.owner) else {
                return None;
            };
            let mut path = tree.modules[module].path.clone();
            path.push(f.owner.clone());
            path.push(f.ctor.name.clone());
            let mut ctor = f.ctor;
            ctor.free_fn = Some(FreeFnPath {
                path: path.join("::"),
                public_path: public
                    .get(&owner)
                    .filter(|_| ctor.public)
                    .map(|p| format!("{p}::{}", ctor.name)),
            });
            let target = lookup.find(f.module, &f.type_name);
            Some((
                target,
                MethodCtor {
                    module: f.module,
                    type_name: f.type_name,
                    ctor,
                },
            ))
        })
        .collect();
    let factory_targets: Vec<Option<Target>> = factories
        .iter()
        .map(|c| lookup.find(c.module, &c.type_name))
        .collect();
    let method_targets: Vec<Option<Target>> = method_ctors
        .iter()
        .map(|c| lookup.find(c.module, &c.type_name))
        .collect();
    let free_targets: Vec<Option<Target>> = free_ctors
        .iter()
        .map(|c| lookup.find(c.module, &c.type_name))
        .collect();
    let const_targets: Vec<Option<Target>> = consts
        .iter()
        .map(|c| lookup.find(c.module, &c.type_name))
        .collect();
    let mut out = Vec::new();
    for FoundType {
        module,
        item,
        mut def,
    } in types
    {
        let this = Some(Target::Type { module, item });
        def.public_path = this.and_then(|t| public.get(&t)).cloned();
        for (free, target) in free_ctors.iter().zip(&free_targets) {
            if *target != this {
                continue;
            }
            let mut path = tree.modules[free.module].path.clone();
            path.push(free.ctor.name.clone());
            let mut ctor = free.ctor.clone();
            ctor.free_fn = Some(FreeFnPath {
                path: path.join("::"),
                public_path: if ctor.public {
                    public
                        .get(&Target::Fn {
                            module: free.module,
                            item: free.item,
                        })
                        .cloned()
                } else {
                    None
                },
            });
            def.constructors.push(ctor);
        }
        for (c, target) in consts.iter().zip(&const_targets) {
            if *target != this {
                continue;
            }
            let name = &c.name;
            let (path, public_path) = match c.kind {
                ConstKind::Module => {
                    let mut path = tree.modules[c.module].path.clone();
                    path.push(name.clone());
                    let public_path = public
                        .get(&Target::Module(c.module))
                        .filter(|_| is_public_chain(tree, c.module))
                        .map(|p| format!("{p}::{name}"));
                    (path.join("::"), public_path)
                }
                ConstKind::Associated => (
                    format!("{}::{name}", def.path),
                    def.public_path.as_ref().map(|p| format!("{p}::{name}")),
                ),
            };
            def.consts.push(ConstValue {
                path,
                public_path,
                by_ref: c.by_ref,
            });
        }
        let mut own: Vec<Constructor> = method_ctors
            .iter()
            .zip(&method_targets)
            .filter(|(c, target)| c.type_name == def.name && **target == this)
            .map(|(c, _)| c.ctor.clone())
            .collect();
        own.append(&mut def.constructors);
        def.constructors = own;
        def.constructors.sort_by(|a, b| a.name.cmp(&b.name));
        // Factories last (the plan tries them only when nothing of the type's own builds it), then the
        // associated functions of other types that fail with it.
        def.constructors.extend(
            factories
                .iter()
                .zip(&factory_targets)
                .chain(failing_statics.iter().map(|(t, c)| (c, t)))
                .filter(|(c, target)| c.type_name == def.name && **target == this)
                .map(|(c, _)| c.ctor.clone()),
        );
        out.push(def);
    }
    out
}

/// What the items of a crate hold for its types, before names are resolved.
#[derive(Default)]
pub(super) struct TypeParts {
    pub(super) types: Vec<FoundType>,
    pub(super) method_ctors: Vec<MethodCtor>,
    /// Methods of other types that return one (`crate::model::Factory`).
    pub(super) factories: Vec<MethodCtor>,
    pub(super) free_ctors: Vec<FreeCtor>,
    /// Associated functions of other types that fail with one (`CtorReturn::Err`).
    pub(super) failing_statics: Vec<StaticFailure>,
    pub(super) consts: Vec<FoundConst>,
}

/// An associated function of `owner`'s inherent impl that fails with the crate type `type_name`
/// (`SmallIndex::new(usize) -> Result<SmallIndex, SmallIndexError>`).
pub(super) struct StaticFailure {
    pub(super) module: usize,
    /// The impl's self type, last segment.
    pub(super) owner: String,
    /// The type it fails with, last segment.
    pub(super) type_name: String,
    pub(super) ctor: Constructor,
}

/// A struct or enum.
pub(super) struct FoundType {
    pub(super) module: usize,
    /// Index in the module's items.
    pub(super) item: usize,
    pub(super) def: TypeDef,
}

/// An associated function of an inherent impl that returns its self type (plain, `Option` or `Result`).
pub(super) struct MethodCtor {
    pub(super) module: usize,
    /// The impl's self type, last segment.
    pub(super) type_name: String,
    pub(super) ctor: Constructor,
}

/// A free function (lifetime generics only, safe, sync) that returns a type, plain or in `Option`/`Result`.
pub(super) struct FreeCtor {
    pub(super) module: usize,
    /// Index in the module's items.
    pub(super) item: usize,
    /// The returned type's last segment.
    pub(super) type_name: String,
    pub(super) ctor: Constructor,
}

/// A public constant whose type may be a crate type (`T` or `&T`).
pub(super) struct FoundConst {
    pub(super) module: usize,
    /// The type as written, last segment (an associated const's `Self` is its impl's type).
    pub(super) type_name: String,
    pub(super) kind: ConstKind,
    pub(super) name: String,
    /// Declared as `&T`.
    pub(super) by_ref: bool,
}

/// Where a constant is declared.
#[derive(Clone, Copy)]
pub(super) enum ConstKind {
    /// At module level: public where its module is.
    Module,
    /// In an inherent impl: public where its type is.
    Associated,
}

#[cfg(test)]
mod tests {
    use crate::discover::tests::lib;
    use crate::model::{CtorReturn, TraitImpl, TypeShape};

    #[test]
    fn constants_free_constructors_and_in_crate_visibility_are_recorded() {
        let inv = lib(r#"
            pub mod set {
                #[derive(Debug, Clone, Copy)]
                pub struct Set { mask: [u32; 4] }
                impl Set { pub const EMPTY: Self = Set { mask: [0; 4] }; }
                pub const CONTROLS: &Set = &Set::EMPTY;
                pub fn parse_set(s: &str) -> Option<Set> { None }
            }
            mod tables {
                mod gen { pub struct Row; }
                pub(crate) struct Open;
            }
        "#);
        let types = &inv.packages[0].types;
        let set = types.iter().find(|t| t.name == "Set").expect("Set");
        let consts: Vec<(&str, Option<&str>, bool)> = set
            .consts
            .iter()
            .map(|c| (c.path.as_str(), c.public_path.as_deref(), c.by_ref))
            .collect();
        assert_eq!(
            consts,
            [
                ("set::Set::EMPTY", Some("demo::set::Set::EMPTY"), false),
                ("set::CONTROLS", Some("demo::set::CONTROLS"), true),
            ]
        );
        let free = set
            .constructors
            .iter()
            .find(|c| c.name == "parse_set")
            .expect("free constructor");
        assert_eq!(free.returns, CtorReturn::Option);
        let path = free.free_fn.as_ref().expect("free fn path");
        assert_eq!(path.public_path.as_deref(), Some("demo::set::parse_set"));
        let row = types.iter().find(|t| t.name == "Row").expect("Row");
        assert!(row.hidden_in_crate.is_some(), "{row:?}");
        let open = types.iter().find(|t| t.name == "Open").expect("Open");
        assert_eq!(open.hidden_in_crate, None);
    }

    #[test]
    fn types_record_fields_derives_constructors_and_public_paths() {
        let inv = lib(r#"
            mod inner {
                #[derive(Debug, Clone, arbitrary::Arbitrary)]
                pub struct Port { pub n: u16, secret: bool }
                impl Port {
                    pub fn new(n: u16) -> Self { Port { n, secret: false } }
                    pub fn parse(s: &str) -> Result<Port, String> { todo!() }
                    pub fn get(&self) -> u16 { self.n }
                    fn hidden() -> Option<Self> { None }
                }
                pub enum Mode<T> { Off, On(T), Named { x: u8 } }
            }
            pub use inner::Port;
            impl std::fmt::Display for inner::Port { fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result { Ok(()) } }
        "#);
        let types = &inv.packages[0].types;
        let port = types.iter().find(|t| t.name == "Port").expect("Port");
        assert_eq!(port.path, "inner::Port");
        assert_eq!(port.public_path.as_deref(), Some("demo::Port"));
        assert_eq!(port.derives, ["Debug", "Clone", "Arbitrary"]);
        let TypeShape::Struct { fields } = &port.shape else {
            panic!("struct")
        };
        assert_eq!(
            fields.iter().map(|f| f.public).collect::<Vec<_>>(),
            [true, false]
        );
        let ctors: Vec<(&str, bool, CtorReturn)> = port
            .constructors
            .iter()
            .map(|c| (c.name.as_str(), c.public, c.returns))
            .collect();
        assert_eq!(
            ctors,
            [
                ("hidden", false, CtorReturn::Option),
                ("new", true, CtorReturn::Plain),
                ("parse", true, CtorReturn::Result)
            ]
        );
        let mode = types.iter().find(|t| t.name == "Mode").expect("Mode");
        assert_eq!(mode.public_path, None);
        assert_eq!(mode.generics[0].name, "T");
        let TypeShape::Enum { variants } = &mode.shape else {
            panic!("enum")
        };
        assert_eq!(
            variants
                .iter()
                .map(|v| (v.name.as_str(), v.fields.len(), v.named))
                .collect::<Vec<_>>(),
            [("Off", 0, false), ("On", 1, false), ("Named", 1, true)]
        );
        assert_eq!(
            inv.packages[0].trait_impls,
            [TraitImpl {
                trait_name: "Display".into(),
                type_name: "Port".into(),
                trait_args: vec![]
            }]
        );
    }
}
