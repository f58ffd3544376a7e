//! The knowledge base the matcher searches: every name, alias, code, keyword and activity term
//! of the reference data, normalised once and indexed by token.

// Fixed tables built from reference data: register words only look keys up, so a fixed seed
// is safe.
use crate::FixedMap as HashMap;

use crate::model::{ConceptKind, Concepts, ControlArea, Crosswalk, Model};

use crate::text::Normalizer;

/// What a phrase stands for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Target {
    /// A name or alias of a PRM process (read as `equal`).
    Prm(usize),
    /// A keyword of a PRM process: evidence, not a name.
    Keyword(usize),
    /// A term of one PRM activity: (process, activity).
    Activity(usize, usize),
    /// A catalogue entry: (catalogue, entry).
    Entry(usize, usize),
    /// A control area.
    Area(usize),
}

/// One normalised phrase of the reference data.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Phrase {
    pub target: Target,
    /// The phrase as written in the data, for evidence.
    pub text: String,
    pub tokens: Vec<String>,
    /// Sum of the tokens' weights.
    pub weight: f64,
    /// The phrase is a catalogue code (`APO13`, `DER.2.1`) or an acronym of up to 4 letters.
    pub is_code: bool,
    /// Its most telling token: a phrase is looked up in long text only through this token.
    pub anchor: usize,
    /// Every token is a bare clause number (`8.4`, `9.2`): it only counts when the text names
    /// the catalogue, because clause numbers repeat across standards.
    pub needs_catalogue: bool,
}

/// Reference data, normalised and indexed. The index of the embedded defaults is built when
/// prmlint is compiled (`build.rs`) and read back at start-up (`reference::load`).
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Knowledge {
    pub model: Model,
    pub crosswalks: Vec<Crosswalk>,
    pub control_areas: Vec<ControlArea>,
    pub normalizer: Normalizer,
    pub phrases: Vec<Phrase>,
    postings: HashMap<String, Vec<u32>>,
    idf: HashMap<String, f64>,
    /// Token sequences that make a name security-specific.
    pub security_qualifiers: Vec<Vec<String>>,
    /// Tokens of the concept lexicon's qualifiers ("security", "data protection", "quality"),
    /// sorted: words that narrow what a name is about without saying what is done.
    pub qualifier_tokens: Vec<String>,
    /// The words of the concept lexicon's security qualifier in every language, folded
    /// ("sicherheit", "securite", "seguridad"): a compound that the splitter leaves whole
    /// ("Informationssicherheitsvorfallmanagement") is still security-specific.
    pub security_words: Vec<String>,
    /// Tokens of the concept lexicon's document kinds ("policy", "guideline"), sorted: a
    /// name such as "Supplier management policy" is about its topic, not about policy work.
    pub document_tokens: Vec<String>,
    /// Tokens of the concept lexicon's actions ("assessment", "review", "notification"), sorted.
    pub action_tokens: Vec<String>,
    /// Cues that tell a parallel process from a legitimate split (see [`Cues`]).
    pub cues: CueSets,
    /// Activities per PRM process: the phrases of each activity.
    pub activity_phrases: Vec<Vec<Vec<u32>>>,
    /// Weight given to tokens the reference data never uses.
    pub unknown_weight: f64,
    /// Index of each PRM process id (the first, should a user model repeat one).
    prm_ids: HashMap<String, usize>,
    /// Index of each control area id (the first, should user data repeat one).
    area_ids: HashMap<String, usize>,
}

impl Knowledge {
    /// Normalise and index the reference data: every phrase, its weight and anchor, the
    /// postings, and the concept lexicon's word sets.
    pub fn build(
        model: Model,
        crosswalks: Vec<Crosswalk>,
        control_areas: Vec<ControlArea>,
        concepts: &Concepts,
    ) -> Self {
        let mut normalizer = Normalizer::new();
        normalizer.learn_stop_words(concepts.stop_words.values().flatten().map(String::as_str));
        let raw = raw_phrases(&model, &crosswalks, &control_areas);
        for (_, text) in &raw {
            normalizer.learn(text);
        }
        learn_concept_terms(&mut normalizer, concepts);
        let (mut phrases, df) = tokenise(raw, &normalizer);
        let Weights {
            idf,
            unknown_weight,
            postings,
        } = weigh(df, &mut phrases);
        let activity_phrases = activity_phrases(&model, &phrases);
        let concept_tokens = |kind| concept_tokens(concepts, &normalizer, kind);
        let qualifier_tokens = concept_tokens(ConceptKind::Qualifier);
        let security_words = security_words(concepts);
        let document_tokens = concept_tokens(ConceptKind::Document);
        let action_tokens = concept_tokens(ConceptKind::Action);
        let cues = CueSets::build(&concepts.cues, &normalizer);
        let security_qualifiers = model
            .security_qualifiers
            .iter()
            .map(|q| normalizer.tokens(&q.text))
            .filter(|t| !t.is_empty())
            .collect();
        let prm_ids = first_indices(model.processes.iter().map(|p| &p.id));
        let area_ids = first_indices(control_areas.iter().map(|a| &a.id));
        Knowledge {
            prm_ids,
            area_ids,
            model,
            crosswalks,
            control_areas,
            normalizer,
            phrases,
            postings,
            idf,
            security_qualifiers,
            qualifier_tokens,
            security_words,
            document_tokens,
            action_tokens,
            cues,
            activity_phrases,
            unknown_weight,
        }
    }

