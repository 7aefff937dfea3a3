//! On which page of a printed PDF each named destination lies: Chromium names a destination
//! after the `id` of every element a link of the page points to (`href="#m-acme"`), and the
//! brochures' contents are such links. Chromium lacks CSS `target-counter()`, so the contents'
//! page numbers are read from a first print and filled in for the second.
//!
//! Only what Chromium writes is read: a classic cross-reference table, the catalog's
//! `/Pages` tree and its `/Dests` dictionary, none of them inside streams. Anything else
//! gives no numbers rather than wrong ones.

use std::collections::HashMap;

/// Each named destination's page, counted from 1.
pub fn pages(pdf: &[u8]) -> HashMap<String, usize> {
    read(pdf).unwrap_or_default()
}

fn read(pdf: &[u8]) -> Option<HashMap<String, usize>> {
    let file = File::open(pdf)?;
    let root = file.trailer_reference(b"/Root")?;
    let catalog = file.object(root)?;
    let tree = reference(catalog, b"/Pages")?;
    let dests = file.object(reference(catalog, b"/Dests")?)?;
    let mut page_numbers = HashMap::new();
    file.walk_pages(tree, &mut page_numbers, 0, 0)?;
    let mut out = HashMap::new();
    for (name, page) in dictionary_entries(dests) {
        if let Some(n) = page_numbers.get(&page) {
            out.insert(name, *n);
        }
    }
    Some(out)
}

/// A PDF's bytes and where each object starts.
struct File<'a> {
    bytes: &'a [u8],
    offsets: Vec<usize>,
    trailer: &'a [u8],
}

impl<'a> File<'a> {
    fn open(bytes: &'a [u8]) -> Option<File<'a>> {
        let start = rfind(bytes, b"startxref")?;
        let at: usize = number_after(&bytes[start + 9..])?.0 as usize;
        let table = bytes.get(at..)?;
        let table = table.strip_prefix(b"xref")?;
        let (first, rest) = number_after(table)?;
        let (count, rest) = number_after(rest)?;
        let rest = skip_space(rest);
        let mut offsets = vec![0; (first + count) as usize];
        for i in 0..count as usize {
            let entry = rest.get(i * 20..i * 20 + 18)?;
            if entry.get(17) == Some(&b'n') {
                let offset = std::str::from_utf8(&entry[..10]).ok()?.parse().ok()?;
                offsets[first as usize + i] = offset;
            }
        }
        let trailer_at = rest.get(count as usize * 20..)?;
        let trailer = &trailer_at[..find(trailer_at, b"startxref").unwrap_or(trailer_at.len())];
        Some(File {
            bytes,
            offsets,
            trailer,
        })
    }

    fn trailer_reference(&self, key: &[u8]) -> Option<u32> {
        reference(self.trailer, key)
    }

    /// The text of object `id`, from after `obj` to `endobj`.
    fn object(&self, id: u32) -> Option<&'a [u8]> {
        let at = *self.offsets.get(id as usize)?;
        let from = self.bytes.get(at..)?;
        let head = format!("{id} 0 obj");
        let body = from.strip_prefix(head.as_bytes())?;
        Some(&body[..find(body, b"endobj")?])
    }

    /// Numbers the pages of the tree under `node` (at `depth`) in order, after `done` pages.
    fn walk_pages(
        &self,
        node: u32,
        out: &mut HashMap<u32, usize>,
        done: usize,
        depth: usize,
    ) -> Option<usize> {
        // A tree this deep is no tree Chromium writes, but a loop.
        if depth > 32 || done > 1_000_000 {
            return None;
        }
        let body = self.object(node)?;
        if !has_name(body, b"/Type", b"/Pages") {
            out.insert(node, done + 1);
            return Some(done + 1);
        }
        let kids = after(body, b"/Kids")?;
        let list = &kids[find(kids, b"[")? + 1..find(kids, b"]")?];
        let mut done = done;
        for kid in references(list) {
            done = self.walk_pages(kid, out, done, depth + 1)?;
        }
        Some(done)
    }
}

/// The entries `/name [page 0 R /XYZ …]` of a dictionary, as (name, page object).
fn dictionary_entries(body: &[u8]) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(slash) = find(rest, b"/") {
        let name_bytes: Vec<u8> = rest[slash + 1..]
            .iter()
            .copied()
            .take_while(|b| !b.is_ascii_whitespace() && !b"[]<>()/{}%".contains(b))
            .collect();
        rest = &rest[slash + 1 + name_bytes.len()..];
        let value = skip_space(rest);
        if let Some(array) = value.strip_prefix(b"[") {
            if let Some(page) = references(array).next()
                && let Some(name) = decode_name(&name_bytes)
            {
                out.push((name, page));
            }
            rest = &array[find(array, b"]").unwrap_or(0)..];
        }
    }
    out
}

