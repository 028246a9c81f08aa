//! std::process for the fuzz build: the toolchain (stable with sanitizer coverage, nightly for
//! AddressSanitizer), the fuzzing `RUSTFLAGS`, one `cargo build` per package and the cached libFuzzer archive.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context, Result};

use super::{describe_status, shown_path, FuzzSettings, Sanitizer};

/// Coverage flags (as cargo-fuzz passes them), the comparison flag, and what fuzz builds expect.
const COVERAGE_FLAGS: &[&str] = &[
    "-Cpasses=sancov-module",
    "-Cllvm-args=-sanitizer-coverage-level=4",
    "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
    "-Cllvm-args=-sanitizer-coverage-pc-table",
    "-Cllvm-args=-sanitizer-coverage-trace-compares",
    // Keeps `memcmp`/`bcmp` calls as calls, so libFuzzer's interceptors see the bytes compared.
    "-Cllvm-args=-max-loads-per-memcmp=0",
    "--cfg",
    "fuzzing",
    "-Cdebug-assertions",
    "-Coverflow-checks",
    "-Ccodegen-units=1",
];

/// The fuzz build's sanitizer and the cargo that builds with it (AddressSanitizer needs `cargo +nightly`).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Toolchain {
    cargo: crate::toolchain::Toolchain,
    sanitizer: Sanitizer,
}

impl Toolchain {
    pub(super) fn for_sanitizer(sanitizer: Sanitizer) -> Result<Toolchain> {
        use crate::toolchain::Toolchain as Cargo;
        let cargo = if sanitizer == Sanitizer::Address {
            Cargo::Nightly
        } else {
            Cargo::Current
        };
        if cargo == Cargo::Nightly && !cargo.installed() {
            bail!(
                "fuzzing with AddressSanitizer needs a nightly toolchain, and `cargo +nightly` was not found: \
                 install one with `rustup toolchain install nightly`, or fuzz without a sanitizer (stable)"
            );
        }
        Ok(Toolchain { cargo, sanitizer })
    }

    /// `cargo` or `rustc`: on stable the ones cargo ran us with (`$CARGO`, `$RUSTC`), on nightly rustup's
    /// proxy with `+nightly` (the toolchain's own binaries do not understand `+`).
    fn command(&self, program: &str) -> Command {
        self.cargo.command(program)
    }

