//! Names and reach (syn, through `discover`): what each module declares and imports, name resolution
//! (`crate::`, `self::`, `super::`, `use` renames and globs), and the shortest public path of every
//! definition, found breadth-first from the crate root.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use super::tree::{Module, Tree};

/// A definition reached by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Target {
    Module(usize),
    /// A free function.
    Fn {
        module: usize,
        /// Index in that module's items.
        item: usize,
    },
    /// A struct or enum.
    Type {
        module: usize,
        /// Index in that module's items.
        item: usize,
    },
    /// A trait.
    Trait {
        module: usize,
        /// Index in that module's items.
        item: usize,
    },
}

/// How far a name is seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vis {
    /// No visibility: its module and the modules inside it.
    Private,
    /// `pub(crate)`, `pub(super)`, `pub(in ...)`: within the crate (taken as the whole crate).
    Crate,
    /// Strictly `pub`.
    Public,
}

impl Vis {
    fn of(v: &syn::Visibility) -> Vis {
        match v {
            syn::Visibility::Public(_) => Vis::Public,
            syn::Visibility::Restricted(_) => Vis::Crate,
            syn::Visibility::Inherited => Vis::Private,
        }
    }

    /// Whether the name is seen from outside the crate (`public`) or from other modules of it.
    fn seen(self, public: bool) -> bool {
        match self {
            Vis::Public => true,
            Vis::Crate => !public,
            Vis::Private => false,
        }
    }
}

/// A name a module declares.
struct Declared {
    target: Target,
    vis: Vis,
}

/// A `use` leaf: `use a::b as c;` is `c` for `["a", "b"]`.
struct UseLeaf {
    alias: String,
    path: Vec<String>,
    vis: Vis,
}

/// A glob import, `use path::*`.
struct Glob {
    path: Vec<String>,
    vis: Vis,
}

/// What a module declares, for name resolution.
pub(super) struct Scope {
    items: BTreeMap<String, Declared>,
    uses: Vec<UseLeaf>,
    globs: Vec<Glob>,
}

impl Scope {
    /// The scope of module `me` of `tree`.
    pub(super) fn of(tree: &Tree, me: usize) -> Scope {
        let mut s = Scope {
            items: BTreeMap::new(),
            uses: Vec::new(),
            globs: Vec::new(),
        };
        let m: &Module = &tree.modules[me];
        for (name, &child) in &m.children {
            let node = &tree.modules[child];
            let vis = if node.is_pub {
                Vis::Public
            } else if node.is_private {
                Vis::Private
            } else {
                Vis::Crate
            };
            s.declare(name.clone(), Target::Module(child), vis);
        }
        for (i, item) in m.items.iter().enumerate() {
            match item {
                syn::Item::Fn(f) => s.declare(
                    f.sig.ident.to_string(),
                    Target::Fn {
                        module: me,
                        item: i,
                    },
                    Vis::of(&f.vis),
                ),
                syn::Item::Struct(x) => s.declare(
                    x.ident.to_string(),
                    Target::Type {
                        module: me,
                        item: i,
                    },
                    Vis::of(&x.vis),
                ),
                syn::Item::Enum(x) => s.declare(
                    x.ident.to_string(),
                    Target::Type {
                        module: me,
                        item: i,
                    },
                    Vis::of(&x.vis),
                ),
                syn::Item::Trait(x) => s.declare(
                    x.ident.to_string(),
                    Target::Trait {
                        module: me,
                        item: i,
                    },
                    Vis::of(&x.vis),
                ),
                syn::Item::Use(u) => {
                    let mut prefix = Vec::new();
                    if u.leading_colon.is_some() {
                        prefix.push("::".to_string());
                    }
                    collect_use(&u.tree, &mut prefix, Vis::of(&u.vis), &mut s);
                }
                _ => {}
            }
        }
        s
    }

    fn declare(&mut self, name: String, target: Target, vis: Vis) {
        self.items.insert(name, Declared { target, vis });
    }

    fn lookup_local(&self, name: &str) -> Option<Target> {
        self.items.get(name).map(|d| d.target)
    }
}

fn collect_use(tree: &syn::UseTree, prefix: &mut Vec<String>, vis: Vis, s: &mut Scope) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            collect_use(&p.tree, prefix, vis, s);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                if let Some(last) = prefix.last().cloned() {
                    s.uses.push(UseLeaf {
                        alias: last,
                        path: prefix.clone(),
                        vis,
                    });
                }
            } else {
                let mut path = prefix.clone();
                path.push(name.clone());
                s.uses.push(UseLeaf {
                    alias: name,
                    path,
                    vis,
                });
            }
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            if r.ident != "self" {
                path.push(r.ident.to_string());
            }
            let alias = r.rename.to_string();
            if alias != "_" {
                s.uses.push(UseLeaf { alias, path, vis });
            }
        }
        syn::UseTree::Glob(_) => s.globs.push(Glob {
            path: prefix.clone(),
            vis,
        }),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| collect_use(t, prefix, vis, s)),
    }
}

