//! Tests across the translations: completeness, and each language's headline.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use icu_plurals::{PluralCategory, PluralRules};

use super::messages::{headline_args, try_format, PAGE_SOURCES, SOURCES};
use super::*;

/// The ids of the messages in a Fluent file (lines that start a message).
fn message_ids(source: &str) -> Vec<&str> {
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once('='))
        .map(|(id, _)| id.trim())
        .collect()
}

fn english_ids() -> Vec<&'static str> {
    message_ids(SOURCES[0].1)
}

/// The headline for numbers as shown, bypassing the rounding rule, so every plural form can be
/// reached (in a real headline a rounded number is a multiple of ten).
fn shown(lang: Lang, organisations: (u64, bool), countries: (u64, bool)) -> String {
    let mut args = FluentArgs::new();
    args.set("organisations", organisations.0);
    args.set("organisations-rounded", organisations.1.to_string());
    args.set("countries", countries.0);
    args.set("countries-rounded", countries.1.to_string());
    try_format(lang, "headline", Some(&args)).unwrap()
}

fn exact(lang: Lang, organisations: u64, countries: u64) -> String {
    shown(lang, (organisations, false), (countries, false))
}

// Completeness: the tests that catch a translator's mistake.

#[test]
fn every_translation_parses_without_syntax_errors() {
    for (lang, source) in SOURCES {
        if let Err((_, errors)) = FluentResource::try_new(source.to_string()) {
            panic!("{lang}: {errors:?}");
        }
    }
}

#[test]
fn every_page_translation_parses_and_has_exactly_the_english_ids() {
    let mut english = message_ids(PAGE_SOURCES[0].1);
    english.sort_unstable();
    assert!(english.contains(&"sign-title") && english.contains(&"mail-confirm-subject"));
    for (lang, source) in PAGE_SOURCES {
        if let Err((_, errors)) = FluentResource::try_new(source.to_string()) {
            panic!("{lang}: {errors:?}");
        }
        let mut ids = message_ids(source);
        ids.sort_unstable();
        assert_eq!(ids, english, "{lang}");
    }
}

#[test]
fn the_sources_are_in_the_order_of_all_languages() {
    let langs: Vec<Lang> = SOURCES.iter().map(|&(lang, _)| lang).collect();
    assert_eq!(langs, Lang::ALL);
}

#[test]
fn every_language_has_exactly_the_english_message_ids() {
    let mut english = english_ids();
    english.sort_unstable();
    assert!(english.contains(&"headline"));
    for id in UI_MESSAGES {
        assert!(english.contains(&id), "{id}");
    }
    for (lang, source) in SOURCES {
        let mut ids = message_ids(source);
        ids.sort_unstable();
        assert_eq!(ids, english, "{lang}");
    }
}

#[test]
fn every_message_formats_without_errors_in_every_language_for_every_count() {
    let counts = (0..=1100).chain([
        1499,
        9_999,
        10_000,
        12_345,
        99_999,
        1_000_000,
        1_234_567,
        u64::MAX,
    ]);
    let ids = english_ids();
    for n in counts {
        for countries in [n, n / 7, 41] {
            let mut args = headline_args(n, countries);
            args.set("campaign", "End Child Detention");
            // The arguments of the dated badge, the map and the list.
            args.set("date", "2014-03-01");
            args.set("country", "Kenya");
            args.set("query", "child");
            for (name, value) in [
                ("from", n),
                ("to", n.saturating_add(4)),
                ("page", n),
                ("pages", n.saturating_add(1)),
            ] {
                args.set(name, value);
            }
            for lang in Lang::ALL {
                for id in &ids {
                    if let Err(error) = try_format(lang, id, Some(&args)) {
                        panic!("{lang} {id} for {n} in {countries}: {error}");
                    }
                }
            }
        }
    }
}

