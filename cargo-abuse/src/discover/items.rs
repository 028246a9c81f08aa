//! Items (syn's `Visit`, through `discover`): per module, the tagged functions (free, in inherent impls,
//! every `pub` fn of a tagged impl), the structs and enums with the constructors and constants that build
//! them, and the trait impls. Names are resolved afterwards (`reach`), once every module is read.

use std::collections::HashSet;
use std::rc::Rc;

use quote::ToTokens;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

use super::literals::{doc_example_strings, literals_of};
use super::reach::Target;
use super::signature::{
    generics_of, params_of, signature_of, static_params_of, std_type_renames, unrename,
};
use super::span::attr_site;
use super::tags::{
    attr_renames, is_tag, make_record, read_attribute, signoff_state, strip_renamed,
};
use super::tokens::type_text;
use super::tree::{cfg_predicates, Module, Tree};
use super::types::{
    const_type_name, ctor_return, fields_of, returned_type_name, self_type_name, type_def,
    ConstKind, FoundConst, FoundType, FreeCtor, MethodCtor, StaticFailure,
};
use super::Ctx;
use crate::model::{
    Constructor, CtorReturn, Reach, Record, Severity, TaggedFn, TraitImpl, TypeShape, Variant,
};
use crate::workspace::{PackageSources, TargetSource};

/// A tagged function found in a module, before reach is known.
pub(super) struct FoundFn {
    pub(super) module: usize,
    /// The self type's name (last segment), for methods.
    pub(super) owner_type: Option<String>,
    /// The function's own definition, for free functions.
    pub(super) target: Option<Target>,
    pub(super) tagged: TaggedFn,
    /// Strictly `pub` (for public reach).
    pub(super) is_pub: bool,
    /// No visibility at all (for in-crate reach from `crate::abuse_tests`).
    pub(super) is_private: bool,
}

/// What the items of a crate hold, before names are resolved.
#[derive(Default)]
pub(super) struct Items {
    pub(super) functions: Vec<FoundFn>,
    pub(super) type_parts: super::types::TypeParts,
    pub(super) trait_impls: Vec<TraitImpl>,
    /// `impl<P: ...> Trait for P`, expanded into `trait_impls` once the crate's impls are known.
    pub(super) blankets: Vec<super::blankets::Blanket>,
    /// Integer constants with a literal value, for array lengths written with one.
    pub(super) lengths: super::lengths::LengthConsts,
    /// The crate's own traits, by where they are defined (lib only).
    pub(super) traits: Vec<(Target, crate::model::TraitDef)>,
}

/// Reads the items of every module of `tree`.
pub(super) fn collect(
    ctx: &mut Ctx,
    package: &PackageSources,
    target: &TargetSource,
    tree: &Tree,
) -> Items {
    let mut out = Items::default();
    for (mi, module) in tree.modules.iter().enumerate() {
        let mut visitor = ModuleItems {
            ctx: &mut *ctx,
            package,
            target,
            tree,
            module: mi,
            item: 0,
            renames: attr_renames(&module.items),
            current_impl: None,
            out: &mut out,
        };
        for (ii, item) in module.items.iter().enumerate() {
            visitor.item = ii;
            visitor.visit_item(item);
        }
    }
    // Crate traits implemented through `macro_rules!` (`impl_integer!(i8 i16 u32)`).
    if target.is_lib {
        for imp in super::macros::macro_trait_impls(tree) {
            if let (Some(type_name), Some((_, trait_path, _))) = (impl_type_name(&imp), &imp.trait_)
            {
                out.trait_impls
                    .extend(trait_impl_record(trait_path, type_name));
            }
        }
    }
    out.lengths.resolve(&mut out.functions);
    let blankets = std::mem::take(&mut out.blankets);
    let added = super::blankets::expand(&blankets, &out.trait_impls);
    out.trait_impls.extend(added);
    out
}

/// The visitor over one module's items (not nested ones: child modules are nodes of their own, and
/// items inside function bodies are not listed).
struct ModuleItems<'c, 'ast> {
    ctx: &'c mut Ctx,
    package: &'c PackageSources,
    target: &'c TargetSource,
    tree: &'ast Tree,
    /// Index of the module in the tree.
    module: usize,
    /// Index of the item being visited in the module's items.
    item: usize,
    /// The tag's local names in this module.
    renames: HashSet<String>,
    /// The inherent impl whose members are being visited.
    current_impl: Option<Rc<InherentImpl<'ast>>>,
    out: &'c mut Items,
}

