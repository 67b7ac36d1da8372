//! The text inside attachments, so that search finds a ticket by what its files
//! say: the text layer of a PDF, the words of a Word, PowerPoint or OpenDocument
//! file, the cells of a spreadsheet, and for scans and photos what Tesseract
//! reads in them (a PDF without a text layer is a scan: its pages are rendered
//! with Poppler's `pdftoppm` and read the same way).
//!
//! Reading is slow and the files come from anyone, so it never runs on a
//! request: the service calls [`extract`] from a background job, and every
//! reading has a time limit. Tesseract and `pdftoppm` run as child processes,
//! killed when the limit passes; the Rust readers run on a blocking thread that
//! is abandoned then (a thread cannot be killed), so a file that sends one of
//! them into a loop costs that thread, never a request.

mod ocr;
mod office;
mod pdf;

use sau_domain::FileKind;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::time::Instant;

/// How files are read.
#[derive(Debug, Clone)]
pub struct ExtractSettings {
    /// The longest one file may take, all pages included.
    pub time_limit: Duration,
    /// Tesseract's languages, `+`-separated (`spa+eng`): each must have its
    /// data installed (Debian: `tesseract-ocr-spa`).
    pub ocr_languages: String,
    /// The most characters kept of one file: enough for every word of a long
    /// report, bounded so that no ticket's search document grows without end.
    pub max_chars: usize,
    /// The most pages of a scanned PDF that are read.
    pub ocr_pages: u32,
}

impl Default for ExtractSettings {
    fn default() -> Self {
        ExtractSettings {
            time_limit: Duration::from_secs(120),
            ocr_languages: "spa+eng".into(),
            max_chars: 65_536,
            ocr_pages: 10,
        }
    }
}

/// How a file's text was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A PDF's own text.
    TextLayer,
    /// The words of a word-processing document or a presentation.
    Document,
    /// The cells of a spreadsheet.
    Spreadsheet,
    /// A plain-text or CSV file as it is.
    Plain,
    /// Read from the picture by Tesseract.
    Ocr,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::TextLayer => "pdf",
            Method::Document => "document",
            Method::Spreadsheet => "spreadsheet",
            Method::Plain => "plain",
            Method::Ocr => "ocr",
        }
    }
}

/// A file's text, its whitespace made single spaces and cut at
/// [`ExtractSettings::max_chars`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub method: Method,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The file is not what its kind says, or is damaged: trying again changes
    /// nothing.
    #[error("the file cannot be read as {kind}: {reason}")]
    Unreadable { kind: &'static str, reason: String },
    /// Reading passed the time limit: trying again changes nothing either.
    #[error("reading the file took longer than {0:?}")]
    TimedOut(Duration),
    /// A program the reading needs is not installed: worth trying again once
    /// it is.
    #[error("{0} is not installed")]
    ToolMissing(&'static str),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl ExtractError {
    /// Whether this file will never give more: record that and move on.
    pub fn is_lasting(&self) -> bool {
        matches!(
            self,
            ExtractError::Unreadable { .. } | ExtractError::TimedOut(_)
        )
    }

    fn unreadable(kind: &'static str, reason: impl std::fmt::Display) -> ExtractError {
        ExtractError::Unreadable {
            kind,
            reason: reason.to_string(),
        }
    }
}

/// Reads the text of the file at `path`, which holds a file of `kind`.
pub async fn extract(
    path: &Path,
    kind: FileKind,
    settings: &ExtractSettings,
) -> Result<Extracted, ExtractError> {
    let limits = Limits {
        deadline: Instant::now() + settings.time_limit,
        time_limit: settings.time_limit,
    };
    let owned = path.to_path_buf();
    let (method, text) = match kind {
        FileKind::Pdf => pdf::read(path, settings, &limits).await?,
        FileKind::Png | FileKind::Jpeg | FileKind::Tiff | FileKind::Gif | FileKind::Webp => {
            (Method::Ocr, ocr::picture(path, settings, &limits).await?)
        }
        FileKind::Text | FileKind::Csv => (Method::Plain, plain(path, settings.max_chars).await?),
        FileKind::Docx | FileKind::Pptx | FileKind::Odt | FileKind::Odp => (
            Method::Document,
            limits
                .blocking(move || office::document(&owned, kind))
                .await??,
        ),
        FileKind::Xlsx | FileKind::Ods => {
            let max = settings.max_chars;
            (
                Method::Spreadsheet,
                limits
                    .blocking(move || office::spreadsheet(&owned, max))
                    .await??,
            )
        }
    };
    Ok(Extracted {
        method,
        text: tidy(&text, settings.max_chars),
    })
}

/// When the reading of one file must end.
#[derive(Debug, Clone, Copy)]
struct Limits {
    deadline: Instant,
    time_limit: Duration,
}

impl Limits {
    /// Runs `read` on a blocking thread until the deadline. A panic in a reader
    /// (a damaged file can cause one) is that file being unreadable.
    async fn blocking<T: Send + 'static>(
        &self,
        read: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ExtractError> {
        match tokio::time::timeout_at(self.deadline, tokio::task::spawn_blocking(read)).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(join)) => Err(ExtractError::unreadable(
                "its kind",
                format!("the reader failed ({join})"),
            )),
            Err(_) => Err(ExtractError::TimedOut(self.time_limit)),
        }
    }
}

/// A plain-text file's text: UTF-8, or else Windows-1252, what a Spanish
/// Windows machine writes a CSV in (its "ó" is one byte that is not UTF-8).
async fn plain(path: &Path, max_chars: usize) -> Result<String, ExtractError> {
    use tokio::io::AsyncReadExt;
    let file = tokio::fs::File::open(path).await?;
    // Four bytes at most per character: enough for `max_chars` of any text.
    let mut bytes = Vec::new();
    file.take(max_chars as u64 * 4)
        .read_to_end(&mut bytes)
        .await?;
    Ok(match std::str::from_utf8(&bytes) {
        Ok(text) => text.to_owned(),
        // Cut inside a character at the end: the rest is still UTF-8.
        Err(e) if e.error_len().is_none() => {
            String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned()
        }
        Err(_) => encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned(),
    })
}

/// Whitespace runs made one space, control characters dropped, cut at
/// `max_chars` characters.
fn tidy(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 2));
    let mut chars = 0;
    for word in text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
    {
        let room = max_chars.saturating_sub(chars + usize::from(chars > 0));
        if room == 0 {
            break;
        }
        if chars > 0 {
            out.push(' ');
            chars += 1;
        }
        let taken: String = word.chars().take(room).collect();
        chars += taken.chars().count();
        out.push_str(&taken);
    }
    out
}

/// A temporary directory for one reading's page images, removed with it.
fn scratch() -> std::io::Result<(tempfile::TempDir, PathBuf)> {
    let dir = tempfile::Builder::new().prefix("sau-ocr-").tempdir()?;
    let path = dir.path().to_path_buf();
    Ok((dir, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_makes_one_line_of_words_and_cuts_at_a_character() {
        assert_eq!(
            tidy("  Impresión\n\tatascada \u{0}  hoy ", 100),
            "Impresión atascada hoy"
        );
        assert_eq!(tidy("ñandú ñandú", 8), "ñandú ña");
        assert_eq!(tidy("uno dos", 4), "uno");
        assert_eq!(tidy("", 10), "");
    }
}
