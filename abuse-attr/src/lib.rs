//! The `#[ai_generated(...)]` argument grammar (typed, spanned) and the fingerprint, on syn only.
//!
//! Shared by the `abuse-macros` attribute and the `cargo-abuse` binary so the grammar is written once.
//! Every error is a [`syn::Error`] spanned on the offending tokens, and all errors of one attribute are
//! combined into one (see [`parse_args`]).
//!
//! The grammar, one `key` or `key = value` or `key(...)` per comma-separated entry:
//!
//! | key | value | example |
//! | --- | --- | --- |
//! | `prompt` | string | `prompt = "Parse a TCP port; reject anything outside 1..=65535"` |
//! | `prompt_file` | string, path relative to the crate root | `prompt_file = "prompts/port.md"` |
//! | `model` | string: the LLM; on an `impl` block, a path: the reference model type | `model = "gpt-5"`, `model = RingModel` |
//! | `author` | string | `author = "alice"` |
//! | `reviewer` | string | `reviewer = "carol"` |
//! | `test_owner` | string | `test_owner = "bob"` |
//! | `signed_off` | string `"OWNER YYYY-MM-DD FINGERPRINT"` | `signed_off = "bob 2026-11-27 0123456789abcdef"` |
//! | `roundtrip` | path | `roundtrip = format_port` |
//! | `idempotent` | flag | `idempotent` (or `idempotent = true` / `= false`) |
//! | `oracle` | path | `oracle = reference::parse_port` |
//! | `ensures` | closure | `ensures = \|s: &str, out: &Result<u16, PortError>\| out.is_err() \|\| !s.is_empty()` |
//! | `deterministic` | flag | `deterministic` |
//! | `may_panic` | flag | `may_panic` |
//! | `timeout_ms` | integer ≥ 1 (u64) | `timeout_ms = 500` |
//! | `max_alloc` | size string ([`parse_size`]) or integer bytes | `max_alloc = "64 MiB"` |
//! | `cases` | integer ≥ 1 (u32) | `cases = 1000` |
//! | `strategy` | `(param = expr, ...)` | `strategy(s = "[0-9]{1,5}", n = 0u32..10)` |
//! | `invariant` | path to a `fn(&Self) -> bool` (on an `impl` block) | `invariant = Ring::is_consistent` |
//! | `sequence_len` | integer ≥ 1 (u32), calls per sequence (on an `impl` block) | `sequence_len = 16` |
//!
//! `strategy(...)` may be given more than once; each parameter at most once. Every other key at most once,
//! and `prompt` excludes `prompt_file`. Strings must not be empty.

pub mod fingerprint;
mod signoff;
mod size;

pub use signoff::{parse_signoff, SignOff};
pub use size::parse_size;

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Expr, Ident, Lit, LitStr, Token};

/// The arguments of one `#[ai_generated(...)]` attribute, typed and spanned.
#[derive(Debug, Clone, Default)]
pub struct AttrArgs {
    /// `prompt = "..."`: the prompt text, inline.
    pub prompt: Option<LitStr>,
    /// `prompt_file = "..."`: a file holding the prompt, relative to the crate root.
    pub prompt_file: Option<LitStr>,
    /// `model = "..."`: the model that wrote the function.
    pub model: Option<LitStr>,
    /// `author = "..."`: who wrote the prompt.
    pub author: Option<LitStr>,
    /// `reviewer = "..."`: who checked the output against the intent.
    pub reviewer: Option<LitStr>,
    /// `test_owner = "..."`: who owns the abuse tests and signs off.
    pub test_owner: Option<LitStr>,
    /// `signed_off = "OWNER DATE FINGERPRINT"`: the literal as written and its parsed form.
    pub signed_off: Option<(LitStr, SignOff)>,
    /// `roundtrip = inverse`: `inverse(f(x)) == x`.
    pub roundtrip: Option<syn::Path>,
    /// `idempotent`: `f(f(x)) == f(x)`.
    pub idempotent: bool,
    /// `oracle = reference`: `f(x) == reference(x)`.
    pub oracle: Option<syn::Path>,
    /// `ensures = |inputs.., out| bool`: a postcondition.
    pub ensures: Option<syn::ExprClosure>,
    /// `deterministic`: equal inputs give equal outputs.
    pub deterministic: bool,
    /// `may_panic`: panics are allowed.
    pub may_panic: bool,
    /// `timeout_ms = N`: per-call time limit.
    pub timeout_ms: Option<u64>,
    /// `max_alloc = "64 MiB"`: peak bytes per call, in bytes.
    pub max_alloc: Option<u64>,
    /// `cases = N`: property-test cases.
    pub cases: Option<u32>,
    /// `strategy(param = expr, ...)`: user strategies per parameter, in the order written.
    pub strategies: Vec<(Ident, Expr)>,
    /// `invariant = path` (on an `impl` block): a `fn(&Self) -> bool` checked along a sequence.
    pub invariant: Option<syn::Path>,
    /// `model = Type` (on an `impl` block, a path rather than a string): the reference model type.
    pub model_type: Option<syn::Path>,
    /// `sequence_len = N` (on an `impl` block): at most this many calls per sequence.
    pub sequence_len: Option<u32>,
    /// Where `sequence_len`'s value was written, for errors.
    pub sequence_len_span: Option<Span>,
}

