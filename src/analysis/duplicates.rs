//! Duplicate processes: two or more active processes doing the job of one PRM process.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashSet};

use rayon::prelude::*;

use super::findings::{at_process, quote_ids};
use super::{Entry, Settings};
use crate::finding::Finding;
use crate::mapping::Knowledge;
use crate::register::Status;
use crate::rules::Code;

/// Words at least this heavy in the reference data say what a process is about.
const TELLING_WEIGHT: f64 = 2.3;

/// Largest group compared pair by pair; beyond it only names that share rare words are.
const PAIRWISE_LIMIT: usize = 400;
/// A word shared by more processes than this says nothing about two of them being alike.
const COMMON_WORD: usize = 50;

struct Member<'a> {
    entry: &'a Entry<'a>,
    score: f64,
    covers: bool,
    security: bool,
    /// Name words without the security qualifiers, as sorted word ids.
    core: Vec<u32>,
    /// Name words as sorted word ids.
    name: Vec<u32>,
}

pub(super) fn find(
    entries: &[Entry<'_>],
    knowledge: &Knowledge,
    settings: &Settings,
    findings: &mut Vec<Finding>,
) {
    let qualifiers: HashSet<&str> = knowledge
        .security_qualifiers
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    // Names are tokenised on all cores; the indexed `collect` keeps register order.
    let candidates: Vec<Option<Candidate<'_>>> = entries
        .par_iter()
        .map(|entry| candidate(entry, knowledge, settings))
        .collect();
    // Words become ids once, so the many pair comparisons below compare integers, not strings.
    let mut ids: HashMap<String, u32> = HashMap::default();
    let mut telling: Vec<bool> = Vec::new();
    let mut groups: BTreeMap<usize, Vec<Member<'_>>> = BTreeMap::new();
    for candidate in candidates.into_iter().flatten() {
        let mut name = Vec::with_capacity(candidate.words.len());
        let mut core = Vec::with_capacity(candidate.words.len());
        for word in candidate.words {
            let qualifier = qualifiers.contains(word.as_str());
            let id = match ids.get(word.as_str()) {
                Some(&id) => id,
                None => {
                    let id = telling.len() as u32;
                    telling.push(knowledge.weight(&word) >= TELLING_WEIGHT);
                    ids.insert(word, id);
                    id
                }
            };
            name.push(id);
            if !qualifier {
                core.push(id);
            }
        }
        name.sort_unstable();
        core.sort_unstable();
        groups.entry(candidate.prm).or_default().push(Member {
            entry: candidate.entry,
            score: candidate.score,
            covers: candidate.covers,
            security: candidate.entry.mapping.security_specific,
            core,
            name,
        });
    }
    let parents: HashMap<(usize, &str), &str> = entries
        .iter()
        .filter_map(|e| {
            e.process
                .parent
                .as_deref()
                .map(|p| ((e.document.file, e.process.id.as_str()), p))
        })
        .collect();
    for (prm, members) in groups {
        // A sub-process of a process in the same group is part of it, not a second one.
        let ids: HashSet<(usize, &str)> = members
            .iter()
            .map(|m| (m.entry.document.file, m.entry.process.id.as_str()))
            .collect();
        let members: Vec<Member<'_>> = members
            .into_iter()
            .filter(|m| {
                m.entry
                    .process
                    .parent
                    .as_deref()
                    .is_none_or(|parent| !ids.contains(&(m.entry.document.file, parent)))
            })
            .collect();
        if members.len() < 2 {
            continue;
        }
        let related = |a: &Member<'_>, b: &Member<'_>| {
            a.entry.document.file == b.entry.document.file
                && (is_ancestor(&parents, a, b) || is_ancestor(&parents, b, a))
        };
        let mut sets = DisjointSets::new(members.len());
        for (i, j) in candidate_pairs(&members) {
            let (a, b) = (&members[i], &members[j]);
            // Cheapest tests first, and the hierarchy walk only for pairs that would join: large
            // registers compare many pairs.
            let both_cover = a.covers && b.covers;
            let twins = || a.security != b.security && jaccard(&a.core, &b.core) >= 0.5;
            // The parallel pattern without shared words: an organisation-wide process (ITSM
            // incidents, IT changes) strongly overlapping the PRM process, beside a
            // security-only process that covers it.
            let parallel = || {
                a.security != b.security
                    && a.score.min(b.score) >= 0.85
                    && [a, b].iter().any(|m| m.security && m.covers)
                    && [a, b].iter().any(|m| !m.security && !m.covers)
                    && a.core
                        .iter()
                        .any(|t| telling[*t as usize] && b.core.binary_search(t).is_ok())
            };
            let alike = || jaccard(&a.name, &b.name) >= 0.6;
            if (both_cover || twins() || alike() || parallel()) && !related(a, b) {
                sets.union(i, j);
            }
        }
        for group in sets.groups() {
            if group.len() < 2 {
                continue;
            }
            let group: Vec<&Member<'_>> = group.iter().map(|&i| &members[i]).collect();
            findings.push(report(&group, &knowledge.model.processes[prm].id));
        }
    }
}

/// An entry that may duplicate another, before its name words become ids.
struct Candidate<'a> {
    /// Index of the PRM process it does the job of.
    prm: usize,
    entry: &'a Entry<'a>,
    score: f64,
    covers: bool,
    /// Name words, sorted and without repeats.
    words: Vec<String>,
}