/// A PDF name's text: `#xx` is the byte xx.
fn decode_name(raw: &[u8]) -> Option<String> {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#' {
            let hex = std::str::from_utf8(raw.get(i + 1..i + 3)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            bytes.push(raw[i]);
            i += 1;
        }
    }
    String::from_utf8(bytes).ok()
}

/// The object `key N 0 R` refers to.
fn reference(body: &[u8], key: &[u8]) -> Option<u32> {
    references(after(body, key)?).next()
}

/// The references `N G R` at the start of `text` and after each other.
fn references(text: &[u8]) -> impl Iterator<Item = u32> + '_ {
    let mut rest = text;
    std::iter::from_fn(move || {
        let (id, after_id) = number_after(rest)?;
        let (_generation, after_gen) = number_after(after_id)?;
        let after_r = skip_space(after_gen).strip_prefix(b"R")?;
        rest = after_r;
        u32::try_from(id).ok()
    })
}

/// What follows `key` used as a key (not as the start of a longer name).
fn after<'b>(body: &'b [u8], key: &[u8]) -> Option<&'b [u8]> {
    let mut from = 0;
    while let Some(at) = find(&body[from..], key) {
        let end = from + at + key.len();
        let next = body.get(end).copied().unwrap_or(b' ');
        if !next.is_ascii_alphanumeric() {
            return Some(&body[end..]);
        }
        from = end;
    }
    None
}

/// Whether the dictionary has `key value` with exactly that name as value.
fn has_name(body: &[u8], key: &[u8], value: &[u8]) -> bool {
    after(body, key).is_some_and(|rest| {
        skip_space(rest)
            .strip_prefix(value)
            .is_some_and(|tail| tail.first().is_none_or(|b| !b.is_ascii_alphanumeric()))
    })
}

/// A whole number after optional white space, and what follows it.
fn number_after(text: &[u8]) -> Option<(u64, &[u8])> {
    let text = skip_space(text);
    let digits = text.iter().take_while(|b| b.is_ascii_digit()).count();
    let n = std::str::from_utf8(&text[..digits]).ok()?.parse().ok()?;
    Some((n, &text[digits..]))
}

fn skip_space(text: &[u8]) -> &[u8] {
    let n = text.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &text[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF as Chromium writes one, reduced to what is read: three pages in a two-level
    /// tree, three destinations (one with an escaped name).
    fn sample() -> Vec<u8> {
        let objects = [
            "<</Type /Catalog\n/Pages 2 0 R\n/Dests 3 0 R>>",
            "<</Type /Pages\n/Count 3\n/Kids [4 0 R 5 0 R]>>",
            "<</m-acme [6 0 R /XYZ 0 841.9 0]\n/m-beta [7 0 R /XYZ 0 400 0]\n/m-caf#C3#A9 [8 0 R /XYZ 0 842 0]>>",
            "<</Type /Pages\n/Parent 2 0 R\n/Count 2\n/Kids [6 0 R 7 0 R]>>",
            "<</Type /Pages\n/Parent 2 0 R\n/Count 1\n/Kids [8 0 R]>>",
            "<</Type /Page\n/Parent 4 0 R>>",
            "<</Type /Page\n/Parent 4 0 R>>",
            "<</Type /Page\n/Parent 5 0 R>>",
        ];
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for o in offsets {
            pdf.extend(format!("{o:010} 00000 n \n").as_bytes());
        }
        pdf.extend(
            format!(
                "trailer\n<</Size {}\n/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF",
                objects.len() + 1
            )
            .as_bytes(),
        );
        pdf
    }

    #[test]
    fn destinations_are_found_on_their_pages_in_tree_order() {
        let pages = pages(&sample());
        assert_eq!(pages.get("m-acme"), Some(&1));
        assert_eq!(pages.get("m-beta"), Some(&2));
        assert_eq!(pages.get("m-café"), Some(&3));
        assert_eq!(pages.len(), 3);
    }

    #[test]
    fn anything_else_gives_no_numbers_rather_than_wrong_ones() {
        assert!(pages(b"").is_empty());
        assert!(pages(b"%PDF-1.7\nstartxref\n99999\n%%EOF").is_empty());
        let mut cut = sample();
        cut.truncate(cut.len() / 2);
        assert!(pages(&cut).is_empty());
        // A page tree that points to itself.
        let looped = String::from_utf8(sample())
            .unwrap()
            .replace("/Kids [6 0 R 7 0 R]", "/Kids [4 0 R 7 0 R]");
        assert!(pages(looped.as_bytes()).is_empty());
    }
}
