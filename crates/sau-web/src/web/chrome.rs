//! What every page's layout needs: language, translations, asset URLs, the
//! signed-in user and the form token.

use crate::assets::Assets;
use crate::i18n::Lang;
use crate::web::brand::ThemeCss;
use sau_service::{Brand, UserRecord};
use std::sync::Arc;

pub use crate::i18n::{translate, translate_with};

#[derive(Debug, Clone)]
pub struct Chrome {
    pub lang: Lang,
    pub user: Option<UserRecord>,
    /// The session's form token, for forms and htmx requests.
    pub csrf: String,
    pub assets: Arc<Assets>,
    /// The time zone dates are shown in.
    pub tz: jiff::tz::TimeZone,
    /// The menu's counts: new requests waiting, a technician's tickets with news.
    pub counts: sau_service::MenuCounts,
    /// The installation's name, colour and logo, and the sheet made from them.
    pub brand: Arc<Brand>,
    pub theme: Arc<ThemeCss>,
}

/// A count as the menu shows it: "99+" past the cap, nothing for none.
fn menu_count(count: Option<i64>) -> Option<String> {
    let count = count.filter(|n| *n > 0)?;
    Some(if count >= sau_service::MENU_COUNT_CAP {
        format!("{}+", sau_service::MENU_COUNT_CAP - 1)
    } else {
        count.to_string()
    })
}

impl Chrome {
    /// The layout for someone not (yet) known: no user, no form token, the
    /// installation's time zone, in `lang`.
    pub fn anonymous(state: &crate::AppState, lang: Lang, brand: Arc<Brand>) -> Chrome {
        Chrome {
            lang,
            user: None,
            csrf: String::new(),
            assets: state.assets.clone(),
            tz: state.service.settings().time_zone.clone(),
            counts: Default::default(),
            theme: state.theme.of(&brand, &state.assets),
            brand,
        }
    }

    /// What the installation is called: its own name, else SAU's.
    pub fn app_name(&self) -> String {
        self.brand
            .name
            .clone()
            .unwrap_or_else(|| self.t("app-name"))
    }

    /// The address of the style sheet made from the installation's colour.
    pub fn theme_url(&self) -> String {
        format!("/theme/{}.css", self.theme.hash)
    }

    /// The brand's colour, for the browser's own chrome (`theme-color`).
    pub fn brand_colour(&self) -> String {
        self.brand.colour.hex()
    }

    /// The address of the installation's logo, when it has one.
    pub fn logo_url(&self) -> Option<String> {
        self.brand
            .logo
            .as_ref()
            .map(|logo| format!("/brand/logo/{}", logo.hash))
    }

    /// A time as people here write it: `dd/mm/aaaa HH:MM`, in the local zone.
    pub fn time(&self, at: &jiff::Timestamp) -> String {
        at.to_zoned_datetime(self.tz.clone())
            .strftime("%d/%m/%Y %H:%M")
            .to_string()
    }

    /// New requests waiting, as the menu shows them ("99+" past the cap).
    pub fn waiting_count(&self) -> Option<String> {
        menu_count(self.counts.waiting)
    }

    /// The technician's tickets with news, as the menu shows them.
    pub fn news_count(&self) -> Option<String> {
        menu_count(self.counts.mine_news)
    }

    /// A day, `dd/mm/aaaa`, in the local zone.
    pub fn date(&self, at: &jiff::Timestamp) -> String {
        at.to_zoned_datetime(self.tz.clone())
            .strftime("%d/%m/%Y")
            .to_string()
    }

    /// The keyboard shortcuts the "?" dialog lists: the keys, and what they do.
    /// Going to a page is listed only where the menu offers that page.
    pub fn shortcuts(&self) -> Vec<(Vec<&'static str>, String)> {
        let mut all = vec![
            (vec!["?"], self.t("shortcuts-help")),
            (vec!["/"], self.t("shortcuts-search")),
            (vec!["j", "k"], self.t("shortcuts-rows")),
            (vec!["a"], self.t("shortcuts-action")),
            (vec!["c"], self.t("shortcuts-comment")),
            (vec!["g", "n"], self.t("nav-new-request")),
        ];
        if self.works_tickets() {
            all.push((vec!["g", "t"], self.t("nav-tickets")));
        }
        if self.dispatches() {
            all.push((vec!["g", "q"], self.t("nav-queue")));
        }
        if self.attends() {
            all.push((vec!["g", "m"], self.t("nav-mine")));
        }
        all.push((vec!["g", "p"], self.t("nav-profile")));
        all
    }

