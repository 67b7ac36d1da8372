//! Content-addressed blob store on a local directory: a file stored twice is kept
//! once, and its key (the sha256 of its bytes) is never derived from its name.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Debug, Clone)]
pub struct BlobStore {
    root: PathBuf,
}

/// What was stored: its key (hex sha256) and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlob {
    pub sha256: String,
    pub size: u64,
}

impl BlobStore {
    pub fn open(root: impl Into<PathBuf>) -> std::io::Result<BlobStore> {
        let root = root.into();
        std::fs::create_dir_all(root.join("tmp"))?;
        Ok(BlobStore { root })
    }

    /// Where the blob `sha256` is kept (for a program that reads the file by
    /// its path); `None` for a key that is not a sha256.
    pub fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        valid_key(sha256).then(|| self.root.join(&sha256[..2]).join(sha256))
    }

    /// Starts a new blob: bytes written to it go to a temporary file, hashed on the
    /// way, until [`BlobWriter::finish`] and [`BlobStore::keep`].
    pub fn writer(&self) -> std::io::Result<BlobWriter> {
        let tmp = tempfile::NamedTempFile::new_in(self.root.join("tmp"))?;
        let (file, path) = tmp.into_parts();
        Ok(BlobWriter {
            file: tokio::fs::File::from_std(file),
            path,
            hasher: Sha256::new(),
            size: 0,
        })
    }

    /// Puts a finished blob in place under its hash, durably: once this returns,
    /// the blob survives a crash. A blob already there is the same content; it is
    /// kept and its age renewed, so collection leaves it alone. The temporary name
    /// stays as a spare until [`KeptBlob::settle`].
    pub async fn keep(&self, blob: FinishedBlob) -> std::io::Result<KeptBlob> {
        let dest = self
            .path_of(&blob.stored.sha256)
            .ok_or_else(|| std::io::Error::other("bad hash"))?;
        tokio::task::spawn_blocking(move || {
            link_durably(&blob.path, &dest)?;
            Ok(KeptBlob {
                stored: blob.stored,
                dest,
                spare: blob.path,
            })
        })
        .await
        .map_err(std::io::Error::other)?
    }

    /// Streams `reader` into a blob of at most `limit` bytes; more is an error and
    /// nothing stays. (Uploads go through [`BlobStore::writer`] and
    /// [`BlobStore::keep`]; this is the short way for tests.)
    #[cfg(test)]
    async fn put(
        &self,
        mut reader: impl tokio::io::AsyncRead + Unpin,
        limit: u64,
    ) -> std::io::Result<StoredBlob> {
        let mut writer = self.writer()?;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = reader.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            if writer.size() + n as u64 > limit {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::FileTooLarge,
                    format!("larger than {limit} bytes"),
                ));
            }
            writer.write(&buf[..n]).await?;
        }
        let kept = self.keep(writer.finish().await?).await?;
        let stored = kept.stored().clone();
        kept.settle()?;
        Ok(stored)
    }

    #[cfg(test)]
    fn exists(&self, sha256: &str) -> bool {
        self.path_of(sha256).is_some_and(|p| p.is_file())
    }

    pub async fn open_blob(&self, sha256: &str) -> std::io::Result<tokio::fs::File> {
        let path = self
            .path_of(sha256)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "bad key"))?;
        tokio::fs::File::open(path).await
    }

    /// Reads a blob through and tells whether its bytes still hash to its key:
    /// `None` when it is missing.
    pub async fn verify(&self, sha256: &str) -> std::io::Result<Option<bool>> {
        let mut file = match self.open_blob(sha256).await {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let n = file.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        Ok(Some(hex::encode(hasher.finalize()) == sha256))
    }

    /// Blobs (by key) and unfinished uploads (by path) untouched for `age`: the
    /// candidates for collection. The caller decides which blobs are unused.
    pub fn older_than(&self, age: std::time::Duration) -> std::io::Result<OldFiles> {
        let cutoff = std::time::SystemTime::now()
            .checked_sub(age)
            .unwrap_or(std::time::UNIX_EPOCH);
        let old = |entry: &std::fs::DirEntry| {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|at| at < cutoff)
        };
        let mut found = OldFiles::default();
        for dir in std::fs::read_dir(&self.root)? {
            let dir = dir?;
            let name = dir.file_name().to_string_lossy().into_owned();
            if !dir.file_type()?.is_dir() {
                continue;
            }
            for entry in std::fs::read_dir(dir.path())? {
                let entry = entry?;
                if !old(&entry) {
                    continue;
                }
                if name == "tmp" {
                    found.unfinished.push(entry.path());
                } else {
                    let key = entry.file_name().to_string_lossy().into_owned();
                    if valid_key(&key) && key.starts_with(&name) {
                        found.blobs.push(key);
                    }
                }
            }
        }
        Ok(found)
    }

    /// Deletes a blob; one already gone is not an error.
    pub async fn remove(&self, sha256: &str) -> std::io::Result<()> {
        let Some(path) = self.path_of(sha256) else {
            return Ok(());
        };
        match tokio::fs::remove_file(path).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// Gives `path`'s content the name `dest` (a second name: the file is not
/// copied), or renews the age of the `dest` already there, and syncs the
/// directory so the name survives a crash.
fn link_durably(path: &Path, dest: &Path) -> std::io::Result<()> {
    let dir = dest.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    match std::fs::hard_link(path, dest) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::File::options()
                .write(true)
                .open(dest)?
                .set_modified(std::time::SystemTime::now())?;
        }
        Err(e) => return Err(e),
    }
    std::fs::File::open(dir)?.sync_all()
}

