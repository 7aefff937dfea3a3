//! Values with rules: slugs, countries, asset paths and taxonomy terms. Each check returns the
//! cleaned value or a message and a help line. The rules that `cluster.yaml` shares (web and
//! e-mail addresses, colours, languages) are in [`crate::text`].

use std::collections::BTreeSet;

use serde::Serialize;

use crate::text::{MAX_NAME_BYTES, Refusal, dangerous_scheme, shortened};

/// Checks that a file name can be a slug: lowercase ASCII letters, digits and single hyphens,
/// at most [`MAX_NAME_BYTES`] long.
pub fn check_slug(name: &str) -> Result<String, Refusal> {
    if name.len() > MAX_NAME_BYTES {
        return Err((
            format!(
                "the file name `{}` is too long: {} characters, at most {MAX_NAME_BYTES} are allowed",
                shortened(name),
                name.chars().count()
            ),
            "rename the file to a shorter name: it becomes part of the page's address and of file names of the site, which file systems limit to 255 bytes".to_string(),
        ));
    }
    let ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--");
    if ok {
        Ok(name.to_string())
    } else {
        let suggestion = slug::slugify(name);
        let help = if suggestion.is_empty() {
            "name the file with lowercase letters, digits and hyphens, e.g. `acme-robotics.md`"
                .to_string()
        } else {
            format!(
                "rename the file to `{suggestion}.md` (lowercase letters, digits and hyphens only, so that the URL works on every host)"
            )
        };
        Err((format!("`{name}` cannot be used as a URL slug"), help))
    }
}

/// A country by its ISO 3166-1 alpha-2 code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Country {
    pub code: String,
    pub name: String,
}

pub fn check_country(value: &str) -> Result<Country, Refusal> {
    let trimmed = value.trim();
    if trimmed.len() == 2
        && let Ok(c) = celes::Country::from_alpha2(trimmed)
    {
        if trimmed != c.alpha2 {
            return Err((
                format!("`{trimmed}` must be written in capitals"),
                format!("write `{}`", c.alpha2),
            ));
        }
        return Ok(Country {
            code: c.alpha2.to_string(),
            name: country_name(&c),
        });
    }
    let guess = celes::Country::from_name(trimmed)
        .or_else(|_| celes::Country::from_alias(trimmed.replace(' ', "")))
        .or_else(|_| celes::Country::from_alpha3(trimmed))
        .ok();
    let help = match guess {
        Some(c) => format!("did you mean `{}` ({})?", c.alpha2, country_name(&c)),
        None => "use the two-letter ISO 3166-1 code, e.g. `DE`, `FR`, `CH`, `AT`".into(),
    };
    Err((
        format!("`{trimmed}` is not an ISO 3166-1 country code"),
        help,
    ))
}

/// A short, common English name: celes carries official long names for a few countries.
fn country_name(c: &celes::Country) -> String {
    match c.alpha2 {
        "GB" => "United Kingdom".into(),
        "US" => "United States".into(),
        "KR" => "South Korea".into(),
        "RU" => "Russia".into(),
        "CZ" => "Czechia".into(),
        "NL" => "Netherlands".into(),
        _ => c.long_name.to_string(),
    }
}

/// Checks a path to a file in the site's `static/` folder (or the theme's) and returns it
/// as a site path. Remote images are refused: the site makes no third-party requests.
pub fn check_asset(value: &str, static_files: &BTreeSet<String>) -> Result<String, Refusal> {
    let value = value.trim();
    if value.contains("://") || value.starts_with("//") || dangerous_scheme(value).is_some() {
        return Err((
            format!("`{value}` is not a file of the site"),
            "download the image into the `static/` folder and write its path, e.g. `logos/acme.svg`".into(),
        ));
    }
    let path = value.trim_start_matches('/');
    let escapes = path.split(['/', '\\']).any(|part| part == "..")
        || path.contains('\\')
        || path.contains(':');
    if escapes || path.is_empty() {
        return Err((
            format!("`{value}` points outside the `static/` folder"),
            "write a path inside `static/`, with `/` between folders, e.g. `logos/acme.svg`".into(),
        ));
    }
    if static_files.contains(path) {
        return Ok(path.to_string());
    }
    let help = match crate::diag::did_you_mean(path, static_files.iter().map(String::as_str)) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("put the file at `static/{path}`"),
    };
    Err((format!("there is no file `static/{path}`"), help))
}

pub use crate::terms::{Term, check_term};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_accept_only_url_safe_names() {
        assert!(check_slug("acme-robotics").is_ok());
        assert!(check_slug("a1").is_ok());
        for bad in [
            "Acme",
            "acme robotics",
            "acme_robotics",
            "-a",
            "a--b",
            "ä",
            "",
        ] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
        assert!(
            check_slug("Acme Robotics")
                .unwrap_err()
                .1
                .contains("`acme-robotics.md`")
        );
    }

    #[test]
    fn names_that_would_be_too_long_for_a_file_system_are_refused() {
        assert!(check_slug(&"a".repeat(MAX_NAME_BYTES)).is_ok());
        let (message, _) = check_slug(&"a".repeat(252)).unwrap_err();
        assert!(message.contains("252 characters, at most 200"), "{message}");
        assert!(check_term(&"Automation ".repeat(18)).is_ok());
        let (message, _) = check_term(&"x".repeat(280)).unwrap_err();
        assert!(message.contains("280 characters, at most 200"), "{message}");
        // A few characters that make a long slug.
        assert!(check_term(&"北京".repeat(40)).is_err());
    }

    #[test]
    fn countries_are_iso_codes_with_help_for_names() {
        assert_eq!(check_country("DE").unwrap().name, "Germany");
        assert!(check_country("de").unwrap_err().1.contains("`DE`"));
        assert!(check_country("Germany").unwrap_err().1.contains("`DE`"));
        assert!(check_country("XX").is_err());
    }

    #[test]
    fn assets_stay_inside_static() {
        let files: BTreeSet<String> = ["logos/acme.svg".to_string()].into();
        assert_eq!(
            check_asset("/logos/acme.svg", &files).unwrap(),
            "logos/acme.svg"
        );
        assert!(
            check_asset("../../secret", &files)
                .unwrap_err()
                .0
                .contains("outside")
        );
        assert!(check_asset("https://cdn.example/a.png", &files).is_err());
        assert!(
            check_asset("logos/acme.png", &files)
                .unwrap_err()
                .1
                .contains("logos/acme.svg")
        );
    }

    #[test]
    fn terms_get_slugs() {
        assert_eq!(
            check_term("Automation &  robotics").unwrap(),
            Term::new("Automation & robotics", "automation-robotics")
        );
        assert!(check_term("&&").is_err());
    }
}
