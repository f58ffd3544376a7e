//! Findings: plain, serialisable data that every stage produces and every printer consumes.

use serde::Serialize;

use crate::rules::Code;
use crate::source::Span;

/// How serious a finding is. Ordered: `Note < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A secondary place a finding points at ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// A PRM activity that a finding asks to add, by id and in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRef {
    /// `prm-id/activity`, as in the reference model.
    pub id: String,
    /// What the activity asks for, from the reference model.
    pub text: String,
}

/// One problem or observation, tied to a place in a register where it has one.
#[derive(Debug, Clone)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// What to do about it, in one line.
    pub help: Option<String>,
    /// Index of the file in the run's list of sources.
    pub file: Option<usize>,
    /// JSON pointer of the offending value in the register model.
    pub pointer: Option<String>,
    /// Byte span of the offending value (or key) in the source text.
    pub span: Option<Span>,
    /// Text under the primary underline.
    pub label: Option<String>,
    pub labels: Vec<Label>,
    /// Register process ids involved.
    pub processes: Vec<String>,
    /// PRM process involved.
    pub prm: Option<String>,
    /// The signals that made the finding, each a short sentence ("different owners: ...").
    pub evidence: Vec<String>,
    /// PRM activities to add (reuse advice), in the model's order.
    pub activities: Vec<ActivityRef>,
}

impl Finding {
    /// A finding with the rule's default severity and nothing else filled in.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: code.info().severity,
            message: message.into(),
            help: None,
            file: None,
            pointer: None,
            span: None,
            label: None,
            labels: Vec::new(),
            processes: Vec::new(),
            prm: None,
            evidence: Vec::new(),
            activities: Vec::new(),
        }
    }

    pub fn at(mut self, file: usize, pointer: impl Into<String>, span: Option<Span>) -> Self {
        self.file = Some(file);
        self.pointer = Some(pointer.into());
        self.span = span;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn secondary(mut self, span: Option<Span>, text: impl Into<String>) -> Self {
        if let Some(span) = span {
            self.labels.push(Label {
                span,
                text: text.into(),
            });
        }
        self
    }

    pub fn processes<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.processes = ids.into_iter().map(Into::into).collect();
        self
    }

    pub fn prm(mut self, prm: impl Into<String>) -> Self {
        self.prm = Some(prm.into());
        self
    }

    pub fn evidence(mut self, evidence: Vec<String>) -> Self {
        self.evidence = evidence;
        self
    }

    pub fn activities(mut self, activities: Vec<ActivityRef>) -> Self {
        self.activities = activities;
        self
    }

    /// The help with the activities to add, one per line, for formats that carry one text
    /// (SARIF, GitHub annotations, the terminal diagnostic).
    pub fn advice(&self) -> Option<String> {
        let help = self.help.as_deref()?;
        let mut advice = help.to_owned();
        for activity in &self.activities {
            advice.push_str("\n- ");
            advice.push_str(&activity.text);
        }
        Some(advice)
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}
