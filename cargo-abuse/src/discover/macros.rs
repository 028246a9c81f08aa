//! Trait impls written by `macro_rules!` (proc_macro2 token trees, through `discover`): every item-level
//! invocation of a crate macro whose expansion can hold an `impl` is expanded by a small `macro_rules`
//! matcher (fragments such as `ty` and `expr` parsed with syn), nested invocations included up to a depth,
//! and the `impl ... for` items of the expansions are handed back (`num_traits::Zero` for `usize`,
//! `arrayvec::Array` for `[T; 8]`, `itoa::Integer` for `u8`).

use std::collections::{HashMap, HashSet};

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};

use super::tree::Tree;

/// How deep invocations may nest (a macro calling a macro calling ...).
const MAX_DEPTH: u32 = 8;
/// How many expansions one crate may cost in all.
const MAX_EXPANSIONS: usize = 20_000;

/// One `(matcher) => { transcriber }` rule.
#[derive(Clone)]
struct Arm {
    matcher: Vec<TokenTree>,
    body: Vec<TokenTree>,
}

/// What a metavariable was bound to.
#[derive(Clone)]
enum Binding {
    One(Vec<TokenTree>),
    /// Inside `$( ... )`: the bindings of each repetition.
    Many(Vec<Bindings>),
}

type Bindings = HashMap<String, Binding>;

/// The `impl Trait for Type` items that invocations of the crate's `macro_rules!` macros expand to.
pub(super) fn macro_trait_impls(tree: &Tree) -> Vec<syn::ItemImpl> {
    // Every definition of each name, in the order the walk below meets them: a crate may define one name
    // twice (humansize's `impl_unsigned!` for `Unsigned`, then again for `Signed`).
    let mut definitions: HashMap<String, Vec<Vec<Arm>>> = HashMap::new();
    for module in &tree.modules {
        for (name, m) in module.items.iter().filter_map(definition) {
            let arms = arms_of(m.mac.tokens.clone());
            definitions.entry(name.to_string()).or_default().push(arms);
        }
    }
    // An invocation before any definition of its name (one in a later module, `#[macro_use]`) tries the arms
    // of all of them.
    let defs: HashMap<String, Vec<Arm>> = definitions
        .iter()
        .map(|(name, all)| (name.clone(), all.iter().flatten().cloned().collect()))
        .filter(|(_, arms): &(String, Vec<Arm>)| !arms.is_empty())
        .collect();
    let relevant = relevant_macros(&defs);
    if relevant.is_empty() {
        return Vec::new();
    }
    let mut expander = Expander {
        defs: &defs,
        definitions: &definitions,
        in_scope: HashMap::new(),
        relevant: &relevant,
        budget: MAX_EXPANSIONS,
        out: Vec::new(),
    };
    for module in &tree.modules {
        for item in &module.items {
            if let Some((name, _)) = definition(item) {
                // `macro_rules!` scoping is textual: from here on, this definition is the one in effect.
                let name = name.to_string();
                let index = expander.in_scope.get(&name).map_or(0, |i| i + 1);
                expander.in_scope.insert(name, index);
            } else if let syn::Item::Macro(m) = item {
                expander.invocation(&m.mac, 0);
            }
        }
    }
    expander.out
}

/// A `macro_rules!` definition: its name and item.
fn definition(item: &syn::Item) -> Option<(&syn::Ident, &syn::ItemMacro)> {
    match item {
        syn::Item::Macro(m) if m.mac.path.is_ident("macro_rules") => {
            m.ident.as_ref().map(|n| (n, m))
        }
        _ => None,
    }
}

/// The macros whose expansion may hold an `impl`: those whose rules name `impl`, and those invoking one.
fn relevant_macros(defs: &HashMap<String, Vec<Arm>>) -> HashSet<String> {
    let mut relevant: HashSet<String> = defs
        .iter()
        .filter(|(_, arms)| arms.iter().any(|a| has_ident(&a.body, "impl")))
        .map(|(name, _)| name.clone())
        .collect();
    loop {
        let more: Vec<String> = defs
            .iter()
            .filter(|(name, _)| !relevant.contains(*name))
            .filter(|(_, arms)| {
                arms.iter()
                    .any(|a| invoked(&a.body).iter().any(|n| relevant.contains(n)))
            })
            .map(|(name, _)| name.clone())
            .collect();
        if more.is_empty() {
            return relevant;
        }
        relevant.extend(more);
    }
}

