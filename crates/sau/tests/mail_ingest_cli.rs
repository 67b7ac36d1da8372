//! `sau mail ingest`, as an MTA's pipe runs it: the message on standard
//! input, what became of it on standard output, and an exit status the MTA
//! acts on (0 taken, 65 refused back to the sender, 75 try again later).

mod common;

use common::{sau, start};
use std::io::Write;
use std::process::{Output, Stdio};

fn ingest(data_dir: &std::path::Path, extra: &[&str], message: &[u8]) -> Output {
    let mut child = sau(data_dir)
        .args(["mail", "ingest"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sau mail ingest");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(message)
        .expect("write the message");
    child.wait_with_output().expect("sau mail ingest ends")
}

const MESSAGE: &[u8] = b"From: Solicitante <solicitante@sau.example>\r\n\
    To: sau@sau.example\r\nSubject: No tengo correo\r\nMessage-ID: <pipe-1@mail.example>\r\n\
    \r\nEl cliente de correo no abre.\r\n";

#[test]
fn a_piped_message_becomes_a_request_once() {
    let dir = tempfile::tempdir().expect("dir");
    // The demo's people, so the sender is known.
    drop(start(dir.path()));
    let first = ingest(dir.path(), &[], MESSAGE);
    let said = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(said.starts_with("created "), "{said}");
    let again = ingest(dir.path(), &[], MESSAGE);
    assert!(again.status.success());
    assert_eq!(String::from_utf8_lossy(&again.stdout).trim(), "seen before");

    let empty = ingest(dir.path(), &[], b"");
    assert_eq!(empty.status.code(), Some(65), "nothing to take: refused");

    // No database to write to: the MTA keeps the message and tries again.
    let down = ingest(
        dir.path(),
        &["--database-url", "postgres://nobody@127.0.0.1:1/sau"],
        MESSAGE,
    );
    assert_eq!(
        down.status.code(),
        Some(75),
        "{}",
        String::from_utf8_lossy(&down.stderr)
    );
}