/// An inherent `impl` block, as its members need it.
struct InherentImpl<'ast> {
    imp: &'ast syn::ItemImpl,
    /// The self type's last segment (`Port` for `net::Port<'a>`).
    type_name: String,
    /// The self type as written.
    self_text: String,
    /// The block's own tag, if tagged.
    tag: Option<BlockTag<'ast>>,
    /// `#[cfg]` predicates of the module and the block.
    cfgs: Vec<String>,
}

/// The tag of an `impl` block: its record covers every `pub` fn without a tag of its own.
struct BlockTag<'ast> {
    args: abuse_attr::AttrArgs,
    record: Record,
    /// The block's fingerprint: one sign-off covers the whole block.
    fingerprint: String,
    attr: &'ast syn::Attribute,
}

/// What `make_fn` needs of a tagged function.
struct FnParts<'ast> {
    /// For methods: the self type as written and its last segment.
    self_type: Option<(String, String)>,
    vis: &'ast syn::Visibility,
    sig: &'ast syn::Signature,
    impl_generics: Option<&'ast syn::Generics>,
    body: &'ast syn::Block,
    attrs: &'ast [syn::Attribute],
    cfgs: Vec<String>,
    record: Record,
    /// Over the function's tokens and the prompt.
    fingerprint: String,
    /// What a sign-off must record: `fingerprint`, or the block's for a function tagged through its block.
    sign_fingerprint: String,
    /// The tag carrying the record (the function's or its block's).
    attr: &'ast syn::Attribute,
}

