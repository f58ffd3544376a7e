//! "Did you mean": the one way prmlint picks a suggestion for a misspelt name (a property, a
//! rule code, a PRM id, a process id, a column, a sheet).

/// The known name closest to a misspelt one, if it is close enough to be a likely typo:
/// Jaro-Winkler similarity of at least 0.8, ignoring case on both sides. Of equally close
/// names the smallest is taken, so the order of `known` never matters.
pub fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(&lower, &k.to_lowercase()), *k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn a_typo_finds_the_name_it_misspells() {
        let known = ["owner", "description", "activities"];
        assert_eq!(closest("ownr", &known), Some("owner"));
        assert_eq!(closest("Descripton", &known), Some("description"));
        assert_eq!(closest("maturity", &known), None);
    }

    #[test]
    fn of_equally_close_names_the_smallest_wins_whatever_the_order() {
        let ids = ["ISMS-12", "ISMS-11", "ISMS-10"];
        assert_eq!(closest("ISMS-1", &ids), Some("ISMS-10"));
        let mut reversed = ids;
        reversed.reverse();
        assert_eq!(closest("ISMS-1", &reversed), Some("ISMS-10"));
    }

    #[test]
    fn case_does_not_matter_on_either_side() {
        assert_eq!(
            closest("sp-rel-1", &["SP-REL-01", "HR-02"]),
            Some("SP-REL-01")
        );
    }
}