const MAX_DEPTH: usize = 24;

/// Looks `name` up in module `m`: its items, its `use`s, its glob imports.
fn lookup(tree: &Tree, scopes: &[Scope], m: usize, name: &str, depth: usize) -> Option<Target> {
    if depth > MAX_DEPTH {
        return None;
    }
    let s = &scopes[m];
    if let Some(t) = s.lookup_local(name) {
        return Some(t);
    }
    for u in &s.uses {
        if u.alias == name {
            if let Some(t) = resolve_in(tree, scopes, m, &u.path, depth + 1) {
                return Some(t);
            }
        }
    }
    for glob in &s.globs {
        if let Some(Target::Module(g)) = resolve_in(tree, scopes, m, &glob.path, depth + 1) {
            if g != m {
                if let Some(t) = lookup(tree, scopes, g, name, depth + 1) {
                    return Some(t);
                }
            }
        }
    }
    None
}

/// Resolves a path written in module `m` (`crate::a::b`, `self::x`, `super::y`, `a::b`).
pub(super) fn resolve_in(
    tree: &Tree,
    scopes: &[Scope],
    m: usize,
    path: &[String],
    depth: usize,
) -> Option<Target> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut cur = m;
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            cur = 0;
            rest = &rest[1..];
        }
        Some("::") => return None,
        Some("self") => rest = &rest[1..],
        Some("super") => {
            while rest.first().map(String::as_str) == Some("super") {
                cur = tree.modules[cur].parent?;
                rest = &rest[1..];
            }
        }
        _ => {}
    }
    let mut target = Target::Module(cur);
    for seg in rest {
        let Target::Module(mm) = target else {
            return None;
        };
        target = lookup(tree, scopes, mm, seg, depth + 1)?;
    }
    Some(target)
}

/// The names a module exports to the outside (`public`: strictly `pub` items, `pub use`s, `pub use x::*`) or
/// to the rest of the crate (any `pub`); at the crate root, with `everything`, all of its names (what its
/// child `abuse_tests` sees).
fn exported_names(
    tree: &Tree,
    scopes: &[Scope],
    m: usize,
    seen: Seen,
    depth: usize,
    out: &mut BTreeMap<String, Target>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let s = &scopes[m];
    let shows = |vis: Vis| match seen {
        Seen::Public => vis.seen(true),
        Seen::Crate => vis.seen(false),
        Seen::Everything => true,
    };
    for (name, d) in &s.items {
        if shows(d.vis) {
            out.entry(name.clone()).or_insert(d.target);
        }
    }
    for u in &s.uses {
        if shows(u.vis) {
            if let Some(t) = resolve_in(tree, scopes, m, &u.path, depth + 1) {
                out.entry(u.alias.clone()).or_insert(t);
            }
        }
    }
    for glob in &s.globs {
        if !shows(glob.vis) {
            continue;
        }
        if let Some(Target::Module(g)) = resolve_in(tree, scopes, m, &glob.path, depth + 1) {
            if g != m {
                let mut inner = BTreeMap::new();
                let further = match seen {
                    Seen::Everything => Seen::Crate,
                    other => other,
                };
                exported_names(tree, scopes, g, further, depth + 1, &mut inner);
                for (k, v) in inner {
                    out.entry(k).or_insert(v);
                }
            }
        }
    }
}

/// Which names of a module a path from outside it may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// From another crate: strictly `pub` ones.
    Public,
    /// From another module of the crate: any `pub`.
    Crate,
    /// From a child module: all.
    Everything,
}

/// Shortest public path of every reachable definition (ties: lexicographically smallest).
pub(super) fn public_paths(
    tree: &Tree,
    scopes: &[Scope],
    crate_name: &str,
) -> HashMap<Target, String> {
    shortest_paths(tree, scopes, crate_name, Seen::Public)
}

/// Shortest path of every definition the in-crate harness `crate::abuse_tests` can name (`crate::…`): the
/// root's names, then what each module shows the rest of the crate, re-exports included (unicode-width's
/// `props::gen::is_emoji_modifier_base` is `crate::props::is_emoji_modifier_base` through `pub use gen::*`).
pub(super) fn crate_paths(tree: &Tree, scopes: &[Scope]) -> HashMap<Target, String> {
    shortest_paths(tree, scopes, "crate", Seen::Everything)
}

