//! Countries come from keshvar, a maintained ISO 3166-1 crate with UN M49 regions.

use std::collections::HashMap;
use std::sync::LazyLock;

use icu_normalizer::DecomposingNormalizerBorrowed;
use keshvar::{Alpha2, Country};

use super::{FieldCode, Invalid};

/// An assigned ISO 3166-1 alpha-2 code, upper case.
#[derive(Debug, Clone, Copy)]
pub struct CountryCode {
    alpha2: Alpha2,
    code: [u8; 2],
}

impl PartialEq for CountryCode {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

impl Eq for CountryCode {}

impl std::hash::Hash for CountryCode {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.code.hash(state);
    }
}

impl CountryCode {
    /// Case-insensitive; only assigned codes (`GB`, not `UK`; no `XX`).
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let code = raw.trim().to_ascii_uppercase();
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Invalid::new(
                FieldCode::InvalidFormat,
                format!("{raw:?} is not a two-letter ISO 3166-1 alpha-2 code"),
            ));
        }
        let alpha2 = Alpha2::try_from(code.as_str()).map_err(|_| {
            let hint = match code.as_str() {
                "UK" => " (the United Kingdom is GB)",
                "EL" => " (Greece is GR)",
                _ => "",
            };
            Invalid::new(
                FieldCode::UnknownCountry,
                format!("{code:?} is not an assigned ISO 3166-1 alpha-2 code{hint}"),
            )
        })?;
        let bytes = code.as_bytes();
        Ok(CountryCode {
            alpha2,
            code: [bytes[0], bytes[1]],
        })
    }

    /// A two-letter code, as [`CountryCode::parse`] reads it, or the name of a country: its ISO
    /// short or long name or a common name keshvar lists ("France", "Côte d'Ivoire", "Cote
    /// d'Ivoire", "United Kingdom", "Bolivia", "Türkiye", "Turkey"). Names are compared on
    /// their letters and digits only (see [`name_key`]). A name that could mean two countries
    /// ("Congo", "Korea", "Virgin Islands") is refused as ambiguous rather than guessed.
    pub fn from_code_or_name(raw: &str) -> Result<Self, Invalid> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(Invalid::new(FieldCode::Required, "must not be empty"));
        }
        // Two letters are always a code, so "UK" gets parse's hint instead of a guess.
        if raw.len() == 2 && raw.bytes().all(|b| b.is_ascii_alphabetic()) {
            return CountryCode::parse(raw);
        }
        match COUNTRY_NAMES.get(&name_key(raw)).map(Vec::as_slice) {
            Some([code]) => Ok(*code),
            Some(codes) if !codes.is_empty() => Err(Invalid::new(
                FieldCode::AmbiguousCountry,
                format!(
                    "{raw:?} could be {}; use the two-letter code",
                    codes
                        .iter()
                        .map(|code| format!("{} ({})", code.as_str(), code.name()))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            )),
            _ => Err(Invalid::new(
                FieldCode::UnknownCountry,
                format!("{raw:?} is neither an ISO 3166-1 alpha-2 code nor the name of a country"),
            )),
        }
    }

    /// Every assigned code, alphabetically.
    pub fn all() -> Vec<CountryCode> {
        let mut all: Vec<CountryCode> = keshvar::SUPPORTED_ALPHA2_LIST
            .iter()
            .filter_map(|alpha2| CountryCode::parse(&alpha2.to_string()).ok())
            .collect();
        all.sort_by_key(|c| c.code);
        all
    }

    pub fn as_str(&self) -> &str {
        // Two ASCII upper-case letters, checked by `parse`.
        std::str::from_utf8(&self.code).unwrap_or_default()
    }

    fn country(&self) -> Country {
        self.alpha2.to_country()
    }

    /// The country of an ISO 3166-1 numeric code ("250" is France), if one is assigned.
    pub fn from_numeric(number: &str) -> Option<CountryCode> {
        static BY_NUMBER: LazyLock<HashMap<&'static str, CountryCode>> = LazyLock::new(|| {
            CountryCode::all()
                .into_iter()
                .map(|code| (code.country().number(), code))
                .collect()
        });
        BY_NUMBER.get(number).copied()
    }

    /// The ISO 3166 short name ("Côte d'Ivoire", "Korea (Republic of)").
    pub fn name(&self) -> &'static str {
        self.country().iso_short_name()
    }

    /// The UN M49 region ("Africa", "Americas", "Asia", "Europe", "Oceania"), if any.
    pub fn region(&self) -> Option<&'static str> {
        use keshvar::Region;
        self.country().maybe_region().map(|region| match region {
            Region::Africa => "Africa",
            Region::Americas => "Americas",
            Region::Antarctica => "Antarctica",
            Region::Asia => "Asia",
            Region::Europe => "Europe",
            Region::Oceania => "Oceania",
        })
    }
}

