//! The admin's own wording of the mails: any notice's template in either
//! language (its subject and text, and its HTML body: `{notice}.html`, which
//! ships as the text's paragraphs), or the HTML layout they share, rewritten
//! at run time, previewed
//! before it is saved, and set back to the shipped one. A template that does
//! not compile or render is refused with the line and the reason. Every
//! instance picks up a change within [`TEMPLATE_CACHE_TTL`].

use super::templates::{MailContext, MailLook, MailTemplates, RenderedMail};
use crate::{Caller, Service, ServiceError, now};
use sau_domain::{FieldProblem, Notice};
use sau_store::MailTemplateOverride;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long an instance renders with the templates it read last.
pub const TEMPLATE_CACHE_TTL: Duration = Duration::from_secs(10);

/// The longest template accepted, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 64 * 1024;

/// The name the HTML layout goes by in the editor.
pub const LAYOUT: &str = "layout";

/// One template of the editor's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateEntry {
    /// A notice's name, or [`LAYOUT`].
    pub name: String,
    /// `es` or `en`; empty for the layout.
    pub lang: String,
    /// Rewritten by the admin (else the shipped one is used).
    pub edited: bool,
}

/// A template's text as the editor shows it.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub entry: TemplateEntry,
    /// What is used now: the admin's, or the shipped one.
    pub source: String,
    pub shipped: String,
}

/// The templates in use, read again from the store when older than the TTL.
#[derive(Debug, Default)]
pub(crate) struct TemplateCache(RwLock<Option<(Instant, Arc<MailTemplates>)>>);

/// The suffix of a notice's HTML body in the editor (`resolved.html`).
pub const HTML_BODY: &str = ".html";

/// The name a template goes by inside minijinja.
fn file_name(name: &str, lang: &str) -> String {
    if name == LAYOUT {
        "layout.html".to_owned()
    } else if name.ends_with(HTML_BODY) {
        format!("{lang}/{name}")
    } else {
        format!("{lang}/{name}.txt")
    }
}

/// Checks that `name`/`lang` names a template; the notice it is for (none for
/// the layout).
fn known(name: &str, lang: &str) -> Result<Option<Notice>, ServiceError> {
    if name == LAYOUT && lang.is_empty() {
        return Ok(None);
    }
    let notice = Notice::parse(name.strip_suffix(HTML_BODY).unwrap_or(name))
        .ok_or(ServiceError::NotFound("template"))?;
    if !matches!(lang, "es" | "en") {
        return Err(ServiceError::NotFound("template"));
    }
    Ok(Some(notice))
}

/// What the preview fills a template with: a request as it might be.
fn sample(lang: &str, notice: Notice) -> MailContext {
    let en = lang == "en";
    MailContext {
        recipient: "Ana Pérez".into(),
        number: "2026120710000011".into(),
        title: if en {
            "The printer on floor 2 does not print"
        } else {
            "La impresora del piso 2 no imprime"
        }
        .into(),
        link: "https://sau.example/requests/2026120710000011".into(),
        actor: "Tomás Técnico".into(),
        body: if en {
            "The print queue was restarted and a test page printed."
        } else {
            "Se reinició la cola de impresión y se imprimió una página de prueba."
        }
        .into(),
        technician: "Tomás Técnico".into(),
        requester: "Ana Pérez".into(),
        category: if en {
            "Equipment support"
        } else {
            "Soporte técnico de equipo"
        }
        .into(),
        priority: "3".into(),
        rating_link: if notice == Notice::Closed {
            "https://sau.example/rate/EJEMPLO".into()
        } else {
            String::new()
        },
    }
}

impl Service {
    /// The templates to render with now: the shipped ones with the admin's in
    /// their place. One that no longer compiles (it never should: each is
    /// checked when saved) leaves the shipped ones in use, and says so in the
    /// log.
    pub(crate) async fn current_mail_templates(&self) -> Arc<MailTemplates> {
        if let Ok(guard) = self.mail_templates.0.read()
            && let Some((at, templates)) = guard.as_ref()
            && at.elapsed() < TEMPLATE_CACHE_TTL
        {
            return templates.clone();
        }
        let overrides = match self.store.mail_template_overrides().await {
            Ok(overrides) => overrides,
            Err(e) => {
                tracing::warn!(error = %e, "the admin's mail templates could not be read");
                Vec::new()
            }
        };
        let named: Vec<(String, String)> = overrides
            .into_iter()
            .map(|o| (file_name(&o.notice, &o.lang), o.source))
            .collect();
        let templates = Arc::new(MailTemplates::with_overrides(&named).unwrap_or_else(|e| {
            tracing::error!(error = %e, "an edited mail template does not compile; using the shipped ones");
            MailTemplates::shipped_or_none()
        }));
        if let Ok(mut guard) = self.mail_templates.0.write() {
            *guard = Some((Instant::now(), templates.clone()));
        }
        templates
    }

