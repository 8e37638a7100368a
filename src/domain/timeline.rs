//! Cumulative counts over time: how many organisations and countries had endorsed by the end
//! of each month or year.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDateTime};

use super::word_enum;

word_enum! {
    /// The length of one period of a timeline.
    Interval, "an interval" {
        Month => "month",
        Year => "year",
    }
}

/// The figures at the end of one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// `2012-03` for a month, `2012` for a year.
    pub period: String,
    pub organisations: u64,
    pub countries: u64,
}

/// Cumulative organisations and countries at the end of every period from the first
/// endorsement's to the last one's, oldest first, with no gaps: a period without new
/// endorsements repeats the figures before it. `endorsements` must be sorted by time.
pub fn cumulative<S: AsRef<str>>(
    endorsements: impl IntoIterator<Item = (NaiveDateTime, S)>,
    interval: Interval,
) -> Vec<Period> {
    let key = |at: NaiveDateTime| match interval {
        Interval::Month => at.year() * 12 + at.month0() as i32,
        Interval::Year => at.year(),
    };
    let label = |k: i32| match interval {
        Interval::Month => format!("{:04}-{:02}", k.div_euclid(12), k.rem_euclid(12) + 1),
        Interval::Year => format!("{k:04}"),
    };
    let mut periods: Vec<Period> = Vec::new();
    let mut current: Option<i32> = None;
    let mut organisations = 0u64;
    let mut countries: HashSet<String> = HashSet::new();
    for (at, country) in endorsements {
        let country = country.as_ref();
        let k = key(at);
        match current {
            Some(c) if c == k => {}
            Some(c) => {
                // Close the current period and fill any periods without endorsements.
                for gap in c..k {
                    periods.push(Period {
                        period: label(gap),
                        organisations,
                        countries: countries.len() as u64,
                    });
                }
                current = Some(k);
            }
            None => current = Some(k),
        }
        organisations += 1;
        if !countries.contains(country) {
            countries.insert(country.to_string());
        }
    }
    if let Some(c) = current {
        periods.push(Period {
            period: label(c),
            organisations,
            countries: countries.len() as u64,
        });
    }
    periods
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(&format!("{s} 12:00:00"), "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn counts_accumulate_month_by_month_without_gaps() {
        let points = [
            (at("2012-03-21"), "AU"),
            (at("2012-03-30"), "GB"),
            (at("2012-05-02"), "AU"),
            (at("2013-01-15"), "FR"),
        ];
        let timeline = cumulative(points, Interval::Month);
        let labels: Vec<&str> = timeline.iter().map(|p| p.period.as_str()).collect();
        assert_eq!(labels.first(), Some(&"2012-03"));
        assert_eq!(labels.last(), Some(&"2013-01"));
        assert_eq!(timeline.len(), 11);
        assert_eq!(
            timeline[0],
            Period {
                period: "2012-03".into(),
                organisations: 2,
                countries: 2
            }
        );
        assert_eq!(
            timeline[1],
            Period {
                period: "2012-04".into(),
                organisations: 2,
                countries: 2
            }
        );
        assert_eq!(
            timeline[2],
            Period {
                period: "2012-05".into(),
                organisations: 3,
                countries: 2
            }
        );
        assert_eq!(
            timeline[10],
            Period {
                period: "2013-01".into(),
                organisations: 4,
                countries: 3
            }
        );
    }

    #[test]
    fn counts_accumulate_year_by_year() {
        let points = [(at("2012-03-21"), "AU"), (at("2014-06-01"), "CH")];
        let timeline = cumulative(points, Interval::Year);
        let figures: Vec<(&str, u64, u64)> = timeline
            .iter()
            .map(|p| (p.period.as_str(), p.organisations, p.countries))
            .collect();
        assert_eq!(figures, [("2012", 1, 1), ("2013", 1, 1), ("2014", 2, 2)]);
    }

    #[test]
    fn no_endorsements_make_an_empty_timeline() {
        assert!(cumulative(Vec::<(NaiveDateTime, &str)>::new(), Interval::Month).is_empty());
    }

    #[test]
    fn the_last_period_holds_the_totals() {
        let points: Vec<(NaiveDateTime, &str)> = (0..50)
            .map(|i| {
                (
                    at(&format!("20{:02}-0{}-01", 12 + i / 9, 1 + i % 9)),
                    ["AU", "FR", "KE"][i % 3],
                )
            })
            .collect();
        let timeline = cumulative(points, Interval::Month);
        let last = timeline.last().unwrap();
        assert_eq!((last.organisations, last.countries), (50, 3));
        assert!(timeline
            .windows(2)
            .all(|w| w[0].organisations <= w[1].organisations));
    }
}
