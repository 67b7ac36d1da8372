//! PDFs: their own text when they have it, else (a scan) what OCR reads on
//! their first pages.

use crate::{ExtractError, ExtractSettings, Limits, Method, ocr};
use std::path::Path;

/// Fewer letters and digits than this in the text layer and the PDF is taken
/// for a scan: scanners write none, or a page number.
const LEAST_TEXT: usize = 16;

pub(crate) async fn read(
    path: &Path,
    settings: &ExtractSettings,
    limits: &Limits,
) -> Result<(Method, String), ExtractError> {
    let bytes = tokio::fs::read(path).await?;
    let layer = limits
        .blocking(move || pdf_extract::extract_text_from_mem(&bytes))
        .await?;
    match layer {
        Ok(text) if text.chars().filter(|c| c.is_alphanumeric()).count() >= LEAST_TEXT => {
            Ok((Method::TextLayer, text))
        }
        // No text layer, or one the reader cannot follow (some scanners write
        // odd ones): the pages themselves are what is left to read.
        Ok(_) | Err(_) => match ocr::pdf_pages(path, settings, limits).await {
            Ok(text) => Ok((Method::Ocr, text)),
            Err(ExtractError::Unreadable { reason, .. }) => {
                Err(ExtractError::unreadable("PDF", reason))
            }
            Err(other) => Err(other),
        },
    }
}