/// Every name keshvar knows for each country, by [`name_key`], built on first use: ISO short
/// and long names and the unofficial names (common English ones, and some in other languages),
/// each also without a trailing qualifier ("Bolivia" from "Bolivia (Plurinational State of)",
/// "Tanzania" from "Tanzania, United Republic of"). A key held by two countries is ambiguous:
/// "Congo" is the ISO short name of CG and what "Congo (Democratic Republic of the)" is
/// commonly called. keshvar's `translations` feature is not used: its English names add
/// nothing these lists lack, and it would make every `Alpha2::to_country` build a map of
/// about 150 translations.
static COUNTRY_NAMES: LazyLock<HashMap<String, Vec<CountryCode>>> = LazyLock::new(|| {
    let mut names: HashMap<String, Vec<CountryCode>> = HashMap::new();
    for code in CountryCode::all() {
        let country = code.country();
        let official = [country.iso_short_name(), country.iso_long_name()];
        let unofficial = country.unofficial_name_list().iter().copied();
        for name in official.into_iter().chain(unofficial) {
            for form in [Some(name), without_qualifier(name)].into_iter().flatten() {
                let key = name_key(form);
                if key.is_empty() {
                    continue;
                }
                let codes = names.entry(key).or_default();
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
        }
    }
    names
});

/// "Bolivia (Plurinational State of)" → "Bolivia", "Congo [DRC]" → "Congo", "Palestine, State
/// of" → "Palestine"; `None` when the name has no such qualifier.
fn without_qualifier(name: &str) -> Option<&str> {
    let name = name.trim();
    let core = if let Some(open) = name
        .strip_suffix(')')
        .and_then(|rest| rest.rfind('('))
        .or_else(|| name.strip_suffix(']').and_then(|rest| rest.rfind('[')))
    {
        &name[..open]
    } else {
        name.split_once(',')?.0
    };
    let core = core.trim();
    (!core.is_empty()).then_some(core)
}

/// The form country names are compared in: the letters and digits of the name, lower case,
/// without accents (compatibility-decomposed, combining marks dropped, and ß, æ, œ, ø, ł, đ,
/// ð, þ, ı spelled out), with spaces and punctuation removed. At the level of words, a leading
/// "The" is dropped, "&" reads "and" and "St" reads "Saint". So "Côte d'Ivoire", "COTE
/// D'IVOIRE" and "Cote d Ivoire" are one key, as are "The Gambia" and "Gambia".
fn name_key(name: &str) -> String {
    let decomposed = DecomposingNormalizerBorrowed::new_nfkd().normalize(name);
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in decomposed.chars() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                match lower {
                    'ß' => word.push_str("ss"),
                    'æ' => word.push_str("ae"),
                    'œ' => word.push_str("oe"),
                    'þ' => word.push_str("th"),
                    'ø' => word.push('o'),
                    'ł' => word.push('l'),
                    'đ' | 'ð' => word.push('d'),
                    'ı' => word.push('i'),
                    other => word.push(other),
                }
            }
            continue;
        }
        if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        if c == '&' {
            words.push("and".into());
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    let skip = usize::from(words.first().is_some_and(|w| w == "the"));
    words
        .iter()
        .skip(skip)
        .map(|w| if w == "st" { "saint" } else { w.as_str() })
        .collect()
}

