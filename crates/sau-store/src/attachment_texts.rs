//! The text read inside attached files, for search.

use crate::{Backend, Store, StoreError};
use sau_domain::FileKind;

/// What was read in one file's content (every attachment with these bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentText {
    pub sha256: String,
    /// How: `pdf`, `document`, `spreadsheet`, `plain`, `ocr`; `none` when
    /// nothing could be read, and then `note` says why.
    pub method: String,
    pub body: String,
    pub note: Option<String>,
    pub read_at: jiff::Timestamp,
}

impl Store {
    /// The type of the file `sha256` as attached; `None` when nothing holds it.
    pub async fn kind_of_blob(&self, sha256: &str) -> Result<Option<FileKind>, StoreError> {
        read!(self, |c| attachments::kind_of_blob(c, sha256))
    }

    /// Whether the file `sha256` was read already.
    pub async fn attachment_text_recorded(&self, sha256: &str) -> Result<bool, StoreError> {
        read!(self, |c| attachments::text_recorded(c, sha256))
    }

    /// Keeps what was read in a file, and puts it in the search documents of
    /// the tickets that carry it, in one transaction: `false` when it had been
    /// kept already.
    pub async fn record_attachment_text(&self, text: AttachmentText) -> Result<bool, StoreError> {
        write!(self, |c| attachments::record_text(c, &text))
    }
}