impl<'ast> Visit<'ast> for ModuleItems<'_, 'ast> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        match item {
            syn::Item::Const(c) => self.visit_item_const(c),
            syn::Item::Fn(f) => self.visit_item_fn(f),
            syn::Item::Impl(i) => self.visit_item_impl(i),
            syn::Item::Struct(s) => self.visit_item_struct(s),
            syn::Item::Enum(e) => self.visit_item_enum(e),
            syn::Item::Trait(t) if self.target.is_lib => {
                let target = Target::Trait {
                    module: self.module,
                    item: self.item,
                };
                let def = super::traits::trait_def(&self.node().path, t);
                self.out.traits.push((target, def));
            }
            syn::Item::Macro(m) => self.tags_in_macro(&m.mac),
            _ => {}
        }
    }

    fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
        self.out.lengths.record(self.module, c);
        if !self.target.is_lib || matches!(c.vis, syn::Visibility::Inherited) {
            return;
        }
        if let Some((type_name, by_ref)) = const_type_name(&c.ty) {
            self.out.type_parts.consts.push(FoundConst {
                module: self.module,
                type_name,
                kind: ConstKind::Module,
                name: c.ident.to_string(),
                by_ref,
            });
        }
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if self.target.is_lib
            && f.sig
                .generics
                .params
                .iter()
                .all(|g| matches!(g, syn::GenericParam::Lifetime(_)))
            && f.sig.unsafety.is_none()
            && f.sig.asyncness.is_none()
        {
            // The function as a free constructor of `type_name`, returning it as `returns`.
            let ctor = |type_name: String, returns: CtorReturn, examples: Vec<String>| FreeCtor {
                module: self.module,
                item: self.item,
                type_name,
                ctor: Constructor {
                    name: f.sig.ident.to_string(),
                    public: matches!(f.vis, syn::Visibility::Public(_)) && !doc_hidden(&f.attrs),
                    params: params_of(&f.sig),
                    returns,
                    free_fn: None,
                    via_trait: None,
                    examples,
                    generics: Vec::new(),
                    static_params: static_params_of(&f.sig),
                    factory: None,
                },
            };
            // A free function that fails with a crate type builds it through its `Err`
            // (`fn parse(&str) -> Result<Config, ParseError>` → `ParseError`).
            if let syn::ReturnType::Type(_, output) = &f.sig.output {
                if let Some((type_name, _)) = super::factories::failure(output) {
                    let failure = ctor(type_name, CtorReturn::Err, Vec::new());
                    self.out.type_parts.free_ctors.push(failure);
                }
            }
            if let Some(type_name) = returned_type_name(&f.sig.output) {
                if let Some(returns) = ctor_return(&f.sig.output, &type_name) {
                    let built = ctor(type_name, returns, doc_example_strings(&f.attrs));
                    self.out.type_parts.free_ctors.push(built);
                }
            }
        }
        let Some(attr) = f.attrs.iter().find(|a| is_tag(a, &self.renames)) else {
            return;
        };
        let module = self.node();
        let record = read_attribute(self.ctx, &module.file, attr, &f.sig, &self.package.dir);
        let prompt = record.prompt.clone().unwrap_or_default();
        let fp_item = strip_renamed(f, &self.renames, |v, f| v.visit_item_fn_mut(f));
        let fingerprint = abuse_attr::fingerprint::of_item_fn(&fp_item, &prompt);
        let mut cfgs = module.cfgs.clone();
        cfgs.extend(cfg_predicates(&f.attrs));
        let tagged = self.make_fn(FnParts {
            self_type: None,
            vis: &f.vis,
            sig: &f.sig,
            impl_generics: None,
            body: &f.block,
            attrs: &f.attrs,
            cfgs,
            record,
            sign_fingerprint: fingerprint.clone(),
            fingerprint,
            attr,
        });
        self.out.functions.push(FoundFn {
            module: self.module,
            owner_type: None,
            target: Some(Target::Fn {
                module: self.module,
                item: self.item,
            }),
            tagged,
            is_pub: matches!(f.vis, syn::Visibility::Public(_)),
            is_private: matches!(f.vis, syn::Visibility::Inherited),
        });
    }

    fn visit_item_impl(&mut self, imp: &'ast syn::ItemImpl) {
        // A crate trait implemented for a shared `&str` or `&[u8]` (base-x's `impl Alphabet for &str`): the
        // planner can give that type to a parameter bounded by the trait.
        if let (None, Some((_, trait_path, _))) = (self_type_name(&imp.self_ty), &imp.trait_) {
            if let Some(type_name) =
                shared_str_or_bytes(&imp.self_ty).or_else(|| array_type_name(imp))
            {
                self.trait_impl(imp, trait_path, type_name);
            }
            return;
        }
        let Some(type_name) = self_type_name(&imp.self_ty) else {
            return;
        };
        if let Some((_, trait_path, _)) = &imp.trait_ {
            if self.target.is_lib {
                for found in super::factories::of_trait_impl(imp, trait_path, &type_name) {
                    self.out.type_parts.factories.push(MethodCtor {
                        module: self.module,
                        type_name: found.type_name,
                        ctor: found.ctor,
                    });
                }
            }
            self.trait_impl(imp, trait_path, type_name);
            return;
        }
        let module = self.node();
        let tag = imp
            .attrs
            .iter()
            .find(|a| is_tag(a, &self.renames))
            .map(|attr| {
                // The block's own record; validated against no particular signature.
                let args = match abuse_attr::parse_attribute(attr) {
                    Ok(a) => a,
                    Err(e) => {
                        self.ctx.syn_error(&module.file, e);
                        abuse_attr::AttrArgs::default()
                    }
                };
                let record = make_record(self.ctx, &module.file, &args, &self.package.dir);
                let prompt = record.prompt.clone().unwrap_or_default();
                let fp_block = strip_renamed(imp, &self.renames, |v, i| v.visit_item_impl_mut(i));
                BlockTag {
                    args,
                    record,
                    fingerprint: abuse_attr::fingerprint::of_impl(&fp_block, &prompt),
                    attr,
                }
            });
        let mut cfgs = module.cfgs.clone();
        cfgs.extend(cfg_predicates(&imp.attrs));
        self.current_impl = Some(Rc::new(InherentImpl {
            imp,
            type_name,
            self_text: type_text(imp.self_ty.to_token_stream()),
            tag,
            cfgs,
        }));
        for member in &imp.items {
            self.visit_impl_item(member);
        }
        self.current_impl = None;
    }

    fn visit_impl_item(&mut self, member: &'ast syn::ImplItem) {
        match member {
            syn::ImplItem::Const(c) => self.visit_impl_item_const(c),
            syn::ImplItem::Fn(f) => self.visit_impl_item_fn(f),
            syn::ImplItem::Macro(m) => self.tags_in_macro(&m.mac),
            _ => {}
        }
    }

    fn visit_impl_item_const(&mut self, c: &'ast syn::ImplItemConst) {
        let Some(imp) = self.current_impl.clone() else {
            return;
        };
        if !self.target.is_lib || !matches!(c.vis, syn::Visibility::Public(_)) {
            return;
        }
        if let Some((name, by_ref)) = const_type_name(&c.ty) {
            if name == "Self" || name == imp.type_name {
                self.out.type_parts.consts.push(FoundConst {
                    module: self.module,
                    type_name: imp.type_name.clone(),
                    kind: ConstKind::Associated,
                    name: c.ident.to_string(),
                    by_ref,
                });
            }
        }
    }

    fn visit_impl_item_fn(&mut self, method: &'ast syn::ImplItemFn) {
        let Some(imp) = self.current_impl.clone() else {
            return;
        };
        if self.target.is_lib && method.sig.receiver().is_none() {
            if let Some(returns) = ctor_return(&method.sig.output, &imp.type_name) {
                self.out.type_parts.method_ctors.push(MethodCtor {
                    module: self.module,
                    type_name: imp.type_name.clone(),
                    ctor: Constructor {
                        name: method.sig.ident.to_string(),
                        public: matches!(method.vis, syn::Visibility::Public(_))
                            && !doc_hidden(&method.attrs),
                        params: params_of(&method.sig),
                        returns,
                        free_fn: None,
                        via_trait: None,
                        examples: doc_example_strings(&method.attrs),
                        generics: generics_of(&method.sig.generics),
                        static_params: static_params_of(&method.sig),
                        factory: None,
                    },
                });
            }
        }
        if self.target.is_lib {
            let public =
                matches!(method.vis, syn::Visibility::Public(_)) && !doc_hidden(&method.attrs);
            for found in super::factories::inherent(imp.imp, &imp.type_name, method, public) {
                self.out.type_parts.factories.push(MethodCtor {
                    module: self.module,
                    type_name: found.type_name,
                    ctor: found.ctor,
                });
            }
            if let Some(found) =
                super::factories::failing_static(imp.imp, &imp.type_name, method, public)
            {
                self.out.type_parts.failing_statics.push(StaticFailure {
                    module: self.module,
                    owner: imp.type_name.clone(),
                    type_name: found.type_name,
                    ctor: found.ctor,
                });
            }
        }
        let module = self.node();
        let is_pub = matches!(method.vis, syn::Visibility::Public(_));
        // The method's own tag wins; otherwise a `pub` method takes its block's.
        let (record, attr, block_fingerprint) = match method
            .attrs
            .iter()
            .find(|a| is_tag(a, &self.renames))
        {
            Some(attr) => {
                let record =
                    read_attribute(self.ctx, &module.file, attr, &method.sig, &self.package.dir);
                (record, attr, None)
            }
            None => match (&imp.tag, is_pub) {
                (Some(block), true) => {
                    if let Err(e) = abuse_attr::validate_for_fn(
                        &block.args.without_sequence_keys(),
                        &method.sig,
                    ) {
                        self.ctx.syn_error(&module.file, e);
                    }
                    (
                        block.record.clone(),
                        block.attr,
                        Some(block.fingerprint.clone()),
                    )
                }
                _ => return,
            },
        };
        let prompt = record.prompt.clone().unwrap_or_default();
        let fingerprint = abuse_attr::fingerprint::of_impl_fn(
            &strip_renamed(method, &self.renames, |v, m| v.visit_impl_item_fn_mut(m)),
            &prompt,
        );
        let mut cfgs = imp.cfgs.clone();
        cfgs.extend(cfg_predicates(&method.attrs));
        let tagged = self.make_fn(FnParts {
            self_type: Some((imp.self_text.clone(), imp.type_name.clone())),
            vis: &method.vis,
            sig: &method.sig,
            impl_generics: Some(&imp.imp.generics),
            body: &method.block,
            attrs: &method.attrs,
            cfgs,
            record,
            sign_fingerprint: block_fingerprint.unwrap_or_else(|| fingerprint.clone()),
            fingerprint,
            attr,
        });
        self.out.functions.push(FoundFn {
            module: self.module,
            owner_type: Some(imp.type_name.clone()),
            target: None,
            tagged,
            is_pub,
            is_private: matches!(method.vis, syn::Visibility::Inherited),
        });
    }

    fn visit_item_struct(&mut self, s: &'ast syn::ItemStruct) {
        if !self.target.is_lib {
            return;
        }
        let fields = fields_of(&s.fields);
        let def = type_def(
            self.node(),
            self.tree,
            self.module,
            matches!(s.vis, syn::Visibility::Inherited),
            &s.ident,
            &s.generics,
            &s.attrs,
            TypeShape::Struct { fields },
        );
        self.push_type(def);
    }

    fn visit_item_enum(&mut self, e: &'ast syn::ItemEnum) {
        if !self.target.is_lib {
            return;
        }
        let variants = e
            .variants
            .iter()
            .map(|v| Variant {
                name: v.ident.to_string(),
                fields: fields_of(&v.fields),
                named: matches!(v.fields, syn::Fields::Named(_)),
            })
            .collect();
        let def = type_def(
            self.node(),
            self.tree,
            self.module,
            matches!(e.vis, syn::Visibility::Inherited),
            &e.ident,
            &e.generics,
            &e.attrs,
            TypeShape::Enum { variants },
        );
        self.push_type(def);
    }
}

