//! The site's search index (issue 21), made from the model, not by reading the pages again:
//! every member and item of every collection in one language, as files the search page's
//! script fetches a few at a time, so that a first query costs a few tens of kilobytes
//! whatever the site's size.
//!
//! Words are folded as the script folds them (lower case, accents off, `ß` → `ss`) and
//! stemmed with the Snowball stemmer of the site's language. The script cannot stem, so the
//! index lists each word with its stem: a query word matches the words it begins (prefix
//! search while typing) and the words whose stem it begins with (`coated` finds `coatings`,
//! both `coat`); each matching word stands for every word of its stem.
//!
//! Files, under `search/` in each language:
//! - `index.json`: how many items; the facets of the filters (`[key, title]`); the kinds, each `[key, title, first item number]` (the
//!   items come kind by kind); the filters; the first two letters of each part of the word
//!   list;
//! - `w-<n>.json`: part `n` of the word list, in word order, each part at most about
//!   [`PART`] bytes: `{"w": {word: stem}, "p": {stem: [item numbers]}, "t": {stem: [item
//!   numbers whose title has it]}, "s": [stems too common to search by]}`, item numbers
//!   delta-coded (each the difference from the previous one);
//! - `i-<n>.json`: items `n * ITEMS ..`, each `[address, title, kind, summary]`;
//! - `filters.json`: for each filter of `index.json` (`[facet, slug, name]`: sectors, regions,
//!   countries), its items, delta-coded.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use serde_json::{Value, json};

use super::items::{self, Shown, Visit};
use super::pages::Job;
use crate::model::{Entry, Site};
use crate::url::paths;

/// A part of the word list is closed once it is this large (bytes of JSON).
const PART: usize = 48 * 1024;
/// Items per file of items.
const ITEMS: usize = 100;
/// A stem in more than this share of the items is too common to narrow a search.
const COMMON: f64 = 0.4;
/// Summaries in the results are cut to about this many characters.
const SUMMARY: usize = 160;

/// One thing a search can find.
struct Record<'a> {
    /// Its site path, as the page links it.
    url: String,
    title: String,
    /// Its collection's number in `kinds`.
    kind: usize,
    summary: String,
    /// Whether the summary is a text of its own, not its body's first paragraph.
    own_summary: bool,
    /// Its body, as HTML.
    body: &'a str,
    /// Everything else its page says that a visitor may search for, as text.
    text: String,
    /// `(facet, slug, name)`: sectors, region and country, where it has them.
    filters: Vec<(&'static str, String, String)>,
}

