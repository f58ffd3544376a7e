//! Findings: plain, serialisable data that every stage produces and every printer consumes.

use serde::Serialize;

use crate::diag::rules::Code;
use crate::i18n::{Message, Translator};
use crate::source::Span;

/// Words of a finding: plain text, or a catalogue message that can be shown in another
/// language.
#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    Plain(String),
    Keyed(Message),
}

impl Text {
    /// The English text, and the message behind it where there is one.
    fn split(self) -> (String, Option<Message>) {
        match self {
            Text::Plain(text) => (text, None),
            Text::Keyed(message) => (message.english(), Some(message)),
        }
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Text::Plain(text)
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text::Plain(text.to_owned())
    }
}

impl From<Message> for Text {
    fn from(message: Message) -> Self {
        Text::Keyed(message)
    }
}

/// The catalogue messages a finding's texts were rendered from, to render them again in the
/// report's language.
#[derive(Debug, Clone, Default)]
pub struct Wording {
    message: Option<Message>,
    help: Option<Message>,
    label: Option<Message>,
    /// One per entry of `labels`.
    labels: Vec<Option<Message>>,
    evidence: Vec<Option<Message>>,
}

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
    /// What the texts above were rendered from.
    pub wording: Wording,
}

impl Finding {
    /// A finding with the rule's default severity and nothing else filled in.
    pub fn new(code: Code, message: impl Into<Text>) -> Self {
        let (message, keyed) = message.into().split();
        Self {
            code,
            severity: code.info().severity,
            message,
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
            wording: Wording {
                message: keyed,
                ..Wording::default()
            },
        }
    }

    pub fn at(mut self, file: usize, pointer: impl Into<String>, span: Option<Span>) -> Self {
        self.file = Some(file);
        self.pointer = Some(pointer.into());
        self.span = span;
        self
    }

    pub fn help(mut self, help: impl Into<Text>) -> Self {
        let (help, keyed) = help.into().split();
        self.help = Some(help);
        self.wording.help = keyed;
        self
    }

    pub fn label(mut self, label: impl Into<Text>) -> Self {
        let (label, keyed) = label.into().split();
        self.label = Some(label);
        self.wording.label = keyed;
        self
    }

    pub fn secondary(mut self, span: Option<Span>, text: impl Into<Text>) -> Self {
        if let Some(span) = span {
            let (text, keyed) = text.into().split();
            self.labels.push(Label { span, text });
            self.wording.labels.push(keyed);
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

    pub fn evidence(mut self, evidence: Vec<Text>) -> Self {
        (self.evidence, self.wording.evidence) = evidence.into_iter().map(Text::split).unzip();
        self
    }

    /// Render the texts that came from the catalogue again with `translator`.
    pub(crate) fn reword(&mut self, translator: &Translator) {
        let w = &self.wording;
        debug_assert!(
            w.message
                .as_ref()
                .is_none_or(|m| m.english() == self.message),
            "the message of `{}` was changed after it was built",
            self.code.as_str()
        );
        if let Some(m) = &w.message {
            self.message = translator.render(m);
        }
        if let Some(m) = &w.help {
            self.help = Some(translator.render(m));
        }
        if let Some(m) = &w.label {
            self.label = Some(translator.render(m));
        }
        for (label, m) in self.labels.iter_mut().zip(&w.labels) {
            if let Some(m) = m {
                label.text = translator.render(m);
            }
        }
        for (text, m) in self.evidence.iter_mut().zip(&w.evidence) {
            if let Some(m) = m {
                *text = translator.render(m);
            }
        }
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

/// Lowest severity that fails the run (`--fail-on`, `fail-on` in prmlint.json).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Note => Some(Severity::Note),
            FailOn::Never => None,
        }
    }
}

/// Sort findings by file and position, so output is stable and reads top to bottom.
pub fn sort_by_place(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (
            a.file,
            a.span.as_ref().map_or(usize::MAX, |s| s.start),
            a.code,
            &a.message,
        )
            .cmp(&(
                b.file,
                b.span.as_ref().map_or(usize::MAX, |s| s.start),
                b.code,
                &b.message,
            ))
    });
}
