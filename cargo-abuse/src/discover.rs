//! syn: walks each crate's module tree like rustc, finds `#[ai_generated]` functions and fills the model.
//!
//! Entry: [`discover`]. Per lib/bin target: load the root file, follow `mod x;` (to `x.rs` or `x/mod.rs`,
//! relative to the right folder, `#[path]` included) and inline `mod x { }`, parsing each file once. Then,
//! per module: the attribute's renames (`use abuse_macros::ai_generated as ai;`), the tagged functions
//! (free, in inherent impls, every `pub` fn of a tagged impl), the types and trait impls, and `use`
//! items, from which the public paths (reach) are computed breadth-first so that the shortest wins.
//! Files that do not parse, missing module files and malformed attributes become diagnostics; the other
//! files are still processed. Crates are processed in parallel (one lib/bin target per job), and each
//! crate's result is cached in `<target-dir>/abuse/discover/` until a path it depends on changes.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use quote::ToTokens;
use serde::{Deserialize, Serialize};
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

use crate::model::{
    AttrSite, ConstValue, Constructor, CtorReturn, Diagnostic, Field, FreeFnPath, Generic,
    GenericKind, HarnessState, Inventory, Literals, Package, Param, Properties, Reach, Receiver,
    Record, Severity, SignOff, Signature, SignoffState, TaggedFn, TraitImpl, Ty, TypeDef,
    TypeShape, Variant,
};
use crate::options::Options;
use crate::workspace::{PackageSources, TargetSource};

/// At most this many string and this many integer literals per function.
const MAX_LITERALS: usize = 32;

/// Discovers every tagged function, type and trait impl of the given packages.
/// Cache entries read on a background thread while `cargo metadata` runs (see [`prefetch`]).
pub struct Prefetch(Option<(PathBuf, std::thread::JoinHandle<Vec<cache::Entry>>)>);

/// Starts reading and checking the cache entries in `cache_dir` (a guess made before `cargo metadata`
/// answers); [`discover`] uses them only if the guess was the real cache folder.
pub fn prefetch(cache_dir: Option<PathBuf>) -> Prefetch {
    Prefetch(cache_dir.map(|dir| {
        let d = dir.clone();
        (dir, std::thread::spawn(move || cache::load_all(&d)))
    }))
}

/// How many threads discovery uses: the cores this process may run on (asked once: the answer reads
/// cgroup files).
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
}

/// The cache folder under a target directory.
pub fn cache_dir(target_dir: &Path) -> PathBuf {
    target_dir.join("abuse").join("discover")
}

/// Discovers every tagged function, type and trait impl of the given packages, reusing cached results
/// (`<target-dir>/abuse/discover/`) for crates whose files did not change.
pub fn discover(
    packages: &[PackageSources],
    workspace_root: &Path,
    opts: &Options,
    prefetch: Prefetch,
) -> Inventory {
    let cache_dir = cache_dir(&opts.target_dir);
    let ready: Vec<cache::Entry> = match prefetch.0 {
        Some((dir, handle)) if dir == cache_dir => handle.join().unwrap_or_default(),
        _ => Vec::new(),
    };
    let ready = std::sync::Mutex::new(ready);
    // One job per (package, target); syn values are not `Send`, so each job parses and analyses its own
    // crate on one thread and hands back plain model data.
    let jobs: Vec<(usize, &TargetSource)> = packages
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.targets.iter().map(move |t| (i, t)))
        .collect();
    let threads = cores().min(jobs.len()).max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(usize, usize, CrateFindings, Vec<Diagnostic>)> =
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let mut out = Vec::new();
                        loop {
                            let j = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(&(pi, target)) = jobs.get(j) else {
                                break;
                            };
                            let key = cache::Key::new(workspace_root, &packages[pi], target);
                            let early = {
                                let mut r = ready.lock().unwrap_or_else(|e| e.into_inner());
                                r.iter()
                                    .position(|e| e.key == key)
                                    .map(|i| r.swap_remove(i))
                            };
                            if let Some(hit) = early.or_else(|| cache::load(&cache_dir, &key)) {
                                out.push((j, pi, hit.findings, hit.diagnostics));
                                continue;
                            }
                            let mut ctx = Ctx::new(workspace_root);
                            let mut findings = CrateFindings::default();
                            discover_crate(&mut ctx, &packages[pi], target, &mut findings);
                            let entry = cache::Entry {
                                key,
                                probes: std::mem::take(&mut ctx.probes),
                                findings,
                                diagnostics: ctx.diagnostics,
                            };
                            cache::store(&cache_dir, &entry);
                            out.push((j, pi, entry.findings, entry.diagnostics));
                        }
                        out
                    })
                })
                .collect();
            let mut all: Vec<_> = workers
                .into_iter()
                .flat_map(|w| w.join().expect("a discovery thread panicked"))
                .collect();
            all.sort_by_key(|r| r.0);
            all
        });

    let ctx = Ctx::new(workspace_root);
    let mut inv = Inventory {
        workspace_root: slash(workspace_root),
        ..Inventory::default()
    };
    let mut pkgs: Vec<Package> = packages
        .iter()
        .map(|p| Package {
            name: p.name.clone(),
            lib_crate: p
                .targets
                .iter()
                .find(|t| t.is_lib)
                .map(|t| t.crate_name.clone()),
            dir: ctx.rel(&p.dir),
            manifest: ctx.rel(&p.manifest_path),
            ..Package::default()
        })
        .collect();
    for (_, pi, findings, diagnostics) in results {
        let pkg = &mut pkgs[pi];
        pkg.functions.extend(findings.functions);
        pkg.types.extend(findings.types);
        pkg.trait_impls.extend(findings.trait_impls);
        pkg.has_abuse_tests_mod |= findings.has_abuse_tests_mod;
        inv.diagnostics.extend(diagnostics);
    }
    for pkg in &mut pkgs {
        pkg.functions.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.path).cmp(&(&b.file, b.line, b.column, &b.path))
        });
        pkg.types.sort_by(|a, b| a.path.cmp(&b.path));
        pkg.trait_impls
            .sort_by(|a, b| (&a.type_name, &a.trait_name).cmp(&(&b.type_name, &b.trait_name)));
        pkg.trait_impls.dedup();
    }
    inv.packages = pkgs;
    inv.packages.sort_by(|a, b| a.name.cmp(&b.name));
    inv.diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
    inv.diagnostics.dedup();
    inv
}

/// What one crate (lib or bin target) contributes to its package.
#[derive(Default, Serialize, Deserialize)]
struct CrateFindings {
    functions: Vec<TaggedFn>,
    types: Vec<TypeDef>,
    trait_impls: Vec<TraitImpl>,
    /// The library root declares `mod abuse_tests;` (the in-crate harness module).
    has_abuse_tests_mod: bool,
}

struct Ctx {
    root: PathBuf,
    diagnostics: Vec<Diagnostic>,
    /// Every path whose existence or contents the result depends on, with what was seen.
    probes: BTreeMap<PathBuf, cache::Stamp>,
}

impl Ctx {
    fn new(root: &Path) -> Ctx {
        Ctx {
            root: root.to_path_buf(),
            diagnostics: Vec::new(),
            probes: BTreeMap::new(),
        }
    }

    /// Whether `path` is a file, remembered for the cache.
    fn probe(&mut self, path: &Path) -> bool {
        let stamp = cache::Stamp::of(path);
        let is_file = stamp.is_file();
        self.probes.insert(path.to_path_buf(), stamp);
        is_file
    }

    /// Path relative to the workspace root, forward slashes.
    fn rel(&self, path: &Path) -> String {
        slash(path.strip_prefix(&self.root).unwrap_or(path))
    }

    fn diag(&mut self, severity: Severity, file: &Path, span: proc_macro2::Span, message: String) {
        let start = span.start();
        self.diagnostics.push(Diagnostic {
            severity,
            file: self.rel(file),
            line: start.line.max(1) as u32,
            column: start.column as u32 + 1,
            message,
        });
    }

    fn syn_error(&mut self, file: &Path, err: syn::Error) {
        for e in err {
            self.diag(Severity::Error, file, e.span(), e.to_string());
        }
    }
}

fn slash(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

// ---------------------------------------------------------------------------------------------------
// The module tree.

/// One module of a crate, owning its items (inline child modules' items are moved to their own node).
struct Module {
    parent: Option<usize>,
    /// Path from the crate root.
    path: Vec<String>,
    /// Declared `pub` exactly (visible outside the crate if its parent is).
    is_pub: bool,
    /// Declared without any visibility (visible only inside its parent).
    is_private: bool,
    /// `#[cfg]` predicates of this module and its ancestors.
    cfgs: Vec<String>,
    /// The file holding the items.
    file: PathBuf,
    items: Vec<syn::Item>,
    children: BTreeMap<String, usize>,
}

/// Where `mod x;` looks from inside a module (rustc's `dir_path` and `DirOwnership::Owned { relative }`).
#[derive(Clone)]
struct ModDir {
    dir: PathBuf,
    relative: Option<String>,
}

struct Tree {
    modules: Vec<Module>,
}

fn load_tree(ctx: &mut Ctx, root_file: &Path) -> Option<Tree> {
    let file = parse_file(ctx, root_file)?;
    let mut tree = Tree {
        modules: Vec::new(),
    };
    let dir = ModDir {
        dir: root_file.parent().unwrap_or(Path::new("")).to_path_buf(),
        relative: None,
    };
    tree.modules.push(Module {
        parent: None,
        path: Vec::new(),
        is_pub: true,
        is_private: false,
        cfgs: Vec::new(),
        file: root_file.to_path_buf(),
        items: file.items,
        children: BTreeMap::new(),
    });
    let mut seen = HashSet::new();
    seen.insert(root_file.to_path_buf());
    expand_module(ctx, &mut tree, 0, dir, &mut seen);
    Some(tree)
}

fn parse_file(ctx: &mut Ctx, path: &Path) -> Option<syn::File> {
    // Stamp before reading: a change during the read makes the next run miss the cache.
    ctx.probe(path);
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            ctx.diagnostics.push(Diagnostic {
                severity: Severity::Error,
                file: ctx.rel(path),
                line: 1,
                column: 1,
                message: format!(
                    "could not read `{}`: {}",
                    ctx.rel(path),
                    e.to_string().to_lowercase()
                ),
            });
            return None;
        }
    };
    match syn::parse_file(&text) {
        Ok(mut f) => {
            // A walk of the whole tree costs a few percent of the parse: only when it can find something.
            if text.contains("cfg_attr") {
                UnwrapCfgAttrTags.visit_file_mut(&mut f);
            }
            Some(f)
        }
        Err(e) => {
            // proc-macro2's lexer error says only "cannot parse string into token stream".
            let e = if e.to_string() == "cannot parse string into token stream" {
                syn::Error::new(
                    e.span(),
                    "cannot tokenize the file: a delimiter is not closed, or a string, char or comment is unterminated",
                )
            } else {
                e
            };
            ctx.syn_error(path, e);
            None
        }
    }
}