/// A blob in place under its key whose temporary name is kept as a spare until
/// the entry that names it is written. Another instance sharing the directory
/// could collect the blob in that moment (it was unused until the entry
/// committed); [`KeptBlob::settle`] then puts it back from the spare.
#[derive(Debug)]
pub struct KeptBlob {
    stored: StoredBlob,
    dest: PathBuf,
    spare: tempfile::TempPath,
}

impl KeptBlob {
    pub fn stored(&self) -> &StoredBlob {
        &self.stored
    }

    /// Makes sure the blob is in place, then lets the spare name go.
    pub fn settle(self) -> std::io::Result<()> {
        if !self.dest.is_file() {
            link_durably(&self.spare, &self.dest)?;
        }
        self.spare.close()
    }
}

/// What [`BlobStore::older_than`] found.
#[derive(Debug, Default)]
pub struct OldFiles {
    pub blobs: Vec<String>,
    /// Temporary files a crash left behind mid-upload.
    pub unfinished: Vec<PathBuf>,
}

fn valid_key(sha256: &str) -> bool {
    sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A blob being written. Dropped before [`BlobWriter::finish`], its temporary
/// file goes with it.
#[derive(Debug)]
pub struct BlobWriter {
    file: tokio::fs::File,
    path: tempfile::TempPath,
    hasher: Sha256,
    size: u64,
}

impl BlobWriter {
    pub async fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.hasher.update(bytes);
        self.size += bytes.len() as u64;
        self.file.write_all(bytes).await
    }

    /// Bytes written so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Flushes the bytes to disk and names them by their hash.
    pub async fn finish(mut self) -> std::io::Result<FinishedBlob> {
        self.file.flush().await?;
        self.file.sync_all().await?;
        Ok(FinishedBlob {
            stored: StoredBlob {
                sha256: hex::encode(self.hasher.finalize()),
                size: self.size,
            },
            path: self.path,
        })
    }
}

/// A complete blob still in its temporary file: [`BlobStore::keep`] it, or drop
/// it to discard it.
#[derive(Debug)]
pub struct FinishedBlob {
    stored: StoredBlob,
    path: tempfile::TempPath,
}

