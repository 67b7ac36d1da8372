//! A file's kind decided from its bytes, and its name made safe.
use sau_domain::{
    ContentCheck, ContentProblem, FileKind, MAX_FILE_NAME_CHARS, clean_file_name, sniff,
};

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
