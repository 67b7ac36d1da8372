//! What may travel with a ticket as a file: its type, decided from its bytes and
//! never from its name or the type the sender declared, and a file name safe to
//! show and to offer for download.

use serde::{Deserialize, Serialize};

/// The kinds of file SAU accepts: scans (PDF, TIFF), photos and screenshots,
/// plain text and CSV, and office documents (Office Open XML and OpenDocument).
/// Which of them an installation allows is a setting; these are all it can allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Tiff,
    Gif,
    Webp,
    Text,
    Csv,
    Docx,
    Xlsx,
    Pptx,
    Odt,
    Ods,
    Odp,
}

impl FileKind {
    pub const ALL: [FileKind; 14] = [
        FileKind::Pdf,
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Tiff,
        FileKind::Gif,
        FileKind::Webp,
        FileKind::Text,
        FileKind::Csv,
        FileKind::Docx,
        FileKind::Xlsx,
        FileKind::Pptx,
        FileKind::Odt,
        FileKind::Ods,
        FileKind::Odp,
    ];

    /// The name used in settings and messages (`pdf`, `png`…).
    pub fn key(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpeg",
            FileKind::Tiff => "tiff",
            FileKind::Gif => "gif",
            FileKind::Webp => "webp",
            FileKind::Text => "text",
            FileKind::Csv => "csv",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Pptx => "pptx",
            FileKind::Odt => "odt",
            FileKind::Ods => "ods",
            FileKind::Odp => "odp",
        }
    }

    pub fn from_key(key: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The kind whose [`Self::mime_type`] this is.
    pub fn from_mime_type(mime: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.mime_type() == mime)
    }

    /// The media type the file is served with.
    pub fn mime_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Tiff => "image/tiff",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
            FileKind::Text => "text/plain; charset=utf-8",
            FileKind::Csv => "text/csv; charset=utf-8",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileKind::Odp => "application/vnd.oasis.opendocument.presentation",
        }
    }

    /// The usual extension, for a file whose name had none left after cleaning.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpg",
            FileKind::Text => "txt",
            other => other.key(),
        }
    }

    /// Whether a browser may show it in the page rather than download it: PDF and
    /// raster images only, never anything that can carry script.
    pub fn viewable_inline(self) -> bool {
        matches!(
            self,
            FileKind::Pdf
                | FileKind::Png
                | FileKind::Jpeg
                | FileKind::Gif
                | FileKind::Webp
                | FileKind::Tiff
        )
    }

    pub fn is_image(self) -> bool {
        matches!(
            self,
            FileKind::Png | FileKind::Jpeg | FileKind::Gif | FileKind::Webp | FileKind::Tiff
        )
    }
}

/// A file as recorded with the entry it came with: what the history keeps. The
/// bytes are in the blob store under `sha256`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// Cleaned by [`clean_file_name`].
    pub filename: String,
    pub kind: FileKind,
    pub size: u64,
    /// Hex sha256 of the bytes: also their key in the blob store.
    pub sha256: String,
}

/// The kind of file `bytes` hold, from their content (magic bytes); `None` for
/// anything SAU does not accept: HTML, SVG and other markup, executables,
/// archives, an empty file. `name` only tells CSV from other plain text, which
/// the bytes cannot.
pub fn sniff(bytes: &[u8], name: &str) -> Option<FileKind> {
    let mut check = ContentCheck::new(name);
    check.push(bytes).ok()?;
    check.finish().ok()
}

/// Why a file's content is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentProblem {
    Empty,
    /// Not one of the kinds SAU knows, or markup, or not clean text.
    UnknownKind,
}

/// Decides a file's kind while its bytes stream past, keeping only its first
/// [`ContentCheck::HEAD_BYTES`]: magic bytes are at the start, and plain text is
/// then checked to its last byte without holding it.
#[derive(Debug)]
pub struct ContentCheck {
    name: String,
    head: Vec<u8>,
    verdict: Verdict,
}

#[derive(Debug)]
enum Verdict {
    /// Still gathering the head.
    Open,
    Binary(FileKind),
    Text(FileKind, TextScan),
    Refused,
}

impl ContentCheck {
    /// How much of the start is looked at. Office documents are recognised by the
    /// names of the first parts of their ZIP, which fit well within this.
    pub const HEAD_BYTES: usize = 64 * 1024;

