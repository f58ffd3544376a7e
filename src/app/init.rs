//! `prmlint init`: write a starter register and configuration, never over existing files.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::exit;
use crate::cli::InitArgs;

const REGISTER: &str = include_str!("../../templates/init/processes.json");
const CONFIG: &str = include_str!("../../templates/init/prmlint.json");

pub(super) fn init(args: &InitArgs) -> i32 {
    let dir = &args.dir;
    let files = [("processes.json", REGISTER), ("prmlint.json", CONFIG)];
    // A `.prmlint.json` beside a new prmlint.json would leave two configurations in one place.
    let existing: Vec<PathBuf> = ["processes.json", "prmlint.json", ".prmlint.json"]
        .iter()
        .map(|name| dir.join(name))
        .filter(|path| path.exists())
        .collect();
    if !existing.is_empty() {
        let names: Vec<String> = existing.iter().map(|p| p.display().to_string()).collect();
        eprintln!(
            "prmlint: refusing to overwrite {}; nothing was written (choose another --dir)",
            names.join(" and ")
        );
        return exit::ERROR;
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("prmlint: cannot create {}: {e}", dir.display());
        return exit::ERROR;
    }
    let mut written: Vec<PathBuf> = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        if let Err(e) = create_new(&path, text) {
            eprintln!(
                "prmlint: cannot write {}: {e}; nothing was written",
                path.display()
            );
            for path in &written {
                let _ = std::fs::remove_file(path);
            }
            return exit::ERROR;
        }
        written.push(path);
    }
    let register = dir.join("processes.json");
    println!(
        "created {} (a starter register) and {} (the configuration)",
        register.display(),
        dir.join("prmlint.json").display()
    );
    println!(
        "next: replace the example processes with your own, then run `prmlint check {}`",
        register.display()
    );
    exit::OK
}

/// Write a file that must not exist yet (checked again here, against a race).
fn create_new(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}
