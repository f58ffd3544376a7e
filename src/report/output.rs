//! Where a report goes: standard output, or a file written atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Write `bytes` to `path` through a temporary file in the same directory and a rename, so a
/// reader never sees half a report. Refuses to overwrite any of `inputs`.
pub fn write_atomically(path: &Path, bytes: &[u8], inputs: &[String]) -> Result<(), String> {
    let target = absolute(path);
    for input in inputs.iter().filter(|i| *i != "-") {
        let same = match (std::fs::canonicalize(input), std::fs::canonicalize(path)) {
            (Ok(a), Ok(b)) => a == b,
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
    let temporary = directory.join(format!(".{file_name}.prmlint-{}.tmp", std::process::id()));
    let result = std::fs::File::create(&temporary)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temporary, &target));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write {}: {e}", path.display())
    })
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
