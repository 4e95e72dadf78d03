//! Reading the e-mails a test server sent: the `.eml` files it wrote, or the maildir of a real
//! SMTP server, decoded by Python's own e-mail parser (`tests/clients/mailbox.py`), and the
//! links in them.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

fn mailbox_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/clients/mailbox.py")
}

/// The messages under `directory` (none when it does not exist), oldest first by file name
/// (the server names them by their job's time-ordered id).
pub async fn mails(python: &OsStr, directory: &Path) -> Vec<Value> {
    if !directory.exists() {
        return Vec::new();
    }
    let output = tokio::process::Command::new(python)
        .arg(mailbox_script())
        .arg(directory)
        .output()
        .await
        .expect("run mailbox.py");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("mailbox.py prints JSON")
}

/// The path and query of the link in a message's text that contains `marker`: tests call the
/// server by its address, whatever domain it calls itself.
pub fn link_in(mail: &Value, marker: &str) -> String {
    let text = mail["text"].as_str().expect("a text part");
    let link = text
        .split_whitespace()
        .find(|word| word.starts_with("http") && word.contains(marker))
        .unwrap_or_else(|| panic!("no {marker} link in {text}"));
    let after_scheme = link.split_once("://").expect("an absolute link").1;
    after_scheme[after_scheme.find('/').expect("a path")..].to_owned()
}

/// Waits for a message to `to` whose subject contains `subject`.
pub async fn mail_to(python: &OsStr, directory: &Path, to: &str, subject: &str) -> Value {
    super::eventually(
        Duration::from_secs(20),
        &format!("a mail to {to} about {subject:?}"),
        || async {
            mails(python, directory).await.into_iter().find(|mail| {
                mail["to"].as_str().unwrap_or_default().contains(to)
                    && mail["subject"]
                        .as_str()
                        .unwrap_or_default()
                        .contains(subject)
            })
        },
    )
    .await
}