    /// The host triple, from `rustc -vV`.
    pub(super) fn host_triple(&self) -> Result<String> {
        let out = self
            .command("rustc")
            .arg("-vV")
            .output()
            .context("could not run `rustc -vV`")?;
        if !out.status.success() {
            bail!(
                "`rustc -vV` failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        parse_host(&String::from_utf8_lossy(&out.stdout))
            .context("`rustc -vV` printed no `host:` line")
    }
}

/// The `host:` line of `rustc -vV`.
fn parse_host(rustc_vv: &str) -> Option<String> {
    rustc_vv
        .lines()
        .find_map(|l| l.strip_prefix("host:"))
        .map(|h| h.trim().to_string())
}

/// RUSTFLAGS for the fuzz build: the coverage flags, ASan's when asked, then the user's own `RUSTFLAGS`.
fn rustflags(sanitizer: Sanitizer, user: Option<&str>) -> String {
    let mut flags: Vec<&str> = COVERAGE_FLAGS.to_vec();
    if sanitizer == Sanitizer::Address {
        flags.push("-Zsanitizer=address");
    }
    let mut out = flags.join(" ");
    if let Some(user) = user.map(str::trim).filter(|u| !u.is_empty()) {
        out.push(' ');
        out.push_str(user);
    }
    out
}

/// `cargo build` arguments for one package's fuzz crate (the `--bin`/`-p` selection is added by the caller).
fn build_args(manifest: &Path, host: &str, target_dir: &Path, extra: &[&str]) -> Vec<OsString> {
    let mut args: Vec<OsString> = ["build", "--release", "--manifest-path"]
        .map(OsString::from)
        .to_vec();
    args.push(manifest.into());
    args.push("--target".into());
    args.push(host.into());
    args.push("--target-dir".into());
    args.push(target_dir.into());
    args.extend(extra.iter().map(OsString::from));
    args
}

/// Runs one `cargo build` of a fuzz crate with the fuzzing flags; `Err` carries cargo's stderr.
fn run_cargo(
    toolchain: &Toolchain,
    args: &[OsString],
    libfuzzer: Option<&Path>,
    package_dir: &Path,
    settings: &FuzzSettings,
) -> Result<()> {
    let user_flags = std::env::var("RUSTFLAGS").ok();
    let mut cmd = toolchain.command("cargo");
    cmd.args(args)
        .env(
            "RUSTFLAGS",
            rustflags(toolchain.sanitizer, user_flags.as_deref()),
        )
        // CARGO_ENCODED_RUSTFLAGS would win over RUSTFLAGS.
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        // Line tables for panic locations and backtraces, whatever the crate's profile says.
        .env("CARGO_PROFILE_RELEASE_DEBUG", "line-tables-only")
        .current_dir(package_dir.join("fuzz"));
    if let Some(lib) = libfuzzer {
        cmd.env("CUSTOM_LIBFUZZER_PATH", lib);
    }
    let (status, stderr) = if settings.verbose {
        let status = cmd.status().context("could not run cargo")?;
        (status, String::new())
    } else {
        let out = cmd.output().context("could not run cargo")?;
        (
            out.status,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    if !status.success() {
        bail!(
            "cargo {}:\n{}",
            describe_status(Some(status)),
            stderr.trim_end()
        );
    }
    Ok(())
}

/// A compiled libFuzzer kept at `<target_dir>/libfuzzer/<libfuzzer-sys version>/libfuzzer.a`, compiled once
/// by libfuzzer-sys's build script and handed to every later build through `CUSTOM_LIBFUZZER_PATH`: its C++
/// takes most of a cold fuzz build, and would otherwise be compiled again for every toolchain (stable and
/// nightly for ASan) and every fresh target folder. `None` (the build script compiles it as usual) when the
/// user set `CUSTOM_LIBFUZZER_PATH` (then theirs is used), off Unix, or when anything here fails.
fn cached_libfuzzer(
    package_dir: &Path,
    toolchain: &Toolchain,
    host: &str,
    settings: &FuzzSettings,
) -> Option<PathBuf> {
    if std::env::var_os("CUSTOM_LIBFUZZER_PATH").is_some() || !cfg!(unix) {
        return None;
    }
    let fuzz_dir = package_dir.join("fuzz");
    let lock = fuzz_dir.join("Cargo.lock");
    if !lock.is_file() {
        let generated = toolchain
            .command("cargo")
            .arg("generate-lockfile")
            .current_dir(&fuzz_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if !generated.is_ok_and(|s| s.success()) {
            return None;
        }
    }
    let version = locked_version(&fs::read_to_string(&lock).ok()?, "libfuzzer-sys")?;
    let cached = settings
        .target_dir
        .join("libfuzzer")
        .join(&version)
        .join("libfuzzer.a");
    if cached.is_file() {
        return Some(cached);
    }
    // libfuzzer-sys alone, without the variable: its build script compiles the archive we keep.
    let manifest = fuzz_dir.join("Cargo.toml");
    let args = build_args(
        &manifest,
        host,
        &settings.target_dir,
        &["-p", "libfuzzer-sys"],
    );
    run_cargo(toolchain, &args, None, package_dir, settings).ok()?;
    let build = settings.target_dir.join(host).join("release").join("build");
    let compiled = fs::read_dir(&build)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("libfuzzer-sys-"))
        })
        .map(|p| p.join("out").join("libfuzzer.a"))
        .filter_map(|p| Some((fs::metadata(&p).ok()?.modified().ok()?, p)))
        .max()?
        .1;
    let dir = cached.parent()?;
    fs::create_dir_all(dir).ok()?;
    let tmp = dir.join("libfuzzer.a.tmp");
    fs::copy(&compiled, &tmp).ok()?;
    fs::rename(&tmp, &cached).ok()?;
    Some(cached)
}

/// The version of package `name` in a `Cargo.lock`.
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{name}\"") {
            let version = lines.next()?.trim().strip_prefix("version = ")?;
            return Some(version.trim_matches('"').to_string());
        }
    }
    None
}

