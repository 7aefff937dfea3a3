//! Stage timings for profiling, printed to stderr when `CLUSTERPRESS_TIMINGS` is set.
//! They never change what a build does or writes.

use std::time::Instant;

pub struct Stopwatch {
    start: Instant,
    label: &'static str,
    enabled: bool,
}

impl Stopwatch {
    pub fn start(label: &'static str) -> Self {
        Stopwatch {
            start: Instant::now(),
            label,
            enabled: std::env::var_os("CLUSTERPRESS_TIMINGS").is_some(),
        }
    }

    /// Prints how long since the start `what` took to be done.
    pub fn lap(&self, what: &str) {
        if self.enabled {
            eprintln!(
                "timing: {}/{what} at {:.0} ms",
                self.label,
                self.start.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

/// Reports a single piece of work (one page) that took longer than a few milliseconds.
pub fn slow(what: &str, since: Instant) {
    let took = since.elapsed();
    if took.as_millis() >= 5 && std::env::var_os("CLUSTERPRESS_TIMINGS").is_some() {
        eprintln!("timing: slow {what}: {:.0} ms", took.as_secs_f64() * 1000.0);
    }
}
