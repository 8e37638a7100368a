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
    fn english_groups_thousands_with_commas() {
        assert_eq!(format_number(Lang::En, 0), "0");
        assert_eq!(format_number(Lang::En, 999), "999");
        assert_eq!(format_number(Lang::En, 1000), "1,000");
        assert_eq!(format_number(Lang::En, 1_234_567), "1,234,567");
    }

    #[test]
    fn french_groups_thousands_with_a_narrow_no_break_space() {
        assert_eq!(format_number(Lang::Fr, 999), "999");
        assert_eq!(format_number(Lang::Fr, 1000), format!("1{NNBSP}000"));
        assert_eq!(
            format_number(Lang::Fr, 1_234_567),
            format!("1{NNBSP}234{NNBSP}567")
        );
    }

    #[test]
    fn spanish_groups_only_from_five_digits_with_dots() {
        assert_eq!(format_number(Lang::Es, 1000), "1000");
        assert_eq!(format_number(Lang::Es, 9500), "9500");
        assert_eq!(format_number(Lang::Es, 10_000), "10.000");
        assert_eq!(format_number(Lang::Es, 1_234_567), "1.234.567");
    }

    #[test]
    fn russian_groups_thousands_with_a_no_break_space() {
        assert_eq!(format_number(Lang::Ru, 1000), format!("1{NBSP}000"));
        assert_eq!(
            format_number(Lang::Ru, 1_234_567),
            format!("1{NBSP}234{NBSP}567")
        );
    }

    #[test]
    fn chinese_groups_thousands_with_commas() {
        assert_eq!(format_number(Lang::Zh, 1000), "1,000");
        assert_eq!(format_number(Lang::Zh, 10_000), "10,000");
    }

    #[test]
    fn arabic_uses_latin_digits_grouped_with_commas() {
        assert_eq!(format_number(Lang::Ar, 7), "7");
        assert_eq!(format_number(Lang::Ar, 1000), "1,000");
        assert_eq!(format_number(Lang::Ar, 1_234_567), "1,234,567");
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
