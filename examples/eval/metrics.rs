//! Scoring the mapping engine against labelled data: the older `fixtures/eval/` set and the
//! cold corpus in `fixtures/corpus/` (names in seven languages, whole registers). Shared by
//! the `eval` example (which prints the figures) and `tests/suite/eval.rs` (which pins floors).

use std::collections::{BTreeMap, BTreeSet};

use prmlint::analysis::{self, Settings};
use prmlint::load::{InputFormat, Limits, load_path};
use prmlint::mapping::{Knowledge, Mapper, ProcessMapping, Thresholds};
use prmlint::source::register::Status;
use serde_json::Value;

/// What one case expects and what the engine said.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: String,
    pub name: String,
    pub lang: String,
    /// `dev`, `test`, or `-` for sets without a split.
    pub split: String,
    pub expected: Option<String>,
    pub expected_relationship: Option<String>,
    pub expected_area: Option<String>,
    pub expected_umbrella: bool,
    pub also: Vec<String>,
    /// `null` is in `x-also`: no mapping is defensible too.
    pub none_also: bool,
    pub got: Option<String>,
    pub got_relationship: Option<String>,
    pub got_area: Option<String>,
    pub umbrella: bool,
}

impl Case {
    /// The class of the expectation: a PRM process, an umbrella, a control area or a plain
    /// business process.
    pub fn class(&self) -> &'static str {
        match (&self.expected, &self.expected_area) {
            _ if self.expected_umbrella => "umbrella",
            (Some(_), _) => "prm",
            (None, Some(_)) => "control-area",
            (None, None) => "no-isms",
        }
    }

    pub fn correct(&self) -> bool {
        self.got == self.expected
    }
}

/// Figures of a set of cases.
#[derive(Debug, Default)]
pub struct Figures {
    pub cases: usize,
    pub top1: f64,
    pub top1_lenient: f64,
    pub none_precision: f64,
    pub none_recall: f64,
    /// Exact relationship, of correct top-1 with a PRM label.
    pub relationship: f64,
    /// Covers (equal/superset) against partial (subset/intersects), of correct top-1 with a
    /// PRM label: what decides covered against adaptable.
    pub relationship_class: f64,
    pub control_area: f64,
    pub by_lang: BTreeMap<String, (usize, usize)>,
    pub by_class: BTreeMap<String, (usize, usize)>,
    pub confusion: BTreeMap<(String, String), usize>,
}

/// What a register's labels say beyond its processes, and what the engine found.
#[derive(Debug, Default)]
pub struct RegisterScore {
    pub file: String,
    pub split: String,
    /// Per PRM process: (expected status, status the engine gave).
    pub coverage: Vec<(String, String, String)>,
    /// Duplicate pairs the labels give, and the pairs the engine reported.
    pub true_pairs: BTreeSet<(String, String)>,
    pub found_pairs: BTreeSet<(String, String)>,
}

impl RegisterScore {
    pub fn coverage_agreement(&self) -> (usize, usize) {
        let ok = self.coverage.iter().filter(|(_, e, g)| e == g).count();
        (ok, self.coverage.len())
    }

    /// (true positives, false positives, false negatives) of `missing`.
    pub fn missing_counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for (_, expected, got) in &self.coverage {
            match (expected == "missing", got == "missing") {
                (true, true) => counts.0 += 1,
                (false, true) => counts.1 += 1,
                (true, false) => counts.2 += 1,
                (false, false) => {}
            }
        }
        counts
    }

    pub fn duplicate_counts(&self) -> (usize, usize, usize) {
        let correct = self.true_pairs.intersection(&self.found_pairs).count();
        (
            correct,
            self.found_pairs.len() - correct,
            self.true_pairs.len() - correct,
        )
    }
}

pub fn f1((tp, fp, fn_): (usize, usize, usize)) -> f64 {
    if tp == 0 {
        return if fp == 0 && fn_ == 0 { 1.0 } else { 0.0 };
    }
    let precision = tp as f64 / (tp + fp) as f64;
    let recall = tp as f64 / (tp + fn_) as f64;
    2.0 * precision * recall / (precision + recall)
}

fn label(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_owned)
}

/// Every pair of a group, each ordered.
fn pairs<'a>(ids: impl IntoIterator<Item = &'a str>) -> BTreeSet<(String, String)> {
    let ids: Vec<&str> = ids.into_iter().collect();
    let mut out = BTreeSet::new();
    for (i, a) in ids.iter().enumerate() {
        for b in &ids[i + 1..] {
            let (x, y) = if a <= b { (a, b) } else { (b, a) };
            out.insert(((*x).to_owned(), (*y).to_owned()));
        }
    }
    out
}

