//! Content-addressed blob store on a local directory: a file stored twice is kept
//! once, and its key (the sha256 of its bytes) is never derived from its name.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

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

    fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        let valid = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit());
        valid.then(|| self.root.join(&sha256[..2]).join(sha256))
    }

    /// Streams `reader` to disk while hashing it, then moves it into place under its
    /// hash. At most `limit` bytes are accepted; more is an error and nothing stays.
    pub async fn put(
        &self,
        mut reader: impl AsyncRead + Unpin,
        limit: u64,
    ) -> std::io::Result<StoredBlob> {
        let tmp = tempfile::NamedTempFile::new_in(self.root.join("tmp"))?;
        let (std_file, tmp_path) = tmp.into_parts();
        let mut file = tokio::fs::File::from_std(std_file);
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = reader.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            size += n as u64;
            if size > limit {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::FileTooLarge,
                    format!("larger than {limit} bytes"),
                ));
            }
            hasher.update(&buf[..n]);
            file.write_all(&buf[..n]).await?;
        }
        file.sync_all().await?;
        drop(file);
        let sha256 = hex::encode(hasher.finalize());
        let dest = self
            .path_of(&sha256)
            .ok_or_else(|| std::io::Error::other("bad hash"))?;
        if let Some(dir) = dest.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        // Same content, same name: replacing an existing copy is harmless.
        tmp_path
            .persist(&dest)
            .map_err(|e| std::io::Error::other(e.error))?;
        Ok(StoredBlob { sha256, size })
    }

    pub fn exists(&self, sha256: &str) -> bool {
        self.path_of(sha256).is_some_and(|p| p.is_file())
    }

    pub async fn open_blob(&self, sha256: &str) -> std::io::Result<tokio::fs::File> {
        let path = self
            .path_of(sha256)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "bad key"))?;
        tokio::fs::File::open(path).await
    }

    pub fn root(&self) -> &Path {
        &self.root
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

    #[test]
    fn keys_that_are_not_hashes_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let blobs = BlobStore::open(dir.path()).expect("open");
        assert!(!blobs.exists("../../etc/passwd"));
    }
}
