//! Tests across the translations: completeness, and each language's headline.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use icu_plurals::{PluralCategory, PluralRules};

use super::messages::{headline_args, try_format, PAGE_SOURCES, SOURCES};
use super::*;

const NBSP: char = '\u{A0}';
const NNBSP: char = '\u{202F}';

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

// English.

#[test]
fn english_ninety_three_in_forty_one_reads_over_ninety_in_more_than_forty() {
    assert_eq!(
        headline(Lang::En, 93, 41),
        "over 90 organisations in more than 40 countries"
    );
}

#[test]
fn english_exact_round_numbers_have_no_qualifier() {
    assert_eq!(
        headline(Lang::En, 90, 40),
        "90 organisations in 40 countries"
    );
}

#[test]
fn english_one_organisation_in_one_country_is_singular() {
    assert_eq!(headline(Lang::En, 1, 1), "1 organisation in 1 country");
}

#[test]
fn english_nothing_yet_reads_zero() {
    assert_eq!(headline(Lang::En, 0, 0), "0 organisations in 0 countries");
}

#[test]
fn english_plural_forms_follow_the_shown_number() {
    assert_eq!(exact(Lang::En, 2, 5), "2 organisations in 5 countries");
    assert_eq!(
        exact(Lang::En, 21, 101),
        "21 organisations in 101 countries"
    );
    assert_eq!(headline(Lang::En, 9, 2), "9 organisations in 2 countries");
}

#[test]
fn english_large_counts_are_rounded_and_grouped() {
    assert_eq!(
        headline(Lang::En, 1499, 149),
        "over 1,000 organisations in more than 100 countries"
    );
    assert_eq!(
        headline(Lang::En, 12_345, 150),
        "over 10,000 organisations in 150 countries"
    );
    assert_eq!(
        headline(Lang::En, 1000, 11),
        "1,000 organisations in more than 10 countries"
    );
}

// French.

#[test]
fn french_ninety_three_in_forty_one_reads_plus_de() {
    assert_eq!(
        headline(Lang::Fr, 93, 41),
        "plus de 90 organisations dans plus de 40 pays"
    );
}

#[test]
fn french_one_organisation_in_one_country_is_singular() {
    assert_eq!(headline(Lang::Fr, 1, 1), "1 organisation dans 1 pays");
}

#[test]
fn french_zero_takes_the_singular() {
    assert_eq!(headline(Lang::Fr, 0, 0), "0 organisation dans 0 pays");
}

#[test]
fn french_plural_forms_follow_the_shown_number() {
    assert_eq!(headline(Lang::Fr, 90, 40), "90 organisations dans 40 pays");
    assert_eq!(exact(Lang::Fr, 2, 5), "2 organisations dans 5 pays");
    assert_eq!(exact(Lang::Fr, 21, 101), "21 organisations dans 101 pays");
}

#[test]
fn french_large_counts_are_grouped_with_a_narrow_no_break_space() {
    assert_eq!(
        headline(Lang::Fr, 1499, 149),
        format!("plus de 1{NNBSP}000 organisations dans plus de 100 pays")
    );
}

// Spanish.

#[test]
fn spanish_ninety_three_in_forty_one_reads_mas_de() {
    assert_eq!(
        headline(Lang::Es, 93, 41),
        "más de 90 organizaciones en más de 40 países"
    );
}

#[test]
fn spanish_one_organisation_in_one_country_is_singular() {
    assert_eq!(headline(Lang::Es, 1, 1), "1 organización en 1 país");
}

#[test]
fn spanish_plural_forms_follow_the_shown_number() {
    assert_eq!(headline(Lang::Es, 0, 0), "0 organizaciones en 0 países");
    assert_eq!(headline(Lang::Es, 90, 40), "90 organizaciones en 40 países");
    assert_eq!(exact(Lang::Es, 2, 5), "2 organizaciones en 5 países");
    assert_eq!(exact(Lang::Es, 21, 101), "21 organizaciones en 101 países");
}

#[test]
fn spanish_groups_only_five_digit_counts() {
    assert_eq!(
        headline(Lang::Es, 1499, 149),
        "más de 1000 organizaciones en más de 100 países"
    );
    assert_eq!(
        headline(Lang::Es, 12_345, 150),
        "más de 10.000 organizaciones en 150 países"
    );
}

// Russian.

#[test]
fn russian_ninety_three_in_forty_one_reads_bolee() {
    assert_eq!(
        headline(Lang::Ru, 93, 41),
        "более 90 организаций более чем в 40 странах"
    );
    assert_eq!(headline(Lang::Ru, 90, 40), "90 организаций в 40 странах");
}

