//! The `#[ai_generated(...)]` attribute: records prompt, author, reviewer and test-owner sign-off on
//! AI-written functions, shows the record in rustdoc and warns when a sign-off is stale.
//!
//! ```
//! use abuse_macros::ai_generated;
//!
//! #[ai_generated(
//!     prompt = "Parse a TCP port; reject anything outside 1..=65535",
//!     author = "alice", reviewer = "carol", test_owner = "bob",
//!     ensures = |s: &str, out: &Option<u16>| out.is_none() || !s.is_empty(),
//! )]
//! pub fn parse_port(s: &str) -> Option<u16> {
//!     s.parse().ok().filter(|&p| p != 0)
//! }
//! # assert_eq!(parse_port("80"), Some(80));
//! ```
//!
//! The grammar of the arguments lives in `abuse-attr` (shared with `cargo-abuse`); see its crate
//! documentation for every key. This crate only places the attribute and expands it:
//!
//! - the item's own tokens keep their spans; `#[doc]` lines showing the record are added after its
//!   outer attributes (for an `impl` block, on the block and on each `pub fn` without its own attribute);
//! - `prompt_file` adds `#[doc = ::core::include_str!("<absolute path>")]`, so editing the file rebuilds;
//! - `ensures` is type-checked against the signature in a hidden `const` beside the function;
//! - a stale `signed_off` adds a hidden `const` that uses a `#[deprecated]` unit struct at the
//!   function's name: the only warning stable Rust lets a macro emit;
//! - on any error: the errors, all of them, and the item unchanged.
//!
//! The expansion names no crate but `core`.

use abuse_attr::{fingerprint, AttrArgs};
use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

/// Tags an AI-written function, method, associated function or inherent `impl` block.
///
/// See the crate documentation and `abuse-attr` for the keys.
#[proc_macro_attribute]
pub fn ai_generated(
    attr: proc_macro::TokenStream,
    item: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    expand(attr.into(), item.into()).into()
}

/// What the attribute sits on.
enum Target {
    /// A free function, or a method or associated function (the macro cannot tell them apart).
    Fn(syn::ItemFn),
    /// A method that only parses as an impl item (e.g. `default fn`).
    ImplFn(syn::ImplItemFn),
    /// An inherent `impl` block.
    Impl(syn::ItemImpl),
}

fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Vec::new();
    let args = abuse_attr::parse_args(attr)
        .map_err(|e| errors.push(e))
        .ok();
    let target = classify(&item).map_err(|e| errors.push(e)).ok();
    let (Some(args), Some(target)) = (args, target) else {
        return with_errors(errors, item);
    };
    match expand_target(&args, target, item.clone()) {
        Ok(tokens) => tokens,
        Err(e) => with_errors(vec![e], item),
    }
}

