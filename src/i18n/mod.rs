//! The languages of the reports. Everything a reader sees in words comes from data compiled in:
//! message catalogues and translations of the reference data, one file per language in
//! `mappings/i18n/<lang>.json`. Nothing is translated at run time.
//!
//! A finding is built from a [`Message`] (a key and named arguments) and rendered in English at
//! once, so every consumer can read it as text; [`Translator::localize`] renders it again in
//! the report's language. A key or a reference text a catalogue lacks falls back to English.
//! Codes, ids, JSON field names and the values a register may hold (`subset`, `draft`) never
//! change.

mod detect;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::diag::finding::Finding;
use crate::mapping::Knowledge;

pub use detect::dominant;

/// A language of the reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Lang {
    #[default]
    En,
    De,
    Fr,
    Es,
    It,
    Nl,
    Pt,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 7] = [
        Lang::En,
        Lang::De,
        Lang::Fr,
        Lang::Es,
        Lang::It,
        Lang::Nl,
        Lang::Pt,
    ];

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::It => "it",
            Lang::Nl => "nl",
            Lang::Pt => "pt",
        }
    }

    /// The language of an ISO 639-1 code or a language tag (`de`, `de-CH`, `DE`).
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next().unwrap_or("");
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// The catalogue file, compiled in.
    fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../../mappings/i18n/en.json"),
            Lang::De => include_str!("../../mappings/i18n/de.json"),
            Lang::Fr => include_str!("../../mappings/i18n/fr.json"),
            Lang::Es => include_str!("../../mappings/i18n/es.json"),
            Lang::It => include_str!("../../mappings/i18n/it.json"),
            Lang::Nl => include_str!("../../mappings/i18n/nl.json"),
            Lang::Pt => include_str!("../../mappings/i18n/pt.json"),
        }
    }

    /// Whether a count of `n` takes the singular: 1, and in French 0 too.
    fn singular(self, n: usize) -> bool {
        n == 1 || (n == 0 && self == Lang::Fr)
    }

    /// Whether numbers are written with a decimal comma.
    fn decimal_comma(self) -> bool {
        self != Lang::En
    }
}

/// The names and purpose of a PRM process in one language.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessText {
    pub name: String,
    pub short_name: String,
    pub purpose: String,
}

/// The name and description of a control area in one language.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaText {
    pub name: String,
    pub description: String,
}

/// One language's file: messages by key and the reference data by id.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub lang: String,
    #[serde(default)]
    pub messages: BTreeMap<String, String>,
    #[serde(default)]
    pub categories: BTreeMap<String, String>,
    #[serde(default)]
    pub processes: BTreeMap<String, ProcessText>,
    #[serde(default)]
    pub activities: BTreeMap<String, String>,
    #[serde(default)]
    pub control_areas: BTreeMap<String, AreaText>,
}

impl Catalogue {
    /// The compiled-in catalogue of `lang`; an empty one if it does not parse (a test makes
    /// sure every one does).
    pub fn of(lang: Lang) -> Catalogue {
        serde_json::from_str(lang.source()).unwrap_or_default()
    }
}

/// The English catalogue: the wording every finding is built with and every other language
/// falls back to.
static ENGLISH: LazyLock<Translator> = LazyLock::new(|| Translator::new(Lang::En));

/// One argument of a message.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Text shown as it is (ids, register text, lists of ids).
    Text(String),
    /// A count or another whole number.
    Count(usize),
    /// A score or ratio, shown with two decimals in the language's way.
    Score(f64),
    /// The name of a PRM process (`name`, in English), by id.
    PrmName { id: String, name: String },
    /// The purpose of a PRM process, by id.
    PrmPurpose { id: String, text: String },
    /// The name of a control area, by id.
    AreaName { id: String, name: String },
    /// PRM activities as `(id, text)`, shown by their translated text, joined by "; ".
    Activities(Vec<(String, String)>),
    /// A term of the reference data that the catalogues may translate under `key`.
    Term { key: String, text: String },
    /// A phrase of its own.
    Msg(Box<Message>),
    /// A count with its noun: the `one` message when the language says `n` in the singular,
    /// else `other`; both take `{n}`.
    Counted {
        n: usize,
        one: &'static str,
        other: &'static str,
    },
}

impl From<String> for Arg {
    fn from(text: String) -> Self {
        Arg::Text(text)
    }
}

impl From<&String> for Arg {
    fn from(text: &String) -> Self {
        Arg::Text(text.clone())
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Self {
        Arg::Text(text.to_owned())
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Count(n)
    }
}

impl From<f64> for Arg {
    fn from(score: f64) -> Self {
        Arg::Score(score)
    }
}

impl From<Message> for Arg {
    fn from(message: Message) -> Self {
        Arg::Msg(Box::new(message))
    }
}

impl std::hash::Hash for Arg {
    /// Consistent with `PartialEq` (a score hashes by its bits; scores are never NaN).
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        std::mem::discriminant(self).hash(h);
        match self {
            Arg::Text(text) => text.hash(h),
            Arg::Count(n) => n.hash(h),
            Arg::Score(score) => score.to_bits().hash(h),
            Arg::PrmName { id, name } => (id, name).hash(h),
            Arg::PrmPurpose { id, text } => (id, text).hash(h),
            Arg::AreaName { id, name } => (id, name).hash(h),
            Arg::Activities(activities) => activities.hash(h),
            Arg::Term { key, text } => (key, text).hash(h),
            Arg::Msg(message) => message.hash(h),
            Arg::Counted { n, one, other } => (n, one, other).hash(h),
        }
    }
}

