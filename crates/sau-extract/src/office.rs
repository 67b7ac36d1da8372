//! Office files: Office Open XML and OpenDocument are zip archives of XML parts,
//! and their words are the text of known elements in known parts; spreadsheets
//! are read cell by cell with calamine.

use crate::ExtractError;
use quick_xml::events::Event;
use sau_domain::FileKind;
use std::io::{BufReader, Read};
use std::path::Path;

/// The most bytes read of one XML part once unzipped: a defence against an
/// archive that unzips to far more than it weighs.
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// Which elements hold a document's words, and which end a line.
struct Vocabulary {
    /// `None`: every text node of the part is a word.
    text: Option<&'static [u8]>,
    line_ends: &'static [&'static [u8]],
    spaces: &'static [&'static [u8]],
}

const WORD: Vocabulary = Vocabulary {
    text: Some(b"w:t"),
    line_ends: &[b"w:p"],
    spaces: &[b"w:tab", b"w:br"],
};

const SLIDES: Vocabulary = Vocabulary {
    text: Some(b"a:t"),
    line_ends: &[b"a:p"],
    spaces: &[b"a:br"],
};

const OPEN_DOCUMENT: Vocabulary = Vocabulary {
    text: None,
    line_ends: &[b"text:p", b"text:h"],
    spaces: &[b"text:s", b"text:tab", b"text:line-break"],
};

/// The words of a Word, PowerPoint or OpenDocument text or presentation file.
pub(crate) fn document(path: &Path, kind: FileKind) -> Result<String, ExtractError> {
    let name = kind.key();
    let unreadable = |e: &dyn std::fmt::Display| {
        ExtractError::unreadable("office document", format!("{name}: {e}"))
    };
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(path)?).map_err(|e| unreadable(&e))?;
    let (parts, vocabulary) = match kind {
        FileKind::Docx => (vec!["word/document.xml".to_owned()], &WORD),
        FileKind::Pptx => (slides(&archive), &SLIDES),
        _ => (vec!["content.xml".to_owned()], &OPEN_DOCUMENT),
    };
    let mut text = String::new();
    for part in parts {
        let file = archive.by_name(&part).map_err(|e| unreadable(&e))?;
        words(file, vocabulary, &mut text).map_err(|e| unreadable(&e))?;
    }
    Ok(text)
}

/// A presentation's slide parts, in slide order (`slide2` before `slide10`).
fn slides<R: Read + std::io::Seek>(archive: &zip::ZipArchive<R>) -> Vec<String> {
    let mut numbered: Vec<(u32, String)> = archive
        .file_names()
        .filter_map(|name| {
            let name = name.ok()?;
            let number = name
                .strip_prefix("ppt/slides/slide")?
                .strip_suffix(".xml")?;
            Some((number.parse().ok()?, name.to_string()))
        })
        .collect();
    numbered.sort();
    numbered.into_iter().map(|(_, name)| name).collect()
}

/// Appends the words of one XML part to `out`.
fn words(
    part: impl Read,
    vocabulary: &Vocabulary,
    out: &mut String,
) -> Result<(), quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(part.take(MAX_PART_BYTES)));
    let mut buf = Vec::new();
    let mut inside_text = 0usize;
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) if Some(e.name().as_ref()) == vocabulary.text => inside_text += 1,
            Event::End(e) => {
                let name = e.name();
                if Some(name.as_ref()) == vocabulary.text {
                    inside_text = inside_text.saturating_sub(1);
                }
                if vocabulary.line_ends.contains(&name.as_ref()) {
                    out.push('\n');
                }
            }
            Event::Empty(e) if vocabulary.spaces.contains(&e.name().as_ref()) => out.push(' '),
            Event::Text(t) if vocabulary.text.is_none() || inside_text > 0 => {
                out.push_str(&t.unescape()?);
            }
            Event::CData(t) if vocabulary.text.is_none() || inside_text > 0 => {
                out.push_str(&String::from_utf8_lossy(&t));
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// The cells of every sheet of a spreadsheet, a sheet's rows one line each,
/// until `max_chars` characters are read.
pub(crate) fn spreadsheet(path: &Path, max_chars: usize) -> Result<String, ExtractError> {
    use calamine::{DataType, Reader};
    let unreadable = |e: &dyn std::fmt::Display| ExtractError::unreadable("spreadsheet", e);
    let mut workbook = calamine::open_workbook_auto(path).map_err(|e| unreadable(&e))?;
    let mut text = String::new();
    for sheet in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&sheet)
            .map_err(|e| unreadable(&e))?;
        text.push_str(&sheet);
        text.push('\n');
        for row in range.rows() {
            for cell in row.iter().filter(|c| !c.is_empty()) {
                text.push_str(&cell.to_string());
                text.push(' ');
            }
            text.push('\n');
            if text.len() > max_chars * 4 {
                return Ok(text);
            }
        }
    }
    Ok(text)
}
