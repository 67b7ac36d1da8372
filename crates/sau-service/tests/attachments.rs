//! Attachments through the service, on every backend: stored with their entry,
//! shown only to who may see the entry, checked by content and limits, and the
//! blob store kept honest.

mod common;

use common::{assign_to, caller, each_backend, each_backend_with, printer_request};

use futures::stream;
use sau_domain::{AttachmentId, AttachmentLimits, AttachmentRefusal, FileKind, Visibility};
use sau_service::{
    Action, Caller, NewRequest, Service, ServiceError, ServiceSettings, StagedFiles, UploadError,
};
use std::convert::Infallible;
use std::time::Duration;
use tokio::io::AsyncReadExt;

const PDF: &[u8] = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n";
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// One file as a stream of chunks of `chunk` bytes.
fn chunks(
    bytes: &[u8],
    chunk: usize,
) -> impl futures::Stream<Item = Result<Vec<u8>, Infallible>> + Unpin {
    stream::iter(
        bytes
            .chunks(chunk.max(1))
            .map(|c| Ok(c.to_vec()))
            .collect::<Vec<_>>(),
    )
}

async fn stage(service: &Service, files: &[(&str, &[u8])]) -> StagedFiles {
    let mut upload = service.upload();
    for (name, bytes) in files {
        upload
            .add(name, chunks(bytes, 7))
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    upload.finish()
}

async fn refusal(service: &Service, files: &[(&str, &[u8])]) -> AttachmentRefusal {
    let mut upload = service.upload();
    for (name, bytes) in files {
        match upload.add(name, chunks(bytes, 4096)).await {
            Ok(()) => {}
            Err(UploadError::Refused(refusal)) => return refusal,
            Err(other) => panic!("{name}: {other}"),
        }
    }
    panic!("every file was taken")
}

fn requirement(attachments: StagedFiles) -> NewRequest {
    NewRequest {
        category: "requerimiento".into(),
        title: "Acceso al sistema de nómina".into(),
        description: "Adjunto el oficio firmado.".into(),
        priority: None,
        fields: serde_json::Map::new(),
        attachments,
    }
}

async fn read_all(service: &Service, who: &Caller, id: AttachmentId) -> Vec<u8> {
    let mut file = service
        .attachment_file(who, id)
        .await
        .expect("download")
        .file;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).await.expect("read");
    bytes
}

