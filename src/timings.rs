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
                "timing: {}/{what} at {:.0} ms{}{}",
                self.label,
                self.start.elapsed().as_secs_f64() * 1000.0,
                cpu(),
                memory()
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

/// The CPU time the process's threads have had so far, where the system tells (Linux): with
/// the wall time, how busy the cores were between two laps.
fn cpu() -> String {
    let Ok(threads) = std::fs::read_dir("/proc/self/task") else {
        return String::new();
    };
    let nanos: u64 = threads
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    format!(", cpu {:.0} ms", nanos as f64 / 1e6)
}

/// The process's memory now and at its peak, where the system tells (Linux).
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
            .map(|kb| kb / 1024)
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(now), Some(peak)) => format!(" ({now} MiB, peak {peak} MiB)"),
        _ => String::new(),
    }
}