    pub fn new(name: &str) -> ContentCheck {
        ContentCheck {
            name: name.to_owned(),
            head: Vec::new(),
            verdict: Verdict::Open,
        }
    }

    /// Takes the next bytes; refuses as soon as they show the file is not
    /// acceptable, so the rest need not be read.
    pub fn push(&mut self, mut bytes: &[u8]) -> Result<(), ContentProblem> {
        if let Verdict::Open = self.verdict {
            let room = Self::HEAD_BYTES - self.head.len();
            let taken = room.min(bytes.len());
            self.head.extend_from_slice(&bytes[..taken]);
            bytes = &bytes[taken..];
            if self.head.len() < Self::HEAD_BYTES {
                return Ok(());
            }
            self.verdict = decide(&self.head, &self.name);
        }
        match &mut self.verdict {
            Verdict::Binary(_) | Verdict::Open => Ok(()),
            Verdict::Text(_, scan) => {
                if scan.push(bytes) {
                    Ok(())
                } else {
                    self.verdict = Verdict::Refused;
                    Err(ContentProblem::UnknownKind)
                }
            }
            Verdict::Refused => Err(ContentProblem::UnknownKind),
        }
    }

    /// The kind, once every byte has been pushed.
    pub fn finish(mut self) -> Result<FileKind, ContentProblem> {
        if self.head.is_empty() {
            return Err(ContentProblem::Empty);
        }
        if let Verdict::Open = self.verdict {
            self.verdict = decide(&self.head, &self.name);
        }
        match self.verdict {
            Verdict::Binary(kind) => Ok(kind),
            Verdict::Text(kind, scan) if scan.is_complete() => Ok(kind),
            _ => Err(ContentProblem::UnknownKind),
        }
    }
}

/// The verdict on a file's first bytes.
fn decide(head: &[u8], name: &str) -> Verdict {
    if let Some(found) = infer::get(head) {
        return match found.mime_type() {
            "application/pdf" => Verdict::Binary(FileKind::Pdf),
            "image/png" => Verdict::Binary(FileKind::Png),
            "image/jpeg" => Verdict::Binary(FileKind::Jpeg),
            "image/tiff" => Verdict::Binary(FileKind::Tiff),
            "image/gif" => Verdict::Binary(FileKind::Gif),
            "image/webp" => Verdict::Binary(FileKind::Webp),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
                Verdict::Binary(FileKind::Docx)
            }
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
                Verdict::Binary(FileKind::Xlsx)
            }
            "application/vnd.openxmlformats-officedocument.presentationml.presentation" => {
                Verdict::Binary(FileKind::Pptx)
            }
            "application/vnd.oasis.opendocument.text" => Verdict::Binary(FileKind::Odt),
            "application/vnd.oasis.opendocument.spreadsheet" => Verdict::Binary(FileKind::Ods),
            "application/vnd.oasis.opendocument.presentation" => Verdict::Binary(FileKind::Odp),
            // Markup, scripts, archives, executables, audio, video…
            _ => Verdict::Refused,
        };
    }
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut scan = TextScan::default();
    if !scan.push(body) {
        return Verdict::Refused;
    }
    let kind = if name.trim().to_lowercase().ends_with(".csv") {
        FileKind::Csv
    } else {
        FileKind::Text
    };
    Verdict::Text(kind, scan)
}

/// What makes text something a browser would run or render as a page (HTML,
/// SVG, XML, a script URL), wherever in the file it stands. Lowercase ASCII.
const MARKUP: [&[u8]; 18] = [
    b"<!doctype",
    b"<?xml",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<frame",
    b"<svg",
    b"<math",
    b"<object",
    b"<embed",
    b"<img",
    b"<style",
    b"<meta",
    b"<link",
    b"<base",
    b"javascript:",
];

/// The longest of [`MARKUP`], less one: what a chunk must carry over to the next
/// so that a marker cut in two is still found.
const MARKUP_CARRY: usize = 10;

/// Checks text as it streams, to its last byte: UTF-8 even across chunk
/// boundaries, no NUL or other control characters besides tabs, line ends and
/// form feeds, and no markup anywhere ([`MARKUP`]).
#[derive(Debug, Default)]
struct TextScan {
    /// The first bytes of a character the last chunk cut in two.
    carry: Vec<u8>,
    /// The last bytes seen, lowercased, where a marker may have begun.
    tail: Vec<u8>,
}