impl AttrArgs {
    /// These arguments without the sequence keys: what one method of a tagged `impl` block inherits
    /// from the block when it is checked as a function.
    pub fn without_sequence_keys(&self) -> AttrArgs {
        AttrArgs {
            invariant: None,
            model_type: None,
            sequence_len: None,
            sequence_len_span: None,
            ..self.clone()
        }
    }

    /// The keys given that describe a type's sequence property (`invariant`, `model = Type`,
    /// `sequence_len`), each with the span of its value: they belong on an `impl` block.
    pub fn sequence_keys(&self) -> Vec<(&'static str, Span)> {
        let mut out = Vec::new();
        if let Some(p) = &self.invariant {
            out.push(("invariant", p.span()));
        }
        if let Some(p) = &self.model_type {
            out.push(("model", p.span()));
        }
        if let Some(span) = self.sequence_len_span {
            out.push(("sequence_len", span));
        }
        out
    }
}

/// Every key, for "did you mean" and for the error listing them.
pub const KEYS: &[&str] = &[
    "prompt",
    "prompt_file",
    "model",
    "author",
    "reviewer",
    "test_owner",
    "signed_off",
    "roundtrip",
    "idempotent",
    "oracle",
    "ensures",
    "deterministic",
    "may_panic",
    "timeout_ms",
    "max_alloc",
    "cases",
    "strategy",
    "invariant",
    "sequence_len",
];

/// Parses the tokens inside `#[ai_generated(...)]` (an empty stream is the bare form).
///
/// All errors of the attribute are combined into one [`syn::Error`] (`syn::Error::combine`), each spanned
/// on the offending tokens. After a syntax error that leaves the rest unreadable, parsing stops there.
pub fn parse_args(tokens: TokenStream) -> syn::Result<AttrArgs> {
    let parser = |input: ParseStream| {
        let mut state = State::default();
        if let Err(e) = parse_entries(input, &mut state) {
            state.errors.push(e);
        }
        state.finish()
    };
    parser.parse2(tokens)
}

/// Parses a whole attribute: `#[ai_generated]`, `#[ai_generated(...)]`, `#[abuse_macros::ai_generated(...)]`.
pub fn parse_attribute(attr: &syn::Attribute) -> syn::Result<AttrArgs> {
    match &attr.meta {
        syn::Meta::Path(_) => Ok(AttrArgs::default()),
        syn::Meta::List(list) => {
            if !matches!(list.delimiter, syn::MacroDelimiter::Paren(_)) {
                return Err(syn::Error::new(
                    list.delimiter.span().join(),
                    "expected parentheses: `#[ai_generated(key = value, ...)]`",
                ));
            }
            parse_args(list.tokens.clone())
        }
        syn::Meta::NameValue(nv) => Err(syn::Error::new(
            nv.eq_token.span,
            "expected `#[ai_generated]` or `#[ai_generated(key = value, ...)]`",
        )),
    }
}

/// Checks that need the function: every `strategy(x = ..)` must name one of its parameters
/// (`self` names the receiver). The error is spanned on `x`.
pub fn validate_for_fn(args: &AttrArgs, sig: &syn::Signature) -> syn::Result<()> {
    let params: Vec<String> = sig
        .inputs
        .iter()
        .flat_map(|arg| match arg {
            syn::FnArg::Receiver(_) => vec!["self".to_owned()],
            syn::FnArg::Typed(pat) => pat_idents(&pat.pat),
        })
        .collect();
    let mut errors = Errors::default();
    for (name, _) in &args.strategies {
        let name_str = name.unraw().to_string();
        if params.contains(&name_str) {
            continue;
        }
        let fn_name = &sig.ident;
        let mut message =
            format!("`strategy` names `{name_str}`, but `{fn_name}` has no parameter `{name_str}`");
        let candidates: Vec<&str> = params.iter().map(String::as_str).collect();
        match closest(&name_str, &candidates) {
            Some(best) => message.push_str(&format!("; did you mean `{best}`?")),
            None if params.is_empty() => {
                message.push_str(&format!("; `{fn_name}` takes no parameters"))
            }
            None => message.push_str(&format!("; its parameters are: {}", params.join(", "))),
        }
        errors.push(syn::Error::new(name.span(), message));
    }
    for (key, span) in args.sequence_keys() {
        errors.push(syn::Error::new(
            span,
            format!(
                "`{key}` describes a type's sequence of calls: put it in the `#[ai_generated(...)]` on the \
                 inherent `impl` block, not on one function"
            ),
        ));
    }
    errors.finish(())
}

