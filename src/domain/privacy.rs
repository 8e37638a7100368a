//! Per-country figures that never single out a count-only endorser.
//!
//! A count-only organisation is counted but never named. A per-country figure that includes
//! it would still tell anyone that an unnamed organisation in that country endorsed, whenever
//! the figure is larger than the number of organisations listed there. So a country's figure
//! counts its public endorsers, plus its count-only ones only where there are at least
//! `min_group` of them (`ENDORSE_MIN_GROUP`, default 5); every other count-only endorser is
//! counted in one "Undisclosed" figure with no country. Totals count everyone.

/// A country's approved endorsements, public and count-only apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryTally {
    pub code: String,
    pub public: i64,
    pub count_only: i64,
}

/// What may be published per country.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CountryFigures {
    /// (country code, organisations), most first, then by code; no zeros.
    pub countries: Vec<(String, i64)>,
    /// Count-only endorsers not shown in their country's figure.
    pub undisclosed: i64,
}

/// The default of `ENDORSE_MIN_GROUP`.
pub const DEFAULT_MIN_GROUP: u32 = 5;

/// Applies the rule above to every country's tally.
pub fn country_figures(tallies: &[CountryTally], min_group: u32) -> CountryFigures {
    let mut figures = CountryFigures::default();
    for tally in tallies {
        let shown_count_only = if tally.count_only >= i64::from(min_group) {
            tally.count_only
        } else {
            figures.undisclosed += tally.count_only.max(0);
            0
        };
        let shown = tally.public.max(0) + shown_count_only;
        if shown > 0 {
            figures.countries.push((tally.code.clone(), shown));
        }
    }
    figures
        .countries
        .sort_by(|(a_code, a_n), (b_code, b_n)| b_n.cmp(a_n).then_with(|| a_code.cmp(b_code)));
    figures
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(code: &str, public: i64, count_only: i64) -> CountryTally {
        CountryTally {
            code: code.into(),
            public,
            count_only,
        }
    }

    #[test]
    fn count_only_endorsers_below_the_group_size_are_undisclosed() {
        let figures = country_figures(&[tally("FR", 1, 4)], 5);
        assert_eq!(figures.countries, [("FR".to_string(), 1)]);
        assert_eq!(figures.undisclosed, 4);
    }

    #[test]
    fn a_group_of_exactly_the_size_is_counted_in_its_country() {
        let figures = country_figures(&[tally("FR", 1, 5)], 5);
        assert_eq!(figures.countries, [("FR".to_string(), 6)]);
        assert_eq!(figures.undisclosed, 0);
        let figures = country_figures(&[tally("FR", 0, 6)], 5);
        assert_eq!(figures.countries, [("FR".to_string(), 6)]);
    }

    #[test]
    fn a_country_with_only_a_few_count_only_endorsers_is_not_listed() {
        let figures = country_figures(&[tally("KE", 0, 1), tally("GB", 2, 0)], 5);
        assert_eq!(figures.countries, [("GB".to_string(), 2)]);
        assert_eq!(figures.undisclosed, 1);
    }

    #[test]
    fn the_figures_add_up_to_everyone() {
        let tallies = [tally("AU", 3, 2), tally("BR", 0, 7), tally("CL", 4, 0)];
        let figures = country_figures(&tallies, 5);
        let shown: i64 = figures.countries.iter().map(|(_, n)| n).sum();
        assert_eq!(shown + figures.undisclosed, 3 + 2 + 7 + 4);
        assert_eq!(
            figures.countries,
            [
                ("BR".to_string(), 7),
                ("CL".to_string(), 4),
                ("AU".to_string(), 3)
            ]
        );
    }

    #[test]
    fn a_group_size_of_one_shows_every_count_only_endorser() {
        let figures = country_figures(&[tally("FR", 0, 1)], 1);
        assert_eq!(figures.countries, [("FR".to_string(), 1)]);
        assert_eq!(figures.undisclosed, 0);
    }
}
