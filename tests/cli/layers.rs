//! Imports run one way (issue 18): every top-level module of `src/` has a layer, and a module
//! may use its own layer or lower ones only. Something a lower stage needs from a higher one
//! lives in the wrong place: move it down rather than import up.
//!
//! The check reads the source, not the compiler's view: every `crate::` path in code (in `use`
//! lines, grouped or spread over lines, and inline), `super::` chains that climb out of a
//! top-level module, and in `lib.rs` the bare module paths (`render::render_site`). Comments
//! and string literals are skipped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The crate root's own items (`generate`, `load`, `Options`, `Loaded`): the pipeline that
/// joins the stages, above `output` and below the tools built on it.
const ROOT: &str = "lib.rs";

/// Lowest first. A module may import from its own layer and the ones before it.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "leaf utilities",
        &[
            "diag", "url", "timings", "progress", "http", "text", "terms", "browser", "i18n",
            "images", "map",
        ],
    ),
    ("content", &["content"]),
    ("config", &["config"]),
    ("model", &["model"]),
    (
        "what editors are given: schemas, the editing UI",
        &["schema", "cms"],
    ),
    ("render", &["render"]),
    ("output", &["output"]),
    ("the pipeline (lib.rs: generate, load, Options)", &[ROOT]),
    // Printing serves the new output with the shared server (`http`), not with `serve`.
    ("printing", &["pdf"]),
    ("tools on the pipeline", &["serve", "fuzz", "import"]),
    ("the command line", &["cli", "commands"]),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, ms)| ms.contains(&module))
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level modules `lib.rs` declares.
fn declared_modules() -> BTreeSet<String> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    code_only(&lib)
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix("pub ").unwrap_or(l);
            let rest = rest.strip_prefix("pub(crate) ").unwrap_or(rest);
            let name = rest.strip_prefix("mod ")?.strip_suffix(';')?;
            Some(name.trim().to_string())
        })
        .collect()
}

/// Every `.rs` file under `src/`, except `main.rs` (the binary, a crate of its own that
/// reaches the library only through its public API).
fn source_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&src(), &mut files);
    files.retain(|f| f != &src().join("main.rs"));
    files
}

/// The module path a file is (`src/render/links.rs` → `["render", "links"]`, `src/lib.rs` →
/// `[]`).
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    match last.as_str() {
        "lib.rs" | "mod.rs" => {}
        file => parts.push(file.trim_end_matches(".rs").to_string()),
    }
    parts
}

/// `text` with comments and the insides of string and character literals blanked out
/// (line breaks kept, so that line numbers still hold).
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, s: &[u8]| {
        for c in String::from_utf8_lossy(s).chars() {
            out.push(if c == '\n' { '\n' } else { ' ' });
        }
    };
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        let ident_before = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        let end = if rest.starts_with(b"//") {
            i + rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len())
        } else if rest.starts_with(b"/*") {
            let mut depth = 0;
            let mut j = i;
            loop {
                if j >= b.len() {
                    break j;
                }
                if b[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if b[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break j;
                    }
                } else {
                    j += 1;
                }
            }
        } else if !ident_before && (rest.starts_with(b"r#") || rest.starts_with(b"r\"")) {
            let hashes = rest[1..].iter().take_while(|&&c| c == b'#').count();
            if rest.get(1 + hashes) != Some(&b'"') {
                out.push(b[i] as char);
                i += 1;
                continue;
            }
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let body = i + 2 + hashes;
            body + find(&b[body..], &close).map_or(b.len() - body, |e| e + close.len())
        } else if rest[0] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            j + 1
        } else if rest[0] == b'\'' {
            // A character literal ('a', '\n', '\''), not a lifetime ('a).
            let len = if rest.get(1) == Some(&b'\\') {
                rest[2..].iter().position(|&c| c == b'\'').map(|p| p + 3)
            } else {
                let c = std::str::from_utf8(&rest[1..rest.len().min(6)])
                    .or_else(|e| std::str::from_utf8(&rest[1..1 + e.valid_up_to()]))
                    .ok()
                    .and_then(|s| s.chars().next());
                c.map(char::len_utf8)
                    .filter(|n| rest.get(1 + n) == Some(&b'\''))
                    .map(|n| n + 2)
            };
            match len {
                Some(n) => i + n,
                None => {
                    out.push('\'');
                    i += 1;
                    continue;
                }
            }
        } else {
            let len = text[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&text[i..i + len]);
            i += len;
            continue;
        };
        let end = end.min(b.len());
        blank(&mut out, &b[i..end]);
        i = end;
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The identifier at the start of `s`.
fn ident(s: &str) -> &str {
    let n = s.bytes().take_while(|&c| is_ident(c)).count();
    &s[..n]
}