/// Map one labelled file; for a register with `x-truth`, also analyse it and score coverage
/// and duplicates.
pub fn score_file(
    path: &str,
    knowledge: &Knowledge,
) -> Result<(Vec<Case>, Option<RegisterScore>), String> {
    let mapper = Mapper::new(knowledge, Thresholds::default());
    let loaded = load_path(0, path, InputFormat::Json, &Limits::default());
    if !loaded.findings.is_empty() {
        return Err(format!(
            "{path} does not load cleanly: {:?}",
            loaded.findings
        ));
    }
    let raw: Value =
        serde_json::from_str(&loaded.document.source.text).map_err(|e| e.to_string())?;
    let labels = raw["processes"].as_array().cloned().unwrap_or_default();
    let file_split = label(raw["x-corpus"].get("split"));
    let results: Vec<ProcessMapping> = loaded
        .document
        .register
        .processes
        .iter()
        .map(|p| mapper.map(p))
        .collect();
    let mut cases = Vec::new();
    for ((process, raw), result) in loaded
        .document
        .register
        .processes
        .iter()
        .zip(labels)
        .zip(&results)
    {
        let expect = &raw["x-expect"];
        let also = raw["x-also"].as_array().cloned().unwrap_or_default();
        cases.push(Case {
            id: process.id.clone(),
            name: process.name.clone(),
            lang: label(raw.get("x-lang")).unwrap_or_else(|| "?".into()),
            split: label(raw.get("x-split"))
                .or_else(|| file_split.clone())
                .unwrap_or_else(|| "-".into()),
            expected: label(expect.get("prm")),
            expected_relationship: label(expect.get("relationship")),
            expected_area: label(expect.get("control_area")),
            expected_umbrella: expect.get("umbrella").and_then(Value::as_bool) == Some(true),
            also: also
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            none_also: also.iter().any(Value::is_null),
            got: result.best().map(|m| m.prm.clone()),
            got_relationship: result.best().map(|m| m.relationship.as_str().to_owned()),
            got_area: result.control_area.clone(),
            umbrella: result.umbrella,
        });
    }
    let Some(truth) = raw.get("x-truth") else {
        return Ok((cases, None));
    };
    let documents = vec![loaded.document];
    let analysed = analysis::analyse(
        &documents,
        std::slice::from_ref(&results),
        knowledge,
        &Settings::default(),
    );
    let mut score = RegisterScore {
        file: path.to_owned(),
        split: file_split.unwrap_or_else(|| "-".into()),
        ..RegisterScore::default()
    };
    for coverage in &analysed.coverage {
        let expected = truth["coverage"][&coverage.prm]
            .as_str()
            .unwrap_or("?")
            .to_owned();
        score.coverage.push((
            coverage.prm.clone(),
            expected,
            coverage.status.as_str().to_owned(),
        ));
    }
    for group in truth["duplicates"].as_array().into_iter().flatten() {
        let ids = group["ids"].as_array().into_iter().flatten();
        score
            .true_pairs
            .extend(pairs(ids.filter_map(Value::as_str)));
    }
    for finding in &analysed.findings {
        if finding.code.as_str() == "duplicate-process" {
            score
                .found_pairs
                .extend(pairs(finding.processes.iter().map(String::as_str)));
        }
    }
    // Only active processes can be duplicates in the labels' sense.
    let active: BTreeSet<&str> = documents[0]
        .register
        .processes
        .iter()
        .filter(|p| p.status == Status::Active)
        .map(|p| p.id.as_str())
        .collect();
    score
        .found_pairs
        .retain(|(a, b)| active.contains(a.as_str()) && active.contains(b.as_str()));
    Ok((cases, Some(score)))
}

/// The figures of some cases.
pub fn figures<'c>(cases: impl IntoIterator<Item = &'c Case>) -> Figures {
    let cases: Vec<&Case> = cases.into_iter().collect();
    let n = cases.len().max(1) as f64;
    let mut figures = Figures {
        cases: cases.len(),
        ..Figures::default()
    };
    let mut top1 = 0;
    let mut lenient = 0;
    let (mut none_tp, mut none_fp, mut none_fn) = (0, 0, 0);
    let (mut rel_ok, mut class_ok, mut rel_n) = (0, 0, 0);
    let (mut area_ok, mut area_n) = (0, 0);
    for case in &cases {
        let correct = case.correct();
        top1 += usize::from(correct);
        if correct
            || case.got.as_ref().is_some_and(|g| case.also.contains(g))
            || (case.got.is_none() && case.none_also)
        {
            lenient += 1;
        }
        for (key, map) in [
            (case.lang.clone(), &mut figures.by_lang),
            (case.class().to_owned(), &mut figures.by_class),
        ] {
            let entry = map.entry(key).or_default();
            entry.0 += usize::from(correct);
            entry.1 += 1;
        }
        match (&case.expected, &case.got) {
            (None, None) => none_tp += 1,
            (Some(_), None) => none_fp += 1,
            (None, Some(_)) => none_fn += 1,
            _ => {}
        }
        if correct && case.expected.is_some() {
            rel_n += 1;
            rel_ok += usize::from(case.got_relationship == case.expected_relationship);
            let covers = |r: &Option<String>| matches!(r.as_deref(), Some("equal" | "superset"));
            class_ok +=
                usize::from(covers(&case.got_relationship) == covers(&case.expected_relationship));
        }
        if case.expected_area.is_some() {
            area_n += 1;
            area_ok += usize::from(case.got_area == case.expected_area);
        }
        if !correct {
            let key = (
                case.expected.clone().unwrap_or_else(|| "none".into()),
                case.got.clone().unwrap_or_else(|| "none".into()),
            );
            *figures.confusion.entry(key).or_default() += 1;
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    figures.top1 = top1 as f64 / n;
    figures.top1_lenient = lenient as f64 / n;
    figures.none_precision = ratio(none_tp, none_tp + none_fp);
    figures.none_recall = ratio(none_tp, none_tp + none_fn);
    figures.relationship = ratio(rel_ok, rel_n);
    figures.relationship_class = ratio(class_ok, rel_n);
    figures.control_area = ratio(area_ok, area_n);
    figures
}

/// Map and score one labelled file with the embedded reference data.
pub fn run(path: &str) -> Result<(Vec<Case>, Figures), String> {
    let knowledge = prmlint::load::reference::embedded_knowledge()?;
    let (cases, _) = score_file(path, &knowledge)?;
    let figures = figures(&cases);
    Ok((cases, figures))
}