/// The files of the search index of `site` (in its language), by site path.
/// `jobs` are the site's pages, whose items' values are read rather than made again.
pub(crate) fn files(site: &Site, jobs: &[Job]) -> Vec<(String, Vec<u8>)> {
    let watch = crate::timings::Stopwatch::start("search index");
    let mut kinds: Vec<(String, String, usize)> = Vec::new();
    let made: FxHashMap<&str, &tera::Value> = jobs
        .iter()
        .filter_map(|job| Some((job.path.as_str(), job.item.as_ref()?)))
        .collect();
    let mut records = records(site, &made, &mut kinds);
    watch.lap("records");
    let stemmer = stemmer(&site.config.language);

    // The words of the items, a run of items per worker, then joined in item order.
    let run = (records.len() / (rayon::current_num_threads() * 4)).max(64);
    let mut runs: Vec<Words> = records
        .par_chunks_mut(run)
        .enumerate()
        .map(|(i, chunk)| Words::of(chunk, (i * run) as u32))
        .collect();
    watch.lap("words");
    let mut numbers: FxHashMap<String, u32> = FxHashMap::default();
    let mut vocabulary: Vec<String> = Vec::new();
    // Each run's words by their numbers in the whole vocabulary.
    let ids: Vec<Vec<u32>> = runs
        .iter_mut()
        .map(|run| {
            std::mem::take(&mut run.words)
                .into_iter()
                .map(|w| match numbers.get(&w) {
                    Some(&id) => id,
                    None => {
                        let id = vocabulary.len() as u32;
                        numbers.insert(w.clone(), id);
                        vocabulary.push(w);
                        id
                    }
                })
                .collect()
        })
        .collect();
    let items = Postings::of(vocabulary.len(), runs.iter().map(|r| &r.items), &ids);
    let in_titles = Postings::of(vocabulary.len(), runs.iter().map(|r| &r.titles), &ids);
    drop(runs);
    drop(numbers);
    watch.lap("words joined");
    let stems: Vec<String> = vocabulary
        .par_iter()
        .map(|w| stem(stemmer.as_ref(), w))
        .collect();
    // Each stem's items: the union of its words'.
    let mut by_stem: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (id, s) in stems.iter().enumerate() {
        by_stem.entry(s.as_str()).or_default().push(id);
    }
    // Each stem's items, and the items whose title has it.
    let postings: FxHashMap<&str, (Items, Items)> = by_stem
        .par_iter()
        .map(|(s, ids)| (*s, (union(ids, &items), union(ids, &in_titles))))
        .collect();
    watch.lap("stems");
    let common = (records.len() as f64 * COMMON).max(50.0) as usize;

    // The word list in word order, cut into parts at two-letter boundaries.
    let mut order: Vec<usize> = (0..vocabulary.len()).collect();
    order.sort_unstable_by(|a, b| vocabulary[*a].cmp(&vocabulary[*b]));
    let mut parts: Vec<(String, String)> = Vec::new();
    let mut part = Part::default();
    let mut previous_key = "";
    for id in order {
        let w = vocabulary[id].as_str();
        let key = &w[..w.char_indices().nth(2).map_or(w.len(), |(i, _)| i)];
        if key != previous_key && part.size() >= PART {
            parts.push(std::mem::take(&mut part).finish());
        }
        previous_key = key;
        if part.first.is_empty() {
            part.first = key.to_string();
        }
        let s = stems[id].as_str();
        part.word(w, s);
        if !part.stems.insert(s.to_string()) {
            continue;
        }
        let (all, title) = &postings[s];
        match all.len() > common {
            true => part.common(s),
            false => part.postings(s, all, title),
        }
    }
    if !part.stems.is_empty() {
        parts.push(part.finish());
    }
    drop(postings);
    drop(items);
    drop(in_titles);
    watch.lap("word list");

    // The filters (sectors, regions, countries), each with its items.
    let mut filters: Vec<(&'static str, String, String)> = Vec::new();
    let mut filter_items: Vec<Vec<u32>> = Vec::new();
    let mut filter_numbers: HashMap<(&'static str, &str), usize> = HashMap::new();
    for (n, r) in records.iter().enumerate() {
        for (facet, slug, name) in &r.filters {
            let f = *filter_numbers.entry((facet, slug)).or_insert_with(|| {
                filters.push((facet, slug.clone(), name.clone()));
                filter_items.push(Vec::new());
                filters.len() - 1
            });
            if filter_items[f].last() != Some(&(n as u32)) {
                filter_items[f].push(n as u32);
            }
        }
    }
    // Filters in the order visitors scan them: by facet, then name.
    let mut order: Vec<usize> = (0..filters.len()).collect();
    let facet_rank = |f: &str| {
        ["sectors", "regions", "countries"]
            .iter()
            .position(|x| *x == f)
    };
    order.sort_by(|a, b| {
        let (fa, _, na) = &filters[*a];
        let (fb, _, nb) = &filters[*b];
        (facet_rank(fa), na).cmp(&(facet_rank(fb), nb))
    });

    let mut files = Vec::new();
    let rows: Vec<Value> = records
        .iter()
        .map(|r| json!([r.url, r.title, r.kind, r.summary]))
        .collect();
    for (n, chunk) in rows.chunks(ITEMS).enumerate() {
        files.push((format!("search/i-{n}.json"), to_bytes(&json!(chunk))));
    }
    let filter_file: Vec<Value> = order.iter().map(|&f| delta(&filter_items[f])).collect();
    files.push(("search/filters.json".into(), to_bytes(&json!(filter_file))));
    let facets: Vec<Value> = ["sectors", "regions", "countries"]
        .iter()
        .filter(|f| filters.iter().any(|(facet, _, _)| facet == *f))
        .filter_map(|f| {
            let t = site.taxonomies.iter().find(|t| t.key == *f)?;
            Some(json!([f, t.title]))
        })
        .collect();
    let manifest = json!({
        "facets": facets,
        "items": records.len(),
        "per_file": ITEMS,
        "kinds": kinds.iter().map(|(k, t, first)| json!([k, t, first])).collect::<Vec<_>>(),
        "filters": order
            .iter()
            .map(|&f| {
                let (facet, slug, name) = &filters[f];
                json!([facet, slug, name])
            })
            .collect::<Vec<_>>(),
        "parts": parts.iter().map(|(first, _)| first.as_str()).collect::<Vec<_>>(),
    });
    files.push(("search/index.json".into(), to_bytes(&manifest)));
    for (n, (_, part)) in parts.into_iter().enumerate() {
        files.push((format!("search/w-{n}.json"), part.into_bytes()));
    }
    files
}

/// Item numbers in order, made for a stem or borrowed from its one word.
type Items<'a> = Cow<'a, [u32]>;

/// The items of the words numbered `words` together, in order.
fn union<'a>(words: &[usize], items: &'a Postings) -> Items<'a> {
    match words {
        [one] => Cow::Borrowed(items.of_word(*one)),
        many => {
            let mut all: Vec<u32> = many
                .iter()
                .flat_map(|&i| items.of_word(i).iter().copied())
                .collect();
            all.sort_unstable();
            all.dedup();
            Cow::Owned(all)
        }
    }
}