    /// Weight of a token: rare in the reference data means telling.
    pub fn weight(&self, token: &str) -> f64 {
        self.idf.get(token).copied().unwrap_or(self.unknown_weight)
    }

    /// Whether the reference data uses the token at all.
    pub fn knows(&self, token: &str) -> bool {
        self.idf.contains_key(token)
    }

    /// Phrases that contain a token.
    pub fn phrases_with(&self, token: &str) -> &[u32] {
        self.postings.get(token).map_or(&[], Vec::as_slice)
    }

    /// Every token the reference data uses (sorted, for a deterministic typo index).
    pub fn vocabulary(&self) -> Vec<&str> {
        let mut words: Vec<&str> = self.idf.keys().map(String::as_str).collect();
        words.sort_unstable();
        words
    }

    /// Whether a token is a qualifier of the concept lexicon.
    pub fn is_qualifier(&self, token: &str) -> bool {
        self.qualifier_tokens
            .binary_search_by(|t| t.as_str().cmp(token))
            .is_ok()
    }

    /// Whether a token is an action of the concept lexicon.
    pub fn is_action(&self, token: &str) -> bool {
        self.action_tokens
            .binary_search_by(|t| t.as_str().cmp(token))
            .is_ok()
    }

    /// Whether a token is a document kind of the concept lexicon.
    pub fn is_document_kind(&self, token: &str) -> bool {
        self.document_tokens
            .binary_search_by(|t| t.as_str().cmp(token))
            .is_ok()
    }

    /// Index of a control area by id.
    pub fn area_index(&self, id: &str) -> Option<usize> {
        self.area_ids.get(id).copied()
    }

    /// Index of a PRM process by id.
    pub fn prm_index(&self, id: &str) -> Option<usize> {
        self.prm_ids.get(id).copied()
    }
}

/// Every phrase of the reference data as written, with what it stands for: PRM names,
/// clause references, keywords and activity terms, then catalogue entries, then control areas.
fn raw_phrases(
    model: &Model,
    crosswalks: &[Crosswalk],
    control_areas: &[ControlArea],
) -> Vec<(Target, String)> {
    let mut raw: Vec<(Target, String)> = Vec::new();
    for (p, process) in model.processes.iter().enumerate() {
        raw.push((Target::Prm(p), process.short_name.clone()));
        raw.push((Target::Prm(p), process.name.clone()));
        for alias in &process.aliases {
            raw.push((Target::Prm(p), alias.text.clone()));
        }
        let target = clause_target(model, p);
        for clause in &process.iso27001.primary {
            raw.push((target, format!("ISO/IEC 27001 {clause}")));
            raw.push((target, format!("Clause {clause}")));
        }
        for keyword in &process.keywords {
            raw.push((Target::Keyword(p), keyword.text.clone()));
        }
        for (a, activity) in process.activities.iter().enumerate() {
            for term in &activity.terms {
                raw.push((Target::Activity(p, a), term.text.clone()));
            }
        }
    }
    for (c, catalogue) in crosswalks.iter().enumerate() {
        for (e, entry) in catalogue.entries.iter().enumerate() {
            raw.push((Target::Entry(c, e), entry.name.clone()));
            if !entry.code.contains(':') {
                raw.push((Target::Entry(c, e), entry.code.clone()));
            }
            for alias in &entry.aliases {
                raw.push((Target::Entry(c, e), alias.text.clone()));
            }
        }
    }
    for (a, area) in control_areas.iter().enumerate() {
        raw.push((Target::Area(a), area.name.clone()));
        for alias in &area.aliases {
            raw.push((Target::Area(a), alias.text.clone()));
        }
    }
    raw
}

/// What the clause references of PRM process `p` stand for.
///
/// Clause references ("ISO/IEC 27001 9.2", "Clause 9.2") name the process that implements the
/// clause: the whole process when it implements that one clause, a part of it (a keyword) when
/// it implements several ("9.3 Management review" is one part of the governance interface).
fn clause_target(model: &Model, p: usize) -> Target {
    let clauses = &model.processes[p].iso27001.primary;
    let top: Vec<&String> = clauses
        .iter()
        .filter(|c| !clauses.iter().any(|o| c.starts_with(&format!("{o}."))))
        .collect();
    let shared = model
        .processes
        .iter()
        .enumerate()
        .any(|(o, other)| o != p && other.iso27001.primary.iter().any(|c| top.contains(&c)));
    if top.len() == 1 && !shared {
        Target::Prm(p)
    } else {
        Target::Keyword(p)
    }
}