    pub fn t(&self, key: &str) -> String {
        translate(self.lang, key)
    }

    pub fn asset(&self, path: &str) -> String {
        self.assets.url(path)
    }

    fn has(&self, role: sau_domain::Role) -> bool {
        self.user.as_ref().is_some_and(|u| u.roles.has(role))
    }

    /// Whether to show the triage queue in the navigation.
    pub fn dispatches(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.roles.dispatches())
    }

    /// Whether to show the supervisor's overview in the navigation.
    pub fn supervises(&self) -> bool {
        self.has(sau_domain::Role::Supervisor)
    }

    /// Whether to show "Tickets" (the list of every ticket) in the navigation:
    /// agents; a requester's home already is their list.
    pub fn works_tickets(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.roles.is_agent())
    }

    /// Whether to show "my tickets" in the navigation.
    pub fn attends(&self) -> bool {
        self.has(sau_domain::Role::Technician)
    }

    pub fn lang_code(&self) -> &'static str {
        match self.lang {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    /// Keys of every `.ftl` file of one language (one file per area of the app).
    fn catalog_keys(lang: &str) -> BTreeSet<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("locales/{lang}"));
        let mut text = String::new();
        for entry in std::fs::read_dir(dir).expect("catalog directory") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "ftl") {
                text.push_str(&std::fs::read_to_string(&path).expect("catalog file"));
                text.push('\n');
            }
        }
        text.lines()
            .filter_map(|line| line.split_once(" = ").map(|(k, _)| k.trim()))
            .filter(|k| !k.is_empty() && !k.starts_with('#') && !k.starts_with(' '))
            .map(str::to_owned)
            .collect()
    }

    /// Every `.t("key")` and `translate(lang, "key")` in the templates and the
    /// page code.
    fn used_keys() -> BTreeSet<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = Vec::new();
        let mut dirs = vec![root.join("templates"), root.join("src/web")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).expect("dir") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.file_name().is_some_and(|n| n != "chrome.rs") {
                    sources.push(std::fs::read_to_string(path).expect("source"));
                }
            }
        }
        let mut keys = BTreeSet::new();
        for source in sources {
            // Without whitespace, so a call rustfmt spread over lines is found too.
            let source: String = source.split_whitespace().collect();
            for marker in [".t(\"", "translate(lang,\"", "translate_with(lang,\""] {
                for piece in source.split(marker).skip(1) {
                    if let Some(key) = piece.split('"').next() {
                        keys.insert(key.to_owned());
                    }
                }
            }
        }
        for state in sau_domain::State::ALL {
            keys.insert(format!("state-{}", state.as_str()));
        }
        keys
    }

    #[test]
    fn spanish_and_english_catalogs_have_the_same_keys() {
        let es = catalog_keys("es");
        let en = catalog_keys("en");
        assert!(es.len() > 20, "catalog parsed: {es:?}");
        let only_es: Vec<_> = es.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&es).collect();
        assert!(
            only_es.is_empty() && only_en.is_empty(),
            "missing in English: {only_es:?}; missing in Spanish: {only_en:?}"
        );
    }

    #[test]
    fn every_key_the_pages_use_is_in_both_catalogs() {
        let es = catalog_keys("es");
        let en = catalog_keys("en");
        let missing: Vec<_> = used_keys()
            .into_iter()
            .filter(|k| !es.contains(k) || !en.contains(k))
            .collect();
        assert!(
            missing.is_empty(),
            "keys without a translation: {missing:?}"
        );
    }

    #[test]
    fn lookups_answer_in_the_asked_language() {
        assert_eq!(translate(Lang::Es, "sign-in"), "Iniciar sesión");
        assert_eq!(translate(Lang::En, "sign-in"), "Sign in");
    }
}