impl TextScan {
    fn push(&mut self, bytes: &[u8]) -> bool {
        !self.holds_markup(bytes) && self.is_clean_text(bytes)
    }

    fn holds_markup(&mut self, bytes: &[u8]) -> bool {
        let mut window = std::mem::take(&mut self.tail);
        window.extend(bytes.iter().map(u8::to_ascii_lowercase));
        let found = MARKUP
            .iter()
            .any(|marker| window.windows(marker.len()).any(|w| w == *marker));
        let keep = window.len().saturating_sub(MARKUP_CARRY);
        self.tail = window.split_off(keep);
        found
    }

    fn is_clean_text(&mut self, bytes: &[u8]) -> bool {
        let joined;
        let data: &[u8] = if self.carry.is_empty() {
            bytes
        } else {
            joined = [self.carry.as_slice(), bytes].concat();
            &joined
        };
        let clean = |s: &str| {
            s.chars()
                .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
        };
        match std::str::from_utf8(data) {
            Ok(text) => {
                self.carry.clear();
                clean(text)
            }
            // Only the end is unfinished: keep it for the next chunk.
            Err(e) if e.error_len().is_none() => {
                let (valid, rest) = data.split_at(e.valid_up_to());
                let ok = std::str::from_utf8(valid).is_ok_and(clean);
                self.carry = rest.to_vec();
                ok
            }
            Err(_) => false,
        }
    }

    fn is_complete(&self) -> bool {
        self.carry.is_empty()
    }
}

/// Longest file name kept, in characters (extension included).
pub const MAX_FILE_NAME_CHARS: usize = 120;

/// A file name safe to store and show: the last path part only, without control
/// characters or bidirectional overrides (which can disguise `exe` as `pdf`),
/// without leading or trailing dots and spaces, at most
/// [`MAX_FILE_NAME_CHARS`] long with its extension kept. When nothing is left,
/// `adjunto` with the kind's extension.
pub fn clean_file_name(name: &str, kind: FileKind) -> String {
    let cleaned = strip_file_name(name);
    if cleaned.is_empty() {
        return format!("adjunto.{}", kind.extension());
    }
    let cleaned = shorten(&cleaned);
    // Text keeps only an extension that says text: `notas.html` that holds
    // plain text is kept as `notas.html.txt`, never as a page to open.
    let extension = cleaned
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_lowercase())
        .unwrap_or_default();
    let passive = match kind {
        FileKind::Text => ["txt", "text", "log", "md"].contains(&extension.as_str()),
        FileKind::Csv => extension == "csv",
        _ => true,
    };
    if passive || !cleaned.contains('.') {
        cleaned
    } else {
        shorten(&format!("{cleaned}.{}", kind.extension()))
    }
}

/// A file name fit to quote in a message before its kind is known: cleaned like
/// [`clean_file_name`], `adjunto` when nothing is left.
pub fn file_name_for_messages(name: &str) -> String {
    let cleaned = strip_file_name(name);
    if cleaned.is_empty() {
        "adjunto".to_owned()
    } else {
        shorten(&cleaned)
    }
}

/// The last path part, without control characters, bidirectional overrides, or
/// leading and trailing dots and spaces.
fn strip_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .collect();
    cleaned
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_owned()
}

/// At most [`MAX_FILE_NAME_CHARS`], keeping a short extension.
fn shorten(cleaned: &str) -> String {
    if cleaned.chars().count() <= MAX_FILE_NAME_CHARS {
        return cleaned.to_owned();
    }
    // Too long: shorten the stem, keep a short extension.
    let (stem, extension) = match cleaned.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.chars().count() <= 10 => (stem, Some(ext)),
        _ => (cleaned, None),
    };
    let room = MAX_FILE_NAME_CHARS - extension.map_or(0, |e| e.chars().count() + 1);
    let stem: String = stem.chars().take(room).collect();
    let stem = stem.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    match extension {
        Some(ext) => format!("{stem}.{ext}"),
        None => stem.to_owned(),
    }
}

/// Characters that reorder how text is displayed without showing themselves.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}
