//! The words of each mail: a template per notice and language (subject and
//! plain text, `mail/{lang}/{notice}.txt`), and one HTML layout that sets the
//! text's paragraphs in the installation's colours. Rendered with minijinja;
//! the HTML layout escapes everything it is given.

use minijinja::{AutoEscape, Environment, Value, context};
use sau_domain::Notice;
use serde::Serialize;

/// The shipped templates, compiled in.
macro_rules! shipped {
    ($($lang:literal / $name:literal),* $(,)?) => {
        &[$((concat!($lang, "/", $name, ".txt"), include_str!(concat!("../../mail/", $lang, "/", $name, ".txt")))),*]
    };
}

const SHIPPED: &[(&str, &str)] = shipped![
    "es" / "received",
    "es" / "assigned",
    "es" / "answered",
    "es" / "resolved",
    "es" / "closed",
    "es" / "returned",
    "es" / "reopened",
    "es" / "cancelled",
    "es" / "assigned_to_you",
    "es" / "returned_to_you",
    "es" / "requester_wrote",
    "es" / "new_request",
    "es" / "handed_back",
    "es" / "cancelled_for_supervisor",
    "es" / "reopened_for_supervisor",
    "es" / "due_soon",
    "es" / "overdue",
    "en" / "received",
    "en" / "assigned",
    "en" / "answered",
    "en" / "resolved",
    "en" / "closed",
    "en" / "returned",
    "en" / "reopened",
    "en" / "cancelled",
    "en" / "assigned_to_you",
    "en" / "returned_to_you",
    "en" / "requester_wrote",
    "en" / "new_request",
    "en" / "handed_back",
    "en" / "cancelled_for_supervisor",
    "en" / "reopened_for_supervisor",
    "en" / "due_soon",
    "en" / "overdue",
];

const LAYOUT: &str = include_str!("../../mail/layout.html");

/// The HTML body every notice ships with: its text's paragraphs. An admin may
/// give any notice, in either language, an HTML body of its own
/// (`{lang}/{notice}.html`); the layout wraps whichever is used.
const BODY: &str = include_str!("../../mail/body.html");

/// What a mail's template may say.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MailContext {
    /// Who it is for.
    pub recipient: String,
    pub number: String,
    pub title: String,
    /// The page of the ticket (agents) or of the request (its requester).
    pub link: String,
    /// Who made the change.
    pub actor: String,
    /// What the change said: the comment, the resolution, the reason.
    pub body: String,
    pub technician: String,
    pub requester: String,
    pub category: String,
    pub priority: String,
    /// The closing mail's one-use rating link (`…/rate/{token}`); empty
    /// elsewhere. The HTML offers its five scores as buttons.
    pub rating_link: String,
}

/// A mail's three parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A template's error as the admin reads it: which template, the line, and
/// what is wrong there.
fn describe(name: &str, error: &minijinja::Error) -> String {
    let mut text = match error.line() {
        Some(line) => format!("{name}, line {line}: {}", error.kind()),
        None => format!("{name}: {}", error.kind()),
    };
    if let Some(detail) = error.detail() {
        text.push_str(": ");
        text.push_str(detail);
    }
    text
}

/// How the HTML part looks: the installation's name and colour.
#[derive(Debug, Clone)]
pub struct MailLook {
    pub installation: String,
    pub colour: String,
}

#[derive(Debug)]
pub struct MailTemplates {
    env: Environment<'static>,
}

