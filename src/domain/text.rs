//! The text rule shared by every free-text field: at most `max` characters as sent, whatever
//! whitespace they carry; trimmed and runs of whitespace collapsed to one space; control
//! characters, invisible format characters and noncharacters refused; at least `min`
//! characters once cleaned. Lengths count characters (code points), as JSON Schema does.
//!
//! The refused characters come from the Unicode Character Database (ICU4X), and the same set
//! is written into the OpenAPI document's patterns ([`refused_class`]), so the spec and the
//! server cannot disagree about them.

use std::ops::RangeInclusive;
use std::sync::LazyLock;

use icu_properties::props::{
    DefaultIgnorableCodePoint, GeneralCategory, NoncharacterCodePoint, WhiteSpace,
};
use icu_properties::{CodePointMapData, CodePointSetData};

use super::{FieldCode, Invalid};

/// Format characters a language needs to be spelled right: ZERO WIDTH NON-JOINER (Persian,
/// Kurdish and Indic words) and ZERO WIDTH JOINER (Indic conjuncts, emoji sequences). Every
/// other format character is refused, and name comparison ignores these two.
const NEEDED_JOINERS: [char; 2] = ['\u{200C}', '\u{200D}'];

/// Why a character is refused, with the code a client can switch on.
fn refusal(c: char) -> Option<(FieldCode, &'static str)> {
    let category = CodePointMapData::<GeneralCategory>::new().get(c);
    if category == GeneralCategory::Control && !CodePointSetData::new::<WhiteSpace>().contains(c) {
        return Some((FieldCode::ControlCharacters, "control characters"));
    }
    if CodePointSetData::new::<NoncharacterCodePoint>().contains(c) {
        return Some((FieldCode::Noncharacters, "Unicode noncharacters"));
    }
    let invisible_letter = category == GeneralCategory::OtherLetter
        && CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c);
    if (category == GeneralCategory::Format && !NEEDED_JOINERS.contains(&c)) || invisible_letter {
        return Some((
            FieldCode::FormatCharacters,
            "invisible formatting characters (direction controls, zero-width spaces, soft hyphens, fillers)",
        ));
    }
    None
}

/// Every refused character, as ranges of code points, computed once from the Unicode data.
static REFUSED: LazyLock<Vec<RangeInclusive<u32>>> = LazyLock::new(|| {
    let mut ranges: Vec<RangeInclusive<u32>> = Vec::new();
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        if refusal(c).is_none() {
            continue;
        }
        let cp = c as u32;
        match ranges.last_mut() {
            Some(last) if *last.end() + 1 == cp => *last = *last.start()..=cp,
            _ => ranges.push(cp..=cp),
        }
    }
    ranges
});

