//! The languages the headline and the embeds speak, and choosing one for a request.

use icu_locale_core::LanguageIdentifier;

/// A supported language: the six official languages of the United Nations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (British spelling).
    En,
    /// French.
    Fr,
    /// Spanish.
    Es,
    /// Arabic.
    Ar,
    /// Chinese (Simplified).
    Zh,
    /// Russian.
    Ru,
}

impl Lang {
    pub const ALL: [Lang; 6] = [Lang::En, Lang::Fr, Lang::Es, Lang::Ar, Lang::Zh, Lang::Ru];

    /// The ISO 639-1 code: "en", "fr", …
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Ar => "ar",
            Lang::Zh => "zh",
            Lang::Ru => "ru",
        }
    }

    /// The language of a BCP 47 tag, by its primary subtag: "fr", "FR", "es-MX", "zh-Hant-TW"
    /// and "ar_EG" (POSIX style) all name a supported language. `None` if the tag is malformed
    /// or its language is not supported.
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim();
        // Long enough for any real tag; refuses to parse a pasted essay.
        if tag.is_empty() || tag.len() > 64 {
            return None;
        }
        let normalised = tag.replace('_', "-");
        let id = LanguageIdentifier::try_from_str(&normalised).ok()?;
        Lang::ALL
            .into_iter()
            .find(|lang| id.language.as_str() == lang.code())
    }

    /// The language for a request: `?lang=` first (if it names a supported language), else
    /// Accept-Language honouring quality values (q=0 means "not this"; ties keep header order;
    /// `*` means any → English), else English.
    pub fn negotiate(query: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(lang) = query.and_then(Lang::parse) {
            return lang;
        }
        accept_language
            .and_then(from_accept_language)
            .unwrap_or(Lang::En)
    }

    /// The position in [`Lang::ALL`], for tables kept in that order.
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// True for languages written right to left (Arabic).
    pub fn is_rtl(self) -> bool {
        matches!(self, Lang::Ar)
    }

    /// The language's name in itself, for a language menu.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::Es => "Español",
            Lang::Ar => "العربية",
            Lang::Zh => "中文",
            Lang::Ru => "Русский",
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// One language range of an Accept-Language header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Range {
    /// `*`
    Any,
    /// A bare primary language such as `fr` (only these can exclude a language with q=0).
    Bare(Lang),
    /// A supported language with subtags, such as `fr-CA`.
    Tagged(Lang),
    /// Well formed, but a language we do not have.
    Other,
}

/// The best supported language in an Accept-Language header (RFC 9110 §12.5.4), if any.
fn from_accept_language(header: &str) -> Option<Lang> {
    // (range, quality in thousandths, position in the header)
    let mut ranges: Vec<(Range, u16, usize)> = Vec::new();
    for (position, item) in header.split(',').enumerate() {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let Some(quality) = quality(parts) else {
            continue;
        };
        let range = if tag == "*" {
            Range::Any
        } else {
            match Lang::parse(tag) {
                Some(lang) if tag.eq_ignore_ascii_case(lang.code()) => Range::Bare(lang),
                Some(lang) => Range::Tagged(lang),
                None => Range::Other,
            }
        };
        ranges.push((range, quality, position));
    }

    // q=0 on a bare language rules it out even where `*` would otherwise allow it;
    // q=0 on `fr-CA` says nothing about `fr`.
    let excluded: Vec<Lang> = ranges
        .iter()
        .filter_map(|&(range, q, _)| match range {
            Range::Bare(lang) if q == 0 => Some(lang),
            _ => None,
        })
        .collect();

    // Highest quality first; the sort is stable, so ties keep the header's order.
    ranges.retain(|&(_, q, _)| q > 0);
    ranges.sort_by_key(|&(_, q, position)| (std::cmp::Reverse(q), position));

    ranges.into_iter().find_map(|(range, _, _)| match range {
        Range::Any => Lang::ALL.into_iter().find(|lang| !excluded.contains(lang)),
        Range::Bare(lang) | Range::Tagged(lang) => Some(lang),
        Range::Other => None,
    })
}

