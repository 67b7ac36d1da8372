//! How much may be attached, and of what kind: an installation's setting, with
//! the defaults a ministry's scanned letters and photos fit in.

use crate::FileKind;

const MIB: u64 = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentLimits {
    pub max_file_bytes: u64,
    /// All files of one request (a new ticket or one entry) together.
    pub max_request_bytes: u64,
    pub max_files: usize,
    /// The kinds accepted, in the order they are listed to people.
    pub allowed: Vec<FileKind>,
}

impl Default for AttachmentLimits {
    fn default() -> Self {
        AttachmentLimits {
            max_file_bytes: 20 * MIB,
            max_request_bytes: 50 * MIB,
            max_files: 10,
            allowed: FileKind::ALL.to_vec(),
        }
    }
}

/// Why a file, or a request's files, are refused. Each names what it exceeded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentRefusal {
    #[error("`{file}` is larger than the limit of {limit} bytes per file")]
    FileTooLarge { file: String, limit: u64 },
    #[error("the files are larger than the limit of {limit} bytes per request")]
    RequestTooLarge { limit: u64 },
    #[error("more than {limit} files in one request")]
    TooManyFiles { limit: usize },
    #[error("`{file}` is not of an allowed kind")]
    UnsupportedType {
        file: String,
        allowed: Vec<FileKind>,
    },
    #[error("`{file}` is empty")]
    Empty { file: String },
}

impl AttachmentRefusal {
    /// A stable code for clients and translations.
    pub fn code(&self) -> &'static str {
        match self {
            AttachmentRefusal::FileTooLarge { .. } => "file_too_large",
            AttachmentRefusal::RequestTooLarge { .. } => "request_too_large",
            AttachmentRefusal::TooManyFiles { .. } => "too_many_files",
            AttachmentRefusal::UnsupportedType { .. } => "unsupported_file_type",
            AttachmentRefusal::Empty { .. } => "empty_file",
        }
    }
}

impl AttachmentLimits {
    /// Whether one more file may follow the `files_so_far`.
    pub fn admit_file(&self, files_so_far: usize) -> Result<(), AttachmentRefusal> {
        if files_so_far >= self.max_files {
            return Err(AttachmentRefusal::TooManyFiles {
                limit: self.max_files,
            });
        }
        Ok(())
    }

    /// Whether a file of `file_bytes` so far, in a request of `request_bytes` so
    /// far, is still within the limits. Called as bytes arrive, so an oversized
    /// upload is stopped at the first byte too many.
    pub fn admit_bytes(
        &self,
        file: &str,
        file_bytes: u64,
        request_bytes: u64,
    ) -> Result<(), AttachmentRefusal> {
        if file_bytes > self.max_file_bytes {
            return Err(AttachmentRefusal::FileTooLarge {
                file: file.to_owned(),
                limit: self.max_file_bytes,
            });
        }
        if request_bytes > self.max_request_bytes {
            return Err(AttachmentRefusal::RequestTooLarge {
                limit: self.max_request_bytes,
            });
        }
        Ok(())
    }

    pub fn admit_kind(&self, file: &str, kind: FileKind) -> Result<(), AttachmentRefusal> {
        if self.allowed.contains(&kind) {
            Ok(())
        } else {
            Err(self.unsupported(file))
        }
    }

    pub fn unsupported(&self, file: &str) -> AttachmentRefusal {
        AttachmentRefusal::UnsupportedType {
            file: file.to_owned(),
            allowed: self.allowed.clone(),
        }
    }

    /// The largest request body that can be within the limits: the files plus
    /// room for the other form fields and the multipart framing. A body declared
    /// larger is refused before any of it is read.
    pub fn max_body_bytes(&self) -> u64 {
        self.max_request_bytes + MIB
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_limit_holds_at_its_value_and_refuses_one_more() {
        let limits = AttachmentLimits {
            max_file_bytes: 100,
            max_request_bytes: 150,
            max_files: 2,
            allowed: vec![FileKind::Pdf],
        };
        assert!(limits.admit_bytes("a.pdf", 100, 100).is_ok());
        assert_eq!(
            limits.admit_bytes("a.pdf", 101, 101),
            Err(AttachmentRefusal::FileTooLarge {
                file: "a.pdf".into(),
                limit: 100
            })
        );
        assert!(limits.admit_bytes("b.pdf", 50, 150).is_ok());
        assert_eq!(
            limits.admit_bytes("b.pdf", 51, 151),
            Err(AttachmentRefusal::RequestTooLarge { limit: 150 })
        );
        assert!(limits.admit_file(1).is_ok());
        assert_eq!(
            limits.admit_file(2),
            Err(AttachmentRefusal::TooManyFiles { limit: 2 })
        );
        assert!(limits.admit_kind("a.pdf", FileKind::Pdf).is_ok());
        assert_eq!(
            limits
                .admit_kind("a.png", FileKind::Png)
                .map_err(|e| e.code()),
            Err("unsupported_file_type")
        );
    }
}
