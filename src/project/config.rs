//! The configuration file `prmlint.json`: where it is found, what it sets (rule severities, the
//! failing severity, score thresholds, extra crosswalks, suppressions, the column mapping of
//! table registers) and how it changes a run's findings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::analysis::Settings;
use crate::diag::finding::FailOn;
use crate::diag::finding::{Finding, Severity};
use crate::diag::rules::{Code, Stage};
use crate::load::Document;
use crate::load::userfile::{self, invalid_at, schema_finding};
use crate::mapping::Thresholds;
use crate::source::Span;

/// Names a configuration file may have, in order of preference within one directory.
pub const FILE_NAMES: &[&str] = &["prmlint.json", ".prmlint.json"];

const TOP_KEYS: &[&str] = &[
    "$schema",
    "rules",
    "fail-on",
    "lang",
    "thresholds",
    "crosswalks",
    "suppress",
    "columns",
];
const THRESHOLD_KEYS: &[&str] = &[
    "mapping",
    "control-area",
    "umbrella",
    "unsupported-below",
    "suggest-from",
    "adaptable-from",
    "duplicate-from",
    "umbrella-declared",
];
const SUPPRESSION_KEYS: &[&str] = &["rule", "process", "prm", "reason"];

/// A loaded configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Severity per rule; `None` is `off`.
    pub rules: BTreeMap<Code, Option<Severity>>,
    pub fail_on: Option<FailOn>,
    /// Language of the reports.
    pub lang: Option<crate::i18n::Lang>,
    pub thresholds: Thresholds,
    pub settings: Settings,
    /// Extra crosswalk files, as paths usable from the current directory.
    pub crosswalks: Vec<String>,
    /// `(field, header)`: which column of a table register holds which field.
    pub columns: Vec<(String, String)>,
    suppressions: Vec<Suppression>,
}

#[derive(Debug, Clone)]
struct Suppression {
    rule: Code,
    process: Option<String>,
    prm: Option<String>,
    file: usize,
    pointer: String,
    span: Option<Span>,
}

impl Suppression {
    fn matches(&self, finding: &Finding) -> bool {
        finding.code == self.rule
            && self
                .process
                .as_ref()
                .is_none_or(|p| finding.processes.contains(p))
            && self
                .prm
                .as_ref()
                .is_none_or(|p| finding.prm.as_ref() == Some(p))
    }
}

/// Result of loading a configuration file.
#[derive(Debug)]
pub struct Loaded {
    pub document: Document,
    /// `None` when the file is unusable; `findings` says why.
    pub config: Option<Config>,
    /// Problems that stop the run (`config-invalid` and input errors).
    pub findings: Vec<Finding>,
}

