//! The language of a response (Spanish first, English second) and the texts of
//! error messages in both.

use axum::http::HeaderMap;

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

/// The message for an error code, in `lang`.
pub fn error_message(code: &str, lang: Lang) -> &'static str {
    let (es, en) = match code {
        "unauthenticated" => (
            "Se requiere iniciar sesión o un token válido.",
            "Sign-in or a valid token is required.",
        ),
        "bad_credentials" => (
            "Usuario o contraseña incorrectos.",
            "Wrong login or password.",
        ),
        "forbidden" | "not_allowed" => (
            "No tiene permiso para realizar esta acción.",
            "You are not allowed to do this.",
        ),
        "not_found" => ("No se encontró lo solicitado.", "Not found."),
        "invalid_transition" => (
            "Esta acción no es posible en el estado actual del ticket.",
            "This action is not possible in the ticket's current state.",
        ),
        "reopen_window_expired" => (
            "El plazo para reabrir este ticket ya venció.",
            "The time to reopen this ticket has passed.",
        ),
        "not_a_technician" => (
            "La persona indicada no es un técnico activo.",
            "The person named is not an active technician.",
        ),
        "stale_version" => (
            "El ticket cambió mientras lo veía; revise su estado actual e intente de nuevo.",
            "The ticket changed while you were viewing it; check its current state and try again.",
        ),
        "invalid_input" => (
            "Hay datos inválidos en la solicitud.",
            "The request has invalid data.",
        ),
        "duplicate" => (
            "Ya existe un registro con ese identificador.",
            "A record with that identifier already exists.",
        ),
        "malformed_json" => (
            "El cuerpo de la solicitud no es JSON válido.",
            "The request body is not valid JSON.",
        ),
        "unsupported_media_type" => (
            "El cuerpo debe enviarse como application/json.",
            "The body must be sent as application/json.",
        ),
        "payload_too_large" => (
            "La solicitud excede el tamaño máximo permitido.",
            "The request exceeds the maximum size allowed.",
        ),
        "bad_request" => ("La solicitud no es válida.", "The request is not valid."),
        "upload_interrupted" => (
            "El envío llegó incompleto o mal formado; inténtelo de nuevo.",
            "The upload arrived incomplete or malformed; please try again.",
        ),
        "body_too_slow" => (
            "El envío llegaba demasiado lento y se interrumpió; inténtelo de nuevo (para archivos grandes, use multipart).",
            "The upload arrived too slowly and was cut off; try again (for large files, use multipart).",
        ),
        "busy" => (
            "El servidor está recibiendo otros envíos grandes; inténtelo de nuevo en unos segundos.",
            "The server is receiving other large uploads; try again in a few seconds.",
        ),
        "too_many_attempts" => (
            "Demasiados intentos fallidos. Espere unos minutos e intente de nuevo.",
            "Too many failed attempts. Wait a few minutes and try again.",
        ),
        "method_not_allowed" => (
            "Este recurso no admite ese método.",
            "This resource does not accept that method.",
        ),
        _ => ("Ocurrió un error inesperado.", "Something went wrong."),
    };
    lang.pick(es, en)
}

/// The message for one field's problem, in `lang`.
pub fn problem_message(problem: &str, lang: Lang) -> &'static str {
    let (es, en) = match problem {
        "required" => ("Es obligatorio.", "Is required."),
        "unknown" => ("No existe.", "Does not exist."),
        "too_long" => ("Es demasiado largo.", "Is too long."),
        "not_a_number" => ("Debe ser un número.", "Must be a number."),
        "not_a_text" => ("Debe ser un texto válido.", "Must be a valid text."),
        "not_a_date" => (
            "Debe ser una fecha AAAA-MM-DD.",
            "Must be a date YYYY-MM-DD.",
        ),
        "not_an_option" => ("No es una de las opciones.", "Is not one of the options."),
        "out_of_range" => (
            "Está fuera del rango permitido.",
            "Is out of the allowed range.",
        ),
        _ => ("Es inválido.", "Is invalid."),
    };
    lang.pick(es, en)
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
pub fn kind_label(kind: sau_domain::FileKind, lang: Lang) -> &'static str {
    use sau_domain::FileKind as K;
    match kind {
        K::Pdf => "PDF",
        K::Png => "PNG",
        K::Jpeg => "JPEG",
        K::Tiff => "TIFF",
        K::Gif => "GIF",
        K::Webp => "WebP",
        K::Text => lang.pick("texto (TXT)", "text (TXT)"),
        K::Csv => "CSV",
        K::Docx => "Word (DOCX)",
        K::Xlsx => "Excel (XLSX)",
        K::Pptx => "PowerPoint (PPTX)",
        K::Odt => "ODT",
        K::Ods => "ODS",
        K::Odp => "ODP",
    }
}

/// Why files were refused, naming the limit or the allowed kinds.
pub fn refusal_message(refusal: &sau_domain::AttachmentRefusal, lang: Lang) -> String {
    use sau_domain::AttachmentRefusal as R;
    match refusal {
        R::FileTooLarge { file, limit } => match lang {
            Lang::Es => format!(
                "El archivo «{file}» supera el límite de {} por archivo.",
                limit_size(*limit)
            ),
            Lang::En => format!(
                "The file “{file}” is over the limit of {} per file.",
                limit_size(*limit)
            ),
        },
        R::RequestTooLarge { limit } => match lang {
            Lang::Es => format!(
                "Los archivos superan el límite de {} por envío.",
                limit_size(*limit)
            ),
            Lang::En => format!(
                "The files are over the limit of {} per request.",
                limit_size(*limit)
            ),
        },
        R::TooManyFiles { limit } => match lang {
            Lang::Es => format!("Se admiten como máximo {limit} archivos por envío."),
            Lang::En => format!("At most {limit} files per request are accepted."),
        },
        R::UnsupportedType { file, allowed } => {
            let list = allowed
                .iter()
                .map(|k| kind_label(*k, lang))
                .collect::<Vec<_>>()
                .join(", ");
            match lang {
                Lang::Es => {
                    format!("El archivo «{file}» no es de un tipo admitido. Se admiten: {list}.")
                }
                Lang::En => {
                    format!("The file “{file}” is not of an accepted type. Accepted: {list}.")
                }
            }
        }
        R::Empty { file } => match lang {
            Lang::Es => format!("El archivo «{file}» está vacío."),
            Lang::En => format!("The file “{file}” is empty."),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
