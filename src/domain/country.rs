//! Countries come from keshvar, a maintained ISO 3166-1 crate with UN M49 regions.

use keshvar::{Alpha2, Country};

use super::Invalid;

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
                "invalid_format",
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
                "unknown_country",
                format!("{code:?} is not an assigned ISO 3166-1 alpha-2 code{hint}"),
            )
        })?;
        let bytes = code.as_bytes();
        Ok(CountryCode {
            alpha2,
            code: [bytes[0], bytes[1]],
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_accepted_in_any_case_and_given_back_in_upper_case() {
        assert_eq!(CountryCode::parse("gb").unwrap().as_str(), "GB");
        assert_eq!(CountryCode::parse(" Fr ").unwrap().as_str(), "FR");
    }

    #[test]
    fn unassigned_codes_are_refused() {
        assert_eq!(
            CountryCode::parse("UK").unwrap_err().code,
            "unknown_country"
        );
        assert_eq!(
            CountryCode::parse("XX").unwrap_err().code,
            "unknown_country"
        );
        assert_eq!(
            CountryCode::parse("GBR").unwrap_err().code,
            "invalid_format"
        );
        assert_eq!(CountryCode::parse("1A").unwrap_err().code, "invalid_format");
        assert_eq!(CountryCode::parse("").unwrap_err().code, "invalid_format");
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
}