/// The configuration file that applies to a register: the first [`FILE_NAMES`] entry found in
/// the register's directory or one of its parents (the current directory for standard input).
pub fn discover(register: &str) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let start = if register == "-" {
        cwd.clone()
    } else {
        let parent = Path::new(register).parent().unwrap_or(Path::new(""));
        std::path::absolute(cwd.join(parent)).ok()?
    };
    start.ancestors().find_map(|dir| {
        FILE_NAMES
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
            .map(|found| {
                // Shown relative to the current directory where it can be, like the registers.
                match found.strip_prefix(&cwd) {
                    Ok(relative) => relative.to_path_buf(),
                    Err(_) => found,
                }
            })
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    rules: BTreeMap<String, String>,
    fail_on: Option<String>,
    lang: Option<String>,
    #[serde(default)]
    thresholds: RawThresholds,
    #[serde(default)]
    crosswalks: Vec<String>,
    #[serde(default)]
    suppress: Vec<RawSuppression>,
    #[serde(default)]
    columns: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawThresholds {
    mapping: Option<f64>,
    control_area: Option<f64>,
    umbrella: Option<f64>,
    unsupported_below: Option<f64>,
    suggest_from: Option<f64>,
    adaptable_from: Option<f64>,
    duplicate_from: Option<f64>,
    umbrella_declared: Option<usize>,
}

#[derive(Debug, Deserialize)]
struct RawSuppression {
    rule: String,
    process: Option<String>,
    prm: Option<String>,
}

/// Read and check the configuration file at `path` as file number `file` of the run.
pub fn load(file: usize, path: &str) -> Loaded {
    let read = userfile::read(file, path, crate::validate::schema::CONFIG);
    let document = read.document;
    let mut findings = read.findings;
    let Some(value) = read.value else {
        return Loaded {
            document,
            config: None,
            findings,
        };
    };
    findings.extend(semantic_findings(&document, &value));
    for error in &read.schema_errors {
        let pointer = error.pointer();
        // A semantic finding already says it better (unknown rule codes, empty suppressions).
        if findings
            .iter()
            .any(|f| f.pointer.as_deref().is_some_and(|p| covers(p, pointer)))
        {
            continue;
        }
        findings.push(schema_finding(&document, error, known_keys));
    }
    if !findings.is_empty() {
        return Loaded {
            document,
            config: None,
            findings,
        };
    }
    match serde_json::from_value::<RawConfig>(value) {
        Ok(raw) => Loaded {
            config: Some(build(raw, &document, path)),
            document,
            findings,
        },
        Err(e) => {
            let finding = invalid_at(&document, "", false, format!("cannot be used: {e}"));
            Loaded {
                document,
                config: None,
                findings: vec![finding],
            }
        }
    }
}

/// Whether a finding at pointer `outer` also accounts for a schema error at `inner`.
fn covers(outer: &str, inner: &str) -> bool {
    inner == outer
        || inner
            .strip_prefix(outer)
            .is_some_and(|r| r.starts_with('/'))
}

/// Keys valid in the object at a pointer, for "did you mean".
fn known_keys(pointer: &str) -> Vec<&'static str> {
    match pointer {
        "" => TOP_KEYS.to_vec(),
        "/rules" => configurable_codes(),
        "/thresholds" => THRESHOLD_KEYS.to_vec(),
        "/columns" => crate::validate::schema::PROCESS_KEYS.to_vec(),
        p if p.starts_with("/suppress/") => SUPPRESSION_KEYS.to_vec(),
        _ => Vec::new(),
    }
}

/// Codes whose findings a configuration may change: all but input errors, which always stop
/// the run.
pub fn configurable_codes() -> Vec<&'static str> {
    Code::ALL
        .iter()
        .filter(|c| c.info().stage != Stage::Input)
        .map(|c| c.as_str())
        .collect()
}

/// Check what the schema cannot say well: rule codes, and suppressions that name nothing.
fn semantic_findings(document: &Document, value: &Value) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(rules) = value.get("rules").and_then(Value::as_object) {
        for name in rules.keys() {
            let pointer = format!("/rules/{}", crate::source::json::escape_pointer_token(name));
            if let Some(finding) = rule_problem(document, &pointer, name, true) {
                findings.push(finding);
            }
        }
    }
    if let Some(columns) = value.get("columns").and_then(Value::as_object) {
        for field in columns.keys() {
            if let Err(message) = crate::load::columns::check_field(field) {
                let pointer = format!(
                    "/columns/{}",
                    crate::source::json::escape_pointer_token(field)
                );
                findings.push(
                    invalid_at(document, &pointer, true, message)
                        .label("not a register field")
                        .help("map register fields (or `x-` fields) onto headers: \"owner\": \"Verantwortlich\""),
                );
            }
        }
    }
    let entries = value.get("suppress").and_then(Value::as_array);
    for (i, entry) in entries.into_iter().flatten().enumerate() {
        let pointer = format!("/suppress/{i}");
        let Some(object) = entry.as_object() else {
            continue;
        };
        if let Some(name) = object.get("rule").and_then(Value::as_str)
            && let Some(finding) = rule_problem(document, &format!("{pointer}/rule"), name, false)
        {
            findings.push(finding);
        }
        if !object.contains_key("process") && !object.contains_key("prm") {
            findings.push(
                invalid_at(
                    document,
                    &pointer,
                    false,
                    "a suppression needs `process`, `prm` or both",
                )
                .label("says which finding to hide")
                .help(
                    "name the register process (and the PRM process) of the finding; to silence a rule everywhere, set it to \"off\" in `rules`",
                ),
            );
        }
    }
    findings
}