/// The first names of the paths in a `{…}` group that starts at `s` (`{a, b::c, d::{e}}` →
/// `a`, `b`, `d`).
fn group_heads(s: &str) -> Vec<&str> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut expecting = true;
    for (i, c) in s.char_indices() {
        match c {
            '{' => {
                depth += 1;
                expecting = depth == 1;
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => expecting = true,
            c if c.is_whitespace() => {}
            _ if expecting && depth == 1 => {
                heads.push(ident(&s[i..]));
                expecting = false;
            }
            _ => {}
        }
    }
    heads
}

/// A path that leaves its module for another top-level one: (line, top-level name, the path
/// as written).
#[derive(Debug, PartialEq)]
struct Import {
    line: usize,
    target: String,
    written: String,
}

/// The crate-level paths of one file: `crate::x`, `crate::{x, y}`, `super::…` chains that
/// climb to the crate root and, in `lib.rs`, bare paths starting with a module of `modules`.
fn crate_paths(code: &str, module: &[String], modules: &BTreeSet<String>) -> Vec<Import> {
    let b = code.as_bytes();
    let line_at = |i: usize| code[..i].matches('\n').count() + 1;
    let written_at = |i: usize| {
        let mut end = code[i..]
            .find([';', '\n'])
            .map_or(code.len(), |e| i + e)
            .min(i + 80);
        while !code.is_char_boundary(end) {
            end -= 1;
        }
        code[i..end].trim().to_string()
    };
    let mut found = Vec::new();
    let push = |start: usize, after: usize, found: &mut Vec<Import>| {
        let rest = &code[after..];
        let group = rest.starts_with('{');
        let heads = match group {
            true => group_heads(rest),
            false => vec![ident(rest)],
        };
        for head in heads {
            let written = match group {
                true => format!("{}{{… {head} …}}", &code[start..after]),
                false => written_at(start),
            };
            let target = match head {
                "self" | "" => ROOT.to_string(),
                h if modules.contains(h) => h.to_string(),
                // An item of the root itself (`crate::load`, `crate::Options`).
                _ => ROOT.to_string(),
            };
            found.push(Import {
                line: line_at(start),
                target,
                written,
            });
        }
    };
    // Inline `mod name {` blocks deepen `super::`; their braces are tracked.
    let mut inline_mods: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        let before_ok = i == 0 || !(is_ident(b[i - 1]) || b[i - 1] == b':' || b[i - 1] == b'$');
        let rest = &code[i..];
        if b[i] == b'{' {
            depth += 1;
        } else if b[i] == b'}' {
            depth = depth.saturating_sub(1);
            if inline_mods.last() == Some(&depth) {
                inline_mods.pop();
            }
        } else if before_ok && rest.starts_with("mod ") {
            let name_len = ident(rest[4..].trim_start()).len();
            let after = rest[4..].trim_start()[name_len..].trim_start();
            if name_len > 0 && after.starts_with('{') {
                inline_mods.push(depth);
            }
        } else if before_ok && rest.starts_with("crate::") {
            push(i, i + "crate::".len(), &mut found);
            i += "crate::".len();
            continue;
        } else if before_ok && rest.starts_with("super::") {
            let mut k = 0;
            let mut j = i;
            while code[j..].starts_with("super::") {
                k += 1;
                j += "super::".len();
            }
            if k >= module.len() + inline_mods.len() {
                push(i, j, &mut found);
            }
            i = j;
            continue;
        } else if before_ok && module.is_empty() {
            let name = ident(rest);
            if modules.contains(name) && code[i + name.len()..].starts_with("::") {
                push(i, i, &mut found);
                i += name.len();
                continue;
            }
        }
        i += 1;
    }
    found
}

