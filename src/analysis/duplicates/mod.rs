//! Duplicate processes: two or more active processes doing the job of one PRM process in
//! parallel, told apart from legitimate splits (a procedure under its process, a notification
//! step beside the handling, a hand-over between two functions).
//!
//! Processes that land on the same PRM process are compared pair by pair. A pair is a
//! legitimate split when one is part of the other, when one is a function with its own mandate
//! (third-line audit, enterprise risk management, the IT service desk), when one is a body that
//! steers and the other the process it steers, when one only notifies, or when a description says
//! the work is handed over. Otherwise it is a parallel process when the evidence shows the same
//! job: the names read alike, both show the same PRM activities, a description says it runs
//! alongside, or both fully cover the PRM process. Each finding lists the signals that made it.

use std::collections::{BTreeMap, BTreeSet};

use foldhash::{HashMap, HashSet};

use rayon::prelude::*;

use super::{Entry, Settings};
use crate::diag::finding::Finding;
use crate::i18n::Message;
use crate::mapping::{Knowledge, cue_text, find_cue};
use crate::source::register::Status;

mod groups;
mod judge;
mod report;

use groups::{candidate_pairs, cliques};
use judge::{Verdict, judge};
use report::report;

/// Words at least this heavy in the reference data say what a process is about.
const TELLING_WEIGHT: f64 = 2.3;

/// Largest group compared pair by pair; beyond it only names that share rare words are.
const PAIRWISE_LIMIT: usize = 400;
/// A word shared by more processes than this says nothing about two of them being alike.
const COMMON_WORD: usize = 50;
/// Shared PRM activities that show two processes do the same work.
const SHARED_ACTIVITIES: usize = 2;

struct Member<'a> {
    entry: &'a Entry<'a>,
    score: f64,
    covers: bool,
    security: bool,
    /// Name words without qualifiers and actions, as sorted word ids: what the name is about.
    core: Vec<u32>,
    /// Bit `i` set when the process shows activity `i` of the PRM process.
    shown: u64,
    /// The cue in the name or description that the process runs beside another, if any.
    parallel: Option<String>,
    /// The cue that the work is handed over to or from another process, if any.
    handover: Option<String>,
    /// The distinct organisation-wide role the name says the process is.
    role: Option<&'a str>,
    /// The name says a body (committee, board) rather than a job.
    body: bool,
    /// The name says the process notifies (a step beside the handling).
    notifies: bool,
    /// The name or description says quality management.
    quality: bool,
}

impl Member<'_> {
    fn id(&self) -> &str {
        &self.entry.process.id
    }
}

/// `duplicate-process`: the groups of active processes that do the job of one PRM process in
/// parallel, each with the signals that show it and the legitimate splits left out of it.
pub(super) fn find(
    entries: &[Entry<'_>],
    knowledge: &Knowledge,
    settings: &Settings,
    findings: &mut Vec<Finding>,
) {
    let (groups, telling) = members_by_prm(entries, knowledge, settings);
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
        let members = without_sub_processes(members);
        if members.len() < 2 {
            continue;
        }
        let activities: Vec<(&str, &str)> = knowledge.model.processes[prm]
            .activities
            .iter()
            .map(|a| (a.id.as_str(), a.text.as_str()))
            .collect();
        let (signals, splits) = judge_pairs(&members, &parents, &telling, &activities);
        for group in cliques(members.len(), &signals) {
            let mut why = group_signals(&group, &signals);
            left_out(&group, &members, &splits, &mut why);
            let group: Vec<&Member<'_>> = group.iter().map(|&i| &members[i]).collect();
            findings.push(report(&group, &knowledge.model.processes[prm].id, why));
        }
    }
}

