//! What a build wrote, counted as it is written, and the finished site held against the
//! limits of the host it is published on (`hosting:` in `cluster.yaml`, see
//! [`crate::config::host`]) before it replaces the previous one.

use std::sync::Mutex;

use crate::config::Config;
use crate::config::host::{Host, Limits};
use crate::content::front_matter::Seg;
use crate::diag::{Diagnostics, Severity};
use crate::text::{count, counted, size};

/// A kind of output file, for the advice on what to leave out when a site is too large.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Page,
    FactSheet,
    Pdf,
    Calendar,
    VCard,
    Other,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::Page,
        Kind::FactSheet,
        Kind::Pdf,
        Kind::Calendar,
        Kind::VCard,
        Kind::Other,
    ];

    pub fn of(path: &str) -> Kind {
        if path.ends_with("/factsheet/index.html") {
            Kind::FactSheet
        } else if path.ends_with(".html") {
            Kind::Page
        } else if path.ends_with(".pdf") {
            Kind::Pdf
        } else if path.ends_with(".ics") {
            Kind::Calendar
        } else if path.ends_with(".vcf") {
            Kind::VCard
        } else {
            Kind::Other
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// What these files are, and how to leave them out.
    fn advice(self, n: usize) -> String {
        let (one, many, how) = match self {
            Kind::Page => (
                "page",
                "pages",
                "one for each member, item and list: the site itself",
            ),
            Kind::FactSheet => (
                "member fact sheet",
                "member fact sheets",
                "`brochures: {enabled: false}` leaves them out",
            ),
            Kind::Pdf => ("PDF", "PDFs", "`brochures: {pdf: false}` leaves them out"),
            Kind::Calendar => (
                "calendar file",
                "calendar files",
                "`build: {calendars: false}` leaves them out",
            ),
            Kind::VCard => (
                "vCard",
                "vCards",
                "`build: {open_data: false}` leaves them and members.json/.csv out",
            ),
            Kind::Other => (
                "other file",
                "other files",
                "mostly from `static/`: remove or shrink what is not needed",
            ),
        };
        format!("{} ({how})", counted(n, one, many))
    }
}

/// What a build wrote, counted as it was written (from many threads).
#[derive(Debug, Default)]
pub struct Tally {
    inner: Mutex<Counts>,
}

/// The counts of a finished build.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub files: u64,
    pub bytes: u64,
    /// The largest file: output path and size.
    pub largest: Option<(String, u64)>,
    /// Files and bytes per [`Kind`].
    by_kind: [(u64, u64); Kind::ALL.len()],
    /// Files of 10 MB or more, for the per-file limits.
    pub big: Vec<(String, u64)>,
}

impl Tally {
    pub fn add(&self, path: &str, bytes: u64) {
        let kind = Kind::of(path).index();
        let mut c = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        c.files += 1;
        c.bytes += bytes;
        c.by_kind[kind].0 += 1;
        c.by_kind[kind].1 += bytes;
        if c.largest
            .as_ref()
            .is_none_or(|(p, b)| bytes > *b || (bytes == *b && path < p.as_str()))
        {
            c.largest = Some((path.to_string(), bytes));
        }
        if bytes >= 10_000_000 {
            c.big.push((path.to_string(), bytes));
        }
    }

    pub fn counts(&self) -> Counts {
        let mut c = self.inner.lock().unwrap_or_else(|e| e.into_inner()).clone();
        c.big.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        c
    }

    /// Counts the files a build copies or writes after the pages, without writing them.
    pub fn add_files(&self, files: &std::collections::BTreeMap<String, crate::render::Output>) {
        use crate::render::Output;
        for (path, output) in files {
            let bytes = match output {
                Output::Bytes(b) => b.len() as u64,
                Output::Embedded(b) => b.len() as u64,
                Output::Copy(source) => std::fs::metadata(source).map_or(0, |m| m.len()),
            };
            self.add(path, bytes);
        }
    }
}

/// `check` counts what a build would write without writing it.
impl crate::render::PageSink for Tally {
    fn put(&self, file: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.add(file, bytes.len() as u64);
        Ok(())
    }
}

