//! Woolly's outgoing e-mail: the job handler that delivers each message core queues
//! ([`woolly_core::mail::OutgoingEmail`]), over SMTP when the operator configured a server, else
//! into an `.eml` file under the data directory with its link logged, so that a single-machine
//! operator can still confirm accounts without any mail setup.
//!
//! A message that cannot be delivered now (the SMTP server down or refusing for a while) is
//! retried by the job queue; one the server refuses for good (a malformed address) is buried.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart, header};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use woolly_core::Woolly;
use woolly_core::jobs::{Job, JobError, JobFuture, JobHandler};
use woolly_core::mail::{OutgoingEmail, SEND_EMAIL_ATTEMPTS, SEND_EMAIL_JOB};

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain text (a server on the same machine or network).
    None,
    /// Plain, then upgraded with STARTTLS (required).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl TlsMode {
    pub fn parse(text: &str) -> Option<TlsMode> {
        match text.trim() {
            "none" => Some(TlsMode::None),
            "starttls" => Some(TlsMode::StartTls),
            "tls" => Some(TlsMode::Tls),
            _ => None,
        }
    }
}

/// An SMTP server to send through.
#[derive(Debug, Clone)]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    /// User name and password, when the server asks for them.
    pub credentials: Option<(String, String)>,
}

/// Where messages go.
#[derive(Debug, Clone)]
pub enum Delivery {
    Smtp(SmtpServer),
    /// Each message becomes a file in this directory.
    Files(PathBuf),
}

/// Why the mailer could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the sender address {0:?} is not a valid mailbox")]
    InvalidFrom(String),
    #[error("the SMTP settings are unusable: {0}")]
    Smtp(String),
}

/// The handler of [`SEND_EMAIL_JOB`] jobs.
pub struct SendEmailJob {
    from: Mailbox,
    transport: Transport,
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

/// A message that takes longer than this to hand over is tried again later.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

impl SendEmailJob {
    /// A handler sending from `from` (`Name <address>` or an address) by `delivery`.
    pub fn new(from: &str, delivery: Delivery) -> Result<SendEmailJob, MailError> {
        let from: Mailbox = from
            .parse()
            .map_err(|_| MailError::InvalidFrom(from.to_owned()))?;
        let transport = match delivery {
            Delivery::Files(directory) => Transport::Files(directory),
            Delivery::Smtp(server) => {
                let mut builder =
                    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&server.host)
                        .port(server.port)
                        .timeout(Some(SMTP_TIMEOUT));
                let tls = |host: &str| {
                    TlsParameters::new(host.to_owned())
                        .map_err(|error| MailError::Smtp(error.to_string()))
                };
                builder = match server.tls {
                    TlsMode::None => builder.tls(Tls::None),
                    TlsMode::StartTls => builder.tls(Tls::Required(tls(&server.host)?)),
                    TlsMode::Tls => builder.tls(Tls::Wrapper(tls(&server.host)?)),
                };
                if let Some((user, password)) = server.credentials {
                    builder = builder.credentials(Credentials::new(user, password));
                }
                Transport::Smtp(builder.build())
            }
        };
        Ok(SendEmailJob { from, transport })
    }

    fn message(&self, email: &OutgoingEmail) -> Result<Message, JobError> {
        let to: Mailbox = email
            .to
            .parse()
            .map_err(|_| JobError::Permanent(format!("{:?} is not a valid recipient", email.to)))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            // Out-of-office replies and mailing lists leave automatic messages alone (RFC 3834).
            .header(AutoSubmitted)
            .multipart(MultiPart::alternative_plain_html(
                email.text.clone(),
                email.html.clone(),
            ))
            .map_err(|error| JobError::Permanent(format!("could not build the message: {error}")))
    }

    async fn deliver(&self, job: &Job, email: &OutgoingEmail) -> Result<(), JobError> {
        let message = self.message(email)?;
        match &self.transport {
            Transport::Smtp(transport) => match transport.send(message).await {
                Ok(_) => {
                    tracing::info!(job = job.id, "e-mail sent");
                    Ok(())
                }
                Err(error) if error.is_permanent() => Err(JobError::Permanent(format!(
                    "the SMTP server refused: {error}"
                ))),
                Err(error) => Err(JobError::Retry(format!("could not send: {error}"))),
            },
            Transport::Files(directory) => {
                write_file(directory, job.id, &message.formatted()).await?;
                tracing::info!(
                    job = job.id,
                    to = %email.to,
                    subject = %email.subject,
                    link = email.link.as_deref().unwrap_or("none"),
                    "e-mail written to {} (no SMTP server is configured)",
                    directory.display()
                );
                Ok(())
            }
        }
    }
}

/// Writes one message as `<job id>.eml`, whole or not at all (a temporary file renamed).
async fn write_file(
    directory: &std::path::Path,
    job_id: i64,
    bytes: &[u8],
) -> Result<(), JobError> {
    let retry =
        |error: std::io::Error| JobError::Retry(format!("could not write the message: {error}"));
    tokio::fs::create_dir_all(directory).await.map_err(retry)?;
    let temporary = directory.join(format!(".{job_id}.eml.tmp"));
    tokio::fs::write(&temporary, bytes).await.map_err(retry)?;
    tokio::fs::rename(&temporary, directory.join(format!("{job_id}.eml")))
        .await
        .map_err(retry)
}

/// `Auto-Submitted: auto-generated`.
#[derive(Clone)]
struct AutoSubmitted;

impl header::Header for AutoSubmitted {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

impl JobHandler for SendEmailJob {
    fn kind(&self) -> &'static str {
        SEND_EMAIL_JOB
    }

    fn max_attempts(&self) -> i32 {
        SEND_EMAIL_ATTEMPTS
    }

    fn run<'a>(&'a self, _woolly: &'a Woolly, job: &'a Job) -> JobFuture<'a> {
        Box::pin(async move {
            let email: OutgoingEmail = job.payload()?;
            self.deliver(job, &email).await
        })
    }
}