/// Each word's items, in order, all in one list: a few million numbers at 10,000 members,
/// which in a list per word would be as many pushes to lists all over the memory.
struct Postings {
    /// Where each word's items start in `items`, and where the last one's end.
    starts: Vec<u32>,
    items: Vec<u32>,
}

impl Postings {
    /// The items of `words` words from the `(word, item)` pairs of runs of items (in item
    /// order), whose words are numbered by `ids` (one list per run).
    fn of<'a>(
        words: usize,
        runs: impl Iterator<Item = &'a Vec<(u32, u32)>> + Clone,
        ids: &[Vec<u32>],
    ) -> Postings {
        let mut starts = vec![0u32; words + 1];
        for (pairs, ids) in runs.clone().zip(ids) {
            for &(w, _) in pairs {
                starts[ids[w as usize] as usize + 1] += 1;
            }
        }
        for w in 0..words {
            starts[w + 1] += starts[w];
        }
        let mut next = starts.clone();
        let mut items = vec![0u32; starts[words] as usize];
        for (pairs, ids) in runs.zip(ids) {
            for &(w, n) in pairs {
                let at = &mut next[ids[w as usize] as usize];
                items[*at as usize] = n;
                *at += 1;
            }
        }
        Postings { starts, items }
    }

    /// The items of the word numbered `word`.
    fn of_word(&self, word: usize) -> &[u32] {
        &self.items[self.starts[word] as usize..self.starts[word + 1] as usize]
    }
}

/// The words of a run of items, and which items have each.
struct Words {
    words: Vec<String>,
    /// `(word, item)`, once for each word of an item, in item order.
    items: Vec<(u32, u32)>,
    /// The same for the words of the items' titles.
    titles: Vec<(u32, u32)>,
}

/// Where a word of a run of items was seen.
#[derive(Clone, Copy)]
struct Seen {
    /// Its number in the run's lists.
    word: u32,
    /// The last item that has it, so that an item is listed once.
    last: u32,
    /// The last item whose title has it.
    last_title: u32,
}

impl Words {
    /// The words of `records`, numbered from `first`; their texts are let go of on the way.
    fn of(records: &mut [Record<'_>], first: u32) -> Words {
        // Millions of words are looked up: those of up to 16 bytes (nearly all) by their
        // bytes as one number, which hashes and compares without a call or a pointer, in a
        // table small enough to stay in the core's cache.
        let mut short: FxHashMap<u128, Seen> = FxHashMap::default();
        let mut long: FxHashMap<Box<str>, Seen> = FxHashMap::default();
        let mut count = 0u32;
        let mut items: Vec<(u32, u32)> = Vec::new();
        let mut titles: Vec<(u32, u32)> = Vec::new();
        let mut add = |w: Word<'_>, n: u32, title: bool| {
            // The script searches by words of two letters or more.
            if w.len() < 2 {
                return;
            }
            let new = Seen {
                word: count,
                last: u32::MAX,
                last_title: u32::MAX,
            };
            let s = match w.key() {
                Ok(key) => short.entry(key).or_insert(new),
                Err(w) => match long.get_mut(w) {
                    Some(s) => s,
                    None => long.entry(w.into()).or_insert(new),
                },
            };
            if s.word == count {
                count += 1;
            }
            if s.last != n {
                s.last = n;
                items.push((s.word, n));
            }
            if title && s.last_title != n {
                s.last_title = n;
                titles.push((s.word, n));
            }
        };
        let mut word = String::new();
        for (i, r) in records.iter_mut().enumerate() {
            let n = first + i as u32;
            each_word(&std::mem::take(&mut r.text), false, &mut word, |w| {
                add(w, n, false)
            });
            each_word(r.body, true, &mut word, |w| add(w, n, false));
            if r.own_summary {
                each_word(&r.summary, false, &mut word, |w| add(w, n, false));
            }
            each_word(&r.title, false, &mut word, |w| add(w, n, true));
        }
        let mut words = vec![String::new(); count as usize];
        for (key, s) in short {
            words[s.word as usize] = short_word(key);
        }
        for (w, s) in long {
            words[s.word as usize] = w.into();
        }
        Words {
            words,
            items,
            titles,
        }
    }
}