fn has_ident(tokens: &[TokenTree], name: &str) -> bool {
    tokens.iter().any(|t| match t {
        TokenTree::Ident(i) => i == name,
        TokenTree::Group(g) => has_ident(&g.stream().into_iter().collect::<Vec<_>>(), name),
        _ => false,
    })
}

/// Names `x` of every `x!` in the tokens.
fn invoked(tokens: &[TokenTree]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        match t {
            TokenTree::Ident(id) => {
                if matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!') {
                    out.push(id.to_string());
                }
            }
            TokenTree::Group(g) => out.extend(invoked(&g.stream().into_iter().collect::<Vec<_>>())),
            _ => {}
        }
    }
    out
}

/// The rules of a `macro_rules!` body: `(m) => {t};` repeated.
fn arms_of(tokens: TokenStream) -> Vec<Arm> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut arms = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if i + 3 >= tokens.len() {
            return Vec::new();
        }
        let (TokenTree::Group(m), TokenTree::Punct(eq), TokenTree::Punct(gt), TokenTree::Group(b)) =
            (&tokens[i], &tokens[i + 1], &tokens[i + 2], &tokens[i + 3])
        else {
            return Vec::new();
        };
        if eq.as_char() != '=' || gt.as_char() != '>' {
            return Vec::new();
        }
        arms.push(Arm {
            matcher: m.stream().into_iter().collect(),
            body: b.stream().into_iter().collect(),
        });
        i += 4;
        if matches!(tokens.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ';') {
            i += 1;
        }
    }
    arms
}

struct Expander<'d> {
    /// Each name's arms, all its definitions together.
    defs: &'d HashMap<String, Vec<Arm>>,
    /// Each name's definitions, in walk order.
    definitions: &'d HashMap<String, Vec<Vec<Arm>>>,
    /// The index in `definitions` of the definition in effect where the walk is.
    in_scope: HashMap<String, usize>,
    relevant: &'d HashSet<String>,
    budget: usize,
    out: Vec<syn::ItemImpl>,
}

impl Expander<'_> {
    /// Expands `name!(tokens)` when it is a relevant crate macro, and records what it yields.
    fn invocation(&mut self, mac: &syn::Macro, depth: u32) {
        let Some(name) = mac.path.segments.last().map(|s| s.ident.to_string()) else {
            return;
        };
        if depth > MAX_DEPTH || self.budget == 0 || !self.relevant.contains(&name) {
            return;
        }
        let scoped = self
            .in_scope
            .get(&name)
            .and_then(|&i| self.definitions.get(&name)?.get(i));
        let Some(arms) = scoped.or_else(|| self.defs.get(&name)) else {
            return;
        };
        self.budget -= 1;
        let input: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
        let expanded = arms.iter().find_map(|arm| {
            let mut binds = Bindings::new();
            match match_prefix(&arm.matcher, &input, &mut binds) {
                Some(n) if n == input.len() => transcribe(&arm.body, &[&binds]),
                _ => None,
            }
        });
        let Some(expanded) = expanded else {
            return;
        };
        let Ok(file) = syn::parse2::<syn::File>(expanded) else {
            return;
        };
        self.items(&file.items, depth);
    }

    fn items(&mut self, items: &[syn::Item], depth: u32) {
        for item in items {
            match item {
                syn::Item::Impl(imp) if imp.trait_.is_some() => self.out.push(imp.clone()),
                syn::Item::Macro(m) => self.invocation(&m.mac, depth + 1),
                syn::Item::Mod(m) => {
                    if let Some((_, content)) = &m.content {
                        self.items(content, depth);
                    }
                }
                _ => {}
            }
        }
    }
}