/// The prompt text: inline `prompt`, or the contents of `prompt_file` read relative to `crate_root`
/// (error spanned on the literal when it is missing or unreadable). `Ok(None)` when neither is given.
pub fn prompt_text(args: &AttrArgs, crate_root: &std::path::Path) -> syn::Result<Option<String>> {
    if let Some(prompt) = &args.prompt {
        return Ok(Some(prompt.value()));
    }
    let Some(file) = &args.prompt_file else {
        return Ok(None);
    };
    let path = crate_root.join(file.value());
    std::fs::read_to_string(&path).map(Some).map_err(|e| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_owned(),
            _ => e.to_string().to_lowercase(),
        };
        syn::Error::new(
            file.span(),
            format!(
                "cannot read prompt file `{}`: {reason} (the path is relative to the crate root, \
                 the folder of its Cargo.toml)",
                file.value()
            ),
        )
    })
}

/// Collected errors, combined into one at the end.
#[derive(Default)]
struct Errors(Vec<syn::Error>);

impl Errors {
    fn push(&mut self, e: syn::Error) {
        self.0.push(e);
    }

    fn finish<T>(self, value: T) -> syn::Result<T> {
        let mut iter = self.0.into_iter();
        match iter.next() {
            None => Ok(value),
            Some(mut first) => {
                first.extend(iter);
                Err(first)
            }
        }
    }
}

#[derive(Default)]
struct State {
    args: AttrArgs,
    errors: Vec<syn::Error>,
    seen: Vec<(String, Span)>,
}

impl State {
    fn finish(self) -> syn::Result<AttrArgs> {
        Errors(self.errors).finish(self.args)
    }

    fn error(&mut self, span: Span, message: impl std::fmt::Display) {
        self.errors.push(syn::Error::new(span, message));
    }
}

/// What follows a key.
enum Value {
    /// `key`
    Bare,
    /// `key = expr`
    Expr(Expr),
    /// `key(tokens)`
    List(TokenStream, Span),
}

fn parse_entries(input: ParseStream, state: &mut State) -> syn::Result<()> {
    while !input.is_empty() {
        let key = input.call(Ident::parse_any).map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected a key such as `prompt = \"...\"`, `idempotent` or `strategy(x = ...)`",
            )
        })?;
        let value = if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            Value::Expr(input.parse()?)
        } else if input.peek(syn::token::Paren) {
            let content;
            let paren = syn::parenthesized!(content in input);
            Value::List(content.parse()?, paren.span.join())
        } else {
            Value::Bare
        };
        handle_entry(state, key, value);
        if input.is_empty() {
            break;
        }
        input
            .parse::<Token![,]>()
            .map_err(|e| syn::Error::new(e.span(), "expected `,` between entries"))?;
    }
    Ok(())
}

