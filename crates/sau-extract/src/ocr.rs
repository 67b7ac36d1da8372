//! Tesseract, and Poppler's `pdftoppm` for a scanned PDF's pages, as child
//! processes within the reading's time limit.

use crate::{ExtractError, ExtractSettings, Limits};
use std::path::Path;
use std::process::Stdio;
use tokio::process::Command;

/// Resolution scanned pages are rendered at: Tesseract reads ordinary print
/// best at 300 dots per inch.
const PAGE_DPI: &str = "300";

/// What Tesseract reads in a picture.
pub(crate) async fn picture(
    path: &Path,
    settings: &ExtractSettings,
    limits: &Limits,
) -> Result<String, ExtractError> {
    let mut tesseract = Command::new("tesseract");
    tesseract
        .arg(path)
        .arg("stdout")
        .args(["-l", &settings.ocr_languages])
        // One thread: the server's other work shares the machine's cores, and
        // Tesseract's own threads gain little on one page.
        .env("OMP_THREAD_LIMIT", "1");
    let output = run(tesseract, "tesseract", limits).await?;
    Ok(String::from_utf8_lossy(&output).into_owned())
}

/// What Tesseract reads on the first pages of a PDF, each rendered as a
/// greyscale picture.
pub(crate) async fn pdf_pages(
    path: &Path,
    settings: &ExtractSettings,
    limits: &Limits,
) -> Result<String, ExtractError> {
    let (_dir, dir_path) = crate::scratch()?;
    let mut pdftoppm = Command::new("pdftoppm");
    pdftoppm
        .args(["-r", PAGE_DPI, "-gray", "-png", "-l"])
        .arg(settings.ocr_pages.to_string())
        .arg(path)
        .arg(dir_path.join("page"));
    run(pdftoppm, "pdftoppm", limits).await?;
    let mut pages: Vec<_> = std::fs::read_dir(&dir_path)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    // `page-01.png`, `page-02.png`…: padded, so their names sort as pages.
    pages.sort();
    let mut text = String::new();
    for page in pages {
        text.push_str(&picture(&page, settings, limits).await?);
        text.push('\n');
    }
    Ok(text)
}

/// Runs `command` until the deadline: its standard output, or why not. Killed
/// when the deadline passes first.
async fn run(
    mut command: Command,
    program: &'static str,
    limits: &Limits,
) -> Result<Vec<u8>, ExtractError> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let child = match command.spawn() {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ExtractError::ToolMissing(program));
        }
        Err(e) => return Err(e.into()),
    };
    let output = tokio::time::timeout_at(limits.deadline, child.wait_with_output())
        .await
        .map_err(|_| ExtractError::TimedOut(limits.time_limit))??;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        if said.contains("Failed loading language") {
            return Err(ExtractError::ToolMissing(
                "Tesseract's data for the languages set",
            ));
        }
        let last = said
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(ExtractError::unreadable(
            "picture",
            format!("{program} ended with {}: {last}", output.status),
        ));
    }
    Ok(output.stdout)
}