/// The entry as a duplicate candidate, when it is active, neither an umbrella nor a control
/// area, and mapped firmly enough.
fn candidate<'a>(
    entry: &'a Entry<'a>,
    knowledge: &Knowledge,
    settings: &Settings,
) -> Option<Candidate<'a>> {
    let result = entry.mapping;
    if entry.process.status != Status::Active || result.umbrella || result.control_area.is_some() {
        return None;
    }
    let best = result.best()?;
    if best.score < settings.duplicate_from {
        return None;
    }
    let prm = knowledge.prm_index(&best.prm)?;
    let mut name = knowledge.normalizer.tokens(&entry.process.name);
    name.sort();
    name.dedup();
    Some(Candidate {
        prm,
        entry,
        score: best.score,
        covers: best.relationship.covers(),
        words: name,
    })
}

/// Pairs worth comparing: all of them in small groups; in large ones, members that cover the
/// PRM process (chained) and members whose names share a word few others use.
fn candidate_pairs(members: &[Member<'_>]) -> Vec<(usize, usize)> {
    let n = members.len();
    if n <= PAIRWISE_LIMIT {
        return (0..n)
            .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
            .collect();
    }
    let mut pairs = Vec::new();
    let covering: Vec<usize> = (0..n).filter(|&i| members[i].covers).collect();
    for window in covering.windows(2) {
        pairs.push((window[0], window[1]));
    }
    let mut by_word: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, member) in members.iter().enumerate() {
        for &word in &member.core {
            by_word.entry(word).or_default().push(i);
        }
    }
    for list in by_word.values().filter(|l| l.len() <= COMMON_WORD) {
        for (x, &i) in list.iter().enumerate() {
            for &j in &list[x + 1..] {
                pairs.push((i, j));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

fn report(group: &[&Member<'_>], prm: &str) -> Finding {
    // The parallel pattern: keep the organisation-wide process and fold the security twin
    // into it, as ISO/IEC TS 27022 advises; otherwise keep the closest match.
    let generic = group.iter().filter(|m| !m.security).count();
    let parallel = generic > 0 && generic < group.len();
    let keep = group
        .iter()
        .filter(|m| !parallel || !m.security)
        .max_by(|a, b| {
            a.score
                .total_cmp(&b.score)
                .then_with(|| {
                    b.entry
                        .mapping
                        .best()
                        .map(|m| m.missing_activities.len())
                        .cmp(&a.entry.mapping.best().map(|m| m.missing_activities.len()))
                })
                .then_with(|| b.entry.process.index.cmp(&a.entry.process.index))
        })
        .copied()
        .unwrap_or(group[0]);
    let others: Vec<String> = group
        .iter()
        .filter(|m| m.entry.process.id != keep.entry.process.id)
        .map(|m| m.entry.process.id.clone())
        .collect();
    let names: Vec<String> = group
        .iter()
        .map(|m| format!("`{}` {}", m.entry.process.id, m.entry.process.name))
        .collect();
    let help = if parallel {
        format!(
            "keep `{}`, the organisation-wide process, and move the security activities of {} into it: ISO/IEC TS 27022 advises adapting existing processes rather than running parallel ISMS ones",
            keep.entry.process.id,
            quote_ids(&others)
        )
    } else {
        format!(
            "keep `{}` (closest to the PRM process, score {:.2}) and fold {} into it, or split their scope explicitly",
            keep.entry.process.id,
            keep.score,
            quote_ids(&others)
        )
    };
    let kind = if parallel {
        " (an organisation-wide process beside a security-only one)"
    } else {
        ""
    };
    let first = group
        .iter()
        .min_by_key(|m| (m.entry.document.file, m.entry.process.index))
        .copied()
        .unwrap_or(group[0]);
    let mut ids: Vec<(usize, usize, String)> = group
        .iter()
        .map(|m| {
            (
                m.entry.document.file,
                m.entry.process.index,
                m.entry.process.id.clone(),
            )
        })
        .collect();
    ids.sort();
    at_process(
        Finding::new(
            Code::DuplicateProcess,
            format!(
                "{} processes do the job of `{prm}`{kind}: {}",
                group.len(),
                names.join(", ")
            ),
        ),
        first.entry,
    )
    .help(help)
    .processes(ids.into_iter().map(|(_, _, id)| id))
    .prm(prm)
}

fn is_ancestor(
    parents: &HashMap<(usize, &str), &str>,
    ancestor: &Member<'_>,
    of: &Member<'_>,
) -> bool {
    let file = of.entry.document.file;
    let mut current = of.entry.process.id.as_str();
    // Bounded walk: hierarchies are shallow, and cycles are reported by the hygiene rules.
    for _ in 0..64 {
        match parents.get(&(file, current)) {
            Some(&parent) if parent == ancestor.entry.process.id => return true,
            Some(&parent) => current = parent,
            None => return false,
        }
    }
    false
}

/// Jaccard similarity of two sorted sets of word ids.
fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

/// Union-find over member indices.
struct DisjointSets {
    parent: Vec<usize>,
}

impl DisjointSets {
    fn new(n: usize) -> Self {
        DisjointSets {
            parent: (0..n).collect(),
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            // The smaller index becomes the root, so groups come out in register order.
            let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[high] = low;
        }
    }

    /// Members of each set, sets ordered by their first member.
    fn groups(&mut self) -> Vec<Vec<usize>> {
        let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..self.parent.len() {
            let root = self.root(i);
            by_root.entry(root).or_default().push(i);
        }
        by_root.into_values().collect()
    }
}
