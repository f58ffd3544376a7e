//! What a pair of processes on one PRM process is: a legitimate split, two processes doing
//! one job (with the signals that show it), or unrelated.

use foldhash::HashMap;

use super::{Member, SHARED_ACTIVITIES};
use crate::i18n::{Arg, Message};

/// What a pair of processes on the same PRM process is.
pub(super) enum Verdict {
    /// Two processes doing one job, with the signals that say so.
    Parallel(Vec<Message>),
    /// A legitimate split, and why.
    Split(Message),
    /// Nothing shows they do the same work.
    Unrelated,
}

/// Whether two processes on the same PRM process do one job in parallel.
pub(super) fn judge(
    a: &Member<'_>,
    b: &Member<'_>,
    parents: &HashMap<(usize, &str), &str>,
    telling: &[bool],
    activities: &[(&str, &str)],
) -> Verdict {
    let same_file = a.entry.document.file == b.entry.document.file;
    if let Some(why) = complementary(a, b, parents, same_file) {
        return Verdict::Split(why);
    }
    let parallel_cue = [a, b]
        .into_iter()
        .find_map(|m| m.parallel.as_deref().map(|c| (m, c)));
    let handover = [a, b].iter().find_map(|m| m.handover.as_deref());
    if let (None, Some(cue)) = (parallel_cue, handover) {
        return Verdict::Split(crate::msg!("duplicate.split-handover", cue = cue.trim()));
    }
    let mut why = Vec::new();
    let shared_words = a
        .core
        .iter()
        .filter(|t| telling[**t as usize] && b.core.binary_search(t).is_ok())
        .count();
    let shared: Vec<&(&str, &str)> = activities
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < 64 && (a.shown & b.shown) & (1 << i) != 0)
        .map(|(_, activity)| activity)
        .collect();
    let both_cover = a.covers && b.covers;
    // A security process beside an organisation-wide one on the same PRM process is the
    // pattern ISO/IEC TS 27022 warns of, whatever their names.
    let variant = a.security != b.security;
    // A cue that a process runs beside another says which other only with a second signal.
    if shared_words == 0 && shared.len() < SHARED_ACTIVITIES && !both_cover && !variant {
        return Verdict::Unrelated;
    }
    if shared_words > 0 {
        why.push(crate::msg!("duplicate.same-name"));
    }
    if !shared.is_empty() {
        why.push(crate::msg!(
            "duplicate.same-activities",
            activities = Arg::Activities(
                shared
                    .iter()
                    .map(|(id, text)| ((*id).to_owned(), (*text).to_owned()))
                    .collect()
            )
        ));
    }
    if both_cover {
        why.push(crate::msg!("duplicate.both-cover"));
    }
    if let Some((m, cue)) = parallel_cue {
        why.push(crate::msg!(
            "duplicate.runs-beside",
            id = m.id(),
            cue = cue.trim()
        ));
    }
    if variant {
        why.push(variant_signal(a, b));
    }
    if !same_file {
        why.push(crate::msg!("duplicate.other-register"));
    }
    Verdict::Parallel(why)
}

/// Why two processes on the same PRM process are a legitimate split (other than a hand-over):
/// one is part of the other, or they do complementary jobs.
fn complementary(
    a: &Member<'_>,
    b: &Member<'_>,
    parents: &HashMap<(usize, &str), &str>,
    same_file: bool,
) -> Option<Message> {
    if same_file && (is_ancestor(parents, a, b) || is_ancestor(parents, b, a)) {
        return Some(crate::msg!("duplicate.split-child"));
    }
    // A function with its own mandate beside the process, a body beside the process it
    // steers, a notification step beside the handling: complementary, not parallel.
    if let Some(role) = a.role.xor(b.role) {
        let role = Arg::Term {
            key: crate::i18n::role_key(role),
            text: role.to_owned(),
        };
        return Some(Message::new("duplicate.split-role", vec![("role", role)]));
    }
    if a.body != b.body {
        return Some(crate::msg!("duplicate.split-body"));
    }
    if a.notifies != b.notifies {
        return Some(crate::msg!("duplicate.split-notification"));
    }
    None
}

/// The signal of a security process beside an organisation-wide (or quality) one.
fn variant_signal(a: &Member<'_>, b: &Member<'_>) -> Message {
    let (security, generic) = if a.security { (a, b) } else { (b, a) };
    if generic.quality {
        crate::msg!(
            "duplicate.quality-variant",
            generic = generic.id(),
            security = security.id()
        )
    } else {
        crate::msg!(
            "duplicate.wide-variant",
            generic = generic.id(),
            security = security.id()
        )
    }
}

/// Whether `ancestor` is a parent, or a parent's parent and so on, of `of` (in its file).
fn is_ancestor(
    parents: &HashMap<(usize, &str), &str>,
    ancestor: &Member<'_>,
    of: &Member<'_>,
) -> bool {
    let file = of.entry.document.file;
    let mut current = of.id();
    // Bounded walk: hierarchies are shallow, and cycles are reported by the hygiene rules.
    for _ in 0..64 {
        match parents.get(&(file, current)) {
            Some(&parent) if parent == ancestor.id() => return true,
            Some(&parent) => current = parent,
            None => return false,
        }
    }
    false
}