/// The `Cargo.lock` that governs the package: the first one in `package_dir` or a folder above it, up to the
/// workspace root (the walk stops there when the package lies under it).
fn package_lock(package_dir: &Path, workspace_root: &Path) -> Option<PathBuf> {
    let stop = package_dir
        .starts_with(workspace_root)
        .then_some(workspace_root);
    for dir in package_dir.ancestors() {
        let lock = dir.join("Cargo.lock");
        if lock.is_file() {
            return Some(lock);
        }
        if Some(dir) == stop {
            break;
        }
    }
    None
}

/// Seeds `fuzz/Cargo.lock` from the package's lock when the fuzz crate has none. The generated `fuzz/` crate is
/// its own workspace: without a lock it resolves every dependency afresh, so a version the package pins with
/// `=` to a yanked release fails to resolve and pins made with `cargo update --precise` are lost. Cargo keeps
/// the copied entries the fuzz crate still needs and adds the rest (`libfuzzer-sys`). An existing
/// `fuzz/Cargo.lock` is kept. Returns the lock copied, if any.
fn seed_fuzz_lock(package_dir: &Path, workspace_root: &Path) -> Result<Option<PathBuf>> {
    let fuzz_lock = package_dir.join("fuzz").join("Cargo.lock");
    if fuzz_lock.exists() {
        return Ok(None);
    }
    let Some(lock) = package_lock(package_dir, workspace_root) else {
        return Ok(None);
    };
    fs::copy(&lock, &fuzz_lock)
        .with_context(|| format!("copying {} to {}", lock.display(), fuzz_lock.display()))?;
    Ok(Some(lock))
}

