//! Files on the web pages: reading a form that may carry them, the file input
//! with the installation's limits, an entry's list of files, and the download
//! route behind the session.

use crate::AppState;
use crate::downloads::{self, DownloadQuery};
use crate::error::refusal_status;
use crate::i18n::{Lang, human_size, kind_label, refusal_message};
use crate::upload::{self, ReceiveError, Received, Unreceived};
use crate::web::chrome::{Chrome, translate_with};
use crate::web::csrf::CheckedMultipart;
use crate::web::pages::{WebUser, not_found_page, service_error_page};
use axum::body::to_bytes;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use sau_domain::{AttachmentId, AttachmentLimits, AttachmentRefusal, FileKind};
use sau_service::{AttachmentRecord, ServiceError, StagedFiles};

// ---------------------------------------------------------------------------
// Reading a form

/// The text fields of a form as one of the page's form structs, read exactly
/// as an urlencoded body with the same fields would be.
pub fn form_fields<T: serde::de::DeserializeOwned>(form: &Received) -> Option<T> {
    let encoded = serde_urlencoded::to_string(&form.parts).ok()?;
    serde_urlencoded::from_str(&encoded).ok()
}

/// Reads a form sent either way a browser may send it: `multipart/form-data`
/// (with files) or urlencoded (without); the CSRF middleware has checked the
/// token of either. A multipart body the middleware did not mark is refused.
pub async fn read_form(state: &AppState, request: Request) -> Result<Received, Unreceived> {
    if !upload::is_multipart(request.headers()) {
        let bytes = to_bytes(request.into_body(), state.config.json_limit)
            .await
            .map_err(|_| ReceiveError::TextTooLong)?;
        let pairs = serde_urlencoded::from_bytes(&bytes).map_err(|_| ReceiveError::Malformed)?;
        return Ok(Received {
            parts: pairs,
            files: StagedFiles::default(),
        });
    }
    upload::refuse_early(request.headers(), state.service.attachment_limits())?;
    if request.extensions().get::<CheckedMultipart>().is_none() {
        return Err(ReceiveError::Forged.into());
    }
    let multipart = Multipart::from_request(request, state)
        .await
        .map_err(|_| ReceiveError::Malformed)?;
    upload::receive_keeping_text(&state.service, multipart, state.config.json_limit).await
}

/// Why a form could not be read, as the page shows it next to the file input.
#[derive(Debug)]
pub enum Unread {
    /// No valid form token: the refused page, nothing stored.
    Forged,
    /// Shown on the form again with this status, and the text typed into it
    /// (what was read before the refusal).
    Refused {
        status: StatusCode,
        message: String,
        parts: Vec<(String, String)>,
    },
}

/// What a page does with a form it could not take.
pub fn unread(lang: Lang, unreceived: Unreceived) -> Unread {
    let Unreceived { error, parts } = unreceived;
    let (status, message) = match error {
        ReceiveError::Forged => return Unread::Forged,
        ReceiveError::Refused(refusal) => {
            (refusal_status(&refusal), refusal_message(&refusal, lang))
        }
        ReceiveError::Malformed => (
            StatusCode::BAD_REQUEST,
            crate::i18n::error_message("upload_interrupted", lang).to_owned(),
        ),
        ReceiveError::TextTooLong => (
            StatusCode::PAYLOAD_TOO_LARGE,
            crate::i18n::error_message("payload_too_large", lang).to_owned(),
        ),
        ReceiveError::Storage(e) => {
            tracing::error!(error = %e, "storing an upload from a page failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                crate::i18n::error_message("internal", lang).to_owned(),
            )
        }
    };
    Unread::Refused {
        status,
        message,
        parts,
    }
}