/// Moves child modules of `m` out into their own nodes, loading `mod x;` files, recursively.
fn expand_module(
    ctx: &mut Ctx,
    tree: &mut Tree,
    m: usize,
    dir: ModDir,
    seen: &mut HashSet<PathBuf>,
) {
    let mut i = 0;
    while i < tree.modules[m].items.len() {
        let parent_cfgs = tree.modules[m].cfgs.clone();
        let file = tree.modules[m].file.clone();
        let syn::Item::Mod(item) = &mut tree.modules[m].items[i] else {
            i += 1;
            continue;
        };
        i += 1;
        let name = item.ident.to_string();
        let is_pub = matches!(item.vis, syn::Visibility::Public(_));
        let is_private = matches!(item.vis, syn::Visibility::Inherited);
        let mut cfgs = parent_cfgs;
        cfgs.extend(cfg_predicates(&item.attrs));
        let path_attr = path_attribute(&item.attrs);
        let (items, child_file, child_dir) = match &mut item.content {
            Some((_, content)) => {
                let items = std::mem::take(content);
                let child_dir = match path_attr {
                    Some(p) => ModDir {
                        dir: dir.dir.join(p),
                        relative: None,
                    },
                    None => {
                        let mut d = dir.dir.clone();
                        if let Some(rel) = &dir.relative {
                            d.push(rel);
                        }
                        d.push(&name);
                        ModDir {
                            dir: d,
                            relative: None,
                        }
                    }
                };
                (items, file, child_dir)
            }
            None => {
                let span = item.ident.span();
                let found = match path_attr {
                    Some(p) => {
                        let f = dir.dir.join(p);
                        if ctx.probe(&f) {
                            Ok((f, None))
                        } else {
                            Err(vec![f])
                        }
                    }
                    None => {
                        let base = match &dir.relative {
                            Some(rel) => dir.dir.join(rel),
                            None => dir.dir.clone(),
                        };
                        let a = base.join(format!("{name}.rs"));
                        let b = base.join(&name).join("mod.rs");
                        match (ctx.probe(&a), ctx.probe(&b)) {
                            (true, false) => Ok((a, Some(name.clone()))),
                            (false, true) => Ok((b, None)),
                            (false, false) => Err(vec![a, b]),
                            (true, true) => {
                                let msg = format!(
                                    "file for module `{name}` found at both `{}` and `{}`; delete or rename one",
                                    ctx.rel(&a),
                                    ctx.rel(&b)
                                );
                                ctx.diag(Severity::Error, &file, span, msg);
                                continue;
                            }
                        }
                    }
                };
                match found {
                    Ok((f, relative)) => {
                        if !seen.insert(f.clone()) {
                            let msg =
                                format!("module file `{}` is loaded more than once", ctx.rel(&f));
                            ctx.diag(Severity::Warning, &file, span, msg);
                            continue;
                        }
                        let items = parse_file(ctx, &f).map(|p| p.items).unwrap_or_default();
                        let d = ModDir {
                            dir: f.parent().unwrap_or(Path::new("")).to_path_buf(),
                            relative,
                        };
                        (items, f, d)
                    }
                    // `gen` writes this file itself: declaring it before it exists is the normal first step.
                    Err(_) if m == 0 && name == "abuse_tests" => continue,
                    Err(candidates) => {
                        let names: Vec<String> = candidates
                            .iter()
                            .map(|c| format!("`{}`", ctx.rel(c)))
                            .collect();
                        let msg = format!(
                            "file not found for module `{name}`: expected {}",
                            names.join(" or ")
                        );
                        ctx.diag(Severity::Warning, &file, span, msg);
                        continue;
                    }
                }
            }
        };
        let mut path = tree.modules[m].path.clone();
        path.push(name.clone());
        let child = tree.modules.len();
        tree.modules.push(Module {
            parent: Some(m),
            path,
            is_pub,
            is_private,
            cfgs,
            file: child_file,
            items,
            children: BTreeMap::new(),
        });
        tree.modules[m].children.insert(name, child);
        expand_module(ctx, tree, child, child_dir, seen);
    }
}

