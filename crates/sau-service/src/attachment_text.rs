//! The text inside attached files, for search. Reading one (OCR above all) can
//! take seconds, so it is a background job per file content, written in the
//! transaction of the entry that attached the file; the job keeps the text and
//! rewrites the search documents of the tickets that carry the file.

use crate::Service;
use sau_domain::Event;
use sau_store::{AttachmentText, StoreError, Tx};

const KIND: &str = "extract_text";

#[derive(serde::Serialize, serde::Deserialize)]
struct Payload {
    sha256: String,
}

/// Writes the reading job of every file `events` attach, one per content: a
/// file attached again is not read again.
pub(crate) async fn enqueue_reading(tx: &mut Tx<'_>, events: &[Event]) -> Result<(), StoreError> {
    for event in events {
        let Some(entry) = event.kind.entry() else {
            continue;
        };
        for file in entry.attachments {
            let payload = serde_json::to_string(&Payload {
                sha256: file.sha256.clone(),
            })?;
            let key = format!("{KIND}:{}", file.sha256);
            tx.enqueue_job(KIND, &payload, event.at, Some(&key)).await?;
        }
    }
    Ok(())
}

impl Service {
    /// The job: reads the file and keeps what it says. A file that cannot be
    /// read (damaged, or past the time limit) is kept as read with nothing and
    /// why; a missing program (Tesseract not installed) fails the job, to be
    /// tried again.
    pub(crate) async fn run_extract_text(&self, payload: &str) -> Result<(), String> {
        let Payload { sha256 } = serde_json::from_str(payload).map_err(|e| e.to_string())?;
        if self
            .store
            .attachment_text_recorded(&sha256)
            .await
            .map_err(|e| e.to_string())?
        {
            return Ok(());
        }
        let Some(kind) = self
            .store
            .kind_of_blob(&sha256)
            .await
            .map_err(|e| e.to_string())?
        else {
            // No entry holds these bytes: nothing to search for.
            return Ok(());
        };
        let path = self
            .blobs
            .path_of(&sha256)
            .ok_or_else(|| format!("{sha256:?} is not a file's key"))?;
        // One reading at a time on this instance: OCR takes a core for
        // seconds, and the worker runs up to eight jobs side by side; the
        // other core stays for the requests.
        let _turn = self.reading.acquire().await.map_err(|e| e.to_string())?;
        let started = std::time::Instant::now();
        let (method, body, note) = match sau_extract::extract(&path, kind, &self.settings.extract)
            .await
        {
            Ok(read) => (read.method.as_str(), read.text, None),
            Err(e) if e.is_lasting() => {
                tracing::info!(%sha256, kind = kind.key(), error = %e, "an attachment's text cannot be read");
                ("none", String::new(), Some(e.to_string()))
            }
            Err(e) => return Err(e.to_string()),
        };
        metrics::counter!("sau_attachment_texts_total", "method" => method).increment(1);
        metrics::histogram!("sau_attachment_text_seconds", "method" => method)
            .record(started.elapsed().as_secs_f64());
        self.store
            .record_attachment_text(AttachmentText {
                sha256,
                method: method.to_owned(),
                body,
                note,
                read_at: crate::now(),
            })
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}
