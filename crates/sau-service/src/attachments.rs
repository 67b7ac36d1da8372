//! Files that travel with tickets: receiving them as they stream in, handing
//! them out to those who may see their entry, and keeping the blob store honest.
//!
//! The bytes reach the blob store, durably, before the entry that names them is
//! committed; so an entry never points at a missing blob. A failure in between
//! leaves an unused blob, which [`Service::collect_unused_blobs`] removes later.
//! Until the entry is written, collection on this instance skips the blob, and
//! a spare name for its bytes is kept: if another instance sharing the
//! directory collected it meanwhile, it is put back.

use crate::{Caller, Service, ServiceError};
use futures::{Stream, StreamExt};
use sau_domain::{
    Attachment, AttachmentId, AttachmentLimits, AttachmentRefusal, ContentCheck, ContentProblem,
    Visibility, clean_file_name, file_name_for_messages,
};
use sau_store::{AttachmentRecord, BlobStore, KeptBlob};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Blobs whose upload has been stored but whose entry is not yet committed.
/// Collection skips them; it holds the lock while it decides and deletes, so an
/// upload cannot slip a reference in between.
#[derive(Debug, Default)]
pub(crate) struct InFlight(tokio::sync::Mutex<HashMap<String, usize>>);

/// Why the files of a request could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum UploadError<E> {
    /// Over a limit, of a kind not allowed, or empty.
    #[error(transparent)]
    Refused(#[from] AttachmentRefusal),
    /// The request body failed or ended early (a truncated upload).
    #[error("the upload was interrupted: {0}")]
    Body(E),
    #[error("the blob store failed: {0}")]
    Storage(#[from] std::io::Error),
}

/// Receives the files of one request (a new ticket or one entry), one after the
/// other, each streamed to the blob store with its hash computed on the way.
#[derive(Debug)]
pub struct Upload {
    blobs: BlobStore,
    limits: Arc<AttachmentLimits>,
    staged: StagedFiles,
    total: u64,
}

/// Files stored and checked, ready to be named by a command. Only an [`Upload`]
/// makes them; until the command is written they are protected from collection.
#[derive(Debug, Clone, Default)]
pub struct StagedFiles {
    files: Vec<Attachment>,
    hold: Option<Arc<Hold>>,
}

impl StagedFiles {
    pub fn files(&self) -> &[Attachment] {
        &self.files
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Keeps staged blobs out of collection until the last copy of the files is
/// dropped, after their command was written (or refused).
#[derive(Debug)]
struct Hold {
    in_flight: Arc<InFlight>,
    keys: std::sync::Mutex<Vec<String>>,
    kept: std::sync::Mutex<Vec<KeptBlob>>,
}

impl Drop for Hold {
    fn drop(&mut self) {
        for kept in std::mem::take(&mut *self.kept.lock().unwrap_or_else(|e| e.into_inner())) {
            let key = kept.stored().sha256.clone();
            if let Err(e) = kept.settle() {
                tracing::error!(sha256 = %key, error = %e, "an attachment's file could not be put back");
            }
        }
        let keys = std::mem::take(&mut *self.keys.lock().unwrap_or_else(|e| e.into_inner()));
        if keys.is_empty() {
            return;
        }
        let in_flight = self.in_flight.clone();
        let release = move |map: &mut HashMap<String, usize>| {
            for key in &keys {
                if let Some(n) = map.get_mut(key) {
                    *n -= 1;
                    if *n == 0 {
                        map.remove(key);
                    }
                }
            }
        };
        match in_flight.0.try_lock() {
            Ok(mut map) => release(&mut map),
            // Collection holds the lock: release once it is done. Until then the
            // blobs are only kept a little longer.
            Err(_) => {
                if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                    let in_flight = in_flight.clone();
                    runtime.spawn(async move { release(&mut *in_flight.0.lock().await) });
                }
            }
        }
    }
}

impl Upload {
    /// Takes one file, streamed as `chunks`, named `name` by its sender (the name
    /// is cleaned and never used as a key). Refuses it at the first byte over a
    /// limit, or as soon as its first bytes show a kind that is not allowed; a
    /// refused file leaves nothing behind.
    pub async fn add<S, B, E>(&mut self, name: &str, mut chunks: S) -> Result<(), UploadError<E>>
    where
        S: Stream<Item = Result<B, E>> + Unpin,
        B: AsRef<[u8]>,
    {
        self.limits.admit_file(self.staged.files.len())?;
        let shown = file_name_for_messages(name);
        let mut check = ContentCheck::new(name);
        let mut writer = self.blobs.writer()?;
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk.map_err(UploadError::Body)?;
            let bytes = chunk.as_ref();
            self.limits.admit_bytes(
                &shown,
                writer.size() + bytes.len() as u64,
                self.total + writer.size() + bytes.len() as u64,
            )?;
            check
                .push(bytes)
                .map_err(|_| self.limits.unsupported(&shown))?;
            writer.write(bytes).await?;
        }
        let kind = check.finish().map_err(|problem| match problem {
            ContentProblem::Empty => AttachmentRefusal::Empty {
                file: shown.clone(),
            },
            ContentProblem::UnknownKind => self.limits.unsupported(&shown),
        })?;
        self.limits.admit_kind(&shown, kind)?;
        let finished = writer.finish().await?;
        let sha256 = finished.stored().sha256.clone();
        self.hold(&sha256).await;
        let kept = self.blobs.keep(finished).await?;
        let stored = kept.stored().clone();
        if let Some(hold) = &self.staged.hold {
            hold.kept
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(kept);
        }
        self.total += stored.size;
        self.staged.files.push(Attachment {
            filename: clean_file_name(name, kind),
            kind,
            size: stored.size,
            sha256: stored.sha256,
        });
        Ok(())
    }

    /// Protects a blob from collection before it is put in place.
    async fn hold(&mut self, sha256: &str) {
        let Some(hold) = &self.staged.hold else {
            return;
        };
        *hold
            .in_flight
            .0
            .lock()
            .await
            .entry(sha256.to_owned())
            .or_default() += 1;
        hold.keys
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(sha256.to_owned());
    }

    /// The files taken so far, for the command that will name them.
    pub fn finish(self) -> StagedFiles {
        self.staged
    }

    pub fn limits(&self) -> &AttachmentLimits {
        &self.limits
    }
}

/// An attachment ready to be sent: its record and its open blob.
#[derive(Debug)]
pub struct AttachmentFile {
    pub attachment: AttachmentRecord,
    pub file: tokio::fs::File,
}

/// What [`Service::verify_attachments`] found.
#[derive(Debug, Default)]
pub struct BlobCheck {
    pub attachments: u64,
    /// Distinct blobs read through.
    pub blobs: u64,
    pub missing: Vec<AttachmentRecord>,
    /// Blobs whose bytes no longer hash to their key.
    pub damaged: Vec<AttachmentRecord>,
}

impl BlobCheck {
    pub fn is_sound(&self) -> bool {
        self.missing.is_empty() && self.damaged.is_empty()
    }
}

/// What [`Service::collect_unused_blobs`] removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Collected {
    pub blobs: usize,
    /// Temporary files of uploads a crash interrupted.
    pub unfinished: usize,
}

