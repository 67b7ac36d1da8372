//! The installation's identity (name, colour, logo), kept in the settings and
//! cached: every page carries it, so it is read from the database at most every
//! few seconds on each instance, and at once on the instance that changed it.

use crate::{Caller, Service, ServiceError};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sau_domain::{
    DEFAULT_BRAND_COLOUR, LogoKind, Rgb, check_brand_colour, check_brand_name, check_logo,
};
use sha2::{Digest, Sha256};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

const NAME_SETTING: &str = "brand_name";
const COLOUR_SETTING: &str = "brand_colour";
/// `png:<base64>`: the kind, then the bytes.
const LOGO_SETTING: &str = "brand_logo";

/// How long the identity read from the database is reused: an admin's change
/// reaches the other instances within this.
const BRAND_CACHE_TTL: Duration = Duration::from_secs(10);

/// The installation's logo, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub kind: LogoKind,
    pub bytes: Arc<Vec<u8>>,
    /// Hex of the bytes' SHA-256, first 12 characters: its address changes
    /// with it, so browsers may keep it for good.
    pub hash: String,
}

/// The installation's identity as every page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brand {
    /// `None`: SAU's own name.
    pub name: Option<String>,
    /// Buttons, links and the bar under the menu.
    pub colour: Rgb,
    /// Whether the admin picked the colour (else SAU's own).
    pub colour_chosen: bool,
    pub logo: Option<Logo>,
}

impl Default for Brand {
    fn default() -> Self {
        Brand {
            name: None,
            colour: DEFAULT_BRAND_COLOUR,
            colour_chosen: false,
            logo: None,
        }
    }
}

/// What an admin sets: the name (empty for SAU's), the colour (empty for
/// SAU's own).
#[derive(Debug, Clone, Default)]
pub struct BrandInput {
    pub name: String,
    pub colour: String,
}

#[derive(Debug, Default)]
pub(crate) struct BrandCache(RwLock<Option<(Instant, Arc<Brand>)>>);

impl BrandCache {
    fn fresh(&self) -> Option<Arc<Brand>> {
        let guard = self.0.read().ok()?;
        let (at, brand) = guard.as_ref()?;
        (at.elapsed() < BRAND_CACHE_TTL).then(|| brand.clone())
    }

    fn latest(&self) -> Option<Arc<Brand>> {
        let guard = self.0.read().ok()?;
        guard.as_ref().map(|(_, brand)| brand.clone())
    }

    fn put(&self, brand: Arc<Brand>) {
        if let Ok(mut guard) = self.0.write() {
            *guard = Some((Instant::now(), brand));
        }
    }
}

fn logo_hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))[..12].to_owned()
}

/// A stored logo, or `None` for a missing or unreadable one (it is then not shown).
fn stored_logo(value: &str) -> Option<Logo> {
    let (kind, data) = value.split_once(':')?;
    let kind = LogoKind::parse(kind)?;
    let bytes = STANDARD.decode(data.trim()).ok()?;
    check_logo(&bytes).ok().filter(|k| *k == kind)?;
    Some(Logo {
        kind,
        hash: logo_hash(&bytes),
        bytes: Arc::new(bytes),
    })
}

impl Service {
    /// The identity every page shows: cached, read again when older than a
    /// few seconds. A database that does not answer leaves the last one known
    /// (or SAU's own) in place, so pages still render.
    pub async fn brand(&self) -> Arc<Brand> {
        if let Some(brand) = self.brand.fresh() {
            return brand;
        }
        match self.load_brand().await {
            Ok(brand) => {
                let brand = Arc::new(brand);
                self.brand.put(brand.clone());
                brand
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not read the installation's identity");
                self.brand_now()
            }
        }
    }

    /// The identity last read, without waiting: for answers given before a
    /// database could be asked (a refused form token).
    pub fn brand_now(&self) -> Arc<Brand> {
        self.brand.latest().unwrap_or_default()
    }

    async fn load_brand(&self) -> Result<Brand, ServiceError> {
        let name = self.store.get_setting(NAME_SETTING).await?;
        let colour = self.store.get_setting(COLOUR_SETTING).await?;
        let logo = self.store.get_setting(LOGO_SETTING).await?;
        let chosen = colour.as_deref().and_then(|c| check_brand_colour(c).ok());
        Ok(Brand {
            name: name.and_then(|n| check_brand_name(&n).ok().flatten()),
            colour: chosen.unwrap_or(DEFAULT_BRAND_COLOUR),
            colour_chosen: chosen.is_some(),
            logo: logo.as_deref().and_then(stored_logo),
        })
    }

    async fn reload_brand(&self) -> Result<(), ServiceError> {
        let brand = self.load_brand().await?;
        self.brand.put(Arc::new(brand));
        Ok(())
    }

    /// Sets the name and colour (admins only); both problems are named at once.
    pub async fn set_brand(&self, caller: &Caller, input: &BrandInput) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let mut problems = std::collections::BTreeMap::new();
        let name = check_brand_name(&input.name)
            .map_err(|p| problems.insert("brand_name".to_owned(), p))
            .ok();
        let colour = match input.colour.trim() {
            "" => Some(None),
            text => check_brand_colour(text)
                .map(Some)
                .map_err(|p| problems.insert("brand_colour".to_owned(), p))
                .ok(),
        };
        let (Some(name), Some(colour)) = (name, colour) else {
            return Err(ServiceError::Invalid(problems));
        };
        self.store
            .put_setting(NAME_SETTING.into(), name.unwrap_or_default())
            .await?;
        self.store
            .put_setting(
                COLOUR_SETTING.into(),
                colour.map(Rgb::hex).unwrap_or_default(),
            )
            .await?;
        self.reload_brand().await
    }

    /// Replaces the logo (admins only): PNG, JPEG or WebP, known by its bytes.
    pub async fn set_brand_logo(&self, caller: &Caller, bytes: &[u8]) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        let kind = check_logo(bytes).map_err(|p| ServiceError::invalid("brand_logo", p))?;
        let value = format!("{}:{}", kind.as_str(), STANDARD.encode(bytes));
        self.store.put_setting(LOGO_SETTING.into(), value).await?;
        self.reload_brand().await
    }

    /// Removes the logo (admins only): the menu shows the name alone.
    pub async fn remove_brand_logo(&self, caller: &Caller) -> Result<(), ServiceError> {
        Self::require_admin(caller)?;
        self.store
            .put_setting(LOGO_SETTING.into(), String::new())
            .await?;
        self.reload_brand().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_logo_is_read_back_only_when_it_is_still_a_picture() {
        let png = b"\x89PNG\r\n\x1a\nrest";
        let stored = format!("png:{}", STANDARD.encode(png));
        let logo = stored_logo(&stored).expect("a logo");
        assert_eq!(logo.kind, LogoKind::Png);
        assert_eq!(logo.bytes.as_slice(), png);
        assert_eq!(logo.hash.len(), 12);
        assert_eq!(stored_logo(""), None);
        assert_eq!(stored_logo("jpeg:not base64!"), None);
        // Bytes that are not the kind they claim are not shown.
        assert_eq!(stored_logo(&format!("jpeg:{}", STANDARD.encode(png))), None);
    }
}