/// Builds the package's fuzz crate (all its targets at once) and copies each binary to
/// `<target_dir>/bin/<pkg>/<name>`.
pub(super) fn build_package(
    package_dir: &Path,
    names: &[&str],
    toolchain: &Toolchain,
    host: &str,
    settings: &FuzzSettings,
) -> Result<Vec<(String, PathBuf)>> {
    let manifest = package_dir.join("fuzz").join("Cargo.toml");
    if !manifest.is_file() {
        bail!(
            "{} does not exist: run `cargo abuse gen` first",
            manifest.display()
        );
    }
    let shown = shown_path(&manifest, &settings.workspace_root);
    if !settings.quiet {
        eprintln!(
            "    Building fuzz targets of {shown} ({})",
            if toolchain.cargo == crate::toolchain::Toolchain::Nightly {
                "nightly, AddressSanitizer"
            } else {
                "stable"
            }
        );
    }
    let started = Instant::now();
    if let Some(lock) = seed_fuzz_lock(package_dir, &settings.workspace_root)? {
        if settings.verbose {
            eprintln!(
                "      Seeded fuzz/Cargo.lock from {}",
                shown_path(&lock, &settings.workspace_root)
            );
        }
    }
    let libfuzzer = cached_libfuzzer(package_dir, toolchain, host, settings);
    let mut args = build_args(&manifest, host, &settings.target_dir, &[]);
    for name in names {
        args.push("--bin".into());
        args.push((*name).into());
    }
    run_cargo(
        toolchain,
        &args,
        libfuzzer.as_deref(),
        package_dir,
        settings,
    )
    .with_context(|| format!("building the fuzz targets of {shown} failed"))?;
    if !settings.quiet {
        eprintln!(
            "       Built {shown} in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let built = settings.target_dir.join(host).join("release");
    let bin_dir = settings
        .target_dir
        .join("bin")
        .join(crate::cache::path_key(package_dir));
    fs::create_dir_all(&bin_dir).with_context(|| format!("creating {}", bin_dir.display()))?;
    let mut bins = Vec::new();
    for name in names {
        let from = built.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
        let to = bin_dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
        // Copy to a temporary name and rename: a binary being replaced may still be mapped by a process.
        let tmp = bin_dir.join(format!(".{name}.tmp"));
        fs::copy(&from, &tmp)
            .with_context(|| format!("copying {} to {}", from.display(), tmp.display()))?;
        fs::rename(&tmp, &to)
            .with_context(|| format!("renaming {} to {}", tmp.display(), to.display()))?;
        bins.push(((*name).to_string(), to));
    }
    Ok(bins)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzz::tests::strings;

    #[test]
    fn host_triple_comes_from_the_host_line() {
        let out = "rustc 1.95.0 (59807616e 2026-04-14)\nbinary: rustc\nhost: x86_64-unknown-linux-gnu\nrelease: 1.95.0\n";
        assert_eq!(parse_host(out).as_deref(), Some("x86_64-unknown-linux-gnu"));
        assert_eq!(parse_host("release: 1.95.0\n"), None);
    }

    #[test]
    fn stable_rustflags_trace_memcmp_and_keep_the_users_flags() {
        let flags = rustflags(Sanitizer::None, Some(" -Ctarget-cpu=native "));
        assert!(flags.starts_with("-Cpasses=sancov-module "));
        assert!(flags.contains("-Cllvm-args=-sanitizer-coverage-trace-compares"));
        assert!(flags.contains("-Cllvm-args=-max-loads-per-memcmp=0"));
        assert!(flags.contains("--cfg fuzzing"));
        assert!(flags.contains("-Cdebug-assertions"));
        assert!(flags.contains("-Ccodegen-units=1"));
        assert!(!flags.contains("-Zsanitizer"));
        assert!(flags.ends_with(" -Ctarget-cpu=native"));
        assert!(rustflags(Sanitizer::Address, None).ends_with("-Zsanitizer=address"));
    }

    #[test]
    fn build_names_the_host_target_explicitly() {
        let args = strings(&build_args(
            Path::new("/p/fuzz/Cargo.toml"),
            "x86_64-unknown-linux-gnu",
            Path::new("/t"),
            &["--bin", "a", "--bin", "b"],
        ));
        assert_eq!(
            args,
            [
                "build",
                "--release",
                "--manifest-path",
                "/p/fuzz/Cargo.toml",
                "--target",
                "x86_64-unknown-linux-gnu",
                "--target-dir",
                "/t",
                "--bin",
                "a",
                "--bin",
                "b"
            ]
        );
    }

    #[test]
    fn the_fuzz_lock_is_seeded_from_the_package_lock_and_an_existing_one_kept() {
        let root = std::env::temp_dir().join(format!("abuse-seed-lock-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let package = root.join("crates").join("p");
        fs::create_dir_all(package.join("fuzz")).expect("mkdir");
        let lock = "version = 4\n\n[[package]]\nname = \"rmpv\"\nversion = \"0.4.1\"\n";
        // A member package: the lock is at the workspace root.
        fs::write(root.join("Cargo.lock"), lock).expect("write");
        // A lock above the workspace root is not the package's.
        assert_eq!(
            package_lock(&package, &package),
            None,
            "the walk stops at the workspace root"
        );
        let seeded = seed_fuzz_lock(&package, &root).expect("seeds");
        assert_eq!(seeded, Some(root.join("Cargo.lock")));
        let fuzz_lock = package.join("fuzz").join("Cargo.lock");
        assert_eq!(fs::read_to_string(&fuzz_lock).expect("read"), lock);
        // An existing fuzz lock (the fuzz crate's own resolution) is kept as it is.
        fs::write(&fuzz_lock, "version = 4\n# kept\n").expect("write");
        assert_eq!(seed_fuzz_lock(&package, &root).expect("keeps"), None);
        assert_eq!(
            fs::read_to_string(&fuzz_lock).expect("read"),
            "version = 4\n# kept\n"
        );
        // The package's own lock wins over the workspace's.
        fs::remove_file(&fuzz_lock).expect("rm");
        fs::write(package.join("Cargo.lock"), "version = 4\n# own\n").expect("write");
        assert_eq!(
            seed_fuzz_lock(&package, &root).expect("seeds"),
            Some(package.join("Cargo.lock"))
        );
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn lockfile_gives_the_libfuzzer_version() {
        let lock =
            "version = 4\n\n[[package]]\nname = \"libc\"\nversion = \"0.2.1\"\n\n[[package]]\n\
                    name = \"libfuzzer-sys\"\nversion = \"0.4.13\"\nsource = \"registry+...\"\n";
        assert_eq!(
            locked_version(lock, "libfuzzer-sys").as_deref(),
            Some("0.4.13")
        );
        assert_eq!(locked_version(lock, "arbitrary"), None);
    }
}