/// The errors as `compile_error!`s, followed by the item as it was.
fn with_errors(errors: Vec<syn::Error>, item: TokenStream) -> TokenStream {
    let errors = errors.into_iter().map(|e| e.to_compile_error());
    quote!(#(#errors)* #item)
}

fn classify(item: &TokenStream) -> syn::Result<Target> {
    match syn::parse2::<syn::Item>(item.clone()) {
        Ok(syn::Item::Fn(f)) => Ok(Target::Fn(f)),
        Ok(syn::Item::Impl(i)) if i.trait_.is_none() => Ok(Target::Impl(i)),
        Ok(other) => Err(misplaced(&other)),
        Err(_) => match syn::parse2::<syn::ImplItem>(item.clone()) {
            Ok(syn::ImplItem::Fn(f)) => Ok(Target::ImplFn(f)),
            _ => Err(syn::Error::new(
                first_span(item),
                format!("`#[ai_generated]` {WHERE}; this is not an item it understands"),
            )),
        },
    }
}

const WHERE: &str = "goes on a free function, a method, an associated function, \
     or an inherent `impl` block (which tags its `pub` functions)";

/// The error for an item of the wrong kind, spanned on its keyword and name.
fn misplaced(item: &syn::Item) -> syn::Error {
    use syn::Item;
    let (what, tokens) = match item {
        Item::Impl(i) => {
            let (_, path, for_token) = i.trait_.as_ref().expect("inherent impls are accepted");
            let message = format!("`#[ai_generated]` cannot go on a trait impl; it {WHERE}");
            let impl_token = i.impl_token;
            return syn::Error::new_spanned(quote!(#impl_token #path #for_token), message);
        }
        Item::Struct(s) => ("a struct", pair(&s.struct_token, &s.ident)),
        Item::Enum(e) => ("an enum", pair(&e.enum_token, &e.ident)),
        Item::Union(u) => ("a union", pair(&u.union_token, &u.ident)),
        Item::Trait(t) => ("a trait", pair(&t.trait_token, &t.ident)),
        Item::Mod(m) => ("a module", pair(&m.mod_token, &m.ident)),
        Item::Const(c) => ("a const", pair(&c.const_token, &c.ident)),
        Item::Static(s) => ("a static", pair(&s.static_token, &s.ident)),
        Item::Type(t) => ("a type alias", pair(&t.type_token, &t.ident)),
        Item::Use(u) => ("a `use`", u.use_token.to_token_stream()),
        Item::ForeignMod(f) => ("an extern block", f.abi.to_token_stream()),
        _ => ("this item", item.to_token_stream()),
    };
    syn::Error::new_spanned(
        tokens,
        format!("`#[ai_generated]` cannot go on {what}; it {WHERE}"),
    )
}

/// A keyword and a name, to span an error on both.
fn pair(keyword: &dyn ToTokens, name: &dyn ToTokens) -> TokenStream {
    let mut tokens = keyword.to_token_stream();
    name.to_tokens(&mut tokens);
    tokens
}

fn first_span(tokens: &TokenStream) -> Span {
    tokens
        .clone()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |t| t.span())
}

fn crate_root() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(Into::into)
        .unwrap_or_else(|| std::path::PathBuf::from("."))
}

fn expand_target(args: &AttrArgs, target: Target, item: TokenStream) -> syn::Result<TokenStream> {
    let root = crate_root();
    let mut errors = Vec::new();
    let sig = match &target {
        Target::Fn(f) => Some(&f.sig),
        Target::ImplFn(f) => Some(&f.sig),
        Target::Impl(_) => None,
    };
    match sig {
        Some(sig) => {
            if let Err(e) = abuse_attr::validate_for_fn(args, sig) {
                errors.push(e);
            }
        }
        None => errors.extend(fn_only_keys(args)),
    }
    let prompt = abuse_attr::prompt_text(args, &root)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let mut errors = errors.into_iter();
    if let Some(mut first) = errors.next() {
        first.extend(errors);
        return Err(first);
    }
    let prompt = prompt.unwrap_or_default();
    match target {
        Target::Fn(f) => {
            let fp = fingerprint::of_item_fn(&f, &prompt);
            Ok(expand_fn(args, &root, &f.sig, &fp, item))
        }
        Target::ImplFn(f) => {
            let fp = fingerprint::of_impl_fn(&f, &prompt);
            Ok(expand_fn(args, &root, &f.sig, &fp, item))
        }
        Target::Impl(i) => {
            let fp = fingerprint::of_impl(&i, &prompt);
            Ok(expand_impl(args, &root, i, &fp))
        }
    }
}

/// Keys that describe one function's contract, refused on an `impl` block.
fn fn_only_keys(args: &AttrArgs) -> Vec<syn::Error> {
    let message = |key: &str| {
        format!("`{key}` describes one function: put it in an `#[ai_generated(...)]` on the method, not on the `impl` block")
    };
    let mut errors = Vec::new();
    if let Some(p) = &args.roundtrip {
        errors.push(syn::Error::new_spanned(p, message("roundtrip")));
    }
    if let Some(p) = &args.oracle {
        errors.push(syn::Error::new_spanned(p, message("oracle")));
    }
    if let Some(c) = &args.ensures {
        errors.push(syn::Error::new_spanned(c, message("ensures")));
    }
    for (name, _) in &args.strategies {
        errors.push(syn::Error::new(name.span(), message("strategy")));
    }
    errors
}

fn expand_fn(
    args: &AttrArgs,
    root: &std::path::Path,
    sig: &syn::Signature,
    fp: &str,
    item: TokenStream,
) -> TokenStream {
    let docs = record_docs(args, root, fp);
    let (attrs, rest) = split_outer_attributes(item);
    let name = sig.ident.unraw().to_string();
    let ensures = args
        .ensures
        .as_ref()
        .and_then(|c| ensures_check(&name, sig, c));
    let stale = stale_warning(args, fp, &format!("`{name}`"), &name, sig.ident.span());
    quote! {
        #attrs
        #(#docs)*
        #rest
        #ensures
        #stale
    }
}

fn expand_impl(
    args: &AttrArgs,
    root: &std::path::Path,
    mut item: syn::ItemImpl,
    fp: &str,
) -> TokenStream {
    let type_name = item
        .self_ty
        .to_token_stream()
        .to_string()
        .replace(" :: ", "::")
        .replace(" < ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&");
    let docs = record_docs(args, root, fp);
    let block_doc: syn::Attribute = syn::parse_quote!(
        #[doc = "\nEvery `pub fn` of this block is tagged `#[ai_generated]` through it; the sign-off covers the whole block."]
    );
    for impl_item in &mut item.items {
        if let syn::ImplItem::Fn(f) = impl_item {
            let tagged = f
                .attrs
                .iter()
                .any(|a| fingerprint::is_ai_generated_path(a.path()));
            if matches!(f.vis, syn::Visibility::Public(_)) && !tagged {
                f.attrs.extend(docs.clone());
            }
        }
    }
    item.attrs.push(block_doc);
    item.attrs.extend(docs);
    item.items.extend(sequence_checks(args, fp));
    let span = first_span(&item.self_ty.to_token_stream());
    let suffix = fp.to_owned();
    if let Some(stale) = stale_warning(
        args,
        fp,
        &format!("this `impl {type_name}` block"),
        &format!("impl_{suffix}"),
        span,
    ) {
        item.items.push(syn::ImplItem::Verbatim(stale));
    }
    item.into_token_stream()
}

/// Hidden associated consts that name `invariant` and `model = Type` with their expected types, so rustc
/// reports an unknown path or a wrong signature at the user's own tokens (the spans are kept).
fn sequence_checks(args: &AttrArgs, fp: &str) -> Vec<syn::ImplItem> {
    let mut out = Vec::new();
    if let Some(path) = &args.invariant {
        let name = format_ident!("__ABUSE_INVARIANT_{}", fp);
        let ty = quote_spanned!(path.span()=> fn(&Self) -> bool);
        out.push(syn::ImplItem::Verbatim(quote! {
            #[doc(hidden)]
            #[allow(non_upper_case_globals, dead_code)]
            const #name: #ty = #path;
        }));
    }
    if let Some(path) = &args.model_type {
        let name = format_ident!("__ABUSE_MODEL_{}", fp);
        out.push(syn::ImplItem::Verbatim(quote! {
            #[doc(hidden)]
            #[allow(non_upper_case_globals, dead_code)]
            const #name: ::core::marker::PhantomData<#path> = ::core::marker::PhantomData;
        }));
    }
    out
}

/// Splits an item into its leading outer attributes (`#[...]`) and the rest, tokens untouched.
fn split_outer_attributes(item: TokenStream) -> (TokenStream, TokenStream) {
    let trees: Vec<TokenTree> = item.into_iter().collect();
    let mut i = 0;
    while let (Some(TokenTree::Punct(p)), Some(TokenTree::Group(g))) =
        (trees.get(i), trees.get(i + 1))
    {
        if p.as_char() != '#' || g.delimiter() != Delimiter::Bracket {
            break;
        }
        i += 2;
    }
    let mut trees = trees;
    let rest = trees.split_off(i);
    (trees.into_iter().collect(), rest.into_iter().collect())
}

/// The rustdoc lines showing the record, as `#[doc]` attributes.
fn record_docs(args: &AttrArgs, root: &std::path::Path, fp: &str) -> Vec<syn::Attribute> {
    let value = |lit: &Option<syn::LitStr>| {
        lit.as_ref()
            .map_or_else(|| "*not recorded*".to_owned(), |l| l.value())
    };
    let mut lines = vec![
        String::new(),
        "---".to_owned(),
        "**AI-generated.**".to_owned(),
        String::new(),
        format!("- **Model:** {}", value(&args.model)),
        format!("- **Prompt author:** {}", value(&args.author)),
        format!("- **Reviewer:** {}", value(&args.reviewer)),
        format!("- **Test owner:** {}", value(&args.test_owner)),
    ];
    lines.push(match &args.signed_off {
        None => "- **Sign-off:** *none*".to_owned(),
        Some((_, s)) if s.fingerprint == fp => {
            format!("- **Sign-off:** {} on {} (fingerprint `{}`, current)", s.owner, s.date, s.fingerprint)
        }
        Some((_, s)) => format!(
            "- **Sign-off:** **stale**: {} signed on {} for fingerprint `{}`; the code or its prompt changed since",
            s.owner, s.date, s.fingerprint
        ),
    });
    lines.push(format!("- **Fingerprint:** `{fp}`"));
    let properties = properties(args);
    if !properties.is_empty() {
        lines.push(format!("- **Declared:** {}", properties.join(", ")));
    }
    let mut attrs: Vec<syn::Attribute> = Vec::new();
    let mut doc = |text: &str| attrs.push(syn::parse_quote!(#[doc = #text]));
    for line in &lines {
        doc(line);
    }
    if let Some(prompt) = &args.prompt {
        doc("");
        doc("**Prompt:**");
        doc("");
        for line in prompt.value().lines() {
            doc(&format!("> {line}"));
        }
    } else if let Some(file) = &args.prompt_file {
        let path = root.join(file.value());
        let path = path.to_string_lossy();
        doc("");
        doc(&format!("**Prompt** (`{}`):", file.value()));
        doc("");
        attrs.push(syn::parse_quote!(#[doc = ::core::include_str!(#path)]));
    } else {
        doc("- **Prompt:** *not recorded*");
    }
    attrs
}

/// The declared properties and tuning, for the record.
fn properties(args: &AttrArgs) -> Vec<String> {
    let path = |p: &syn::Path| p.to_token_stream().to_string().replace(' ', "");
    let mut out = Vec::new();
    if let Some(p) = &args.roundtrip {
        out.push(format!("`roundtrip = {}`", path(p)));
    }
    if args.idempotent {
        out.push("`idempotent`".to_owned());
    }
    if let Some(p) = &args.oracle {
        out.push(format!("`oracle = {}`", path(p)));
    }
    if args.ensures.is_some() {
        out.push("`ensures`".to_owned());
    }
    if args.deterministic {
        out.push("`deterministic`".to_owned());
    }
    if args.may_panic {
        out.push("`may_panic`".to_owned());
    }
    if let Some(n) = args.timeout_ms {
        out.push(format!("`timeout_ms = {n}`"));
    }
    if let Some(n) = args.max_alloc {
        out.push(format!("`max_alloc = \"{}\"`", human_size(n)));
    }
    if let Some(n) = args.cases {
        out.push(format!("`cases = {n}`"));
    }
    if let Some(p) = &args.invariant {
        out.push(format!("`invariant = {}`", path(p)));
    }
    if let Some(p) = &args.model_type {
        out.push(format!("`model = {}`", path(p)));
    }
    if let Some(n) = args.sequence_len {
        out.push(format!("`sequence_len = {n}`"));
    }
    for (name, _) in &args.strategies {
        out.push(format!("`strategy({} = ..)`", name.unraw()));
    }
    out
}

/// Bytes in the largest binary unit that divides them exactly: `64 MiB`, `1536 B`.
fn human_size(bytes: u64) -> String {
    const UNITS: [(u32, &str); 4] = [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")];
    UNITS
        .iter()
        .find(|(shift, _)| bytes.is_multiple_of(1u64 << shift))
        .map_or_else(
            || format!("{bytes} B"),
            |(shift, unit)| format!("{} {unit}", bytes >> shift),
        )
}

/// A hidden const that type-checks `ensures` against the signature: a non-capturing closure coerces to
/// `fn(&input.., &output) -> bool`. Skipped (`None`) for signatures a fn pointer cannot name: type or
/// const generics, `impl Trait`, C variadics. Lifetime generics become `for<..>`.
fn ensures_check(
    name: &str,
    sig: &syn::Signature,
    closure: &syn::ExprClosure,
) -> Option<TokenStream> {
    if sig.variadic.is_some()
        || sig
            .generics
            .params
            .iter()
            .any(|p| !matches!(p, syn::GenericParam::Lifetime(_)))
        || mentions_impl_trait(&sig.inputs.to_token_stream())
        || mentions_impl_trait(&sig.output.to_token_stream())
    {
        return None;
    }
    let lifetimes: Vec<&syn::Lifetime> = sig.generics.lifetimes().map(|l| &l.lifetime).collect();
    let binder = (!lifetimes.is_empty()).then(|| quote!(for<#(#lifetimes),*>));
    let inputs = sig.inputs.iter().map(|arg| match arg {
        syn::FnArg::Receiver(r) => match (&r.reference, r.colon_token) {
            (_, Some(_)) => {
                let ty = &r.ty;
                quote!(&#ty)
            }
            _ => quote!(&Self),
        },
        syn::FnArg::Typed(p) => match &*p.ty {
            syn::Type::Reference(r) => {
                let (lifetime, elem) = (&r.lifetime, &r.elem);
                quote!(&#lifetime #elem)
            }
            ty => quote!(&#ty),
        },
    });
    let output = match &sig.output {
        syn::ReturnType::Default => quote!(&()),
        syn::ReturnType::Type(_, ty) => quote!(&#ty),
    };
    let const_name = format_ident!("__abuse_ensures_{}", name);
    let span = closure.span();
    let ty = quote_spanned!(span=> #binder fn(#(#inputs,)* #output) -> bool);
    Some(quote! {
        #[doc(hidden)]
        #[allow(dead_code, non_upper_case_globals)]
        const #const_name: () = {
            let _: #ty = #closure;
        };
    })
}

fn mentions_impl_trait(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|t| match t {
        TokenTree::Ident(i) => i == "impl",
        TokenTree::Group(g) => mentions_impl_trait(&g.stream()),
        _ => false,
    })
}

/// A hidden const whose body uses a `#[deprecated]` unit struct at `span` (the function's name), when the
/// sign-off's fingerprint is not the current one. Valid both as a module item and as an associated const.
fn stale_warning(
    args: &AttrArgs,
    fp: &str,
    what: &str,
    name: &str,
    span: Span,
) -> Option<TokenStream> {
    let (_, signoff) = args.signed_off.as_ref()?;
    if signoff.fingerprint == fp {
        return None;
    }
    let note = format!(
        "stale sign-off: {} signed off on {} for fingerprint {}, but {what} or its prompt changed since \
         (fingerprint now {fp}); run its abuse tests and `cargo abuse sign` to sign again",
        signoff.owner, signoff.date, signoff.fingerprint
    );
    let const_name = format_ident!("__abuse_stale_{}", name);
    let marker = Ident::new("SignoffIsStale", span);
    Some(quote! {
        #[doc(hidden)]
        #[allow(dead_code, non_upper_case_globals)]
        const #const_name: () = {
            #[deprecated(note = #note)]
            struct SignoffIsStale;
            let _ = #marker;
        };
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand_str(attr: &str, item: &str) -> String {
        expand(attr.parse().unwrap(), item.parse().unwrap()).to_string()
    }

    #[test]
    fn records_are_added_after_the_outer_attributes_and_the_item_is_kept() {
        let out = expand_str(
            r#"author = "alice""#,
            "/// Docs.\n#[inline] pub fn f(x: u8) -> u8 { x }",
        );
        let docs = out.find("Docs").unwrap();
        let inline = out.find("inline").unwrap();
        let record = out.find("Prompt author:** alice").unwrap();
        let item = out.find("pub fn f").unwrap();
        assert!(docs < inline && inline < record && record < item, "{out}");
        assert!(out.ends_with("pub fn f (x : u8) -> u8 { x }"), "{out}");
    }

    #[test]
    fn errors_come_with_the_item_unchanged() {
        let out = expand_str(r#"promt = "x", cases = 0"#, "pub fn f() {}");
        assert_eq!(out.matches("compile_error").count(), 2, "{out}");
        assert!(out.ends_with("pub fn f () { }"), "{out}");
        let out = expand_str("", "pub struct S;");
        assert!(out.contains("cannot go on a struct"), "{out}");
        assert!(out.ends_with("pub struct S ;"), "{out}");
    }

    #[test]
    fn the_expansion_names_no_crate_but_core() {
        let out = expand_str(
            r#"prompt = "p", signed_off = "bob 2026-11-27 0123456789abcdef", ensures = |x: &u8, out: &u8| x == out"#,
            "pub fn f(x: u8) -> u8 { x }",
        );
        for (i, _) in out.match_indices(":: ") {
            let before = &out[..i];
            let root = before
                .rsplit([' ', '(', '[', '{', '!'])
                .next()
                .unwrap_or("");
            assert!(
                root.is_empty() || root == "core",
                "path rooted at `{root}` in {out}"
            );
        }
        assert!(out.contains("deprecated"), "{out}");
        assert!(out.contains("__abuse_ensures_f"), "{out}");
    }

    #[test]
    fn stale_warning_is_emitted_only_for_a_fingerprint_that_differs() {
        let item = "pub fn f(x: u8) -> u8 { x }";
        let fp = fingerprint::of_item_fn(&syn::parse_str(item).unwrap(), "p");
        let current = expand_str(
            &format!(r#"prompt = "p", signed_off = "bob 2026-11-27 {fp}""#),
            item,
        );
        assert!(!current.contains("deprecated"), "{current}");
        assert!(current.contains(", current)"), "{current}");
        let changed = expand_str(
            &format!(r#"prompt = "q", signed_off = "bob 2026-11-27 {fp}""#),
            item,
        );
        assert!(changed.contains("deprecated"), "{changed}");
        assert!(
            changed.contains("bob signed off on 2026-11-27"),
            "{changed}"
        );
    }

    #[test]
    fn ensures_check_skips_signatures_a_fn_pointer_cannot_name() {
        let closure: syn::ExprClosure = syn::parse_str("|x, out| true").unwrap();
        for skipped in [
            "fn f<T>(x: T) -> T",
            "fn f(x: impl AsRef<str>)",
            "fn f<const N: usize>(x: [u8; N])",
        ] {
            let sig: syn::Signature = syn::parse_str(skipped).unwrap();
            assert!(ensures_check("f", &sig, &closure).is_none(), "{skipped}");
        }
        let sig: syn::Signature =
            syn::parse_str("fn f<'a>(&mut self, s: &'a mut str, n: u8) -> &'a str").unwrap();
        let check = ensures_check("f", &sig, &closure).unwrap().to_string();
        assert!(
            check.contains("for < 'a > fn (& Self , & 'a str , & u8 , & & 'a str) -> bool"),
            "{check}"
        );
    }

    #[test]
    fn impl_blocks_tag_their_pub_fns_only() {
        let out = expand_str(
            r#"author = "alice""#,
            "impl S { pub fn a(&self) {} fn b(&self) {} #[ai_generated(author = \"x\")] pub fn c(&self) {} }",
        );
        assert_eq!(out.matches("Prompt author:** alice").count(), 2, "{out}");
        let out = expand_str("strategy(x = 1)", "impl S { pub fn a(x: u8) {} }");
        assert!(out.contains("`strategy` describes one function"), "{out}");
    }

    #[test]
    fn sizes_are_shown_in_the_largest_exact_binary_unit() {
        assert_eq!(human_size(64 << 20), "64 MiB");
        assert_eq!(human_size(1536), "1536 B");
        assert_eq!(human_size(3 << 40), "3 TiB");
    }
}
