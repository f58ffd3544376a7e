//! Pins the mapping engine's accuracy on the labelled evaluation set, so it cannot silently
//! regress. `cargo run --release --example eval` prints the full figures.

#[path = "../examples/eval/metrics.rs"]
#[allow(
    dead_code,
    reason = "the eval example prints fields this test does not read"
)]
mod metrics;

#[test]
fn mapping_accuracy_stays_above_the_floor() {
    let (_, figures) =
        metrics::run("fixtures/eval/eval-set.json").unwrap_or_else(|e| panic!("{e}"));
    println!("{figures:#?}");
    assert!(
        figures.cases >= 150,
        "the evaluation set shrank to {}",
        figures.cases
    );
    assert!(
        figures.top1 >= 0.90,
        "top-1 accuracy {:.3} < 0.90",
        figures.top1
    );
    assert!(
        figures.none_recall >= 0.90,
        "none recall {:.3} < 0.90",
        figures.none_recall
    );
    assert!(
        figures.none_precision >= 0.85,
        "none precision {:.3} < 0.85",
        figures.none_precision
    );
    assert!(
        figures.relationship >= 0.65,
        "relationship accuracy {:.3} < 0.65",
        figures.relationship
    );
}
