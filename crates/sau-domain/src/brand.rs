//! An installation's identity: the name its people know the desk by, the
//! colour of its buttons and links, and its logo. Whatever an admin picks, the
//! pages stay readable: a colour that white text cannot be read on is refused.

use crate::FieldProblem;

/// A name fits in the menu bar beside the menu: a few words.
pub const MAX_BRAND_NAME_CHARS: usize = 60;
/// A logo is a small picture in the menu bar, not a photograph.
pub const MAX_LOGO_BYTES: usize = 256 * 1024;
/// The least contrast WCAG 2.1 AA asks of normal text; white text on a
/// button of the brand's colour, and the colour as link text on the page.
pub const MIN_CONTRAST: f64 = 4.5;

/// A colour as the pages write it, `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// SAU's own colour when an installation picks none: a deep teal blue,
/// 7.0:1 against white.
pub const DEFAULT_BRAND_COLOUR: Rgb = Rgb(0x1b, 0x5e, 0x7e);
pub const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);
/// The page's background in the dark theme (Bootstrap's `#212529`).
pub const DARK_SURFACE: Rgb = Rgb(0x21, 0x25, 0x29);
/// The page's background behind the cards in the light theme: links in the
/// brand's colour sit on it, a little darker than white.
pub const LIGHT_SURFACE: Rgb = Rgb(0xf4, 0xf6, 0xf8);

impl Rgb {
    /// `#1b5e7e`, `1b5e7e` or the short `#18e`; anything else is `None`.
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.trim().trim_start_matches('#');
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let digit =
            |i: usize, len: usize| u8::from_str_radix(&hex[i * len..(i + 1) * len], 16).ok();
        match hex.len() {
            6 => Some(Rgb(digit(0, 2)?, digit(1, 2)?, digit(2, 2)?)),
            3 => {
                let short = |i| digit(i, 1).map(|d| d * 17);
                Some(Rgb(short(0)?, short(1)?, short(2)?))
            }
            _ => None,
        }
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// `r, g, b`, as Bootstrap's `--bs-*-rgb` variables hold it.
    pub fn triplet(self) -> String {
        format!("{}, {}, {}", self.0, self.1, self.2)
    }

    /// Relative luminance, as WCAG 2.1 defines it.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// The contrast ratio between two colours, 1 to 21.
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (light, dark) = if a > b { (a, b) } else { (b, a) };
        (light + 0.05) / (dark + 0.05)
    }

    /// `share` (0 to 1) of the way from this colour to `other`.
    pub fn mix(self, other: Rgb, share: f64) -> Rgb {
        let share = share.clamp(0.0, 1.0);
        let blend = |a: u8, b: u8| {
            let value = f64::from(a) + (f64::from(b) - f64::from(a)) * share;
            // Within 0..=255 by construction.
            value.round().clamp(0.0, 255.0) as u8
        };
        Rgb(
            blend(self.0, other.0),
            blend(self.1, other.1),
            blend(self.2, other.2),
        )
    }

    /// The nearest mix toward `toward` that reaches `ratio` against `surface`:
    /// the brand's colour lightened for the dark theme, or deepened for a hover.
    pub fn readable_on(self, surface: Rgb, toward: Rgb, ratio: f64) -> Rgb {
        (0..=20)
            .map(|step| self.mix(toward, f64::from(step) / 20.0))
            .find(|c| c.contrast(surface) >= ratio)
            .unwrap_or(toward)
    }
}

/// Checks a brand colour: a `#rrggbb` that reads as text on the light page
/// (and so, being darker still than that page, under white text too).
pub fn check_brand_colour(text: &str) -> Result<Rgb, FieldProblem> {
    let colour = Rgb::parse(text).ok_or(FieldProblem::NotAnOption)?;
    if colour.contrast(LIGHT_SURFACE) < MIN_CONTRAST || colour.contrast(WHITE) < MIN_CONTRAST {
        return Err(FieldProblem::LowContrast);
    }
    Ok(colour)
}

/// Checks an installation's name: one line, short; empty means "SAU".
pub fn check_brand_name(text: &str) -> Result<Option<String>, FieldProblem> {
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Ok(None);
    }
    if name.chars().count() > MAX_BRAND_NAME_CHARS {
        return Err(FieldProblem::TooLong);
    }
    if name.chars().any(char::is_control) {
        return Err(FieldProblem::NotAText);
    }
    Ok(Some(name))
}

/// The picture formats a logo may be: what every browser shows, and nothing
/// that can carry a script (no SVG).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoKind {
    Png,
    Jpeg,
    Webp,
}

