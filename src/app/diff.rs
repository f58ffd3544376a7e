//! `prmlint diff`: check two versions of a register with the same reference data and report
//! what changed.

use std::io::Write;
use std::path::PathBuf;

use super::{exit, map_all, prepare};
use crate::analysis::Analysis;
use crate::app::cli::{DiffArgs, DiffFormat, InputArgs, ProjectArgs};
use crate::diag::finding::Finding;
use crate::load::Document;
use crate::mapping::{Knowledge, Mapper, ProcessMapping};
use crate::project::Project;
use crate::report::diff::{RegisterDiff, Side, write_markdown, write_text};
use crate::report::terminal_safe;

pub fn diff(args: &DiffArgs, color: bool) -> i32 {
    match compare(args, color) {
        Ok(code) | Err(code) => code,
    }
}

/// Check both versions, write the diff and give the exit code; `Err` holds the exit code once
/// the reason has been printed.
fn compare(args: &DiffArgs, color: bool) -> Result<i32, i32> {
    registers_given(args)?;
    // The committed version goes to a private temporary file, removed when done: keep it
    // until the end, after the registers are read.
    let committed = match &args.git {
        Some(rev) => Some(
            committed_version(rev, &args.input.registers[0]).map_err(|message| {
                eprintln!("prmlint: error: {}", terminal_safe(&message));
                exit::ERROR
            })?,
        ),
        None => None,
    };
    let registers = match &committed {
        Some(file) => vec![
            file.path.to_string_lossy().into_owned(),
            args.input.registers[0].clone(),
        ],
        None => args.input.registers.clone(),
    };
    let input = InputArgs {
        registers,
        ..args.input.clone()
    };
    let project_args = project_args(args);
    let mut project = super::load_project(&project_args, &input.registers, color)?;
    let prepared = prepare(
        &input,
        &project.table_options(&input.table),
        &project.reference(&args.reference),
        project.take_documents(),
        color,
    )?;
    let mut documents = prepared.documents;
    if let (Some(rev), Some(document)) = (&args.git, documents.first_mut()) {
        document.source.name = format!("{rev}:{}", args.input.registers[0]);
    }
    let knowledge = prepared.knowledge;
    let mapper = Mapper::with_index(&knowledge, project.thresholds(), prepared.index);
    let results = map_all(&mapper, &documents, 2);
    let checked = check_versions(
        &project,
        &prepared.findings,
        &documents,
        &results,
        &knowledge,
    );
    let side = |i: usize| Side {
        document: &documents[i],
        results: &results[i],
        analysis: &checked[i].0,
        findings: &checked[i].1,
    };
    let diff = RegisterDiff::of(side(0), side(1), &knowledge);
    let out = render(&diff, args.format)?;
    // Neither register nor prmlint's own files may be written over by `-o`.
    let mut protected = args.input.registers.clone();
    protected.extend(project_args.config.iter().cloned());
    protected.extend(args.decisions.iter().cloned());
    let code = super::emit(&out, args.output.as_deref(), &protected);
    if code != exit::OK {
        return Ok(code);
    }
    // `--fail-on never` never fails; otherwise a coverage drop fails whatever the severity.
    let threshold = project.fail_on(args.fail_on).threshold();
    let new_fails = threshold.is_some_and(|t| diff.new_findings.iter().any(|f| f.severity >= t));
    if (threshold.is_some() && diff.coverage_dropped()) || new_fails {
        Ok(exit::FINDINGS)
    } else {
        Ok(exit::OK)
    }
}

/// Refuse anything but two registers, or one with `--git`.
fn registers_given(args: &DiffArgs) -> Result<(), i32> {
    let expected = if args.git.is_some() { 1 } else { 2 };
    if args.input.registers.len() == expected {
        return Ok(());
    }
    eprintln!(
        "prmlint: error: diff takes {}; got {} register(s)",
        if expected == 1 {
            "one register with --git REV"
        } else {
            "two registers, BASE and HEAD"
        },
        args.input.registers.len()
    );
    Err(exit::ERROR)
}