/// A word of at most 16 bytes as one number: its bytes, then zeros (a word has no zero byte).
fn short_key(word: &str) -> Option<u128> {
    let mut bytes = [0u8; 16];
    bytes
        .get_mut(..word.len())?
        .copy_from_slice(word.as_bytes());
    Some(u128::from_le_bytes(bytes))
}

/// The word whose [`short_key`] is `key`.
fn short_word(key: u128) -> String {
    let bytes = key.to_le_bytes();
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..len]).into_owned()
}

/// A part of the word list being written, as JSON.
#[derive(Default)]
struct Part {
    /// The first two letters of its first word.
    first: String,
    words: String,
    stems: BTreeSet<String>,
    postings: String,
    titles: String,
    common: String,
}

impl Part {
    fn size(&self) -> usize {
        self.words.len() + self.postings.len() + self.titles.len() + self.common.len()
    }

    fn word(&mut self, word: &str, stem: &str) {
        separate(&mut self.words, '{');
        push_json_str(&mut self.words, word);
        self.words.push(':');
        push_json_str(&mut self.words, stem);
    }

    fn common(&mut self, stem: &str) {
        separate(&mut self.common, '[');
        push_json_str(&mut self.common, stem);
    }

    fn postings(&mut self, stem: &str, all: &[u32], titles: &[u32]) {
        for (out, list) in [(&mut self.postings, all), (&mut self.titles, titles)] {
            if list.is_empty() {
                continue;
            }
            separate(out, '{');
            push_json_str(out, stem);
            out.push_str(":[");
            let mut last = 0;
            for (i, &n) in list.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&(n - last).to_string());
                last = n;
            }
            out.push(']');
        }
    }

    /// Its first two letters and its JSON.
    fn finish(self) -> (String, String) {
        let close = |mut s: String, open: char, close: char| {
            if s.is_empty() {
                s.push(open);
            }
            s.push(close);
            s
        };
        let json = format!(
            "{{\"w\":{},\"p\":{},\"t\":{},\"s\":{}}}",
            close(self.words, '{', '}'),
            close(self.postings, '{', '}'),
            close(self.titles, '{', '}'),
            close(self.common, '[', ']'),
        );
        (self.first, json)
    }
}

/// Opens a JSON object or list with `open`, or separates its next entry with a comma.
fn separate(out: &mut String, open: char) {
    match out.is_empty() {
        true => out.push(open),
        false => out.push(','),
    }
}

fn push_json_str(out: &mut String, text: &str) {
    out.push_str(&serde_json::to_string(text).unwrap_or_default());
}

fn to_bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

/// Ascending numbers as the first and then each one's difference from the one before.
fn delta<N: Copy + Into<u64>>(numbers: &[N]) -> Value {
    let mut last = 0u64;
    Value::from(
        numbers
            .iter()
            .map(|&n| {
                let n: u64 = n.into();
                let d = n - last;
                last = n;
                d
            })
            .collect::<Vec<_>>(),
    )
}