fn shortest_paths(
    tree: &Tree,
    scopes: &[Scope],
    root_name: &str,
    at_root: Seen,
) -> HashMap<Target, String> {
    let mut best: HashMap<Target, String> = HashMap::new();
    let mut queue: VecDeque<(usize, Vec<String>)> = VecDeque::new();
    let mut visited: BTreeSet<usize> = BTreeSet::new();
    visited.insert(0);
    best.insert(Target::Module(0), root_name.to_string());
    queue.push_back((0, vec![root_name.to_string()]));
    while let Some((m, path)) = queue.pop_front() {
        let seen = match at_root {
            Seen::Everything if m != 0 => Seen::Crate,
            other => other,
        };
        let mut names = BTreeMap::new();
        exported_names(tree, scopes, m, seen, 0, &mut names);
        for (name, target) in names {
            let mut p = path.clone();
            p.push(name);
            let text = p.join("::");
            let better = match best.get(&target) {
                None => true,
                Some(old) => {
                    let old_len = old.matches("::").count();
                    let new_len = p.len() - 1;
                    new_len < old_len || (new_len == old_len && text < *old)
                }
            };
            if better {
                best.insert(target, text);
            }
            if let Target::Module(child) = target {
                // The other builds' files of this module (`cfg_attr(<predicate>, path = "...")`) are the
                // same module in the build that compiles them: their items have the same paths.
                for module in std::iter::once(child).chain(alternatives_of(tree, child)) {
                    if visited.insert(module) {
                        best.entry(Target::Module(module))
                            .or_insert_with(|| p.join("::"));
                        queue.push_back((module, p.clone()));
                    }
                }
            }
        }
    }
    best
}

/// The modules `cfg_attr(<predicate>, path = "...")` read from another file for another build of
/// `module`: same parent, same path, not the parent's child of that name.
fn alternatives_of(tree: &Tree, module: usize) -> impl Iterator<Item = usize> + '_ {
    let this = &tree.modules[module];
    tree.modules
        .iter()
        .enumerate()
        .filter(move |(i, m)| *i != module && m.parent == this.parent && m.path == this.path)
        .map(|(i, _)| i)
}

/// Finds the type a name means in a module, for methods, constructors and constants.
pub(super) struct TypeLookup<'a> {
    pub(super) tree: &'a Tree,
    pub(super) scopes: &'a [Scope],
    /// Every struct and enum of the crate with its name, in discovery order: the last resort.
    pub(super) types: Vec<(Target, String)>,
}

impl TypeLookup<'_> {
    /// The definition `name` means in `module`: declared there, imported, else any type of that name
    /// (prefers a definition in the impl's own module).
    pub(super) fn find(&self, module: usize, name: &str) -> Option<Target> {
        let here = self.scopes[module].lookup_local(name);
        if let Some(t @ Target::Type { .. }) = here {
            return Some(t);
        }
        if let Some(t @ Target::Type { .. }) =
            resolve_in(self.tree, self.scopes, module, &[name.to_string()], 0)
        {
            return Some(t);
        }
        self.types.iter().find(|(_, n)| n == name).map(|(t, _)| *t)
    }
}

#[cfg(test)]
mod tests {
    use crate::discover::tests::{lib, reach};

    #[test]
    fn reach_follows_pub_use_globs_and_prefers_the_shortest_path() {
        let inv = lib(r#"
            mod private { #[ai_generated] pub fn hidden() {} #[ai_generated] pub fn exported() {} }
            pub use private::exported;
            pub mod net {
                pub mod deep { #[ai_generated] pub fn parse() {} }
                pub use self::deep::*;
                #[ai_generated] pub(crate) fn internal() {}
            }
            mod globbed { #[ai_generated] pub fn g() {} }
            pub use globbed::*;
            pub use net::deep::parse as parse_renamed;
        "#);
        assert_eq!(
            reach(&inv, "private::hidden"),
            "private crate::private::hidden"
        );
        assert_eq!(reach(&inv, "private::exported"), "demo::exported");
        assert_eq!(reach(&inv, "net::deep::parse"), "demo::parse_renamed");
        assert_eq!(reach(&inv, "net::internal"), "private crate::net::internal");
        assert_eq!(reach(&inv, "globbed::g"), "demo::g");
    }

    #[test]
    fn method_reach_goes_through_the_types_public_path() {
        let inv = lib(r#"
            mod inner { pub struct T; impl T { #[ai_generated] pub fn m(&self) {} } }
            pub use inner::T;
        "#);
        assert_eq!(reach(&inv, "inner::T::m"), "demo::T::m");
    }
}