impl FinishedBlob {
    pub fn stored(&self) -> &StoredBlob {
        &self.stored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn same_content_is_stored_once_under_its_hash() {
        let dir = tempfile::tempdir().expect("tempdir");
        let blobs = BlobStore::open(dir.path()).expect("open");
        let a = blobs.put(&b"hola"[..], 100).await.expect("put");
        let b = blobs.put(&b"hola"[..], 100).await.expect("put again");
        assert_eq!(a, b);
        assert_eq!(
            a.sha256,
            "b221d9dbb083a7f33428d7c2a3c3198ae925614d70210e28716ccaa7cd4ddb79"
        );
        assert!(blobs.exists(&a.sha256));
        let mut content = String::new();
        blobs
            .open_blob(&a.sha256)
            .await
            .expect("open")
            .read_to_string(&mut content)
            .await
            .expect("read");
        assert_eq!(content, "hola");
    }

    #[tokio::test]
    async fn oversized_blob_is_refused_and_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let blobs = BlobStore::open(dir.path()).expect("open");
        let err = blobs.put(&[7u8; 101][..], 100).await.expect_err("too big");
        assert_eq!(err.kind(), std::io::ErrorKind::FileTooLarge);
        assert_eq!(
            std::fs::read_dir(dir.path().join("tmp"))
                .expect("tmp")
                .count(),
            0
        );
        assert!(blobs.put(&[7u8; 100][..], 100).await.is_ok());
    }

    #[tokio::test]
    async fn a_blob_dropped_unfinished_leaves_nothing_and_old_ones_are_found() {
        let dir = tempfile::tempdir().expect("tempdir");
        let blobs = BlobStore::open(dir.path()).expect("open");
        let mut writer = blobs.writer().expect("writer");
        writer.write(b"medio archivo").await.expect("write");
        drop(writer);
        let finished = {
            let mut w = blobs.writer().expect("writer");
            w.write(b"nunca guardado").await.expect("write");
            w.finish().await.expect("finish")
        };
        drop(finished);
        let tmp = std::fs::read_dir(dir.path().join("tmp"))
            .expect("tmp")
            .count();
        assert_eq!(tmp, 0);

        let kept = blobs.put(&b"escaneo"[..], 100).await.expect("put");
        let none = blobs
            .older_than(std::time::Duration::from_secs(3600))
            .expect("scan");
        assert!(none.blobs.is_empty());
        let all = blobs.older_than(std::time::Duration::ZERO).expect("scan");
        assert_eq!(all.blobs, vec![kept.sha256.clone()]);
        assert_eq!(
            blobs.verify(&kept.sha256).await.expect("verify"),
            Some(true)
        );
        std::fs::write(blobs.path_of(&kept.sha256).expect("path"), b"alterado").expect("tamper");
        assert_eq!(
            blobs.verify(&kept.sha256).await.expect("verify"),
            Some(false)
        );
        blobs.remove(&kept.sha256).await.expect("remove");
        assert_eq!(blobs.verify(&kept.sha256).await.expect("verify"), None);
    }

    #[tokio::test]
    async fn a_blob_collected_before_its_entry_was_written_is_put_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let blobs = BlobStore::open(dir.path()).expect("open");
        let mut writer = blobs.writer().expect("writer");
        writer.write(b"oficio firmado").await.expect("write");
        let kept = blobs
            .keep(writer.finish().await.expect("finish"))
            .await
            .expect("keep");
        let key = kept.stored().sha256.clone();
        // Another instance finds it unused and deletes it.
        blobs.remove(&key).await.expect("remove");
        assert!(!blobs.exists(&key));
        kept.settle().expect("settle");
        assert_eq!(blobs.verify(&key).await.expect("verify"), Some(true));
        let tmp = std::fs::read_dir(dir.path().join("tmp"))
            .expect("tmp")
            .count();
        assert_eq!(tmp, 0, "the spare name is gone");
    }

    #[test]
    fn keys_that_are_not_hashes_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let blobs = BlobStore::open(dir.path()).expect("open");
        assert!(!blobs.exists("../../etc/passwd"));
    }
}
