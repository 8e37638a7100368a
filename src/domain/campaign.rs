use super::{text_value, FieldCode, Invalid, Website};

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

text_value! {
    /// A campaign's title: 2–200 characters.
    CampaignTitle, 2, 200
}

text_value! {
    /// A campaign's description: at most 2,000 characters.
    CampaignDescription, 1, 2000
}

/// A campaign's own website, under the same rule as an organisation's.
pub type CampaignUrl = Website;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{check, VALID};

    #[test]
    fn a_slug_is_two_to_sixty_four_lower_case_letters_digits_or_hyphens() {
        check(
            CampaignSlug::parse,
            &[
                ("end-child-immigration-detention", VALID),
                ("ab", VALID),
                (&"a".repeat(64), VALID),
                ("a", "invalid_format"),
                ("Ab", "invalid_format"),
                ("a_b", "invalid_format"),
                ("a b", "invalid_format"),
                ("été", "invalid_format"),
                ("", "invalid_format"),
                (&"a".repeat(65), "invalid_format"),
            ],
        );
    }

    #[test]
    fn a_description_is_at_most_two_thousand_characters() {
        assert_eq!(
            CampaignDescription::parse(" Ends  detention. ")
                .unwrap()
                .into_inner(),
            "Ends detention."
        );
        check(
            CampaignDescription::parse,
            &[(&"d".repeat(2001), "too_long")],
        );
    }

    #[test]
    fn a_campaign_url_must_be_http_or_https() {
        check(
            CampaignUrl::parse,
            &[
                ("https://endchilddetention.org", VALID),
                ("data:text/html,hi", "invalid_url"),
            ],
        );
    }

    #[test]
    fn a_title_needs_two_characters() {
        check(CampaignTitle::parse, &[("Go", VALID), ("G", "too_short")]);
    }
}