/// Whether `c` may appear in a text field.
pub fn is_refused(c: char) -> bool {
    let cp = c as u32;
    REFUSED
        .binary_search_by(|range| {
            if *range.end() < cp {
                std::cmp::Ordering::Less
            } else if *range.start() > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The refused characters as the inside of a regular-expression character class, written so
/// that ECMA-262 and Python's `re` (schemathesis) read it alike: `\uXXXX` escapes in the
/// Basic Multilingual Plane, the characters themselves above it.
pub fn refused_class() -> String {
    fn one(cp: u32) -> String {
        if cp <= 0xFFFF {
            format!("\\u{cp:04X}")
        } else {
            char::from_u32(cp).map(String::from).unwrap_or_default()
        }
    }
    REFUSED
        .iter()
        .map(|range| {
            if range.start() == range.end() {
                one(*range.start())
            } else {
                format!("{}-{}", one(*range.start()), one(*range.end()))
            }
        })
        .collect()
}

/// The characters `clean` takes for whitespace (Unicode White_Space, as Rust's
/// `split_whitespace`), as the inside of a character class.
pub fn whitespace_class() -> String {
    CodePointSetData::new::<WhiteSpace>()
        .iter_ranges()
        .map(|range| {
            if range.start() == range.end() {
                format!("\\u{:04X}", range.start())
            } else {
                format!("\\u{:04X}-\\u{:04X}", range.start(), range.end())
            }
        })
        .collect()
}

/// Cleans `raw` and checks its length (in characters) is within `min..=max`.
pub fn clean(raw: &str, min: usize, max: usize) -> Result<String, Invalid> {
    if let Some((c, (code, what))) = raw.chars().find_map(|c| refusal_of(c).map(|r| (c, r))) {
        return Err(Invalid::new(
            code,
            format!("must not contain {what} (found U+{:04X})", c as u32),
        ));
    }
    let sent = raw.chars().count();
    if sent > max {
        return Err(Invalid::new(
            FieldCode::TooLong,
            format!("must be at most {max} characters, spaces included (got {sent})"),
        ));
    }
    let cleaned = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let length = cleaned.chars().count();
    if length < min {
        return Err(if length == 0 {
            Invalid::new(FieldCode::Required, "must not be empty")
        } else {
            Invalid::new(
                FieldCode::TooShort,
                format!("must be at least {min} characters"),
            )
        });
    }
    Ok(cleaned)
}

/// Refuses a name that carries a link: a web address (with or without `https://`, since mail
/// programs make `example.org/login` and `www.example.org` clickable too) or an e-mail address.
/// Names are written into the mail the campaign sends to the address a submitter typed, so a
/// link in one would have the campaign's own sender carry an attacker's link to anyone.
/// Found by `linkify`, which knows where links begin and end in running text.
pub fn without_links(text: String) -> Result<String, Invalid> {
    let mut finder = linkify::LinkFinder::new();
    finder.url_must_have_scheme(false);
    let found = finder
        .links(&text)
        .next()
        .map(|link| matches!(link.kind(), linkify::LinkKind::Email));
    match found {
        None => Ok(text),
        Some(email) => Err(Invalid::new(
            FieldCode::LinkNotAllowed,
            if email {
                "must not contain an e-mail address"
            } else {
                "must not contain a web address"
            },
        )),
    }
}

/// The refusal of one character, looked up in the precomputed ranges first (cheap), and
/// described from the Unicode data only when refused.
fn refusal_of(c: char) -> Option<(FieldCode, &'static str)> {
    if is_refused(c) {
        refusal(c)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{check, VALID};

    #[test]
    fn a_name_with_a_web_or_mail_address_in_it_is_refused() {
        check(
            |raw| without_links(raw.to_string()),
            &[
                (
                    "Visit https://evil.example/login to keep your account",
                    "link_not_allowed",
                ),
                ("Visit evil.example/login now", "link_not_allowed"),
                ("www.evil.example", "link_not_allowed"),
                ("see evil-site.net", "link_not_allowed"),
                ("HTTP://EVIL.EXAMPLE", "link_not_allowed"),
                ("write to help@evil.example", "link_not_allowed"),
                ("ftp://files.example/x", "link_not_allowed"),
                ("Save the Children", VALID),
                ("Terre des Hommes e.V.", VALID),
                ("U.S. Fund for UNICEF", VALID),
                ("St. Mary's Refugee Aid", VALID),
                ("Médecins Sans Frontières (MSF)", VALID),
                ("Dear customer, your mailbox is full", VALID),
                ("Ассоциация «Дети» – 2012", VALID),
                ("منظمة حقوق الطفل", VALID),
            ],
        );
    }

    #[test]
    fn surrounding_and_repeated_whitespace_is_collapsed() {
        assert_eq!(
            clean("  Save \t the\n\nChildren ", 1, 50).unwrap(),
            "Save the Children"
        );
    }

    #[test]
    fn control_characters_are_refused_even_inside_words() {
        check(
            |raw| clean(raw, 1, 50),
            &[
                ("Save\u{0}Children", "control_characters"),
                ("bell\u{7}", "control_characters"),
            ],
        );
    }

    #[test]
    fn invisible_direction_controls_and_other_format_characters_are_refused() {
        for c in [
            '\u{202A}',
            '\u{202B}',
            '\u{202C}',
            '\u{202D}',
            '\u{202E}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{200B}',
            '\u{200E}',
            '\u{200F}',
            '\u{061C}',
            '\u{00AD}',
            '\u{FEFF}',
            '\u{2060}',
            '\u{E0041}',
            '\u{3164}',
            '\u{115F}',
        ] {
            let err = clean(&format!("Save{c}Children"), 1, 50).unwrap_err();
            assert_eq!(err.code, "format_characters", "U+{:04X}", c as u32);
            assert!(err.message.contains(&format!("{:04X}", c as u32)));
        }
    }

    #[test]
    fn noncharacters_are_refused() {
        for c in [
            '\u{FDD0}',
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{1FFFF}',
            '\u{10FFFE}',
        ] {
            assert_eq!(
                clean(&format!("a{c}b"), 1, 50).unwrap_err().code,
                "noncharacters"
            );
        }
    }

    #[test]
    fn joiners_that_languages_need_are_kept() {
        // Persian "می‌خواهم" is spelled with a ZERO WIDTH NON-JOINER.
        check(
            |raw| clean(raw, 1, 50),
            &[("می\u{200C}خواهم", VALID), ("क्\u{200D}ष", VALID)],
        );
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        check(
            |raw| clean(raw, 2, 2),
            &[("ÉÉ", VALID), ("ÉÉÉ", "too_long")],
        );
    }

    #[test]
    fn the_maximum_counts_the_text_as_sent_whitespace_included() {
        check(
            |raw| clean(raw, 1, 5),
            &[
                ("abcde", VALID),
                (" abcde", "too_long"),
                ("ab   cd", "too_long"),
            ],
        );
    }

    #[test]
    fn blank_text_is_reported_as_missing() {
        check(|raw| clean(raw, 1, 5), &[("   ", "required")]);
        check(|raw| clean(raw, 2, 5), &[("a", "too_short")]);
    }

    #[test]
    fn the_whitespace_class_is_what_split_whitespace_splits_on() {
        let class = whitespace_class();
        assert!(class.starts_with("\\u0009-\\u000D\\u0020"), "{class}");
        assert!(class.contains("\\u3000"), "{class}");
    }

    #[test]
    fn the_pattern_class_names_exactly_the_refused_characters() {
        let class = refused_class();
        assert!(class.starts_with("\\u0000-\\u0008"), "{class}");
        assert!(class.contains("\\u202A-\\u202E"), "{class}");
        assert!(class.contains("\\u2066-\\u206F"), "{class}");
        assert!(!class.contains("\\u200C"), "ZWNJ is allowed: {class}");
        assert!(class.contains('\u{E0001}'), "astral characters are literal");
    }
}
