//! Usage (syn's `Visit`, through `discover`): the string literals the package itself passes to a type's
//! constructors anywhere — unit tests, `tests/`, `examples/`, `benches/`, doc tests of any item, the library
//! code — join the constructor's doc examples as valid inputs (issue 12, item 3). A call whose result is
//! expected to fail (`.is_err()`, `.unwrap_err()`, `.is_none()`, a `#[should_panic]` test) is not a valid
//! input and is left out.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use syn::visit::Visit;

use crate::cache::{unchanged, Stamp};

use crate::model::TypeDef;

/// At most this many examples per constructor (its own doc examples count).
const MAX_EXAMPLES: usize = 16;

/// Folders of a package whose Rust files are read, and the generated ones that are not.
const FOLDERS: &[&str] = &["src", "tests", "examples", "benches"];
const SKIPPED: &[&str] = &["abuse", "abuse_tests", "target", "fuzz"];

/// Methods that say the call before them is expected to fail.
const FAILING: &[&str] = &[
    "is_err",
    "unwrap_err",
    "expect_err",
    "is_none",
    "err",
    "unwrap_none",
];

/// Adds to the constructors of `types` the string literals the package's own code passes them. The scan
/// reads every Rust file of the package, so its answer is kept in `cache_dir` and reused while no file or
/// folder it read changed.
pub(super) fn add_usage_examples(package_dir: &Path, types: &mut [TypeDef], cache_dir: &Path) {
    if types.iter().all(|t| t.constructors.is_empty()) {
        return;
    }
    let found = scan_cached(package_dir, cache_dir);
    for ty in types {
        for ctor in &mut ty.constructors {
            let (owner, name) = match &ctor.free_fn {
                Some(f) => ("", f.path.rsplit("::").next().unwrap_or("")),
                None => (ty.name.as_str(), ctor.name.as_str()),
            };
            let Some(call) = found.iter().find(|c| c.owner == owner && c.name == name) else {
                continue;
            };
            for e in &call.values {
                if ctor.examples.len() < MAX_EXAMPLES && !ctor.examples.contains(e) {
                    ctor.examples.push(e.clone());
                }
            }
        }
    }
}

/// The strings the code of the package at `package_dir` passes to `owner::name` (`owner` empty for a free
/// function), from the cached scan.
pub(super) fn values_passed(
    package_dir: &Path,
    cache_dir: &Path,
    owner: &str,
    name: &str,
) -> Vec<String> {
    scan_cached(package_dir, cache_dir)
        .into_iter()
        .find(|c| c.owner == owner && c.name == name)
        .map(|c| c.values)
        .unwrap_or_default()
}

/// The strings passed to one callee, `owner::name` (`owner` empty for a free function).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct CallValues {
    owner: String,
    name: String,
    values: Vec<String>,
}

/// One package's scan as cached: valid while the tool build and every probed path are the same.
#[derive(Serialize, Deserialize)]
struct ScanEntry {
    tool: String,
    package_dir: PathBuf,
    probes: BTreeMap<PathBuf, Stamp>,
    calls: Vec<CallValues>,
}

/// The package's constructor calls, from the cache when nothing it read changed.
fn scan_cached(package_dir: &Path, cache_dir: &Path) -> Vec<CallValues> {
    let file = format!("{}.json", crate::cache::path_key(package_dir));
    let tool = crate::cache::tool_id();
    let cached = crate::cache::load::<ScanEntry>(cache_dir, &file)
        .filter(|e| e.tool == tool && e.package_dir == package_dir && unchanged(&e.probes));
    if let Some(entry) = cached {
        return entry.calls;
    }
    let mut probes = BTreeMap::new();
    let mut files = Vec::new();
    for folder in FOLDERS {
        rust_files(&package_dir.join(folder), &mut files, &mut probes);
    }
    files.sort();
    let mut calls = Calls::default();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if let Ok(parsed) = syn::parse_file(&text) {
            calls.visit_file(&parsed);
        }
    }
    calls.follow_forwarders();
    let mut found: Vec<CallValues> = calls
        .by_ctor
        .into_iter()
        .map(|((owner, name), values)| CallValues {
            owner,
            name,
            values,
        })
        .collect();
    found.sort_by(|a, b| (&a.owner, &a.name).cmp(&(&b.owner, &b.name)));
    let entry = ScanEntry {
        tool,
        package_dir: package_dir.to_path_buf(),
        probes,
        calls: found,
    };
    crate::cache::store(cache_dir, &file, &entry);
    entry.calls
}

