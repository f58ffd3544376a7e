//! A reviewer's decisions on suggested mappings (`prmlint decide`), and how they change a run:
//! a decided suggestion is not shown again while the process it was made for is unchanged.
//! Each decision holds a fingerprint of the process's name, description and activities; when
//! the process changes the decision goes stale and the suggestion comes back.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::diag::finding::Finding;
use crate::diag::rules::Code;
use crate::load::Document;
use crate::source::Span;
use crate::source::register::{Process, Relationship};

/// Version of the file format.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Accept,
    Reject,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Accept => "accept",
            Verdict::Reject => "reject",
        }
    }
}

/// One decision on one suggested mapping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub process: String,
    pub prm: String,
    pub decision: Verdict,
    /// For accepted mappings: the relationship to declare.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship: Option<Relationship>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub fingerprint: String,
    /// Where the decision sits in its file, for findings.
    #[serde(skip)]
    pub at: Option<At>,
}

/// A place in the decisions file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    pub file: usize,
    pub pointer: String,
    pub span: Option<Span>,
}

/// The decisions file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Decisions {
    #[serde(default)]
    version: u32,
    pub decisions: Vec<Decision>,
}

/// Fingerprint of what a decision was about: the process's name, description and activities.
pub fn fingerprint(process: &Process) -> String {
    let text = [
        process.name.as_str(),
        process.description.as_deref().unwrap_or(""),
        &process.activities.join("\u{1f}"),
    ]
    .join("\u{0}");
    format!(
        "fnv1a:{:016x}",
        crate::diag::fingerprint::fnv1a(text.as_bytes())
    )
}

impl Decisions {
    /// Read decisions from a value that has passed `schema/decisions.schema.json`, remembering
    /// where each sits in `document`.
    pub fn from_value(value: Value, document: &Document) -> Result<Decisions, String> {
        let mut decisions: Decisions = serde_json::from_value(value).map_err(|e| e.to_string())?;
        for (i, decision) in decisions.decisions.iter_mut().enumerate() {
            // What goes stale is the fingerprint: point there.
            let pointer = format!("/decisions/{i}/fingerprint");
            decision.at = Some(At {
                file: document.file,
                span: document.span(&pointer),
                pointer,
            });
        }
        Ok(decisions)
    }

    /// Record a decision, replacing any earlier one on the same process and PRM process.
    pub fn record(&mut self, decision: Decision) {
        self.decisions
            .retain(|d| (&d.process, &d.prm) != (&decision.process, &decision.prm));
        self.decisions.push(decision);
        self.decisions
            .sort_by(|a, b| (&a.process, &a.prm).cmp(&(&b.process, &b.prm)));
    }

    /// The file's text: sorted, pretty-printed, ending in a newline.
    pub fn to_json(&self) -> String {
        let file = Decisions {
            version: VERSION,
            decisions: self.decisions.clone(),
        };
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Hide the suggestions that fresh decisions settle, and add a `stale-decision` note for
    /// each decision whose process has changed or gone. An accepted mapping that the register
    /// now declares is done and says nothing.
    pub fn apply(&self, findings: Vec<Finding>, registers: &[Document]) -> Vec<Finding> {
        let mut processes: HashMap<&str, &Process> = HashMap::new();
        for process in registers.iter().flat_map(|d| &d.register.processes) {
            processes.entry(process.id.as_str()).or_insert(process);
        }
        let mut settled: Vec<(&str, &str)> = Vec::new();
        let mut stale = Vec::new();
        for decision in &self.decisions {
            match processes.get(decision.process.as_str()) {
                Some(process)
                    if decision.decision == Verdict::Accept
                        && process.maps_to.iter().any(|m| m.prm == decision.prm) => {}
                Some(process) if fingerprint(process) == decision.fingerprint => {
                    settled.push((&decision.process, &decision.prm));
                }
                found => stale.push(stale_finding(decision, found.is_some())),
            }
        }
        let mut kept: Vec<Finding> = findings
            .into_iter()
            .filter(|f| {
                f.code != Code::SuggestedMapping
                    || !settled.iter().any(|(process, prm)| {
                        f.prm.as_deref() == Some(*prm) && f.processes.iter().any(|p| p == process)
                    })
            })
            .collect();
        kept.extend(stale);
        kept
    }
}

fn stale_finding(decision: &Decision, exists: bool) -> Finding {
    let why = if exists {
        "its name, description or activities have changed since"
    } else {
        "the process is no longer in the register"
    };
    let mut finding = Finding::new(
        Code::StaleDecision,
        format!(
            "the decision to {} mapping `{}` onto `{}` no longer applies: {why}",
            decision.decision.as_str(),
            decision.process,
            decision.prm
        ),
    )
    .label(if exists {
        "made for an earlier version of the process"
    } else {
        "made for a process that is gone"
    })
    .help(format!(
        "review the mapping again and record it with `prmlint decide {} {} {}`",
        decision.decision.as_str(),
        decision.process,
        decision.prm
    ))
    .processes([decision.process.clone()])
    .prm(decision.prm.clone());
    if let Some(at) = &decision.at {
        finding = finding.at(at.file, at.pointer.clone(), at.span.clone());
    }
    finding
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process(name: &str) -> Process {
        Process {
            id: "P-1".into(),
            name: name.into(),
            description: Some("Plans projects".into()),
            activities: vec!["Plan".into(), "Track".into()],
            ..Process::default()
        }
    }

    #[test]
    fn the_fingerprint_changes_with_name_description_and_activities_only() {
        let base = process("Project management");
        let mut owner_changed = base.clone();
        owner_changed.owner = Some("PMO".into());
        assert_eq!(fingerprint(&base), fingerprint(&owner_changed));
        assert_ne!(
            fingerprint(&base),
            fingerprint(&process("Programme management"))
        );
        let mut activities_changed = base.clone();
        activities_changed.activities.push("Close".into());
        assert_ne!(fingerprint(&base), fingerprint(&activities_changed));
        assert_eq!(fingerprint(&base).len(), "fnv1a:".len() + 16);
    }

    #[test]
    fn recording_replaces_and_sorts() {
        let decision = |process: &str, prm: &str, verdict| Decision {
            process: process.into(),
            prm: prm.into(),
            decision: verdict,
            relationship: None,
            reason: None,
            fingerprint: "fnv1a:0000000000000000".into(),
            at: None,
        };
        let mut decisions = Decisions::default();
        decisions.record(decision("P-2", "improvement", Verdict::Reject));
        decisions.record(decision("P-1", "risk-treatment", Verdict::Reject));
        decisions.record(decision("P-2", "improvement", Verdict::Accept));
        let summary: Vec<(&str, Verdict)> = decisions
            .decisions
            .iter()
            .map(|d| (d.process.as_str(), d.decision))
            .collect();
        assert_eq!(
            summary,
            [("P-1", Verdict::Reject), ("P-2", Verdict::Accept)]
        );
        let text = decisions.to_json();
        let value: Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(value["version"], 1);
        assert!(value["decisions"][0].get("relationship").is_none());
    }
}