/// Matches `pattern` against a prefix of `input`, binding metavariables; the number of token trees used.
fn match_prefix(pattern: &[TokenTree], input: &[TokenTree], binds: &mut Bindings) -> Option<usize> {
    let mut pi = 0;
    let mut ii = 0;
    while pi < pattern.len() {
        match &pattern[pi] {
            TokenTree::Punct(p) if p.as_char() == '$' => match pattern.get(pi + 1) {
                Some(TokenTree::Ident(name)) if name != "crate" => {
                    let (Some(TokenTree::Punct(colon)), Some(TokenTree::Ident(kind))) =
                        (pattern.get(pi + 2), pattern.get(pi + 3))
                    else {
                        return None;
                    };
                    if colon.as_char() != ':' {
                        return None;
                    }
                    let used = fragment(&kind.to_string(), &input[ii..])?;
                    binds.insert(
                        name.to_string(),
                        Binding::One(input[ii..ii + used].to_vec()),
                    );
                    ii += used;
                    pi += 4;
                }
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                    let (sep, op, suffix) = repetition_suffix(&pattern[pi + 2..])?;
                    pi += 2 + suffix;
                    let mut iterations: Vec<Bindings> = Vec::new();
                    loop {
                        if op == '?' && iterations.len() == 1 {
                            break;
                        }
                        let mut at = ii;
                        if let (Some(sep), false) = (&sep, iterations.is_empty()) {
                            if !input.get(at).is_some_and(|t| token_eq(sep, t)) {
                                break;
                            }
                            at += 1;
                        }
                        let mut b = Bindings::new();
                        match match_prefix(&inner, &input[at..], &mut b) {
                            Some(n) if n > 0 => {
                                iterations.push(b);
                                ii = at + n;
                            }
                            _ => break,
                        }
                    }
                    if op == '+' && iterations.is_empty() {
                        return None;
                    }
                    for name in declared(&inner) {
                        binds.insert(name, Binding::Many(iterations.clone()));
                    }
                }
                _ => {
                    // `$crate` or a stray `$`: matched literally.
                    if !input.get(ii).is_some_and(|t| token_eq(&pattern[pi], t)) {
                        return None;
                    }
                    ii += 1;
                    pi += 1;
                }
            },
            TokenTree::Group(pg) => {
                let Some(TokenTree::Group(ig)) = input.get(ii) else {
                    return None;
                };
                if pg.delimiter() != ig.delimiter() {
                    return None;
                }
                let pat: Vec<TokenTree> = pg.stream().into_iter().collect();
                let inp: Vec<TokenTree> = ig.stream().into_iter().collect();
                if match_prefix(&pat, &inp, binds)? != inp.len() {
                    return None;
                }
                ii += 1;
                pi += 1;
            }
            literal => {
                if !input.get(ii).is_some_and(|t| token_eq(literal, t)) {
                    return None;
                }
                ii += 1;
                pi += 1;
            }
        }
    }
    Some(ii)
}

/// After `$( ... )`: the separator (if any), the operator (`*`, `+`, `?`), and how many tokens they take.
fn repetition_suffix(rest: &[TokenTree]) -> Option<(Option<TokenTree>, char, usize)> {
    let op = |t: Option<&TokenTree>| match t {
        Some(TokenTree::Punct(p)) if matches!(p.as_char(), '*' | '+' | '?') => Some(p.as_char()),
        _ => None,
    };
    if let Some(c) = op(rest.first()) {
        return Some((None, c, 1));
    }
    let c = op(rest.get(1))?;
    Some((Some(rest[0].clone()), c, 2))
}

/// The metavariables a matcher declares (`$x:ty`), nested repetitions included.
fn declared(pattern: &[TokenTree]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, t) in pattern.iter().enumerate() {
        match t {
            TokenTree::Punct(p) if p.as_char() == '$' => {
                if let (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(c))) =
                    (pattern.get(i + 1), pattern.get(i + 2))
                {
                    if c.as_char() == ':' {
                        out.push(name.to_string());
                    }
                }
            }
            TokenTree::Group(g) => {
                out.extend(declared(&g.stream().into_iter().collect::<Vec<_>>()))
            }
            _ => {}
        }
    }
    out
}

fn token_eq(a: &TokenTree, b: &TokenTree) -> bool {
    match (a, b) {
        (TokenTree::Ident(x), TokenTree::Ident(y)) => x == y,
        (TokenTree::Punct(x), TokenTree::Punct(y)) => x.as_char() == y.as_char(),
        (TokenTree::Literal(x), TokenTree::Literal(y)) => x.to_string() == y.to_string(),
        (TokenTree::Group(x), TokenTree::Group(y)) => {
            x.delimiter() == y.delimiter() && x.stream().to_string() == y.stream().to_string()
        }
        _ => false,
    }
}