/// The `.rs` files under `dir`, generated folders and symlinks left out; every folder listed and file
/// found is stamped into `probes` (a folder's stamp changes when an entry is added or removed).
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>, probes: &mut BTreeMap<PathBuf, Stamp>) {
    probes.insert(dir.to_path_buf(), Stamp::of(dir));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if kind.is_dir() {
            let name = entry.file_name();
            if !SKIPPED.iter().any(|s| name == *s) {
                rust_files(&path, out, probes);
            }
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "rs") {
            probes.insert(path.clone(), Stamp::of(&path));
            out.push(path);
        }
    }
}

/// String literals passed to calls, by (type name, function name); free functions under an empty type name.
#[derive(Default)]
struct Calls {
    by_ctor: HashMap<(String, String), Vec<String>>,
    /// Inside the receiver of a failing method, or a `#[should_panic]` test.
    failing: usize,
    /// Test helpers that hand their parameter to a constructor and expect success
    /// (`fn req(text: &str) -> VersionReq { VersionReq::parse(text).unwrap() }`): helper name → the callee.
    forwarders: Vec<(String, (String, String))>,
    /// `let name = "literal";` in the blocks being visited, innermost last: tests often name a valid input
    /// before passing it (`let hash = "$2b$04$…"; verify("pw", hash)`).
    bound: Vec<HashMap<String, String>>,
}

/// Finds, in one function's body, the call its parameter is handed to unchanged (`Type::ctor(text)`), and
/// whether the body expects a failure (`unwrap_err`...): a helper of the latter kind gets invalid inputs.
struct Forwarding<'p> {
    params: &'p [String],
    callee: Option<(String, String)>,
    expects_failure: bool,
}

impl<'ast> Visit<'ast> for Forwarding<'_> {
    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func {
            let segs: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            let passes_param = c.args.iter().any(|a| self.is_param(a));
            if segs.len() >= 2 && passes_param && self.callee.is_none() {
                self.callee = Some((segs[segs.len() - 2].clone(), segs[segs.len() - 1].clone()));
            }
        }
        syn::visit::visit_expr_call(self, c);
    }

    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        self.expects_failure |= FAILING.contains(&m.method.to_string().as_str());
        syn::visit::visit_expr_method_call(self, m);
    }
}

impl Forwarding<'_> {
    /// `text`, `&text`, `text.as_str()`...: the parameter itself.
    fn is_param(&self, e: &syn::Expr) -> bool {
        match e {
            syn::Expr::Path(p) => p
                .path
                .get_ident()
                .is_some_and(|i| self.params.iter().any(|n| i == n)),
            syn::Expr::Reference(r) => self.is_param(&r.expr),
            syn::Expr::Paren(p) => self.is_param(&p.expr),
            syn::Expr::MethodCall(m) if m.args.is_empty() => self.is_param(&m.receiver),
            _ => false,
        }
    }
}

/// The string a call argument is: `"x"`, `b"x"` (UTF-8), `"x".to_string()`, `String::from("x")`, `&"x"`.
fn string_arg(e: &syn::Expr) -> Option<String> {
    match e {
        syn::Expr::Lit(syn::ExprLit { lit, .. }) => match lit {
            syn::Lit::Str(s) => Some(s.value()),
            syn::Lit::ByteStr(b) => String::from_utf8(b.value()).ok(),
            _ => None,
        },
        syn::Expr::Reference(r) => string_arg(&r.expr),
        syn::Expr::Paren(p) => string_arg(&p.expr),
        syn::Expr::MethodCall(m)
            if m.args.is_empty()
                && matches!(
                    m.method.to_string().as_str(),
                    "to_string" | "to_owned" | "into" | "as_bytes" | "as_ref" | "as_str"
                ) =>
        {
            string_arg(&m.receiver)
        }
        syn::Expr::Call(c) if c.args.len() == 1 => match &*c.func {
            syn::Expr::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == "from")
                    && p.path.segments.len() >= 2 =>
            {
                string_arg(&c.args[0])
            }
            _ => None,
        },
        _ => None,
    }
}

impl Calls {
    /// The string an argument is: a literal, or a local bound to one.
    fn arg_value(&self, e: &syn::Expr) -> Option<String> {
        string_arg(e).or_else(|| {
            let name = match e {
                syn::Expr::Path(p) => p.path.get_ident()?.to_string(),
                syn::Expr::Reference(r) => return self.arg_value(&r.expr),
                syn::Expr::Paren(p) => return self.arg_value(&p.expr),
                _ => return None,
            };
            self.bound.iter().rev().find_map(|b| b.get(&name).cloned())
        })
    }

    fn add(&mut self, key: (String, String), values: Vec<String>) {
        if self.failing > 0 || values.is_empty() {
            return;
        }
        let list = self.by_ctor.entry(key).or_default();
        for v in values {
            if list.len() < MAX_EXAMPLES && !list.contains(&v) {
                list.push(v);
            }
        }
    }