fn handle_entry(state: &mut State, key: Ident, value: Value) {
    let name = key.unraw().to_string();
    if !KEYS.contains(&name.as_str()) {
        let mut message = format!("unknown key `{name}`");
        match closest(&name, KEYS) {
            Some(best) => message.push_str(&format!("; did you mean `{best}`?")),
            None => message.push_str(&format!("; expected one of: {}", KEYS.join(", "))),
        }
        state.error(key.span(), message);
        return;
    }
    // `model = "gpt-5"` (the LLM) and `model = Type` (the reference model) may both be given.
    let seen_name = match (&*name, &value) {
        ("model", Value::Expr(Expr::Path(_))) => "model = Type".to_owned(),
        _ => name.clone(),
    };
    if name != "strategy" {
        if state.seen.iter().any(|(seen, _)| *seen == seen_name) {
            state.error(key.span(), format!("duplicate key `{seen_name}`"));
            return;
        }
        let conflict = match name.as_str() {
            "prompt" => Some("prompt_file"),
            "prompt_file" => Some("prompt"),
            _ => None,
        };
        if let Some(other) = conflict {
            if state.seen.iter().any(|(seen, _)| seen == other) {
                state.error(
                    key.span(),
                    format!(
                        "`{name}` conflicts with `{other}`: give the prompt inline or in a file, not both"
                    ),
                );
                return;
            }
        }
        state.seen.push((seen_name, key.span()));
    }
    let ks = key.span();
    let args = &mut state.args;
    let result = match name.as_str() {
        "prompt" => string(&name, ks, value).map(|v| args.prompt = Some(v)),
        "prompt_file" => string(&name, ks, value).map(|v| args.prompt_file = Some(v)),
        "model" => match &value {
            Value::Expr(Expr::Path(_)) => path(&name, ks, value).map(|v| args.model_type = Some(v)),
            Value::Expr(Expr::Lit(_)) => string(&name, ks, value).map(|v| args.model = Some(v)),
            _ => Err(wrong_kind(
                ks,
                &name,
                &value,
                "a string literal naming the LLM (`model = \"gpt-5\"`) or, on an `impl` block, a path to \
                 the reference model type (`model = RingModel`)",
            )),
        },
        "invariant" => path(&name, ks, value).map(|v| args.invariant = Some(v)),
        "sequence_len" => {
            let span = value_span(&value);
            int::<u32>(&name, ks, value).map(|v| {
                args.sequence_len = Some(v);
                args.sequence_len_span = span;
            })
        }
        "author" => string(&name, ks, value).map(|v| args.author = Some(v)),
        "reviewer" => string(&name, ks, value).map(|v| args.reviewer = Some(v)),
        "test_owner" => string(&name, ks, value).map(|v| args.test_owner = Some(v)),
        "signed_off" => string(&name, ks, value).and_then(|lit| {
            let parsed = parse_signoff(&lit.value()).map_err(|e| syn::Error::new(lit.span(), e))?;
            args.signed_off = Some((lit, parsed));
            Ok(())
        }),
        "roundtrip" => path(&name, ks, value).map(|v| args.roundtrip = Some(v)),
        "oracle" => path(&name, ks, value).map(|v| args.oracle = Some(v)),
        "ensures" => closure(&name, ks, value).map(|v| args.ensures = Some(v)),
        "idempotent" => flag(&name, ks, value).map(|v| args.idempotent = v),
        "deterministic" => flag(&name, ks, value).map(|v| args.deterministic = v),
        "may_panic" => flag(&name, ks, value).map(|v| args.may_panic = v),
        "timeout_ms" => int::<u64>(&name, ks, value).map(|v| args.timeout_ms = Some(v)),
        "cases" => int::<u32>(&name, ks, value).map(|v| args.cases = Some(v)),
        "max_alloc" => max_alloc(ks, value).map(|v| args.max_alloc = Some(v)),
        "strategy" => strategies(ks, value, &mut args.strategies),
        _ => unreachable!("every key in KEYS is handled"),
    };
    if let Err(e) = result {
        state.errors.push(e);
    }
}

fn value_span(value: &Value) -> Option<Span> {
    match value {
        Value::Bare => None,
        Value::Expr(e) => Some(e.span()),
        Value::List(_, span) => Some(*span),
    }
}

/// The error for a value of the wrong kind, spanned on the value (or on the key when it has none).
fn wrong_kind(key_span: Span, key: &str, value: &Value, expected: &str) -> syn::Error {
    let span = value_span(value).unwrap_or(key_span);
    syn::Error::new(span, format!("`{key}` expects {expected}"))
}

fn string(key: &str, ks: Span, value: Value) -> syn::Result<LitStr> {
    let expected = format!("a string literal: `{key} = \"...\"`");
    match &value {
        Value::Expr(Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s),
            attrs,
        })) if attrs.is_empty() => {
            if s.value().trim().is_empty() {
                Err(syn::Error::new(
                    s.span(),
                    format!("`{key}` must not be empty"),
                ))
            } else {
                Ok(s.clone())
            }
        }
        _ => Err(wrong_kind(ks, key, &value, &expected)),
    }
}

fn path(key: &str, ks: Span, value: Value) -> syn::Result<syn::Path> {
    let expected = format!("a path to a function: `{key} = my_inverse` (not a string)");
    match &value {
        Value::Expr(Expr::Path(p)) if p.qself.is_none() && p.attrs.is_empty() => Ok(p.path.clone()),
        _ => Err(wrong_kind(ks, key, &value, &expected)),
    }
}