/// The Snowball stemmer of a language, if there is one for it.
fn stemmer(language: &str) -> Option<Stemmer> {
    let algorithm = match crate::i18n::base(language) {
        "de" => Algorithm::German,
        "en" => Algorithm::English,
        "fr" => Algorithm::French,
        "it" => Algorithm::Italian,
        "es" => Algorithm::Spanish,
        "nl" => Algorithm::Dutch,
        "pt" => Algorithm::Portuguese,
        "da" => Algorithm::Danish,
        "sv" => Algorithm::Swedish,
        "no" | "nb" | "nn" => Algorithm::Norwegian,
        "fi" => Algorithm::Finnish,
        "hu" => Algorithm::Hungarian,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "tr" => Algorithm::Turkish,
        "el" => Algorithm::Greek,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// A folded word's stem, itself folded (a stemmer may put accents back, or leave an `ß`).
fn stem(stemmer: Option<&Stemmer>, word: &str) -> String {
    match stemmer {
        // Numbers and codes are kept whole.
        Some(s) if word.chars().all(char::is_alphabetic) => {
            let folded = words(&s.stem(word)).concat();
            match folded.is_empty() {
                true => word.to_string(),
                false => folded,
            }
        }
        _ => word.to_string(),
    }
}

/// The words of `text`, folded as the search script folds them (see [`each_word`]).
fn words(text: &str) -> Vec<String> {
    let mut all = Vec::new();
    each_word(text, false, &mut String::new(), |w| all.push(w.to_string()));
    all
}

/// A word as [`each_word`] finds it: one of ASCII letters and digits of at most 16 bytes as
/// its [`short_key`], made from the text without copying it; any other as text.
#[derive(Clone, Copy)]
enum Word<'a> {
    Short(u128, usize),
    Text(&'a str),
}

impl<'a> Word<'a> {
    /// Its length in bytes.
    fn len(&self) -> usize {
        match *self {
            Word::Short(_, len) => len,
            Word::Text(w) => w.len(),
        }
    }

    /// Its [`short_key`], or its text when it is too long to have one.
    fn key(&self) -> Result<u128, &'a str> {
        match *self {
            Word::Short(key, _) => Ok(key),
            Word::Text(w) => short_key(w).ok_or(w),
        }
    }
}

impl std::fmt::Display for Word<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Word::Short(key, _) => f.write_str(&short_word(key)),
            Word::Text(w) => f.write_str(w),
        }
    }
}

/// The [`short_key`] of the `len` ASCII letters and digits at the start of `bytes`, in lower
/// case: setting every byte's `0x20` bit lowers a letter and leaves a digit as it is.
fn ascii_key(bytes: &[u8], len: usize) -> u128 {
    let raw = match bytes.get(..16) {
        Some(sixteen) => u128::from_le_bytes(sixteen.try_into().unwrap_or_default()),
        None => {
            let mut padded = [0u8; 16];
            padded[..bytes.len()].copy_from_slice(bytes);
            u128::from_le_bytes(padded)
        }
    };
    (raw | u128::from_le_bytes([0x20; 16])) & KEY_MASKS[len]
}

/// The mask of the first `n` bytes of a key, by `n` (a shift of a `u128` by a number known
/// only at run time takes several instructions and branches).
const KEY_MASKS: [u128; 17] = {
    let mut masks = [u128::MAX; 17];
    let mut n = 0;
    while n < 16 {
        masks[n] = (1u128 << (8 * n)) - 1;
        n += 1;
    }
    masks
};