fn path_attribute(attrs: &[syn::Attribute]) -> Option<String> {
    attrs
        .iter()
        .find(|a| a.path().is_ident("path"))
        .and_then(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
}

fn cfg_predicates(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .filter_map(|a| {
            a.meta
                .require_list()
                .ok()
                .map(|l| tokens_text(l.tokens.clone()))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------
// One crate.

/// A definition reached by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Target {
    Module(usize),
    /// A free function: (module, index in that module's items).
    Fn(usize, usize),
    /// A struct or enum: (module, index in items).
    Type(usize, usize),
}

/// A tagged function found in a module, before reach is known.
struct Found {
    module: usize,
    /// `Some((module, item index))` of the self type's definition, for methods.
    owner_type: Option<String>,
    target: Option<Target>,
    tagged: TaggedFn,
    /// Strictly `pub` (for public reach).
    is_pub: bool,
    /// No visibility at all (for in-crate reach from `crate::abuse_tests`).
    is_private: bool,
}

fn discover_crate(ctx: &mut Ctx, p: &PackageSources, t: &TargetSource, pkg: &mut CrateFindings) {
    let Some(tree) = load_tree(ctx, &t.root) else {
        return;
    };
    if t.is_lib {
        // Declared in the crate root, whether or not `gen` has written its file yet.
        pkg.has_abuse_tests_mod |= tree.modules.first().is_some_and(|root| {
            root.items
                .iter()
                .any(|item| matches!(item, syn::Item::Mod(m) if m.ident == "abuse_tests"))
        });
    }
    let names: Vec<Scope> = tree.modules.iter().map(|m| Scope::of(m, &tree)).collect();
    let mut found: Vec<Found> = Vec::new();
    let mut types: Vec<(usize, usize, TypeDef)> = Vec::new();
    let mut ctors: Vec<(usize, String, Constructor)> = Vec::new();
    // Free functions returning a crate type: (module, item index, type name, constructor).
    let mut free_ctors: Vec<(usize, usize, String, Constructor)> = Vec::new();
    // Constants of a crate type: (module, type name as written, const path from the crate root or `None`
    // for an associated const, const name, by reference).
    let mut consts: Vec<(usize, String, Option<usize>, String, bool)> = Vec::new();
    for (mi, module) in tree.modules.iter().enumerate() {
        let renames = attr_renames(&module.items);
        for (ii, item) in module.items.iter().enumerate() {
            match item {
                syn::Item::Const(c) if t.is_lib && !matches!(c.vis, syn::Visibility::Inherited) => {
                    if let Some((name, by_ref)) = const_type_name(&c.ty) {
                        consts.push((mi, name, Some(ii), c.ident.to_string(), by_ref));
                    }
                }
                syn::Item::Fn(f) => {
                    if t.is_lib
                        && f.sig
                            .generics
                            .params
                            .iter()
                            .all(|g| matches!(g, syn::GenericParam::Lifetime(_)))
                        && f.sig.unsafety.is_none()
                        && f.sig.asyncness.is_none()
                    {
                        if let Some(type_name) = returned_type_name(&f.sig.output) {
                            if let Some(returns) = ctor_return(&f.sig.output, &type_name) {
                                free_ctors.push((
                                    mi,
                                    ii,
                                    type_name,
                                    Constructor {
                                        name: f.sig.ident.to_string(),
                                        public: matches!(f.vis, syn::Visibility::Public(_)),
                                        params: params_of(&f.sig),
                                        returns,
                                        free_fn: None,
                                        examples: doc_example_strings(&f.attrs),
                                    },
                                ));
                            }
                        }
                    }
                    if let Some(attr) = f.attrs.iter().find(|a| is_tag(a, &renames)) {
                        let fp_item = strip_renamed(f, &renames, |v, f| v.visit_item_fn_mut(f));
                        let parsed = read_attribute(ctx, &module.file, attr, &f.sig, &p.dir);
                        let prompt = parsed.record.prompt.clone().unwrap_or_default();
                        let fingerprint = abuse_attr::fingerprint::of_item_fn(&fp_item, &prompt);
                        let signoff = signoff_state(&parsed.record, &fingerprint);
                        let mut cfgs = module.cfgs.clone();
                        cfgs.extend(cfg_predicates(&f.attrs));
                        let tagged = make_fn(FnParts {
                            pkg: &p.name,
                            target: t,
                            module,
                            self_type: None,
                            vis: &f.vis,
                            sig: &f.sig,
                            impl_generics: None,
                            block: &f.block,
                            line_span: first_span(&f.attrs, &f.sig),
                            documents_panics: documents_panics(&f.attrs),
                            file: ctx.rel(&module.file),
                            cfgs,
                            record: parsed.record,
                            sign_fingerprint: fingerprint.clone(),
                            fingerprint,
                            signoff,
                            attr,
                        });
                        found.push(Found {
                            module: mi,
                            owner_type: None,
                            target: Some(Target::Fn(mi, ii)),
                            tagged,
                            is_pub: matches!(f.vis, syn::Visibility::Public(_)),
                            is_private: matches!(f.vis, syn::Visibility::Inherited),
                        });
                    }
                }
                syn::Item::Impl(imp) => {
                    let Some(type_name) = self_type_name(&imp.self_ty) else {
                        continue;
                    };
                    if let Some((_, trait_path, _)) = &imp.trait_ {
                        if t.is_lib {
                            if let Some(seg) = trait_path.segments.last() {
                                pkg.trait_impls.push(TraitImpl {
                                    trait_name: seg.ident.to_string(),
                                    type_name: type_name.clone(),
                                });
                            }
                        }
                        let tags = imp
                            .attrs
                            .iter()
                            .filter(|a| is_tag(a, &renames))
                            .map(|a| a.pound_token.span);
                        let method_tags = imp.items.iter().filter_map(|i| match i {
                            syn::ImplItem::Fn(f) => f
                                .attrs
                                .iter()
                                .find(|a| is_tag(a, &renames))
                                .map(|a| a.pound_token.span),
                            _ => None,
                        });
                        for span in tags.chain(method_tags) {
                            let msg = "`#[ai_generated]` in a trait impl is not listed: it goes on free functions, \
                                       inherent methods and inherent `impl` blocks"
                                .to_string();
                            ctx.diag(Severity::Warning, &module.file, span, msg);
                        }
                        continue;
                    }
                    let self_text = type_text(imp.self_ty.to_token_stream());
                    let block_attr = imp.attrs.iter().find(|a| is_tag(a, &renames));
                    let block = block_attr.map(|attr| {
                        // The block's own record; validated against no particular signature.
                        let args = match abuse_attr::parse_attribute(attr) {
                            Ok(a) => a,
                            Err(e) => {
                                ctx.syn_error(&module.file, e);
                                abuse_attr::AttrArgs::default()
                            }
                        };
                        let record = make_record(ctx, &module.file, &args, &p.dir);
                        let prompt = record.prompt.clone().unwrap_or_default();
                        let fp_block =
                            strip_renamed(imp, &renames, |v, i| v.visit_item_impl_mut(i));
                        let block_fp = abuse_attr::fingerprint::of_impl(&fp_block, &prompt);
                        (args, record, block_fp, attr)
                    });
                    let mut impl_cfgs = module.cfgs.clone();
                    impl_cfgs.extend(cfg_predicates(&imp.attrs));
                    for member in &imp.items {
                        if let syn::ImplItem::Const(c) = member {
                            if t.is_lib && matches!(c.vis, syn::Visibility::Public(_)) {
                                if let Some((name, by_ref)) = const_type_name(&c.ty) {
                                    if name == "Self" || name == type_name {
                                        consts.push((
                                            mi,
                                            type_name.clone(),
                                            None,
                                            c.ident.to_string(),
                                            by_ref,
                                        ));
                                    }
                                }
                            }
                        }
                        let syn::ImplItem::Fn(method) = member else {
                            continue;
                        };
                        if t.is_lib && method.sig.receiver().is_none() {
                            if let Some(returns) = ctor_return(&method.sig.output, &type_name) {
                                ctors.push((
                                    mi,
                                    type_name.clone(),
                                    Constructor {
                                        name: method.sig.ident.to_string(),
                                        public: matches!(method.vis, syn::Visibility::Public(_)),
                                        params: params_of(&method.sig),
                                        returns,
                                        free_fn: None,
                                        examples: doc_example_strings(&method.attrs),
                                    },
                                ));
                            }
                        }
                        let own = method.attrs.iter().find(|a| is_tag(a, &renames));
                        let is_pub = matches!(method.vis, syn::Visibility::Public(_));
                        let (record, fingerprint, signoff, sign_fingerprint, attr) =
                            if let Some(attr) = own {
                                let parsed =
                                    read_attribute(ctx, &module.file, attr, &method.sig, &p.dir);
                                let prompt = parsed.record.prompt.clone().unwrap_or_default();
                                let fp = abuse_attr::fingerprint::of_impl_fn(
                                    &strip_renamed(method, &renames, |v, m| {
                                        v.visit_impl_item_fn_mut(m)
                                    }),
                                    &prompt,
                                );
                                let state = signoff_state(&parsed.record, &fp);
                                (parsed.record, fp.clone(), state, fp, attr)
                            } else if let (Some((args, record, block_fp, block_attr)), true) =
                                (&block, is_pub)
                            {
                                if let Err(e) = abuse_attr::validate_for_fn(args, &method.sig) {
                                    ctx.syn_error(&module.file, e);
                                }
                                let prompt = record.prompt.clone().unwrap_or_default();
                                let fp = abuse_attr::fingerprint::of_impl_fn(
                                    &strip_renamed(method, &renames, |v, m| {
                                        v.visit_impl_item_fn_mut(m)
                                    }),
                                    &prompt,
                                );
                                (
                                    record.clone(),
                                    fp,
                                    signoff_state(record, block_fp),
                                    block_fp.clone(),
                                    *block_attr,
                                )
                            } else {
                                continue;
                            };
                        let mut cfgs = impl_cfgs.clone();
                        cfgs.extend(cfg_predicates(&method.attrs));
                        let line_span = match own {
                            Some(_) => first_span(&method.attrs, &method.sig),
                            None => first_span(&method.attrs, &method.sig),
                        };
                        let tagged = make_fn(FnParts {
                            pkg: &p.name,
                            target: t,
                            module,
                            self_type: Some((self_text.clone(), type_name.clone())),
                            vis: &method.vis,
                            sig: &method.sig,
                            impl_generics: Some(&imp.generics),
                            block: &method.block,
                            line_span,
                            documents_panics: documents_panics(&method.attrs),
                            file: ctx.rel(&module.file),
                            cfgs,
                            record,
                            fingerprint,
                            signoff,
                            sign_fingerprint,
                            attr,
                        });
                        found.push(Found {
                            module: mi,
                            owner_type: Some(type_name.clone()),
                            target: None,
                            tagged,
                            is_pub,
                            is_private: matches!(method.vis, syn::Visibility::Inherited),
                        });
                    }
                }
                syn::Item::Struct(s) if t.is_lib => {
                    let fields = fields_of(&s.fields);
                    types.push((
                        mi,
                        ii,
                        type_def(
                            module,
                            &tree,
                            mi,
                            matches!(s.vis, syn::Visibility::Inherited),
                            &s.ident,
                            &s.generics,
                            &s.attrs,
                            TypeShape::Struct { fields },
                        ),
                    ));
                }
                syn::Item::Enum(e) if t.is_lib => {
                    let variants = e
                        .variants
                        .iter()
                        .map(|v| Variant {
                            name: v.ident.to_string(),
                            fields: fields_of(&v.fields),
                            named: matches!(v.fields, syn::Fields::Named(_)),
                        })
                        .collect();
                    types.push((
                        mi,
                        ii,
                        type_def(
                            module,
                            &tree,
                            mi,
                            matches!(e.vis, syn::Visibility::Inherited),
                            &e.ident,
                            &e.generics,
                            &e.attrs,
                            TypeShape::Enum { variants },
                        ),
                    ));
                }
                _ => {}
            }
        }
    }

    // Reach: public paths by breadth-first search from the crate root (lib only).
    let public = if t.is_lib {
        public_paths(&tree, &names, &t.crate_name)
    } else {
        HashMap::new()
    };
    // Types by name, for methods and constructors (prefer a definition in the impl's own module).
    let type_index: Vec<(usize, usize, String)> = types
        .iter()
        .map(|(m, i, td)| (*m, *i, td.name.clone()))
        .collect();
    let type_at = |module: usize, name: &str| -> Option<Target> {
        let here = names[module].lookup_local(name);
        if let Some(Target::Type(m, i)) = here {
            return Some(Target::Type(m, i));
        }
        if let Some(Target::Type(m, i)) = resolve_in(&tree, &names, module, &[name.to_string()], 0)
        {
            return Some(Target::Type(m, i));
        }
        type_index
            .iter()
            .find(|(_, _, n)| n == name)
            .map(|(m, i, _)| Target::Type(*m, *i))
    };
    for f in &mut found {
        let module_path = &tree.modules[f.module].path;
        let in_crate: Vec<String> = module_path
            .iter()
            .cloned()
            .chain(f.owner_type.clone())
            .chain(std::iter::once(f.tagged.name.clone()))
            .collect();
        let public_path = if !t.is_lib || !f.is_pub {
            None
        } else if let Some(target) = f.target {
            public.get(&target).cloned()
        } else {
            let owner = f.owner_type.as_deref().and_then(|n| type_at(f.module, n));
            owner
                .and_then(|o| public.get(&o))
                .map(|p| format!("{p}::{}", f.tagged.name))
        };
        f.tagged.reach = match public_path {
            Some(path) => Reach::Public { path },
            None => Reach::CratePrivate {
                path: format!("crate::{}", in_crate.join("::")),
            },
        };
        f.tagged.hidden_in_crate = hidden_from_root(&tree, f.module, f.is_private);
    }
    pkg.functions.extend(found.into_iter().map(|f| f.tagged));

    let ctor_targets: Vec<Option<Target>> = ctors
        .iter()
        .map(|(cm, name, _)| type_at(*cm, name))
        .collect();
    let free_targets: Vec<Option<Target>> = free_ctors
        .iter()
        .map(|(cm, _, name, _)| type_at(*cm, name))
        .collect();
    let const_targets: Vec<Option<Target>> = consts
        .iter()
        .map(|(cm, name, _, _, _)| type_at(*cm, name))
        .collect();
    for (m, i, mut td) in types {
        td.public_path = public.get(&Target::Type(m, i)).cloned();
        let this = Some(Target::Type(m, i));
        for ((fm, fi, _, ctor), target) in free_ctors.iter().zip(&free_targets) {
            if *target != this {
                continue;
            }
            let mut path = tree.modules[*fm].path.clone();
            path.push(ctor.name.clone());
            let mut ctor = ctor.clone();
            ctor.free_fn = Some(FreeFnPath {
                path: path.join("::"),
                public_path: if ctor.public {
                    public.get(&Target::Fn(*fm, *fi)).cloned()
                } else {
                    None
                },
            });
            td.constructors.push(ctor);
        }
        for ((cm, _, item, name, by_ref), target) in consts.iter().zip(&const_targets) {
            if *target != this {
                continue;
            }
            let (path, public_path) = match item {
                // A module-level const: public where its module is.
                Some(_) => {
                    let mut path = tree.modules[*cm].path.clone();
                    path.push(name.clone());
                    let public_path = public
                        .get(&Target::Module(*cm))
                        .filter(|_| is_public_chain(&tree, *cm))
                        .map(|p| format!("{p}::{name}"));
                    (path.join("::"), public_path)
                }
                // An associated const: public where its type is.
                None => (
                    format!("{}::{name}", td.path),
                    td.public_path.as_ref().map(|p| format!("{p}::{name}")),
                ),
            };
            td.consts.push(ConstValue {
                path,
                public_path,
                by_ref: *by_ref,
            });
        }
        let mut own: Vec<Constructor> = ctors
            .iter()
            .zip(&ctor_targets)
            .filter(|((_, name, _), target)| {
                *name == td.name && **target == Some(Target::Type(m, i))
            })
            .map(|((_, _, c), _)| c.clone())
            .collect();
        own.append(&mut td.constructors);
        td.constructors = own;
        td.constructors.sort_by(|a, b| a.name.cmp(&b.name));
        pkg.types.push(td);
    }
    // Freeing a large syn tree takes about a sixth of the parse time, and the process is short-lived:
    // leave it to the exit, as rustc does with its AST.
    std::mem::forget(tree);
}

/// The attribute's local names in a module: `use x::ai_generated as ai;` adds `ai`.
fn attr_renames(items: &[syn::Item]) -> HashSet<String> {
    fn walk(tree: &syn::UseTree, out: &mut HashSet<String>) {
        match tree {
            syn::UseTree::Path(p) => walk(&p.tree, out),
            syn::UseTree::Rename(r) if r.ident == "ai_generated" => {
                out.insert(r.rename.to_string());
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, out)),
            _ => {}
        }
    }
    let mut out = HashSet::new();
    for item in items {
        if let syn::Item::Use(u) = item {
            walk(&u.tree, &mut out);
        }
    }
    out
}

/// Standard-library types imported under another name in a module: `use std::time::Duration as
/// StdDuration;` maps `StdDuration` to `std::time::Duration`, so planning knows the type.
fn std_type_renames(items: &[syn::Item]) -> HashMap<String, String> {
    fn walk(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut HashMap<String, String>) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                walk(&p.tree, prefix, out);
                prefix.pop();
            }
            syn::UseTree::Rename(r)
                if prefix
                    .first()
                    .is_some_and(|root| matches!(root.as_str(), "std" | "core" | "alloc")) =>
            {
                out.insert(
                    r.rename.to_string(),
                    format!("{}::{}", prefix.join("::"), r.ident),
                );
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| walk(t, prefix, out)),
            _ => {}
        }
    }
    let mut out = HashMap::new();
    for item in items {
        if let syn::Item::Use(u) = item {
            walk(&u.tree, &mut Vec::new(), &mut out);
        }
    }
    out
}

/// Replaces renamed standard-library types in `ty` by their full paths.
fn unrename(ty: &mut Ty, renames: &HashMap<String, String>) {
    match ty {
        Ty::Path { path, args } => {
            if let Some(full) = renames.get(path.as_str()) {
                *path = full.clone();
            }
            args.iter_mut().for_each(|a| unrename(a, renames));
        }
        Ty::Ref { inner, .. } => unrename(inner, renames),
        Ty::Slice { elem } | Ty::Array { elem, .. } => unrename(elem, renames),
        Ty::Tuple { elems } => elems.iter_mut().for_each(|e| unrename(e, renames)),
        Ty::ImplTrait { .. } | Ty::Other { .. } => {}
    }
}

fn is_tag(attr: &syn::Attribute, renames: &HashSet<String>) -> bool {
    let path = attr.path();
    abuse_attr::fingerprint::is_ai_generated_path(path)
        || (path.segments.len() == 1 && renames.contains(&path.segments[0].ident.to_string()))
}

/// Turns `#[cfg_attr(PREDICATE, abuse_macros::ai_generated(...))]` into `#[abuse_macros::ai_generated(...)]`
/// in place (same `#`, so `sign` finds it again): discovery reads the tag whatever the predicate, and the
/// fingerprint sees the item as the macro does when the predicate holds. This lets a crate keep
/// abuse-macros a dev-dependency (`cfg_attr(test, ...)`), as abuse-attr does: abuse-macros depends on it.
/// Only a `cfg_attr` holding the tag alone is unwrapped.
struct UnwrapCfgAttrTags;

