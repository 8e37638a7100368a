//! Whole numbers as each language writes them, from CLDR data compiled into the binary by
//! ICU4X (`icu_decimal`): 1,000 in English and Chinese; 1 000 in French (narrow no-break
//! space) and Russian (no-break space); 1000 but 10.000 in Spanish (grouping starts at five
//! digits).
//!
//! Arabic uses Latin digits (`ar-u-nu-latn`: 1,000), not Arabic-Indic ones (١٬٠٠٠). Partner
//! sites serve readers across the Arabic-speaking world: the Maghreb writes Latin digits, and
//! readers in the Mashriq meet them everywhere on the web; they also match the numbers in the
//! JSON the same page receives. CLDR agrees for `ar` without a region (its default is Latin
//! digits), while `ar-EG` or `ar-SA` would default to Arabic-Indic; the explicit `-u-nu-latn`
//! keeps the choice ours. Switching is one locale string below.

use std::sync::LazyLock;

use fixed_decimal::Decimal;
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;

use super::Lang;

/// The locale each language's numbers are formatted in.
fn number_locale(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en-GB",
        Lang::Fr => "fr",
        Lang::Es => "es",
        Lang::Ar => "ar-u-nu-latn",
        Lang::Zh => "zh",
        Lang::Ru => "ru",
    }
}

/// One formatter per language, in `Lang::ALL` order; `None` where ICU4X could not build one
/// (it cannot happen with compiled data, but a number must never panic).
static FORMATTERS: LazyLock<Vec<Option<DecimalFormatter>>> = LazyLock::new(|| {
    Lang::ALL
        .into_iter()
        .map(|lang| {
            let built = Locale::try_from_str(number_locale(lang))
                .map_err(|e| e.to_string())
                .and_then(|locale| {
                    DecimalFormatter::try_new((&locale).into(), Default::default())
                        .map_err(|e| e.to_string())
                });
            match built {
                Ok(formatter) => Some(formatter),
                Err(error) => {
                    tracing::error!(lang = lang.code(), %error, "no number formatter; digits are ungrouped");
                    None
                }
            }
        })
        .collect()
});

/// `n` as `lang` writes it, digits grouped.
pub fn format_number(lang: Lang, n: u64) -> String {
    match FORMATTERS.get(lang.index()).and_then(Option::as_ref) {
        Some(formatter) => formatter.format_to_string(&Decimal::from(n)),
        None => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NNBSP: char = '\u{202F}';
    const NBSP: char = '\u{A0}';

    #[test]
    fn each_language_groups_digits_as_it_writes_them() {
        let cases = [
            // English groups thousands with commas.
            (Lang::En, 0, "0"),
            (Lang::En, 999, "999"),
            (Lang::En, 1000, "1,000"),
            (Lang::En, 1_234_567, "1,234,567"),
            // French groups thousands with a narrow no-break space.
            (Lang::Fr, 999, "999"),
            (Lang::Fr, 1000, "1\u{202F}000"),
            (Lang::Fr, 1_234_567, "1\u{202F}234\u{202F}567"),
            // Spanish groups only from five digits, with dots.
            (Lang::Es, 1000, "1000"),
            (Lang::Es, 9500, "9500"),
            (Lang::Es, 10_000, "10.000"),
            (Lang::Es, 1_234_567, "1.234.567"),
            // Russian groups thousands with a no-break space.
            (Lang::Ru, 1000, "1\u{A0}000"),
            (Lang::Ru, 1_234_567, "1\u{A0}234\u{A0}567"),
            // Chinese groups thousands with commas.
            (Lang::Zh, 1000, "1,000"),
            (Lang::Zh, 10_000, "10,000"),
            // Arabic uses Latin digits, grouped with commas.
            (Lang::Ar, 7, "7"),
            (Lang::Ar, 1000, "1,000"),
            (Lang::Ar, 1_234_567, "1,234,567"),
        ];
        for (lang, n, expected) in cases {
            assert_eq!(format_number(lang, n), expected, "{lang} {n}");
        }
    }

    #[test]
    fn numbers_carry_no_direction_marks() {
        for lang in Lang::ALL {
            let text = format_number(lang, 1_234_567);
            assert!(
                text.chars()
                    .all(|c| c.is_ascii_digit() || [',', '.', NBSP, NNBSP].contains(&c)),
                "{lang}: {text:?}"
            );
        }
    }

    #[test]
    fn the_largest_count_formats_in_every_language() {
        assert_eq!(
            format_number(Lang::En, u64::MAX),
            "18,446,744,073,709,551,615"
        );
        for lang in Lang::ALL {
            let digits: String = format_number(lang, u64::MAX)
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            assert_eq!(digits, u64::MAX.to_string(), "{lang}");
        }
    }
}