fn rule_problem(document: &Document, pointer: &str, name: &str, at_key: bool) -> Option<Finding> {
    match Code::parse(name) {
        Some(code) if code.info().stage == Stage::Input => Some(
            invalid_at(
                document,
                pointer,
                at_key,
                format!("`{name}` cannot be configured: input errors always stop the run"),
            )
            .label("an input error"),
        ),
        Some(_) => None,
        None => {
            let finding = invalid_at(document, pointer, at_key, format!("unknown rule `{name}`"))
                .label("not a rule code");
            Some(
                match crate::diag::suggest::closest(name, &configurable_codes()) {
                    Some(s) => finding.help(format!("did you mean `{s}`?")),
                    None => finding.help("`prmlint explain --all` lists the rule codes"),
                },
            )
        }
    }
}

fn build(raw: RawConfig, document: &Document, path: &str) -> Config {
    let rules = raw
        .rules
        .iter()
        .filter_map(|(name, level)| Some((Code::parse(name)?, parse_level(level))))
        .collect();
    let fail_on = raw.fail_on.as_deref().and_then(|f| match f {
        "error" => Some(FailOn::Error),
        "warning" => Some(FailOn::Warning),
        "note" => Some(FailOn::Note),
        "never" => Some(FailOn::Never),
        _ => None,
    });
    let lang = raw.lang.as_deref().and_then(crate::i18n::Lang::from_code);
    let t = &raw.thresholds;
    let default_thresholds = Thresholds::default();
    let thresholds = Thresholds {
        mapping: t.mapping.unwrap_or(default_thresholds.mapping),
        control_area: t.control_area.unwrap_or(default_thresholds.control_area),
        umbrella: t.umbrella.unwrap_or(default_thresholds.umbrella),
    };
    let default_settings = Settings::default();
    let settings = Settings {
        unsupported_below: t
            .unsupported_below
            .unwrap_or(default_settings.unsupported_below),
        suggest_from: t.suggest_from.unwrap_or(default_settings.suggest_from),
        adaptable_from: t.adaptable_from.unwrap_or(default_settings.adaptable_from),
        duplicate_from: t.duplicate_from.unwrap_or(default_settings.duplicate_from),
        umbrella_declared: t
            .umbrella_declared
            .unwrap_or(default_settings.umbrella_declared),
    };
    let base = Path::new(path).parent().unwrap_or(Path::new(""));
    let crosswalks = raw
        .crosswalks
        .iter()
        .map(|c| base.join(c).to_string_lossy().into_owned())
        .collect();
    let suppressions = raw
        .suppress
        .into_iter()
        .enumerate()
        .filter_map(|(i, s)| {
            // An unused suppression is reported at what failed to match: its process or PRM id.
            let field = if s.process.is_some() {
                "process"
            } else {
                "prm"
            };
            let pointer = format!("/suppress/{i}/{field}");
            Some(Suppression {
                rule: Code::parse(&s.rule)?,
                process: s.process,
                prm: s.prm,
                file: document.file,
                span: document.span(&pointer),
                pointer,
            })
        })
        .collect();
    Config {
        rules,
        fail_on,
        lang,
        thresholds,
        settings,
        crosswalks,
        columns: raw.columns.into_iter().collect(),
        suppressions,
    }
}

fn parse_level(level: &str) -> Option<Severity> {
    match level {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "note" => Some(Severity::Note),
        _ => None,
    }
}

