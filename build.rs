//! Lists the built-in theme's files for `src/render/theme.rs`, which embeds them in the
//! binary: a file added to `themes/default/` is embedded without being named anywhere else.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=themes/default");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest.join("themes/default");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut list = String::from("&[\n");
    for name in &files {
        let path = root.join(name);
        list.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    list.push(']');
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    std::fs::write(out.join("default_theme.rs"), list).expect("OUT_DIR is writable");
}

/// Every file under `dir`, by its path relative to `root` with `/` between folders; hidden
/// files (editor back-ups, `.DS_Store`) are left out.
fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let entries = std::fs::read_dir(dir).expect("themes/default is readable");
    for entry in entries {
        let path = entry.expect("themes/default is readable").path();
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, files);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.push(parts.join("/"));
        }
    }
}