fn closure(key: &str, ks: Span, value: Value) -> syn::Result<syn::ExprClosure> {
    match value {
        Value::Expr(Expr::Closure(c)) => Ok(c),
        other => Err(wrong_kind(
            ks,
            key,
            &other,
            "a closure: `ensures = |input, out| ...` taking `&` of each input and then `&output`",
        )),
    }
}

fn flag(key: &str, ks: Span, value: Value) -> syn::Result<bool> {
    match &value {
        Value::Bare => Ok(true),
        Value::Expr(Expr::Lit(syn::ExprLit {
            lit: Lit::Bool(b), ..
        })) => Ok(b.value),
        _ => Err(syn::Error::new(
            value_span(&value).unwrap_or(ks),
            format!("`{key}` is a flag: write `{key}`, `{key} = true` or `{key} = false`"),
        )),
    }
}

fn int<T>(key: &str, ks: Span, value: Value) -> syn::Result<T>
where
    T: std::str::FromStr + PartialEq + Default + std::fmt::Display + Bounded,
    T::Err: std::fmt::Display,
{
    let expected = format!("a positive integer literal: `{key} = 100`");
    let lit = match &value {
        Value::Expr(Expr::Lit(syn::ExprLit {
            lit: Lit::Int(i), ..
        })) => i,
        _ => return Err(wrong_kind(ks, key, &value, &expected)),
    };
    let n: T = lit.base10_parse().map_err(|_| {
        syn::Error::new(
            lit.span(),
            format!("`{key}` must be between 1 and {}", T::MAX_TEXT),
        )
    })?;
    if n == T::default() {
        return Err(syn::Error::new(
            lit.span(),
            format!("`{key}` must be at least 1"),
        ));
    }
    Ok(n)
}

/// The largest value of an integer type, for messages.
trait Bounded {
    const MAX_TEXT: &'static str;
}

impl Bounded for u64 {
    const MAX_TEXT: &'static str = "18446744073709551615";
}

impl Bounded for u32 {
    const MAX_TEXT: &'static str = "4294967295";
}

fn max_alloc(ks: Span, value: Value) -> syn::Result<u64> {
    match &value {
        Value::Expr(Expr::Lit(syn::ExprLit {
            lit: Lit::Str(s), ..
        })) => parse_size(&s.value()).map_err(|e| syn::Error::new(s.span(), e)),
        Value::Expr(Expr::Lit(syn::ExprLit {
            lit: Lit::Int(_), ..
        })) => int::<u64>("max_alloc", ks, value),
        _ => Err(wrong_kind(
            ks,
            "max_alloc",
            &value,
            "a size string such as `max_alloc = \"64 MiB\"`",
        )),
    }
}

fn strategies(ks: Span, value: Value, out: &mut Vec<(Ident, Expr)>) -> syn::Result<()> {
    let (tokens, span) = match value {
        Value::List(tokens, span) => (tokens, span),
        other => {
            return Err(wrong_kind(
                ks,
                "strategy",
                &other,
                "a list: `strategy(param = expr, ...)`",
            ))
        }
    };
    let entry = |input: ParseStream| -> syn::Result<(Ident, Expr)> {
        let name = input.call(Ident::parse_any)?;
        input.parse::<Token![=]>()?;
        Ok((name, input.parse()?))
    };
    let parser = |input: ParseStream| {
        syn::punctuated::Punctuated::<(Ident, Expr), Token![,]>::parse_terminated_with(input, entry)
    };
    let entries = parser.parse2(tokens).map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("{e}; expected `strategy(param = expr, ...)`"),
        )
    })?;
    if entries.is_empty() {
        return Err(syn::Error::new(
            span,
            "`strategy()` is empty; expected `strategy(param = expr, ...)`",
        ));
    }
    let mut errors = Errors::default();
    for (name, expr) in entries {
        if out.iter().any(|(seen, _)| seen == &name) {
            errors.push(syn::Error::new(
                name.span(),
                format!("duplicate strategy for parameter `{}`", name.unraw()),
            ));
        } else {
            out.push((name, expr));
        }
    }
    errors.finish(())
}

/// The identifiers a parameter pattern binds.
fn pat_idents(pat: &syn::Pat) -> Vec<String> {
    match pat {
        syn::Pat::Ident(p) => vec![p.ident.unraw().to_string()],
        syn::Pat::Reference(r) => pat_idents(&r.pat),
        syn::Pat::Tuple(t) => t.elems.iter().flat_map(pat_idents).collect(),
        syn::Pat::TupleStruct(t) => t.elems.iter().flat_map(pat_idents).collect(),
        syn::Pat::Struct(s) => s.fields.iter().flat_map(|f| pat_idents(&f.pat)).collect(),
        syn::Pat::Slice(s) => s.elems.iter().flat_map(pat_idents).collect(),
        syn::Pat::Paren(p) => pat_idents(&p.pat),
        syn::Pat::Type(t) => pat_idents(&t.pat),
        _ => Vec::new(),
    }
}