/// How long an unused blob is kept before collection: far longer than any
/// upload takes between storing its bytes and writing its entry.
pub const UNUSED_BLOB_AGE: Duration = Duration::from_secs(24 * 60 * 60);

impl Service {
    /// Starts receiving the files of one request, within the installation's limits.
    pub fn upload(&self) -> Upload {
        Upload {
            blobs: self.blobs.clone(),
            limits: self.attachment_limits.clone(),
            staged: StagedFiles {
                files: Vec::new(),
                hold: Some(Arc::new(Hold {
                    in_flight: self.in_flight.clone(),
                    keys: std::sync::Mutex::new(Vec::new()),
                    kept: std::sync::Mutex::new(Vec::new()),
                })),
            },
            total: 0,
        }
    }

    /// Where attachments' bytes are kept.
    pub fn blob_root(&self) -> &std::path::Path {
        self.blobs.root()
    }

    pub fn attachment_limits(&self) -> &AttachmentLimits {
        &self.attachment_limits
    }

    /// An attachment's bytes, for someone who may see its entry: the ticket's
    /// people and agents, and never a requester for an internal entry. Anyone
    /// else hears "not found", so its existence does not leak.
    pub async fn attachment_file(
        &self,
        caller: &Caller,
        id: AttachmentId,
    ) -> Result<AttachmentFile, ServiceError> {
        let actor = caller.actor()?;
        let not_found = || ServiceError::NotFound("attachment");
        let location = self.store.attachment(id).await?.ok_or_else(not_found)?;
        if location.visibility == Visibility::Internal && !actor.sees_internal() {
            return Err(not_found());
        }
        let ticket = self
            .store
            .ticket_by_id(location.ticket)
            .await?
            .ok_or_else(not_found)?;
        if !actor.can_see(&ticket.ticket) {
            return Err(not_found());
        }
        let file = self
            .blobs
            .open_blob(&location.attachment.sha256)
            .await
            .map_err(|e| {
                tracing::error!(attachment = %id, sha256 = %location.attachment.sha256, error = %e,
                    "an attachment's blob cannot be read");
                ServiceError::Internal(e.into())
            })?;
        Ok(AttachmentFile {
            attachment: location.attachment,
            file,
        })
    }

