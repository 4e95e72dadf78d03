//! The e-mails Woolly sends people about their account, in English and French: what each says,
//! as plain text and simple HTML (no remote images, no tracking). They are queued as
//! [`SEND_EMAIL_JOB`] jobs in the transaction of what they tell about; the mail front door
//! (`woolly-mail`) delivers them.

use serde::{Deserialize, Serialize};

use crate::html::escape;

/// The job kind that delivers one [`OutgoingEmail`].
pub const SEND_EMAIL_JOB: &str = "send_email";

/// Delivery is retried for about a day (the queue's back-off), then the job is buried.
pub const SEND_EMAIL_ATTEMPTS: i32 = 12;

/// One message, ready to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The link it carries, if any: logged when no SMTP server is configured, so that a
    /// single-machine operator can still follow it.
    pub link: Option<String>,
}

/// What a message is about.
#[derive(Debug, Clone)]
pub(crate) enum Message<'a> {
    /// A new account's address: follow the link to confirm it.
    ConfirmAccount {
        link: &'a str,
    },
    /// A changed address: follow the link to confirm the new one.
    ConfirmNewAddress {
        link: &'a str,
    },
    Approved {
        link: &'a str,
    },
    Rejected,
    ResetPassword {
        link: &'a str,
    },
    PasswordChanged,
    /// A moderator's warning (strike), with what was done and the moderator's words; the link
    /// leads to where it can be read and appealed.
    Warning {
        action: crate::account_moderation::WarningAction,
        text: &'a str,
        link: &'a str,
    },
    /// To a moderator: someone reported `target`.
    NewReport {
        target: &'a str,
        link: &'a str,
    },
    /// To a moderator: `who` appealed a warning.
    NewAppeal {
        who: &'a str,
        link: &'a str,
    },
    /// The archive of the user's account is ready to download at `link`.
    ArchiveReady {
        link: &'a str,
    },
    /// To a reporter: the moderators handled their report about `target`.
    ReportResolved {
        target: &'a str,
    },
    /// A moderator approved or rejected the user's appeal of a warning.
    AppealDecided {
        approved: bool,
        link: &'a str,
    },
}

/// The languages messages are written in; anything else gets English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Language {
    English,
    French,
}

impl Language {
    fn of(locale: &str) -> Language {
        let primary = locale.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("fr") {
            Language::French
        } else {
            Language::English
        }
    }
}

/// A message's words: its subject, its paragraphs, and the button under them.
struct Words {
    subject: String,
    paragraphs: Vec<String>,
    button: Option<(&'static str, String)>,
}

impl Message<'_> {
    /// The message for `username` on `title` (the instance), in the language of `locale`.
    pub(crate) fn compose(
        &self,
        to: &str,
        locale: &str,
        username: &str,
        title: &str,
    ) -> OutgoingEmail {
        let words = self.words(Language::of(locale), username, title);
        let mut text = String::new();
        let mut html = String::from(
            "<!DOCTYPE html><html><body style=\"font-family: sans-serif; line-height: 1.5\">",
        );
        for paragraph in &words.paragraphs {
            text.push_str(paragraph);
            text.push_str("\n\n");
            html.push_str("<p>");
            html.push_str(&escape(paragraph));
            html.push_str("</p>");
        }
        if let Some((label, link)) = &words.button {
            text.push_str(link);
            text.push('\n');
            html.push_str(&format!(
                "<p><a href=\"{}\">{}</a></p>",
                escape(link),
                escape(label)
            ));
        }
        text.push_str(&format!("-- \n{title}\n"));
        html.push_str("</body></html>");
        OutgoingEmail {
            to: to.to_owned(),
            subject: words.subject,
            text,
            html,
            link: words.button.map(|(_, link)| link),
        }
    }

