//! Prints how well the mapping engine does on labelled data: per file, per split, per language
//! and per class of expectation, and for whole registers coverage status, missing processes
//! and duplicate pairs.
//!
//! ```text
//! cargo run --release --example eval                      # fixtures/eval and fixtures/corpus
//! cargo run --release --example eval -- FILE...           # those files only
//! cargo run --release --example eval -- --misses          # the dev split's misses, case by case
//! cargo run --release --example eval -- --relationships   # dev relationship misses
//! cargo run --release --example eval -- --coverage        # dev registers' coverage misses
//! ```
//!
//! Misses are never listed for the `test` split of the corpus: it is scored, not read.

use std::collections::BTreeMap;

#[allow(dead_code, reason = "tests/suite/eval.rs uses the rest")]
mod metrics;

use metrics::{Case, Figures, RegisterScore, f1};

/// The labelled files scored by default.
fn default_files() -> Vec<String> {
    let mut files = vec!["fixtures/eval/eval-set.json".to_owned()];
    for dir in ["fixtures/corpus/names", "fixtures/corpus/registers"] {
        let mut found: Vec<String> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| p.display().to_string())
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    let mut files: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .cloned()
        .collect();
    if files.is_empty() {
        files = default_files();
    }
    let knowledge = match prmlint::load::reference::embedded_knowledge() {
        Ok(k) => k,
        Err(e) => {
            eprintln!("eval: {e}");
            std::process::exit(2);
        }
    };
    let mut all: Vec<(String, Case)> = Vec::new();
    let mut registers: Vec<RegisterScore> = Vec::new();
    println!(
        "{:<40} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "file", "cases", "top1", "lenien", "noneP", "noneR", "rel", "relcls"
    );
    for file in &files {
        let (cases, register) = match metrics::score_file(file, &knowledge) {
            Ok(result) => result,
            Err(e) => {
                eprintln!("eval: {e}");
                std::process::exit(2);
            }
        };
        print_row(file, &metrics::figures(&cases));
        all.extend(cases.into_iter().map(|c| (file.clone(), c)));
        registers.extend(register);
    }

    let corpus = |split: &'static str| {
        move |(file, case): &&(String, Case)| {
            file.contains("fixtures/corpus/") && case.split == split
        }
    };
    for split in ["dev", "test"] {
        let cases: Vec<&Case> = all.iter().filter(corpus(split)).map(|(_, c)| c).collect();
        if cases.is_empty() {
            continue;
        }
        let figures = metrics::figures(cases.iter().copied());
        println!();
        println!("corpus, {split} split (names and register processes)");
        print_row("  all", &figures);
        print_breakdown("language", &figures.by_lang);
        print_breakdown("class", &figures.by_class);
        if split == "dev" {
            println!("  confusion (expected -> got: count), most frequent first:");
            let mut confusion: Vec<_> = figures.confusion.iter().collect();
            confusion.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            for ((expected, got), count) in confusion.iter().take(15) {
                println!("    {expected} -> {got}: {count}");
            }
        }
    }

    if !registers.is_empty() {
        println!();
        println!(
            "{:<52} {:>8} {:>9} {:>19} {:>6} {:>6} {:>6}",
            "register", "coverage", "missingF1", "dup found/ok of true", "P", "R", "F1"
        );
        let mut by_split: BTreeMap<&str, SplitTotals> = BTreeMap::new();
        for r in &registers {
            let (ok, n) = r.coverage_agreement();
            let missing = r.missing_counts();
            let dups = r.duplicate_counts();
            println!(
                "{:<52} {:>8.3} {:>9.3} {:>11}/{:<2} of {:<2} {:>6.3} {:>6.3} {:>6.3}",
                r.file,
                ok as f64 / n.max(1) as f64,
                f1(missing),
                r.found_pairs.len(),
                dups.0,
                r.true_pairs.len(),
                ratio(dups.0, dups.0 + dups.1),
                ratio(dups.0, dups.0 + dups.2),
                f1(dups)
            );
            let entry = by_split.entry(r.split.as_str()).or_default();
            entry.0 += ok;
            entry.1 += n;
            entry.2 = (
                entry.2.0 + missing.0,
                entry.2.1 + missing.1,
                entry.2.2 + missing.2,
            );
            entry.3.push(f1(dups));
            entry.4 = (entry.4.0 + dups.0, entry.4.1 + dups.1, entry.4.2 + dups.2);
        }
        for (split, (ok, n, missing, dup_f1, pairs)) in by_split {
            println!(
                "  {split} registers: coverage status {:.3}, missing-process F1 {:.3}, duplicate macro F1 {:.3}, pair precision {:.3}, pair recall {:.3}",
                ok as f64 / n.max(1) as f64,
                f1(missing),
                dup_f1.iter().sum::<f64>() / dup_f1.len().max(1) as f64,
                ratio(pairs.0, pairs.0 + pairs.1),
                ratio(pairs.0, pairs.0 + pairs.2),
            );
        }
    }

    let readable = |(file, case): &&(String, Case)| {
        !(file.contains("fixtures/corpus/") && case.split == "test")
    };
    if flag("--misses") {
        println!();
        println!("misses (dev and fixtures/eval only):");
        for (file, case) in all.iter().filter(readable).filter(|(_, c)| !c.correct()) {
            println!(
                "  {} {} {:?}: expected {:?}/{:?} area {:?}, got {:?}/{:?} area {:?}{}",
                short(file),
                case.id,
                case.name,
                case.expected,
                case.expected_relationship,
                case.expected_area,
                case.got,
                case.got_relationship,
                case.got_area,
                if case.umbrella { " umbrella" } else { "" }
            );
        }
    }
    if flag("--coverage") {
        println!();
        println!("coverage disagreements (dev registers only): prm expected -> got");
        for r in registers.iter().filter(|r| r.split != "test") {
            for (prm, expected, got) in r.coverage.iter().filter(|(_, e, g)| e != g) {
                println!("  {} {prm}: {expected} -> {got}", short(&r.file));
            }
        }
    }
    if flag("--relationships") {
        println!();
        println!("relationship misses (dev and fixtures/eval only):");
        for (file, case) in all
            .iter()
            .filter(readable)
            .filter(|(_, c)| c.correct() && c.expected.is_some())
            .filter(|(_, c)| c.got_relationship != c.expected_relationship)
        {
            println!(
                "  {} {} {:?}: expected {:?}, got {:?}",
                short(file),
                case.id,
                case.name,
                case.expected_relationship,
                case.got_relationship
            );
        }
    }
}

/// Per split: coverage cells agreeing and in all, missing-process counts, duplicate F1 per
/// register.
/// Coverage cells agreeing and in all, missing-process counts, duplicate F1 per register, and
/// duplicate pair counts (true positives, false positives, false negatives).
type SplitTotals = (
    usize,
    usize,
    (usize, usize, usize),
    Vec<f64>,
    (usize, usize, usize),
);

/// `part / whole`, 0 when there is no whole.
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn short(file: &str) -> &str {
    file.rsplit('/').next().unwrap_or(file)
}

fn print_row(label: &str, f: &Figures) {
    println!(
        "{:<40} {:>5} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6.3}",
        label,
        f.cases,
        f.top1,
        f.top1_lenient,
        f.none_precision,
        f.none_recall,
        f.relationship,
        f.relationship_class
    );
}

fn print_breakdown(what: &str, map: &BTreeMap<String, (usize, usize)>) {
    let parts: Vec<String> = map
        .iter()
        .map(|(key, (ok, n))| format!("{key} {ok}/{n} = {:.3}", *ok as f64 / (*n).max(1) as f64))
        .collect();
    println!("  by {what}: {}", parts.join(", "));
}
