use super::{text, FieldCode, Invalid, Website};

/// A campaign's address: `[a-z0-9-]{2,64}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignSlug(String);

impl CampaignSlug {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let ok = (2..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(CampaignSlug(raw.to_string()))
        } else {
            Err(Invalid::new(
                FieldCode::InvalidFormat,
                "must be 2 to 64 characters of a-z, 0-9 and -",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for CampaignSlug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A campaign's title: 2–200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignTitle(String);

impl CampaignTitle {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        text::clean(raw, 2, 200).map(CampaignTitle)
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A campaign's description: at most 2,000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignDescription(String);

impl CampaignDescription {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        text::clean(raw, 1, 2000).map(CampaignDescription)
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A campaign's own website, under the same rule as an organisation's.
pub type CampaignUrl = Website;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slug_is_two_to_sixty_four_lower_case_letters_digits_or_hyphens() {
        assert!(CampaignSlug::parse("end-child-immigration-detention").is_ok());
        assert!(CampaignSlug::parse("ab").is_ok());
        assert!(CampaignSlug::parse(&"a".repeat(64)).is_ok());
        for bad in ["a", "Ab", "a_b", "a b", "été", "", &"a".repeat(65)] {
            assert!(CampaignSlug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_description_is_at_most_two_thousand_characters() {
        assert_eq!(
            CampaignDescription::parse(" Ends  detention. ")
                .unwrap()
                .into_inner(),
            "Ends detention."
        );
        assert_eq!(
            CampaignDescription::parse(&"d".repeat(2001))
                .unwrap_err()
                .code,
            "too_long"
        );
    }

    #[test]
    fn a_campaign_url_must_be_http_or_https() {
        assert!(CampaignUrl::parse("https://endchilddetention.org").is_ok());
        assert!(CampaignUrl::parse("data:text/html,hi").is_err());
    }

    #[test]
    fn a_title_needs_two_characters() {
        assert!(CampaignTitle::parse("Go").is_ok());
        assert!(CampaignTitle::parse("G").is_err());
    }
}