fn tmp_files(service: &Service) -> usize {
    std::fs::read_dir(service.blob_root().join("tmp"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[tokio::test]
async fn a_requirement_needs_its_document_and_keeps_it_with_the_description() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        match service
            .submit(&requester, requirement(StagedFiles::default()), "api")
            .await
        {
            Err(ServiceError::Domain(sau_domain::DomainError::InvalidFields(problems))) => {
                assert_eq!(
                    problems.get("attachments"),
                    Some(&sau_domain::FieldProblem::Required),
                    "{backend}"
                );
            }
            other => panic!("{backend}: expected a missing document, got {other:?}"),
        }

        let files = stage(&service, &[("../../Oficio 117.pdf", PDF), ("firma", PNG)]).await;
        let record = service
            .submit(&requester, requirement(files), "api")
            .await
            .expect("submit with the letter");
        let detail = service
            .ticket(&requester, &record.ticket.number)
            .await
            .expect("read");
        let listed = &detail.entries[0].attachments;
        assert_eq!(listed.len(), 2, "{backend}");
        assert_eq!(listed[0].filename, "Oficio 117.pdf", "{backend}");
        assert_eq!(listed[0].kind, FileKind::Pdf);
        assert_eq!(listed[0].size, PDF.len() as u64);
        assert_eq!(listed[1].filename, "firma", "{backend}");
        assert_eq!(listed[1].kind, FileKind::Png);
        assert_eq!(read_all(&service, &requester, listed[0].id).await, PDF);

        // The history records the files with the submission.
        let events = service
            .ticket_events(&requester, &record.ticket.number)
            .await
            .expect("events");
        match &events[0].event.kind {
            sau_domain::EventKind::Submitted { attachments, .. } => {
                assert_eq!(attachments.len(), 2, "{backend}")
            }
            other => panic!("{backend}: {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn a_file_sent_twice_is_stored_once() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let mut numbers = Vec::new();
        for _ in 0..2 {
            let files = stage(&service, &[("oficio.pdf", PDF)]).await;
            numbers.push(
                service
                    .submit(&requester, requirement(files), "web")
                    .await
                    .expect("submit")
                    .ticket
                    .number,
            );
        }
        let mut hashes = Vec::new();
        for number in &numbers {
            let detail = service.ticket(&requester, number).await.expect("read");
            hashes.push(detail.entries[0].attachments[0].sha256.clone());
        }
        assert_eq!(hashes[0], hashes[1], "{backend}");
        let stored: usize = std::fs::read_dir(service.blob_root())
            .expect("blob root")
            .filter_map(Result::ok)
            .filter(|d| d.file_name() != "tmp")
            .map(|d| std::fs::read_dir(d.path()).map(|f| f.count()).unwrap_or(0))
            .sum();
        assert_eq!(stored, 1, "{backend}: one copy on disk");
    })
    .await;
}

#[tokio::test]
async fn internal_files_stay_among_agents_and_other_requesters_see_nothing() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let dispatcher = caller(&service, "soporte").await;
        let technician = caller(&service, "tecnico").await;
        let admin = caller(&service, "admin").await;
        let number = service
            .submit(&requester, printer_request("Pantalla rota"), "web")
            .await
            .expect("submit")
            .ticket
            .number;
        service
            .act(&dispatcher, &number, assign_to("tecnico"), None, "web")
            .await
            .expect("assign");
        let photo = stage(&service, &[("pantalla.png", PNG)]).await;
        service
            .act(
                &requester,
                &number,
                Action::Comment {
                    body: String::new(),
                    visibility: Visibility::Public,
                    attachments: photo,
                },
                None,
                "web",
            )
            .await
            .expect("a photo without a word");
        let note = stage(
            &service,
            &[("diagnostico.txt", b"Fusor quemado.\n".as_slice())],
        )
        .await;
        service
            .act(
                &technician,
                &number,
                Action::Comment {
                    body: "Diagnóstico interno".into(),
                    visibility: Visibility::Internal,
                    attachments: note,
                },
                None,
                "web",
            )
            .await
            .expect("internal note");

        let agent_view = service.ticket(&technician, &number).await.expect("read");
        let files: Vec<_> = agent_view
            .entries
            .iter()
            .flat_map(|e| e.attachments.clone())
            .collect();
        assert_eq!(files.len(), 2, "{backend}");
        let (photo, note) = (files[0].id, files[1].id);
        assert_eq!(
            read_all(&service, &technician, note).await,
            b"Fusor quemado.\n"
        );

        let requester_view = service.ticket(&requester, &number).await.expect("read");
        let seen: Vec<_> = requester_view
            .entries
            .iter()
            .flat_map(|e| e.attachments.iter().map(|a| a.id))
            .collect();
        assert_eq!(
            seen,
            vec![photo],
            "{backend}: the internal file is not listed"
        );
        assert!(matches!(
            service.attachment_file(&requester, note).await,
            Err(ServiceError::NotFound("attachment"))
        ));
        assert_eq!(read_all(&service, &requester, photo).await, PNG);

        // Someone else's request: not even its public files.
        let other = service
            .create_user(
                &admin,
                sau_service::NewUserInput {
                    login: "otra".into(),
                    display_name: "Otra Persona".into(),
                    email: None,
                    department: None,
                    roles: sau_domain::Roles::of(&[sau_domain::Role::Requester]),
                    locale: "es".into(),
                    password: Some("otra-clave-larga".into()),
                },
            )
            .await
            .expect("user");
        let stranger = Caller::User(other);
        for id in [photo, note, AttachmentId(9_999)] {
            assert!(
                matches!(
                    service.attachment_file(&stranger, id).await,
                    Err(ServiceError::NotFound("attachment"))
                ),
                "{backend}: {id}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn limits_hold_at_their_value_and_refuse_one_byte_more() {
    let settings = ServiceSettings {
        attachments: AttachmentLimits {
            max_file_bytes: 1_000,
            max_request_bytes: 1_500,
            max_files: 3,
            allowed: vec![FileKind::Pdf, FileKind::Png, FileKind::Text],
        },
        ..ServiceSettings::default()
    };
    each_backend_with(settings, async |service, backend| {
        let pdf = |size: usize| {
            let mut bytes = PDF.to_vec();
            bytes.resize(size, b' ');
            bytes
        };
        let at_limit = pdf(1_000);
        let staged = stage(&service, &[("a.pdf", &at_limit)]).await;
        assert_eq!(staged.len(), 1, "{backend}");
        drop(staged);
        assert_eq!(
            refusal(&service, &[("grande.pdf", &pdf(1_001))]).await,
            AttachmentRefusal::FileTooLarge {
                file: "grande.pdf".into(),
                limit: 1_000
            }
        );
        let half = pdf(750);
        stage(&service, &[("a.pdf", &half), ("b.pdf", &half)]).await;
        assert_eq!(
            refusal(&service, &[("a.pdf", &half), ("b.pdf", &pdf(751))]).await,
            AttachmentRefusal::RequestTooLarge { limit: 1_500 }
        );
        let small = pdf(100);
        assert_eq!(
            refusal(
                &service,
                &[
                    ("1.pdf", &small),
                    ("2.pdf", &small),
                    ("3.pdf", &small),
                    ("4.pdf", &small)
                ]
            )
            .await,
            AttachmentRefusal::TooManyFiles { limit: 3 }
        );
        assert!(
            matches!(
                refusal(&service, &[("hoja.csv", b"a,b\n1,2\n".as_slice())]).await,
                AttachmentRefusal::UnsupportedType { allowed, .. } if allowed.len() == 3
            ),
            "{backend}: CSV is not in this installation's list"
        );
        assert_eq!(tmp_files(&service), 0, "{backend}: nothing half-written");
    })
    .await;
}

#[tokio::test]
async fn disguised_scriptable_empty_and_interrupted_files_are_refused() {
    each_backend(async |service, backend| {
        let html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>";
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        for (name, bytes) in [("factura.pdf", html.as_slice()), ("logo.svg", svg.as_slice())] {
            assert!(
                matches!(
                    refusal(&service, &[(name, bytes)]).await,
                    AttachmentRefusal::UnsupportedType { ref file, .. } if file == name
                ),
                "{backend}: {name}"
            );
        }
        assert_eq!(
            refusal(&service, &[("vacio.pdf", b"".as_slice())]).await,
            AttachmentRefusal::Empty {
                file: "vacio.pdf".into()
            }
        );
        // Names are cleaned before they are quoted back.
        assert!(matches!(
            refusal(&service, &[("../../etc/passwd\u{202E}fdp.exe", b"MZ\x90\0\x03".as_slice())]).await,
            AttachmentRefusal::UnsupportedType { ref file, .. } if file == "passwdfdp.exe"
        ));

        let mut upload = service.upload();
        let interrupted = stream::iter(vec![Ok(PDF.to_vec()), Err("connection reset")]);
        assert!(matches!(
            upload.add("oficio.pdf", interrupted).await,
            Err(UploadError::Body("connection reset"))
        ));
        assert!(upload.finish().is_empty());
        assert_eq!(tmp_files(&service), 0, "{backend}: nothing half-written");
    })
    .await;
}

#[tokio::test]
async fn the_blob_check_finds_missing_and_damaged_files() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let system = Caller::System;
        for (name, bytes) in [("oficio.pdf", PDF), ("foto.png", PNG)] {
            let files = stage(&service, &[(name, bytes)]).await;
            service
                .submit(&requester, requirement(files), "api")
                .await
                .expect("submit");
        }
        let check = service.verify_attachments(&system).await.expect("check");
        assert_eq!((check.attachments, check.blobs), (2, 2), "{backend}");
        assert!(check.is_sound());
        assert!(matches!(
            service.verify_attachments(&requester).await,
            Err(ServiceError::Forbidden)
        ));

        let blob = |bytes: &[u8]| {
            use sha2::Digest;
            let key = hex::encode(sha2::Sha256::digest(bytes));
            service.blob_root().join(&key[..2]).join(key)
        };
        std::fs::write(blob(PDF), b"%PDF-1.7 altered").expect("tamper");
        std::fs::remove_file(blob(PNG)).expect("lose");
        let check = service.verify_attachments(&system).await.expect("check");
        assert_eq!(check.damaged.len(), 1, "{backend}");
        assert_eq!(check.damaged[0].filename, "oficio.pdf");
        assert_eq!(check.missing.len(), 1, "{backend}");
        assert_eq!(check.missing[0].filename, "foto.png");
    })
    .await;
}