/// The quality of one range from its parameters, in thousandths: 1,000 when there is no `q`;
/// `None` when the parameters are malformed (the range is then ignored).
fn quality<'a>(params: impl Iterator<Item = &'a str>) -> Option<u16> {
    let mut quality = 1000;
    for param in params {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("q") {
            continue;
        }
        let value = value.trim();
        // RFC 9110: "0", "1", or up to three decimals; a sign or an exponent is not a q-value.
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return None;
        }
        let q: f64 = value.parse().ok()?;
        if !(0.0..=1.0).contains(&q) {
            return None;
        }
        quality = (q * 1000.0).round() as u16;
    }
    Some(quality)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_a_two_letter_code_that_parses_back_to_it() {
        for lang in Lang::ALL {
            assert_eq!(lang.code().len(), 2);
            assert_eq!(Lang::parse(lang.code()), Some(lang));
            assert_eq!(lang.to_string(), lang.code());
        }
    }

    #[test]
    fn all_lists_each_language_once_at_its_index() {
        for (i, lang) in Lang::ALL.into_iter().enumerate() {
            assert_eq!(lang.index(), i);
        }
    }

    #[test]
    fn a_tag_is_known_by_its_primary_language_in_any_case_and_either_separator() {
        for (tag, lang) in [
            ("fr", Lang::Fr),
            ("FR", Lang::Fr),
            ("es-MX", Lang::Es),
            ("zh-Hant-TW", Lang::Zh),
            ("zh-hans", Lang::Zh),
            ("ar_EG", Lang::Ar),
            ("RU-ru", Lang::Ru),
            (" en-GB ", Lang::En),
        ] {
            assert_eq!(Lang::parse(tag), Some(lang), "{tag:?}");
        }
    }

    #[test]
    fn an_unsupported_or_malformed_tag_is_none() {
        for tag in [
            "", " ", "de", "pt-BR", "english", "e", "fr-", "-fr", "fr--CA", "f r", "fr;q=1", "*",
            "12", "fr-CA-x", "zh_", "\u{0}",
        ] {
            assert_eq!(Lang::parse(tag), None, "{tag:?}");
        }
        assert_eq!(Lang::parse(&"fr-".repeat(100)), None);
    }

    #[test]
    fn the_language_is_negotiated_from_the_query_then_the_header() {
        let cases = [
            // The query wins over the header.
            (Some("ru"), Some("fr, es"), Lang::Ru),
            (Some("AR-eg"), Some("fr"), Lang::Ar),
            // An unsupported query falls through to the header.
            (Some("de"), Some("fr"), Lang::Fr),
            (Some(""), Some("zh-CN"), Lang::Zh),
            (Some("%%"), None, Lang::En),
            // Nothing to go on is English.
            (None, None, Lang::En),
            (None, Some(""), Lang::En),
            // The highest quality wins, whatever its place.
            (None, Some("fr-CA;q=0.9, es-MX;q=0.95"), Lang::Es),
            (None, Some("ru;q=0.1,zh;q=1"), Lang::Zh),
            // An unsupported first choice gives way to the next supported one.
            (None, Some("de, fr;q=0.5"), Lang::Fr),
            (None, Some("pt-BR,pt;q=0.9,es;q=0.8,en;q=0.7"), Lang::Es),
            // Equal qualities keep the header's order.
            (None, Some("ru, fr"), Lang::Ru),
            (None, Some("ar;q=0.5, zh;q=0.5, fr;q=0.4"), Lang::Ar),
            // A wildcard means any language, so English.
            (None, Some("*"), Lang::En),
            (None, Some("de, *;q=0.5"), Lang::En),
            (None, Some("*;q=0.5, fr;q=0.6"), Lang::Fr),
            // Quality zero means "not this language".
            (None, Some("fr;q=0, es;q=0.1"), Lang::Es),
            (None, Some("fr;q=0"), Lang::En),
            (None, Some("fr;q=0.000"), Lang::En),
            (None, Some("*;q=0"), Lang::En),
            // Quality zero on English steers a wildcard elsewhere; ruling out a regional
            // variant does not rule out the language.
            (None, Some("en;q=0, *"), Lang::Fr),
            (None, Some("en-US;q=0, *"), Lang::En),
            (None, Some("fr-CA;q=0, fr;q=0.8"), Lang::Fr),
            // A malformed item is skipped and the rest still count.
            (None, Some("de;q=x, ru;q=0.2"), Lang::Ru),
            (None, Some("@@@, zh"), Lang::Zh),
            // Header tags are case-insensitive.
            (None, Some("FR-ca, EN;Q=0.5"), Lang::Fr),
            (None, Some("ZH-hant-TW"), Lang::Zh),
            (None, Some("EN;q=0, *"), Lang::Fr),
            // Other parameters are ignored.
            (None, Some("fr;level=1;q=0.4, es;q=0.3"), Lang::Fr),
        ];
        for (query, header, expected) in cases {
            assert_eq!(
                Lang::negotiate(query, header),
                expected,
                "?lang={query:?}, Accept-Language: {header:?}"
            );
        }
    }

    #[test]
    fn garbage_headers_are_english() {
        for header in [
            ",,,",
            ";;;",
            "q=0.9",
            "fr;q=abc",
            "fr;q=1.5",
            "fr;q=-0.5",
            "fr;q=",
            "fr;q",
            "fr;q=NaN",
            "fr;q=1e0",
            "😀",
            "xx-YY-ZZZZZZZZZ",
            "\u{7f}\u{0}",
        ] {
            assert_eq!(Lang::negotiate(None, Some(header)), Lang::En, "{header:?}");
        }
    }

    #[test]
    fn only_arabic_is_written_right_to_left() {
        for lang in Lang::ALL {
            assert_eq!(lang.is_rtl(), lang == Lang::Ar, "{lang}");
        }
    }

    #[test]
    fn each_language_is_named_in_itself() {
        let names: Vec<_> = Lang::ALL.iter().map(|l| l.native_name()).collect();
        assert_eq!(
            names,
            [
                "English",
                "Français",
                "Español",
                "العربية",
                "中文",
                "Русский"
            ]
        );
    }

    #[test]
    fn a_language_serialises_as_its_code() {
        for lang in Lang::ALL {
            assert_eq!(
                serde_json::to_string(&lang).unwrap(),
                format!("\"{}\"", lang.code())
            );
        }
    }
}