/// Teach the normaliser the concept terms of every language.
///
/// Concept terms in every language are read as the canonical English words the phrases use, so
/// one set of names serves all languages.
fn learn_concept_terms(normalizer: &mut Normalizer, concepts: &Concepts) {
    let concept_terms: Vec<(&str, Vec<&str>)> = concepts
        .concepts
        .iter()
        .map(|c| {
            let terms: Vec<&str> = c.terms.values().flatten().map(String::as_str).collect();
            (c.canonical.as_str(), terms)
        })
        .collect();
    for (_, terms) in &concept_terms {
        for term in terms {
            normalizer.learn(term);
        }
    }
    normalizer.learn_concepts(&concept_terms);
}

/// The targets that use each token, a PRM process with all its names counting once.
type DocumentFrequency = HashMap<String, std::collections::BTreeSet<Target>>;

/// The raw phrases as tokenised [`Phrase`]s (weight and anchor still unset), and the document
/// frequency of their tokens.
fn tokenise(
    raw: Vec<(Target, String)>,
    normalizer: &Normalizer,
) -> (Vec<Phrase>, DocumentFrequency) {
    // Document frequency over targets (a PRM process with all its names counts once), so
    // words that name many things ("management", "security") weigh little.
    let mut df: DocumentFrequency = HashMap::default();
    let mut phrases = Vec::with_capacity(raw.len());
    // Tokenising the few thousand reference terms is most of building the index; the
    // terms are independent, and an indexed collect keeps their order.
    let tokenised: Vec<Vec<String>> = {
        use rayon::prelude::*;
        raw.par_iter()
            .map(|(_, text)| normalizer.tokens(text))
            .collect()
    };
    for ((target, text), tokens) in raw.into_iter().zip(tokenised) {
        if tokens.is_empty() {
            continue;
        }
        // A several-word term reduced to one word by the stop list ("operating
        // procedures" -> "operat") would match far too much.
        let shrunk = tokens.len() == 1 && text.trim().contains(char::is_whitespace);
        if shrunk && matches!(target, Target::Keyword(_) | Target::Activity(..)) {
            continue;
        }
        let group = match target {
            Target::Keyword(p) | Target::Activity(p, _) => Target::Prm(p),
            other => other,
        };
        for token in &tokens {
            df.entry(token.clone()).or_default().insert(group);
        }
        phrases.push(phrase(target, text, tokens));
    }
    (phrases, df)
}

/// A phrase of non-empty tokens, weight and anchor still unset.
fn phrase(target: Target, text: String, tokens: Vec<String>) -> Phrase {
    let is_code = tokens.len() == 1
        && (tokens[0].bytes().any(|b| b.is_ascii_digit() || b == b'.')
            || (text.len() <= 5 && text.chars().filter(|c| c.is_uppercase()).count() >= 2));
    let needs_catalogue = tokens
        .iter()
        .all(|t| t.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
    Phrase {
        target,
        text,
        tokens,
        weight: 0.0,
        is_code,
        anchor: 0,
        needs_catalogue,
    }
}

/// Token weights and the phrase index, from the document frequency.
struct Weights {
    idf: HashMap<String, f64>,
    unknown_weight: f64,
    postings: HashMap<String, Vec<u32>>,
}

/// Weigh the tokens by inverse document frequency, give each phrase its weight and anchor, and
/// index the phrases by token.
fn weigh(df: DocumentFrequency, phrases: &mut [Phrase]) -> Weights {
    let targets = {
        let mut all = std::collections::BTreeSet::new();
        for set in df.values() {
            all.extend(set.iter().copied());
        }
        all.len().max(1) as f64
    };
    let idf: HashMap<String, f64> = df
        .into_iter()
        .map(|(token, set)| (token, (1.0 + targets / set.len() as f64).ln()))
        .collect();
    let unknown_weight = (1.0 + targets / 3.0).ln();
    let mut postings: HashMap<String, Vec<u32>> = HashMap::default();
    for (i, phrase) in phrases.iter_mut().enumerate() {
        phrase.weight = phrase
            .tokens
            .iter()
            .map(|t| idf.get(t).copied().unwrap_or(unknown_weight))
            .sum();
        phrase.anchor = phrase
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (idf.get(t).copied().unwrap_or(unknown_weight), i))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
            .map_or(0, |(_, i)| i);
        for token in &phrase.tokens {
            let list = postings.entry(token.clone()).or_default();
            if list.last() != Some(&(i as u32)) {
                list.push(i as u32);
            }
        }
    }
    Weights {
        idf,
        unknown_weight,
        postings,
    }
}