#[tokio::test]
async fn unused_blobs_are_collected_but_not_those_in_use_or_on_their_way() {
    each_backend(async |service, backend| {
        let requester = caller(&service, "solicitante").await;
        let system = Caller::System;
        let used = stage(&service, &[("oficio.pdf", PDF)]).await;
        service
            .submit(&requester, requirement(used), "api")
            .await
            .expect("submit");
        // Stored, then the request failed before its entry was written.
        let abandoned = stage(&service, &[("foto.png", PNG)]).await;
        let on_its_way = stage(&service, &[("nota.txt", b"en camino\n".as_slice())]).await;
        drop(abandoned);

        let young = service
            .collect_unused_blobs(&system, Duration::from_secs(3_600))
            .await
            .expect("collect");
        assert_eq!(young.blobs, 0, "{backend}: recent blobs are left alone");
        let collected = service
            .collect_unused_blobs(&system, Duration::ZERO)
            .await
            .expect("collect");
        assert_eq!(collected.blobs, 1, "{backend}: only the abandoned photo");
        let check = service.verify_attachments(&system).await.expect("check");
        assert!(check.is_sound(), "{backend}: {check:?}");
        assert_eq!(on_its_way.len(), 1);
        drop(on_its_way);

        // Another instance sharing the directory collects a blob between its
        // upload and its entry: it is put back once the entry is written.
        let letter = b"%PDF-1.4\nOficio 118\n";
        let files = stage(&service, &[("oficio-118.pdf", letter.as_slice())]).await;
        let key = files.files()[0].sha256.clone();
        std::fs::remove_file(service.blob_root().join(&key[..2]).join(&key)).expect("collected");
        service
            .submit(&requester, requirement(files), "api")
            .await
            .expect("submit");
        let check = service.verify_attachments(&system).await.expect("check");
        assert!(check.is_sound(), "{backend}: {check:?}");
        let later = service
            .collect_unused_blobs(&system, Duration::ZERO)
            .await
            .expect("collect");
        assert_eq!(later.blobs, 1, "{backend}: released once dropped");
    })
    .await;
}