    /// Reads every attachment's blob and checks it exists and still hashes to its
    /// sha256 (admins and the operator only).
    pub async fn verify_attachments(&self, caller: &Caller) -> Result<BlobCheck, ServiceError> {
        if !caller.is_admin() {
            return Err(ServiceError::Forbidden);
        }
        let mut check = BlobCheck::default();
        let mut seen: HashMap<String, Option<bool>> = HashMap::new();
        let mut after = 0;
        loop {
            let page = self.store.attachments_after(after, 1_000).await?;
            let Some(last) = page.last() else { break };
            after = last.id.0;
            for attachment in page {
                check.attachments += 1;
                let verdict = match seen.get(&attachment.sha256) {
                    Some(v) => *v,
                    None => {
                        let v = self
                            .blobs
                            .verify(&attachment.sha256)
                            .await
                            .map_err(|e| ServiceError::Internal(e.into()))?;
                        check.blobs += 1;
                        seen.insert(attachment.sha256.clone(), v);
                        v
                    }
                };
                match verdict {
                    None => check.missing.push(attachment),
                    Some(false) => check.damaged.push(attachment),
                    Some(true) => {}
                }
            }
        }
        Ok(check)
    }

    /// Deletes blobs no attachment refers to and unfinished uploads, once they
    /// are older than `age` (admins and the operator only).
    pub async fn collect_unused_blobs(
        &self,
        caller: &Caller,
        age: Duration,
    ) -> Result<Collected, ServiceError> {
        if !caller.is_admin() {
            return Err(ServiceError::Forbidden);
        }
        let blobs = self.blobs.clone();
        let old = tokio::task::spawn_blocking(move || blobs.older_than(age))
            .await
            .map_err(|e| ServiceError::Internal(std::io::Error::other(e).into()))?
            .map_err(|e| ServiceError::Internal(e.into()))?;
        let mut collected = Collected::default();
        for path in old.unfinished {
            if tokio::fs::remove_file(&path).await.is_ok() {
                collected.unfinished += 1;
            }
        }
        for key in old.blobs {
            let in_flight = self.in_flight.0.lock().await;
            if in_flight.contains_key(&key) || self.store.blob_in_use(&key).await? {
                continue;
            }
            self.blobs
                .remove(&key)
                .await
                .map_err(|e| ServiceError::Internal(e.into()))?;
            drop(in_flight);
            collected.blobs += 1;
        }
        if collected != Collected::default() {
            tracing::info!(
                blobs = collected.blobs,
                unfinished = collected.unfinished,
                "collected unused attachment files"
            );
        }
        Ok(collected)
    }
}