#[test]
fn every_headline_shows_both_numbers_as_its_language_writes_them() {
    for lang in Lang::ALL {
        for n in (0..=1100).chain([1499, 12_345, 1_234_567]) {
            let text = headline(lang, n, n);
            let number = format_number(lang, domain_shown(n));
            // Arabic writes one and two as words: منظمة واحدة, منظمتان.
            if lang == Lang::Ar && (n == 1 || n == 2) {
                assert!(!text.contains(char::is_numeric), "{lang} {n}: {text}");
                continue;
            }
            assert_eq!(text.matches(&number).count(), 2, "{lang} {n}: {text}");
        }
    }
}

fn domain_shown(n: u64) -> u64 {
    crate::domain::headline::round_down(n)
}

#[test]
fn output_is_plain_text_on_one_line_without_isolation_marks() {
    for lang in Lang::ALL {
        let mut texts = vec![headline(lang, 93, 41), headline(lang, 1, 1)];
        texts.extend(
            UI_MESSAGES
                .iter()
                .map(|id| message(lang, id, Some("Campaign"))),
        );
        for text in texts {
            assert!(!text.is_empty(), "{lang}");
            assert_eq!(text.trim(), text, "{lang}: {text:?}");
            assert!(
                !text.contains(['\u{2068}', '\u{2069}', '\n', '{', '}']),
                "{lang}: {text:?}"
            );
        }
    }
}

// Falling back.

#[test]
fn a_message_missing_everywhere_reads_as_its_id() {
    assert_eq!(
        message(Lang::Fr, "no-such-message", None),
        "no-such-message"
    );
}

#[test]
fn a_message_that_cannot_be_formatted_falls_back_to_english() {
    // counter-title needs $campaign: French fails, English does as far as it can.
    assert!(try_format(Lang::Fr, "counter-title", None).is_err());
    assert_eq!(
        message(Lang::Fr, "counter-title", None),
        "Endorsements of {$campaign}"
    );
}

// Labels.

#[test]
fn the_counter_title_names_the_campaign() {
    assert_eq!(
        message(Lang::En, "counter-title", Some("End Child Detention")),
        "Endorsements of End Child Detention"
    );
    assert_eq!(
        message(Lang::Ru, "counter-title", Some("Дети")),
        "Поддержка кампании «Дети»"
    );
}

#[test]
fn english_labels_read_as_the_embeds_expect() {
    let labels: Vec<String> = UI_MESSAGES
        .iter()
        .map(|id| message(Lang::En, id, Some("X")))
        .collect();
    assert_eq!(
        labels,
        [
            "Organisations",
            "Countries",
            "Endorsements of X",
            "Endorse the campaign",
            "The count is unavailable right now",
            "endorsed by",
        ]
    );
}

#[test]
fn labels_are_translated_apart_from_french_organisations() {
    for lang in [Lang::Fr, Lang::Es, Lang::Ar, Lang::Zh, Lang::Ru] {
        for id in UI_MESSAGES {
            let english = message(Lang::En, id, Some("X"));
            let translated = message(lang, id, Some("X"));
            if (lang, id) == (Lang::Fr, "label-organisations") {
                continue;
            }
            assert_ne!(translated, english, "{lang} {id}");
        }
    }
}

// Each language's headlines.

/// The counts a headline is made from.
#[derive(Debug, Clone, Copy)]
enum Counts {
    /// Organisations and countries as stored: the headline rounds them by the rule.
    Real(u64, u64),
    /// Numbers shown as they are, bypassing the rounding rule (see [`exact`]).
    Exact(u64, u64),
    /// Numbers shown as they are, each marked rounded or not (see [`shown`]).
    Shown((u64, bool), (u64, bool)),
}

use Counts::{Exact, Real, Shown};
use Lang::{Ar, En, Es, Fr, Ru, Zh};

