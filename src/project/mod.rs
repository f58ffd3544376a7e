//! prmlint's own files around a `check`: the configuration, the decisions and the baseline are
//! read before the registers, and change the run's findings after the analysis, in that order:
//! decisions settle suggestions, the configuration suppresses and re-grades findings, and the
//! baseline hides the ones already accepted. Nothing here prints or writes: what goes wrong
//! comes back as a [`Stop`], and what the baseline asks to write as a [`BaselineChange`], for
//! `app` to carry out.

pub mod baseline;
pub mod config;
pub mod decisions;

use std::path::{Path, PathBuf};

use crate::diag::finding::FailOn;
use crate::diag::finding::Finding;
use crate::diag::rules::Stage;
use crate::load::Document;
use crate::load::args::{ReferenceArgs, TableArgs, table_options};
use crate::load::userfile;
use crate::project::baseline::{Baseline, Key};
use crate::project::config::Config;
use crate::project::decisions::Decisions;

/// prmlint's own files around a `check`: configuration, baseline and decisions.
#[derive(Debug, clap::Args)]
pub struct ProjectArgs {
    /// Configuration file to use instead of the prmlint.json (or .prmlint.json) found in the
    /// first register's directory or the nearest parent that has one.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<String>,

    /// Ignore all configuration files.
    #[arg(long)]
    pub isolated: bool,

    /// Report only findings that are not in this baseline file; entries that no longer occur
    /// are reported as fixed.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<String>,

    /// Write the current findings to this baseline file, and report none of them.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// With --baseline: remove the entries that no longer occur from the baseline file (new
    /// findings are never added).
    #[arg(long, requires = "baseline")]
    pub update_baseline: bool,

    /// Apply the mapping decisions recorded in this file by `prmlint decide`.
    #[arg(long, value_name = "FILE")]
    pub decisions: Option<String>,
}

/// The loaded files of one run.
#[derive(Debug)]
pub(crate) struct Project {
    config: Option<Config>,
    /// The configuration file's name as shown, for messages about its `columns`.
    config_name: Option<String>,
    decisions: Option<Decisions>,
    baseline: Option<(String, Baseline)>,
    write_baseline: Option<std::path::PathBuf>,
    update_baseline: bool,
    /// The files' documents, numbered after the registers, for findings that point into them.
    documents: Vec<Document>,
}

/// The findings of a run once the project files have had their say.
#[derive(Debug)]
pub struct Finished {
    /// Register findings (and findings in prmlint's files) first, sorted by place, then the
    /// analysis findings in report order.
    pub findings: Vec<Finding>,
    /// What the baseline did, for the text summary; empty without a baseline.
    pub note: String,
    /// What to do with the baseline file, if anything.
    pub baseline: Option<BaselineChange>,
}

/// What a run asks of the baseline file.
#[derive(Debug)]
pub enum BaselineChange {
    /// `--write-baseline`: this run's findings become the baseline at `path`.
    Write { path: PathBuf, baseline: Baseline },
    /// Findings the baseline accepted are gone: `count` of them, in words; `update` is the
    /// baseline without them when `--update-baseline` asks to write it back.
    Fixed {
        path: String,
        count: usize,
        described: String,
        update: Option<Baseline>,
    },
}

/// Why a run stops at prmlint's own files (exit code 2).
#[derive(Debug)]
pub enum Stop {
    /// Problems in the files: findings sorted by place, with the documents they point into.
    Invalid {
        findings: Vec<Finding>,
        documents: Vec<Document>,
    },
    /// A file that must exist does not: the message to show.
    Missing(String),
}

