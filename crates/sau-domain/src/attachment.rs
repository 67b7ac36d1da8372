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

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0";
    const TIFF: &[u8] = b"II*\0\x08\0\0\0\x01\0\0\x01\x03\0\x01\0\0\0\x01\0\0\0";
    const PDF: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";

    #[test]
    fn scans_photos_and_documents_are_told_by_their_bytes() {
        assert_eq!(sniff(PDF, "carta.pdf"), Some(FileKind::Pdf));
        assert_eq!(
            sniff(PDF, "carta.txt"),
            Some(FileKind::Pdf),
            "the name does not matter"
        );
        assert_eq!(sniff(PNG, "captura"), Some(FileKind::Png));
        assert_eq!(sniff(JPEG, "foto.png"), Some(FileKind::Jpeg));
        assert_eq!(sniff(TIFF, "escaneo.tif"), Some(FileKind::Tiff));
        assert_eq!(
            sniff(b"GIF89a\x01\0\x01\0\0\0\0;", "x.gif"),
            Some(FileKind::Gif)
        );
    }

    /// A ZIP file's start: one stored local file entry per `(name, content)`,
    /// which is what tells an office document from any other ZIP.
    fn zip(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, content) in entries {
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // version, flags, stored, time, date
            out.extend_from_slice(&[0, 0, 0, 0]); // CRC-32 (not checked here)
            let size = u32::try_from(content.len()).expect("small").to_le_bytes();
            out.extend_from_slice(&size); // compressed size
            out.extend_from_slice(&size); // uncompressed size
            let name_len = u16::try_from(name.len()).expect("short").to_le_bytes();
            out.extend_from_slice(&name_len);
            out.extend_from_slice(&[0, 0]); // no extra field
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(content.as_bytes());
        }
        out
    }

    #[test]
    fn office_documents_are_told_by_what_their_zip_holds() {
        // As Office writes them: content types, relationships, then the parts.
        let ooxml = |dir: &str| {
            let rels = format!("{dir}/_rels/main.xml.rels");
            let main = format!("{dir}/main.xml");
            zip(&[
                ("[Content_Types].xml", "<Types/>"),
                ("_rels/.rels", "<Relationships/>"),
                (&rels, "<Relationships/>"),
                (&main, "<x/>"),
            ])
        };
        assert_eq!(sniff(&ooxml("word"), "a.bin"), Some(FileKind::Docx));
        assert_eq!(sniff(&ooxml("xl"), "a.bin"), Some(FileKind::Xlsx));
        assert_eq!(sniff(&ooxml("ppt"), "a.bin"), Some(FileKind::Pptx));
        let odf = |mime: &str| zip(&[("mimetype", mime), ("content.xml", "<x/>")]);
        assert_eq!(
            sniff(&odf("application/vnd.oasis.opendocument.text"), "a"),
            Some(FileKind::Odt)
        );
        assert_eq!(
            sniff(&odf("application/vnd.oasis.opendocument.spreadsheet"), "a"),
            Some(FileKind::Ods)
        );
        assert_eq!(
            sniff(&odf("application/vnd.oasis.opendocument.presentation"), "a"),
            Some(FileKind::Odp)
        );
        // Any other ZIP is an archive, whatever it is called.
        assert_eq!(sniff(&zip(&[("informe.exe", "MZ")]), "informe.docx"), None);
    }

    #[test]
    fn text_is_text_and_csv_only_by_name() {
        assert_eq!(
            sniff("Extensión 2145 sin tono.\n".as_bytes(), "nota.txt"),
            Some(FileKind::Text)
        );
        assert_eq!(sniff(b"a,b\n1,2\n", "datos.CSV"), Some(FileKind::Csv));
        assert_eq!(
            sniff(b"\xEF\xBB\xBFa;b\r\n", "datos.csv"),
            Some(FileKind::Csv)
        );
        assert_eq!(sniff(b"a,b\n1,2\n", "datos.pdf"), Some(FileKind::Text));
    }

    #[test]
    fn markup_scripts_binaries_and_empty_files_are_refused() {
        let html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>";
        assert_eq!(sniff(html, "factura.pdf"), None, "HTML renamed .pdf");
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        assert_eq!(sniff(svg, "logo.png"), None, "SVG with a script");
        assert_eq!(sniff(b"  <?xml version=\"1.0\"?><a/>", "x.txt"), None);
        assert_eq!(
            sniff(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xFF\xFF\0\0", "scan.pdf"),
            None,
            "an executable"
        );
        assert_eq!(
            sniff(b"PK\x03\x04\x14\0\0\0\x08\0", "docs.zip"),
            None,
            "a bare zip"
        );
        assert_eq!(sniff(b"", "vacio.txt"), None, "an empty file");
        assert_eq!(sniff(b"abc\0def", "x.txt"), None, "NUL is not text");
        assert_eq!(sniff(b"\xFF\xFE\xFDnot utf8", "x.txt"), None);
    }

    #[test]
    fn markup_is_refused_wherever_it_stands_in_text() {
        // `oficio.html`: a long plain start, then an image that runs a script.
        let mut page = "Estimados señores: adjunto el oficio.\n".repeat(2000);
        page.push_str("<IMG src=x onerror=alert(1)>");
        assert!(page.len() > ContentCheck::HEAD_BYTES);
        for chunk in [1 << 20, 4096, 5, 1] {
            let mut check = ContentCheck::new("oficio.txt");
            let refused = page
                .as_bytes()
                .chunks(chunk)
                .any(|part| check.push(part).is_err());
            assert!(
                refused || check.finish().is_err(),
                "markup cut into {chunk}-byte chunks"
            );
        }
        let mut svg = "x".repeat(3000);
        svg.push_str("<svg onload=alert(1)>");
        assert_eq!(sniff(svg.as_bytes(), "dibujo.txt"), None);
        assert_eq!(sniff(b"ver javascript:alert(1)", "nota.txt"), None);
        // Angle brackets alone are still text.
        assert_eq!(
            sniff(b"Temperatura < 5 y > 2; ver <nota>.", "nota.txt"),
            Some(FileKind::Text)
        );
    }

    #[test]
    fn text_keeps_only_an_extension_that_says_text() {
        assert_eq!(
            clean_file_name("notas.html", FileKind::Text),
            "notas.html.txt"
        );
        assert_eq!(clean_file_name("logo.svg", FileKind::Text), "logo.svg.txt");
        assert_eq!(
            clean_file_name("datos.pdf", FileKind::Text),
            "datos.pdf.txt"
        );
        assert_eq!(clean_file_name("nota.TXT", FileKind::Text), "nota.TXT");
        assert_eq!(clean_file_name("LEAME", FileKind::Text), "LEAME");
        assert_eq!(clean_file_name("datos.csv", FileKind::Csv), "datos.csv");
        assert_eq!(clean_file_name("foto.jpg", FileKind::Jpeg), "foto.jpg");
    }

    #[test]
    fn text_is_checked_to_its_last_byte_across_chunks() {
        let mut text = "Oficio núm. 117: solicitud de acceso.\n"
            .repeat(4000)
            .into_bytes();
        assert!(text.len() > ContentCheck::HEAD_BYTES);
        let check_in = |bytes: &[u8], chunk: usize| {
            let mut check = ContentCheck::new("oficio.txt");
            for part in bytes.chunks(chunk) {
                check.push(part)?;
            }
            check.finish()
        };
        // Odd chunk sizes cut the two-byte characters in two.
        for chunk in [1 << 20, 4096, 7, 1] {
            assert_eq!(check_in(&text, chunk), Ok(FileKind::Text), "chunk {chunk}");
        }
        let end = text.len() - 1;
        text[end] = 0;
        assert_eq!(
            check_in(&text, 4096),
            Err(ContentProblem::UnknownKind),
            "NUL past the first bytes"
        );
        let mut cut = "ñ".repeat(40_000).into_bytes();
        cut.pop();
        assert_eq!(
            check_in(&cut, 1000),
            Err(ContentProblem::UnknownKind),
            "a character cut off at the end"
        );
    }

    #[test]
    fn a_refusal_comes_with_the_first_bytes() {
        let mut check = ContentCheck::new("setup.pdf");
        let mut exe = b"MZ\x90\0".to_vec();
        exe.resize(ContentCheck::HEAD_BYTES, 0);
        assert_eq!(check.push(&exe), Err(ContentProblem::UnknownKind));
        assert_eq!(
            ContentCheck::new("vacio.pdf").finish(),
            Err(ContentProblem::Empty)
        );
    }

    #[test]
    fn only_pdf_and_raster_images_are_shown_inline() {
        let inline: Vec<_> = FileKind::ALL
            .into_iter()
            .filter(|k| k.viewable_inline())
            .collect();
        assert_eq!(
            inline,
            [
                FileKind::Pdf,
                FileKind::Png,
                FileKind::Jpeg,
                FileKind::Tiff,
                FileKind::Gif,
                FileKind::Webp
            ]
        );
        for kind in FileKind::ALL {
            assert_eq!(FileKind::from_key(kind.key()), Some(kind));
        }
    }

    #[test]
    fn file_names_lose_paths_controls_and_overrides() {
        assert_eq!(
            clean_file_name("../../etc/passwd", FileKind::Text),
            "passwd"
        );
        assert_eq!(
            clean_file_name(r"C:\Users\ana\Escaneo 1.pdf", FileKind::Pdf),
            "Escaneo 1.pdf"
        );
        assert_eq!(
            clean_file_name("factura\u{202E}fdp.exe", FileKind::Pdf),
            "facturafdp.exe"
        );
        assert_eq!(clean_file_name("a\u{0}b\nc.txt", FileKind::Text), "abc.txt");
        assert_eq!(clean_file_name("  .oculto.  ", FileKind::Text), "oculto");
        assert_eq!(clean_file_name("..", FileKind::Pdf), "adjunto.pdf");
        assert_eq!(clean_file_name("", FileKind::Jpeg), "adjunto.jpg");
        assert_eq!(clean_file_name("dir/", FileKind::Png), "adjunto.png");
    }

    #[test]
    fn long_file_names_keep_their_extension() {
        let long = format!("{}.pdf", "solicitud ".repeat(40));
        let cleaned = clean_file_name(&long, FileKind::Pdf);
        assert!(cleaned.chars().count() <= MAX_FILE_NAME_CHARS, "{cleaned}");
        assert!(cleaned.ends_with(".pdf"), "{cleaned}");
        let no_extension = "x".repeat(500);
        assert_eq!(
            clean_file_name(&no_extension, FileKind::Text)
                .chars()
                .count(),
            MAX_FILE_NAME_CHARS
        );
    }
}
