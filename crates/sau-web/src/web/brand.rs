//! The installation's look: a style sheet made from its colour (buttons,
//! links, focus rings, in the light and the dark theme) with the product's
//! typeface, and its logo. Both are served under an address that carries a
//! hash of their content, so browsers keep them until they change.

use crate::AppState;
use crate::assets::Assets;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sau_domain::{DARK_SURFACE, MIN_CONTRAST, Rgb, WHITE};
use sau_service::Brand;
use sha2::{Digest, Sha256};
use std::sync::{Arc, RwLock};

/// The typeface, vendored from `@fontsource-variable/inter` (Latin: Spanish
/// and English need nothing more; other scripts fall back to the system's).
const FONT: &str = "vendor/inter-latin-wght-normal.woff2";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";

/// The style sheet made for one identity, with its address's hash.
#[derive(Debug, Default)]
pub struct ThemeCss {
    pub css: String,
    pub hash: String,
}

/// The sheet of the identity last seen: made again only when the identity
/// (a new `Arc` from the service) changes.
#[derive(Debug, Default)]
pub struct ThemeCache(RwLock<Option<(Arc<Brand>, Arc<ThemeCss>)>>);

impl ThemeCache {
    pub fn of(&self, brand: &Arc<Brand>, assets: &Assets) -> Arc<ThemeCss> {
        if let Ok(guard) = self.0.read()
            && let Some((seen, sheet)) = guard.as_ref()
            && Arc::ptr_eq(seen, brand)
        {
            return sheet.clone();
        }
        let css = theme_css(brand.colour, &assets.url(FONT));
        let hash = hex::encode(Sha256::digest(css.as_bytes()))[..10].to_owned();
        let sheet = Arc::new(ThemeCss { css, hash });
        if let Ok(mut guard) = self.0.write() {
            *guard = Some((brand.clone(), sheet.clone()));
        }
        sheet
    }
}