/// Headlines as each language reads them (one case a line).
#[rustfmt::skip]
const HEADLINES: &[(Lang, Counts, &str)] = &[
    // English.
    // Ninety-three in forty-one reads over ninety in more than forty.
    (En, Real(93, 41), "over 90 organisations in more than 40 countries"),
    // Exact round numbers have no qualifier.
    (En, Real(90, 40), "90 organisations in 40 countries"),
    // One organisation in one country is singular; nothing yet reads zero.
    (En, Real(1, 1), "1 organisation in 1 country"),
    (En, Real(0, 0), "0 organisations in 0 countries"),
    // Plural forms follow the shown number.
    (En, Exact(2, 5), "2 organisations in 5 countries"),
    (En, Exact(21, 101), "21 organisations in 101 countries"),
    (En, Real(9, 2), "9 organisations in 2 countries"),
    // Large counts are rounded and grouped.
    (En, Real(1499, 149), "over 1,000 organisations in more than 100 countries"),
    (En, Real(12_345, 150), "over 10,000 organisations in 150 countries"),
    (En, Real(1000, 11), "1,000 organisations in more than 10 countries"),
    // French.
    // Ninety-three in forty-one reads "plus de".
    (Fr, Real(93, 41), "plus de 90 organisations dans plus de 40 pays"),
    // One organisation in one country is singular, and so is zero.
    (Fr, Real(1, 1), "1 organisation dans 1 pays"),
    (Fr, Real(0, 0), "0 organisation dans 0 pays"),
    // Plural forms follow the shown number.
    (Fr, Real(90, 40), "90 organisations dans 40 pays"),
    (Fr, Exact(2, 5), "2 organisations dans 5 pays"),
    (Fr, Exact(21, 101), "21 organisations dans 101 pays"),
    // Large counts are grouped with a narrow no-break space.
    (Fr, Real(1499, 149), "plus de 1\u{202F}000 organisations dans plus de 100 pays"),
    // Spanish.
    // Ninety-three in forty-one reads "más de".
    (Es, Real(93, 41), "más de 90 organizaciones en más de 40 países"),
    // One organisation in one country is singular.
    (Es, Real(1, 1), "1 organización en 1 país"),
    // Plural forms follow the shown number.
    (Es, Real(0, 0), "0 organizaciones en 0 países"),
    (Es, Real(90, 40), "90 organizaciones en 40 países"),
    (Es, Exact(2, 5), "2 organizaciones en 5 países"),
    (Es, Exact(21, 101), "21 organizaciones en 101 países"),
    // Only five-digit counts are grouped.
    (Es, Real(1499, 149), "más de 1000 organizaciones en más de 100 países"),
    (Es, Real(12_345, 150), "más de 10.000 organizaciones en 150 países"),
    // Russian.
    // Ninety-three in forty-one reads "более".
    (Ru, Real(93, 41), "более 90 организаций более чем в 40 странах"),
    (Ru, Real(90, 40), "90 организаций в 40 странах"),
    (Ru, Real(1, 1), "1 организация в 1 стране"),
    // One, few and many forms after a number.
    (Ru, Exact(0, 0), "0 организаций в 0 странах"),
    (Ru, Exact(1, 1), "1 организация в 1 стране"),
    (Ru, Exact(2, 2), "2 организации в 2 странах"),
    (Ru, Exact(4, 4), "4 организации в 4 странах"),
    (Ru, Exact(5, 5), "5 организаций в 5 странах"),
    (Ru, Exact(11, 11), "11 организаций в 11 странах"),
    (Ru, Exact(12, 12), "12 организаций в 12 странах"),
    (Ru, Exact(21, 21), "21 организация в 21 стране"),
    (Ru, Exact(22, 22), "22 организации в 22 странах"),
    (Ru, Exact(101, 101), "101 организация в 101 стране"),
    (Ru, Exact(111, 111), "111 организаций в 111 странах"),
    // The genitive after "более".
    (Ru, Shown((21, true), (21, true)), "более 21 организации более чем в 21 стране"),
    (Ru, Shown((50, true), (100, true)), "более 50 организаций более чем в 100 странах"),
    // Rounded counts from eleven.
    (Ru, Real(11, 21), "более 10 организаций более чем в 20 странах"),
    (Ru, Real(1499, 101), "более 1\u{A0}000 организаций более чем в 100 странах"),
    // Arabic.
    // Ninety-three in forty-one reads "أكثر من".
    (Ar, Real(93, 41), "أكثر من 90 منظمة في أكثر من 40 بلدًا"),
    (Ar, Real(90, 40), "90 منظمة في 40 بلدًا"),
    // One and two are written as words.
    (Ar, Real(1, 1), "منظمة واحدة في بلد واحد"),
    (Ar, Real(2, 2), "منظمتان في بلدين"),
    // Zero, one, two, few, many and other forms. Not 103 or 111: counts from 100 are
    // shown rounded to multiples of 50, and the plural rules inside fluent-bundle get
    // n % 100 wrong there (see the plural rules' tests).
    (Ar, Exact(0, 0), "0 منظمة في 0 بلد"),
    (Ar, Exact(1, 1), "منظمة واحدة في بلد واحد"),
    (Ar, Exact(2, 2), "منظمتان في بلدين"),
    (Ar, Exact(3, 3), "3 منظمات في 3 بلدان"),
    (Ar, Exact(5, 5), "5 منظمات في 5 بلدان"),
    (Ar, Exact(10, 10), "10 منظمات في 10 بلدان"),
    (Ar, Exact(11, 11), "11 منظمة في 11 بلدًا"),
    (Ar, Exact(21, 21), "21 منظمة في 21 بلدًا"),
    (Ar, Exact(99, 99), "99 منظمة في 99 بلدًا"),
    (Ar, Exact(100, 100), "100 منظمة في 100 بلد"),
    (Ar, Exact(101, 101), "101 منظمة في 101 بلد"),
    (Ar, Exact(150, 150), "150 منظمة في 150 بلدًا"),
    (Ar, Exact(200, 200), "200 منظمة في 200 بلد"),
    (Ar, Exact(1000, 1000), "1,000 منظمة في 1,000 بلد"),
    // Rounded counts keep their plural form after "أكثر من".
    (Ar, Real(12, 15), "أكثر من 10 منظمات في أكثر من 10 بلدان"),
    (Ar, Real(149, 960), "أكثر من 100 منظمة في أكثر من 950 بلدًا"),
    (Ar, Real(1499, 101), "أكثر من 1,000 منظمة في أكثر من 100 بلد"),
    // Chinese.
    // Ninety-three in forty-one reads "超过".
    (Zh, Real(93, 41), "超过90个组织，来自超过40个国家"),
    (Zh, Real(90, 40), "90个组织，来自40个国家"),
    (Zh, Real(1, 1), "1个组织，来自1个国家"),
    // Large counts are grouped with commas.
    (Zh, Real(1499, 12_345), "超过1,000个组织，来自超过10,000个国家"),
];

