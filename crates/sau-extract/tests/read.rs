//! Each kind of file SAU accepts, read as search will read it: real files made
//! by real tools (see `fixtures/make.py`), Tesseract and Poppler as installed.

use sau_domain::FileKind;
use sau_extract::{ExtractError, ExtractSettings, Method, extract};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

async fn read_as(path: &Path, kind: FileKind) -> sau_extract::Extracted {
    extract(path, kind, &ExtractSettings::default())
        .await
        .unwrap_or_else(|e| panic!("{} as {kind:?}: {e}", path.display()))
}

#[tokio::test]
async fn a_pdf_with_text_gives_its_own_text() {
    let read = read_as(&fixture("informe.pdf"), FileKind::Pdf).await;
    assert_eq!(read.method, Method::TextLayer);
    assert!(read.text.contains("Informe técnico"), "{:?}", read.text);
    assert!(read.text.contains("atasco de papel"), "{:?}", read.text);
    assert!(!read.text.contains('\n'), "one line: {:?}", read.text);
}

#[tokio::test]
async fn a_photographed_page_is_read_by_ocr() {
    let read = read_as(&fixture("escaneo.png"), FileKind::Png).await;
    assert_eq!(read.method, Method::Ocr);
    assert!(read.text.contains("impresora"), "{:?}", read.text);
    assert!(
        read.text.contains("técnico"),
        "Spanish accents: {:?}",
        read.text
    );
}

#[tokio::test]
async fn a_scanned_pdf_without_text_is_read_page_by_page() {
    let read = read_as(&fixture("acta.pdf"), FileKind::Pdf).await;
    assert_eq!(read.method, Method::Ocr);
    assert!(read.text.contains("Proyector Epson"), "{:?}", read.text);
    assert!(
        read.text.contains("Dirección de Finanzas"),
        "{:?}",
        read.text
    );
}

#[tokio::test]
async fn reading_stops_at_the_time_limit() {
    let settings = ExtractSettings {
        time_limit: Duration::from_millis(1),
        ..ExtractSettings::default()
    };
    let error = extract(&fixture("acta.pdf"), FileKind::Pdf, &settings)
        .await
        .expect_err("a scan cannot be read in a millisecond");
    assert!(matches!(error, ExtractError::TimedOut(_)), "{error}");
    assert!(error.is_lasting());
}

/// A zip archive of `parts` (name, content), as office programs write them.
fn zipped(dir: &Path, name: &str, parts: &[(&str, &str)]) -> PathBuf {
    let path = dir.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
    for (part, content) in parts {
        zip.start_file(*part, zip::write::SimpleFileOptions::default())
            .expect("part");
        zip.write_all(content.as_bytes()).expect("write");
    }
    zip.finish().expect("finish");
    path
}

#[tokio::test]
async fn office_documents_give_their_words() {
    let dir = tempfile::tempdir().expect("dir");
    let docx = zipped(
        dir.path(),
        "nota.docx",
        &[(
            "word/document.xml",
            r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
            <w:p><w:r><w:t>Configuración del </w:t></w:r><w:r><w:t xml:space="preserve">correo</w:t></w:r></w:p>
            <w:p><w:r><w:instrText>PAGE</w:instrText><w:t>Outlook &amp; Thunderbird</w:t></w:r></w:p></w:body></w:document>"#,
        )],
    );
    let read = read_as(&docx, FileKind::Docx).await;
    assert_eq!(read.method, Method::Document);
    assert_eq!(read.text, "Configuración del correo Outlook & Thunderbird");

    let pptx = zipped(
        dir.path(),
        "charla.pptx",
        &[
            (
                "ppt/slides/slide10.xml",
                r#"<p:sld xmlns:p="p" xmlns:a="a"><a:p><a:r><a:t>décima</a:t></a:r></a:p></p:sld>"#,
            ),
            (
                "ppt/slides/slide2.xml",
                r#"<p:sld xmlns:p="p" xmlns:a="a"><a:p><a:r><a:t>segunda</a:t></a:r></a:p></p:sld>"#,
            ),
            (
                "ppt/slides/slide1.xml",
                r#"<p:sld xmlns:p="p" xmlns:a="a"><a:p><a:r><a:t>primera</a:t></a:r></a:p></p:sld>"#,
            ),
        ],
    );
    assert_eq!(
        read_as(&pptx, FileKind::Pptx).await.text,
        "primera segunda décima"
    );

    let odt = zipped(
        dir.path(),
        "acta.odt",
        &[
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            (
                "content.xml",
                r#"<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text>
                <text:h>Reunión</text:h><text:p>Cambio de<text:s/>contraseña<text:line-break/>del servidor</text:p>
                </office:text></office:body></office:document-content>"#,
            ),
        ],
    );
    assert_eq!(
        read_as(&odt, FileKind::Odt).await.text,
        "Reunión Cambio de contraseña del servidor"
    );
}

#[tokio::test]
async fn spreadsheets_give_their_cells() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("inventario.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Equipos").expect("name");
    sheet.write(0, 0, "Serie").expect("cell");
    sheet.write(0, 1, "Ubicación").expect("cell");
    sheet.write(1, 0, "SN-48213").expect("cell");
    sheet.write(1, 1, "Almacén central").expect("cell");
    sheet.write(1, 2, 17).expect("cell");
    book.save(&path).expect("save");

    let read = read_as(&path, FileKind::Xlsx).await;
    assert_eq!(read.method, Method::Spreadsheet);
    assert_eq!(
        read.text,
        "Equipos Serie Ubicación SN-48213 Almacén central 17"
    );
}

#[tokio::test]
async fn text_files_in_utf8_or_windows_1252() {
    let dir = tempfile::tempdir().expect("dir");
    let utf8 = dir.path().join("a.csv");
    std::fs::write(&utf8, "equipo;estado\nimpresión;dañada\n").expect("write");
    assert_eq!(
        read_as(&utf8, FileKind::Csv).await.text,
        "equipo;estado impresión;dañada"
    );

    // What Excel on a Spanish Windows saves as "CSV": one byte per letter.
    let windows = dir.path().join("b.csv");
    std::fs::write(&windows, b"equipo;estado\nimpresi\xf3n;da\xf1ada\n").expect("write");
    let read = read_as(&windows, FileKind::Csv).await;
    assert_eq!(read.method, Method::Plain);
    assert_eq!(read.text, "equipo;estado impresión;dañada");
}

#[tokio::test]
async fn a_damaged_file_is_unreadable_for_good() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("roto.docx");
    std::fs::write(&path, b"PK\x03\x04 not really a zip").expect("write");
    let error = extract(&path, FileKind::Docx, &ExtractSettings::default())
        .await
        .expect_err("damaged");
    assert!(matches!(error, ExtractError::Unreadable { .. }), "{error}");
    assert!(error.is_lasting());

    let path = dir.path().join("roto.png");
    std::fs::write(&path, b"\x89PNG\r\n\x1a\n and then nothing").expect("write");
    let error = extract(&path, FileKind::Png, &ExtractSettings::default())
        .await
        .expect_err("damaged");
    assert!(matches!(error, ExtractError::Unreadable { .. }), "{error}");
}

#[tokio::test]
async fn long_text_is_cut_at_the_limit() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("log.txt");
    std::fs::write(&path, "error ".repeat(50_000)).expect("write");
    let settings = ExtractSettings {
        max_chars: 1_000,
        ..ExtractSettings::default()
    };
    let read = extract(&path, FileKind::Text, &settings)
        .await
        .expect("read");
    assert_eq!(read.text.chars().count(), 1_000);
    assert!(read.text.starts_with("error error "));
}
