//! A real Dovecot (Debian's `dovecot-imapd`) on loopback, started for one
//! test in a temporary directory: one mailbox, `mesa`, whose Maildir the test
//! delivers into directly, plain IMAP with STARTTLS on one port and TLS on
//! another, under a certificate authority made for the test.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub const USER: &str = "mesa";
pub const PASSWORD: &str = "secreto";

#[derive(Debug)]
pub struct Dovecot {
    child: Child,
    pub dir: tempfile::TempDir,
    pub port: u16,
    pub tls_port: u16,
    /// The certificate authority that signed the server's certificate.
    pub ca_file: PathBuf,
    delivered: AtomicUsize,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn run(program: &str, args: &[&str]) {
    let status = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(status.success(), "{program} {args:?} failed");
}

/// The uid and gid mail is kept under: Dovecot's own user when the test runs
/// as root (Dovecot refuses root), else the test's.
fn mail_owner() -> (u32, u32) {
    let id = |flag: &str, user: Option<&str>| {
        let out = Command::new("id")
            .arg(flag)
            .args(user)
            .output()
            .expect("id");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse::<u32>()
            .expect("a number")
    };
    if id("-u", None) == 0 {
        (id("-u", Some("dovecot")), id("-g", Some("dovecot")))
    } else {
        (id("-u", None), id("-g", None))
    }
}

fn make_certificates(dir: &Path) -> PathBuf {
    let p = |name: &str| dir.join(name).display().to_string();
    run(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=SAU test CA",
            "-keyout",
            &p("ca.key"),
            "-out",
            &p("ca.pem"),
        ],
    );
    run(
        "openssl",
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            &p("server.key"),
            "-out",
            &p("server.csr"),
        ],
    );
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .expect("extensions");
    run(
        "openssl",
        &[
            "x509",
            "-req",
            "-in",
            &p("server.csr"),
            "-CA",
            &p("ca.pem"),
            "-CAkey",
            &p("ca.key"),
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            &p("server.ext"),
            "-out",
            &p("server.pem"),
        ],
    );
    dir.join("ca.pem")
}

impl Dovecot {
    pub fn start() -> Dovecot {
        let dir = tempfile::tempdir().expect("dir");
        let root = dir.path();
        let (uid, gid) = mail_owner();
        for sub in ["run", "state", "home"] {
            std::fs::create_dir_all(root.join(sub)).expect("dir");
        }
        let ca_file = make_certificates(root);
        let port = free_port();
        let tls_port = free_port();
        std::fs::write(root.join("passwd"), format!("{USER}:{{PLAIN}}{PASSWORD}\n"))
            .expect("passwd");
        let r = root.display();
        let whoami = |flag: &str| {
            let out = Command::new("id").arg(flag).output().expect("id");
            String::from_utf8_lossy(&out.stdout).trim().to_owned()
        };
        let (internal, login) = if whoami("-u") == "0" {
            ("dovecot".to_owned(), "dovenull".to_owned())
        } else {
            (whoami("-un"), whoami("-un"))
        };
        let config = format!(
            "base_dir = {r}/run\nstate_dir = {r}/state\nlog_path = {r}/dovecot.log\n\
             protocols = imap\nlisten = 127.0.0.1\n\
             ssl = yes\nssl_cert = <{r}/server.pem\nssl_key = <{r}/server.key\n\
             disable_plaintext_auth = no\nauth_mechanisms = plain login\n\
             default_internal_user = {internal}\ndefault_login_user = {login}\nfirst_valid_uid = 1\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {r}/passwd\n}}\n\
             userdb {{\n  driver = static\n  args = uid={uid} gid={gid} home={r}/home/%u\n}}\n\
             mail_location = maildir:~/Maildir\n\
             service imap-login {{\n  chroot =\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n\
               inet_listener imaps {{\n    address = 127.0.0.1\n    port = {tls_port}\n  }}\n}}\n\
             service anvil {{\n  chroot =\n}}\n"
        );
        std::fs::write(root.join("dovecot.conf"), config).expect("config");
        let maildir = root.join("home").join(USER).join("Maildir");
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(maildir.join(sub)).expect("maildir");
        }
        chown_tree(&root.join("home"), uid, gid);
        let child = Command::new("/usr/sbin/dovecot")
            .arg("-F")
            .arg("-c")
            .arg(root.join("dovecot.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect(
                "/usr/sbin/dovecot (apt-get install dovecot-imapd; scripts/test.sh installs it)",
            );
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err()
            || std::net::TcpStream::connect(("127.0.0.1", tls_port)).is_err()
        {
            assert!(
                Instant::now() < deadline,
                "Dovecot did not start: {}",
                std::fs::read_to_string(root.join("dovecot.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Dovecot {
            child,
            dir,
            port,
            tls_port,
            ca_file,
            delivered: AtomicUsize::new(0),
        }
    }

    pub fn maildir(&self) -> PathBuf {
        self.dir.path().join("home").join(USER).join("Maildir")
    }

    /// Puts a message in the mailbox, as a local delivery agent would: written
    /// in `tmp`, then renamed into `new`.
    pub fn deliver(&self, raw: &[u8]) {
        let n = self.delivered.fetch_add(1, Ordering::SeqCst);
        let name = format!("{}.sau{n}.test", 1_700_000_000 + n);
        let tmp = self.maildir().join("tmp").join(&name);
        std::fs::write(&tmp, raw).expect("deliver");
        let (uid, gid) = mail_owner();
        std::os::unix::fs::chown(&tmp, Some(uid), Some(gid)).expect("chown");
        std::fs::rename(&tmp, self.maildir().join("new").join(&name)).expect("deliver");
    }

    /// The messages of `folder` (`INBOX` or a subfolder) and whether each
    /// was marked read (`S` in its Maildir flags).
    pub fn messages(&self, folder: &str) -> Vec<(PathBuf, bool)> {
        let dir = if folder == "INBOX" {
            self.maildir()
        } else {
            self.maildir().join(format!(".{folder}"))
        };
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let seen = name
                    .split_once(":2,")
                    .is_some_and(|(_, flags)| flags.contains('S'));
                out.push((entry.path(), seen));
            }
        }
        out
    }

    /// Makes a subfolder (for taken mail to be moved into).
    pub fn make_folder(&self, folder: &str) {
        let dir = self.maildir().join(format!(".{folder}"));
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(dir.join(sub)).expect("folder");
        }
        let (uid, gid) = mail_owner();
        chown_tree(&dir, uid, gid);
    }

    pub fn account(&self, security: crate::Security) -> crate::ImapAccount {
        crate::ImapAccount {
            name: "mesa".into(),
            host: "localhost".into(),
            port: match security {
                crate::Security::Tls => self.tls_port,
                _ => self.port,
            },
            security,
            user: USER.into(),
            password: PASSWORD.into(),
            folder: "INBOX".into(),
            done_folder: None,
            category: Some("soporte_equipo".into()),
            roots: crate::TlsRoots {
                ca_file: Some(self.ca_file.clone()),
            },
            poll: Duration::from_secs(5),
        }
    }
}

fn chown_tree(path: &Path, uid: u32, gid: u32) {
    let _ = std::os::unix::fs::chown(path, Some(uid), Some(gid));
    if path.is_dir() {
        for entry in std::fs::read_dir(path).expect("dir").flatten() {
            chown_tree(&entry.path(), uid, gid);
        }
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