/// The combining marks decomposition leaves after a base letter: the Combining Diacritical
/// Marks blocks, and the kana voicing marks.
fn is_combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
            | '\u{3099}'..='\u{309A}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_codes_name_their_countries() {
        assert_eq!(CountryCode::from_numeric("250").unwrap().as_str(), "FR");
        assert_eq!(CountryCode::from_numeric("004").unwrap().as_str(), "AF");
        assert_eq!(CountryCode::from_numeric("826").unwrap().as_str(), "GB");
        assert!(CountryCode::from_numeric("999").is_none());
    }
    use crate::domain::check;

    #[test]
    fn a_code_is_accepted_in_any_case_and_given_back_in_upper_case() {
        assert_eq!(CountryCode::parse("gb").unwrap().as_str(), "GB");
        assert_eq!(CountryCode::parse(" Fr ").unwrap().as_str(), "FR");
    }

    #[test]
    fn unassigned_codes_are_refused() {
        check(
            CountryCode::parse,
            &[
                ("UK", "unknown_country"),
                ("XX", "unknown_country"),
                ("GBR", "invalid_format"),
                ("1A", "invalid_format"),
                ("", "invalid_format"),
            ],
        );
    }

    #[test]
    fn a_country_has_its_iso_name_and_un_region() {
        let ci = CountryCode::parse("CI").unwrap();
        assert_eq!(ci.name(), "Côte d'Ivoire");
        assert_eq!(ci.region(), Some("Africa"));
        assert_eq!(CountryCode::parse("MX").unwrap().region(), Some("Americas"));
    }

    #[test]
    fn all_assigned_codes_are_listed_once() {
        let all = CountryCode::all();
        assert_eq!(all.len(), 249);
        assert_eq!(all.first().unwrap().as_str(), "AD");
        assert_eq!(all.last().unwrap().as_str(), "ZW");
    }

    fn found(raw: &str) -> String {
        CountryCode::from_code_or_name(raw)
            .map(|code| code.as_str().to_string())
            .unwrap_or_else(|e| panic!("{raw:?}: {e}"))
    }

    #[test]
    fn a_country_is_found_by_code_or_by_a_name_in_any_case_with_or_without_accents() {
        for (raw, code) in [
            ("fr", "FR"),
            (" gb ", "GB"),
            ("France", "FR"),
            ("  FRANCE ", "FR"),
            ("Côte d'Ivoire", "CI"),
            ("Cote d'Ivoire", "CI"),
            ("cote d'ivoire", "CI"),
            ("Côte d\u{2019}Ivoire", "CI"),
            ("COTE D IVOIRE", "CI"),
            ("Ivory Coast", "CI"),
            ("Co\u{302}te d'Ivoire", "CI"),
            ("United Kingdom", "GB"),
            ("United Kingdom of Great Britain and Northern Ireland", "GB"),
            ("Bolivia", "BO"),
            ("Bolivia (Plurinational State of)", "BO"),
            ("Türkiye", "TR"),
            ("Turkiye", "TR"),
            ("Turkey", "TR"),
            ("The Republic of Türkiye", "TR"),
            ("Gambia", "GM"),
            ("The Gambia", "GM"),
            ("St Lucia", "LC"),
            ("St. Kitts and Nevis", "KN"),
            ("Bosnia & Herzegovina", "BA"),
            ("Guinea-Bissau", "GW"),
            ("Guinea Bissau", "GW"),
            ("Viet Nam", "VN"),
            ("Vietnam", "VN"),
            ("South Korea", "KR"),
            ("Korea (Republic of)", "KR"),
            ("Democratic Republic of the Congo", "CD"),
            ("Republic of the Congo", "CG"),
            ("Tanzania", "TZ"),
            ("Åland Islands", "AX"),
            ("Aland Islands", "AX"),
            ("Curacao", "CW"),
        ] {
            assert_eq!(found(raw), code, "{raw:?}");
        }
    }

    #[test]
    fn a_name_that_could_mean_two_countries_is_ambiguous() {
        for (raw, codes) in [
            ("Congo", ["CD", "CG"]),
            ("congo", ["CD", "CG"]),
            ("Korea", ["KP", "KR"]),
            ("Virgin Islands", ["VG", "VI"]),
        ] {
            let err = CountryCode::from_code_or_name(raw).unwrap_err();
            assert_eq!(err.code, "ambiguous_country", "{raw:?}");
            for code in codes {
                assert!(err.message.contains(code), "{raw:?}: {}", err.message);
            }
        }
    }

    #[test]
    fn unknown_names_and_unassigned_codes_are_refused() {
        check(
            CountryCode::from_code_or_name,
            &[
                ("Atlantis", "unknown_country"),
                ("Frankreich und so", "unknown_country"),
                ("Kosovo", "unknown_country"),
                ("Europe", "unknown_country"),
                ("--", "unknown_country"),
                ("  ", "required"),
            ],
        );
        // Two letters are a code, never a name: "UK" is refused with parse's hint.
        let uk = CountryCode::from_code_or_name("UK").unwrap_err();
        assert_eq!(uk.code, "unknown_country");
        assert!(uk.message.contains("GB"), "{}", uk.message);
    }

    #[test]
    fn every_iso_short_name_finds_its_country_except_congo_which_is_ambiguous() {
        let mut ambiguous = Vec::new();
        for code in CountryCode::all() {
            match CountryCode::from_code_or_name(code.name()) {
                Ok(found) => assert_eq!(found, code, "{}", code.name()),
                Err(e) if e.code == "ambiguous_country" => {
                    ambiguous.push(code.as_str().to_string())
                }
                Err(e) => panic!("{}: {e}", code.name()),
            }
        }
        assert_eq!(ambiguous, ["CG"]);
    }

    #[test]
    fn names_are_compared_on_letters_and_digits_without_case_accents_or_punctuation() {
        assert_eq!(name_key("Côte d'Ivoire"), "cotedivoire");
        assert_eq!(name_key("COTE D\u{2019}IVOIRE"), "cotedivoire");
        assert_eq!(name_key("The Gambia"), name_key("gambia"));
        assert_eq!(name_key("St. Lucia"), name_key("Saint Lucia"));
        assert_eq!(
            name_key("Trinidad & Tobago"),
            name_key("Trinidad and Tobago")
        );
        assert_eq!(name_key("Færøerne"), "faeroerne");
        assert_eq!(
            without_qualifier("Bolivia (Plurinational State of)"),
            Some("Bolivia")
        );
        assert_eq!(without_qualifier("Congo [DRC]"), Some("Congo"));
        assert_eq!(without_qualifier("Palestine, State of"), Some("Palestine"));
        assert_eq!(without_qualifier("France"), None);
    }
}