impl<'ast> ModuleItems<'_, 'ast> {
    fn node(&self) -> &'ast Module {
        &self.tree.modules[self.module]
    }

    fn push_type(&mut self, def: crate::model::TypeDef) {
        self.out.type_parts.types.push(FoundType {
            module: self.module,
            item: self.item,
            def,
        });
    }

    /// A trait impl is recorded (lib only); tags on it or its methods are warned about, not listed.
    fn trait_impl(&mut self, imp: &'ast syn::ItemImpl, trait_path: &syn::Path, type_name: String) {
        if self.target.is_lib {
            let record = trait_impl_record(trait_path, type_name);
            // `impl<I: Integer> Average for I`: recorded for the types meeting its bounds, not for `I`.
            match record
                .as_ref()
                .and_then(|r| super::blankets::blanket_of(imp, r))
            {
                Some(blanket) => self.out.blankets.push(blanket),
                None => self.out.trait_impls.extend(record),
            }
        }
        let renames = &self.renames;
        let tags = imp
            .attrs
            .iter()
            .filter(|a| is_tag(a, renames))
            .map(|a| a.pound_token.span);
        let method_tags = imp.items.iter().filter_map(|i| match i {
            syn::ImplItem::Fn(f) => f
                .attrs
                .iter()
                .find(|a| is_tag(a, renames))
                .map(|a| a.pound_token.span),
            _ => None,
        });
        let file = &self.node().file;
        for span in tags.chain(method_tags) {
            let msg =
                "`#[ai_generated]` in a trait impl is not listed: it goes on free functions, \
                       inherent methods and inherent `impl` blocks"
                    .to_string();
            self.ctx.diag(Severity::Warning, file, span, msg);
        }
    }

    /// Tags inside a macro call are not listed (discovery reads no expansion): a warning names each.
    fn tags_in_macro(&mut self, mac: &syn::Macro) {
        let found = super::in_macros::tags_in(&mac.tokens, &self.renames);
        if found.is_empty() {
            return;
        }
        let called = mac
            .path
            .segments
            .last()
            .map_or_else(String::new, |s| s.ident.to_string());
        let file = self.node().file.clone();
        for (span, name) in found {
            let on = name.map_or_else(String::new, |n| format!(" on `{n}`"));
            let msg = format!(
                "`#[ai_generated]`{on} inside the `{called}!` call is not listed: discovery reads the source as \
                 written, not what the macro expands it to, so it is not tested; tag a function written outside \
                 the macro call (a wrapper of it) instead"
            );
            self.ctx.diag(Severity::Warning, &file, span, msg);
        }
    }

    fn make_fn(&mut self, parts: FnParts<'ast>) -> TaggedFn {
        let module = self.node();
        let name = parts.sig.ident.to_string();
        let mut path = module.path.clone();
        if let Some((_, ty)) = &parts.self_type {
            path.push(ty.clone());
        }
        path.push(name.clone());
        let start = first_span(parts.attrs, parts.sig).start();
        let mut signature = signature_of(parts.vis, parts.sig);
        if let Some(g) = parts.impl_generics {
            let mut all = generics_of(g);
            // The method's own where-clause may bound the block's parameters (`where L: Iterator`).
            for (name, bounds) in super::signature::outer_where_bounds(&parts.sig.generics) {
                if let Some(gen) = all.iter_mut().find(|g| g.name == name) {
                    gen.bounds.extend(bounds);
                }
            }
            all.append(&mut signature.generics);
            signature.generics = all;
        }
        let std_renames = std_type_renames(&module.items);
        if !std_renames.is_empty() {
            for param in &mut signature.params {
                unrename(&mut param.ty, &std_renames);
            }
            if let Some(out) = &mut signature.output {
                unrename(out, &std_renames);
            }
        }
        let signoff = signoff_state(&parts.record, &parts.sign_fingerprint);
        TaggedFn {
            package: self.package.name.clone(),
            crate_name: self.target.crate_name.clone(),
            in_lib: self.target.is_lib,
            path: path.join("::"),
            module_path: module.path.clone(),
            name,
            self_type: parts.self_type.map(|(written, _)| written),
            reach: Reach::CratePrivate {
                path: String::new(),
            },
            file: self.ctx.rel(&module.file),
            line: start.line as u32,
            column: start.column as u32 + 1,
            end_line: parts.body.brace_token.span.close().end().line as u32,
            cfg: (!parts.cfgs.is_empty()).then(|| parts.cfgs.join(" && ")),
            signature,
            record: parts.record,
            fingerprint: parts.fingerprint,
            signoff,
            sign_fingerprint: parts.sign_fingerprint,
            attribute: attr_site(parts.attr, &module.source),
            literals: literals_of(parts.body, parts.attrs),
            hidden_in_crate: None,
            documents_panics: documents_panics(parts.attrs),
            test: test_attr(parts.attrs, parts.sig),
            uses: super::uses::module_uses(&module.items, &module.path),
        }
    }
}