/// Words to show: a catalogue key and its named arguments. Build one with [`msg!`].
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Message {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Message {
    pub fn new(key: &'static str, args: Vec<(&'static str, Arg)>) -> Self {
        Self { key, args }
    }

    /// The message in English.
    pub fn english(&self) -> String {
        ENGLISH.render(self)
    }
}

/// "1 error", "3 errors": `n` with the `one` or the `other` form of a count message, chosen
/// by the language's rule when the message is rendered.
pub fn counted(n: usize, one: &'static str, other: &'static str) -> Arg {
    Arg::Counted { n, one, other }
}

/// A [`Message`] from a key and `name = value` arguments: `msg!("missing-owner", id = &p.id)`.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Message::new(
            $key,
            vec![$((stringify!($name), $crate::i18n::Arg::from($value))),*],
        )
    };
}

/// A message rendered by a translator: `tr!(words, "key", name = value)`.
#[macro_export]
macro_rules! tr {
    ($words:expr, $key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $words.render(&$crate::msg!($key $(, $name = $value)*))
    };
}

/// Renders messages and reference texts in one language, falling back to English.
#[derive(Debug)]
pub struct Translator {
    lang: Lang,
    own: Catalogue,
    /// The English messages (of the shared English translator), for keys the own catalogue
    /// lacks; none for English itself.
    fallback: Option<&'static BTreeMap<String, String>>,
}

impl Translator {
    pub fn new(lang: Lang) -> Self {
        // English is read once per run, by the shared translator.
        let fallback = (lang != Lang::En).then(|| &ENGLISH.own.messages);
        Self {
            lang,
            own: Catalogue::of(lang),
            fallback,
        }
    }

    /// Keep the PRM's own names, purposes and activities: for a model of the user's own
    /// (`--model`), whose texts the translations, keyed by the embedded model's ids, do not know.
    pub fn keep_model_texts(mut self) -> Self {
        self.own.categories.clear();
        self.own.processes.clear();
        self.own.activities.clear();
        self
    }

    /// The shared English translator.
    pub fn english() -> &'static Translator {
        &ENGLISH
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The message `key` in this language, else in English.
    fn message(&self, key: &str) -> Option<&str> {
        self.own
            .messages
            .get(key)
            .or_else(|| self.fallback.and_then(|english| english.get(key)))
            .map(String::as_str)
    }

    /// The template of `key`: the language's, else English, else the key itself.
    fn template<'a>(&'a self, key: &'a str) -> &'a str {
        self.message(key).unwrap_or(key)
    }

    /// A severity as a word ("error", "Fehler").
    pub fn severity(&self, severity: crate::diag::finding::Severity) -> String {
        use crate::diag::finding::Severity;
        self.word(match severity {
            Severity::Error => "severity.error",
            Severity::Warning => "severity.warning",
            Severity::Note => "severity.note",
        })
    }

    /// The summary and explanation of a rule in this language (`rule.<code>.summary` and
    /// `.explanation`), else as the rules registry writes them.
    pub fn rule(&self, code: crate::diag::rules::Code) -> (String, String) {
        let info = code.info();
        let text = |part: &str, english: &str| {
            let key = format!("rule.{}.{part}", info.code);
            self.message(&key).unwrap_or(english).to_owned()
        };
        (
            text("summary", info.summary),
            text("explanation", info.explanation),
        )
    }

    /// The ISO/IEC 27001:2022 clauses a PRM process implements, for display: its primary
    /// clauses, or those it contributes to, marked "(part)".
    pub fn clauses_label(&self, prm: &crate::model::PrmProcess) -> String {
        if prm.iso27001.primary.is_empty() {
            let clauses = prm.iso27001.partial.join(", ");
            crate::tr!(self, "report.part-clauses", clauses = clauses)
        } else {
            prm.iso27001.primary.join(", ")
        }
    }

    /// A message without arguments, such as a heading.
    pub fn word(&self, key: &'static str) -> String {
        self.render(&Message::new(key, Vec::new()))
    }