/// The imports of one file that reach above its layer, as messages.
fn violations(rel: &Path, text: &str, modules: &BTreeSet<String>) -> Vec<String> {
    let module = module_path(rel);
    let own = module.first().map_or(ROOT, String::as_str);
    let Some(mine) = layer_of(own) else {
        return vec![format!(
            "src/{}: module `{own}` has no layer in tests/cli/layers.rs",
            rel.display()
        )];
    };
    crate_paths(&code_only(text), &module, modules)
        .into_iter()
        .filter(|imp| imp.target != own)
        .filter_map(|imp| {
            let theirs = layer_of(&imp.target)?;
            (theirs > mine).then(|| {
                format!(
                    "src/{}:{}: `{own}` imports from `{}`, a higher layer ({} is above {}): `{}`",
                    rel.display(),
                    imp.line,
                    imp.target,
                    LAYERS[theirs].0,
                    LAYERS[mine].0,
                    imp.written
                )
            })
        })
        .collect()
}

#[test]
fn every_top_level_module_has_a_layer() {
    let declared = declared_modules();
    assert!(declared.contains("render"), "{declared:?}");
    let mut problems: Vec<String> = declared
        .iter()
        .filter(|m| layer_of(m).is_none())
        .map(|m| format!("module `{m}` has no layer: add it to LAYERS in tests/cli/layers.rs"))
        .collect();
    for (_, ms) in LAYERS {
        for m in *ms {
            if *m != ROOT && !declared.contains(*m) {
                problems.push(format!("LAYERS names `{m}`, which lib.rs does not declare"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_module_imports_from_a_higher_layer() {
    let modules = declared_modules();
    let mut problems = Vec::new();
    let files = source_files();
    assert!(files.len() > 50, "{files:?}");
    for file in files {
        let rel = file.strip_prefix(src()).unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        problems.extend(violations(rel, &text, &modules));
    }
    assert!(
        problems.is_empty(),
        "imports must run from higher layers to lower ones only (see CONTRIBUTING.md, \"Shape of the code\"):\n{}",
        problems.join("\n")
    );
}

#[test]
fn an_import_from_a_higher_layer_is_found_in_every_form() {
    let modules: BTreeSet<String> = ["diag", "content", "config", "model", "render", "serve"]
        .map(String::from)
        .into();
    let check = |file: &str, text: &str| violations(Path::new(file), text, &modules);
    // Grouped over several lines, with a nested group.
    let found = check(
        "content/mod.rs",
        "use crate::{\n    diag::Diagnostics,\n    model::{Site, Entry},\n};\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(
            "src/content/mod.rs:1: `content` imports from `model`, a higher layer (model is above content): `crate::{… model …}`"
        ),
        "{}",
        found[0]
    );
    // Inline, in code; not in comments or strings.
    let found = check(
        "config/host.rs",
        "// crate::render::x\nfn f() { let s = \"crate::render\"; crate::render::sitemap::escape_xml(s); }\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("src/config/host.rs:2:"),
        "{}",
        found[0]
    );
    // The root's own items are above every stage; `super::` out of a top-level module too.
    assert_eq!(check("model/load.rs", "use crate::Options;\n").len(), 1);
    assert_eq!(
        check("model/mod.rs", "use super::render::Output;\n").len(),
        1
    );
    assert!(
        check(
            "model/load.rs",
            "use super::Site;\nmod tests { use super::*; }\n"
        )
        .is_empty()
    );
    // lib.rs names its modules without `crate::`.
    assert_eq!(check("lib.rs", "fn f() { serve::run() }\n").len(), 1);
    // The same or a lower layer is fine.
    assert!(
        check(
            "render/links.rs",
            "use crate::{config, model::Site, diag};\n"
        )
        .is_empty()
    );
    // A module without a layer is named.
    let found = check("shiny.rs", "");
    assert!(found[0].contains("`shiny` has no layer"), "{found:?}");
}