/// The duplicate candidates among the entries as members, grouped by the index of the PRM
/// process they land on; and for each word id, whether the word is telling.
fn members_by_prm<'a>(
    entries: &'a [Entry<'a>],
    knowledge: &'a Knowledge,
    settings: &Settings,
) -> (BTreeMap<usize, Vec<Member<'a>>>, Vec<bool>) {
    // Names and descriptions are read on all cores; the indexed `collect` keeps register order.
    let candidates: Vec<Option<Candidate<'_>>> = entries
        .par_iter()
        .map(|entry| candidate(entry, knowledge, settings))
        .collect();
    // Words become ids once, so the many pair comparisons below compare integers, not strings.
    let mut ids: HashMap<String, u32> = HashMap::default();
    let mut telling: Vec<bool> = Vec::new();
    let mut groups: BTreeMap<usize, Vec<Member<'_>>> = BTreeMap::new();
    for candidate in candidates.into_iter().flatten() {
        let mut core = Vec::with_capacity(candidate.words.len());
        for word in &candidate.words {
            if knowledge.is_qualifier(word) || knowledge.is_action(word) {
                continue;
            }
            let id = match ids.get(word.as_str()) {
                Some(&id) => id,
                None => {
                    let id = telling.len() as u32;
                    telling.push(knowledge.weight(word) >= TELLING_WEIGHT);
                    ids.insert(word.clone(), id);
                    id
                }
            };
            core.push(id);
        }
        core.sort_unstable();
        core.dedup();
        groups.entry(candidate.prm).or_default().push(Member {
            entry: candidate.entry,
            score: candidate.score,
            covers: candidate.covers,
            security: candidate.entry.mapping.security_specific,
            core,
            shown: candidate.shown,
            // Once per process, not once per pair it is compared in.
            parallel: find_cue(&candidate.text, &knowledge.cues.parallel).map(str::to_owned),
            handover: find_cue(&candidate.text, &knowledge.cues.handover).map(str::to_owned),
            role: candidate.role,
            body: candidate.body,
            notifies: candidate.notifies,
            quality: candidate.quality,
        });
    }
    (groups, telling)
}