    /// A message in this language: `{name}` in the template is replaced by the argument of
    /// that name; any other brace is kept as written.
    pub fn render(&self, message: &Message) -> String {
        let template = self.template(message.key);
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let name_len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            let arg = (name_len > 0 && after[name_len..].starts_with('}'))
                .then(|| message.args.iter().find(|(n, _)| *n == &after[..name_len]))
                .flatten();
            match arg {
                Some((_, arg)) => {
                    self.push_arg(&mut out, arg);
                    rest = &after[name_len + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn push_arg(&self, out: &mut String, arg: &Arg) {
        match arg {
            Arg::Text(text) => out.push_str(text),
            Arg::Count(n) => out.push_str(&n.to_string()),
            Arg::Score(score) => out.push_str(&self.number(*score, 2)),
            Arg::PrmName { id, name } => {
                out.push_str(self.own.processes.get(id).map_or(name, |p| &p.name));
            }
            Arg::PrmPurpose { id, text } => {
                out.push_str(self.own.processes.get(id).map_or(text, |p| &p.purpose));
            }
            Arg::AreaName { id, name } => {
                out.push_str(self.own.control_areas.get(id).map_or(name, |a| &a.name));
            }
            Arg::Activities(activities) => {
                for (i, (id, text)) in activities.iter().enumerate() {
                    if i > 0 {
                        out.push_str("; ");
                    }
                    out.push_str(self.own.activities.get(id).unwrap_or(text));
                }
            }
            Arg::Term { key, text } => out.push_str(self.message(key).unwrap_or(text)),
            Arg::Msg(message) => out.push_str(&self.render(message)),
            &Arg::Counted { n, one, other } => {
                let key = if self.lang.singular(n) { one } else { other };
                out.push_str(&self.render(&Message::new(key, vec![("n", Arg::Count(n))])));
            }
        }
    }

    /// A number with `decimals` decimals, with the language's decimal mark.
    pub fn number(&self, value: f64, decimals: usize) -> String {
        let text = format!("{value:.decimals$}");
        if self.lang.decimal_comma() {
            text.replace('.', ",")
        } else {
            text
        }
    }

    /// A percentage of a ratio, rounded to whole percent ("29%", "29 %").
    pub fn percent(&self, ratio: f64) -> String {
        self.render(&crate::msg!(
            "number.percent",
            n = format!("{:.0}", ratio * 100.0)
        ))
    }

    /// Render the findings' messages, help, labels and evidence again in this language, and
    /// the activities they list from the translated reference data.
    pub fn localize(&self, findings: &mut [Finding]) {
        if self.lang == Lang::En {
            return;
        }
        for finding in findings {
            finding.reword(self);
            for activity in &mut finding.activities {
                if let Some(text) = self.own.activities.get(&activity.id) {
                    activity.text.clone_from(text);
                }
            }
        }
    }

    /// Put the translated names, purposes, activities, category names and control areas into
    /// the reference data, for the report writers (the mapping is done by then).
    pub fn localize_knowledge(&self, knowledge: &mut Knowledge) {
        if self.lang == Lang::En {
            return;
        }
        for category in &mut knowledge.model.categories {
            if let Some(name) = self.own.categories.get(&category.id) {
                category.name.clone_from(name);
            }
        }
        for process in &mut knowledge.model.processes {
            if let Some(text) = self.own.processes.get(&process.id) {
                process.name.clone_from(&text.name);
                process.short_name.clone_from(&text.short_name);
                process.purpose.clone_from(&text.purpose);
            }
            for activity in &mut process.activities {
                if let Some(text) = self.own.activities.get(&activity.id) {
                    activity.text.clone_from(text);
                }
            }
        }
        for area in &mut knowledge.control_areas {
            if let Some(text) = self.own.control_areas.get(&area.id) {
                area.name.clone_from(&text.name);
                area.description.clone_from(&text.description);
            }
        }
    }
}

/// The catalogue key of a distinct role of the concept lexicon ("enterprise risk management,
/// which ..." -> `role.enterprise-risk-management`): its first three words.
pub fn role_key(role: &str) -> String {
    let words: Vec<String> = role
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(3)
        .map(str::to_ascii_lowercase)
        .collect();
    format!("role.{}", words.join("-"))
}

/// What each language's catalogue lacks against English and the reference data: message keys,
/// categories, PRM processes, activities and control areas, as `lang: what`. Each falls back
/// to English in the reports.
pub fn missing_translations(knowledge: &Knowledge) -> Vec<String> {
    let english = Catalogue::of(Lang::En);
    let mut missing = Vec::new();
    for lang in Lang::ALL.into_iter().skip(1) {
        let own = Catalogue::of(lang);
        let code = lang.code();
        let mut lacks = |what: &str, id: &str, present: bool| {
            if !present {
                missing.push(format!("{code}: {what} {id}"));
            }
        };
        for key in english.messages.keys() {
            lacks("message", key, own.messages.contains_key(key));
        }
        for category in &knowledge.model.categories {
            lacks(
                "category",
                &category.id,
                own.categories.contains_key(&category.id),
            );
        }
        for process in &knowledge.model.processes {
            lacks(
                "process",
                &process.id,
                own.processes.contains_key(&process.id),
            );
            for activity in &process.activities {
                lacks(
                    "activity",
                    &activity.id,
                    own.activities.contains_key(&activity.id),
                );
            }
        }
        for area in &knowledge.control_areas {
            lacks(
                "control area",
                &area.id,
                own.control_areas.contains_key(&area.id),
            );
        }
    }
    missing
}

#[cfg(test)]
mod tests;