/// Whether a function is a test libtest runs by its path: `#[test]`, or a runtime's test attribute
/// (`#[tokio::test]`, which expands to a `#[test]` of the same name), on a function with no parameter; and
/// whether `#[ignore]` skips it.
fn test_attr(attrs: &[syn::Attribute], sig: &syn::Signature) -> Option<crate::model::TestAttr> {
    let named = |name: &str| {
        attrs.iter().any(|attr| {
            !matches!(attr.meta, syn::Meta::NameValue(_))
                && attr.path().segments.last().is_some_and(|s| s.ident == name)
        })
    };
    if !sig.inputs.is_empty() || !sig.generics.params.is_empty() || !named("test") {
        return None;
    }
    Some(if attrs.iter().any(|a| a.path().is_ident("ignore")) {
        crate::model::TestAttr::Ignored
    } else {
        crate::model::TestAttr::Runs
    })
}

/// Whether an item's doc comment documents panics: a `# Panics` section (rustdoc's convention) or a line
/// that starts with "Panics" (`Panics if the base is zero.`), bold or not (fixedbitset's `**Panics** if
/// **bit** is out of bounds.`).
fn documents_panics(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        let syn::Meta::NameValue(nv) = &attr.meta else {
            return false;
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &nv.value
        else {
            return false;
        };
        nv.path.is_ident("doc")
            && text.value().lines().any(|l| {
                let line = l.trim();
                (line.starts_with('#') && line.trim_start_matches('#').trim() == "Panics")
                    || line
                        .trim_start_matches(['*', '_'])
                        .strip_prefix("Panics")
                        .is_some_and(|rest| rest.starts_with([' ', '*', '_']))
            })
    })
}