impl LogoKind {
    pub fn media_type(self) -> &'static str {
        match self {
            LogoKind::Png => "image/png",
            LogoKind::Jpeg => "image/jpeg",
            LogoKind::Webp => "image/webp",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LogoKind::Png => "png",
            LogoKind::Jpeg => "jpeg",
            LogoKind::Webp => "webp",
        }
    }

    pub fn parse(text: &str) -> Option<LogoKind> {
        [LogoKind::Png, LogoKind::Jpeg, LogoKind::Webp]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// Checks a logo by its bytes (its name says nothing): PNG, JPEG or WebP, not
/// empty, at most [`MAX_LOGO_BYTES`].
pub fn check_logo(bytes: &[u8]) -> Result<LogoKind, FieldProblem> {
    if bytes.is_empty() {
        return Err(FieldProblem::Required);
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(FieldProblem::TooLong);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(LogoKind::Png)
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Ok(LogoKind::Jpeg)
    } else if bytes.len() > 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Ok(LogoKind::Webp)
    } else {
        Err(FieldProblem::NotAnOption)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_read_as_people_write_them() {
        assert_eq!(Rgb::parse("#1b5e7e"), Some(Rgb(0x1b, 0x5e, 0x7e)));
        assert_eq!(Rgb::parse(" 1B5E7E "), Some(Rgb(0x1b, 0x5e, 0x7e)));
        assert_eq!(Rgb::parse("#18e"), Some(Rgb(0x11, 0x88, 0xee)));
        assert_eq!(Rgb::parse("azul"), None);
        assert_eq!(Rgb::parse("#12345"), None);
        assert_eq!(Rgb(0x1b, 0x5e, 0x7e).hex(), "#1b5e7e");
    }

    #[test]
    fn contrast_is_wcag_s() {
        assert!((WHITE.contrast(Rgb(0, 0, 0)) - 21.0).abs() < 0.01);
        // Bootstrap's primary blue on white: 4.5:1, famously just short.
        let blue = Rgb(0x0d, 0x6e, 0xfd);
        assert!((blue.contrast(WHITE) - 4.50).abs() < 0.05);
        assert!(DEFAULT_BRAND_COLOUR.contrast(WHITE) >= 7.0);
    }

    #[test]
    fn a_colour_white_cannot_be_read_on_is_refused() {
        assert_eq!(
            check_brand_colour("#ffc107"),
            Err(FieldProblem::LowContrast)
        );
        assert_eq!(check_brand_colour("verde"), Err(FieldProblem::NotAnOption));
        assert_eq!(check_brand_colour("#0b5394"), Ok(Rgb(0x0b, 0x53, 0x94)));
        // Bootstrap's blue reads on white at 4.5:1, not on the light page.
        assert_eq!(
            check_brand_colour("#0d6efd"),
            Err(FieldProblem::LowContrast)
        );
    }

    #[test]
    fn the_dark_theme_gets_a_lighter_colour_that_still_reads() {
        let dark = DEFAULT_BRAND_COLOUR.readable_on(DARK_SURFACE, WHITE, MIN_CONTRAST);
        assert!(dark.contrast(DARK_SURFACE) >= MIN_CONTRAST);
        assert!(dark.luminance() > DEFAULT_BRAND_COLOUR.luminance());
    }

    #[test]
    fn a_name_is_one_short_line() {
        assert_eq!(check_brand_name("  "), Ok(None));
        assert_eq!(
            check_brand_name(" Mesa de  Ayuda TI "),
            Ok(Some("Mesa de Ayuda TI".into()))
        );
        assert_eq!(
            check_brand_name(&"x".repeat(MAX_BRAND_NAME_CHARS + 1)),
            Err(FieldProblem::TooLong)
        );
    }

    #[test]
    fn a_logo_is_known_by_its_bytes() {
        assert_eq!(check_logo(b"\x89PNG\r\n\x1a\n...."), Ok(LogoKind::Png));
        assert_eq!(check_logo(&[0xff, 0xd8, 0xff, 0xe0]), Ok(LogoKind::Jpeg));
        assert_eq!(check_logo(b"RIFF\0\0\0\0WEBPVP8 "), Ok(LogoKind::Webp));
        assert_eq!(
            check_logo(b"<svg onload=alert(1)>"),
            Err(FieldProblem::NotAnOption)
        );
        assert_eq!(check_logo(b""), Err(FieldProblem::Required));
        let huge = vec![0u8; MAX_LOGO_BYTES + 1];
        assert_eq!(check_logo(&huge), Err(FieldProblem::TooLong));
    }
}