impl MailTemplates {
    /// The shipped templates.
    pub fn shipped() -> Result<MailTemplates, String> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        for (name, source) in SHIPPED {
            env.add_template(name, source)
                .map_err(|e| format!("{name}: {e}"))?;
        }
        env.add_template("layout.html", LAYOUT)
            .map_err(|e| format!("layout.html: {e}"))?;
        env.add_template("body.html", BODY)
            .map_err(|e| format!("body.html: {e}"))?;
        Ok(MailTemplates { env })
    }

    /// The shipped templates with some replaced: `(name, source)`, where
    /// name is `{lang}/{notice}.txt` or `layout.html`. A replacement that does
    /// not compile is named in the error.
    pub fn with_overrides(overrides: &[(String, String)]) -> Result<MailTemplates, String> {
        let mut templates = MailTemplates::shipped()?;
        for (name, source) in overrides {
            templates
                .env
                .add_template_owned(name.clone(), source.clone())
                .map_err(|e| describe(name, &e))?;
        }
        Ok(templates)
    }

    /// The shipped source of `name` (`{lang}/{notice}.txt`,
    /// `{lang}/{notice}.html` or `layout.html`).
    pub fn shipped_source(name: &str) -> Option<&'static str> {
        if name == "layout.html" {
            return Some(LAYOUT);
        }
        if let Some(text) = name.strip_suffix(".html") {
            let text = format!("{text}.txt");
            return SHIPPED.iter().any(|(n, _)| *n == text).then_some(BODY);
        }
        SHIPPED.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }

    /// The shipped templates; should they not compile (a broken build), none:
    /// every mail then fails with the reason, kept in the outbox.
    pub fn shipped_or_none() -> MailTemplates {
        MailTemplates::shipped().unwrap_or_else(|e| {
            tracing::error!(error = %e, "the shipped mail templates do not compile");
            MailTemplates {
                env: Environment::new(),
            }
        })
    }

    /// The mail of `notice` in `lang` (`es` or `en`; anything else is `es`).
    pub fn render(
        &self,
        lang: &str,
        notice: Notice,
        mail: &MailContext,
        look: &MailLook,
    ) -> Result<RenderedMail, String> {
        let lang = if lang == "en" { "en" } else { "es" };
        let name = format!("{lang}/{}.txt", notice.as_str());
        let template = self
            .env
            .get_template(&name)
            .map_err(|e| describe(&name, &e))?;
        let mut captured = template
            .render_captured(mail)
            .map_err(|e| describe(&name, &e))?;
        let (subject, text) = captured
            .with_state_mut(|state| {
                Ok::<_, minijinja::Error>((
                    state.render_block("subject")?,
                    state.render_block("text")?,
                ))
            })
            .map_err(|e| describe(&name, &e))?;
        // One line, and the ticket's number where mail clients and SAU's own
        // mail reader look for it.
        let subject = subject.split_whitespace().collect::<Vec<_>>().join(" ");
        let subject = format!("[Ticket#{}] {subject}", mail.number);
        let text = text.trim().to_owned();
        let paragraphs: Vec<Vec<&str>> = text
            .split("\n\n")
            .map(|p| p.lines().collect::<Vec<_>>())
            .filter(|p: &Vec<&str>| !p.is_empty())
            .collect();
        let (open_label, rating_label, footer) = if lang == "en" {
            (
                "Open in SAU",
                "How were you attended? 1 (badly) to 5 (very well):",
                format!("Sent automatically by {}.", look.installation),
            )
        } else {
            (
                "Abrir en SAU",
                "¿Cómo le atendimos? De 1 (mal) a 5 (muy bien):",
                format!("Mensaje automático de {}.", look.installation),
            )
        };
        // The notice's own HTML body when the admin wrote one, else the
        // text's paragraphs; escaped either way (an `.html` template).
        let own_body = format!("{lang}/{}.html", notice.as_str());
        let body_name = if self.env.get_template(&own_body).is_ok() {
            own_body
        } else {
            "body.html".to_owned()
        };
        let body = self
            .env
            .get_template(&body_name)
            .and_then(|body| {
                body.render(context! {
                    lang,
                    paragraphs => &paragraphs,
                    ..Value::from_serialize(mail)
                })
            })
            .map_err(|e| describe(&body_name, &e))?;
        let html = self
            .env
            .get_template("layout.html")
            .and_then(|layout| {
                layout.render(context! {
                    lang,
                    subject => &subject,
                    installation => &look.installation,
                    colour => &look.colour,
                    body,
                    paragraphs,
                    link => &mail.link,
                    open_label,
                    rating_link => &mail.rating_link,
                    rating_label,
                    scores => [1, 2, 3, 4, 5],
                    footer,
                })
            })
            .map_err(|e| describe("layout.html", &e))?;
        Ok(RenderedMail {
            subject,
            text,
            html,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn look() -> MailLook {
        MailLook {
            installation: "Mesa de Ayuda TI".into(),
            colour: "#1b5e7e".into(),
        }
    }

    #[test]
    fn every_notice_renders_in_both_languages_with_the_number_in_the_subject() {
        let templates = MailTemplates::shipped().expect("templates");
        let mail = MailContext {
            recipient: "Ana".into(),
            number: "2026120710000011".into(),
            title: "La impresora <HP> no imprime".into(),
            link: "https://sau.example/requests/2026120710000011".into(),
            actor: "Tomás".into(),
            body: "Se reinició la cola.\nProbado.".into(),
            ..MailContext::default()
        };
        for lang in ["es", "en"] {
            for notice in Notice::ALL {
                let out = templates
                    .render(lang, notice, &mail, &look())
                    .expect("rendered");
                assert!(
                    out.subject.starts_with("[Ticket#2026120710000011] "),
                    "{}",
                    out.subject
                );
                assert!(!out.subject.contains('\n'));
                assert!(
                    out.text.contains("2026120710000011") || out.text.contains(&mail.link),
                    "{lang} {notice:?}: {}",
                    out.text
                );
                // The HTML escapes what people typed.
                assert!(!out.html.contains("<HP>"), "{}", out.html);
                assert!(out.html.contains("Mesa de Ayuda TI"));
            }
        }
    }

    /// Every mail as it goes out, kept under `src/mail/snapshots/`: a change
    /// to a template or the layout shows as a diff to review
    /// (`cargo insta review`, or `INSTA_UPDATE=always` to accept).
    #[test]
    fn every_rendered_mail_matches_its_snapshot() {
        let templates = MailTemplates::shipped().expect("templates");
        let mail = MailContext {
            recipient: "Ana Solicitante".into(),
            number: "2026120710000011".into(),
            title: "La impresora no imprime".into(),
            link: "https://sau.example/tickets/2026120710000011".into(),
            actor: "Tomás Técnico".into(),
            body: "Se reinició la cola de impresión.\nSe imprimió una página de prueba.".into(),
            technician: "Tomás Técnico".into(),
            requester: "Ana Solicitante".into(),
            category: "Soporte técnico de equipo".into(),
            priority: "3".into(),
            rating_link: String::new(),
        };
        for lang in ["es", "en"] {
            for notice in Notice::ALL {
                let rating_link = match notice {
                    Notice::Closed => "https://sau.example/rate/TOKEN".to_owned(),
                    _ => String::new(),
                };
                let mail = MailContext {
                    rating_link,
                    ..mail.clone()
                };
                let out = templates
                    .render(lang, notice, &mail, &look())
                    .expect("rendered");
                let shown = format!(
                    "Subject: {}\n\n{}\n\n----- HTML -----\n{}",
                    out.subject, out.text, out.html
                );
                insta::assert_snapshot!(format!("{lang}_{}", notice.as_str()), shown);
            }
        }
    }

    #[test]
    fn a_resolution_reads_as_written_in_text_and_escaped_in_html() {
        let templates = MailTemplates::shipped().expect("templates");
        let mail = MailContext {
            recipient: "Ana".into(),
            number: "1".into(),
            title: "t".into(),
            actor: "Tomás".into(),
            body: "Paso 1 & paso 2 <listo>".into(),
            ..MailContext::default()
        };
        let out = templates
            .render("es", Notice::Resolved, &mail, &look())
            .expect("rendered");
        assert!(out.text.contains("Paso 1 & paso 2 <listo>"), "{}", out.text);
        assert!(
            out.html.contains("Paso 1 &amp; paso 2 &lt;listo&gt;"),
            "{}",
            out.html
        );
        assert_eq!(out.subject, "[Ticket#1] Su solicitud fue resuelta: t");
    }
}