impl VisitMut for UnwrapCfgAttrTags {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if !attr.path().is_ident("cfg_attr") {
            return;
        }
        let Ok(nested) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
        ) else {
            return;
        };
        if let [_predicate, tag] = nested.iter().collect::<Vec<_>>()[..] {
            if abuse_attr::fingerprint::is_ai_generated_path(tag.path()) {
                attr.meta = tag.clone();
            }
        }
    }
}

/// Removes renamed tags (`#[ai]`) so the fingerprint sees what the macro sees; `ai_generated` itself is
/// dropped by the fingerprint.
struct StripRenamed<'a>(&'a HashSet<String>);

impl VisitMut for StripRenamed<'_> {
    fn visit_attributes_mut(&mut self, attrs: &mut Vec<syn::Attribute>) {
        attrs.retain(|a| {
            !(a.path().segments.len() == 1
                && self.0.contains(&a.path().segments[0].ident.to_string()))
        });
        for a in attrs {
            self.visit_attribute_mut(a);
        }
    }
}

/// `item` without its renamed tags, for the fingerprint (which drops `ai_generated` tags itself, at any depth).
fn strip_renamed<'a, T: Clone>(
    item: &'a T,
    renames: &HashSet<String>,
    visit: impl FnOnce(&mut StripRenamed<'_>, &mut T),
) -> std::borrow::Cow<'a, T> {
    if renames.is_empty() {
        return std::borrow::Cow::Borrowed(item);
    }
    let mut item = item.clone();
    visit(&mut StripRenamed(renames), &mut item);
    std::borrow::Cow::Owned(item)
}

struct ParsedAttr {
    record: Record,
}

/// Parses and validates one attribute; errors become diagnostics and an empty record.
fn read_attribute(
    ctx: &mut Ctx,
    file: &Path,
    attr: &syn::Attribute,
    sig: &syn::Signature,
    pkg_dir: &Path,
) -> ParsedAttr {
    let args = match abuse_attr::parse_attribute(attr) {
        Ok(a) => a,
        Err(e) => {
            ctx.syn_error(file, e);
            abuse_attr::AttrArgs::default()
        }
    };
    if let Err(e) = abuse_attr::validate_for_fn(&args, sig) {
        ctx.syn_error(file, e);
    }
    ParsedAttr {
        record: make_record(ctx, file, &args, pkg_dir),
    }
}

fn make_record(ctx: &mut Ctx, file: &Path, args: &abuse_attr::AttrArgs, pkg_dir: &Path) -> Record {
    if let Some(file) = &args.prompt_file {
        ctx.probe(&pkg_dir.join(file.value()));
    }
    let prompt = match abuse_attr::prompt_text(args, pkg_dir) {
        Ok(p) => p,
        Err(e) => {
            ctx.syn_error(file, e);
            None
        }
    };
    let lit = |l: &Option<syn::LitStr>| l.as_ref().map(syn::LitStr::value);
    Record {
        prompt,
        prompt_file: lit(&args.prompt_file),
        model: lit(&args.model),
        author: lit(&args.author),
        reviewer: lit(&args.reviewer),
        test_owner: lit(&args.test_owner),
        signed_off: args.signed_off.as_ref().map(|(_, s)| SignOff {
            owner: s.owner.clone(),
            date: s.date.clone(),
            fingerprint: s.fingerprint.clone(),
        }),
        properties: Properties {
            roundtrip: args
                .roundtrip
                .as_ref()
                .map(|p| tokens_text(p.to_token_stream())),
            idempotent: args.idempotent,
            oracle: args
                .oracle
                .as_ref()
                .map(|p| tokens_text(p.to_token_stream())),
            ensures: args
                .ensures
                .as_ref()
                .map(|c| tokens_text(c.to_token_stream())),
            deterministic: args.deterministic,
            may_panic: args.may_panic,
            timeout_ms: args.timeout_ms,
            max_alloc: args.max_alloc,
            cases: args.cases,
            strategies: args
                .strategies
                .iter()
                .map(|(name, e)| (name.to_string(), tokens_text(e.to_token_stream())))
                .collect(),
        },
    }
}

fn signoff_state(record: &Record, fingerprint: &str) -> SignoffState {
    match &record.signed_off {
        None => SignoffState::None,
        Some(s) if s.fingerprint == fingerprint => SignoffState::Current {
            owner: s.owner.clone(),
            date: s.date.clone(),
        },
        Some(s) => SignoffState::Stale {
            owner: s.owner.clone(),
            date: s.date.clone(),
            signed: s.fingerprint.clone(),
        },
    }
}

struct FnParts<'a> {
    pkg: &'a str,
    target: &'a TargetSource,
    module: &'a Module,
    /// (as written, last segment without generics)
    self_type: Option<(String, String)>,
    vis: &'a syn::Visibility,
    sig: &'a syn::Signature,
    impl_generics: Option<&'a syn::Generics>,
    block: &'a syn::Block,
    line_span: proc_macro2::Span,
    documents_panics: bool,
    file: String,
    cfgs: Vec<String>,
    record: Record,
    fingerprint: String,
    signoff: SignoffState,
    sign_fingerprint: String,
    attr: &'a syn::Attribute,
}

fn make_fn(parts: FnParts<'_>) -> TaggedFn {
    let name = parts.sig.ident.to_string();
    let mut path = parts.module.path.clone();
    if let Some((_, ty)) = &parts.self_type {
        path.push(ty.clone());
    }
    path.push(name.clone());
    let start = parts.line_span.start();
    let mut signature = signature_of(parts.vis, parts.sig);
    if let Some(g) = parts.impl_generics {
        let mut all = generics_of(g);
        all.append(&mut signature.generics);
        signature.generics = all;
    }
    let std_renames = std_type_renames(&parts.module.items);
    if !std_renames.is_empty() {
        for param in &mut signature.params {
            unrename(&mut param.ty, &std_renames);
        }
        if let Some(out) = &mut signature.output {
            unrename(out, &std_renames);
        }
    }
    TaggedFn {
        package: parts.pkg.to_string(),
        crate_name: parts.target.crate_name.clone(),
        in_lib: parts.target.is_lib,
        path: path.join("::"),
        module_path: parts.module.path.clone(),
        name,
        self_type: parts.self_type.map(|(written, _)| written),
        reach: Reach::CratePrivate {
            path: String::new(),
        },
        file: parts.file,
        line: start.line as u32,
        column: start.column as u32 + 1,
        end_line: parts.block.brace_token.span.close().end().line as u32,
        cfg: (!parts.cfgs.is_empty()).then(|| parts.cfgs.join(" && ")),
        signature,
        record: parts.record,
        fingerprint: parts.fingerprint,
        signoff: parts.signoff,
        sign_fingerprint: parts.sign_fingerprint,
        attribute: attr_site(parts.attr),
        harness: HarnessState::Missing,
        literals: literals_of(parts.block),
        hidden_in_crate: None,
        documents_panics: parts.documents_panics,
    }
}

/// Whether an item's doc comment documents panics: a `# Panics` section (rustdoc's convention) or a line
/// that starts with "Panics" (`Panics if the base is zero.`).
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
                    || line.starts_with("Panics ")
            })
    })
}

fn attr_site(attr: &syn::Attribute) -> AttrSite {
    let start = attr.pound_token.span.start();
    AttrSite {
        line: start.line as u32,
        column: start.column as u32 + 1,
        path: attr.path().to_token_stream().to_string().replace(' ', ""),
    }
}

/// Span of the item's first attribute (doc comments count), else of the signature.
fn first_span(attrs: &[syn::Attribute], sig: &syn::Signature) -> proc_macro2::Span {
    match attrs.first() {
        Some(a) => a.pound_token.span,
        None => sig.fn_token.span,
    }
}

// ---------------------------------------------------------------------------------------------------
// Signatures and types.

fn signature_of(vis: &syn::Visibility, sig: &syn::Signature) -> Signature {
    let mut text_sig = sig.clone();
    // Attributes on parameters are noise in the printed signature.
    for input in &mut text_sig.inputs {
        match input {
            syn::FnArg::Receiver(r) => r.attrs.clear(),
            syn::FnArg::Typed(t) => t.attrs.clear(),
        }
    }
    let receiver = sig.receiver().map(|r| {
        if r.colon_token.is_some() {
            match &*r.ty {
                syn::Type::Reference(rf) if is_self(&rf.elem) => {
                    if rf.mutability.is_some() {
                        Receiver::RefMut
                    } else {
                        Receiver::Ref
                    }
                }
                ty if is_self(ty) => Receiver::Value,
                _ => Receiver::Other,
            }
        } else {
            match (&r.reference, &r.mutability) {
                (Some(_), Some(_)) => Receiver::RefMut,
                (Some(_), None) => Receiver::Ref,
                (None, _) => Receiver::Value,
            }
        }
    });
    let output = match &sig.output {
        syn::ReturnType::Default => None,
        syn::ReturnType::Type(_, ty) => match ty_of(ty) {
            Ty::Tuple { elems } if elems.is_empty() => None,
            t => Some(t),
        },
    };
    Signature {
        text: type_text(quote::quote!(#vis #text_sig)),
        is_async: sig.asyncness.is_some(),
        is_const: sig.constness.is_some(),
        is_unsafe: sig.unsafety.is_some(),
        receiver,
        params: params_of(sig),
        output,
        generics: generics_of(&sig.generics),
    }
}

fn is_self(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident("Self"))
}

fn params_of(sig: &syn::Signature) -> Vec<Param> {
    sig.inputs
        .iter()
        .filter_map(|a| match a {
            syn::FnArg::Typed(t) => Some(t),
            syn::FnArg::Receiver(_) => None,
        })
        .enumerate()
        .map(|(i, t)| Param {
            name: match &*t.pat {
                syn::Pat::Ident(id) => id.ident.to_string(),
                _ => format!("arg{i}"),
            },
            ty: ty_of(&t.ty),
        })
        .collect()
}

fn generics_of(g: &syn::Generics) -> Vec<Generic> {
    let mut out: Vec<Generic> = Vec::new();
    for p in &g.params {
        match p {
            syn::GenericParam::Type(t) => out.push(Generic {
                name: t.ident.to_string(),
                kind: GenericKind::Type,
                bounds: bounds_text(t.bounds.iter()),
            }),
            syn::GenericParam::Const(c) => out.push(Generic {
                name: c.ident.to_string(),
                kind: GenericKind::Const,
                bounds: vec![type_text(c.ty.to_token_stream())],
            }),
            syn::GenericParam::Lifetime(_) => {}
        }
    }
    if let Some(w) = &g.where_clause {
        for pred in &w.predicates {
            let syn::WherePredicate::Type(pt) = pred else {
                continue;
            };
            let syn::Type::Path(tp) = &pt.bounded_ty else {
                continue;
            };
            let Some(ident) = tp.path.get_ident() else {
                continue;
            };
            if let Some(gen) = out.iter_mut().find(|g| *ident == g.name) {
                gen.bounds.extend(bounds_text(pt.bounds.iter()));
            }
        }
    }
    out
}

fn bounds_text<'a>(bounds: impl Iterator<Item = &'a syn::TypeParamBound>) -> Vec<String> {
    bounds
        .filter(|b| !matches!(b, syn::TypeParamBound::Lifetime(_)))
        .map(|b| type_text(b.to_token_stream()))
        .collect()
}

