//! The running count in words: "over 90 organisations in more than 40 countries".
//!
//! Counts below 10 are exact. From 10 they are rounded down: to a multiple of 10 below 100,
//! of 50 below 1,000, of 500 below 10,000, of 5,000 below 100,000, and so on. A rounded number
//! that differs from the exact one is introduced by "over" (organisations) or "more than"
//! (countries).

use crate::i18n::{self, Lang};

/// A count as the headline shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShownCount {
    pub shown: u64,
    /// True when `shown` is below the exact count.
    pub rounded: bool,
}

impl ShownCount {
    pub fn of(exact: u64) -> ShownCount {
        let shown = round_down(exact);
        ShownCount {
            shown,
            rounded: shown != exact,
        }
    }
}

/// Rounds down by the headline rule.
pub fn round_down(n: u64) -> u64 {
    if n < 10 {
        return n;
    }
    if n < 100 {
        return n / 10 * 10;
    }
    // The power of ten at or below n (100, 1,000, …); the step is half of it.
    let mut magnitude: u64 = 100;
    while let Some(next) = magnitude.checked_mul(10) {
        if next > n {
            break;
        }
        magnitude = next;
    }
    let step = magnitude / 2;
    n / step * step
}

/// The headline for a campaign's approved endorsements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline(String);

impl Headline {
    /// The headline in `lang`, worded by [`crate::i18n`].
    pub fn localised(lang: Lang, organisations: u64, countries: u64) -> Headline {
        Headline(i18n::headline(lang, organisations, countries))
    }

    /// The British English headline.
    pub fn english(organisations: u64, countries: u64) -> Headline {
        Headline::localised(Lang::En, organisations, countries)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Writes `n` with `separator` between groups of three digits. The headline no longer uses it:
/// [`crate::i18n::format_number`] groups digits as each language does.
pub fn group_thousands(n: u64, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(separator);
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rounding_rule_holds_at_every_boundary() {
        let cases = [
            (0, 0),
            (1, 1),
            (9, 9),
            (10, 10),
            (11, 10),
            (40, 40),
            (41, 40),
            (90, 90),
            (93, 90),
            (99, 90),
            (100, 100),
            (149, 100),
            (150, 150),
            (999, 950),
            (1000, 1000),
            (1499, 1000),
            (1500, 1500),
            (9999, 9500),
            (10000, 10000),
            (12345, 10000),
            (99999, 95000),
            (100000, 100000),
            (123456, 100000),
        ];
        for (exact, shown) in cases {
            assert_eq!(round_down(exact), shown, "round_down({exact})");
        }
    }

    #[test]
    fn rounding_never_overflows() {
        // 18,446,744,073,709,551,615 rounds down to a multiple of 5 × 10^18.
        assert_eq!(round_down(u64::MAX), 15_000_000_000_000_000_000);
    }

    #[test]
    fn ninety_three_in_forty_one_reads_over_ninety_in_more_than_forty() {
        assert_eq!(
            Headline::english(93, 41).as_str(),
            "over 90 organisations in more than 40 countries"
        );
    }

    #[test]
    fn exact_round_numbers_have_no_qualifier() {
        assert_eq!(
            Headline::english(90, 40).as_str(),
            "90 organisations in 40 countries"
        );
    }

    #[test]
    fn one_organisation_in_one_country_is_singular() {
        assert_eq!(
            Headline::english(1, 1).as_str(),
            "1 organisation in 1 country"
        );
    }

    #[test]
    fn nothing_yet_reads_zero() {
        assert_eq!(
            Headline::english(0, 0).as_str(),
            "0 organisations in 0 countries"
        );
    }

    #[test]
    fn small_counts_are_exact() {
        assert_eq!(
            Headline::english(9, 2).as_str(),
            "9 organisations in 2 countries"
        );
    }

    #[test]
    fn large_counts_group_their_thousands() {
        assert_eq!(
            Headline::english(12345, 150).as_str(),
            "over 10,000 organisations in 150 countries"
        );
        assert_eq!(
            Headline::english(1499, 149).as_str(),
            "over 1,000 organisations in more than 100 countries"
        );
        assert_eq!(
            Headline::english(1000, 11).as_str(),
            "1,000 organisations in more than 10 countries"
        );
        assert_eq!(
            Headline::english(999, 10).as_str(),
            "over 950 organisations in 10 countries"
        );
    }

    #[test]
    fn thousands_are_grouped_by_three() {
        assert_eq!(group_thousands(0, ','), "0");
        assert_eq!(group_thousands(999, ','), "999");
        assert_eq!(group_thousands(1000, ','), "1,000");
        assert_eq!(group_thousands(1234567, ' '), "1 234 567");
    }
}
