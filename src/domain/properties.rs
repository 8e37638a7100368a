//! Property tests: every parsed field type, fed arbitrary text, never panics, and whatever it
//! accepts obeys the rule it stands for.

use proptest::prelude::*;

use super::*;

/// Text of up to `longest` characters with a good share of whitespace of every kind, control,
/// format and noncharacters, and non-ASCII letters.
pub fn messy_text(longest: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            8 => proptest::char::range('a', 'z'),
            2 => Just(' '),
            1 => Just('\t'),
            1 => Just('\n'),
            1 => Just('\u{3000}'),
            1 => Just('\u{a0}'),
            1 => Just('\u{0}'),
            1 => Just('\u{1b}'),
            1 => Just('\u{202E}'),
            1 => Just('\u{200B}'),
            1 => Just('\u{200C}'),
            1 => Just('\u{FFFF}'),
            1 => Just('\u{E0041}'),
            1 => Just('é'),
            1 => Just('ж'),
            1 => Just('中'),
            1 => any::<char>(),
        ],
        0..longest,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// What every cleaned text must look like.
fn is_clean(text: &str) -> bool {
    !text.chars().any(char::is_control)
        && text.trim() == text
        && !text.contains("  ")
        && !text.chars().any(|c| c.is_whitespace() && c != ' ')
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn cleaned_text_is_clean_bounded_and_stable(raw in messy_text(260), min in 0usize..5, extra in 0usize..300) {
        let max = min + extra;
        if let Ok(text) = text::clean(&raw, min, max) {
            prop_assert!(is_clean(&text), "{text:?}");
            let n = text.chars().count();
            prop_assert!(n >= min && n <= max);
            prop_assert_eq!(text::clean(&text, min, max), Ok(text.clone()));
        }
    }

    #[test]
    fn an_organisation_name_is_clean_and_its_key_ignores_case_and_spacing(raw in messy_text(260)) {
        if let Ok(name) = OrganisationName::parse(&raw) {
            prop_assert!(is_clean(name.as_str()));
            let n = name.as_str().chars().count();
            prop_assert!((2..=200).contains(&n));
            let shouted = format!("  {}  ", name.as_str().to_ascii_uppercase().replace(' ', " \t "));
            let again = OrganisationName::parse(&shouted);
            prop_assert!(again.is_ok());
            prop_assert_eq!(again.unwrap().key(), name.key());
        }
    }

    #[test]
    fn a_country_code_is_accepted_in_any_case_exactly_when_assigned(a in any::<u8>(), b in any::<u8>()) {
        let raw = String::from_utf8_lossy(&[a, b]).into_owned();
        let upper = CountryCode::parse(&raw.to_ascii_uppercase()).ok();
        let lower = CountryCode::parse(&raw.to_ascii_lowercase()).ok();
        prop_assert_eq!(upper, lower);
        if let Some(code) = upper {
            prop_assert!(CountryCode::all().contains(&code));
            prop_assert_eq!(code.as_str(), raw.to_ascii_uppercase());
            prop_assert!(!code.name().is_empty());
        }
    }

    #[test]
    fn anything_that_is_not_two_letters_is_no_country(raw in ".{0,8}") {
        if raw.trim().chars().count() != 2 {
            prop_assert!(CountryCode::parse(&raw).is_err());
        }
    }

    #[test]
    fn an_accepted_email_is_one_bounded_address(raw in "[a-z0-9.@ _+\\-]{0,40}|.{0,300}") {
        if let Ok(email) = ContactEmail::parse(&raw) {
            let email = email.into_inner();
            prop_assert!(email.len() <= 254);
            prop_assert_eq!(email.matches('@').count(), 1);
            prop_assert!(!email.contains(char::is_whitespace));
        }
    }

    #[test]
    fn an_accepted_website_is_an_http_url(raw in "(https?|ftp|javascript|data)://[a-z0-9./?=&%:@-]{0,50}|.{0,80}") {
        if let Ok(site) = Website::parse(&raw) {
            let site = site.into_inner();
            let lower = site.to_ascii_lowercase();
            prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"), "{site}");
            prop_assert!(site.chars().count() <= 2048);
            prop_assert!(!site.contains(char::is_whitespace));
        }
    }

    #[test]
    fn statements_and_contact_names_keep_their_limits(raw in messy_text(260)) {
        if let Ok(statement) = Statement::parse(&raw) {
            let s = statement.into_inner();
            prop_assert!(is_clean(&s) && s.chars().count() <= 2000);
        }
        if let Ok(name) = ContactName::parse(&raw) {
            let s = name.into_inner();
            prop_assert!(is_clean(&s) && (1..=120).contains(&s.chars().count()));
        }
        if let Ok(reason) = ModerationReason::parse(&raw) {
            prop_assert!(reason.into_inner().chars().count() <= 500);
        }
    }

    #[test]
    fn a_slug_is_accepted_exactly_when_it_matches_the_pattern(raw in "[a-z0-9-]{0,70}|.{0,10}") {
        let valid = (2..=64).contains(&raw.len())
            && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        prop_assert_eq!(CampaignSlug::parse(&raw).is_ok(), valid);
    }

    #[test]
    fn word_choices_accept_only_their_words(raw in "[a-z_]{0,20}") {
        if let Ok(kind) = OrganisationType::parse(&raw) {
            prop_assert_eq!(kind.as_str(), raw.as_str());
        }
        if let Ok(visibility) = Visibility::parse(&raw) {
            prop_assert_eq!(visibility.as_str(), raw.as_str());
        }
        if let Ok(status) = EndorsementStatus::parse(&raw) {
            prop_assert_eq!(status.as_str(), raw.as_str());
        }
    }

    #[test]
    fn the_headline_rounding_never_rounds_up_and_keeps_the_leading_figure(n in any::<u64>()) {
        let shown = headline::round_down(n);
        prop_assert!(shown <= n);
        if n < 10 {
            prop_assert_eq!(shown, n);
        } else {
            // Within one step of the exact count: 10 below 100, else half the power of ten.
            let magnitude = 10u64.pow(n.ilog10());
            let step = if n < 100 { 10 } else { magnitude / 2 };
            prop_assert!(n - shown < step);
            prop_assert_eq!(shown % step, 0);
        }
    }
}