#[test]
fn each_language_reads_its_headlines_as_expected() {
    for &(lang, counts, expected) in HEADLINES {
        let text = match counts {
            Real(organisations, countries) => headline(lang, organisations, countries),
            Exact(organisations, countries) => exact(lang, organisations, countries),
            Shown(organisations, countries) => shown(lang, organisations, countries),
        };
        assert_eq!(text, expected, "{lang} {counts:?}");
    }
}

// Plural rules: fluent-bundle's (intl_pluralrules, CLDR 37) against ICU4X's (current CLDR).

/// Every number a headline can show, up to ten billion: 0–9, then the multiples of 10 below
/// 100, of 50 below 1,000, of 500 below 10,000, and so on.
fn showable_numbers() -> Vec<u64> {
    let mut numbers: Vec<u64> = (0..10).chain((10..100).step_by(10)).collect();
    let mut magnitude: u64 = 100;
    while magnitude <= 1_000_000_000 {
        numbers.extend((magnitude..magnitude * 10).step_by((magnitude / 2) as usize));
        magnitude *= 10;
    }
    numbers
}

fn category_name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// The category ICU4X gives `n` in `lang`.
fn cldr_category(rules: &PluralRules, n: u64) -> &'static str {
    category_name(rules.category_for(n))
}

fn cldr_rules(lang: Lang) -> PluralRules {
    let locale: icu_locale_core::Locale = lang.code().parse().unwrap();
    PluralRules::try_new_cardinal((&locale).into()).unwrap()
}

