//! The language of a response (Spanish first, English second) and the one
//! catalog every interface text comes from (`locales/{es,en}/*.ftl`), error
//! messages included.

use axum::http::HeaderMap;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use std::borrow::Cow;
use std::collections::HashMap;

// The translation catalog: `locales/{es,en}/*.ftl`.
fluent_templates::static_loader! {
    pub static LOCALES = {
        locales: "./locales",
        fallback_language: "es",
        // No Unicode isolation marks: they would show up inside HTML attributes.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

const ES: LanguageIdentifier = langid!("es");
const EN: LanguageIdentifier = langid!("en");

/// Looks up a catalog key; a missing key shows as itself (and is caught by the
/// catalog test).
pub fn translate(lang: Lang, key: &str) -> String {
    let id = match lang {
        Lang::Es => &ES,
        Lang::En => &EN,
    };
    LOCALES
        .try_lookup(id, key)
        .unwrap_or_else(|| key.to_owned())
}

/// Looks up a catalog key whose text has placeables (`{ $name }`), each given
/// as text so numbers and sizes read exactly as the caller wrote them.
pub fn translate_with(lang: Lang, key: &str, args: &[(&'static str, String)]) -> String {
    let id = match lang {
        Lang::Es => &ES,
        Lang::En => &EN,
    };
    let args: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.clone())))
        .collect();
    LOCALES
        .try_lookup_with_args(id, key, &args)
        .unwrap_or_else(|| key.to_owned())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Es,
    En,
}

impl Lang {
    /// The first of `es`/`en` named in `Accept-Language`, by quality; Spanish when
    /// neither is named.
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        let Some(value) = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
        else {
            return Lang::Es;
        };
        let mut best: Option<(f32, Lang)> = None;
        for part in value.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("es") => Lang::Es,
                Some("en") => Lang::En,
                _ => continue,
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or(Lang::Es)
    }

    pub fn pick<'a>(self, es: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Es => es,
            Lang::En => en,
        }
    }
}

/// A priority's name (`muy alta`), in `lang`.
pub fn priority_name(lang: Lang, priority: sau_domain::Priority) -> String {
    translate(lang, &format!("priority-{}", i64::from(priority)))
}

/// The message for an error code, in `lang`; a code the catalog does not know
/// reads as "something went wrong".
pub fn error_message(code: &str, lang: Lang) -> String {
    lookup(
        lang,
        &format!("error-{}", code.replace('_', "-")),
        "error-other",
    )
}

/// The message for one field's problem, in `lang`.
pub fn problem_message(problem: &str, lang: Lang) -> String {
    lookup(
        lang,
        &format!("problem-{}", problem.replace('_', "-")),
        "problem-other",
    )
}

fn lookup(lang: Lang, key: &str, otherwise: &str) -> String {
    let id = match lang {
        Lang::Es => &ES,
        Lang::En => &EN,
    };
    LOCALES
        .try_lookup(id, key)
        .unwrap_or_else(|| translate(lang, otherwise))
}

const KIB: u64 = 1024;
const MIB: u64 = 1024 * 1024;

/// A file's size as people read it: `20 MiB`, `1.5 MiB`, `512 KiB`, `900 bytes`.
pub fn human_size(bytes: u64) -> String {
    if bytes >= MIB {
        trimmed(bytes as f64 / MIB as f64, "MiB")
    } else if bytes >= KIB {
        trimmed(bytes as f64 / KIB as f64, "KiB")
    } else {
        format!("{bytes} bytes")
    }
}

/// One decimal, without a trailing `.0`.
fn trimmed(value: f64, unit: &str) -> String {
    let text = format!("{value:.1}");
    format!("{} {unit}", text.strip_suffix(".0").unwrap_or(&text))
}

