//! Wall time per pipeline stage, for the hidden `check --timings` flag used when profiling.

use std::time::{Duration, Instant};

/// The stages of one run, timed one after the other: each [`Timings::lap`] closes the stage
/// that ran since the previous lap.
#[derive(Debug)]
pub struct Timings {
    start: Instant,
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Timings {
    pub fn start() -> Self {
        let now = Instant::now();
        Timings {
            start: now,
            last: now,
            laps: Vec::new(),
        }
    }

    /// Close the stage that just ran.
    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }

    /// Time since the start.
    pub fn total(&self) -> Duration {
        self.last - self.start
    }

    /// One line per stage and a total, in milliseconds: `timing: map 12.345 ms`.
    pub fn render(&self) -> String {
        let mut text = String::new();
        for (stage, duration) in self.laps.iter().chain([&("total", self.total())]) {
            text.push_str(&format!(
                "timing: {stage} {:.3} ms\n",
                duration.as_secs_f64() * 1000.0
            ));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laps_add_up_to_the_total_and_render_one_line_each() {
        let mut timings = Timings::start();
        timings.lap("load");
        timings.lap("map");
        let sum: Duration = timings.laps.iter().map(|(_, d)| *d).sum();
        assert_eq!(sum, timings.total());
        let text = timings.render();
        let stages: Vec<&str> = text.lines().filter_map(|l| l.split(' ').nth(1)).collect();
        assert_eq!(stages, ["load", "map", "total"]);
        assert!(
            text.lines()
                .all(|l| l.starts_with("timing: ") && l.ends_with(" ms"))
        );
    }
}
