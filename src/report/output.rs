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
    let (temporary, file) = create_temporary(&directory, &file_name)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let result = write_and_sync(file, bytes).and_then(|()| std::fs::rename(&temporary, &target));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write {}: {e}", path.display())
    })
}

/// Create a new temporary file beside the target. Created exclusively (`O_EXCL`): a file or a
/// symbolic link already at that name, left behind or planted, is never written through.
fn create_temporary(
    directory: &Path,
    file_name: &str,
) -> std::io::Result<(PathBuf, std::fs::File)> {
    let mut last = None;
    for attempt in 0..100 {
        let temporary = directory.join(format!(
            ".{file_name}.prmlint-{}-{attempt}.tmp",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
        {
            Ok(file) => return Ok((temporary, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary file name")))
}

fn write_and_sync(mut file: std::fs::File, bytes: &[u8]) -> std::io::Result<()> {
    file.write_all(bytes)?;
    file.sync_all()
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

    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_the_temporary_name_is_not_written_through() {
        let dir = std::env::temp_dir().join(format!("prmlint-output-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
        let victim = dir.join("victim.txt");
        std::fs::write(&victim, "keep me").unwrap_or_else(|e| panic!("{e}"));
        let planted = dir.join(format!(".report.json.prmlint-{}-0.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap_or_else(|e| panic!("{e}"));
        let target = dir.join("report.json");
        write_atomically(&target, b"report", &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::fs::read_to_string(&victim).ok().as_deref(),
            Some("keep me")
        );
        assert_eq!(
            std::fs::read_to_string(&target).ok().as_deref(),
            Some("report")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
