//! Where a finding points, in the forms CI reports need: a repository-relative path with forward
//! slashes, and 1-based start and end positions.

use std::path::{Component, Path, PathBuf};

use crate::diag::finding::Finding;
use crate::load::Document;

/// A finding's place in a register, resolved against the run's documents.
#[derive(Debug, Clone)]
pub struct Place<'a> {
    pub document: &'a Document,
    /// 1-based start line and column (columns in characters), when the finding has a span.
    pub start: Option<(usize, usize)>,
    /// 1-based line and column just after the span, when the span is not empty.
    pub end: Option<(usize, usize)>,
}

/// Resolve where a finding points. Findings that name no file are placed on the first register,
/// because CI annotations need a file: they concern the run as a whole.
pub fn place<'a>(finding: &Finding, documents: &'a [Document]) -> Option<Place<'a>> {
    let document = match finding.file {
        Some(file) => Document::numbered(documents, file)?,
        None => documents.first()?,
    };
    let span = finding.span.as_ref().filter(|_| finding.file.is_some());
    Some(Place {
        document,
        start: span.map(|s| document.source.line_col(s.start)),
        end: span
            .filter(|s| s.end > s.start)
            .map(|s| document.source.line_col(s.end)),
    })
}

/// The directories report paths are written from: the current directory, and the top of the
/// git work tree that holds it, because GitHub resolves SARIF and annotation paths from the
/// repository root (the current directory again outside a work tree).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathBase {
    pub cwd: PathBuf,
    pub root: PathBuf,
}

impl PathBase {
    /// The current directory and its work tree, if the current directory can be read.
    pub fn current() -> Option<Self> {
        let cwd = std::env::current_dir().ok()?;
        let root = cwd
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .unwrap_or(&cwd)
            .to_path_buf();
        Some(PathBase { cwd, root })
    }

    /// A register's name as given on the command line (relative names are read from `cwd`),
    /// relative to `root`.
    pub fn path(&self, name: &str) -> String {
        if self.cwd != self.root
            && name != "<stdin>"
            && name != "-"
            && Path::new(name).is_relative()
        {
            return relative_path(&self.cwd.join(name).to_string_lossy(), Some(&self.root));
        }
        relative_path(name, Some(&self.root))
    }
}

/// [`PathBase::path`], or the file name alone without a base.
pub fn report_path(name: &str, base: Option<&PathBase>) -> String {
    match base {
        Some(base) => base.path(name),
        None => relative_path(name, None),
    }
}

/// The path of a register as CI tools expect it: relative to `base` (the current directory),
/// with forward slashes, without `.` segments, never absolute. Standard input becomes `stdin`.
/// A path that cannot be made relative to `base` falls back to its file name, because an
/// absolute or `..` path is rejected by code-scanning uploads.
pub fn relative_path(name: &str, base: Option<&Path>) -> String {
    if name == "<stdin>" || name == "-" {
        return "stdin".to_owned();
    }
    let path = Path::new(name);
    let relative = if path.is_absolute() {
        base.and_then(|base| strip_base(path, base))
    } else {
        let normal = normalise(path);
        if normal.starts_with("..") {
            base.and_then(|base| strip_base(&base.join(path), base))
        } else {
            Some(normal)
        }
    };
    let joined = relative.map(|p| join_components(&p)).unwrap_or_default();
    if !joined.is_empty() {
        return joined;
    }
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "register".to_owned())
}

/// `path` relative to `base`, lexically and then through the file system (symlinked temporary
/// directories, `..` through a symlink).
fn strip_base(path: &Path, base: &Path) -> Option<PathBuf> {
    let lexical = normalise(path)
        .strip_prefix(normalise(base))
        .ok()
        .map(Path::to_path_buf);
    lexical.or_else(|| {
        let path = std::fs::canonicalize(path).ok()?;
        let base = std::fs::canonicalize(base).ok()?;
        path.strip_prefix(base).ok().map(Path::to_path_buf)
    })
}

/// Remove `.` segments and fold `name/..` pairs, without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn join_components(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Percent-encode a relative path for a URI reference (RFC 3986): unreserved characters and `/`
/// stay, every other byte is encoded, so `:` in a first segment cannot read as a scheme.
pub fn uri_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_lose_dot_segments_and_keep_forward_slashes() {
        let base = Path::new("/work/repo");
        assert_eq!(relative_path("./a/b.json", Some(base)), "a/b.json");
        assert_eq!(relative_path("a/./b/../c.json", Some(base)), "a/c.json");
        assert_eq!(relative_path("/work/repo/x/y.json", Some(base)), "x/y.json");
        assert_eq!(relative_path("<stdin>", Some(base)), "stdin");
    }

    #[test]
    fn paths_from_a_subdirectory_are_relative_to_the_work_tree() {
        let base = PathBase {
            cwd: PathBuf::from("/work/repo/isms"),
            root: PathBuf::from("/work/repo"),
        };
        assert_eq!(base.path("register.json"), "isms/register.json");
        assert_eq!(base.path("./sub/../register.json"), "isms/register.json");
        assert_eq!(base.path("../other/r.json"), "other/r.json");
        assert_eq!(base.path("/work/repo/isms/r.json"), "isms/r.json");
        assert_eq!(base.path("/elsewhere/r.json"), "r.json");
        assert_eq!(base.path("<stdin>"), "stdin");
        assert_eq!(base.path("-"), "stdin");
        let same = PathBase {
            cwd: PathBuf::from("/work/repo"),
            root: PathBuf::from("/work/repo"),
        };
        assert_eq!(same.path("a/./b.json"), "a/b.json");
        assert_eq!(report_path("/elsewhere/r.json", None), "r.json");
    }

    #[test]
    fn paths_outside_the_base_fall_back_to_the_file_name() {
        let base = Path::new("/work/repo");
        assert_eq!(relative_path("/elsewhere/r.json", Some(base)), "r.json");
        assert_eq!(relative_path("/elsewhere/r.json", None), "r.json");
        assert_eq!(relative_path("../other/r.json", Some(base)), "r.json");
        assert_eq!(relative_path("../repo/in.json", Some(base)), "in.json");
    }

    #[test]
    fn uri_encoding_keeps_unreserved_characters_only() {
        assert_eq!(uri_encode("a b/c:d,é.json"), "a%20b/c%3Ad%2C%C3%A9.json");
        assert_eq!(uri_encode("x-y_z~1.json"), "x-y_z~1.json");
    }
}