/// A refusal the service itself answered (its own check of the staged files).
pub fn service_refusal(lang: Lang, error: &ServiceError) -> Option<(StatusCode, String)> {
    match error {
        ServiceError::Attachment(refusal) => {
            Some((refusal_status(refusal), refusal_message(refusal, lang)))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// The file input

/// One form's file input: what it accepts, the limits as people read them, the
/// same limits for the script's instant check, and a refusal to show.
#[derive(Debug, Clone)]
pub struct UploadView {
    /// The input's id; the camera input, hint and messages derive theirs from it.
    pub id: &'static str,
    /// For `accept`: MIME types and extensions of the allowed kinds.
    pub accept: String,
    pub hint: String,
    pub required: bool,
    pub max_files: usize,
    pub max_file_bytes: u64,
    pub max_request_bytes: u64,
    /// The script's messages: the server's own, with `%name%` for the file.
    pub too_many: String,
    pub too_large: String,
    pub too_much: String,
    pub wrong_kind: String,
    pub empty: String,
    /// Why the files were refused, shown next to the input.
    pub error: Option<String>,
    /// Files were chosen but not kept: they must be chosen again.
    pub choose_again: bool,
    /// A form among others (a comment, a resolution): one line of limits, no
    /// separate camera input (a phone's file chooser offers the camera).
    pub compact: bool,
    /// The limits in one short line, for the compact input.
    pub short_hint: String,
}

impl UploadView {
    pub fn new(chrome: &Chrome, limits: &AttachmentLimits, id: &'static str) -> UploadView {
        let lang = chrome.lang;
        let kinds = limits
            .allowed
            .iter()
            .map(|k| kind_label(*k, lang))
            .collect::<Vec<_>>()
            .join(", ");
        let hint = translate_with(
            lang,
            "files-hint",
            &[
                ("count", limits.max_files.to_string()),
                ("per_file", human_size(limits.max_file_bytes)),
                ("total", human_size(limits.max_request_bytes)),
                ("kinds", kinds),
            ],
        );
        let short_hint = translate_with(
            lang,
            "files-hint-short",
            &[
                ("count", limits.max_files.to_string()),
                ("per_file", human_size(limits.max_file_bytes)),
            ],
        );
        let name = || "%name%".to_owned();
        let message = |refusal: AttachmentRefusal| refusal_message(&refusal, lang);
        UploadView {
            id,
            accept: accept_list(&limits.allowed),
            hint,
            required: false,
            max_files: limits.max_files,
            max_file_bytes: limits.max_file_bytes,
            max_request_bytes: limits.max_request_bytes,
            too_many: message(AttachmentRefusal::TooManyFiles {
                limit: limits.max_files,
            }),
            too_large: message(AttachmentRefusal::FileTooLarge {
                file: name(),
                limit: limits.max_file_bytes,
            }),
            too_much: message(AttachmentRefusal::RequestTooLarge {
                limit: limits.max_request_bytes,
            }),
            wrong_kind: message(AttachmentRefusal::UnsupportedType {
                file: name(),
                allowed: limits.allowed.clone(),
            }),
            empty: message(AttachmentRefusal::Empty { file: name() }),
            error: None,
            choose_again: false,
            compact: false,
            short_hint,
        }
    }

    pub fn compact(mut self) -> Self {
        self.compact = true;
        self
    }

    pub fn required(mut self, required: bool) -> Self {
        self.required = required;
        self
    }

    /// Shows `message` next to the input, with the note that the files chosen
    /// (if `files_lost`) must be chosen again.
    pub fn refused(mut self, message: Option<String>, files_lost: bool) -> Self {
        self.choose_again = files_lost;
        self.error = message;
        self
    }
}

/// `accept="…"`: each allowed kind's MIME type and extensions, so the chooser
/// offers the same files the server takes.
fn accept_list(allowed: &[FileKind]) -> String {
    let mut accepted = Vec::new();
    for kind in allowed {
        accepted.push(kind.mime_type().to_owned());
        accepted.push(format!(".{}", kind.extension()));
        match kind {
            FileKind::Jpeg => accepted.push(".jpeg".to_owned()),
            FileKind::Tiff => accepted.push(".tif".to_owned()),
            _ => {}
        }
    }
    accepted.join(",")
}

// ---------------------------------------------------------------------------
// An entry's files

/// One attached file as an entry lists it.
#[derive(Debug, Clone)]
pub struct AttachmentView {
    pub id: i64,
    pub name: String,
    pub size: String,
    pub kind: std::borrow::Cow<'static, str>,
    /// A short badge for the type: PDF, IMG, DOC, XLS, PPT, TXT.
    pub badge: &'static str,
    /// PDF and raster images: a "view" link that opens it in the browser.
    pub viewable: bool,
    /// Images every browser shows (not TIFF): a thumbnail.
    pub thumbnail: bool,
    pub preview_alt: String,
}

pub fn attachment_views(lang: Lang, files: &[AttachmentRecord]) -> Vec<AttachmentView> {
    files
        .iter()
        .map(|file| AttachmentView {
            id: file.id.0,
            name: file.filename.clone(),
            size: human_size(file.size),
            kind: kind_label(file.kind, lang),
            badge: badge(file.kind),
            viewable: file.kind.viewable_inline(),
            thumbnail: file.kind.is_image() && file.kind != FileKind::Tiff,
            preview_alt: translate_with(
                lang,
                "files-preview-alt",
                &[("name", file.filename.clone())],
            ),
        })
        .collect()
}

fn badge(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Pdf => "PDF",
        FileKind::Png | FileKind::Jpeg | FileKind::Tiff | FileKind::Gif | FileKind::Webp => "IMG",
        FileKind::Docx | FileKind::Odt => "DOC",
        FileKind::Xlsx | FileKind::Ods | FileKind::Csv => "XLS",
        FileKind::Pptx | FileKind::Odp => "PPT",
        FileKind::Text => "TXT",
    }
}

// ---------------------------------------------------------------------------
// Downloads

/// `GET /attachments/{id}`: the file, for whoever may see the entry it came
/// with; everyone else gets the page for an unknown address.
pub(crate) async fn download(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<String>,
    Query(query): Query<DownloadQuery>,
    request: Request,
) -> Response {
    let headers: HeaderMap = request.headers().clone();
    let Ok(id) = id.parse::<i64>() else {
        return not_found_page(State(state), request).await;
    };
    match state
        .service
        .attachment_file(&user.caller, AttachmentId(id))
        .await
    {
        Ok(file) => downloads::send(file, &query, &headers),
        Err(e) => service_error_page(user.chrome, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chooser_offers_each_allowed_kind_by_type_and_extension() {
        let accept = accept_list(&[FileKind::Pdf, FileKind::Jpeg]);
        assert_eq!(accept, "application/pdf,.pdf,image/jpeg,.jpg,.jpeg");
    }

    #[test]
    fn badges_group_kinds_people_recognise() {
        assert_eq!(badge(FileKind::Webp), "IMG");
        assert_eq!(badge(FileKind::Ods), "XLS");
        assert_eq!(badge(FileKind::Odt), "DOC");
    }
}