/// Read the configuration, decisions and baseline files a run uses.
pub(crate) fn load(args: &ProjectArgs, registers: &[String]) -> Result<Project, Stop> {
    let mut documents: Vec<Document> = Vec::new();
    let mut fatal: Vec<Finding> = Vec::new();
    let next = |documents: &Vec<Document>| registers.len() + documents.len();

    let config_path = match (&args.config, args.isolated) {
        (Some(path), _) => Some(path.clone()),
        (None, true) => None,
        (None, false) => registers
            .first()
            .and_then(|r| crate::project::config::discover(r))
            .map(|p| p.to_string_lossy().into_owned()),
    };
    let mut config = None;
    let config_name = config_path.clone();
    if let Some(path) = config_path {
        let loaded = crate::project::config::load(next(&documents), &path);
        documents.push(loaded.document);
        fatal.extend(loaded.findings);
        config = loaded.config;
    }

    let decisions = match &args.decisions {
        Some(path) => read_decisions(next(&documents), path, &mut documents, &mut fatal)?,
        None => None,
    };
    let baseline = match &args.baseline {
        Some(path) => {
            let file = next(&documents);
            let schema = crate::validate::schema::BASELINE;
            let read = read_existing(file, path, schema, "baseline")?;
            parsed(read, &mut documents, &mut fatal, |value, _| {
                Baseline::from_value(value)
            })
            .map(|baseline| (path.clone(), baseline))
        }
        None => None,
    };

    if !fatal.is_empty() {
        crate::diag::finding::sort_by_place(&mut fatal);
        return Err(Stop::Invalid {
            findings: fatal,
            documents,
        });
    }
    Ok(Project {
        config,
        config_name,
        decisions,
        baseline,
        write_baseline: args.write_baseline.clone(),
        update_baseline: args.update_baseline,
        documents,
    })
}

/// Read a decisions file that must exist as file number `file`: the decisions, if the file is
/// valid; its document joins `documents` and its problems `fatal`.
pub(crate) fn read_decisions(
    file: usize,
    path: &str,
    documents: &mut Vec<Document>,
    fatal: &mut Vec<Finding>,
) -> Result<Option<Decisions>, Stop> {
    let read = read_existing(file, path, crate::validate::schema::DECISIONS, "decisions")?;
    Ok(parsed(read, documents, fatal, Decisions::from_value))
}

/// Read a user file that must exist, with its schema errors as findings.
fn read_existing(
    file: usize,
    path: &str,
    schema: &str,
    what: &str,
) -> Result<userfile::UserFile, Stop> {
    if !Path::new(path).is_file() {
        let hint = match what {
            "baseline" => format!("; write one with --write-baseline {path}"),
            _ => "; `prmlint decide` creates it".to_owned(),
        };
        return Err(Stop::Missing(format!(
            "the {what} file {path} does not exist{hint}"
        )));
    }
    let mut read = userfile::read(file, path, schema);
    let errors = std::mem::take(&mut read.schema_errors);
    for error in &errors {
        read.findings
            .push(userfile::schema_finding(&read.document, error, |_| {
                Vec::new()
            }));
    }
    if !read.findings.is_empty() {
        read.value = None;
    }
    Ok(read)
}

/// A project file's content, parsed by `parse`, if it is valid; its document joins
/// `documents` and its problems `fatal`.
fn parsed<T>(
    read: userfile::UserFile,
    documents: &mut Vec<Document>,
    fatal: &mut Vec<Finding>,
    parse: impl FnOnce(serde_json::Value, &Document) -> Result<T, String>,
) -> Option<T> {
    let result = read.value.map(|value| parse(value, &read.document));
    documents.push(read.document);
    fatal.extend(read.findings);
    match result? {
        Ok(parsed) => Some(parsed),
        Err(e) => {
            fatal.push(invalid(documents, &e));
            None
        }
    }
}

fn invalid(documents: &[Document], message: &str) -> Finding {
    match documents.last() {
        Some(document) => {
            userfile::invalid_at(document, "", false, format!("cannot be used: {message}"))
        }
        None => Finding::new(crate::diag::rules::Code::ConfigInvalid, message.to_owned()),
    }
}

impl Project {
    /// The documents of the project files, to append after the registers.
    pub(crate) fn take_documents(&mut self) -> Vec<Document> {
        std::mem::take(&mut self.documents)
    }

    /// The reference data options with the configuration's crosswalks added.
    pub(crate) fn reference(&self, given: &ReferenceArgs) -> ReferenceArgs {
        let mut crosswalks = given.crosswalks.clone();
        if let Some(config) = &self.config {
            crosswalks.extend(config.crosswalks.iter().cloned());
        }
        ReferenceArgs {
            model: given.model.clone(),
            crosswalks,
        }
    }

