//! The finding of a duplicate group and its advice.

use super::Member;
use crate::analysis::findings::{at_process, quote_ids};
use crate::diag::finding::Finding;
use crate::diag::rules::Code;
use crate::i18n::{Arg, Message};

/// The finding of one duplicate group: who runs the twins and where, which one to keep and
/// why they are twins.
pub(super) fn report(group: &[&Member<'_>], prm: &str, mut why: Vec<Message>) -> Finding {
    who_runs(group, &mut why);
    // The parallel pattern: keep the organisation-wide process and fold the security twin
    // into it, as ISO/IEC TS 27022 advises; otherwise keep the closest match.
    let generic = group.iter().filter(|m| !m.security).count();
    let parallel = generic > 0 && generic < group.len();
    let keep = keeper(group, parallel);
    let others: Vec<String> = group
        .iter()
        .filter(|m| m.id() != keep.id())
        .map(|m| m.id().to_owned())
        .collect();
    let names: Vec<String> = group
        .iter()
        .map(|m| format!("`{}` {}", m.id(), m.entry.process.name))
        .collect();
    let quality = parallel && group.iter().any(|m| !m.security && m.quality);
    let help = if parallel {
        crate::msg!(
            "duplicate.help-keep-wide",
            keep = keep.id(),
            others = quote_ids(&others)
        )
    } else {
        crate::msg!(
            "duplicate.help-keep-closest",
            keep = keep.id(),
            score = keep.score,
            others = quote_ids(&others)
        )
    };
    let kind: Arg = if quality {
        crate::msg!("duplicate.kind-quality").into()
    } else if parallel {
        crate::msg!("duplicate.kind-wide").into()
    } else {
        Arg::from("")
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
                m.id().to_owned(),
            )
        })
        .collect();
    ids.sort();
    at_process(
        Finding::new(
            Code::DuplicateProcess,
            crate::msg!(
                "duplicate.message",
                n = group.len(),
                prm = prm,
                kind = kind,
                processes = names.join(", ")
            ),
        ),
        first.entry,
    )
    .help(help)
    .processes(ids.into_iter().map(|(_, _, id)| id))
    .prm(prm)
    .evidence(why.into_iter().map(Into::into).collect())
}

/// Add to `why` who runs the twins and where, when they differ.
fn who_runs(group: &[&Member<'_>], why: &mut Vec<Message>) {
    // Who runs them and where: different owners or units are the mark of a parallel process
    // (after a merger, or an HR and a security team each running the job).
    for (different, values) in [
        (
            "duplicate.different-owners",
            group
                .iter()
                .filter_map(|m| m.entry.process.owner.as_deref())
                .collect::<Vec<_>>(),
        ),
        (
            "duplicate.different-units",
            group
                .iter()
                .filter_map(|m| m.entry.process.category.as_deref())
                .collect(),
        ),
    ] {
        let mut seen: Vec<&str> = Vec::new();
        for value in values.into_iter().map(str::trim) {
            if !seen.iter().any(|s| s.eq_ignore_ascii_case(value)) {
                seen.push(value);
            }
        }
        if seen.len() > 1 {
            why.push(Message::new(
                different,
                vec![("values", Arg::from(seen.join("; ")))],
            ));
        }
    }
}

/// The twin to keep: the best-scored (then fewest missing activities, then first in the
/// register), among the organisation-wide ones when the group is `parallel`.
fn keeper<'g, 'e>(group: &[&'g Member<'e>], parallel: bool) -> &'g Member<'e> {
    group
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
        .unwrap_or(group[0])
}
