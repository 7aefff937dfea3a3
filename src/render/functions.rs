//! Functions and filters the templates can call, beyond Tera's own.

use tera::{Kwargs, State, Tera, TeraResult};

use crate::config::Config;

/// Registers `url(path=...)`, which turns a site path into a link that honours the base path:
/// `{{ url(path="clusterpress.css") }}` → `/my-cluster/clusterpress.css`; the `slug` filter
/// (`"Lean & Six Sigma" | slug` → `lean-six-sigma`); and `thousands` (`1200` → `1,200`).
pub fn register(tera: &mut Tera, config: &Config) {
    let urls = config.urls.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            Ok(urls.path(&path))
        },
    );
    tera.register_filter("slug", |s: &str, _: Kwargs, _: &State| slug::slugify(s));
    tera.register_filter("thousands", |n: i64, _: Kwargs, _: &State| {
        let digits = n.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if n < 0 { format!("-{out}") } else { out }
    });
}
