//! Text that more than one stage reads or writes: the rules for values people type in both
//! `cluster.yaml` and content files (web and e-mail addresses, colours, languages, time
//! zones, link schemes), and numbers and sizes written for people.
//!
//! A leaf: configuration loads before the content model, so the checks both apply live here,
//! below both, rather than in `model` (the model's own newtypes stay in `model::types`). Each
//! check returns the cleaned value or a [`Refusal`].

use jiff::tz::TimeZone;

use crate::diag::did_you_mean;

/// Why a value was refused: what is wrong, and how to fix it.
pub type Refusal = (String, String);

/// The longest name (in bytes) that input may give to one folder or file of the output.
///
/// File systems allow 255 bytes per name (ext4, APFS, NTFS, most others); clusterpress adds
/// to a slug for some files (`lean-basics-2027-03-15.ics` for a course session, `acme.vcf`,
/// `acme.pdf`), so a slug or a term's slug must leave room for that. A longer name passed
/// `check` and then failed `build` with "File name too long" (issue 17).
pub const MAX_NAME_BYTES: usize = 200;

/// `name`, cut to about 40 characters for a message.
pub fn shortened(name: &str) -> String {
    match name.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &name[..i]),
        None => name.to_string(),
    }
}

/// Checks an absolute web address (http or https).
pub fn check_web_url(value: &str) -> Result<String, Refusal> {
    let value = value.trim();
    if let Some(scheme) = dangerous_scheme(value) {
        return Err((
            format!("`{scheme}:` URLs are not allowed"),
            "write a web address starting with https://".into(),
        ));
    }
    match url::Url::parse(value) {
        Ok(u)
            if matches!(u.scheme(), "http" | "https")
                && u.host_str()
                    .is_some_and(|h| h.contains('.') || h == "localhost") =>
        {
            Ok(value.to_string())
        }
        Ok(u) if !matches!(u.scheme(), "http" | "https") => Err((
            format!("`{value}` is not a web address"),
            "write a web address starting with https://".into(),
        )),
        _ => Err((
            format!("`{value}` is not a complete web address"),
            if value.contains("://") {
                "check the host name, e.g. https://www.acme.example".into()
            } else {
                format!("add the scheme: `https://{value}`")
            },
        )),
    }
}

/// A currency code as ISO 4217 writes it: three letters, upper-cased (`eur` → `EUR`). Prices,
/// salaries and funding amounts all use it.
pub fn check_currency(value: &str) -> Result<String, Refusal> {
    let code = value.trim().to_ascii_uppercase();
    if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(code)
    } else {
        Err((
            format!("`{code}` is not a currency code"),
            "write a three-letter code such as `EUR`, `CHF` or `USD`".into(),
        ))
    }
}

/// Checks an e-mail address. Deliberately simple: one `@`, a dotted domain, no spaces.
pub fn check_email(value: &str) -> Result<String, Refusal> {
    let value = value.trim();
    let value = value.strip_prefix("mailto:").unwrap_or(value);
    let valid = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(|c| {
                    c.is_whitespace() || matches!(c, '<' | '>' | '"' | ',' | ';' | '(' | ')')
                })
        }
        None => false,
    };
    if valid {
        Ok(value.to_string())
    } else {
        Err((
            format!("`{value}` is not an e-mail address"),
            "write it like `info@acme.example`".into(),
        ))
    }
}

/// Checks a CSS colour written as `#rgb` or `#rrggbb`; nothing else reaches a stylesheet.
pub fn check_color(value: &str) -> Result<String, Refusal> {
    let hex = value.trim().strip_prefix('#').unwrap_or("");
    if matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(format!("#{}", hex.to_ascii_lowercase()))
    } else {
        Err((
            format!("`{value}` is not a colour"),
            "write a hex colour in quotes, e.g. `\"#0b5c8a\"`".into(),
        ))
    }
}

/// Checks a language tag such as `en`, `de` or `fr-CH`.
pub fn check_language(value: &str) -> Result<String, Refusal> {
    let mut parts = value.split('-');
    let primary = parts.next().unwrap_or("");
    let ok = (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts
            .all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if ok {
        Ok(value.to_string())
    } else {
        Err((
            format!("`{value}` is not a language code"),
            "use a code like `en`, `de`, `fr` or `de-CH`".into(),
        ))
    }
}
/// Looks up an IANA time-zone name such as `Europe/Berlin`.
pub fn parse_zone(name: &str) -> Result<TimeZone, Refusal> {
    let name = name.trim();
    TimeZone::get(name).map_err(|_| {
        let names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
        let help = match did_you_mean(name, names.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "write an IANA time-zone name such as `Europe/Berlin`, `Europe/Paris` or `America/Chicago`".into(),
        };
        (format!("`{name}` is not a time zone"), help)
    })
}

/// The scheme of `url` if it is one that can run code or smuggle content into a page.
pub fn dangerous_scheme(url: &str) -> Option<String> {
    // Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme = cleaned.split(':').next()?;
    if cleaned.len() > scheme.len() && matches!(scheme, "javascript" | "vbscript" | "data" | "file")
    {
        return Some(scheme.to_string());
    }
    None
}

/// A size for people: `840 KB`, `58.2 MB`, `1.20 GB`.
pub fn size(bytes: u64) -> String {
    if bytes < 1_000_000 {
        format!("{} KB", bytes.div_ceil(1000))
    } else if bytes < 1_000_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.2} GB", bytes as f64 / 1e9)
    }
}