    fn forget_mail_templates(&self) {
        if let Ok(mut guard) = self.mail_templates.0.write() {
            *guard = None;
        }
    }

    /// Every template, each notice in both languages (its text, then its HTML
    /// body), then the layout (admins only).
    pub async fn mail_template_list(
        &self,
        caller: &Caller,
    ) -> Result<Vec<TemplateEntry>, ServiceError> {
        Self::require_admin(caller)?;
        let edited = self.store.mail_template_overrides().await?;
        let is_edited =
            |name: &str, lang: &str| edited.iter().any(|o| o.notice == name && o.lang == lang);
        let mut list = Vec::new();
        for notice in Notice::ALL {
            for lang in ["es", "en"] {
                for name in [
                    notice.as_str().to_owned(),
                    format!("{}{HTML_BODY}", notice.as_str()),
                ] {
                    list.push(TemplateEntry {
                        edited: is_edited(&name, lang),
                        name,
                        lang: lang.to_owned(),
                    });
                }
            }
        }
        list.push(TemplateEntry {
            name: LAYOUT.to_owned(),
            lang: String::new(),
            edited: is_edited(LAYOUT, ""),
        });
        Ok(list)
    }

    /// One template's text in use and as shipped (admins only).
    pub async fn mail_template(
        &self,
        caller: &Caller,
        name: &str,
        lang: &str,
    ) -> Result<TemplateSource, ServiceError> {
        Self::require_admin(caller)?;
        known(name, lang)?;
        let shipped = MailTemplates::shipped_source(&file_name(name, lang))
            .ok_or(ServiceError::NotFound("template"))?
            .to_owned();
        let edited = self
            .store
            .mail_template_overrides()
            .await?
            .into_iter()
            .find(|o| o.notice == name && o.lang == lang);
        Ok(TemplateSource {
            entry: TemplateEntry {
                name: name.to_owned(),
                lang: lang.to_owned(),
                edited: edited.is_some(),
            },
            source: edited.map(|o| o.source).unwrap_or_else(|| shipped.clone()),
            shipped,
        })
    }

    /// The mail `source` would make, filled with a sample request; the
    /// layout is previewed around the resolution notice. `Err` inside: why
    /// the template cannot be used, with its line (admins only).
    pub async fn preview_mail_template(
        &self,
        caller: &Caller,
        name: &str,
        lang: &str,
        source: &str,
    ) -> Result<Result<RenderedMail, String>, ServiceError> {
        Self::require_admin(caller)?;
        let notice = known(name, lang)?;
        if source.len() > MAX_TEMPLATE_BYTES {
            return Err(ServiceError::invalid("source", FieldProblem::TooLong));
        }
        let mut named: Vec<(String, String)> = self
            .store
            .mail_template_overrides()
            .await?
            .into_iter()
            .filter(|o| !(o.notice == name && o.lang == lang))
            .map(|o| (file_name(&o.notice, &o.lang), o.source))
            .collect();
        named.push((file_name(name, lang), source.to_owned()));
        let templates = match MailTemplates::with_overrides(&named) {
            Ok(templates) => templates,
            Err(e) => return Ok(Err(e)),
        };
        let brand = self.brand().await;
        let look = MailLook {
            installation: brand.name.clone().unwrap_or_else(|| "SAU".to_owned()),
            colour: brand.colour.hex(),
        };
        let (lang, notice) = match notice {
            Some(notice) => (lang, notice),
            None => ("es", Notice::Resolved),
        };
        Ok(templates.render(lang, notice, &sample(lang, notice), &look))
    }

    /// Keeps the admin's wording, once it renders; `Err` inside: why not
    /// (admins only).
    pub async fn save_mail_template(
        &self,
        caller: &Caller,
        name: &str,
        lang: &str,
        source: &str,
    ) -> Result<Result<(), String>, ServiceError> {
        if let Err(why) = self
            .preview_mail_template(caller, name, lang, source)
            .await?
        {
            return Ok(Err(why));
        }
        let by = caller.user().map(|u| u.id);
        self.store
            .put_mail_template(MailTemplateOverride {
                notice: name.to_owned(),
                lang: lang.to_owned(),
                source: source.replace("\r\n", "\n"),
                updated_at: now(),
                updated_by: by,
            })
            .await?;
        self.forget_mail_templates();
        Ok(Ok(()))
    }

    /// Goes back to the shipped wording (admins only).
    pub async fn reset_mail_template(
        &self,
        caller: &Caller,
        name: &str,
        lang: &str,
    ) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        known(name, lang)?;
        self.store
            .delete_mail_template(name.to_owned(), lang.to_owned())
            .await?;
        self.forget_mail_templates();
        Ok(())
    }
}