fn ty_of(ty: &syn::Type) -> Ty {
    match ty {
        syn::Type::Reference(r) => Ty::Ref {
            mutable: r.mutability.is_some(),
            inner: Box::new(ty_of(&r.elem)),
        },
        syn::Type::Path(p) if p.qself.is_none() => {
            let mut args = Vec::new();
            let mut path = String::new();
            if p.path.leading_colon.is_some() {
                path.push_str("::");
            }
            for (i, seg) in p.path.segments.iter().enumerate() {
                if i > 0 {
                    path.push_str("::");
                }
                path.push_str(&seg.ident.to_string());
                match &seg.arguments {
                    syn::PathArguments::AngleBracketed(a) => {
                        for arg in &a.args {
                            if let syn::GenericArgument::Type(t) = arg {
                                args.push(ty_of(t));
                            }
                        }
                    }
                    syn::PathArguments::Parenthesized(_) => {
                        return Ty::Other {
                            text: type_text(ty.to_token_stream()),
                        };
                    }
                    syn::PathArguments::None => {}
                }
            }
            Ty::Path { path, args }
        }
        syn::Type::Slice(s) => Ty::Slice {
            elem: Box::new(ty_of(&s.elem)),
        },
        syn::Type::Array(a) => Ty::Array {
            elem: Box::new(ty_of(&a.elem)),
            len: tokens_text(a.len.to_token_stream()),
        },
        syn::Type::Tuple(t) => Ty::Tuple {
            elems: t.elems.iter().map(ty_of).collect(),
        },
        syn::Type::Paren(p) => ty_of(&p.elem),
        syn::Type::Group(g) => ty_of(&g.elem),
        syn::Type::ImplTrait(i) => Ty::ImplTrait {
            bounds: bounds_text(i.bounds.iter()),
        },
        other => Ty::Other {
            text: type_text(other.to_token_stream()),
        },
    }
}

