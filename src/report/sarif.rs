//! The `check --format sarif` report: SARIF 2.1.0 as GitHub code scanning accepts it, with every
//! rule's metadata (the `explain` text as help) and a fingerprint per result that survives edits
//! that only move lines.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::location::{self, Place};
use super::run::CheckRun;
use crate::diag::finding::{Finding, Severity};
use crate::diag::fingerprint::fnv1a;
use crate::diag::rules::Code;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Key of the fingerprint in `partialFingerprints`; bump the version if its input changes.
const FINGERPRINT_KEY: &str = "prmlint/v1";

#[derive(Debug, Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    /// Our columns count characters, not UTF-16 code units (the SARIF default).
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Debug, Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: OwnedText,
    full_description: OwnedText,
    help: OwnedText,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Debug, Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Debug, Serialize)]
struct RuleProperties {
    tags: [&'static str; 1],
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: OwnedText,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    properties: ResultProperties<'a>,
}

#[derive(Debug, Serialize)]
struct OwnedText {
    text: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Debug, Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

#[derive(Debug, Serialize)]
struct ResultProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    prm: Option<&'a str>,
    processes: &'a [String],
}

/// Write the report, with paths relative to the repository root (`run.paths`).
pub fn write(out: &mut dyn std::io::Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let base = run.paths;
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let results = run
        .findings
        .iter()
        .map(|finding| SarifResult {
            rule_id: finding.code.as_str(),
            rule_index: Code::ALL
                .iter()
                .position(|c| *c == finding.code)
                .unwrap_or_default(),
            level: level(finding.severity),
            message: OwnedText {
                text: match finding.advice() {
                    Some(help) => {
                        let label = run.words.word("report.help");
                        format!("{}\n\n{label}: {help}", finding.message)
                    }
                    None => finding.message.clone(),
                },
            },
            locations: location::place(finding, run.sources)
                .map(|place| sarif_location(&place, base))
                .into_iter()
                .collect(),
            partial_fingerprints: BTreeMap::from([(
                FINGERPRINT_KEY,
                format!("{:016x}", fingerprint(finding, &mut seen)),
            )]),
            properties: ResultProperties {
                prm: finding.prm.as_deref(),
                processes: &finding.processes,
            },
        })
        .collect();
    let repository = env!("CARGO_PKG_REPOSITORY");
    let homepage = env!("CARGO_PKG_HOMEPAGE");
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "prmlint",
                    information_uri: [homepage, repository].into_iter().find(|u| !u.is_empty()),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: Code::ALL
                        .iter()
                        .map(|code| rule(*code, run.words))
                        .collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A rule in the report's language.
fn rule(code: Code, w: &crate::i18n::Translator) -> Rule {
    let info = code.info();
    let (summary, explanation) = w.rule(code);
    Rule {
        id: info.code,
        name: pascal_case(info.code),
        short_description: OwnedText { text: summary },
        full_description: OwnedText {
            text: explanation.clone(),
        },
        help: OwnedText { text: explanation },
        default_configuration: Configuration {
            level: level(info.severity),
        },
        properties: RuleProperties {
            tags: [match info.stage {
                crate::diag::rules::Stage::Input => "input",
                crate::diag::rules::Stage::Schema => "schema",
                crate::diag::rules::Stage::Hygiene => "hygiene",
                crate::diag::rules::Stage::Analysis => "analysis",
                crate::diag::rules::Stage::Config => "config",
            }],
        },
    }
}

/// `missing-process` -> `MissingProcess`.
fn pascal_case(code: &str) -> String {
    code.split('-')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

fn sarif_location(place: &Place<'_>, base: Option<&location::PathBase>) -> Location {
    let (start_line, start_column) = place.start.unwrap_or((1, 1));
    Location {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: location::uri_encode(&location::report_path(
                    &place.document.source.name,
                    base,
                )),
            },
            region: Region {
                start_line,
                start_column,
                end_line: place.end.map(|(line, _)| line),
                end_column: place.end.map(|(_, column)| column),
            },
        },
    }
}

/// A stable hash of what a finding is about, not where it sits: code, PRM id, the sorted
/// register ids and, for findings inside a process, the path below it. A collision within one
/// run (two schema errors on the same value) is told apart by its occurrence number.
fn fingerprint(finding: &Finding, seen: &mut HashMap<u64, usize>) -> u64 {
    let mut processes: Vec<&str> = finding.processes.iter().map(String::as_str).collect();
    processes.sort_unstable();
    let detail = finding.pointer.as_deref().map_or("", |pointer| {
        if finding.processes.is_empty() {
            pointer
        } else {
            below_process(pointer)
        }
    });
    let key = [
        finding.code.as_str(),
        finding.prm.as_deref().unwrap_or(""),
        &processes.join("\u{1f}"),
        detail,
    ]
    .join("\u{0}");
    let hash = fnv1a(key.as_bytes());
    let occurrence = seen.entry(hash).or_insert(0);
    *occurrence += 1;
    if *occurrence == 1 {
        hash
    } else {
        fnv1a(format!("{key}\u{0}#{occurrence}").as_bytes())
    }
}

/// `/processes/3/owner` -> `/owner`: the process is already named by its id, and its index
/// changes when processes are reordered.
fn below_process(pointer: &str) -> &str {
    pointer
        .strip_prefix("/processes/")
        .map_or(pointer, |rest| rest.find('/').map_or("", |i| &rest[i..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_pascal_case_codes() {
        assert_eq!(pascal_case("missing-process"), "MissingProcess");
        assert_eq!(pascal_case("io-error"), "IoError");
    }

    #[test]
    fn fingerprints_ignore_the_process_index() {
        let a = Finding::new(Code::MissingOwner, "x")
            .at(0, "/processes/3/id", Some(10..12))
            .processes(["P-1"]);
        let b = Finding::new(Code::MissingOwner, "x")
            .at(0, "/processes/7/id", Some(99..101))
            .processes(["P-1"]);
        assert_eq!(
            fingerprint(&a, &mut HashMap::new()),
            fingerprint(&b, &mut HashMap::new())
        );
        let mut seen = HashMap::new();
        assert_ne!(fingerprint(&a, &mut seen), fingerprint(&a, &mut seen));
    }
}