/// Span of the item's first attribute (doc comments count), else of the signature.
fn first_span(attrs: &[syn::Attribute], sig: &syn::Signature) -> proc_macro2::Span {
    match attrs.first() {
        Some(a) => a.pound_token.span,
        None => sig.fn_token.span,
    }
}

/// `"&str"` or `"&[u8]"` when `ty` is that shared reference (any lifetime), as `TraitImpl::type_name` names it.
fn shared_str_or_bytes(ty: &syn::Type) -> Option<String> {
    let syn::Type::Reference(r) = ty else {
        return None;
    };
    if r.mutability.is_some() {
        return None;
    }
    match &*r.elem {
        syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident("str") => Some("&str".into()),
        syn::Type::Slice(s) => match &*s.elem {
            syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident("u8") => {
                Some("&[u8]".into())
            }
            _ => None,
        },
        _ => None,
    }
}

/// `#[doc(hidden)]`: not the crate's public API (data-encoding's `Encoding::internal_new` takes a raw table no
/// generated bytes make valid), so a harness outside the crate does not build values with it.
fn doc_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("doc") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "hidden")
    })
}

/// The record of `impl Trait<Args> for type_name`.
fn trait_impl_record(trait_path: &syn::Path, type_name: String) -> Option<TraitImpl> {
    let seg = trait_path.segments.last()?;
    let trait_args = match &seg.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(t) => Some(type_text(t.to_token_stream())),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some(TraitImpl {
        trait_name: seg.ident.to_string(),
        type_name,
        trait_args,
    })
}