impl Config {
    /// Hide suppressed findings, report suppressions that hid nothing, then apply the rule
    /// severities (dropping rules set to `off`, including `unused-suppression` itself).
    pub fn apply(&self, findings: Vec<Finding>) -> Vec<Finding> {
        let mut used = vec![false; self.suppressions.len()];
        let mut kept: Vec<Finding> = findings
            .into_iter()
            .filter(|finding| {
                let mut suppressed = false;
                for (i, suppression) in self.suppressions.iter().enumerate() {
                    if suppression.matches(finding) {
                        used[i] = true;
                        suppressed = true;
                    }
                }
                !suppressed
            })
            .collect();
        for (suppression, _) in self.suppressions.iter().zip(&used).filter(|(_, u)| !**u) {
            kept.push(unused(suppression));
        }
        kept.retain_mut(|finding| match self.rules.get(&finding.code) {
            Some(None) => false,
            Some(Some(severity)) => {
                finding.severity = *severity;
                true
            }
            None => true,
        });
        kept
    }
}

fn unused(suppression: &Suppression) -> Finding {
    let mut what = vec![format!("`{}`", suppression.rule.as_str())];
    if let Some(process) = &suppression.process {
        what.push(format!("process `{process}`"));
    }
    if let Some(prm) = &suppression.prm {
        what.push(format!("PRM process `{prm}`"));
    }
    let finding = Finding::new(
        Code::UnusedSuppression,
        format!(
            "the suppression of {} matches no finding",
            what.join(" for ")
        ),
    )
    .at(
        suppression.file,
        suppression.pointer.clone(),
        suppression.span.clone(),
    )
    .label("hides nothing")
    .help("remove it from `suppress`, or correct its `rule`, `process` or `prm`")
    .processes(suppression.process.clone());
    match &suppression.prm {
        Some(prm) => finding.prm(prm.clone()),
        None => finding,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_lists_every_configurable_rule() {
        let schema: Value =
            serde_json::from_str(crate::validate::schema::CONFIG).unwrap_or_default();
        let mut listed: Vec<&str> = schema["properties"]["rules"]["properties"]
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut enumerated: Vec<&str> =
            schema["$defs"]["suppression"]["properties"]["rule"]["enum"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
        let mut codes = configurable_codes();
        listed.sort_unstable();
        enumerated.sort_unstable();
        codes.sort_unstable();
        assert_eq!(listed, codes);
        assert_eq!(enumerated, codes);
    }

    #[test]
    fn the_schema_lists_every_key_the_loader_knows() {
        let schema: Value =
            serde_json::from_str(crate::validate::schema::CONFIG).unwrap_or_default();
        let keys = |v: &Value| -> Vec<String> {
            let mut k: Vec<String> = v["properties"]
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default();
            k.sort();
            k
        };
        let sorted = |s: &[&str]| {
            let mut v: Vec<String> = s.iter().map(|s| (*s).to_owned()).collect();
            v.sort();
            v
        };
        assert_eq!(keys(&schema), sorted(TOP_KEYS));
        assert_eq!(
            keys(&schema["properties"]["thresholds"]),
            sorted(THRESHOLD_KEYS)
        );
        assert_eq!(
            keys(&schema["$defs"]["suppression"]),
            sorted(SUPPRESSION_KEYS)
        );
    }

    #[test]
    fn a_suppression_matches_by_rule_process_and_prm() {
        let s = Suppression {
            rule: Code::SuggestedMapping,
            process: Some("P-1".into()),
            prm: Some("risk-treatment".into()),
            file: 0,
            pointer: String::new(),
            span: None,
        };
        let finding = Finding::new(Code::SuggestedMapping, "x").processes(["P-1"]);
        assert!(!s.matches(&finding));
        assert!(s.matches(&finding.clone().prm("risk-treatment")));
        assert!(!s.matches(&Finding::new(Code::MissingOwner, "x").processes(["P-1"])));
    }

    #[test]
    fn covers_is_by_pointer_segment() {
        assert!(covers("/suppress/1", "/suppress/1"));
        assert!(covers("/suppress/1", "/suppress/1/rule"));
        assert!(!covers("/suppress/1", "/suppress/10"));
    }
}
