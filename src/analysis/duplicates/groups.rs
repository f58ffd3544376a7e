//! Which pairs of processes on one PRM process are compared, and how pairs that do one job
//! form groups.

use std::collections::BTreeMap;

use super::{COMMON_WORD, Member, PAIRWISE_LIMIT};
use crate::i18n::Message;

/// Pairs worth comparing: all of them in small groups; in large ones, members that cover the
/// PRM process (chained) and members whose names share a word few others use.
pub(super) fn candidate_pairs(members: &[Member<'_>]) -> Vec<(usize, usize)> {
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

/// Groups in which every two members do one job in parallel (complete linkage), so that a
/// chain of weak likenesses never joins two unrelated processes. The best-evidenced pairs
/// are taken first (most signals, then the members' own order, which is by file, id and
/// name): a process that pairs with two others that do not pair with each other joins the
/// one with more evidence, whatever the order of the register.
pub(super) fn cliques(n: usize, pairs: &BTreeMap<(usize, usize), Vec<Message>>) -> Vec<Vec<usize>> {
    let linked = |i: usize, j: usize| pairs.contains_key(&(i.min(j), i.max(j)));
    let mut strongest: Vec<(usize, usize, usize)> = pairs
        .iter()
        .map(|(&(i, j), signals)| (signals.len(), i, j))
        .collect();
    strongest.sort_by(|a, b| b.0.cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    let mut group_of: Vec<Option<usize>> = vec![None; n];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (_, i, j) in strongest {
        match (group_of[i], group_of[j]) {
            (None, None) => {
                group_of[i] = Some(groups.len());
                group_of[j] = Some(groups.len());
                groups.push(vec![i, j]);
            }
            (Some(g), None) | (None, Some(g)) => {
                let newcomer = if group_of[i].is_none() { i } else { j };
                if groups[g].iter().all(|&m| linked(newcomer, m)) {
                    group_of[newcomer] = Some(g);
                    groups[g].push(newcomer);
                }
            }
            (Some(_), Some(_)) => {}
        }
    }
    for group in &mut groups {
        group.sort_unstable();
    }
    groups.sort();
    groups
}
