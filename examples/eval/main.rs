//! Prints how well the mapping engine does on the labelled evaluation set.
//!
//! `cargo run --release --example eval [-- fixtures/eval/eval-set.json] [--misses]`

mod metrics;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show_misses = args.iter().any(|a| a == "--misses");
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map_or("fixtures/eval/eval-set.json", String::as_str);
    let (cases, figures) = match metrics::run(path) {
        Ok(result) => result,
        Err(e) => {
            eprintln!("eval: {e}");
            std::process::exit(2);
        }
    };
    println!("evaluation set: {path} ({} cases)", figures.cases);
    println!("top-1 accuracy:          {:.3}", figures.top1);
    println!("top-1 (lenient, x-also): {:.3}", figures.top1_lenient);
    println!("none precision:          {:.3}", figures.none_precision);
    println!("none recall:             {:.3}", figures.none_recall);
    println!(
        "relationship accuracy:   {:.3} (of correct top-1 with a PRM label)",
        figures.relationship
    );
    println!(
        "control-area accuracy:   {:.3} (of cases labelled with an area)",
        figures.control_area
    );
    for (lang, (ok, n)) in &figures.by_lang {
        println!("  {lang:<6} {ok}/{n} = {:.3}", *ok as f64 / *n as f64);
    }
    println!("confusion (expected -> got: count), most frequent first:");
    let mut confusion: Vec<_> = figures.confusion.iter().collect();
    confusion.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for ((expected, got), count) in confusion.iter().take(20) {
        println!("  {expected} -> {got}: {count}");
    }
    if args.iter().any(|a| a == "--relationships") {
        let mut pairs: std::collections::BTreeMap<(String, String), usize> = Default::default();
        for case in cases
            .iter()
            .filter(|c| c.got == c.expected && c.expected.is_some())
        {
            if case.got_relationship != case.expected_relationship {
                *pairs
                    .entry((
                        case.expected_relationship.clone().unwrap_or_default(),
                        case.got_relationship.clone().unwrap_or_default(),
                    ))
                    .or_default() += 1;
                println!(
                    "  rel {} {:?}: expected {:?}, got {:?}",
                    case.id, case.name, case.expected_relationship, case.got_relationship
                );
            }
        }
        for ((expected, got), n) in pairs {
            println!("relationship {expected} -> {got}: {n}");
        }
    }
    if show_misses {
        println!("misses:");
        for case in cases.iter().filter(|c| c.got != c.expected) {
            println!(
                "  {} {:?}: expected {:?}/{:?} area {:?}, got {:?}/{:?} area {:?}{}",
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
}
