//! `prmlint init`: write a starter register and configuration, never over existing files; with
//! `--from`, the configuration that reads an existing CSV or workbook register.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::exit;
use crate::app::cli::InitArgs;

const REGISTER: &str = include_str!("../../templates/init/processes.json");
const CONFIG: &str = include_str!("../../templates/init/prmlint.json");

pub(super) fn init(args: &InitArgs, color: bool) -> i32 {
    if let Some(from) = &args.from {
        return init_from(args, from, color);
    }
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

/// Guess which column of `from` holds which field and write that mapping as prmlint.json's
/// `columns`, for the user to check. Columns no field names are mapped onto `x-` fields, so
/// that `check` keeps them without reporting them.
fn init_from(args: &InitArgs, from: &str, color: bool) -> i32 {
    let config = args.dir.join("prmlint.json");
    let existing: Vec<PathBuf> = ["prmlint.json", ".prmlint.json"]
        .iter()
        .map(|name| args.dir.join(name))
        .filter(|path| path.exists())
        .collect();
    if let Some(path) = existing.first() {
        eprintln!(
            "prmlint: refusing to overwrite {}; nothing was written (choose another --dir)",
            path.display()
        );
        return exit::ERROR;
    }
    let options = crate::load::args::table_options(&args.table, None);
    let loaded = crate::load::load_path_with(
        0,
        from,
        crate::load::InputFormat::Auto,
        &crate::load::Limits::default(),
        &options,
    );
    for note in &loaded.notes {
        super::print_note(&loaded.document.source.name, note);
    }
    let document = loaded.document;
    let crate::load::Locator::Csv(index) = &document.locator else {
        eprintln!(
            "prmlint: {from} is not a CSV or workbook register: a JSON register needs no column mapping"
        );
        return exit::ERROR;
    };
    let mut fatal: Vec<crate::diag::finding::Finding> = loaded
        .findings
        .into_iter()
        .filter(|f| f.code.info().stage == crate::diag::rules::Stage::Input)
        .collect();
    if !fatal.is_empty() {
        super::print_fatal(&mut fatal, std::slice::from_ref(&document), color);
        eprintln!(
            "prmlint: nothing was written; name the columns prmlint could not guess with \
             --column FIELD=HEADER and run `prmlint init --from` again"
        );
        return exit::ERROR;
    }
    let columns: Vec<(&str, &str)> = index
        .columns()
        .filter(|(header, field)| !header.is_empty() && !field.is_empty())
        .collect();
    let mut text = String::from(
        "{\n  \"$schema\": \"https://prmlint.dev/schema/prmlint-config.schema.json\",\n  \"columns\": {",
    );
    for (i, (header, field)) in columns.iter().enumerate() {
        text.push_str(if i == 0 { "\n" } else { ",\n" });
        text.push_str(&format!(
            "    {}: {}",
            serde_json::Value::from(*field),
            serde_json::Value::from(*header)
        ));
    }
    text.push_str(if columns.is_empty() {
        "}\n}\n"
    } else {
        "\n  }\n}\n"
    });
    if let Err(e) = std::fs::create_dir_all(&args.dir).and_then(|()| create_new(&config, &text)) {
        eprintln!("prmlint: cannot write {}: {e}", config.display());
        return exit::ERROR;
    }
    let sheet = index
        .sheet()
        .map(|s| format!(" (sheet `{}`)", crate::report::terminal_safe(s)))
        .unwrap_or_default();
    println!(
        "created {} with the columns of {}{sheet}; check them:",
        config.display(),
        crate::report::terminal_safe(from)
    );
    for (header, field) in &columns {
        println!(
            "  {:<24} <- {}",
            crate::report::terminal_safe(field),
            crate::report::terminal_safe(header)
        );
    }
    println!(
        "next: run `prmlint check {}`, and `prmlint convert {} -o register.json` to keep the register as JSON",
        crate::report::terminal_safe(from),
        crate::report::terminal_safe(from)
    );
    exit::OK
}