/// The candidate closest to `word`, when close enough to be a plausible typo.
#[cfg_attr(test, abuse_macros::ai_generated(
    prompt = "Suggest the candidate closest to a mistyped attribute key (edit distance, or containment for longer words), or none when nothing is plausibly meant",
    model = "claude",
    author = "lead",
    reviewer = "lead",
    test_owner = "lead",
    deterministic,
    // Each case builds hundreds of candidates up to 200,000 characters long: fewer cases keep CI quick.
    cases = 64,
    // A suggestion is always one of the candidates, and an exact match suggests itself.
    ensures = |word: &str, candidates: &[&str], out: &Option<&str>| {
        out.is_none_or(|c| candidates.contains(&c))
            && (!candidates.contains(&word) || *out == Some(word))
    }
))]
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if let Some(exact) = candidates.iter().find(|c| **c == word) {
        return Some(exact);
    }
    // Edit distance is quadratic: past identifier-like lengths only containment counts (found by the
    // dogfood harness: a 100,000-character word took minutes).
    const MAX_EDIT_LEN: usize = 64;
    candidates
        .iter()
        .map(|c| {
            let distance = if word.len() <= MAX_EDIT_LEN && c.len() <= MAX_EDIT_LEN {
                levenshtein(word, c)
            } else {
                usize::MAX
            };
            (distance, *c)
        })
        .filter(|(distance, c)| {
            *distance <= 2.max(word.len().max(c.len()) / 3)
                || (word.len() >= 4 && (c.contains(word) || word.contains(c)))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn attribute(src: &str) -> syn::Attribute {
        syn::Attribute::parse_outer
            .parse_str(src)
            .expect("test attribute parses")
            .remove(0)
    }

    fn errors_of(tokens: TokenStream) -> Vec<String> {
        parse_args(tokens)
            .expect_err("arguments are invalid")
            .into_iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn bare_attribute_has_no_arguments() {
        let args = parse_args(TokenStream::new()).unwrap();
        assert!(args.prompt.is_none() && !args.idempotent && args.strategies.is_empty());
        let attr: syn::Attribute = syn::parse_quote!(#[ai_generated]);
        assert!(parse_attribute(&attr).unwrap().prompt.is_none());
    }

    #[test]
    fn every_key_parses_into_its_field() {
        let args = parse_args(quote! {
            prompt = "Parse a port", model = "m1", author = "alice", reviewer = "carol",
            test_owner = "bob", signed_off = "bob 2026-11-27 0123456789abcdef",
            roundtrip = format_port, idempotent, oracle = reference::parse,
            ensures = |s: &str, out: &Result<u16, E>| out.is_err() || !s.is_empty(),
            deterministic, may_panic = false, timeout_ms = 500, max_alloc = "64 MiB",
            cases = 1000, strategy(s = "[0-9]+", n = 0u32..10), strategy(r#type = any()),
        })
        .unwrap();
        assert_eq!(args.prompt.unwrap().value(), "Parse a port");
        assert_eq!(args.model.unwrap().value(), "m1");
        assert_eq!(args.author.unwrap().value(), "alice");
        assert_eq!(args.reviewer.unwrap().value(), "carol");
        assert_eq!(args.test_owner.unwrap().value(), "bob");
        assert_eq!(args.signed_off.unwrap().1.fingerprint, "0123456789abcdef");
        assert!(args.roundtrip.unwrap().is_ident("format_port"));
        assert!(args.idempotent);
        assert_eq!(args.oracle.unwrap().segments.len(), 2);
        assert_eq!(args.ensures.unwrap().inputs.len(), 2);
        assert!(args.deterministic);
        assert!(!args.may_panic);
        assert_eq!(args.timeout_ms, Some(500));
        assert_eq!(args.max_alloc, Some(64 << 20));
        assert_eq!(args.cases, Some(1000));
        let names: Vec<String> = args.strategies.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(names, ["s", "n", "r#type"]);
    }

    #[test]
    fn prompt_file_and_integer_max_alloc_parse() {
        let args = parse_args(quote!(prompt_file = "p.md", max_alloc = 4096)).unwrap();
        assert_eq!(args.prompt_file.unwrap().value(), "p.md");
        assert_eq!(args.max_alloc, Some(4096));
    }

    #[test]
    fn unknown_keys_suggest_the_closest() {
        assert_eq!(
            errors_of(quote!(promt = "x")),
            ["unknown key `promt`; did you mean `prompt`?"]
        );
        assert_eq!(
            errors_of(quote!(timeout = 5)),
            ["unknown key `timeout`; did you mean `timeout_ms`?"]
        );
        assert_eq!(
            errors_of(quote!(owner = "b")),
            ["unknown key `owner`; did you mean `test_owner`?"]
        );
        assert!(
            errors_of(quote!(zzz))[0].starts_with("unknown key `zzz`; expected one of: prompt,")
        );
    }

    #[test]
    fn wrong_value_kinds_are_reported() {
        let cases = [
            (quote!(prompt = 5), "`prompt` expects a string literal"),
            (quote!(author), "`author` expects a string literal"),
            (
                quote!(timeout_ms = "5"),
                "`timeout_ms` expects a positive integer literal",
            ),
            (
                quote!(cases = -1),
                "`cases` expects a positive integer literal",
            ),
            (
                quote!(roundtrip = "f"),
                "`roundtrip` expects a path to a function",
            ),
            (quote!(ensures = "x > 0"), "`ensures` expects a closure"),
            (
                quote!(idempotent = 1),
                "`idempotent` is a flag: write `idempotent`",
            ),
            (quote!(strategy = x), "`strategy` expects a list"),
            (quote!(max_alloc = big), "`max_alloc` expects a size string"),
            (quote!(prompt = ""), "`prompt` must not be empty"),
        ];
        for (tokens, needle) in cases {
            let errors = errors_of(tokens.clone());
            assert!(errors[0].starts_with(needle), "{tokens}: {errors:?}");
        }
    }

    #[test]
    fn duplicates_and_conflicts_are_reported_on_the_second() {
        assert_eq!(
            errors_of(quote!(author = "a", author = "b")),
            ["duplicate key `author`"]
        );
        assert_eq!(
            errors_of(quote!(idempotent, idempotent)),
            ["duplicate key `idempotent`"]
        );
        assert_eq!(
            errors_of(quote!(prompt = "a", prompt_file = "b")),
            ["`prompt_file` conflicts with `prompt`: give the prompt inline or in a file, not both"]
        );
        assert_eq!(
            errors_of(quote!(strategy(x = a), strategy(x = b))),
            ["duplicate strategy for parameter `x`"]
        );
    }

    #[test]
    fn bad_numbers_sizes_and_signoffs_are_reported() {
        assert_eq!(
            errors_of(quote!(timeout_ms = 0)),
            ["`timeout_ms` must be at least 1"]
        );
        assert_eq!(
            errors_of(quote!(cases = 4294967296)),
            ["`cases` must be between 1 and 4294967295"]
        );
        assert!(errors_of(quote!(max_alloc = "64 MB/s"))[0].starts_with("invalid size `64 MB/s`"));
        assert!(errors_of(quote!(signed_off = "bob"))[0].starts_with("malformed sign-off `bob`"));
    }

    #[test]
    fn all_errors_of_one_attribute_are_reported_together() {
        let errors = errors_of(quote!(
            promt = "x",
            timeout_ms = "5",
            author = "a",
            author = "b",
            cases = 0
        ));
        assert_eq!(errors.len(), 4, "{errors:?}");
    }

    #[test]
    fn syntax_errors_stop_parsing_but_keep_earlier_errors() {
        let errors = errors_of(quote!(promt = "x", prompt = ));
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors_of(quote!(prompt = "a" model = "b"))[0].contains("expected `,`"));
        assert!(errors_of(quote!("prompt"))[0].starts_with("expected a key"));
    }

    #[test]
    fn errors_are_spanned_on_the_offending_tokens() {
        let attr = attribute("#[ai_generated(prompt = \"a\", timeout_ms = \"5\")]");
        let err = parse_attribute(&attr).unwrap_err();
        let span = err.span();
        assert_eq!((span.start().column, span.end().column), (42, 45));
    }

    #[test]
    fn name_value_attribute_form_is_rejected() {
        let attr = attribute("#[ai_generated = \"x\"]");
        assert!(parse_attribute(&attr)
            .unwrap_err()
            .to_string()
            .starts_with("expected `#[ai_generated]`"));
    }

    #[test]
    fn strategies_must_name_parameters() {
        let args = parse_args(quote!(strategy(s = any(), lenn = 0..3, self = any()))).unwrap();
        let sig: syn::Signature = syn::parse_str("fn f(&self, s: &str, len: usize)").unwrap();
        let errors: Vec<String> = validate_for_fn(&args, &sig)
            .unwrap_err()
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(
            errors,
            ["`strategy` names `lenn`, but `f` has no parameter `lenn`; did you mean `len`?"]
        );
        let none: syn::Signature = syn::parse_str("fn g()").unwrap();
        assert!(validate_for_fn(&args, &none)
            .unwrap_err()
            .to_string()
            .ends_with("`g` takes no parameters"));
        let tuple: syn::Signature = syn::parse_str("fn h((s, lenn): (u8, u8), _self: u8)").unwrap();
        let ok = parse_args(quote!(strategy(s = a(), lenn = b()))).unwrap();
        validate_for_fn(&ok, &tuple).unwrap();
    }

    #[test]
    fn prompt_text_reads_inline_or_from_the_crate_root() {
        let dir = std::env::temp_dir().join(format!("abuse-attr-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("prompts")).unwrap();
        std::fs::write(dir.join("prompts/p.md"), "from a file\n").unwrap();
        let inline = parse_args(quote!(prompt = "inline")).unwrap();
        assert_eq!(
            prompt_text(&inline, &dir).unwrap().as_deref(),
            Some("inline")
        );
        let file = parse_args(quote!(prompt_file = "prompts/p.md")).unwrap();
        assert_eq!(
            prompt_text(&file, &dir).unwrap().as_deref(),
            Some("from a file\n")
        );
        let missing = parse_args(quote!(prompt_file = "prompts/nope.md")).unwrap();
        let err = prompt_text(&missing, &dir).unwrap_err().to_string();
        assert!(
            err.starts_with("cannot read prompt file `prompts/nope.md`"),
            "{err}"
        );
        assert!(err.contains("no such file"), "{err}");
        assert_eq!(prompt_text(&AttrArgs::default(), &dir).unwrap(), None);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn closest_needs_a_plausible_typo() {
        assert_eq!(closest("reviwer", KEYS), Some("reviewer"));
        assert_eq!(closest("strategies", KEYS), Some("strategy"));
        assert_eq!(closest("signoff", KEYS), Some("signed_off"));
        assert_eq!(closest("xyz", KEYS), None);
    }
}

#[cfg(test)]
mod sequence_key_tests {
    use super::*;
    use quote::quote;

    fn errors_of(tokens: TokenStream) -> Vec<String> {
        match parse_args(tokens) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn sequence_keys_parse_and_model_keeps_both_meanings() {
        let args = parse_args(quote! {
            model = "gpt-5", model = RingModel, invariant = Ring::is_consistent, sequence_len = 12,
        })
        .unwrap();
        assert_eq!(args.model.unwrap().value(), "gpt-5");
        assert!(args.model_type.unwrap().is_ident("RingModel"));
        assert_eq!(args.invariant.unwrap().segments.len(), 2);
        assert_eq!(args.sequence_len, Some(12));
        assert!(args.sequence_len_span.is_some());
    }

    #[test]
    fn sequence_key_misuse_is_reported() {
        assert!(errors_of(quote!(invariant = "f"))[0].contains("`invariant` expects a path"));
        assert!(errors_of(quote!(sequence_len = 0))[0].contains("at least 1"));
        assert!(errors_of(quote!(model = 3))[0].contains("`model` expects a string literal"));
        assert!(errors_of(quote!(model = |x| x))[0].contains("reference model type"));
        assert!(errors_of(quote!(model = A, model = B))[0].contains("duplicate key `model = Type`"));
        assert!(errors_of(quote!(model = "a", model = "b"))[0].contains("duplicate key `model`"));
        assert!(errors_of(quote!(invariant = f, invariant = g))[0].contains("duplicate key"));
    }

    #[test]
    fn sequence_keys_on_a_function_are_refused_at_their_value() {
        let args = parse_args(quote!(invariant = ok, model = M, sequence_len = 3)).unwrap();
        let sig: syn::Signature = syn::parse_str("fn push(&mut self, x: u8)").unwrap();
        let errors: Vec<String> = validate_for_fn(&args, &sig)
            .unwrap_err()
            .into_iter()
            .map(|e| e.to_string())
            .collect();
        assert_eq!(errors.len(), 3);
        assert!(errors[0].starts_with("`invariant` describes a type's sequence"));
        assert!(errors[1].starts_with("`model` describes"));
        assert!(errors[2].starts_with("`sequence_len` describes"));
        let plain = parse_args(quote!(model = "gpt-5")).unwrap();
        assert!(validate_for_fn(&plain, &sig).is_ok());
    }
}