impl Counts {
    /// The kinds with the most files (or bytes), largest first, as advice.
    fn biggest_kinds(&self, by_bytes: bool) -> String {
        let mut kinds: Vec<(Kind, u64, u64)> = Kind::ALL
            .into_iter()
            .map(|k| (k, self.by_kind[k.index()].0, self.by_kind[k.index()].1))
            .filter(|(_, n, _)| *n > 0)
            .collect();
        kinds.sort_by_key(|(_, n, b)| std::cmp::Reverse(if by_bytes { *b } else { *n }));
        kinds
            .iter()
            .take(3)
            .map(|(k, n, b)| {
                let advice = k.advice(*n as usize);
                if by_bytes {
                    format!("{}: {advice}", size(*b))
                } else {
                    advice
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Reads one of the limits.
type Pick = fn(Limits) -> Option<u64>;

/// The share of a limit from which a build warns that the site is getting close.
const NEAR: f64 = 0.9;

/// Errors for every limit of `config.hosting` the finished site breaks, warnings for those it
/// comes close to (90 %).
pub fn check_limits(config: &Config, counts: &Counts) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let Some(host) = config.hosting else {
        return diags;
    };
    let limits = host.limits();
    let title = host.title();
    let mut say = |over: bool, message: String, help: String| {
        let mut d = config.error_at(&[Seg::Key("hosting")], "hosting", (message, help));
        if !over {
            d.severity = Severity::Warning;
        }
        diags.push(d);
    };
    // The other hosts documented to take more of what this one has too little room for.
    let other_hosts = |pick: Pick| {
        let mine = pick(limits);
        let roomier: Vec<&str> = Host::ALL
            .into_iter()
            .filter(|h| *h != host)
            .filter(|h| matches!((pick(h.limits()), mine), (Some(x), Some(y)) if x > y))
            .map(Host::title)
            .collect();
        match roomier.as_slice() {
            [] => String::new(),
            hosts => format!("; or publish on {}", hosts.join(" or ")),
        }
    };
    // The number of files, then the whole size.
    let measures: [(Pick, u64, bool); 2] = [
        (|l| l.files, counts.files, false),
        (|l| l.total_bytes, counts.bytes, true),
    ];
    for (pick, n, in_bytes) in measures {
        let Some(max) = pick(limits) else { continue };
        if (n as f64) < max as f64 * NEAR {
            continue;
        }
        let over = n > max;
        let close = if over { "" } else { " (it is close)" };
        let (message, help) = if in_bytes {
            (
                format!(
                    "the site is {}; {title} publishes at most {}{close}",
                    size(n),
                    size(max)
                ),
                format!("the most space goes to {}", counts.biggest_kinds(true)),
            )
        } else {
            (
                format!(
                    "the site has {} files; {title} publishes at most {}{close}",
                    count(n),
                    count(max)
                ),
                format!("the most files are {}", counts.biggest_kinds(false)),
            )
        };
        say(over, message, format!("{help}{}", other_hosts(pick)));
    }
    if let (Some(max), true) = (limits.redirects, host.reads_redirects()) {
        let n = config.redirects.len();
        if n > max {
            say(
                true,
                format!(
                    "`redirects:` has {} entries; {title} follows at most {}",
                    count(n as u64),
                    count(max as u64)
                ),
                "keep the addresses that are still linked from elsewhere (search engines, partners' sites) and drop the rest".into(),
            );
        }
    }
    if let Some(max) = limits.file_bytes {
        let too_big: Vec<&(String, u64)> = counts.big.iter().filter(|(_, b)| *b > max).collect();
        if let Some((first, bytes)) = too_big.first() {
            let more = match too_big.len() {
                1 => String::new(),
                n => format!(
                    " and {} more {}",
                    count(n as u64 - 1),
                    if n == 2 { "file" } else { "files" }
                ),
            };
            say(
                true,
                format!(
                    "`{first}` is {}{more}; {title} publishes no file larger than {} MiB",
                    size(*bytes),
                    max / (1024 * 1024)
                ),
                format!(
                    "shrink it (compress images, split long PDFs) or publish it elsewhere and link to it{}",
                    other_hosts(|l| l.file_bytes)
                ),
            );
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(extra: &str) -> Config {
        let text = format!("name: T\nbase_url: https://t.example/\n{extra}");
        let (c, d) = crate::config::parse(
            std::path::Path::new("site"),
            text,
            &crate::config::Overrides::default(),
        )
        .unwrap();
        assert!(!d.has_errors());
        c
    }

    #[test]
    fn the_whole_size_is_checked_for_github_with_a_warning_when_close() {
        let github = config("hosting: github\n");
        let tally = Tally::default();
        tally.add("index.html", 20_000);
        tally.add("downloads/fair.mp4", 950_000_000);
        let diags = check_limits(&github, &tally.counts()).into_sorted();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(!diags[0].is_error());
        assert_eq!(
            diags[0].message,
            "the site is 950.0 MB; GitHub Pages publishes at most 1.00 GB (it is close)"
        );
        let help = diags[0].help.as_deref().unwrap();
        assert!(
            help.starts_with("the most space goes to 950.0 MB: 1 other file"),
            "{help}"
        );
        tally.add("downloads/fair-2.mp4", 100_000_000);
        let diags = check_limits(&github, &tally.counts()).into_sorted();
        assert!(diags[0].is_error(), "{diags:?}");
        // Without `hosting:` nothing is checked.
        assert!(check_limits(&config(""), &tally.counts()).is_empty());
        // Cloudflare Pages counts no bytes but refuses the big files, naming the largest.
        let diags = check_limits(&config("hosting: cloudflare\n"), &tally.counts()).into_sorted();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(
            diags[0]
                .message
                .starts_with("`downloads/fair.mp4` is 950.0 MB and 1 more file;"),
            "{}",
            diags[0].message
        );
    }

    #[test]
    fn advice_names_what_makes_the_most_files_and_how_to_leave_it_out() {
        let tally = Tally::default();
        for i in 0..7_000 {
            tally.add(&format!("members/m{i}/index.html"), 9_000);
            tally.add(&format!("members/m{i}/factsheet/index.html"), 7_000);
            tally.add(&format!("members/m{i}/m{i}.vcf"), 400);
        }
        tally.add("events.ics", 3_000);
        let diags = check_limits(&config("hosting: cloudflare\n"), &tally.counts()).into_sorted();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(
            diags[0].message,
            "the site has 21,001 files; Cloudflare Pages publishes at most 20,000"
        );
        assert_eq!(
            diags[0].help.as_deref(),
            Some(
                "the most files are 7,000 pages (one for each member, item and list: the site itself); 7,000 member fact sheets (`brochures: {enabled: false}` leaves them out); 7,000 vCards (`build: {open_data: false}` leaves them and members.json/.csv out); or publish on GitLab Pages"
            )
        );
    }
}