/// A bundle whose one message names the category Fluent selects for `$n` in `lang`.
fn fluent_probe(lang: Lang) -> FluentBundle<FluentResource> {
    let source = "probe = { $n ->\n [zero] zero\n [one] one\n [two] two\n [few] few\n [many] many\n *[other] other\n }\n";
    let mut bundle = FluentBundle::new_concurrent(vec![lang.code().parse().unwrap()]);
    bundle
        .add_resource(FluentResource::try_new(source.to_string()).unwrap())
        .unwrap();
    bundle
}

fn fluent_category(probe: &FluentBundle<FluentResource>, n: u64) -> String {
    let mut args = FluentArgs::new();
    args.set("n", n);
    let pattern = probe.get_message("probe").unwrap().value().unwrap();
    let mut errors = vec![];
    let category = probe.format_pattern(pattern, Some(&args), &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    category.into_owned()
}

#[test]
fn every_showable_number_is_a_fixed_point_of_the_rounding_rule() {
    for n in showable_numbers() {
        assert_eq!(domain_shown(n), n);
    }
}

#[test]
fn fluent_plural_rules_differ_from_cldr_only_where_the_translations_allow_for_it() {
    for lang in Lang::ALL {
        let rules = cldr_rules(lang);
        let probe = fluent_probe(lang);
        let differences: Vec<(u64, &str, String)> = showable_numbers()
            .into_iter()
            .map(|n| (n, cldr_category(&rules, n), fluent_category(&probe, n)))
            .filter(|(_, cldr, fluent)| cldr != fluent)
            .collect();
        match lang {
            // intl_pluralrules drops the "% 100" of Arabic's few and many: 150 … 950 come out
            // as `other`. locales/ar/endorse.ftl lists them as numeric variants.
            Lang::Ar => {
                let numbers: Vec<u64> = differences.iter().map(|d| d.0).collect();
                assert_eq!(numbers, (150..1000).step_by(100).collect::<Vec<_>>());
                assert!(differences.iter().all(|d| d.1 == "many" && d.2 == "other"));
            }
            // CLDR 38 and 42 gave French and Spanish a `many` for whole millions
            // ("1 000 000 d’organisations"); the files use the plural for it, as for `other`.
            Lang::Fr | Lang::Es => {
                assert!(
                    differences
                        .iter()
                        .all(|d| d.0 % 1_000_000 == 0 && d.1 == "many" && d.2 == "other"),
                    "{lang}: {differences:?}"
                );
                let source = SOURCES.iter().find(|s| s.0 == lang).unwrap().1;
                assert!(!source.contains("[many]"), "{lang} now has a many variant");
            }
            _ => assert!(differences.is_empty(), "{lang}: {differences:?}"),
        }
    }
}

#[test]
fn arabic_countries_take_the_cldr_form_for_every_showable_number() {
    let rules = cldr_rules(Lang::Ar);
    for n in showable_numbers() {
        let number = format_number(Lang::Ar, n);
        let expected = match cldr_category(&rules, n) {
            "one" => "في بلد واحد".to_string(),
            "two" => "في بلدين".to_string(),
            "few" => format!("{number} بلدان"),
            "many" => format!("{number} بلدًا"),
            _ => format!("{number} بلد"),
        };
        for rounded in [false, true] {
            if rounded && n < 10 {
                continue;
            }
            let text = shown(Lang::Ar, (1, false), (n, rounded));
            assert!(text.ends_with(&expected), "{n} rounded={rounded}: {text}");
        }
    }
}

#[test]
fn russian_forms_follow_cldr_for_every_showable_number() {
    let rules = cldr_rules(Lang::Ru);
    for n in showable_numbers() {
        let number = format_number(Lang::Ru, n);
        let (organisations, countries) = match cldr_category(&rules, n) {
            "one" => ("организация", "стране"),
            "few" => ("организации", "странах"),
            _ => ("организаций", "странах"),
        };
        assert_eq!(
            exact(Lang::Ru, n, n),
            format!("{number} {organisations} в {number} {countries}")
        );
    }
}