/// Whether a byte is an ASCII letter or digit, looked up: the word lists read 40 MB of text
/// at 10,000 members, each word's first byte and every separator through this table (the
/// rest of a word eight bytes at a time, [`alphanumeric_run`]).
const ALPHANUMERIC: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// The number of ASCII letters and digits at the start of `bytes`, found eight bytes at a
/// time: a word's end is found without a branch per letter (whose outcome, the word's
/// length, the processor cannot foresee).
fn alphanumeric_run(bytes: &[u8]) -> usize {
    /// A byte repeated in each of a `u64`'s eight.
    const fn each(b: u8) -> u64 {
        u64::from_le_bytes([b; 8])
    }
    const HIGH: u64 = each(0x80);
    let mut n = 0;
    while let Some(chunk) = bytes.get(n..n + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        // Each byte with its top bit cleared, so that the per-byte differences below never
        // borrow from the next byte; bytes that had it are not ASCII, so not counted.
        let low = x & !HIGH;
        let folded = low | each(0x20);
        // A byte's top bit says `v >= lo` in `(v | 0x80) - lo`, and `v <= hi` in
        // `(hi | 0x80) - v`.
        let digit = ((low | HIGH) - each(b'0')) & (each(0x80 | b'9') - low);
        let letter = ((folded | HIGH) - each(b'a')) & (each(0x80 | b'z') - folded);
        let stops = !((digit | letter) & !x) & HIGH;
        if stops != 0 {
            return n + (stops.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + bytes[n..]
        .iter()
        .take_while(|&&b| ALPHANUMERIC[usize::from(b)])
        .count()
}

/// Calls `found` with each word of `text`, folded as the search script folds it: lower case,
/// accents off, `ß` → `ss` (and `æ`, `œ`, `ø`, `ł`, `đ`, `ð`, `þ`, `ı` likewise); anything
/// that is not a letter or a digit separates words. In `html`, tags and entities (`&amp;`,
/// `&#39;`) separate words too, as they are no part of one. `word` is the buffer a word is
/// gathered in.
fn each_word(text: &str, html: bool, word: &mut String, mut found: impl FnMut(Word<'_>)) {
    fn end_word(word: &mut String, found: &mut impl FnMut(Word<'_>)) {
        if !word.is_empty() {
            found(Word::Text(word));
            word.clear();
        }
    }
    word.clear();
    let bytes = text.as_bytes();
    // Whether a `>` may still come: once none does, a `<` is looked past at once.
    let mut closes = true;
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if ALPHANUMERIC[usize::from(b)] {
            // A run of ASCII letters and digits: most often a whole word, handed on as its
            // key, or as it stands when longer and in lower case already.
            let end = at + 1 + alphanumeric_run(&bytes[at + 1..]);
            let run = &text[at..end];
            let whole = word.is_empty() && bytes.get(end).is_none_or(u8::is_ascii);
            match whole {
                true if run.len() <= 16 => {
                    found(Word::Short(ascii_key(&bytes[at..], run.len()), run.len()))
                }
                true if !run.bytes().any(|b| b.is_ascii_uppercase()) => found(Word::Text(run)),
                _ => word.extend(run.chars().map(|c| c.to_ascii_lowercase())),
            }
            at = end;
            continue;
        }
        if b.is_ascii() {
            end_word(word, &mut found);
            let skip = match (html, b) {
                (true, b'<') if closes => {
                    let end = memchr::memchr(b'>', &bytes[at..]);
                    closes = end.is_some();
                    end
                }
                (true, b'&') => memchr::memchr(b';', &bytes[at..bytes.len().min(at + 11)]),
                _ => None,
            };
            at += skip.unwrap_or(0) + 1;
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
        let mut separated = false;
        unicode_normalization::char::decompose_canonical(c, |d| {
            if unicode_normalization::char::is_combining_mark(d) {
                return;
            }
            match d {
                'ß' | 'ẞ' => word.push_str("ss"),
                'æ' | 'Æ' => word.push_str("ae"),
                'œ' | 'Œ' => word.push_str("oe"),
                'ø' | 'Ø' => word.push('o'),
                'ł' | 'Ł' => word.push('l'),
                'đ' | 'Đ' | 'ð' | 'Ð' => word.push('d'),
                'þ' | 'Þ' => word.push_str("th"),
                'ı' => word.push('i'),
                d if d.is_alphanumeric() => word.extend(d.to_lowercase()),
                // A character that is not one of a word's ends it (a decomposition that
                // holds one ends the word there too: rare enough to end it after).
                _ => separated = true,
            }
        });
        if separated {
            end_word(word, &mut found);
        }
    }
    end_word(word, &mut found);
}

/// A summary cut at a word near [`SUMMARY`] characters.
fn short(text: &str) -> String {
    let text = text.trim();
    // Where the character after the first `SUMMARY` starts, if there is one.
    let Some((end, _)) = text.char_indices().nth(SUMMARY) else {
        return text.to_string();
    };
    let cut = &text[..end];
    let cut = cut.rsplit_once(' ').map_or(cut, |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// Everything a search can find on `site`, members first, then each collection's items.
fn records<'s>(
    site: &'s Site,
    made: &FxHashMap<&str, &tera::Value>,
    kinds: &mut Vec<(String, String, usize)>,
) -> Vec<Record<'s>> {
    let urls = &site.config.urls;
    let locale = &site.config.locale;
    kinds.push((
        "members".into(),
        locale.collection("members", "title", "Members").to_string(),
        0,
    ));
    let mut records: Vec<Record> = site
        .member_order
        .par_iter()
        .filter_map(|slug| {
            let e = site.members.get(slug)?;
            let m = &e.item;
            let mut filters: Vec<(&'static str, String, String)> = m
                .sectors
                .iter()
                .map(|t| ("sectors", t.slug.clone(), t.name.clone()))
                .collect();
            let mut text = String::new();
            for t in m.capabilities.iter().chain(&m.needs).chain(&m.sectors) {
                text.push_str(&t.name);
                text.push(' ');
            }
            for c in &m.certifications {
                text.push_str(c);
                text.push(' ');
            }
            if let Some(city) = &m.location.city {
                text.push_str(city);
                text.push(' ');
            }
            if let Some(region) = &m.location.region {
                text.push_str(&region.name);
                text.push(' ');
                filters.push(("regions", region.slug.clone(), region.name.clone()));
            }
            if let Some(country) = &m.location.country {
                let name = locale.country(&country.code);
                text.push_str(&name);
                text.push(' ');
                filters.push(("countries", country.code.to_ascii_lowercase(), name));
            }
            text.push_str(locale.member_kind(m.kind.key()));
            Some(Record {
                url: urls.path(&paths::member(slug)),
                title: m.name.clone(),
                kind: 0,
                summary: short(m.summary.as_deref().unwrap_or(&e.summary)),
                own_summary: m.summary.is_some(),
                body: &e.html,
                text,
                filters,
            })
        })
        .collect();
    let mut collect = Collect {
        site,
        made,
        kinds,
        records: &mut records,
    };
    items::each(&mut collect);
    records
}

/// Gathers the items of every collection as records.
struct Collect<'s, 'r> {
    site: &'s Site,
    /// The items' values their pages made, by site path.
    made: &'r FxHashMap<&'r str, &'r tera::Value>,
    kinds: &'r mut Vec<(String, String, usize)>,
    records: &'r mut Vec<Record<'s>>,
}

impl Visit for Collect<'_, '_> {
    fn visit<C: Shown>(&mut self) {
        if C::KEY == "members" {
            return;
        }
        let site = self.site;
        let entries = C::entries(site);
        if entries.is_empty() {
            return;
        }
        let kind = self.kinds.len();
        let title = site.config.locale.collection(C::KEY, "title", C::TITLE);
        self.kinds
            .push((C::KEY.to_string(), title.to_string(), self.records.len()));
        let found: Vec<Record> = entries
            .par_iter()
            .filter(|(_, e)| !C::noindex(site, e))
            .map(|(slug, e)| record::<C>(site, self.made, slug, e, kind))
            .collect();
        self.records.extend(found);
    }
}

/// An item as a search finds it: its title, summary and body, and the words of its page's
/// other fields (places, topics, organisers, kinds…), taken from its template value.
fn record<'s, C: Shown>(
    site: &'s Site,
    made: &FxHashMap<&str, &tera::Value>,
    slug: &str,
    e: &'s Entry<C>,
    kind: usize,
) -> Record<'s> {
    let urls = &site.config.urls;
    let path = match C::KEY {
        "pages" => paths::page(slug),
        key => paths::item(key, slug),
    };
    let mut text = String::new();
    let mut filters = Vec::new();
    match made.get(path.as_str()) {
        Some(value) => words_of(value, "", &mut text, &mut filters),
        None => words_of(&C::value(site, e), "", &mut text, &mut filters),
    }
    let summary = e.item.summary().unwrap_or(&e.summary);
    Record {
        url: urls.path(&path),
        title: e.item.title().to_string(),
        kind,
        summary: short(summary),
        own_summary: e.item.summary().is_some(),
        body: &e.html,
        text,
        filters,
    }
}

/// Keys of template values whose text is not for searching: addresses, codes, markup.
const NOT_TEXT: &[&str] = &[
    "url",
    "permalink",
    "slug",
    "logo",
    "image",
    "email",
    "phone",
    "website",
    "html",
    "content",
    "card",
    "row",
    "jsonld",
    "lang",
    "code",
    "kind",
    "type",
    "status",
    "start",
    "end",
    "date",
    "ics",
    "google",
    "outlook",
    "directions",
    "lat",
    "lon",
    "apply",
    "register",
    "registration",
];

/// Adds the text of the string values in `value` to `text`, and its sectors and country as
/// filters.
fn words_of(
    value: &tera::Value,
    key: &str,
    text: &mut String,
    filters: &mut Vec<(&'static str, String, String)>,
) {
    if NOT_TEXT.contains(&key) || key.ends_with("_url") || key.ends_with("_lang") {
        return;
    }
    if let Some(s) = value.as_str() {
        if !s.contains("://") && !s.contains('@') && !s.starts_with('/') {
            text.push_str(s);
            text.push(' ');
        }
        return;
    }
    if let Some(list) = value.as_array() {
        for v in list {
            words_of(v, key, text, filters);
        }
        return;
    }
    if let Some(map) = value.as_map() {
        if key == "sectors" || key == "country" || key == "region" {
            let field = |k: &'static str| {
                map.get(&tera::value::Key::from(k))
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let facet = match key {
                "sectors" => "sectors",
                "region" => "regions",
                _ => "countries",
            };
            let slug = field("slug").or_else(|| field("code").map(|c| c.to_ascii_lowercase()));
            if let (Some(slug), Some(name)) = (slug, field("name"))
                && !filters.iter().any(|(f, s, _)| *f == facet && *s == slug)
            {
                filters.push((facet, slug, name));
            }
        }
        for (k, v) in map.iter() {
            let k = k.as_str().unwrap_or("");
            words_of(v, k, text, filters);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_words_come_back_from_their_keys_and_long_ones_have_none() {
        for w in [
            "ab",
            "zürich",
            "sixteen-letters!",
            "łódź",
            "0123456789abcdef",
        ] {
            assert_eq!(short_word(short_key(w).unwrap()), w);
        }
        assert_eq!(short_key("seventeen-letters"), None);
        assert_ne!(short_key("ab"), short_key("ab0"));
    }

    #[test]
    fn runs_of_letters_and_digits_end_at_the_first_other_byte() {
        for b in 0..=255u8 {
            for at in 0..20 {
                let mut bytes = vec![b'a'; 20];
                bytes[at] = b;
                let want = match b.is_ascii_alphanumeric() {
                    true => 20,
                    false => at,
                };
                assert_eq!(alphanumeric_run(&bytes), want, "byte {b:#x} at {at}");
            }
        }
        assert_eq!(alphanumeric_run(b"Zz09AZaz"), 8);
        assert_eq!(alphanumeric_run(b"ab"), 2);
        assert_eq!(alphanumeric_run(b""), 0);
    }

    #[test]
    fn words_fold_as_the_script_folds_them() {
        assert_eq!(
            words("Präzisions-Schleifen in Lörrach; Spritzguß & ŒUVRE 5-Achs"),
            [
                "prazisions",
                "schleifen",
                "in",
                "lorrach",
                "spritzguss",
                "oeuvre",
                "5",
                "achs"
            ]
        );
    }

    #[test]
    fn stems_are_folded_and_numbers_kept() {
        let de = stemmer("de");
        assert_eq!(
            stem(de.as_ref(), "beschichtungen"),
            stem(de.as_ref(), "beschichtung")
        );
        let en = stemmer("en");
        assert_eq!(stem(en.as_ref(), "coatings"), "coat");
        assert_eq!(stem(en.as_ref(), "coated"), "coat");
        assert_eq!(stem(en.as_ref(), "iso9001"), "iso9001");
        assert_eq!(stem(stemmer("xx").as_ref(), "words"), "words");
    }

    #[test]
    fn bodies_lose_their_tags_and_summaries_stay_short() {
        let mut found = Vec::new();
        each_word(
            "<p>Tom &amp; Jerry<br>at <a href=\"/x/\">home</a> & more</p>",
            true,
            &mut String::new(),
            |w| found.push(w.to_string()),
        );
        assert_eq!(found, ["tom", "jerry", "at", "home", "more"]);
        let mut found = Vec::new();
        each_word(
            "SIXTEEN16LETTERS Seventeen17Letters x",
            false,
            &mut String::new(),
            |w| found.push((w.to_string(), w.key().ok())),
        );
        assert_eq!(
            found,
            [
                ("sixteen16letters".into(), short_key("sixteen16letters")),
                ("seventeen17letters".into(), None),
                ("x".into(), short_key("x")),
            ]
        );
        let long = "word ".repeat(100);
        let cut = short(&long);
        assert!(
            cut.chars().count() <= SUMMARY + 1 && cut.ends_with('…'),
            "{cut}"
        );
    }
}