/// A limit, exactly: in MiB or KiB when it is a whole number of them, in bytes
/// otherwise, so the message never rounds the limit it names.
pub fn limit_size(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// How a kind of file is named in lists for people: `PDF`, `JPEG`, `Word (docx)`…
pub fn kind_label(kind: sau_domain::FileKind, lang: Lang) -> Cow<'static, str> {
    use sau_domain::FileKind as K;
    Cow::Borrowed(match kind {
        K::Pdf => "PDF",
        K::Png => "PNG",
        K::Jpeg => "JPEG",
        K::Tiff => "TIFF",
        K::Gif => "GIF",
        K::Webp => "WebP",
        K::Text => return Cow::Owned(translate(lang, "kind-text")),
        K::Csv => "CSV",
        K::Docx => "Word (DOCX)",
        K::Xlsx => "Excel (XLSX)",
        K::Pptx => "PowerPoint (PPTX)",
        K::Odt => "ODT",
        K::Ods => "ODS",
        K::Odp => "ODP",
    })
}

/// Why files were refused, naming the limit or the allowed kinds.
pub fn refusal_message(refusal: &sau_domain::AttachmentRefusal, lang: Lang) -> String {
    use sau_domain::AttachmentRefusal as R;
    let t = |key, args: &[(&'static str, String)]| translate_with(lang, key, args);
    match refusal {
        R::FileTooLarge { file, limit } => t(
            "refusal-file-too-large",
            &[("file", file.clone()), ("limit", limit_size(*limit))],
        ),
        R::RequestTooLarge { limit } => t(
            "refusal-request-too-large",
            &[("limit", limit_size(*limit))],
        ),
        R::TooManyFiles { limit } => t("refusal-too-many-files", &[("limit", limit.to_string())]),
        R::UnsupportedType { file, allowed } => {
            let list = allowed
                .iter()
                .map(|k| kind_label(*k, lang))
                .collect::<Vec<_>>()
                .join(", ");
            t(
                "refusal-unsupported-type",
                &[("file", file.clone()), ("allowed", list)],
            )
        }
        R::Empty { file } => t("refusal-empty", &[("file", file.clone())]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes are looked up by a computed key: each one any answer may carry
    /// must have its own message in both languages, not the fallback.
    #[test]
    fn every_error_code_and_problem_has_its_own_message() {
        let codes = [
            "unauthenticated",
            "bad_credentials",
            "too_many_attempts",
            "forbidden",
            "not_allowed",
            "not_found",
            "invalid_transition",
            "reopen_window_expired",
            "not_a_technician",
            "stale_version",
            "invalid_input",
            "duplicate",
            "malformed_json",
            "unsupported_media_type",
            "payload_too_large",
            "bad_request",
            "upload_interrupted",
            "body_too_slow",
            "busy",
            "method_not_allowed",
        ];
        let problems = [
            "required",
            "unknown",
            "too_long",
            "not_a_number",
            "not_a_text",
            "not_a_date",
            "not_an_option",
            "out_of_range",
            "too_many",
            "low_contrast",
            "not_hours",
            "not_a_holiday",
            "in_use",
            "unchanged",
        ];
        for lang in [Lang::Es, Lang::En] {
            let other = error_message("?", lang);
            for code in codes {
                assert_ne!(error_message(code, lang), other, "{code} in {lang:?}");
            }
            let other = problem_message("?", lang);
            for problem in problems {
                assert_ne!(
                    problem_message(problem, lang),
                    other,
                    "{problem} in {lang:?}"
                );
            }
        }
        for level in 1..=5 {
            let priority = sau_domain::Priority::new(level).expect("level");
            for lang in [Lang::Es, Lang::En] {
                let name = priority_name(lang, priority);
                assert!(!name.starts_with("priority-"), "{name}");
            }
        }
        assert_eq!(
            priority_name(Lang::Es, sau_domain::Priority::new(5).expect("5")),
            "muy alta"
        );
        let refusal = sau_domain::AttachmentRefusal::FileTooLarge {
            file: "acta.pdf".into(),
            limit: 20 * MIB,
        };
        assert_eq!(
            refusal_message(&refusal, Lang::Es),
            "El archivo «acta.pdf» supera el límite de 20 MiB por archivo."
        );
    }

    #[test]
    fn sizes_read_naturally_and_limits_exactly() {
        assert_eq!(human_size(900), "900 bytes");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(20 * MIB), "20 MiB");
        assert_eq!(human_size(MIB + MIB / 4), "1.2 MiB");
        assert_eq!(limit_size(20 * MIB), "20 MiB");
        assert_eq!(limit_size(2048), "2 KiB");
        assert_eq!(limit_size(1500), "1500 bytes");
    }
}
