//! Writing the resized images the templates asked for (`resize`, see `crate::images::library`):
//! after the pages, each file taken from the previous build if it made one of that name, the
//! rest made from their sources, each source decoded once for all of its sizes.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;

use super::PageSink;
use crate::diag::{Diagnostic, Diagnostics};
use crate::images::library::{Library, Size, Variant, Wanted};

/// How many resized images a build wrote, and how it came by them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Resized images in the site.
    pub files: usize,
    /// Of those, taken from the previous build.
    pub reused: usize,
    /// Source images decoded to make the others.
    pub decoded: usize,
    /// Share cards drawn.
    pub cards: usize,
}

/// Takes from the previous build, into `sink`, a few of the images first asked for since the
/// last call (see [`Library::take_fresh`]); the renderer calls it between pages.
pub fn keep_some(library: &Library, sink: &dyn PageSink) {
    let fresh = library.take_fresh(32);
    if fresh.is_empty() || !sink.keeps() {
        return;
    }
    library.placed(fresh.into_iter().filter(|file| sink.reuse(file)));
}

/// Writes every image asked for since the last call into `sink`. A source that cannot be
/// decoded (cut short, damaged) is an error naming its file.
pub fn write_images(library: &Library, sink: &dyn PageSink) -> (Counts, Diagnostics) {
    let wanted = library.take_wanted();
    let mut counts = Counts {
        files: wanted.len(),
        ..Counts::default()
    };
    // Taken from the previous output where it has them (in parallel: a large site has tens
    // of thousands); the rest made: resized files by source, so that each is decoded once;
    // cards one by one.
    let keeps = sink.keeps();
    let placed = library.take_placed();
    let missing: Vec<(String, Wanted)> = wanted
        .into_par_iter()
        .filter(|(file, _)| !(keeps && (placed.contains(file) || sink.reuse(file))))
        .collect();
    counts.reused = counts.files - missing.len();
    let mut by_source: BTreeMap<String, Vec<(String, Variant)>> = BTreeMap::new();
    let mut cards: Vec<(String, Wanted)> = Vec::new();
    for (file, wanted) in missing {
        match wanted {
            Wanted::Resize(variant) => {
                let key = variant.source.path.clone();
                by_source.entry(key).or_default().push((file, variant));
            }
            card => cards.push((file, card)),
        }
    }
    counts.decoded = by_source.len();
    counts.cards = cards.len();
    crate::progress::resizing(by_source.len() + cards.len());
    let (mut problems, card_problems): (Vec<Diagnostic>, Vec<Diagnostic>) = rayon::join(
        || {
            by_source
                .into_par_iter()
                .filter_map(|(path, variants)| {
                    let made = make_all(library, &variants, keeps, sink);
                    crate::progress::page_done();
                    made.err().map(|why| image_error(&path, &why))
                })
                .collect()
        },
        || {
            cards
                .into_par_iter()
                .filter(|_| keeps)
                .filter_map(|(file, card)| {
                    let made = library.make(&card).and_then(|bytes| {
                        sink.put(&file, &bytes)
                            .map_err(|e| format!("cannot write `{file}` ({e})"))
                    });
                    crate::progress::page_done();
                    let logo = match &card {
                        Wanted::Card(c) => c.logo.as_ref().map(|l| l.path.clone()),
                        Wanted::Resize(v) => Some(v.source.path.clone()),
                    };
                    made.err().map(|why| match logo {
                        Some(path) => image_error(&path, &format!("its share card: {why}")),
                        None => Diagnostic::error(format!("the share card `{file}`: {why}")),
                    })
                })
                .collect()
        },
    );
    problems.extend(card_problems);
    let mut diags = Diagnostics::new();
    diags.extend(problems);
    (counts, diags)
}

fn image_error(path: &str, why: &str) -> Diagnostic {
    let (message, help) = crate::model::image_refusal(path, why);
    Diagnostic::error(message)
        .in_file(PathBuf::from("static").join(path))
        .help(help)
}

/// Decodes one source and writes each of its sizes (only decodes it when nothing is kept).
fn make_all(
    library: &Library,
    variants: &[(String, Variant)],
    keeps: bool,
    sink: &dyn PageSink,
) -> Result<(), String> {
    let Some((_, first)) = variants.first() else {
        return Ok(());
    };
    let sizes: Vec<Size> = match keeps {
        true => variants.iter().map(|(_, v)| v.size).collect(),
        false => Vec::new(),
    };
    let made = library.make_sizes(&first.source, &sizes)?;
    for ((file, _), bytes) in variants.iter().zip(made) {
        sink.put(file, &bytes)
            .map_err(|e| format!("cannot write `{file}` ({e})"))?;
    }
    Ok(())
}
