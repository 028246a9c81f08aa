//! What the on-disk caches share (`<target-dir>/abuse/discover/`, `<target-dir>/abuse/metadata/`): an
//! entry stays valid while every path it depends on looks the same ([`Stamp`]), is tied to the exact
//! build of the tool ([`tool_id`]), and is written whole or not at all ([`store`]).

use std::path::Path;

use serde::{Deserialize, Serialize};

/// What a probed path looked like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stamp {
    /// No such path.
    Absent,
    /// Neither a file nor a folder.
    NotFile,
    /// A folder: its modification time changes when an entry is added, removed or renamed.
    Dir {
        /// Modification time, nanoseconds since the epoch.
        mtime_ns: u128,
    },
    /// A file.
    File {
        /// Modification time, nanoseconds since the epoch.
        mtime_ns: u128,
        /// Length in bytes.
        len: u64,
    },
}

impl Stamp {
    /// Looks at `path` now (following symlinks).
    pub fn of(path: &Path) -> Stamp {
        let Ok(m) = std::fs::metadata(path) else {
            return Stamp::Absent;
        };
        let mtime_ns = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        if m.is_file() {
            Stamp::File {
                mtime_ns,
                len: m.len(),
            }
        } else if m.is_dir() {
            Stamp::Dir { mtime_ns }
        } else {
            Stamp::NotFile
        }
    }

    /// Only what kind of path it was (absent, file, folder, other): for paths whose existence matters
    /// but whose contents do not.
    pub fn kind(self) -> Stamp {
        match self {
            Stamp::File { .. } => Stamp::File {
                mtime_ns: 0,
                len: 0,
            },
            Stamp::Dir { .. } => Stamp::Dir { mtime_ns: 0 },
            other => other,
        }
    }

    /// Whether the path was a file.
    pub fn is_file(self) -> bool {
        matches!(self, Stamp::File { .. })
    }
}

/// Whether every path still looks as recorded.
pub fn unchanged<'a>(
    probes: impl IntoIterator<Item = (&'a std::path::PathBuf, &'a Stamp)>,
) -> bool {
    probes
        .into_iter()
        .all(|(path, stamp)| Stamp::of(path) == *stamp)
}

/// The tool's version and the running binary's size and modification time, so a rebuilt tool never
/// trusts entries an older build wrote.
pub fn tool_id() -> String {
    let build = std::env::current_exe()
        .ok()
        .map(|exe| match Stamp::of(&exe) {
            Stamp::File { mtime_ns, len } => format!("+{mtime_ns}.{len}"),
            _ => String::new(),
        })
        .unwrap_or_default();
    concat!(env!("CARGO_PKG_NAME"), "@", env!("CARGO_PKG_VERSION")).to_string() + &build
}

/// Writes `entry` as JSON to `dir/name` through a temp file and a rename, so a reader never sees half an
/// entry; failures are ignored (a cache that cannot be written is only a miss next time).
pub fn store(dir: &Path, name: &str, entry: &impl Serialize) {
    let Ok(json) = serde_json::to_vec(entry) else {
        return;
    };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let tmp = dir.join(format!("{name}.{}.tmp", std::process::id()));
    if std::fs::write(&tmp, json).is_err() || std::fs::rename(&tmp, dir.join(name)).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// The entry stored as `name` in `dir` by [`store`], if there is one and it reads back.
pub fn load<T: serde::de::DeserializeOwned>(dir: &Path, name: &str) -> Option<T> {
    let text = std::fs::read_to_string(dir.join(name)).ok()?;
    serde_json::from_str(&text).ok()
}

/// A short name for a folder that differs between folders of the same name: `parser-1a2b3c4d` (the last
/// component and an FNV-1a hash of the whole path), for per-package and per-workspace files under a
/// target directory that several of them may share.
pub fn path_key(dir: &Path) -> String {
    let name = dir
        .file_name()
        .map_or_else(|| "root".into(), |n| n.to_string_lossy().into_owned());
    let mut hash: u32 = 0x811c_9dc5;
    for b in dir.to_string_lossy().bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("{name}-{hash:08x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_keys_differ_for_same_named_folders() {
        let a = path_key(Path::new("/ws/a/parser"));
        let b = path_key(Path::new("/ws/b/parser"));
        assert!(a.starts_with("parser-") && b.starts_with("parser-"));
        assert_ne!(a, b);
        assert_eq!(a, path_key(Path::new("/ws/a/parser")));
    }
}