/// The phrases of each activity of each PRM process.
fn activity_phrases(model: &Model, phrases: &[Phrase]) -> Vec<Vec<Vec<u32>>> {
    let mut activity_phrases: Vec<Vec<Vec<u32>>> = model
        .processes
        .iter()
        .map(|p| vec![Vec::new(); p.activities.len()])
        .collect();
    for (i, phrase) in phrases.iter().enumerate() {
        if let Target::Activity(p, a) = phrase.target {
            activity_phrases[p][a].push(i as u32);
        }
    }
    activity_phrases
}

/// The tokens of the canonical names of the concepts of one kind, sorted, without repeats.
fn concept_tokens(concepts: &Concepts, normalizer: &Normalizer, kind: ConceptKind) -> Vec<String> {
    let mut tokens: Vec<String> = concepts
        .concepts
        .iter()
        .filter(|c| c.kind == kind)
        .flat_map(|c| normalizer.tokens(&c.canonical))
        .collect();
    tokens.sort_unstable();
    tokens.dedup();
    tokens
}

/// The security qualifier's words in every language, folded, sorted, without repeats (see
/// [`Knowledge::security_words`]).
fn security_words(concepts: &Concepts) -> Vec<String> {
    let mut security_words: Vec<String> = concepts
        .concepts
        .iter()
        .filter(|c| c.canonical == "security")
        .flat_map(|c| {
            c.terms
                .values()
                .flatten()
                .chain(std::iter::once(&c.canonical))
        })
        .map(|t| crate::text::fold(t))
        .filter(|t| t.len() >= 5 && !t.contains(' '))
        .collect();
    security_words.sort_unstable();
    security_words.dedup();
    security_words
}

/// The index of each id, the first should one repeat.
fn first_indices<'a>(ids: impl Iterator<Item = &'a String>) -> HashMap<String, usize> {
    let mut first: HashMap<String, usize> = HashMap::default();
    for (i, id) in ids.enumerate() {
        first.entry(id.clone()).or_insert(i);
    }
    first
}

/// The duplicate-detection cues of the concept lexicon, folded for matching.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CueSets {
    /// All languages' parallel cues, folded (see [`cue_text`]).
    pub parallel: Vec<String>,
    /// All languages' hand-over cues, folded.
    pub handover: Vec<String>,
    /// Distinct organisation-wide roles: PRM id, what the role is, folded terms.
    pub distinct: Vec<(String, String, Vec<String>)>,
    /// Name tokens of a body (committee, board, council) that directs rather than runs a job.
    pub body: Vec<String>,
    /// Name tokens of the notification action (a complementary step to the handling).
    pub notification: Vec<String>,
    /// Tokens of the quality qualifier (a QMS variant of a job).
    pub quality: Vec<String>,
}

impl CueSets {
    fn build(cues: &crate::model::Cues, normalizer: &crate::text::Normalizer) -> Self {
        let fold_all = |by_lang: &std::collections::BTreeMap<String, Vec<String>>| {
            let mut all: Vec<String> = by_lang.values().flatten().map(|c| cue(c)).collect();
            all.sort_unstable();
            all.dedup();
            all
        };
        CueSets {
            parallel: fold_all(&cues.parallel),
            handover: fold_all(&cues.handover),
            distinct: cues
                .distinct
                .iter()
                .map(|d| (d.prm.clone(), d.role.clone(), fold_all(&d.terms)))
                .collect(),
            body: normalizer.tokens("committee"),
            notification: normalizer.tokens("notification"),
            quality: normalizer.tokens("quality"),
        }
    }
}

/// Text folded for cue matching: lower case without accents, every run of other characters
/// one space, with a space before and after, so that a cue `" escalat"` matches at the start
/// of a word and `" erm "` only the whole word.
pub fn cue_text(text: &str) -> String {
    let folded = crate::text::fold(text);
    let mut out = String::with_capacity(folded.len() + 2);
    out.push(' ');
    for c in folded.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// A cue as matched against [`cue_text`]: a space before it, and one after it when it is to
/// match whole words only (written with a trailing space in the data).
fn cue(term: &str) -> String {
    let whole = term.ends_with(' ');
    let mut text = cue_text(term);
    if !whole {
        text.pop();
    }
    text
}

/// Whether folded text (from [`cue_text`]) holds one of the cues; the first that it holds.
pub fn find_cue<'c>(text: &str, cues: &'c [String]) -> Option<&'c str> {
    cues.iter()
        .find(|c| text.contains(c.as_str()))
        .map(String::as_str)
}
