//! Where a report goes: standard output, or a file written atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Write `bytes` to `path` through a temporary file in the same directory and a rename, so a
/// reader never sees half a report. Refuses to overwrite any of `inputs`.
pub fn write_atomically(path: &Path, bytes: &[u8], inputs: &[String]) -> Result<(), String> {
    let target = absolute(path);
    for input in inputs.iter().filter(|i| *i != "-") {
        let same = match (std::fs::canonicalize(input), std::fs::canonicalize(path)) {
            (Ok(a), Ok(b)) => a == b || same_file(&a, &b),
            _ => absolute(Path::new(input)) == target,
        };
        if same {
            return Err(format!(
                "refusing to write the report over the input file {input}"
            ));
        }
    }
    let directory = target
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let cannot = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let prefix = format!(".{file_name}.prmlint-");
    // Created exclusively (`O_EXCL`) under a random name: a file or a symbolic link already
    // there, left behind or planted, is never written through; removed if anything fails.
    // Opened as a file written directly would be, so it gets the umask's permissions
    // (tempfile's own default is owner-only) and errors name the report, not the random name.
    let mut temporary = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .make_in(&directory, |path| {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
        })
        .map_err(cannot)?;
    temporary.as_file_mut().write_all(bytes).map_err(cannot)?;
    temporary.as_file().sync_all().map_err(cannot)?;
    temporary
        .persist(&target)
        .map(drop)
        .map_err(|e| cannot(e.error))
}

/// Whether two existing paths are one file under two names (a hard link).
#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_replaces_the_target_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let target = dir.path().join("report.json");
        std::fs::write(&target, "old").unwrap_or_else(|e| panic!("{e}"));
        write_atomically(&target, b"report", &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::fs::read_to_string(&target).ok().as_deref(),
            Some("report")
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["report.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_report_is_as_readable_as_a_file_written_directly() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let direct = dir.path().join("direct.txt");
        std::fs::write(&direct, "x").unwrap_or_else(|e| panic!("{e}"));
        let target = dir.path().join("report.json");
        write_atomically(&target, b"report", &[]).unwrap_or_else(|e| panic!("{e}"));
        let mode = |p: &Path| {
            std::fs::metadata(p)
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or_else(|e| panic!("{e}"))
        };
        assert_eq!(mode(&target), mode(&direct));
    }

    #[test]
    fn an_input_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let input = dir.path().join("register.json");
        std::fs::write(&input, "{}").unwrap_or_else(|e| panic!("{e}"));
        let name = input.to_string_lossy().into_owned();
        assert!(write_atomically(&input, b"report", &[name]).is_err());
        assert_eq!(std::fs::read_to_string(&input).ok().as_deref(), Some("{}"));
    }
}