/// How many token trees at the start of `input` a fragment of kind `kind` takes.
fn fragment(kind: &str, input: &[TokenTree]) -> Option<usize> {
    let first = input.first();
    match kind {
        "tt" => first.map(|_| 1),
        "ident" => matches!(first, Some(TokenTree::Ident(_))).then_some(1),
        "block" => matches!(first, Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace)
            .then_some(1),
        "lifetime" => match (first, input.get(1)) {
            (Some(TokenTree::Punct(p)), Some(TokenTree::Ident(_))) if p.as_char() == '\'' => {
                Some(2)
            }
            _ => None,
        },
        "literal" => match (first, input.get(1)) {
            (Some(TokenTree::Literal(_)), _) => Some(1),
            (Some(TokenTree::Ident(i)), _) if i == "true" || i == "false" => Some(1),
            (Some(TokenTree::Punct(p)), Some(TokenTree::Literal(_))) if p.as_char() == '-' => {
                Some(2)
            }
            _ => None,
        },
        "ty" => syn_prefix(input, |s| s.parse::<syn::Type>().map(drop)),
        "path" => syn_prefix(input, |s| s.parse::<syn::Path>().map(drop)),
        "expr" => syn_prefix(input, |s| s.parse::<syn::Expr>().map(drop)),
        "pat" => syn_prefix(input, |s| {
            syn::Pat::parse_multi_with_leading_vert(s).map(drop)
        }),
        "pat_param" => syn_prefix(input, |s| syn::Pat::parse_single(s).map(drop)),
        "stmt" => syn_prefix(input, |s| s.parse::<syn::Stmt>().map(drop)),
        "item" => syn_prefix(input, |s| s.parse::<syn::Item>().map(drop)),
        "meta" => syn_prefix(input, |s| s.parse::<syn::Meta>().map(drop)),
        "vis" => syn_prefix(input, |s| s.parse::<syn::Visibility>().map(drop)),
        _ => None,
    }
}

/// How many token trees syn's parser for the fragment takes from the start of `input`.
fn syn_prefix(input: &[TokenTree], parse: fn(ParseStream) -> syn::Result<()>) -> Option<usize> {
    let stream: TokenStream = input.iter().cloned().collect();
    let rest = (|s: ParseStream| {
        parse(s)?;
        s.parse::<TokenStream>()
    })
    .parse2(stream)
    .ok()?;
    Some(input.len() - rest.into_iter().count())
}

/// The transcriber with every metavariable replaced; `None` when a repetition cannot be resolved.
fn transcribe(body: &[TokenTree], env: &[&Bindings]) -> Option<TokenStream> {
    let lookup = |name: &str| env.iter().rev().find_map(|b| b.get(name));
    let mut out: Vec<TokenTree> = Vec::new();
    let mut i = 0;
    while i < body.len() {
        match &body[i] {
            TokenTree::Punct(p) if p.as_char() == '$' => match body.get(i + 1) {
                Some(TokenTree::Ident(name)) if name == "crate" => {
                    out.push(TokenTree::Ident(Ident::new("crate", Span::call_site())));
                    i += 2;
                }
                Some(TokenTree::Ident(name)) => {
                    match lookup(&name.to_string()) {
                        Some(Binding::One(tokens)) => out.extend(tokens.iter().cloned()),
                        Some(Binding::Many(_)) => return None,
                        None => {
                            out.push(body[i].clone());
                            out.push(body[i + 1].clone());
                        }
                    }
                    i += 2;
                }
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
                    let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                    let (sep, _, suffix) = repetition_suffix(&body[i + 2..])?;
                    i += 2 + suffix;
                    let iterations =
                        used(&inner)
                            .into_iter()
                            .find_map(|name| match lookup(&name) {
                                Some(Binding::Many(its)) => Some(its),
                                _ => None,
                            })?;
                    for (n, it) in iterations.iter().enumerate() {
                        if n > 0 {
                            out.extend(sep.clone());
                        }
                        let mut inner_env = env.to_vec();
                        inner_env.push(it);
                        out.extend(transcribe(&inner, &inner_env)?);
                    }
                }
                _ => {
                    out.push(body[i].clone());
                    i += 1;
                }
            },
            TokenTree::Group(g) => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                let mut group = Group::new(g.delimiter(), transcribe(&inner, env)?);
                group.set_span(g.span());
                out.push(TokenTree::Group(group));
                i += 1;
            }
            t => {
                out.push(t.clone());
                i += 1;
            }
        }
    }
    Some(out.into_iter().collect())
}

/// The metavariables a transcriber uses (`$x`), nested groups included.
fn used(body: &[TokenTree]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, t) in body.iter().enumerate() {
        match t {
            TokenTree::Punct(p) if p.as_char() == '$' => {
                if let Some(TokenTree::Ident(name)) = body.get(i + 1) {
                    out.push(name.to_string());
                }
            }
            TokenTree::Group(g) => out.extend(used(&g.stream().into_iter().collect::<Vec<_>>())),
            _ => {}
        }
    }
    out
}