    fn words(&self, language: Language, username: &str, title: &str) -> Words {
        use Language::{English, French};
        let link = |label, link: &str| Some((label, link.to_owned()));
        match (self, language) {
            (Message::ConfirmAccount { link: url }, English) => Words {
                subject: format!("{title}: confirm your e-mail address"),
                paragraphs: vec![
                    format!("Welcome, {username}!"),
                    format!("To finish creating your account on {title}, confirm that this address is yours by following the link below. It works for two days."),
                    "If you did not sign up, ignore this message: nothing happens without the link.".to_owned(),
                ],
                button: link("Confirm my address", url),
            },
            (Message::ConfirmAccount { link: url }, French) => Words {
                subject: format!("{title} : confirmez votre adresse e-mail"),
                paragraphs: vec![
                    format!("Bienvenue, {username} !"),
                    format!("Pour terminer la création de votre compte sur {title}, confirmez que cette adresse est la vôtre en suivant le lien ci-dessous. Il reste valable deux jours."),
                    "Si vous ne vous êtes pas inscrit·e, ignorez ce message : rien ne se passe sans le lien.".to_owned(),
                ],
                button: link("Confirmer mon adresse", url),
            },
            (Message::ConfirmNewAddress { link: url }, English) => Words {
                subject: format!("{title}: confirm your new e-mail address"),
                paragraphs: vec![
                    format!("Hello {username}, you asked to use this address for your account on {title}."),
                    "Follow the link below to confirm it. Until then your old address stays in use.".to_owned(),
                ],
                button: link("Confirm my new address", url),
            },
            (Message::ConfirmNewAddress { link: url }, French) => Words {
                subject: format!("{title} : confirmez votre nouvelle adresse e-mail"),
                paragraphs: vec![
                    format!("Bonjour {username}, vous avez demandé à utiliser cette adresse pour votre compte sur {title}."),
                    "Suivez le lien ci-dessous pour la confirmer. D'ici là, votre ancienne adresse reste en service.".to_owned(),
                ],
                button: link("Confirmer ma nouvelle adresse", url),
            },
            (Message::Approved { link: url }, English) => Words {
                subject: format!("{title}: your account was approved"),
                paragraphs: vec![
                    format!("Good news, {username}: the moderators of {title} approved your account."),
                    "You can sign in and start posting.".to_owned(),
                ],
                button: link("Go to the server", url),
            },
            (Message::Approved { link: url }, French) => Words {
                subject: format!("{title} : votre compte a été approuvé"),
                paragraphs: vec![
                    format!("Bonne nouvelle, {username} : l'équipe de modération de {title} a approuvé votre compte."),
                    "Vous pouvez vous connecter et commencer à publier.".to_owned(),
                ],
                button: link("Aller sur le serveur", url),
            },
            (Message::Rejected, English) => Words {
                subject: format!("{title}: your sign-up was declined"),
                paragraphs: vec![
                    format!("Hello {username}, the moderators of {title} declined your request to join."),
                    "Your data was removed. Many other servers are open to you.".to_owned(),
                ],
                button: None,
            },
            (Message::Rejected, French) => Words {
                subject: format!("{title} : votre inscription a été refusée"),
                paragraphs: vec![
                    format!("Bonjour {username}, l'équipe de modération de {title} a refusé votre demande d'inscription."),
                    "Vos données ont été supprimées. Bien d'autres serveurs vous sont ouverts.".to_owned(),
                ],
                button: None,
            },
            (Message::ResetPassword { link: url }, English) => Words {
                subject: format!("{title}: reset your password"),
                paragraphs: vec![
                    format!("Hello {username}, someone asked to reset the password of your account on {title}."),
                    "If it was you, follow the link below within an hour to choose a new one. If not, ignore this message: your password stays as it is.".to_owned(),
                ],
                button: link("Choose a new password", url),
            },
            (Message::ResetPassword { link: url }, French) => Words {
                subject: format!("{title} : réinitialisez votre mot de passe"),
                paragraphs: vec![
                    format!("Bonjour {username}, quelqu'un a demandé à réinitialiser le mot de passe de votre compte sur {title}."),
                    "Si c'était vous, suivez le lien ci-dessous dans l'heure pour en choisir un nouveau. Sinon, ignorez ce message : votre mot de passe ne change pas.".to_owned(),
                ],
                button: link("Choisir un nouveau mot de passe", url),
            },
            (Message::PasswordChanged, English) => Words {
                subject: format!("{title}: your password was changed"),
                paragraphs: vec![
                    format!("Hello {username}, the password of your account on {title} was just changed, and other sessions were signed out."),
                    "If you did not do this, reset your password at once and contact the server's team.".to_owned(),
                ],
                button: None,
            },
            (Message::PasswordChanged, French) => Words {
                subject: format!("{title} : votre mot de passe a été modifié"),
                paragraphs: vec![
                    format!("Bonjour {username}, le mot de passe de votre compte sur {title} vient d'être modifié, et vos autres sessions ont été déconnectées."),
                    "Si ce n'était pas vous, réinitialisez tout de suite votre mot de passe et contactez l'équipe du serveur.".to_owned(),
                ],
                button: None,
            },
            (Message::NewAppeal { who, link: url }, English) => Words {
                subject: format!("{title}: {who} appealed a decision"),
                paragraphs: vec![format!(
                    "Hello {username}, {who} appealed a decision of the moderators of {title}."
                )],
                button: link("Read the appeals", url),
            },
            (Message::NewAppeal { who, link: url }, French) => Words {
                subject: format!("{title} : {who} fait appel d'une décision"),
                paragraphs: vec![format!(
                    "Bonjour {username}, {who} fait appel d'une décision de l'équipe de modération de {title}."
                )],
                button: link("Lire les appels", url),
            },
            (Message::ArchiveReady { link: url }, English) => Words {
                subject: format!("{title}: your archive is ready"),
                paragraphs: vec![
                    format!("Hello {username}, the archive of your account on {title} is ready: your posts, their media, your profile, likes and bookmarks, in Mastodon's format."),
                    "Download it while signed in; you can ask for a new one once a week.".to_owned(),
                ],
                button: link("Download the archive", url),
            },
            (Message::ArchiveReady { link: url }, French) => Words {
                subject: format!("{title} : votre archive est prête"),
                paragraphs: vec![
                    format!("Bonjour {username}, l'archive de votre compte sur {title} est prête : vos messages, leurs médias, votre profil, vos favoris et vos signets, au format de Mastodon."),
                    "Téléchargez-la en étant connecté ; vous pouvez en demander une nouvelle une fois par semaine.".to_owned(),
                ],
                button: link("Télécharger l'archive", url),
            },
            (Message::ReportResolved { target }, English) => Words {
                subject: format!("{title}: your report about {target} was handled"),
                paragraphs: vec![
                    format!("Hello {username}, thank you for your report about {target}."),
                    format!("The moderators of {title} looked into it and took the action they found right. Thank you for helping keep this place safe."),
                ],
                button: None,
            },
            (Message::ReportResolved { target }, French) => Words {
                subject: format!("{title} : votre signalement de {target} a été traité"),
                paragraphs: vec![
                    format!("Bonjour {username}, merci pour votre signalement de {target}."),
                    format!("L'équipe de modération de {title} l'a examiné et a pris les mesures qu'elle a jugées justes. Merci d'aider à garder cet endroit sûr."),
                ],
                button: None,
            },
            (Message::NewReport { target, link: url }, English) => Words {
                subject: format!("{title}: a new report about {target}"),
                paragraphs: vec![format!(
                    "Hello {username}, someone reported {target} to the moderators of {title}."
                )],
                button: link("Read the reports", url),
            },
            (Message::NewReport { target, link: url }, French) => Words {
                subject: format!("{title} : un nouveau signalement de {target}"),
                paragraphs: vec![format!(
                    "Bonjour {username}, quelqu'un a signalé {target} à l'équipe de modération de {title}."
                )],
                button: link("Lire les signalements", url),
            },
            (Message::AppealDecided { approved, link: url }, English) => Words {
                subject: if *approved {
                    format!("{title}: your appeal was approved")
                } else {
                    format!("{title}: your appeal was rejected")
                },
                paragraphs: vec![if *approved {
                    format!("Hello {username}, the moderators of {title} approved your appeal: the decision was overruled and undone.")
                } else {
                    format!("Hello {username}, the moderators of {title} considered your appeal and upheld their decision.")
                }],
                button: link("Read the decision", url),
            },
            (Message::AppealDecided { approved, link: url }, French) => Words {
                subject: if *approved {
                    format!("{title} : votre appel a été accepté")
                } else {
                    format!("{title} : votre appel a été rejeté")
                },
                paragraphs: vec![if *approved {
                    format!("Bonjour {username}, l'équipe de modération de {title} a accepté votre appel : la décision a été annulée.")
                } else {
                    format!("Bonjour {username}, l'équipe de modération de {title} a examiné votre appel et maintenu sa décision.")
                }],
                button: link("Lire la décision", url),
            },
            (Message::Warning { action, text, link: url }, English) => Words {
                subject: format!("{title}: {}", action.english()),
                paragraphs: [
                    format!("Hello {username}, the moderators of {title} took a decision about your account: {}.", action.english().to_lowercase()),
                    text.to_string(),
                    "If you think this is a mistake, you can appeal it once, from the page below.".to_owned(),
                ]
                .into_iter()
                .filter(|paragraph| !paragraph.trim().is_empty())
                .collect(),
                button: link("Read it and appeal", url),
            },
            (Message::Warning { action, text, link: url }, French) => Words {
                subject: format!("{title} : {}", action.french()),
                paragraphs: [
                    format!("Bonjour {username}, l'équipe de modération de {title} a pris une décision concernant votre compte : {}.", action.french().to_lowercase()),
                    text.to_string(),
                    "Si vous pensez qu'il s'agit d'une erreur, vous pouvez faire appel une fois, depuis la page ci-dessous.".to_owned(),
                ]
                .into_iter()
                .filter(|paragraph| !paragraph.trim().is_empty())
                .collect(),
                button: link("Lire et faire appel", url),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_come_in_the_user_language_with_their_link_escaped_in_html() {
        let link = "https://example.org/auth/confirmation?confirmation_token=a&b";
        let english =
            Message::ConfirmAccount { link }.compose("a@example.org", "en", "alice", "Woolly");
        assert!(english.subject.contains("confirm your e-mail address"));
        assert!(english.text.contains(link));
        assert!(english.html.contains("confirmation_token=a&amp;b"));
        assert_eq!(english.link.as_deref(), Some(link));
        let french =
            Message::ConfirmAccount { link }.compose("a@example.org", "fr-CA", "alice", "Woolly");
        assert!(french.subject.contains("confirmez"));
        let unknown =
            Message::PasswordChanged.compose("a@example.org", "xx", "alice", "<b>Woolly</b>");
        assert!(unknown.subject.contains("password was changed"));
        assert!(
            !unknown.html.contains("<b>"),
            "the title is escaped in HTML"
        );
    }
}