/// Bootstrap's variables and component colours, set from the brand's colour.
/// White text on it reads (the service refuses any colour where it would not);
/// in the dark theme, links and outlines take a lighter mix that reads on the
/// dark page.
pub fn theme_css(colour: Rgb, font_url: &str) -> String {
    let deep = colour.mix(Rgb(0, 0, 0), 0.15);
    let deeper = colour.mix(Rgb(0, 0, 0), 0.25);
    let light_ink = colour.readable_on(DARK_SURFACE, WHITE, MIN_CONTRAST);
    let light_hover = light_ink.mix(WHITE, 0.25);
    let subtle = colour.mix(WHITE, 0.9);
    let subtle_border = colour.mix(WHITE, 0.6);
    let dark_subtle = colour.mix(DARK_SURFACE, 0.7);
    let (c, rgb) = (colour.hex(), colour.triplet());
    let (deep_hex, deeper_hex) = (deep.hex(), deeper.hex());
    let (ink, ink_rgb, ink_hover) = (light_ink.hex(), light_ink.triplet(), light_hover.hex());
    format!(
        r#"/* Made by SAU from the installation's colour {c}. */
@font-face {{
  font-family: "Inter Variable";
  font-style: normal;
  font-display: swap;
  font-weight: 100 900;
  src: url("{font_url}") format("woff2-variations"), url("{font_url}") format("woff2");
  unicode-range: U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD;
}}
:root, [data-bs-theme="light"] {{
  --sau-brand: {c};
  --sau-brand-rgb: {rgb};
  --sau-brand-ink: {c};
  --sau-focus: {c};
  --bs-primary: {c};
  --bs-primary-rgb: {rgb};
  --bs-link-color: {c};
  --bs-link-color-rgb: {rgb};
  --bs-link-hover-color: {deep_hex};
  --bs-link-hover-color-rgb: {deep_rgb};
  --bs-primary-text-emphasis: {deeper_hex};
  --bs-primary-bg-subtle: {subtle};
  --bs-primary-border-subtle: {subtle_border};
}}
[data-bs-theme="dark"] {{
  --sau-brand-ink: {ink};
  --sau-focus: {ink};
  --bs-link-color: {ink};
  --bs-link-color-rgb: {ink_rgb};
  --bs-link-hover-color: {ink_hover};
  --bs-link-hover-color-rgb: {ink_hover_rgb};
  --bs-primary-text-emphasis: {ink};
  --bs-primary-bg-subtle: {dark_subtle};
  --bs-primary-border-subtle: {c};
}}
.btn-primary {{
  --bs-btn-color: #fff;
  --bs-btn-bg: {c};
  --bs-btn-border-color: {c};
  --bs-btn-hover-color: #fff;
  --bs-btn-hover-bg: {deep_hex};
  --bs-btn-hover-border-color: {deep_hex};
  --bs-btn-active-color: #fff;
  --bs-btn-active-bg: {deeper_hex};
  --bs-btn-active-border-color: {deeper_hex};
  --bs-btn-disabled-color: #fff;
  --bs-btn-disabled-bg: {c};
  --bs-btn-disabled-border-color: {c};
  --bs-btn-focus-shadow-rgb: {rgb};
}}
.btn-outline-primary {{
  --bs-btn-color: var(--sau-brand-ink);
  --bs-btn-border-color: var(--sau-brand-ink);
  --bs-btn-hover-color: #fff;
  --bs-btn-hover-bg: {c};
  --bs-btn-hover-border-color: {c};
  --bs-btn-active-color: #fff;
  --bs-btn-active-bg: {deep_hex};
  --bs-btn-active-border-color: {deep_hex};
  --bs-btn-disabled-color: var(--sau-brand-ink);
  --bs-btn-disabled-border-color: var(--sau-brand-ink);
  --bs-btn-focus-shadow-rgb: {rgb};
}}
.form-check-input:checked {{ background-color: {c}; border-color: {c}; }}
.form-control:focus, .form-select:focus, .form-check-input:focus {{
  border-color: {subtle_border};
  box-shadow: 0 0 0 0.25rem rgba({rgb}, 0.25);
}}
.nav-pills {{ --bs-nav-pills-link-active-bg: {c}; }}
.text-bg-primary {{ background-color: {c} !important; color: #fff !important; }}
"#,
        deep_rgb = deep.triplet(),
        ink_hover_rgb = light_hover.triplet(),
        subtle = subtle.hex(),
        subtle_border = subtle_border.hex(),
        dark_subtle = dark_subtle.hex(),
    )
}

/// `GET /theme/{hash}.css`: the current sheet. An older hash (a page from
/// before a change) gets the current sheet too, without being kept.
pub(crate) async fn theme(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let brand = state.service.brand().await;
    let sheet = state.theme.of(&brand, &state.assets);
    let current = file.strip_suffix(".css") == Some(sheet.hash.as_str());
    (
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                CACHE_CONTROL,
                HeaderValue::from_static(if current { IMMUTABLE } else { NO_CACHE }),
            ),
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        sheet.css.clone(),
    )
        .into_response()
}

/// `GET /brand/logo/{hash}`: the installation's logo; 404 when it has none.
pub(crate) async fn logo(State(state): State<AppState>, Path(hash): Path<String>) -> Response {
    let brand = state.service.brand().await;
    let Some(logo) = brand.logo.as_ref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let current = hash == logo.hash;
    (
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static(logo.kind.media_type()),
            ),
            (
                CACHE_CONTROL,
                HeaderValue::from_static(if current { IMMUTABLE } else { NO_CACHE }),
            ),
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        logo.bytes.as_ref().clone(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sheet_carries_the_colour_and_a_lighter_one_for_the_dark_theme() {
        let css = theme_css(Rgb(0x0b, 0x53, 0x94), "/assets/abc/vendor/font.woff2");
        assert!(css.contains("--bs-primary: #0b5394;"), "{css}");
        assert!(css.contains("--bs-btn-bg: #0b5394;"), "{css}");
        assert!(
            css.contains("url(\"/assets/abc/vendor/font.woff2\")"),
            "{css}"
        );
        let dark = css
            .split("[data-bs-theme=\"dark\"] {")
            .nth(1)
            .expect("a dark block");
        let ink = dark
            .split("--bs-link-color: ")
            .nth(1)
            .and_then(|rest| rest.get(..7))
            .and_then(Rgb::parse)
            .expect("a link colour");
        assert!(ink.contrast(DARK_SURFACE) >= MIN_CONTRAST, "{ink:?}");
    }
}