    /// How to read table registers: the command line's options and the configuration's columns.
    pub(crate) fn table_options(&self, args: &TableArgs) -> crate::load::TableOptions {
        let config = self.config.as_ref().map(|c| {
            (
                c.columns.as_slice(),
                self.config_name.as_deref().unwrap_or("prmlint.json"),
            )
        });
        table_options(args, config)
    }

    pub(crate) fn thresholds(&self) -> crate::mapping::Thresholds {
        self.config
            .as_ref()
            .map_or_else(Default::default, |c| c.thresholds)
    }

    pub(crate) fn settings(&self) -> crate::analysis::Settings {
        self.config
            .as_ref()
            .map_or_else(Default::default, |c| c.settings)
    }

    /// `--fail-on` when given, else the configuration's `fail-on`, else `error`.
    pub(crate) fn fail_on(&self, given: Option<FailOn>) -> FailOn {
        given
            .or_else(|| self.config.as_ref().and_then(|c| c.fail_on))
            .unwrap_or(FailOn::Error)
    }

    /// `--lang` when given, else the configuration's `lang`, else (when `detect`: a report for
    /// people) the language the registers are written in, else English.
    pub(crate) fn lang(
        &self,
        given: Option<crate::i18n::Lang>,
        documents: &[crate::load::Document],
        detect: bool,
    ) -> crate::i18n::Lang {
        let detected = || {
            let processes = documents.iter().flat_map(|d| &d.register.processes);
            detect.then(|| crate::i18n::dominant(processes)).flatten()
        };
        given
            .or_else(|| self.config.as_ref().and_then(|c| c.lang))
            .or_else(detected)
            .unwrap_or_default()
    }

    /// Apply decisions, configuration and baseline to a run's findings.
    pub(crate) fn finish(&self, findings: Vec<Finding>, registers: &[Document]) -> Finished {
        let mut findings = findings;
        if let Some(decisions) = &self.decisions {
            findings = decisions.apply(findings, registers);
        }
        if let Some(config) = &self.config {
            findings = config.apply(findings);
        }
        let (mut first, analysis): (Vec<Finding>, Vec<Finding>) = findings
            .into_iter()
            .partition(|f| f.code.info().stage != Stage::Analysis);
        crate::diag::finding::sort_by_place(&mut first);
        first.extend(analysis);
        let findings = first;

        if let Some(path) = &self.write_baseline {
            let baseline = Baseline::of(&findings);
            return Finished {
                note: format!("; {} finding(s) in the new baseline", baseline.len()),
                findings: Vec::new(),
                baseline: Some(BaselineChange::Write {
                    path: path.clone(),
                    baseline,
                }),
            };
        }
        let Some((path, baseline)) = &self.baseline else {
            return Finished {
                findings,
                note: String::new(),
                baseline: None,
            };
        };
        let filtered = baseline.filter(findings);
        let fixed: usize = filtered.fixed.iter().map(|(_, n)| n).sum();
        let mut note = format!("; {} finding(s) hidden by the baseline", filtered.baselined);
        let mut change = None;
        if fixed > 0 {
            if self.update_baseline {
                note.push_str(&format!(", {fixed} fixed and removed from it"));
            } else {
                note.push_str(&format!(", {fixed} fixed (--update-baseline removes them)"));
            }
            change = Some(BaselineChange::Fixed {
                path: path.clone(),
                count: fixed,
                described: describe(&filtered.fixed),
                update: self
                    .update_baseline
                    .then(|| baseline.without(&filtered.fixed)),
            });
        }
        Finished {
            findings: filtered.findings,
            note,
            baseline: change,
        }
    }
}

fn describe(fixed: &[(Key, usize)]) -> String {
    fixed
        .iter()
        .map(|(key, n)| {
            if *n == 1 {
                key.describe()
            } else {
                format!("{} (x{n})", key.describe())
            }
        })
        .map(|text| crate::report::terminal_safe(&text))
        .collect::<Vec<_>>()
        .join(", ")
}