#[test]
fn russian_one_organisation_in_one_country() {
    assert_eq!(headline(Lang::Ru, 1, 1), "1 организация в 1 стране");
}

#[test]
fn russian_takes_one_few_and_many_forms_after_a_number() {
    let cases = [
        (0, "0 организаций в 0 странах"),
        (1, "1 организация в 1 стране"),
        (2, "2 организации в 2 странах"),
        (4, "4 организации в 4 странах"),
        (5, "5 организаций в 5 странах"),
        (11, "11 организаций в 11 странах"),
        (12, "12 организаций в 12 странах"),
        (21, "21 организация в 21 стране"),
        (22, "22 организации в 22 странах"),
        (101, "101 организация в 101 стране"),
        (111, "111 организаций в 111 странах"),
    ];
    for (n, expected) in cases {
        assert_eq!(exact(Lang::Ru, n, n), expected, "{n}");
    }
}

#[test]
fn russian_takes_the_genitive_after_bolee() {
    assert_eq!(
        shown(Lang::Ru, (21, true), (21, true)),
        "более 21 организации более чем в 21 стране"
    );
    assert_eq!(
        shown(Lang::Ru, (50, true), (100, true)),
        "более 50 организаций более чем в 100 странах"
    );
}

#[test]
fn russian_rounded_counts_from_eleven() {
    assert_eq!(
        headline(Lang::Ru, 11, 21),
        "более 10 организаций более чем в 20 странах"
    );
    assert_eq!(
        headline(Lang::Ru, 1499, 101),
        format!("более 1{NBSP}000 организаций более чем в 100 странах")
    );
}

// Arabic.

#[test]
fn arabic_ninety_three_in_forty_one_reads_akthar_min() {
    assert_eq!(
        headline(Lang::Ar, 93, 41),
        "أكثر من 90 منظمة في أكثر من 40 بلدًا"
    );
    assert_eq!(headline(Lang::Ar, 90, 40), "90 منظمة في 40 بلدًا");
}

#[test]
fn arabic_one_and_two_are_written_as_words() {
    assert_eq!(headline(Lang::Ar, 1, 1), "منظمة واحدة في بلد واحد");
    assert_eq!(headline(Lang::Ar, 2, 2), "منظمتان في بلدين");
}

#[test]
fn arabic_takes_zero_one_two_few_many_and_other_forms() {
    let cases = [
        (0, "0 منظمة في 0 بلد"),
        (1, "منظمة واحدة في بلد واحد"),
        (2, "منظمتان في بلدين"),
        (3, "3 منظمات في 3 بلدان"),
        (5, "5 منظمات في 5 بلدان"),
        (10, "10 منظمات في 10 بلدان"),
        (11, "11 منظمة في 11 بلدًا"),
        (21, "21 منظمة في 21 بلدًا"),
        (99, "99 منظمة في 99 بلدًا"),
        (100, "100 منظمة في 100 بلد"),
        (101, "101 منظمة في 101 بلد"),
        (150, "150 منظمة في 150 بلدًا"),
        (200, "200 منظمة في 200 بلد"),
        (1000, "1,000 منظمة في 1,000 بلد"),
    ];
    // Not 103 or 111: counts from 100 are shown rounded to multiples of 50, and the plural
    // rules inside fluent-bundle get n % 100 wrong there (see the test below).
    for (n, expected) in cases {
        assert_eq!(exact(Lang::Ar, n, n), expected, "{n}");
    }
}

#[test]
fn arabic_rounded_counts_keep_their_plural_form_after_akthar_min() {
    assert_eq!(
        headline(Lang::Ar, 12, 15),
        "أكثر من 10 منظمات في أكثر من 10 بلدان"
    );
    assert_eq!(
        headline(Lang::Ar, 149, 960),
        "أكثر من 100 منظمة في أكثر من 950 بلدًا"
    );
    assert_eq!(
        headline(Lang::Ar, 1499, 101),
        "أكثر من 1,000 منظمة في أكثر من 100 بلد"
    );
}

// Chinese.

#[test]
fn chinese_ninety_three_in_forty_one_reads_chaoguo() {
    assert_eq!(headline(Lang::Zh, 93, 41), "超过90个组织，来自超过40个国家");
    assert_eq!(headline(Lang::Zh, 90, 40), "90个组织，来自40个国家");
}

#[test]
fn chinese_one_organisation_in_one_country() {
    assert_eq!(headline(Lang::Zh, 1, 1), "1个组织，来自1个国家");
}

#[test]
fn chinese_large_counts_are_grouped_with_commas() {
    assert_eq!(
        headline(Lang::Zh, 1499, 12_345),
        "超过1,000个组织，来自超过10,000个国家"
    );
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