/// The self type of a trait impl as `TraitImpl::type_name` names it: a path's last segment, a shared
/// `&str` / `&[u8]`, or an array of literal length.
fn impl_type_name(imp: &syn::ItemImpl) -> Option<String> {
    self_type_name(&imp.self_ty)
        .or_else(|| shared_str_or_bytes(&imp.self_ty))
        .or_else(|| array_type_name(imp))
}

/// `"[_; 8]"` for `impl<T> Trait for [T; 8]` (an element parameter bounded by nothing but std markers such as
/// `Default` is written `_`: the planner chooses it), `"[u8; 4]"` for a concrete element, and a length of
/// [`CONST_ARRAY_LEN`] for `impl<T: Default, const N: usize> Trait for [T; N]` (tinyvec's `Array`); `None` for
/// another length or an element parameter with other bounds.
fn array_type_name(imp: &syn::ItemImpl) -> Option<String> {
    let syn::Type::Array(array) = strip_groups(&imp.self_ty) else {
        return None;
    };
    let len = match strip_expr_groups(&array.len) {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(n),
            ..
        }) => n.base10_parse::<u64>().ok()?,
        syn::Expr::Path(p)
            if imp
                .generics
                .const_params()
                .any(|c| p.path.is_ident(&c.ident)) =>
        {
            CONST_ARRAY_LEN
        }
        _ => return None,
    };
    let params: Vec<&syn::TypeParam> = imp.generics.type_params().collect();
    let elem = strip_groups(&array.elem);
    let elem_text = type_text(elem.to_token_stream());
    let param = params.iter().find(|p| p.ident == elem_text);
    let elem = match param {
        Some(p) => {
            let bounded_in_where = imp.generics.where_clause.as_ref().is_some_and(|w| {
                w.predicates.iter().any(|pred| {
                    matches!(pred, syn::WherePredicate::Type(t)
                        if type_text(t.bounded_ty.to_token_stream()) == elem_text)
                })
            });
            let markers_only = p.bounds.iter().all(|b| match b {
                syn::TypeParamBound::Trait(t) => t
                    .path
                    .get_ident()
                    .is_some_and(|i| ELEMENT_MARKERS.contains(&i.to_string().as_str())),
                _ => true,
            });
            if !markers_only || bounded_in_where {
                return None;
            }
            "_".to_string()
        }
        None if params
            .iter()
            .any(|p| mentions_ident(elem.to_token_stream(), &p.ident)) =>
        {
            return None
        }
        None => elem_text,
    };
    Some(format!("[{elem}; {len}]"))
}

/// The length a const-generic array implementor is given (the planner's preferred array length).
const CONST_ARRAY_LEN: u64 = 8;

/// Bounds of an array implementor's element that the planner's element type (`i64`) meets.
const ELEMENT_MARKERS: &[&str] = &[
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Send",
    "Sync",
    "Sized",
];

fn strip_groups(ty: &syn::Type) -> &syn::Type {
    match ty {
        syn::Type::Group(g) => strip_groups(&g.elem),
        syn::Type::Paren(p) => strip_groups(&p.elem),
        t => t,
    }
}

fn strip_expr_groups(e: &syn::Expr) -> &syn::Expr {
    match e {
        syn::Expr::Group(g) => strip_expr_groups(&g.expr),
        syn::Expr::Paren(p) => strip_expr_groups(&p.expr),
        e => e,
    }
}

/// Whether the tokens name `ident` anywhere.
fn mentions_ident(tokens: proc_macro2::TokenStream, ident: &syn::Ident) -> bool {
    tokens.into_iter().any(|t| match t {
        proc_macro2::TokenTree::Ident(i) => i == *ident,
        proc_macro2::TokenTree::Group(g) => mentions_ident(g.stream(), ident),
        _ => false,
    })
}