/// The last path segment of an impl's self type (`Port` for `net::Port<'a>`).
fn self_type_name(ty: &syn::Type) -> Option<String> {
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
fn returned_type_name(output: &syn::ReturnType) -> Option<String> {
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
fn const_type_name(ty: &syn::Type) -> Option<(String, bool)> {
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
fn is_public_chain(tree: &Tree, module: usize) -> bool {
    let mut m = Some(module);
    while let Some(i) = m {
        if !tree.modules[i].is_pub {
            return false;
        }
        m = tree.modules[i].parent;
    }
    true
}

fn ctor_return(output: &syn::ReturnType, type_name: &str) -> Option<CtorReturn> {
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

fn fields_of(fields: &syn::Fields) -> Vec<Field> {
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
fn hidden_from_root(tree: &Tree, module: usize, item_private: bool) -> Option<String> {
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

#[allow(clippy::too_many_arguments)] // one call site; the arguments are the walk's state
fn type_def(
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
        derives,
        shape,
        constructors: Vec::new(),
        consts: Vec::new(),
        hidden_in_crate: hidden_from_root(tree, module_index, item_private),
    }
}

// ---------------------------------------------------------------------------------------------------
// Literals.

/// Collects literals; compared ones (`==`, `match` arms, `starts_with`, ...) first, so they survive the cap.
#[derive(Default)]
struct LitCollector {
    compared: Vec<Lit>,
    other: Vec<Lit>,
    in_compare: usize,
}

#[derive(Clone)]
enum Lit {
    Str(String),
    Int(i128),
}

const COMPARING_METHODS: &[&str] = &[
    "starts_with",
    "ends_with",
    "contains",
    "strip_prefix",
    "strip_suffix",
    "eq",
    "ne",
    "eq_ignore_ascii_case",
    "find",
    "split",
    "split_once",
    "trim_start_matches",
    "trim_end_matches",
    "matches",
    "replace",
    "cmp",
    "partial_cmp",
    "min",
    "max",
    "clamp",
    "checked_add",
    "checked_sub",
    "checked_mul",
];

const FORMAT_MACROS: &[&str] = &[
    "format",
    "print",
    "println",
    "eprint",
    "eprintln",
    "write",
    "writeln",
    "panic",
    "unreachable",
    "todo",
    "unimplemented",
    "format_args",
    "trace",
    "debug",
    "info",
    "warn",
    "error",
];

impl LitCollector {
    fn push(&mut self, lit: Lit) {
        if self.in_compare > 0 {
            self.compared.push(lit);
        } else {
            self.other.push(lit);
        }
    }

    fn lit(&mut self, lit: &syn::Lit, negative: bool) {
        match lit {
            syn::Lit::Str(s) => self.push(Lit::Str(s.value())),
            syn::Lit::ByteStr(b) => {
                self.push(Lit::Str(String::from_utf8_lossy(&b.value()).into_owned()))
            }
            syn::Lit::Char(c) => self.push(Lit::Str(c.value().to_string())),
            syn::Lit::Byte(b) => self.push(Lit::Int(i128::from(b.value()))),
            syn::Lit::Int(i) => {
                // syn reads `-1` in a pattern as one literal with its sign.
                if let Ok(v) = i.base10_parse::<i128>() {
                    self.push(Lit::Int(if negative { v.saturating_neg() } else { v }));
                }
            }
            _ => {}
        }
    }

    fn compared<F: FnOnce(&mut Self)>(&mut self, f: F) {
        self.in_compare += 1;
        f(self);
        self.in_compare -= 1;
    }
}

impl<'ast> Visit<'ast> for LitCollector {
    fn visit_lit(&mut self, lit: &'ast syn::Lit) {
        self.lit(lit, false);
    }

    fn visit_expr_unary(&mut self, e: &'ast syn::ExprUnary) {
        if let (syn::UnOp::Neg(_), syn::Expr::Lit(l)) = (&e.op, &*e.expr) {
            self.lit(&l.lit, true);
            return;
        }
        syn::visit::visit_expr_unary(self, e);
    }

    fn visit_expr_binary(&mut self, e: &'ast syn::ExprBinary) {
        use syn::BinOp::*;
        if matches!(e.op, Eq(_) | Ne(_) | Lt(_) | Le(_) | Gt(_) | Ge(_)) {
            self.compared(|s| syn::visit::visit_expr_binary(s, e));
        } else {
            syn::visit::visit_expr_binary(self, e);
        }
    }

    fn visit_expr_method_call(&mut self, e: &'ast syn::ExprMethodCall) {
        if COMPARING_METHODS.contains(&e.method.to_string().as_str()) {
            self.visit_expr(&e.receiver);
            self.compared(|s| e.args.iter().for_each(|a| s.visit_expr(a)));
        } else {
            syn::visit::visit_expr_method_call(self, e);
        }
    }

    fn visit_pat(&mut self, p: &'ast syn::Pat) {
        self.compared(|s| syn::visit::visit_pat(s, p));
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        let name = m
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if name == "matches" {
            let parsed = m.parse_body_with(|input: syn::parse::ParseStream| {
                let e: syn::Expr = input.parse()?;
                input.parse::<syn::Token![,]>()?;
                let p = syn::Pat::parse_multi_with_leading_vert(input)?;
                let _rest: proc_macro2::TokenStream = input.parse()?;
                Ok((e, p))
            });
            if let Ok((e, p)) = parsed {
                self.visit_expr(&e);
                self.visit_pat(&p);
            }
            return;
        }
        let Ok(args) = m.parse_body_with(
            syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
        ) else {
            return;
        };
        let skip_format = FORMAT_MACROS.contains(&name.as_str());
        for (i, a) in args.iter().enumerate() {
            // The format string of a `format!`-like macro is a message, not an input hint.
            if skip_format
                && (i == 0
                    || matches!(
                        a,
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(_),
                            ..
                        })
                    ))
            {
                continue;
            }
            if name.starts_with("assert") {
                self.compared(|s| s.visit_expr(a));
            } else {
                self.visit_expr(a);
            }
        }
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {
        // Nested items (helper fns, consts) are not the function's own comparisons.
    }
}

/// At most this many strings from a constructor's doc examples.
const MAX_EXAMPLES: usize = 8;

/// String literals in the code blocks of an item's doc comment (hidden `# ` lines included): a doc
/// example is a valid input by construction (`Version::parse("1.2.3")`), which is what a constructor
/// that rejects almost everything needs to build the values other functions are tested with.
fn doc_example_strings(attrs: &[syn::Attribute]) -> Vec<String> {
    fn collect(tokens: proc_macro2::TokenStream, out: &mut Vec<String>) {
        for tt in tokens {
            match tt {
                proc_macro2::TokenTree::Group(g) => collect(g.stream(), out),
                proc_macro2::TokenTree::Literal(lit) => {
                    if let Ok(s) = syn::parse_str::<syn::LitStr>(&lit.to_string()) {
                        let value = s.value();
                        if out.len() < MAX_EXAMPLES && !out.contains(&value) {
                            out.push(value);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut code = String::new();
    let mut in_block = false;
    for attr in attrs {
        let syn::Meta::NameValue(nv) = &attr.meta else {
            continue;
        };
        if !nv.path.is_ident("doc") {
            continue;
        }
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &nv.value
        else {
            continue;
        };
        for line in text.value().lines() {
            let line = line.trim();
            if line.starts_with("```") {
                // Only Rust blocks: a bare fence or one naming rust (`rust`, `no_run`, `should_panic`...).
                let lang = line.trim_start_matches('`');
                in_block = !in_block
                    && (lang.is_empty()
                        || lang.split(',').all(|t| {
                            matches!(
                                t.trim(),
                                "rust"
                                    | "no_run"
                                    | "ignore"
                                    | "should_panic"
                                    | "edition2021"
                                    | "edition2018"
                                    | "edition2024"
                            )
                        }));
                continue;
            }
            if in_block {
                code.push_str(line.strip_prefix('#').map_or(line, str::trim_start));
                code.push('\n');
            }
        }
    }
    let mut out = Vec::new();
    if let Ok(tokens) = code.parse::<proc_macro2::TokenStream>() {
        collect(tokens, &mut out);
    }
    out
}

fn literals_of(block: &syn::Block) -> Literals {
    let mut c = LitCollector::default();
    c.visit_block(block);
    let mut strings: Vec<String> = Vec::new();
    let mut ints: Vec<i128> = Vec::new();
    for lit in c.compared.into_iter().chain(c.other) {
        match lit {
            Lit::Str(s) if strings.len() < MAX_LITERALS && !strings.contains(&s) => strings.push(s),
            Lit::Int(i) if ints.len() < MAX_LITERALS && !ints.contains(&i) => ints.push(i),
            _ => {}
        }
    }
    strings.sort();
    ints.sort_unstable();
    Literals { strings, ints }
}

// ---------------------------------------------------------------------------------------------------
// Names and reach.

/// What a module declares, for name resolution.
struct Scope {
    /// name → (target, strictly pub)
    items: BTreeMap<String, (Target, bool)>,
    /// `use` leaves: (local name, path segments, strictly pub)
    uses: Vec<(String, Vec<String>, bool)>,
    /// `use path::*`: (path segments, strictly pub)
    globs: Vec<(Vec<String>, bool)>,
}

impl Scope {
    fn of(m: &Module, tree: &Tree) -> Scope {
        let mut s = Scope {
            items: BTreeMap::new(),
            uses: Vec::new(),
            globs: Vec::new(),
        };
        let me = tree
            .modules
            .iter()
            .position(|x| std::ptr::eq(x, m))
            .expect("module is in its tree");
        for (name, &child) in &m.children {
            s.items.insert(
                name.clone(),
                (Target::Module(child), tree.modules[child].is_pub),
            );
        }
        for (i, item) in m.items.iter().enumerate() {
            let public = |v: &syn::Visibility| matches!(v, syn::Visibility::Public(_));
            match item {
                syn::Item::Fn(f) => {
                    s.items
                        .insert(f.sig.ident.to_string(), (Target::Fn(me, i), public(&f.vis)));
                }
                syn::Item::Struct(x) => {
                    s.items
                        .insert(x.ident.to_string(), (Target::Type(me, i), public(&x.vis)));
                }
                syn::Item::Enum(x) => {
                    s.items
                        .insert(x.ident.to_string(), (Target::Type(me, i), public(&x.vis)));
                }
                syn::Item::Use(u) => {
                    let mut prefix = Vec::new();
                    if u.leading_colon.is_some() {
                        prefix.push("::".to_string());
                    }
                    collect_use(&u.tree, &mut prefix, public(&u.vis), &mut s);
                }
                _ => {}
            }
        }
        s
    }

    fn lookup_local(&self, name: &str) -> Option<Target> {
        self.items.get(name).map(|(t, _)| *t)
    }
}

fn collect_use(tree: &syn::UseTree, prefix: &mut Vec<String>, public: bool, s: &mut Scope) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            collect_use(&p.tree, prefix, public, s);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                if let Some(last) = prefix.last().cloned() {
                    s.uses.push((last, prefix.clone(), public));
                }
            } else {
                let mut path = prefix.clone();
                path.push(name.clone());
                s.uses.push((name, path, public));
            }
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            if r.ident != "self" {
                path.push(r.ident.to_string());
            }
            let alias = r.rename.to_string();
            if alias != "_" {
                s.uses.push((alias, path, public));
            }
        }
        syn::UseTree::Glob(_) => s.globs.push((prefix.clone(), public)),
        syn::UseTree::Group(g) => g
            .items
            .iter()
            .for_each(|t| collect_use(t, prefix, public, s)),
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
    for (alias, path, _) in &s.uses {
        if alias == name {
            if let Some(t) = resolve_in(tree, scopes, m, path, depth + 1) {
                return Some(t);
            }
        }
    }
    for (path, _) in &s.globs {
        if let Some(Target::Module(g)) = resolve_in(tree, scopes, m, path, depth + 1) {
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
fn resolve_in(
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

/// The names a module exports to the outside: strictly `pub` items, `pub use`s, `pub use x::*`.
fn public_names(
    tree: &Tree,
    scopes: &[Scope],
    m: usize,
    depth: usize,
    out: &mut BTreeMap<String, Target>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let s = &scopes[m];
    for (name, (t, public)) in &s.items {
        if *public {
            out.entry(name.clone()).or_insert(*t);
        }
    }
    for (alias, path, public) in &s.uses {
        if *public {
            if let Some(t) = resolve_in(tree, scopes, m, path, depth + 1) {
                out.entry(alias.clone()).or_insert(t);
            }
        }
    }
    for (path, public) in &s.globs {
        if !*public {
            continue;
        }
        if let Some(Target::Module(g)) = resolve_in(tree, scopes, m, path, depth + 1) {
            if g != m {
                let mut inner = BTreeMap::new();
                public_names(tree, scopes, g, depth + 1, &mut inner);
                for (k, v) in inner {
                    out.entry(k).or_insert(v);
                }
            }
        }
    }
}

/// Shortest public path of every reachable definition (ties: lexicographically smallest).
fn public_paths(tree: &Tree, scopes: &[Scope], crate_name: &str) -> HashMap<Target, String> {
    let mut best: HashMap<Target, String> = HashMap::new();
    let mut queue: VecDeque<(usize, Vec<String>)> = VecDeque::new();
    let mut visited: BTreeSet<usize> = BTreeSet::new();
    visited.insert(0);
    best.insert(Target::Module(0), crate_name.to_string());
    queue.push_back((0, vec![crate_name.to_string()]));
    while let Some((m, path)) = queue.pop_front() {
        let mut names = BTreeMap::new();
        public_names(tree, scopes, m, 0, &mut names);
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
                if visited.insert(child) {
                    queue.push_back((child, p));
                }
            }
        }
    }
    best
}

// ---------------------------------------------------------------------------------------------------
// Printing tokens as readable, valid Rust.

/// Tokens joined with the spacing a person would write, for expressions and attribute contents:
/// `|s: &str, out: &Result<u16, E>| out.is_err() || !s.is_empty()`. The text always re-parses to the
/// same tokens; `<` and `>` are spaced as comparisons except after `::` (turbofish).
pub fn tokens_text(ts: proc_macro2::TokenStream) -> String {
    print_tokens(ts, false)
}

/// As [`tokens_text`], for types and signatures, where `<` always opens generic arguments.
pub fn type_text(ts: proc_macro2::TokenStream) -> String {
    print_tokens(ts, true)
}

fn print_tokens(ts: proc_macro2::TokenStream, types: bool) -> String {
    let mut p = Printer {
        out: String::new(),
        types,
    };
    p.stream(ts);
    p.out
}

struct Printer {
    out: String,
    /// `<` opens generics (type context) rather than comparing.
    types: bool,
}

impl Printer {
    fn stream(&mut self, ts: proc_macro2::TokenStream) {
        use proc_macro2::{Delimiter, Spacing, TokenTree};
        let mut trees: Vec<TokenTree> = Vec::new();
        flatten_none(ts, &mut trees);
        // Per token: whether no space may follow it (unary operators, openers).
        let mut glue_after = false;
        // Whether the previous punct was a unary operator (inherited by the rest of a compound like `&&`).
        let mut prev_unary = false;
        let mut angle = 0usize;
        let mut closure_params = false;
        for (i, tt) in trees.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| &trees[j]);
            let prev_joint =
                matches!(prev, Some(TokenTree::Punct(p)) if p.spacing() == Spacing::Joint);
            let second_colon = |k: usize| {
                k >= 1
                    && matches!(&trees[k], TokenTree::Punct(p) if p.as_char() == ':')
                    && matches!(&trees[k - 1], TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
            };
            let unary_position = match prev {
                None => true,
                Some(TokenTree::Punct(p)) => {
                    !(p.as_char() == '>' && angle_closed(&trees, i - 1)) && p.as_char() != '?'
                }
                Some(TokenTree::Ident(id)) => is_keyword(&id.to_string()),
                _ => false,
            };
            let mut space = !glue_after && prev.is_some();
            let mut next_glue = false;
            let mut is_unary = false;
            match tt {
                TokenTree::Punct(p) => {
                    let c = p.as_char();
                    if prev_joint {
                        // Second character of a compound operator: `::`, `->`, `&&`, `..=`.
                        space = false;
                        is_unary = prev_unary;
                    }
                    match c {
                        ',' | ';' | '?' => space = false,
                        '.' => {
                            space = false;
                            next_glue = true;
                        }
                        ':' => {
                            space = false;
                            next_glue = p.spacing() == Spacing::Joint || second_colon(i);
                        }
                        '\'' | '#' | '$' => next_glue = true,
                        '<' => {
                            let after_colons = i >= 1 && second_colon(i - 1);
                            let is_arrow_part = prev_joint;
                            if !is_arrow_part
                                && (self.types || after_colons || angle > 0 || closure_params)
                            {
                                angle += 1;
                                space = false;
                                next_glue = true;
                            }
                        }
                        '>' => {
                            let arrow = prev_joint
                                && matches!(prev, Some(TokenTree::Punct(q)) if matches!(q.as_char(), '-' | '='));
                            if !arrow && angle > 0 {
                                angle -= 1;
                                space = false;
                            }
                        }
                        '|' if !self.types => {
                            if closure_params && !prev_joint {
                                closure_params = false;
                                space = false;
                            } else if unary_position && !prev_joint && p.spacing() == Spacing::Alone
                            {
                                closure_params = true;
                                next_glue = true;
                            }
                        }
                        '!' => {
                            let macro_bang = matches!(prev, Some(TokenTree::Ident(_)))
                                && p.spacing() == Spacing::Alone;
                            if macro_bang {
                                space = false;
                                next_glue = true;
                            } else if p.spacing() == Spacing::Alone && !prev_joint {
                                next_glue = true;
                                is_unary = true;
                            }
                        }
                        '&' | '*' | '-' => {
                            if !prev_joint {
                                is_unary = unary_position;
                            }
                            if is_unary && p.spacing() == Spacing::Alone {
                                next_glue = true;
                            }
                        }
                        _ => {}
                    }
                    if prev_joint && is_unary && p.spacing() == Spacing::Alone {
                        next_glue = true;
                    }
                    if space {
                        self.out.push(' ');
                    }
                    self.out.push(c);
                    prev_unary = is_unary;
                }
                TokenTree::Group(g) => {
                    if matches!(g.delimiter(), Delimiter::Parenthesis | Delimiter::Bracket) {
                        match prev {
                            Some(TokenTree::Ident(id))
                                if id == "pub" || !is_keyword(&id.to_string()) =>
                            {
                                space = false
                            }
                            Some(TokenTree::Group(_)) => space = false,
                            Some(TokenTree::Punct(q))
                                if q.as_char() == '>' && angle_closed(&trees, i - 1) =>
                            {
                                space = false
                            }
                            _ => {}
                        }
                    }
                    if space {
                        self.out.push(' ');
                    }
                    let (open, close) = match g.delimiter() {
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::Bracket => ("[", "]"),
                        Delimiter::Brace => ("{ ", " }"),
                        Delimiter::None => ("", ""),
                    };
                    if g.stream().is_empty() && g.delimiter() == Delimiter::Brace {
                        self.out.push_str("{}");
                    } else {
                        self.out.push_str(open);
                        let types = self.types;
                        // Inside brackets of a type (`[u8; N]`) the length is an expression.
                        self.types = types && g.delimiter() != Delimiter::Brace;
                        self.stream(g.stream());
                        self.types = types;
                        self.out.push_str(close);
                    }
                    prev_unary = false;
                }
                other => {
                    if space {
                        self.out.push(' ');
                    }
                    self.out.push_str(&other.to_string());
                    prev_unary = false;
                }
            }
            glue_after = next_glue;
        }
    }
}

/// Replaces `None`-delimited groups (from macro fragments) by their contents.
fn flatten_none(ts: proc_macro2::TokenStream, out: &mut Vec<proc_macro2::TokenTree>) {
    for tt in ts {
        match tt {
            proc_macro2::TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::None => {
                flatten_none(g.stream(), out)
            }
            other => out.push(other),
        }
    }
}

/// Whether the `>` at `i` closed a generic list (not `->`, `=>`, or a comparison): approximated by
/// looking back for an unmatched `<` that opened generics.
fn angle_closed(trees: &[proc_macro2::TokenTree], i: usize) -> bool {
    use proc_macro2::{Spacing, TokenTree};
    if i >= 1
        && matches!(&trees[i - 1], TokenTree::Punct(p) if matches!(p.as_char(), '-' | '=') && p.spacing() == Spacing::Joint)
    {
        return false;
    }
    let mut depth = 0i32;
    for t in trees[..=i].iter().rev() {
        if let TokenTree::Punct(p) = t {
            match p.as_char() {
                '>' => depth += 1,
                '<' => {
                    depth -= 1;
                    if depth == 0 {
                        return true;
                    }
                }
                ';' | '{' => return false,
                _ => {}
            }
        }
    }
    false
}

fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "fn" | "pub"
            | "in"
            | "impl"
            | "dyn"
            | "mut"
            | "const"
            | "unsafe"
            | "async"
            | "move"
            | "return"
            | "where"
            | "for"
            | "if"
            | "match"
            | "while"
            | "let"
            | "as"
            | "else"
            | "extern"
            | "crate"
            | "ref"
            | "static"
            | "break"
            | "continue"
            | "loop"
            | "type"
            | "use"
            | "mod"
            | "struct"
            | "enum"
            | "trait"
            | "yield"
    )
}

// ---------------------------------------------------------------------------------------------------
// The discovery cache.

/// Discovery results per crate in `<target-dir>/abuse/discover/`, reused while every path discovery
/// probed (files read, `prompt_file`s, the `x.rs` / `x/mod.rs` candidates, present or not) has the same
/// modification time and length. A miss, a corrupt entry or an unwritable folder only costs a re-parse.
mod cache {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use serde::{Deserialize, Serialize};

    use super::CrateFindings;
    use crate::cache::unchanged;
    pub use crate::cache::Stamp;
    use crate::model::Diagnostic;
    use crate::workspace::{PackageSources, TargetSource};

    /// What identifies a crate's entry; any difference is a miss.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Key {
        tool: String,
        workspace_root: PathBuf,
        package: String,
        package_dir: PathBuf,
        crate_name: String,
        is_lib: bool,
        root: PathBuf,
    }

    impl Key {
        pub fn new(workspace_root: &Path, p: &PackageSources, t: &TargetSource) -> Key {
            Key {
                // Bumped with every build of the tool: the analysis itself may have changed.
                tool: crate::cache::tool_id(),
                workspace_root: workspace_root.to_path_buf(),
                package: p.name.clone(),
                package_dir: p.dir.clone(),
                crate_name: t.crate_name.clone(),
                is_lib: t.is_lib,
                root: t.root.clone(),
            }
        }

        fn file_name(&self) -> String {
            format!(
                "{}-{}-{}.json",
                self.package,
                self.crate_name,
                if self.is_lib { "lib" } else { "bin" }
            )
        }
    }

    /// One cached crate.
    #[derive(Serialize, Deserialize)]
    pub struct Entry {
        pub key: Key,
        pub probes: BTreeMap<PathBuf, Stamp>,
        pub findings: CrateFindings,
        pub diagnostics: Vec<Diagnostic>,
    }

    /// The entry for `key`, if every probe still sees the same thing.
    pub fn load(dir: &Path, key: &Key) -> Option<Entry> {
        let text = std::fs::read_to_string(dir.join(key.file_name())).ok()?;
        let entry: Entry = serde_json::from_str(&text).ok()?;
        (entry.key == *key && unchanged(&entry.probes)).then_some(entry)
    }

    /// Every entry in `dir` whose probes all still see the same thing, read on as many threads as
    /// there are cores (entries are independent, and reading them is most of a warm run).
    pub fn load_all(dir: &Path) -> Vec<Entry> {
        let Ok(read) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let paths: Vec<PathBuf> = read
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        // One UTF-8 check over the whole file, then `from_str`, which does not check every string again.
        let load = |path: &PathBuf| -> Option<Entry> {
            let text = std::fs::read_to_string(path).ok()?;
            let entry: Entry = serde_json::from_str(&text).ok()?;
            unchanged(&entry.probes).then_some(entry)
        };
        let per_thread = paths.len().div_ceil(super::cores()).max(1);
        std::thread::scope(|scope| {
            let handles: Vec<_> = paths
                .chunks(per_thread)
                .map(|chunk| scope.spawn(move || chunk.iter().filter_map(load).collect::<Vec<_>>()))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    }

    /// Writes the entry; failures are ignored.
    pub fn store(dir: &Path, entry: &Entry) {
        crate::cache::store(dir, &entry.key.file_name(), entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` (path, text) under a temp dir and discovers the lib crate `demo` at `src/lib.rs`.
    fn run(files: &[(&str, &str)]) -> Inventory {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().expect("has parent")).expect("mkdir");
            std::fs::write(&p, text).expect("write");
        }
        let pkg = PackageSources {
            name: "demo".into(),
            manifest_path: dir.path().join("Cargo.toml"),
            dir: dir.path().to_path_buf(),
            metadata: serde_json::Value::Null,
            targets: vec![TargetSource {
                crate_name: "demo".into(),
                is_lib: true,
                root: dir.path().join("src/lib.rs"),
            }],
        };
        discover(
            &[pkg],
            dir.path(),
            &test_options(dir.path()),
            prefetch(None),
        )
    }

    fn test_options(root: &Path) -> Options {
        Options {
            workspace_root: root.to_path_buf(),
            target_dir: root.join("target"),
            color: false,
            verbosity: 0,
            packages: BTreeMap::new(),
            json: false,
            check: false,
            fn_path: None,
            force: false,
            edit_manifest: true,
            clusterfuzzlite: false,
            run_cases: None,
            fuzz_secs: None,
            address_sanitizer: false,
            seed: None,
            shard: None,
            junit: None,
            sarif: None,
            markdown: None,
            owner: None,
            report_json: false,
            since: None,
        }
    }

    fn lib(src: &str) -> Inventory {
        run(&[("src/lib.rs", src)])
    }

    fn fns(inv: &Inventory) -> Vec<&TaggedFn> {
        inv.packages.iter().flat_map(|p| &p.functions).collect()
    }

    fn find<'a>(inv: &'a Inventory, path: &str) -> &'a TaggedFn {
        fns(inv)
            .into_iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("no {path} in {:#?}", fns(inv)))
    }

    fn reach(inv: &Inventory, path: &str) -> String {
        match &find(inv, path).reach {
            Reach::Public { path } => path.clone(),
            Reach::CratePrivate { path } => format!("private {path}"),
        }
    }

    #[test]
    fn renamed_attribute_is_recognised() {
        let inv = lib(r#"
            use abuse_macros::ai_generated as ai;
            #[ai(author = "alice")]
            pub fn a() {}
            #[abuse_macros::ai_generated]
            pub fn b() {}
            #[other]
            pub fn c() {}
        "#);
        let names: Vec<&str> = fns(&inv).iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(find(&inv, "a").record.author.as_deref(), Some("alice"));
        assert!(inv.diagnostics.is_empty(), "{:?}", inv.diagnostics);
    }

    #[test]
    fn a_tag_inside_cfg_attr_is_read_and_fingerprinted_as_the_macro_sees_it() {
        let wrapped = lib(r#"
            /// Doc.
            #[cfg_attr(test, abuse_macros::ai_generated(prompt = "p", test_owner = "bob"))]
            #[inline]
            pub fn a(x: u8) -> u8 { x }
            #[cfg_attr(test, derive(Debug), ai_generated)]
            pub fn not_alone() {}
        "#);
        let plain = lib(r#"
            /// Doc.
            #[abuse_macros::ai_generated(prompt = "p", test_owner = "bob")]
            #[inline]
            pub fn a(x: u8) -> u8 { x }
        "#);
        let (w, p) = (find(&wrapped, "a"), find(&plain, "a"));
        assert_eq!(w.record.test_owner.as_deref(), Some("bob"));
        assert_eq!(w.fingerprint, p.fingerprint);
        // `sign` finds the attribute at the `cfg_attr`'s `#` and looks for the tag's path inside it.
        assert_eq!(
            (w.attribute.line, w.attribute.column),
            (p.attribute.line, p.attribute.column)
        );
        assert_eq!(w.attribute.path, "abuse_macros::ai_generated");
        let names: Vec<&str> = fns(&wrapped).iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a"]);
    }

    #[test]
    fn constructors_keep_the_strings_of_their_doc_examples() {
        let inv = lib(r#"
            pub struct Version(u16, u16);
            impl Version {
                /// Parses `major.minor`.
                ///
                /// ```
                /// # let v = demo::Version::parse("0.1").unwrap();
                /// assert!(Version::parse("1.2").is_ok());
                /// assert!(Version::parse("1.2").is_ok());
                /// ```
                ///
                /// ```text
                /// not rust: "9.9"
                /// ```
                pub fn parse(s: &str) -> Option<Version> { None }
            }
            #[ai_generated]
            pub fn f(v: &Version) {}
        "#);
        let version = &inv.packages[0].types[0];
        assert_eq!(version.constructors[0].examples, ["0.1", "1.2"]);
    }

    #[test]
    fn a_panics_section_in_the_docs_is_noticed() {
        let inv = lib(r#"
            /// Picks a digit.
            ///
            /// # Panics
            ///
            /// Panics if the base is zero.
            #[ai_generated]
            pub fn digit(base: u32) -> char { 'a' }
            /// Never panics (says so in prose: `# Panics` inside a sentence is not a section).
            #[ai_generated]
            pub fn calm(x: u32) -> u32 { x }
            /// Picks a char.
            /// Panics if the range is empty.
            #[ai_generated]
            pub fn pick(lo: char, hi: char) -> char { lo }
        "#);
        assert!(find(&inv, "digit").documents_panics);
        assert!(find(&inv, "pick").documents_panics);
        assert!(!find(&inv, "calm").documents_panics);
    }

    #[test]
    fn renamed_std_types_are_known_by_their_full_path() {
        let inv = lib(r#"
            use std::time::{Duration as StdDuration, Instant};
            use crate::Thing as Other;
            pub struct Thing;
            #[ai_generated]
            pub fn f(d: StdDuration, v: &[StdDuration], o: Other) -> Option<StdDuration> { None }
        "#);
        let sig = &find(&inv, "f").signature;
        let duration = Ty::Path {
            path: "std::time::Duration".into(),
            args: vec![],
        };
        assert_eq!(sig.params[0].ty, duration);
        assert_eq!(
            sig.params[1].ty,
            Ty::Ref {
                mutable: false,
                inner: Box::new(Ty::Slice {
                    elem: Box::new(duration.clone())
                })
            }
        );
        // Only std renames are resolved: crate types are found by name later.
        assert_eq!(
            sig.params[2].ty,
            Ty::Path {
                path: "Other".into(),
                args: vec![]
            }
        );
        assert_eq!(
            sig.output,
            Some(Ty::Path {
                path: "Option".into(),
                args: vec![duration]
            })
        );
        // The signature as written is kept for display.
        assert!(sig.text.contains("d: StdDuration"), "{}", sig.text);
    }

    #[test]
    fn renamed_tag_does_not_change_the_fingerprint() {
        let plain = lib("#[ai_generated(prompt = \"p\")]\npub fn a(x: u8) -> u8 { x }");
        let renamed =
            lib("use m::ai_generated as ai;\n#[ai(prompt = \"p\")]\npub fn a(x: u8) -> u8 { x }");
        assert_eq!(
            find(&plain, "a").fingerprint,
            find(&renamed, "a").fingerprint
        );
    }

    #[test]
    fn tagged_impl_block_tags_its_pub_fns_and_own_attributes_win() {
        let inv = lib(r#"
            pub struct Port(u16);
            #[ai_generated(test_owner = "bob")]
            impl Port {
                pub fn new(p: u16) -> Option<Self> { Some(Port(p)) }
                fn helper(&self) {}
                #[ai_generated(test_owner = "eve")]
                pub fn get(&self) -> u16 { self.0 }
            }
            impl Port {
                #[ai_generated]
                fn private_method(&mut self) {}
            }
        "#);
        let names: Vec<&str> = fns(&inv).iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, ["Port::new", "Port::get", "Port::private_method"]);
        assert_eq!(
            find(&inv, "Port::new").record.test_owner.as_deref(),
            Some("bob")
        );
        assert_eq!(
            find(&inv, "Port::get").record.test_owner.as_deref(),
            Some("eve")
        );
        assert_eq!(
            find(&inv, "Port::get").signature.receiver,
            Some(Receiver::Ref)
        );
        assert_eq!(reach(&inv, "Port::new"), "demo::Port::new");
        assert_eq!(
            reach(&inv, "Port::private_method"),
            "private crate::Port::private_method"
        );
        let port = &inv.packages[0].types[0];
        assert_eq!(port.constructors.len(), 1);
        assert_eq!(port.constructors[0].returns, CtorReturn::Option);
    }

    #[test]
    fn block_signoff_is_checked_against_the_block_fingerprint() {
        let src = "pub struct P;\n#[ai_generated(signed_off = \"bob 2026-01-01 SIG\")]\nimpl P { pub fn a(&self) {} }";
        let file: syn::File = syn::parse_str(src).expect("parses");
        let syn::Item::Impl(imp) = &file.items[1] else {
            panic!("impl")
        };
        let block_fp = abuse_attr::fingerprint::of_impl(imp, "");
        let inv = lib(&src.replace("SIG", &block_fp));
        assert_eq!(
            find(&inv, "P::a").signoff,
            SignoffState::Current {
                owner: "bob".into(),
                date: "2026-01-01".into()
            }
        );
        assert_ne!(find(&inv, "P::a").fingerprint, block_fp);
        let changed = lib(&src
            .replace("SIG", &block_fp)
            .replace("{} }", "{ let _x = 1; } }"));
        assert!(matches!(
            find(&changed, "P::a").signoff,
            SignoffState::Stale { .. }
        ));
    }

    #[test]
    fn direct_signoff_is_current_until_the_function_changes() {
        let src = "#[ai_generated(prompt = \"p\", signed_off = \"bob 2026-01-01 SIG\")]\npub fn f(x: u8) -> u8 { x }";
        let unsigned = lib(&src.replace(", signed_off = \"bob 2026-01-01 SIG\"", ""));
        let fp = find(&unsigned, "f").fingerprint.clone();
        let signed = lib(&src.replace("SIG", &fp));
        assert!(matches!(
            find(&signed, "f").signoff,
            SignoffState::Current { .. }
        ));
        let changed = lib(&src.replace("SIG", &fp).replace("{ x }", "{ x + 1 }"));
        assert!(matches!(
            find(&changed, "f").signoff,
            SignoffState::Stale { .. }
        ));
        let reprompted = lib(&src.replace("SIG", &fp).replace("\"p\"", "\"q\""));
        assert!(matches!(
            find(&reprompted, "f").signoff,
            SignoffState::Stale { .. }
        ));
    }

    #[test]
    fn literals_are_mined_compared_first_deduped_and_sorted() {
        let inv = lib(r#"
            #[ai_generated]
            pub fn f(s: &str, n: i64) -> bool {
                if s == "GET" || s.starts_with(b"\x7fELF") { return true; }
                match n { -1 => false, 0..=9 => true, 65535 => true, _ => { println!("x {}", "msg"); s == "GET" } }
            }
        "#);
        let lits = &find(&inv, "f").literals;
        assert_eq!(lits.strings, ["GET", "\u{7f}ELF"]);
        assert_eq!(lits.ints, [-1, 0, 9, 65535]);
    }

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

    #[test]
    fn cfg_of_modules_and_items_is_recorded() {
        let inv = lib(r#"
            #[cfg(feature = "net")]
            pub mod net {
                #[cfg(unix)] #[ai_generated] pub fn f() {}
            }
            #[cfg(test)] mod tests { #[ai_generated] fn t() {} }
        "#);
        assert_eq!(
            find(&inv, "net::f").cfg.as_deref(),
            Some("feature = \"net\" && unix")
        );
        assert_eq!(find(&inv, "tests::t").cfg.as_deref(), Some("test"));
    }

    #[test]
    fn signature_is_printed_and_converted() {
        let inv = lib(r#"
            #[ai_generated]
            pub async fn f<'a, T: Ord + Clone, const N: usize>(s: &'a str, v: &mut [T], a: [u8; N], (x, y): (u8, u8), w: impl AsRef<str>) -> Result<Vec<T>, std::io::Error> where T: Default { todo!() }
        "#);
        let f = find(&inv, "f");
        assert_eq!(
            f.signature.text,
            "pub async fn f<'a, T: Ord + Clone, const N: usize>(s: &'a str, v: &mut [T], a: [u8; N], (x, y): (u8, u8), w: impl AsRef<str>) -> Result<Vec<T>, std::io::Error> where T: Default"
        );
        assert!(f.signature.is_async);
        let names: Vec<&str> = f.signature.params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["s", "v", "a", "arg3", "w"]);
        assert_eq!(f.signature.generics[0].bounds, ["Ord", "Clone", "Default"]);
        assert_eq!(f.signature.generics[1].kind, GenericKind::Const);
        assert_eq!(
            f.signature.params[0].ty,
            Ty::Ref {
                mutable: false,
                inner: Box::new(Ty::Path {
                    path: "str".into(),
                    args: vec![]
                })
            }
        );
        assert_eq!(
            f.signature.params[4].ty,
            Ty::ImplTrait {
                bounds: vec!["AsRef<str>".into()]
            }
        );
        let Some(Ty::Path { path, args }) = &f.signature.output else {
            panic!("output")
        };
        assert_eq!(path, "Result");
        assert_eq!(
            args[1],
            Ty::Path {
                path: "std::io::Error".into(),
                args: vec![]
            }
        );
    }

    #[test]
    fn module_files_resolve_like_rustc() {
        let inv = run(&[
            ("src/lib.rs", "pub mod a; pub mod b; #[path = \"other/c_file.rs\"] pub mod c; pub mod d { pub mod e; }"),
            ("src/a.rs", "pub mod nested; #[ai_generated] pub fn fa() {}"),
            ("src/a/nested.rs", "#[ai_generated] pub fn fn_nested() {}"),
            ("src/b/mod.rs", "pub mod inner;"),
            ("src/b/inner.rs", "#[ai_generated] pub fn fb() {}"),
            ("src/other/c_file.rs", "pub mod sib; #[ai_generated] pub fn fc() {}"),
            ("src/other/sib.rs", "#[ai_generated] pub fn fsib() {}"),
            ("src/d/e.rs", "#[ai_generated] pub fn fe() {}"),
        ]);
        let mut got: Vec<(String, String)> = fns(&inv)
            .iter()
            .map(|f| (f.path.clone(), f.file.clone()))
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("a::fa", "src/a.rs"),
                ("a::nested::fn_nested", "src/a/nested.rs"),
                ("b::inner::fb", "src/b/inner.rs"),
                ("c::fc", "src/other/c_file.rs"),
                ("c::sib::fsib", "src/other/sib.rs"),
                ("d::e::fe", "src/d/e.rs"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        assert!(inv.diagnostics.is_empty(), "{:?}", inv.diagnostics);
    }

    #[test]
    fn syntax_errors_and_missing_files_are_diagnosed_and_the_rest_is_kept() {
        let inv = run(&[
            ("src/lib.rs", "pub mod good;\npub mod bad;\nmod gone;"),
            ("src/good.rs", "#[ai_generated] pub fn ok() {}"),
            ("src/bad.rs", "pub fn broken( {"),
        ]);
        assert_eq!(fns(&inv).len(), 1);
        let d: Vec<(Severity, &str, u32)> = inv
            .diagnostics
            .iter()
            .map(|d| (d.severity, d.file.as_str(), d.line))
            .collect();
        assert_eq!(
            d,
            [
                (Severity::Error, "src/bad.rs", 1),
                (Severity::Warning, "src/lib.rs", 3)
            ]
        );
        let missing = inv
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Warning)
            .expect("warning");
        assert!(
            missing
                .message
                .contains("`src/gone.rs` or `src/gone/mod.rs`"),
            "{}",
            missing.message
        );
    }

    #[test]
    fn tags_in_trait_impls_are_warned_about_not_listed() {
        let inv = lib(
            "struct S;\nimpl Clone for S {\n    #[ai_generated]\n    fn clone(&self) -> S { S }\n}",
        );
        assert!(fns(&inv).is_empty());
        let d = &inv.diagnostics[0];
        assert_eq!((d.severity, d.line, d.column), (Severity::Warning, 3, 5));
        assert_eq!(
            inv.packages[0].trait_impls,
            [TraitImpl {
                trait_name: "Clone".into(),
                type_name: "S".into()
            }]
        );
    }

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
                type_name: "Port".into()
            }]
        );
    }

    #[test]
    fn malformed_attribute_is_reported_at_its_location_with_the_macros_words() {
        let inv = lib("\n#[ai_generated(promt = \"x\")]\npub fn f() {}");
        assert_eq!(fns(&inv).len(), 1);
        let d = &inv.diagnostics[0];
        assert_eq!((d.severity, d.line, d.column), (Severity::Error, 2, 16));
        assert_eq!(d.message, "unknown key `promt`; did you mean `prompt`?");
    }
}

#[cfg(test)]
mod tokens_text_tests {
    use super::tokens_text;
    use quote::ToTokens;

    #[test]
    fn printed_expressions_reparse_to_the_same_tokens() {
        let cases = [
            (
                "|s: &str, out: &Result<u16, PortError>| out.is_err() || !s.is_empty()",
                None,
            ),
            ("0u32..10", Some("0u32..10")),
            ("a < b && c > d", Some("a < b && c > d")),
            ("x as u8 >> 2", None),
            ("Vec::<u8>::new()", Some("Vec::<u8>::new()")),
            ("-1", Some("-1")),
            ("&&x", None),
            ("a & b", Some("a & b")),
            ("\"[0-9]{1,5}\"", Some("\"[0-9]{1,5}\"")),
            ("|x| x.len() <= 5", Some("|x| x.len() <= 5")),
            (
                "proptest::collection::vec(any::<u8>(), 0..10)",
                Some("proptest::collection::vec(any::<u8>(), 0..10)"),
            ),
            ("|a: &u32, b: &Option<Vec<u8>>| *a > 3 && b.is_some()", None),
            ("x - 1 > -2", None),
            ("f(&mut v, &[1, 2])", Some("f(&mut v, &[1, 2])")),
            ("{ let y = x?; y }", None),
            ("if a { b } else { c }", None),
            ("move |x| x << 1", None),
            ("|| true", None),
            ("a | b", Some("a | b")),
        ];
        for (src, expected) in cases {
            let e: syn::Expr = syn::parse_str(src).expect("test input parses");
            let text = tokens_text(e.to_token_stream());
            let again: syn::Expr =
                syn::parse_str(&text).unwrap_or_else(|err| panic!("`{text}` from `{src}`: {err}"));
            assert_eq!(
                again.to_token_stream().to_string(),
                e.to_token_stream().to_string(),
                "{src} -> {text}"
            );
            if let Some(x) = expected {
                assert_eq!(text, x);
            }
        }
    }

    #[test]
    fn printed_types_and_cfgs_are_readable() {
        for (src, expected) in [
            ("&'a mut [u8; 4]", "&'a mut [u8; 4]"),
            (
                "std::collections::HashMap<String, Vec<(u8, char)>>",
                "std::collections::HashMap<String, Vec<(u8, char)>>",
            ),
            (
                "Box<dyn Fn(u8) -> bool + Send>",
                "Box<dyn Fn(u8) -> bool + Send>",
            ),
            (
                "impl Iterator<Item = &'a str>",
                "impl Iterator<Item = &'a str>",
            ),
            ("*const T", "*const T"),
        ] {
            let t: syn::Type = syn::parse_str(src).expect("type parses");
            assert_eq!(super::type_text(t.to_token_stream()), expected);
        }
        let m: syn::Meta = syn::parse_str("cfg(all(unix, not(feature = \"x\")))").expect("meta");
        let syn::Meta::List(l) = m else {
            panic!("list")
        };
        assert_eq!(tokens_text(l.tokens), "all(unix, not(feature = \"x\"))");
    }
}