/// The project options of a diff: no baseline, and the configuration found from HEAD (the
/// committed copy lives in a temporary place).
fn project_args(args: &DiffArgs) -> ProjectArgs {
    let head = &args.input.registers[args.input.registers.len() - 1];
    ProjectArgs {
        config: args.config.clone().or_else(|| {
            (!args.isolated)
                .then(|| crate::project::config::discover(head))
                .flatten()
                .map(|p| p.to_string_lossy().into_owned())
        }),
        isolated: args.isolated,
        baseline: None,
        write_baseline: None,
        update_baseline: false,
        decisions: args.decisions.clone(),
    }
}

/// Each version checked on its own: its load and hygiene findings, then its analysis.
/// `loaded` holds the findings from reading both versions.
fn check_versions(
    project: &Project,
    loaded: &[Finding],
    documents: &[Document],
    results: &[Vec<ProcessMapping>],
    knowledge: &Knowledge,
) -> Vec<(Analysis, Vec<Finding>)> {
    let ids = knowledge.model.process_ids();
    let settings = project.settings();
    let mut checked = Vec::new();
    for i in 0..2 {
        let side = &documents[i..=i];
        let mut findings: Vec<Finding> = loaded
            .iter()
            .filter(|f| f.file == Some(i))
            .cloned()
            .collect();
        crate::pipeline::validate(side, &ids, &mut findings);
        let mut analysis = crate::analysis::analyse(side, &results[i..=i], knowledge, &settings);
        findings.append(&mut analysis.findings);
        // Decisions and the configuration settle and re-grade each version's findings.
        let finished = project.finish(findings, side);
        checked.push((analysis, finished.findings));
    }
    checked
}

/// The diff in the format asked for.
fn render(diff: &RegisterDiff<'_>, format: DiffFormat) -> Result<Vec<u8>, i32> {
    let mut out = Vec::new();
    let written = match format {
        DiffFormat::Text => write_text(&mut out, diff),
        DiffFormat::Markdown => write_markdown(&mut out, diff),
        DiffFormat::Json => serde_json::to_writer_pretty(&mut out, diff)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out)),
    };
    written.map(|()| out).map_err(|error| {
        eprintln!("prmlint: error: {error}");
        exit::ERROR
    })
}

/// A temporary file that is removed when dropped.
struct TempFile {
    path: PathBuf,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The register as committed at `rev`, in a new temporary file with the same extension (so it
/// is read in the same format); an empty register when `rev` does not have the file yet.
fn committed_version(rev: &str, register: &str) -> Result<TempFile, String> {
    if rev.starts_with('-') {
        return Err(format!("--git {rev}: not a revision"));
    }
    // Asked in the register's own directory, with `./`, git finds the file's work tree and
    // resolves the path from there, wherever prmlint runs and however the path is written.
    let path = std::path::Path::new(register);
    let directory = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{register}: not a file"))?;
    let spec = format!("{rev}:./{name}");
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(directory)
        .args(["show", "--no-textconv", &spec])
        // Git's own messages, not a translation: "exists on disk, but not in" is read below.
        .env("LC_ALL", "C")
        .output()
        .map_err(|e| format!("could not run git: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    // A register the change adds is compared with an empty one: every process is added.
    let added = !output.status.success() && stderr.contains("exists on disk, but not in");
    if !output.status.success() && !added {
        return Err(format!("git show {spec}: {}", stderr.trim()));
    }
    let (extension, content): (&str, &[u8]) = if added {
        ("json", br#"{"processes": []}"#)
    } else {
        (
            std::path::Path::new(register)
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("json"),
            &output.stdout,
        )
    };
    let path = std::env::temp_dir().join(format!(
        "prmlint-diff-{}-{}.{extension}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    // Readable by the user only: a register may be confidential.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let file_guard = TempFile { path };
    file.write_all(content)
        .map_err(|e| format!("{}: {e}", file_guard.path.display()))?;
    Ok(file_guard)
}