    /// The strings passed to a forwarding helper are its callee's too.
    fn follow_forwarders(&mut self) {
        for (helper, callee) in std::mem::take(&mut self.forwarders) {
            if let Some(values) = self.by_ctor.get(&(String::new(), helper)).cloned() {
                self.add(callee, values);
            }
        }
    }

    /// Doc tests: the code blocks of an item's doc comment, read as a block.
    fn doc_tests(&mut self, attrs: &[syn::Attribute]) {
        let code = super::literals::doc_code(attrs);
        if code.is_empty() {
            return;
        }
        if let Ok(block) = syn::parse_str::<syn::Block>(&format!("{{\n{code}\n}}")) {
            self.visit_block(&block);
        }
    }
}

impl<'ast> Visit<'ast> for Calls {
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}

    fn visit_file(&mut self, file: &'ast syn::File) {
        // The crate's or module's own `//!` docs.
        self.doc_tests(&file.attrs);
        syn::visit::visit_file(self, file);
    }

    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs: &[syn::Attribute] = match item {
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Trait(t) => &t.attrs,
            syn::Item::Const(c) => &c.attrs,
            _ => &[],
        };
        self.doc_tests(attrs);
        let should_panic = attrs.iter().any(|a| a.path().is_ident("should_panic"));
        self.failing += usize::from(should_panic);
        syn::visit::visit_item(self, item);
        self.failing -= usize::from(should_panic);
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        let params: Vec<String> = f
            .sig
            .inputs
            .iter()
            .filter_map(|a| match a {
                syn::FnArg::Typed(t) => match &*t.pat {
                    syn::Pat::Ident(i) => Some(i.ident.to_string()),
                    _ => None,
                },
                syn::FnArg::Receiver(_) => None,
            })
            .collect();
        if params.len() == 1 {
            let mut forwarding = Forwarding {
                params: &params,
                callee: None,
                expects_failure: false,
            };
            forwarding.visit_block(&f.block);
            if let (Some(callee), false) = (forwarding.callee, forwarding.expects_failure) {
                self.forwarders.push((f.sig.ident.to_string(), callee));
            }
        }
        syn::visit::visit_item_fn(self, f);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.doc_tests(&f.attrs);
        syn::visit::visit_impl_item_fn(self, f);
    }

    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        self.doc_tests(&f.attrs);
        syn::visit::visit_trait_item_fn(self, f);
    }

    fn visit_block(&mut self, b: &'ast syn::Block) {
        self.bound.push(HashMap::new());
        syn::visit::visit_block(self, b);
        self.bound.pop();
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        let pat = match &l.pat {
            syn::Pat::Type(t) => &*t.pat,
            other => other,
        };
        if let (syn::Pat::Ident(name), Some(init)) = (pat, &l.init) {
            if let (Some(value), Some(scope)) = (string_arg(&init.expr), self.bound.last_mut()) {
                scope.insert(name.ident.to_string(), value);
            }
        }
        syn::visit::visit_local(self, l);
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func {
            let segs: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            let values: Vec<String> = c.args.iter().filter_map(|a| self.arg_value(a)).collect();
            if let Some(name) = segs.last() {
                if segs.len() >= 2 {
                    let ty = segs[segs.len() - 2].clone();
                    self.add((ty, name.clone()), values.clone());
                }
                self.add((String::new(), name.clone()), values);
            }
        }
        syn::visit::visit_expr_call(self, c);
    }

    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        let method = m.method.to_string();
        // `"1.2.3".parse::<Version>()`: the type's `from_str`.
        if method == "parse" {
            if let (Some(s), Some(turbofish)) = (string_arg(&m.receiver), &m.turbofish) {
                if let Some(syn::GenericArgument::Type(syn::Type::Path(t))) = turbofish.args.first()
                {
                    if let Some(last) = t.path.segments.last() {
                        self.add((last.ident.to_string(), "from_str".into()), vec![s]);
                    }
                }
            }
        }
        if FAILING.contains(&method.as_str()) {
            self.failing += 1;
            self.visit_expr(&m.receiver);
            self.failing -= 1;
            m.args.iter().for_each(|a| self.visit_expr(a));
            return;
        }
        syn::visit::visit_expr_method_call(self, m);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // `assert!(...)`, `assert_eq!(...)`, `vec![...]`...: their arguments are expressions.
        if let Ok(args) = mac.parse_body_with(
            syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
        ) {
            let failing = mac
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "assert_ne");
            self.failing += usize::from(failing);
            args.iter().for_each(|a| self.visit_expr(a));
            self.failing -= usize::from(failing);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::scan_cached;
    use crate::discover::tests::run;

    /// The second scan is the cached answer while the files look the same, and a new one once a file changes.
    #[test]
    fn the_scan_is_reused_until_a_file_it_read_changes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (pkg, cache) = (dir.path().join("pkg"), dir.path().join("cache"));
        let example = pkg.join("examples/ex.rs");
        std::fs::create_dir_all(example.parent().unwrap()).unwrap();
        let write = |text: &str| std::fs::write(&example, text).unwrap();
        let values = || -> Vec<String> {
            let calls = scan_cached(&pkg, &cache);
            let version = calls
                .into_iter()
                .filter(|c| c.owner == "Version" && c.name == "parse");
            version.flat_map(|c| c.values).collect()
        };
        write(r#"fn main() { Version::parse("5.6"); }"#);
        assert_eq!(values(), ["5.6"]);
        // Same length and modification time: the stamp cannot tell, so the cached answer comes back.
        let mtime = std::fs::metadata(&example).unwrap().modified().unwrap();
        write(r#"fn main() { Version::parse("7.8"); }"#);
        std::fs::File::options()
            .write(true)
            .open(&example)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        assert_eq!(values(), ["5.6"]);
        write(r#"fn main() { Version::parse("7.8.9"); }"#);
        assert_eq!(values(), ["7.8.9"]);
        // A new file in a folder the scan listed.
        std::fs::write(
            pkg.join("examples/more.rs"),
            r#"fn main() { Version::parse("1.0"); }"#,
        )
        .unwrap();
        assert_eq!(values(), ["7.8.9", "1.0"]);
    }

    #[test]
    fn literals_passed_to_constructors_in_tests_examples_and_doc_tests_are_examples() {
        let inv = run(&[
            (
                "src/lib.rs",
                r#"
                //! ```
                //! let v = demo::Version::parse("6.7").unwrap();
                //! ```
                pub struct Version(u16);
                impl Version {
                    /// ```
                    /// let v = demo::Version::parse("0.1").unwrap();
                    /// ```
                    pub fn parse(s: &str) -> Result<Version, ()> { Err(()) }
                }
                /// ```
                /// let v = demo::Version::parse("4.5").unwrap();
                /// ```
                #[ai_generated]
                pub fn f(v: &Version) {}
                #[cfg(test)]
                mod tests {
                    #[test]
                    fn ok() { super::Version::parse("1.2").unwrap(); }
                    #[test]
                    fn bad() { assert!(super::Version::parse("x.y").is_err()); }
                    #[test]
                    #[should_panic]
                    fn panics() { super::Version::parse("9").unwrap(); }
                }
            "#,
            ),
            (
                "tests/it.rs",
                r#"
                #[test]
                fn it() { let v = demo::Version::parse(&String::from("2.3")); let w: demo::Version = "3.4".parse::<Version>().unwrap(); }
            "#,
            ),
            (
                "examples/ex.rs",
                r#"fn main() { demo::Version::parse("5.6".to_string().as_str()); }"#,
            ),
        ]);
        let version = &inv.packages[0].types[0];
        let examples = &version.constructors[0].examples;
        for want in ["0.1", "1.2", "2.3", "4.5", "5.6", "6.7"] {
            assert!(examples.iter().any(|e| e == want), "{want} in {examples:?}");
        }
        for unwanted in ["x.y", "9"] {
            assert!(!examples.iter().any(|e| e == unwanted), "{unwanted}");
        }
    }

    /// semver's tests build values through helpers (`comparator("2.X")`); the strings given to a helper that
    /// hands its parameter to a constructor and unwraps are that constructor's examples, and those given to
    /// a helper expecting an error are not.
    #[test]
    fn literals_passed_to_a_test_helper_that_forwards_to_a_constructor_are_examples() {
        let inv = run(&[
            (
                "src/lib.rs",
                r#"
                pub struct Comparator(u16);
                impl Comparator {
                    pub fn parse(s: &str) -> Result<Comparator, ()> { Err(()) }
                }
                #[ai_generated]
                pub fn f(c: &Comparator) {}
            "#,
            ),
            (
                "tests/util/mod.rs",
                r#"
                pub(super) fn comparator(text: &str) -> Comparator { Comparator::parse(text).unwrap() }
                pub(super) fn comparator_err(text: &str) -> Error { Comparator::parse(text).unwrap_err() }
            "#,
            ),
            (
                "tests/it.rs",
                r#"
                #[test]
                fn it() { let c = comparator(">=1.2.3"); let e = comparator_err("1.2.x.y"); }
            "#,
            ),
        ]);
        let examples = &inv.packages[0].types[0].constructors[0].examples;
        assert!(examples.iter().any(|e| e == ">=1.2.3"), "{examples:?}");
        assert!(!examples.iter().any(|e| e == "1.2.x.y"), "{examples:?}");
    }
}