/// `1 vCard`, `12,000 vCards`.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", count(n as u64), if n == 1 { one } else { many })
}

/// A count for people: `20,000`.
pub fn count(n: u64) -> String {
    crate::diag::thousands(n as usize)
}
/// A whole number with its digits grouped as the language writes it: `10,000` (English),
/// `10.000` (German, Italian, Spanish, Dutch…), `10 000` with a narrow no-break space
/// (French, Czech, Polish, the Nordic languages), `10’000` (Swiss German, `de-CH`). Spanish,
/// Polish and Portuguese group only from five digits (`1000`, `10.000`), as CLDR has it.
/// Unknown languages get the English form.
pub fn grouped(n: u64, language: &str) -> String {
    let lang = language.to_ascii_lowercase();
    let base = lang.split(['-', '_']).next().unwrap_or("");
    let separator = match (base, lang.as_str()) {
        (_, "de-ch" | "de-li" | "it-ch" | "rm-ch" | "gsw") => "\u{2019}",
        (
            "de" | "it" | "es" | "nl" | "da" | "pt" | "id" | "tr" | "el" | "ro" | "sl" | "hr"
            | "sr",
            _,
        ) => ".",
        (
            "fr" | "cs" | "sk" | "pl" | "sv" | "nb" | "nn" | "no" | "fi" | "et" | "lv" | "lt"
            | "hu" | "uk" | "ru" | "bg",
            _,
        ) => "\u{202f}",
        _ => ",",
    };
    let min_digits = match base {
        "es" | "pl" | "pt" => 5,
        _ => 4,
    };
    let digits = n.to_string();
    if digits.len() < min_digits {
        return digits;
    }
    let mut out = String::with_capacity(digits.len() + 8);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(d);
    }
    out
}

/// `text` safe inside HTML text and quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn numbers_are_grouped_as_the_language_writes_them() {
        assert_eq!(grouped(10_000, "en"), "10,000");
        assert_eq!(grouped(1_234_567, "de"), "1.234.567");
        assert_eq!(grouped(10_000, "fr"), "10\u{202f}000");
        assert_eq!(grouped(10_000, "de-CH"), "10\u{2019}000");
        assert_eq!(grouped(1000, "es"), "1000");
        assert_eq!(grouped(10_000, "es"), "10.000");
        assert_eq!(grouped(999, "de"), "999");
        assert_eq!(grouped(1000, "xx"), "1,000");
    }

    use super::*;

    #[test]
    fn currency_codes_are_three_letters_upper_cased() {
        assert_eq!(check_currency(" eur ").unwrap(), "EUR");
        assert_eq!(check_currency("CHF").unwrap(), "CHF");
        for bad in ["euro", "E1R", "€", ""] {
            let (message, help) = check_currency(bad).unwrap_err();
            assert!(
                message.contains("is not a currency code"),
                "{bad}: {message}"
            );
            assert!(help.contains("`EUR`"), "{bad}");
        }
    }

    #[test]
    fn web_urls_must_be_http_and_complete() {
        assert!(check_web_url("https://acme.example/").is_ok());
        assert!(
            check_web_url("javascript:alert(1)")
                .unwrap_err()
                .0
                .contains("javascript")
        );
        assert!(check_web_url("data:text/html,hi").is_err());
        assert!(
            check_web_url("www.acme.example")
                .unwrap_err()
                .1
                .contains("https://www.acme.example")
        );
        assert!(check_web_url("ftp://acme.example").is_err());
        assert!(check_web_url("https://acme").is_err());
    }

    #[test]
    fn emails_are_checked_simply() {
        assert_eq!(check_email("mailto:a@b.example").unwrap(), "a@b.example");
        for bad in ["a", "a@b", "a b@c.example", "<a@b.example>", "a@@b.example"] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn colours_cannot_smuggle_css() {
        assert_eq!(check_color("#0B5C8A").unwrap(), "#0b5c8a");
        assert!(check_color("red;}body{display:none").is_err());
        assert!(check_color("#12345").is_err());
    }

    #[test]
    fn dangerous_schemes_are_found_despite_tricks() {
        assert_eq!(
            dangerous_scheme(" JaVa\tScript:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(
            dangerous_scheme("data:text/html,x").as_deref(),
            Some("data")
        );
        assert_eq!(dangerous_scheme("https://x.example"), None);
        assert_eq!(dangerous_scheme("javascript"), None);
    }

    #[test]
    fn counts_read_for_people() {
        assert_eq!(count(20_000), "20,000");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(size(25 * 1024 * 1024), "26.2 MB");
    }
}