/// The members of one PRM process's group that are not sub-processes of another member, in
/// the order grouping breaks ties by.
fn without_sub_processes(members: Vec<Member<'_>>) -> Vec<Member<'_>> {
    // A sub-process of a process in the same group is part of it, not a second one.
    let in_group: HashSet<(usize, &str)> = members
        .iter()
        .map(|m| (m.entry.document.file, m.entry.process.id.as_str()))
        .collect();
    let mut members: Vec<Member<'_>> = members
        .into_iter()
        .filter(|m| {
            m.entry
                .process
                .parent
                .as_deref()
                .is_none_or(|parent| !in_group.contains(&(m.entry.document.file, parent)))
        })
        .collect();
    // Grouping breaks ties by this order of the processes' own (file, id, name), not the
    // register's: reordering a register never changes which processes are twins.
    members.sort_by(|a, b| {
        (a.entry.document.file, a.id(), &a.entry.process.name).cmp(&(
            b.entry.document.file,
            b.id(),
            &b.entry.process.name,
        ))
    });
    members
}

/// The signals of each pair judged parallel, and the reason of each pair judged a split.
type Judged = (
    BTreeMap<(usize, usize), Vec<Message>>,
    BTreeMap<(usize, usize), Message>,
);

/// Judge the candidate pairs of a group.
fn judge_pairs(
    members: &[Member<'_>],
    parents: &HashMap<(usize, &str), &str>,
    telling: &[bool],
    activities: &[(&str, &str)],
) -> Judged {
    let mut signals: BTreeMap<(usize, usize), Vec<Message>> = BTreeMap::new();
    let mut splits: BTreeMap<(usize, usize), Message> = BTreeMap::new();
    for (i, j) in candidate_pairs(members) {
        let (a, b) = (&members[i], &members[j]);
        match judge(a, b, parents, telling, activities) {
            Verdict::Parallel(why) => {
                signals.insert((i, j), why);
            }
            Verdict::Split(why) => {
                splits.insert((i, j), why);
            }
            Verdict::Unrelated => {}
        }
    }
    (signals, splits)
}

/// Add to `why` the members on the same PRM process left out of the group, and why: the reader
/// sees the legitimate splits beside the parallel ones.
fn left_out(
    group: &[usize],
    members: &[Member<'_>],
    splits: &BTreeMap<(usize, usize), Message>,
    why: &mut Vec<Message>,
) {
    let mut in_group = vec![false; members.len()];
    for &i in group {
        in_group[i] = true;
    }
    let mut left_out: BTreeSet<usize> = BTreeSet::new();
    for (&(i, j), reason) in splits {
        let outside = match (in_group[i], in_group[j]) {
            (true, false) => j,
            (false, true) => i,
            _ => continue,
        };
        if left_out.insert(outside) {
            why.push(crate::msg!(
                "duplicate.not-a-twin",
                id = members[outside].id(),
                reason = reason.clone()
            ));
        }
    }
}

/// The signals of every pair in a group, each once, in the order the pairs first show them.
/// A large group has many pairs: a signal already taken is found by its hash, not by
/// comparing it with every one before it.
fn group_signals(
    group: &[usize],
    signals: &BTreeMap<(usize, usize), Vec<Message>>,
) -> Vec<Message> {
    use std::hash::BuildHasher;
    let hasher = foldhash::fast::FixedState::default();
    let mut why: Vec<Message> = Vec::new();
    let mut seen: HashMap<u64, Vec<usize>> = HashMap::default();
    for (x, &i) in group.iter().enumerate() {
        for &j in &group[x + 1..] {
            for signal in signals.get(&(i, j)).into_iter().flatten() {
                let taken = seen.entry(hasher.hash_one(signal)).or_default();
                if !taken.iter().any(|&k| &why[k] == signal) {
                    taken.push(why.len());
                    why.push(signal.clone());
                }
            }
        }
    }
    why
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
    /// Bit `i` set when the process shows activity `i` of the PRM process.
    shown: u64,
    /// Name and description folded for cue matching.
    text: String,
    /// The distinct organisation-wide role the name says the process is.
    role: Option<&'a str>,
    /// The name says a body (committee, board).
    body: bool,
    /// The name says the process notifies.
    notifies: bool,
    /// The name or description says quality management.
    quality: bool,
}

/// The entry as a duplicate candidate, when it is active, neither an umbrella nor a control
/// area, and mapped firmly enough.
fn candidate<'a>(
    entry: &'a Entry<'a>,
    knowledge: &'a Knowledge,
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
    let missing: BTreeSet<&str> = best.missing_activities.iter().map(String::as_str).collect();
    let shown = knowledge.model.processes[prm]
        .activities
        .iter()
        .take(64)
        .enumerate()
        .filter(|(_, a)| !missing.contains(a.id.as_str()))
        .fold(0u64, |bits, (i, _)| bits | (1 << i));
    let process = entry.process;
    let description = process.description.as_deref().unwrap_or("");
    // A distinct role is one whatever PRM process the name landed on (enterprise risk
    // management read as governance is still not a twin of the management review).
    let name_text = cue_text(&process.name);
    let role = knowledge
        .cues
        .distinct
        .iter()
        .find(|(_, _, terms)| find_cue(&name_text, terms).is_some())
        .map(|(_, role, _)| role.as_str());
    let has = |tokens: &[String]| !tokens.is_empty() && tokens.iter().all(|t| name.contains(t));
    let quality_words = &knowledge.cues.quality;
    let quality = has(quality_words)
        || knowledge
            .normalizer
            .tokens(description)
            .iter()
            .any(|t| quality_words.contains(t));
    Some(Candidate {
        prm,
        entry,
        score: best.score,
        covers: best.relationship.covers(),
        shown,
        text: cue_text(&format!("{} {description}", process.name)),
        role,
        body: has(&knowledge.cues.body),
        notifies: has(&knowledge.cues.notification),
        quality,
        words: name,
    })
}
